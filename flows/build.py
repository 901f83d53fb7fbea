"""The `build` Prefect flow: raw files → validated, published release (or nothing published)."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from prefect import flow, unmapped
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows import cache, out_lock, pipeline, release, release_chunks, shards, tasks
from flows.errors import ValidationFailed
from flows.paths import EXPECTATIONS_DIR

# Prefect's default thread pool is unbounded: every shard would be in memory at once. Shards
# are CPU-bound Python, so threads only contend for the GIL: measured on 10 MB, two threads
# cost 1.14x the plain function calls' time (and 25% more CPU), one thread 1.05x. Scale out
# with processes instead (--workers, Dask).
DEFAULT_THREADS = 1
# Large task inputs are passed quote()d: Prefect otherwise walks every element of every input
# looking for futures (the manifest lists two entries per raw file, a chunk's GX results
# thousands of values), once per task run. The tasks here run in order, not on futures.
# Mapped tasks get no quote: a Dask worker would receive the wrapper itself.


@dataclass
class BuildSummary:
    """What one build did, for the CLI's summary and for tests."""

    status: str  # "published" | "no changes" | "restored" (LATEST back on an older release)
    version: str
    release_path: str | None
    documents: int
    segments: int
    mentions: int
    numbers: int
    claims_by_verdict: dict[str, int]
    rejects: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    documents_processed: int = 0  # raw files run through the per-document stages
    documents_from_cache: int = 0  # raw files whose tables came from the cache
    shards: int = 0
    chunks_validated: int = 0  # chunks of documents GX validated in this build
    chunks_from_cache: int = 0  # chunks whose validation results were cached
    cache_entries_pruned: int = 0  # cache entries no build had used for `cache_days`
    cache_bytes_pruned: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@flow(
    name="build",
    log_prints=False,
    validate_parameters=False,
    task_runner=ThreadPoolTaskRunner(max_workers=DEFAULT_THREADS),
)
def build(
    raw_dir: Path,
    out_dir: Path,
    reference_dir: Path | None = None,
    force_reason: str | None = None,
    expectations_dir: Path = EXPECTATIONS_DIR,
    shard_documents: int = shards.SHARD_DOCUMENTS,
    shard_bytes: int = shards.SHARD_BYTES,
    chunk_documents: int = release_chunks.CHUNK_DOCUMENTS,
    cache_days: float = cache.DEFAULT_CACHE_DAYS,
) -> BuildSummary:
    """Plan → shards (ingest … judged claims, cached per document) → stage → validate → publish.

    Shards and validation chunks are mapped tasks: on Dask they run on the workers. Both are
    cached by content, so a rebuild redoes only the shards and chunks whose inputs changed.
    Stops before any processing when the input fingerprint equals the latest release's.
    Tables equal to an older release's (an edit reverted) pass validation and the gate like any
    candidate, then point LATEST back at it: a release directory is never written twice.
    One build at a time per `out_dir` (flows/out_lock.py). After a build that published or
    restored, cache entries it did not use and no build used for `cache_days` are deleted.
    """
    raw_dir, out_dir, expectations_dir = Path(raw_dir), Path(out_dir), Path(expectations_dir)
    started = time.time()
    with out_lock.exclusive_build(out_dir) as stale:
        summary = _build(
            raw_dir,
            out_dir,
            reference_dir,
            force_reason,
            expectations_dir,
            (shard_documents, shard_bytes, chunk_documents),
        )
        if summary.status in ("published", "restored"):  # every entry in use was just read
            _prune_cache(summary, out_dir, cache.unused_since(started, cache_days))
    if stale:
        summary.notes.append(f"removed {len(stale)} staging folder(s) left by interrupted builds")
    return summary


def _build(
    raw_dir: Path,
    out_dir: Path,
    reference_dir: Path | None,
    force_reason: str | None,
    expectations_dir: Path,
    sizes: tuple[int, int, int],
) -> BuildSummary:
    """The flow's body, run under the output folder's lock."""
    shard_documents, shard_bytes, chunk_documents = sizes
    reference = tasks.load_reference_task(reference_dir)
    plan = tasks.plan_build_task(raw_dir, reference.content_hash, shard_documents, shard_bytes)
    previous = release.latest_release(out_dir)
    if previous and release.read_manifest(previous).get("input_fingerprint") == plan.fingerprint:
        return _unchanged(previous)
    futures = tasks.build_shard_task.map(
        plan.shards, unmapped(cache.cache_dir_for(out_dir)), unmapped(reference)
    )
    results = futures.result()
    tables: dict = {name: [item.table_file(name) for item in results] for name in shards.TABLES}
    tables["market_daily"] = tasks.select_market_daily_task(quote(results), quote(reference))
    reference_entry = {"version": reference.version, "content_hash": reference.content_hash}
    staged = tasks.stage_release_task(
        quote(tables), out_dir, quote(plan.inputs), reference_entry, plan.fingerprint
    )
    summary = _summarize(staged.version, [item.summary for item in results])
    summary.documents_processed = sum(item.documents_processed for item in results)
    summary.documents_from_cache = sum(item.documents_from_cache for item in results)
    summary.shards = len(results)
    if previous and _same_content(previous, staged):
        release.discard_staged(staged)
        summary.status, summary.version = "no changes", previous.name
        summary.release_path = str(previous)
        return summary
    plan = tasks.plan_validation_task(quote(staged), chunk_documents)
    chunks = tasks.validate_chunk_task.map(
        unmapped(plan.chunk_files),
        plan.chunks,
        unmapped(expectations_dir),
        unmapped(cache.cache_dir_for(out_dir)),
    )
    report = tasks.finish_validation_task(quote(plan), quote(chunks.result()), expectations_dir)
    if not report.success:
        release.discard_staged(staged)
        raise ValidationFailed(f"nothing published: {report.summary()}")
    summary.chunks_validated = report.chunks_validated
    summary.chunks_from_cache = report.chunks_from_cache
    gate = tasks.gate_release_task(previous, quote(staged), force_reason)
    if not gate.passed:
        release.discard_staged(staged)
        reasons = "; ".join(gate.reasons)
        raise ValidationFailed(f"release gate: {reasons}; nothing published (--force REASON)")
    # Tables equal to an older release's (an edit reverted), checked by today's suites and gate
    # like any candidate: LATEST goes back to that release, which is never written again.
    same = release.release_with_content(out_dir, staged.manifest["content_hash"])
    if same is not None:
        release.discard_staged(staged)
        summary.status, summary.version = "restored", same.name
        summary.release_path = str(tasks.restore_release_task(out_dir, same.name))
        return summary
    tasks.document_release_task(quote(staged), quote(report), quote(gate))
    published = tasks.publish_release_task(quote(staged), out_dir)
    summary.release_path = str(published)
    return summary


def build_flow_for(workers: int | None = None, dask_address: str | None = None):
    """The build flow on Prefect's default runner, a local Dask cluster, or an existing one.

    Remote Dask workers must see the raw, out and reference folders at the same paths.
    """
    if not workers and not dask_address:
        return build
    from prefect_dask import DaskTaskRunner

    from flows.dask_workers import LocalDaskTaskRunner

    if dask_address:
        runner = DaskTaskRunner(address=dask_address)
    else:
        cluster = {"n_workers": workers, "threads_per_worker": 1, "processes": True}
        runner = LocalDaskTaskRunner(cluster_kwargs={**cluster, "dashboard_address": ":0"})
    return build.with_options(task_runner=runner)


def _prune_cache(summary: BuildSummary, out_dir: Path, unused_since: float) -> None:
    pruned = cache.prune(cache.cache_dir_for(out_dir), unused_since)
    summary.cache_entries_pruned = pruned.total_entries
    summary.cache_bytes_pruned = pruned.total_bytes
    if pruned.total_entries:
        count, size = pruned.total_entries, pruned.total_bytes / 1e6
        summary.notes.append(f"cache: removed {count} entries no build used lately ({size:.1f} MB)")


def _unchanged(previous: Path) -> BuildSummary:
    summary = _summarize(previous.name, [shards.summarize_release(previous)])
    summary.status, summary.release_path, summary.shards = "no changes", str(previous), 0
    return summary


def _summarize(version: str, parts: list[dict]) -> BuildSummary:
    rows: dict[str, int] = {}
    verdicts: dict[str, int] = {}
    for part in parts:
        for name, count in part["rows"].items():
            rows[name] = rows.get(name, 0) + count
        for verdict, count in part["claims_by_verdict"].items():
            verdicts[verdict] = verdicts.get(verdict, 0) + count
    return BuildSummary(
        status="published",
        version=version,
        release_path=None,
        documents=rows.get("documents", 0),
        segments=rows.get("segments", 0),
        mentions=rows.get("mentions", 0),
        numbers=rows.get("numbers", 0),
        claims_by_verdict=dict(sorted(verdicts.items())),
        rejects=sorted((r for part in parts for r in part["rejects"]), key=lambda r: r["path"]),
        notes=pipeline.describe_missing_metadata(p for part in parts for p in part["undated"]),
    )


def _same_content(previous: Path, staged: release.StagedRelease) -> bool:
    return release.read_manifest(previous).get("content_hash") == staged.manifest["content_hash"]
