"""The `market-claims` command line: each command a short shell over the library."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flows import __version__, paths
from flows.errors import MarketClaimsError

app = typer.Typer(
    name="market-claims",
    help="Build, validate and distribute the market-claims dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)


def _register_commands() -> None:
    from flows import cli_distribution, cli_reference, cli_schedule, cli_validation

    for module in (cli_reference, cli_validation, cli_distribution, cli_schedule):
        module.register(app)


QUIET_ENVIRONMENT = {
    # Prefect's temporary server logs racy shutdown tracebacks at ERROR; they are not ours.
    "PREFECT_LOGGING_SERVER_LEVEL": "CRITICAL",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    # --workers: Dask's scheduler and workers log every start and stop at INFO.
    "DASK_LOGGING__DISTRIBUTED": "error",
}


@app.command()
def build(
    raw: Annotated[Path, typer.Option(help="Folder of raw .txt files with sidecars.")] = (
        paths.RAW_DIR
    ),
    out: Annotated[Path, typer.Option(help="Folder that receives <version>/ and LATEST.")] = (
        paths.PROCESSED_DIR
    ),
    reference_dir: Annotated[
        Path | None, typer.Option(help="Reference snapshots folder (default data/reference).")
    ] = None,
    force: Annotated[
        str | None, typer.Option(help="Publish despite the release gate; the reason is recorded.")
    ] = None,
    expectations: Annotated[
        Path, typer.Option(help="Expectation suites to validate the release with.")
    ] = paths.EXPECTATIONS_DIR,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Build shards on a local Dask cluster of N worker processes."),
    ] = None,
    dask_address: Annotated[
        str | None,
        typer.Option(help="Build shards on an existing Dask scheduler (tcp://host:8786)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    verbose: Annotated[bool, typer.Option(help="Show Prefect's run logs.")] = False,
) -> None:
    """Build a validated release from raw posts; unchanged documents come from <out>/.cache.

    Example: market-claims build --raw data/raw --out data/processed --workers 2
    """
    if not raw.is_dir():
        _fail(f"raw folder {raw} does not exist", 1)
    if workers and dask_address:
        _fail("give --workers or --dask-address, not both", 2)
    _prepare_environment(verbose)
    from flows.build import build_flow_for

    try:
        summary = build_flow_for(workers, dask_address)(
            raw_dir=raw,
            out_dir=out,
            reference_dir=reference_dir,
            force_reason=force,
            expectations_dir=expectations,
        )
    except MarketClaimsError as exc:
        _fail(str(exc), exc.exit_code)
    if as_json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_summary(summary)


@app.command()
def version() -> None:
    """Print the package version.

    Example: market-claims version
    """
    print(__version__)


_register_commands()


def main() -> None:
    """Entry point that turns library errors into one line and an exit code."""
    try:
        app()
    except MarketClaimsError as exc:
        _fail(str(exc), exc.exit_code)


def _prepare_environment(verbose: bool) -> None:
    for key, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "CRITICAL")


def _print_summary(summary) -> None:
    table = Table(title=f"market-claims {summary.status}: {summary.version}", show_header=False)
    table.add_row("documents", str(summary.documents))
    table.add_row("segments", str(summary.segments))
    table.add_row("mentions", str(summary.mentions))
    table.add_row("numbers", str(summary.numbers))
    verdicts = ", ".join(f"{k} {v}" for k, v in summary.claims_by_verdict.items()) or "none"
    table.add_row("claims", f"{sum(summary.claims_by_verdict.values())} ({verdicts})")
    table.add_row("rejects", str(len(summary.rejects)))
    table.add_row("release", summary.release_path or "-")
    processed, cached = summary.documents_processed, summary.documents_from_cache
    table.add_row("processed", f"{processed} documents ({cached} from cache)")
    console.print(table)
    for reject in summary.rejects:
        console.print(f"[yellow]rejected[/] {reject['path']}: {reject['reason']}")
    for note in summary.notes:
        console.print(f"[yellow]note[/] {note}")


def _fail(message: str, code: int) -> None:
    errors.print(f"[red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


if __name__ == "__main__":
    sys.exit(main())
