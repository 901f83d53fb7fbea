"""Recognize numeric expressions in Chinese text: numbers, percents, money, ranges, and their role.

Hand-written on purpose: no well-kept library reads Chinese amounts exactly (cn2an goes through
floats), hedges them (2000多, 上万, 几十亿) or tells quantities from identifiers (401K, R1, 五G),
dates (95后, 1月27日) and idioms (从0到1). Microsoft Recognizers-Text does some of it, but needs
`emoji<1.0` and runs at ~0.03 MB/s. Here one compiled regex finds candidates
(flows/number_grammar.py), flows/numerals.py computes exact Decimal values, and a merge pass
joins neighbours into ranges (20到30, 大于10小于20).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from string import ascii_letters, ascii_uppercase

from flows.number_context import (
    apply_context,
    apply_settled,
    extend_over_currency_name,
    extend_over_symbol_letters,
    settle,
)
from flows.number_dates import YEARS, date_month_days, full_date
from flows.number_fast import fast_entry, fast_record
from flows.number_figures import (
    SPACES,
    value_of,
)
from flows.number_grammar import IDENTIFIER_HEAD, IDENTIFIER_TAIL, URL, Grammar, grammar
from flows.number_multiples import with_multiples
from flows.number_neighbours import neighbourhood, revise
from flows.number_ranges import (
    ROLE_SKIP,
    make_record,
    merge_ranges,
)
from flows.number_templates import figure_template

FIGURE_CACHE_SIZE = 1 << 16
_FIGURES: dict[tuple, tuple | None] = {}
_FAST: dict[tuple, tuple] = {}  # the same keys → fast_entry(), for figures that have one
_KEY_GROUPS = (0, "after", "approx_after")  # the figure, and what its lookaheads read
_MISSING = object()
_IDENTIFIER_LEAD = frozenset(ascii_letters + "-_")  # R1, GPT-4o: a letter glued before a digit
_WHOLE_BRANCHES = ("ident", "cohort", "halfoff", "shang")  # branches with no inner groups
_START = re.Match.start
_SYMBOL_LETTERS = frozenset(ascii_uppercase)  # the letters before $ of a dollar's name


def recognize(text: str) -> list[dict]:
    """One record per numeric expression in `text`, ordered by start (see module docstring)."""
    return recognize_at(text, list(map(_START, grammar().anchor.finditer(text))))


def recognize_at(text: str, anchors: list[int]) -> list[dict]:
    """recognize(text), given where its anchor characters are (see flows/number_anchors.py)."""
    g = grammar()
    has_url = "://" in text or "www." in text
    urls = [(u.start(), u.end()) for u in URL.finditer(text)] if has_url else []
    records = []
    match = g.pattern.match
    before, after, names = _neighbour_triggers()
    position = 0  # where the last record ended: anchors before it are inside it
    for start in anchors:
        if start < position:
            continue
        if urls and any(low <= start < high for low, high in urls):
            position = next(high for low, high in urls if low <= start < high)
            continue
        m = match(text, start)
        if m is None:
            continue
        position = m.end()
        if position == start:
            continue
        # What the figure is depends only on the match, its lookaheads and the two characters the
        # regex looks behind at: it is cached under that key (_quantity); context is read anew.
        key = (text[start - 2 : start] if start > 1 else text[:start], *m.group(*_KEY_GROUPS))
        fast = _FAST.get(key)
        if fast is not None and m.lastgroup not in _WHOLE_BRANCHES:
            record = fast_record(fast, text, start)  # None for the figures revise may change
            if record is not None:
                records.append(record)
                continue
        floor = records[-1]["end"] if records else 0
        if m.lastgroup == "ymd":  # 2025.01.27, 2025/1/27
            records += full_date(text, start, position)
            continue
        if (start and text[start - 1] in _IDENTIFIER_LEAD) or m.lastgroup in _WHOLE_BRANCHES:
            record = _record(m, text, g, floor, key)
        else:
            record = _quantity(m, text, g, floor, key)
        if record is None:
            continue
        low, high = record["start"], record["end"]
        if (
            text[low - 1 : low] in before
            or text[high : high + 1] in after
            or record["text"] in names
        ):
            revised = revise(record, text, floor)
            if revised is not None:
                records += revised
                position = max(position, revised[-1]["end"])
                continue
        records.append(record)
        if high > position:
            position = high
    if "/" in text or "／" in text:  # 1/27收盘: a month and a day, not a fraction
        records = date_month_days(records, text)
    if "翻" in text:  # 翻倍, 翻两番: multiples with no 倍 numeral
        records = with_multiples(records, text)
    if len(records) == 1:
        return records if records[0]["role"] != ROLE_SKIP else []
    return merge_ranges(records, text, g) if records else records


@cache
def _neighbour_triggers() -> tuple[frozenset[str], frozenset[str], dict]:
    """(characters before, characters after, figure texts) that call number_neighbours.revise;
    loaded on the first call, as the vocabularies are."""
    neighbours = neighbourhood()
    return neighbours.before, neighbours.after, neighbours.names


def _record(m: re.Match, text: str, g: Grammar, floor: int, key: tuple) -> dict | None:
    """The record of one candidate match; `floor` is where the previous record ended."""
    start, end = m.start(), m.end()
    if start and text[start - 1] in _IDENTIFIER_LEAD and m.group("sym") is None:  # not US$5
        head = IDENTIFIER_HEAD.search(text, max(floor, start - 32), start)
        if head is not None and head.start() != start:  # R1, o1, H800, GPT-4o, v2.1
            tail = IDENTIFIER_TAIL.match(text, start)
            end = max(tail.end(), start + 1)
            digits = text[start:end]
            if len(digits) == 4 and head.group(0).upper() in neighbourhood().year_heads:
                year = int(digits) if digits.isdecimal() else None  # FY2025: a fiscal year
                if year in YEARS:
                    record = make_record(text, head.start(), end, "number", year, role="date")
                    return record | {"unit": "year"}
            return make_record(text, head.start(), end, "number", None, role="identifier")
    branch = m.lastgroup
    if branch not in _WHOLE_BRANCHES:
        return _quantity(m, text, g, floor, key)
    if branch == "ident":
        return make_record(text, start, end, "number", None, role="identifier")
    if branch == "cohort":
        return make_record(
            text, start, end, "number", value_of(m.group("cohort")[:-1]), role="date"
        )
    if branch == "halfoff":
        return make_record(text, start, end, "percent", Decimal(50), unit="percent")
    if start - 1 < floor:  # the 上 belongs to the previous record (以上万)
        return None
    lower = float(value_of("一" + m.group("shang")))  # 上万: ten thousand or more
    record = make_record(text, start - 1, end, "range", None, unit=None, approximate=True)
    return record | {
        "lower": lower,
        "lower_closed": True,
        "upper_closed": False,
        "precision": lower,
    }


def _prefix(text: str, start: int, g: Grammar, floor: int) -> tuple[str, int]:
    """The comparator/hedge/第 word right before a figure, and where it starts ("" if none)."""
    index = start
    while index and text[index - 1] in " \t\u3000":
        index -= 1
    if not index or text[index - 1] not in g.prefix_last_chars:
        return "", start
    found = g.prefix.search(text, max(floor, start - 16), start)
    if found is None:
        return "", start
    return SPACES.sub("", found.group(0)), found.start()


def _quantity(m: re.Match, text: str, g: Grammar, floor: int, key: tuple) -> dict | None:
    """A figure with its prefix (comparator, hedge, 第), suffix (%, 个百分点, currency) and unit."""
    start = m.start()
    figure = _FIGURES.get(key, _MISSING)
    if figure is _MISSING:
        figure = figure_template(m, text, g)
        if len(_FIGURES) >= FIGURE_CACHE_SIZE:
            _FIGURES.clear()
            _FAST.clear()
        if figure is not None and figure[2]:
            figure = (*figure, settle(figure[0], m, text, g))
            fast = None if figure[1] else fast_entry(figure[3])
            if fast is not None:
                _FAST[key] = fast
        _FIGURES[key] = figure
    if figure is None:
        return None
    template, symbol, with_context = figure[:3]
    if not with_context:
        record = template.copy()
        record["start"] += start
        record["end"] += start
        record["text"] = text[record["start"] : record["end"]]
        return record
    if symbol is None:
        index = start
        while index and text[index - 1] in " \t\u3000":
            index -= 1
        if not index or text[index - 1] not in g.prefix_last_chars:
            return apply_settled(figure[3], text, start, g, floor)
    prefix, prefix_start = _prefix(text, start, g, floor)
    if not prefix and symbol is None:
        return apply_settled(figure[3], text, start, g, floor)
    record = template.copy()
    record["start"] += start
    record["end"] += start
    record["text"] = text[record["start"] : record["end"]]
    if prefix:
        record["start"], record["text"] = prefix_start, text[prefix_start : record["end"]]
    elif symbol and start and text[start - 1] in _SYMBOL_LETTERS:  # US$, HK$, A$, NZ$
        extend_over_symbol_letters(record, text, symbol, g, floor)
    elif record["kind"] == "currency":
        extend_over_currency_name(record, text, g, floor)
    apply_context(record, m, text, g, prefix)
    return record
