"""Dataset card and datapackage: generated from the release's data, deterministic, valid."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import frictionless
import pandas as pd
import pyarrow as pa
import pytest
import yaml

from flows import card, datapackage, release, schemas
from flows.errors import ReleaseError
from tests.release_factory import build_release


@pytest.fixture
def release_dir(tmp_path: Path) -> Path:
    return build_release(tmp_path / "out")


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_yaml_header_follows_the_hugging_face_card_convention(release_dir):
    header = _front_matter(card.write_dataset_card(release_dir))
    assert header["configs"] == [
        {"config_name": name, "data_files": f"{name}.parquet"} for name in schemas.TABLES
    ]
    assert header["language"] == ["zh"]
    assert header["license"] and header["pretty_name"] and header["tags"]


def test_verdict_counts_match_the_data(release_dir):
    text = card.write_dataset_card(release_dir).read_text(encoding="utf-8")
    counts = Counter(pd.read_parquet(release_dir / "claims.parquet")["verdict"])
    for verdict in schemas.VERDICTS:
        assert f"| {verdict} | {counts.get(verdict, 0)} |" in text
    assert f"{sum(counts.values())} claims." in text


def test_card_counts_follow_the_data_not_a_template(tmp_path, release_dir):
    claims = pd.read_parquet(release_dir / "claims.parquet")
    claims["verdict"] = "approximate"
    other = tmp_path / "other"
    staged = release.stage_release(
        {"claims": claims}, other, inputs=[], reference={"version": "r1"}
    )
    text = card.write_dataset_card(release.publish_staged(staged, other)).read_text()
    assert f"| approximate | {len(claims)} |" in text and "| supported | 0 |" in text
    assert "config_name: documents" not in text  # only the tables the release holds


def test_card_describes_every_column_with_its_type(release_dir):
    text = card.write_dataset_card(release_dir).read_text(encoding="utf-8")
    descriptions = datapackage.column_descriptions()
    for name, spec in schemas.TABLES.items():
        assert spec.schema.metadata[b"description"].decode() in text
        for field in spec.schema:
            assert f"| `{field.name}` | {field.type} |" in text
            assert descriptions[name, field.name]


def test_column_descriptions_cover_exactly_the_schemas():
    expected = {(name, f.name) for name, spec in schemas.TABLES.items() for f in spec.schema}
    assert set(datapackage.column_descriptions()) == expected


def test_card_names_reference_sources_and_how_to_load(release_dir):
    text = card.write_dataset_card(release_dir).read_text(encoding="utf-8")
    assert "2025.01.31-1" in text and "CC-BY-4.0" in text  # the manifest's reference block
    assert "| other-bars | 1 | 1 |" in text and "| test-bars | 2 | 1 |" in text
    assert "validation/index.html" in text
    version = release_dir.name
    assert f"'data/processed/{version}/claims.parquet' group by 1" in text
    assert "from flows.release import load_table" in text


def test_card_and_datapackage_are_deterministic(tmp_path, release_dir):
    copy = tmp_path / "copy" / release_dir.name
    shutil.copytree(release_dir, copy)
    first = [card.write_dataset_card(release_dir), card.write_datapackage(release_dir)]
    second = [card.write_dataset_card(copy), card.write_datapackage(copy)]
    for left, right in zip(first, second, strict=True):
        assert left.read_bytes() == right.read_bytes()


def test_datapackage_validates_with_frictionless(release_dir, monkeypatch):
    path = card.write_datapackage(release_dir)
    monkeypatch.chdir(release_dir)
    report = frictionless.validate(path.name)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == len(schemas.TABLES)


def test_frictionless_catches_a_broken_foreign_key(tmp_path, monkeypatch):
    """The declared keys are real: a claim pointing to a missing segment fails validation."""
    out = tmp_path / "out"
    release_dir = build_release(out)
    claims = pd.read_parquet(release_dir / "claims.parquet")
    claims.loc[0, "segment_id"] = "blog/post_a#p009s009"
    release.write_table(claims, schemas.TABLES["claims"], release_dir)
    manifest = release.read_manifest(release_dir)
    manifest["tables"]["claims"] = release.describe_table_file(
        release_dir / "claims.parquet", schemas.TABLES["claims"]
    )
    release.write_json(release_dir / "manifest.json", manifest)
    card.write_datapackage(release_dir)
    monkeypatch.chdir(release_dir)
    report = frictionless.validate("datapackage.json")
    assert not report.valid
    assert "foreign-key" in {row[0] for row in report.flatten(["type"])}


def test_datapackage_declares_keys_hashes_and_vocabularies(release_dir):
    descriptor = json.loads(card.write_datapackage(release_dir).read_text())
    resources = {r["name"]: r for r in descriptor["resources"]}
    manifest = release.read_manifest(release_dir)
    assert descriptor["version"] == manifest["version"]
    for name, resource in resources.items():
        assert resource["hash"] == "sha256:" + manifest["tables"][name]["sha256"]
        assert resource["schema"]["primaryKey"] == list(schemas.TABLES[name].primary_key)
    references = {
        (fk["fields"], fk["reference"]["resource"])
        for fk in resources["claims"]["schema"]["foreignKeys"]
    }
    assert references == {
        ("doc_id", "documents"),
        ("segment_id", "segments"),
        ("number_id", "numbers"),
    }
    assert "foreignKeys" not in resources["documents"]["schema"]
    segments_keys = resources["segments"]["schema"]["foreignKeys"]
    assert [fk["reference"]["resource"] for fk in segments_keys] == ["documents"]
    verdict = next(f for f in resources["claims"]["schema"]["fields"] if f["name"] == "verdict")
    assert verdict["constraints"] == {"required": True, "enum": list(schemas.VERDICTS)}


@pytest.mark.parametrize(
    ("arrow_type", "nullable", "expected"),
    [
        (pa.string(), False, "string"),
        (pa.int32(), False, "integer"),
        (pa.int64(), True, "number"),
        (pa.float64(), True, "number"),
        (pa.bool_(), False, "boolean"),
        (pa.date32(), True, "date"),
        (pa.timestamp("ms", tz="UTC"), False, "datetime"),
        (pa.list_(pa.string()), False, "any"),
        (pa.binary(), False, "any"),
    ],
)
def test_frictionless_type_mapping(arrow_type, nullable, expected):
    assert datapackage.frictionless_type(arrow_type, nullable) == expected


def test_write_card_files_records_extra_files_in_the_manifest(release_dir):
    files = card.write_card_files(release_dir)
    assert sorted(files) == ["README.md", "datapackage.json"]
    manifest = release.read_manifest(release_dir)
    assert manifest["files"]["README.md"]["sha256"] == release.sha256_file(
        release_dir / "README.md"
    )
    assert card.write_card_files(release_dir) == files  # regenerating changes nothing


def test_describe_extra_files_includes_data_docs_and_refuses_strays(release_dir):
    (release_dir / "validation" / "static").mkdir(parents=True)
    (release_dir / "validation" / "index.html").write_text("<html></html>")
    (release_dir / "validation" / "static" / "app.css").write_text("body {}")
    (release_dir / ".README.md.tmp-1").write_text("ignored: hidden")
    assert sorted(card.describe_extra_files(release_dir)) == [
        "validation/index.html",
        "validation/static/app.css",
    ]
    (release_dir / "notes.txt").write_text("stray")
    with pytest.raises(ReleaseError, match="unexpected file"):
        card.describe_extra_files(release_dir)
