"""Shards: the corpus cut into batches of raw files, each built alone or served from the cache.

A shard's tables are written to the cache (they double as the build's spool), so the release
stage concatenates them from disk and memory stays bounded by the shard size, not the corpus.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows import cache, pipeline
from flows.calendar import TradingCalendar
from flows.reference import ReferenceSnapshot
from flows.sources import RawInput, list_raw_inputs, read_raw_input
from flows.transforms.ingest import RawFile
from flows.transforms.join import select_market_rows

SHARD_DOCUMENTS = 64
SHARD_BYTES = 4_000_000
TABLES = pipeline.DOCUMENT_TABLES
_MARKET_COLUMNS = ["subject_id", "metric", "as_of"]


@dataclass(frozen=True)
class BuildPlan:
    """What a build will read: manifest inputs, their fingerprint, and the shards of files."""

    inputs: list[dict]
    fingerprint: str
    shards: list[list[RawInput]] = field(repr=False)


@dataclass(frozen=True)
class ShardResult:
    """Where one shard's tables are on disk, how they were obtained, and what they hold."""

    directory: str
    documents_processed: int
    documents_from_cache: int
    summary: dict

    def table_file(self, name: str) -> Path:
        return Path(self.directory) / f"{name}.parquet"


def plan_build(
    raw_dir: Path,
    reference_hash: str,
    *,
    shard_documents: int = SHARD_DOCUMENTS,
    shard_bytes: int = SHARD_BYTES,
) -> BuildPlan:
    """Hash every input (streaming, one file at a time) and cut the files into shards.

    A shard closes at `shard_documents` files or `shard_bytes` bytes, whichever comes first,
    so the same files give the same shards whichever task runner builds them.
    """
    inputs: list[dict] = []
    shards: list[list[RawInput]] = [[]]
    size = 0
    for item in list_raw_inputs(raw_dir):
        entries = pipeline.describe_inputs([read_raw_input(item)])
        inputs += entries
        if shards[-1] and (len(shards[-1]) >= shard_documents or size >= shard_bytes):
            shards.append([])
            size = 0
        shards[-1].append(item)
        size += sum(entry["bytes"] for entry in entries)
    inputs.sort(key=lambda entry: entry["path"])
    return BuildPlan(inputs, input_fingerprint(inputs, reference_hash), shards)


def input_fingerprint(inputs: Sequence[dict], reference_hash: str) -> str:
    """One hash over every input's checksum, the reference snapshot and the code version."""
    parts = [f"{entry['path']}:{entry['sha256']}" for entry in inputs]
    return cache.combine_keys("build", [cache.code_version(), reference_hash, *parts])


def document_key(raw: RawFile, reference_hash: str) -> str:
    """The cache key of one raw file's slices: its bytes, sidecar, reference and code."""
    sidecar = hashlib.sha256(raw.sidecar).hexdigest() if raw.sidecar is not None else "-"
    data = hashlib.sha256(raw.data).hexdigest()
    parts = [cache.code_version(), reference_hash, raw.path, data, sidecar]
    return cache.combine_keys("document", parts)


def build_shard(
    shard: Sequence[RawInput], cache_dir: Path, reference: ReferenceSnapshot
) -> ShardResult:
    """The tables of one shard: from the shard's cache entry, else per document (cache or build).

    Only documents without a readable cache entry are processed; their slices are cached.
    """
    raws = [read_raw_input(item) for item in shard]
    keys = [document_key(raw, reference.content_hash) for raw in raws]
    shard_dir = cache.entry_dir(cache_dir, "shards", cache.combine_keys("shard", keys))
    if (cached := cache.read_entry_summary(shard_dir, TABLES)) is not None:
        for key in keys:  # still in use: a later edit to one file rebuilds only that file
            cache.touch_entry(cache.entry_dir(cache_dir, "documents", key))
        return ShardResult(str(shard_dir), 0, len(raws), cached)
    slices: dict[str, dict[str, pa.Table]] = {}
    missing = []
    for raw, key in zip(raws, keys, strict=True):
        entry = cache.read_entry(cache.entry_dir(cache_dir, "documents", key), TABLES)
        if entry is None:
            missing.append((raw, key))
        else:
            slices[raw.path] = entry[0]
    if missing:
        fresh = pipeline.build_document_slices([raw for raw, _ in missing], reference, _calendar())
        for raw, key in missing:
            directory = cache.entry_dir(cache_dir, "documents", key)
            cache.write_entry(directory, fresh[raw.path], {"path": raw.path})
            slices[raw.path] = fresh[raw.path]
    tables = {name: pa.concat_tables([slices[raw.path][name] for raw in raws]) for name in TABLES}
    summary = summarize_tables(tables)
    cache.write_entry(shard_dir, tables, summary)
    return ShardResult(str(shard_dir), len(missing), len(raws) - len(missing), summary)


def summarize_tables(tables: dict[str, pa.Table]) -> dict:
    """Row counts, claims by verdict, rejects and undated documents: the build summary's parts."""
    verdicts = pc.value_counts(tables["claims"]["verdict"]).to_pylist()
    rejects = tables["rejects"].select(["path", "reason"]).to_pylist()
    documents = tables["documents"]
    undated = documents.filter(pc.is_null(documents["published"]))["path"].to_pylist()
    return {
        "rows": {name: table.num_rows for name, table in tables.items()},
        "claims_by_verdict": {item["values"]: item["counts"] for item in verdicts},
        "rejects": rejects,
        "undated": undated,
    }


def summarize_release(release_dir: Path) -> dict:
    """`summarize_tables` of a published release, reading only the columns it needs."""
    columns = {"documents": ["path", "published"], "rejects": ["path", "reason"]}
    columns["claims"] = ["verdict"]
    tables = {
        name: pq.read_table(Path(release_dir) / f"{name}.parquet", columns=columns.get(name, []))
        for name in TABLES
    }
    return summarize_tables(tables)


def select_market_daily(
    results: Sequence[ShardResult], reference: ReferenceSnapshot
) -> pd.DataFrame:
    """The reference bars the verdicts of every shard used (read from disk, a few columns)."""
    pieces = [pq.read_table(item.table_file("claims"), columns=_MARKET_COLUMNS) for item in results]
    return select_market_rows(pa.concat_tables(pieces).to_pandas(), reference, _calendar())


def _calendar() -> TradingCalendar:
    return TradingCalendar()
