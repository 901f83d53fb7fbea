"""Multiples and ranges whose reading needs their neighbours: 翻一番 (×2), 翻两番 (×4), 翻倍,
the unit word after 四五百点 and the basis points of 25-50个基点."""

from __future__ import annotations

import pytest

from flows.numbers import recognize
from tests.test_numbers_words import only_record


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("出口额五年翻了一番", "翻了一番", 2.0),
        ("目标是收入翻两番", "翻两番", 4.0),
        ("算力需求一年内翻倍", "翻倍", 2.0),
        ("用户数翻番", "翻番", 2.0),
    ],
)
def test_a_doubling_word_is_a_ratio_of_powers_of_two(text, surface, value):
    record = next(r for r in recognize(text) if r["unit"] == "ratio")
    assert (record["text"], record["value"], record["role"]) == (surface, value, "quantity")


def test_no_count_is_left_inside_a_doubling_word():
    assert [r["text"] for r in recognize("净利润翻两番")] == ["翻两番"]


def test_more_than_a_doubling_is_a_range_to_the_next_one():
    record = only_record("市值翻了一番多")
    assert (record["kind"], record["lower"], record["upper"]) == ("range", 2.0, 4.0)


@pytest.mark.parametrize(("text", "value"), [("股价翻了五倍", 5.0), ("销量涨了两倍", 2.0)])
def test_a_numeral_before_bei_keeps_its_ratio(text, value):
    assert (only_record(text)["value"], only_record(text)["unit"]) == (value, "ratio")


@pytest.mark.parametrize("text", ["翻看了3份研报", "他翻了翻5页材料"])
def test_fan_without_a_multiple_word_changes_nothing(text):
    record = only_record(text)
    assert (record["unit"], record["role"]) == (None, "quantity")


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("开源了7B模型", "7B"),
        ("5B型号已停产", "5B"),
        ("70B参数的版本", "70B"),
        ("3M公司股价", "3M"),  # M before a Chinese word: a name, not 3 million
    ],
)
def test_scale_letters_before_other_words_stay_a_name(text, surface):
    record = only_record(text)
    assert (record["text"], record["role"], record["value"]) == (surface, "identifier", None)


def test_an_english_scale_without_a_currency_stays_a_number():
    record = only_record("some 300 million users")
    assert (record["kind"], record["value"], record["currency"]) == ("number", 3e8, None)


@pytest.mark.parametrize(
    ("text", "unit", "lower", "upper"),
    [
        ("纳指盘中跌了四五百点", "points", 400.0, 500.0),
        ("开了七八十家门店", "count", 70.0, 80.0),
        ("还要两三年", "year", 2.0, 3.0),
        ("约好下午三四点见", None, 3.0, 4.0),  # 点 of 0-24 may be a clock time: no unit
        ("三四月份出货", None, 3.0, 4.0),  # March and April, no span of months
    ],
)
def test_a_pair_of_neighbouring_numerals_keeps_a_unit_word_that_reads_no_context(
    text, unit, lower, upper
):
    record = only_record(text)
    assert (record["kind"], record["unit"], record["lower"], record["upper"]) == (
        "range",
        unit,
        lower,
        upper,
    )


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [("降息25-50个基点", 0.25, 0.5), ("利差收窄10到15bp", 0.1, 0.15)],
)
def test_a_bare_first_figure_before_basis_points_is_in_basis_points(text, lower, upper):
    record = only_record(text)
    assert (record["unit"], record["lower"], record["upper"]) == ("percentage_point", lower, upper)


def test_the_two_exchanges_are_a_name_not_a_count():
    name, amount = recognize("沪深两市成交额1.2万亿元")
    assert (name["text"], name["role"], name["value"]) == ("两", "identifier", None)
    assert amount["text"] == "1.2万亿元"


@pytest.mark.parametrize(
    ("text", "surface", "kind", "value", "iso"),
    [
        ("去年亏了四个亿", "四个亿", "number", 4e8, None),
        ("砸了20个亿美元", "20个亿美元", "currency", 2e9, "USD"),
        ("先定一个万亿的目标", "一个万亿", "number", 1e12, None),
    ],
)
def test_ge_before_a_scale_is_no_count(text, surface, kind, value, iso):
    record = only_record(text)
    assert (record["text"], record["kind"], record["value"], record["currency"]) == (
        surface,
        kind,
        value,
        iso,
    )


@pytest.mark.parametrize(
    ("text", "surface", "lower", "upper", "iso"),
    [
        ("赔了七八个亿", "七八个亿", 7e8, 8e8, None),
        ("每月花两三千块", "两三千块", 2000.0, 3000.0, "CNY"),
        ("估值四五百亿美元", "四五百亿美元", 4e10, 5e10, "USD"),
    ],
)
def test_a_pair_of_numerals_takes_a_scale_or_currency_after_it(text, surface, lower, upper, iso):
    record = only_record(text)
    assert (record["text"], record["lower"], record["upper"], record["currency"]) == (
        surface,
        lower,
        upper,
        iso,
    )
