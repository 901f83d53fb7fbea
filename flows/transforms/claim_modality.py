"""Whether a figure is asserted: not a supposition, rumour, forecast, question or negation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.transforms.claim_clauses import last_match

_CLOSERS = "”’」』）)］]\"'"


@dataclass(frozen=True)
class Modality:
    """Compiled unasserted-figure rules (see unasserted_description in claim_rules.json)."""

    before: re.Pattern[str]  # a word that makes what follows it in the sentence unasserted
    after: re.Pattern[str]  # a word that casts doubt on what precedes it in the sentence
    breaker: re.Pattern[str]  # a clause opening that ends either word's scope
    question_marks: tuple[str, ...]
    question_particles: tuple[str, ...]
    negation: re.Pattern[str]


def compile_modality(raw: dict, alternation, predicate: str, neutral: str) -> Modality:
    """`alternation` compiles a word list longest first; `predicate` matches a verb some
    reading rests on (下跌, 投资, 使用), `neutral` one neutral word (claim_rules)."""
    words = raw["hypothetical_words"] + raw["rumour_words"] + raw["question_words"]
    words += raw["forecast_words"]
    not_after = re.escape(raw["future_auxiliary_not_after"])
    auxiliary = alternation(raw["future_auxiliaries"]).pattern
    future = rf"(?<![{not_after}])(?:{auxiliary})(?=(?:{neutral})*(?:{predicate}))"
    before = "|".join([alternation(words).pattern, *raw["forecast_patterns"], future])
    breakers = alternation(raw["scope_breakers"]).pattern
    delimiters = re.escape(raw["sentence_part_delimiters"])
    return Modality(
        before=re.compile(before),
        after=alternation(raw["doubt_words"]),
        breaker=re.compile(rf"[{delimiters}]\s*(?:{breakers})"),
        question_marks=("？", "?"),
        question_particles=tuple(raw["question_particles"]),
        negation=alternation(raw["negation_words"]),
    )


def is_asserted(
    figure, reading, clause: tuple[int, int], segment, text: str, mentions, rules
) -> bool:
    """Whether the figure states what happened: neither framed as a supposition, rumour,
    forecast or question by its sentence, nor negated at its verb. `reading` is the figure's
    claim_rules.Reading, `mentions` the sentence's entity mentions (a word inside one, such
    as 希望 in 新希望, frames nothing), `rules` the ClaimRules."""
    sentence, span = (segment.start, segment.end), (figure.start, figure.end)
    names = [(mention.start, mention.end) for mention in mentions]
    if is_unasserted(text, sentence, clause, span, rules.modality, names):
        return False
    cue = reading.cue_start if reading.cue_start is not None else figure.start
    cue = min(max(cue, clause[0]), figure.start)
    return not is_negated(text, clause[0], cue, figure.start, rules.neutral, rules.modality)


def is_unasserted(
    text: str,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    figure: tuple[int, int],
    modality: Modality,
    names: list[tuple[int, int]] = (),
) -> bool:
    """Whether the sentence frames the figure as no statement of fact: after a supposition,
    rumour, forecast or question word, or before a doubt word ("…的说法不属实"), with no
    clause opening with a scope breaker (但, 实际上) in between; or in a yes-no question.
    Words inside the spans of `names` (entity mentions) do not count."""
    sentence_start, sentence_end = sentence
    start, end = figure
    openers = _outside(modality.before.finditer(text, sentence_start, start), names)
    opener = openers[-1] if openers else None
    if opener is not None and modality.breaker.search(text, opener.end(), start) is None:
        return True
    doubts = _outside(modality.after.finditer(text, end, sentence_end), names)
    doubt = doubts[0] if doubts else None
    if doubt is not None and modality.breaker.search(text, end, doubt.start()) is None:
        return True
    return _is_question(text[end : clause[1]], clause[1] >= sentence_end, modality)


def is_negated(
    text: str,
    clause_start: int,
    cue: int,
    figure_start: int,
    neutral: re.Pattern[str],
    modality: Modality,
) -> bool:
    """A negation right before the figure's verb at `cue` (`neutral` words aside: "并没有大幅
    下跌17%") or between the verb and the figure ("跌幅并非17%"); "没想到A跌了17%" is kept."""
    if modality.negation.search(text, cue, figure_start) is not None:
        return True
    negation = last_match(modality.negation, text, clause_start, cue)
    return negation is not None and neutral.fullmatch(text, negation.end(), cue) is not None


def _outside(matches, names: list[tuple[int, int]]) -> list[re.Match[str]]:
    """The matches that do not overlap any of the spans `names`."""
    return [
        match
        for match in matches
        if not any(start < match.end() and match.start() < end for start, end in names)
    ]


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
