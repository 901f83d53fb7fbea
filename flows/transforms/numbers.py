"""Numbers table: every numeric expression of every segment, in document coordinates."""

from __future__ import annotations

from operator import itemgetter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from flows import schemas
from flows.number_anchors import anchor_positions
from flows.numbers import recognize_at

COLUMNS = tuple(schemas.NUMBERS.names)
_RECORD_SCHEMA = pa.schema(schemas.NUMBERS.field(name) for name in COLUMNS[3:])  # start … role
_START_END = itemgetter("start", "end")


def extract_numbers(segments: pd.DataFrame) -> pd.DataFrame:
    """One row per numeric expression, `number_id` = f"{segment_id}/n{k:02d}" in start order."""
    records: list[dict] = []
    owners, counts = [], []  # per segment with records: its row, how many records
    texts = segments["text"].fillna("").tolist()
    positions, bounds = anchor_positions(texts)
    # Only segments with an anchor character: recognize() would find nothing in the others.
    for row in np.flatnonzero(np.diff(bounds)).tolist():
        found = recognize_at(texts[row], positions[bounds[row] : bounds[row + 1]])
        if not found:
            continue
        if len(found) > 1:
            found.sort(key=_START_END)
        owners.append(row)
        counts.append(len(found))
        records += found
    return _numbers_frame(segments, records, owners, counts)


def columns_to_frame(columns: dict[str, list]) -> pd.DataFrame:
    """Column lists in `schemas.NUMBERS` order → a frame with the schema's dtypes (even empty)."""
    table = pa.Table.from_pydict(columns, schema=schemas.NUMBERS)
    return table.to_pandas(types_mapper=_dtype)


def _numbers_frame(
    segments: pd.DataFrame, records: list[dict], owners: list[int], counts: list[int]
) -> pd.DataFrame:
    """The records (segment coordinates) in document coordinates, with their three ids."""
    table = pa.Table.from_pylist(records, schema=_RECORD_SCHEMA)  # one C pass over the dicts
    owner = np.repeat(np.asarray(owners, dtype=np.int64), counts)  # each record's segment row
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts).astype(np.int64)
    offsets = segments["start"].to_numpy(dtype=np.int64)[owner]
    segment_ids = _strings(segments["segment_id"]).take(owner)
    suffixes = pa.array([f"/n{k:02d}" for k in range(max(counts, default=0))], type=pa.string())
    columns = {
        "number_id": pc.binary_join_element_wise(segment_ids, suffixes.take(rank), ""),
        "doc_id": _strings(segments["doc_id"]).take(owner),
        "segment_id": segment_ids,
    }
    for name in ("start", "end"):
        shifted = table.column(name).to_numpy().astype(np.int64) + offsets
        columns[name] = pa.array(shifted, type=pa.int32())
    for name in COLUMNS[5:]:
        columns[name] = table.column(name)
    return columns_to_frame(columns)


def _strings(column: pd.Series) -> pa.Array:
    """A string column as an Arrow string array: Arrow-backed columns are not copied to Python."""
    return pa.array(column, from_pandas=True).cast(pa.string())


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
