"""The release gate: block a publish that silently loses rows, columns or many verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows import diff

DEFAULT_MAX_ROW_LOSS_PCT = 10.0


@dataclass(frozen=True)
class GateLimits:
    """How much a new release may shrink or change relative to the previous one.

    `max_row_loss_pct` applies to every table unless `row_loss_pct_by_table` names it;
    losing columns or changing their types needs a major schema version bump unless
    `allow_column_removal`; `max_verdict_changes` (None: unlimited) caps changed verdicts.
    """

    max_row_loss_pct: float = DEFAULT_MAX_ROW_LOSS_PCT
    row_loss_pct_by_table: dict[str, float] = field(default_factory=dict)
    allow_column_removal: bool = False
    max_verdict_changes: int | None = None

    def row_loss_limit(self, table: str) -> float:
        return self.row_loss_pct_by_table.get(table, self.max_row_loss_pct)


@dataclass(frozen=True)
class GateResult:
    """Whether the staged release may be published, every reason it may not, and any override.

    `forced_reason` is set by `force`: the release goes out despite `reasons`, and the build
    records `to_dict()` in the manifest so the override stays visible.
    """

    passed: bool
    reasons: tuple[str, ...]
    forced_reason: str | None = None

    def force(self, reason: str) -> GateResult:
        """Publish anyway (`--force "reason"`); the original reasons are kept."""
        if not reason.strip():
            raise ValueError("overriding the release gate needs a reason")
        return GateResult(passed=True, reasons=self.reasons, forced_reason=reason.strip())

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "reasons": list(self.reasons),
            "forced_reason": self.forced_reason,
        }


def check_gate(
    previous_release: Path | None,
    staged_release: Path,
    limits: GateLimits | None = None,
    force_reason: str | None = None,
) -> GateResult:
    """Compare the staged release with the previous one against `limits`.

    Row loss is the net shrink of a table, `(old rows - new rows) / old rows`; rows whose
    keys changed but whose count held are not a loss. The first release always passes.
    Only a limit on verdict changes needs the rows; otherwise Parquet footers suffice.
    """
    limits = limits or GateLimits()
    if previous_release is None:
        return GateResult(passed=True, reasons=())
    if limits.max_verdict_changes is None:
        changes = diff.diff_release_schemas(previous_release, staged_release)
    else:
        changes = diff.diff_releases(previous_release, staged_release)
    reasons = [*_row_loss(changes, limits), *_schema_breaks(changes, limits)]
    verdicts = sum(1 for change in changes.claim_changes if "verdict" in change["changes"])
    if limits.max_verdict_changes is not None and verdicts > limits.max_verdict_changes:
        reasons.append(f"claims: {verdicts} verdicts changed (limit {limits.max_verdict_changes})")
    result = GateResult(passed=not reasons, reasons=tuple(reasons))
    return result.force(force_reason) if force_reason and not result.passed else result


def _row_loss(changes: diff.ReleaseDiff, limits: GateLimits) -> list[str]:
    reasons = []
    for table in changes.tables:
        if table.old_rows == 0 or table.new_rows >= table.old_rows:
            continue
        loss = 100.0 * (table.old_rows - table.new_rows) / table.old_rows
        limit = limits.row_loss_limit(table.table)
        if loss > limit:
            reasons.append(
                f"{table.table}: {table.old_rows} → {table.new_rows} rows, "
                f"{loss:.1f}% lost (limit {limit:g}%)"
            )
    return reasons


def _schema_breaks(changes: diff.ReleaseDiff, limits: GateLimits) -> list[str]:
    if limits.allow_column_removal or _major(changes.new_schema_version) > _major(
        changes.old_schema_version
    ):
        return []
    reasons = []
    for table in changes.tables:
        if table.columns_removed:
            reasons.append(
                f"{table.table}: columns removed {list(table.columns_removed)} "
                "without a major schema version bump"
            )
        for column, old_type, new_type in table.types_changed:
            reasons.append(
                f"{table.table}: column {column} changed type {old_type} → {new_type} "
                "without a major schema version bump"
            )
    return reasons


def _major(version: str) -> int:
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return 0
