"""Readings that hang on the words around a figure: dollar prefixes, currency names, per-share
prices, vague tenths and halves, 数十, 两三, and 点 words that are no points unit."""

from __future__ import annotations

import pytest

from flows import schemas
from flows.numbers import recognize


def only_record(text: str) -> dict:
    """The one record recognize finds in `text` (fails when there are none or several)."""
    records = recognize(text)
    assert len(records) == 1, records
    return records[0]


@pytest.mark.parametrize(
    ("text", "surface", "iso"),
    [
        ("门票A$45一张", "A$45", "AUD"),
        ("售价C$1,299", "C$1,299", "CAD"),
        ("市值CA$3.2 billion", "CA$3.2 billion", "CAD"),
        ("股价S$1.85", "S$1.85", "SGD"),
        ("收购价NZ$6", "NZ$6", "NZD"),
        ("募资US$500", "US$500", "USD"),
        ("招股价HK$17", "HK$17", "HKD"),
        ("标价$99", "$99", "USD"),
        ("代码XA$5", "$5", "USD"),  # XA$ is no dollar's name: the letters stay outside
    ],
)
def test_a_prefixed_dollar_has_its_own_iso_code(text, surface, iso):
    record = only_record(text)
    assert (record["text"], record["kind"], record["currency"]) == (surface, "currency", iso)
    # unit stays inside the numbers contract's vocabulary (GX refuses the release otherwise)
    assert record["unit"] == (iso if iso in schemas.UNITS else None)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("汇率报4.6新加坡元", "SGD"),
        ("年薪12万瑞郎", "CHF"),
        ("票价300澳币", "AUD"),
        ("补贴500加币", "CAD"),
        ("售价2.5万纽元", "NZD"),
        ("耗资8亿泰铢", "THB"),
        ("罚款200万英镑", "GBP"),
        ("融资3000亿韩元", "KRW"),
    ],
)
def test_chinese_currency_names_carry_their_iso_code(text, iso):
    record = only_record(text)
    assert (record["kind"], record["currency"]) == ("currency", iso)
    assert record["unit"] == (iso if iso in schemas.UNITS else None)


def test_a_name_that_only_starts_like_a_currency_is_no_amount():
    assert [(r["text"], r["kind"]) for r in recognize("发现2个新元素")] == [("2", "number")]


@pytest.mark.parametrize(
    ("text", "value", "iso"),
    [
        ("要约价$35一股", 35, "USD"),
        ("作价12港元一股", 12, "HKD"),
        ("每股8.5美元", 8.5, "USD"),
        ("发行价18元/股", 18, "CNY"),
    ],
)
def test_a_per_share_price_is_one_amount(text, value, iso):
    record = only_record(text)
    assert (record["kind"], record["value"], record["currency"]) == ("currency", value, iso)


def test_an_arabic_figure_glued_to_a_chinese_digit_keeps_its_value():
    assert [(r["text"], r["value"]) for r in recognize("股价30一线")] == [("30", 30), ("一", 1)]


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [
        ("净利润涨了两成多", 20, 30),
        ("市占率提升一成余", 10, 20),
    ],
)
def test_tenths_with_a_hedge_are_a_range(text, lower, upper):
    record = only_record(text)
    assert (record["kind"], record["unit"]) == ("percent", "percent")
    assert (record["lower"], record["upper"], record["is_approximate"]) == (lower, upper, True)


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("营收下滑三成", 30, False),
        ("股价腰斩，跌去四成左右", 40, True),
        ("仓位降到半成", 5, False),
        ("七成多头仓位", 70, False),  # 多头: a long position, no hedge
    ],
)
def test_tenths_without_a_hedge_stay_one_value(text, value, approximate):
    record = only_record(text)
    assert (record["value"], record["lower"], record["is_approximate"]) == (
        value,
        None,
        approximate,
    )


@pytest.mark.parametrize(
    ("text", "kind", "value", "lower"),
    [
        ("收入将近一半来自海外", "percent", 50, None),
        ("超过一半的基金亏损", "range", 50, 50),
        ("一半以上的公司", "range", 50, 50),
    ],
)
def test_half_is_fifty_percent(text, kind, value, lower):
    record = only_record(text)
    assert (record["kind"], record["unit"], record["value"]) == (kind, "percent", value)
    assert record["lower"] == lower


@pytest.mark.parametrize("text", ["第一半导体公司", "一半年没见", "赢下第一半场"])
def test_half_inside_a_longer_word_is_no_percent(text):
    assert all(r["unit"] != "percent" for r in recognize(text))


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [
        ("数十家券商", 10, 100),
        ("蒸发数千亿美元", 1e11, 1e12),
        ("吸引數萬名投资者", 1e4, 1e5),
    ],
)
def test_shu_before_a_unit_is_a_vague_amount(text, lower, upper):
    record = only_record(text)
    assert (record["lower"], record["upper"], record["is_approximate"]) == (lower, upper, True)


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("上证指数十连阳", "十", 10),  # 指数 is a word: 数 is no vague digit
        ("参会人数十万", "十万", 1e5),
        ("持股家数百余家", "百余", 100),
    ],
)
def test_shu_that_ends_a_word_leaves_the_figure_alone(text, surface, value):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["value"], record["upper"] is None or surface.endswith("余")) == (value, True)


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [("两三个交易日", 2, 3), ("两三百亿", 2e10, 3e10)],
)
def test_liang_san_is_a_range_as_er_san_is(text, lower, upper):
    record = only_record(text)
    assert (record["kind"], record["lower"], record["upper"]) == ("range", lower, upper)


@pytest.mark.parametrize(
    ("text", "weekday"),
    [("周五点评：市场情绪回暖", 5.0), ("周二点名批评", 2.0), ("星期三点击量", 3.0)],
)
def test_a_dian_word_after_a_weekday_leaves_it_a_weekday(text, weekday):
    record = only_record(text)
    assert (record["role"], record["unit"], record["value"]) == ("date", "day", weekday)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("三点评级", None),  # 点评: no points
        ("指数涨了35点", "points"),
        ("周三点半开会", "hour"),  # a clock time, as before
    ],
)
def test_dian_is_a_points_unit_only_when_it_opens_no_word(text, unit):
    assert recognize(text)[0]["unit"] == unit


def test_yuehe_hedges_a_converted_amount():
    record = only_record("约合4.2亿美元")
    assert (record["text"], record["is_approximate"], record["currency"]) == (
        "约合4.2亿美元",
        True,
        "USD",
    )


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [
        ("预计亏损3到5万元", 3e4, 5e4),
        ("募资2至3亿美元", 2e8, 3e8),
        ("还有一到两成的空间", 10, 20),
        ("打七到八折", 70, 80),
        ("吸引100到200万人", 1e6, 2e6),
        ("增速在3到5%之间", 3, 5),  # no scale: as stated
        ("估值10到15倍", 10, 15),
    ],
)
def test_a_bare_first_figure_of_a_range_takes_the_scale_of_the_second(text, lower, upper):
    record = next(r for r in recognize(text) if r["kind"] == "range")
    assert (record["lower"], record["upper"]) == (lower, upper)


def test_a_first_figure_with_its_own_scale_keeps_it():
    record = only_record("区间为3万到5万元")
    assert (record["lower"], record["upper"]) == (3e4, 5e4)


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("成本只有对手的十分之一左右", "十分之一", 0.1),
        ("约十分之三的席位", "约十分之三", 0.3),
    ],
)
def test_a_fraction_over_ten_is_no_shifen(text, surface, value):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert record["value"] == pytest.approx(value)


def test_shifen_alone_is_still_an_adverb():
    assert recognize("十分看好后市") == []


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [("训练用了2788万GPU小时", "2788万", 2.788e7), ("日活达到3亿DAU", "3亿", 3e8)],
)
def test_a_scaled_figure_before_latin_letters_is_a_quantity(text, surface, value):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["value"]) == ("quantity", value)


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("央行下调50个基点", "50个基点", 0.5),
        ("加息25bp", "25bp", 0.25),
        ("降息75 bps", "75 bps", 0.75),
    ],
)
def test_basis_points_are_hundredths_of_a_percentage_point(text, surface, value):
    record = only_record(text)
    assert (record["text"], record["unit"], record["value"]) == (surface, "percentage_point", value)


@pytest.mark.parametrize(
    ("text", "approximate"),
    [("占比约为12%", True), ("份额约占三成", True), ("该合约为100手", False)],
)
def test_yue_words_hedge_unless_they_end_a_word(text, approximate):
    assert only_record(text)["is_approximate"] is approximate


@pytest.mark.parametrize(
    ("text", "role"),
    [("两融余额回升", "skip"), ("全国两会召开", "identifier"), ("两家公司", "quantity")],
)
def test_liang_in_a_set_phrase_is_no_count(text, role):
    records = recognize(text)
    if role == "skip":
        assert records == []
    else:
        assert [r["role"] for r in records] == [role]


@pytest.mark.parametrize(
    "text",
    ["身家缩水约120亿美元至3,000多亿美元", "股价上涨8元至60元", "指数下跌了150点至2900点"],
)
def test_a_change_then_the_level_it_reached_is_no_range(text):
    assert [r["kind"] for r in recognize(text)] != ["range"]
    assert len(recognize(text)) == 2


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [
        ("预计净利润增加2.1亿元至2.6亿元", 2.1e8, 2.6e8),
        ("同比增长40%至70%", 40, 70),
        ("营收增长3到5万元", 3e4, 5e4),
    ],
)
def test_a_change_stated_as_a_range_stays_a_range(text, lower, upper):
    record = only_record(text)
    assert (record["kind"], record["lower"], record["upper"]) == ("range", lower, upper)


@pytest.mark.parametrize(
    ("text", "lower", "unit"),
    [("盘中涨超6%", 6, "percent"), ("成交额超8,000亿元", 8e11, "CNY"), ("交付超20万台", 2e5, None)],
)
def test_chao_before_a_figure_is_a_lower_bound(text, lower, unit):
    record = only_record(text)
    assert (record["kind"], record["lower"], record["lower_closed"]) == ("range", lower, False)
    assert record["unit"] == unit


def test_ganchao_is_no_bound():
    assert only_record("有望赶超5家同行")["kind"] == "number"


@pytest.mark.parametrize("text", ["各地进度不一", "较前一日持平", "前一天收盘", "一片飘红"])
def test_yi_in_set_phrases_is_no_count(text):
    assert recognize(text) == []


def test_the_other_half_is_no_percent():
    assert recognize("和另一半商量后卖出") == []


@pytest.mark.parametrize(
    ("text", "surface", "value", "iso"),
    [
        ("Q3 revenue $30.8B", "$30.8B", 3.08e10, "USD"),
        ("市值$3.3T", "$3.3T", 3.3e12, "USD"),
        ("融资£2.1bn", "£2.1bn", 2.1e9, "GBP"),
        ("年薪$450K", "$450K", 4.5e5, "USD"),
        ("募资US$1.2B", "US$1.2B", 1.2e9, "USD"),
        ("季度营收48.7B美元", "48.7B美元", 4.87e10, "USD"),  # before a currency name
        ("回购2bn美元股票", "2bn美元", 2e9, "USD"),
        ("估值1.5T美元", "1.5T美元", 1.5e12, "USD"),
        ("募资3.2B港元", "3.2B港元", 3.2e9, "HKD"),
        ("融资6.6 billion美元", "6.6 billion美元", 6.6e9, "USD"),  # an English scale word
        ("raised 750 million dollars", "750 million dollars", 7.5e8, "USD"),
        ("a 2 billion yuan fund", "2 billion yuan", 2e9, "CNY"),
    ],
)
def test_scale_letters_glued_to_an_amount_multiply_it(text, surface, value, iso):
    """After a currency symbol ($30.8B) or before a currency name (48.7B美元)."""
    record = next(r for r in recognize(text) if r["kind"] == "currency")
    assert (record["text"], record["value"], record["currency"]) == (surface, value, iso)


def test_an_english_currency_name_is_one_space_from_its_figure():
    record = recognize("cost   6.5e+06      USD")[0]
    assert (record["kind"], record["text"]) == ("number", "6.5e+06")


def test_a_symbol_amount_before_a_word_keeps_its_value():
    record = only_record("$5Bitcoin")
    assert (record["text"], record["value"]) == ("$5", 5)


@pytest.mark.parametrize(("text", "value"), [("P/E 35x，", 35), ("用了3x的杠杆", 3)])
def test_an_arabic_figure_with_x_is_a_ratio(text, value):
    record = only_record(text)
    assert (record["unit"], record["value"], record["role"]) == ("ratio", value, "quantity")


@pytest.mark.parametrize("text", ["4x4越野车", "尺码5xl", "地址0x1F"])
def test_x_inside_a_code_leaves_it_an_identifier(text):
    assert only_record(text)["role"] == "identifier"


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("百度盘中涨4%", "百"),
        ("三星电子跌2%", "三"),
        ("五粮液收跌1%", "五"),
        ("零一万物发布新模型", "零一万"),
    ],
)
def test_a_numeral_inside_a_company_name_is_an_identifier(text, surface):
    record = recognize(text)[0]
    assert (record["text"], record["role"], record["value"]) == (surface, "identifier", None)
