"""One ephemeral Great Expectations context per validation run: suites, runs, Data Docs.

Suites load from `expectations/<name>.json`. A suite can run whole, or split in two parts for
chunked validation: its per-chunk expectations and its whole-table ones (row counts; once).
Uniqueness runs per chunk: the document tables' keys begin with their row's doc_id (checked
per row by integrity_references), so equal keys always fall in the same chunk. Every run goes
through a GX ValidationDefinition, so GX keeps its result for the Data Docs.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from flows import suites
from flows.errors import ReleaseError
from flows.validation_report import (
    MAX_EXAMPLES,
    ExpectationFailure,
    SuiteResult,
    combine_failures,
    failure_from_result,
)

RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES}
# Expectations about a whole table; in chunked validation they run once, over the columns
# they read (none for a row count: the file's footer gives it).
WHOLE_TABLE_EXPECTATIONS = frozenset({"expect_table_row_count_to_be_between"})
ALL_CHECKS, ROW_CHECKS, TABLE_CHECKS = "all", "rows", "table"
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_SITE_NAME = "release"


class GXSession:
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
        self._layouts: dict[tuple[str, str], tuple[list[str], list[str]] | None] = {}
        self._runs = 0

    def run(self, name: str, frame: pd.DataFrame, part: str = ALL_CHECKS) -> Any:
        """Validate `frame` with (part of) the suite `name`; GX keeps results for Data Docs."""
        if (name, part) not in self._definitions:
            suite_name = _suite_name(name, part)
            expectations = [
                item for item in self._suite_json(name)["expectations"] if _in_part(item, part)
            ]
            self._layouts[name, part] = columns_read(expectations)
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
        try:
            return definition.run(
                batch_parameters={"dataframe": _as_read(frame, self._layouts[name, part])},
                result_format=RESULT_FORMAT,
                run_id=self._run_id(),
            )
        finally:  # GX's engine keeps the last batch of every asset: a chunk's worth of memory
            batches = self.source.get_execution_engine().batch_manager
            batches.reset_batch_cache()
            batches.batch_data_cache.clear()

    def run_detached(self, name: str, frame: pd.DataFrame, part: str = ALL_CHECKS) -> dict:
        """`run`, returned as JSON; the session keeps no result (they travel: cache, workers)."""
        result = self.run(name, frame, part)
        store = self.context.validation_results_store
        for key in store.list_keys():
            store.remove_key(key)
        return result.to_json_dict()

    def restore(self, name: str, part: str, payload: dict) -> Any:
        """Keep a result `run_detached` returned (here or elsewhere), as if it had run here."""
        from great_expectations.core.expectation_validation_result import (
            ExpectationSuiteValidationResultSchema,
        )
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )

        result = ExpectationSuiteValidationResultSchema().load(payload)
        suite = ExpectationSuiteIdentifier(name=_suite_name(name, part))
        key = ValidationResultIdentifier(
            expectation_suite_identifier=suite,
            run_id=self._run_id(),
            batch_identifier=f"{self.source.name}-{suite.name}",  # as GX names the batch it ran
        )
        # Stored as the JSON text GX's store would write, from the payload we already have:
        # GX's own serializer deep-copies and re-dumps every result (~0.1 s each).
        store = self.context.validation_results_store
        store.store_backend.set(store.key_to_tuple(key), json.dumps(payload, indent=2))
        return result

    def whole_table_columns(self, name: str) -> list[str] | None:
        """The columns the whole-table expectations of suite `name` read; None if it has none."""
        expectations = [
            e for e in self._suite_json(name)["expectations"] if _in_part(e, TABLE_CHECKS)
        ]
        if not expectations:
            return None
        columns: list[str] = []
        for item in expectations:
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

    def _run_id(self) -> Any:
        """A run id per run: results of one suite stored in the same microsecond stay apart."""
        from great_expectations.core.run_identifier import RunIdentifier

        self._runs += 1
        return RunIdentifier(run_name=f"run-{self._runs:05d}", run_time=dt.datetime.now(dt.UTC))

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


def columns_read(expectations: list[dict]) -> tuple[list[str], list[str]] | None:
    """(columns the expectations read, those read only by row conditions), or None when one
    of them may read any column (a table-level check such as the column list).

    GX copies every column of a frame each time a row condition filters it: on the integrity
    frames (~400 k rows a chunk, a dozen conditions), handing it only the columns it reads,
    with the condition-only ones as categoricals, halves their validation time.
    """
    checked: list[str] = []
    conditions: list[str] = []
    for item in expectations:
        kwargs = item["kwargs"]
        named = [kwargs[key] for key in _COLUMN_KWARGS if key in kwargs]
        named += kwargs.get("column_list", [])
        if item["type"].startswith("expect_table_"):
            if item["type"] not in WHOLE_TABLE_EXPECTATIONS:
                return None  # reads the table's column set
        elif not named:
            return None
        checked += named
        condition = kwargs.get("row_condition")
        if condition is not None:
            column = condition.get("column") if isinstance(condition, dict) else None
            if not isinstance(column, dict) or not isinstance(column.get("name"), str):
                return None  # a condition in another form may name any column
            conditions.append(column["name"])
    only_conditions = [name for name in dict.fromkeys(conditions) if name not in checked]
    return list(dict.fromkeys(checked + conditions)), only_conditions


def _as_read(frame: pd.DataFrame, layout: tuple[list[str], list[str]] | None) -> pd.DataFrame:
    """The frame as a suite part reads it: its columns only, condition-only ones categorical."""
    if layout is None:
        return frame
    read, only_conditions = layout
    columns = {name: frame[name] for name in frame.columns if name in read}
    for name in only_conditions:
        if name in columns:
            columns[name] = _categorical(columns[name])
    return pd.DataFrame(columns, index=frame.index)


def _categorical(column: pd.Series) -> pd.Series:
    """The column as a pandas categorical, dictionary-encoded by Arrow (no Python strings)."""
    try:
        encoded = pa.array(column, from_pandas=True).dictionary_encode()
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types: a corrupted table
        return column.astype("category")
    values = encoded.to_pandas().array  # positional: the frame's index may be any
    return pd.Series(values, index=column.index, name=column.name)


def _suite_name(name: str, part: str) -> str:
    return name if part != TABLE_CHECKS else f"{name}.whole_table"


def _in_part(expectation: dict, part: str) -> bool:
    if part == ALL_CHECKS:
        return True
    return (expectation["type"] in WHOLE_TABLE_EXPECTATIONS) == (part == TABLE_CHECKS)
