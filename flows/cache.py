"""The build's content-addressed cache under `<out>/.cache/`: table slices as Parquet, by key.

A key is a sha256 over the hashes of everything the value depends on (a document's bytes,
its sidecar, the reference snapshot, the code and rules version), so an entry never goes
stale: changed inputs simply look up another key. An entry is a directory of
`<table>.parquet` files plus `summary.json`, written into a temporary directory and renamed
into place, so readers see a whole entry or none; an unreadable entry counts as a miss.
Reading an entry marks it used (its directory's mtime); `prune` deletes the entries no build
has used for a while, so a folder rebuilt on a schedule does not grow without end.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
_TEMPORARY_PREFIX = ".tmp-"
DAY_SECONDS = 86_400
# Entries unused this long are deleted after a build that published: a weekly rebuild still
# finds last week's documents, and an alternating reference version finds its own.
DEFAULT_CACHE_DAYS = 7.0


@dataclass(frozen=True)
class CacheUsage:
    """How many entries (and temporary directories) and bytes, per kind of entry."""

    entries: dict[str, int]
    bytes: dict[str, int]

    @property
    def total_entries(self) -> int:
        return sum(self.entries.values())

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes.values())


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
    touch_entry(directory)
    return summary


def touch_entry(directory: Path) -> None:
    """Mark an entry as used now, so that `prune` keeps it (a missing entry is ignored)."""
    try:
        os.utime(directory)
    except OSError:
        pass


def has_entry(directory: Path, names: Sequence[str]) -> bool:
    """True when every file of an entry is present (a cheap check, without reading them)."""
    files = [SUMMARY_FILE, *(f"{name}.parquet" for name in names)]
    return all((directory / name).is_file() for name in files)


def write_entry(directory: Path, tables: dict[str, pa.Table], summary: dict) -> Path:
    """Write an entry atomically; when another writer got there first, theirs is kept."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    temporary = directory.parent / f"{_TEMPORARY_PREFIX}{directory.name[:16]}-{uuid.uuid4().hex}"
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


def prune(cache_dir: Path, unused_since: float) -> CacheUsage:
    """Delete the entries last used before `unused_since` (epoch seconds), and the temporary
    directories of interrupted writers; return what was deleted.

    Call it under the output folder's build lock (flows/out_lock.py), after a build: then no
    writer is active and every entry that build needed carries a fresh mtime. A pruned entry
    costs only time: the next build that needs it computes it again.
    """
    return _walk(Path(cache_dir), lambda entry, mtime: _is_temporary(entry) or mtime < unused_since)


def usage(cache_dir: Path) -> CacheUsage:
    """What the cache holds now (nothing is deleted)."""
    return _walk(Path(cache_dir), None)


def unused_since(started: float, days: float) -> float:
    """The cut-off for `prune`: entries unused for `days` before a build that began at `started`
    (days=0 keeps exactly what that build used)."""
    return started - days * DAY_SECONDS


def _walk(cache_dir: Path, doomed) -> CacheUsage:
    entries: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for kind in sorted(path for path in _children(cache_dir) if path.is_dir()):
        for bucket in _children(kind):
            for entry in _children(bucket):
                try:
                    mtime = entry.stat().st_mtime
                except OSError:
                    continue
                if doomed is not None and not doomed(entry, mtime):
                    continue
                entries[kind.name] = entries.get(kind.name, 0) + 1
                sizes[kind.name] = sizes.get(kind.name, 0) + _size(entry)
                if doomed is not None:
                    shutil.rmtree(entry, ignore_errors=True)
            if doomed is not None:
                _remove_if_empty(bucket)
    return CacheUsage(entries, sizes)


def _children(directory: Path) -> list[Path]:
    try:
        return sorted(directory.iterdir())
    except OSError:
        return []


def _is_temporary(entry: Path) -> bool:
    return entry.name.startswith(_TEMPORARY_PREFIX)


def _size(entry: Path) -> int:
    total = 0
    for path in _children(entry):
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total


def _remove_if_empty(directory: Path) -> None:
    try:
        directory.rmdir()
    except OSError:
        pass
