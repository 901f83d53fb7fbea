"""Property tests: any integer, written in Arabic or Chinese numerals, parses back to itself."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flows import schemas
from flows.numbers import recognize

DIGITS = "零一二三四五六七八九"
SMALL = ((1000, "千"), (100, "百"), (10, "十"))
ALPHABET = (
    "0123456789一二三四五十百千万亿点%％.,-负约多余个年月日美元到和之间以上的 abKkEe^/$￥第从成折"
)


def chinese(n: int) -> str:
    """A standard Chinese rendering of 0 <= n < 10**12 (our own generator, not the parser)."""
    if n == 0:
        return "零"
    parts: list[str] = []
    previous = None  # the last non-zero group, to know whether a 零 bridges a gap of zeros
    gap = False
    for scale, name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        group, n = divmod(n, scale)
        if not group:
            gap = gap or previous is not None
            continue
        if previous is not None and (gap or previous % 10 == 0 or group < 1000):
            parts.append("零")
        parts.append(_below_10000(group) + name)
        previous, gap = group, False
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def _below_10000(n: int) -> str:
    out: list[str] = []
    zero = False
    for scale, name in SMALL:
        digit, n = divmod(n, scale)
        if digit:
            out.append(("零" if zero else "") + DIGITS[digit] + name)
            zero = False
        elif out:
            zero = True
    if n:
        out.append(("零" if zero else "") + DIGITS[n])
    return "".join(out)


def _quantities(text: str) -> list[dict]:
    return [r for r in recognize(text) if r["role"] == "quantity"]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_arabic_integers_parse_back(n):
    for text in (f"共有{n}个", f"共有{n:,}个"):
        records = _quantities(text)
        assert [r["value"] for r in records] == [float(n)], text


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_integers_parse_back(n):
    text = f"共有{chinese(n)}个"
    records = _quantities(text)
    assert [r["value"] for r in records] == [float(n)], text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(ALPHABET)), max_size=30))
def test_offsets_always_match_the_text(text):
    records = recognize(text)
    assert all(text[r["start"] : r["end"]] == r["text"] for r in records)
    assert [r["start"] for r in records] == sorted(r["start"] for r in records)
    assert all(r["start"] < r["end"] for r in records)
    pairs = zip(records, records[1:], strict=False)
    assert all(first["end"] <= second["start"] for first, second in pairs)


# Words whose readings set kind, role, unit or currency: any mix of them must stay inside the
# numbers contract's vocabularies, or GX refuses the whole release.
TOKENS = (
    "3",
    "27",
    "1.85",
    "2025",
    "一",
    "五",
    "十",
    "万",
    "亿",
    "%",
    "个百分点",
    "个基点",
    "bp",
    "点",
    "倍",
    "x",
    "B",
    "bn",
    "K",
    "$",
    "A$",
    "C$",
    "NZ$",
    "US$",
    "HK$",
    "美元",
    "澳元",
    "瑞郎",
    "泰铢",
    "元",
    "港币",
    "年",
    "月",
    "日",
    "时",
    "周",
    "星期",
    "/",
    ".",
    "-",
    "到",
    "多",
    "超",
    "约",
    "成",
    "FY",
    "in ",
    "第",
    "收盘",
    "，",
    " ",
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=12).map("".join))
def test_records_fit_the_numbers_contract(text):
    for record in recognize(text):
        assert record["kind"] in schemas.NUMBER_KINDS, (text, record)
        assert record["role"] in schemas.NUMBER_ROLES, (text, record)
        assert record["unit"] is None or record["unit"] in schemas.UNITS, (text, record)
        assert record["kind"] != "currency" or record["currency"] is not None, (text, record)


def test_generator_examples():
    assert chinese(1036) == "一千零三十六"
    assert chinese(100056) == "十万零五十六"
    assert chinese(40006000) == "四千万零六千"
    assert chinese(500000006) == "五亿零六"
    assert chinese(1011000) == "一百零一万一千"
    assert chinese(250) == "二百五十"
