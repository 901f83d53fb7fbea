#!/usr/bin/env python3
"""Throughput of number recognition, and of recognition + the numbers table, on a corpus.

Usage:
    python bench/bench_numbers.py [CORPUS_DIR] [--mb 5] [--shared] [--repeat 3]

Without CORPUS_DIR a corpus of --mb megabytes is generated into a temporary folder, with
bench/make_corpus.py (or, with --shared, ../shared/bench/make_corpus.py when present).
Prints MB/s (UTF-8 bytes of input per second, CPU time, best of --repeat runs).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from flows.numbers import recognize  # noqa: E402
from flows.transforms.numbers import extract_numbers  # noqa: E402

SHARED_GENERATOR = ROOT.parent / "shared" / "bench" / "make_corpus.py"
SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?[”\"]?")


def load_texts(corpus: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]


def segments_of(texts: list[str]) -> pd.DataFrame:
    """Sentence segments with document offsets (a stand-in for the segment step)."""
    rows = []
    for d, text in enumerate(texts):
        for s, match in enumerate(SENTENCE.finditer(text)):
            rows.append((f"doc-{d:06d}#p000s{s:03d}", f"doc-{d:06d}", match.start(), match.group()))
    return pd.DataFrame(rows, columns=["segment_id", "doc_id", "start", "text"])


def best_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.process_time()
        function()
        times.append(time.process_time() - began)
    return min(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--shared", action="store_true", help="use the shared corpus generator")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.corpus
        if corpus is None:
            generator = ROOT / "bench" / "make_corpus.py"
            if args.shared and SHARED_GENERATOR.exists():
                generator = SHARED_GENERATOR
            corpus = Path(scratch) / "corpus"
            command = [sys.executable, str(generator), str(corpus), "--mb", str(args.mb)]
            subprocess.run(command, check=True, capture_output=True)
        texts = load_texts(corpus)
        size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        segments = segments_of(texts)
        count = sum(len(recognize(t)) for t in texts)
        alone = best_seconds(lambda: [recognize(t) for t in texts], args.repeat)
        table = best_seconds(lambda: extract_numbers(segments), args.repeat)
    print(
        f"corpus: {size:.1f} MB, {len(texts)} documents, {len(segments)} segments, "
        f"{count} numeric expressions"
    )
    print(f"recognize:                 {size / alone:6.1f} MB/s")
    print(f"recognize + numbers table: {size / table:6.1f} MB/s")


if __name__ == "__main__":
    main()
