"""Time validating a synthetic release of a chosen size: `python bench/bench_validate.py -n 2000`.

Until the real build exists the tables are synthesized: every document has `--sentences`
sentences, each with one mention, one number and one claim, all offsets consistent, so the
release validates clean and every expectation does its full work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows import release, suites  # noqa: E402
from flows.validate import validate_release, write_data_docs  # noqa: E402

SENTENCE = "周{day}英伟达股价下跌{value}%,市场情绪转向谨慎。"
ENTITY, ENTITY_ID = "英伟达", "NVDA"


def synthesize_tables(documents: int, sentences: int) -> dict[str, pd.DataFrame]:
    """Consistent tables for `documents` × `sentences` synthetic sentences."""
    rows: dict[str, list[dict]] = {
        name: [] for name in ("documents", "segments", "mentions", "numbers", "claims")
    }
    for d in range(documents):
        doc_id = f"bench/{d:06d}"
        parts, offset = [], 0
        for s in range(sentences):
            value = f"{(d * 7 + s) % 90 + 1}.{s % 10}"
            text = SENTENCE.format(day="一二三四五"[s % 5], value=value)
            segment_id = f"{doc_id}#p{s // 10:03d}s{s % 10:03d}"
            _add_sentence(rows, doc_id, segment_id, offset, text, value)
            parts.append(text)
            offset += len(text)
        full = "".join(parts)
        rows["documents"].append(
            {"doc_id": doc_id, "path": f"{doc_id}.txt",
             "sha256": hashlib.sha256(full.encode()).hexdigest(), "published": dt.date(2025, 1, 28),
             "language": "zh", "source": "bench", "encoding": "utf-8", "n_chars": len(full),
             "text": full}
        )  # fmt: skip
    tables = {name: pd.DataFrame(items) for name, items in rows.items()}
    tables["market_daily"] = pd.DataFrame(
        [{"symbol": "NVDA", "date": dt.date(2025, 1, 24) + dt.timedelta(days=i), "open": 1.0,
          "high": 2.0, "low": 1.0, "close": 1.5, "volume": 10, "source": "bench"}
         for i in range(30)]
    )  # fmt: skip
    tables["rejects"] = pd.DataFrame(
        [{"path": "bench/empty.txt", "stage": "ingest", "reason": "empty", "sha256": None}]
    )
    return tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--documents", type=int, default=1000)
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--docs", action="store_true", help="also time the Data Docs")
    args = parser.parse_args()
    started = time.perf_counter()
    suites.import_gx()
    imported = time.perf_counter()
    tables = synthesize_tables(args.documents, args.sentences)
    corpus_mb = tables["documents"]["text"].str.encode("utf-8").str.len().sum() / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        synthesized = time.perf_counter()
        staged = release.stage_release(tables, Path(tmp), inputs=[], reference={})
        written = time.perf_counter()
        report = validate_release(staged.path)
        validated = time.perf_counter()
        if args.docs:
            write_data_docs(report, staged.path / "validation")
        documented = time.perf_counter()
    rows = {name: len(frame) for name, frame in tables.items()}
    print(f"corpus {corpus_mb:.1f} MB of text, rows {rows}")
    print(f"import great_expectations {imported - started:6.2f} s (once per process)")
    print(f"synthesize tables         {synthesized - imported:6.2f} s")
    print(f"write release             {written - synthesized:6.2f} s")
    print(f"validate release          {validated - written:6.2f} s  -> {report.summary()}")
    if args.docs:
        print(f"data docs                 {documented - validated:6.2f} s")


def _add_sentence(rows, doc_id, segment_id, offset, text, value) -> None:
    mention_start = offset + text.index(ENTITY)
    number_text = f"{value}%"
    number_start = offset + text.index(number_text)
    number_end = number_start + len(number_text)
    common = {"doc_id": doc_id, "segment_id": segment_id}
    rows["segments"].append(
        {**common, "paragraph": int(segment_id[-7:-4]), "sentence": int(segment_id[-3:]),
         "start": offset, "end": offset + len(text), "text": text, "is_quote": False,
         "speaker": None, "topics": ["market"]}
    )  # fmt: skip
    rows["mentions"].append(
        {"mention_id": f"{segment_id}/m00", **common, "start": mention_start,
         "end": mention_start + len(ENTITY), "text": ENTITY, "entity_id": ENTITY_ID,
         "entity_type": "company"}
    )  # fmt: skip
    rows["numbers"].append(
        {"number_id": f"{segment_id}/n00", **common, "start": number_start, "end": number_end,
         "text": number_text, "kind": "percent", "value": float(value), "lower": None,
         "upper": None, "lower_closed": None, "upper_closed": None, "unit": "percent",
         "currency": None, "decimals": 1, "is_approximate": False, "role": "quantity"}
    )  # fmt: skip
    rows["claims"].append(
        {"claim_id": f"{segment_id}/c00", **common, "number_id": f"{segment_id}/n00",
         "start": number_start, "end": number_end, "text": number_text, "subject_id": ENTITY_ID,
         "metric": "pct_change", "as_of": dt.date(2025, 1, 27), "value": -float(value),
         "unit": "percent", "tolerance": 0.5, "reference_value": None, "reference_source": None,
         "verdict": "unverifiable", "reason": "bench"}
    )  # fmt: skip


if __name__ == "__main__":
    main()
