"""The build's content-addressed cache under `<out>/.cache/`: table slices as Parquet, by key.

A key is a sha256 over the hashes of everything the value depends on (a document's bytes,
its sidecar, the reference snapshot, the code and rules version), so an entry never goes
stale: changed inputs simply look up another key. An entry is a directory of
`<table>.parquet` files plus `summary.json`, written into a temporary directory and renamed
into place, so readers see a whole entry or none; an unreadable entry counts as a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from flows import schemas
from flows.paths import PACKAGE_DIR

CACHE_DIRNAME = ".cache"
SUMMARY_FILE = "summary.json"
# The sources whose change can change a table row: the transforms, the number recognizer,
# the data contract and the vocabularies (rules as data).
CODE_PATTERNS = (
    "transforms/*.py",
    "numbers*.py",
    "number_*.py",
    "numerals.py",
    "schemas.py",
    "vocab/*",
)
_PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 1}


def cache_dir_for(out_dir: Path) -> Path:
    """Where the build keeps its cache for releases published into `out_dir`."""
    return Path(out_dir) / CACHE_DIRNAME


@cache
def code_version() -> str:
    """A sha256 over the code and rules that shape the tables (computed once per process)."""
    return hash_files(PACKAGE_DIR, CODE_PATTERNS)


def hash_files(root: Path, patterns: Sequence[str]) -> str:
    """One sha256 over the relative paths and bytes of every file matching `patterns`."""
    files = sorted({path for pattern in patterns for path in root.glob(pattern) if path.is_file()})
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def combine_keys(kind: str, parts: Iterable[str]) -> str:
    """A key for `kind` ("document", "shard", …) over the hashes it depends on, in order."""
    digest = hashlib.sha256(kind.encode() + b"\0")
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def entry_dir(cache_dir: Path, kind: str, key: str) -> Path:
    """`<cache>/<kind>/<2 hex>/<key>`: two levels keep directories small on big corpora."""
    return Path(cache_dir) / kind / key[:2] / key


def read_entry(directory: Path, names: Sequence[str]) -> tuple[dict[str, pa.Table], dict] | None:
    """The tables `names` and the summary of one entry, or None if absent or unreadable."""
    summary = read_entry_summary(directory, names)
    if summary is None:
        return None
    try:
        tables = {name: pq.read_table(directory / f"{name}.parquet") for name in names}
    except (OSError, pa.ArrowException):
        return None
    return tables, summary


def read_entry_summary(directory: Path, names: Sequence[str]) -> dict | None:
    """The summary of an entry whose table files have intact footers with the contract's
    schemas, or None: a cache hit without decoding the tables (they are read when staged)."""
    try:
        summary = json.loads((directory / SUMMARY_FILE).read_text(encoding="utf-8"))
        footers = {name: pq.read_schema(directory / f"{name}.parquet") for name in names}
    except (OSError, ValueError, pa.ArrowException):
        return None
    if not isinstance(summary, dict):
        return None
    if any(not footers[name].equals(schemas.TABLES[name].schema) for name in names):
        return None
    return summary


def has_entry(directory: Path, names: Sequence[str]) -> bool:
    """True when every file of an entry is present (a cheap check, without reading them)."""
    files = [SUMMARY_FILE, *(f"{name}.parquet" for name in names)]
    return all((directory / name).is_file() for name in files)


def write_entry(directory: Path, tables: dict[str, pa.Table], summary: dict) -> Path:
    """Write an entry atomically; when another writer got there first, theirs is kept."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    temporary = directory.parent / f".tmp-{directory.name[:16]}-{uuid.uuid4().hex}"
    temporary.mkdir()
    try:
        for name, table in tables.items():
            pq.write_table(table, temporary / f"{name}.parquet", **_PARQUET_OPTIONS)
        text = json.dumps(summary, ensure_ascii=False, sort_keys=True)
        (temporary / SUMMARY_FILE).write_text(text, encoding="utf-8")
        if directory.exists():  # a corrupt or concurrent entry: replace it
            shutil.rmtree(directory, ignore_errors=True)
        os.replace(temporary, directory)
    except OSError:
        if not has_entry(directory, list(tables)):
            raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return directory
