"""Derived integrity frames: cross-table, offset, schema and manifest facts GX can check as rows.

Great Expectations validates one DataFrame at a time and has no built-in for "this id exists
in another table" or "this span equals a slice of that document". Each function here turns
such a fact into a plain row per checked item, so an ordinary GX expectation (a null check,
a column-pair equality) guards it and reports the offending rows as its unexpected values.
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from flows import release, schemas

# (table, column, target table, target column): every value of the first must exist in the second.
REFERENCES = (
    ("segments", "doc_id", "documents", "doc_id"),
    ("mentions", "doc_id", "documents", "doc_id"),
    ("mentions", "segment_id", "segments", "segment_id"),
    ("numbers", "doc_id", "documents", "doc_id"),
    ("numbers", "segment_id", "segments", "segment_id"),
    ("claims", "doc_id", "documents", "doc_id"),
    ("claims", "segment_id", "segments", "segment_id"),
    ("claims", "number_id", "numbers", "number_id"),
)
# (table, id column): each id must begin with its own row's `doc_id` and "#" (schemas.py). Rows
# with equal ids therefore share a document, so chunked validation checks uniqueness per chunk.
ID_PREFIXES = (
    ("segments", "segment_id"),
    ("mentions", "mention_id"),
    ("numbers", "number_id"),
    ("claims", "claim_id"),
)
# Tables whose rows are spans `[start, end)` of `documents.text`, plus documents themselves
# (the whole text as the span `[0, n_chars)`, which checks n_chars == len(text)).
SPAN_TABLES = ("documents", "segments", "mentions", "numbers", "claims")
MISSING_TYPE = "(missing)"
_REFERENCE_COLUMNS = ["reference", "table", "row_id", "target", "dangling"]
CONTENT_HASH_ROW = "(content_hash)"
_LIST_FIELD_NAME = re.compile(r"list<\w+: ")


def reference_key(table: str, column: str) -> str:
    """The label of one reference check, e.g. `claims.segment_id`."""
    return f"{table}.{column}"


def id_prefix_key(table: str, column: str) -> str:
    """The label of one id-prefix check, e.g. `mentions.mention_id#`."""
    return f"{table}.{column}#"


def build_reference_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per foreign-key value; `dangling` holds the value when its target is missing.

    Each id of `ID_PREFIXES` is a reference too, to its own row's document: `dangling` holds
    the id when it does not begin with the row's doc_id and "#". A reference whose columns
    are absent is skipped: the table suite already fails on them.
    """
    parts = []
    for table, column, target_table, target_column in REFERENCES:
        key = _row_id_column(table)
        if not (_has(tables, table, column, key) and _has(tables, target_table, target_column)):
            continue
        source = tables[table]
        known = _as_text_array(tables[target_table][target_column])
        values = _as_text_array(source[column])
        is_found = pc.fill_null(pc.is_in(values, value_set=known), False)
        parts.append(
            _reference_part(
                reference_key(table, column), table, _as_text_array(source[key]), values, is_found
            )
        )
    for table, column in ID_PREFIXES:
        if _has(tables, table, column, "doc_id"):
            source = tables[table]
            ids, doc_ids = _as_text_array(source[column]), _as_text_array(source["doc_id"])
            named = pc.replace_substring_regex(ids, pattern="#[^#]*$", replacement="")
            agrees = pc.and_(pc.match_substring(ids, "#"), pc.equal(named, doc_ids))
            key = id_prefix_key(table, column)
            holds = pc.fill_null(agrees, False)
            parts.append(_reference_part(key, table, ids, ids, holds, target=doc_ids))
    if not parts:
        return _concat([], _REFERENCE_COLUMNS)
    return pa.concat_tables(parts).to_pandas(types_mapper=pd.ArrowDtype)


def build_offset_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per span: its bounds, its document's length, its text and the document slice."""
    documents = tables["documents"]
    texts = {}
    if _has(tables, "documents", "doc_id", "text"):
        texts = dict(zip(_as_list(documents["doc_id"]), _as_list(documents["text"]), strict=True))
    parts = []
    for table in SPAN_TABLES:
        bounds = ("n_chars",) if table == "documents" else ("start", "end")
        if not _has(tables, table, _row_id_column(table), "doc_id", "text", *bounds):
            continue
        frame = tables[table]
        if table == "documents":
            starts, ends = [0] * len(frame), _as_list(frame["n_chars"])
        else:
            starts, ends = _as_list(frame["start"]), _as_list(frame["end"])
        doc_ids = _as_list(frame["doc_id"])
        document_texts = [texts.get(doc_id) for doc_id in doc_ids]
        parts.append(
            pd.DataFrame(
                {
                    "table": table,
                    "row_id": _as_list(frame[_row_id_column(table)]),
                    "start": starts,
                    "end": ends,
                    "document_length": [_length(text) for text in document_texts],
                    "text": _as_list(frame["text"]),
                    "document_slice": [
                        _slice(text, start, end)
                        for text, start, end in zip(document_texts, starts, ends, strict=True)
                    ],
                },
                dtype=object,
            )
        )
    columns = ["table", "row_id", "start", "end", "document_length", "text", "document_slice"]
    return _concat(parts, columns)


def build_schema_frame(file_schemas: dict[str, pa.Schema], manifest: dict) -> pd.DataFrame:
    """One row per (table, column): the contract's type, the Parquet file's, the manifest's."""
    rows = []
    entries = manifest.get("tables", {})
    for table, spec in schemas.TABLES.items():
        observed = _types_by_name(file_schemas.get(table))
        declared = {
            column["name"]: type_name(column["type"])
            for column in entries.get(table, {}).get("columns", [])
        }
        expected = {field.name: type_name(field.type) for field in spec.schema}
        for name in [*expected, *(n for n in observed if n not in expected)]:
            rows.append(
                {
                    "table": table,
                    "column": name,
                    "expected_type": expected.get(name, MISSING_TYPE),
                    "observed_type": observed.get(name, MISSING_TYPE),
                    "manifest_type": declared.get(name, MISSING_TYPE),
                }
            )
    return pd.DataFrame(
        rows, columns=["table", "column", "expected_type", "observed_type", "manifest_type"]
    )


def build_manifest_frame(manifest: dict, files: dict[str, dict]) -> pd.DataFrame:
    """One row per table: what the manifest says of its file next to what the file is.

    `files` maps table → {"sha256", "bytes", "rows"} measured on disk by the caller. A last
    row compares the manifest's content hash with the hash of the measured checksums.
    """
    entries = manifest.get("tables", {})
    rows = []
    for table in sorted(set(entries) | set(files)):
        entry, observed = entries.get(table, {}), files.get(table, {})
        rows.append(
            {
                "table": table,
                "manifest_sha256": entry.get("sha256", MISSING_TYPE),
                "file_sha256": observed.get("sha256", MISSING_TYPE),
                "manifest_bytes": entry.get("bytes", -1),
                "file_bytes": observed.get("bytes", -1),
                "manifest_rows": entry.get("rows", -1),
                "file_rows": observed.get("rows", -1),
            }
        )
    rows.append(
        {
            "table": CONTENT_HASH_ROW,
            "manifest_sha256": manifest.get("content_hash", MISSING_TYPE),
            "file_sha256": release.content_hash(files),
            "manifest_bytes": 0,
            "file_bytes": 0,
            "manifest_rows": 0,
            "file_rows": 0,
        }
    )
    return pd.DataFrame(rows)


def type_name(arrow_type: pa.DataType | str) -> str:
    """A type's text without list field names: Parquet renames `item` to `element`."""
    return _LIST_FIELD_NAME.sub("list<", str(arrow_type))


def _reference_part(
    reference: str,
    table: str,
    row_ids: pa.Array,
    values: pa.Array,
    holds: pa.Array,
    target: pa.Array | None = None,
) -> pa.Table:
    """Rows of one check: `dangling` is the checked value where the check does not hold."""
    labels = pa.nulls(len(values), pa.string())
    return pa.table(
        {
            "reference": labels.fill_null(reference),
            "table": labels.fill_null(table),
            "row_id": row_ids,
            "target": values if target is None else target,
            "dangling": pc.if_else(holds, pa.scalar(None, pa.string()), values),
        }
    )


def _row_id_column(table: str) -> str:
    return schemas.TABLES[table].primary_key[0]


def _as_list(series: pd.Series) -> list:
    """Python values with None for missing ones, whatever the Series' dtype (fast via Arrow)."""
    return pa.Array.from_pandas(series).to_pylist()


def _as_text_array(series: pd.Series) -> pa.Array:
    """One contiguous Arrow string array, so ids compare even if a column's type drifted."""
    array = pa.Array.from_pandas(series)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array if pa.types.is_string(array.type) else pc.cast(array, pa.string())


def _length(text: str | None) -> int | None:
    return None if text is None else len(text)


def _slice(text: str | None, start: object, end: object) -> str | None:
    """The document's characters [start, end), or None when a bound is missing or not a number."""
    if text is None or start is None or end is None:
        return None
    try:
        return text[int(start) : int(end)]
    except (TypeError, ValueError):
        return None


def _has(tables: dict[str, pd.DataFrame], table: str, *columns: str) -> bool:
    return table in tables and all(column in tables[table].columns for column in columns)


def _types_by_name(schema: pa.Schema | None) -> dict[str, str]:
    return {} if schema is None else {field.name: type_name(field.type) for field in schema}


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [part for part in parts if len(part)]
    if not frames:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})
    return pd.concat(frames, ignore_index=True)[columns]
