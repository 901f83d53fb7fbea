"""Read a release's document tables a batch of documents at a time (validation in bounded memory).

Every row of the document tables belongs to one document (`doc_id`). A chunk is a half-open
range of document ids, [first id of the batch, first id of the next batch): its rows of every
table are read with a Parquet filter (row groups are pruned by their doc_id statistics, since
the build writes rows in document order). Consecutive ranges cover every possible id, and the
last chunk also takes rows whose doc_id is null, so every row is read exactly once, including
rows that name no document (the reference checks then flag them).

Chunk boundaries are chosen by the ids themselves (content-defined, as in rsync): an id starts
a chunk when a hash of it says so, within a minimum and maximum chunk size. Editing, adding or
removing one document therefore changes one chunk and leaves the others' rows, and their
cached validation results, as they were. The readers here (a table's path, footer, rows,
columns) are shared by validation and diff: one clear ReleaseError for a file that is not
Parquet.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.errors import ReleaseError

DOCUMENT_TABLES = ("documents", "segments", "mentions", "numbers", "claims")
# At most this many documents a chunk (≈ 6 MB of text in documents of the seed's size). A
# 1,000-document chunk's GX working set was ~0.55 GB; 500 halves it for ~1 s of fixed GX cost
# per extra chunk (50 MB corpus: 7 → ~11 chunks).
CHUNK_DOCUMENTS = 500
DOC_ID = "doc_id"


@dataclass(frozen=True)
class Chunk:
    """Documents with ids in [low, high) (None: unbounded); `first` also reads unkeyed tables."""

    low: str | None
    high: str | None
    first: bool


def plan_chunks(files: dict[str, Path], chunk_documents: int = CHUNK_DOCUMENTS) -> list[Chunk]:
    """The chunks of the document tables in `files`: at most `chunk_documents` documents each.

    When the documents table has no doc_id column (a broken release), everything is one chunk.
    """
    if "documents" not in files or DOC_ID not in pq.read_schema(files["documents"]).names:
        return [Chunk(None, None, True)]
    ids = read_table(files["documents"], columns=[DOC_ID])[DOC_ID]
    ordered = pc.unique(ids.drop_null()).sort().to_pylist() if len(ids) else []
    starts = chunk_starts(ordered, chunk_documents)
    lows, highs = [None, *starts], [*starts, None]
    return [
        Chunk(low, high, index == 0)
        for index, (low, high) in enumerate(zip(lows, highs, strict=True))
    ]


def chunk_starts(ordered_ids: list[str], chunk_documents: int) -> list[str]:
    """The ids that begin a new chunk (the first chunk's start is implicit).

    An id begins a chunk when its hash is a multiple of chunk_documents / 2 and the current
    chunk holds at least half of chunk_documents, or when the chunk is full.
    """
    maximum = max(1, chunk_documents)
    minimum = modulus = max(1, maximum // 2)
    starts: list[str] = []
    size = 0
    for doc_id in ordered_ids:
        if size and (size >= maximum or (size >= minimum and _hash(doc_id) % modulus == 0)):
            starts.append(doc_id)
            size = 0
        size += 1
    return starts


def read_chunk(files: dict[str, Path], chunk: Chunk) -> dict[str, pa.Table]:
    """{table: rows of the chunk's documents} for the document tables in `files`.

    Tables without a doc_id column (a broken release) are read whole into the first chunk.
    """
    names = [name for name in DOCUMENT_TABLES if name in files]
    keyed = {name for name in names if DOC_ID in pq.read_schema(files[name]).names}
    condition = _id_range(chunk.low, chunk.high)
    return {
        name: read_table(files[name], condition if name in keyed else None)
        for name in names
        if name in keyed or chunk.first
    }


def table_file(release_dir: Path, manifest: dict, name: str) -> Path:
    """Where a release keeps table `name`: the manifest's file name, else `<name>.parquet`."""
    entry = manifest.get("tables", {}).get(name, {})
    return Path(release_dir) / entry.get("file", f"{name}.parquet")


def read_footer(path: Path) -> pq.FileMetaData:
    """A table file's footer (row count, schema), or ReleaseError if it is not Parquet."""
    try:
        return pq.read_metadata(path)
    except (pa.ArrowException, OSError) as exc:
        raise ReleaseError(f"{path} is not a readable Parquet file: {exc}") from exc


def read_table(
    path: Path, condition: pc.Expression | None = None, columns: list[str] | None = None
) -> pa.Table:
    """One table file (its rows matching `condition`), or ReleaseError if it cannot be read."""
    try:
        return pq.read_table(path, filters=condition, columns=columns)
    except (pa.ArrowException, OSError) as exc:
        raise ReleaseError(f"{path} is not a readable Parquet file: {exc}") from exc


def read_columns(path: Path, columns: list[str]) -> pa.Table:
    """The given columns of a table file (those it has), for whole-table checks."""
    present = [name for name in columns if name in pq.read_schema(path).names]
    return read_table(path, columns=present)  # no columns still keeps the row count


def _hash(doc_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big")


def _id_range(low: str | None, high: str | None) -> pc.Expression | None:
    field = pc.field(DOC_ID)
    if low is None and high is None:
        return None
    if low is None:
        return field < high
    if high is None:
        return (field >= low) | field.is_null()
    return (field >= low) & (field < high)
