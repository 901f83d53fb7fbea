"""Expectation suites derived from the data contract; `python -m flows.suites` rewrites them.

One suite per published table (file stem == table name) and one per integrity frame
(flows/integrity.py). Suites are built here from flows/schemas.py and serialized by GX
itself into expectations/*.json; a test keeps the committed files equal to what this builds.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from flows import integrity, schemas
from flows.paths import EXPECTATIONS_DIR

INTEGRITY_SUITES = (
    "integrity_references",
    "integrity_offsets",
    "integrity_schema",
    "integrity_manifest",
)
DATE_BOUNDS = ("2000-01-01", "2100-12-31")  # as_of and market dates must fall inside
MAX_ABS_PCT_CHANGE = 100.0
VALUE_SETS = schemas.VOCABULARY_COLUMNS
# Id conventions from flows/schemas.py, as anchored patterns.
_SEGMENT = r"^.+#p[0-9]{3}s[0-9]{3}"
ID_PATTERNS = {
    ("segments", "segment_id"): _SEGMENT + "$",
    ("mentions", "mention_id"): _SEGMENT + "/m[0-9]{2}$",
    ("numbers", "number_id"): _SEGMENT + "/n[0-9]{2}$",
    ("claims", "claim_id"): _SEGMENT + "/c[0-9]{2}$",
    ("documents", "sha256"): "^[0-9a-f]{64}$",
}
NON_NEGATIVE = {
    "documents": ("n_chars",),
    "segments": ("paragraph", "sentence", "start"),
    "mentions": ("start",),
    "numbers": ("start", "decimals"),
    "claims": ("start", "tolerance"),
    "market_daily": ("volume", "close"),
}
BOUND_COLUMNS = ("lower", "upper")  # claims: each with a *_closed flag
SPAN_COLUMNS = ("segments", "mentions", "numbers", "claims")
DATE_COLUMNS = {"claims": ("as_of",), "market_daily": ("date",), "documents": ("published",)}


def build_suites() -> dict[str, Any]:
    """Every suite by name: tables in contract order, then the integrity suites."""
    suites = {name: build_table_suite(spec) for name, spec in schemas.TABLES.items()}
    suites.update(
        integrity_references=_references_suite(),
        integrity_offsets=_offsets_suite(),
        integrity_schema=_schema_suite(),
        integrity_manifest=_manifest_suite(),
    )
    return suites


def build_table_suite(spec: schemas.TableSpec) -> Any:
    """A table's suite: columns and types, nulls, keys, vocabularies, ranges and ids."""
    gx, expect, column_is = _gx()
    items = [expect.ExpectTableColumnsToMatchOrderedList(column_list=list(spec.schema.names))]
    for field in spec.schema:
        type_name = _pandas_type(field.type)
        if type_name:
            items.append(expect.ExpectColumnValuesToBeOfType(column=field.name, type_=type_name))
        if not field.nullable:
            items.append(expect.ExpectColumnValuesToNotBeNull(column=field.name))
    if len(spec.primary_key) == 1:
        items.append(expect.ExpectColumnValuesToBeUnique(column=spec.primary_key[0]))
    else:
        items.append(expect.ExpectCompoundColumnsToBeUnique(column_list=list(spec.primary_key)))
    for (table, column), values in VALUE_SETS.items():
        if table == spec.name:
            items.append(expect.ExpectColumnValuesToBeInSet(column=column, value_set=list(values)))
    for (table, column), pattern in ID_PATTERNS.items():
        if table == spec.name:
            items.append(expect.ExpectColumnValuesToMatchRegex(column=column, regex=pattern))
    for column in NON_NEGATIVE.get(spec.name, ()):
        items.append(expect.ExpectColumnValuesToBeBetween(column=column, min_value=0))
    for column in DATE_COLUMNS.get(spec.name, ()):
        low, high = DATE_BOUNDS
        items.append(
            expect.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high)
        )
    if spec.name in SPAN_COLUMNS:
        items.append(_greater(expect, "end", "start"))
    if spec.name == "claims":
        items.append(
            expect.ExpectColumnValuesToBeBetween(
                column="value",
                min_value=-MAX_ABS_PCT_CHANGE,
                max_value=MAX_ABS_PCT_CHANGE,
                row_condition=column_is("metric") == "pct_change",
            )
        )
        items += _bound_expectations(expect, column_is)
    if spec.name == "market_daily":
        items.append(_greater(expect, "high", "low", or_equal=True))
    if spec.name == "documents":
        items.append(expect.ExpectTableRowCountToBeBetween(min_value=1))
    return gx.ExpectationSuite(name=spec.name, expectations=items)


def suite_to_json(suite: Any) -> str:
    """GX's own serialization of a suite, as stable, readable JSON text."""
    return json.dumps(suite.to_json_dict(), ensure_ascii=False, indent=2) + "\n"


def load_suite(path: Path) -> Any:
    """Load a suite written by `suite_to_json` (GX 1.x format)."""
    gx, _, _ = _gx()
    return gx.ExpectationSuite(**json.loads(Path(path).read_text(encoding="utf-8")))


def write_suites(directory: Path = EXPECTATIONS_DIR) -> list[Path]:
    """Regenerate expectations/<suite>.json from the contract; returns the written paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, suite in build_suites().items():
        path = directory / f"{name}.json"
        path.write_text(suite_to_json(suite), encoding="utf-8")
        written.append(path)
    return written


def import_gx() -> Any:
    """Import great_expectations quietly: no analytics, no progress bars (slow: ~3 s once)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations

    # GX logs housekeeping (temporary Data Docs folders, …) at INFO, and some of its modules
    # pin their own logger to INFO, so quieten every GX logger, not just the parent.
    # (setLevel clears every logger's cache: only where needed, as this runs once per chunk)
    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logger = logging.getLogger(name)
        if logger.level != logging.WARNING:
            logger.setLevel(logging.WARNING)
    return great_expectations


def _gx() -> tuple[Any, Any, Any]:
    gx = import_gx()
    from great_expectations.expectations.row_conditions import Column

    return gx, gx.expectations, Column


def _pandas_type(arrow_type: Any) -> str | None:
    """The type name GX's pandas check accepts for a column read with ArrowDtype.

    GX compares the dtype's scalar type, so int32 and int64 both read as "int"; the exact
    Parquet types are checked by the integrity_schema suite. Dates have no name GX accepts
    and are checked by range and by integrity_schema.
    """
    import pyarrow as pa

    if pa.types.is_integer(arrow_type):
        return "int"
    if pa.types.is_floating(arrow_type):
        return "float"
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "str"
    if pa.types.is_boolean(arrow_type):
        return "bool"
    if pa.types.is_list(arrow_type):
        return "list"
    return None


def _greater(expect: Any, column_a: str, column_b: str, *, or_equal: bool = False, **extra):
    return expect.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=column_a,
        column_B=column_b,
        or_equal=or_equal,
        ignore_row_if="either_value_is_missing",
        **extra,
    )


def _bound_expectations(expect: Any, column_is: Any) -> list:
    """A bound claim: lower ≤ value ≤ upper where set, and a closed flag exactly with its bound."""
    items = [
        _greater(expect, "upper", "lower", or_equal=True),
        _greater(expect, "value", "lower", or_equal=True),
        _greater(expect, "upper", "value", or_equal=True),
    ]
    for bound in BOUND_COLUMNS:  # each null where the other is: a flag is set with its bound
        flag = f"{bound}_closed"
        for column, other in ((flag, bound), (bound, flag)):
            items.append(
                expect.ExpectColumnValuesToBeNull(
                    column=column, row_condition=column_is(other).is_null()
                )
            )
    return items


def _references_suite() -> Any:
    gx, expect, column_is = _gx()
    items = [
        expect.ExpectColumnValuesToBeNull(
            column="dangling",
            row_condition=column_is("reference") == integrity.reference_key(table, column),
            meta={"table": table, "check": f"{table}.{column} in {target}.{target_column}"},
        )
        for table, column, target, target_column in integrity.REFERENCES
    ]
    items += [
        expect.ExpectColumnValuesToBeNull(
            column="dangling",
            row_condition=column_is("reference") == integrity.id_prefix_key(table, column),
            meta={"table": table, "check": f"{table}.{column} starts with {table}.doc_id#"},
        )
        for table, column in integrity.ID_PREFIXES
    ]
    return gx.ExpectationSuite(name="integrity_references", expectations=items)


def _offsets_suite() -> Any:
    gx, expect, column_is = _gx()
    items = []
    for table in integrity.SPAN_TABLES:
        condition = column_is("table") == table
        items.append(
            _greater(
                expect,
                "document_length",
                "end",
                or_equal=True,
                row_condition=condition,
                meta={"table": table, "check": "end <= len(documents.text)"},
            )
        )
        items.append(
            expect.ExpectColumnPairValuesToBeEqual(
                column_A="text",
                column_B="document_slice",
                ignore_row_if="either_value_is_missing",
                row_condition=condition,
                meta={"table": table, "check": "text == documents.text[start:end]"},
            )
        )
    return gx.ExpectationSuite(name="integrity_offsets", expectations=items)


def _schema_suite() -> Any:
    gx, expect, column_is = _gx()
    items = []
    for table in schemas.TABLES:
        condition = column_is("table") == table
        for column, check in (
            ("observed_type", "Parquet types == contract"),
            ("manifest_type", "manifest types == contract"),
        ):
            items.append(
                expect.ExpectColumnPairValuesToBeEqual(
                    column_A=column,
                    column_B="expected_type",
                    row_condition=condition,
                    meta={"table": table, "check": check},
                )
            )
    return gx.ExpectationSuite(name="integrity_schema", expectations=items)


def _manifest_suite() -> Any:
    gx, expect, column_is = _gx()
    items = []
    for table in [*schemas.TABLES, integrity.CONTENT_HASH_ROW]:
        condition = column_is("table") == table
        for fact in ("sha256", "bytes", "rows"):
            if table == integrity.CONTENT_HASH_ROW and fact != "sha256":
                continue
            items.append(
                expect.ExpectColumnPairValuesToBeEqual(
                    column_A=f"manifest_{fact}",
                    column_B=f"file_{fact}",
                    row_condition=condition,
                    meta={"table": table, "check": f"manifest {fact} == file {fact}"},
                )
            )
    return gx.ExpectationSuite(name="integrity_manifest", expectations=items)


if __name__ == "__main__":
    for written in write_suites():
        print(written)
