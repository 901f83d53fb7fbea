"""Digit groups that are one code, not several amounts: phone numbers, stock codes, coded IDs.

The candidate regex reads 138-0013-8000 as three figures and 400-800-8888 as a range and a
figure; these rules, asked by flows/number_neighbours.py, read such groups as one identifier
(and 2025-01-27 as a date). Codes are told by shape and by the word before them, never by value.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from flows.number_clock import past_noon
from flows.number_dates import YEARS, dated_groups
from flows.number_grammar import grammar
from flows.number_ranges import ROLE_QUANTITY, make_record

if TYPE_CHECKING:
    from flows.number_neighbours import Neighbourhood

# Digit groups joined by single spaces or dashes, maybe after a calling code (+86 138 0013 8000).
_GROUPS = re.compile(r"[+＋]?[0-9]{1,4}(?:[ \-－][0-9]{1,8}){1,4}(?![0-9.．%％])")
_SEPARATOR = re.compile(r"[ \-－]")
_CODE_TAIL = re.compile(r"[0-9A-Za-z]*(?:[-_][0-9A-Za-z]+)*")
_CLOCK = re.compile(
    r"(?P<hour>[0-9]{1,2})[:：](?P<minute>[0-5][0-9])(?:[:：](?P<second>[0-5][0-9]))?(?![0-9])"
)
_TOLL_FREE = ("400", "800")


def identifier(text: str, start: int, end: int) -> dict:
    """A name or code at [start, end): no value."""
    return make_record(text, start, end, "number", None, role="identifier")


def phone_or_date(record: dict, text: str, n: Neighbourhood) -> list[dict] | None:
    """138-0013-8000, 010-12345678, +86 138 0013 8000: one identifier; 2025-01-27: a date."""
    start, end = record["start"], record["end"]
    if text[end : end + 1] not in " -－" and not record["text"].startswith(("+", "＋")):
        return None
    found = _GROUPS.match(text, start)
    if found is None:
        return None
    stated = found.group(0)
    groups = _SEPARATOR.split(stated.lstrip("+＋"))
    separators = {separator.replace("－", "-") for separator in _SEPARATOR.findall(stated)}
    if stated[0] in "+＋" and record["role"] == "identifier":  # a calling code, then the number
        return [identifier(text, start, found.end())]
    if separators == {"-"} and len(groups) == 3:
        dated = _iso_date(text, start, groups)
        if dated is not None:
            return dated
    return [identifier(text, start, found.end())] if _is_phone(groups, separators) else None


def stock_code(record: dict, text: str, n: Neighbourhood) -> list[dict] | None:
    """00700.HK, 600519.SH, 贵州茅台(600519): a stock code with its exchange or after its name."""
    start, end = record["start"], record["end"]
    digits = record["text"]
    if not (digits.isascii() and digits.isdigit() and 4 <= len(digits) <= 6):
        return None
    suffix = n.exchange_suffix.match(text, end) if text[end : end + 1] == "." else None
    if suffix is not None:
        return [identifier(text, start, suffix.end())]
    opened = text[start - 1 : start] in ("(", "（") and text[end : end + 1] in (")", "）")
    if not opened or start < 2 or not _is_name_character(text[start - 2]):
        return None
    if len(digits) == 4 and int(digits) in YEARS:  # 报告(2024): more likely a year
        return None
    return [identifier(text, start, end)]


def coded(record: dict, text: str, n: Neighbourhood) -> list[dict] | None:
    """订单号20250127001, 代码：600519: digits right after a code word, and what is glued on."""
    start, end = record["start"], record["end"]
    digits = record["text"]
    if record["role"] != ROLE_QUANTITY or record["kind"] != "number" or record["unit"]:
        return None
    if not digits.isdigit() or text[end : end + 1] in n.measure_words:  # 电话2部: a count
        return None
    if n.code_words.search(text, max(0, start - 8), start) is None:
        return None
    return [identifier(text, start, _CODE_TAIL.match(text, start).end())]


def _is_phone(groups: list[str], separators: set[str]) -> bool:
    """Mobile (138 0013 8000), area code (010-12345678), toll-free (400-800-8888) or 3+ dashed
    groups of 10 to 15 digits; never two plain figures (10000-20000, a range)."""
    digits = "".join(groups)
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        return True
    if groups[0].startswith("0") and len(groups[0]) in (3, 4) and 10 <= len(digits) <= 12:
        return True
    if digits.startswith(_TOLL_FREE) and len(digits) == 10 and len(groups[0]) <= 4:
        return True
    return separators == {"-"} and len(groups) >= 3 and 10 <= len(digits) <= 15


def _iso_date(text: str, start: int, groups: list[str]) -> list[dict] | None:
    """2025-01-27: year, month and day records, as 2025年1月27日 gives them."""
    year, month, day = groups
    if len(year) != 4 or not 1 <= len(month) <= 2 or not 1 <= len(day) <= 2:
        return None
    return dated_groups(text, start, list(zip(groups, ("year", "month", "day"), strict=True)))


def _is_name_character(char: str) -> bool:
    """A CJK ideograph or a Latin letter: what a company name before its code ends with."""
    return "\u4e00" <= char <= "\u9fff" or (char.isascii() and char.isalpha())


def clock_time(record: dict, text: str, n: Neighbourhood) -> list[dict] | None:
    """21:30, 09:30:15, 上午9:30: a time of day in hours (21.5), role date as 晚上8点's 8.

    The hour has two digits or follows a time word: 1:10 and 3:1 are ratios or scores.
    """
    start = record["start"]
    found = _CLOCK.match(text, start)
    if found is None or int(found.group("hour")) > 23:
        return None
    if len(found.group("hour")) == 1 and not text.endswith(n.time_prefixes, 0, start):
        return None
    hours = Decimal(found.group("hour")) + Decimal(found.group("minute")) / 60
    precision = Decimal(1) / 60
    if found.group("second"):
        hours += Decimal(found.group("second")) / 3600
        precision = Decimal(1) / 3600
    record = make_record(text, start, found.end(), "number", hours, unit="hour", role="date")
    record["precision"] = float(precision)
    past_noon(record, text, grammar())  # 下午3:30 → 15.5
    return [record]
