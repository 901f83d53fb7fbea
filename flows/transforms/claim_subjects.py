"""Where a figure's clause starts and ends, and which entity it is about."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace

from flows.transforms.claim_clauses import Segment, clause_bounds, last_match
from flows.transforms.claim_context import ClaimContext
from flows.transforms.claim_readings import read_figure
from flows.transforms.claim_rules import (
    FALL,
    RISE,
    SESSION_METRICS,
    ClaimRules,
    Reading,
)
from flows.transforms.claim_values import unit_end


def listed_reading(number, segment: Segment, text: str, context: ClaimContext, rules: ClaimRules):
    """(reading, subject, clause bounds) for a figure in "A、B和C分别下跌x%、y%和z%", pairing
    the n-th figure with the n-th fitting entity; subject None when the counts differ;
    None when the figure is not in such a list.

    Each figure is read with the verb nearest before it ("分别涨了3.2%和跌了17%": a rise and
    a fall); verbs listed before the first figure pair with the figures in order ("分别上涨和
    下跌了3%和2%"), and make no claim when their count differs."""
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
    index = [figure.number_id for figure in figures].index(number.number_id)
    verbs = [
        verb
        for verb in rules.verbs.finditer(text, marker.end(), figures[0].start)
        if rules.verb_direction[verb.group(0)] in (FALL, RISE)
    ]
    before_end = number.start
    if len(verbs) > 1:
        if len(verbs) != len(figures):
            return None, None, (part_start, part_end)
        before_end = verbs[index].end()
    before, after = text[part_start:before_end], text[number.end : part_end]
    reading = read_figure(number, before, after, part_start, rules)
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
        return reading, None, (part_start, part_end)
    entity = entities[index]
    extra_end = int(bool(reading.extra_end) and text.startswith("点", number.end))
    reading = replace(reading, anchor=number.start, extra_end=extra_end)
    return reading, (entity.entity_id, entity.start), (part_start, part_end)


def find_subject(
    number, reading: Reading, types, clause, segment, context
) -> tuple[str, int] | None:
    """Nearest fitting entity: before the figure in its clause, after it in the clause,
    earlier in the sentence, then (for non-market metrics) later in the sentence.

    Each later place is listed only when the earlier ones hold no fitting entity. Market
    metrics (own_clause_metrics) take theirs from their own clause: own_clause_subject."""
    if reading.metric in context.rules.own_clause_metrics:
        return own_clause_subject(number, reading, types, clause, segment, context)
    candidates = context.candidates(number.segment)
    clause_start, clause_end = clause
    anchor = reading.anchor
    before = [e for e in candidates if e.end <= anchor]
    in_clause = [e for e in reversed(before) if e.start >= clause_start]
    found = _first_fitting(in_clause, types, segment, context)
    if found is not None:
        return found
    rules, text = context.rules, context.texts[segment.doc]
    after = [e for e in candidates if e.start >= number.end and e.entity_id is not None]
    # In the clause after the figure, only before any other predicate ("耗资5000亿美元的星际之门";
    # "花了600万美元训练的模型让英伟达…": 英伟达 is what the model acted on, not who paid)
    unit = unit_end(text, number.end, number.currency or number.unit, rules)
    in_reach = [
        e for e in after if e.end <= clause_end and not rules.cue.search(text, unit, e.start)
    ]
    found = _first_fitting(in_reach, types, segment, context)
    # A clause naming its own subject of another type ("黄仁勋降了5%") borrows none from before.
    if found is not None or any(e.types & rules.own_subject_types for e in in_clause):
        return found
    # Nor does one opening with other words (but neutral words and reporting verbs, 声称用了…)
    # before its first predicate: they name a subject the gazetteer does not know
    # ("谁能想到一个中国公司花了600万美元" is not the earlier clause's).
    cue = reading.cue_start if reading.cue_start is not None else anchor
    opening = _predicate_start(number, clause_start, cue, segment, context)
    first = rules.cue.search(text, opening, cue)
    if not rules.subjectless_opening.fullmatch(text, opening, first.start() if first else cue):
        return None
    earlier = [e for e in reversed(before) if e.start < clause_start]
    found = _first_fitting(earlier, types, segment, context)
    if found is not None or reading.metric in SESSION_METRICS:
        return found
    # A later clause's entity ("…耗费30亿美元，才测定了人类基因组") only when this clause names
    # no subject of its own before its cue ("星际之门项目将投资5000亿美元，软银…" is not 软银's).
    if not rules.neutral.fullmatch(text, opening, cue):
        return None
    return _first_fitting(after, types, segment, context)


def _predicate_start(number, clause_start: int, cue: int, segment, context) -> int:
    """Where the predicate of a figure opens: after an earlier figure of its clause and that
    figure's unit word ("耗费30亿美元和历时13年": the two predicates share one subject)."""
    start = clause_start
    for other in context.figures_in(number.segment):
        if clause_start <= other.start and other.end <= cue and other.end > start:
            unit = other.currency or other.unit
            start = unit_end(context.texts[segment.doc], other.end, unit, context.rules)
    return start


def own_clause_subject(
    number, reading: Reading, types, clause, segment: Segment, context: ClaimContext
) -> tuple[str, int] | None:
    """The subject of a market claim: the nearest mention or pronoun before the verb when only
    neutral words (rules.neutral) stand between them (a mention after 因/随 … is passed over,
    "英伟达因DeepSeek下跌" is about 英伟达); without one, a mention right after the
    figure ("跌了17%的英伟达"), or the subject carried over from an earlier clause when this
    clause opens with neutral words only ("收盘下跌", "股价报"). A mention between the verb
    and the figure is the subject only right before the figure ("跌幅居前的有英伟达（-17%）").
    Any other word before the verb is a subject the gazetteer does not know ("沪深300指数上涨"):
    no claim, since borrowing another clause's subject would state a wrong one."""
    rules, text = context.rules, context.texts[segment.doc]
    clause_start, clause_end = clause
    cue = reading.cue_start
    verb = cue if cue is not None and clause_start <= cue <= reading.anchor else reading.anchor
    candidates = context.candidates(number.segment)
    between = [e for e in candidates if verb <= e.start and e.end <= number.start]
    if between:  # "跌幅居前的有英伟达（-16.97%）": the mention right before the figure, or none
        nearest = between[-1]
        if not rules.neutral.fullmatch(text, nearest.end, number.start):
            return None
        if text[nearest.end : number.start].rstrip().endswith("的"):
            return None  # "跌掉了一个Meta的一半": a share of Meta, not Meta's own move
        return _first_fitting([nearest], types, segment, context)
    end = verb  # where the words between a candidate and the verb end
    for entity in reversed([e for e in candidates if clause_start <= e.start and e.end <= verb]):
        if not rules.neutral.fullmatch(text, entity.end, end):
            return None
        preposition = _preposition_before(text, clause_start, entity.start, rules)
        if preposition is None:
            return _first_fitting([entity], types, segment, context)
        end = entity.start - len(preposition)  # "因DeepSeek" is no subject: look before it
    if not rules.neutral.fullmatch(text, clause_start, end):
        return None
    if rules.market_openers.search(text, clause_start, end):
        return None  # "美股市值蒸发了1万亿美元": the market is this clause's subject
    after = [e for e in candidates if number.end <= e.start and e.end <= clause_end]
    if after and rules.neutral.fullmatch(text, number.end, after[0].start):
        return _first_fitting(after[:1], types, segment, context)
    earlier = [e for e in reversed(candidates) if e.end <= clause_start]
    quote = _figure_quote(number.start, segment, rules) if earlier else None
    for entity in earlier:
        if rules.distributive.search(text, entity.end, clause_start):
            return None  # "A和B分别下跌x%和y%，随后反弹2%": a listed subject carries on to neither
        spans = [(entity.end, clause_start)]
        if quote is not None and entity.start < quote[-1]:
            if len(quote) == 1 or entity.start < quote[0]:
                return None  # no subject carries into a quote from outside it
            if entity.start >= quote[1]:
                continue  # the speaker of a tag (”他补充道，“) is no subject of the quote
            spans = [(entity.end, quote[1]), (quote[2] + 1, clause_start)]
        if not _is_clause_subject(entity, candidates, segment, context):
            continue  # "OpenAI的GPT-4o", "在DeepSeek的冲击下": a modifier lends no subject
        found = _first_fitting([entity], types, segment, context)
        if found is None:
            return None
        if rules.intraday.search(text, entity.end, clause_start) and not rules.session_end.search(
            text, clause_start, number.start
        ):
            return None  # "恒指半日收报20197点，涨0.65%": the time carries over with the subject
        if not all(_opens_neutrally(start, end, segment, context) for start, end in spans):
            return None  # the clause before is about something else ("iPhone 16卖得一般")
        return found
    return None


def _figure_quote(figure: int, segment: Segment, rules: ClaimRules) -> tuple[int, ...] | None:
    """Document offsets of the quote around a figure: (its opening mark,), or, when a speaker
    tag joins it to an earlier part of the same utterance (“…，”老王说，“…”), (the earlier
    part's opening mark, that part's closing mark, this part's opening mark). None outside
    quotes. A subject carries over within the utterance only, past the tag."""
    text, base = segment.text, segment.start
    if rules.quote_chars.search(text) is None:
        return None  # the common case: no quote in the sentence
    quotes = _quotes(text, rules)
    inner = _enclosing(quotes, figure - base)
    if inner is None:
        return None
    index = quotes.index(inner)
    previous = quotes[index - 1] if index else None
    if previous is not None and rules.speaker_tag.fullmatch(text, previous[1], inner[0] + 1):
        return base + previous[0], base + previous[1], base + inner[0]
    return (base + inner[0],)


def _quotes(text: str, rules: ClaimRules) -> list[tuple[int, int]]:
    """(opening mark, closing mark or the sentence's end) of each quote in a sentence."""
    quotes, at = [], 0
    while (opening := rules.quote_chars.search(text, at)) is not None:
        close = text.find(rules.quote_marks[opening.group(0)], opening.end())
        close = len(text) if close < 0 else close
        quotes.append((opening.start(), close))
        at = close + 1
    return quotes


def _enclosing(quotes: list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The quote around `position` of its sentence, or None."""
    return next((quote for quote in quotes if quote[0] < position < quote[1]), None)


def _is_clause_subject(entity, candidates, segment: Segment, context: ClaimContext) -> bool:
    """Whether a mention stands where its clause's subject stands: only neutral words and
    other mentions before it in its clause, after any colon ("黄仁勋的英伟达", "英伟达和博通",
    "网友回复：英伟达…"), and not a possessive modifier ("OpenAI的GPT-4o": 的 and then a word
    neither neutral nor a cue, unlike 微软的跌幅); or at its clause's end, a topic for what
    follows ("你看英伟达，")."""
    rules, text = context.rules, context.texts[segment.doc]
    starts, ends = segment.cuts(rules.clause_delimiter)
    local = entity.start - segment.start
    opened = bisect_right(ends, local)
    clause_start = segment.start + (ends[opened - 1] if opened else 0)
    following = bisect_left(starts, entity.end - segment.start)
    clause_end = segment.start + (
        starts[following] if following < len(starts) else len(segment.text)
    )
    run = rules.neutral.match(text, entity.end, clause_end)
    if run.end() == clause_end:
        return True
    if text.endswith("的", entity.end, run.end()) and not rules.cue.match(text, run.end()):
        return False
    colon = max(text.rfind(mark, clause_start, entity.start) for mark in "：:")
    gap_start = max(clause_start, colon + 1)  # "回复：A…": what the colon ends is no clause text
    for other in candidates:
        if other.start >= entity.start:
            break
        if other.start >= gap_start:
            if not rules.neutral.fullmatch(text, gap_start, other.start):
                return False
            gap_start = other.end
    return rules.neutral.fullmatch(text, gap_start, entity.start) is not None


def _preposition_before(text: str, clause_start: int, start: int, rules) -> str | None:
    """The object preposition (因, 随 …) right before text[start], within the clause."""
    prepositions = rules.object_prepositions
    for size in range(min(prepositions.longest, start - clause_start), 0, -1):
        if text[start - size : start] in prepositions.words:
            return text[start - size : start]
    return None


def _opens_neutrally(start: int, end: int, segment: Segment, context: ClaimContext) -> bool:
    """Whether every clause that starts in text[start:end] opens with neutral words up to its
    first cue word (or its end): none names a subject that would cut the carry-over."""
    rules, text = context.rules, context.texts[segment.doc]
    cut_starts, cut_ends = segment.cuts(rules.clause_delimiter)
    base = segment.start
    for open_at in (base + e for e in cut_ends if start <= base + e < end):
        following = bisect_left(cut_starts, open_at - base)
        close_at = base + cut_starts[following] if following < len(cut_starts) else end
        close_at = min(close_at, end)
        cue = rules.cue.search(text, open_at, close_at)
        opening_end = cue.start() if cue else close_at
        if not rules.neutral.fullmatch(text, open_at, opening_end):
            return False
        if rules.market_openers.search(text, open_at, opening_end):
            return False  # "美股收跌，…": the market is that clause's subject
    return True


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
