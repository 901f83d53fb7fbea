"""The stages composed as plain function calls: what the Prefect flow runs, minus Prefect.

`build.py` wires these same functions into tasks; benchmarks and tests call them directly
to measure or check the pipeline without an orchestrator.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from flows import schemas
from flows.calendar import TradingCalendar
from flows.gazetteer import load_gazetteer, load_topic_rules
from flows.paths import SIDECAR_SUFFIX
from flows.reference import ReferenceSnapshot
from flows.release import to_arrow
from flows.transforms.claims import extract_claims
from flows.transforms.ingest import RawFile, ingest_raw_files
from flows.transforms.join import judge_claims, select_market_rows
from flows.transforms.label import assign_topics, extract_mentions
from flows.transforms.numbers import extract_numbers
from flows.transforms.segment import segment_documents

# The tables built document by document (cacheable per document); market_daily needs them all.
DOCUMENT_TABLES = ("documents", "rejects", "segments", "mentions", "numbers", "claims")


@dataclass(frozen=True)
class LabelledText:
    """What the text stages produce for a set of documents, before the market join."""

    documents: pd.DataFrame
    rejects: pd.DataFrame
    segments: pd.DataFrame
    mentions: pd.DataFrame
    numbers: pd.DataFrame
    claims: pd.DataFrame


def describe_inputs(files: Sequence[RawFile]) -> list[dict]:
    """Manifest `inputs`: every raw file and sidecar with its checksum and size."""
    entries = []
    for raw in files:
        entries.append(_describe_bytes(raw.path, raw.data))
        if raw.sidecar is not None:
            entries.append(_describe_bytes(_sidecar_path(raw.path), raw.sidecar))
    return sorted(entries, key=lambda entry: entry["path"])


def segment_and_label(documents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sentences with topics, and the entity mentions found in them."""
    segments = segment_documents(documents)
    mentions = extract_mentions(segments, load_gazetteer())
    return assign_topics(segments, load_topic_rules(), mentions), mentions


def extract_numbers_and_claims(
    documents: pd.DataFrame,
    segments: pd.DataFrame,
    mentions: pd.DataFrame,
    calendar: TradingCalendar,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every numeric expression, and the checkable claims among them (not yet judged)."""
    numbers = extract_numbers(segments)
    claims = extract_claims(documents, segments, mentions, numbers, calendar)
    return numbers, claims


def join_to_market(
    claims: pd.DataFrame, reference: ReferenceSnapshot, calendar: TradingCalendar
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claims with verdicts, and the reference bars those verdicts used."""
    judged = judge_claims(claims, reference, calendar)
    return judged, select_market_rows(judged, reference)


def label_text(files: Sequence[RawFile], calendar: TradingCalendar) -> LabelledText:
    """Ingest → segment → label → numbers → claims, for one batch of raw files."""
    documents, rejects = ingest_raw_files(files)
    segments, mentions = segment_and_label(documents)
    numbers, claims = extract_numbers_and_claims(documents, segments, mentions, calendar)
    return LabelledText(documents, rejects, segments, mentions, numbers, claims)


def build_tables(
    files: Sequence[RawFile], reference: ReferenceSnapshot, calendar: TradingCalendar
) -> dict[str, pd.DataFrame]:
    """Every published table, built without any orchestrator."""
    text = label_text(files, calendar)
    claims, market_daily = join_to_market(text.claims, reference, calendar)
    return {
        "documents": text.documents,
        "segments": text.segments,
        "mentions": text.mentions,
        "numbers": text.numbers,
        "claims": claims,
        "market_daily": market_daily,
        "rejects": text.rejects,
    }


def build_document_slices(
    files: Sequence[RawFile], reference: ReferenceSnapshot, calendar: TradingCalendar
) -> dict[str, dict[str, pa.Table]]:
    """Per raw file path, its rows of every DOCUMENT_TABLES table (judged claims included).

    Every id is scoped to its document, so a file's slice is the same whichever batch it was
    built in: that is what lets the cache serve slices one document at a time.
    """
    text = label_text(files, calendar)
    claims = judge_claims(text.claims, reference, calendar)
    frames = {
        "documents": text.documents,
        "rejects": text.rejects,
        "segments": text.segments,
        "mentions": text.mentions,
        "numbers": text.numbers,
        "claims": claims,
    }
    doc_ids = dict(zip(text.documents["path"], text.documents["doc_id"], strict=True))
    slices: dict[str, dict[str, pa.Table]] = {}
    for name, frame in frames.items():
        spec = schemas.TABLES[name]
        table = to_arrow(frame, spec) if len(frame) else spec.schema.empty_table()
        column = "path" if name in ("documents", "rejects") else "doc_id"
        rows = frame.groupby(frame[column].astype(str), sort=False).indices if len(frame) else {}
        for raw in files:
            key = raw.path if column == "path" else doc_ids.get(raw.path)
            positions = rows.get(key) if key is not None else None
            sliced = table.take(positions) if positions is not None else spec.schema.empty_table()
            slices.setdefault(raw.path, {})[name] = sliced
    return slices


def describe_missing_metadata(undated_paths: Iterable[str]) -> list[str]:
    """A note per document without a published date: its relative-date claims stay unverifiable."""
    missing = list(undated_paths)
    return [
        f"{path}: no published date (sidecar missing or without 'published'); "
        "claims with relative dates are unverifiable"
        for path in sorted(missing)
    ]


def _describe_bytes(path: str, data: bytes) -> dict:
    return {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def _sidecar_path(path: str) -> str:
    stem = path[: -len(".txt")] if path.endswith(".txt") else path
    return stem + SIDECAR_SUFFIX
