"""Read a release's document tables a batch of documents at a time (validation in bounded memory).

Every row of the document tables belongs to one document (`doc_id`). A chunk is a half-open
range of document ids, [first id of the batch, first id of the next batch): its rows of every
table are read with a Parquet filter (row groups are pruned by their doc_id statistics, since
the build writes rows in document order). Consecutive ranges cover every possible id, and the
last chunk also takes rows whose doc_id is null, so every row is read exactly once, including
rows that name no document (the reference checks then flag them). The readers here (a table's
path, footer, rows, columns) are shared by validation and diff: one clear ReleaseError for a
file that is not Parquet.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.errors import ReleaseError

DOCUMENT_TABLES = ("documents", "segments", "mentions", "numbers", "claims")
CHUNK_DOCUMENTS = 1000  # ≈ 12 MB of text in documents of the seed's size: ~0.5 GB at peak
DOC_ID = "doc_id"


def document_chunks(
    files: dict[str, Path], chunk_documents: int = CHUNK_DOCUMENTS
) -> Iterator[dict[str, pa.Table]]:
    """Yield {table: rows of one batch of documents} for the document tables in `files`.

    Tables without a doc_id column (a broken release) are read whole into the first chunk,
    and if the documents table has none, everything is one chunk.
    """
    names = [name for name in DOCUMENT_TABLES if name in files]
    keyed = [name for name in names if DOC_ID in pq.read_schema(files[name]).names]
    if "documents" not in keyed:
        yield {name: read_table(files[name]) for name in names}
        return
    ids = pq.read_table(files["documents"], columns=[DOC_ID])[DOC_ID]
    ordered = pc.unique(ids.drop_null()).sort().to_pylist() if len(ids) else []
    bounds = ordered[:: max(1, chunk_documents)][1:]  # where each chunk after the first begins
    lows, highs = [None, *bounds], [*bounds, None]
    for index, (low, high) in enumerate(zip(lows, highs, strict=True)):
        condition = _id_range(low, high)
        chunk = {name: read_table(files[name], condition) for name in keyed}
        if index == 0:
            chunk |= {name: read_table(files[name]) for name in names if name not in keyed}
        yield chunk


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


def _id_range(low: str | None, high: str | None) -> pc.Expression | None:
    field = pc.field(DOC_ID)
    if low is None and high is None:
        return None
    if low is None:
        return field < high
    if high is None:
        return (field >= low) | field.is_null()
    return (field >= low) & (field < high)
