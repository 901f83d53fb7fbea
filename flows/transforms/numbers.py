"""Numbers table: every numeric expression of every segment, in document coordinates."""

from __future__ import annotations

from operator import itemgetter

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from flows import schemas
from flows.number_grammar import grammar
from flows.numbers import recognize

COLUMNS = tuple(schemas.NUMBERS.names)
_RECORD_KEYS = COLUMNS[3:]  # start … role: what recognize() returns, besides the ids
_START_END = itemgetter("start", "end")
_SUFFIXES = tuple(f"/n{k:02d}" for k in range(100))  # number_id = segment_id + suffix


def extract_numbers(segments: pd.DataFrame) -> pd.DataFrame:
    """One row per numeric expression, `number_id` = f"{segment_id}/n{k:02d}" in start order."""
    records, ids = [], {"number_id": [], "doc_id": [], "segment_id": []}
    number_ids, doc_ids, segment_ids = ids["number_id"], ids["doc_id"], ids["segment_id"]
    columns = (segments[name].tolist() for name in ("segment_id", "doc_id", "start", "text"))
    for segment_id, doc_id, offset, text, candidate in zip(
        *columns, has_candidates(segments["text"]), strict=True
    ):
        if not candidate:  # no character a figure starts with: recognize() would find none
            continue
        found = recognize(text)
        if not found:
            continue
        if len(found) > 1:
            found.sort(key=_START_END)
        shift = int(offset)
        for record in found:
            record["start"] += shift
            record["end"] += shift
        count = len(found)
        suffixes = _SUFFIXES if count <= len(_SUFFIXES) else _suffixes(count)
        number_ids += [segment_id + suffix for suffix in suffixes[:count]]
        doc_ids += [doc_id] * count
        segment_ids += [segment_id] * count
        records += found
    rows = map(itemgetter(*_RECORD_KEYS), records)  # one C pass, then a transpose
    values = zip(*rows, strict=True) if records else ([] for _ in _RECORD_KEYS)
    return columns_to_frame(ids | dict(zip(_RECORD_KEYS, map(list, values), strict=True)))


def has_candidates(texts: pd.Series) -> list[bool]:
    """Per text, whether it holds an anchor character at all: one vectorised RE2 pass."""
    if texts.empty:
        return []
    found = pc.match_substring_regex(pa.array(texts, type=pa.string()), grammar().anchor.pattern)
    return found.fill_null(False).to_pylist()


def columns_to_frame(columns: dict[str, list]) -> pd.DataFrame:
    """Column lists in `schemas.NUMBERS` order → a frame with the schema's dtypes (even empty)."""
    table = pa.Table.from_pydict(columns, schema=schemas.NUMBERS)
    return table.to_pandas(types_mapper=_dtype)


def _suffixes(count: int) -> list[str]:
    return [f"/n{k:02d}" for k in range(count)]


def _dtype(arrow_type: pa.DataType):
    """Nullable pandas dtypes, so missing bounds stay <NA> and int columns stay integers."""
    if pa.types.is_string(arrow_type):
        return pd.StringDtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    if pa.types.is_int32(arrow_type):
        return pd.Int32Dtype()
    if pa.types.is_floating(arrow_type):
        return pd.Float64Dtype()
    return None
