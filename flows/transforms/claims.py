"""Claims: quantities with a checkable subject, a metric, a signed value and a calendar date."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pandas as pd

from flows.transforms.claim_bounds import BoundWords, claim_bounds, compile_bound_words
from flows.transforms.claim_clauses import clause_bounds
from flows.transforms.claim_context import ClaimContext
from flows.transforms.claim_modality import is_asserted
from flows.transforms.claim_readings import is_price_metric, opening_period, read_figure
from flows.transforms.claim_rules import ClaimRules, Reading
from flows.transforms.claim_subjects import find_subject, listed_reading
from flows.transforms.claim_values import (
    SessionReasons,
    as_of,
    claims_frame,
    is_hedged,
    needs_date,
    stated_unit,
    stated_value,
    unit_end,
)
from flows.transforms.collector import collector_paused


def extract_claims(
    documents: pd.DataFrame,
    segments: pd.DataFrame,
    mentions: pd.DataFrame,
    numbers: pd.DataFrame,
    calendar=None,
    rules: ClaimRules | None = None,
    bound_words: BoundWords | None = None,
) -> pd.DataFrame:
    """One row per checkable claim, columns `schemas.CLAIM_EXTRACTION_COLUMNS`, in text order.

    `rules` and `bound_words` default to the shipped flows/vocab/claim_rules.json (loaded
    by flows.gazetteer).

    A quantity becomes a claim when its clause names a metric (vocab/claim_rules.json) and a
    fitting subject is found; otherwise it stays only in `numbers`. Dates are calendar dates
    as stated (never moved to a session). Without a date in scope as_of is None with the
    reason "no date in the text", for market metrics too: an undated "英伟达跌了17%" may mean
    any recent session, so it is not defaulted to the published date. Only an age
    ("创立了18个月") counts to the published date. `calendar` (flows.calendar.TradingCalendar,
    optional) puts the reason a market claim's date is not a session into date_reason, and
    names the session that 次日/前一交易日 mean next to the date stated before them (without
    a calendar they name no date).

    Most figures are no claim, so they are rejected in cheap passes: sentences without any
    cue word (one vectorised regex), then clauses without one; entities and dates are looked
    up only for the figures that still have a reading.
    """
    if documents.empty or segments.empty or numbers.empty:
        return claims_frame([])
    with collector_paused():
        return _extract(documents, segments, mentions, numbers, calendar, rules, bound_words)


def _extract(documents, segments, mentions, numbers, calendar, rules, words) -> pd.DataFrame:
    rules, words = rules or _default_rules(), words or _default_bound_words()
    context = ClaimContext(documents, segments, mentions, numbers, rules, calendar)
    readings = [
        found
        for figure, clause in zip(context.figures, context.clauses, strict=True)
        if (found := _read(figure, clause, context, rules)) is not None
    ]
    context.load_entities(figure.segment for figure, _, _ in readings)
    drafts = [
        draft for found in readings if (draft := _subject(*found, context, rules)) is not None
    ]
    context.prepare_dates(
        context.segments[figure.segment].paragraph
        for figure, reading, _, _ in drafts
        if needs_date(reading)
    )
    reasons = SessionReasons(calendar)
    claims = [_claim(*draft, context, rules, words, reasons) for draft in drafts]
    return claims_frame([claim for claim in claims if claim is not None])


def _read(figure, clause, context: ClaimContext, rules: ClaimRules):
    """(figure, reading, clause) when the figure's clause states a metric; reading None for a
    figure after 分别, whose list is read once its entities are known."""
    marker_end = context.marker_ends.get(figure.segment)
    if (
        marker_end is not None
        and marker_end <= figure.start - context.segments[figure.segment].start
    ):
        return figure, None, None
    text = context.texts[context.segments[figure.segment].doc]
    clause_start, clause_end = clause
    cue = rules.cue
    if cue.search(text, clause_start, figure.start) is None:
        if cue.search(text, figure.end, clause_end) is None:
            return None
    before, after = text[clause_start : figure.start], text[figure.end : clause_end]
    reading = read_figure(figure, before, after, clause_start, rules)
    if reading is None:
        return None
    segment = context.segments[figure.segment]
    if reading.period is None and clause_start > segment.start and is_price_metric(reading.metric):
        local_start = clause_start - segment.start
        ends = [end for end in segment.cuts(rules.clause_delimiter)[0] if end < local_start]
        found = opening_period(segment.text, ends, rules)
        if found is not None and not _dated_after(segment, found[1], clause_end, context):
            reading = replace(reading, period=found[0])
    return figure, reading, (clause_start, clause_end)


def _dated_after(segment, local_start: int, end: int, context: ClaimContext) -> bool:
    """Whether a date is stated from `local_start` of the sentence to `end`: it ends an
    opening period's reach ("去年，英伟达涨了171%，1月27日跌了17%" dates the 17%)."""
    start = segment.start + local_start
    return any(start <= mention.start < end for mention in context.dates(segment.paragraph))


def _subject(figure, reading: Reading | None, clause, context: ClaimContext, rules: ClaimRules):
    """(figure, reading, subject, clause start), or None without a fitting subject."""
    segment = context.segments[figure.segment]
    text = context.texts[segment.doc]
    if reading is None:
        listed = listed_reading(figure, segment, text, context, rules)
        if listed is not None:
            reading, subject, clause = listed
            if subject is None or not _is_asserted(figure, reading, clause, context):
                return None
            return figure, reading, subject, clause[0]
        clause = clause_bounds(segment, figure, rules.clause_delimiter)
        before, after = text[clause[0] : figure.start], text[figure.end : clause[1]]
        reading = read_figure(figure, before, after, clause[0], rules)
        if reading is None:
            return None
    if figure.segment in context.may_frame and not _is_asserted(figure, reading, clause, context):
        return None
    types = rules.subject_types[reading.metric]
    subject = find_subject(figure, reading, types, clause, segment, context)
    return None if subject is None else (figure, reading, subject, clause[0])


def _is_asserted(figure, reading: Reading, clause, context: ClaimContext) -> bool:
    if figure.segment not in context.may_frame:
        return True  # no modality word in the sentence: a vectorised test (claim_modality)
    segment = context.segments[figure.segment]
    mentions = context.entities.get(figure.segment) or []
    return is_asserted(figure, reading, clause, segment, mentions, context.rules)


def _claim(
    figure, reading: Reading, subject, clause_start, context, rules, words, reasons
) -> tuple | None:
    segment = context.segments[figure.segment]
    text, published = context.texts[segment.doc], context.published[segment.doc]
    subject_id, subject_start = subject
    value, precision, is_approximate = stated_value(figure, reading)
    unit = stated_unit(figure, reading)
    if value is None or unit is None:
        return None
    stated_end = figure.end + reading.extra_end
    bounds, word_start = claim_bounds(figure, reading, text, words)
    end = unit_end(text, stated_end, unit, rules)
    is_approximate = (
        is_approximate
        or word_start is not None  # 至少跌了4%, 跌超5%: a bound word hedges as 超过 does
        or is_hedged(text, figure.start, stated_end, rules)
        or (end > stated_end and text.startswith(rules.hedges_after, end))
    )
    starts = [
        s
        for s in (subject_start, reading.cue_start, word_start)
        if s is not None and s >= clause_start
    ]
    start = min([*starts, figure.start])
    scope = context.date_in_scope(segment, figure.start) if needs_date(reading) else None
    day, date_reason = as_of(reading, scope, published, reasons)
    return (  # the columns of claim_values.CLAIM_COLUMNS
        context.doc_ids[segment.doc],
        figure.segment_id,
        figure.number_id,
        start,
        end,
        text[start:end],
        subject_id,
        reading.metric,
        day,
        value,
        *bounds,
        unit,
        precision,
        is_approximate,
        date_reason,
    )


def _default_rules() -> ClaimRules:
    from flows.gazetteer import load_claim_rules  # the vocab loader is an I/O edge

    return load_claim_rules()  # the rules the labeller uses too


@cache
def _default_bound_words() -> BoundWords:
    from flows.gazetteer import read_claim_rules  # the vocab loader is an I/O edge

    return compile_bound_words(read_claim_rules())
