"""Claims: quantities with a checkable subject, a metric, a signed value and a calendar date."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from flows.schemas import CLAIM_EXTRACTION_COLUMNS
from flows.transforms.claim_context import ClaimContext, records
from flows.transforms.claim_rules import (
    FALL,
    LEVEL,
    SESSION_METRICS,
    ClaimRules,
    Reading,
    load_claim_rules,
    read_figure,
    stated_year,
)
from flows.transforms.claim_subjects import clause_bounds, find_subject, listed_reading
from flows.transforms.dates import NO_DATE_IN_TEXT, NO_PUBLISHED_DATE, DateMention, date_in_scope

YEAR_NEEDS_NO_DAY = "a year claim is not tied to a day"
_DTYPES = {"start": "int32", "end": "int32", "value": "float64", "precision": "float64"}
_NUMBER_FIELDS = (
    "number_id segment_id start end text kind value lower upper unit currency decimals "
    "is_approximate role precision"
).split()
_METRIC_UNITS = {
    "pct_change": "percent",
    "price_ratio": "percent",
    "count": "count",
    "year": "year",
}


def extract_claims(
    documents: pd.DataFrame,
    segments: pd.DataFrame,
    mentions: pd.DataFrame,
    numbers: pd.DataFrame,
    calendar=None,
) -> pd.DataFrame:
    """One row per checkable claim, columns `schemas.CLAIM_EXTRACTION_COLUMNS`, in text order.

    A quantity becomes a claim when its clause names a metric (vocab/claim_rules.json) and a
    fitting subject is found; otherwise it stays only in `numbers`. Dates are calendar dates
    as stated (never moved to a session). Without a date in scope as_of is None with the
    reason "no date in the text", for market metrics too: an undated "英伟达跌了17%" may mean
    any recent session, so it is not defaulted to the published date. Only an age
    ("创立了18个月") counts to the published date. `calendar` (flows.calendar.TradingCalendar,
    optional) puts the reason a market claim's date is not a session into date_reason.
    """
    if documents.empty or segments.empty or numbers.empty:
        return _frame([])
    rules = load_claim_rules()
    context = ClaimContext(documents, segments, mentions, numbers, rules)
    candidates = context.numbers.assign(
        unit=_none_for_missing(context.numbers["unit"]),
        currency=_none_for_missing(context.numbers["currency"]),
    )
    if "precision" not in candidates:
        candidates = candidates.assign(precision=math.nan)
    reasons = _SessionReasons(calendar)
    claims = []
    figures = records(candidates.sort_values(["doc_id", "start", "end"]), _NUMBER_FIELDS)
    context.index_figures(figures)
    for number in figures:
        claim = _claim(number, context, rules, reasons)
        if claim is not None:
            claims.append(claim)
    return _frame(claims)


class _SessionReasons:
    """calendar.non_session_reason, asked once per date."""

    def __init__(self, calendar):
        self._calendar, self._reasons = calendar, {}

    def __call__(self, day: dt.date) -> str | None:
        if self._calendar is None:
            return None
        if day not in self._reasons:
            self._reasons[day] = self._calendar.non_session_reason(day)
        return self._reasons[day]


def _claim(number, context: ClaimContext, rules: ClaimRules, reasons) -> dict | None:
    segment = context.segments.get(number.segment_id)
    if segment is None:
        return None
    text, published = context.documents[segment.doc_id]
    listed = listed_reading(number, segment, text, context, rules)
    if listed is not None:
        reading, subject, clause_start = listed
    else:
        clause_start, clause_end = clause_bounds(segment, number, rules.clause_delimiter)
        before, after = text[clause_start : number.start], text[number.end : clause_end]
        reading = read_figure(number, before, after, clause_start, rules)
        if reading is None:
            return None
        types = rules.subject_types[reading.metric]
        clause = (clause_start, clause_end)
        subject = find_subject(number, reading, types, clause, segment, context)
    if subject is None:
        return None
    subject_id, subject_start = subject
    value, precision, is_approximate = _value(number, reading)
    unit = _unit(number, reading)
    if value is None or unit is None:
        return None
    end = number.end + reading.extra_end
    is_approximate = is_approximate or _hedged(text, number.start, end, rules)
    starts = [s for s in (subject_start, reading.cue_start) if s is not None and s >= clause_start]
    start = min([*starts, number.start])
    scope = date_in_scope(
        context.dates(segment.paragraph),
        number.start,
        (segment.start, segment.end),
        context.paragraphs[segment.paragraph][0],
    )
    as_of, date_reason = _as_of(reading, scope, published, reasons)
    return {
        "doc_id": segment.doc_id,
        "segment_id": number.segment_id,
        "number_id": number.number_id,
        "start": start,
        "end": end,
        "text": text[start:end],
        "subject_id": subject_id,
        "metric": reading.metric,
        "as_of": as_of,
        "value": value,
        "unit": unit,
        "precision": precision,
        "is_approximate": is_approximate,
        "date_reason": date_reason,
    }


def _value(number, reading: Reading) -> tuple[float | None, float, bool]:
    if reading.metric == "year":
        return float(stated_year(number.text)), 1.0, False
    value, approximate = _float(number.value), bool(number.is_approximate)
    lower, upper = _float(number.lower), _float(number.upper)
    if value is None and lower is not None and upper is not None:
        value, approximate = (lower + upper) / 2, True
    if value is None:
        return None, math.nan, approximate
    if reading.direction == FALL:
        value = -abs(value)
    elif reading.direction != LEVEL:
        value = abs(value)
    precision = _float(number.precision)
    if precision is None:
        decimals = _float(number.decimals)
        precision = 10.0**-decimals if decimals is not None else 1.0
    return value, precision, approximate


def _unit(number, reading: Reading) -> str | None:
    if reading.metric in _METRIC_UNITS:
        return _METRIC_UNITS[reading.metric]
    if reading.extra_end:  # a 点 the recognizer left outside the figure
        return "points"
    return number.currency or number.unit


def _as_of(reading: Reading, scope: DateMention | None, published, reasons: _SessionReasons):
    metric = reading.metric
    if metric == "year":
        return None, YEAR_NEEDS_NO_DAY
    if reading.period:
        return None, f"'{reading.period}' states a change over a period, not one session"
    if scope is not None and scope.day is None:
        return None, scope.reason
    if scope is not None:
        return scope.day, reasons(scope.day) if metric in SESSION_METRICS else None
    if metric == "age":
        return (published, None) if published is not None else (None, NO_PUBLISHED_DATE)
    return None, NO_DATE_IN_TEXT


def _hedged(text: str, start: int, end: int, rules: ClaimRules) -> bool:
    hedged_before = text[max(0, start - 3) : start].endswith(rules.hedges_before)
    return hedged_before or text[end : end + 3].startswith(rules.hedges_after)


def _float(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def _frame(claims: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(claims, columns=[c for c in CLAIM_EXTRACTION_COLUMNS if c != "claim_id"])
    frame = frame.sort_values(["doc_id", "segment_id", "start", "number_id"], kind="stable")
    rank = frame.groupby("segment_id", sort=False).cumcount()
    frame.insert(0, "claim_id", frame["segment_id"] + "/c" + rank.map("{:02d}".format))
    frame = frame.astype(_DTYPES).astype({"is_approximate": "bool"})
    # Missing stays None (not NaN) in these object columns, as the contract documents.
    for column in ("as_of", "date_reason"):
        frame[column] = _none_for_missing(frame[column])
    return frame.reset_index(drop=True)[list(CLAIM_EXTRACTION_COLUMNS)]


def _none_for_missing(values: pd.Series) -> pd.Series:
    values = values.astype(object)
    return values.where(values.notna(), None)
