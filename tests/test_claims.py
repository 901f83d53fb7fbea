"""Claim extraction on short inline texts whose mentions and numbers are marked by hand."""

from __future__ import annotations

import datetime as dt
import gc
import re
from typing import NamedTuple

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.calendar import TradingCalendar
from flows.schemas import CLAIM_EXTRACTION_COLUMNS, METRICS, UNITS
from flows.transforms.claims import extract_claims

PUBLISHED = dt.date(2025, 1, 28)  # a Tuesday; 2025-01-27 is the Monday before
DOC = "blog/test"
# [text|entity_id|entity_type] marks a mention; {text|unit|value|precision|role|~} a number
# (precision defaults to 1, role to quantity, "~" marks the recognizer's approximate flag).
_MARK = re.compile(r"\[(?P<m>[^\]]+)\]|\{(?P<n>[^}]+)\}")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")
_CURRENCIES = {"USD", "CNY"}


def build(marked: str, published: dt.date | None = PUBLISHED):
    """documents, segments, mentions and numbers frames for a marked text."""
    text, mentions, numbers, cursor = "", [], [], 0
    for match in _MARK.finditer(marked):
        text += marked[cursor : match.start()]
        cursor = match.end()
        fields = (match.group("m") or match.group("n")).split("|")
        start, end = len(text), len(text) + len(fields[0])
        text += fields[0]
        if match.group("m"):
            mentions.append(
                dict(
                    start=start, end=end, text=fields[0], entity_id=fields[1], entity_type=fields[2]
                )
            )
        else:
            numbers.append(_number(fields, start, end))
    text += marked[cursor:]
    segments = []
    offset = 0
    for paragraph, line in enumerate(text.split("\n")):
        for sentence, match in enumerate(_SENTENCE.finditer(line)):
            segment_id = f"{DOC}#p{paragraph:03d}s{sentence:03d}"
            start, end = offset + match.start(), offset + match.end()
            segments.append(
                dict(
                    segment_id=segment_id,
                    doc_id=DOC,
                    paragraph=paragraph,
                    sentence=sentence,
                    start=start,
                    end=end,
                    text=match.group(0),
                    is_quote=False,
                    speaker=None,
                    topics=[],
                )
            )
        offset += len(line) + 1
    documents = pd.DataFrame([dict(doc_id=DOC, published=published, text=text)])
    segments = pd.DataFrame(segments)
    mentions = _with_ids(
        pd.DataFrame(mentions, columns=["start", "end", "text", "entity_id", "entity_type"]),
        segments,
        "m",
    )
    numbers = _with_ids(pd.DataFrame(numbers), segments, "n")
    return documents, segments, mentions, numbers


def _number(fields: list[str], start: int, end: int) -> dict:
    text, unit, value = fields[0], fields[1] or None, float(fields[2]) if fields[2] else None
    precision = float(fields[3]) if len(fields) > 3 and fields[3] else 1.0
    role = fields[4] if len(fields) > 4 and fields[4] else "quantity"
    kind = "percent" if unit == "percent" else "currency" if unit in _CURRENCIES else "number"
    return dict(
        start=start,
        end=end,
        text=text,
        kind=kind,
        value=value,
        lower=None,
        upper=None,
        unit=unit,
        currency=unit if unit in _CURRENCIES else None,
        decimals=None,
        is_approximate=fields[-1] == "~",
        role=role,
        precision=precision,
    )


def _with_ids(frame: pd.DataFrame, segments: pd.DataFrame, letter: str) -> pd.DataFrame:
    if frame.empty:
        return frame.assign(doc_id=[], segment_id=[], **{f"{_ID[letter]}": []})
    bounds = segments["start"].searchsorted(frame["start"], side="right") - 1
    frame = frame.assign(doc_id=DOC, segment_id=segments["segment_id"].iloc[bounds].to_numpy())
    rank = frame.groupby("segment_id").cumcount()
    frame[_ID[letter]] = frame["segment_id"] + f"/{letter}" + rank.map("{:02d}".format)
    return frame


_ID = {"m": "mention_id", "n": "number_id"}


@pytest.fixture(scope="module")
def calendar() -> TradingCalendar:
    return TradingCalendar()


def claims_of(marked: str, calendar=None, published=PUBLISHED) -> pd.DataFrame:
    documents, segments, mentions, numbers = build(marked, published)
    claims = extract_claims(documents, segments, mentions, numbers, calendar)
    text = documents["text"].iloc[0]
    for row in claims.itertuples():
        assert text[row.start : row.end] == row.text, "claim text must equal its span"
    return claims


def facts(claims: pd.DataFrame) -> list[tuple]:
    """(subject, metric, value, as_of) per claim, the part most tests compare."""
    return [(r.subject_id, r.metric, r.value, r.as_of) for r in claims.itertuples()]


def undated(claims: pd.DataFrame) -> list[tuple]:
    """(subject, metric, value) per claim."""
    return [(r.subject_id, r.metric, r.value) for r in claims.itertuples()]


NVDA = "[英伟达|NVDA|company]"
IXIC = "[纳指|^IXIC|index]"
GOOGL, MSFT = "[谷歌|GOOGL|company]", "[微软|MSFT|company]"
HUANG = "[黄仁勋|jensen-huang|person]"
JAN27, JAN28 = dt.date(2025, 1, 27), dt.date(2025, 1, 28)


def test_fall_with_relative_date_is_negative_percent_change():
    claims = claims_of(f"{NVDA}昨日降了{{17%|percent|17}}。")
    assert facts(claims) == [("NVDA", "pct_change", -17.0, JAN27)]
    row = claims.iloc[0]
    assert (row.claim_id, row.text, row.unit, row.precision) == (
        f"{DOC}#p000s000/c00",
        "英伟达昨日降了17%",
        "percent",
        1.0,
    )
    assert not row.is_approximate and row.date_reason is None


def test_rebound_today_is_positive():
    claims = claims_of(f"正如我说的，今天{NVDA}股票反弹了{{6%|percent|6}}。")
    assert facts(claims) == [("NVDA", "pct_change", 6.0, JAN28)]


def test_percent_or_points_gives_two_claims_with_one_subject(calendar):
    claims = claims_of(
        f"昨天总体{IXIC}降了{{3.1%|percent|3.1|0.1}}或{{407|count|407}}点。", calendar
    )
    assert facts(claims) == [
        ("^IXIC", "pct_change", -3.1, JAN27),
        ("^IXIC", "points_change", -407.0, JAN27),
    ]
    assert list(claims["unit"]) == ["percent", "points"]
    assert list(claims["precision"]) == [0.1, 1.0]
    assert claims["text"].iloc[1] == "纳指降了3.1%或407点"  # the bare 点 joins the span
    assert list(claims["claim_id"].str[-3:]) == ["c00", "c01"]


def test_points_unit_from_recognizer_is_used_as_is():
    claims = claims_of(f"1月27日{IXIC}跌了{{299点|points|299}}。")
    assert facts(claims) == [("^IXIC", "points_change", -299.0, JAN27)]
    assert claims["text"].iloc[0].endswith("299点")


def test_two_subjects_in_one_sentence_each_take_their_own_figure():
    claims = claims_of(
        f"1月27日，{GOOGL}降{{3%|percent|3}}，{MSFT}涨{{1.5%|percent|1.5|0.1}}, "
        "[Oracle|ORCL|company]降{8%|percent|8}。"
    )
    assert facts(claims) == [
        ("GOOGL", "pct_change", -3.0, JAN27),
        ("MSFT", "pct_change", 1.5, JAN27),
        ("ORCL", "pct_change", -8.0, JAN27),
    ]


def test_two_claims_joined_by_he_in_one_clause():
    claims = claims_of(f"昨天{GOOGL}降了{{3%|percent|3}}和{MSFT}涨了{{2%|percent|2}}。")
    assert facts(claims) == [
        ("GOOGL", "pct_change", -3.0, JAN27),
        ("MSFT", "pct_change", 2.0, JAN27),
    ]


def test_market_cap_loss_and_net_worth_change_and_level():
    claims = claims_of(
        f"昨天{NVDA}市值蒸发{{3000亿美元|USD|3e11|1e8}}，{HUANG}的身家缩水{{80亿美元|USD|8e9|1e8}}，"
        f"[黄|jensen-huang|person]的个人财产降至{{950亿美元|USD|9.5e10|1e8}}。"
    )
    assert facts(claims) == [
        ("NVDA", "market_cap_change", -3e11, JAN27),
        ("jensen-huang", "net_worth_change", -8e9, JAN27),
        ("jensen-huang", "net_worth", 9.5e10, JAN27),
    ]
    assert list(claims["unit"]) == ["USD"] * 3
    assert list(claims["precision"]) == [1e8] * 3


def test_market_cap_keyword_after_the_figure():
    claims = claims_of(f"昨天导致{NVDA}缩水{{4000亿美元|USD|4e11|1e8}}市值。")
    assert facts(claims) == [("NVDA", "market_cap_change", -4e11, JAN27)]


def test_net_worth_needs_a_person_and_market_metrics_need_a_company():
    claims = claims_of(f"昨天{NVDA}的财产缩水{{80亿美元|USD|8e9}}，{HUANG}降了{{5%|percent|5}}。")
    assert claims.empty


def test_close_in_currency_and_in_points():
    claims = claims_of(
        f"1月27日{NVDA}收盘报{{118.42美元|USD|118.42|0.01}}，{IXIC}收于{{19341点|points|19341}}。"
    )
    assert facts(claims) == [("NVDA", "close", 118.42, JAN27), ("^IXIC", "close", 19341.0, JAN27)]


def test_a_close_stated_after_a_change_is_a_level_not_the_change():
    claims = claims_of(
        f"1月27日{IXIC}涨{{1%|percent|1}}收于{{19341点|points|19341}}，"
        f"{NVDA}跌{{17%|percent|17}}报{{118.42美元|USD|118.42|0.01}}。"
    )
    assert facts(claims) == [
        ("^IXIC", "pct_change", 1.0, JAN27),
        ("^IXIC", "close", 19341.0, JAN27),
        ("NVDA", "pct_change", -17.0, JAN27),
        ("NVDA", "close", 118.42, JAN27),
    ]


def test_a_close_word_before_the_change_verb_leaves_the_figure_a_change():
    points = claims_of(f"1月27日{IXIC}收盘跌了{{612点|points|612}}。")
    assert facts(points) == [("^IXIC", "points_change", -612.0, JAN27)]
    # a price change in money: no metric states it, so no claim (it was a close of 24.2)
    assert claims_of(f"1月27日{NVDA}收盘跌了{{24.2美元|USD|24.2|0.1}}。").empty
    # the last close cue counts: 收盘 … 跌 … 报 makes the figure after 报 the close
    level = claims_of(f"1月27日{IXIC}收盘跌{{3%|percent|3}}报{{19341点|points|19341}}。")
    assert facts(level)[1] == ("^IXIC", "close", 19341.0, JAN27)
    # 收报 is one cue (its 报 is no later cue of its own)
    quoted = claims_of(f"1月27日{NVDA}收报{{118.42美元|USD|118.42|0.01}}。")
    assert facts(quoted) == [("NVDA", "close", 118.42, JAN27)]


def test_shou_zai_states_a_close_and_a_concession_still_asserts():
    close = claims_of(f"上周五{NVDA}还收在{{142.62美元|USD|142.62|0.01}}。")
    assert facts(close) == [("NVDA", "close", 142.62, dt.date(2025, 1, 24))]
    for word in ("虽然", "尽管"):
        claims = claims_of(f"昨天{NVDA}{word}涨了{{3.2%|percent|3.2|0.1}}，但估值太高。")
        assert facts(claims) == [("NVDA", "pct_change", 3.2, JAN27)]


def test_hedge_words_and_recognizer_flag_set_is_approximate():
    claims = claims_of(
        f"昨天{NVDA}跌了近{{17%|percent|17}}，{MSFT}跌了{{2%|percent|2}}左右，"
        f"{GOOGL}跌了{{4%|percent|4|1|quantity|~}}。"
    )
    assert list(claims["is_approximate"]) == [True, True, True]
    plain = claims_of(f"昨天{NVDA}跌了{{17%|percent|17}}。")
    assert list(plain["is_approximate"]) == [False]


def test_pronoun_subject_resolves_to_last_fitting_entity_in_paragraph():
    claims = claims_of(
        f"{HUANG}创办了{NVDA}。昨天该公司跌了{{17%|percent|17}}，"
        f"他的身家缩水了{{200亿美元|USD|2e10|1e8}}。"
    )
    assert facts(claims) == [
        ("NVDA", "pct_change", -17.0, JAN27),
        ("jensen-huang", "net_worth_change", -2e10, JAN27),
    ]
    assert claims["text"].iloc[0] == "该公司跌了17%"


def test_pronoun_does_not_reach_into_another_paragraph():
    assert claims_of(f"{NVDA}很强。\n昨天它跌了{{17%|percent|17}}。").empty


def test_qita_is_not_a_pronoun():
    assert claims_of(f"{NVDA}很强。昨天其他股票跌了{{3%|percent|3}}。").empty


def test_identifier_and_date_numbers_never_become_claims():
    claims = claims_of(
        f"昨天{NVDA}的{{401K|count|401|1|identifier}}跌了，"
        f"{{1月27日|day|27|1|date}}{NVDA}的{{H800|count|800|1|identifier}}涨了。"
    )
    assert claims.empty


def test_number_with_no_subject_gives_no_claim():
    assert claims_of("昨天股市跌了{3%|percent|3}，我的退休金涨了{2%|percent|2}。").empty


def test_percent_without_a_change_verb_gives_no_claim():
    assert claims_of(f"{NVDA}的毛利率{{75%|percent|75}}。").empty


def test_percentage_points_are_not_percent_changes():
    claims = claims_of(f"昨天{NVDA}的毛利率下降了{{3个百分点|percentage_point|3}}。")
    assert claims.empty


def test_holiday_date_is_kept_with_the_reason(calendar):
    claims = claims_of(f"1月20日{NVDA}涨了{{2%|percent|2}}。", calendar)
    assert facts(claims) == [("NVDA", "pct_change", 2.0, dt.date(2025, 1, 20))]
    assert "holiday" in claims["date_reason"].iloc[0]


def test_weekend_date_is_kept_with_the_reason(calendar):
    claims = claims_of(f"前天{NVDA}涨了{{2%|percent|2}}。", calendar)
    assert claims["as_of"].iloc[0] == dt.date(2025, 1, 26)
    assert "Sunday" in claims["date_reason"].iloc[0]


def test_no_published_date_leaves_relative_dates_unresolved():
    claims = claims_of(f"昨天{NVDA}跌了{{17%|percent|17}}。", published=None)
    assert facts(claims) == [("NVDA", "pct_change", -17.0, None)]
    assert claims["date_reason"].iloc[0] == "document has no published date"


def test_explicit_full_date_resolves_without_published_date():
    claims = claims_of(f"2025年1月27日{NVDA}跌了{{17%|percent|17}}。", published=None)
    assert facts(claims) == [("NVDA", "pct_change", -17.0, JAN27)]


def test_no_date_in_the_text_leaves_as_of_empty():
    claims = claims_of(f"{NVDA}跌了{{17%|percent|17}}。")
    assert facts(claims) == [("NVDA", "pct_change", -17.0, None)]
    assert claims["date_reason"].iloc[0] == "no date in the text"


def test_date_carries_over_sentences_and_resets_on_new_date_and_paragraph():
    claims = claims_of(
        f"1月24日大家都很紧张。{NVDA}跌了{{3%|percent|3}}。与此同时，{MSFT}涨了{{1%|percent|1}}。"
        f"今天{GOOGL}涨了{{2%|percent|2}}。{IXIC}涨了{{1.1%|percent|1.1|0.1}}。\n"
        f"{NVDA}又涨了{{4%|percent|4}}。"
    )
    assert [row[3] for row in facts(claims)] == [
        dt.date(2025, 1, 24),
        dt.date(2025, 1, 24),
        JAN28,
        JAN28,
        None,
    ]


def test_date_later_in_the_same_sentence_beats_a_carried_date():
    claims = claims_of(f"1月24日很平静。{NVDA}跌了{{17%|percent|17}}，那是1月27日。")
    assert facts(claims)[0][3] == JAN27


def test_week_without_a_day_gives_no_single_date():
    claims = claims_of(f"上周{NVDA}跌了{{10%|percent|10}}。")
    assert facts(claims) == [("NVDA", "pct_change", -10.0, None)]
    assert "single date" in claims["date_reason"].iloc[0]


def test_last_friday_resolves_to_previous_week():
    claims = claims_of(f"上周五{NVDA}涨了{{1%|percent|1}}。")
    assert facts(claims)[0][3] == dt.date(2025, 1, 24)


def test_price_ratio_takes_the_subject_before_the_ratio_verb():
    claims = claims_of(
        "[R1|deepseek-r1|product]的价格只是[o1|openai-o1|product]的价格的"
        "{4%|percent|4}，[Claude|claude|product]的价格相当于[GPT-4o|gpt-4o|product]的"
        "{60%|percent|60}。"
    )
    assert undated(claims) == [
        ("deepseek-r1", "price_ratio", 4.0),
        ("claude", "price_ratio", 60.0),
    ]
    assert claims["text"].iloc[0] == "R1的价格只是o1的价格的4%"


def test_a_ratio_that_is_not_about_price_gives_no_claim():
    assert claims_of("[中国|china|place]人均GDP达到[美国|usa|place]的{30%|percent|30}。").empty
    assert claims_of(
        "[o3|openai-o3|product]的得分是[o1|openai-o1|product]的{120%|percent|120}。"
    ).empty


def test_cost_count_duration_age_and_year():
    claims = claims_of(
        "[Mistral|mistral|company]只成立了{20个月|month|20}，声称只使用了{3000多个|count|3000|1000|quantity|~}"
        "芯片，用了{3个月|month|3}，在{500万美元|USD|5e6|1e6}的投资下训练出模型。"
        "[阿波罗计划|apollo-program|organization]耗费{250亿美元|USD|2.5e10|1e8}和历时{11年|year|11}。"
        "[Explorer 1|explorer-1|product]是{1958年|year|1958|1|date}发射的卫星。"
    )
    assert undated(claims) == [
        ("mistral", "age", 20.0),
        ("mistral", "count", 3000.0),
        ("mistral", "duration", 3.0),
        ("mistral", "cost", 5e6),
        ("apollo-program", "cost", 2.5e10),
        ("apollo-program", "duration", 11.0),
        ("explorer-1", "year", 1958.0),
    ]
    assert list(claims["unit"]) == ["month", "count", "month", "USD", "USD", "year", "year"]
    assert claims["as_of"].iloc[0] == JAN28  # an age is counted to the published date
    assert claims["is_approximate"].iloc[1]
    assert claims["precision"].iloc[1] == 1000.0
    assert claims["as_of"].iloc[6] is None and claims["date_reason"].iloc[6]


def test_cost_subject_after_the_figure_and_pronoun_subject():
    claims = claims_of(
        "[DeepMind|deepmind|organization]成立了{14年|year|14}。他们声称用了{2个月|month|2}，"
        "在{600万美元|USD|6e6|1e6}的投资下完成。以前耗费{30亿美元|USD|3e9|1e8}，"
        "才测定了[人类基因组|human-genome-project|organization]。"
    )
    assert undated(claims) == [
        ("deepmind", "age", 14.0),
        ("deepmind", "duration", 2.0),
        ("deepmind", "cost", 6e6),
        ("human-genome-project", "cost", 3e9),
    ]


def test_non_market_keywords_need_a_subject_and_a_keyword():
    assert claims_of("我在美国生活了{30多年|year|30|10|quantity|~}。").empty
    assert claims_of("现在可以只花{1000美元|USD|1000}就测序。").empty
    assert claims_of("[OpenAI|openai|company]需要{10000个|count|10000}GPU。").empty


def test_empty_inputs_give_an_empty_frame_with_the_columns():
    documents, segments, mentions, numbers = build("没有数字。")
    claims = extract_claims(documents, segments, mentions, numbers.head(0), None)
    assert list(claims.columns) == list(CLAIM_EXTRACTION_COLUMNS) and claims.empty
    empty = extract_claims(*(frame.head(0) for frame in build("x")), None)
    assert list(empty.columns) == list(CLAIM_EXTRACTION_COLUMNS)


def test_a_time_span_before_the_verb_leaves_the_subject_carried_over(calendar):
    claims = claims_of(
        f"昨天{NVDA}收跌{{17%|percent|17}}，市值一夜蒸发{{5890亿美元|USD|5.89e11|1e8}}。", calendar
    )
    assert claims[["subject_id", "metric"]].values.tolist() == [
        ["NVDA", "pct_change"],
        ["NVDA", "market_cap_change"],
    ]


def test_only_before_the_verb_is_no_subject_of_its_own(calendar):
    claims = claims_of(f"其实{MSFT}跌得不多，昨日只跌了{{2.14%|percent|2.14|0.01}}。", calendar)
    assert claims[["subject_id", "value"]].values.tolist() == [["MSFT", -2.14]]


def test_vocabularies_and_types_hold_on_a_mixed_text(calendar):
    claims = claims_of(
        f"昨天{NVDA}降了{{17%|percent|17}}，市值蒸发{{5000亿美元|USD|5e11|1e8}}。"
        f"{IXIC}降了{{3%|percent|3}}或{{600|count|600}}点。{HUANG}的身家为{{1000亿美元|USD|1e11|1e8}}。",
        calendar,
    )
    assert set(claims["metric"]) <= set(METRICS) and set(claims["unit"]) <= set(UNITS)
    assert claims["claim_id"].is_unique
    assert claims["start"].dtype == "int32" and claims["value"].dtype == "float64"
    assert len(claims) == 5


@pytest.mark.parametrize("enabled", [True, False])
def test_extraction_leaves_the_garbage_collector_as_it_found_it(enabled):
    marked = f"昨天{GOOGL}降{{3%|percent|3}}。"
    was_enabled = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert len(claims_of(marked)) == 1
        assert gc.isenabled() is enabled
        documents, *others = build(marked)
        with pytest.raises(KeyError):  # also when extraction fails midway
            extract_claims(documents.drop(columns="text"), *others, None)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was_enabled else gc.disable)()


def test_output_is_deterministic():
    marked = f"昨天{GOOGL}降{{3%|percent|3}}，{MSFT}涨{{2%|percent|2}}。"
    pd.testing.assert_frame_equal(claims_of(marked), claims_of(marked))


def test_respectively_pairs_the_nth_figure_with_the_nth_subject():
    claims = claims_of(
        "昨天[道指|^DJI|index]、[标普500|^GSPC|index]和[纳指|^IXIC|index]分别下跌"
        "{0.5%|percent|0.5|0.1}、{1.5%|percent|1.5|0.1}和{3.1%|percent|3.1|0.1}。"
    )
    assert undated(claims) == [
        ("^DJI", "pct_change", -0.5),
        ("^GSPC", "pct_change", -1.5),
        ("^IXIC", "pct_change", -3.1),
    ]


def test_respectively_with_points_and_mismatched_counts():
    claims = claims_of(f"昨天{GOOGL}和{MSFT}分别涨了{{120|count|120}}点和{{80|count|80}}点。")
    assert claims.empty  # companies have no points_change
    claims = claims_of(
        f"昨天[道指|^DJI|index]和{IXIC}分别跌了{{120|count|120}}点和{{80|count|80}}点。"
    )
    assert list(claims["value"]) == [-120.0, -80.0] and list(claims["unit"]) == ["points"] * 2
    assert claims["text"].iloc[1].endswith("80点")
    ambiguous = f"昨天{GOOGL}、{MSFT}和{NVDA}分别下跌{{4%|percent|4}}和{{2%|percent|2}}。"
    assert claims_of(ambiguous).empty


@pytest.mark.parametrize(
    "listed",
    [
        "分别涨了{3.2%|percent|3.2|0.1}和跌了{17%|percent|17}",
        "分别上涨{3.2%|percent|3.2|0.1}、下跌{17%|percent|17}",
        "分别上涨和下跌了{3.2%|percent|3.2|0.1}和{17%|percent|17}",  # verbs paired in order
    ],
)
def test_respectively_reads_each_figure_with_its_own_verb(listed):
    claims = claims_of(f"昨天{GOOGL}和{NVDA}{listed}。")
    assert undated(claims) == [("GOOGL", "pct_change", 3.2), ("NVDA", "pct_change", -17.0)]


def test_respectively_with_more_verbs_than_figures_or_a_later_clause_makes_no_claim():
    claims = claims_of(
        f"昨天{GOOGL}、{MSFT}和{NVDA}分别上涨和下跌了{{3%|percent|3}}、{{2%|percent|2}}和{{1%|percent|1}}。"
    )
    assert claims.empty
    # a listed subject carries over to no later clause: which one rebounded is not said
    claims = claims_of(
        f"昨天{GOOGL}和{NVDA}分别下跌{{4%|percent|4}}和{{17%|percent|17}}，随后反弹{{2%|percent|2}}。"
    )
    assert undated(claims) == [("GOOGL", "pct_change", -4.0), ("NVDA", "pct_change", -17.0)]


def test_a_fraction_with_a_slash_is_not_a_date():
    claims = claims_of(f"训练量只有o1的{{1/30|ratio|0.0333|0.0001}}，{NVDA}跌了{{3%|percent|3}}。")
    assert facts(claims) == [("NVDA", "pct_change", -3.0, None)]
    dated = claims_of(f"1/27，{NVDA}跌了{{3%|percent|3}}。")
    assert facts(dated) == [("NVDA", "pct_change", -3.0, JAN27)]


def test_missing_dates_and_reasons_are_none_not_nan():
    claims = claims_of(f"昨天{NVDA}跌了{{17%|percent|17}}。\n{MSFT}跌了{{2%|percent|2}}。")
    assert list(claims["date_reason"]) == [None, "no date in the text"]
    assert list(claims["as_of"]) == [JAN27, None]
    assert claims["as_of"].dtype == object and claims["date_reason"].dtype == object


def test_a_year_recognised_as_a_quantity_still_gives_a_year_claim():
    claims = claims_of("[Sputnik|sputnik-1|product]在{1957年|year|1957}发射。")
    assert facts(claims) == [("sputnik-1", "year", 1957.0, None)]
    assert claims_of("[Sputnik|sputnik-1|product]在{1957年|year|1957}很有名。").empty


def test_count_without_a_unit_and_the_span_from_the_verb():
    claims = claims_of(
        "[xAI|xai|company]部署了{10万|count|100000|10000}块GPU，还使用了{200||200}台服务器。"
    )
    assert undated(claims) == [
        ("xai", "count", 100000.0),
        ("xai", "count", 200.0),
    ]
    # the span runs from the verb over the classifier and the counted object right after it
    assert list(claims["text"]) == ["xAI部署了10万块GPU", "使用了200台服务器"]


def test_age_without_a_published_date_has_the_reason():
    claims = claims_of("[Anthropic|anthropic|company]成立了{4年|year|4}。", published=None)
    assert facts(claims) == [("anthropic", "age", 4.0, None)]
    assert claims["date_reason"].iloc[0] == "document has no published date"


def test_price_ratio_with_a_fee_keyword():
    claims = claims_of(
        "[R1|deepseek-r1|product]的API费用相当于[o1|openai-o1|product]的{5%|percent|5}。"
    )
    assert facts(claims) == [("deepseek-r1", "price_ratio", 5.0, None)]


_SUBJECTS = [("英伟达", "NVDA", "company"), ("苹果", "AAPL", "company"), ("纳指", "^IXIC", "index")]
_VERBS = [("跌了", -1), ("下跌", -1), ("暴跌", -1), ("降了", -1), ("涨了", 1), ("反弹了", 1)]
_DATES = [("", None), ("昨天", JAN27), ("今天", JAN28), ("1月24日", dt.date(2025, 1, 24))]


@given(
    clauses=st.lists(
        st.tuples(
            st.sampled_from(_SUBJECTS),
            st.sampled_from(_VERBS),
            st.integers(1, 3000),
            st.sampled_from(["", "近", "约"]),
        ),
        min_size=1,
        max_size=4,
    ),
    date=st.sampled_from(_DATES),
    delimiter=st.sampled_from(["，", "；", ", ", "。"]),
)
@settings(max_examples=60, deadline=None)
def test_generated_sentences_give_one_signed_claim_per_clause(clauses, date, delimiter):
    parts, expected = [], []
    for (name, entity_id, entity_type), (verb, sign), hundredths, hedge in clauses:
        figure = f"{hundredths / 100:.2f}%"
        parts.append(
            f"[{name}|{entity_id}|{entity_type}]{verb}{hedge}{{{figure}|percent|"
            f"{hundredths / 100}|0.01}}"
        )
        expected.append((entity_id, "pct_change", sign * hundredths / 100, date[1], bool(hedge)))
    claims = claims_of(date[0] + delimiter.join(parts) + "。")
    assert [
        (*fact, r.is_approximate)
        for fact, r in zip(facts(claims), claims.itertuples(), strict=True)
    ] == expected
    assert (claims["precision"] == 0.01).all() and claims["claim_id"].is_unique


def test_qi_and_ta_refer_back_to_the_company():
    claims = claims_of(
        f"昨天{NVDA}大跌，其市值蒸发了{{3000亿美元|USD|3e11|1e8}}。今天它反弹了{{5%|percent|5}}。"
    )
    assert facts(claims) == [
        ("NVDA", "market_cap_change", -3e11, JAN27),
        ("NVDA", "pct_change", 5.0, JAN28),
    ]


def test_change_noun_with_a_linking_verb_keeps_its_direction():
    claims = claims_of(f"昨天{NVDA}跌幅达{{17%|percent|17}}，{MSFT}涨幅为{{1%|percent|1}}。")
    assert undated(claims) == [("NVDA", "pct_change", -17.0), ("MSFT", "pct_change", 1.0)]


def test_market_value_in_yuan_keeps_its_currency():
    claims = claims_of("昨天[茅台|600519.SS|company]市值蒸发{1000亿元|CNY|1e11|1e8}。")
    assert facts(claims) == [("600519.SS", "market_cap_change", -1e11, JAN27)]
    assert claims["unit"].iloc[0] == "CNY"


def test_a_change_of_another_metric_is_not_a_price_change():
    assert claims_of(f"昨天{NVDA}的营收增长了{{20%|percent|20}}。").empty
    assert claims_of(f"昨天{NVDA}的销量下降了{{5%|percent|5}}。").empty
    kept = claims_of(f"昨天{NVDA}营收大增，股价涨了{{5%|percent|5}}。")
    assert undated(kept) == [("NVDA", "pct_change", 5.0)]


def test_a_change_over_a_period_has_no_session_date():
    claims = claims_of(
        f"昨天{NVDA}今年以来累计下跌了{{10%|percent|10}}，{MSFT}下跌了{{2%|percent|2}}。"
    )
    assert facts(claims) == [
        ("NVDA", "pct_change", -10.0, None),
        ("MSFT", "pct_change", -2.0, JAN27),
    ]
    assert "period" in claims["date_reason"].iloc[0]


def test_respectively_keeps_the_period():
    claims = claims_of(f"今年以来{GOOGL}和{MSFT}分别上涨了{{4%|percent|4}}和{{2%|percent|2}}。")
    assert list(claims["as_of"]) == [None, None]


def test_a_bare_year_the_recognizer_marks_as_a_date_with_a_launch_verb_is_a_year_claim():
    sputnik = claims_of("[Sputnik|sputnik-1|product]是{1957|year|1957||date}年苏联发射的卫星。")
    assert facts(sputnik) == [("sputnik-1", "year", 1957.0, None)]
    row = sputnik.iloc[0]
    assert (row.unit, row.precision, row.text) == ("year", 1.0, "Sputnik是1957年")
    assert row.date_reason  # as_of None, with the reason
    apple = claims_of("[苹果公司|AAPL|company]成立于{1976|year|1976||date}年。")
    assert facts(apple) == [("AAPL", "year", 1976.0, None)]
    assert apple["text"].iloc[0] == "苹果公司成立于1976年"
    after = claims_of("[东方一号|vostok-1|product]于{1961|year|1961||date}年发射。")
    assert facts(after) == [("vostok-1", "year", 1961.0, None)]


def test_a_year_needs_a_launch_verb_and_a_date_that_is_a_year():
    assert claims_of("[Sputnik|sputnik-1|product]在{1957|year|1957||date}年很有名。").empty
    # a month or a count of years is no calendar year
    assert claims_of("[苹果公司|AAPL|company]在{1976|month|1976||date}月发布。").empty
    duration = claims_of("[阿波罗计划|apollo|organization]历时{1000|year|1000}年。")
    assert undated(duration) == [("apollo", "duration", 1000.0)]


def test_the_span_takes_the_unit_word_the_recognizer_left_outside():
    claims = claims_of(
        "[DeepSeek|deepseek|company]只创立了{18|month|18}个月，历时{13|year|13}年，"
        "使用了{2000|count|2000}个芯片。"
    )
    assert list(claims["text"]) == ["DeepSeek只创立了18个月", "历时13年", "使用了2000个芯片"]
    points = claims_of(f"昨天{IXIC}跌了{{612|points|612}}点，收于{{19341点|points|19341}}。")
    assert list(points["text"]) == ["纳指跌了612点", "收于19341点"]  # no second 点 added
    # a word that states no unit stays outside
    days = claims_of("[OpenAI|openai|company]用了{3|month|3}年研发。")
    assert days["text"].iloc[0] == "OpenAI用了3"


def test_a_hedge_after_the_unit_word_marks_the_claim_approximate():
    claims = claims_of("[OpenAI|openai|company]花了{6|year|6}年多时间。")
    assert claims["text"].iloc[0] == "OpenAI花了6年" and bool(claims["is_approximate"].iloc[0])


def test_a_hedged_range_is_its_midpoint_with_the_range_as_its_bounds():
    documents, segments, mentions, numbers = build(
        "[DeepSeek|deepseek|company]使用了{2000多|count|2000|1000|quantity|~}个芯片，"
        "[英伟达|NVDA|company]昨日跌了{3至5%|percent||1}。"
    )
    numbers["lower"] = [2000.0, 3.0]
    numbers["upper"] = [3000.0, 5.0]
    claims = extract_claims(documents, segments, mentions, numbers)
    assert list(claims["value"]) == [2500.0, -4.0]
    # the range is the claim's bounds (a fall mirrored); precision stays the last stated digit
    assert list(zip(claims["lower"], claims["upper"], strict=True)) == [(2000, 3000), (-5, -3)]
    assert list(claims["precision"]) == [1000.0, 1.0]
    assert claims["is_approximate"].all()


def test_a_plain_figure_keeps_its_value_and_precision():
    documents, segments, mentions, numbers = build(
        "[DeepSeek|deepseek|company]使用了{2048|count|2048}个芯片。"
    )
    numbers["lower"], numbers["upper"] = [None], [None]
    claims = extract_claims(documents, segments, mentions, numbers)
    assert list(claims["value"]) == [2048.0] and list(claims["precision"]) == [1.0]


_CLAUSE_TEXT = st.text(alphabet="，,；;、1234５67890ab涨跌。", max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(_CLAUSE_TEXT, min_size=1, max_size=4), st.data())
def test_clause_bounds_of_all_figures_at_once_equal_one_by_one(texts, data):
    from flows.transforms.claim_clauses import Segment, all_clause_bounds, clause_bounds
    from flows.transforms.claims import _default_rules

    rules = _default_rules()
    segments, offset = [], 0
    for row, text in enumerate(texts):
        segments.append(Segment(row, 0, 0, offset, offset + len(text), text))
        offset += len(text) + 2
    figures = []
    for index, segment in enumerate(segments):
        for _ in range(data.draw(st.integers(0, 3))):
            start = data.draw(st.integers(0, len(segment.text)))
            end = data.draw(st.integers(start, len(segment.text)))
            figures.append((index, segment.start + start, segment.start + end))
    if not figures:
        return
    index, starts, ends = (np.array(c, dtype=np.int64) for c in zip(*figures, strict=True))
    found = all_clause_bounds(
        segments, index, starts, ends, rules.clause_delimiter, rules.clause_delimiter_chars
    )
    expected = [
        clause_bounds(segments[i], _Span(start, end), rules.clause_delimiter)
        for i, start, end in figures
    ]
    assert list(zip(*found, strict=True)) == expected


class _Span(NamedTuple):
    start: int
    end: int


def test_a_clause_naming_an_unknown_subject_borrows_none():
    # the clause's own subject (an index the gazetteer lacks) is not the company before it
    assert claims_of(
        "[OpenAI|openai|company]的模型都还在用，中证1000指数上涨{0.5%|percent|0.5|0.1}。"
    ).empty
    assert claims_of(
        f"昨天{MSFT}市值缩水了{{1300亿美元|USD|1.3e11|1e8}}，蔚来却涨了{{3.2%|percent|3.2|0.1}}，"
        "股价报{5.1美元|USD|5.1|0.1}。"
    ).pipe(undated) == [("MSFT", "market_cap_change", -1.3e11)]
    assert claims_of(f"昨天{NVDA}的竞争对手跌了{{3%|percent|3}}。").empty
    assert claims_of(f"昨天{NVDA}等芯片股下跌{{3%|percent|3}}。").empty


def test_a_clause_with_its_own_subject_takes_it_and_neutral_openers_carry_it_over():
    claims = claims_of(
        f"昨天{MSFT}市值缩水了{{1300亿美元|USD|1.3e11|1e8}}，[苹果|AAPL|company]却涨了"
        "{3.2%|percent|3.2|0.1}，股价报{229.86美元|USD|229.86|0.01}。"
    )
    assert undated(claims) == [
        ("MSFT", "market_cap_change", -1.3e11),
        ("AAPL", "pct_change", 3.2),
        ("AAPL", "close", 229.86),
    ]
    carried = claims_of(
        f"周一{NVDA}大跌，收盘下跌{{16.97%|percent|16.97|0.01}}，与此同时市值蒸发"
        f"{{5890亿美元|USD|5.89e11|1e8}}，较前一交易日下跌{{16.97%|percent|16.97|0.01}}。"
    )
    assert undated(carried) == [
        ("NVDA", "pct_change", -16.97),
        ("NVDA", "market_cap_change", -5.89e11),
        ("NVDA", "pct_change", -16.97),
    ]


def test_a_clause_between_with_its_own_subject_cuts_the_carry_over():
    assert claims_of(f"昨天{NVDA}大跌，芯片股普遍承压，收于{{118.42美元|USD|118.42|0.01}}。").empty
    kept = claims_of(
        f"昨天{NVDA}大跌，收盘下跌{{17%|percent|17}}，收于{{118.42美元|USD|118.42|0.01}}。"
    )
    assert undated(kept) == [("NVDA", "pct_change", -17.0), ("NVDA", "close", 118.42)]


def test_a_subject_right_after_the_figure_and_a_compared_one():
    assert undated(claims_of(f"昨天下跌{{17%|percent|17}}的{NVDA}今天反弹。")) == [
        ("NVDA", "pct_change", -17.0)
    ]
    assert claims_of(f"昨天上涨{{0.5%|percent|0.5|0.1}}，跑赢{NVDA}。").empty


def test_an_intraday_move_or_level_is_no_session_change():
    claims = claims_of(
        f"昨天{NVDA}盘中一度跌超{{17%|percent|17}}，{IXIC}一度跌至{{19200点|points|19200}}，"
        f"{MSFT}早盘下跌{{3%|percent|3}}，最终{MSFT}收跌{{2.1%|percent|2.1|0.1}}。"
    )
    assert undated(claims) == [("MSFT", "pct_change", -2.1)]


def test_an_extended_hours_move_is_no_session_change():
    assert claims_of(f"昨天{MSFT}盘后下跌{{4%|percent|4}}。").empty
    assert claims_of(f"昨天{MSFT}股价盘前上涨{{2%|percent|2}}。").empty
    assert undated(claims_of(f"昨天{MSFT}收盘下跌{{4%|percent|4}}。")) == [
        ("MSFT", "pct_change", -4.0)
    ]


def test_a_crossed_level_and_a_price_cut_state_no_claim():
    claims = claims_of(
        f"昨天{IXIC}跌破{{19400点|points|19400}}，最终收于{{19341点|points|19341}}。"
        "[特斯拉|TSLA|company]降价{5%|percent|5}，股价却上涨{2%|percent|2}。"
    )
    assert undated(claims) == [("^IXIC", "close", 19341.0), ("TSLA", "pct_change", 2.0)]


def test_close_stated_with_bao_in_points_and_a_closing_verb():
    claims = claims_of(
        f"昨天{IXIC}收跌{{3.07%|percent|3.07|0.01}}，报{{19341.83点|points|19341.83|0.01}}。"
    )
    assert undated(claims) == [("^IXIC", "pct_change", -3.07), ("^IXIC", "close", 19341.83)]


def test_a_vague_shift_stops_the_date_from_carrying_over():
    claims = claims_of(
        f"1月24日{NVDA}涨了{{2%|percent|2}}。次日{MSFT}涨了{{1%|percent|1}}。"
        f"与此同时{GOOGL}跌了{{1%|percent|1}}。三天后，{IXIC}跌了{{3%|percent|3}}。"
    )
    assert [row[3] for row in facts(claims)] == [dt.date(2025, 1, 24), None, None, None]
    assert "single date" in claims["date_reason"].iloc[1]


def test_a_mention_after_a_preposition_is_not_the_subject():
    claims = claims_of(
        f"昨天{NVDA}因[DeepSeek|deepseek|company]下跌{{17%|percent|17}}，"
        f"{MSFT}随{IXIC}下跌{{2%|percent|2}}。"
    )
    assert undated(claims) == [("NVDA", "pct_change", -17.0), ("MSFT", "pct_change", -2.0)]
    # with no subject before the prepositional phrase, none is taken from it
    assert claims_of(f"昨天因{NVDA}下跌{{3%|percent|3}}。").empty


def test_a_later_clause_lends_no_subject_to_a_clause_naming_its_own():
    assert claims_of(
        "星际之门项目将投资{5000亿美元|USD|5e11|1e8}，[软银|softbank|company]出资了一部分。"
    ).empty


def test_a_signed_change_noun_keeps_the_figure_sign():
    claims = claims_of(
        f"昨天{NVDA}涨跌幅为{{-16.97%|percent|-16.97|0.01}}，{MSFT}涨跌幅为{{3.18%|percent|3.18|0.01}}。"
    )
    assert undated(claims) == [("NVDA", "pct_change", -16.97), ("MSFT", "pct_change", 3.18)]
    # a plain change noun still sets the sign (跌幅 is a fall, whatever the figure's sign)
    assert undated(claims_of(f"昨天{NVDA}跌幅为{{16.97%|percent|16.97|0.01}}。")) == [
        ("NVDA", "pct_change", -16.97)
    ]


def test_coordinated_predicates_share_a_later_subject():
    claims = claims_of(
        "当年耗费{250亿美元|USD|2.5e10|1e8}和历时{11年|year|11}，"
        "才完成了[阿波罗计划|apollo-program|organization]。"
    )
    assert undated(claims) == [
        ("apollo-program", "cost", 2.5e10),
        ("apollo-program", "duration", 11.0),
    ]


def test_a_listing_suffix_is_neutral_but_a_longer_name_is_another_subject():
    claims = claims_of(
        "昨天[美团|meituan|company]-W下跌{3%|percent|3}，[京东|JD|company]物流下跌{2%|percent|2}，"
        f"{NVDA}（[NVDA|NVDA|company].US）：跌{{17%|percent|17}}。"
    )
    assert undated(claims) == [("meituan", "pct_change", -3.0), ("NVDA", "pct_change", -17.0)]


def test_a_clause_holding_only_a_period_governs_the_sentence():
    claims = claims_of(
        f"1月27日，今年以来，{NVDA}跌了{{3%|percent|3}}，{MSFT}涨了{{2%|percent|2}}。"
        f"1月27日，{GOOGL}涨了{{1%|percent|1}}。"
    )
    assert facts(claims) == [
        ("NVDA", "pct_change", -3.0, None),
        ("MSFT", "pct_change", 2.0, None),
        ("GOOGL", "pct_change", 1.0, JAN27),
    ]
    assert (
        list(claims["date_reason"])[:2]
        == ["'今年以来' states a change over a period, not one session"] * 2
    )


def test_a_mention_between_the_verb_and_the_figure():
    claims = claims_of(
        f"昨天涨幅居前的有{MSFT}（{{1.9%|percent|1.9|0.1}}），跌幅居前的有{NVDA}（{{17%|percent|17}}）。"
    )
    assert undated(claims) == [("MSFT", "pct_change", 1.9), ("NVDA", "pct_change", -17.0)]
    # a mention there that does not stand right before the figure is no subject, nor the
    # one of the clause before
    assert claims_of(f"{MSFT}涨了，跌幅居前的有{NVDA}等芯片股{{17%|percent|17}}。").empty
    assert claims_of(f"{MSFT}涨了，跌幅超过{NVDA}的竞争对手{{17%|percent|17}}。").empty
    # a possessive before the figure makes it a share of the mention, not the mention's move
    assert claims_of(f"昨天{MSFT}跌掉了一个{NVDA}的{{一半|percent|50}}。").empty
    assert claims_of(f"昨天跌幅居前的有{NVDA}的{{17%|percent|17}}。").empty


def test_a_supposition_states_no_claim():
    assert claims_of(f"昨天如果{NVDA}下跌{{17%|percent|17}}，{IXIC}将下跌{{3%|percent|3}}。").empty
    assert claims_of(f"一旦{NVDA}跌了{{17%|percent|17}}，我就清仓。").empty
    kept = claims_of(f"昨天{NVDA}下跌{{17%|percent|17}}，如果明天再跌我就清仓。")
    assert undated(kept) == [("NVDA", "pct_change", -17.0)]


def test_a_stated_minus_after_a_rise_word_is_kept():
    claims = claims_of(
        f"昨天{NVDA}涨幅为{{-16.97%|percent|-16.97|0.01}}，{MSFT}涨了{{2%|percent|2}}，"
        f"{GOOGL}跌幅为{{-1%|percent|-1}}。"
    )
    assert undated(claims) == [
        ("NVDA", "pct_change", -16.97),
        ("MSFT", "pct_change", 2.0),
        ("GOOGL", "pct_change", -1.0),
    ]


def test_the_beijing_early_morning_close_is_the_session_before(calendar):
    claims = claims_of(f"北京时间1月28日凌晨，美股收盘，{NVDA}下跌{{17%|percent|17}}。", calendar)
    assert facts(claims) == [("NVDA", "pct_change", -17.0, JAN27)]
    assert claims["date_reason"].iloc[0] is None


def test_a_move_that_narrowed_or_widened_is_no_session_change():
    claims = claims_of(
        f"昨天{NVDA}跌幅收窄至{{2%|percent|2}}，{MSFT}涨幅扩大至{{5%|percent|5}}，"
        f"{GOOGL}跌幅为{{1%|percent|1}}。"
    )
    assert undated(claims) == [("GOOGL", "pct_change", -1.0)]


@pytest.mark.parametrize("verb", ["回升至", "反弹到", "跌到", "降至", "达到"])
def test_a_change_verb_with_a_level_suffix_states_no_market_cap_change(verb):
    assert claims_of(f"昨天{NVDA}市值{verb}{{3.2万亿美元|USD|3.2e12|1e11}}。").empty


def test_a_level_suffix_makes_points_a_close_and_leaves_a_bare_change_alone():
    claims = claims_of(
        f"昨天{IXIC}回升至{{19500点|points|19500}}，{NVDA}市值回升{{1000亿美元|USD|1e11|1e8}}。"
    )
    assert facts(claims) == [
        ("^IXIC", "close", 19500.0, JAN27),
        ("NVDA", "market_cap_change", 1e11, JAN27),
    ]


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        (
            "[Nvidia|NVDA|company] shares plunged {17%|percent|17} on Monday.",
            ("NVDA", -17.0, JAN27),
        ),
        (f"{NVDA}周一plunged {{17%|percent|17}}。", ("NVDA", -17.0, JAN27)),
        (
            "[Nvidia|NVDA|company] stock rose {8.9%|percent|8.9|0.1} on Tuesday.",
            ("NVDA", 8.9, JAN28),
        ),
    ],
)
def test_english_movement_verbs(marked, expected):
    assert [(r.subject_id, r.value, r.as_of) for r in claims_of(marked).itertuples()] == [expected]


@pytest.mark.parametrize("verb", ["fellow", "arose", "prose"])
def test_a_latin_verb_inside_a_longer_word_is_no_verb(verb):
    assert claims_of(f"{NVDA}周一{verb} {{17%|percent|17}}。").empty
