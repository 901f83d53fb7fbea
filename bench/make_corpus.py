#!/usr/bin/env python3
"""Deterministic synthetic corpus for benchmarks: raw sentences shuffled, their numbers perturbed.

Usage:
    python bench/make_corpus.py OUT_DIR --mb 50 [--doc-kb 12] [--seed 7] [--raw DIR]

Reads the sentences of RAW/*.txt (default: the project's data/raw), writes
OUT_DIR/doc-000001.txt … with a doc-000001.meta.json sidecar each
({"published": "2025-01-28", "language": "zh", "source": "synthetic"}), and prints the number
of documents and bytes written. The same arguments give the same bytes. Arabic figures are
perturbed keeping their number of decimals; Chinese numerals are left as written.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.paths import RAW_DIR  # noqa: E402

SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?[”\"]?")
FIGURE = re.compile(r"\d+(?:\.\d+)?")
SIDECAR = {"published": "2025-01-28", "language": "zh", "source": "synthetic"}


def sentences(raw_dir: Path) -> list[str]:
    """Every sentence of every raw text, in file order."""
    out = []
    for path in sorted(raw_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out += [s.strip() for s in SENTENCE.findall(text) if s.strip()]
    if not out:
        raise SystemExit(f"no sentences under {raw_dir}")
    return out


def perturb(sentence: str, rng: random.Random) -> str:
    """Half the sentences get every Arabic figure scaled by 0.5–1.5, decimals kept."""

    def replace(match: re.Match) -> str:
        figure = match.group(0)
        factor = rng.uniform(0.5, 1.5)
        if "." in figure:
            decimals = len(figure.partition(".")[2])
            return f"{float(figure) * factor:.{decimals}f}"
        return str(max(1, round(int(figure) * factor)))

    return FIGURE.sub(replace, sentence) if rng.random() < 0.5 else sentence


def write_corpus(out: Path, mb: float, doc_kb: float, seed: int, raw_dir: Path) -> tuple[int, int]:
    """Write documents until `mb` megabytes (UTF-8) are reached; return (documents, bytes)."""
    rng = random.Random(seed)
    pool = sentences(raw_dir)
    out.mkdir(parents=True, exist_ok=True)
    target, doc_target = int(mb * 1e6), int(doc_kb * 1e3)
    written = documents = 0
    while written < target:
        documents += 1
        paragraphs, size = [], 0
        while size < doc_target:
            count = rng.randint(1, 6)
            paragraph = "".join(perturb(rng.choice(pool), rng) for _ in range(count))
            paragraphs.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 1
        body = "\n".join(paragraphs) + "\n"
        stem = out / f"doc-{documents:06d}"
        stem.with_suffix(".txt").write_text(body, encoding="utf-8")
        stem.with_suffix(".meta.json").write_text(json.dumps(SIDECAR) + "\n", encoding="utf-8")
        written += len(body.encode("utf-8"))
    return documents, written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--mb", type=float, default=50.0, help="total size in MB (UTF-8 bytes)")
    parser.add_argument("--doc-kb", type=float, default=12.0, help="approximate document size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--raw", type=Path, default=RAW_DIR, help="folder of raw .txt inputs")
    args = parser.parse_args(argv)
    documents, written = write_corpus(args.out, args.mb, args.doc_kb, args.seed, args.raw)
    print(f"{documents} documents, {written} bytes in {args.out}")


if __name__ == "__main__":
    main()
