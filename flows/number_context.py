"""The context around a figure: comparators, hedges, unit words, set phrases, currency names.

`settle` folds into a figure's cached template whatever its context can only confirm (suffix
comparators, 左右, a unit word that reads nothing before the figure), so that `apply_settled`
is left with the checks that read the text around it.
"""

from __future__ import annotations

import re
from string import ascii_letters

from flows.number_figures import SPACES
from flows.number_grammar import Grammar
from flows.number_ranges import ROLE_QUANTITY, comparison_bound, set_bound
from flows.number_roles import (
    apply_unit_word,
    apply_word_shapes,
    apply_words,
    unit_word_needs_context,
    word_shapes,
)


def settle(template: dict, m: re.Match, text: str, g: Grammar) -> tuple:
    """(template with the context-free rules applied, pending unit word, words plan, currency?).

    Equivalent to apply_context with no prefix, minus the reads of the surrounding text.
    """
    start = m.start()
    record = template.copy()
    record["start"] += start
    record["end"] += start
    record["text"] = text[record["start"] : record["end"]]
    suffix, after = m.group("suf"), m.group("after")
    bound = g.suffix_bounds.get(SPACES.sub("", suffix)) if suffix else None
    if m.group("approx_after"):
        record["is_approximate"] = True
    pending = None
    if after and record["kind"] == "number" and record["unit"] is None:
        word = SPACES.sub("", after)
        if unit_word_needs_context(word):
            pending = word
        else:
            apply_unit_word(record, word, text, g)
    if bound:
        _bound(record, bound, ROLE_QUANTITY)
    run = _word_figure(m)
    figure = run or m.group(0)
    shapes, simplified = word_shapes(figure, g)
    words = (shapes, simplified, figure, (m.start("run") if run else start) - start)
    record["start"] -= start
    record["end"] -= start
    return record, pending, words, template["kind"] == "currency"


def apply_settled(settled: tuple, text: str, start: int, g: Grammar, floor: int) -> dict:
    """The record of a figure at `start` with no prefix word, from its settle() result."""
    template, pending, words, is_currency = settled
    record = template.copy()
    record["start"] += start
    record["end"] += start
    record["text"] = text[record["start"] : record["end"]]
    if is_currency:
        extend_over_currency_name(record, text, g, floor)
    if pending is not None:
        apply_unit_word(record, pending, text, g)
    if record["role"] == ROLE_QUANTITY and record["kind"] in ("number", "percent"):
        shapes, simplified, figure, offset = words
        apply_word_shapes(record, text, shapes, simplified, figure, start + offset)
    return record


def apply_context(record: dict, m: re.Match, text: str, g: Grammar, prefix: str) -> None:
    """Prefix/suffix comparators, hedges, unit words and the role the context gives the figure."""
    suffix, after = m.group("suf"), m.group("after")
    bound = g.suffix_bounds.get(SPACES.sub("", suffix)) if suffix else None
    if m.group("approx_after"):
        record["is_approximate"] = True
    if prefix:
        if prefix in g.approximators:
            record["is_approximate"] = True
        elif prefix == "比":
            bound = comparison_bound(text, record)
        elif prefix in g.prefix_bounds:
            bound = g.prefix_bounds[prefix]
        else:  # 第: an ordinal, whose span starts at the figure
            record["start"] = m.start()
            record["text"] = text[record["start"] : record["end"]]
            if prefix == "第":
                record["role"] = "ordinal"
    role = record["role"]
    if after and record["kind"] == "number" and record["unit"] is None:
        apply_unit_word(record, SPACES.sub("", after), text, g)
    if bound:
        _bound(record, bound, role)
    if record["role"] == ROLE_QUANTITY and record["kind"] in ("number", "percent"):
        run = _word_figure(m)
        apply_words(record, text, g, run or m.group(0), m.start("run") if run else m.start())


def _bound(record: dict, bound: str, role: str) -> None:
    """A comparator after the unit word is read (逾500点: a range of points); 超过2000年 is then
    a span of years, no date."""
    if record["role"] == "identifier":
        return  # 超过10年期: the tenor's name
    if record["role"] == "date" and record["unit"] != "hour":
        record["role"] = role
    set_bound(record, bound)


def _word_figure(m: re.Match) -> str | None:
    """The text a set phrase is looked up by: the run, or the whole fraction (十分之一 is no
    十分)."""
    return m.group("num") if m.group("frac_num") is not None else m.group("run")


def extend_over_currency_name(record: dict, text: str, g: Grammar, floor: int) -> None:
    """人民币 50元: a currency name right before an amount in the same currency joins its span."""
    index = record["start"]
    while index and text[index - 1] in " \t\u3000":
        index -= 1
    for length in (3, 2):
        name = text[max(floor, index - length) : index]
        if len(name) == length and g.currencies.get(name, ("",))[0] == record["currency"]:
            record["start"], record["text"] = index - length, text[index - length : record["end"]]
            return


def extend_over_symbol_letters(
    record: dict, text: str, symbol: str, g: Grammar, floor: int
) -> None:
    """US$20, A$5, NZ$8: the letters glued before the symbol name the dollar (its ISO code)."""
    start = record["start"]
    for length in (3, 2, 1):
        at = start - length
        if at < floor or (at and text[at - 1] in ascii_letters):
            continue
        found = g.currencies.get(text[at:start] + symbol)
        if found is not None:
            record["currency"], record["unit"] = found
            record["start"], record["text"] = at, text[at : record["end"]]
            return
