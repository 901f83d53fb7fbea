"""A subject carries over only from where an earlier clause's subject stands."""

from __future__ import annotations

import pytest

from tests.test_claims import MSFT, NVDA, claims_of, undated

OPENAI = "[OpenAI|openai|company]"
GPT4O, O3MINI = "[GPT-4o|gpt-4o|product]", "[o3-mini|o3-mini|product]"
DEEPSEEK = "[DeepSeek|deepseek|company]"
IPHONE = "[iPhone 16|iphone-16|product]"


@pytest.mark.parametrize(
    "marked",
    [
        f"{OPENAI}的{GPT4O}和{O3MINI}都还在用，上涨{{0.5%|percent|0.5|0.1}}。",
        f"{NVDA}的[H800|h800|product]芯片卖得很好，上涨{{2%|percent|2}}。",
        f"在{DEEPSEEK}的冲击下，下跌{{17%|percent|17}}。",
        f"{IPHONE}卖得一般，昨天上涨{{0.5%|percent|0.5|0.1}}。",
        f"[苹果|AAPL|company]的{IPHONE}卖得一般，昨天上涨{{0.5%|percent|0.5|0.1}}。",
        f"因{DEEPSEEK}发布新模型，下跌{{17%|percent|17}}。",
    ],
)
def test_a_modifier_or_another_subject_lends_no_subject(marked):
    assert claims_of(marked).empty


@pytest.mark.parametrize(
    ("marked", "subject"),
    [
        (f"{NVDA}收跌{{16.97%|percent|16.97|0.01}}，报{{118.42美元|USD|118.42|0.01}}。", "NVDA"),
        (f"{MSFT}的跌幅没那么夸张，昨日只跌了{{2.14%|percent|2.14|0.01}}。", "MSFT"),
        (f"{MSFT}的股价昨天下跌，收盘跌了{{2.14%|percent|2.14|0.01}}。", "MSFT"),
        ("[特斯拉|TSLA|company]昨天公布财报后，股价下跌{5%|percent|5}。", "TSLA"),
        (f"你看{NVDA}，跌了{{17%|percent|17}}。", "NVDA"),  # a topic closing its clause
        (f"网友回复：{NVDA}没有跌破100美元，收报{{118.42美元|USD|118.42|0.01}}。", "NVDA"),
        (f"[黄仁勋|jensen-huang|person]的{NVDA}昨天暴跌，股价下跌{{17%|percent|17}}。", "NVDA"),
    ],
)
def test_a_subject_carries_over_from_a_clause_subject(marked, subject):
    assert [row[0] for row in undated(claims_of(marked))][-1] == subject
