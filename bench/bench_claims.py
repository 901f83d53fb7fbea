#!/usr/bin/env python3
"""Throughput of claim extraction alone, on segments/mentions/numbers built once for a corpus.

Usage:
    python bench/bench_claims.py [CORPUS_DIR] [--mb 20] [--repeat 3] [--hash] [--profile]

Without CORPUS_DIR a corpus of --mb megabytes is generated into a temporary folder with
bench/make_corpus.py. The upstream tables (documents, segments, mentions, numbers) are built
once with the pipeline's own functions; then `extract_claims` alone is timed with
time.process_time (best of --repeat) and MB/s of input text (UTF-8 bytes) is printed.
--hash prints a SHA-256 of the claims table, to check that a change keeps outputs identical;
--profile prints the top of a cProfile of one run.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from flows.calendar import TradingCalendar  # noqa: E402
from flows.pipeline import segment_and_label  # noqa: E402
from flows.sources import read_raw_files  # noqa: E402
from flows.transforms.claims import extract_claims  # noqa: E402
from flows.transforms.ingest import ingest_raw_files  # noqa: E402
from flows.transforms.numbers import extract_numbers  # noqa: E402


def best_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.process_time()
        function()
        times.append(time.process_time() - began)
    return min(times)


def table_hash(frame: pd.DataFrame) -> str:
    """SHA-256 of the table's CSV form: equal hashes mean equal values, columns and order."""
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--hash", action="store_true", help="print a hash of the claims table")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(scratch) / "corpus"
            command = [sys.executable, str(ROOT / "bench" / "make_corpus.py"), str(corpus)]
            subprocess.run([*command, "--mb", str(args.mb)], check=True, capture_output=True)
        documents, _ = ingest_raw_files(read_raw_files(corpus))
    size = sum(len(text.encode("utf-8")) for text in documents["text"].tolist()) / 1e6
    segments, mentions = segment_and_label(documents)
    numbers = extract_numbers(segments)
    calendar = TradingCalendar()

    def run() -> pd.DataFrame:
        return extract_claims(documents, segments, mentions, numbers, calendar)

    claims = run()
    seconds = best_seconds(run, args.repeat)
    print(
        f"corpus: {size:.1f} MB, {len(documents)} documents, {len(segments)} segments, "
        f"{len(numbers)} numbers, {len(claims)} claims"
    )
    print(f"extract_claims: {size / seconds:6.1f} MB/s ({seconds:.2f} s CPU)")
    if args.hash:
        print(f"claims sha256: {table_hash(claims)}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(run)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
