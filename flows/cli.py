"""The `market-claims` command line: each command a short shell over the library."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flows import __version__
from flows.cli_options import (
    DEFAULT_EXPECTATIONS,
    DEFAULT_OUT,
    DEFAULT_RAW,
    CacheDaysOption,
    DaskAddressOption,
    ExpectationsOption,
    OutOption,
    RawOption,
    ReferenceDirOption,
    WorkersOption,
    check_build_inputs,
    fail,
    prepare_environment,
)
from flows.errors import MarketClaimsError

app = typer.Typer(
    name="market-claims",
    help="Build, validate and distribute the market-claims dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()


def _register_commands() -> None:
    from flows import cli_cache, cli_distribution, cli_reference, cli_schedule, cli_validation

    for module in (cli_reference, cli_validation, cli_distribution, cli_schedule, cli_cache):
        module.register(app)


@app.command()
def build(
    raw: RawOption = DEFAULT_RAW,
    out: OutOption = DEFAULT_OUT,
    reference_dir: ReferenceDirOption = None,
    force: Annotated[
        str | None, typer.Option(help="Publish despite the release gate; the reason is recorded.")
    ] = None,
    expectations: ExpectationsOption = DEFAULT_EXPECTATIONS,
    workers: WorkersOption = None,
    dask_address: DaskAddressOption = None,
    cache_days: CacheDaysOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    verbose: Annotated[bool, typer.Option(help="Show Prefect's run logs.")] = False,
) -> None:
    """Build a validated release from raw posts; unchanged documents come from <out>/.cache.

    Example: market-claims build --raw data/raw --out data/processed --workers 2
    """
    check_build_inputs(raw, workers, dask_address)
    prepare_environment(verbose)
    from flows.build import build_flow_for

    options = {} if cache_days is None else {"cache_days": cache_days}
    try:
        summary = build_flow_for(workers, dask_address)(
            raw_dir=raw,
            out_dir=out,
            reference_dir=reference_dir,
            force_reason=force,
            expectations_dir=expectations,
            **options,
        )
    except MarketClaimsError as exc:
        fail(str(exc), exc.exit_code)
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
        fail(str(exc), exc.exit_code)


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
    if summary.chunks_validated or summary.chunks_from_cache:
        chunks = summary.chunks_validated + summary.chunks_from_cache
        detail = f"{chunks} chunks of documents ({summary.chunks_from_cache} from cache)"
        table.add_row("validated", detail)
    console.print(table)
    for reject in summary.rejects:
        console.print(f"[yellow]rejected[/] {reject['path']}: {reject['reason']}")
    for note in summary.notes:
        console.print(f"[yellow]note[/] {note}")


if __name__ == "__main__":
    sys.exit(main())
