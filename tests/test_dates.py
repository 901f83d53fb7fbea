"""Date expressions resolved against the published date, and which date governs a figure."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.calendar import TradingCalendar
from flows.transforms.dates import (
    NO_PUBLISHED_DATE,
    DateMention,
    date_in_scope,
    find_date_mentions,
    may_hold_dates,
    resolve_references,
)

TUESDAY = dt.date(2025, 1, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天", TUESDAY),
        ("今日收盘", TUESDAY),
        ("昨天", dt.date(2025, 1, 27)),
        ("昨日", dt.date(2025, 1, 27)),
        ("前天", dt.date(2025, 1, 26)),
        ("1月27日", dt.date(2025, 1, 27)),
        ("1 月 27 号", dt.date(2025, 1, 27)),
        ("2024年12月31日", dt.date(2024, 12, 31)),
        ("2025-01-27", dt.date(2025, 1, 27)),
        ("1/27收盘", dt.date(2025, 1, 27)),
        ("12月30日", dt.date(2024, 12, 30)),  # a yearless date far ahead is last year's
        ("上周五", dt.date(2025, 1, 24)),
        ("上个星期一", dt.date(2025, 1, 20)),
        ("周一", dt.date(2025, 1, 27)),
        ("星期二", TUESDAY),  # on or before the published date
        ("周三", dt.date(2025, 1, 22)),
        ("本周一", dt.date(2025, 1, 27)),
        ("下周一", dt.date(2025, 2, 3)),
        ("星期天", dt.date(2025, 1, 26)),
        ("27日", dt.date(2025, 1, 27)),
        ("英伟达28号", TUESDAY),
        ("30日", dt.date(2024, 12, 30)),  # a day after the published one is last month's
        ("礼拜五", dt.date(2025, 1, 24)),
        ("上星期五", dt.date(2025, 1, 24)),
        ("上礼拜三", dt.date(2025, 1, 22)),
        ("这周三", dt.date(2025, 1, 29)),
        ("恒生指数周一", dt.date(2025, 1, 27)),  # 数 ends a noun here, not 数周 (weeks)
        ("这个礼拜一", dt.date(2025, 1, 27)),
        ("2025年1月27日", dt.date(2025, 1, 27)),
    ],
)
def test_date_expressions_resolve_to_calendar_dates(text, expected):
    [mention] = find_date_mentions(text, TUESDAY)
    assert (mention.day, mention.reason) == (expected, None)
    assert text[mention.start : mention.end] == mention.text


@pytest.mark.parametrize(
    "text",
    [
        "次日",
        "第二天",
        "前一交易日",
        "近日",
        "三天后",
        "两周后",
        "3个月后",
        "之后的一周",
        "此后一周",
    ],
)
def test_a_vague_shift_names_no_single_date(text):
    [mention] = find_date_mentions(f"{text}，股市大跌", TUESDAY)
    assert (mention.text, mention.day) == (text, None) and "single date" in mention.reason
    assert may_hold_dates([f"{text}，股市大跌"]) == [True]


@pytest.mark.parametrize(
    "text",
    ["之后股市大跌", "一周一次", "每周一开会", "随后收于118美元", "就没有后来的进步", "最近的新闻"],
)
def test_words_that_shift_no_date_are_no_date_mentions(text):
    assert find_date_mentions(text, TUESDAY) == []


@pytest.mark.parametrize("text", ["本周", "上周", "上周末", "这个星期"])
def test_a_bare_week_names_no_single_date(text):
    [mention] = find_date_mentions(f"{text}股市大跌", TUESDAY)
    assert mention.day is None and "single date" in mention.reason


NOT_DATES = ["周围的教授", "每周一次", "一周一次", "以上周期", "今年", "去年", "100日元", "3号线"]
NOT_DATES += ["数周一直在跌"]


@pytest.mark.parametrize("text", [*NOT_DATES, "18个月"])
def test_words_that_are_not_dates(text):
    assert find_date_mentions(text, TUESDAY) == []


def test_invalid_day_has_a_reason():
    [mention] = find_date_mentions("2月30日", TUESDAY)
    assert mention.day is None and "not a valid date" in mention.reason


@pytest.mark.parametrize("text", ["昨天", "1月27日", "上周五", "周一", "1/27"])
def test_relative_and_yearless_dates_need_a_published_date(text):
    [mention] = find_date_mentions(text, None)
    assert (mention.day, mention.reason) == (None, NO_PUBLISHED_DATE)


def test_explicit_years_need_no_published_date():
    days = [m.day for m in find_date_mentions("2025年1月27日和2025-01-24", None)]
    assert days == [dt.date(2025, 1, 27), dt.date(2025, 1, 24)]


def _mention(start: int, day: int) -> DateMention:
    return DateMention(start, start + 2, "xx", dt.date(2025, 1, day), None)


def test_scope_prefers_same_sentence_before_then_after_then_carried():
    paragraph = [_mention(0, 20), _mention(30, 21), _mention(45, 22)]
    # sentence [25, 50): a date before the figure in the sentence wins
    assert date_in_scope(paragraph, 40, (25, 50), 0).day.day == 21
    # a figure before any date of its sentence takes the first date after it
    assert date_in_scope(paragraph, 27, (25, 50), 0).day.day == 21
    # a sentence without dates carries the last date of the paragraph
    assert date_in_scope(paragraph, 60, (55, 70), 0).day.day == 22
    assert date_in_scope([], 10, (0, 20), 0) is None


@given(
    published=st.dates(dt.date(2001, 1, 1), dt.date(2040, 12, 31)),
    prefix=st.sampled_from(["", "上", "本"]),
    weekday=st.sampled_from(list("一二三四五六日")),
)
def test_weekdays_land_on_the_named_day_within_a_week(published, prefix, weekday):
    [mention] = find_date_mentions(f"{prefix}周{weekday}", published)
    assert mention.day.weekday() == "一二三四五六日".index(weekday)
    if prefix == "":
        assert 0 <= (published - mention.day).days < 7
    monday = published - dt.timedelta(days=published.weekday())
    if prefix == "上":
        assert monday - dt.timedelta(days=7) <= mention.day < monday
    if prefix == "本":
        assert monday <= mention.day < monday + dt.timedelta(days=7)


@given(day=st.dates(dt.date(2001, 1, 1), dt.date(2040, 12, 31)))
def test_full_dates_round_trip(day):
    text = f"{day.year}年{day.month}月{day.day}日"
    [mention] = find_date_mentions(f"在{text}收盘", dt.date(2025, 1, 28))
    assert mention.day == day and mention.text == text


_DATE_PIECES = st.sampled_from(
    [
        "1月27日",
        "１月２７日",
        "27日",
        "1/27",
        "2025-01-27",
        "2025年1月27日",
        "昨天",
        "上周五",
        "周一",
        "本周",
        "星期天",
        "1 月 5 号",
        "涨了",
        "3%",
        "，",
        "周围",
        "日期",
        "x",
        "7",
        "月",
    ]
)


@given(st.lists(_DATE_PIECES, max_size=6).map("".join))
def test_the_date_hint_never_misses_a_text_with_a_date(text):
    if find_date_mentions(text, TUESDAY):
        assert may_hold_dates([text]) == [True]


def test_the_date_hint_skips_texts_without_dates():
    assert may_hold_dates(["英伟达跌了17%。", "日期不明", "周围都是人"]) == [False, False, False]
    assert may_hold_dates([]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("北京时间1月28日凌晨，美股收盘", dt.date(2025, 1, 27)),
        ("周二凌晨美股收盘", dt.date(2025, 1, 27)),
        ("2025年1月25日 凌晨", dt.date(2025, 1, 24)),
        ("1月28日晚间", TUESDAY),  # only the early morning is the US session before
        ("[2025-01-28 05:10] 老张：收盘了", dt.date(2025, 1, 27)),  # a chat log's time
        ("1月28日 06:59", dt.date(2025, 1, 27)),
        ("1月28日 7:00", TUESDAY),
        ("2025-01-28 22:35", TUESDAY),
        ("1月28日3:1获胜", TUESDAY),  # a score, not a clock time
    ],
)
def test_a_date_in_the_beijing_early_morning_states_the_us_session_before(text, expected):
    [mention] = find_date_mentions(text, TUESDAY)
    assert (mention.day, mention.reason) == (expected, None)


@pytest.fixture(scope="module")
def calendar() -> TradingCalendar:
    return TradingCalendar()


def test_the_session_next_to_a_day_skips_weekends_and_holidays(calendar):
    day = dt.date
    assert calendar.session_next_to(day(2025, 1, 17), 1) == day(2025, 1, 21)  # MLK day
    assert calendar.session_next_to(day(2025, 1, 21), -1) == day(2025, 1, 17)
    assert calendar.session_next_to(day(2025, 1, 25), 1) == day(2025, 1, 27)  # a Saturday
    assert calendar.session_next_to(day(2024, 12, 24), 1) == day(2024, 12, 26)
    assert calendar.session_next_to(day(1990, 1, 2), 1) is None  # before the calendar
    assert calendar.session_next_to(day(2000, 1, 3), -1) is None  # its first session


def _resolved(text: str, calendar, carried: DateMention | None = None) -> list:
    mentions = resolve_references(find_date_mentions(text, TUESDAY), calendar, carried)
    return [(m.text, m.day) for m in mentions]


def test_a_session_shift_names_the_session_next_to_the_date_before_it(calendar):
    # Friday January 24 → the next session is Monday the 27th, not Saturday
    assert _resolved("1月24日英伟达下跌3%，次日又上涨2%，翌日再涨", calendar) == [
        ("1月24日", dt.date(2025, 1, 24)),
        ("次日", dt.date(2025, 1, 27)),
        ("翌日", TUESDAY),  # a resolved shift carries in turn
    ]
    assert _resolved("1月27日反弹，前一交易日大跌", calendar)[1] == (
        "前一交易日",
        dt.date(2025, 1, 24),
    )
    # MLK day (Monday January 20) is no session
    assert _resolved("1月17日大跌，第二天反弹", calendar)[1] == ("第二天", dt.date(2025, 1, 21))
    carried = find_date_mentions("1月24日", TUESDAY)[0]
    assert _resolved("次日大涨", calendar, carried) == [("次日", dt.date(2025, 1, 27))]


def test_a_session_shift_without_a_day_before_it_or_a_calendar_names_none(calendar):
    assert _resolved("次日大涨", calendar) == [("次日", None)]
    assert _resolved("1月24日下跌，近日又次日大涨", calendar)[1:] == [
        ("近日", None),
        ("次日", None),
    ]
    assert _resolved("1月24日下跌，次日大涨", None)[1] == ("次日", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今年第一个交易日", dt.date(2025, 1, 2)),  # January 1 is a holiday
        ("去年最后一个交易日", dt.date(2024, 12, 31)),
        ("1月的最后一个交易日", dt.date(2025, 1, 31)),
        ("12月最后一个交易日", dt.date(2024, 12, 31)),  # a month ahead is last year's
        ("2024年1月的首个交易日", dt.date(2024, 1, 2)),
        ("本周首个交易日", dt.date(2025, 1, 27)),
        ("上周的最后一个交易日", dt.date(2025, 1, 24)),
        ("上个月第一个交易日", dt.date(2024, 12, 2)),
        ("新年首个交易日", dt.date(2025, 1, 2)),
    ],
)
def test_a_session_named_by_its_place_in_a_period_is_on_the_calendar(text, expected, calendar):
    [mention] = find_date_mentions(f"{text}，美股下跌", TUESDAY, calendar=calendar)
    assert (mention.text, mention.day, mention.reason) == (text, expected, None)
    assert all(may_hold_dates([text]))


def test_a_session_ordinal_without_a_calendar_or_a_period_names_no_day():
    [mention] = find_date_mentions("今年第一个交易日", TUESDAY)
    assert (mention.day, mention.reason) == (
        None,
        "'今年第一个交易日' names a session only on an exchange calendar",
    )
    assert find_date_mentions("第一个交易日", TUESDAY) == []
    assert find_date_mentions("今年第一个季度", TUESDAY) == []


@pytest.mark.parametrize("word", ["当天", "当日", "同日", "同一天", "那天", "这一天"])
def test_an_anaphor_names_the_date_stated_before_it_without_a_calendar(word):
    assert _resolved(f"1月24日英伟达下跌，{word}博通也跌了", None) == [
        ("1月24日", dt.date(2025, 1, 24)),
        (word, dt.date(2025, 1, 24)),
    ]
    carried = find_date_mentions("周一", TUESDAY)[0]
    assert _resolved(f"{word}大跌", None, carried) == [(word, dt.date(2025, 1, 27))]


def test_an_anaphor_after_no_day_names_none(calendar):
    (alone,) = find_date_mentions("当天大跌", TUESDAY)
    assert (alone.day, alone.reason) == (None, "'当天' refers to no date stated before it")
    assert _resolved("上周大跌，当天又跌", calendar) == [("上周", None), ("当天", None)]
    assert _resolved("近日大跌，同日又跌", calendar)[1] == ("同日", None)
    assert all(may_hold_dates(["当天大跌", "那天"]))


@pytest.mark.parametrize(
    ("text", "event"), [("DeepSeek发布R1当天", "发布R1当天"), ("新股上市的当日", "上市的当日")]
)
def test_an_anaphor_after_an_event_names_the_events_day_not_the_date_before(text, event):
    mentions = _resolved(f"1月20日市场平静，{text}英伟达下跌", None)
    assert mentions == [("1月20日", dt.date(2025, 1, 20)), (event, None)]
    # an event in an earlier clause does not count
    assert _resolved("1月20日DeepSeek发布R1，当天英伟达下跌", None)[1] == (
        "当天",
        dt.date(2025, 1, 20),
    )


@pytest.mark.parametrize("text", ["两者不可同日而语", "较当日开盘价低", "比当天高"])
def test_an_idiom_or_a_comparison_is_no_anaphor(text):
    assert find_date_mentions(text, TUESDAY) == []


@pytest.mark.parametrize(
    "text", ["较前一交易日下跌", "相比前一天下跌", "低于前一交易日", "比前一日少"]
)
def test_a_comparison_with_the_previous_session_is_no_date(text):
    assert find_date_mentions(text, TUESDAY) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025.01.27收盘", dt.date(2025, 1, 27)),
        ("2025/1/27", dt.date(2025, 1, 27)),
        ("截至2024.12.31，", dt.date(2024, 12, 31)),
        ("去年3月5日", dt.date(2024, 3, 5)),  # not the coming March 5 of the published year
        ("前年12月31日", dt.date(2023, 12, 31)),
        ("今年1月27日", dt.date(2025, 1, 27)),
    ],
)
def test_numeric_full_dates_and_year_words_before_a_month(text, expected):
    assert [m.day for m in find_date_mentions(text, TUESDAY)] == [expected]
    assert all(may_hold_dates([text]))


@pytest.mark.parametrize("text", ["2025.01/27", "3.1.4版本", "v2025.01.27.1", "2025.1.27%"])
def test_mixed_separators_versions_and_short_years_are_no_full_date(text):
    assert not any(m.day == dt.date(2025, 1, 27) for m in find_date_mentions(text, TUESDAY))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("shares fell on Monday.", dt.date(2025, 1, 27)),
        ("Last Friday", dt.date(2025, 1, 24)),
        ("Jan. 27", dt.date(2025, 1, 27)),
        ("January 27, 2025", dt.date(2025, 1, 27)),
        ("Dec. 30 close", dt.date(2024, 12, 30)),
    ],
)
def test_english_weekdays_and_month_names(text, expected):
    assert [m.day for m in find_date_mentions(text, TUESDAY)][:1] == [expected]
    assert all(may_hold_dates([text]))


@pytest.mark.parametrize(
    "text", ["Monday", "onMonday", "on Mondays", "Mayday 5", "May 5%", "Janet 27"]
)
def test_english_words_that_are_no_date(text):
    assert find_date_mentions(text, TUESDAY) == []
