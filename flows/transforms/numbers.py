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
    rows = []
    for segment_id, doc_id, offset, text in zip(
        segments["segment_id"], segments["doc_id"], segments["start"], segments["text"],
        strict=True,
    ):  # fmt: skip
        records = sorted(recognize(text), key=lambda r: (r["start"], r["end"]))
        for k, record in enumerate(records):
            row = {key: record[key] for key in _RECORD_KEYS}
            row["start"] += int(offset)
            row["end"] += int(offset)
            rows.append((f"{segment_id}/n{k:02d}", doc_id, segment_id, *row.values()))
    return records_to_frame(rows)


def records_to_frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows in `schemas.NUMBERS` column order → a frame with the schema's dtypes (even empty)."""
    table = pa.Table.from_pylist(
        [dict(zip(COLUMNS, row, strict=True)) for row in rows], schema=schemas.NUMBERS
    )
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
