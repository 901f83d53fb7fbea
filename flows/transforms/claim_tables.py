"""Table columns as plain Python lists, converted once per column rather than once per row."""

from __future__ import annotations

import datetime as dt
import math
from functools import partial
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

DOC_SHIFT = 32  # rows are located by (document, offset) packed into one int64 key
_FLOATS = ("value", "lower", "upper", "decimals", "precision")
_FLAGS = ("lower_closed", "upper_closed")
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
    lower_closed: bool | None
    upper_closed: bool | None
    unit: str | None
    currency: str | None
    decimals: float | None
    is_approximate: bool
    role: str
    precision: float | None
    segment: int


# Figure from a row tuple without a Python-level __new__ call per figure (C only).
_NEW_FIGURE = partial(tuple.__new__, Figure)


class Entity(NamedTuple):
    """A mention, or a pronoun (entity_id None) that stands for an earlier mention."""

    start: int
    end: int
    entity_id: str | None
    types: frozenset[str]


# Entity from a row tuple without a Python-level __new__ call per mention (C only).
new_entity = partial(tuple.__new__, Entity)


class FigureRows(NamedTuple):
    """Figures as columns: positional rows of the numbers table, sentence rows, start, end."""

    rows: np.ndarray
    segments: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


def figure_rows(numbers: pd.DataFrame, rows: np.ndarray, segments: np.ndarray) -> FigureRows:
    """The numbers at positional `rows` (in sentence row `segments`), by (sentence, start, end)."""
    starts = numbers["start"].to_numpy(dtype=np.int64)[rows]
    ends = numbers["end"].to_numpy(dtype=np.int64)[rows]
    order = np.lexsort((ends, starts, segments))
    return FigureRows(rows[order], segments[order], starts[order], ends[order])


def figures_of(numbers: pd.DataFrame, located: FigureRows) -> list[Figure]:
    """The figure_rows() as Figure tuples, in their order."""
    rows, segments, starts, ends = located
    column = {name: strings(numbers[name], rows) for name in _STRINGS}
    column |= {name: _floats(numbers, name, rows) for name in _FLOATS}
    column |= {name: _flags(numbers, name, rows) for name in _FLAGS}
    approximate = numbers["is_approximate"].to_numpy(dtype=bool, na_value=False)[rows]
    return list(
        map(
            _NEW_FIGURE,
            zip(
                column["number_id"],
                column["segment_id"],
                starts.tolist(),
                ends.tolist(),
                column["text"],
                column["kind"],
                column["value"],
                column["lower"],
                column["upper"],
                column["lower_closed"],
                column["upper_closed"],
                column["unit"],
                column["currency"],
                column["decimals"],
                approximate.tolist(),
                column["role"],
                column["precision"],
                segments.tolist(),
                strict=True,
            ),
        )
    )


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


def large_strings(values: pd.Series) -> pa.Array:
    """The column as a large_string array (nulls kept)."""
    return pa.array(values, from_pandas=True).cast(pa.large_string())


def coded(values: pd.Series) -> tuple[np.ndarray, list]:
    """(codes, distinct values) of a string column: values[i] is distinct[codes[i]]."""
    array = large_strings(values)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    encoded = pc.dictionary_encode(array, null_encoding="encode")
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, encoded.dictionary.to_pylist()


def offset_keys(doc, start) -> np.ndarray:
    """(document, offset) pairs packed into sortable int64 keys."""
    doc = np.asarray(doc, dtype=np.int64)
    return (doc << DOC_SHIFT) + np.asarray(start, dtype=np.int64)


def sorted_by_key(frame: pd.DataFrame, doc_ids: pa.Array) -> pd.DataFrame:
    """The frame in (document, start) order; unchanged when already sorted."""
    packed = offset_keys(
        index_in(frame["doc_id"], doc_ids), frame["start"].to_numpy(dtype=np.int64)
    )
    if len(packed) < 2 or bool(np.all(packed[1:] >= packed[:-1])):
        return frame
    return frame.iloc[np.argsort(packed, kind="stable")].reset_index(drop=True)


def paragraphs(segments: pd.DataFrame, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence row: the row that opens its paragraph; per opening row: the paragraph end."""
    paragraph = segments["paragraph"].to_numpy(dtype=np.int64)
    opens = np.ones(len(paragraph), dtype=bool)
    opens[1:] = (paragraph[1:] != paragraph[:-1]) | (docs[1:] != docs[:-1])
    first = np.flatnonzero(opens)
    of = np.repeat(first, np.diff(np.append(first, len(paragraph))))
    ends = np.zeros(len(paragraph), dtype=np.int64)
    if len(first):
        ends[first] = np.maximum.reduceat(segments["end"].to_numpy(dtype=np.int64), first)
    return of, ends


def number_spans(
    numbers: pd.DataFrame, doc_ids: pa.Array, excluded_role: str
) -> tuple[np.ndarray, np.ndarray]:
    """(start keys, end keys) of the numbers of any other role, sorted by start (offset_keys)."""
    other = (numbers["role"] != excluded_role).to_numpy(dtype=bool, na_value=True)
    docs = index_in(numbers["doc_id"], doc_ids)[other]
    starts = offset_keys(docs, numbers["start"].to_numpy(dtype=np.int64)[other])
    ends = offset_keys(docs, numbers["end"].to_numpy(dtype=np.int64)[other])
    order = np.argsort(starts, kind="stable")
    return starts[order], ends[order]


def objects(values: list) -> np.ndarray:
    """A one-dimensional object array of `values` (taken by integer codes at once)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def as_date(value) -> dt.date | None:
    """A published value (date, timestamp, ISO string or missing) as a date or None."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if not isinstance(value, str | dt.date) and pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _floats(numbers: pd.DataFrame, name: str, rows: np.ndarray) -> list[float | None]:
    if name not in numbers:
        return [None] * len(rows)
    values = pd.to_numeric(numbers[name]).to_numpy(dtype=np.float64, na_value=np.nan)[rows]
    return [None if value != value else value for value in values.tolist()]


def _flags(numbers: pd.DataFrame, name: str, rows: np.ndarray) -> list[bool | None]:
    if name not in numbers:
        return [None] * len(rows)
    array = pa.array(numbers[name], from_pandas=True)
    return array.take(pa.array(rows, type=pa.int64())).to_pylist()
