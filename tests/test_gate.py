"""check_gate: row loss over the limit blocks, within passes; schema breaks; verdict caps."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from flows import release
from flows.gate import GateLimits, check_gate
from tests.fixtures_release import build_sample_tables, publish_sample_release, rewrite_table

LATER = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _release_without_rows(tmp_path, table: str, keep: int):
    tables = build_sample_tables()
    tables[table] = tables[table].iloc[:keep].reset_index(drop=True)
    return publish_sample_release(tmp_path / "new", tables, built_at=LATER)


def test_first_release_passes(tmp_path):
    assert check_gate(None, publish_sample_release(tmp_path / "out")).passed


def test_row_loss_over_limit_blocks(tmp_path):
    old = publish_sample_release(tmp_path / "old")
    new = _release_without_rows(tmp_path, "market_daily", keep=3)  # 4 → 3 rows: 25% lost
    result = check_gate(old, new, GateLimits(max_row_loss_pct=10))
    assert not result.passed
    assert result.reasons == ("market_daily: 4 → 3 rows, 25.0% lost (limit 10%)",)


def test_row_loss_within_limit_passes(tmp_path):
    old = publish_sample_release(tmp_path / "old")
    new = _release_without_rows(tmp_path, "market_daily", keep=3)
    assert check_gate(old, new, GateLimits(max_row_loss_pct=30)).passed
    per_table = GateLimits(max_row_loss_pct=10, row_loss_pct_by_table={"market_daily": 25})
    assert check_gate(old, new, per_table).passed


def test_growth_is_not_loss(tmp_path):
    old = _release_without_rows(tmp_path, "market_daily", keep=2)
    new = publish_sample_release(tmp_path / "newer")
    assert check_gate(old, new, GateLimits(max_row_loss_pct=0)).passed


def test_column_removal_needs_a_major_version_bump(tmp_path):
    old = publish_sample_release(tmp_path / "old")
    new = publish_sample_release(tmp_path / "new", built_at=LATER)
    rewrite_table(new, "claims", lambda t: t.drop_columns(["reason"]))
    result = check_gate(old, new)
    assert not result.passed and "claims: columns removed ['reason']" in result.reasons[0]
    assert check_gate(old, new, GateLimits(allow_column_removal=True)).passed
    manifest = release.read_manifest(new)
    manifest["schema_version"] = "2.0"
    release.write_json(new / "manifest.json", manifest)
    assert check_gate(old, new).passed


def test_type_change_blocks(tmp_path):
    old = publish_sample_release(tmp_path / "old")
    new = publish_sample_release(tmp_path / "new", built_at=LATER)

    def widen(table: pa.Table) -> pa.Table:
        index = table.schema.get_field_index("start")
        return table.set_column(index, "start", table.column("start").cast(pa.int64()))

    rewrite_table(new, "numbers", widen)
    result = check_gate(old, new)
    assert result.reasons == (
        "numbers: column start changed type int32 → int64 without a major schema version bump",
    )


def test_verdict_change_cap(tmp_path):
    old = publish_sample_release(tmp_path / "old")
    tables = build_sample_tables()
    tables["claims"]["verdict"] = "contradicted"
    new = publish_sample_release(tmp_path / "new", tables, built_at=LATER)
    assert check_gate(old, new).passed, "no cap by default"
    result = check_gate(old, new, GateLimits(max_verdict_changes=1))
    assert result.to_dict() == {
        "passed": False,
        "reasons": ["claims: 3 verdicts changed (limit 1)"],
        "forced_reason": None,
    }


def test_force_keeps_the_reasons_and_records_why(tmp_path):
    old = publish_sample_release(tmp_path / "old")
    new = _release_without_rows(tmp_path, "market_daily", keep=1)
    blocked = check_gate(old, new)
    forced = blocked.force("  vendor dropped 3 symbols; re-added next week ")
    assert forced.passed and forced.reasons == blocked.reasons
    assert forced.to_dict()["forced_reason"] == "vendor dropped 3 symbols; re-added next week"
    with pytest.raises(ValueError, match="needs a reason"):
        blocked.force("  ")
