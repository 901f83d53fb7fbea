"""Roles the neighbouring text gives a figure: weekdays, names with digits, codes, phone numbers."""

from __future__ import annotations

import pytest

from flows.numbers import recognize


def _roles(text: str) -> list[tuple[str, str]]:
    return [(r["text"], r["role"]) for r in recognize(text)]


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("周三收盘时恒指走低", "三", 3.0),
        ("星期四晚间公布财报", "四", 4.0),
        ("礼拜二开市后", "二", 2.0),
        ("下周一公布数据", "一", 1.0),
        ("这个星期六加班", "六", 6.0),
        ("周五天气晴朗", "五", 5.0),
    ],
)
def test_a_weekday_numeral_is_a_date_in_days(text, surface, value):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["unit"], record["value"]) == ("date", "day", value)


@pytest.mark.parametrize(
    ("text", "surface", "unit"),
    [
        ("每周三次例会", "三", "count"),  # three times a week
        ("一周三天在家办公", "三", "day"),  # three days of a week
        ("三周后复盘", "三", None),
        ("每周二发布", "二", None),  # every Tuesday: no single date
    ],
)
def test_numerals_near_a_week_word_that_name_no_weekday(text, surface, unit):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["unit"]) == ("quantity", unit)


def test_weekdays_without_a_numeral_and_week_words_give_no_quantity():
    for text in ("星期天休市", "周日晚间", "周期性行业", "周末两天"):
        assert all(r["role"] != "quantity" or r["text"] == "两" for r in recognize(text)), text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("中证500指数下跌1.2%", "中证500"),
        ("罗素2000小盘股指数", "罗素2000"),
        ("日经225收涨", "日经225"),
        ("标准普尔500期货", "标准普尔500"),  # a digit-bearing alias of the gazetteer
        ("S&P 500 futures", "S&P 500"),
        ("跟踪Nasdaq 100 index", "Nasdaq 100"),
        ("入选世界500强", "世界500"),
    ],
)
def test_digits_that_end_a_name_are_an_identifier(text, name):
    record = next(r for r in recognize(text) if r["role"] == "identifier")
    assert (record["text"], record["value"]) == (name, None)


def test_a_name_with_digits_keeps_the_quantity_after_it():
    assert _roles("中证1000指数跌了2.5%") == [("中证1000", "identifier"), ("2.5%", "quantity")]


@pytest.mark.parametrize(
    ("text", "surface", "unit"),
    [
        ("沪深两市300只个股上涨", "300", None),  # the digits follow no name head
        ("标普跌了50点", "50", "points"),
        ("上证收于3000", "3000", None),
        ("全国500家企业", "500", "count"),
    ],
)
def test_the_same_digits_elsewhere_stay_quantities(text, surface, unit):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["unit"]) == ("quantity", unit)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("苹果发布了iPhone 17 Pro", "iPhone 17"),
        ("Windows 10停止支持", "Windows 10"),
        ("试用了Qwen 3之后", "Qwen 3"),
        ("Claude 3.5的代码能力", "Claude 3.5"),
        ("谷歌Pixel 9销量", "Pixel 9"),
        ("用Python 3.12重写", "Python 3.12"),
    ],
)
def test_a_figure_one_space_after_a_latin_name_is_an_identifier(text, name):
    assert _roles(text) == [(name, "identifier")]


@pytest.mark.parametrize(
    ("text", "surface", "kind"),
    [
        ("Nasdaq 612点", "612", "number"),  # a unit after it
        ("NVDA 跌 17%", "17%", "percent"),
        ("Nasdaq 19000关口", "19000", "number"),  # a traded name of the gazetteer: a level
        ("SOUN 12.34收盘", "12.34", "number"),  # a ticker and a price with cents
        ("Tesla卖了 Model 3辆", "3", "number"),  # a measure word after it
        ("In 300 stores", "300", "number"),  # no year (In 2023 is a date)
        ("Jan 27 收盘", "27", "number"),
        ("shares rose 5 percent", "5", "number"),  # a lower-case word: English prose
        ("涨了 5%", "5%", "percent"),
    ],
)
def test_figures_after_latin_words_that_stay_quantities(text, surface, kind):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["kind"]) == ("quantity", kind)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("订单编号：9876543210已签收", "9876543210"),
        ("股票代码300750", "300750"),
        ("工号 10086", "10086"),
        ("银行卡尾号6789", "6789"),
        ("验证码483920", "483920"),
        ("宁德时代(300750)", "300750"),
        ("比亚迪（002594.SZ）", "002594.SZ"),
        ("阿里巴巴9988.HK", "9988.HK"),
        ("拨打+1 650 253 0000", "+1 650 253 0000"),
        ("热线800-820-8820", "800-820-8820"),
        ("座机021-12345678", "021-12345678"),
        ("手机139 1234 5678", "139 1234 5678"),
    ],
)
def test_codes_and_phone_numbers_are_one_identifier(text, code):
    assert _roles(text) == [(code, "identifier")]


@pytest.mark.parametrize(
    ("text", "surface", "kind"),
    [
        ("号称5000亿", "5000亿", "number"),  # 号称 is no code word
        ("电话2部", "2", "number"),  # a measure word: a count
        ("年报(2023)", "2023", "number"),  # a year in brackets
        ("(同比增长15%)", "15%", "percent"),
        ("区间10000-20000元", "10000-20000元", "range"),
        ("涨幅+3.5%", "3.5%", "percent"),  # a sign, not a calling code
        ("盘中+120点", "120", "number"),
    ],
)
def test_look_alikes_of_codes_stay_quantities(text, surface, kind):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["kind"]) == ("quantity", kind)


def test_an_iso_date_gives_year_month_and_day_as_the_chinese_form_does():
    iso = [(r["text"], r["value"], r["unit"], r["role"]) for r in recognize("2024-12-31收盘")]
    assert iso == [
        ("2024", 2024.0, "year", "date"),
        ("12", 12.0, "month", "date"),
        ("31", 31.0, "day", "date"),
    ]
    assert [r["role"] for r in recognize("2024年12月31日收盘")] == ["date"] * 3
    assert "date" not in {r["role"] for r in recognize("2024-02-30")}  # no such day
    assert "identifier" not in {role for _, role in _roles("2020-2024年")}  # no phone number


def test_a_weekday_after_a_noun_ending_in_a_week_count_character():
    assert _roles("恒生指数周一收跌") == [("一", "date")]  # 指数, not 数周 (several weeks)
    assert _roles("周四A股收涨") == [("四", "date")]  # not a name like 五G


@pytest.mark.parametrize(
    ("text", "records"),
    [
        ("1-12月累计", [("1", "month"), ("12", "month")]),
        ("2023至2024年", [("2023", "year"), ("2024", "year")]),
        ("2025财年", [("2025", "year")]),
    ],
)
def test_dates_in_spans_and_fiscal_years(text, records):
    found = recognize(text)
    assert [(r["text"], r["unit"]) for r in found] == records
    assert {r["role"] for r in found} == {"date"}


@pytest.mark.parametrize(("text", "unit"), [("3-5年", "year"), ("13-15月", "month")])
def test_spans_that_are_no_dates_stay_ranges(text, unit):
    assert [(r["kind"], r["unit"], r["role"]) for r in recognize(text)] == [
        ("range", unit, "quantity")
    ]


@pytest.mark.parametrize(
    ("text", "bounds", "unit"),
    [
        ("利率区间4.25%-4.50%", (4.25, 4.5), "percent"),
        ("年薪100万-200万", (1e6, 2e6), None),
    ],
)
def test_a_dash_right_after_a_figure_joins_a_range(text, bounds, unit):
    [record] = recognize(text)
    assert (record["kind"], record["lower"], record["upper"], record["unit"]) == (
        "range",
        *bounds,
        unit,
    )


def test_a_dash_after_a_word_is_still_a_minus_sign():
    assert [r["value"] for r in recognize("亏损-200万，同比-3%")] == [-2e6, -3.0]


def test_figures_of_different_units_make_no_range():
    assert [r["text"] for r in recognize("跌7%至3200美元")] == ["7%", "3200美元"]


def test_kuai_before_a_latin_name_is_a_measure_word():
    assert _roles("用了2000多块H800") == [("2000多", "quantity"), ("H800", "identifier")]
    assert [r["currency"] for r in recognize("总价30块。")] == ["CNY"]


def test_letters_glued_to_a_figure_after_a_latin_name_join_the_name():
    assert _roles("发布iPhone 16e") == [("iPhone 16e", "identifier")]


@pytest.mark.parametrize(
    ("text", "surface", "hours"),
    [
        ("晚间21:30公布数据", "21:30", 21.5),
        ("09:30开盘", "09:30", 9.5),
        ("上午9:45集合竞价", "9:45", 9.75),
    ],
)
def test_a_clock_time_is_a_date_in_hours(text, surface, hours):
    [record] = recognize(text)
    assert (record["text"], record["value"], record["unit"], record["role"]) == (
        surface,
        hours,
        "hour",
        "date",
    )


@pytest.mark.parametrize("text", ["以3:1的比分获胜", "杠杆1:10", "比值25:30"])
def test_ratios_and_scores_are_no_clock_times(text):
    assert {r["role"] for r in recognize(text)} == {"quantity"}


@pytest.mark.parametrize(
    ("text", "surface", "value", "precision"),
    [
        ("lost $589 billion in value", "$589 billion", 5.89e11, 1e9),
        ("about $5.6 million to train", "$5.6 million", 5.6e6, 1e5),
        ("sales of 12 thousand units", "12 thousand", 12000.0, 1000.0),
    ],
)
def test_an_english_scale_word_multiplies_the_amount(text, surface, value, precision):
    [record] = recognize(text)
    assert (record["text"], record["value"], record["precision"]) == (surface, value, precision)


@pytest.mark.parametrize(
    ("text", "weekdays"),
    [
        ("周一周二连续下跌", ["一", "二"]),  # the 一 before 周二 is a weekday, not one week
        ("星期六日休市", ["六"]),
        ("周一、周三和周五", ["一", "三", "五"]),
    ],
)
def test_weekdays_next_to_each_other(text, weekdays):
    found = recognize(text)
    assert [r["text"] for r in found] == weekdays
    assert {(r["role"], r["unit"]) for r in found} == {("date", "day")}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("小米 15 Ultra发布", "15 Ultra"),
        ("华为Mate 70 Pro", "Mate 70"),
        ("iPhone 16 Pro Max", "iPhone 16"),
    ],
)
def test_model_numbers_before_a_product_suffix(text, name):
    assert _roles(text) == [(name, "identifier")]


@pytest.mark.parametrize(
    ("text", "year"),
    [("Q3 2024营收", "2024"), ("2024 H1财报", "2024"), ("FY 2025指引", "2025")],
)
def test_a_year_next_to_a_quarter_or_half_is_a_date(text, year):
    record = next(r for r in recognize(text) if r["text"] == year)
    assert (record["role"], record["unit"]) == ("date", "year")


@pytest.mark.parametrize("text", ["Top 10 holdings", "Q3 2500 units", "12 Pros"])
def test_no_period_year_or_model_name_without_its_word(text):
    assert [r["role"] for r in recognize(text) if r["text"][0].isdigit()] == ["quantity"]
