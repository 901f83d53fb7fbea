"""Pruning the build cache: entries no build used lately go, the ones in use stay."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows import cache, shards
from flows.cli import app
from flows.reference import load_reference
from flows.sources import list_raw_inputs

DAY = cache.DAY_SECONDS
SIDECAR = {"published": "2025-01-28", "language": "zh", "source": "test"}
TEXTS = {
    "one.txt": "英伟达昨日下跌了17%，纳斯达克指数跌了3.1%。",
    "two.txt": "微软下跌2.1%，苹果公司上涨3.2%。",
    "three.txt": "特斯拉周一跌了2.3%。",
}


def write_corpus(raw: Path) -> Path:
    raw.mkdir(parents=True, exist_ok=True)
    for name, text in TEXTS.items():
        (raw / name).write_text(text + "\n", encoding="utf-8")
        (raw / name).with_suffix(".meta.json").write_text(json.dumps(SIDECAR), encoding="utf-8")
    return raw


def age(directory: Path, days: float) -> None:
    """Make an entry look last used `days` ago."""
    then = time.time() - days * DAY
    os.utime(directory, (then, then))


def entry_dirs(cache_dir: Path, kind: str) -> set[Path]:
    return {path for path in (cache_dir / kind).glob("*/*") if path.is_dir()}


def test_prune_deletes_entries_unused_since_the_cutoff_and_interrupted_writes(tmp_path):
    old = cache.write_entry(cache.entry_dir(tmp_path, "documents", "aa" * 32), {}, {"n": 1})
    recent = cache.write_entry(cache.entry_dir(tmp_path, "documents", "ab" * 32), {}, {"n": 2})
    other_kind = cache.write_entry(cache.entry_dir(tmp_path, "shards", "cd" * 32), {}, {"n": 3})
    interrupted = tmp_path / "documents" / "ab" / ".tmp-abababab-123"
    interrupted.mkdir()
    (interrupted / "claims.parquet").write_bytes(b"half written")
    age(old, 8)
    age(other_kind, 6)

    held = cache.usage(tmp_path)
    assert held.entries == {"documents": 3, "shards": 1} and held.total_bytes > 0

    pruned = cache.prune(tmp_path, time.time() - 7 * DAY)
    assert pruned.entries == {"documents": 2}  # the old entry and the interrupted write
    assert pruned.bytes["documents"] == (
        held.bytes["documents"] - cache.usage(tmp_path).bytes["documents"]
    )
    assert not old.exists() and not interrupted.exists()
    assert recent.exists() and other_kind.exists()
    assert not (tmp_path / "documents" / "aa").exists()  # an emptied bucket goes too
    assert cache.usage(tmp_path).entries == {"documents": 1, "shards": 1}
    assert cache.prune(tmp_path / "absent", time.time()).total_entries == 0


def test_reading_an_entry_marks_it_used(tmp_path):
    directory = cache.write_entry(cache.entry_dir(tmp_path, "validation", "ef" * 32), {}, {})
    age(directory, 30)
    began = time.time()
    assert cache.read_entry_summary(directory, ()) == {}
    assert directory.stat().st_mtime >= began - 1
    assert cache.prune(tmp_path, began - 1).total_entries == 0
    cache.touch_entry(tmp_path / "absent")  # a missing entry is no error


def test_a_shard_served_whole_marks_its_documents_used(tmp_path):
    raw, cache_dir = write_corpus(tmp_path / "raw"), tmp_path / "cache"
    reference = load_reference()
    shard = list_raw_inputs(raw)
    first = shards.build_shard(shard, cache_dir, reference)
    assert first.documents_processed == 3
    for kind in ("documents", "shards"):
        for directory in entry_dirs(cache_dir, kind):
            age(directory, 30)
    began = time.time()
    again = shards.build_shard(shard, cache_dir, reference)
    assert (again.documents_processed, again.documents_from_cache) == (0, 3)
    assert cache.prune(cache_dir, began - 1).total_entries == 0
    assert len(entry_dirs(cache_dir, "documents")) == 3


@pytest.mark.usefixtures("prefect_harness")
def test_a_build_prunes_what_it_no_longer_uses_and_keeps_what_it_does(tmp_path):
    from flows.build import build

    raw, out = write_corpus(tmp_path / "raw"), tmp_path / "out"
    cache_dir = cache.cache_dir_for(out)
    sizes = {"shard_documents": 1, "chunk_documents": 1}
    first = build(raw_dir=raw, out_dir=out, **sizes)
    assert first.status == "published" and first.cache_entries_pruned == 0
    before = entry_dirs(cache_dir, "documents")

    (raw / "two.txt").write_text("微软下跌2.5%，苹果公司上涨3.2%。\n", encoding="utf-8")
    kept = build(raw_dir=raw, out_dir=out, **sizes)  # default: entries used within 7 days stay
    assert kept.status == "published" and kept.cache_entries_pruned == 0
    assert before < entry_dirs(cache_dir, "documents")

    (raw / "three.txt").write_text("特斯拉周一跌了2.4%。\n", encoding="utf-8")
    pruned = build(raw_dir=raw, out_dir=out, cache_days=0, **sizes)
    assert pruned.status == "published" and pruned.cache_entries_pruned >= 4
    assert any(note.startswith("cache: removed") for note in pruned.notes)
    documents = entry_dirs(cache_dir, "documents")
    assert len(documents) == 3 and len(before & documents) == 1  # only one.txt is unchanged

    # what the last build used is still there: restoring two.txt recomputes only two.txt
    (raw / "two.txt").write_text(TEXTS["two.txt"] + "\n", encoding="utf-8")
    again = build(raw_dir=raw, out_dir=out, cache_days=0, **sizes)
    assert (again.documents_processed, again.documents_from_cache) == (1, 2)


def test_cache_commands_report_and_prune(tmp_path):
    out = tmp_path / "out"
    cache_dir = cache.cache_dir_for(out)
    used = cache.write_entry(cache.entry_dir(cache_dir, "documents", "aa" * 32), {}, {})
    stale = cache.write_entry(cache.entry_dir(cache_dir, "shards", "bb" * 32), {}, {})
    age(stale, 10)

    shown = CliRunner().invoke(app, ["cache", "info", "--out", str(out)])
    assert shown.exit_code == 0, shown.output
    assert "documents" in shown.output and "shards" in shown.output and "2 entries" in shown.output

    result = CliRunner().invoke(app, ["cache", "prune", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "removed 1 cache entries" in result.output
    assert used.exists() and not stale.exists()
    result = CliRunner().invoke(app, ["cache", "prune", "--out", str(out), "--cache-days", "0"])
    assert "removed 1 cache entries" in result.output and not used.exists()
    for command in ("info", "prune"):  # a mistyped folder is not created
        result = CliRunner().invoke(app, ["cache", command, "--out", str(tmp_path / "typo")])
        assert result.exit_code == 1 and "does not exist" in result.output
    assert not (tmp_path / "typo").exists()


def test_prune_refuses_while_a_build_holds_the_folder(tmp_path):
    from flows.out_lock import exclusive_build

    out = tmp_path / "out"
    directory = cache.entry_dir(cache.cache_dir_for(out), "shards", "cc" * 32)
    entry = cache.write_entry(directory, {}, {})
    with exclusive_build(out):
        result = CliRunner().invoke(app, ["cache", "prune", "--out", str(out), "--cache-days", "0"])
    assert result.exit_code == 3 and "another build" in result.output
    assert entry.exists()
