"""The committed expectations/*.json equal what flows/suites.py builds, and load in GX 1.x."""

from __future__ import annotations

from flows import schemas, suites
from flows.paths import EXPECTATIONS_DIR


def test_committed_suites_match_the_contract():
    built = suites.build_suites()
    committed = sorted(path.stem for path in EXPECTATIONS_DIR.glob("*.json"))
    assert committed == sorted(built), "run `python -m flows.suites` and commit"
    for name, suite in built.items():
        text = (EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8")
        assert text == suites.suite_to_json(suite), f"{name}.json drifted from flows/suites.py"


def test_every_suite_loads_in_a_gx_context():
    gx = suites.import_gx()
    context = gx.get_context(mode="ephemeral")
    for name in suites.build_suites():
        suite = context.suites.add(suites.load_suite(EXPECTATIONS_DIR / f"{name}.json"))
        assert suite.name == name and suite.expectations


def test_table_suites_follow_the_schema():
    for spec in schemas.TABLES.values():
        configs = [
            e.configuration.to_json_dict() for e in suites.build_table_suite(spec).expectations
        ]
        types = [c["type"] for c in configs]
        assert configs[0]["kwargs"]["column_list"] == spec.schema.names
        not_null = {c["kwargs"]["column"] for c in configs if c["type"].endswith("not_be_null")}
        assert not_null == {f.name for f in spec.schema if not f.nullable}
        unique = "unique" if len(spec.primary_key) == 1 else "compound_columns_to_be_unique"
        assert any(unique in t for t in types)


def test_vocabularies_come_from_schemas():
    claims = suites.build_table_suite(schemas.TABLES["claims"]).expectations
    sets = {
        e.column: tuple(e.value_set) for e in claims if e.expectation_type.endswith("to_be_in_set")
    }
    assert sets == {"verdict": schemas.VERDICTS, "metric": schemas.METRICS, "unit": schemas.UNITS}


def test_write_suites_round_trips(tmp_path):
    written = suites.write_suites(tmp_path)
    assert [p.name for p in written] == [f"{name}.json" for name in suites.build_suites()]
    reloaded = suites.load_suite(tmp_path / "claims.json")
    assert suites.suite_to_json(reloaded) == (tmp_path / "claims.json").read_text(encoding="utf-8")
