"""Reference snapshots: the vendored one verifies; corrupt ones fail clearly; updates are atomic."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from flows import paths, schemas
from flows.errors import ReferenceDataError
from flows.reference import (
    FACT_COLUMNS,
    list_versions,
    load_reference,
    make_snapshot,
    next_version,
    read_snapshot,
    update_reference,
    write_snapshot,
)

VENDORED = "2025.01.31-1"
NOW = dt.datetime(2025, 2, 3, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def reference_dir(tmp_path: Path) -> Path:
    root = tmp_path / "reference"
    root.mkdir()
    shutil.copytree(paths.REFERENCE_DIR / VENDORED, root / VENDORED)
    return root


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_vendored_snapshot_loads_and_hash_verifies():
    snapshot = load_reference()
    manifest = json.loads((snapshot.path / "snapshot.json").read_text(encoding="utf-8"))
    assert snapshot.version == manifest["version"] == list_versions(paths.REFERENCE_DIR)[-1]
    assert snapshot.content_hash == manifest["content_hash"]
    assert list(snapshot.market_daily.columns) == list(schemas.MARKET_DAILY.names)
    assert all(isinstance(day, dt.date) for day in snapshot.market_daily["date"])
    assert snapshot.market_daily["source"].str.len().min() > 0
    assert list(snapshot.facts.columns) == list(FACT_COLUMNS)
    assert snapshot.date_range == (dt.date(2025, 1, 17), dt.date(2025, 1, 31))
    assert {"NVDA", "^IXIC", "^GSPC"} <= set(snapshot.symbols)


def test_vendored_facts_follow_conventions():
    facts = load_reference().facts
    assert set(facts["basis"]) <= {"reported", "intraday", "premarket", "real-time"}
    assert (facts.groupby("fact_id")["is_primary"].sum() == 1).all()
    known = set(schemas.METRICS)
    market = facts[facts["metric"].isin(known)]
    assert {"deepseek", "deepseek-r1", "human-genome-project", "sputnik-1", "jensen-huang"} <= set(
        market["subject_id"]
    )
    ratios = facts[facts["metric"] == "price_ratio"]
    assert len(ratios) >= 3 and ratios["value"].between(0, 100).all()  # percent, not ratio
    mcap = facts[facts["metric"] == "market_cap_change"]
    assert mcap["value"].abs().max() > 1e11  # base units, not "USD billion"


def test_make_snapshot_hash_matches_disk(reference_dir):
    on_disk = read_snapshot(reference_dir / VENDORED)
    in_memory = make_snapshot(on_disk.market_daily, on_disk.facts)
    assert in_memory.content_hash == on_disk.content_hash


def test_tampered_file_fails_hash(reference_dir):
    bars = reference_dir / VENDORED / "market_daily.csv"
    bars.write_text(bars.read_text().replace("118.42", "118.43"), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="fails its content hash"):
        load_reference(reference_dir)


@pytest.mark.parametrize("victim", ["facts.jsonl", "snapshot.json"])
def test_missing_file(reference_dir, victim):
    (reference_dir / VENDORED / victim).unlink()
    with pytest.raises(ReferenceDataError, match="incomplete"):
        load_reference(reference_dir)


def test_corrupt_manifest(reference_dir):
    (reference_dir / VENDORED / "snapshot.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="not valid JSON"):
        load_reference(reference_dir)


def test_missing_dir_and_unknown_version(tmp_path, reference_dir):
    with pytest.raises(ReferenceDataError, match="no reference snapshot found"):
        load_reference(tmp_path / "nowhere")
    with pytest.raises(ReferenceDataError, match="not found.*have: 2025.01.31-1"):
        load_reference(reference_dir, version="1999.01.01-1")


def test_newest_version_by_version_sort(reference_dir):
    for name in ("2025.01.31-2", "2025.01.31-10", ".staging-x", "notes"):
        shutil.copytree(reference_dir / VENDORED, reference_dir / name)
    assert list_versions(reference_dir) == [VENDORED, "2025.01.31-2", "2025.01.31-10"]
    assert load_reference(reference_dir).version == VENDORED  # version read from snapshot.json
    assert load_reference(reference_dir).path.name == "2025.01.31-10"


def test_next_version():
    assert next_version([], dt.date(2025, 2, 3)) == "2025.02.03-1"
    assert next_version(["2025.02.03-1"], dt.date(2025, 2, 3)) == "2025.02.03-2"
    assert next_version(["2025.03.01-4"], dt.date(2025, 2, 3)) == "2025.03.01-5"


class FakeProvider:
    name = "fake"

    def __init__(self, frame: pd.DataFrame | None = None, error: Exception | None = None):
        self.frame, self.error = frame, error

    def fetch_daily(self, symbols, start, end):
        if self.error:
            raise self.error
        return self.frame


def _bars(rows):
    return pd.DataFrame(
        [
            {
                "symbol": s,
                "date": d,
                "open": None,
                "high": None,
                "low": None,
                "close": c,
                "volume": None,
                "source": src,
            }
            for s, d, c, src in rows
        ]
    )


def test_update_writes_new_version_and_keeps_old(reference_dir):
    before = _tree(reference_dir / VENDORED)
    fresh = _bars(
        [
            ("NVDA", dt.date(2025, 1, 31), 120.5, "fake feed"),
            ("NVDA", dt.date(2025, 2, 3), 116.66, "fake feed"),
        ]
    )
    snapshot = update_reference(
        FakeProvider(fresh),
        ["NVDA"],
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 3),
        reference_dir,
        now=NOW,
    )
    assert snapshot.version == "2025.02.03-1"
    assert list_versions(reference_dir) == [VENDORED, "2025.02.03-1"]
    assert _tree(reference_dir / VENDORED) == before
    bars = snapshot.market_daily.set_index(["symbol", "date"])
    assert bars.loc[("NVDA", dt.date(2025, 1, 31)), "close"] == 120.5  # fetched row wins
    assert bars.loc[("NVDA", dt.date(2025, 2, 3)), "source"] == "fake feed"
    assert bars.loc[("NVDA", dt.date(2025, 1, 27)), "close"] == 118.42  # old rows kept
    old = read_snapshot(reference_dir / VENDORED)
    assert snapshot.facts.equals(old.facts)
    manifest = json.loads((snapshot.path / "snapshot.json").read_text(encoding="utf-8"))
    assert manifest["provenance"]["based_on"]["version"] == VENDORED
    assert (snapshot.path / "SOURCES.md").is_file()
    assert load_reference(reference_dir).version == "2025.02.03-1"


@pytest.mark.parametrize(
    "provider",
    [
        FakeProvider(error=ReferenceDataError("provider unreachable")),
        FakeProvider(_bars([("NVDA", dt.date(2025, 2, 3), None, "fake feed")])),
        FakeProvider(_bars([("NVDA", dt.date(2025, 2, 3), 1.0, "")])),
        FakeProvider(
            _bars(
                [("NVDA", dt.date(2025, 2, 3), 1.0, "a"), ("NVDA", dt.date(2025, 2, 3), 2.0, "b")]
            )
        ),
    ],
)
def test_failed_update_leaves_nothing_new(reference_dir, provider):
    before = _tree(reference_dir)
    with pytest.raises(ReferenceDataError):
        update_reference(
            provider, ["NVDA"], dt.date(2025, 2, 3), dt.date(2025, 2, 3), reference_dir, now=NOW
        )
    assert _tree(reference_dir) == before
    assert sorted(p.name for p in reference_dir.iterdir()) == [VENDORED]


def test_invalid_facts_are_not_published(reference_dir):
    old = read_snapshot(reference_dir / VENDORED)
    facts = old.facts.copy()
    facts.loc[facts.index[1], "is_primary"] = True  # a second primary figure for one fact
    before = _tree(reference_dir)
    with pytest.raises(ReferenceDataError, match="exactly one primary"):
        write_snapshot(reference_dir, "2025.02.03-1", old.market_daily, facts, {}, NOW)
    assert _tree(reference_dir) == before


def test_failed_rename_cleans_staging(reference_dir, monkeypatch):
    def refuse(source, target):
        raise OSError("disk full")

    monkeypatch.setattr("flows.reference.os.replace", refuse)
    before = _tree(reference_dir)
    fresh = _bars([("NVDA", dt.date(2025, 2, 3), 116.66, "fake feed")])
    with pytest.raises(ReferenceDataError, match="could not write.*disk full"):
        update_reference(
            FakeProvider(fresh),
            ["NVDA"],
            dt.date(2025, 2, 3),
            dt.date(2025, 2, 3),
            reference_dir,
            now=NOW,
        )
    assert _tree(reference_dir) == before
    assert sorted(p.name for p in reference_dir.iterdir()) == [VENDORED]
