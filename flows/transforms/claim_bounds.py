"""The interval a claim states: from its figure's range or a bound word, signed by its reading."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from flows.transforms.claim_rules import FALL, RISE

BOUND_KINDS = ("lower_open", "lower_closed", "upper_open", "upper_closed")


class Bounds(NamedTuple):
    """A claim's interval in its unit; None for an unbounded side, and both None for a point."""

    lower: float | None
    upper: float | None
    lower_closed: bool | None
    upper_closed: bool | None


POINT = Bounds(None, None, None, None)


# A word list by its words' last character: (word, kind) pairs, longest word first, so that
# the words ending at a place are found with one lookup (most places end none of them).
WordsByLastChar = dict[str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class BoundWords:
    """bound_words of vocab/claim_rules.json, by last character (kind None for linking)."""

    before_figure: WordsByLastChar
    before_verb: WordsByLastChar
    linking: WordsByLastChar


def compile_bound_words(raw: dict) -> BoundWords:
    """The bound word lists of the claim rules (read by flows.gazetteer.read_claim_rules)."""
    words = raw["bound_words"]
    return BoundWords(
        before_figure=_by_last_char(words["before_figure"]),
        before_verb=_by_last_char(words["before_verb"]),
        linking=_by_last_char({None: words["linking"]}),
    )


def claim_bounds(figure, reading, text: str, words: BoundWords) -> tuple[Bounds, int | None]:
    """(bounds, start of the bound word or None) of a claim's figure read as `reading`
    (claim_rules.Reading): the figure's own range, else a bound word next to it or its verb."""
    word = None
    if figure.lower is None and figure.upper is None:
        word = bound_word(text, figure.start, reading.cue_start, words)
    if word is None:
        return stated_bounds(figure, reading.direction, None), None
    return stated_bounds(figure, reading.direction, word[1]), word[0]


def bound_word(
    text: str, figure_start: int, cue_start: int | None, words: BoundWords
) -> tuple[int, str] | None:
    """(start, kind) of the word that bounds a plain figure, or None.

    A before_figure word ends right before the figure (跌超5%); a before_verb word ends
    right before the claim's cue (至少跌了4%) or before the figure once linking words are
    skipped (跌幅至少为4%). Nothing further away counts: 跌幅最多的英伟达跌了17% states a point.
    """
    end = _skip_spaces_back(text, figure_start)
    found = _ending_at(text, end, words.before_figure)
    if found is not None:
        return found
    ends = [_skip_linking(text, end, words.linking)]
    if cue_start is not None:
        ends.append(_skip_spaces_back(text, cue_start))
    for place in ends:
        found = _ending_at(text, place, words.before_verb)
        if found is not None:
            return found
    return None


def stated_bounds(figure, direction: int, word_kind: str | None) -> Bounds:
    """The signed interval a figure states, or POINT.

    The figure's own range (超过10% → (10, ∞), 2000多 → [2000, 3000)) comes first, else the
    bound word's kind applied to its value. Both bound the magnitude a fall or rise states:
    a fall mirrors them (跌幅超过10% → (−∞, −10)), and a fall or rise bounded only above
    keeps its direction (跌了不到4% → (−4, 0]; 最多涨了3% → [0, 3]).
    """
    lower, upper = figure.lower, figure.upper
    if lower is not None or upper is not None:
        if lower is not None and lower == upper:
            return POINT  # 等于10: one value
        lower_closed = True if figure.lower_closed is None else bool(figure.lower_closed)
        upper_closed = True if figure.upper_closed is None else bool(figure.upper_closed)
    elif word_kind is not None and figure.value is not None:
        is_lower, closed = word_kind.startswith("lower"), word_kind.endswith("closed")
        lower, upper = (figure.value, None) if is_lower else (None, figure.value)
        lower_closed, upper_closed = closed, closed
    else:
        return POINT
    if direction in (FALL, RISE) and lower is None and upper > 0:
        lower, lower_closed = 0.0, True  # the verb states the direction: a change from 0
    if direction == FALL:
        lower, upper = _negated(upper), _negated(lower)
        lower_closed, upper_closed = upper_closed, lower_closed
    return Bounds(
        lower,
        upper,
        None if lower is None else lower_closed,
        None if upper is None else upper_closed,
    )


def _by_last_char(kinds: dict) -> WordsByLastChar:
    assert set(kinds) <= {*BOUND_KINDS, None}, f"bound kinds are {BOUND_KINDS}, not {set(kinds)}"
    pairs = sorted(
        ((word, kind) for kind, words in kinds.items() for word in words),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    by_char: dict[str, list[tuple[str, str]]] = {}
    for word, kind in pairs:
        by_char.setdefault(word[-1], []).append((word, kind))
    return {char: tuple(found) for char, found in by_char.items()}


def _ending_at(text: str, end: int, words: WordsByLastChar) -> tuple[int, str] | None:
    """(start, kind) of the longest word that ends at `end`, or None."""
    for word, kind in words.get(text[end - 1], ()) if end > 0 else ():
        if text.endswith(word, 0, end):
            return end - len(word), kind
    return None


def _skip_linking(text: str, end: int, linking: WordsByLastChar) -> int:
    """`end` moved back over linking words (为, 达, 了) and spaces."""
    end = _skip_spaces_back(text, end)
    while (found := _ending_at(text, end, linking)) is not None:
        end = _skip_spaces_back(text, found[0])
    return end


def _skip_spaces_back(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in " \t\u3000":
        end -= 1
    return end


def _negated(value: float | None) -> float | None:
    return None if value is None else 0.0 - value  # 0.0 - 0.0 is 0.0, not −0.0
