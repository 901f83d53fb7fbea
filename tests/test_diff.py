"""diff_releases: identical releases, rows added/removed/changed, verdicts, columns, reference."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa

from flows import release
from flows.diff import diff_release_schemas, diff_releases
from tests.fixtures_release import publish_sample_release, rewrite_table


def _two_releases(tmp_path, change):
    from tests.fixtures_release import build_sample_tables

    old = publish_sample_release(tmp_path / "old")
    tables = build_sample_tables()
    change(tables)
    new = publish_sample_release(
        tmp_path / "new", tables, built_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    )
    return old, new


def test_identical_releases(tmp_path):
    old = publish_sample_release(tmp_path / "a")
    new = publish_sample_release(tmp_path / "b")
    result = diff_releases(old, new)
    assert result.is_identical
    assert result.summary().endswith("identical data")
    assert result.to_dict()["identical"] is True


def test_rows_added_removed_and_verdict_changed(tmp_path):
    def change(tables):
        claims = tables["claims"]
        claims.loc[claims["subject_id"] == "^IXIC", "verdict"] = "contradicted"
        tables["market_daily"] = tables["market_daily"].iloc[1:].reset_index(drop=True)
        extra = tables["rejects"].iloc[[0]].assign(path="news/004.txt", reason="not text")
        tables["rejects"] = pd.concat([tables["rejects"], extra], ignore_index=True)

    result = diff_releases(*_two_releases(tmp_path, change))
    assert not result.is_identical
    market = result.table("market_daily")
    assert (market.removed, market.added, market.changed) == (1, 0, 0)
    assert market.removed_keys == ("NVDA|2025-01-24",)
    rejects = result.table("rejects")
    assert (rejects.added, rejects.added_keys) == (1, ("news/004.txt",))
    claims = result.table("claims")
    assert claims.changed == 1 and claims.added == claims.removed == 0
    (change_,) = result.claim_changes
    assert change_["changes"] == {"verdict": ("supported", "contradicted")}
    assert result.table("documents").is_identical
    summary = result.summary()
    assert summary.index("market_daily:") < summary.index("claims with a changed")
    assert "'supported' → 'contradicted'" in summary


def test_value_change_is_listed(tmp_path):
    def change(tables):
        tables["claims"].loc[0, "value"] = -13.0

    result = diff_releases(*_two_releases(tmp_path, change))
    (change_,) = result.claim_changes
    assert change_["changes"] == {"value": (-12.0, -13.0)}


def test_column_added_and_type_changed(tmp_path):
    old = publish_sample_release(tmp_path / "a")
    new = publish_sample_release(tmp_path / "b", built_at=dt.datetime(2026, 12, 2, tzinfo=dt.UTC))

    def add_column(table: pa.Table) -> pa.Table:
        return table.append_column("note", pa.array(["x"] * table.num_rows))

    rewrite_table(new, "segments", add_column)
    result = diff_releases(old, new)
    segments = result.table("segments")
    assert segments.columns_added == ("note",) and segments.columns_removed == ()
    assert segments.changed == 0, "a new column alone does not change existing values"
    assert "columns added ['note']" in result.summary()


def test_reference_snapshot_change(tmp_path):
    old = publish_sample_release(tmp_path / "a")
    new = publish_sample_release(tmp_path / "b")
    manifest = release.read_manifest(new)
    manifest["reference"] = {"version": "2025.02.28-1", "content_hash": "cd" * 32}
    release.write_json(new / "manifest.json", manifest)
    result = diff_releases(old, new)
    assert not result.is_identical
    assert result.reference_change["new"]["version"] == "2025.02.28-1"
    assert "reference: 2025.01.31-1 → 2025.02.28-1" in result.summary()


def test_schema_diff_reads_footers_only_and_agrees_with_the_full_diff(tmp_path):
    def change(tables):
        tables["market_daily"] = tables["market_daily"].iloc[1:].reset_index(drop=True)

    old, new = _two_releases(tmp_path, change)
    rewrite_table(new, "segments", lambda t: t.append_column("note", pa.array(["x"] * len(t))))
    rewrite_table(new, "claims", lambda t: t.drop_columns(["reason"]))
    full, footers = diff_releases(old, new), diff_release_schemas(old, new)
    fields = ("old_rows", "new_rows", "columns_added", "columns_removed", "types_changed")
    for table in footers.tables:
        expected = full.table(table.table)
        assert [getattr(table, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert footers.table("market_daily").new_rows == footers.table("market_daily").old_rows - 1
    assert footers.table("claims").columns_removed == ("reason",)
