"""cn2an as an independent oracle: for integers (where its float path is still exact), our
exact numeral parser and cn2an's renderings must agree, in lower-case and financial forms."""

from __future__ import annotations

import cn2an
from hypothesis import given
from hypothesis import strategies as st

from flows.numbers import recognize
from flows.numerals import normalize, parse_numeral

# Below 2**53 cn2an's float arithmetic is exact for integers.
INTEGERS = st.integers(min_value=0, max_value=10**15 - 1)


@given(INTEGERS, st.sampled_from(["low", "up"]))
def test_cn2an_renderings_parse_back_exactly(n, mode):
    rendering = cn2an.an2cn(n, mode)
    parsed = parse_numeral(normalize(rendering))
    assert parsed is not None, rendering
    assert parsed.value == n, rendering


@given(st.integers(min_value=1, max_value=10**12))
def test_recognize_reads_cn2an_amounts_in_a_sentence(n):
    rendering = cn2an.an2cn(n, "low")
    text = f"该项目共投入{rendering}元。"
    money = [r for r in recognize(text) if r["kind"] == "currency"]
    assert len(money) == 1, (text, money)
    assert money[0]["value"] == float(n)
    assert money[0]["currency"] == "CNY"
    assert text[money[0]["start"] : money[0]["end"]] == money[0]["text"]
