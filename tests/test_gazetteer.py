"""Gazetteer coverage of large A-share, Hong Kong and US names, full names with a middle dot,
and Chinese aliases that are words of their neighbours rather than names."""

from __future__ import annotations

import pytest

from flows.gazetteer import load_gazetteer
from tests.test_label import mentions_of


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("五粮液收涨1%，招商银行跌2%。", [("五粮液", "wuliangye"), ("招商银行", "cmb")]),
        ("腾讯控股与美团点评走低。", [("腾讯控股", "tencent"), ("美团点评", "meituan")]),
        ("上证50与中证1000分化。", [("上证50", "000016.SS"), ("中证1000", "000852.SS")]),
        ("台湾加权指数收跌。", [("台湾加权指数", "^TWII")]),
        ("礼来和沃尔玛创新高。", [("礼来", "LLY"), ("沃尔玛", "WMT")]),
        ("汇丰与港交所上涨。", [("汇丰", "HSBC"), ("港交所", "hkex")]),
        ("据彭博社报道，证监会表示。", [("彭博社", "bloomberg"), ("证监会", "csrc")]),
        ("美光科技(Micron)跌11%。", [("美光科技", "MU"), ("Micron", "MU")]),  # the longest
    ],
)
def test_large_market_names_are_covered(gazetteer, text, expected):
    assert mentions_of(gazetteer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("萨提亚·纳德拉称赞了它。", [("萨提亚·纳德拉", "satya-nadella")]),
        ("马克•扎克伯格回应。", [("马克•扎克伯格", "mark-zuckerberg")]),  # another dot
        ("山姆·奥特曼发文。", [("山姆·奥特曼", "sam-altman")]),
        ("杰夫·贝佐斯和贝佐斯", [("杰夫·贝佐斯", "jeff-bezos"), ("贝佐斯", "jeff-bezos")]),
    ],
)
def test_a_full_name_with_a_middle_dot_is_one_mention(gazetteer, text, expected):
    assert mentions_of(gazetteer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("腾讯音乐跌1%。", [("腾讯音乐", "TME")]),
        ("京东物流跌3%。", [("京东物流", "jd-logistics")]),
        ("阿里健康涨5%。", [("阿里健康", "alibaba-health")]),
        ("比亚迪电子涨2%。", [("比亚迪电子", "byd-electronic")]),
        ("香港证监会发文。", [("香港证监会", "hk-sfc")]),
    ],
)
def test_a_subsidiary_or_namesake_is_not_its_parent(gazetteer, text, expected):
    assert mentions_of(gazetteer, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "据报道指出，风险上升。",  # 报道|指出 holds no 道指
        "央行将提高通胀目标。",  # 提高|通胀, no 高通
        "这是一支完美团队。",  # 完美|团队, no 美团
        "请加快手续办理。",  # 加快|手续, no 快手
        "他住在北京东路。",  # 北京|东路, no 京东
        "要学会反思科技的代价。",  # 反思|科技, no 思科
    ],
)
def test_an_alias_across_two_words_is_no_mention(gazetteer, text):
    assert mentions_of(gazetteer, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("周一道指下跌1%。", [("道指", "^DJI")]),  # 一道 is a word, 指下 is not
        ("昨日美团股价大涨。", [("美团", "meituan")]),
        ("在美国上市。", [("美国", "united-states")]),
    ],
)
def test_an_alias_after_a_word_ending_in_its_first_character_still_counts(
    gazetteer, text, expected
):
    assert mentions_of(gazetteer, text) == expected


def test_a_short_form_that_opens_a_longer_word_is_no_mention(gazetteer):
    text = "小米集团发布财报。苹果公司也是。早饭是小米粥和苹果汁。小米股价涨了。"
    assert mentions_of(gazetteer, text) == [
        ("小米集团", "xiaomi"),
        ("苹果公司", "AAPL"),
        ("小米", "xiaomi"),
    ]
