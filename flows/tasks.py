"""Thin Prefect task wrappers around the pipeline's stages: no logic lives here."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
from prefect import task as prefect_task
from prefect.cache_policies import NO_CACHE

from flows import release, shards
from flows.reference import ReferenceSnapshot, load_reference
from flows.release_chunks import Chunk
from flows.sources import RawInput

# Stages take DataFrames: hashing them for Prefect's default input cache key is slow and
# meaningless, so Prefect's caching is off; the build's own cache (flows/cache.py) is keyed
# on content hashes instead.
task = partial(prefect_task, cache_policy=NO_CACHE)


@task(name="load-reference")
def load_reference_task(reference_dir: Path | None) -> ReferenceSnapshot:
    return load_reference(reference_dir)


@task(name="plan-build")
def plan_build_task(
    raw_dir: Path, reference_hash: str, shard_documents: int, shard_bytes: int
) -> shards.BuildPlan:
    return shards.plan_build(
        raw_dir, reference_hash, shard_documents=shard_documents, shard_bytes=shard_bytes
    )


@task(name="build-shard")
def build_shard_task(
    shard: list[RawInput], cache_dir: Path, reference: ReferenceSnapshot
) -> shards.ShardResult:
    return shards.build_shard(shard, cache_dir, reference)


@task(name="select-market-daily")
def select_market_daily_task(
    results: list[shards.ShardResult], reference: ReferenceSnapshot
) -> pd.DataFrame:
    return shards.select_market_daily(results, reference)


@task(name="stage-release")
def stage_release_task(
    tables: dict, out_dir: Path, inputs: list[dict], reference: dict, input_fingerprint: str
) -> release.StagedRelease:
    return release.stage_release(
        tables, out_dir, inputs=inputs, reference=reference, input_fingerprint=input_fingerprint
    )


@task(name="plan-validation")
def plan_validation_task(staged: release.StagedRelease, chunk_documents: int):
    from flows.validate import plan_validation

    return plan_validation(staged.path, chunk_documents)


@task(name="validate-chunk")
def validate_chunk_task(
    files: dict[str, Path], chunk: Chunk, expectations_dir: Path, cache_dir: Path
):
    from flows.validate_chunks import validate_chunk

    return validate_chunk(files, chunk, expectations_dir, cache_dir)


@task(name="finish-validation")
def finish_validation_task(plan, outcomes: list, expectations_dir: Path):
    from flows.validate import finish_validation

    return finish_validation(plan, outcomes, expectations_dir)


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


@task(name="restore-release")
def restore_release_task(out_dir: Path, version: str) -> Path:
    return release.point_latest(out_dir, version)
