"""The publish / download / card commands: output, files, one-line errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from flows import cli_distribution
from tests.release_factory import build_release


@pytest.fixture
def app() -> typer.Typer:
    local = typer.Typer()
    cli_distribution.register(local)
    return local


def test_card_publish_download_round_trip(tmp_path: Path, app):
    release_dir = build_release(tmp_path / "out")
    runner = CliRunner()
    result = runner.invoke(app, ["card", str(release_dir)])
    assert result.exit_code == 0, result.output
    assert (release_dir / "README.md").is_file() and (release_dir / "datapackage.json").is_file()
    registry = tmp_path / "registry"
    result = runner.invoke(app, ["publish", str(release_dir), "--to", str(registry)])
    assert result.exit_code == 0 and release_dir.name in result.output
    assert json.loads((registry / "index.json").read_text())["latest"] == release_dir.name
    target = tmp_path / "data"
    args = ["download", "latest", "--from", str(registry), "--to", str(target), "--quiet"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (target / release_dir.name / "README.md").read_bytes() == (
        release_dir / "README.md"
    ).read_bytes()


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["card", "{tmp}/missing"], "is not a release", 2),
        (["publish", "{tmp}/missing", "--to", "{tmp}/registry"], "is not a release", 2),
        (["download", "--from", "{tmp}/nowhere", "--to", "{tmp}/data"], "not found", 2),
    ],
)
def test_errors_are_one_line_on_stderr(tmp_path, app, args, message, code):
    result = CliRunner().invoke(app, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == code
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["publish", "download", "card"])
def test_every_command_has_help_with_an_example(app, command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Example: market-claims " + command in result.output
