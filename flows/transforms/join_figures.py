"""Reference figures for one claim: computed from daily bars, or read from the facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from flows.calendar import TradingCalendar

BAR_METRICS = ("pct_change", "points_change", "market_cap_change", "close")
DATED_METRICS = (*BAR_METRICS, "net_worth", "net_worth_change")  # need an as_of session
SHARES_METRIC = "shares_outstanding"
FOUNDED_METRIC = "founded"
MONTHS_PER_UNIT = {"year": 12.0, "month": 1.0, "day": 12 / 365.25, "hour": 12 / (365.25 * 24)}
UNIT_ALIASES = {"percentage_point": "percent", "index points": "points"}


@dataclass(frozen=True)
class ClaimKey:
    """What a claim asks the reference for."""

    subject_id: str
    metric: str
    as_of: dt.date | None
    unit: str


@dataclass(frozen=True)
class Figure:
    """One reference figure in the claim's unit, with where it came from."""

    value: float
    basis: str
    source: str
    is_primary: bool
    label: str


FactIndex = dict[tuple[str, str], list[dict]]


@dataclass(frozen=True)
class Bar:
    close: float
    source: str


def index_bars(market_daily: pd.DataFrame) -> dict[tuple[str, dt.date], Bar]:
    """(symbol, date) → close and source, for constant-time lookups."""
    return {
        (symbol, day): Bar(float(close), str(source))
        for symbol, day, close, source in zip(
            market_daily["symbol"],
            market_daily["date"],
            market_daily["close"],
            market_daily["source"],
            strict=True,
        )
    }


def index_facts(facts: pd.DataFrame) -> FactIndex:
    """(subject_id, metric) → its fact rows, primary first, then by fact_id and variant.

    Built once per judged batch: filtering the facts frame per claim cost ~50 ms a claim.
    """
    index: FactIndex = {}
    for row in facts.to_dict(orient="records"):
        index.setdefault((row["subject_id"], row["metric"]), []).append(row)
    for rows in index.values():
        rows.sort(key=lambda row: (not row["is_primary"], row["fact_id"], row["variant"]))
    return index


def find_figures(
    key: ClaimKey, facts: FactIndex, bars: dict, calendar: TradingCalendar
) -> tuple[list[Figure], str]:
    """Figures for the claim (primary first), or none and the reason why."""
    if key.metric in ("pct_change", "points_change", "close"):
        return _bar_figures(key, facts, bars, calendar)
    if key.metric == "market_cap_change":
        return _market_cap_figures(key, facts, bars, calendar)
    if key.metric == "age":
        return _age_figures(key, facts)
    as_of = key.as_of.isoformat() if key.metric in DATED_METRICS else None
    figures = _fact_figures(key, facts, key.metric, as_of, skip_primary=False)
    if figures:
        return figures, ""
    return [], _no_reference(key, facts, key.metric, as_of)


def format_number(value: float) -> str:
    """Readable figure: billions as "bn", two decimals at most above 1, minus as U+2212."""
    size = abs(value)
    if size >= 1e9:
        text = f"{value / 1e9:.4g} bn"
    elif size >= 1e6:
        text = f"{value / 1e6:.4g} m"
    else:
        decimals = 2 if size >= 1 else 4
        text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
        text = "0" if text in ("", "-0") else text
    return text.replace("-", "−")


def _bar_figures(key, facts, bars, calendar) -> tuple[list[Figure], str]:
    previous = calendar.previous_session(key.as_of)
    today, before = bars.get((key.subject_id, key.as_of)), bars.get((key.subject_id, previous))
    unit = "points" if key.subject_id.startswith("^") else "USD"
    figures: list[Figure] = []
    wanted = _canonical_unit(key.unit)
    expected = {"pct_change": "percent", "points_change": "points", "close": unit}[key.metric]
    if wanted != expected and not (key.metric == "close" and wanted in ("USD", "points")):
        return [], f"{key.metric} of {key.subject_id} is in {expected}, the claim in {key.unit}"
    if today and key.metric == "close":
        label = f"close {format_number(today.close)} on {key.as_of}"
        figures.append(Figure(today.close, "reported", today.source, True, label))
    elif today and before:
        change = today.close - before.close
        value = change / before.close * 100 if key.metric == "pct_change" else change
        shown = format_number(value) + ("%" if key.metric == "pct_change" else " points")
        label = (
            f"close-to-close {shown} ({format_number(before.close)} → "
            f"{format_number(today.close)} on {key.as_of} vs {previous})"
        )
        source = _join_sources(today.source, before.source)
        figures.append(Figure(value, "reported", source, True, label))
    figures += _fact_figures(
        key, facts, key.metric, key.as_of.isoformat(), skip_primary=bool(figures)
    )
    if figures:
        return figures, ""
    return [], (
        f"no reference bars for {key.subject_id} on {key.as_of} and {previous}, "
        f"and no {key.metric} fact for that date"
    )


def _market_cap_figures(key, facts, bars, calendar) -> tuple[list[Figure], str]:
    if _canonical_unit(key.unit) != "USD":
        return [], f"market_cap_change of {key.subject_id} is in USD, the claim in {key.unit}"
    previous = calendar.previous_session(key.as_of)
    today, before = bars.get((key.subject_id, key.as_of)), bars.get((key.subject_id, previous))
    figures: list[Figure] = []
    if today and before:
        change = today.close - before.close
        shares = _rows(facts, key.subject_id, SHARES_METRIC, None)
        for row in (row for row in shares if row["as_of"] <= key.as_of.isoformat()):
            label = (
                f"shares {format_number(row['value'])} × close change {format_number(change)} "
                f"({format_number(before.close)} → {format_number(today.close)} on "
                f"{key.as_of} vs {previous}) = {format_number(row['value'] * change)}"
            )
            source = _join_sources(today.source, before.source, f"shares: {row['source']}")
            figures.append(
                Figure(row["value"] * change, row["basis"], source, row["is_primary"], label)
            )
    reported = _fact_figures(
        key, facts, key.metric, key.as_of.isoformat(), skip_primary=False, demote=bool(figures)
    )
    figures += reported
    if figures:
        return figures, ""
    return [], (
        f"no market_cap_change reference for {key.subject_id} on {key.as_of}: "
        f"needs bars for {key.as_of} and {previous} and a {SHARES_METRIC} fact, "
        "or a reported figure"
    )


def _age_figures(key: ClaimKey, facts: FactIndex) -> tuple[list[Figure], str]:
    if _canonical_unit(key.unit) not in MONTHS_PER_UNIT:
        return [], f"age is a duration, the claim is in {key.unit}"
    rows = _rows(facts, key.subject_id, FOUNDED_METRIC, None)
    figures = []
    for row in rows:
        months = _months_since(row["value_text"] or "", key.as_of)
        if months is None:
            continue  # a founding year alone is too coarse for an age in months
        value = months / MONTHS_PER_UNIT[_canonical_unit(key.unit)]
        label = (
            f"age {format_number(value)} {key.unit}(s): founded {row['value_text']}, "
            f"as of {key.as_of} (whole calendar months)"
        )
        figures.append(Figure(value, row["basis"], row["source"], row["is_primary"], label))
    if figures:
        return figures, ""
    return [], f"no founding date (year-month) for {key.subject_id} in the reference facts"


def _fact_figures(
    key: ClaimKey,
    facts: FactIndex,
    metric: str,
    as_of: str | None,
    skip_primary: bool,
    demote: bool = False,
) -> list[Figure]:
    figures = []
    for row in _rows(facts, key.subject_id, metric, as_of):
        if skip_primary and row["is_primary"]:
            continue  # the same figure is computed from the bars
        value = _convert(row["value"], row["unit"], key.unit)
        if value is None:
            continue
        kind = "primary" if row["is_primary"] and not demote else f"{row['basis']} variant"
        label = f"{metric} {format_number(value)} {key.unit} ({row['fact_id']}, {kind})"
        is_primary = bool(row["is_primary"]) and not demote
        figures.append(Figure(value, row["basis"], row["source"], is_primary, label))
    return figures


def _rows(facts: FactIndex, subject_id: str, metric: str, as_of: str | None) -> list[dict]:
    rows = facts.get((subject_id, metric), [])
    return rows if as_of is None else [row for row in rows if row["as_of"] == as_of]


def _no_reference(key: ClaimKey, facts: FactIndex, metric: str, as_of: str | None) -> str:
    rows = _rows(facts, key.subject_id, metric, as_of)
    when = f" on {as_of}" if as_of else ""
    if not rows:
        return f"no reference figure for {key.subject_id} {metric}{when}"
    units = ", ".join(sorted({row["unit"] for row in rows}))
    return f"reference {metric} of {key.subject_id}{when} is in {units}, the claim in {key.unit}"


def _convert(value: float, from_unit: str, to_unit: str) -> float | None:
    if value is None or pd.isna(value):
        return None
    source, target = _canonical_unit(from_unit), _canonical_unit(to_unit)
    if source == target:
        return float(value)
    if source in MONTHS_PER_UNIT and target in MONTHS_PER_UNIT:
        return float(value) * MONTHS_PER_UNIT[source] / MONTHS_PER_UNIT[target]
    return None


def _canonical_unit(unit: str) -> str:
    return UNIT_ALIASES.get(unit, unit)


def _months_since(text: str, day: dt.date) -> float | None:
    parts = text.split("-")
    if len(parts) < 2 or not all(part.isdigit() for part in parts):
        return None
    months = (day.year - int(parts[0])) * 12 + (day.month - int(parts[1]))
    return float(months)


def _join_sources(*sources: str) -> str:
    seen: list[str] = []
    for source in sources:
        if source not in seen:
            seen.append(source)
    return " | ".join(seen)
