"""validate_release: a clean release passes; each corruption fails naming table and expectation."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows import release
from flows.errors import ReleaseError, ValidationFailed
from flows.validate import validate_release, validate_tables, write_data_docs
from tests.fixtures_release import rewrite_table, set_column

IN_SET = "expect_column_values_to_be_in_set"
PAIR_EQUAL = "expect_column_pair_values_to_be_equal"
A_GREATER_B = "expect_column_pair_values_a_to_be_greater_than_b"
BETWEEN = "expect_column_values_to_be_between"
COLUMNS = "expect_table_columns_to_match_ordered_list"


def _replace_first(table: pa.Table, name: str, value) -> pa.Table:
    values = table.column(name).to_pylist()
    values[0] = value
    return set_column(table, name, values)


def _rename(table: pa.Table, old: str, new: str) -> pa.Table:
    return table.rename_columns([new if name == old else name for name in table.column_names])


def _duplicate_first_key(table: pa.Table, name: str) -> pa.Table:
    values = table.column(name).to_pylist()
    values[1] = values[0]
    return set_column(table, name, values)


def _pct_change_out_of_range(table: pa.Table) -> pa.Table:
    metric, values = table.column("metric").to_pylist(), table.column("value").to_pylist()
    index = metric.index("pct_change")
    values[index] = -140.0
    return set_column(table, "value", values)


def _mention_past_end(table: pa.Table) -> pa.Table:
    table = _replace_first(table, "start", 200)
    return _replace_first(table, "end", 203)


# (id, table, change, expected (table, expectation, column))
CORRUPTIONS = [
    ("drop-column", "claims", lambda t: t.drop_columns(["reason"]), ("claims", COLUMNS, None)),
    (
        "rename-column",
        "numbers",
        lambda t: _rename(t, "kind", "number_kind"),
        ("numbers", COLUMNS, None),
    ),
    (
        "wrong-type",
        "claims",
        lambda t: set_column(
            t, "value", [str(v) for v in t.column("value").to_pylist()], pa.string()
        ),
        ("claims", "expect_column_values_to_be_of_type", "value"),
    ),
    (
        "null-key",
        "mentions",
        lambda t: _replace_first(t, "mention_id", None),
        ("mentions", "expect_column_values_to_not_be_null", "mention_id"),
    ),
    (
        "duplicate-id",
        "mentions",
        lambda t: _duplicate_first_key(t, "mention_id"),
        ("mentions", "expect_column_values_to_be_unique", "mention_id"),
    ),
    (
        "duplicate-compound-key",
        "market_daily",
        lambda t: pa.concat_tables([t, t.slice(0, 1)]),
        ("market_daily", "expect_compound_columns_to_be_unique", "symbol,date"),
    ),
    (
        "verdict-outside-vocabulary",
        "claims",
        lambda t: _replace_first(t, "verdict", "probably-true"),
        ("claims", IN_SET, "verdict"),
    ),
    (
        "metric-outside-vocabulary",
        "claims",
        lambda t: _replace_first(t, "metric", "vibes"),
        ("claims", IN_SET, "metric"),
    ),
    (
        "pct-change-over-100",
        "claims",
        _pct_change_out_of_range,
        ("claims", BETWEEN, "value"),
    ),
    (
        "as-of-outside-window",
        "claims",
        lambda t: _replace_first(t, "as_of", dt.date(1899, 12, 31)),
        ("claims", BETWEEN, "as_of"),
    ),
    (
        "end-not-after-start",
        "numbers",
        lambda t: _replace_first(t, "end", t.column("start")[0].as_py()),
        ("numbers", A_GREATER_B, "end,start"),
    ),
    (
        "claim-segment-not-in-segments",
        "claims",
        lambda t: _replace_first(t, "segment_id", "news/001#p007s007"),
        ("claims", "expect_column_values_to_be_null", "dangling"),
    ),
    (
        "segment-text-not-document-slice",
        "segments",
        lambda t: _replace_first(t, "text", "完全不同的句子。"),
        ("segments", PAIR_EQUAL, "text,document_slice"),
    ),
    (
        "offsets-past-document-end",
        "mentions",
        _mention_past_end,
        ("mentions", A_GREATER_B, "document_length,end"),
    ),
    (
        "n-chars-wrong",
        "documents",
        lambda t: _replace_first(t, "n_chars", 3),
        ("documents", PAIR_EQUAL, "text,document_slice"),
    ),
]


@pytest.fixture(scope="module")
def clean_report(tmp_path_factory):
    from tests.fixtures_release import publish_sample_release

    path = publish_sample_release(tmp_path_factory.mktemp("clean") / "out")
    return path, validate_release(path)


def test_clean_release_passes(clean_report):
    _, report = clean_report
    assert report.success, report.summary()
    payload = json.loads(json.dumps(report.to_dict()))
    assert payload["success"] is True and payload["failed"] == 0
    suites = [item["suite"] for item in payload["suites"]]
    assert suites[:7] == list(release.schemas.TABLES)
    assert {"integrity_references", "integrity_offsets", "integrity_manifest"} <= set(suites)
    assert report.summary().startswith("validation passed")


def test_report_is_stable_across_runs(clean_report):
    path, report = clean_report
    assert validate_release(path).to_dict() == report.to_dict()


@pytest.mark.parametrize(
    ("table", "change", "expected"),
    [
        pytest.param(table, change, expected, id=name)
        for name, table, change, expected in CORRUPTIONS
    ],
)
def test_corruption_fails_naming_table_and_expectation(good_release, table, change, expected):
    rewrite_table(good_release, table, change)
    report = validate_release(good_release)
    assert not report.success
    found = {(f.table, f.expectation, f.column) for f in report.failures}
    expected_table, expectation, column = expected
    assert any(
        t == expected_table and e == expectation and (column is None or c == column)
        for t, e, c in found
    ), found
    assert {t for t, _, _ in found} == {expected_table}, found


@pytest.mark.parametrize(("table", "column"), [("claims", "segment_id"), ("documents", "text")])
def test_missing_key_column_is_a_failure_not_a_crash(good_release, table, column):
    rewrite_table(good_release, table, lambda t: t.drop_columns([column]))
    report = validate_release(good_release)
    found = {(f.table, f.expectation) for f in report.failures}
    assert (table, COLUMNS) in found
    with pytest.raises(ValidationFailed, match="validation FAILED"):
        report.raise_for_failure()


def test_failure_lists_offending_values(good_release):
    rewrite_table(good_release, "claims", lambda t: _replace_first(t, "verdict", "probably-true"))
    report = validate_release(good_release)
    (failure,) = report.failures
    assert failure.unexpected_count == 1
    assert failure.examples == ("probably-true",)
    assert "claims.verdict" in report.summary()


def test_dangling_reference_names_the_missing_id(good_release):
    rewrite_table(
        good_release, "claims", lambda t: _replace_first(t, "segment_id", "news/x#p000s009")
    )
    (failure,) = validate_release(good_release).failures
    assert failure.suite == "integrity_references"
    assert failure.check == "claims.segment_id in segments.segment_id"
    assert failure.examples == ("news/x#p000s009",)


def test_manifest_checksum_mismatch(good_release):
    rewrite_table(
        good_release,
        "rejects",
        lambda t: _replace_first(t, "reason", "a different reason"),
        update_manifest=False,
    )
    failures = validate_release(good_release).failures
    found = {(f.suite, f.table, f.column) for f in failures}
    assert ("integrity_manifest", "rejects", "manifest_sha256,file_sha256") in found
    assert ("integrity_manifest", "(content_hash)", "manifest_sha256,file_sha256") in found
    assert {f.table for f in failures} == {"rejects", "(content_hash)"}


def test_manifest_row_count_mismatch(good_release):
    manifest = release.read_manifest(good_release)
    manifest["tables"]["claims"]["rows"] = 99
    release.write_json(good_release / "manifest.json", manifest)
    (failure,) = validate_release(good_release).failures
    assert (failure.table, failure.expectation, failure.column) == (
        "claims",
        PAIR_EQUAL,
        "manifest_rows,file_rows",
    )
    assert failure.examples == ([99, 3],)


def test_parquet_type_drift_caught_by_schema_suite(good_release):
    narrow = lambda t: set_column(t, "volume", t.column("volume").to_pylist(), pa.int32())  # noqa: E731
    rewrite_table(good_release, "market_daily", narrow)
    (failure,) = validate_release(good_release).failures
    assert (failure.suite, failure.table) == ("integrity_schema", "market_daily")
    assert failure.examples == (["int32", "int64"],)


@pytest.mark.parametrize("damage", ["missing-file", "not-parquet", "no-manifest", "bad-manifest"])
def test_unreadable_release_raises_release_error(good_release, damage):
    if damage == "bad-manifest":
        (good_release / "manifest.json").write_text("[1, 2]", encoding="utf-8")
    elif damage == "missing-file":
        (good_release / "numbers.parquet").unlink()
    elif damage == "not-parquet":
        (good_release / "numbers.parquet").write_text("not parquet at all", encoding="utf-8")
    else:
        (good_release / "manifest.json").unlink()
    with pytest.raises(ReleaseError) as caught:
        validate_release(good_release)
    assert caught.value.exit_code == 2


def test_validate_tables_in_memory(good_release):
    tables = {
        name: pq.read_table(good_release / f"{name}.parquet").to_pandas(types_mapper=pd.ArrowDtype)
        for name in release.schemas.TABLES
    }
    assert validate_tables(tables).success
    tables["claims"].loc[0, "number_id"] = "news/001#p000s000/n09"
    report = validate_tables(tables)
    assert [(f.suite, f.table) for f in report.failures] == [("integrity_references", "claims")]


def test_data_docs_are_written(clean_report, tmp_path):
    _, report = clean_report
    index = write_data_docs(report, tmp_path / "validation")
    html = index.read_text(encoding="utf-8")
    assert index.name == "index.html" and "claims" in html
    pages = list((tmp_path / "validation" / "validations").rglob("*.html"))
    assert {page.parts[-4] for page in pages} >= {"claims", "integrity_offsets"}


def test_manifest_entry_is_deterministic(clean_report):
    _, report = clean_report
    entry = report.manifest_entry()
    assert entry["success"] is True
    assert entry["suites"]["claims"]["failed"] == 0


# Chunked validation (one document per chunk here): the same report, and nothing escapes it.


def test_validation_in_chunks_gives_the_same_report(clean_report):
    path, report = clean_report
    assert validate_release(path, chunk_documents=1).to_dict() == report.to_dict()


def _second_document_segment_repeats_first(table: pa.Table) -> pa.Table:
    ids, docs = table.column("segment_id").to_pylist(), table.column("doc_id").to_pylist()
    ids[docs.index("news/002")] = ids[0]  # a key that is unique inside each document
    return set_column(table, "segment_id", ids)


@pytest.mark.parametrize("chunk_documents", [1, 1000])
def test_chunks_still_catch_a_key_repeated_across_documents(good_release, chunk_documents):
    """Uniqueness runs per chunk; a key shared by two documents fails the id-prefix check."""
    rewrite_table(good_release, "segments", _second_document_segment_repeats_first)
    failures = validate_release(good_release, chunk_documents=chunk_documents).failures
    check = "segments.segment_id starts with segments.doc_id#"
    (prefix,) = [f for f in failures if f.check == check]
    assert prefix.unexpected_count == 1
    found = {(f.table, f.expectation, f.column) for f in failures}
    unique = ("segments", "expect_column_values_to_be_unique", "segment_id")
    assert (unique in found) == (chunk_documents > 1), found  # both rows in one chunk


@pytest.mark.parametrize(
    ("table", "column", "bad_id"),
    [
        ("mentions", "mention_id", "news/999#p000s000/m00"),  # another document's id
        ("numbers", "number_id", "p000s000/n00"),  # no document part at all
        ("claims", "claim_id", "news/001#p000s000#p000s000/c00"),  # doc id + "#" + more
    ],
)
def test_an_id_that_does_not_begin_with_its_doc_id_fails(good_release, table, column, bad_id):
    rewrite_table(good_release, table, lambda t: _replace_first(t, column, bad_id))
    failures = validate_release(good_release, chunk_documents=1).failures
    checks = {f.check: f.examples for f in failures if f.suite == "integrity_references"}
    assert checks.get(f"{table}.{column} starts with {table}.doc_id#") == (bad_id,), failures


@pytest.mark.parametrize("doc_id", ["zzz/none", "aaa/none", None])
def test_chunks_still_read_rows_of_no_known_document(good_release, doc_id):
    rewrite_table(good_release, "mentions", lambda t: _replace_first(t, "doc_id", doc_id))
    failures = validate_release(good_release, chunk_documents=1).failures
    if doc_id is None:
        assert any(f.column == "doc_id" and f.table == "mentions" for f in failures), failures
    else:
        checks = {f.check for f in failures if f.suite == "integrity_references"}
        assert "mentions.doc_id in documents.doc_id" in checks, failures


def test_failures_in_several_chunks_add_up(good_release):
    def bad_verdicts(table: pa.Table) -> pa.Table:
        return set_column(table, "verdict", ["probably-true"] * table.num_rows)

    rewrite_table(good_release, "claims", bad_verdicts)
    rows = pq.read_table(good_release / "claims.parquet").num_rows
    documents = len(set(pq.read_table(good_release / "claims.parquet")["doc_id"].to_pylist()))
    assert documents > 1
    (failure,) = validate_release(good_release, chunk_documents=1).failures
    assert failure.unexpected_count == rows
    assert failure.examples == ("probably-true",) * min(rows, 5)
