"""Reference snapshot files: serialization, content hash and sanity checks (no I/O here)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from typing import Any

import pandas as pd

from flows import schemas
from flows.errors import ReferenceDataError

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


def content_hash(data: dict[str, bytes]) -> str:
    """sha256 over each data file's name and sha256, in DATA_FILES order (stable, order-free)."""
    lines = "".join(f"{hashlib.sha256(data[name]).hexdigest()}  {name}\n" for name in DATA_FILES)
    return "sha256:" + hashlib.sha256(lines.encode("utf-8")).hexdigest()


def serialize_snapshot(market_daily: pd.DataFrame, facts: pd.DataFrame) -> dict[str, bytes]:
    """Data file name → bytes: bars as CSV sorted by (symbol, date), facts as sorted JSON Lines."""
    return _serialize(market_daily, facts)


def decode_snapshot(data: dict[str, bytes], version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Data file bytes → (market_daily, facts), normalized and sanity-checked."""
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
    bars = normalize_market_daily(bars)
    facts = _normalize_facts(pd.DataFrame.from_records(records, columns=list(FACT_COLUMNS)))
    check_market_daily(bars, what=f"snapshot {version}")
    _check_facts(facts, version)
    return bars, facts


def _serialize(market_daily: pd.DataFrame, facts: pd.DataFrame) -> dict[str, bytes]:
    bars = normalize_market_daily(market_daily)
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


def normalize_market_daily(frame: pd.DataFrame) -> pd.DataFrame:
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


def check_market_daily(bars: pd.DataFrame, what: str) -> None:
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
