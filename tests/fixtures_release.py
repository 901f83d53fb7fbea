"""A small, self-consistent release built by hand, and helpers to corrupt it on purpose.

Swap `build_sample_tables` for the real build when it exists; everything else only needs
a published release directory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows import release

BUILT_AT = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
REFERENCE = {"version": "2025.01.31-1", "content_hash": "ab" * 32}
DOCUMENT_TEXTS = {
    "news/001": "周一英伟达股价下跌12%。纳斯达克指数下跌2.5%,收于19000点。",
    "news/002": "苹果公司市值增加了300亿美元。分析师认为这只是开始。",
}
# (doc_id, sentence index, entity text, entity_id, entity_type)
MENTIONS = [
    ("news/001", 0, "英伟达", "NVDA", "company"),
    ("news/001", 1, "纳斯达克指数", "^IXIC", "index"),
    ("news/002", 0, "苹果公司", "AAPL", "company"),
]
# (doc_id, sentence, text, kind, value, unit, currency, decimals)
NUMBERS = [
    ("news/001", 0, "12%", "percent", 12.0, "percent", None, 0),
    ("news/001", 1, "2.5%", "percent", 2.5, "percent", None, 1),
    ("news/001", 1, "19000点", "number", 19000.0, "points", None, 0),
    ("news/002", 0, "300亿美元", "currency", 3.0e10, "USD", "USD", 0),
]
# (number index, subject, metric, as_of, value, unit, reference value, verdict)
CLAIMS = [
    (0, "NVDA", "pct_change", dt.date(2025, 1, 27), -12.0, "percent", -12.3, "approximate"),
    (1, "^IXIC", "pct_change", dt.date(2025, 1, 27), -2.5, "percent", -2.6, "supported"),
    (3, "AAPL", "market_cap_change", None, 3.0e10, "USD", None, "unverifiable"),
]


def build_sample_tables() -> dict[str, pd.DataFrame]:
    """Two documents and every table derived from them, offsets computed from the text."""
    documents = pd.DataFrame(
        [
            {
                "doc_id": doc_id,
                "path": f"{doc_id}.txt",
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "published": dt.date(2025, 1, 28),
                "language": "zh",
                "source": "test",
                "encoding": "utf-8",
                "n_chars": len(text),
                "text": text,
            }
            for doc_id, text in DOCUMENT_TEXTS.items()
        ]
    )
    segments = pd.DataFrame(
        [
            {
                "segment_id": f"{doc_id}#p000s{index:03d}",
                "doc_id": doc_id,
                "paragraph": 0,
                "sentence": index,
                "start": start,
                "end": end,
                "text": text[start:end],
                "is_quote": False,
                "speaker": None,
                "topics": ["market"] if index == 0 else [],
            }
            for doc_id, text in DOCUMENT_TEXTS.items()
            for index, (start, end) in enumerate(_sentences(text))
        ]
    )
    mentions = pd.DataFrame(
        [
            {"mention_id": f"{seg}/m00", "doc_id": doc, "segment_id": seg, **span,
             "entity_id": entity_id, "entity_type": entity_type}
            for doc, sentence, needle, entity_id, entity_type in MENTIONS
            for seg, span in [_locate(doc, sentence, needle)]
        ]
    )  # fmt: skip
    number_rows = []
    for index, (doc, sentence, needle, kind, value, unit, currency, decimals) in enumerate(NUMBERS):
        segment_id, span = _locate(doc, sentence, needle)
        k = sum(1 for row in number_rows if row["segment_id"] == segment_id)
        number_rows.append(
            {"number_id": f"{segment_id}/n{k:02d}", "doc_id": doc, "segment_id": segment_id,
             **span, "kind": kind, "value": value, "lower": None, "upper": None,
             "lower_closed": None, "upper_closed": None, "unit": unit, "currency": currency,
             "decimals": decimals, "precision": 10.0**-decimals, "is_approximate": False,
             "role": "quantity", "_index": index}
        )  # fmt: skip
    numbers = pd.DataFrame(number_rows)
    claims = pd.DataFrame(
        [
            {"claim_id": number["number_id"].replace("/n", "/c"), "doc_id": number["doc_id"],
             "segment_id": number["segment_id"], "number_id": number["number_id"],
             "start": number["start"], "end": number["end"], "text": number["text"],
             "subject_id": subject, "metric": metric, "as_of": as_of, "value": value,
             "lower": None, "upper": None, "lower_closed": None, "upper_closed": None,
             "unit": unit, "tolerance": 0.5, "reference_value": reference,
             "reference_source": None if reference is None else "test-snapshot",
             "verdict": verdict, "reason": f"{verdict} by test"}
            for n, subject, metric, as_of, value, unit, reference, verdict in CLAIMS
            for number in [number_rows[n]]
        ]
    )  # fmt: skip
    market_daily = pd.DataFrame(
        [
            {"symbol": symbol, "date": day, "open": close, "high": close * 1.01,
             "low": close * 0.99, "close": close, "volume": 1000, "source": "test-snapshot"}
            for symbol, day, close in [
                ("NVDA", dt.date(2025, 1, 24), 142.0), ("NVDA", dt.date(2025, 1, 27), 124.5),
                ("^IXIC", dt.date(2025, 1, 24), 19950.0), ("^IXIC", dt.date(2025, 1, 27), 19340.0),
            ]
        ]
    )  # fmt: skip
    rejects = pd.DataFrame(
        [{"path": "news/003.txt", "stage": "ingest", "reason": "empty file", "sha256": None}]
    )
    return {
        "documents": documents,
        "segments": segments,
        "mentions": mentions,
        "numbers": numbers.drop(columns="_index"),
        "claims": claims,
        "market_daily": market_daily,
        "rejects": rejects,
    }


def publish_sample_release(
    out_dir: Path, tables: dict[str, pd.DataFrame] | None = None, built_at: dt.datetime = BUILT_AT
) -> Path:
    """Stage and publish a release of `tables` (default: the sample) into `out_dir`."""
    tables = build_sample_tables() if tables is None else tables
    inputs = [
        {"path": f"{doc_id}.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(),
         "bytes": len(text.encode())}
        for doc_id, text in DOCUMENT_TEXTS.items()
    ]  # fmt: skip
    staged = release.stage_release(
        tables, out_dir, inputs=inputs, reference=dict(REFERENCE), built_at=built_at
    )
    return release.publish_staged(staged, out_dir)


def rewrite_table(
    release_dir: Path,
    table: str,
    change: Callable[[pa.Table], pa.Table],
    *,
    update_manifest: bool = True,
) -> None:
    """Rewrite one table file with pyarrow (still valid Parquet) after applying `change`.

    With `update_manifest` the manifest's checksum, size, rows and content hash follow the
    new file, so only the corruption itself is wrong; without it the manifest goes stale.
    """
    path = Path(release_dir) / f"{table}.parquet"
    pq.write_table(change(pq.read_table(path)), path, **release.PARQUET_OPTIONS)
    if not update_manifest:
        return
    manifest = release.read_manifest(release_dir)
    entry = manifest["tables"][table]
    entry.update(
        sha256=release.sha256_file(path),
        bytes=path.stat().st_size,
        rows=pq.read_metadata(path).num_rows,
    )
    manifest["content_hash"] = release.content_hash(manifest["tables"])
    release.write_json(Path(release_dir) / "manifest.json", manifest)


def set_column(table: pa.Table, name: str, values: list, type_: pa.DataType | None = None):
    """`table` with column `name` replaced by `values` (same position)."""
    index = table.schema.get_field_index(name)
    field = table.schema.field(name)
    array = pa.array(values, type=type_ or field.type)
    return table.set_column(index, pa.field(name, array.type, nullable=True), array)


@pytest.fixture
def sample_tables() -> dict[str, pd.DataFrame]:
    return build_sample_tables()


@pytest.fixture
def good_release(tmp_path: Path) -> Path:
    """A published, valid release directory under tmp_path/out."""
    return publish_sample_release(tmp_path / "out")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for index, char in enumerate(text):
        if char == "。":
            spans.append((start, index + 1))
            start = index + 1
    return spans


def _locate(doc_id: str, sentence: int, needle: str) -> tuple[str, dict]:
    text = DOCUMENT_TEXTS[doc_id]
    sentence_start, sentence_end = _sentences(text)[sentence]
    start = text.index(needle, sentence_start, sentence_end)
    span = {"start": start, "end": start + len(needle), "text": needle}
    return f"{doc_id}#p000s{sentence:03d}", span
