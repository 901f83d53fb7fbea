#!/usr/bin/env python3
"""Single-core throughput (MB/s of UTF-8 input, CPU time) of each text stage on one corpus.

Usage:
    python bench/bench_stages.py [--mb 20] [--repeat 1] [--corpus DIR] [--no-claims]
    python bench/bench_stages.py --mb 20 --hashes   # also print a SHA-256 per output table
    python bench/bench_stages.py --shared           # corpus from ../shared/bench/make_corpus.py
                                                    # (or $MARKET_CLAIMS_SHARED_DIR/bench/…)

The corpus is generated deterministically with bench/make_corpus.py (seed 7) into a temporary
folder unless --corpus names one. Stages, each timed with time.process_time (best of
--repeat): segment, extract_mentions, recognize (every document's text), extract_numbers
(recognize + the numbers table) and extract_claims. --hashes prints digests of the segments,
mentions, numbers (and claims) tables, to check that an optimisation left outputs identical.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from flows.calendar import TradingCalendar  # noqa: E402
from flows.gazetteer import load_gazetteer  # noqa: E402
from flows.numbers import recognize  # noqa: E402
from flows.paths import SIDECAR_SUFFIX  # noqa: E402
from flows.transforms.claims import extract_claims  # noqa: E402
from flows.transforms.ingest import RawFile, ingest_raw_files  # noqa: E402
from flows.transforms.label import extract_mentions  # noqa: E402
from flows.transforms.numbers import extract_numbers  # noqa: E402
from flows.transforms.segment import segment_documents  # noqa: E402

GENERATOR = ROOT / "bench" / "make_corpus.py"
SHARED_DIR = Path(os.environ.get("MARKET_CLAIMS_SHARED_DIR", ROOT.parent / "shared"))
SHARED_GENERATOR = SHARED_DIR / "bench" / "make_corpus.py"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size to generate")
    parser.add_argument("--corpus", type=Path, help="an existing corpus folder instead")
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs")
    parser.add_argument("--no-claims", action="store_true", help="skip extract_claims")
    parser.add_argument("--hashes", action="store_true", help="print a digest per table")
    parser.add_argument("--shared", action="store_true", help="use the shared corpus generator")
    args = parser.parse_args(argv)
    generator = SHARED_GENERATOR if args.shared else GENERATOR
    if not generator.is_file():
        parser.error(f"no corpus generator at {generator}")
    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(scratch) / "corpus"
            command = [sys.executable, str(generator), str(corpus), "--mb", str(args.mb)]
            subprocess.run(command, check=True, capture_output=True)
        documents, _ = ingest_raw_files(read_raw_files(corpus))
    size = sum(len(text.encode("utf-8")) for text in documents["text"]) / 1e6
    texts = documents["text"].tolist()
    gazetteer = load_gazetteer()
    tables: dict[str, pd.DataFrame] = {}
    print(f"corpus: {size:.1f} MB, {len(documents)} documents")

    seconds_by_stage: dict[str, float] = {}

    def stage(name: str, run: Callable[[], object]) -> object:
        seconds, result = best_of(run, args.repeat)
        seconds_by_stage[name] = seconds
        print(f"{name:<18} {size / seconds:7.1f} MB/s  ({seconds:6.2f} s CPU)", flush=True)
        return result

    tables["segments"] = segments = stage("segment", lambda: segment_documents(documents))
    tables["mentions"] = mentions = stage(
        "extract_mentions", lambda: extract_mentions(segments, gazetteer)
    )
    recognized = stage("recognize", lambda: [recognize(text) for text in texts])
    tables["recognized"] = pd.DataFrame([r for records in recognized for r in records])
    tables["numbers"] = numbers = stage("extract_numbers", lambda: extract_numbers(segments))
    if not args.no_claims:
        calendar = TradingCalendar()
        tables["claims"] = stage(
            "extract_claims",
            lambda: extract_claims(documents, segments, mentions, numbers, calendar),
        )
        both = seconds_by_stage["extract_numbers"] + seconds_by_stage["extract_claims"]
        print(f"{'numbers + claims':<18} {size / both:7.1f} MB/s  (target ≥ 20 on one core)")
    print(f"segments: {len(segments)}, mentions: {len(mentions)}, numbers: {len(numbers)}")
    if args.hashes:
        for name, table in tables.items():
            print(f"sha256 {name:<9} {table_digest(table)}")


def read_raw_files(corpus: Path) -> list[RawFile]:
    """Every .txt of the corpus with its sidecar, as the ingest step receives them."""
    files = []
    for path in sorted(corpus.glob("*.txt")):
        sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
        data = sidecar.read_bytes() if sidecar.exists() else None
        files.append(RawFile(path.name, path.read_bytes(), data))
    return files


def best_of(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """(least CPU seconds over `repeat` runs, the last result)."""
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        began = time.process_time()
        result = run()
        best = min(best, time.process_time() - began)
    return best, result


def table_digest(table: pd.DataFrame) -> str:
    """SHA-256 of a table's columns, dtypes and values, in row order."""
    header = list(zip(table.columns, table.dtypes.astype(str), strict=True))
    digest = hashlib.sha256(repr(header).encode())
    for column in table.columns:
        values = table[column].astype(object).tolist()
        digest.update(repr(values).encode("utf-8"))
    return digest.hexdigest()


if __name__ == "__main__":
    main()
