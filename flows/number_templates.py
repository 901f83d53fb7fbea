"""What a matched figure is, apart from its context: a record template relative to the match.

It depends only on the match, its lookaheads and the two characters the regex looks behind at,
so flows/numbers.py caches it under that key.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flows.number_figures import (
    MINOR_UNITS,
    SPACES,
    fallback_record,
    longest_numeral,
    match_numeral,
    numeral_of,
    percent_divisor,
    signed_numeral,
    tenths,
    value_of,
)
from flows.number_grammar import Grammar
from flows.number_ranges import make_record
from flows.number_roles import SCALED_COUNTS, UNIT_BY_WORD
from flows.numerals import Numeral, normalize

_TENTH = Decimal(10)  # one 成, in percent
_HALF = Decimal(50)
_LAST_HOUR = 24
_DATE_WORDS = frozenset(("月", "日", "号", "时", "个点", "季度"))  # their role reads the context


def figure_template(m: re.Match, text: str, g: Grammar) -> tuple[dict, str | None, bool] | None:
    """(record with offsets relative to the match, currency symbol, whether context applies)."""
    start = m.start()
    end = m.end()
    unit = currency = symbol = None
    kind = "number"
    if m.group("per") is not None:
        numeral = signed_numeral(m.group("per_num"))
        if numeral is None:
            found = longest_numeral(m.group("per_num"))
            if found is None:
                return None
            numeral, kept = found
            end = m.start("per_num") + kept
        divisor = percent_divisor(m.group("per"))
        if not divisor:  # 百百分之5: no denominator
            return None
        value = numeral.value * (1000 if m.group("per_kilo") else 1) / divisor
        kind, unit, precision = "percent", "percent", numeral.precision / divisor
    elif m.group("sym") is not None:
        numeral = numeral_of(m.group("sym_num"))
        if numeral is None:
            return None
        symbol = m.group("sym")
        currency, unit = g.currencies[symbol]
        kind, value, precision = "currency", numeral.value, numeral.precision
        if m.group("sym_scale"):  # $35.1B
            factor = g.symbol_scales[m.group("sym_scale")]
            value, precision = value * factor, precision * factor
    elif m.group("zhe") or m.group("cheng"):
        value = tenths(m)
        if value is None:
            return None
        numeral, precision = Numeral(value, 0, Decimal(1)), Decimal(1)
        if m.group("cheng_more") and not (m.group("cheng_half") or m.group("cheng_tail")):
            numeral = Numeral(value, 0, _TENTH, value + _TENTH)  # 一成多: [10 %, 20 %)
        kind, unit = "percent", "percent"
    elif m.group("half"):  # 一半: half, as 打对折
        numeral, precision = Numeral(_HALF, 0, Decimal(1)), Decimal(1)
        kind, unit, value = "percent", "percent", _HALF
    else:
        numeral = match_numeral(m)
        if numeral is None:
            fallback = fallback_record(m, text)
            if fallback is None:
                return None
            if fallback["kind"] == "range" and m.group("cur") and not m.group("minor"):
                word = SPACES.sub("", m.group("cur")).removeprefix("个")  # 五六万块
                fallback["currency"], fallback["unit"] = g.currencies[normalize(word)]
                fallback["end"], fallback["text"] = m.end("cur"), text[start : m.end("cur")]
            elif fallback["kind"] == "range" and m.group("after"):
                if _pair_unit(fallback, SPACES.sub("", m.group("after"))):  # 三四个亿
                    fallback["end"], fallback["text"] = m.end("after"), text[start : m.end("after")]
            return _relative(fallback, start), None, False
        value, precision = numeral.value, numeral.precision
        if m.group("sign") and m.group("sign").strip() in "负負-−－":
            value = -value
        if m.group("pct"):
            kind, unit = "percent", "percent"
        elif m.group("points"):
            kind, unit = "percent", "percentage_point"
        elif m.group("bp"):  # 25个基点, 50bp: hundredths of a percentage point
            kind, unit = "percent", "percentage_point"
            value, precision = value / 100, precision / 100
        elif m.group("cur"):
            word = SPACES.sub("", m.group("cur")).removeprefix("个")
            currency, unit = g.currencies[normalize(word) if word not in g.currencies else word]
            kind = "currency"
            if m.group("minor"):
                precision = MINOR_UNITS[m.group("minor_unit")]
                value += value_of(m.group("minor")) * precision
            if m.group("cent"):
                precision = MINOR_UNITS["分"]
                value += value_of(m.group("cent")) * precision
        elif m.group("dozen"):
            value, precision = value * 12, precision * 12
    record = make_record(text, start, end, kind, value, unit=unit, currency=currency)
    record["precision"] = float(precision)
    record["decimals"] = numeral.decimals
    if numeral.upper is not None:  # 2000多 → [2000, 3000); 负2000多 → (-3000, -2000]
        negative = value < 0
        lower, upper = (-numeral.upper, value) if negative else (value, numeral.upper)
        record.update(
            lower=float(lower),
            upper=float(upper),
            lower_closed=not negative,
            upper_closed=negative,
            is_approximate=True,
        )
    return _relative(record, start), symbol, True


def _pair_unit(record: dict, after: str) -> bool:
    """两三个, 五六百点, 两三年: the unit word after a range of two neighbouring numerals, when it
    reads nothing around it (三四月 may be March and April, 两三点 a clock time: over 24 only).
    True when the word scales the range (三四个亿) and so joins its span."""
    word = normalize(after).rstrip("多余") or after
    if word in ("点", "點"):
        if record["lower"] > _LAST_HOUR:
            record["unit"] = "points"
    elif word in SCALED_COUNTS:
        factor = SCALED_COUNTS[word]
        record.update(lower=record["lower"] * factor, upper=record["upper"] * factor)
        record["precision"] *= factor
        return True
    elif word not in _DATE_WORDS:
        record["unit"] = UNIT_BY_WORD.get(word)
    return False


def _relative(record: dict, start: int) -> dict:
    record["start"] -= start
    record["end"] -= start
    return record
