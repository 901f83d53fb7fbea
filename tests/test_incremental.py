"""Incremental builds: the input fingerprint, the per-document cache, shards from disk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from flows import cache, pipeline, release, schemas, shards
from flows.calendar import TradingCalendar
from flows.errors import ReleaseError, ValidationFailed
from flows.paths import EXPECTATIONS_DIR
from flows.reference import load_reference
from flows.sources import read_raw_files

SIDECAR = {"published": "2025-02-04", "language": "zh", "source": "test"}
TEXTS = {
    "a/alpha.txt": "周一英伟达股价下跌了3%，纳指收跌1.2%。特斯拉涨了4.5%。",
    "a/beta.txt": "微软昨日上涨2%。甲骨文市值蒸发了三百亿美元。",
    "gamma.txt": "苹果公司本周上涨7%，亚马逊下跌0.8%。\n\n谷歌母公司股价持平。",
    "delta.txt": "标普500指数周二收涨0.9%，道指跌了150点。",
    "epsilon.txt": "OpenAI发布新模型后，博通下跌了11%。",
}


def write_corpus(raw: Path) -> Path:
    for name, text in TEXTS.items():
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        path.with_suffix(".meta.json").write_text(json.dumps(SIDECAR), encoding="utf-8")
    (raw / "undated.txt").write_text("今天Meta上涨了5%。\n", encoding="utf-8")
    (raw / "broken.txt").write_bytes(b"")  # a reject: it is cached like any other file
    return raw


def _suites_allowing_one_document(directory: Path) -> Path:
    """A copy of the project's suites where `documents` may hold one row at most."""
    shutil.copytree(EXPECTATIONS_DIR, directory)
    path = directory / "documents.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    for expectation in suite["expectations"]:
        if expectation["type"] == "expect_table_row_count_to_be_between":
            expectation["kwargs"]["max_value"] = 1
    path.write_text(json.dumps(suite), encoding="utf-8")
    return directory


def read(release_dir: Path, table: str) -> pd.DataFrame:
    return pq.read_table(release_dir / f"{table}.parquet").to_pandas()


@pytest.fixture
def raw_dir(tmp_path) -> Path:
    return write_corpus(tmp_path / "raw")


@pytest.fixture(scope="module")
def reference():
    return load_reference()


# --- pure parts: slices, plans, cache entries ------------------------------------------


def test_a_document_slice_does_not_depend_on_its_batch(raw_dir, reference):
    files = read_raw_files(raw_dir)
    calendar = TradingCalendar()
    together = pipeline.build_document_slices(files, reference, calendar)
    assert sum(together[f.path]["claims"].num_rows for f in files) > 0, "no claims to compare"
    for raw in files:
        alone = pipeline.build_document_slices([raw], reference, calendar)[raw.path]
        for name in pipeline.DOCUMENT_TABLES:
            assert alone[name].equals(together[raw.path][name]), (raw.path, name)


def test_plan_cuts_shards_by_count_and_bytes_in_path_order(raw_dir):
    by_count = shards.plan_build(raw_dir, "r" * 64, shard_documents=3, shard_bytes=10**9)
    names = [[item.path for item in shard] for shard in by_count.shards]
    assert [len(shard) for shard in names] == [3, 3, 1]
    assert sum(names, []) == sorted(sum(names, []))
    by_bytes = shards.plan_build(raw_dir, "r" * 64, shard_documents=100, shard_bytes=1)
    # a shard closes once it holds shard_bytes: only the empty file shares one
    assert [
        [item.path for item in shard if item.path == "broken.txt" or len(shard) == 1]
        for shard in by_bytes.shards
        if len(shard) > 1
    ] == [["broken.txt"]]
    assert len(by_bytes.shards) == 6
    assert by_bytes.fingerprint == by_count.fingerprint, "sharding is not an input"
    assert {entry["path"] for entry in by_count.inputs} >= {"a/alpha.txt", "a/alpha.meta.json"}


def test_fingerprint_follows_every_input_the_reference_and_the_code(raw_dir, monkeypatch):
    base = shards.plan_build(raw_dir, "r" * 64).fingerprint
    assert shards.plan_build(raw_dir, "r" * 64).fingerprint == base
    assert shards.plan_build(raw_dir, "s" * 64).fingerprint != base
    (raw_dir / "gamma.meta.json").write_text(json.dumps({**SIDECAR, "published": "2025-02-05"}))
    changed_sidecar = shards.plan_build(raw_dir, "r" * 64).fingerprint
    assert changed_sidecar != base
    monkeypatch.setattr(cache, "code_version", lambda: "another version")
    assert shards.plan_build(raw_dir, "r" * 64).fingerprint != changed_sidecar


def test_code_version_hashes_names_and_bytes(tmp_path):
    (tmp_path / "vocab").mkdir()
    (tmp_path / "vocab" / "words.csv").write_text("a,b\n")
    (tmp_path / "rules.py").write_text("X = 1\n")
    patterns = ("vocab/*", "*.py")
    first = cache.hash_files(tmp_path, patterns)
    assert cache.hash_files(tmp_path, patterns) == first
    (tmp_path / "vocab" / "words.csv").write_text("a,c\n")
    assert cache.hash_files(tmp_path, patterns) != first
    assert len(cache.code_version()) == 64 and cache.code_version() == cache.code_version()


def test_cache_entry_round_trips_and_a_damaged_one_is_a_miss(tmp_path, sample_tables):
    tables = {
        name: release.to_arrow(sample_tables[name], schemas.TABLES[name])
        for name in ("documents", "claims")
    }
    directory = cache.entry_dir(tmp_path, "documents", "ab" * 32)
    cache.write_entry(directory, tables, {"path": "x.txt"})
    entry = cache.read_entry(directory, list(tables))
    assert entry is not None and entry[1] == {"path": "x.txt"}
    assert all(entry[0][name].equals(tables[name]) for name in tables)
    assert not list(directory.parent.glob(".tmp-*")), "temporary directory left behind"
    assert cache.read_entry_summary(directory, list(tables)) == {"path": "x.txt"}
    pq.write_table(tables["claims"].drop_columns(["reason"]), directory / "claims.parquet")
    assert cache.read_entry_summary(directory, list(tables)) is None  # schema drift: a miss
    (directory / "claims.parquet").write_bytes(b"PAR1 not really parquet")
    assert cache.read_entry(directory, list(tables)) is None
    assert cache.read_entry_summary(directory, list(tables)) is None
    (directory / "summary.json").unlink()
    assert cache.read_entry(directory, ["documents"]) is None
    assert cache.read_entry(tmp_path / "absent", ["documents"]) is None
    cache.write_entry(directory, tables, {"path": "x.txt"})  # rewriting a bad entry works
    assert cache.read_entry(directory, list(tables)) is not None


def test_table_from_one_piece_is_byte_identical_and_pieces_concatenate(tmp_path, sample_tables):
    spec = schemas.TABLES["segments"]
    frame = sample_tables["segments"]
    (tmp_path / "whole").mkdir()
    (tmp_path / "pieces").mkdir()
    release.write_table(frame, spec, tmp_path / "whole")
    one = release.write_table_from_files([tmp_path / "whole" / "segments.parquet"], spec, tmp_path)
    assert one["sha256"] == release.sha256_file(tmp_path / "whole" / "segments.parquet")
    halves = []
    for k, part in enumerate((frame.iloc[:1], frame.iloc[1:])):
        pq.write_table(release.to_arrow(part, spec), tmp_path / "pieces" / f"{k}.parquet")
        halves.append(tmp_path / "pieces" / f"{k}.parquet")
    (tmp_path / "joined").mkdir()
    entry = release.write_table_from_files(halves, spec, tmp_path / "joined")
    assert entry["rows"] == len(frame)
    joined = pq.read_table(tmp_path / "joined" / "segments.parquet")
    assert joined.equals(release.to_arrow(frame, spec))
    (tmp_path / "empty").mkdir()
    assert release.write_table_from_files([], spec, tmp_path / "empty")["rows"] == 0
    with pytest.raises(ReleaseError, match="schema"):
        release.write_table_from_files(halves, schemas.TABLES["claims"], tmp_path / "empty")


# --- the flow ----------------------------------------------------------------------------


@pytest.mark.usefixtures("prefect_harness")
class TestIncrementalBuild:
    @pytest.fixture(scope="class")
    def first(self, tmp_path_factory):
        from flows.build import build

        raw = write_corpus(tmp_path_factory.mktemp("raw"))
        out = tmp_path_factory.mktemp("out")
        summary = build(raw_dir=raw, out_dir=out, shard_documents=3, chunk_documents=1)
        return raw, out, summary

    def test_first_build_processes_every_file_in_shards(self, first):
        _, out, summary = first
        assert summary.status == "published"
        assert (summary.documents_processed, summary.documents_from_cache) == (7, 0)
        assert summary.shards == 3
        assert summary.documents == 6 and [r["path"] for r in summary.rejects] == ["broken.txt"]
        assert any("undated.txt" in note for note in summary.notes)
        manifest = release.read_manifest(out / summary.version)
        assert len(manifest["input_fingerprint"]) == 64
        documents = read(out / summary.version, "documents")
        assert documents["path"].tolist() == sorted(documents["path"])

    def test_unchanged_inputs_stop_before_any_processing(self, first):
        from flows.build import build

        raw, out, summary = first
        again = build(raw_dir=raw, out_dir=out, shard_documents=3)
        assert again.status == "no changes" and again.version == summary.version
        assert (again.documents_processed, again.documents_from_cache) == (0, 0)
        assert again.claims_by_verdict == summary.claims_by_verdict
        assert again.rejects == summary.rejects and again.notes == summary.notes
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
            ["LATEST", summary.version]
        )

    def test_one_edited_file_is_the_only_one_processed(self, first, tmp_path):
        from flows.build import build

        raw, out, summary = first
        edited_raw, edited_out = tmp_path / "raw", tmp_path / "out"
        shutil.copytree(raw, edited_raw)
        shutil.copytree(out, edited_out)
        (edited_raw / "delta.txt").write_text("标普500指数周二收涨2.5%，道指跌了180点。\n")
        edited = build(raw_dir=edited_raw, out_dir=edited_out, shard_documents=3, chunk_documents=1)
        assert edited.status == "published" and edited.version != summary.version
        assert (edited.documents_processed, edited.documents_from_cache) == (1, 6)
        # one chunk per document: only the edited document's rows were validated by GX
        assert (summary.chunks_validated, summary.chunks_from_cache) == (6, 0)
        assert (edited.chunks_validated, edited.chunks_from_cache) == (1, 5)
        old, new = edited_out / summary.version, edited_out / edited.version
        for name in ("documents", "segments", "mentions", "numbers", "claims"):
            before, after = read(old, name), read(new, name)
            if name in ("documents", "numbers"):
                edited_rows = after[after["doc_id"] == "delta"]
                assert not edited_rows.equals(before[before["doc_id"] == "delta"]), name
            kept_before = before[before["doc_id"] != "delta"].reset_index(drop=True)
            kept_after = after[after["doc_id"] != "delta"].reset_index(drop=True)
            pd.testing.assert_frame_equal(kept_before, kept_after, obj=name)
        assert "2.5" in " ".join(read(new, "numbers").query("doc_id == 'delta'")["text"])
        # the edit reverted: the tables equal the first release's, so LATEST goes back to it,
        # but only if that release passes today's suites
        (edited_raw / "delta.txt").write_bytes((raw / "delta.txt").read_bytes())
        stricter = _suites_allowing_one_document(tmp_path / "expectations")
        with pytest.raises(ValidationFailed, match="nothing published"):
            build(raw_dir=edited_raw, out_dir=edited_out, expectations_dir=stricter)
        assert release.latest_release(edited_out) == new
        reverted = build(raw_dir=edited_raw, out_dir=edited_out, shard_documents=3)
        assert reverted.status == "restored" and reverted.version == summary.version
        assert release.latest_release(edited_out) == old
        assert sorted(p.name for p in edited_out.iterdir() if not p.name.startswith(".")) == sorted(
            ["LATEST", summary.version, edited.version]
        )

    def test_a_corrupt_cache_entry_is_recomputed(self, first, tmp_path):
        from flows.build import build

        raw, out, summary = first
        fresh_out = tmp_path / "out"
        shutil.copytree(out / cache.CACHE_DIRNAME, fresh_out / cache.CACHE_DIRNAME)
        shutil.rmtree(fresh_out / cache.CACHE_DIRNAME / "shards")
        entries = sorted((fresh_out / cache.CACHE_DIRNAME / "documents").glob("*/*/claims.parquet"))
        entries[0].write_bytes(b"garbage")
        rebuilt = build(raw_dir=raw, out_dir=fresh_out, shard_documents=3)
        assert (rebuilt.documents_processed, rebuilt.documents_from_cache) == (1, 6)
        assert rebuilt.version == summary.version
        for name in schemas.TABLES:
            a = (out / summary.version / f"{name}.parquet").read_bytes()
            assert a == (fresh_out / rebuilt.version / f"{name}.parquet").read_bytes(), name

    def test_a_new_code_version_reprocesses_all_and_finds_the_same_content(
        self, first, tmp_path, monkeypatch
    ):
        from flows.build import build

        raw, out, summary = first
        copy = tmp_path / "out"
        shutil.copytree(out, copy)
        monkeypatch.setattr(cache, "code_version", lambda: "0" * 64)
        again = build(raw_dir=raw, out_dir=copy, shard_documents=3)
        assert (again.documents_processed, again.documents_from_cache) == (7, 0)
        assert again.status == "no changes" and again.version == summary.version
