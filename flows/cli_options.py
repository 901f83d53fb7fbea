"""Options and start-up settings shared by the commands that run the build (build, serve)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from flows import paths

RawOption = Annotated[Path, typer.Option(help="Folder of raw .txt files with sidecars.")]
OutOption = Annotated[Path, typer.Option(help="Folder that receives <version>/ and LATEST.")]
ReferenceDirOption = Annotated[
    Path | None, typer.Option(help="Reference snapshots folder (default data/reference).")
]
ExpectationsOption = Annotated[
    Path, typer.Option(help="Expectation suites to validate each release with.")
]
WorkersOption = Annotated[
    int | None,
    typer.Option(min=1, help="Build shards on a local Dask cluster of N worker processes."),
]
DaskAddressOption = Annotated[
    str | None,
    typer.Option(help="Build shards on an existing Dask scheduler (tcp://host:8786)."),
]
CacheDaysOption = Annotated[
    float | None,
    typer.Option(min=0, help="Keep cache entries a build used within DAYS (default 7; 0: none)."),
]
DEFAULT_RAW, DEFAULT_OUT, DEFAULT_EXPECTATIONS = (
    paths.RAW_DIR,
    paths.PROCESSED_DIR,
    paths.EXPECTATIONS_DIR,
)

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


def check_build_inputs(raw: Path, workers: int | None, dask_address: str | None) -> None:
    """Fail fast, before Prefect starts, on what the user can fix at once."""
    if workers and dask_address:
        fail("give --workers or --dask-address, not both", 2)
    if not raw.is_dir():
        fail(f"raw folder {raw} does not exist", 1)


def prepare_environment(verbose: bool = False) -> None:
    """Quiet defaults for Prefect, GX and Dask; set before they are imported."""
    for key, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "CRITICAL")


def fail(message: str, code: int) -> None:
    """One line on stderr and a non-zero exit: never a traceback."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
