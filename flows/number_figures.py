"""Values of the figures the candidate regex matched: runs, fractions, exponents, tenths."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from flows.number_grammar import grammar
from flows.number_ranges import ROLE_QUANTITY, make_record
from flows.numerals import DIGITS, Numeral, digit_string, normalize, parse_numeral, to_decimal

SPACES = re.compile(r"[ \t\u3000,]")
MINOR_UNITS = {
    "角": Decimal("0.1"),
    "毛": Decimal("0.1"),
    "分": Decimal("0.01"),
    "美分": Decimal("0.01"),
    "銭": Decimal("0.01"),
    "日本銭": Decimal("0.01"),
}


def match_numeral(m: re.Match) -> Numeral | None:
    """The value of the `num` branch of a match: a run, a fraction, a slash or an exponent."""
    if m.group("run") is not None:
        numeral = numeral_of(m.group("run"))
        if numeral is None:
            return None
        if m.group("frac_num") is not None:  # 五分之一: denominator first
            numerator = signed_numeral(m.group("frac_num"))
            if numerator is None or numeral.value == 0:
                return None
            return Numeral(numerator.value / numeral.value, 0, numerator.precision)
        if m.group("mixed_den") is not None:  # 三又三分之一
            denominator, numerator = (
                numeral_of(m.group("mixed_den")),
                numeral_of(m.group("mixed_num")),
            )
            if denominator is None or numerator is None or denominator.value == 0:
                return None
            value = numeral.value + numerator.value / denominator.value
            return Numeral(value, 0, numerator.precision)
        if m.group("kilo"):  # 500K, 5M, 35.1B美元, 1.2bn美元
            factor = Decimal(grammar().symbol_scales.get(m.group("kilo"), 1000))
            numeral = Numeral(numeral.value * factor, numeral.decimals, numeral.precision * factor)
        return numeral
    if m.group("exp") is not None:
        return _exponent(normalize(m.group("exp")))
    whole, _, fraction = normalize(m.group("slash")).rpartition(" ")
    top, _, bottom = fraction.partition("/")
    if int(bottom) == 0:
        return None
    value = Decimal(int(whole or 0)) + Decimal(int(top)) / Decimal(int(bottom))
    return Numeral(value, 0, Decimal(1) / Decimal(int(bottom)))


def tenths(m: re.Match) -> Decimal | None:
    """打八折 → 80, 75折 → 75, 三点一折 → 31, 九成 → 90, 三成半 → 35, 七成六 → 76 (percent)."""
    if m.group("run") is None:  # 3e5成, 1/2折: no reading as tenths
        return None
    raw = SPACES.sub("", normalize(m.group("run")))
    if raw == "半":
        return Decimal(50 if m.group("zhe") else 5)
    if m.group("zhe") and len(raw) == 2 and all(c in DIGITS or c.isdigit() for c in raw):
        return value_of(raw[0]) * 10 + value_of(
            raw[1]
        )  # 三八折, 75折: two digits read as a percent
    numeral = numeral_of(raw)
    limit = 10 if m.group("zhe") else 10.5
    if numeral is None or not 0 < numeral.value < limit or numeral.upper is not None:
        return None
    value = numeral.value * 10
    if m.group("cheng_half"):
        value += 5
    elif m.group("cheng_tail"):
        value += value_of(m.group("cheng_tail"))
    return value


def fallback_record(m: re.Match, text: str) -> dict | None:
    """Runs that are no single numeral: 二零二五 (digits read one by one), 二三十 (20 to 30)."""
    raw = SPACES.sub("", normalize(m.group("num")))
    start, end = m.start("num"), m.end("num")
    value = digit_string(raw)
    if value is not None and len(raw) >= 3:
        record = make_record(text, start, end, "number", value)
        record["role"] = "date" if text.startswith("年", end) else ROLE_QUANTITY
        return record
    if raw[:1] == "两":  # 两三个: as 二三
        raw = "二" + raw[1:]
    if (
        len(raw) >= 2
        and raw[0] in "一二三四五六七八"
        and raw[1] == "一二三四五六七八九"["一二三四五六七八".index(raw[0]) + 1]
    ):
        low, high = parse_numeral(raw[0] + raw[2:]), parse_numeral(raw[1:])
        if low is not None and high is not None:
            record = make_record(text, start, end, "range", None, approximate=True)
            record.update(
                lower=float(low.value),
                upper=float(high.value),
                lower_closed=True,
                upper_closed=True,
                precision=float(low.precision),
            )
            return record
    found = longest_numeral(m.group("num"))
    if found is None:
        return None
    return make_record(text, start, start + found[1], "number", found[0].value)


@lru_cache(maxsize=65536)
def numeral_of(raw: str) -> Numeral | None:
    """Exact value of a raw run (full-width, traditional, spaced), cached by its text."""
    return parse_numeral(SPACES.sub("", normalize(raw)))


def signed_numeral(raw: str) -> Numeral | None:
    """Like numeral_of, with a leading 负 or minus."""
    text = normalize(raw).lstrip()
    negative = text[:1] in ("负", "-")
    numeral = numeral_of(text[1:] if negative else text)
    if numeral is None or not negative:
        return numeral
    return Numeral(-numeral.value, numeral.decimals, numeral.precision, numeral.upper)


def longest_numeral(raw: str) -> tuple[Numeral, int] | None:
    """五十千 → 五十, 七十百 → 七十: the longest prefix that is a numeral with a unit in it."""
    compact = SPACES.sub("", normalize(raw))
    for cut in range(len(compact) - 1, 0, -1):
        head = compact[:cut]
        numeral = parse_numeral(head) if any(c in "十百千万亿" for c in head) else None
        if numeral is not None:
            return numeral, _original_length(raw, cut)
    return None


def value_of(raw: str) -> Decimal:
    """The value of a raw run, 0 when it is none (callers matched it as a numeral)."""
    numeral = numeral_of(raw)
    return numeral.value if numeral is not None else Decimal(0)


def percent_divisor(per: str) -> Decimal:
    """百分之 → 1, 千分之 → 10, 百万分之 → 10 000: the denominator over 100."""
    return value_of("一" + per) / 100


def looks_like_a_code(numeral: str) -> bool:
    """Bare digit strings that are no amounts: 12+ digits, mobile numbers, leading zeros."""
    if not numeral.isdigit() or len(numeral) < 2:
        return False
    is_mobile = len(numeral) == 11 and numeral[0] == "1" and numeral[1] in "3456789"
    return len(numeral) >= 12 or is_mobile or numeral[0] == "0"


def _original_length(raw: str, kept: int) -> int:
    """Characters of `raw` (with spaces and commas) that hold its first `kept` significant ones."""
    seen = 0
    for index, char in enumerate(raw):
        if SPACES.match(char) is None:
            seen += 1
            if seen == kept:
                return index + 1
    return len(raw)


def _exponent(raw: str) -> Numeral | None:
    raw = raw.replace(",", "")
    if "^" in raw:
        base, _, power = raw.partition("^")
        negative = power.count("-") % 2 == 1
        exponent = int(power.lstrip("+-")) * (-1 if negative else 1)
        base_value = to_decimal(base)
        return None if base_value is None else Numeral(base_value**exponent, 0, Decimal(0))
    value = to_decimal(raw)
    return None if value is None else Numeral(value, 0, Decimal(0))
