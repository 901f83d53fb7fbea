"""End to end: the Prefect `build` flow turns a raw folder into a validated, published release."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from flows import schemas
from flows.paths import PROJECT_ROOT

RAW = PROJECT_ROOT / "data" / "raw"
SEED = "000_ec8c342786ecf5e0"

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory) -> Path:
    """The seed with its sidecar, one post without a sidecar, and four bad files."""
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(RAW / f"{SEED}.txt", raw)
    shutil.copy(RAW / f"{SEED}.meta.json", raw)
    (raw / "no_sidecar.txt").write_text(
        "今天英伟达股价上涨了5%。昨天纳指跌了2%。\n", encoding="utf-8"
    )
    (raw / "empty.txt").write_bytes(b"")
    (raw / "gbk.txt").write_bytes("英伟达昨日下跌百分之十七，市场震动。".encode("gbk"))
    (raw / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (raw / "bad_sidecar.txt").write_text("谷歌降了4%。\n", encoding="utf-8")
    (raw / "bad_sidecar.meta.json").write_text("{published: 2025-01-28", encoding="utf-8")
    return raw


@pytest.fixture(scope="module")
def built(raw_dir, tmp_path_factory):
    from flows.build import build

    out = tmp_path_factory.mktemp("out")
    summary = build(raw_dir=raw_dir, out_dir=out)
    return out, summary


def read(release: Path, table: str) -> pd.DataFrame:
    return pq.read_table(release / f"{table}.parquet").to_pandas()


def test_build_publishes_every_table_and_points_latest(built):
    out, summary = built
    assert summary.status == "published"
    release = out / summary.version
    assert (out / "LATEST").read_text().strip() == summary.version
    for name, spec in schemas.TABLES.items():
        table = pq.read_table(release / f"{name}.parquet")
        assert table.schema.names == spec.schema.names, name
    manifest = json.loads((release / "manifest.json").read_text())
    assert set(manifest["tables"]) == set(schemas.TABLES)
    assert {entry["path"] for entry in manifest["inputs"]} >= {f"{SEED}.txt", f"{SEED}.meta.json"}
    assert not list(out.glob(".staging-*")), "staging directory left behind"


def test_every_raw_file_is_a_document_or_a_reject(built, raw_dir):
    out, summary = built
    release = out / summary.version
    documents, rejects = read(release, "documents"), read(release, "rejects")
    text_files = {p.name for p in raw_dir.glob("*.txt")}
    assert set(documents["path"]) | set(rejects["path"]) >= text_files
    assert set(documents["path"]) == {f"{SEED}.txt", "no_sidecar.txt"}
    reasons = dict(zip(rejects["path"], rejects["reason"], strict=True))
    assert {"empty.txt", "gbk.txt", "binary.txt", "bad_sidecar.txt"} <= set(reasons)
    assert all(reason.strip() for reason in reasons.values())
    assert any("no_sidecar.txt" in note for note in summary.notes)


def test_offsets_slice_the_document_text(built):
    out, summary = built
    release = out / summary.version
    texts = read(release, "documents").set_index("doc_id")["text"]
    for table in ("segments", "mentions", "numbers", "claims"):
        frame = read(release, table)
        for row in frame.itertuples():
            assert texts[row.doc_id][row.start : row.end] == row.text, (table, row)


def test_seed_market_claims_come_out_with_verdicts(built):
    out, summary = built
    claims = read(out / summary.version, "claims")
    seed = claims[claims["doc_id"] == SEED]
    found = {(r.subject_id, r.metric, str(r.as_of)): r for r in seed.itertuples()}
    monday, tuesday = "2025-01-27", "2025-01-28"
    expected = {
        ("NVDA", "pct_change", monday): -17.0,
        ("^IXIC", "pct_change", monday): -3.1,
        ("^IXIC", "points_change", monday): -612.0,
        ("GOOGL", "pct_change", monday): -4.0,
        ("MSFT", "pct_change", monday): -2.14,
        ("ORCL", "pct_change", monday): -14.0,
        ("TSLA", "pct_change", monday): -2.3,
        ("NVDA", "market_cap_change", monday): -5.89e11,
        ("jensen-huang", "net_worth_change", monday): -2.0e10,
        ("jensen-huang", "net_worth", monday): 1.036e11,
        ("NVDA", "pct_change", tuesday): 6.0,
    }
    for key, value in expected.items():
        assert key in found, f"missing claim {key}"
        assert found[key].value == pytest.approx(value), key
        assert found[key].verdict in schemas.VERDICTS
        assert found[key].reason
    assert found[("NVDA", "pct_change", monday)].verdict == "supported"
    assert found[("MSFT", "pct_change", monday)].verdict == "supported"
    assert found[("NVDA", "pct_change", tuesday)].verdict == "contradicted"


def test_claims_of_a_post_without_published_date_are_unverifiable(built):
    out, summary = built
    claims = read(out / summary.version, "claims")
    undated = claims[claims["doc_id"] == "no_sidecar"]
    assert len(undated) >= 1
    assert set(undated["verdict"]) == {"unverifiable"}


def test_rebuild_with_same_inputs_publishes_nothing_new(built, raw_dir):
    from flows.build import build

    out, first = built
    again = build(raw_dir=raw_dir, out_dir=out)
    assert again.status == "no changes"
    assert again.version == first.version
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        ["LATEST", first.version]
    )


def test_same_inputs_give_byte_identical_tables(built, raw_dir, tmp_path):
    from flows.build import build

    out, first = built
    other = build(raw_dir=raw_dir, out_dir=tmp_path)
    for name in schemas.TABLES:
        a = (out / first.version / f"{name}.parquet").read_bytes()
        b = (tmp_path / other.version / f"{name}.parquet").read_bytes()
        assert a == b, name


def test_failed_validation_publishes_nothing_and_keeps_the_previous_release(
    built, raw_dir, tmp_path
):
    from flows.build import build
    from flows.errors import ValidationFailed

    out, first = built
    strict = tmp_path / "expectations"
    shutil.copytree(PROJECT_ROOT / "expectations", strict)
    suite = json.loads((strict / "claims.json").read_text())
    for expectation in suite["expectations"]:
        kwargs = expectation["kwargs"]
        if kwargs.get("column") == "verdict" and "value_set" in kwargs:
            kwargs["value_set"] = ["supported"]  # the seed's claims have other verdicts too
    (strict / "claims.json").write_text(json.dumps(suite))
    (raw_dir / "extra.txt").write_text("今天特斯拉上涨了3%。\n", encoding="utf-8")
    before = sorted(p.name for p in out.iterdir())
    try:
        with pytest.raises(ValidationFailed, match="claims"):
            build(raw_dir=raw_dir, out_dir=out, expectations_dir=strict)
    finally:
        (raw_dir / "extra.txt").unlink()
    assert sorted(p.name for p in out.iterdir()) == before
    assert (out / "LATEST").read_text().strip() == first.version


def test_release_gate_blocks_a_shrinking_release_unless_forced(built, tmp_path):
    from flows.build import build
    from flows.errors import ValidationFailed

    out, first = built
    smaller = tmp_path / "raw"
    smaller.mkdir()
    (smaller / "one.txt").write_text("谷歌降了4%。\n", encoding="utf-8")
    gated = tmp_path / "out"
    shutil.copytree(out, gated)
    with pytest.raises(ValidationFailed, match="release gate"):
        build(raw_dir=smaller, out_dir=gated)
    assert (gated / "LATEST").read_text().strip() == first.version
    forced = build(raw_dir=smaller, out_dir=gated, force_reason="corpus reset on purpose")
    manifest = json.loads((gated / forced.version / "manifest.json").read_text())
    assert manifest["gate"]["forced_reason"] == "corpus reset on purpose"
    assert manifest["gate"]["reasons"]


def test_cli_build_is_quiet_and_fails_cleanly_on_a_missing_folder(raw_dir, tmp_path):
    env_python = [sys.executable, "-m", "flows.cli"]
    ok = subprocess.run(
        [*env_python, "build", "--raw", str(raw_dir), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=600,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Traceback" not in ok.stdout + ok.stderr
    assert ok.stderr.strip() == "", ok.stderr
    assert "published" in ok.stdout
    missing = subprocess.run(
        [*env_python, "build", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=600,
        check=False,
    )
    assert missing.returncode == 1
    assert "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr
