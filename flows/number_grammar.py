"""The number recognizer's candidate regexes, built from the keyword rules in flows/vocab/.

`anchor` finds the first character of a candidate with sre's fast character-set scan;
`pattern` is then matched there, and `prefix` looks back for a comparator or hedge word.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from flows.paths import VOCAB_DIR

_SPACE = r" \t\u3000"
SP = f"[{_SPACE}]*"
D = "[0-9０-９]"
CN_DIGIT = "零〇一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"  # 两 is never a decimal digit
CN_DIGIT_ALL = CN_DIGIT + "两兩俩倆"
CN_SMALL = "十拾百佰千仟"
CN_BIG = "万萬亿億兆"
CN_ALL = CN_DIGIT_ALL + CN_SMALL + CN_BIG
ARABIC = (
    rf"(?:(?:{D}{{1,3}}(?:,{D}{{3}})+(?!{D})|[０-９]{{1,3}}(?:，[０-９]{{3}})+(?![０-９])|{D}+)"
    rf"(?:[.．]{D}+)?"
    rf"|(?<![0-9０-９.．])[.．]{D}+)"
)
_CN_ATOM = f"[{CN_DIGIT_ALL}{CN_SMALL}]"
_CN_NONZERO = CN_DIGIT_ALL.replace("零", "").replace("〇", "")  # 一3 is no numeral; 1千零1 is
# Every character a run can go on with; checked first, it ends a run without trying each branch.
_RUN_NEXT = f"{_SPACE}{CN_ALL}多余几幾0-9０-９.．"
# A minus sign, not a dash right after a figure (4.25%-4.50%, 100万-200万: range connectors).
SIGN = rf"(?:[负負]{SP}|[-−－](?<![0-9A-Za-z\-－.．%％{CN_ALL}元][-−－])(?=[0-9０-９.．]))"
_DIGITS = "0123456789０１２３４５６７８９"
_AFTER_ONE_SPACE = rf"(?<![{_SPACE}][{_SPACE}])"  # an English word is one space from its figure
_SPACE_CHARS = " \t\u3000"  # the characters of _SPACE, which is a regex class body
# Anchor characters that start a match only before one of these characters (the pattern's own
# branches and lookaheads for them): the anchor scan drops the others without a match attempt.
ANCHOR_FOLLOWERS = {
    "对": "折",  # 打对折 (halfoff)
    "對": "折",
    ".": _DIGITS,  # .5 (ARABIC)
    "．": _DIGITS,
    "-": _DIGITS + ".．",  # -3, -.5 (SIGN)
    "−": _DIGITS + ".．",
    "－": _DIGITS + ".．",
    "几": _SPACE_CHARS + CN_SMALL + CN_BIG,  # 几十, 几 亿 (RUN)
    "幾": _SPACE_CHARS + CN_SMALL + CN_BIG,
    "半": _SPACE_CHARS + "百千万亿折成",  # 半百, 半 折 (RUN, NUMBER)
    "数": _SPACE_CHARS + CN_SMALL + CN_BIG,  # 数十, 数百亿 (RUN)
    "數": _SPACE_CHARS + CN_SMALL + CN_BIG,
}
_NAME_NUMERAL = re.compile(f"[{CN_DIGIT_ALL}{CN_SMALL}{CN_BIG}]+")  # 百 of 百度, 三 of 三星
URL = re.compile(r"https?://[!-~]+|www\.[!-~]+")
# letters glued before digits: R1, GPT-4o
IDENTIFIER_HEAD = re.compile(r"(?<![0-9])[A-Za-z]+[-_]?\Z")
IDENTIFIER_TAIL = re.compile(r"[0-9A-Za-z]*(?:[._-][0-9A-Za-z]+)*")
UNIT_WORDS = "|".join(
    "个多月 个月期 个月 个小时 小时 年代 财年 年期 年 月 日 号 天 个季度 季度 个点 個點"
    " 个万亿 个千亿 个百亿 个亿 个 個"
    " 点钟 点半 点整 點鐘 点 點 倍 岁 名 位 次 家 人 打 周 分钟 秒 时".split()
)


@dataclass(frozen=True)
class Grammar:
    """The compiled candidate regex and the lookups its matches are checked against."""

    anchor: re.Pattern[str]  # one character every candidate starts with: a fast C scan
    pattern: re.Pattern[str]  # matched at an anchor
    prefix: re.Pattern[str]  # a comparator, hedge or 第 ending right before a figure
    prefix_last_chars: frozenset[str]
    currencies: dict[str, tuple[str, str | None]]  # normalized surface → (ISO, unit)
    words: dict[str, tuple[tuple[int, int, dict[str, str]], ...]]  # see _words()
    prefix_bounds: dict[str, str]  # comparator → bound kind
    suffix_bounds: dict[str, str]
    approximators: frozenset[str]
    range_connectors: frozenset[str]
    between_connectors: frozenset[str]
    time_prefixes: tuple[str, ...]
    point_words: frozenset[str]  # 点评, 点赞: a 点 after a figure that is no points unit
    point_nouns: tuple[str, ...]  # 3点建议: nouns N点 counts
    symbol_scales: dict[str, int]  # $35.1B: the glued scale letters → factor
    change_verbs: tuple[str, ...]  # 缩水, 上涨: before 230亿至4000亿, a change and a level
    clock_words_before: tuple[str, ...]  # 明天, 今晚: before N点, a clock hour
    clock_followers: tuple[str, ...]  # 前, 左右: after N点 (0-24), a clock hour
    points_verbs: tuple[str, ...]  # change verbs (with 了) before N个点: index points
    points_context: tuple[str, ...]  # 波幅, 低水: before N点左右, index points still
    period_leads: tuple[str, ...]  # 前, 第 before N季度 / N个月: a period name
    afternoon_words: tuple[str, ...]  # 下午, 晚上: an hour under 12 after them is past noon
    noon_words: tuple[str, ...]  # 中午: an hour of 1-2 after it is past noon


@cache
def grammar() -> Grammar:
    """Load the vocab files once and compile the candidate regex."""
    rules = json.loads((VOCAB_DIR / "number_rules.json").read_text(encoding="utf-8"))
    currencies = _read_csv("number_currencies.csv")
    symbols = _read_csv("number_symbols.csv")
    prefix_bounds = _invert(rules["prefix_comparators"])
    suffix_bounds = _invert(rules["suffix_comparators"])
    not_after = rules["prefix_not_after"]
    prefixes = [*prefix_bounds, *rules["approximators"], "第", "比"]
    prefix_alt = "|".join(
        (f"(?<![{re.escape(not_after[p])}])" if p in not_after else "") + _phrase(p)
        for p in sorted(prefixes, key=len, reverse=True)
    )
    currency_alt = "|".join(
        (_AFTER_ONE_SPACE if row["surface"].isascii() else "")  # 500 dollars, not a table's
        + re.escape(row["surface"])
        + ("(?![\u4e00-\u9fffA-Za-z])" if row["needs_boundary"] == "1" else "")
        for row in sorted(currencies, key=lambda r: len(r["surface"]), reverse=True)
    )
    symbol_alt = "|".join(re.escape(row["symbol"]) for row in symbols)
    identifier_alt = "|".join(rules["identifier_patterns"])
    suffix_alt = "|".join(_phrase(p) for p in sorted(suffix_bounds, key=len, reverse=True))
    approx_suffix_alt = "|".join(rules["approximate_suffixes"])
    # what the optional tails can start with: checked first, a cheap way to skip them all
    unit_first = "%％个個打折成半基b" + _first_chars(row["surface"] for row in currencies)
    several = f"[几幾]|(?<![{re.escape(rules['several_not_after'])}])[数數]"  # 几十, 数百
    run = _numeral_run(several)
    scale_alt = "|".join(sorted(rules["symbol_scales"], key=len, reverse=True))
    tenor_end = f"(?![{re.escape(rules['tenor_followers'])}])"  # 10年期国债, not 十年期间
    unit_words = UNIT_WORDS.replace("年期", "年期" + tenor_end).replace("月期", "月期" + tenor_end)
    pattern = rf"""
    (?P<ymd>(?<![0-9A-Za-z.．/／])(?:{D}{{4}}(?P<ymd_sep>[./／]){D}{{1,2}}(?P=ymd_sep){D}{{1,2}}
        |{D}{{1,2}}[/／]{D}{{1,2}}[/／]{D}{{4}})(?![0-9０-９]|[./／][0-9０-９]))
    |(?P<ident>(?<![0-9A-Za-z])(?:{identifier_alt})(?![A-Za-z0-9])
        |(?<![0-9A-Za-z.]){D}+(?:\.{D}+){{2,}}(?![0-9]))
    |(?P<cohort>(?<![0-9０-９])(?:{D}[05]|[{CN_DIGIT}]{{2}})后)
    |(?P<halfoff>(?:(?<=打)|(?<=打个))[对對]折)
    |(?P<shang>(?<=上)(?:千万|百万|[百千万亿]))(?![{CN_ALL}0-9])
    |(?:(?P<per>[百佰千仟万萬](?:{SP}[百佰千仟万萬])*){SP}分{SP}之{SP}(?P<per_num>{SIGN}?{run})
          (?:{SP}(?P<per_kilo>[kKＫ])(?![A-Za-z]))?
      |(?P<sym>{symbol_alt}){SP}(?P<sym_num>{run})(?P<sym_scale>(?:{scale_alt})(?![A-Za-z]))?
      |(?P<sign>{SIGN})?(?P<num>{_number_branch(run, currency_alt)})
        (?:(?=[{unit_first}])(?:(?P<pct>{SP}[%％])
          |(?P<points>{SP}[个個]{SP}百{SP}分{SP}[点點])
          |(?P<bp>{SP}(?:[个個]{SP})?基{SP}[点點]|{SP}bps?(?![A-Za-z]))
          |(?P<cur>{SP}(?:个{SP})?(?:{currency_alt}))(?P<cny>{SP}人民币)?
            (?:{SP}[又零]?{SP}(?P<minor>[{CN_DIGIT}]|{D}){SP}(?P<minor_unit>美分|日本銭|銭|角|毛|分)
              (?:{SP}(?P<cent>[{CN_DIGIT}]|{D}){SP}分)?)?
          |(?P<dozen>打)(?!{SP}[折])
          |(?P<zhe>{SP}折)
          |(?P<cheng>{SP}成)
            (?:{SP}(?P<cheng_half>半)|{SP}(?P<cheng_tail>[一二三四五六七八九])(?![{CN_ALL}0-9]))?
            (?P<cheng_more>[多余](?![头空方单]))?
            (?![本功为立交绩员果长熟就年])
          |(?<=[一壹])(?P<half>半)(?![{rules["half_not_before"]}])
        ))?
     )
     (?:(?=[{_first_chars(suffix_bounds)}])(?P<suf>{SP}(?:{suffix_alt})))?
     (?=(?:(?=[{_first_chars(UNIT_WORDS.split("|"))}])
        (?P<after>{SP}(?:{unit_words})(?P<after_hedge>多|余)?))?)
     (?=(?P<approx_after>{approx_suffix_alt})?)
    """
    anchors = (
        "0-9０-９"
        + CN_ALL
        + "半几幾数數对對负負\\-−－.．"
        + "".join(re.escape(row["symbol"][-1]) for row in symbols)
    )
    return Grammar(
        anchor=re.compile(f"[{anchors}]"),
        pattern=re.compile(pattern, re.VERBOSE),
        prefix=re.compile(f"(?:{prefix_alt}){SP}\\Z"),
        prefix_last_chars=frozenset(p[-1] for p in prefixes),
        currencies={row["surface"]: (row["iso"], row["unit"] or None) for row in currencies}
        | {row["symbol"]: (row["iso"], row["unit"] or None) for row in symbols},
        words=_words(),
        prefix_bounds=prefix_bounds,
        suffix_bounds=suffix_bounds,
        approximators=frozenset(rules["approximators"]),
        range_connectors=frozenset(rules["range_connectors"]),
        between_connectors=frozenset(rules["between_connectors"]),
        time_prefixes=tuple(rules["time_prefixes"]),
        point_words=frozenset(rules["point_words"]),
        point_nouns=tuple(rules["point_nouns"]),
        symbol_scales=dict(rules["symbol_scales"]),
        change_verbs=tuple(verb + tail for verb in rules["change_verbs"] for tail in ("", "了")),
        clock_words_before=tuple(rules["clock_words_before"]),
        clock_followers=tuple(rules["clock_followers"]),
        points_verbs=tuple(
            verb + tail
            for verb in (*rules["change_verbs"], *rules["points_verbs"])
            for tail in ("", "了")
        ),
        period_leads=tuple(rules["period_leads"]),
        points_context=tuple(rules["points_context"]),
        afternoon_words=tuple(rules["afternoon_words"]),
        noon_words=tuple(rules["noon_words"]),
    )


def _first_chars(phrases: Iterable[str]) -> str:
    """A character class body (spaces included) of the characters the phrases start with."""
    return _SPACE + "".join(sorted({re.escape(phrase[0]) for phrase in phrases}))


def _phrase(phrase: str) -> str:
    """A keyword that may be spaced out ("小于 或 等于", "< = ")."""
    return SP.join(re.escape(char) for char in phrase if char != " ")


def _invert(groups: dict[str, list[str]]) -> dict[str, str]:
    return {
        phrase.replace(" ", ""): bound for bound, phrases in groups.items() for phrase in phrases
    }


def _read_csv(name: str) -> list[dict[str, str]]:
    with (VOCAB_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _words() -> dict[str, tuple[tuple[int, int, dict[str, str]], ...]]:
    """numeral → ((offset of the numeral in the word, word length, {word: role}), …)."""
    groups: dict[str, dict[tuple[int, int], dict[str, str]]] = {}
    for row in _read_csv("number_words.csv") + _gazetteer_words():
        for numeral in row["numeral"].split("|"):
            offset = row["word"].find(numeral)
            while offset >= 0:
                key = (offset, len(row["word"]))
                groups.setdefault(numeral, {}).setdefault(key, {})[row["word"]] = row["role"]
                offset = row["word"].find(numeral, offset + 1)
    return {
        numeral: tuple(
            (offset, length, words) for (offset, length), words in sorted(by_shape.items())
        )
        for numeral, by_shape in groups.items()
    }


def _gazetteer_words() -> list[dict[str, str]]:
    """number_words rows for the gazetteer's names with Chinese numerals (百度, 三星电子): the
    numeral inside a name is an identifier, as 五角大楼's is."""
    from flows.gazetteer import load_gazetteer  # vocab loader: an I/O edge

    listed = {row["word"] for row in _read_csv("number_words.csv")}
    return [
        {"word": alias, "numeral": "|".join(runs), "role": "identifier"}
        for alias in sorted(set(load_gazetteer()["alias"]) - listed)
        if (runs := _NAME_NUMERAL.findall(alias))
    ]


def _numeral_run(vague: str) -> str:
    """A numeral run: Arabic and Chinese atoms, spaces only next to Chinese ones, hedges 多/余/几;
    `vague` is the regex of the vague digits that may open it before a unit (几十, 数百)."""
    return (
        rf"(?:{ARABIC}|{_CN_ATOM}|(?:{vague})(?={SP}[{CN_SMALL}{CN_BIG}])|半(?=[百千万亿]))"
        rf"(?:(?=[{_RUN_NEXT}])"
        rf"(?:{SP}(?:[{CN_SMALL}{CN_BIG}]|[多余几幾](?={SP}[{CN_BIG}])|(?<=[十拾])[几幾])"
        rf"|(?<=[{CN_SMALL}{CN_BIG}]){SP}{ARABIC}|(?<=[{CN_ALL}]){SP}[{CN_DIGIT_ALL}]"
        rf"|(?<![0-9０-９])[{CN_DIGIT_ALL}]|(?<![{_CN_NONZERO}]){ARABIC}))*"
        rf"(?:(?=[{_SPACE}点點]){SP}[点點]{SP}[{CN_DIGIT}](?:{SP}[{CN_DIGIT}])*(?!{SP}[{CN_SMALL}刻])"
        rf"(?:{SP}[{CN_BIG}])*)?"
        rf"(?:[多余](?!{SP}[{CN_ALL}0-9]))?"
    )


def _number_branch(run: str, currency_alt: str) -> str:
    """A figure: a slash fraction, an exponent, or a run with its fraction or kilo tail; the
    scale letters B, bn, T glue on only before a currency name (35.1B美元; 7B模型 is a name), M
    also at a word's end (-2.5 M) but not before a Chinese word (3M公司)."""
    return (
        rf"(?P<slash>{D}+(?:[ ]{D}+)?[/／]{D}+)"
        rf"|(?P<exp>{ARABIC}(?:[eE][+\-－]?{D}+|\^[+\-]*{D}+))"
        rf"|(?P<run>{run}|半(?={SP}[折成]))"
        rf"(?:(?=[{_SPACE}分又])(?:{SP}分{SP}之{SP}(?P<frac_num>{SIGN}?{run})"
        rf"|{SP}又{SP}(?P<mixed_den>{run}){SP}分{SP}之{SP}(?P<mixed_num>{run})))?"
        rf"(?:(?=[{_SPACE}kKＫMmBbTt])(?<=[0-9０-９]){SP}(?P<kilo>[kKＫ](?![A-Za-z])|M(?![A-Za-z\u4e00-\u9fff])"
        rf"|(?:bn|mn|tn|[BbTmM])(?={SP}(?:{currency_alt}))))?"
    )
