"""Dates written with digits and separators: 2025.01.27, 2025/1/27, 1/27收盘, 27日晚间.

The candidate regex reads 1/27 as a fraction and 27日 as a count of days; whether they are a
date is told by the words around them (number_rules.json: date_followers, date_leaders,
day_count_before), never by the value alone: 持有1/3的股份 and 近5日 stay quantities.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache

from flows.number_ranges import ROLE_QUANTITY, make_record
from flows.paths import VOCAB_DIR

YEARS = range(1900, 2101)  # a four-digit group that can be a year of a stated date
_LEAP_YEAR = 2024  # a month/day without a year is valid if it is in some year (2/29)
_SEPARATORS = re.compile(r"[./／]")
_MONTH_DAY = re.compile(r"(?P<month>[0-9０-９]{1,2})[/／](?P<day>[0-9０-９]{1,2})")
_YEAR_PAIR = re.compile(r"(?P<first>[0-9]{4})[/／](?P<second>[0-9]{2}|[0-9]{4})")
_LIST_GAP = re.compile(r"\s*(?:[、,，和与及至到~～—–\-－]|以及)\s*")
_LATIN_WORD_BEFORE = re.compile(r"[A-Za-z][ \t]*\Z")  # PyCharm 2024.3.1: a version
_VERSION_AFTER = ("版", "version", "Version")
_SPACES = " \t\u3000"
_CLAUSE_ENDS = frozenset('，,。；;：:！？!?\n（(「“"')  # 27日，… opening a clause: a date


def full_date(text: str, start: int, end: int) -> list[dict]:
    """2025.01.27, 2025/1/27, 1/27/2025: year, month and day records (as 2025年1月27日 gives
    them); one identifier when no valid date reads unambiguously or a version is meant."""
    stated = text[start:end]
    groups = _SEPARATORS.split(stated)
    if "." in stated and (
        _LATIN_WORD_BEFORE.search(text, max(0, start - 2), start) is not None
        or text.startswith(_VERSION_AFTER, end)
    ):
        return [make_record(text, start, end, "number", None, role="identifier")]
    if len(groups[0]) == 4:
        units = ("year", "month", "day")
    elif int(groups[0]) > 12 >= int(groups[1]):  # 27/1/2025: day first
        units = ("day", "month", "year")
    elif int(groups[1]) > 12 >= int(groups[0]) or groups[0] == groups[1]:  # 1/27/2025
        units = ("month", "day", "year")
    else:  # 1/2/2025: January 2 or February 1
        units = ()
    dated = dated_groups(text, start, list(zip(groups, units, strict=False))) if units else None
    return dated or [make_record(text, start, end, "number", None, role="identifier")]


def dated_groups(text: str, start: int, groups: list[tuple[str, str]]) -> list[dict] | None:
    """Date records of digit groups (text, unit) joined by one-character separators from
    `start`; None unless they make a valid calendar date in YEARS."""
    parts = {unit: int(group) for group, unit in groups}
    if len(groups) != 3 or parts["year"] not in YEARS:
        return None
    try:
        dt.date(parts["year"], parts["month"], parts["day"])
    except ValueError:
        return None
    records, at = [], start
    for group, unit in groups:
        record = make_record(text, at, at + len(group), "number", parts[unit], role="date")
        records.append(record | {"unit": unit})
        at += len(group) + 1
    return records


def date_month_days(records: list[dict], text: str) -> list[dict]:
    """1/27收盘, 截至1/27, 1/27、1/28收盘: month/day figures the context dates become a month
    and a day record, 2024/25 a year; fractions (1/3的股份, 约1/4) stay as they are."""
    records = [_split_year(record) or record for record in records]  # 2024/25财年
    found = [index for index, record in enumerate(records) if _month_day(record) is not None]
    if not found:
        return records
    words = date_words()
    dated = {index for index in found if _is_dated(records[index], text, words)}
    for sequence in (found, found[::-1]):  # 1/27、1/28收盘: a list shares its date context
        for previous, index in zip(sequence, sequence[1:], strict=False):
            first, second = sorted((records[previous], records[index]), key=_start)
            if previous in dated and _LIST_GAP.fullmatch(text, first["end"], second["start"]):
                dated.add(index)
    if not dated:
        return records
    revised: list[dict] = []
    for index, record in enumerate(records):
        if index in dated:
            month, day = _month_day(record)
            split = record["start"] + len(month) + 1
            revised.append(_part(text, record["start"], split - 1, int(month), "month"))
            revised.append(_part(text, split, record["end"], int(day), "day"))
        else:
            revised.append(record)
    return revised


def is_dated_day(record: dict, text: str, word_end: int) -> bool:
    """27日晚间, 截至27日, 24日将, a clause opening with 27日，: a day of month; 近5日, 每3日
    and 20日均线 are counts of days. `word_end` is where 日/号 ends."""
    value = record["value"]
    if record["is_approximate"] or value != int(value) or not 1 <= value <= 31:
        return False
    words = date_words()
    before = text[record["start"] - 1 : record["start"]]
    if before in words.day_count_before:
        return False
    if _has_follower(text, word_end, words) or _has_leader(text, record["start"], words):
        return True
    if text.startswith(words.day_followers, word_end):
        return True  # 24日将, 27日表示
    return (not before or before in _CLAUSE_ENDS) and text[word_end : word_end + 1] in "，,"


@dataclass(frozen=True)
class DateWords:
    """The word lists of the date rules (number_rules.json)."""

    followers: tuple[str, ...]  # 收盘, 晚间: after a figure, they make it a date
    leaders: tuple[str, ...]  # 截至, 定于: before it
    day_count_before: frozenset[str]  # 近, 每: before N日, a count of days
    day_followers: tuple[str, ...]  # 将, 表示: after N日 only


@cache
def date_words() -> DateWords:
    """Load the date words once."""
    rules = json.loads((VOCAB_DIR / "number_rules.json").read_text(encoding="utf-8"))
    return DateWords(
        followers=tuple(sorted(rules["date_followers"], key=len, reverse=True)),
        leaders=tuple(sorted(rules["date_leaders"], key=len, reverse=True)),
        day_count_before=frozenset(rules["day_count_before"]),
        day_followers=tuple(sorted(rules["day_followers"], key=len, reverse=True)),
    )


def _start(record: dict) -> int:
    return record["start"]


def _month_day(record: dict) -> tuple[str, str] | None:
    """(month, day) of a bare, valid M/D figure that was read as a quantity, else None."""
    if record["role"] != ROLE_QUANTITY or record["kind"] != "number":
        return None
    if record["unit"] not in (None, "day"):
        return None
    found = _MONTH_DAY.fullmatch(record["text"])
    if found is None:
        return None
    month, day = found.group("month"), found.group("day")
    try:
        dt.date(_LEAP_YEAR, int(month), int(day))
    except ValueError:
        return None
    return month, day


def _split_year(record: dict) -> dict | None:
    """2024/25, 2023/2024: a fiscal year or season that spans two calendar years is a date in
    years (its first); no fraction."""
    found = _YEAR_PAIR.fullmatch(record["text"]) if record["role"] == ROLE_QUANTITY else None
    if found is None or record["kind"] != "number":
        return None
    first, second = int(found.group("first")), found.group("second")
    if first not in YEARS or int(second) != (first + 1) % 10 ** len(second):
        return None
    return record | {"value": float(first), "role": "date", "unit": "year", "precision": 1.0}


def _is_dated(record: dict, text: str, words: DateWords) -> bool:
    """A date word around the figure, or a zero-padded group (01/27): no fraction is so written."""
    if record["text"][0] in "0０" or record["text"].partition("/")[2][:1] in ("0", "０"):
        return True
    return _has_follower(text, record["end"], words) or _has_leader(text, record["start"], words)


def _has_follower(text: str, end: int, words: DateWords) -> bool:
    while end < len(text) and text[end] in _SPACES:
        end += 1
    return text.startswith(words.followers, end)


def _has_leader(text: str, start: int, words: DateWords) -> bool:
    """截至1/27, 周一（1/27）: a date word before the figure, maybe with a bracket between."""
    while start and text[start - 1] in _SPACES:
        start -= 1
    if start and text[start - 1] in "(（":
        start -= 1
    return text.endswith(words.leaders, 0, start)


def _part(text: str, start: int, end: int, value: int, unit: str) -> dict:
    return make_record(text, start, end, "number", value, role="date") | {"unit": unit}
