"""Readings of the words around 点, 个点, 季度, 个月 and 年期: clock hours against index points,
period names against spans, an instrument's tenor, and a comparator before a unit word."""

from __future__ import annotations

import pytest

from flows.numbers import recognize
from tests.test_numbers_words import only_record


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("会议定在九点前结束", "九", 9.0),  # 点前 with no change verb before
        ("今晚7点公布非农数据", "7", 19.0),  # a day word before; past noon
        ("大约11点左右复牌", "大约11", 11.0),
        ("结果14点30分出炉", "14点30分", 14.5),  # minutes join the hour
        ("早间六点半发布", "六点半", 6.5),
        ("数据于21时15分公布", "21时15分", 21.25),
        ("后天两点钟见", "两", 2.0),
        ("拖到十点一刻才成交", "十点一刻", 10.25),  # a quarter hour, no decimal 10.1
    ],
)
def test_a_figure_before_dian_with_a_time_word_is_a_clock_hour(text, surface, value):
    record = only_record(text)
    assert (record["text"], record["role"], record["unit"]) == (surface, "date", "hour")
    assert record["value"] == value


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("道指尾盘跌了20点后反弹", "20", 20.0),  # a change verb before 点后: points
        ("沪指3000点后继续上攻", "3000", 3000.0),  # over 24: never an hour
        ("纳指收涨18点", "18", 18.0),
        ("恒指高开12点左右", "12", 12.0),
    ],
)
def test_index_points_stay_points_around_time_like_words(text, surface, value):
    record = only_record(text)
    assert (record["text"], record["role"], record["unit"]) == (surface, "quantity", "points")
    assert record["value"] == value


def test_the_second_hour_of_a_clock_range_is_an_hour_too():
    first, second = recognize("今天上午9点到11点开董事会")
    assert (first["text"], first["role"], first["unit"]) == ("9", "date", "hour")
    assert (second["text"], second["role"], second["unit"]) == ("11", "date", "hour")


def test_a_range_of_points_after_a_change_verb_stays_points():
    records = recognize("指数先涨3点到5点")
    assert all(record["role"] == "quantity" for record in records), records


@pytest.mark.parametrize(
    ("text", "surface", "kind", "lower"),
    [
        ("日经指数跌逾800点", "逾800", "range", 800.0),
        ("道指一度大跌超过1000点", "超过1000", "range", 1000.0),
        ("创业板指跌超20点", "超20", "range", 20.0),
        ("恒指收跌近300点", "近300", "number", None),
    ],
)
def test_a_comparator_before_a_figure_keeps_its_points_unit(text, surface, kind, lower):
    record = only_record(text)
    assert (record["text"], record["kind"], record["unit"]) == (surface, kind, "points")
    assert record["lower"] == lower


def test_a_comparator_before_a_year_count_is_a_span_of_years_no_date():
    record = only_record("这家酒庄有超过1500年的历史")
    assert (record["role"], record["unit"], record["lower"]) == ("quantity", "year", 1500.0)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("创业板指午后拉升了二十几个点", "points"),
        ("深成指下跌约五个点", "points"),
        ("会议室坐了二十几个人", "count"),
        ("图上画了五个点", "count"),  # no change verb: dots
        ("上涨了三个点评", "count"),  # 点评 is a word
    ],
)
def test_ge_dian_after_a_change_verb_is_index_points(text, unit):
    assert only_record(text)["unit"] == unit


@pytest.mark.parametrize(
    ("text", "surface", "unit"),
    [
        ("公司前三季度净利润同比下降", "三", None),  # quarters: no unit of schemas.UNITS
        ("2024年前11个月出口增长", "11", "month"),
        ("第4季度营收创新高", "4", None),
        ("二季度GDP环比增长", "二", None),
        ("公司三季报显示亏损", "三", None),  # the report of the third quarter
    ],
)
def test_a_period_name_is_a_date_not_a_quantity(text, surface, unit):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["unit"]) == ("date", unit)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("连续四个季度亏损", None),
        ("项目提前两个月完工", "month"),
        ("等了八个月才获批", "month"),
        ("公司连续7季度盈利", None),  # over 4: no quarter's name
    ],
)
def test_a_span_of_quarters_or_months_stays_a_quantity(text, unit):
    record = only_record(text)
    assert (record["role"], record["unit"]) == ("quantity", unit)


def test_the_nth_month_after_an_event_is_an_ordinal_no_calendar_month():
    record = only_record("产品上市后的第7个月开始盈利")
    assert (record["role"], record["value"]) == ("ordinal", 7.0)


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("二十年期国债收益率上行", "二十年期"),
        ("5年期LPR维持不变", "5年期"),
        ("3个月期Shibor回落", "3个月期"),
    ],
)
def test_a_tenor_names_an_instrument(text, surface):
    record = next(r for r in recognize(text) if r["text"] == surface)
    assert (record["role"], record["value"]) == ("identifier", None)


@pytest.mark.parametrize("text", ["在这十年期间变化很大", "2025年期货成交放量"])
def test_nian_qi_inside_another_word_is_no_tenor(text):
    assert recognize(text)[0]["role"] != "identifier"


@pytest.mark.parametrize(
    ("text", "unit"),
    [("报告列出4点风险", "count"), ("讲了两点看法", "count"), ("纳指跌了4点", "points")],
)
def test_dian_before_a_noun_it_counts_is_a_count(text, unit):
    assert only_record(text)["unit"] == unit


@pytest.mark.parametrize("text", ["期指波幅12点左右", "恒指期货低水8点左右"])
def test_a_points_word_in_the_clause_keeps_dian_zuoyou_points(text):
    record = only_record(text)
    assert (record["role"], record["unit"]) == ("quantity", "points")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("约在下午4点发布", 16.0),
        ("傍晚六点半收官", 18.5),
        ("今晚9:45公布", 21.75),
        ("中午2点复盘", 14.0),
        ("中午11点开会", 11.0),  # before noon
        ("凌晨5点", 5.0),
        ("晚上12点停牌", 0.0),  # midnight
    ],
)
def test_an_hour_after_an_afternoon_word_is_on_the_24_hour_clock(text, value):
    record = only_record(text)
    assert (record["unit"], record["value"]) == ("hour", value)


def test_the_second_hour_of_an_afternoon_range_is_past_noon_too():
    assert [r["value"] for r in recognize("周五下午2点至3点半路演")[1:]] == [14.0, 15.5]
