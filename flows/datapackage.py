"""A release's Frictionless `datapackage.json`: the Parquet tables with typed schemas and keys."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from flows import release, schemas
from flows.paths import VOCAB_DIR

DATAPACKAGE_FILE = "datapackage.json"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
COLUMN_DESCRIPTIONS = VOCAB_DIR / "column_descriptions.csv"
# Columns whose values come from a vocabulary of the data contract (become "enum" constraints).
VOCABULARY_COLUMNS = schemas.VOCABULARY_COLUMNS


def write_datapackage(release_dir: Path) -> Path:
    """Write `<release>/datapackage.json` describing every table the manifest lists."""
    release_dir = Path(release_dir)
    manifest = release.read_manifest(release_dir)
    names = [name for name in schemas.TABLES if name in manifest["tables"]]
    descriptor = {
        "profile": "data-package",
        "name": release.DATASET_NAME,
        "title": "Market claims",
        "version": manifest["version"],
        "created": manifest.get("created_at"),
        "description": "Checkable quantitative claims from Chinese market commentary, "
        "with verdicts against reference market data.",
        "resources": [_resource(name, manifest["tables"][name], names) for name in names],
    }
    path = release_dir / DATAPACKAGE_FILE
    release.write_json(path, descriptor)
    return path


def frictionless_type(arrow_type: pa.DataType, nullable: bool = False) -> str:
    """The Table Schema type Frictionless can check for a pyarrow type; exact type is in arrowType.

    Frictionless reads Parquet through pandas: list cells arrive as numpy arrays (its "array"
    type rejects them) and null integers as NaN floats (its "integer" type rejects NaN), so
    those map to "any" and "number"; everything else maps one to one.
    """
    if pa.types.is_integer(arrow_type) and nullable:
        return "number"
    checks = (
        (pa.types.is_string, "string"),
        (pa.types.is_large_string, "string"),
        (pa.types.is_boolean, "boolean"),
        (pa.types.is_integer, "integer"),
        (pa.types.is_floating, "number"),
        (pa.types.is_decimal, "number"),
        (pa.types.is_date, "date"),
        (pa.types.is_timestamp, "datetime"),
        (pa.types.is_time, "time"),
    )
    return next((name for check, name in checks if check(arrow_type)), "any")


def foreign_keys(name: str, present: list[str]) -> list[dict]:
    """`*_id` columns named after another table's one-column primary key reference that table."""
    spec = schemas.TABLES[name]
    keys = []
    for other in present:
        key = schemas.TABLES[other].primary_key
        if other == name or len(key) != 1 or not key[0].endswith("_id"):
            continue
        if key[0] not in spec.schema.names:
            continue
        keys.append({"fields": key[0], "reference": {"resource": other, "fields": key[0]}})
    return keys


def column_descriptions() -> dict[tuple[str, str], str]:
    """(table, column) → one-line description, from flows/vocab/column_descriptions.csv."""
    with open(COLUMN_DESCRIPTIONS, encoding="utf-8", newline="") as handle:
        return {(row["table"], row["column"]): row["description"] for row in csv.DictReader(handle)}


def _resource(name: str, entry: dict, present: list[str]) -> dict:
    spec = schemas.TABLES[name]
    descriptions = column_descriptions()
    fields = []
    for field in spec.schema:
        described = {
            "name": field.name,
            "type": frictionless_type(field.type, field.nullable),
            "arrowType": str(field.type),
            "description": descriptions.get((name, field.name), ""),
        }
        constraints = {"required": True} if not field.nullable else {}
        if (name, field.name) in VOCABULARY_COLUMNS:
            constraints["enum"] = list(VOCABULARY_COLUMNS[name, field.name])
        if constraints:
            described["constraints"] = constraints
        fields.append(described)
    table_schema = {"fields": fields, "primaryKey": list(spec.primary_key)}
    references = foreign_keys(name, present)
    if references:
        table_schema["foreignKeys"] = references
    description = (spec.schema.metadata or {}).get(b"description", b"").decode()
    return {
        "name": name,
        "path": entry["file"],
        "profile": "tabular-data-resource",
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "description": description,
        "hash": f"sha256:{entry['sha256']}",  # no "bytes": Frictionless cannot count Parquet
        "schema": table_schema,
    }
