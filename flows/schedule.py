"""Scheduled rebuilds: the build served as a Prefect deployment against a real Prefect server.

Prefect's temporary embedded server cannot schedule runs, so `serve_build` first checks that
the server named by PREFECT_API_URL answers its /health endpoint and stops with a clear
message otherwise (start one with `prefect server start`).
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
from prefect import flow

from flows.build import BuildSummary, build_flow_for
from flows.errors import ServerUnavailable
from flows.paths import EXPECTATIONS_DIR

DEPLOYMENT_NAME = "scheduled-rebuild"
DEFAULT_CRON = "0 6 * * *"
HEALTH_TIMEOUT_SECONDS = 5.0
SERVER_HINT = (
    "start one with `prefect server start` and set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api)"
)


@flow(name="scheduled-build", log_prints=False)
def scheduled_build(
    raw_dir: str,
    out_dir: str,
    reference_dir: str | None = None,
    expectations_dir: str = str(EXPECTATIONS_DIR),
    workers: int | None = None,
    dask_address: str | None = None,
) -> BuildSummary:
    """One scheduled run: the `build` flow as a subflow, on the task runner asked for.

    A wrapper because a served deployment is loaded from its entrypoint, which would drop a
    task runner set with `with_options`; here the runner is a parameter of the deployment.
    """
    return build_flow_for(workers, dask_address)(
        raw_dir=Path(raw_dir),
        out_dir=Path(out_dir),
        reference_dir=Path(reference_dir) if reference_dir else None,
        expectations_dir=Path(expectations_dir),
    )


def check_server(api_url: str | None = None) -> str:
    """The reachable Prefect API URL, or ServerUnavailable saying what to do."""
    if api_url is None:  # the environment first (read now), then the active Prefect profile
        from prefect.settings import PREFECT_API_URL

        api_url = os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()
    if not api_url:
        raise ServerUnavailable(
            f"PREFECT_API_URL is not set: scheduling needs a Prefect server; {SERVER_HINT}"
        )
    health = api_url.rstrip("/") + "/health"
    try:
        response = httpx.get(health, timeout=HEALTH_TIMEOUT_SECONDS)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise ServerUnavailable(
            f"no Prefect server answers at {health} ({type(exc).__name__}); {SERVER_HINT}"
        ) from None
    return api_url


def serve_build(
    raw_dir: Path,
    out_dir: Path,
    *,
    cron: str | None = None,
    interval: int | None = None,
    reference_dir: Path | None = None,
    expectations_dir: Path = EXPECTATIONS_DIR,
    workers: int | None = None,
    dask_address: str | None = None,
) -> None:
    """Serve the scheduled build until interrupted (cron DEFAULT_CRON unless `interval`)."""
    check_server()
    parameters = {
        "raw_dir": str(Path(raw_dir).resolve()),
        "out_dir": str(Path(out_dir).resolve()),
        "reference_dir": str(Path(reference_dir).resolve()) if reference_dir else None,
        "expectations_dir": str(Path(expectations_dir).resolve()),
        "workers": workers,
        "dask_address": dask_address,
    }
    schedule = {"interval": interval} if interval else {"cron": cron or DEFAULT_CRON}
    scheduled_build.serve(
        name=DEPLOYMENT_NAME,
        parameters=parameters,
        description="Rebuild the market-claims release; unchanged inputs publish nothing.",
        limit=1,  # rebuilds never overlap: a run due while one is going waits for it
        **schedule,
    )
