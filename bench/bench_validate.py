"""Validation time against build time, on a release built from a generated corpus.

Usage:
    python bench/bench_validate.py --mb 50 [--shared] [--docs]

Generates a deterministic corpus (bench/make_corpus.py, or ../shared/bench/make_corpus.py with
--shared), builds its tables with the plain pipeline (no Prefect), stages the release, then
times `validate_release` (every suite through Great Expectations) and, with --docs, the Data
Docs. Prints each step's wall time and validation as a share of the build (target < 20 %).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows import pipeline, release, suites  # noqa: E402
from flows.calendar import TradingCalendar  # noqa: E402
from flows.reference import load_reference  # noqa: E402
from flows.sources import read_raw_files  # noqa: E402
from flows.validate import validate_release, write_data_docs  # noqa: E402

GENERATORS = {
    False: ROOT / "bench" / "make_corpus.py",
    True: ROOT.parent / "shared" / "bench" / "make_corpus.py",
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="corpus size")
    parser.add_argument("--shared", action="store_true", help="use the shared generator")
    parser.add_argument("--docs", action="store_true", help="also time the Data Docs")
    args = parser.parse_args(argv)
    generator = GENERATORS[args.shared]
    if not generator.is_file():
        parser.error(f"no corpus generator at {generator}")
    with tempfile.TemporaryDirectory() as scratch:
        corpus, out = Path(scratch) / "corpus", Path(scratch) / "out"
        command = [sys.executable, str(generator), str(corpus), "--mb", str(args.mb)]
        subprocess.run(command, check=True, capture_output=True)
        suites.import_gx()  # once per process; not part of either figure

        began = time.perf_counter()
        files = read_raw_files(corpus)
        reference = load_reference()
        tables = pipeline.build_tables(files, reference, TradingCalendar())
        reference_entry = {"version": reference.version, "content_hash": reference.content_hash}
        staged = release.stage_release(
            tables, out, inputs=pipeline.describe_inputs(files), reference=reference_entry
        )
        built = time.perf_counter()
        report = validate_release(staged.path)
        validated = time.perf_counter()
        if args.docs:
            write_data_docs(report, staged.path / "validation")
        documented = time.perf_counter()

    rows = {name: len(frame) for name, frame in tables.items()}
    build_seconds, validate_seconds = built - began, validated - built
    print(f"corpus {args.mb:g} MB, {len(files)} documents, rows {rows}")
    print(f"build tables + stage   {build_seconds:8.2f} s")
    print(f"validate release       {validate_seconds:8.2f} s  ({report.summary()})")
    print(f"validation / build     {validate_seconds / build_seconds:8.1%}  (target < 20 %)")
    if args.docs:
        print(f"data docs              {documented - validated:8.2f} s")


if __name__ == "__main__":
    main()
