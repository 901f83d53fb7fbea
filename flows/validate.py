"""Validate a release with Great Expectations: tables, integrity frames, manifest; Data Docs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from flows import integrity, release, release_chunks, schemas, suites
from flows.errors import ReleaseError
from flows.paths import EXPECTATIONS_DIR
from flows.validation_report import (
    MAX_EXAMPLES,
    ExpectationFailure,
    SuiteResult,
    ValidationReport,
    combine_failures,
    failure_from_result,
)

__all__ = [
    "ExpectationFailure",
    "SuiteResult",
    "ValidationReport",
    "run_suites",
    "validate_release",
    "validate_tables",
    "write_data_docs",
]
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES}
INTEGRITY_SUITES = (
    "integrity_references",
    "integrity_offsets",
    "integrity_schema",
    "integrity_manifest",
)
# Expectations about a whole table; in chunked validation they run once over its key columns.
WHOLE_TABLE_EXPECTATIONS = frozenset(
    {
        "expect_column_values_to_be_unique",
        "expect_compound_columns_to_be_unique",
        "expect_table_row_count_to_be_between",
    }
)
ALL_CHECKS, ROW_CHECKS, TABLE_CHECKS = "all", "rows", "table"
_SITE_NAME = "release"


def validate_release(
    path: Path,
    expectations_dir: Path = EXPECTATIONS_DIR,
    chunk_documents: int = release_chunks.CHUNK_DOCUMENTS,
) -> ValidationReport:
    """Validate a release directory: every table suite and every integrity suite.

    Memory stays bounded by the chunk size: the document tables and their reference and
    offset checks are validated `chunk_documents` documents at a time (row-level
    expectations), and their uniqueness and row-count expectations once over the key columns
    of the whole table. Raises ReleaseError when the release cannot be read (no manifest, a
    missing or non-Parquet table file): that is not a failed validation but a broken release.
    """
    path = Path(path)
    manifest = release.read_manifest(path)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables", {}), dict):
        raise ReleaseError(f"{path}/manifest.json is not a release manifest")
    files, file_schemas, measured = _table_files(path, manifest)
    session = _GXSession(expectations_dir)
    runs: dict[str, list] = {name: [] for name in [*schemas.TABLES, *INTEGRITY_SUITES]}
    chunked = {name: files[name] for name in release_chunks.DOCUMENT_TABLES}
    for chunk in release_chunks.document_chunks(chunked, chunk_documents):
        tables = {name: _frame(table) for name, table in chunk.items()}
        for name, frame in tables.items():
            runs[name].append(session.run(name, frame, ROW_CHECKS))
        for name, frame in _chunk_integrity_frames(tables).items():
            runs[name].append(session.run(name, frame))
        del chunk, tables
    for name in chunked:
        columns = session.whole_table_columns(name)
        frame = _frame(release_chunks.read_columns(files[name], columns))
        runs[name].append(session.run(name, frame, TABLE_CHECKS))
    for name in (name for name in schemas.TABLES if name not in chunked):
        runs[name].append(session.run(name, _frame(release_chunks.read_table(files[name]))))
    frame = integrity.build_schema_frame(file_schemas, manifest)
    runs["integrity_schema"].append(session.run("integrity_schema", frame))
    frame = integrity.build_manifest_frame(manifest, measured)
    runs["integrity_manifest"].append(session.run("integrity_manifest", frame))
    results = tuple(session.merge(name, outcomes) for name, outcomes in runs.items())
    return ValidationReport(manifest.get("version", path.name), results, gx_session=session)


def validate_tables(
    tables: dict[str, pd.DataFrame], expectations_dir: Path = EXPECTATIONS_DIR
) -> ValidationReport:
    """Validate in-memory tables (read with ArrowDtype) without a manifest or files.

    Runs the table suites and the reference and offset integrity suites; the schema and
    manifest suites need files, so only `validate_release` runs them.
    """
    frames = {**tables, **_chunk_integrity_frames(tables)}
    return run_suites(frames, expectations_dir)


def run_suites(frames: dict[str, pd.DataFrame], expectations_dir: Path) -> ValidationReport:
    """Run the suite named like each frame, in one ephemeral GX context, once.

    Each suite runs through a GX ValidationDefinition with summary results: the same run
    gives the report's failures (counts, examples) and the Data Docs pages.
    """
    session = _GXSession(expectations_dir)
    results = tuple(
        session.merge(name, [session.run(name, frame)]) for name, frame in frames.items()
    )
    return ValidationReport(release=None, suites=results, gx_session=session)


def write_data_docs(report: ValidationReport, target_dir: Path) -> Path:
    """Render the report's GX validation results as Data Docs into `target_dir`.

    Returns its index.html. Nothing runs again: the pages show the results of `run_suites`.
    """
    if report.gx_session is None:
        raise ValueError("this report has no GX session (was it rebuilt from JSON?)")
    return report.gx_session.write_data_docs(Path(target_dir))


class _GXSession:
    """One ephemeral GX context per run: suites, one pandas asset per frame, Data Docs."""

    def __init__(self, expectations_dir: Path):
        from great_expectations.data_context.types.base import ProgressBarsConfig
        from great_expectations.execution_engine import pandas_execution_engine

        self.gx = suites.import_gx()
        # GX fingerprints every batch under this many bytes by hashing all of its rows (a
        # quarter of the validation time); the fingerprint only labels the batch in Data Docs,
        # and the manifest already holds each table file's sha256.
        pandas_execution_engine.HASH_THRESHOLD = 0
        self.expectations_dir = Path(expectations_dir)
        self.context = self.gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(
            globally=False, metric_calculations=False
        )
        self.source = self.context.data_sources.add_pandas("release")
        self._suites: dict[str, dict] = {}
        self._definitions: dict[tuple[str, str], Any] = {}

    def run(self, name: str, frame: pd.DataFrame, part: str = ALL_CHECKS) -> Any:
        """Validate `frame` with (part of) the suite `name`; GX keeps results for Data Docs."""
        if (name, part) not in self._definitions:
            suite_name = name if part != TABLE_CHECKS else f"{name}.whole_table"
            expectations = [
                item for item in self._suite_json(name)["expectations"] if _in_part(item, part)
            ]
            suite = self.context.suites.add(
                self.gx.ExpectationSuite(name=suite_name, expectations=expectations)
            )
            batch = self.source.add_dataframe_asset(
                suite_name
            ).add_batch_definition_whole_dataframe(suite_name)
            self._definitions[name, part] = self.context.validation_definitions.add(
                self.gx.ValidationDefinition(name=suite_name, data=batch, suite=suite)
            )
        definition = self._definitions[name, part]
        return definition.run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT)

    def whole_table_columns(self, name: str) -> list[str]:
        """The columns the whole-table expectations of suite `name` read."""
        columns: list[str] = []
        for item in self._suite_json(name)["expectations"]:
            if _in_part(item, TABLE_CHECKS):
                kwargs = item["kwargs"]
                columns += [kwargs["column"]] if "column" in kwargs else []
                columns += kwargs.get("column_list", [])
        return list(dict.fromkeys(columns))

    def merge(self, name: str, outcomes: list) -> SuiteResult:
        """One suite's result from its runs (chunks, whole-table part): failures combined."""
        merged: dict[tuple, ExpectationFailure] = {}
        for outcome in outcomes:
            for result in (result for result in outcome.results if not result.success):
                config = result.expectation_config
                key = (config.type, json.dumps(config.kwargs, sort_keys=True, default=str))
                merged[key] = combine_failures(merged.get(key), failure_from_result(name, result))
        evaluated = len(self._suite_json(name)["expectations"])
        return SuiteResult(suite=name, evaluated=evaluated, failures=tuple(merged.values()))

    def _suite_json(self, name: str) -> dict:
        if name not in self._suites:
            path = self.expectations_dir / f"{name}.json"
            if not path.is_file():
                raise ReleaseError(f"no expectation suite {path}; run `python -m flows.suites`")
            self._suites[name] = json.loads(path.read_text(encoding="utf-8"))
        return self._suites[name]

    def write_data_docs(self, target_dir: Path) -> Path:
        target_dir.mkdir(parents=True, exist_ok=True)
        site = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(target_dir.resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
        self.context.add_data_docs_site(site_name=_SITE_NAME, site_config=site)
        self.context.build_data_docs(site_names=[_SITE_NAME])
        return target_dir / "index.html"


def _chunk_integrity_frames(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {
        "integrity_references": _arrow_backed(integrity.build_reference_frame(tables)),
        "integrity_offsets": _arrow_backed(integrity.build_offset_frame(tables)),
    }


def _arrow_backed(frame: pd.DataFrame) -> pd.DataFrame:
    """Arrow-backed columns: GX's row conditions and comparisons run ~2x faster than on objects.

    A column whose values have no single Arrow type (a corrupted table) stays as objects.
    """
    columns = {}
    for name in frame.columns:
        try:
            array = pa.array(frame[name], from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[name] = frame[name]
        else:
            columns[name] = pd.Series(array, dtype=pd.ArrowDtype(array.type), index=frame.index)
    return pd.DataFrame(columns, index=frame.index)


def _table_files(path: Path, manifest: dict) -> tuple[dict[str, Path], dict, dict]:
    """Each contract table's file, its Parquet schema, and its measures for the manifest check."""
    entries = manifest.get("tables", {})
    files, file_schemas, measured = {}, {}, {}
    for name in schemas.TABLES:
        file = path / entries.get(name, {}).get("file", f"{name}.parquet")
        if not file.is_file():
            raise ReleaseError(f"release {path} is missing the table file {file.name}")
        try:
            metadata = pq.read_metadata(file)
        except (pa.ArrowException, OSError) as exc:
            raise ReleaseError(f"{file} is not a readable Parquet file: {exc}") from exc
        files[name], file_schemas[name] = file, metadata.schema.to_arrow_schema()
        measured[name] = {
            "sha256": release.sha256_file(file),
            "bytes": file.stat().st_size,
            "rows": metadata.num_rows,
        }
    return files, file_schemas, measured


def _frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _in_part(expectation: dict, part: str) -> bool:
    if part == ALL_CHECKS:
        return True
    return (expectation["type"] in WHOLE_TABLE_EXPECTATIONS) == (part == TABLE_CHECKS)
