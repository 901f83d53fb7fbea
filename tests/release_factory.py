"""A small hand-built release (a few consistent rows per table) until the real build exists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from flows import release

BUILT_AT = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
REFERENCE = {
    "version": "2025.01.31-1",
    "content_hash": "0" * 64,
    "sources": [{"name": "test-bars", "license": "CC-BY-4.0", "url": "https://example.org/bars"}],
}

_TEXT = "甲公司周一跌了9%。乙指数收于1234点。丙说成本约3亿美元。"


def build_tables(close_shift: float = 0.0) -> dict[str, pd.DataFrame]:
    """Every table, rows consistent with each other and with flows/schemas.py."""
    doc = "blog/post_a"
    sentences = [_TEXT[: _TEXT.index("。") + 1]]
    rest = _TEXT[len(sentences[0]) :]
    sentences.append(rest[: rest.index("。") + 1])
    sentences.append(rest[len(sentences[1]) :])
    starts = [_TEXT.index(s) for s in sentences]
    segment_ids = [f"{doc}#p000s{k:03d}" for k in range(3)]
    documents = pd.DataFrame(
        {
            "doc_id": [doc],
            "path": [f"{doc}.txt"],
            "sha256": ["a" * 64],
            "published": [dt.date(2025, 1, 21)],
            "language": ["zh"],
            "source": ["https://example.org/blog/post_a"],
            "encoding": ["utf-8"],
            "n_chars": [len(_TEXT)],
            "text": [_TEXT],
        }
    )
    segments = pd.DataFrame(
        {
            "segment_id": segment_ids,
            "doc_id": [doc] * 3,
            "paragraph": [0, 0, 0],
            "sentence": [0, 1, 2],
            "start": starts,
            "end": [s + len(t) for s, t in zip(starts, sentences, strict=True)],
            "text": sentences,
            "is_quote": [False, False, True],
            "speaker": [None, None, "丙"],
            "topics": [["market"], ["market"], ["cost"]],
        }
    )
    mention_texts = [("甲公司", "NVDA", "company"), ("乙指数", "^IXIC", "index")]
    mentions = pd.DataFrame(
        {
            "mention_id": [f"{segment_ids[k]}/m00" for k in range(2)],
            "doc_id": [doc] * 2,
            "segment_id": segment_ids[:2],
            "start": [_TEXT.index(t) for t, _, _ in mention_texts],
            "end": [_TEXT.index(t) + len(t) for t, _, _ in mention_texts],
            "text": [t for t, _, _ in mention_texts],
            "entity_id": [e for _, e, _ in mention_texts],
            "entity_type": [k for _, _, k in mention_texts],
        }
    )
    number_texts = [("9%", 9.0, "percent"), ("1234点", 1234.0, "points"), ("3亿美元", 3e8, "USD")]
    numbers = pd.DataFrame(
        {
            "number_id": [f"{segment_ids[k]}/n00" for k in range(3)],
            "doc_id": [doc] * 3,
            "segment_id": segment_ids,
            "start": [_TEXT.index(t) for t, _, _ in number_texts],
            "end": [_TEXT.index(t) + len(t) for t, _, _ in number_texts],
            "text": [t for t, _, _ in number_texts],
            "kind": ["percent", "number", "currency"],
            "value": [v for _, v, _ in number_texts],
            "lower": [None, None, None],
            "upper": [None, None, None],
            "lower_closed": [None, None, None],
            "upper_closed": [None, None, None],
            "unit": [u for _, _, u in number_texts],
            "currency": [None, None, "USD"],
            "decimals": [0, 0, 0],
            "precision": [1.0, 1.0, 1e8],
            "is_approximate": [False, False, True],
            "role": ["quantity"] * 3,
        }
    )
    claims = pd.DataFrame(
        {
            "claim_id": [f"{segment_ids[k]}/c00" for k in range(3)],
            "doc_id": [doc] * 3,
            "segment_id": segment_ids,
            "number_id": list(numbers["number_id"]),
            "start": list(numbers["start"]),
            "end": list(numbers["end"]),
            "text": list(numbers["text"]),
            "subject_id": ["NVDA", "^IXIC", "deepseek"],
            "metric": ["pct_change", "close", "cost"],
            "as_of": [dt.date(2025, 1, 20), dt.date(2025, 1, 20), None],
            "value": [-9.0, 1234.0, 3e8],
            "lower": [None, None, None],
            "upper": [None, None, None],
            "lower_closed": [None, None, None],
            "upper_closed": [None, None, None],
            "unit": ["percent", "points", "USD"],
            "tolerance": [0.5, 1.0, 0.0],
            "reference_value": [-9.2, 1250.0 + close_shift, None],
            "reference_source": ["test-bars", "test-bars", None],
            "verdict": ["supported", "contradicted", "unverifiable"],
            "reason": ["within tolerance", "off by more than tolerance", "no reference fact"],
        }
    )
    market_daily = pd.DataFrame(
        {
            "symbol": ["NVDA", "NVDA", "^IXIC"],
            "date": [dt.date(2025, 1, 17), dt.date(2025, 1, 20), dt.date(2025, 1, 20)],
            "open": [100.0, 99.0, 1260.0],
            "high": [101.0, 99.5, 1262.0],
            "low": [98.0, 90.0, 1240.0],
            "close": [100.0, 90.8, 1250.0 + close_shift],
            "volume": [1000, 2000, None],
            "source": ["test-bars", "test-bars", "other-bars"],
        }
    )
    rejects = pd.DataFrame(
        {
            "path": ["blog/empty.txt"],
            "stage": ["ingest"],
            "reason": ["empty file"],
            "sha256": [None],
        }
    )
    return {
        "documents": documents,
        "segments": segments,
        "mentions": mentions,
        "numbers": numbers,
        "claims": claims,
        "market_daily": market_daily,
        "rejects": rejects,
    }


def build_release(
    out_dir: Path, close_shift: float = 0.0, built_at: dt.datetime = BUILT_AT
) -> Path:
    """Stage and publish the hand-built tables into `out_dir`; returns the release directory."""
    staged = release.stage_release(
        build_tables(close_shift),
        out_dir,
        inputs=[{"path": "blog/post_a.txt", "sha256": "a" * 64, "bytes": len(_TEXT.encode())}],
        reference=REFERENCE,
        built_at=built_at,
    )
    return release.publish_staged(staged, out_dir)
