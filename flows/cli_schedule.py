"""`market-claims serve`: scheduled rebuilds served against a running Prefect server."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.cli_options import (
    DEFAULT_EXPECTATIONS,
    DEFAULT_OUT,
    DEFAULT_RAW,
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


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the main app."""
    app.command("serve")(serve_command)


def serve_command(
    raw: RawOption = DEFAULT_RAW,
    out: OutOption = DEFAULT_OUT,
    cron: Annotated[
        str | None, typer.Option(help='Cron schedule (default "0 6 * * *", daily 06:00).')
    ] = None,
    interval: Annotated[
        int | None, typer.Option(min=1, help="Run every SECONDS instead of on a cron schedule.")
    ] = None,
    reference_dir: ReferenceDirOption = None,
    expectations: ExpectationsOption = DEFAULT_EXPECTATIONS,
    workers: WorkersOption = None,
    dask_address: DaskAddressOption = None,
) -> None:
    """Serve scheduled rebuilds until Ctrl-C; needs `prefect server start` and PREFECT_API_URL.

    Example: PREFECT_API_URL=http://127.0.0.1:4200/api market-claims serve --cron "0 6 * * *"
    """
    if cron and interval:
        fail("give --cron or --interval, not both", 2)
    check_build_inputs(raw, workers, dask_address)
    prepare_environment()
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
        fail(str(error), error.exit_code)
