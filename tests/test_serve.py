"""Scheduled rebuilds: `serve` refuses without a server, and runs on a real `prefect server`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner

from flows import cli_schedule
from flows.errors import ServerUnavailable
from flows.paths import PROJECT_ROOT
from flows.schedule import check_server
from tests.test_incremental import write_corpus

PREFECT = Path(sys.executable).parent / "prefect"
SERVER_START_SECONDS = 240
FIRST_RELEASE_SECONDS = 180


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cli() -> typer.Typer:
    app = typer.Typer()
    cli_schedule.register(app)

    @app.command()
    def other() -> None:  # a second command keeps `serve` a named subcommand
        pass

    return app


def test_check_server_says_what_is_missing():
    with pytest.raises(ServerUnavailable, match="PREFECT_API_URL is not set"):
        check_server("")
    with pytest.raises(ServerUnavailable, match="no Prefect server answers.*prefect server start"):
        check_server(f"http://127.0.0.1:{free_port()}/api")


def test_serve_without_a_server_exits_with_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PREFECT_API_URL", f"http://127.0.0.1:{free_port()}/api")
    result = CliRunner().invoke(cli(), ["serve", "--raw", str(tmp_path), "--interval", "5"])
    assert result.exit_code == 1
    assert "no Prefect server answers" in result.output
    assert "Traceback" not in result.output
    both = ["serve", "--raw", str(tmp_path), "--interval", "5", "--cron", "0 6 * * *"]
    assert CliRunner().invoke(cli(), both).exit_code == 2


@pytest.mark.slow
def test_a_served_deployment_runs_on_schedule_and_publishes(tmp_path):
    raw, out = write_corpus(tmp_path / "raw"), tmp_path / "out"
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_LEVEL="WARNING",
        DO_NOT_TRACK="1",
        GX_ANALYTICS_ENABLED="false",
        PYTHONPATH=str(PROJECT_ROOT),
    )
    logs = tmp_path / "logs"
    logs.mkdir()
    server = _start(
        [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"],
        env,
        logs / "server.log",
    )
    served = None
    try:
        _wait(lambda: _healthy(api), SERVER_START_SECONDS, "prefect server", logs)
        command = [sys.executable, "-m", "flows.cli", "serve", "--raw", str(raw), "--out", str(out)]
        served = _start(
            [*command, "--interval", "5"], {**env, "PREFECT_API_URL": api}, logs / "serve.log"
        )
        _wait(lambda: (out / "LATEST").is_file(), FIRST_RELEASE_SECONDS, "a release", logs)
        version = (out / "LATEST").read_text().strip()
        assert (out / version / "manifest.json").is_file()
        assert (out / version / "claims.parquet").is_file()
        _wait(lambda: "COMPLETED" in _run_states(api), 60, "completed flow run", logs)
    finally:
        for process in (served, server):
            if process is not None:
                _stop(process)


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with open(log, "wb") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            command,
            env=env,
            cwd=PROJECT_ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(process: subprocess.Popen) -> None:
    """Stop the process group this test started (the server or serve and its flow runs)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass


def _run_states(api: str) -> set[str]:
    runs = httpx.post(f"{api}/flow_runs/filter", json={"limit": 50}, timeout=10).json()
    return {run["state_type"] for run in runs}


def _healthy(api: str) -> bool:
    try:
        return httpx.get(f"{api}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _wait(condition, seconds: float, what: str, logs: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(1)
    tails = {log.name: log.read_text(errors="replace")[-3000:] for log in logs.iterdir()}
    pytest.fail(f"no {what} within {seconds} s; logs: {tails}")


def test_prefect_yaml_deploys_the_scheduled_flow_with_its_parameters():
    import inspect

    import yaml

    from flows import schedule

    config = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text())
    (deployment,) = config["deployments"]
    path, _, name = deployment["entrypoint"].partition(":")
    assert (PROJECT_ROOT / path).is_file() and getattr(schedule, name) is schedule.scheduled_build
    accepted = inspect.signature(schedule.scheduled_build.fn).parameters
    assert set(deployment["parameters"]) <= set(accepted)
    assert deployment["schedules"][0]["cron"] == schedule.DEFAULT_CRON
    assert deployment["concurrency_limit"] == 1
