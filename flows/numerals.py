"""Exact values of Chinese, Arabic and mixed numerals ("一千零三十六", "36.57亿", "5万4千6百").

Hand-written because no well-kept library converts exactly: cn2an goes through floats
("16.4亿" → 1639999999) and knows neither hedges (多, 余, 几) nor the precision of a figure.
Everything here is `decimal.Decimal`; callers convert to float at the very end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Full-width, traditional and financial forms → the small alphabet the parser reads (数十 is
# read as 几十).
# One character in, one character out, so offsets never move.
NORMALIZE = str.maketrans(
    "０１２３４５６７８９．，－＋％／萬億兩倆俩負點個幾数數貳參陸對雙壹贰叁肆伍陆柒捌玖拾佰仟〇",
    "0123456789.,-+%/万亿两两两负点个几几几二三六对双一二三四五六七八九十百千零",
)
DIGITS = {c: Decimal(i) for i, c in enumerate("零一二三四五六七八九")} | {"两": Decimal(2)}
SMALL_UNITS = {"十": Decimal(10), "百": Decimal(100), "千": Decimal(1000)}
BIG_UNITS = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8, "兆": Decimal(10) ** 12}
HEDGES = "多余几"

_TOKEN = re.compile(r"\d+(?:\.\d+)?|.")
_ONE, _TEN = Decimal(1), Decimal(10)


@dataclass(frozen=True)
class Numeral:
    """A parsed numeral: `value` (the lower end when hedged), `upper` (exclusive, hedged only)."""

    value: Decimal
    decimals: int  # decimal places as written, in the numeral's own scale
    precision: Decimal  # size of the last stated digit (of the hedge step when hedged)
    upper: Decimal | None = None


def normalize(text: str) -> str:
    """Map full-width, traditional and financial forms onto the parser's alphabet (same length)."""
    return text.translate(NORMALIZE)


def parse_numeral(text: str) -> Numeral | None:
    """Value of a normalized numeral without spaces or commas; None when it is not one."""
    if text.startswith("."):
        text = "0" + text
    for hedge in HEDGES:
        if hedge in text:
            return _parse_hedged(text, hedge)
    return _parse_plain(text)


def digit_string(text: str) -> Decimal | None:
    """ "二零二五" → 2025: Chinese digits read one by one (years, codes); None otherwise."""
    if len(text) < 2 or any(c not in DIGITS or c == "两" for c in text):
        return None
    return Decimal("".join(str(int(DIGITS[c])) for c in text))


def _parse_plain(text: str) -> Numeral | None:
    whole, _, fraction = text.partition("点")
    if not fraction:
        return _parse_integer(whole)
    frac_digits = fraction.rstrip("万亿兆")
    scale_text = fraction[len(frac_digits) :]
    if not frac_digits or any(c not in DIGITS or c == "两" for c in frac_digits):
        return None
    integer = _parse_integer(whole)
    if integer is None:
        return None
    places = len(frac_digits)
    value = integer.value + Decimal("0." + "".join(str(int(DIGITS[c])) for c in frac_digits))
    precision = Decimal(1).scaleb(-places)
    for unit in scale_text:
        value, precision = value * BIG_UNITS[unit], precision * BIG_UNITS[unit]
    return Numeral(value, places, precision)


def _parse_hedged(text: str, hedge: str) -> Numeral | None:
    head, _, tail = text.partition(hedge)
    if hedge == "几" and not head:  # 几十亿: one to nine tens of 亿
        base = _parse_plain("一" + tail) if tail and tail[0] in SMALL_UNITS | BIG_UNITS else None
        if base is None:
            return None
        return Numeral(base.value, 0, base.value, base.value * _TEN)
    if any(c not in BIG_UNITS for c in tail) or not head:
        return None
    base = _parse_integer(head.removesuffix("零"))
    if base is None:
        return None
    multiplier = _ONE
    for unit in tail:
        multiplier *= BIG_UNITS[unit]
    # 十几 / 一百零几: the unknown digit sits in the units place; 2000多: one more leading step.
    step = _ONE if hedge == "几" else _last_nonzero_place(head, base)
    value, step = base.value * multiplier, step * multiplier
    upper = value + step * (_TEN if hedge == "几" else _ONE)
    return Numeral(value, base.decimals, step * (_TEN if hedge == "几" else _ONE), upper)


def _last_nonzero_place(head: str, base: Numeral) -> Decimal:
    if base.decimals or not head.isdigit():
        return base.precision
    stripped = head.rstrip("0")
    return Decimal(10) ** (len(head) - len(stripped)) if stripped else _ONE


def _parse_integer(text: str) -> Numeral | None:
    """Chinese/Arabic/mixed integer part; Arabic tokens may carry decimals ("1.5万")."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return None
    total = section = Decimal(0)
    digit: Decimal | None = None
    digit_is_chinese = after_zero = False
    last_big: Decimal | None = None
    last_unit: Decimal | None = None  # unit of the previous token, for 两千四百五 → 2450
    last_small: Decimal | None = None  # small units fall within a section: 五十千 is no numeral
    precision, decimals = _ONE, 0
    saw_digit = False
    for token in tokens:
        if token[0].isdigit():
            if digit is not None:
                return None
            digit, digit_is_chinese, saw_digit = Decimal(token), False, True
            decimals = len(token.partition(".")[2])
            precision = Decimal(1).scaleb(-decimals)
            last_unit = None
        elif token in DIGITS:
            if digit is not None:
                return None
            saw_digit = True
            if DIGITS[token] == 0:
                after_zero, last_unit = True, None
                continue
            digit, digit_is_chinese, precision, decimals = DIGITS[token], True, _ONE, 0
        elif token == "半":
            if digit is not None:
                return None
            digit, digit_is_chinese, saw_digit = Decimal("0.5"), False, True
        elif token in SMALL_UNITS:
            unit = SMALL_UNITS[token]
            if last_small is not None and unit >= last_small:
                return None
            last_small = unit
            if digit is None:
                digit = _ONE
            section += digit * unit
            precision = precision * unit if not digit_is_chinese else unit
            digit, after_zero, last_unit, saw_digit = None, False, unit, True
        elif token in BIG_UNITS:
            unit = BIG_UNITS[token]
            amount = section + (digit or 0)
            if not saw_digit or (amount == 0 and total == 0):
                return None
            if last_big is None or unit >= last_big:
                total = (total + amount) * unit
                precision *= unit
            else:
                total += amount * unit
                if amount:
                    precision *= unit
            section, digit, after_zero, last_big, last_unit = Decimal(0), None, False, unit, unit
            last_small = None
        else:
            return None
    if digit is not None:
        if digit_is_chinese and last_unit is not None and not after_zero:
            digit *= last_unit / _TEN  # 一万三 → 13000, 两千四百五 → 2450
            precision = last_unit / _TEN
        section += digit
    if not saw_digit:
        return None
    return Numeral(total + section, decimals, precision)


def to_decimal(text: str) -> Decimal | None:
    """Decimal of an ASCII number ("1,234.5"), or None."""
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
