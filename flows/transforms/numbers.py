"""Numbers table: every numeric expression of every segment, in document coordinates."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from flows import schemas
from flows.numbers import recognize

COLUMNS = tuple(schemas.NUMBERS.names)
_RECORD_KEYS = COLUMNS[3:]  # start … role: what recognize() returns, besides the ids


def extract_numbers(segments: pd.DataFrame) -> pd.DataFrame:
    """One row per numeric expression, `number_id` = f"{segment_id}/n{k:02d}" in start order."""
    records, ids = [], {"number_id": [], "doc_id": [], "segment_id": []}
    columns = (segments[name].tolist() for name in ("segment_id", "doc_id", "start", "text"))
    for segment_id, doc_id, offset, text in zip(*columns, strict=True):
        found = sorted(recognize(text), key=lambda r: (r["start"], r["end"]))
        shift = int(offset)
        for k, record in enumerate(found):
            record["start"] += shift
            record["end"] += shift
            ids["number_id"].append(f"{segment_id}/n{k:02d}")
        ids["doc_id"] += [doc_id] * len(found)
        ids["segment_id"] += [segment_id] * len(found)
        records += found
    return columns_to_frame(ids | {key: [r[key] for r in records] for key in _RECORD_KEYS})


def columns_to_frame(columns: dict[str, list]) -> pd.DataFrame:
    """Column lists in `schemas.NUMBERS` order → a frame with the schema's dtypes (even empty)."""
    table = pa.Table.from_pydict(columns, schema=schemas.NUMBERS)
    return table.to_pandas(types_mapper=_dtype)


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
