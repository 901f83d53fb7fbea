"""Chunk validation results cached by content; chunk boundaries that edits do not move."""

from __future__ import annotations

import pyarrow as pa
import pytest

from flows import release_chunks
from flows.release_chunks import chunk_starts
from flows.validate import validate_release, write_data_docs
from flows.validate_chunks import table_digest
from tests.fixtures_release import rewrite_table, set_column


def _chunks(ids: list[str], chunk_documents: int) -> list[tuple[str, ...]]:
    starts = set(chunk_starts(ids, chunk_documents))
    chunks: list[list[str]] = []
    for doc_id in ids:
        if not chunks or doc_id in starts:
            chunks.append([])
        chunks[-1].append(doc_id)
    return [tuple(chunk) for chunk in chunks]


IDS = [f"feed/{index:05d}" for index in range(3000)]


@pytest.mark.parametrize("chunk_documents", [1, 2, 7, 100, 1000])
def test_chunks_cover_every_id_once_and_respect_the_maximum(chunk_documents):
    chunks = _chunks(IDS, chunk_documents)
    assert [doc_id for chunk in chunks for doc_id in chunk] == IDS
    assert max(len(chunk) for chunk in chunks) <= chunk_documents
    if chunk_documents >= 100:  # content-defined: sizes vary, but not down to crumbs
        assert min(len(chunk) for chunk in chunks[:-1]) >= chunk_documents // 4


@pytest.mark.parametrize("where", [0, 1234, 2999])
def test_adding_or_removing_a_document_changes_few_chunks(where):
    before = _chunks(IDS, 100)
    added = _chunks(sorted([*IDS, IDS[where] + "-new"]), 100)
    removed = _chunks(IDS[:where] + IDS[where + 1 :], 100)
    for after in (added, removed):
        changed = set(before) ^ set(after)
        assert len(changed) <= 6, (where, len(before), len(changed))


def test_table_digest_depends_on_rows_not_on_memory_layout():
    table = pa.table({"doc_id": ["a", "b", "c", None], "value": [1.0, 2.5, None, 4.0]})
    rechunked = pa.concat_tables([table.slice(0, 1), table.slice(1, 2), table.slice(3)])
    assert rechunked.column("doc_id").num_chunks == 3
    assert table_digest(rechunked) == table_digest(table)
    changed = set_column(table, "value", [1.0, 2.5, None, 4.5])
    assert table_digest(changed) != table_digest(table)
    assert table_digest(table.slice(0, 3)) != table_digest(table)
    assert table_digest(table.slice(1)) == table_digest(pa.concat_tables([table.slice(1)]))


def test_table_digest_ignores_the_bytes_under_null_slots():
    """Arrow leaves the value under a null undefined: Parquet readers leave anything there."""
    values = pa.array([1.5, 7.0, 3.0], mask=[False, True, False])
    garbage = pa.Array.from_buffers(
        pa.float64(),
        3,
        [values.buffers()[0], pa.py_buffer(pa.array([1.5, 99.0, 3.0]).buffers()[1])],
    )
    assert garbage.to_pylist() == values.to_pylist() == [1.5, None, 3.0]
    words = pa.array(["a", None, "c"])
    lists = pa.array([["x"], None, []], type=pa.list_(pa.string()))
    first = pa.table({"value": values, "word": words, "tags": lists})
    second = pa.table({"value": garbage, "word": words, "tags": lists})
    assert table_digest(first) == table_digest(second)
    other = pa.table({"value": values, "word": pa.array(["a", None, "d"]), "tags": lists})
    assert table_digest(other) != table_digest(first)
    fewer_tags = pa.table({"value": values, "word": words, "tags": pa.array([["x"], None, None])})
    assert table_digest(fewer_tags) != table_digest(first)


def test_a_second_validation_takes_every_chunk_from_the_cache(good_release, tmp_path):
    cache_dir = tmp_path / "cache"
    first = validate_release(good_release, chunk_documents=1, cache_dir=cache_dir)
    second = validate_release(good_release, chunk_documents=1, cache_dir=cache_dir)
    assert first.success and first.chunks_validated >= 2 and first.chunks_from_cache == 0
    assert (second.chunks_validated, second.chunks_from_cache) == (0, first.chunks_validated)
    assert second.to_dict() == first.to_dict()
    index = write_data_docs(second, tmp_path / "docs")
    pages = list((tmp_path / "docs" / "validations").rglob("*.html"))
    assert index.is_file() and {page.parts[-4] for page in pages} >= {"claims", "segments"}
    # the chunks' results are merged: one result page per suite, whatever the chunks
    claims_pages = [page for page in pages if page.parts[-4] == "claims"]
    assert len(claims_pages) == 1


def test_a_changed_document_validates_its_chunk_again_and_its_failure_is_reported(
    good_release, tmp_path
):
    cache_dir = tmp_path / "cache"
    clean = validate_release(good_release, chunk_documents=1, cache_dir=cache_dir)

    def bad_verdict_in_second_document(table: pa.Table) -> pa.Table:
        verdicts, docs = table.column("verdict").to_pylist(), table.column("doc_id").to_pylist()
        verdicts[docs.index("news/002")] = "probably-true"
        index = table.schema.get_field_index("verdict")  # same field: only the rows change
        return table.set_column(index, table.schema.field(index), pa.array(verdicts))

    rewrite_table(good_release, "claims", bad_verdict_in_second_document)
    dirty = validate_release(good_release, chunk_documents=1, cache_dir=cache_dir)
    assert (dirty.chunks_validated, dirty.chunks_from_cache) == (1, clean.chunks_validated - 1)
    (failure,) = dirty.failures
    assert (failure.table, failure.column, failure.examples) == (
        "claims",
        "verdict",
        ("probably-true",),
    )
    uncached = validate_release(good_release, chunk_documents=1)
    assert dirty.to_dict() == uncached.to_dict()


def test_an_unreadable_cache_entry_is_a_miss(good_release, tmp_path):
    cache_dir = tmp_path / "cache"
    first = validate_release(good_release, chunk_documents=1, cache_dir=cache_dir)
    for text in ("{not json", '{"results": [["claims", "rows"]]}', '{"results": {}}'):
        for summary in (cache_dir / "validation").rglob("summary.json"):
            summary.write_text(text, encoding="utf-8")
        again = validate_release(good_release, chunk_documents=1, cache_dir=cache_dir)
        assert again.chunks_validated == first.chunks_validated, text
        assert again.to_dict() == first.to_dict()


def test_edited_suites_are_used_by_the_next_validation_in_the_same_process(good_release, tmp_path):
    import json
    import shutil

    from flows.paths import EXPECTATIONS_DIR

    suites = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, suites)
    cache_dir = tmp_path / "cache"
    assert validate_release(good_release, suites, chunk_documents=1, cache_dir=cache_dir).success
    claims = json.loads((suites / "claims.json").read_text(encoding="utf-8"))
    for item in claims["expectations"]:
        if item["type"] == "expect_column_values_to_be_in_set" and item["kwargs"]["column"] == (
            "verdict"
        ):
            item["kwargs"]["value_set"] = ["no-such-verdict"]
    (suites / "claims.json").write_text(json.dumps(claims), encoding="utf-8")
    report = validate_release(good_release, suites, chunk_documents=1, cache_dir=cache_dir)
    assert report.chunks_from_cache == 0
    assert [(f.table, f.column) for f in report.failures] == [("claims", "verdict")]


def test_plan_of_a_release_without_doc_ids_is_one_chunk(good_release):
    rewrite_table(good_release, "documents", lambda t: t.drop_columns(["doc_id"]))
    files = {name: good_release / f"{name}.parquet" for name in release_chunks.DOCUMENT_TABLES}
    assert release_chunks.plan_chunks(files, 1) == [release_chunks.Chunk(None, None, True)]


def test_a_session_keeps_no_frame_it_validated(sample_tables):
    import gc
    import weakref

    from flows.gx_session import ROW_CHECKS, GXSession
    from flows.paths import EXPECTATIONS_DIR

    session = GXSession(EXPECTATIONS_DIR)
    frame = sample_tables["claims"].copy()
    alive = weakref.ref(frame)
    payload = session.run_detached("claims", frame, ROW_CHECKS)
    del frame
    gc.collect()
    assert alive() is None
    assert payload["success"] is True
