"""One Prefect test harness per test session, started only by tests that run flows."""

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
    """A temporary Prefect API with its own PREFECT_HOME (a fresh SQLite database)."""
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
