"""The short path of cached figures gives the records the full context pass gives."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows import numbers
from flows.number_fast import _context_characters
from flows.numbers import recognize

PIECES = (
    "3", "12", "0.5", "2,000", "一", "两", "十", "五", "陆", "万", "亿", "几", "半", "多",
    "%", "个", "年", "月", "日", "点", "元", "美元", "人民币", "亿美元", "块", "倍", "以上",
    "左右", "超过", "超过了", "了", "降了", "是", "至少是", "至少", "约", "近", "将近", "第",
    "比", "大", "不到", "到", "和", "之间", "从", "唯", "的", "我", "观", "源", "叫", "之",
    "G", "D", "R", "o", "-", "_", "+", "＋", " ", "\u3000", "晚上", "月份", "一些", "一切",
    "五角大楼", "从0到1", "，", "。", "13800138000", "007", "US$", "$", "¥",
    "周", "星期", "每", "沪深", "300", "(", ")", "（", ".HK", "订单号", "iPhone", "600519", "2025",
)  # fmt: skip


def _without_short_path(text: str) -> list[dict]:
    with mock.patch.object(numbers, "fast_record", lambda entry, text, start: None):
        return recognize(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_the_short_path_changes_no_record(text):
    assert recognize(text) == _without_short_path(text)


@pytest.mark.parametrize(
    ("text", "kind", "role", "span"),
    [
        ("纳指降了3.1%。", "percent", "quantity", "3.1%"),
        ("涨幅超过了30%。", "range", "quantity", "超过了30%"),
        ("利润至少是5亿美元", "range", "quantity", "至少是5亿美元"),
        ("这是唯一的办法", None, None, None),
        ("我一直看好", None, None, None),  # 一直: a set phrase, no number
        ("他有一台电脑", "number", "quantity", "一"),
        ("买了三台", "number", "quantity", "三"),  # 了 ends 超过了, but 买了 is no prefix
        ("网络从五G到六G", "number", "identifier", "五G"),
        ("拨打+86的号码", "number", "identifier", "+86"),
        ("共人民币 50元", "currency", "quantity", "人民币 50元"),
        ("他说第3次", "number", "ordinal", "3"),
        ("订单号13800138000", "number", "identifier", "13800138000"),
    ],
)
def test_context_still_decides_on_cached_figures(text, kind, role, span):
    for _ in range(2):  # the second call reads the cached figure
        found = recognize(text)
        first = found[0] if found else None
        if kind is None:
            assert first is None or first["role"] != "quantity"
        else:
            assert (first["kind"], first["role"], first["text"]) == (kind, role, span)
        assert found == _without_short_path(text)


def test_only_prefix_word_endings_send_a_figure_the_long_way():
    triggers, prefix_ends, prefix_pairs = _context_characters()
    assert {"a", "Z", "-", "_", "+", " ", "约", "第", "元"} <= triggers
    assert "了" in prefix_ends and "过了" in prefix_pairs and " 了" in prefix_pairs
    assert "降了" not in prefix_pairs and "的" not in triggers | prefix_ends


@pytest.mark.parametrize("text", ["百百分之5", "千千分之2", "打一大百百分之一"])
def test_a_denominator_that_is_no_numeral_reads_no_percent(text):
    assert all(record["kind"] != "percent" for record in recognize(text))
