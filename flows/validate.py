"""Validate a release with Great Expectations: tables, integrity frames, manifest; Data Docs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from flows import integrity, release, release_chunks, schemas
from flows.errors import ReleaseError
from flows.gx_session import TABLE_CHECKS, GXSession
from flows.paths import EXPECTATIONS_DIR
from flows.validate_chunks import ChunkResults, arrow_frame, integrity_frames, validate_chunk
from flows.validation_merge import merge_payloads
from flows.validation_report import ExpectationFailure, SuiteResult, ValidationReport

__all__ = [
    "ExpectationFailure",
    "SuiteResult",
    "ValidationPlan",
    "ValidationReport",
    "finish_validation",
    "plan_validation",
    "run_suites",
    "validate_release",
    "validate_tables",
    "write_data_docs",
]
INTEGRITY_SUITES = (
    "integrity_references",
    "integrity_offsets",
    "integrity_schema",
    "integrity_manifest",
)


@dataclass(frozen=True)
class ValidationPlan:
    """What validating a release reads: its manifest, table files and chunks of documents."""

    path: Path
    manifest: dict
    files: dict[str, Path]
    file_schemas: dict[str, pa.Schema]
    measured: dict[str, dict]
    chunks: list[release_chunks.Chunk]

    @property
    def chunk_files(self) -> dict[str, Path]:
        return {name: self.files[name] for name in release_chunks.DOCUMENT_TABLES}


def validate_release(
    path: Path,
    expectations_dir: Path = EXPECTATIONS_DIR,
    chunk_documents: int = release_chunks.CHUNK_DOCUMENTS,
    cache_dir: Path | None = None,
) -> ValidationReport:
    """Validate a release directory: every table suite and every integrity suite.

    Memory stays bounded by the chunk size: the document tables and their reference and
    offset checks are validated a chunk of documents at a time (keys included: a key begins
    with its doc_id, so equal keys share a chunk), and row counts once per table.
    With a `cache_dir`, each chunk's results are cached by its content (validate_chunks).
    Raises ReleaseError when the release cannot be read (no manifest, a missing or
    non-Parquet table file): that is not a failed validation but a broken release.
    """
    plan = plan_validation(path, chunk_documents)
    outcomes = [
        validate_chunk(plan.chunk_files, chunk, expectations_dir, cache_dir)
        for chunk in plan.chunks
    ]
    return finish_validation(plan, outcomes, expectations_dir)


def plan_validation(
    path: Path, chunk_documents: int = release_chunks.CHUNK_DOCUMENTS
) -> ValidationPlan:
    """Read the manifest and the table footers, and cut the document tables into chunks."""
    path = Path(path)
    manifest = release.read_manifest(path)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables", {}), dict):
        raise ReleaseError(f"{path}/manifest.json is not a release manifest")
    files, file_schemas, measured = _table_files(path, manifest)
    chunked = {name: files[name] for name in release_chunks.DOCUMENT_TABLES}
    chunks = release_chunks.plan_chunks(chunked, chunk_documents)
    return ValidationPlan(path, manifest, files, file_schemas, measured, chunks)


def finish_validation(
    plan: ValidationPlan, outcomes: list[ChunkResults], expectations_dir: Path = EXPECTATIONS_DIR
) -> ValidationReport:
    """The whole-table checks, the small tables, the schema and manifest checks; one report.

    The chunks' results (validated here, in workers or taken from the cache) are merged per
    suite (flows/validation_merge.py) and join this run's GX session, so the report and the
    Data Docs show one result per suite over the whole table.
    """
    session = GXSession(expectations_dir)
    runs: dict[str, list] = {name: [] for name in [*schemas.TABLES, *INTEGRITY_SUITES]}
    by_part: dict[tuple[str, str], list[dict]] = {}
    for outcome in outcomes:
        for name, part, payload in outcome.results:
            by_part.setdefault((name, part), []).append(payload)
    for (name, part), payloads in by_part.items():  # one result per suite part, not per chunk
        runs[name].append(session.restore(name, part, merge_payloads(payloads)))
    for name, file in plan.chunk_files.items():
        columns = session.whole_table_columns(name)
        if columns is not None:
            frame = arrow_frame(release_chunks.read_columns(file, columns))
            runs[name].append(session.run(name, frame, TABLE_CHECKS))
    for name in (name for name in schemas.TABLES if name not in plan.chunk_files):
        frame = arrow_frame(release_chunks.read_table(plan.files[name]))
        runs[name].append(session.run(name, frame))
    frame = integrity.build_schema_frame(plan.file_schemas, plan.manifest)
    runs["integrity_schema"].append(session.run("integrity_schema", frame))
    frame = integrity.build_manifest_frame(plan.manifest, plan.measured)
    runs["integrity_manifest"].append(session.run("integrity_manifest", frame))
    results = tuple(session.merge(name, items) for name, items in runs.items())
    version = plan.manifest.get("version", plan.path.name)
    cached = sum(outcome.from_cache for outcome in outcomes)
    return ValidationReport(
        version,
        results,
        gx_session=session,
        chunks_validated=len(outcomes) - cached,
        chunks_from_cache=cached,
    )


def validate_tables(
    tables: dict[str, pd.DataFrame], expectations_dir: Path = EXPECTATIONS_DIR
) -> ValidationReport:
    """Validate in-memory tables (read with ArrowDtype) without a manifest or files.

    Runs the table suites and the reference and offset integrity suites; the schema and
    manifest suites need files, so only `validate_release` runs them.
    """
    frames = {**tables, **integrity_frames(tables)}
    return run_suites(frames, expectations_dir)


def run_suites(frames: dict[str, pd.DataFrame], expectations_dir: Path) -> ValidationReport:
    """Run the suite named like each frame, in one ephemeral GX context, once.

    Each suite runs through a GX ValidationDefinition with summary results: the same run
    gives the report's failures (counts, examples) and the Data Docs pages.
    """
    session = GXSession(expectations_dir)
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


def _table_files(path: Path, manifest: dict) -> tuple[dict[str, Path], dict, dict]:
    """Each contract table's file, its Parquet schema, and its measures for the manifest check."""
    files, file_schemas, measured = {}, {}, {}
    for name in schemas.TABLES:
        file = release_chunks.table_file(path, manifest, name)
        if not file.is_file():
            raise ReleaseError(f"release {path} is missing the table file {file.name}")
        metadata = release_chunks.read_footer(file)
        files[name], file_schemas[name] = file, metadata.schema.to_arrow_schema()
        measured[name] = {
            "sha256": release.sha256_file(file),
            "bytes": file.stat().st_size,
            "rows": metadata.num_rows,
        }
    return files, file_schemas, measured
