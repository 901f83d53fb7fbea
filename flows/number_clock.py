"""Clock hours and period names told from the words around a figure's unit word.

十点前, 明天10点, 8点半 and 10点30分 are times of day, while 涨了十个点 and 恒指跌了300点 are
index points; 前三季度 and 三季度 name a period, 三个季度 counts quarters. flows/number_roles.py
asks these rules once it has read the unit word after a figure.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flows.number_grammar import Grammar

_MINUTES = re.compile(  # 30分, 零五分, 四十五分; not 分钟 (a span) or 分之 (a fraction)
    r"[ \t]*(?P<minute>[0-5]?[0-9]|[零〇]?[一二三四五六七八九]|[二三四五]?十[一二三四五六七八九]?)"
    r"[ \t]*分(?!钟|之)"
)
_QUARTER_HOURS = re.compile(r"[ \t]*([一三])[ \t]*刻")  # 一刻, 三刻: 15 and 45 minutes
_CN_UNITS = {d: i for i, d in enumerate("零一二三四五六七八九")} | {"〇": 0}
_LAST_HOUR = 24
_PERIOD_NOT_AFTER = frozenset("提之以目此眼当空事向往超领争从")  # 提前两个月: early, no period
_QUARTERS = 4
_NOON = 12
_NOON_LAST = 3  # 中午1点, 中午2点; 中午11点 is before noon
_WORD = 4  # the longest time word
_WINDOW = 10  # how far back a change verb or points word keeps N点前 points
_CLAUSE_END = re.compile(r"[，。；！？,;!?\n]")


def clock_hour(record: dict, word: str, text: str, g: Grammar, at: int) -> bool:
    """Whether the figure before 点 (at `at`) is an hour: a time word before it, 点半/点钟/点N分
    after it, or 前/左右 after it with no change verb or points word before it in its clause
    (跌了20点后, 波幅10点左右 are points).

    点半 and 点N分 join the span and the value (8点半 → 8.5, as 20:30 → 20.5).
    """
    value = record["value"]
    if value is None or value != int(value) or not 0 <= value <= _LAST_HOUR:
        return False
    start = record["start"]
    if word == "点半":
        _extend(record, text, at + 2, Decimal("0.5"), Decimal("0.5"))
        return True
    if word != "点":
        return word in ("点钟", "点整")
    if text.endswith(g.time_prefixes + g.clock_words_before, max(0, start - 4), start):
        add_minutes(record, text, at + 1)
        return True
    if (record["text"].isascii() or text.startswith("刻", at + 2)) and add_minutes(
        record, text, at + 1
    ):  # 10点30分, 十点一刻; 三点五分 may be a decimal
        return True
    if record["text"] == "一" or not text.startswith(g.clock_followers, at + 1):
        return False  # 一点前 is as likely "a little before"
    clause = _CLAUSE_END.split(text[max(0, start - _WINDOW) : start])[-1]
    return not any(word in clause for word in (*g.points_verbs, *g.points_context))


def past_noon(record: dict, text: str, g: Grammar) -> None:
    """下午3点 → 15, 晚上8点半 → 20.5, 晚上12点 → 0, 中午1点 → 13: a 12-hour clock time after
    an afternoon word, on the 24-hour clock as 21:30 is."""
    start, value = record["start"], record["value"]
    before = text[max(0, start - _WORD) : start]
    if value < _NOON + 1 and before.endswith(g.afternoon_words):
        record["value"] = value + _NOON if value < _NOON else value - _NOON  # 晚上12点半: 0.5
    elif 1 <= value < _NOON_LAST and before.endswith(g.noon_words):
        record["value"] = value + _NOON


def is_period(record: dict, word: str, text: str, g: Grammar) -> bool:
    """前三季度, 前10个月, 第3季度, 三季度: a period name. 三个季度, 提前两个月: spans; 第10个月
    an ordinal."""
    start, value = record["start"], record["value"]
    if value is None or value != int(value) or value < 1:
        return False
    lead = text[start - 1 : start]
    if word == "个月":  # 前10个月: Jan to Oct; 第10个月 counts from an event, an ordinal
        return lead == "前" and text[start - 2 : start - 1] not in _PERIOD_NOT_AFTER
    if lead in g.period_leads and text[start - 2 : start - 1] not in _PERIOD_NOT_AFTER:
        return value <= _QUARTERS or lead == "前"
    return word == "季度" and value <= _QUARTERS and record["kind"] == "number"


def add_minutes(record: dict, text: str, at: int) -> bool:
    """10点30分, 15时05分, 十点一刻: the minutes or quarter hours stated at `at` join the hour's
    span and value."""
    found = _MINUTES.match(text, at)
    if found is not None:
        minutes = _minutes(found.group("minute")) / 60
        _extend(record, text, found.end(), minutes, Decimal(1) / 60)
        return True
    found = _QUARTER_HOURS.match(text, at)
    if found is None:
        return False
    _extend(record, text, found.end(), Decimal(_CN_UNITS[found.group(1)]) / 4, Decimal("0.25"))
    return True


def _minutes(stated: str) -> Decimal:
    if stated.isascii():
        return Decimal(stated)
    stated = stated.lstrip("零〇")
    if "十" not in stated:
        return Decimal(_CN_UNITS[stated])
    tens, _, units = stated.partition("十")
    return Decimal((_CN_UNITS[tens] if tens else 1) * 10 + (_CN_UNITS[units] if units else 0))


def _extend(record: dict, text: str, end: int, added: Decimal, precision: Decimal) -> None:
    record["value"] = float(Decimal(str(record["value"])) + added)
    record["precision"] = float(precision)
    record["end"], record["text"] = end, text[record["start"] : end]
