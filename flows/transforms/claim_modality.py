"""Whether a figure is asserted: not a supposition, rumour, forecast, question or negation."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

_CLOSERS = "”’」』）)］]\"'"


@dataclass(frozen=True)
class Modality:
    """Compiled unasserted-figure rules (see unasserted_description in claim_rules.json)."""

    # One scan per sentence: groups "before" (a word that makes what follows it in the
    # sentence unasserted), "after" (casts doubt on what precedes it), "negation".
    words: re.Pattern[str]
    breaker: re.Pattern[str]  # a clause opening that ends a before or after word's scope
    question_marks: tuple[str, ...]
    question_particles: tuple[str, ...]
    hint: str  # RE2 pattern any sentence with a modality word or a question matches


def compile_modality(raw: dict, alternation, predicate: str, neutral: str) -> Modality:
    """`alternation` compiles a word list longest first; `predicate` matches a verb some
    reading rests on (下跌, 投资, 使用), `neutral` one neutral word (claim_rules)."""
    words = raw["hypothetical_words"] + raw["rumour_words"] + raw["question_words"]
    words += raw["disclaimer_words"]
    words += raw["forecast_words"]
    not_after = re.escape(raw["future_auxiliary_not_after"])
    auxiliary = alternation(raw["future_auxiliaries"]).pattern
    future = rf"(?<![{not_after}])(?:{auxiliary})(?=(?:{neutral})*(?:{predicate}))"
    not_before = raw["forecast_words_not_before"]
    guarded = [
        rf"(?<![{re.escape(characters)}]){re.escape(word)}"
        + (rf"(?![{re.escape(not_before[word])}])" if word in not_before else "")
        for word, characters in raw["forecast_words_not_after"].items()
    ]
    before = "|".join([alternation(words).pattern, *guarded, future])
    starts = words + raw["future_auxiliaries"] + list(raw["forecast_words_not_after"])
    starts += raw["doubt_words"] + raw["negation_words"]
    groups = (  # a doubt word before a negation that starts it: 不是真的, not 不是
        f"(?P<before>{before})"
        f"|(?P<after>{alternation(raw['doubt_words']).pattern})"
        f"|(?P<negation>{alternation(raw['negation_words']).pattern})"
    )
    first = re.escape("".join(sorted({word[0] for word in starts})))
    breakers = alternation(raw["scope_breakers"]).pattern
    delimiters = re.escape(raw["sentence_part_delimiters"])
    marks = ("？", "?")
    return Modality(
        words=re.compile(rf"(?=[{first}])(?:{groups})"),  # a cheap first-character test
        breaker=re.compile(rf"[{delimiters}]\s*(?:{breakers})"),
        question_marks=marks,
        question_particles=tuple(raw["question_particles"]),
        hint=alternation([*starts, *raw["question_particles"], *marks]).pattern,
    )


def may_frame(texts: list[str], modality: Modality) -> list[bool]:
    """False for a sentence that surely holds no modality word and no question: one
    vectorised (RE2) pass with modality.hint, whose words include every word a match of
    modality.words starts with (将 and 会 alone, say)."""
    if not texts:
        return []
    found = pc.match_substring_regex(pa.array(texts, type=pa.large_string()), modality.hint)
    return found.to_numpy(zero_copy_only=False).tolist()


def is_asserted(figure, reading, clause: tuple[int, int], segment, mentions, rules) -> bool:
    """Whether the figure states what happened: neither framed as a supposition, rumour,
    forecast or question by its sentence, nor negated at its verb. `reading` is the figure's
    claim_rules.Reading, `segment` its claim_clauses.Segment, `mentions` the sentence's
    entity mentions (a word inside one, as 希望 in 新希望, frames nothing), `rules` the
    ClaimRules. The words are found once per sentence (Segment.words), offsets are local.
    Call it only for sentences may_frame passes: the others are asserted."""
    modality, base = rules.modality, segment.start
    start, end = figure.start - base, figure.end - base
    clause_start, clause_end = clause[0] - base, clause[1] - base
    if _is_question(segment.text[end:clause_end], clause_end >= len(segment.text), modality):
        return False
    found = segment.words(modality.words)
    if not found:
        return True
    names = [(mention.start - base, mention.end - base) for mention in mentions]
    found = [word for word in found if _outside(word[0], word[1], names)]
    if is_framed(segment, found, start, end, modality):
        return False
    cue = reading.cue_start - base if reading.cue_start is not None else start
    cue = min(max(cue, clause_start), start)
    negations = [(low, high) for low, high, kind in found if kind == "negation"]
    return not is_negated(segment.text, negations, clause_start, cue, start, rules.neutral)


def is_framed(segment, found, start: int, end: int, modality: Modality) -> bool:
    """Whether the sentence frames its figure at [start, end) as no statement of fact: after
    a supposition, rumour, forecast or question word, or before a doubt word ("…的说法不属实"),
    with no clause opening with a scope breaker (但, 实际上) in between, nor (after) a doubt
    word that closes the rumour. `found` are the
    sentence's modality words, (start, end, kind)."""
    openers = [high for _, high, kind in found if kind == "before" and high <= start]
    if openers and not _breaks(segment, openers[-1], start, modality):
        denied = any(kind == "after" and openers[-1] <= low < start for low, _, kind in found)
        if not denied:  # "网传A大跌8%，纯属谣言，A涨了3%": the rumour ends at its denial
            return True
    doubts = [low for low, _, kind in found if kind == "after" and low >= end]
    return bool(doubts) and not _breaks(segment, end, doubts[0], modality)


def is_negated(
    text: str, negations, clause_start: int, cue: int, start: int, neutral: re.Pattern[str]
) -> bool:
    """A negation right before the figure's verb at `cue` (`neutral` words aside: "并没有大幅
    下跌17%") or between the verb and the figure at `start` ("跌幅并非17%"); "没想到A跌了17%"
    is kept. `negations` are the sentence's (start, end); offsets are the sentence's."""
    if any(cue <= low and high <= start for low, high in negations):
        return True
    before = [high for low, high in negations if clause_start <= low and high <= cue]
    return bool(before) and neutral.fullmatch(text, before[-1], cue) is not None


def _breaks(segment, start: int, end: int, modality: Modality) -> bool:
    """Whether a clause opening with a scope breaker lies in [start, end) of the sentence."""
    starts, ends = segment.cuts(modality.breaker)
    index = bisect_left(starts, start)
    return index < len(starts) and ends[index] <= end


def _outside(start: int, end: int, names: list[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps none of the spans `names`."""
    return not any(low < end and start < high for low, high in names)


def _is_question(rest: str, ends_sentence: bool, modality: Modality) -> bool:
    """The clause (`rest` of it after the figure) ends with a question particle, or ends the
    sentence with a question mark."""
    rest = rest.rstrip()
    if ends_sentence:
        rest = rest.rstrip(_CLOSERS)
        if rest.endswith(modality.question_marks):
            return True
        rest = rest.rstrip("。！!…；;.")
    return rest.endswith(modality.question_particles)
