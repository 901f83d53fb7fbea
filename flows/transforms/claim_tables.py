"""Table columns as plain Python lists, converted once per column rather than once per row."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_FLOATS = ("value", "lower", "upper", "decimals", "precision")
_STRINGS = ("number_id", "segment_id", "text", "kind", "unit", "currency", "role")


class Figure(NamedTuple):
    """A row of the numbers table (missing values None) and the row of its sentence."""

    number_id: str
    segment_id: str
    start: int
    end: int
    text: str
    kind: str
    value: float | None
    lower: float | None
    upper: float | None
    unit: str | None
    currency: str | None
    decimals: float | None
    is_approximate: bool
    role: str
    precision: float | None
    segment: int


def figures_of(numbers: pd.DataFrame, rows: np.ndarray, segments: np.ndarray) -> list[Figure]:
    """The numbers at positional `rows`, sorted by (sentence, start, end)."""
    starts = numbers["start"].to_numpy(dtype=np.int64)[rows]
    ends = numbers["end"].to_numpy(dtype=np.int64)[rows]
    order = np.lexsort((ends, starts, segments))
    rows, segments, starts, ends = rows[order], segments[order], starts[order], ends[order]
    column = {name: strings(numbers[name], rows) for name in _STRINGS}
    column |= {name: _floats(numbers, name, rows) for name in _FLOATS}
    approximate = numbers["is_approximate"].to_numpy(dtype=bool, na_value=False)[rows]
    return [
        Figure(*values)
        for values in zip(
            column["number_id"],
            column["segment_id"],
            starts.tolist(),
            ends.tolist(),
            column["text"],
            column["kind"],
            column["value"],
            column["lower"],
            column["upper"],
            column["unit"],
            column["currency"],
            column["decimals"],
            approximate.tolist(),
            column["role"],
            column["precision"],
            segments.tolist(),
            strict=True,
        )
    ]


def strings(values: pd.Series, rows: np.ndarray) -> list[str | None]:
    """values[rows] as Python strings, missing values as None."""
    array = pa.array(values, from_pandas=True)
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    return array.take(pa.array(rows, type=pa.int64())).to_pylist()


def index_in(values: pd.Series, keys: pa.Array) -> np.ndarray:
    """Position of each value in `keys`, -1 where absent (a vectorised dict lookup)."""
    array = pa.array(values, from_pandas=True)
    if len(array) == 0:
        return np.zeros(0, dtype=np.int64)
    found = pc.index_in(array.cast(keys.type), value_set=keys)
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def locate(keys: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Row of the last key at or before each point (keys sorted), -1 before the first."""
    return np.searchsorted(keys, points, side="right") - 1


def _floats(numbers: pd.DataFrame, name: str, rows: np.ndarray) -> list[float | None]:
    if name not in numbers:
        return [None] * len(rows)
    values = pd.to_numeric(numbers[name]).to_numpy(dtype=np.float64, na_value=np.nan)[rows]
    return [None if value != value else value for value in values.tolist()]
