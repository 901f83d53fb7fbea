"""Table-driven tests of flows.numbers.recognize on short texts written for the purpose."""

from __future__ import annotations

import pytest

from flows.numbers import recognize


def _only(text: str) -> dict:
    records = [r for r in recognize(text) if r["role"] != "idiom"]
    assert len(records) == 1, records
    return records[0]


@pytest.mark.parametrize(
    ("text", "surface", "kind", "value", "unit", "currency"),
    [
        ("股价跌了17%", "17%", "percent", 17.0, "percent", None),
        ("微软降2.14%。", "2.14%", "percent", 2.14, "percent", None),
        ("利率下降了负3.9%", "负3.9%", "percent", -3.9, "percent", None),
        ("收益-3.9%", "-3.9%", "percent", -3.9, "percent", None),
        ("占比百分之七十", "百分之七十", "percent", 70.0, "percent", None),
        ("增长百分之２．４", "百分之２．４", "percent", 2.4, "percent", None),
        ("失业率上升0.3个百分点", "0.3个百分点", "percent", 0.3, "percentage_point", None),
        ("全场打八折", "八折", "percent", 80.0, "percent", None),
        ("超市打对折", "对折", "percent", 50.0, "percent", None),
        ("只有三成的人同意", "三成", "percent", 30.0, "percent", None),
        ("指数下跌了450点", "450", "number", 450.0, "points", None),
        ("市值蒸发3200亿美元", "3200亿美元", "currency", 3.2e11, "USD", "USD"),
        ("账上有16.4亿元", "16.4亿元", "currency", 1640000000.0, "CNY", "CNY"),
        ("他身价500万美金", "500万美金", "currency", 5e6, "USD", "USD"),
        ("售价$1,299", "$1,299", "currency", 1299.0, "USD", "USD"),
        ("只要￥99", "￥99", "currency", 99.0, "CNY", "CNY"),
        ("罚款3亿欧元", "3亿欧元", "currency", 3e8, "EUR", "EUR"),
        ("每股1.95港元", "1.95港元", "currency", 1.95, "HKD", "HKD"),
        ("花了三块钱", "三块钱", "currency", 3.0, "CNY", "CNY"),
        ("一共两百五十人", "两百五十", "number", 250.0, "count", None),
        ("全书一千零三十六页", "一千零三十六", "number", 1036.0, None, None),
        ("共１２３件", "１２３", "number", 123.0, None, None),
        ("金额壹仟贰佰元", "壹仟贰佰元", "currency", 1200.0, "CNY", "CNY"),
        ("人口约1.5万", "约1.5万", "number", 15000.0, None, None),
        ("估值4.78万亿", "4.78万亿", "number", 4.78e12, None, None),
        ("共1,050,000股", "1,050,000", "number", 1050000.0, None, None),
        ("零点九的概率", "零点九", "number", 0.9, None, None),
        ("三分之一的人", "三分之一", "number", 1 / 3, None, None),
        ("成本是1/30", "1/30", "number", 1 / 30, None, None),
        ("研发了18个月", "18", "number", 18.0, "month", None),
        ("历时13年", "13", "number", 13.0, "year", None),
        ("一打鸡蛋", "一打", "number", 12.0, None, None),
    ],
)
def test_values_units_and_currencies(text, surface, kind, value, unit, currency):
    records = [r for r in recognize(text) if r["role"] == "quantity"]
    record = next(r for r in records if r["text"] == surface)
    assert (record["kind"], record["unit"], record["currency"]) == (kind, unit, currency)
    assert record["value"] == pytest.approx(value, rel=1e-12)
    assert text[record["start"] : record["end"]] == surface


def test_financial_numerals():
    assert [r["value"] for r in recognize("肆佰陆拾元")] == [460.0]
    assert [r["value"] for r in recognize("贰拾万零伍佰")] == [200500.0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("16.4亿", 1640000000.0),
        ("36.57亿", 3657000000.0),
        ("0.1亿", 10000000.0),
        ("2.3万", 23000.0),
        ("1.1万亿", 1.1e12),
    ],
)
def test_values_are_exact_where_floats_would_drift(text, value):
    assert _only(text)["value"] == value  # exact equality, not approx


@pytest.mark.parametrize(
    ("text", "surface", "lower", "upper", "lower_closed", "upper_closed"),
    [
        ("使用了2000多个芯片", "2000多", 2000.0, 3000.0, True, False),
        ("来了十多万人", "十多万", 1e5, 2e5, True, False),
        ("花费几十亿美元", "几十亿美元", 1e9, 1e10, True, False),
        ("需要上万块GPU", "上万", 1e4, None, True, False),
        ("增长20到30", "20到30", 20.0, 30.0, True, False),
        ("价格在20至30之间", "20至30之间", 20.0, 30.0, True, False),
        ("气温超过30度", "超过30", 30.0, None, False, False),
        ("年龄不超过35岁", "不超过35", None, 35.0, False, True),
        ("分数在60以上", "60以上", 60.0, None, False, False),
        ("收入在5000以下", "5000以下", None, 5000.0, False, False),
        ("大于10小于20的数", "大于10小于20", 10.0, 20.0, False, False),
        ("至少有3家公司", "至少有3", 3.0, None, True, False),
        ("在美国生活了30多年", "30多", 30.0, 40.0, True, False),
        ("6年多前", "6", 6.0, 7.0, True, False),
        ("跌幅为3%到5%", "3%到5%", 3.0, 5.0, True, False),
    ],
)
def test_hedges_and_ranges_carry_bounds(text, surface, lower, upper, lower_closed, upper_closed):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["lower"], record["upper"]) == (lower, upper)
    assert (record["lower_closed"], record["upper_closed"]) == (lower_closed, upper_closed)
    explicit = surface in ("20到30", "20至30之间", "大于10小于20", "3%到5%")
    assert record["is_approximate"] != explicit  # 20到30 states both ends; 超过30 hedges


@pytest.mark.parametrize(
    ("text", "surface", "role"),
    [
        ("我的401K账户", "401K", "identifier"),
        ("学术机构叫403b", "403b", "identifier"),
        ("DeepSeek R1的价格", "R1", "identifier"),
        ("ChatGPT o1的水准", "o1", "identifier"),
        ("DeepSeek-V3展示", "V3", "identifier"),
        ("出口H800芯片", "H800", "identifier"),
        ("GPT-4o发布", "GPT-4o", "identifier"),
        ("Llama-3开源", "Llama-3", "identifier"),
        ("升级到v2.1版本", "v2.1", "identifier"),
        ("版本3.5.1修复了问题", "3.5.1", "identifier"),
        ("只能+86注册", "+86", "identifier"),
        ("吹嘘的五G那样", "五G", "identifier"),
        ("搭建5G基站", "5G", "identifier"),
        ("电话13812345678", "13812345678", "identifier"),
        ("订单号A202107211321363588510367", "A202107211321363588510367", "identifier"),
        ("一位95后女生", "95后", "date"),
        ("他是00后", "00后", "date"),
        ("1957年发射", "1957", "date"),
        ("2025年1月27日收盘", "1", "date"),
        ("2025年1月27日收盘", "27", "date"),
        ("二〇二五年", "二〇二五", "date"),
        ("下午三点钟开会", "三", "date"),
        ("晚上8点见", "8", "date"),
        ("下了一点毛毛雨", "一", "idiom"),
        ("不是从0到1的飞跃", "0", "idiom"),
        ("从零到一很难", "一", "idiom"),
        ("第3名", "3", "ordinal"),
        ("在第一时间", "一", "ordinal"),
    ],
)
def test_roles_tell_quantities_from_names_dates_and_idioms(text, surface, role):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert record["role"] == role
    if role == "identifier":
        assert record["value"] is None


def test_401k_plan_versus_an_amount():
    plan = recognize("把钱存进401K计划")
    salary = recognize("年薪40万，奖金40k")
    assert [(r["text"], r["role"]) for r in plan] == [("401K", "identifier")]
    assert [(r["text"], r["value"]) for r in salary] == [("40万", 400000.0), ("40k", 40000.0)]


@pytest.mark.parametrize(
    "text",
    [
        "一切正常",
        "我一看就懂",
        "四川人",
        "登陆部队",
        "收拾房间",
        "入伍",
        "这个人很放肆",
        "美味十足",
        "https://example.com/q?x=30%25",
        "两两相对",
        "市值一夜之间蒸发",  # overnight
        "较前一交易日",  # the previous session: no amount
        "较上一个交易日",
        "同一天",
    ],
)
def test_words_that_only_look_like_numbers(text):
    assert [r for r in recognize(text) if r["role"] == "quantity"] == []


def test_two_numbers_in_one_clause_and_percent_vs_points():
    records = recognize("纳指降了3.1%或612点，利差扩大0.5个百分点")
    assert [(r["text"], r["kind"], r["unit"]) for r in records] == [
        ("3.1%", "percent", "percent"),
        ("612", "number", "points"),
        ("0.5个百分点", "percent", "percentage_point"),
    ]


def test_currency_symbols_before_and_words_after():
    records = recognize("从$20涨到300美元，又从€5跌到3欧元")
    assert [(r["kind"], r["lower"], r["upper"], r["currency"]) for r in records] == [
        ("range", 20.0, 300.0, "USD"),
        ("range", 5.0, 3.0, "EUR"),
    ] or [(r["value"], r["currency"]) for r in records] == [
        (20.0, "USD"),
        (300.0, "USD"),
        (5.0, "EUR"),
        (3.0, "EUR"),
    ]


@pytest.mark.parametrize(
    ("text", "surface", "decimals", "precision"),
    [
        ("涨了17%", "17%", 0, 1.0),
        ("降2.14%", "2.14%", 2, 0.01),
        ("缩水4270亿美元", "4270亿美元", 0, 1e8),
        ("1.5万", "1.5万", 1, 1000.0),
        ("2000多个", "2000多", 0, 1000.0),
        ("两百五十", "两百五十", 0, 10.0),
    ],
)
def test_decimals_and_precision(text, surface, decimals, precision):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["decimals"], record["precision"]) == (decimals, precision)


def test_records_are_sorted_and_offsets_match_text():
    text = "昨天英伟达缩水5890亿美元，黄仁勋的财产降至1036亿美元，谷歌降4%，1月27日收盘。"
    records = recognize(text)
    assert [r["start"] for r in records] == sorted(r["start"] for r in records)
    assert all(text[r["start"] : r["end"]] == r["text"] for r in records)


@pytest.mark.parametrize(
    ("text", "surface", "role"),
    [
        ("从来没有见过一个外国公司", "一", "quantity"),
        ("市场零星几个", "零", "skip"),
        ("从零开始学", "零", "idiom"),
        ("参观五角大楼", "五", "identifier"),
    ],
)
def test_aspect_particles_and_set_phrases(text, surface, role):
    records = [r for r in recognize(text) if r["text"] == surface]
    if role == "skip":
        assert records == []
    else:
        assert [r["role"] for r in records] == [role]
        assert records[0]["kind"] == "number"


@pytest.mark.parametrize(
    ("text", "surface", "bounds"),
    [
        ("月薪5k-20k不等", "5k-20k", (5000.0, 20000.0, True, False)),
        ("大约有20 - 100个", "20 - 100", (20.0, 100.0, True, False)),
        ("温度在-5与10之间", "在-5与10之间", (-5.0, 10.0, True, False)),
        ("比三分之一大，比二分之一小", "比三分之一大，比二分之一小", (1 / 3, 0.5, False, False)),
        ("不少于三十人", "不少于三十", (30.0, None, True, False)),
        ("市盈率≥50的公司", "≥50", (50.0, None, True, False)),
    ],
)
def test_more_range_forms(text, surface, bounds):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert record["kind"] == "range"
    lower, upper, lower_closed, upper_closed = bounds
    assert record["lower"] == pytest.approx(lower) if lower is not None else record["lower"] is None
    assert record["upper"] == pytest.approx(upper) if upper is not None else record["upper"] is None
    assert (record["lower_closed"], record["upper_closed"]) == (lower_closed, upper_closed)


def test_inconsistent_bounds_stay_apart_and_dates_are_not_ranges():
    assert [r["kind"] for r in recognize("大于50小于12")] == ["range", "range"]
    records = recognize("1月27日到1月28日")
    assert [r["role"] for r in records] == ["date", "date", "date", "date"]


def test_traditional_and_full_width_forms():
    records = recognize("營收１２．５億元，增長百分之十")
    assert [(r["kind"], r["value"]) for r in records] == [
        ("currency", 1250000000.0),
        ("percent", 10.0),
    ]


def test_currency_name_before_an_amount_joins_its_span():
    assert [(r["text"], r["currency"]) for r in recognize("花了人民币 50元")] == [
        ("人民币 50元", "CNY")
    ]
    assert [r["text"] for r in recognize("日元，50元")] == ["50元"]


@pytest.mark.parametrize(
    ("text", "surface", "kind", "value", "currency"),
    [
        ("缩水近500亿美元", "近500亿美元", "currency", 5e10, "USD"),
        ("超过1000亿美元", "超过1000亿美元", "range", 1e11, "USD"),
        ("下跌近3%", "近3%", "percent", 3.0, None),
    ],
)
def test_hedged_figures_keep_their_value_and_kind(text, surface, kind, value, currency):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["kind"], record["value"], record["currency"]) == (kind, value, currency)
    assert record["is_approximate"]
    assert recognize("近年来股价上涨") == []


def test_negative_hedge_keeps_lower_below_upper():
    record = recognize("亏损负2000多万")[0]
    assert (record["lower"], record["upper"]) == (-30000000.0, -20000000.0)
    assert (record["lower_closed"], record["upper_closed"]) == (False, True)


@pytest.mark.parametrize(
    ("text", "surface", "currency"),
    [
        ("$20起", "$20", "USD"),  # a symbol at the very start keeps offsets inside the text
        ("￥99包邮", "￥99", "CNY"),
        ("US$20每股", "US$20", "USD"),  # letters before the symbol name its currency
        ("HK$5.5", "HK$5.5", "HKD"),
        ("NT$100", "NT$100", "TWD"),
    ],
)
def test_currency_symbols_with_and_without_a_letter_prefix(text, surface, currency):
    [record] = recognize(text)
    assert (record["text"], record["currency"], record["role"]) == (surface, currency, "quantity")
    assert text[record["start"] : record["end"]] == surface and record["start"] >= 0
