"""Scale-out: a build on a local Dask cluster gives byte-identical tables to the default runner."""

from __future__ import annotations

import os

import dask.config
import pytest
from prefect import flow, task

from flows import schemas
from tests.test_incremental import write_corpus

pytestmark = pytest.mark.usefixtures("prefect_harness")


@task
def _where_task_runs_report(_: int) -> tuple[int, str | None, list[str], list[str]]:
    import psutil
    from distributed import get_worker
    from prefect.settings import get_current_settings

    children = [" ".join(child.cmdline()) for child in psutil.Process().children(recursive=True)]
    callbacks = sorted(get_worker().periodic_callbacks)
    return os.getpid(), get_current_settings().api.url, children, callbacks


@flow
def _probe_workers() -> tuple[str, list]:
    from flows.dask_workers import flow_api_url

    return flow_api_url(), _where_task_runs_report.map(range(2)).result()


def test_two_dask_workers_give_byte_identical_tables(tmp_path):
    from flows.build import build, build_flow_for

    raw = write_corpus(tmp_path / "raw")
    default = build(raw_dir=raw, out_dir=tmp_path / "default", shard_documents=2)
    on_dask = build_flow_for(workers=2)(raw_dir=raw, out_dir=tmp_path / "dask", shard_documents=2)
    assert default.shards == on_dask.shards == 4
    assert on_dask.documents_processed == default.documents_processed == 7
    assert on_dask.version == default.version
    for name in schemas.TABLES:
        a = (tmp_path / "default" / default.version / f"{name}.parquet").read_bytes()
        b = (tmp_path / "dask" / on_dask.version / f"{name}.parquet").read_bytes()
        assert a == b, name


def test_runner_choice():
    from prefect_dask import DaskTaskRunner

    from flows.build import build, build_flow_for

    assert build_flow_for() is build
    local = build_flow_for(workers=3).task_runner
    assert isinstance(local, DaskTaskRunner)
    assert local.cluster_kwargs["n_workers"] == 3 and local.cluster_kwargs["processes"] is True
    remote = build_flow_for(dask_address="tcp://127.0.0.1:8786").task_runner
    assert remote.address == "tcp://127.0.0.1:8786"


def test_cli_refuses_workers_and_an_address_together(tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    options = ["--workers", "2", "--dask-address", "tcp://127.0.0.1:8786"]
    result = CliRunner().invoke(app, ["build", "--raw", str(tmp_path), *options])
    assert result.exit_code == 2
    assert "not both" in result.output


def test_local_workers_report_to_the_flows_api_and_do_not_profile():
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.build import build_flow_for

    runner = build_flow_for(workers=1).task_runner
    # Ephemeral mode, as from the CLI: no API URL configured, the flow process runs a server.
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        flow_url, reports = _probe_workers.with_options(task_runner=runner)()
    assert flow_url.startswith("http://127.0.0.1:")
    for pid, worker_url, children, callbacks in reports:
        assert pid != os.getpid()
        assert worker_url == flow_url
        assert children == []
        assert "heartbeat" in callbacks and "profile" not in callbacks
    assert dask.config.get("distributed.worker.profile.enabled") is True


def test_the_runner_names_the_api_only_when_none_is_configured(monkeypatch):
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    from flows import dask_workers

    monkeypatch.setattr(dask_workers, "flow_api_url", lambda: "http://127.0.0.1:9/api")
    runner = dask_workers.LocalDaskTaskRunner(cluster_kwargs={"n_workers": 1})
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        with runner:
            assert get_current_settings().api.url == "http://127.0.0.1:9/api"
        assert get_current_settings().api.url is None
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:8/api"}):
        with runner.duplicate():
            assert get_current_settings().api.url == "http://127.0.0.1:8/api"


def test_workers_log_only_critical_errors_once_the_cluster_closes():
    import logging

    from distributed import Client, LocalCluster

    from flows.dask_workers import quiet_worker_shutdown

    def level() -> int:
        return logging.getLogger("distributed.worker").getEffectiveLevel()

    with LocalCluster(n_workers=1, processes=True, dashboard_address=":0") as cluster:
        with Client(cluster) as client:
            before = set(client.run(level).values())
            quiet_worker_shutdown(client)
            after = set(client.run(level).values())
    assert before != {logging.CRITICAL} and after == {logging.CRITICAL}
