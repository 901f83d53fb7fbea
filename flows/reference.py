"""Reference snapshots on disk: load and verify one, or write a new one atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from flows import paths, schemas
from flows.errors import ReferenceDataError
from flows.providers import MarketDataProvider

SNAPSHOT_FILE = "snapshot.json"
MARKET_DAILY_FILE = "market_daily.csv"
FACTS_FILE = "facts.jsonl"
DATA_FILES = (MARKET_DAILY_FILE, FACTS_FILE)  # the files the content hash covers, in this order
FACT_COLUMNS = (
    "fact_id",  # one fact; its primary figure and variants share it
    "variant",  # 0 for the primary figure, 1.. for variants
    "is_primary",
    "subject_id",  # canonical id: ticker, ^index or slug
    "metric",  # schemas.METRICS where one fits, else a name of its own
    "as_of",  # ISO date, possibly partial ("2003", "2023-07")
    "value",  # float in base units (USD, percent, count …); null for date-valued facts
    "value_text",  # date-valued facts ("founded": "2023-07"), else null
    "unit",
    "basis",  # one of BASES
    "source",
    "note",
)
BASES = ("reported", "intraday", "premarket", "real-time")
MARKET_DAILY_COLUMNS = tuple(schemas.MARKET_DAILY.names)
_VERSION_PATTERN = re.compile(r"^(\d{4})\.(\d{2})\.(\d{2})-(\d+)$")


@dataclass(frozen=True)
class ReferenceSnapshot:
    """One verified snapshot: daily bars (schemas.MARKET_DAILY columns) and facts (FACT_COLUMNS)."""

    version: str
    content_hash: str
    path: Path | None
    market_daily: pd.DataFrame
    facts: pd.DataFrame

    @property
    def symbols(self) -> tuple[str, ...]:
        return tuple(sorted(self.market_daily["symbol"].unique()))

    @property
    def date_range(self) -> tuple[dt.date, dt.date] | None:
        if self.market_daily.empty:
            return None
        return min(self.market_daily["date"]), max(self.market_daily["date"])


def load_reference(
    reference_dir: Path | None = None, version: str | None = None
) -> ReferenceSnapshot:
    """The requested (or newest) snapshot under `reference_dir`, its content hash verified."""
    root = Path(reference_dir) if reference_dir is not None else paths.REFERENCE_DIR
    versions = list_versions(root)
    if not versions:
        raise ReferenceDataError(f"no reference snapshot found under {root}")
    chosen = version or versions[-1]
    if chosen not in versions:
        raise ReferenceDataError(
            f"reference snapshot {chosen!r} not found under {root} (have: {', '.join(versions)})"
        )
    return read_snapshot(root / chosen)


def list_versions(reference_dir: Path) -> list[str]:
    """Snapshot version directories (YYYY.MM.DD-N), oldest first; temp and other dirs ignored."""
    if not reference_dir.is_dir():
        return []
    names = [p.name for p in reference_dir.iterdir() if p.is_dir() and _version_key(p.name)]
    return sorted(names, key=_version_key)


def read_snapshot(path: Path) -> ReferenceSnapshot:
    """Read one snapshot directory; raise ReferenceDataError when missing, corrupt or tampered."""
    manifest_path = path / SNAPSHOT_FILE
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        data = {name: (path / name).read_bytes() for name in DATA_FILES}
    except FileNotFoundError as error:
        raise ReferenceDataError(f"reference snapshot {path} is incomplete: {error}") from error
    except json.JSONDecodeError as error:
        raise ReferenceDataError(f"{manifest_path} is not valid JSON: {error}") from error
    actual = content_hash(data)
    if manifest.get("content_hash") != actual:
        raise ReferenceDataError(
            f"reference snapshot {path} fails its content hash: "
            f"{SNAPSHOT_FILE} says {manifest.get('content_hash')}, files hash to {actual}"
        )
    return _snapshot_from_bytes(data, str(manifest.get("version", path.name)), path)


def make_snapshot(
    market_daily: pd.DataFrame, facts: pd.DataFrame, version: str = "in-memory"
) -> ReferenceSnapshot:
    """A validated in-memory snapshot (tests, fixtures); hashed exactly as it would be on disk."""
    data = _serialize(market_daily, facts)
    return _snapshot_from_bytes(data, version, None)


def content_hash(data: dict[str, bytes]) -> str:
    """sha256 over each data file's name and sha256, in DATA_FILES order (stable, order-free)."""
    lines = "".join(f"{hashlib.sha256(data[name]).hexdigest()}  {name}\n" for name in DATA_FILES)
    return "sha256:" + hashlib.sha256(lines.encode("utf-8")).hexdigest()


def write_snapshot(
    reference_dir: Path,
    version: str,
    market_daily: pd.DataFrame,
    facts: pd.DataFrame,
    provenance: dict[str, Any],
    created: dt.datetime,
    sources_md: str = "",
) -> ReferenceSnapshot:
    """Write a new snapshot atomically: temp dir beside, validate, then os.replace into place."""
    if _version_key(version) is None:
        raise ReferenceDataError(f"snapshot version {version!r} is not of the form YYYY.MM.DD-N")
    target = reference_dir / version
    if target.exists():
        raise ReferenceDataError(f"reference snapshot {target} already exists; not overwritten")
    reference_dir.mkdir(parents=True, exist_ok=True)
    data = _serialize(market_daily, facts)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{version}-", dir=reference_dir))
    try:
        for name, payload in data.items():
            (staging / name).write_bytes(payload)
        if sources_md:
            (staging / "SOURCES.md").write_text(sources_md, encoding="utf-8")
        manifest = {
            "version": version,
            "created": created.isoformat(timespec="seconds"),
            "content_hash": content_hash(data),
            "files": {name: hashlib.sha256(data[name]).hexdigest() for name in DATA_FILES},
            "provenance": provenance,
        }
        (staging / SNAPSHOT_FILE).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        read_snapshot(staging)  # validate exactly what will be published
        os.replace(staging, target)
    except OSError as error:
        raise ReferenceDataError(f"could not write reference snapshot {target}: {error}") from error
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return read_snapshot(target)


def update_reference(
    provider: MarketDataProvider,
    symbols: list[str],
    start: dt.date,
    end: dt.date,
    reference_dir: Path | None = None,
    *,
    now: dt.datetime | None = None,
) -> ReferenceSnapshot:
    """Fetch bars, merge them over the newest snapshot (fetched rows win) and publish a new one."""
    root = Path(reference_dir) if reference_dir is not None else paths.REFERENCE_DIR
    base = load_reference(root)
    fetched = _normalize_market_daily(provider.fetch_daily(symbols, start, end))
    _check_market_daily(fetched, what=f"provider {provider.name}")
    fetched_keys = set(zip(fetched["symbol"], fetched["date"], strict=True))
    old_keys = zip(base.market_daily["symbol"], base.market_daily["date"], strict=True)
    kept = base.market_daily[[key not in fetched_keys for key in old_keys]]
    merged = pd.concat([kept, fetched], ignore_index=True)
    moment = now or dt.datetime.now(dt.UTC)
    version = next_version(list_versions(root), moment.date())
    provenance = {
        "based_on": {"version": base.version, "content_hash": base.content_hash},
        MARKET_DAILY_FILE: (
            f"{len(fetched)} rows for {', '.join(sorted(set(symbols)))} "
            f"{start.isoformat()} … {end.isoformat()} from {provider.name}; "
            f"other rows from snapshot {base.version}"
        ),
        FACTS_FILE: f"unchanged from snapshot {base.version}",
    }
    sources_md = _read_text_or_empty(base.path / "SOURCES.md") if base.path else ""
    return write_snapshot(root, version, merged, base.facts, provenance, moment, sources_md)


def next_version(existing: list[str], today: dt.date) -> str:
    """Today's first free version (YYYY.MM.DD-N), always sorting after every existing one."""
    stem = today.strftime("%Y.%m.%d")
    candidate = f"{stem}-1"
    if existing and _version_key(candidate) <= _version_key(existing[-1]):
        newest_stem, newest_n = existing[-1].rsplit("-", 1)
        candidate = f"{newest_stem}-{int(newest_n) + 1}"
    while candidate in existing:
        stem_part, n = candidate.rsplit("-", 1)
        candidate = f"{stem_part}-{int(n) + 1}"
    return candidate


def _version_key(name: str) -> tuple[int, ...] | None:
    match = _VERSION_PATTERN.match(name)
    return tuple(int(part) for part in match.groups()) if match else None


def _read_text_or_empty(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _serialize(market_daily: pd.DataFrame, facts: pd.DataFrame) -> dict[str, bytes]:
    bars = _normalize_market_daily(market_daily)
    bars = bars.sort_values(["symbol", "date"], kind="mergesort")
    bars = bars.assign(date=bars["date"].map(lambda day: day.isoformat()))
    csv_text = bars.to_csv(index=False, lineterminator="\n")
    ordered = _normalize_facts(facts).sort_values(["fact_id", "variant"], kind="mergesort")
    lines = [
        json.dumps({key: _json_value(row[key]) for key in FACT_COLUMNS}, ensure_ascii=False)
        for row in ordered.to_dict(orient="records")
    ]
    facts_text = "".join(line + "\n" for line in lines)
    return {MARKET_DAILY_FILE: csv_text.encode("utf-8"), FACTS_FILE: facts_text.encode("utf-8")}


def _snapshot_from_bytes(data: dict[str, bytes], version: str, path: Path | None):
    try:
        bars = pd.read_csv(
            io.BytesIO(data[MARKET_DAILY_FILE]),
            dtype={"symbol": str, "source": str, "volume": "Int64"},
            keep_default_na=False,
            na_values=[""],
        )
        records = [json.loads(line) for line in data[FACTS_FILE].decode("utf-8").splitlines()]
    except (ValueError, UnicodeDecodeError) as error:
        raise ReferenceDataError(f"reference snapshot {version} is corrupt: {error}") from error
    if tuple(bars.columns) != MARKET_DAILY_COLUMNS:
        raise ReferenceDataError(
            f"{MARKET_DAILY_FILE} of snapshot {version} has columns {list(bars.columns)}, "
            f"expected {list(MARKET_DAILY_COLUMNS)}"
        )
    bars = _normalize_market_daily(bars)
    facts = _normalize_facts(pd.DataFrame.from_records(records, columns=list(FACT_COLUMNS)))
    _check_market_daily(bars, what=f"snapshot {version}")
    _check_facts(facts, version)
    return ReferenceSnapshot(version, content_hash(data), path, bars, facts)


def _normalize_market_daily(frame: pd.DataFrame) -> pd.DataFrame:
    missing = [column for column in MARKET_DAILY_COLUMNS if column not in frame.columns]
    if missing:
        raise ReferenceDataError(f"market data lacks columns {missing}")
    out = frame[list(MARKET_DAILY_COLUMNS)].copy()
    out["date"] = [dt.date.fromisoformat(str(day)[:10]) for day in out["date"]]
    for column in ("open", "high", "low", "close"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    out["volume"] = pd.to_numeric(out["volume"], errors="coerce").astype("Int64")
    out["symbol"] = out["symbol"].astype(object)
    out["source"] = out["source"].astype(object)
    return out.sort_values(["symbol", "date"], kind="mergesort").reset_index(drop=True)


def _normalize_facts(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[list(FACT_COLUMNS)].copy()
    out["variant"] = out["variant"].astype("int64")
    out["is_primary"] = out["is_primary"].astype(bool)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    for column in ("fact_id", "subject_id", "metric", "as_of", "unit", "basis", "source"):
        out[column] = out[column].astype(str)
    for column in ("value_text", "note"):
        out[column] = [None if pd.isna(item) else str(item) for item in out[column]]
    return out.sort_values(["fact_id", "variant"], kind="mergesort").reset_index(drop=True)


def _check_market_daily(bars: pd.DataFrame, what: str) -> None:
    if bars["close"].isna().any():
        raise ReferenceDataError(f"{what}: market data has rows without a close")
    if bars["source"].isna().any() or (bars["source"].str.strip() == "").any():
        raise ReferenceDataError(f"{what}: market data has rows without a source")
    duplicated = bars[bars.duplicated(["symbol", "date"], keep=False)]
    if not duplicated.empty:
        first = duplicated.iloc[0]
        raise ReferenceDataError(
            f"{what}: duplicate market rows for {first['symbol']} on {first['date'].isoformat()}"
        )


def _check_facts(facts: pd.DataFrame, version: str) -> None:
    if facts.duplicated(["fact_id", "variant"]).any():
        raise ReferenceDataError(f"snapshot {version}: duplicate (fact_id, variant) in facts")
    primaries = facts.groupby("fact_id")["is_primary"].sum()
    wrong = sorted(primaries[primaries != 1].index)
    if wrong:
        raise ReferenceDataError(
            f"snapshot {version}: facts without exactly one primary figure: {wrong[:5]}"
        )
    bad_basis = sorted(set(facts["basis"]) - set(BASES))
    if bad_basis:
        raise ReferenceDataError(f"snapshot {version}: unknown fact basis {bad_basis}")
    valueless = facts["value"].isna() & facts["value_text"].isna()
    if valueless.any():
        raise ReferenceDataError(
            f"snapshot {version}: facts without a value: {sorted(facts[valueless]['fact_id'])[:5]}"
        )


def _json_value(item: Any) -> Any:
    if item is None or (isinstance(item, float) and pd.isna(item)):
        return None
    if hasattr(item, "item"):  # numpy scalar
        return item.item()
    return item
