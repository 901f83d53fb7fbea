"""Dates written with digits and separators, and years after English words or period codes."""

from __future__ import annotations

import pytest

from flows.numbers import recognize
from tests.test_numbers_words import only_record


def _dates(text: str) -> list[tuple[str, str, float]]:
    return [(r["text"], r["unit"], r["value"]) for r in recognize(text) if r["role"] == "date"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("数据截至2024.11.08收盘", [("2024", "year", 2024), ("11", "month", 11), ("08", "day", 8)]),
        ("于2023.3.5公布", [("2023", "year", 2023), ("3", "month", 3), ("5", "day", 5)]),
        ("2022/12/30的净值", [("2022", "year", 2022), ("12", "month", 12), ("30", "day", 30)]),
        ("filed on 3/15/2024", [("3", "month", 3), ("15", "day", 15), ("2024", "year", 2024)]),
        ("报告日期 28/2/2023", [("28", "day", 28), ("2", "month", 2), ("2023", "year", 2023)]),
    ],
)
def test_a_full_date_with_dots_or_slashes_is_year_month_day(text, expected):
    assert _dates(text) == expected


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("升级到v3.12.1版本", "v3.12.1"),  # a letter glued on
        ("内核4.19.90稳定", "4.19.90"),  # no four-digit year
        ("PyCharm 2023.2.5 发布", "2023.2.5"),  # a Latin name before it: a version
        ("2023.2.5版本上线", "2023.2.5"),  # 版 after it
        ("编号2023.13.40", "2023.13.40"),  # no valid month and day
        ("文件 3/4/2024 存档", "3/4/2024"),  # March 4 or April 3: no date is guessed
    ],
)
def test_versions_and_unreadable_dates_stay_one_identifier(text, surface):
    records = recognize(text)
    assert [(r["text"], r["role"], r["value"]) for r in records] == [(surface, "identifier", None)]


@pytest.mark.parametrize(
    ("text", "month", "day"),
    [
        ("3/14收盘，指数回落", "3", "14"),
        ("苹果定于10/30发布财报", "10", "30"),
        ("截至 6/30，持仓未变", "6", "30"),
        ("12/5晚间公告", "12", "5"),
        ("自2/3以来累计上涨", "2", "3"),
        ("9/18美股三大指数", "9", "18"),
    ],
)
def test_a_month_day_with_a_date_word_around_it_is_a_date(text, month, day):
    assert _dates(text) == [(month, "month", int(month)), (day, "day", int(day))]


def test_a_list_of_month_days_shares_the_date_word_of_its_last_member():
    assert [(s, v) for s, _, v in _dates("4/8、4/9和4/10收盘价")] == [
        ("4", 4),
        ("8", 8),
        ("4", 4),
        ("9", 9),
        ("4", 4),
        ("10", 10),
    ]


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("大股东持有2/5的股份", "2/5", 0.4),
        ("仓位控制在1/3，", "1/3", 1 / 3),  # 在 alone is no date word
        ("约3/4的收入来自海外", "约3/4", 0.75),  # hedged: a share
        ("只有1/40的概率", "1/40", 0.025),  # no valid day
        ("1/2、1/3和1/4", "1/3", 1 / 3),  # a list without a date word
    ],
)
def test_fractions_stay_fractions(text, surface, value):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["kind"], record["unit"]) == ("quantity", "number", None)
    assert record["value"] == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("15日晚间，公司发布公告", "15"),
        ("据新华社3日讯", "3"),
        ("截至30日，基金规模", "30"),
        ("美股8号收盘", "8"),
    ],
)
def test_a_bare_day_of_month_with_a_date_word_is_a_date(text, surface):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["unit"]) == ("date", "day")


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("跌破60日均线", "60"),  # no date word after it
        ("每3日收盘调仓", "3"),  # 每: every three days
        ("前5日晚间都有消息", "5"),  # 前: the first five days
        ("近10日收盘价", "近10"),
        ("地铁2号线", "2"),
    ],
)
def test_a_count_of_days_stays_a_quantity(text, surface):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["unit"]) == ("quantity", "day")


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Revenue grew 20% in 2024.", "2024"),
        ("Since 2021, margins fell", "2021"),
        ("net zero by 2050 目标", "2050"),
        ("guidance through 2026 ，", "2026"),
        ("until 2027，合约有效", "2027"),
        ("FY2026营收指引", "FY2026"),
        ("CY2024 净利润", "CY2024"),
    ],
)
def test_a_year_after_an_english_word_or_a_period_code_is_a_date(text, surface):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["unit"]) == ("date", "year")
    assert record["value"] == int(surface[-4:])


@pytest.mark.parametrize(
    ("text", "surface", "role"),
    [
        ("sold 2024 units", "2024", "quantity"),  # no year word before it
        ("in 1500 stores", "1500", "quantity"),  # no plausible year
        ("FY25 guidance", "FY25", "identifier"),  # a two-digit year: left a code
        ("GPT2024模型", "GPT2024", "identifier"),  # not a period code
    ],
)
def test_figures_near_english_words_that_are_no_years(text, surface, role):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert record["role"] == role


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("19日，创业板指收涨", "19"),  # a clause opening with the day
        ("欧洲央行30日将公布利率决议", "30"),
        ("美联储主席12日表示", "12"),
    ],
)
def test_a_day_that_opens_a_clause_or_precedes_a_news_verb_is_a_date(text, surface):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["unit"]) == ("date", "day")


@pytest.mark.parametrize(
    ("text", "surface"),
    [("停牌了5日，复牌后", "5"), ("其中1/3将用于回购", "1/3")],
)
def test_news_verbs_date_no_count_or_fraction(text, surface):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert record["role"] == "quantity"


@pytest.mark.parametrize(
    ("text", "surface", "role"),
    [("截至9日16时，", "16", "date"), ("一时难以判断", None, None)],
)
def test_an_arabic_hour_before_shi_is_a_clock_time(text, surface, role):
    records = recognize(text)
    found = [(r["text"], r["role"], r["unit"]) for r in records if r["unit"] == "hour"]
    assert found == ([(surface, role, "hour")] if surface else [])


def test_a_month_day_before_zhihou_is_a_date():
    assert _dates("等到3/15之后再加仓") == [("3", "month", 3), ("15", "day", 15)]


@pytest.mark.parametrize(
    ("text", "surface", "year"),
    [("2023/24财年营收", "2023/24", 2023), ("2022/2023赛季", "2022/2023", 2022)],
)
def test_a_year_and_the_next_one_is_a_year_span(text, surface, year):
    record = only_record(text)
    assert (record["text"], record["role"], record["unit"], record["value"]) == (
        surface,
        "date",
        "year",
        year,
    )


def test_two_years_that_are_not_consecutive_are_no_span():
    assert only_record("比例为2024/26")["role"] == "quantity"


@pytest.mark.parametrize(
    ("text", "month", "day"),
    [
        ("周一（3/17）美股高开", "3", "17"),  # after a weekday, in brackets
        ("星期五 6/6 复盘", "6", "6"),
        ("02/14美股", "02", "14"),  # zero-padded: no fraction is so written
        ("3/07消息", "3", "07"),
    ],
)
def test_a_month_day_after_a_weekday_or_zero_padded_is_a_date(text, month, day):
    assert [(s, u) for s, u, _ in _dates(text)][-2:] == [(month, "month"), (day, "day")]


def test_a_chinese_digit_and_an_arabic_figure_are_two_figures():
    assert [r["text"] for r in recognize("三 5")] == ["三", "5"]
    assert [r["text"] for r in recognize("1千零1")] == ["1千零1"]
