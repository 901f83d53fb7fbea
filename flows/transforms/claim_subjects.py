"""Where a figure's clause starts and ends, and which entity it is about."""

from __future__ import annotations

from dataclasses import replace

from flows.transforms.claim_clauses import Segment, clause_bounds, last_match
from flows.transforms.claim_context import ClaimContext
from flows.transforms.claim_rules import SESSION_METRICS, ClaimRules, Reading, read_figure


def listed_reading(number, segment: Segment, text: str, context: ClaimContext, rules: ClaimRules):
    """(reading, subject, clause start) for a figure in "A、B和C分别下跌x%、y%和z%", pairing
    the n-th figure with the n-th fitting entity; subject None when the counts differ;
    None when the figure is not in such a list."""
    if rules.distributive.search(text, segment.start, number.start) is None:
        return None  # the common case, decided without finding the clause
    part_start, part_end = clause_bounds(segment, number, rules.part_delimiter)
    marker = last_match(rules.distributive, text, part_start, number.start)
    if marker is None:
        return None
    figures = [
        other
        for other in context.figures_in(number.segment)
        if marker.end() <= other.start < part_end and other.unit == number.unit
    ]
    first, last = figures[0], figures[-1]
    before, after = text[part_start : first.start], text[last.end : part_end]
    reading = read_figure(first, before, after, part_start, rules)
    if reading is None:
        return None
    types = rules.subject_types[reading.metric]
    entities = [
        entity
        for entity in context.candidates(number.segment)
        if part_start <= entity.start
        and entity.end <= marker.start()
        and entity.entity_id is not None
        and entity.types & types
    ]
    if len(entities) != len(figures):
        return reading, None, part_start
    entity = entities[[figure.number_id for figure in figures].index(number.number_id)]
    extra_end = int(bool(reading.extra_end) and text.startswith("点", number.end))
    reading = replace(reading, anchor=number.start, extra_end=extra_end)
    return reading, (entity.entity_id, entity.start), part_start


def find_subject(
    number, reading: Reading, types, clause, segment, context
) -> tuple[str, int] | None:
    """Nearest fitting entity: before the figure in its clause, after it in the clause,
    earlier in the sentence, then (for non-market metrics) later in the sentence.

    Each later place is listed only when the earlier ones hold no fitting entity."""
    candidates = context.candidates(number.segment)
    clause_start, clause_end = clause
    anchor = reading.anchor
    before = [e for e in candidates if e.end <= anchor]
    in_clause = [e for e in reversed(before) if e.start >= clause_start]
    found = _first_fitting(in_clause, types, segment, context)
    if found is not None:
        return found
    after = [e for e in candidates if e.start >= number.end and e.entity_id is not None]
    found = _first_fitting([e for e in after if e.end <= clause_end], types, segment, context)
    # A clause naming its own subject of another type ("黄仁勋降了5%") borrows none from before.
    own_types = context.rules.own_subject_types
    if found is not None or any(e.types & own_types for e in in_clause):
        return found
    earlier = [e for e in reversed(before) if e.start < clause_start]
    found = _first_fitting(earlier, types, segment, context)
    if found is not None or reading.metric in SESSION_METRICS:
        return found
    return _first_fitting(after, types, segment, context)


def _first_fitting(entities, types, segment, context) -> tuple[str, int] | None:
    """(entity id, start) of the first entity of a fitting type; a pronoun stands for its
    antecedent, and one without an antecedent is passed over."""
    for entity in entities:
        fitting = entity.types & types
        if not fitting:
            continue
        if entity.entity_id is not None:
            return entity.entity_id, entity.start
        resolved = context.antecedent(entity, segment.paragraph, fitting)
        if resolved is not None:
            return resolved, entity.start
    return None
