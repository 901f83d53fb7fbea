"""Validate a release with Great Expectations: tables, integrity frames, manifest; Data Docs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from flows import integrity, release, schemas, suites
from flows.errors import ReleaseError
from flows.paths import EXPECTATIONS_DIR
from flows.validation_report import (
    MAX_EXAMPLES,
    ExpectationFailure,
    SuiteResult,
    ValidationReport,
    failure_from_result,
)

__all__ = [
    "ExpectationFailure",
    "SuiteResult",
    "ValidationReport",
    "read_release_tables",
    "run_suites",
    "validate_release",
    "validate_tables",
    "write_data_docs",
]
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES}
_SITE_NAME = "release"


def validate_release(path: Path, expectations_dir: Path = EXPECTATIONS_DIR) -> ValidationReport:
    """Validate a release directory: every table suite and every integrity suite.

    Raises ReleaseError when the release cannot be read (no manifest, a missing or
    non-Parquet table file): that is not a failed validation but a broken release.
    """
    path = Path(path)
    manifest = release.read_manifest(path)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables", {}), dict):
        raise ReleaseError(f"{path}/manifest.json is not a release manifest")
    arrow_tables, files = read_release_tables(path, manifest)
    tables = {
        name: table.to_pandas(types_mapper=pd.ArrowDtype) for name, table in arrow_tables.items()
    }
    file_schemas = {name: table.schema for name, table in arrow_tables.items()}
    frames = {**tables, **_integrity_frames(tables, manifest, files, file_schemas)}
    report = run_suites(frames, expectations_dir)
    report.release = manifest.get("version", path.name)
    return report


def validate_tables(
    tables: dict[str, pd.DataFrame], expectations_dir: Path = EXPECTATIONS_DIR
) -> ValidationReport:
    """Validate in-memory tables (read with ArrowDtype) without a manifest or files.

    Runs the table suites and the reference and offset integrity suites; the schema and
    manifest suites need files, so only `validate_release` runs them.
    """
    frames = {
        **tables,
        "integrity_references": integrity.build_reference_frame(tables),
        "integrity_offsets": integrity.build_offset_frame(tables),
    }
    return run_suites(frames, expectations_dir)


def read_release_tables(path: Path, manifest: dict) -> tuple[dict[str, pa.Table], dict]:
    """Read every contract table of a release, and measure each file for the manifest check."""
    entries = manifest.get("tables", {})
    tables, files = {}, {}
    for name in schemas.TABLES:
        file = Path(path) / entries.get(name, {}).get("file", f"{name}.parquet")
        if not file.is_file():
            raise ReleaseError(f"release {path} is missing the table file {file.name}")
        try:
            tables[name] = pq.read_table(file)
        except (pa.ArrowException, OSError) as exc:
            raise ReleaseError(f"{file} is not a readable Parquet file: {exc}") from exc
        files[name] = {
            "sha256": release.sha256_file(file),
            "bytes": file.stat().st_size,
            "rows": tables[name].num_rows,
        }
    return tables, files


def run_suites(frames: dict[str, pd.DataFrame], expectations_dir: Path) -> ValidationReport:
    """Run the suite named like each frame, in one ephemeral GX context, once.

    Each suite runs through a GX ValidationDefinition with summary results: the same run
    gives the report's failures (counts, examples) and the Data Docs pages.
    """
    session = _GXSession(expectations_dir)
    results = []
    for name, frame in frames.items():
        outcome = session.run(name, frame)
        failures = tuple(
            failure_from_result(name, result) for result in outcome.results if not result.success
        )
        results.append(SuiteResult(suite=name, evaluated=len(outcome.results), failures=failures))
    return ValidationReport(release=None, suites=tuple(results), gx_session=session)


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

    def run(self, name: str, frame: pd.DataFrame) -> Any:
        """Validate `frame` with the suite `name`; GX keeps the result for the Data Docs."""
        path = self.expectations_dir / f"{name}.json"
        if not path.is_file():
            raise ReleaseError(f"no expectation suite {path}; run `python -m flows.suites`")
        suite = self.context.suites.add(suites.load_suite(path))
        batch = self.source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        definition = self.context.validation_definitions.add(
            self.gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        return definition.run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT)

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


def _integrity_frames(tables, manifest, files, file_schemas) -> dict[str, pd.DataFrame]:
    return {
        "integrity_references": integrity.build_reference_frame(tables),
        "integrity_offsets": integrity.build_offset_frame(tables),
        "integrity_schema": integrity.build_schema_frame(file_schemas, manifest),
        "integrity_manifest": integrity.build_manifest_frame(manifest, files),
    }
