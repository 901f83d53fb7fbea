"""The short path of a cached figure whose neighbours cannot change it: a template and offsets.

Most figures sit between plain Chinese characters: no comparator, hedge or 第 before them, no
letter glued on either side, no currency name or + before, no set phrase around. Whether that is
so is told by the character before the figure (and, for a possible prefix, the one before it),
the character after it and the figure's set-phrase windows; then the record is the cached
template, with the role its own text gives it, moved to the figure's offset. Figures that the
neighbour rules (flows/number_neighbours.py) may revise take the long way too.
"""

from __future__ import annotations

from functools import cache
from string import ascii_letters

from flows.number_grammar import Grammar, grammar
from flows.number_neighbours import neighbourhood
from flows.number_ranges import ROLE_QUANTITY
from flows.number_roles import context_free_role
from flows.numerals import normalize

_SPACES = " \t\u3000"
_ASCII_LETTERS = frozenset(ascii_letters)


def fast_entry(settled: tuple) -> tuple | None:
    """What fast_record needs of a settle() result; None when the figure always reads context."""
    template, pending, words, _ = settled
    if pending is not None or template["start"] != 0:  # 日 after 月, 点 after 晚上: reads before
        return None
    if template["text"] in neighbourhood().names:  # 300 (沪深300): flows/number_neighbours.py
        return None
    static = template.copy()
    reads_words = static["role"] == ROLE_QUANTITY and static["kind"] in ("number", "percent")
    shapes, simplified, figure, offset = words
    stops, word_stops = _stops()  # what after the figure sends it the long way
    if reads_words:
        context_free_role(static, figure)
        stops = word_stops  # and letters: 5G, 3D are identifiers
    else:
        shapes = ()
    return static, static["end"], stops, shapes, simplified, offset


def fast_record(entry: tuple, text: str, start: int) -> dict | None:
    """The record of the figure at `start`, or None when its neighbours may change it."""
    static, length, stops, shapes, simplified, offset = entry
    before = text[start - 1 : start]
    triggers, prefix_ends, prefix_pairs = _context_characters()
    if before in triggers:
        return None
    if before in prefix_ends and start > 1 and text[start - 2 : start] in prefix_pairs:
        return None  # maybe a prefix word (超过了, 至少是): _prefix decides
    end = start + length
    if text[end : end + 1] in stops:  # 5G; 138-0013-8000, 00700.HK (number_neighbours.py)
        return None
    if shapes:
        figure_start = start + offset
        for shape_offset, shape_length, words in shapes:
            at = figure_start - shape_offset
            window = text[at : at + shape_length] if at >= 0 else ""
            if (window if simplified else normalize(window)) in words:
                return None
    record = static.copy()
    record["start"], record["end"], record["text"] = start, end, text[start:end]
    return record


@cache
def _context_characters() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(characters before a figure that always send it the long way, last characters of the
    prefix words, the two characters a prefix word can end with right before a figure)."""
    triggers, prefix_ends, prefix_pairs = _context_characters_of(grammar())
    return triggers | neighbourhood().before, prefix_ends, prefix_pairs


@cache
def _stops() -> tuple[frozenset[str], frozenset[str]]:
    """(characters after a figure that send it the long way, the same with ASCII letters)."""
    after = neighbourhood().after
    return after, after | _ASCII_LETTERS


def _context_characters_of(g: Grammar) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    prefixes = [
        [char for char in phrase if char != " "]
        for phrase in (*g.prefix_bounds, *g.approximators, "第", "比")
    ]
    single = {chars[0] for chars in prefixes if len(chars) == 1}
    currency_ends = {name[-1] for name in g.currencies}
    triggers = frozenset(ascii_letters + "-_+＋" + _SPACES) | single | currency_ends
    pairs = {chars[-2] + chars[-1] for chars in prefixes if len(chars) > 1}
    pairs |= {space + chars[-1] for chars in prefixes if len(chars) > 1 for space in _SPACES}
    return triggers, frozenset(chars[-1] for chars in prefixes), frozenset(pairs)
