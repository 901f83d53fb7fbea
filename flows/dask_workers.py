"""A local Dask task runner whose workers report to the flow's own Prefect API."""

from __future__ import annotations

import logging
from typing import Self

import dask.config
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings
from prefect_dask import DaskTaskRunner
from prefect_dask.client import PrefectDaskClient

# Dask's statistical profiler samples the running task's stack every 10 ms; on the shard
# stage's deep pandas/pyarrow stacks that cost ~20% of the worker's CPU (10 MB corpus, 1
# worker, 3 runs: 19.7 s CPU with it, 15.8 s without). Nobody reads those profiles here.
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


class LocalDaskTaskRunner(DaskTaskRunner):
    """A DaskTaskRunner on a local cluster; its task runs reach the API the flow process uses.

    Prefect ships its settings with every task. With no PREFECT_API_URL set (ephemeral mode)
    they say "no API", so each worker process started a Prefect server of its own: 15 s
    before the first shard on 2 cores, then one more process per worker competing for the CPU
    and writing to the same SQLite database. Local workers can reach the flow's server, so
    the runner names it in the settings once, when the flow run enters it. The cluster's
    workers start with WORKER_CONFIG.
    """

    @property
    def client(self) -> PrefectDaskClient:
        with dask.config.set(WORKER_CONFIG):
            return super().client

    def __enter__(self) -> Self:
        super().__enter__()
        if get_current_settings().api.url is None:
            url = flow_api_url()
            self._exit_stack.enter_context(temporary_settings(updates={PREFECT_API_URL: url}))
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._client is not None:
            quiet_worker_shutdown(self._client)
        super().__exit__(*exc_info)


def quiet_worker_shutdown(client) -> None:
    """Before the cluster closes, let its workers log only critical errors.

    A worker whose heartbeat races the scheduler's shutdown logs an ERROR with a traceback
    ("Failed to communicate with scheduler during heartbeat") although nothing failed; a
    successful build must not print one. Task errors still reach the flow through Prefect.
    """
    try:
        client.run(_log_only_critical)
    except Exception:  # noqa: BLE001 - a worker already gone has nothing left to log
        pass


def _log_only_critical() -> None:
    for name in ("distributed", "distributed.worker", "distributed.core", "distributed.comm"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def flow_api_url() -> str:
    """The Prefect API this process talks to: the configured one, else its ephemeral server."""
    from prefect.client.orchestration import get_client

    return str(get_client(sync_client=True).api_url).rstrip("/")
