"""Which date a claim takes when the text names a session next to a stated date (次日)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from flows.calendar import TradingCalendar
from flows.pipeline import build_tables
from flows.reference import load_reference
from flows.transforms.ingest import RawFile
from tests.test_claims import IXIC, JAN27, JAN28, MSFT, NVDA, claims_of, facts, undated

JAN24 = dt.date(2025, 1, 24)
AVGO = "[博通|AVGO|company]"
SIDECAR = json.dumps({"published": "2025-01-28", "language": "zh", "source": "test"}).encode()


@pytest.fixture(scope="module")
def calendar() -> TradingCalendar:
    return TradingCalendar()


def test_the_next_day_after_a_stated_date_is_the_next_session_and_carries(calendar):
    claims = claims_of(
        f"1月24日{NVDA}下跌{{3%|percent|3}}，次日又上涨{{2%|percent|2}}。"
        f"与此同时，{AVGO}下跌了{{17%|percent|17}}。",
        calendar,
    )
    assert facts(claims) == [
        ("NVDA", "pct_change", -3.0, JAN24),
        ("NVDA", "pct_change", 2.0, JAN27),  # Friday → Monday, and the subject carries
        ("AVGO", "pct_change", -17.0, JAN27),
    ]
    assert list(claims["date_reason"]) == [None, None, None]


def test_the_previous_session_word_counts_back_but_a_comparison_does_not(calendar):
    claims = claims_of(
        f"1月28日，{NVDA}反弹{{8.9%|percent|8.9|0.1}}，前一交易日暴跌{{17%|percent|17}}。"
        f"1月27日，{MSFT}较前一交易日下跌{{2.1%|percent|2.1|0.1}}。",
        calendar,
    )
    assert facts(claims) == [
        ("NVDA", "pct_change", 8.9, JAN28),
        ("NVDA", "pct_change", -17.0, JAN27),
        ("MSFT", "pct_change", -2.1, JAN27),
    ]


def test_a_next_day_opening_a_paragraph_counts_from_the_last_date_before_it(calendar):
    claims = claims_of(
        f"1月24日，{IXIC}下跌。\n次日，{IXIC}重挫{{3.07%|percent|3.07|0.01}}。", calendar
    )
    assert facts(claims) == [("^IXIC", "pct_change", -3.07, JAN27)]
    # after other words, it follows an undated event of its own paragraph
    claims = claims_of(
        f"1月24日，{IXIC}下跌。\n{MSFT}财报不及预期，{MSFT}股价次日下跌{{6.2%|percent|6.2|0.1}}。",
        calendar,
    )
    assert facts(claims) == [("MSFT", "pct_change", -6.2, None)]


@pytest.mark.parametrize("word", ["当天", "当日", "同日", "同一天", "与此同时"])
def test_an_anaphor_states_the_last_date_even_of_an_earlier_paragraph(word):
    claims = claims_of(
        f"周一，{IXIC}重挫{{3.07%|percent|3.07|0.01}}。\n"
        f"{NVDA}{word}暴跌{{17%|percent|17}}，{AVGO}跌了{{17.4%|percent|17.4|0.1}}。"
    )
    assert facts(claims) == [
        ("^IXIC", "pct_change", -3.07, JAN27),
        ("NVDA", "pct_change", -17.0, JAN27),
        ("AVGO", "pct_change", -17.4, JAN27),  # the anaphor carries on in its paragraph
    ]
    # the date it takes is the last one stated before it, not an earlier one
    claims = claims_of(
        f"1月24日，{IXIC}下跌。\n1月27日，科技股遭抛售。\n{word}，{NVDA}暴跌{{17%|percent|17}}。"
    )
    assert facts(claims) == [("NVDA", "pct_change", -17.0, JAN27)]


def test_an_anaphor_takes_no_date_past_a_period_that_opens_a_clause():
    claims = claims_of(
        f"1月27日，科技股暴跌。\n1月，{NVDA}下跌{{10.6%|percent|10.6|0.1}}。当天{AVGO}涨了{{5%|percent|5}}。"
    )
    assert facts(claims) == [("NVDA", "pct_change", -10.6, None), ("AVGO", "pct_change", 5.0, None)]
    assert claims["date_reason"].iloc[1] == "'当天' follows a period, not a date"
    # a period inside a clause governs no later one
    claims = claims_of(
        f"1月27日，{NVDA}暴跌{{17%|percent|17}}，创下2020年3月以来最大跌幅。"
        f"当天，{AVGO}跌了{{17.4%|percent|17.4|0.1}}。"
    )
    assert [row.as_of for row in claims.itertuples()] == [JAN27, JAN27]


def test_an_anaphor_takes_no_week_and_no_date_of_another_document():
    claims = claims_of(f"上周，{IXIC}下跌。\n当天，{NVDA}暴跌{{17%|percent|17}}。")
    assert facts(claims) == [("NVDA", "pct_change", -17.0, None)]
    assert claims["date_reason"].iloc[0] == "'当天' refers to no date stated before it"
    # without the anaphor a new paragraph carries no date over
    claims = claims_of(f"1月27日，{IXIC}下跌。\n{NVDA}暴跌{{17%|percent|17}}。")
    assert facts(claims) == [("NVDA", "pct_change", -17.0, None)]
    files = [
        RawFile(name, text.encode(), SIDECAR)
        for name, text in (("a.txt", "1月27日，科技股遭抛售。"), ("b.txt", "当天，英伟达暴跌17%。"))
    ]
    tables = build_tables(files, load_reference(), TradingCalendar())
    rows = tables["claims"][["doc_id", "subject_id", "as_of"]].to_dict(orient="records")
    assert [(row["subject_id"], row["as_of"]) for row in rows] == [("NVDA", None)]


def test_a_session_ordinal_dates_the_claim_and_a_period_still_states_a_change_over_it(calendar):
    claims = claims_of(
        f"今年第一个交易日，{NVDA}跌了{{3%|percent|3}}。\n"
        f"{MSFT}去年最后一个交易日下跌{{1.3%|percent|1.3|0.1}}。\n"
        f"今年以来，{NVDA}下跌{{10%|percent|10}}。",
        calendar,
    )
    assert facts(claims) == [
        ("NVDA", "pct_change", -3.0, dt.date(2025, 1, 2)),
        ("MSFT", "pct_change", -1.3, dt.date(2024, 12, 31)),
        ("NVDA", "pct_change", -10.0, None),
    ]
    assert (
        claims["date_reason"].iloc[2] == "'今年以来' states a change over a period, not one session"
    )


def test_vague_shifts_still_stop_the_date(calendar):
    claims = claims_of(
        f"1月24日{NVDA}下跌{{3%|percent|3}}。近日{NVDA}上涨{{2%|percent|2}}。"
        f"三天后{MSFT}下跌{{1%|percent|1}}。",
        calendar,
    )
    assert facts(claims) == [
        ("NVDA", "pct_change", -3.0, JAN24),
        ("NVDA", "pct_change", 2.0, None),
        ("MSFT", "pct_change", -1.0, None),
    ]
    # without an earlier date, or a calendar, the next day names no date
    assert facts(claims_of(f"次日{NVDA}上涨{{2%|percent|2}}。", calendar)) == [
        ("NVDA", "pct_change", 2.0, None)
    ]
    no_calendar = claims_of(f"1月24日{NVDA}下跌{{3%|percent|3}}，次日上涨{{2%|percent|2}}。")
    assert [row.as_of for row in no_calendar.itertuples()] == [JAN24, None]
    assert "single date" in no_calendar["date_reason"].iloc[1]


@pytest.mark.parametrize("period", ["去年", "前年", "上半年", "全年", "上个月"])
def test_a_past_period_word_states_a_change_over_that_period(period):
    claims = claims_of(f"{period}{NVDA}涨了{{171%|percent|171}}。")
    assert undated(claims) == [("NVDA", "pct_change", 171.0)]
    assert list(claims["date_reason"]) == [
        f"'{period}' states a change over a period, not one session"
    ]


@pytest.mark.parametrize(
    ("opening", "period"),
    [
        (f"{NVDA}1月", "1月"),
        (f"{NVDA}2025年1月份", "2025年1月份"),
        (f"{NVDA}2024年", "2024年"),
        (f"{NVDA}2024年第四季度", "2024年第四季度"),
        (f"{NVDA}一季度", "一季度"),
        (f"{NVDA}Q1", "Q1"),
        (f"1月，{NVDA}", "1月"),
    ],
)
def test_a_month_year_or_quarter_without_a_day_states_a_change_over_it(opening, period):
    claims = claims_of(f"{opening}下跌了{{10.6%|percent|10.6|0.1}}。")
    assert undated(claims) == [("NVDA", "pct_change", -10.6)]
    assert list(claims["date_reason"]) == [
        f"'{period}' states a change over a period, not one session"
    ]


@pytest.mark.parametrize(
    ("text", "as_of"),
    [
        (f"1月27日，{NVDA}暴跌{{17%|percent|17}}。", JAN27),
        (f"2025年1月27日{NVDA}暴跌{{17%|percent|17}}。", JAN27),
        (f"1月底，{NVDA}下跌{{17%|percent|17}}。", None),  # a vague date, not the month
    ],
)
def test_a_month_with_a_day_or_an_end_is_no_period(text, as_of):
    claims = claims_of(text)
    assert facts(claims) == [("NVDA", "pct_change", -17.0, as_of)]
    assert "period" not in (claims["date_reason"].iloc[0] or "")


def test_an_opening_period_governs_up_to_a_date_stated_after_it():
    claims = claims_of(
        f"去年，{NVDA}涨了{{171%|percent|171}}，1月27日跌了{{17%|percent|17}}，"
        f"{MSFT}跌了{{2.1%|percent|2.1|0.1}}。"
    )
    assert facts(claims) == [
        ("NVDA", "pct_change", 171.0, None),
        ("NVDA", "pct_change", -17.0, JAN27),
        ("MSFT", "pct_change", -2.1, JAN27),
    ]
    # without a date after it the period governs every change of the sentence
    claims = claims_of(
        f"1月27日，今年以来，{NVDA}涨了{{5%|percent|5}}，{MSFT}跌了{{3%|percent|3}}。"
    )
    assert facts(claims) == [("NVDA", "pct_change", 5.0, None), ("MSFT", "pct_change", -3.0, None)]
    assert set(claims["date_reason"]) == {
        "'今年以来' states a change over a period, not one session"
    }


def test_a_period_word_before_a_month_names_a_date_not_a_period():
    claims = claims_of(
        f"去年{{12|month|12|1|date}}月{{27|day|27|1|date}}日{NVDA}跌了{{2%|percent|2}}。"
    )
    assert facts(claims) == [("NVDA", "pct_change", -2.0, dt.date(2024, 12, 27))]


@pytest.mark.parametrize("date", ["2025.01.27", "2025/1/27"])
def test_a_numeric_full_date_the_recognizer_marks_is_the_claims_date(date):
    year, month, day = (part for part in date.replace("/", ".").split("."))
    marked = (
        f"{NVDA}{{{year}|year|{year}|1|date}}{date[4]}{{{month}|month|{int(month)}|1|date}}"
        f"{date[4]}{{{day}|day|{int(day)}|1|date}}跌了{{17%|percent|17}}。"
    )
    assert facts(claims_of(marked)) == [("NVDA", "pct_change", -17.0, JAN27)]


def test_a_fraction_the_recognizer_marks_is_no_date():
    claims = claims_of(f"{NVDA}持有{{1/3|count|0.333}}的股份，跌了{{17%|percent|17}}。")
    assert list(claims["as_of"]) == [None]
