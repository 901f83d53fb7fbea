"""One Prefect test harness per test process (each xdist worker), started only by flow tests."""

from __future__ import annotations

import os

import pytest

QUIET = {
    "PREFECT_LOGGING_SERVER_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
}


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """A temporary Prefect API with its own PREFECT_HOME (a fresh SQLite database).

    Parallel-safe: each xdist worker has its own basetemp, so its own PREFECT_HOME (inherited
    by CLI subprocesses), and Prefect gives the harness a fresh database and a free port.
    """
    home = tmp_path_factory.mktemp("prefect-home")
    saved = {key: os.environ.get(key) for key in [*QUIET, "PREFECT_HOME"]}
    os.environ.update(QUIET)
    os.environ["PREFECT_HOME"] = str(home)
    from prefect.testing.utilities import prefect_test_harness

    timeout = int(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300"))
    with prefect_test_harness(server_startup_timeout=timeout):
        yield home
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
