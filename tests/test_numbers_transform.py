"""extract_numbers: document offsets, stable ids, the NUMBERS schema, the empty frame."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

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


def test_same_input_same_output():
    pd.testing.assert_frame_equal(extract_numbers(_segments()), extract_numbers(_segments()))


def test_anchor_positions_are_those_of_the_anchor_regex_in_each_text():
    texts = [
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
    ]
    positions, bounds = anchor_positions(texts)
    assert len(bounds) == len(texts) + 1
    for index, text in enumerate(texts):
        expected = [found.start() for found in grammar().anchor.finditer(text)]
        assert positions[bounds[index] : bounds[index + 1]] == expected
    assert positions[bounds[0] : bounds[1]] == [] and positions[bounds[1] : bounds[2]] == [2]
    assert anchor_positions([]) == ([], [0])


def test_no_anchor_character_lies_outside_the_basic_multilingual_plane():
    astral = "".join(map(chr, range(0x10000, 0x110000)))
    assert grammar().anchor.search(astral) is None


def test_a_missing_segment_text_has_no_numbers():
    segments = _segments()
    segments.loc[0, "text"] = None
    numbers = extract_numbers(segments)
    assert numbers["segment_id"].tolist() == ["blog/a#p000s002"]
