"""extract_numbers: document offsets, stable ids, the NUMBERS schema, the empty frame."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from flows import schemas
from flows.number_anchors import anchor_positions
from flows.number_grammar import grammar
from flows.transforms.numbers import extract_numbers

DOCUMENT = "前言。纳指降了3.1%或612点，谷歌降4%。上万人围观。"


def _segments() -> pd.DataFrame:
    first, second = DOCUMENT.index("纳指"), DOCUMENT.index("上万")
    return pd.DataFrame(
        {
            "segment_id": ["blog/a#p000s001", "blog/a#p000s002"],
            "doc_id": ["blog/a", "blog/a"],
            "start": [first, second],
            "text": [DOCUMENT[first:second], DOCUMENT[second:]],
        }
    )


def test_rows_are_in_document_coordinates_with_stable_ids():
    numbers = extract_numbers(_segments())
    assert list(numbers.columns) == schemas.NUMBERS.names
    assert list(numbers["number_id"]) == [
        "blog/a#p000s001/n00",
        "blog/a#p000s001/n01",
        "blog/a#p000s001/n02",
        "blog/a#p000s002/n00",
    ]
    for row in numbers.itertuples():
        assert DOCUMENT[row.start : row.end] == row.text
    assert list(numbers["kind"]) == ["percent", "number", "percent", "range"]
    assert list(numbers["unit"].fillna("-")) == ["percent", "points", "percent", "-"]
    assert numbers.loc[3, "lower"] == 10000.0 and pd.isna(numbers.loc[3, "upper"])


def test_frame_fits_the_arrow_schema():
    numbers = extract_numbers(_segments())
    table = pa.Table.from_pandas(numbers, schema=schemas.NUMBERS, preserve_index=False)
    assert table.num_rows == 4


def test_empty_segments_give_an_empty_frame_with_the_schema():
    empty = extract_numbers(_segments().iloc[:0])
    assert empty.empty and list(empty.columns) == schemas.NUMBERS.names
    pa.Table.from_pandas(empty, schema=schemas.NUMBERS, preserve_index=False)


def test_id_columns_of_any_string_storage_give_the_same_frame():
    arrow_backed = _segments().astype({"segment_id": "str", "doc_id": "str"})
    plain = _segments().astype({"segment_id": object, "doc_id": object})
    pd.testing.assert_frame_equal(extract_numbers(arrow_backed), extract_numbers(plain))
    assert extract_numbers(plain)["doc_id"].tolist() == ["blog/a"] * 4


def test_same_input_same_output():
    pd.testing.assert_frame_equal(extract_numbers(_segments()), extract_numbers(_segments()))


ANCHOR_TEXTS = [
    "没有数字的句子。",
    "涨了３％",
    "价格＄５",
    "€ 和 £ 都是符号",
    "负债很高",
    "－",
    "点。",
    "🙂emoji 与 ABC 🙂3",
    "",
    "两家公司\n第二行 3 个",  # the separator the texts are joined with, inside a text
    "\ud83d孤立代理 5",  # a lone surrogate
    "第几",
    "上万",
    "",
    "打对折，对半，几个，几十，几 百，几\u3000亿，几\t万，"
    "半天，半百，半 折，.5，. ，-3，-o，−.5，GPT-4o，3.",
    "对",
    "几",
]


def test_anchor_positions_are_the_anchors_where_a_match_can_start():
    positions, bounds = anchor_positions(ANCHOR_TEXTS)
    assert len(bounds) == len(ANCHOR_TEXTS) + 1
    for index, text in enumerate(ANCHOR_TEXTS):
        kept = positions[bounds[index] : bounds[index + 1]]
        every = [found.start() for found in grammar().anchor.finditer(text)]
        assert set(kept) <= set(every) and kept == sorted(kept)
        for start in set(every) - set(kept):  # dropped: the pattern matches nothing there
            match = grammar().pattern.match(text, start)
            assert match is None or match.end() == start, (text, start)
    assert positions[bounds[0] : bounds[1]] == [] and positions[bounds[1] : bounds[2]] == [2]
    assert anchor_positions([]) == ([], [0])
    drops = ANCHOR_TEXTS[14]
    kept = positions[bounds[14] : bounds[15]]
    assert drops.index("对折") in kept and drops.index("对半") not in kept
    assert drops.index("几十") in kept and drops.index("几个") not in kept
    assert drops.index("-3") in kept and drops.index("-o") not in kept
    assert positions[bounds[15] : bounds[17]] == []  # 对, 几 at the end of their texts


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(list("对對折打个几幾十百亿半成.．-−－0５ a\n\t\u3000")), max_size=10)
)
def test_no_dropped_anchor_starts_a_match(chars):
    text = "".join(chars)
    positions, bounds = anchor_positions([text, text[::-1]])
    for index, sample in enumerate((text, text[::-1])):
        kept = set(positions[bounds[index] : bounds[index + 1]])
        for found in grammar().anchor.finditer(sample):
            match = grammar().pattern.match(sample, found.start())
            if found.start() not in kept:
                assert match is None or match.end() == found.start()


def test_no_anchor_character_lies_outside_the_basic_multilingual_plane():
    astral = "".join(map(chr, range(0x10000, 0x110000)))
    assert grammar().anchor.search(astral) is None


def test_a_missing_segment_text_has_no_numbers():
    segments = _segments()
    segments.loc[0, "text"] = None
    numbers = extract_numbers(segments)
    assert numbers["segment_id"].tolist() == ["blog/a#p000s002"]
