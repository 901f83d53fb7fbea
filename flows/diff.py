"""Compare two releases: schema changes, rows added/removed/changed by key, verdict changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from flows import release, release_chunks, schemas
from flows.errors import ReleaseError

MAX_LISTED = 20  # keys listed per table and change kind; counts are always complete
CLAIM_FIELDS = ("verdict", "value", "lower", "upper", "reference_value")
NULL_TEXT = "\x00null"  # stands for a missing value when rows are compared as text


@dataclass(frozen=True)
class TableDiff:
    """How one table changed between two releases (keys are rendered as text)."""

    table: str
    old_rows: int
    new_rows: int
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    types_changed: tuple[tuple[str, str, str], ...] = ()
    added: int = 0
    removed: int = 0
    changed: int = 0
    added_keys: tuple[str, ...] = ()
    removed_keys: tuple[str, ...] = ()
    changed_keys: tuple[str, ...] = ()

    @property
    def is_identical(self) -> bool:
        return not (
            self.columns_added or self.columns_removed or self.types_changed
            or self.added or self.removed or self.changed
        )  # fmt: skip

    def to_dict(self) -> dict:
        return {
            "table": self.table,
            "old_rows": self.old_rows,
            "new_rows": self.new_rows,
            "columns_added": list(self.columns_added),
            "columns_removed": list(self.columns_removed),
            "types_changed": [list(item) for item in self.types_changed],
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
            "added_keys": list(self.added_keys),
            "removed_keys": list(self.removed_keys),
            "changed_keys": list(self.changed_keys),
        }


@dataclass(frozen=True)
class ReleaseDiff:
    """Everything that differs between an old and a new release."""

    old_version: str
    new_version: str
    old_schema_version: str
    new_schema_version: str
    tables: tuple[TableDiff, ...]
    claim_changes: tuple[dict, ...] = ()
    reference_change: dict | None = None

    @property
    def is_identical(self) -> bool:
        return all(t.is_identical for t in self.tables) and not self.reference_change

    def table(self, name: str) -> TableDiff:
        return next(item for item in self.tables if item.table == name)

    def to_dict(self) -> dict:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "schema_version": [self.old_schema_version, self.new_schema_version],
            "identical": self.is_identical,
            "reference_change": self.reference_change,
            "tables": [item.to_dict() for item in self.tables],
            "claim_changes": list(self.claim_changes),
        }

    def summary(self) -> str:
        """Readable summary first (one line per changed table), details after."""
        head = f"{self.old_version} → {self.new_version}"
        if self.is_identical:
            return f"{head}: identical data"
        lines = [head]
        if self.reference_change:
            old, new = self.reference_change["old"], self.reference_change["new"]
            lines.append(f"  reference: {old.get('version')} → {new.get('version')}")
        for item in self.tables:
            if item.is_identical:
                continue
            parts = [f"{item.old_rows} → {item.new_rows} rows"]
            parts += [f"+{item.added}", f"-{item.removed}", f"~{item.changed}"]
            if item.columns_added:
                parts.append(f"columns added {list(item.columns_added)}")
            if item.columns_removed:
                parts.append(f"columns removed {list(item.columns_removed)}")
            if item.types_changed:
                parts.append(f"types changed {[name for name, _, _ in item.types_changed]}")
            lines.append(f"  {item.table}: " + ", ".join(parts))
        if self.claim_changes:
            lines.append(f"claims with a changed {'/'.join(CLAIM_FIELDS)}:")
            for change in self.claim_changes:
                fields = "; ".join(
                    f"{name} {old!r} → {new!r}" for name, (old, new) in change["changes"].items()
                )
                lines.append(f"  {change['claim_id']}: {fields}")
        for item in self.tables:
            for label, keys in (
                ("added", item.added_keys),
                ("removed", item.removed_keys),
                ("changed", item.changed_keys),
            ):
                if keys:
                    lines.append(f"{item.table} {label}: {', '.join(keys)}")
        return "\n".join(lines)


def diff_releases(old_dir: Path, new_dir: Path) -> ReleaseDiff:
    """Diff two release directories table by table, matching rows on primary keys."""
    old_manifest, new_manifest = release.read_manifest(old_dir), release.read_manifest(new_dir)
    tables, claim_changes = [], ()
    for name, spec in schemas.TABLES.items():
        old = _read(old_dir, old_manifest, name)
        new = _read(new_dir, new_manifest, name)
        tables.append(diff_table(name, spec.primary_key, old, new))
        if name == "claims":
            claim_changes = tuple(diff_claims(old, new))
    return _release_diff(old_dir, new_dir, tables, claim_changes)


def diff_release_schemas(old_dir: Path, new_dir: Path) -> ReleaseDiff:
    """Row counts and schema changes only, from Parquet footers (no rows are read).

    What the release gate needs unless it limits verdict changes: cheap at any size.
    """
    old_manifest, new_manifest = release.read_manifest(old_dir), release.read_manifest(new_dir)
    tables = []
    for name in schemas.TABLES:
        old_rows, old_schema = _footer(old_dir, old_manifest, name)
        new_rows, new_schema = _footer(new_dir, new_manifest, name)
        changes = _column_changes(old_schema, new_schema)
        tables.append(TableDiff(table=name, old_rows=old_rows, new_rows=new_rows, **changes))
    return _release_diff(old_dir, new_dir, tables, ())


def diff_table(name: str, key: tuple[str, ...], old: pa.Table, new: pa.Table) -> TableDiff:
    """Schema and row changes of one table; rows are matched on `key`."""
    common = [c for c in old.schema.names if c in new.schema.names]
    key = tuple(c for c in key if c in common)
    if not key:
        raise ReleaseError(f"table {name!r} lost its primary key; cannot match rows")
    old_frame, new_frame = _comparable(old, common), _comparable(new, common)
    merged = old_frame.merge(
        new_frame, on=list(key), how="outer", indicator=True, suffixes=("@old", "@new")
    )
    added = merged[merged["_merge"] == "right_only"]
    removed = merged[merged["_merge"] == "left_only"]
    both = merged[merged["_merge"] == "both"]
    values = [c for c in common if c not in key]
    is_changed = pd.Series(False, index=both.index)
    for column in values:
        is_changed |= both[f"{column}@old"] != both[f"{column}@new"]
    changed = both[is_changed]
    return TableDiff(
        table=name,
        old_rows=old.num_rows,
        new_rows=new.num_rows,
        **_column_changes(old.schema, new.schema),
        added=len(added),
        removed=len(removed),
        changed=len(changed),
        added_keys=_keys(added, key),
        removed_keys=_keys(removed, key),
        changed_keys=_keys(changed, key),
    )


def diff_claims(old: pa.Table, new: pa.Table) -> list[dict]:
    """Claims present in both releases whose verdict, value, bounds or reference value changed."""
    fields = [f for f in CLAIM_FIELDS if f in old.schema.names and f in new.schema.names]
    if "claim_id" not in old.schema.names or "claim_id" not in new.schema.names:
        return []
    old_rows = {row["claim_id"]: row for row in old.select(["claim_id", *fields]).to_pylist()}
    changes = []
    for row in sorted(new.select(["claim_id", *fields]).to_pylist(), key=lambda r: r["claim_id"]):
        before = old_rows.get(row["claim_id"])
        if before is None:
            continue
        delta = {f: (before[f], row[f]) for f in fields if before[f] != row[f]}
        if delta:
            changes.append({"claim_id": row["claim_id"], "changes": delta})
    return changes


def _read(release_dir: Path, manifest: dict, name: str) -> pa.Table:
    path = release_chunks.table_file(release_dir, manifest, name)
    if not path.is_file():
        return schemas.TABLES[name].schema.empty_table()
    return release_chunks.read_table(path)


def _column_changes(old: pa.Schema, new: pa.Schema) -> dict:
    old_types = {f.name: str(f.type) for f in old}
    new_types = {f.name: str(f.type) for f in new}
    return {
        "columns_added": tuple(c for c in new_types if c not in old_types),
        "columns_removed": tuple(c for c in old_types if c not in new_types),
        "types_changed": tuple(
            (c, old_types[c], new_types[c])
            for c in old_types
            if c in new_types and old_types[c] != new_types[c]
        ),
    }


def _release_diff(old_dir: Path, new_dir: Path, tables: list, claim_changes) -> ReleaseDiff:
    old_manifest, new_manifest = release.read_manifest(old_dir), release.read_manifest(new_dir)
    old_reference, new_reference = old_manifest.get("reference"), new_manifest.get("reference")
    return ReleaseDiff(
        old_version=old_manifest.get("version", Path(old_dir).name),
        new_version=new_manifest.get("version", Path(new_dir).name),
        old_schema_version=str(old_manifest.get("schema_version")),
        new_schema_version=str(new_manifest.get("schema_version")),
        tables=tuple(tables),
        claim_changes=tuple(claim_changes),
        reference_change=(
            None if old_reference == new_reference else {"old": old_reference, "new": new_reference}
        ),
    )


def _footer(release_dir: Path, manifest: dict, name: str) -> tuple[int, pa.Schema]:
    path = release_chunks.table_file(release_dir, manifest, name)
    if not path.is_file():
        return 0, schemas.TABLES[name].schema
    metadata = release_chunks.read_footer(path)
    return metadata.num_rows, metadata.schema.to_arrow_schema()


def _comparable(table: pa.Table, columns: list[str]) -> pd.DataFrame:
    """Columns as text (nulls as a marker) so any type, lists included, compares by `!=`."""
    return pd.DataFrame(
        {c: [_text(value) for value in table.column(c).to_pylist()] for c in columns}, dtype=object
    )


def _text(value: object) -> str:
    if value is None:
        return NULL_TEXT
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value)


def _keys(frame: pd.DataFrame, key: tuple[str, ...]) -> tuple[str, ...]:
    rendered = sorted("|".join(parts) for parts in zip(*(frame[c] for c in key), strict=True))
    return tuple(rendered[:MAX_LISTED])
