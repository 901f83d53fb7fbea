"""Thin Prefect task wrappers around the pipeline's stages: no logic lives here."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from prefect import task

from flows import pipeline, release
from flows.calendar import TradingCalendar
from flows.reference import ReferenceSnapshot, load_reference
from flows.sources import read_raw_files
from flows.transforms.ingest import RawFile, ingest_raw_files


@task(name="read-raw-files")
def read_raw_files_task(raw_dir: Path) -> list[RawFile]:
    return read_raw_files(raw_dir)


@task(name="load-reference")
def load_reference_task(reference_dir: Path | None) -> ReferenceSnapshot:
    return load_reference(reference_dir)


@task(name="ingest-documents")
def ingest_documents_task(files: list[RawFile]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return ingest_raw_files(files)


@task(name="segment-and-label")
def segment_and_label_task(documents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pipeline.segment_and_label(documents)


@task(name="extract-numbers-and-claims")
def extract_numbers_and_claims_task(
    documents: pd.DataFrame, segments: pd.DataFrame, mentions: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pipeline.extract_numbers_and_claims(documents, segments, mentions, TradingCalendar())


@task(name="join-to-market")
def join_to_market_task(
    claims: pd.DataFrame, reference: ReferenceSnapshot
) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pipeline.join_to_market(claims, reference, TradingCalendar())


@task(name="stage-release")
def stage_release_task(
    tables: dict[str, pd.DataFrame], out_dir: Path, inputs: list[dict], reference: dict
) -> release.StagedRelease:
    return release.stage_release(tables, out_dir, inputs=inputs, reference=reference)
