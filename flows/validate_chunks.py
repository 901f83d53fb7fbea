"""Validate one chunk of a release's document tables; results as JSON, cached by content.

A chunk's results depend only on its rows, the suites and the validation code, so they are
cached under a key over exactly those: a rebuild that changed one document validates one
chunk again and takes the others' results from the cache. Results are plain JSON, so a chunk
can also be validated in another process (a Dask worker) and its results sent back.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import cache as memoize
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from flows import cache, integrity, release_chunks, suites
from flows.gx_session import ALL_CHECKS, ROW_CHECKS, GXSession
from flows.memory import release_unused_memory
from flows.paths import PACKAGE_DIR

# The code that decides a chunk's results, besides the suites themselves.
VALIDATION_CODE = (
    "validate*.py",
    "gx_session.py",
    "integrity.py",
    "validation_report.py",
    "release_chunks.py",
    "schemas.py",
)
_sessions: dict[tuple[Path, str], tuple[GXSession, threading.Lock]] = {}
_sessions_lock = threading.Lock()


@dataclass(frozen=True)
class ChunkResults:
    """One chunk's GX results as JSON: (suite, part) → result, and whether they were cached."""

    results: tuple[tuple[str, str, dict], ...]
    from_cache: bool


def validate_chunk(
    files: dict[str, Path],
    chunk: release_chunks.Chunk,
    expectations_dir: Path,
    cache_dir: Path | None = None,
) -> ChunkResults:
    """The row-level table suites and the reference and offset suites, on one chunk's rows."""
    expectations_dir = Path(expectations_dir)
    tables = release_chunks.read_chunk(files, chunk)
    directory = None
    if cache_dir is not None:
        key = chunk_key(tables, expectations_dir)
        directory = cache.entry_dir(cache_dir, "validation", key)
        cached = _cached_results(cache.read_entry_summary(directory, ()))
        if cached is not None:
            return ChunkResults(cached, from_cache=True)
    results = _run_suites(tables, expectations_dir)
    del tables
    release_unused_memory()  # the chunk's frames are gone; the next chunk starts from less
    if directory is not None:
        cache.write_entry(directory, {}, {"results": [list(item) for item in results]})
    return ChunkResults(results, from_cache=False)


def chunk_key(tables: dict[str, pa.Table], expectations_dir: Path) -> str:
    """A sha256 over the chunk's rows (`table_digest`), its suites and the validation code."""
    parts = [suites.import_gx().__version__, _code_version(), _suites_version(expectations_dir)]
    for name in sorted(tables):
        parts.append(f"{name}:{table_digest(tables[name])}")
    return cache.combine_keys("validation-chunk", parts)


def table_digest(table: pa.Table) -> str:
    """A sha256 of a table's schema and values, whatever its layout in memory.

    Only defined bytes are hashed: the validity of each slot, then the values that are
    present. Bytes under null slots and buffer slack are undefined in Arrow (a Parquet
    reader leaves whatever was there), and chunking depends on the file's row groups.
    """
    digest = hashlib.sha256(table.schema.serialize().to_pybytes())
    digest.update(table.num_rows.to_bytes(8, "big"))
    for column in table.columns:
        _hash_array(digest, column.combine_chunks())
    return digest.hexdigest()


def integrity_frames(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The reference and offset integrity frames of (a chunk of) the document tables."""
    return {
        "integrity_references": _arrow_backed(integrity.build_reference_frame(tables)),
        "integrity_offsets": _arrow_backed(integrity.build_offset_frame(tables)),
    }


def arrow_frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _hash_array(digest, array: pa.Array) -> None:
    valid = pc.is_valid(array)
    digest.update(np.packbits(valid.to_numpy(zero_copy_only=False)).tobytes())
    present = array.filter(valid) if array.null_count else array
    kind = present.type
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        digest.update(pc.list_value_length(present).to_numpy(zero_copy_only=False).tobytes())
        _hash_array(digest, pc.list_flatten(present))
    elif pa.types.is_string(kind) or pa.types.is_binary(kind):
        offsets = np.frombuffer(present.buffers()[1] or b"", dtype=np.int32)
        offsets = offsets[present.offset : present.offset + len(present) + 1]
        if len(present):
            digest.update((offsets - offsets[0]).tobytes())
            digest.update(memoryview(present.buffers()[2])[offsets[0] : offsets[-1]])
    else:  # numbers, dates, booleans: numpy values, one per slot
        digest.update(present.to_numpy(zero_copy_only=False).tobytes())


def _run_suites(
    tables: dict[str, pa.Table], expectations_dir: Path
) -> tuple[tuple[str, str, dict], ...]:
    frames = {name: arrow_frame(table) for name, table in tables.items()}
    session, lock = _session(expectations_dir)
    runs = [(name, ROW_CHECKS, frame) for name, frame in frames.items()]
    runs += [(name, ALL_CHECKS, frame) for name, frame in integrity_frames(frames).items()]
    with lock:
        return tuple(
            (name, part, session.run_detached(name, frame, part)) for name, part, frame in runs
        )


def _cached_results(summary: dict | None) -> tuple[tuple[str, str, dict], ...] | None:
    """The results of a cache entry, or None when it does not hold (suite, part, result)s."""
    items = summary.get("results") if isinstance(summary, dict) else None
    if not isinstance(items, list):
        return None
    if not all(isinstance(item, list) and len(item) == 3 for item in items):
        return None
    if not all(isinstance(name, str) and isinstance(payload, dict) for name, _, payload in items):
        return None
    return tuple((name, part, payload) for name, part, payload in items)


def _session(expectations_dir: Path) -> tuple[GXSession, threading.Lock]:
    """One GX session per process and version of the suites, reused by every chunk run here.

    Keyed on the suites' content too: a long-running process (`serve`) picks up edited suites.
    """
    key = (expectations_dir, _suites_version(expectations_dir))
    with _sessions_lock:
        if key not in _sessions:
            _sessions.clear()
            _sessions[key] = (GXSession(expectations_dir), threading.Lock())
        return _sessions[key]


@memoize
def _code_version() -> str:
    return cache.hash_files(PACKAGE_DIR, VALIDATION_CODE)


def _suites_version(expectations_dir: Path) -> str:
    return cache.hash_files(expectations_dir, ("*.json",))


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
