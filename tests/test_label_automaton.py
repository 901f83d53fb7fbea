"""The Aho-Corasick alias scan finds what the trie regex finds, also where it must hand over."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.transforms.alias_automaton import compile_matcher, find_aliases
from flows.transforms.alias_trie import compile_aliases

ALIASES = [
    ("AI", True),
    ("Deep Seek", False),
    ("DeepSeek", False),
    ("Dow", True),
    ("Dow Jones", False),
    ("Dow Jones Industrial Average", False),
    ("META", True),
    ("Meta", True),
    ("OpenAI", False),
    ("R1", True),
    ("S&P 500", False),
    ("埃隆·马斯克", False),
    ("英伟达", False),
    ("英伟达公司", False),
    ("黄", False),
    ("黄仁勋", False),
]
MEANINGS = [alias.replace(" ", "").lower() for alias, _ in ALIASES]


def by_automaton(*rows: str) -> list[tuple[int, int, str]]:
    matcher = compile_matcher(ALIASES, MEANINGS)
    corpus = "\n".join(rows)
    starts = np.cumsum([0] + [len(row) + 1 for row in rows[:-1]])
    found = find_aliases(matcher, corpus, starts)
    return [(start, end, MEANINGS[alias]) for start, end, alias in found.tolist()]


def by_regex(*rows: str) -> list[tuple[int, int, str]]:
    pattern, groups = compile_aliases(ALIASES)
    return [
        (m.start(), m.end(), MEANINGS[groups[m.lastgroup]])
        for m in pattern.finditer("\n".join(rows))
    ]


@pytest.mark.parametrize(
    "rows",
    [
        ("英伟达公司和英伟达都跌了", "黄仁勋说黄"),
        ("deepseek、DEEPSEEK、Deep  Seek 与 Deep\u3000Seek",),  # any case, any run of spaces
        ("META和Meta，但不是meta或MeTa",),  # case-sensitive spellings
        ("OpenAI不是AI，AIGC也不是", "R1和R12不同，xR1也不是"),  # word boundaries
        ("Dow Jones Industrial Averages跌了", "Dow Jonesy"),  # longest fails its boundary
        ("S&P500、S&P 500 和 S&P\t500", "埃隆马斯克、埃隆・马斯克、埃隆.马斯克"),
        ("", "没有别名", "\n"),
    ],
)
def test_automaton_agrees_with_the_regex(rows):
    assert by_automaton(*rows) == by_regex(*rows)


def test_shared_spelling_of_different_meanings_goes_to_the_regex():
    aliases = [("Apple", False), ("APPLE", True)]
    matcher = compile_matcher(aliases, ["fruit", "company"])
    corpus = "apple, Apple, APPLE"
    found = find_aliases(matcher, corpus, np.array([0]))
    pattern, groups = compile_aliases(aliases)
    expected = [(m.start(), m.end(), groups[m.lastgroup]) for m in pattern.finditer(corpus)]
    assert [tuple(row) for row in found.tolist()] == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.sampled_from(list("DeEpSsekOonAIiR1 \u3000·.&P50英伟达公司黄仁勋Mmtax")),
            max_size=30,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_automaton_agrees_with_the_regex_on_random_text(rows):
    rows = [row.replace("\n", "") for row in rows]
    assert by_automaton(*rows) == by_regex(*rows)
