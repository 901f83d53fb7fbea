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


@pytest.mark.parametrize(
    "marked",
    [
        # the clause names a subject the gazetteer does not know before its predicate
        f"{NVDA}大跌，没想到一家小公司花了{{500万美元|USD|5e6|1e6}}训练模型。",
        # a mention after the figure past another predicate is what it acted on
        f"一家小公司花了{{500万美元|USD|5e6|1e6}}训练的模型让{NVDA}很被动。",
        # a span cue that governs another figure: 两天 before a verb states no duration
        f"{OPENAI}用了{{300万美元|USD|3e6|1e6}}开发的产品让它{{两天|day|2}}丢了用户。",
    ],
)
def test_a_non_market_claim_borrows_no_subject_past_its_own_one(marked):
    assert claims_of(marked).empty


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        (
            f"{DEEPSEEK}发布新模型，声称只用了{{200万美元|USD|2e6|1e6}}训练。",
            [("deepseek", "cost", 2e6)],
        ),
        (
            f"{DEEPSEEK}发布新模型，训练成本仅{{200万美元|USD|2e6|1e6}}。",
            [("deepseek", "cost", 2e6)],
        ),
        (f"耗资{{500亿美元|USD|5e10|1e8}}的{OPENAI}项目已经启动。", [("openai", "cost", 5e10)]),
        (f"{OPENAI}耗时将近{{两个月|month|2}}完成训练。", [("openai", "duration", 2.0)]),
        (f"{OPENAI}成立了{{9年|year|9}}。", [("openai", "age", 9.0)]),
    ],
)
def test_a_governed_cue_and_a_subjectless_opening_still_give_the_claim(marked, expected):
    assert undated(claims_of(marked)) == expected


@pytest.mark.parametrize("word", ["可是", "真", "真的", "竟然", "居然", "足足", "整整"])
def test_an_emphatic_word_before_the_verb_is_neutral(word):
    claims = claims_of(f"{MSFT}昨天{word}跌了{{2%|percent|2}}呢。")
    assert undated(claims) == [("MSFT", "pct_change", -2.0)]


def test_an_emphatic_word_lets_no_other_subject_through():
    assert claims_of(f"{MSFT}的对手昨天真的跌了{{2%|percent|2}}。").empty


LOSS = "{6000亿美元|USD|6e11|1e8}"


@pytest.mark.parametrize("tag", ["老王说", "他补充道", "分析师表示"])
def test_a_quote_interrupted_by_a_speaker_tag_carries_its_subject_on(tag):
    claims = claims_of(f"“{NVDA}这次真的跌惨了，”{tag}，“市值一天蒸发了将近{LOSS}。”")
    assert undated(claims) == [("NVDA", "market_cap_change", -6e11)]


@pytest.mark.parametrize(
    "marked",
    [
        f"{NVDA}跌惨了，“市值一天蒸发了{LOSS}”。",  # from outside a quote into it
        f"“{NVDA}跌惨了”，而“市值一天蒸发了{LOSS}”。",  # two quotes, no speaker tag
        f"“{NVDA}跌惨了，”老王说完就走了，随后“市值蒸发了{LOSS}”。",
    ],
)
def test_no_subject_carries_into_a_quote_from_outside_it(marked):
    assert claims_of(marked).empty


def test_a_loss_verb_with_an_amount_states_market_value_unless_a_net_worth_word_does():
    claims = claims_of(
        f"{NVDA}一天蒸发了{LOSS}，[黄仁勋|jensen-huang|person]的身家蒸发了{{200亿美元|USD|2e10|1e8}}。"
    )
    assert undated(claims) == [
        ("NVDA", "market_cap_change", -6e11),
        ("jensen-huang", "net_worth_change", -2e10),
    ]
    assert claims_of(f"{NVDA}一天增加了{LOSS}。").empty  # no metric word: no claim


@pytest.mark.parametrize(
    "marked",
    [
        f"{NVDA}暴跌{{17%|percent|17}}，美股市值一天蒸发了{{1万亿美元|USD|1e12|1e11}}。",
        f"{NVDA}暴跌{{17%|percent|17}}，港股随之下跌{{2%|percent|2}}。",
        f"{NVDA}暴跌{{17%|percent|17}}，A股收跌，随后又跌了{{2%|percent|2}}。",
    ],
)
def test_a_market_opening_a_clause_is_its_subject_and_lets_none_carry_over(marked):
    assert undated(claims_of(marked)) == [("NVDA", "pct_change", -17.0)]


def test_a_market_word_after_a_mention_is_the_listing_and_stays_neutral():
    claims = claims_of(
        "[阿里巴巴|BABA|company]港股涨{4.1%|percent|4.1|0.1}，美股则跌了{1%|percent|1}。"
    )
    assert undated(claims) == [("BABA", "pct_change", 4.1)]


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        ("[恒指|^HSI|index]半日收报{20197|count|20197}点，涨{0.65%|percent|0.65|0.01}。", []),
        (f"{NVDA}盘前跌了{{10%|percent|10}}，又跌了{{2%|percent|2}}。", []),
        (
            f"{NVDA}盘中一度暴跌{{20%|percent|20}}，收盘跌{{17%|percent|17}}。",
            [("NVDA", "pct_change", -17.0)],
        ),
        (
            f"{NVDA}开盘后一路下跌，最终跌了{{17%|percent|17}}。",
            [("NVDA", "pct_change", -17.0)],
        ),
        (
            f"{NVDA}周一跌了{{17%|percent|17}}，又跌了{{2%|percent|2}}。",
            [("NVDA", "pct_change", -17.0), ("NVDA", "pct_change", -2.0)],
        ),
    ],
)
def test_a_carried_subject_keeps_an_intraday_time_unless_the_close_is_named(marked, expected):
    assert undated(claims_of(marked)) == expected
