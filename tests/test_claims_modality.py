"""Figures that state no fact (rumours, forecasts, questions, negations) make no claim."""

from __future__ import annotations

import pytest

from tests.test_claims import GOOGL, IXIC, MSFT, NVDA, claims_of, undated

AAPL, AVGO = "[苹果|AAPL|company]", "[博通|AVGO|company]"


@pytest.mark.parametrize(
    "marked",
    [
        # rumours and hearsay
        f"网传{MSFT}昨天大跌{{8%|percent|8}}，目前尚未得到证实。",
        f"有传言称{GOOGL}昨天上涨{{6%|percent|6}}。",
        f"据传{NVDA}昨日涨了{{4%|percent|4}}。",
        f"听说{AAPL}昨天跌了{{5%|percent|5}}。",
        # forecasts, targets, wishes and the future
        f"分析师预计明天{NVDA}将上涨{{5%|percent|5}}。",
        f"{NVDA}有望反弹{{10%|percent|10}}。",
        f"{AAPL}可能下跌{{5%|percent|5}}。",
        f"{AAPL}或将上涨{{2%|percent|2}}。",
        f"{NVDA}将大幅下跌{{10%|percent|10}}。",
        f"{NVDA}明天会上涨{{3%|percent|3}}。",
        f"高盛给{NVDA}的目标价较现价上涨{{20%|percent|20}}。",
        f"市场预期{IXIC}今天下跌{{2%|percent|2}}。",
        # yes-no questions
        f"{NVDA}昨天跌了{{17%|percent|17}}吗？",
        f"{NVDA}昨天真的跌了{{17%|percent|17}}？",
        f"{NVDA}昨天跌了{{17%|percent|17}}吗，还是更多？",
        f"{NVDA}昨天是不是跌了{{17%|percent|17}}？",
        # negations and denials
        f"{NVDA}昨天跌幅并非{{17%|percent|17}}。",
        f"{NVDA}昨天的跌幅不是{{17%|percent|17}}，而是更多。",
        f"所谓{NVDA}昨天暴跌{{10%|percent|10}}的说法并不属实。",
        f"{NVDA}昨天暴跌{{10%|percent|10}}的消息纯属谣言。",
        f"{NVDA}昨天涨了{{10%|percent|10}}，是真的吗？",
        # a disclaimer
        f"我不是说{NVDA}跌了{{20%|percent|20}}，我是说我的账户。",
        f"谁说{NVDA}昨天跌了{{20%|percent|20}}？",
        # a list after a rumour word
        f"据传{NVDA}和{AVGO}昨天分别下跌{{20%|percent|20}}和{{18%|percent|18}}。",
    ],
)
def test_a_figure_that_states_no_fact_is_no_claim(marked):
    assert claims_of(marked).empty


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        # the modal word comes after the figure, or frames another clause
        (f"{NVDA}昨天下跌{{17%|percent|17}}，预计今天将反弹。", ("NVDA", -17.0)),
        (f"{NVDA}昨天下跌{{17%|percent|17}}，可能是受芯片出口限制影响。", ("NVDA", -17.0)),
        (f"网传{MSFT}大跌，但{MSFT}昨日只跌了{{2.14%|percent|2.14|0.01}}。", ("MSFT", -2.14)),
        # a comparison with the expectation states what happened
        (f"{MSFT}业绩超预期，昨天{MSFT}涨了{{2%|percent|2}}。", ("MSFT", 2.0)),
        (f"{MSFT}营收好于预期，昨天{MSFT}股价上涨{{2%|percent|2}}。", ("MSFT", 2.0)),
        (f"云业务低于市场预期，{MSFT}股价昨天下跌{{6.2%|percent|6.2|0.1}}。", ("MSFT", -6.2)),
        # 将 before no cue word (将近, the disposal 将X做成) is no future
        (f"{NVDA}昨天下跌将近{{17%|percent|17}}。", ("NVDA", -17.0)),
        (f"它将价格打了下来，{NVDA}昨天下跌{{17%|percent|17}}。", ("NVDA", -17.0)),
        # a question about something else
        (f"昨天{IXIC}跌了{{3%|percent|3}}，你怕了吗？", ("^IXIC", -3.0)),
        # a negation that is not the figure's: 没想到, 不涨反跌, and the hedge 不到
        (f"没想到昨天{NVDA}下跌了{{17%|percent|17}}。", ("NVDA", -17.0)),
        (f"{IXIC}昨天跌了不到{{4%|percent|4}}。", ("^IXIC", -4.0)),
        # a named source
        (f"据彭博社报道，{NVDA}昨天下跌{{17%|percent|17}}。", ("NVDA", -17.0)),
        # a modal word inside an entity's name
        ("[新希望|000876|company]昨天上涨{2%|percent|2}。", ("000876", 2.0)),
    ],
)
def test_a_fact_next_to_a_modal_word_stays_a_claim(marked, expected):
    subject, value = expected
    assert undated(claims_of(marked)) == [(subject, "pct_change", value)]


def test_a_rumour_governs_its_sentence_until_a_contrast():
    claims = claims_of(
        f"有传言称{NVDA}将被收购，{NVDA}昨天上涨了{{3%|percent|3}}，但{AAPL}下跌了{{2%|percent|2}}。"
    )
    assert undated(claims) == [("AAPL", "pct_change", -2.0)]
    # a denial closes it
    claims = claims_of(
        f"网传{AAPL}大跌{{5%|percent|5}}，纯属谣言，{AAPL}昨天涨了{{3.2%|percent|3.2|0.1}}。"
    )
    assert undated(claims) == [("AAPL", "pct_change", 3.2)]
    # a new sentence is out of its scope
    claims = claims_of(f"网传{MSFT}大跌{{8%|percent|8}}。{MSFT}昨天下跌了{{2%|percent|2}}。")
    assert undated(claims) == [("MSFT", "pct_change", -2.0)]


def test_non_market_metrics_are_framed_too():
    deepseek = "[DeepSeek|deepseek|company]"
    assert claims_of(f"据说{deepseek}的训练成本只有{{600万美元|USD|6e6|1e4}}。").empty
    assert claims_of(f"{deepseek}将投资{{5亿美元|USD|5e8|1e7}}建数据中心。").empty
    kept = claims_of(f"{deepseek}的训练成本只有{{600万美元|USD|6e6|1e4}}。")
    assert undated(kept) == [("deepseek", "cost", 6e6)]


def test_a_plan_is_no_fact_but_a_named_existing_plan_frames_nothing():
    meta, openai = "[Meta|META|company]", "[OpenAI|openai|company]"
    assert claims_of(f"{meta}计划今年投入{{650亿美元|USD|6.5e10|1e9}}建设数据中心。").empty
    assert claims_of(f"软银计划向{openai}投资{{250亿美元|USD|2.5e10|1e9}}。").empty
    assert claims_of(f"{meta}原计划投入{{650亿美元|USD|6.5e10|1e9}}建设数据中心。").empty
    kept = [
        f"多家公司发布回购计划，{AAPL}昨天上涨{{3.2%|percent|3.2|0.1}}。",  # 计划 the noun
        f"按计划，{AAPL}昨天上涨{{3.2%|percent|3.2|0.1}}。",  # an existing plan
        f"{AAPL}的计划书显示，{AAPL}昨天上涨{{3.2%|percent|3.2|0.1}}。",
    ]
    for marked in kept:
        assert undated(claims_of(marked)) == [("AAPL", "pct_change", 3.2)], marked


def test_kepi_opening_a_clause_still_ends_a_rumours_scope():
    kept = claims_of(f"网传{NVDA}昨天跌了{{30%|percent|30}}，可是{NVDA}只跌了{{17%|percent|17}}。")
    assert undated(kept) == [("NVDA", "pct_change", -17.0)]
    framed = claims_of(f"网传{NVDA}昨天跌了{{30%|percent|30}}，它只跌了{{17%|percent|17}}。")
    assert framed.empty
