"""Roles the text around a read figure gives it: names with digits, codes, phone numbers, weekdays.

沪深300 and iPhone 16 are names, 订单号20250127001 and 贵州茅台(600519) codes, 138-0013-8000 one
phone number and 周五 a date, though each figure alone reads as a quantity. recognize_at asks
`revise` about a record only when the character before or after it, or its own text, can start
such a context (`Neighbourhood.before`/`after`/`names`), so the common figure pays three lookups.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache

from flows.number_codes import clock_time, coded, identifier, phone_or_date, stock_code
from flows.number_latin import (
    LATIN_LETTERS,
    english_scale,
    latin_name,
    period_year,
    product_suffix,
)
from flows.number_ranges import ROLE_QUANTITY, make_record
from flows.paths import VOCAB_DIR

NAMES_FILE = "number_names.csv"
_DIGIT_RUN = re.compile(r"[0-9]+")
_GLUED_HEAD = re.compile(r"[A-Za-z0-9_-]\Z")  # R1, H800: IDENTIFIER_HEAD reads those already
_GROUP_ENDS = frozenset(" -－")  # after the first group of a phone number or ISO date
_CALLING = frozenset("+＋")
_BRACKETS = frozenset("(（")
_COLONS = frozenset(":：")
_WEEKDAY_FOLLOWERS = frozenset("天日周")  # 周五天气, 星期六日, 周一周二: still weekdays


@dataclass(frozen=True)
class Neighbourhood:
    """The vocabularies of the neighbour rules and the characters that call them."""

    before: frozenset[str]  # a character right before a figure that may give it a role
    after: frozenset[str]  # … right after it
    names: dict[str, tuple[str, ...]]  # digits → heads of names ending in them (沪深 for 300)
    code_words: re.Pattern[str]  # a code word, maybe with a colon, ending right before a figure
    measure_words: frozenset[str]  # after a figure they make it a count (3台, 2部)
    exchange_suffix: re.Pattern[str]  # .HK, .SH after a stock code
    latin_scale: re.Pattern[str]  # " billion" after a figure (group "word")
    latin_scales: dict[str, int]  # lower-cased scale word → factor
    product_suffix: re.Pattern[str]  # " Ultra" after a model number (小米 15 Ultra)
    period_before: re.Pattern[str]  # "Q3 " before a year (Q3 2024)
    period_after: re.Pattern[str]  # " Q3" after a year (2024 Q3)
    year_words_before: re.Pattern[str]  # "since " before a year (since 2024)
    year_heads: frozenset[str]  # FY, CY: glued before a year (FY2025)
    point_words: frozenset[str]  # 点评: a 点 after a weekday numeral that is no measure word
    time_prefixes: tuple[str, ...]  # 上午, 晚上: a one-digit hour after them starts a clock time
    quantity_words: frozenset[str]  # lower-cased Latin words a quantity may follow (In 2024)
    weekday_words: tuple[str, ...]  # 周, 星期, 礼拜
    weekday_ends: frozenset[str]  # their last characters
    code_ends: frozenset[str]  # the last characters of code words, colons and spaces
    weekday_digits: dict[str, int]  # the numerals that name weekdays → ISO number (一 → 1)
    week_offsets: frozenset[str]  # 上, 本, 下: 上周五
    weekday_excluded: frozenset[str]  # 每周三 (every Wednesday), 一周三次: no single date
    week_nouns: tuple[str, ...]  # nouns that end in such a character: 指数周一 is Monday


def revise(record: dict, text: str, floor: int) -> list[dict] | None:
    """The records that replace `record` given its neighbours, or None to keep it.

    `floor` is where the previous record ends: no revised record starts before it.
    """
    role = record["role"]
    if role != ROLE_QUANTITY and role != "identifier":
        return None
    n = neighbourhood()
    start, end, figure = record["start"], record["end"], record["text"]
    before, after = text[start - 1 : start], text[end : end + 1]
    found = None
    if before in n.weekday_ends:
        found = _weekday(record, text, n)
    if found is None and role == ROLE_QUANTITY and figure in n.names:
        found = _name(record, text, floor, n)
    if found is not None:
        return [found]
    if after in _GROUP_ENDS or figure[:1] in _CALLING:
        revised = phone_or_date(record, text, n)
        if revised is not None:
            return revised
    if after == "." or before in _BRACKETS:
        revised = stock_code(record, text, n)
        if revised is not None:
            return revised
    if role == ROLE_QUANTITY and before in n.code_ends:
        revised = coded(record, text, n)
        if revised is not None:
            return revised
    if after in _COLONS:
        revised = clock_time(record, text, n)
        if revised is not None:
            return revised
    if after == " " and record["value"] is not None:
        found = english_scale(record, text, n)
    if found is None and before == " ":
        found = latin_name(record, text, floor, n)
    if found is None and after == " ":
        found = product_suffix(record, text, n)
    if found is None and (before == " " or after == " "):
        found = period_year(record, text, n)
    return None if found is None else [found]


@cache
def neighbourhood() -> Neighbourhood:
    """Load the vocabularies once: number_rules.json, number_names.csv, gazetteer, date words."""
    from flows.gazetteer import load_gazetteer, read_claim_rules  # vocab loaders: an I/O edge

    rules = json.loads((VOCAB_DIR / "number_rules.json").read_text(encoding="utf-8"))
    gazetteer = load_gazetteer()
    with (VOCAB_DIR / NAMES_FILE).open(encoding="utf-8", newline="") as handle:
        listed = [row["name"] for row in csv.DictReader(handle)]
    names: dict[str, set[str]] = {}
    for name in [*gazetteer["alias"], *listed]:
        found = _DIGIT_RUN.search(name)
        head = name[: found.start()] if found is not None else ""
        if head and not _GLUED_HEAD.search(head):
            names.setdefault(found.group(0), set()).add(head.lower() if head.isascii() else head)
    traded = gazetteer[gazetteer["entity_type"] != "product"]["alias"]
    dates = read_claim_rules()["dates"]
    code_words = sorted(rules["code_words"], key=len, reverse=True)
    code_ends = frozenset(" \t:：" + "".join(word[-1] for word in code_words))
    weekday_ends = frozenset(word[-1] for word in rules["weekday_words"])
    return Neighbourhood(
        before=code_ends | weekday_ends | {"(", "（"},
        after=frozenset(" \t-－.)）") | _COLONS,
        names={digits: tuple(sorted(heads)) for digits, heads in sorted(names.items())},
        code_words=re.compile(f"(?:{'|'.join(map(re.escape, code_words))})[ \t:：]*\\Z"),
        measure_words=frozenset(rules["measure_words"]),
        exchange_suffix=re.compile(rf"\.(?:{'|'.join(rules['exchange_suffixes'])})(?![A-Za-z0-9])"),
        latin_scale=re.compile(
            rf" (?P<word>{'|'.join(rules['latin_scales'])})(?![A-Za-z])", re.IGNORECASE
        ),
        latin_scales=dict(rules["latin_scales"]),
        product_suffix=re.compile(rf" (?:{'|'.join(rules['product_suffixes'])})(?![A-Za-z])"),
        period_before=re.compile(rf"(?<![A-Za-z0-9])(?:{'|'.join(rules['period_words'])}) \Z"),
        period_after=re.compile(rf" (?:{'|'.join(rules['period_words'])})(?![A-Za-z0-9])"),
        year_words_before=re.compile(
            rf"(?<![A-Za-z])(?:{'|'.join(rules['latin_words_before_years'])})[ \t]+\Z",
            re.IGNORECASE,
        ),
        year_heads=frozenset(word for word in rules["period_words"] if word.isalpha()),
        point_words=frozenset(rules["point_words"]),
        time_prefixes=tuple(rules["time_prefixes"]),
        quantity_words=frozenset(rules["latin_words_before_quantities"])
        | {alias.split()[-1].lower() for alias in traded if alias.isascii()},
        weekday_words=tuple(rules["weekday_words"]),
        weekday_ends=weekday_ends,
        code_ends=code_ends,
        weekday_digits={
            digit: number + 1
            for digit, number in dates["weekday_names"].items()
            if digit in "一二三四五六"
        },
        week_offsets=frozenset(dates["week_offsets"]),
        weekday_excluded=frozenset(dates["weekday_excluded_before"]),
        week_nouns=tuple(dates["weekday_nouns_before"]),
    )


def _weekday(record: dict, text: str, n: Neighbourhood) -> dict | None:
    """周一, 星期五, 上周五, 周四A股: the weekday (1 = Monday, unit day, as 27 in 1月27日)."""
    start, figure = record["start"], record["text"]
    end = start + 1
    if figure[0] not in n.weekday_digits or record["unit"] not in (None, "day"):
        return None
    if len(figure) > 1 and not (record["role"] == "identifier" and figure[1:].isascii()):
        return None  # 四A (周四A股) was read as a name like 五G; 周三十 is no weekday
    word = next((w for w in n.weekday_words if text.startswith(w, start - len(w))), None)
    if word is None or (
        text[end : end + 1] in n.measure_words - _WEEKDAY_FOLLOWERS
        and text[end : end + 2] not in n.point_words
    ):
        return None  # 周三次, 周三个交易日: counts; 周五点评 is Friday
    at = start - len(word)
    at -= text[at - 1 : at] == "个"  # 上个周五
    at -= at > 0 and text[at - 1] in n.week_offsets
    if at > 0 and text[at - 1] in n.weekday_excluded and not _ends_a_word(text, at - 1, n):
        return None  # 每周三, 一周五天, 数周; but 指数周一, 周一周二
    value = float(n.weekday_digits[figure[0]])
    return make_record(text, start, end, "number", value, unit="day", role="date")


def _ends_a_word(text: str, at: int, n: Neighbourhood) -> bool:
    """Whether the character at `at` ends a noun (指数) or a weekday (周一): no count of weeks."""
    if text.endswith(n.week_nouns, 0, at + 1):
        return True
    return text[at] in n.weekday_digits and text.endswith(n.weekday_words, 0, at)


def _name(record: dict, text: str, floor: int, n: Neighbourhood) -> dict | None:
    """沪深300, 标普500, Russell 2000: the digits end a name of the gazetteer or number_names."""
    heads = n.names.get(record["text"])
    if heads is None or record["kind"] != "number" or record["unit"] is not None:
        return None
    start = record["start"]
    for head in heads:
        at = start - len(head)
        if at < floor:
            continue
        stated = text[at:start]
        if (stated.lower() if head.isascii() else stated) == head:
            if head[0] in LATIN_LETTERS and at and text[at - 1] in LATIN_LETTERS:
                continue  # the head ends a longer Latin word
            return identifier(text, at, record["end"])
    return None
