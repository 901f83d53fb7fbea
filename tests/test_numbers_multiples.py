"""Multiples and amounts that need their neighbours read together: 翻一番 (×2), 翻两番 (×4),
翻倍, and scale letters or words before a currency name (35.1B美元, 1.2 billion美元)."""

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
    [("开源了7B模型", "7B"), ("5B型号已停产", "5B"), ("70B参数的版本", "70B")],
)
def test_scale_letters_before_other_words_stay_a_name(text, surface):
    record = only_record(text)
    assert (record["text"], record["role"], record["value"]) == (surface, "identifier", None)


def test_an_english_scale_without_a_currency_stays_a_number():
    record = only_record("some 300 million users")
    assert (record["kind"], record["value"], record["currency"]) == ("number", 3e8, None)
