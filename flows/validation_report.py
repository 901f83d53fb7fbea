"""The validation report: per suite results, failing expectations with examples, as JSON."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from flows import suites
from flows.errors import ValidationFailed

MAX_EXAMPLES = 5
DATA_DOCS_DIR = "validation"


@dataclass(frozen=True)
class ExpectationFailure:
    """One failed expectation: where, what, how many rows, and a few offending values."""

    suite: str
    table: str
    expectation: str
    column: str | None
    check: str | None
    unexpected_count: int | None
    examples: tuple = ()
    observed: Any = None
    message: str | None = None

    def to_dict(self) -> dict:
        return {
            "suite": self.suite,
            "table": self.table,
            "expectation": self.expectation,
            "column": self.column,
            "check": self.check,
            "unexpected_count": self.unexpected_count,
            "examples": list(self.examples),
            "observed": self.observed,
            "message": self.message,
        }


@dataclass(frozen=True)
class SuiteResult:
    """The outcome of one suite: how many expectations ran and which failed."""

    suite: str
    evaluated: int
    failures: tuple[ExpectationFailure, ...]

    @property
    def success(self) -> bool:
        return not self.failures


@dataclass
class ValidationReport:
    """All suite results of one run; keeps the GX session so Data Docs can be rendered."""

    release: str | None
    suites: tuple[SuiteResult, ...]
    gx_session: Any = field(default=None, repr=False, compare=False)
    chunks_validated: int = field(default=0, compare=False)  # chunks GX ran on in this run
    chunks_from_cache: int = field(default=0, compare=False)  # chunks whose results were cached

    @property
    def success(self) -> bool:
        return all(result.success for result in self.suites)

    @property
    def failures(self) -> list[ExpectationFailure]:
        return [failure for result in self.suites for failure in result.failures]

    def to_dict(self) -> dict:
        """JSON-able and stable: suites in contract order, expectations in suite order."""
        return {
            "release": self.release,
            "success": self.success,
            "evaluated": sum(result.evaluated for result in self.suites),
            "failed": len(self.failures),
            "suites": [
                {
                    "suite": result.suite,
                    "success": result.success,
                    "evaluated": result.evaluated,
                    "failures": [failure.to_dict() for failure in result.failures],
                }
                for result in self.suites
            ],
        }

    def raise_for_failure(self) -> None:
        """Raise ValidationFailed with the summary when any expectation failed."""
        if not self.success:
            raise ValidationFailed(self.summary())

    def manifest_entry(self) -> dict:
        """What the build records under manifest["validation"] (no timestamps: stable)."""
        return {
            "success": self.success,
            "engine": f"great_expectations {suites.import_gx().__version__}",
            "suites": {
                result.suite: {"evaluated": result.evaluated, "failed": len(result.failures)}
                for result in self.suites
            },
            "data_docs": f"{DATA_DOCS_DIR}/index.html",
        }

    def summary(self) -> str:
        """A few lines for humans: the verdict, then one line per failed expectation."""
        evaluated = sum(result.evaluated for result in self.suites)
        if self.success:
            return f"validation passed: {evaluated} expectations in {len(self.suites)} suites"
        lines = [f"validation FAILED: {len(self.failures)} of {evaluated} expectations"]
        for failure in self.failures:
            where = f"{failure.table}.{failure.column}" if failure.column else failure.table
            count = "" if failure.unexpected_count is None else f", {failure.unexpected_count} rows"
            lines.append(f"  {where}: {failure.expectation} [{failure.suite}]{count}")
        return "\n".join(lines)


def failure_from_result(suite: str, result: Any) -> ExpectationFailure:
    """Summarize one failed GX expectation result; integrity suites name their table in meta."""
    config = result.expectation_config
    kwargs, meta, details = config.kwargs, config.meta or {}, result.result or {}
    exception = result.exception_info or {}
    message = exception.get("exception_message") if exception.get("raised_exception") else None
    if message is None:
        message = _first_exception_message(exception)
    return ExpectationFailure(
        suite=suite,
        table=meta.get("table", suite),
        expectation=config.type,
        column=_columns(kwargs),
        check=meta.get("check") or _condition_text(kwargs.get("row_condition")),
        unexpected_count=details.get("unexpected_count"),
        examples=tuple(_jsonable(v) for v in details.get("partial_unexpected_list", []))[
            :MAX_EXAMPLES
        ],
        observed=_jsonable(details.get("observed_value")),
        message=message,
    )


def combine_failures(
    first: ExpectationFailure | None, other: ExpectationFailure
) -> ExpectationFailure:
    """One expectation failed in several runs (chunks): add the counts, keep the first examples."""
    if first is None:
        return other
    counts = [n for n in (first.unexpected_count, other.unexpected_count) if n is not None]
    return replace(
        first,
        unexpected_count=sum(counts) if counts else None,
        examples=(first.examples + other.examples)[:MAX_EXAMPLES],
        message=first.message or other.message,
    )


def _first_exception_message(exception: dict) -> str | None:
    """GX nests metric errors as {metric id: {exception_message: …}}; take the first."""
    for value in exception.values():
        if isinstance(value, dict) and value.get("exception_message"):
            return str(value["exception_message"])
    return None


def _columns(kwargs: dict) -> str | None:
    if kwargs.get("column"):
        return kwargs["column"]
    if kwargs.get("column_A"):
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    if kwargs.get("column_list") and "column_list" in kwargs and len(kwargs["column_list"]) < 5:
        return ",".join(kwargs["column_list"])
    return None


def _condition_text(condition: Any) -> str | None:
    if not condition:
        return None
    if hasattr(condition, "to_dict"):
        condition = condition.to_dict()
    if isinstance(condition, dict) and "column" in condition:
        column = condition["column"]
        name = column.get("name") if isinstance(column, dict) else getattr(column, "name", column)
        return f"where {name} {condition.get('operator')} {condition.get('parameter')!r}"
    return str(condition)


def _jsonable(value: Any) -> Any:
    """Plain JSON values for examples: dates as ISO text, tuples as lists, NaN/NA as None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, dt.date | dt.datetime | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            return str(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)
