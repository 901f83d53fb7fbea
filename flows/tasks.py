"""Thin Prefect task wrappers around the pipeline's stages: no logic lives here."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
from prefect import task as prefect_task
from prefect.cache_policies import NO_CACHE

from flows import pipeline, release
from flows.calendar import TradingCalendar
from flows.reference import ReferenceSnapshot, load_reference
from flows.sources import read_raw_files
from flows.transforms.ingest import RawFile, ingest_raw_files

# Stages take DataFrames: hashing them for Prefect's default input cache key is slow and
# meaningless, so caching is off here and keyed on content hashes where it is wanted.
task = partial(prefect_task, cache_policy=NO_CACHE)


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


@task(name="validate-release")
def validate_release_task(staged: release.StagedRelease, expectations_dir: Path):
    from flows.validate import validate_release

    return validate_release(staged.path, expectations_dir)


@task(name="gate-release")
def gate_release_task(
    previous: Path | None, staged: release.StagedRelease, force_reason: str | None
):
    from flows.gate import check_gate

    return check_gate(previous, staged.path, force_reason=force_reason)


@task(name="document-release")
def document_release_task(staged: release.StagedRelease, report, gate) -> None:
    from flows.card import write_card_files
    from flows.validate import write_data_docs

    release.record_checks(staged, report.manifest_entry(), gate.to_dict())
    write_data_docs(report, staged.path / "validation")
    write_card_files(staged.path)


@task(name="publish-release")
def publish_release_task(staged: release.StagedRelease, out_dir: Path) -> Path:
    return release.publish_staged(staged, out_dir)
