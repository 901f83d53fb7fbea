"""Scale-out: a build on a local Dask cluster gives byte-identical tables to the default runner."""

from __future__ import annotations

import pytest

from flows import schemas
from tests.test_incremental import write_corpus

pytestmark = pytest.mark.usefixtures("prefect_harness")


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
