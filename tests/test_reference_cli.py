"""`reference update` and `reference show` through typer's CliRunner, against a local server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from flows import paths
from flows.cli_reference import register
from tests.test_providers import SESSIONS, YahooStub, yahoo_chart

VENDORED = "2025.01.31-1"


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    register(app)
    return app


@pytest.fixture
def reference_dir(tmp_path: Path) -> Path:
    root = tmp_path / "reference"
    root.mkdir()
    shutil.copytree(paths.REFERENCE_DIR / VENDORED, root / VENDORED)
    return root


@pytest.fixture
def stub():
    server = YahooStub()
    yield server
    server.close()


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _update(app, stub, reference_dir, symbols="NVDA,^IXIC"):
    args = ["reference", "update", "--provider", "yahoo", "--symbols", symbols]
    args += ["--start", SESSIONS[0].isoformat(), "--end", SESSIONS[-1].isoformat()]
    args += ["--reference-dir", str(reference_dir), "--base-url", stub.base_url]
    return CliRunner().invoke(app, args)


def test_show(app, reference_dir):
    result = CliRunner().invoke(app, ["reference", "show", "--reference-dir", str(reference_dir)])
    assert result.exit_code == 0, result.output
    assert VENDORED in result.stdout and "sha256:" in result.stdout
    assert "NVDA" in result.stdout and "2025-01-17 … 2025-01-31" in result.stdout


def test_update_writes_new_snapshot(app, stub, reference_dir):
    stub.script["NVDA"] = [{"json": yahoo_chart("NVDA", SESSIONS)}]
    stub.script["^IXIC"] = [{"json": yahoo_chart("^IXIC", SESSIONS, base=19000.0)}]
    before = _tree(reference_dir / VENDORED)
    result = _update(app, stub, reference_dir)
    assert result.exit_code == 0, result.output
    versions = sorted(p.name for p in reference_dir.iterdir())
    assert len(versions) == 2 and VENDORED in versions
    assert _tree(reference_dir / VENDORED) == before
    shown = CliRunner().invoke(app, ["reference", "show", "--reference-dir", str(reference_dir)])
    new_version = next(name for name in versions if name != VENDORED)
    assert new_version in shown.stdout


def test_failed_update_leaves_old_snapshot(app, stub, reference_dir):
    stub.script["NVDA"] = [{"json": yahoo_chart("NVDA", SESSIONS)}]  # ^IXIC is a 404
    before = _tree(reference_dir)
    result = _update(app, stub, reference_dir)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "symbol not found" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert _tree(reference_dir) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2025-13-01"], "not a date"),
        (["--provider", "bloomberg"], "unknown provider"),
        (["--symbols", " , "], "--symbols is empty"),
    ],
)
def test_bad_options(app, reference_dir, args, message):
    base = ["reference", "update", "--symbols", "NVDA", "--start", "2025-01-21"]
    base += ["--end", "2025-01-24", "--reference-dir", str(reference_dir)]
    result = CliRunner().invoke(app, base + args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_show_missing_dir(app, tmp_path):
    result = CliRunner().invoke(app, ["reference", "show", "--reference-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "no reference snapshot found" in result.stderr


def test_every_command_has_help_with_example(app):
    for command in ("update", "show"):
        result = CliRunner().invoke(app, ["reference", command, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.stdout
