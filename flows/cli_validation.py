"""CLI commands for validation: `validate`, `diff` and `suites write`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flows.errors import MarketClaimsError
from flows.paths import EXPECTATIONS_DIR

EXIT_PASSED, EXIT_FAILED, EXIT_ERROR = 0, 1, 2

_JSON = Annotated[bool, typer.Option("--json", help="Print the machine-readable result only.")]
_EXPECTATIONS = Annotated[
    Path, typer.Option("--expectations", help="Directory of suite JSON files.")
]


def register(app: typer.Typer) -> None:
    """Add `validate`, `diff` and `suites write` to the main app."""
    app.command("validate")(validate_command)
    app.command("diff")(diff_command)
    suites_app = typer.Typer(help="Expectation suites built from the data contract.")
    suites_app.command("write")(write_suites_command)
    app.add_typer(suites_app, name="suites")


def validate_command(
    path: Annotated[Path, typer.Argument(help="A release directory (holds manifest.json).")],
    as_json: _JSON = False,
    expectations: _EXPECTATIONS = EXPECTATIONS_DIR,
) -> None:
    """Validate a release against the expectation suites.

    Exit 0 when every expectation passes, 1 when some fail, 2 when the release is
    unreadable (no manifest, a missing or non-Parquet table file).

    Example: market-claims validate data/processed/2025.01.31-1a2b3c4d --json
    """
    from flows.validate import validate_release

    report = _run(lambda: validate_release(path, expectations))
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    raise typer.Exit(EXIT_PASSED if report.success else EXIT_FAILED)


def diff_command(
    old: Annotated[Path, typer.Argument(help="The older release directory.")],
    new: Annotated[Path, typer.Argument(help="The newer release directory.")],
    as_json: _JSON = False,
) -> None:
    """Show what changed between two releases: schemas, rows by key, verdicts, reference.

    Exit codes follow `git diff --exit-code`: 0 identical data, 1 differences, 2 error.

    Example: market-claims diff data/processed/2025.01.30-aaaa0000 data/processed/LATEST-DIR
    """
    from flows.diff import diff_releases

    result = _run(lambda: diff_releases(old, new))
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(result.summary())
    raise typer.Exit(EXIT_PASSED if result.is_identical else EXIT_FAILED)


def write_suites_command(
    directory: Annotated[
        Path, typer.Option("--to", help="Where to write the suite JSON files.")
    ] = EXPECTATIONS_DIR,
) -> None:
    """Regenerate expectations/*.json from flows/schemas.py (commit the result).

    Example: market-claims suites write --to expectations
    """
    from flows.suites import write_suites

    for path in _run(lambda: write_suites(directory)):
        typer.echo(str(path))


def _run(action):
    """Run `action`; a project error becomes one line on stderr and its exit code."""
    try:
        return action()
    except MarketClaimsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except OSError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_ERROR) from None


def _print_report(report) -> None:
    console = Console(highlight=False, soft_wrap=True)
    console.print(escape(report.summary().splitlines()[0]))
    if report.success:
        return
    table = Table("table", "expectation", "column / check", "failing rows", "examples")
    for failure in report.failures:
        where = " ".join(part for part in (failure.column, failure.check) if part)
        count = "" if failure.unexpected_count is None else str(failure.unexpected_count)
        examples = failure.examples or failure.message or failure.observed
        cells = (
            failure.table,
            f"{failure.expectation} [{failure.suite}]",
            where,
            count,
            json.dumps(examples, ensure_ascii=False, default=str)[:200],
        )
        table.add_row(*(escape(cell) for cell in cells))
    console.print(table)
