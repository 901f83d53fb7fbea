"""Integrity frames (pure, no GX): references, offsets, schema types, manifest facts."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from flows import integrity, release, schemas
from tests.fixtures_release import build_sample_tables


def test_reference_frame_marks_only_dangling_values():
    tables = build_sample_tables()
    tables["numbers"].loc[0, "segment_id"] = "news/001#p000s009"
    frame = integrity.build_reference_frame(tables)
    dangling = frame.dropna(subset=["dangling"])
    assert dangling[["reference", "row_id", "dangling"]].values.tolist() == [
        ["numbers.segment_id", tables["numbers"].loc[0, "number_id"], "news/001#p000s009"]
    ]
    references = {f"{t}.{c}" for t, c, _, _ in integrity.REFERENCES}
    prefixes = {f"{t}.{c}#" for t, c in integrity.ID_PREFIXES}
    assert set(frame["reference"]) == references | prefixes


def test_id_prefix_rows_name_ids_outside_their_document():
    tables = build_sample_tables()
    number_id = tables["numbers"].loc[0, "number_id"]
    tables["numbers"].loc[0, "doc_id"] = "news/0"  # a prefix of the id's document, not it
    frame = integrity.build_reference_frame(tables)
    rows = frame[frame["reference"] == "numbers.number_id#"]
    assert len(rows) == len(tables["numbers"])
    assert rows["dangling"].dropna().tolist() == [number_id]


def test_reference_frame_compares_ids_even_when_a_type_drifted():
    tables = build_sample_tables()
    tables["claims"]["number_id"] = pd.Series([1, 2, 3])
    frame = integrity.build_reference_frame(tables)
    rows = frame[frame["reference"] == "claims.number_id"]
    assert rows["dangling"].tolist() == ["1", "2", "3"]


def test_offsets_count_characters_not_bytes():
    text = "标普😀下跌1.5%。"
    start = text.index("1.5%")
    tables = _span_tables(text, start, start + 4, "1.5%")
    frame = integrity.build_offset_frame(tables)
    row = frame[frame["table"] == "numbers"].iloc[0]
    assert row["document_slice"] == row["text"] == "1.5%"
    assert row["document_length"] == len(text) == 10


def test_offsets_out_of_range_give_a_short_slice_and_the_length():
    text = "短文。"
    frame = integrity.build_offset_frame(_span_tables(text, 2, 9, "文。xx"))
    row = frame[frame["table"] == "numbers"].iloc[0]
    assert (row["document_slice"], row["document_length"], row["end"]) == ("。", 3, 9)


def test_documents_row_checks_n_chars():
    tables = _span_tables("一二三。", 0, 1, "一")
    tables["documents"].loc[0, "n_chars"] = 2
    row = integrity.build_offset_frame(tables).iloc[0]
    assert row["table"] == "documents" and row["document_slice"] != row["text"]


@given(
    text=st.text(min_size=1, max_size=40),
    bounds=st.tuples(st.integers(0, 45), st.integers(0, 45)),
)
def test_offset_slice_is_python_slicing(text, bounds):
    start, end = sorted(bounds)
    tables = _span_tables(text, start, end, text[start:end])
    row = integrity.build_offset_frame(tables).iloc[-1]
    assert row["document_slice"] == text[start:end] == row["text"]
    assert row["document_length"] == len(text)


def test_schema_frame_ignores_list_field_names_and_flags_drift():
    file_schemas = {name: spec.schema for name, spec in schemas.TABLES.items()}
    segments = file_schemas["segments"]
    index = segments.get_field_index("topics")
    file_schemas["segments"] = segments.set(
        index, pa.field("topics", pa.list_(pa.field("element", pa.string())))
    )
    file_schemas["claims"] = file_schemas["claims"].remove(0)
    manifest = {"tables": {}}
    frame = integrity.build_schema_frame(file_schemas, manifest)
    drift = frame[frame["observed_type"] != frame["expected_type"]]
    assert drift[["table", "column", "observed_type"]].values.tolist() == [
        ["claims", "claim_id", integrity.MISSING_TYPE]
    ]


def test_manifest_frame_recomputes_the_content_hash():
    files = {"claims": {"sha256": "a" * 64, "bytes": 10, "rows": 2}}
    manifest = {"tables": files, "content_hash": release.content_hash(files)}
    frame = integrity.build_manifest_frame(manifest, files)
    assert (frame["manifest_sha256"] == frame["file_sha256"]).all()
    stale = integrity.build_manifest_frame({**manifest, "content_hash": "0" * 64}, files)
    assert stale.iloc[-1]["table"] == integrity.CONTENT_HASH_ROW
    assert stale.iloc[-1]["manifest_sha256"] != stale.iloc[-1]["file_sha256"]


def _span_tables(text: str, start: int, end: int, span_text: str) -> dict[str, pd.DataFrame]:
    """Minimal tables: one document and one number span (other span tables empty)."""
    empty = {name: pd.DataFrame(columns=spec.schema.names) for name, spec in schemas.TABLES.items()}
    documents = pd.DataFrame([{"doc_id": "d", "text": text, "n_chars": len(text)}])
    numbers = pd.DataFrame(
        [{"number_id": "d#p000s000/n00", "doc_id": "d", "start": start, "end": end,
          "text": span_text}]
    )  # fmt: skip
    return {**empty, "documents": documents, "numbers": numbers}
