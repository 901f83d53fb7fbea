"""extract_numbers: document offsets, stable ids, the NUMBERS schema, the empty frame."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from flows import schemas
from flows.number_grammar import grammar
from flows.numbers import recognize
from flows.transforms.numbers import extract_numbers, has_candidates

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


def test_the_vectorised_prefilter_agrees_with_the_anchor_regex():
    texts = [
        "没有数字的句子。",
        "涨了３％",
        "价格＄５",
        "€ 和 £ 都是符号",
        "负债很高",
        "－",
        "点。",
        "🙂emoji 与 ABC",
        "",
        "两家公司",
        "第几",
        "上万",
    ]
    flags = has_candidates(pd.Series(texts, dtype="str"))
    assert flags == [grammar().anchor.search(text) is not None for text in texts]
    assert all(recognize(text) == [] for text, flag in zip(texts, flags, strict=True) if not flag)
    assert flags[0] is False and flags[1] is True
