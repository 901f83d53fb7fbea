"""CLI: validate exit codes 0/1/2 and --json; diff exit codes; suites write."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from flows.cli_validation import register
from tests.fixtures_release import publish_sample_release, rewrite_table, set_column

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_validate_clean_release_exits_0_and_json_parses(good_release):
    result = runner.invoke(_app(), ["validate", str(good_release), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["success"] is True and payload["failed"] == 0
    assert "Calculating Metrics" not in result.stderr


def test_validate_failure_exits_1_with_a_table(good_release):
    def bad_metric(table):
        return set_column(table, "metric", ["vibes"] + table.column("metric").to_pylist()[1:])

    rewrite_table(good_release, "claims", bad_metric)
    result = runner.invoke(_app(), ["validate", str(good_release)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "validation FAILED" in result.stdout
    assert "expect_column_values_to_be_in_set [claims]" in result.stdout
    assert '["vibes"]' in result.stdout


def test_validate_missing_table_exits_2_with_one_line(good_release):
    (good_release / "claims.parquet").unlink()
    result = runner.invoke(_app(), ["validate", str(good_release)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "claims.parquet" in result.stderr and "Traceback" not in result.output


def test_diff_exit_codes(tmp_path, sample_tables):
    old = publish_sample_release(tmp_path / "a")
    same = publish_sample_release(tmp_path / "b")
    assert runner.invoke(_app(), ["diff", str(old), str(same)]).exit_code == 0
    sample_tables["claims"].loc[0, "verdict"] = "contradicted"
    changed = publish_sample_release(tmp_path / "c", sample_tables)
    result = runner.invoke(_app(), ["diff", str(old), str(changed)])
    assert result.exit_code == 1 and "verdict 'approximate' → 'contradicted'" in result.stdout
    as_json = runner.invoke(_app(), ["diff", str(old), str(changed), "--json"])
    assert json.loads(as_json.stdout)["identical"] is False
    missing = runner.invoke(_app(), ["diff", str(old), str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "error:" in missing.stderr


def test_suites_write(tmp_path):
    result = runner.invoke(_app(), ["suites", "write", "--to", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "claims.json").is_file() and (tmp_path / "integrity_offsets.json").is_file()


def test_every_command_has_help_with_an_example():
    app = _app()
    for command in (["validate"], ["diff"], ["suites", "write"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.stdout, command
