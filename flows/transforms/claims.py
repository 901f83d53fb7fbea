"""Claims: quantities with a checkable subject, a metric, a signed value and a calendar date."""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import pandas as pd

from flows.schemas import CLAIM_EXTRACTION_COLUMNS
from flows.transforms.claim_rules import (
    CURRENCIES,
    FALL,
    LEVEL,
    ClaimRules,
    Reading,
    load_claim_rules,
    read_figure,
    stated_year,
)
from flows.transforms.dates import (
    NO_DATE_IN_TEXT,
    NO_PUBLISHED_DATE,
    DateMention,
    date_in_scope,
    find_date_mentions,
)

# Metrics checked against a trading session: a non-session as_of is kept, with the reason.
SESSION_METRICS = frozenset({"pct_change", "points_change", "market_cap_change", "close"})
YEAR_NEEDS_NO_DAY = "a year claim is not tied to a day"
_DTYPES = {"start": "int32", "end": "int32", "value": "float64", "precision": "float64"}
_METRIC_UNITS = {"pct_change": "percent", "price_ratio": "percent", "count": "count"}


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
    as stated (never moved to a session); without a date in scope as_of is None with the
    reason, except for an age ("创立了18个月"), which is counted to the published date.
    `calendar` (flows.calendar.TradingCalendar, optional) explains non-session dates.
    """
    if documents.empty or segments.empty or numbers.empty:
        return _frame([])
    rules = load_claim_rules()
    context = _Context(documents, segments, mentions, numbers, rules)
    candidates = numbers[numbers["role"].isin(("quantity", "date"))]
    claims = []
    for number in candidates.sort_values(["doc_id", "start", "end"]).itertuples(index=False):
        claim = _claim(number, context, rules, calendar)
        if claim is not None:
            claims.append(claim)
    return _frame(claims)


@dataclass(frozen=True)
class _Entity:
    start: int
    end: int
    entity_id: str | None  # None for a pronoun, resolved against earlier mentions
    types: frozenset[str]


@dataclass(frozen=True)
class _Segment:
    doc_id: str
    paragraph: tuple[str, int]
    start: int
    end: int
    text: str


class _Context:
    """Inputs indexed once: segments, entities and dates by segment or paragraph."""

    def __init__(self, documents, segments, mentions, numbers, rules: ClaimRules):
        self.documents = {
            row.doc_id: (row.text, _as_date(row.published))
            for row in documents.itertuples(index=False)
        }
        self.segments: dict[str, _Segment] = {}
        self.paragraph_start: dict[tuple[str, int], int] = {}
        for row in segments.sort_values(["doc_id", "start"]).itertuples(index=False):
            key = (row.doc_id, int(row.paragraph))
            self.segments[row.segment_id] = _Segment(row.doc_id, key, row.start, row.end, row.text)
            self.paragraph_start.setdefault(key, int(row.start))
        self.entities: dict[str, list[_Entity]] = {}
        self.paragraph_entities: dict[tuple[str, int], list[_Entity]] = {}
        rows = mentions.sort_values(["doc_id", "start"]) if len(mentions) else mentions.head(0)
        for row in rows.itertuples(index=False):
            entity = _Entity(row.start, row.end, row.entity_id, frozenset([row.entity_type]))
            self.entities.setdefault(row.segment_id, []).append(entity)
            paragraph = self.segments[row.segment_id].paragraph
            self.paragraph_entities.setdefault(paragraph, []).append(entity)
        self.dates = self._paragraph_dates(numbers)
        self._rules = rules
        self.own_subject_types = rules.own_subject_types
        self._with_pronouns: dict[str, list[_Entity]] = {}

    def candidates(self, segment_id: str) -> list[_Entity]:
        """The segment's mentions and pronouns, by start."""
        if segment_id not in self._with_pronouns:
            segment = self.segments[segment_id]
            pronouns = [
                _Entity(m.start() + segment.start, m.end() + segment.start, None, types)
                for m in self._rules.pronouns.finditer(segment.text)
                for types in [self._rules.pronoun_types[m.group(0)]]
            ]
            merged = self.entities.get(segment_id, []) + pronouns
            self._with_pronouns[segment_id] = sorted(merged, key=lambda e: (e.start, e.end))
        return self._with_pronouns[segment_id]

    def antecedent(self, pronoun: _Entity, paragraph, types: frozenset[str]) -> str | None:
        """The last mention of a fitting type before `pronoun` in its paragraph."""
        entities = self.paragraph_entities.get(paragraph, [])
        earlier = entities[: bisect_right([e.start for e in entities], pronoun.start)]
        for entity in reversed(earlier):
            if entity.end <= pronoun.start and entity.types & types:
                return entity.entity_id
        return None

    def _paragraph_dates(self, numbers) -> dict[tuple[str, int], list[DateMention]]:
        not_dates: dict[str, list[tuple[int, int]]] = {}
        for row in numbers[numbers["role"] != "date"].itertuples(index=False):
            not_dates.setdefault(row.doc_id, []).append((row.start, row.end))
        starts: dict[str, list[tuple[int, tuple[str, int]]]] = {}
        for key, start in sorted(self.paragraph_start.items(), key=lambda item: item[1]):
            starts.setdefault(key[0], []).append((start, key))
        dates: dict[tuple[str, int], list[DateMention]] = {}
        for doc_id in sorted(set(numbers["doc_id"]) & set(starts)):
            text, published = self.documents.get(doc_id, ("", None))
            offsets = [start for start, _ in starts[doc_id]]
            for mention in find_date_mentions(text, published):
                if "/" in mention.text and _overlaps(mention, not_dates.get(doc_id, [])):
                    continue  # "1/30" the number recognizer read as a fraction
                index = bisect_right(offsets, mention.start) - 1
                if index >= 0:
                    dates.setdefault(starts[doc_id][index][1], []).append(mention)
        return dates


def _claim(number, context: _Context, rules: ClaimRules, calendar) -> dict | None:
    segment = context.segments.get(number.segment_id)
    if segment is None:
        return None
    text, published = context.documents[segment.doc_id]
    clause_start, clause_end = _clause(segment, number, rules)
    before, after = text[clause_start : number.start], text[number.end : clause_end]
    reading = read_figure(number, before, after, clause_start, rules)
    if reading is None:
        return None
    types = rules.subject_types[reading.metric]
    subject = _subject(number, reading, types, (clause_start, clause_end), segment, context)
    if subject is None:
        return None
    subject_id, subject_start = subject
    value, precision, is_approximate = _value(number, reading)
    if value is None:
        return None
    end = number.end + reading.extra_end
    is_approximate = is_approximate or _hedged(text, number.start, end, rules)
    starts = [s for s in (subject_start, reading.cue_start) if s is not None and s >= clause_start]
    start = min([*starts, number.start])
    scope = date_in_scope(
        context.dates.get(segment.paragraph, []),
        number.start,
        (segment.start, segment.end),
        context.paragraph_start[segment.paragraph],
    )
    as_of, date_reason = _as_of(reading.metric, scope, published, calendar)
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
        "unit": _unit(number, reading),
        "precision": precision,
        "is_approximate": is_approximate,
        "date_reason": date_reason,
    }


def _clause(segment: _Segment, number, rules: ClaimRules) -> tuple[int, int]:
    """Document offsets of the clause around a figure (delimiters inside it do not count)."""
    local_start, local_end = number.start - segment.start, number.end - segment.start
    start, end = 0, len(segment.text)
    for match in rules.clause_delimiter.finditer(segment.text):
        if match.end() <= local_start:
            start = match.end()
        elif match.start() >= local_end:
            end = match.start()
            break
    return start + segment.start, end + segment.start


def _subject(number, reading: Reading, types, clause, segment, context) -> tuple[str, int] | None:
    """Nearest fitting entity: before the figure in its clause, after it in the clause,
    earlier in the sentence, then (for non-market metrics) later in the sentence."""
    candidates = context.candidates(number.segment_id)
    clause_start, clause_end = clause
    before = candidates[: bisect_left([e.end for e in candidates], reading.anchor + 1)]
    before = [e for e in before if e.end <= reading.anchor]
    after = [e for e in candidates if e.start >= number.end and e.entity_id is not None]
    in_clause = [e for e in reversed(before) if e.start >= clause_start]
    # A clause naming its own subject of another type ("黄仁勋降了5%") borrows none from before.
    has_own_subject = any(e.types & context.own_subject_types for e in in_clause)
    orders = (
        in_clause,
        [e for e in after if e.end <= clause_end],
        [] if has_own_subject else [e for e in reversed(before) if e.start < clause_start],
        [] if reading.metric in SESSION_METRICS or has_own_subject else after,
    )
    for order in orders:
        for entity in order:
            fitting = entity.types & types
            if not fitting:
                continue
            if entity.entity_id is not None:
                return entity.entity_id, entity.start
            resolved = context.antecedent(entity, segment.paragraph, fitting)
            if resolved is not None:
                return resolved, entity.start
    return None


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
    precision = _float(getattr(number, "precision", None))
    if precision is None:
        decimals = _float(number.decimals)
        precision = 10.0**-decimals if decimals is not None else 1.0
    return value, precision, approximate


def _unit(number, reading: Reading) -> str:
    if reading.metric in _METRIC_UNITS:
        return _METRIC_UNITS[reading.metric]
    if reading.metric == "year":
        return "year"
    if number.unit in CURRENCIES or reading.metric in ("cost", "market_cap_change"):
        return number.currency if isinstance(number.currency, str) else number.unit
    if number.unit in (None, "count") and reading.extra_end:
        return "points"
    return number.unit


def _as_of(metric, scope: DateMention | None, published, calendar):
    if metric == "year":
        return None, YEAR_NEEDS_NO_DAY
    if scope is not None and scope.day is None:
        return None, scope.reason
    if scope is not None:
        is_session_metric = calendar is not None and metric in SESSION_METRICS
        return scope.day, calendar.non_session_reason(scope.day) if is_session_metric else None
    if metric == "age":
        return (published, None) if published is not None else (None, NO_PUBLISHED_DATE)
    return None, NO_DATE_IN_TEXT


def _hedged(text: str, start: int, end: int, rules: ClaimRules) -> bool:
    return text[max(0, start - 3) : start].endswith(rules.hedges_before) or text[
        end : end + 3
    ].startswith(rules.hedges_after)


def _overlaps(mention: DateMention, spans: list[tuple[int, int]]) -> bool:
    return any(start < mention.end and mention.start < end for start, end in spans)


def _float(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def _as_date(value) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _frame(claims: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(claims, columns=[c for c in CLAIM_EXTRACTION_COLUMNS if c != "claim_id"])
    frame = frame.sort_values(["doc_id", "segment_id", "start", "number_id"], kind="stable")
    rank = frame.groupby("segment_id", sort=False).cumcount()
    frame.insert(0, "claim_id", frame["segment_id"] + "/c" + rank.map("{:02d}".format))
    frame = frame.astype(_DTYPES).astype({"is_approximate": "bool"})
    return frame.reset_index(drop=True)[list(CLAIM_EXTRACTION_COLUMNS)]
