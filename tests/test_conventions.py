"""Tests that scan the code for convention breaks: pure transforms, documented commands."""

from __future__ import annotations

import ast
import re

import typer.main

from flows.cli import app
from flows.paths import PROJECT_ROOT

TRANSFORMS = PROJECT_ROOT / "flows" / "transforms"
FORBIDDEN_IN_TRANSFORMS = {"prefect", "great_expectations", "httpx", "fsspec"}


def _imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_transforms_import_no_orchestration_or_io_library():
    for path in sorted(TRANSFORMS.glob("*.py")):
        assert not _imported_modules(path) & FORBIDDEN_IN_TRANSFORMS, path.name


def test_transforms_do_not_open_files():
    for path in sorted(TRANSFORMS.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\bopen\(|\.read_text\(|\.write_text\(", source), path.name


def _command_paths(group: typer.Typer, prefix: str = "") -> list[str]:
    click_group = typer.main.get_command(group)
    paths = []
    for name, command in sorted(click_group.commands.items()):
        if hasattr(command, "commands"):
            paths += [f"{prefix}{name} {sub}" for sub in sorted(command.commands)]
        else:
            paths.append(f"{prefix}{name}")
    return paths


def test_every_cli_command_is_documented_in_the_readme_with_an_example():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    click_group = typer.main.get_command(app)
    for path in _command_paths(app):
        assert f"market-claims {path}" in readme, f"README does not document `{path}`"
        command = click_group
        for part in path.split():
            command = command.commands[part]
        assert "Example" in (command.help or ""), f"`{path}` --help has no example"
