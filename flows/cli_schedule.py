"""`market-claims serve`: scheduled rebuilds served against a running Prefect server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from flows import paths
from flows.errors import MarketClaimsError

QUIET_ENVIRONMENT = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
}


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the main app."""
    app.command("serve")(serve_command)


def serve_command(
    raw: Annotated[Path, typer.Option(help="Folder of raw .txt files with sidecars.")] = (
        paths.RAW_DIR
    ),
    out: Annotated[Path, typer.Option(help="Folder that receives <version>/ and LATEST.")] = (
        paths.PROCESSED_DIR
    ),
    cron: Annotated[
        str | None, typer.Option(help='Cron schedule (default "0 6 * * *", daily 06:00).')
    ] = None,
    interval: Annotated[
        int | None, typer.Option(min=1, help="Run every SECONDS instead of on a cron schedule.")
    ] = None,
    reference_dir: Annotated[
        Path | None, typer.Option(help="Reference snapshots folder (default data/reference).")
    ] = None,
    expectations: Annotated[
        Path, typer.Option(help="Expectation suites to validate each release with.")
    ] = paths.EXPECTATIONS_DIR,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Build each run on a local Dask cluster of N.")
    ] = None,
    dask_address: Annotated[
        str | None, typer.Option(help="Build each run on an existing Dask scheduler.")
    ] = None,
) -> None:
    """Serve scheduled rebuilds until Ctrl-C; needs `prefect server start` and PREFECT_API_URL.

    Example: PREFECT_API_URL=http://127.0.0.1:4200/api market-claims serve --cron "0 6 * * *"
    """
    if cron and interval:
        _fail("give --cron or --interval, not both", 2)
    if workers and dask_address:
        _fail("give --workers or --dask-address, not both", 2)
    if not raw.is_dir():
        _fail(f"raw folder {raw} does not exist", 1)
    for key, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    from flows.schedule import serve_build

    try:
        serve_build(
            raw,
            out,
            cron=cron,
            interval=interval,
            reference_dir=reference_dir,
            expectations_dir=expectations,
            workers=workers,
            dask_address=dask_address,
        )
    except MarketClaimsError as error:
        _fail(str(error), error.exit_code)


def _fail(message: str, code: int) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
