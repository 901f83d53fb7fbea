#!/usr/bin/env python3
"""Whole-build benchmark: throughput, Prefect overhead, incremental rebuilds, Dask speedup, RSS.

Usage:
    python bench/bench_build.py [--mb 50] [--corpus DIR] [--shared] [--skip-dask]

Generates a deterministic corpus (bench/make_corpus.py, or /work/shared/bench/make_corpus.py
with --shared) unless --corpus names one, then, in one process:
  1. full build with the Prefect flow (default thread-pool runner), cold cache: MB/s
  2. the same stages as plain function calls, cold cache: orchestration overhead = 1 / 2;
     1 and 2 alternate --repeat times (default 2) and the best of each counts, since this
     machine's speed drifts by up to 30 % within minutes
  3. rebuild with no change (stops at the input fingerprint): time as a fraction of 1
  4. rebuild after one document changed: time as a fraction of 1
  5. full builds on a local Dask cluster with 1 and 2 workers, cold caches, alternated
     --repeat times: speedup of the best of each
  6. peak RSS of this process, of its largest child and of all processes together
A tiny warm-up build first starts Prefect's temporary server, so no figure includes it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

for _key, _value in {
    "PREFECT_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_SERVER_LEVEL": "CRITICAL",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "DASK_LOGGING__DISTRIBUTED": "error",
}.items():
    os.environ.setdefault(_key, _value)

import psutil  # noqa: E402

from flows import cache, release, shards  # noqa: E402
from flows.errors import ValidationFailed  # noqa: E402
from flows.paths import EXPECTATIONS_DIR  # noqa: E402
from flows.reference import load_reference  # noqa: E402

GENERATORS = {
    "project": ROOT / "bench" / "make_corpus.py",
    "shared": Path("/work/shared/bench/make_corpus.py"),
}
SAMPLE_SECONDS = 0.5
CHANGED_TEXT = "\n补充：英伟达盘后又跌了1.5%。\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="corpus size to generate")
    parser.add_argument("--corpus", type=Path, help="an existing corpus folder instead")
    parser.add_argument("--shared", action="store_true", help="use the shared generator")
    parser.add_argument("--skip-dask", action="store_true", help="skip the Dask runs")
    parser.add_argument(
        "--repeat", type=int, default=2, help="full and plain builds, alternated: best of N"
    )
    parser.add_argument(
        "--shard-documents", type=int, default=shards.SHARD_DOCUMENTS, help="files per shard"
    )
    args = parser.parse_args(argv)
    from flows.build import build, build_flow_for

    sampler = MemorySampler()
    threading.Thread(target=sampler.run, daemon=True).start()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        corpus = args.corpus or make_corpus(scratch / "corpus", args.mb, args.shared)
        size = sum(p.stat().st_size for p in corpus.rglob("*.txt")) / 1e6
        count = len(list(corpus.rglob("*.txt")))
        print(f"corpus: {size:.1f} MB, {count} documents ({corpus})", flush=True)
        warm = scratch / "warm"
        warm.mkdir()
        shutil.copy(next(iter(sorted(corpus.rglob("*.txt")))), warm)
        timed(lambda: build(raw_dir=warm, out_dir=scratch / "warm-out"))

        options = {"shard_documents": args.shard_documents}
        fulls, plains = [], []
        for attempt in range(args.repeat):  # alternated, so a slow spell hits both sides
            out, plain_out = scratch / f"out-{attempt}", scratch / f"plain-out-{attempt}"
            seconds, summary = timed(partial(build, raw_dir=corpus, out_dir=out, **options))
            fulls.append(seconds)
            report(
                "full build (Prefect)",
                seconds,
                f"{size / seconds:.2f} MB/s, {summary.shards} shards",
            )
            plains.append(timed(partial(plain_build, corpus, plain_out, args.shard_documents))[0])
            report("plain functions", plains[-1], f"ratio {seconds / plains[-1]:.2f}x")
            if attempt:
                shutil.rmtree(out)
            shutil.rmtree(plain_out)
        full, plain = min(fulls), min(plains)
        report("best full build", full, f"{size / full:.2f} MB/s")
        report(
            "best plain",
            plain,
            f"orchestration overhead {full / plain:.2f}x (best of {args.repeat})",
        )
        out = scratch / "out-0"
        again, summary = timed(lambda: build(raw_dir=corpus, out_dir=out, **options))
        assert summary.documents_processed == 0, summary
        report("no-change rebuild", again, f"{again / full:.1%} of a full build")
        changed = sorted(corpus.rglob("*.txt"))[count // 2]
        original = changed.read_bytes()
        try:
            changed.write_bytes(original + CHANGED_TEXT.encode())
            one, summary = timed(lambda: build(raw_dir=corpus, out_dir=out, **options))
        finally:
            changed.write_bytes(original)
        processed = (
            f"{summary.documents_processed} processed, {summary.documents_from_cache} cached;"
            f" {summary.chunks_validated} chunks validated,"
            f" {summary.chunks_from_cache} from cache"
        )
        report("one changed doc", one, f"{one / full:.1%} of a full build ({processed})")
        if not args.skip_dask:
            runs: dict[int, list[float]] = {1: [], 2: []}
            for attempt in range(args.repeat):  # alternated too, best of each
                for workers in (1, 2):
                    flow = build_flow_for(workers=workers)
                    out = scratch / f"dask-{workers}-{attempt}"
                    seconds, _ = timed(partial(flow, raw_dir=corpus, out_dir=out, **options))
                    runs[workers].append(seconds)
                    report(f"dask, {workers} worker(s)", seconds, f"{size / seconds:.2f} MB/s")
                    shutil.rmtree(out)
            best = {workers: min(times) for workers, times in runs.items()}
            print(
                f"dask speedup 2 vs 1 worker: {best[1] / best[2]:.2f}x"
                f" (best of {args.repeat}: {best[1]:.1f} s vs {best[2]:.1f} s)"
            )
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"peak RSS: this process {own:.0f} MB; sampled every {SAMPLE_SECONDS} s: largest"
            f" child {sampler.child / 1e6:.0f} MB, all processes {sampler.total / 1e6:.0f} MB"
        )


class MemorySampler:
    """Peak RSS of the largest child (Dask workers, Prefect's server) and of the whole tree.

    Sampled with psutil: getrusage's figure for children counts a forked child's shared
    pages at fork time (a `git` call from a big process looks as big as its parent).
    """

    def __init__(self) -> None:
        self.child = 0
        self.total = 0

    def run(self) -> None:
        me = psutil.Process()
        while True:
            sizes = []
            for process in me.children(recursive=True):
                try:
                    sizes.append(process.memory_info().rss)
                except psutil.Error:
                    continue
            self.child = max(self.child, max(sizes, default=0))
            self.total = max(self.total, sum(sizes) + me.memory_info().rss)
            time.sleep(SAMPLE_SECONDS)


def plain_build(raw_dir: Path, out_dir: Path, shard_documents: int) -> Path:
    """What the `build` flow does, as plain function calls (no Prefect, one shard at a time)."""
    from flows.card import write_card_files
    from flows.gate import check_gate
    from flows.validate import validate_release, write_data_docs

    reference = load_reference()
    plan = shards.plan_build(raw_dir, reference.content_hash, shard_documents=shard_documents)
    results = [shards.build_shard(s, cache.cache_dir_for(out_dir), reference) for s in plan.shards]
    tables: dict = {name: [item.table_file(name) for item in results] for name in shards.TABLES}
    tables["market_daily"] = shards.select_market_daily(results, reference)
    entry = {"version": reference.version, "content_hash": reference.content_hash}
    staged = release.stage_release(
        tables, out_dir, inputs=plan.inputs, reference=entry, input_fingerprint=plan.fingerprint
    )
    cache_dir = cache.cache_dir_for(out_dir)
    report_ = validate_release(staged.path, EXPECTATIONS_DIR, cache_dir=cache_dir)
    if not report_.success:
        raise ValidationFailed(report_.summary())
    gate = check_gate(release.latest_release(out_dir), staged.path, force_reason=None)
    release.record_checks(staged, report_.manifest_entry(), gate.to_dict())
    write_data_docs(report_, staged.path / "validation")
    write_card_files(staged.path)
    return release.publish_staged(staged, out_dir)


def make_corpus(out: Path, mb: float, shared: bool) -> Path:
    generator = GENERATORS["shared" if shared and GENERATORS["shared"].is_file() else "project"]
    command = [sys.executable, str(generator), str(out), "--mb", str(mb)]
    subprocess.run(command, check=True, capture_output=True)
    return out


def timed(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def report(name: str, seconds: float, detail: str) -> None:
    print(f"{name:<22} {seconds:8.2f} s  {detail}", flush=True)


if __name__ == "__main__":
    main()
