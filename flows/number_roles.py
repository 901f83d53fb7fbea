"""Roles from context: dates, clock times, idioms, set phrases, identifiers, codes."""

from __future__ import annotations

from decimal import Decimal
from string import ascii_letters

from flows.number_clock import add_minutes, clock_hour, is_period, past_noon
from flows.number_dates import is_dated_day
from flows.number_figures import looks_like_a_code
from flows.number_grammar import Grammar
from flows.number_latin import currency_name
from flows.numerals import normalize

UNIT_BY_WORD = {
    "年": "year",
    "年代": "year",
    "财年": "year",
    "个月": "month",
    "个多月": "month",
    "月": "month",
    "日": "day",
    "号": "day",
    "天": "day",
    "小时": "hour",
    "个小时": "hour",
    "个": "count",
    "名": "count",
    "位": "count",
    "人": "count",
    "家": "count",
    "次": "count",
    "倍": "ratio",
    "点": "points",
}
TENOR_WORDS = ("年期", "个月期")  # 10年期国债, 3个月期Shibor: the name of an instrument
SCALED_COUNTS = {"个亿": 10**8, "个百亿": 10**10, "个千亿": 10**11, "个万亿": 10**12}  # 三个亿
# Unit words whose reading needs more of the text than a figure's cache key holds (its match
# and the two characters before it: 前 of 前三季度 is in the key, 点评 after 个点 is not).
_NEEDS_CONTEXT = frozenset(("日", "号", "时", "点", "个点", *SCALED_COUNTS))
AMBIGUOUS_FINANCIAL = frozenset("陆陸伍拾肆柒捌玖佰仟")  # alone they mean land, team, pick up …
_ASCII_LETTERS = frozenset(ascii_letters)
_SCALE_CHARS = frozenset("百千万亿佰仟萬億")  # a figure ending in one counts what follows it


def apply_unit_word(record: dict, after: str, text: str, g: Grammar) -> None:
    """年/月/日/点… after a figure: its unit, and whether it is a date, a clock time or 一点."""
    after = normalize(after).replace("鐘", "钟")
    hedge = after[-1] if after[-1] in "多余" and len(after) > 1 else ""
    word = after[: len(after) - len(hedge)]
    value = record["value"]
    at = record["end"]
    while at < len(text) and text[at] in " \t\u3000":
        at += 1
    if word in SCALED_COUNTS:
        _scale_count(record, text, g, at + len(word), SCALED_COUNTS[word])
        return
    if word in TENOR_WORDS:
        end = at + len(word)
        record.update(role="identifier", value=None, end=end, text=text[record["start"] : end])
        return
    if word == "个点":  # 涨了十几个点: index points after a change verb, else a count
        points = normalize(text[at + 1 : at + 3]) not in g.point_words
        start = record["start"]
        points = points and text.endswith(g.points_verbs, max(0, start - 4), start)
        word = "点" if points else "个"
    elif word.startswith("点") and clock_hour(record, word, text, g, at):
        record["role"], record["unit"] = "date", "hour"
        past_noon(record, text, g)
        return
    elif word == "点" and normalize(text[at : at + 2]) in g.point_words:
        return  # 周五点评: 点 opens a word, no points unit
    elif word == "点" and record["text"] != "一" and text.startswith(g.point_nouns, at + 1):
        word = "个"  # 3点建议: a count of suggestions
    record["unit"] = UNIT_BY_WORD.get(word)
    whole = value is not None and value == int(value)
    before = text[max(0, record["start"] - 4) : record["start"]]
    if (
        word in ("年", "年代", "财年")
        and whole
        and (1000 <= value <= 2200 or len(record["text"]) == 4)
    ):
        record["role"] = "date"
    elif word == "月" and whole and 1 <= value <= 12:
        record["role"] = "date"
    elif word in ("日", "号") and whole and 1 <= value <= 31 and before.endswith(("月", "月份")):
        record["role"] = "date"
    elif word in ("日", "号") and whole and is_dated_day(record, text, at + len(word)):
        record["role"] = "date"  # 27日晚间, 截至27日
    elif word == "时" and whole and 0 <= value <= 24 and record["text"].isascii():
        record["role"], record["unit"] = "date", "hour"  # 15时: a clock hour (not 一时)
        add_minutes(record, text, at + 1)  # 15时30分
    elif word in ("个月", "季度", "个季度") and is_period(record, word, text, g):
        record["role"] = "date"  # 前三季度, 前10个月, 三季度: a period, no span
    elif word == "点" and record["text"] == "一":
        record["role"], record["unit"] = "idiom", None  # 一点: a little
    if hedge and record["upper"] is None:
        step = Decimal(str(record["precision"]))
        record.update(
            lower=value,
            upper=float(Decimal(str(value)) + step),
            lower_closed=True,
            upper_closed=False,
            is_approximate=True,
        )


def _scale_count(record: dict, text: str, g: Grammar, end: int, factor: int) -> None:
    """三个亿, 十几个亿美元: 个 before a scale is no count; the scale multiplies the figure and a
    currency name after it makes it an amount."""
    for key in ("value", "lower", "upper", "precision"):
        if record[key] is not None:
            record[key] = float(Decimal(str(record[key])) * factor)
    currency = currency_name().match(text, end)
    if currency is not None:
        record["currency"], record["unit"] = g.currencies[currency.group("name")]
        record["kind"], end = "currency", currency.end()
    record["end"], record["text"] = end, text[record["start"] : end]


def unit_word_needs_context(after: str) -> bool:
    """Whether apply_unit_word reads the text around the figure (日/号 after 月, 点 after 晚上,
    个点 after 涨了, the currency after 个亿), beyond what the figure's cache key holds."""
    after = normalize(after).replace("鐘", "钟")
    hedge = after[-1] if after[-1] in "多余" and len(after) > 1 else ""
    return after[: len(after) - len(hedge)] in _NEEDS_CONTEXT


def word_shapes(figure: str, g: Grammar) -> tuple[tuple, bool]:
    """(the set-phrase shapes a figure can sit in, whether its text is already normalized)."""
    shapes = g.words.get(figure)
    simplified = shapes is not None or figure.isascii()
    if not simplified:
        shapes = g.words.get(normalize(figure))
    return shapes or (), simplified


def apply_words(record: dict, text: str, g: Grammar, figure: str, figure_start: int) -> None:
    """Set phrases around the numeral: 一切 (no number), 从0到1 (idiom), 五角大楼 (a name)."""
    shapes, simplified = word_shapes(figure, g)
    apply_word_shapes(record, text, shapes, simplified, figure, figure_start)


def context_free_role(record: dict, figure: str) -> None:
    """apply_word_shapes with no set phrase around, no ASCII letter after and no + before."""
    if len(figure) == 1 and figure in AMBIGUOUS_FINANCIAL:
        record["role"] = "skip"
    if record["unit"] is None and looks_like_a_code(record["text"]):
        record["role"], record["value"] = "identifier", None


def apply_word_shapes(
    record: dict, text: str, shapes: tuple, simplified: bool, figure: str, figure_start: int
) -> None:
    """apply_words with the figure's shapes looked up already (see word_shapes)."""
    for offset, length, words in shapes:
        at = figure_start - offset
        window = text[at : at + length] if at >= 0 else ""
        role = words.get(window if simplified else normalize(window))
        if role is not None:
            record["role"] = role
            if role == "identifier":
                record["value"] = None
            return
    if len(figure) == 1 and figure in AMBIGUOUS_FINANCIAL:
        record["role"] = "skip"
    numeral = record["text"]
    start, end = record["start"], record["end"]
    if _is_times(record, text):
        record["unit"] = "ratio"  # 35x, 2.5x: as 35倍
    elif end < len(text) and text[end] in _ASCII_LETTERS and numeral[-1:] not in _SCALE_CHARS:
        record["role"], record["value"] = "identifier", None  # 5G, 3D, 五G; not 3000万GPU
        while end < len(text) and text[end].isascii() and text[end].isalnum():
            end += 1
        record["end"], record["text"] = end, text[start:end]
    elif start and text[start - 1] in "+＋" and _is_calling_code(record):
        record["role"], record["start"] = "identifier", start - 1  # +86: a calling code
        record["value"] = None
        record["text"] = text[start - 1 : end]
    elif record["unit"] is None and looks_like_a_code(numeral):
        record["role"], record["value"] = "identifier", None  # phone, order or account number


def _is_calling_code(record: dict) -> bool:
    """+86, +1, +852: a bare integer of one to three digits; +3.5%, +120点, +1000 are signed."""
    numeral = record["text"]
    is_short = numeral.isdigit() and len(numeral) <= 3
    return is_short and record["kind"] == "number" and record["unit"] is None


def _is_times(record: dict, text: str) -> bool:
    """35x, 2.5x: an Arabic figure with a lower-case x that no letter or digit follows."""
    end = record["end"]
    if text[end : end + 1] != "x" or record["unit"] is not None or record["kind"] != "number":
        return False
    following = text[end + 1 : end + 2]
    return not (following.isascii() and following.isalnum()) and record["text"].isascii()
