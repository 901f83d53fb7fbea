"""The `build` Prefect flow: raw files → validated, published release (or nothing published)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from prefect import flow

from flows import pipeline, release, tasks
from flows.errors import ValidationFailed
from flows.paths import EXPECTATIONS_DIR


@dataclass
class BuildSummary:
    """What one build did, for the CLI's summary and for tests."""

    status: str  # "published" | "no changes"
    version: str
    release_path: str | None
    documents: int
    segments: int
    mentions: int
    numbers: int
    claims_by_verdict: dict[str, int]
    rejects: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@flow(name="build", log_prints=False, validate_parameters=False)
def build(
    raw_dir: Path,
    out_dir: Path,
    reference_dir: Path | None = None,
    force_reason: str | None = None,
    expectations_dir: Path = EXPECTATIONS_DIR,
) -> BuildSummary:
    """Ingest → segment/label → numbers/claims → join → stage → validate → publish."""
    files = tasks.read_raw_files_task(raw_dir)
    reference = tasks.load_reference_task(reference_dir)
    documents, rejects = tasks.ingest_documents_task(files)
    segments, mentions = tasks.segment_and_label_task(documents)
    numbers, claims = tasks.extract_numbers_and_claims_task(documents, segments, mentions)
    claims, market_daily = tasks.join_to_market_task(claims, reference)
    tables = {
        "documents": documents,
        "segments": segments,
        "mentions": mentions,
        "numbers": numbers,
        "claims": claims,
        "market_daily": market_daily,
        "rejects": rejects,
    }
    staged = tasks.stage_release_task(
        tables,
        out_dir,
        pipeline.describe_inputs(files),
        {"version": reference.version, "content_hash": reference.content_hash},
    )
    summary = BuildSummary(
        status="published",
        version=staged.version,
        release_path=None,
        documents=len(documents),
        segments=len(segments),
        mentions=len(mentions),
        numbers=len(numbers),
        claims_by_verdict=claims["verdict"].value_counts().sort_index().to_dict(),
        rejects=rejects[["path", "reason"]].to_dict("records"),
        notes=pipeline.describe_missing_metadata(documents),
    )
    previous = release.latest_release(out_dir)
    if previous and _same_content(previous, staged):
        release.discard_staged(staged)
        summary.status, summary.version = "no changes", previous.name
        summary.release_path = str(previous)
        return summary
    report = tasks.validate_release_task(staged, expectations_dir)
    if not report.success:
        release.discard_staged(staged)
        raise ValidationFailed(f"nothing published: {report.summary()}")
    gate = tasks.gate_release_task(previous, staged, force_reason)
    if not gate.passed:
        release.discard_staged(staged)
        reasons = "; ".join(gate.reasons)
        raise ValidationFailed(f"release gate: {reasons}; nothing published (--force REASON)")
    tasks.document_release_task(staged, report, gate)
    published = tasks.publish_release_task(staged, out_dir)
    summary.release_path = str(published)
    return summary


def _same_content(previous: Path, staged: release.StagedRelease) -> bool:
    return release.read_manifest(previous).get("content_hash") == staged.manifest["content_hash"]
