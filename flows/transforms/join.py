"""Judge extracted claims against reference data: tolerance, reference figure, verdict, reason.

A claim states a point (value) or an interval (lower/upper: 跌幅超过10% is below −10); the
distance is |stated − reference| for a point, and how far the reference lies outside the
interval for a bound (0 inside). Tolerances, in the claim's unit (precision = size of the
last stated digit, "17%" → 1):
- supported:    distance ≤ precision / 2  ("17%" → ±0.5 pp, "3.25%" → ±0.005 pp); past an
                open bound (超过, 不到) the distance must stay below precision / 2
- approximate:  distance ≤ max(1 × precision, APPROXIMATE_RELATIVE (5%) of |reference|), or
                HEDGED_RELATIVE (10%) of |reference| when the text hedges the figure
                (is_approximate: 近, 约, 多, 超过, 至少 …); calendar years get 1 × precision
- contradicted: further off, or the opposite sign (a stated fall against a reference rise)
- unverifiable: no reference for the subject/metric/date, no as_of (date_reason given), or as_of
                not an exchange session for dated metrics; a claim is never moved to another day.
The figures that can support a claim are the primary figure and the variants with basis
"reported" (end-of-day); when they disagree the stated figure or interval is compared with
their range [min, max] (a bound any of them meets is supported) and the reason says so.
Intraday, premarket and real-time variants never support a claim: a figure matching only one
of them is contradicted and the reason names that level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from flows import schemas
from flows.calendar import TradingCalendar
from flows.transforms.join_figures import (
    BAR_METRICS,
    DATED_METRICS,
    ClaimKey,
    FactIndex,
    Figure,
    find_figures,
    format_number,
    index_bars,
    index_facts,
)
from flows.transforms.join_stated import Stated

if TYPE_CHECKING:
    from flows.reference import ReferenceSnapshot

SUPPORTED_FRACTION_OF_PRECISION = 0.5
APPROXIMATE_PRECISIONS = 1.0
APPROXIMATE_RELATIVE = 0.05
HEDGED_RELATIVE = 0.10
END_OF_DAY_BASES = frozenset({"reported"})
INTERVAL_METRICS = frozenset({"year"})  # a calendar year has no relative size: 1 × precision only
_EPSILON = 1e-9


@dataclass(frozen=True)
class Judgement:
    """What the join adds to one claim."""

    tolerance: float
    reference_value: float | None
    reference_source: str | None
    verdict: str
    reason: str


def judge_claims(
    claims: pd.DataFrame, reference: ReferenceSnapshot, calendar: TradingCalendar
) -> pd.DataFrame:
    """Claims (schemas.CLAIM_EXTRACTION_COLUMNS) → schemas.CLAIMS rows, sorted by claim_id."""
    bars, facts = index_bars(reference.market_daily), index_facts(reference.facts)
    judgements = [
        judge_claim(record, facts, bars, calendar) for record in claims.to_dict(orient="records")
    ]
    out = claims.copy()
    out["as_of"] = [_as_date(item) for item in out["as_of"]]
    out["tolerance"] = [item.tolerance for item in judgements]
    out["reference_value"] = pd.array(
        [item.reference_value for item in judgements], dtype="Float64"
    ).astype("float64")
    out["reference_source"] = [item.reference_source for item in judgements]
    out["verdict"] = [item.verdict for item in judgements]
    out["reason"] = [item.reason for item in judgements]
    out = out[list(schemas.CLAIMS.names)]
    return out.sort_values("claim_id", kind="mergesort").reset_index(drop=True)


def select_market_rows(
    claims: pd.DataFrame, reference: ReferenceSnapshot, calendar: TradingCalendar | None = None
) -> pd.DataFrame:
    """The MARKET_DAILY rows bar verdicts use: each as_of session and the one before it."""
    calendar = calendar or TradingCalendar()
    wanted: set[tuple[str, dt.date]] = set()
    distinct = claims[["subject_id", "metric", "as_of"]].drop_duplicates()  # few, of many claims
    for record in distinct.to_dict(orient="records"):
        day = _as_date(record["as_of"])
        if record["metric"] in BAR_METRICS and day is not None and calendar.is_session(day):
            wanted.add((record["subject_id"], day))
            wanted.add((record["subject_id"], calendar.previous_session(day)))
    bars = reference.market_daily
    keys = zip(bars["symbol"], bars["date"], strict=True)
    chosen = bars[[key in wanted for key in keys]]
    return chosen.sort_values(["symbol", "date"], kind="mergesort").reset_index(drop=True)


def judge_claim(claim: dict, facts: FactIndex, bars: dict, calendar: TradingCalendar) -> Judgement:
    """One claim's judgement (a dict with CLAIM_EXTRACTION_COLUMNS keys; `index_facts` facts)."""
    value = float(claim["value"])
    precision = _precision(claim.get("precision"), value)
    tolerance = precision * SUPPORTED_FRACTION_OF_PRECISION
    key = ClaimKey(
        subject_id=str(claim["subject_id"]),
        metric=str(claim["metric"]),
        as_of=_as_date(claim["as_of"]),
        unit=str(claim["unit"]),
    )
    if key.as_of is None and (key.metric in DATED_METRICS or key.metric == "age"):
        why = claim.get("date_reason") or "the claim has no date"
        return Judgement(tolerance, None, None, "unverifiable", f"no as_of date: {why}")
    if key.metric in DATED_METRICS:
        why = calendar.non_session_reason(key.as_of)
        if why:
            reason = f"{why}; the claim is not moved to another session"
            return Judgement(tolerance, None, None, "unverifiable", reason)
    figures, problem = find_figures(key, facts, bars, calendar)
    if not figures:
        return Judgement(tolerance, None, None, "unverifiable", problem)
    stated = Stated.of_claim(claim, value)
    hedged = bool(claim.get("is_approximate"))
    relative = key.metric not in INTERVAL_METRICS
    slack = _EPSILON * max(1.0, abs(value))
    return _judge_against(stated, precision, slack, hedged and relative, relative, figures)


def _judge_against(
    stated: Stated,
    precision: float,
    slack: float,
    hedged: bool,
    relative: bool,
    figures: list[Figure],
) -> Judgement:
    tolerance = precision * SUPPORTED_FRACTION_OF_PRECISION
    end_of_day = [item for item in figures if item.is_primary or item.basis in END_OF_DAY_BASES]
    others = [item for item in figures if not (item.is_primary or item.basis in END_OF_DAY_BASES)]
    if not end_of_day:
        levels = ", ".join(f"{item.basis} {format_number(item.value)}" for item in others)
        reason = f"no end-of-day or reported figure, only {levels}"
        return Judgement(tolerance, None, None, "unverifiable", reason)
    primary = next((item for item in end_of_day if item.is_primary), end_of_day[0])
    low = min(item.value for item in end_of_day)
    high = max(item.value for item in end_of_day)
    distance, closed = stated.miss(low, high)  # 0 when a figure, or the range, meets it
    closest = min(end_of_day, key=lambda item: (stated.miss(item.value)[0], not item.is_primary))
    approximate_tolerance = max(
        APPROXIMATE_PRECISIONS * precision,
        APPROXIMATE_RELATIVE * abs(closest.value) if relative else 0.0,
        HEDGED_RELATIVE * abs(closest.value) if hedged else 0.0,
    )
    sign = stated.sign()
    opposite = sign != 0 and all(item.value * sign < 0 for item in end_of_day)
    # past an open bound (超过10%) the edge itself is not reached: strictly below the tolerance
    within = distance <= tolerance + slack if closed else distance < tolerance
    if opposite:
        verdict = "contradicted"
    elif within:
        verdict = "supported"
    elif distance <= approximate_tolerance + slack:
        verdict = "approximate"
    else:
        verdict = "contradicted"
    at_edge = " at the bound" if stated.is_bound else ""
    parts = [
        f"{primary.label}; stated {stated.describe()} ± {format_number(tolerance)}{at_edge}"
        f" → {verdict}"
    ]
    if format_number(high) != format_number(low):
        meets = "the stated bound meets" if stated.is_bound else "stated within"
        inside = f", {meets} that range" if distance == 0 else ""
        parts.append(
            f"end-of-day/reported figures disagree ({len(end_of_day)}): "
            f"{format_number(low)} … {format_number(high)}{inside}"
        )
    if closest is not primary:
        parts.append(f"closest figure {format_number(closest.value)} used as reference_value")
    if opposite:
        stated_word, reference_word = ("a fall", "a rise") if sign < 0 else ("a rise", "a fall")
        parts.append(f"opposite sign: stated {stated_word}, reference {reference_word}")
    if verdict == "approximate":
        rule = "1 × precision"
        if relative:
            rule += f", {APPROXIMATE_RELATIVE:.0%} of reference"
        if hedged:
            rule += f", {HEDGED_RELATIVE:.0%} as hedged"
        parts.append(
            f"within the approximate tolerance ±{format_number(approximate_tolerance)} "
            f"(max of {rule})"
        )
    if verdict != "supported":
        gap = stated.miss(closest.value)[0]
        parts.extend(_other_levels(stated, tolerance + slack, gap, others))
    return Judgement(tolerance, closest.value, closest.source, verdict, "; ".join(parts))


def _other_levels(stated: Stated, tolerance: float, gap: float, others: list[Figure]) -> list[str]:
    """Name the intraday/premarket/real-time levels the stated figure matches or is nearer to."""
    matching = [item for item in others if stated.miss(item.value)[0] <= tolerance]
    if matching:
        return [
            f"it matches the {item.basis} level {format_number(item.value)} ({item.source}), "
            "not an end-of-day figure"
            for item in matching
        ]
    nearer = [item for item in others if stated.miss(item.value)[0] < gap]
    if not nearer:
        return []
    nearest = min(nearer, key=lambda item: stated.miss(item.value)[0])
    return [
        f"nearer to the {nearest.basis} level {format_number(nearest.value)} "
        f"({nearest.source}), which does not count as end-of-day"
    ]


def _precision(raw: object, stated: float) -> float:
    if raw is not None and not pd.isna(raw) and float(raw) > 0:
        return float(raw)
    return _infer_precision(stated)


def _infer_precision(value: float) -> float:
    """Size of the last significant digit of `value` as written by repr (fallback only)."""
    text = repr(abs(value))
    if "e" in text or "E" in text:
        mantissa, exponent = text.lower().split("e")
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return 10.0 ** (int(exponent) - decimals)
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if fraction:
        return 10.0 ** -len(fraction)
    stripped = whole.rstrip("0")
    return 10.0 ** (len(whole) - len(stripped)) if stripped else 1.0


def _as_date(item: object) -> dt.date | None:
    if item is None or item is pd.NaT or (isinstance(item, float) and pd.isna(item)):
        return None
    if isinstance(item, pd.Timestamp | dt.datetime):
        return item.date()
    if isinstance(item, dt.date):
        return item
    return dt.date.fromisoformat(str(item)[:10])
