"""Recognize numeric expressions in Chinese text: numbers, percents, money, ranges, and their role.

Hand-written on purpose: no well-kept library reads Chinese amounts exactly (cn2an goes through
floats), hedges them (2000多, 上万, 几十亿) or tells quantities from identifiers (401K, R1, 五G),
dates (95后, 1月27日) and idioms (从0到1). Microsoft Recognizers-Text does some of it, but needs
`emoji<1.0` and runs at ~0.03 MB/s. Here one compiled regex finds candidates
(flows/number_grammar.py), flows/numerals.py computes exact Decimal values, and a merge pass
joins neighbours into ranges (20到30, 大于10小于20).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from flows.number_grammar import IDENTIFIER_HEAD, IDENTIFIER_TAIL, URL, Grammar, grammar
from flows.numerals import DIGITS, Numeral, digit_string, normalize, parse_numeral, to_decimal

ROLE_QUANTITY = "quantity"
UNIT_BY_WORD = {
    "年": "year", "年代": "year", "个月": "month", "个多月": "month", "月": "month",
    "日": "day", "号": "day", "天": "day", "小时": "hour", "个小时": "hour",
    "个": "count", "名": "count", "位": "count", "人": "count", "家": "count", "次": "count",
    "倍": "ratio", "点": "points",
}  # fmt: skip
CLOCK_WORDS = ("点钟", "点半", "点整")
MINOR_UNITS = {"角": Decimal("0.1"), "毛": Decimal("0.1"), "分": Decimal("0.01"),
               "美分": Decimal("0.01"), "銭": Decimal("0.01"),
               "日本銭": Decimal("0.01")}  # fmt: skip
AMBIGUOUS_FINANCIAL = frozenset("陆陸伍拾肆柒捌玖佰仟")  # alone they mean land, team, pick up …
_SPACES = re.compile(r"[ \t\u3000,]")
_CONNECTOR_GAP = re.compile(r"[\s,，、]*(?:并且|而且|并|且|的同时|同时|而)?\s*")
_BETWEEN_END = re.compile(r"\s*之?间")


def recognize(text: str) -> list[dict]:
    """One record per numeric expression in `text`, ordered by start (see module docstring)."""
    g = grammar()
    has_url = "://" in text or "www." in text
    urls = [(u.start(), u.end()) for u in URL.finditer(text)] if has_url else []
    records = []
    search, match = g.anchor.search, g.pattern.match
    position = 0
    while (anchor := search(text, position)) is not None:
        start = anchor.start()
        if urls and any(low <= start < high for low, high in urls):
            position = next(high for low, high in urls if low <= start < high)
            continue
        m = match(text, start)
        if m is None or m.end() == start:
            position = start + 1
            continue
        position = m.end()
        record = _record(m, text, g)
        if record is not None:
            records.append(record)
            position = max(position, record["end"])
    return _merge_ranges(records, text, g)


def _record(m: re.Match, text: str, g: Grammar) -> dict | None:
    start, end = m.start(), m.end()
    if (
        start
        and text[start - 1].isascii()
        and (text[start - 1].isalpha() or text[start - 1] in "-_")
    ):
        head = IDENTIFIER_HEAD.search(text, max(0, start - 32), start)
        if head is not None and head.start() != start:  # R1, o1, H800, GPT-4o, v2.1
            tail = IDENTIFIER_TAIL.match(text, start)
            return _make(text, head.start(), max(tail.end(), start + 1), "number", None,
                         role="identifier")  # fmt: skip
    branch = m.lastgroup  # ident, cohort, halfoff and shang hold no inner groups
    if branch not in ("ident", "cohort", "halfoff", "shang"):
        return _quantity(m, text, g)
    if branch == "ident":
        return _make(text, start, end, "number", None, role="identifier")
    if branch == "cohort":
        return _make(text, start, end, "number", _value(m.group("cohort")[:-1]), role="date")
    if branch == "halfoff":
        return _make(text, start, end, "percent", Decimal(50), unit="percent")
    lower = float(_value("一" + m.group("shang")))  # 上万: ten thousand or more
    record = _make(text, start - 1, end, "range", None, unit=None, approximate=True)
    return record | {
        "lower": lower,
        "lower_closed": True,
        "upper_closed": False,
        "precision": lower,
    }


def _prefix(text: str, start: int, g: Grammar) -> tuple[str, int]:
    """The comparator/hedge/第 word right before a figure, and where it starts ("" if none)."""
    index = start
    while index and text[index - 1] in " \t\u3000":
        index -= 1
    if not index or text[index - 1] not in g.prefix_last_chars:
        return "", start
    found = g.prefix.search(text, max(0, start - 16), start)
    if found is None:
        return "", start
    return _SPACES.sub("", found.group(0)), found.start()


def _quantity(m: re.Match, text: str, g: Grammar) -> dict | None:
    """A figure with its prefix (comparator, hedge, 第), suffix (%, 个百分点, currency) and unit."""
    prefix, prefix_start = _prefix(text, m.start(), g)
    start = prefix_start if prefix else m.start()
    end = m.end()
    unit = currency = None
    kind = "number"
    if m.group("per") is not None:
        numeral = _signed_numeral(m.group("per_num"))
        if numeral is None:
            found = _longest_numeral(m.group("per_num"))
            if found is None:
                return None
            numeral, kept = found
            end = m.start("per_num") + kept
        divisor = _percent_divisor(m.group("per"))
        value = numeral.value * (1000 if m.group("per_kilo") else 1) / divisor
        kind, unit, precision = "percent", "percent", numeral.precision / divisor
    elif m.group("sym") is not None:
        numeral = _numeral(m.group("sym_num"))
        if numeral is None:
            return None
        symbol = m.group("sym")
        letters = text[max(0, start - 2) : start]
        if letters + symbol in g.currencies and not prefix:  # US$, HK$
            symbol, start = letters + symbol, start - 2
        currency, unit = g.currencies[symbol]
        kind, value, precision = "currency", numeral.value, numeral.precision
    elif m.group("zhe") or m.group("cheng"):
        value = _tenths(m)
        if value is None:
            return None
        numeral, precision, kind, unit = (
            Numeral(value, 0, Decimal(1)),
            Decimal(1),
            "percent",
            "percent",
        )
    else:
        numeral = _number(m)
        if numeral is None:
            return _fallback(m, text)
        value, precision = numeral.value, numeral.precision
        if m.group("sign") and m.group("sign").strip() in "负負-−－":
            value = -value
        if m.group("pct"):
            kind, unit = "percent", "percent"
        elif m.group("points"):
            kind, unit = "percent", "percentage_point"
        elif m.group("cur"):
            word = _SPACES.sub("", m.group("cur")).removeprefix("个")
            currency, unit = g.currencies[normalize(word) if word not in g.currencies else word]
            kind = "currency"
            if m.group("minor"):
                precision = MINOR_UNITS[m.group("minor_unit")]
                value += _value(m.group("minor")) * precision
            if m.group("cent"):
                precision = MINOR_UNITS["分"]
                value += _value(m.group("cent")) * precision
        elif m.group("dozen"):
            value, precision = value * 12, precision * 12
    record = _make(text, start, end, kind, value, unit=unit, currency=currency)
    record["precision"] = float(precision)
    record["decimals"] = numeral.decimals
    if numeral.upper is not None:
        upper = -numeral.upper if value < 0 else numeral.upper
        record.update(lower=float(value), upper=float(upper), lower_closed=True,
                      upper_closed=False, is_approximate=True)  # fmt: skip
    _apply_context(record, m, text, g, prefix, numeral)

    return record


def _apply_context(record: dict, m: re.Match, text: str, g: Grammar, prefix: str,
                   numeral: Numeral) -> None:  # fmt: skip
    """Prefix/suffix comparators, hedges, unit words and the role the context gives the figure."""
    suffix = _SPACES.sub("", m.group("suf") or "")
    after = _SPACES.sub("", m.group("after") or "")
    if prefix in g.approximators or m.group("approx_after"):
        record["is_approximate"] = True
    bound = g.prefix_bounds.get(prefix) or g.suffix_bounds.get(suffix)
    if prefix == "比":
        bound = _comparison_bound(text, record)
    elif prefix and prefix not in g.prefix_bounds and prefix != "第" and bound is None:
        if prefix not in g.approximators:
            record["start"] = m.start()
            record["text"] = text[record["start"] : record["end"]]
    if bound:
        _set_bound(record, bound)
    if prefix == "第":
        record["role"] = "ordinal"
        record["start"] = m.start()
        record["text"] = text[record["start"] : record["end"]]
    if record["kind"] == "number" and record["unit"] is None and after:
        _apply_unit_word(record, after, m, text, g, numeral)
    if record["kind"] in ("number", "percent") and record["role"] == ROLE_QUANTITY:
        run = m.group("run")
        _apply_words(record, text, g, run or m.group(0), m.start("run") if run else m.start())


def _apply_unit_word(record: dict, after: str, m: re.Match, text: str, g: Grammar,
                     numeral: Numeral) -> None:  # fmt: skip
    after = normalize(after).replace("鐘", "钟")
    hedge = after[-1] if after[-1] in "多余" and len(after) > 1 else ""
    word = after[: len(after) - len(hedge)]
    value = record["value"]
    record["unit"] = UNIT_BY_WORD.get(word)
    whole = value is not None and value == int(value)
    before = text[max(0, record["start"] - 4) : record["start"]]
    if word in ("年", "年代") and whole and (1000 <= value <= 2200 or len(record["text"]) == 4):
        record["role"] = "date"
    elif word == "月" and whole and 1 <= value <= 12:
        record["role"] = "date"
    elif word in ("日", "号") and whole and 1 <= value <= 31 and before.endswith(("月", "月份")):
        record["role"] = "date"
    elif word in CLOCK_WORDS or (word == "点" and before.endswith(g.time_prefixes)):
        record["role"], record["unit"] = "date", "hour"
    elif word == "点" and record["text"] == "一":
        record["role"], record["unit"] = "idiom", None  # 一点: a little
    if hedge and record["upper"] is None:
        step = Decimal(str(record["precision"]))
        record.update(lower=value, upper=float(Decimal(str(value)) + step), lower_closed=True,
                      upper_closed=False, is_approximate=True)  # fmt: skip


def _apply_words(record: dict, text: str, g: Grammar, figure: str, figure_start: int) -> None:
    """Set phrases around the numeral: 一切 (no number), 从0到1 (idiom), 五角大楼 (a name)."""
    shapes = g.words.get(figure)
    simplified = shapes is not None or figure.isascii()
    if not simplified:
        shapes = g.words.get(normalize(figure))
    for offset, length, words in shapes or ():
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
    if end < len(text) and text[end].isascii() and text[end].isalpha():
        record["role"], record["value"] = "identifier", None  # 5G, 3D, 五G
        while end < len(text) and text[end].isascii() and text[end].isalnum():
            end += 1
        record["end"], record["text"] = end, text[start:end]
    elif start and text[start - 1] in "+＋" and record["value"] is not None:
        record["role"], record["start"] = "identifier", start - 1  # +86: a calling code
        record["value"] = None
        record["text"] = text[start - 1 : end]
    elif record["unit"] is None and _looks_like_a_code(numeral):
        record["role"], record["value"] = "identifier", None  # phone, order or account number


def _looks_like_a_code(numeral: str) -> bool:
    """Bare digit strings that are no amounts: 12+ digits, mobile numbers, leading zeros."""
    if not numeral.isdigit() or len(numeral) < 2:
        return False
    is_mobile = len(numeral) == 11 and numeral[0] == "1" and numeral[1] in "3456789"
    return len(numeral) >= 12 or is_mobile or numeral[0] == "0"


def _number(m: re.Match) -> Numeral | None:
    if m.group("run") is not None:
        numeral = _numeral(m.group("run"))
        if numeral is None:
            return None
        if m.group("frac_num") is not None:  # 五分之一: denominator first
            numerator = _signed_numeral(m.group("frac_num"))
            if numerator is None or numeral.value == 0:
                return None
            return Numeral(numerator.value / numeral.value, 0, numerator.precision)
        if m.group("mixed_den") is not None:  # 三又三分之一
            denominator, numerator = _numeral(m.group("mixed_den")), _numeral(m.group("mixed_num"))
            if denominator is None or numerator is None or denominator.value == 0:
                return None
            value = numeral.value + numerator.value / denominator.value
            return Numeral(value, 0, numerator.precision)
        if m.group("kilo"):
            factor = Decimal(10**6 if m.group("kilo") == "M" else 1000)
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


def _fallback(m: re.Match, text: str) -> dict | None:
    """Runs that are no single numeral: 二零二五 (digits read one by one), 二三十 (20 to 30)."""
    raw = _SPACES.sub("", normalize(m.group("num")))
    start, end = m.start("num"), m.end("num")
    value = digit_string(raw)
    if value is not None and len(raw) >= 3:
        record = _make(text, start, end, "number", value)
        record["role"] = "date" if text.startswith("年", end) else ROLE_QUANTITY
        return record
    if (
        len(raw) >= 2
        and raw[0] in "一二三四五六七八"
        and raw[1] == "一二三四五六七八九"["一二三四五六七八".index(raw[0]) + 1]
    ):
        low, high = parse_numeral(raw[0] + raw[2:]), parse_numeral(raw[1:])
        if low is not None and high is not None:
            record = _make(text, start, end, "range", None, approximate=True)
            record.update(lower=float(low.value), upper=float(high.value), lower_closed=True,
                          upper_closed=True, precision=float(low.precision))  # fmt: skip
            return record
    found = _longest_numeral(m.group("num"))
    if found is None:
        return None
    return _make(text, start, start + found[1], "number", found[0].value)


def _longest_numeral(raw: str) -> tuple[Numeral, int] | None:
    """五十千 → 五十, 七十百 → 七十: the longest prefix that is a numeral with a unit in it."""
    compact = _SPACES.sub("", normalize(raw))
    for cut in range(len(compact) - 1, 0, -1):
        head = compact[:cut]
        numeral = parse_numeral(head) if any(c in "十百千万亿" for c in head) else None
        if numeral is not None:
            return numeral, _original_length(raw, cut)
    return None


def _original_length(raw: str, kept: int) -> int:
    """Characters of `raw` (with spaces and commas) that hold its first `kept` significant ones."""
    seen = 0
    for index, char in enumerate(raw):
        if _SPACES.match(char) is None:
            seen += 1
            if seen == kept:
                return index + 1
    return len(raw)


def _tenths(m: re.Match) -> Decimal | None:
    """打八折 → 80, 75折 → 75, 三点一折 → 31, 九成 → 90, 三成半 → 35, 七成六 → 76 (percent)."""
    raw = _SPACES.sub("", normalize(m.group("run")))
    if raw == "半":
        return Decimal(50 if m.group("zhe") else 5)
    if m.group("zhe") and len(raw) == 2 and all(c in DIGITS or c.isdigit() for c in raw):
        return _value(raw[0]) * 10 + _value(raw[1])  # 三八折, 75折: two digits read as a percent
    numeral = _numeral(raw)
    limit = 10 if m.group("zhe") else 10.5
    if numeral is None or not 0 < numeral.value < limit or numeral.upper is not None:
        return None
    value = numeral.value * 10
    if m.group("cheng_half"):
        value += 5
    elif m.group("cheng_tail"):
        value += _value(m.group("cheng_tail"))
    return value


def _set_bound(record: dict, bound: str) -> None:
    value = record["value"]
    record["kind"] = "range"
    if bound in ("lower_open", "lower_closed"):
        record.update(lower=value, upper=None, lower_closed=bound == "lower_closed",
                      upper_closed=False)  # fmt: skip
    elif bound in ("upper_open", "upper_closed"):
        record.update(lower=None, upper=value, lower_closed=False,
                      upper_closed=bound == "upper_closed")  # fmt: skip
    else:
        record.update(lower=value, upper=value, lower_closed=True, upper_closed=True)


def _comparison_bound(text: str, record: dict) -> str | None:
    """比X大 → above X, 比X小/低 → below X (the comparative word joins the span)."""
    end = record["end"]
    while end < len(text) and text[end] in " \t":
        end += 1
    if end < len(text) and text[end] in "大高多小低少":
        record["end"], record["text"] = end + 1, text[record["start"] : end + 1]
        return "lower_open" if text[end] in "大高多" else "upper_open"
    record["start"] += 1
    while text[record["start"]] in " \t":
        record["start"] += 1
    record["text"] = text[record["start"] : record["end"]]
    return None


def _merge_ranges(records: list[dict], text: str, g: Grammar) -> list[dict]:
    """Join neighbours: 20到30, 20和30之间 → [20, 30); 大于10小于20 → (10, 20)."""
    records = [r for r in records if r["role"] != "skip"]
    merged: list[dict] = []
    index = 0
    while index < len(records):
        current = records[index]
        if index + 1 < len(records):
            joined = _join(current, records[index + 1], text, g)
            if joined is not None:
                merged.append(joined)
                index += 2
                continue
        merged.append(current)
        index += 1
    return merged


def _join(first: dict, second: dict, text: str, g: Grammar) -> dict | None:
    if first["role"] not in (ROLE_QUANTITY, "ordinal") or second["role"] != first["role"]:
        return None
    gap = text[first["end"] : second["start"]]
    if first["kind"] == second["kind"] == "range":
        if not _CONNECTOR_GAP.fullmatch(gap):
            return None
        bounds = [first, second] if first["lower"] is not None else [second, first]
        low, high = bounds
        if low["lower"] is None or high["upper"] is None or low["upper"] is not None:
            return None
        if high["lower"] is not None or low["lower"] >= high["upper"]:
            return None
        return _range(
            first,
            second,
            text,
            first["start"],
            second["end"],
            (low["lower"], high["upper"], low["lower_closed"], high["upper_closed"]),
        )
    if "range" in (first["kind"], second["kind"]) or first["value"] is None:
        return None
    if second["value"] is None or first["value"] > second["value"]:
        return None
    stripped = gap.strip()
    end = second["end"]
    start = first["start"]
    if stripped in g.between_connectors or (stripped[:1] in g.between_connectors
                                            and stripped[1:] == "第"):  # fmt: skip
        closing = _BETWEEN_END.match(text, end)
        if closing is None:
            return None
        end = closing.end()
        for lead in ("在第", "位于", "在"):
            if text.startswith(lead, start - len(lead)):
                start -= len(lead)
                break
    elif stripped not in g.range_connectors or first["role"] != ROLE_QUANTITY:
        return None
    else:
        closing = _BETWEEN_END.match(text, end)
        end = closing.end() if closing else end
    return _range(first, second, text, start, end, (first["value"], second["value"], True, False))


def _range(first: dict, second: dict, text: str, start: int, end: int, bounds: tuple) -> dict:
    lower, upper, lower_closed, upper_closed = bounds
    record = _make(text, start, end, "range", None, unit=second["unit"] or first["unit"],
                   currency=second["currency"] or first["currency"])  # fmt: skip
    record.update(lower=lower, upper=upper, lower_closed=lower_closed, upper_closed=upper_closed,
                  precision=min(first["precision"], second["precision"]),
                  decimals=max(first["decimals"] or 0, second["decimals"] or 0),
                  is_approximate=first["is_approximate"] or second["is_approximate"])  # fmt: skip
    return record


def _make(text: str, start: int, end: int, kind: str, value, *, unit: str | None = None,
          currency: str | None = None, role: str = ROLE_QUANTITY,
          approximate: bool = False) -> dict:  # fmt: skip
    return {
        "start": start, "end": end, "text": text[start:end], "kind": kind,
        "value": None if value is None else float(value),
        "lower": None, "upper": None, "lower_closed": None, "upper_closed": None,
        "unit": unit, "currency": currency, "decimals": 0, "precision": 1.0,
        "is_approximate": approximate, "role": role,
    }  # fmt: skip


@lru_cache(maxsize=65536)
def _numeral(raw: str) -> Numeral | None:
    return parse_numeral(_SPACES.sub("", normalize(raw)))


def _signed_numeral(raw: str) -> Numeral | None:
    text = normalize(raw).lstrip()
    negative = text[:1] in ("负", "-")
    numeral = _numeral(text[1:] if negative else text)
    if numeral is None or not negative:
        return numeral
    return Numeral(-numeral.value, numeral.decimals, numeral.precision, numeral.upper)


def _value(raw: str) -> Decimal:
    numeral = _numeral(raw)
    return numeral.value if numeral is not None else Decimal(0)


def _percent_divisor(per: str) -> Decimal:
    """百分之 → 1, 千分之 → 10, 百万分之 → 10 000: the denominator over 100."""
    return _value("一" + per) / 100


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
