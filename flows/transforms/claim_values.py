"""What a claim states: its value with precision, its unit, its date and its output row."""

from __future__ import annotations

import datetime as dt
import math
from operator import itemgetter

import numpy as np
import pandas as pd

from flows.schemas import CLAIM_EXTRACTION_COLUMNS, UNITS
from flows.transforms.claim_readings import stated_year as _stated_year
from flows.transforms.claim_rules import FALL, SESSION_METRICS, ClaimRules, Reading
from flows.transforms.date_words import NO_DATE_IN_TEXT, NO_PUBLISHED_DATE, DateMention

YEAR_NEEDS_NO_DAY = "a year claim is not tied to a day"
CLAIM_COLUMNS = tuple(column for column in CLAIM_EXTRACTION_COLUMNS if column != "claim_id")
_DTYPES = {
    "start": "int32",
    "end": "int32",
    "value": "float64",
    "lower": "float64",
    "upper": "float64",
    "precision": "float64",
}
_OBJECT_COLUMNS = ("as_of", "date_reason", "lower_closed", "upper_closed")
_SORT_KEY = itemgetter(  # doc_id, segment_id, start, number_id
    *(CLAIM_COLUMNS.index(name) for name in ("doc_id", "segment_id", "start", "number_id"))
)
_CONTRACT_UNITS = frozenset(UNITS)
_METRIC_UNITS = {
    "pct_change": "percent",
    "price_ratio": "percent",
    "count": "count",
    "year": "year",
}


def stated_value(number, reading: Reading) -> tuple[float | None, float, bool]:
    """(value, precision, is_approximate) with the reading's sign: a fall is negative, a rise
    or a signed change keeps the figure's own sign (a stated minus is never dropped).

    A figure stated as a range ("2000多" is [2000, 3000), "3至5%", "几十亿") has the range's
    midpoint as value; the range itself is the claim's bounds (claim_bounds.stated_bounds),
    and precision stays the size of the last stated digit, the join's slack at the bounds.
    """
    if reading.metric == "year":
        return float(_stated_year(number)), 1.0, False
    value, approximate = number.value, bool(number.is_approximate)
    precision = number.precision
    if precision is None:
        decimals = number.decimals
        precision = 10.0**-decimals if decimals is not None else 1.0
    lower, upper = number.lower, number.upper
    if lower is not None and upper is not None and upper > lower:
        value, approximate = (lower + upper) / 2, True
    elif value is None and lower is not None and upper is not None:
        value, approximate = lower, True
    if value is None:
        return None, math.nan, approximate
    if reading.direction == FALL:
        value = -abs(value)  # a rise keeps its figure's sign: "涨幅为-16.97%" is a fall
    return value, precision, approximate


def unit_end(text: str, end: int, unit: str, rules: ClaimRules) -> int:
    """`end` moved over the word after the figure that states its unit (个月, 年, 个芯片, 点)."""
    words = rules.unit_words.get(unit)
    match = words.match(text, end) if words is not None else None
    return match.end() if match else end


def stated_unit(number, reading: Reading) -> str | None:
    """The claim's unit: fixed by the metric, else the points, currency or unit of the figure.

    None (so no claim) for a currency the contract has no unit for (A$5 is AUD): the claims
    table states money only in the units its suite accepts, as the numbers table does.
    """
    if reading.metric in _METRIC_UNITS:
        return _METRIC_UNITS[reading.metric]
    if reading.extra_end:  # a 点 the recognizer left outside the figure
        return "points"
    if number.currency:
        return number.currency if number.currency in _CONTRACT_UNITS else None
    return number.unit


def needs_date(reading: Reading) -> bool:
    """Whether as_of depends on the dates in the text."""
    return reading.metric != "year" and not reading.period


def as_of(reading: Reading, scope: DateMention | None, published, reasons):
    """(as_of, date_reason) of a claim, `scope` being the date that governs its figure."""
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


def is_hedged(text: str, start: int, end: int, rules: ClaimRules) -> bool:
    """A hedge word right before or after the figure (近2000, 2000多)."""
    hedged_before = text[max(0, start - 3) : start].endswith(rules.hedges_before)
    return hedged_before or text[end : end + 3].startswith(rules.hedges_after)


class SessionReasons:
    """calendar.non_session_reason, asked once per date."""

    def __init__(self, calendar):
        self._calendar, self._reasons = calendar, {}

    def __call__(self, day: dt.date) -> str | None:
        if self._calendar is None:
            return None
        if day not in self._reasons:
            self._reasons[day] = self._calendar.non_session_reason(day)
        return self._reasons[day]


def claims_frame(claims: list[tuple]) -> pd.DataFrame:
    """The claims table from rows of CLAIM_COLUMNS: sorted, with claim ids ranked by start
    within each sentence.

    Rows are sorted (stably) and ranked in Python and each column is built once with its
    final dtype, which is cheaper than sorting, grouping and casting the frame in pandas.
    """
    if not claims:
        return _empty_claims_frame()
    claims = sorted(claims, key=_SORT_KEY)
    columns = dict(zip(CLAIM_COLUMNS, map(list, zip(*claims, strict=True)), strict=True))
    columns["claim_id"] = _claim_ids(columns["segment_id"])
    return pd.DataFrame({name: _column(name, columns[name]) for name in CLAIM_EXTRACTION_COLUMNS})


def _claim_ids(segment_ids: list[str]) -> list[str]:
    """segment id + "/c" + the claim's rank in its sentence (the rows are sorted by sentence)."""
    ids, previous, rank = [], None, 0
    for segment_id in segment_ids:
        rank = rank + 1 if segment_id == previous else 0
        previous = segment_id
        ids.append(f"{segment_id}/c{rank:02d}")
    return ids


def _column(name: str, values: list):
    if name in _DTYPES or name == "is_approximate":
        return np.asarray(values, dtype=_DTYPES.get(name, "bool"))
    if name in _OBJECT_COLUMNS:  # missing stays None (not NaN), as the contract documents
        return pd.Series(values, dtype=object)
    return pd.array(values, dtype="str")


def _empty_claims_frame() -> pd.DataFrame:
    frame = pd.DataFrame([], columns=["claim_id", *CLAIM_COLUMNS])
    frame = frame.astype(_DTYPES).astype({"is_approximate": "bool"})
    for column in _OBJECT_COLUMNS:
        frame[column] = _none_for_missing(frame[column])
    return frame[list(CLAIM_EXTRACTION_COLUMNS)]


def _none_for_missing(values: pd.Series) -> pd.Series:
    values = values.astype(object)
    return values.where(values.notna(), None)
