"""Publishing to local/fsspec registries, downloading from them, and load_table."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import shutil
from pathlib import Path

import fsspec
import pandas as pd
import pytest

from flows import card, registry, release
from flows.errors import ReleaseError
from tests.release_factory import BUILT_AT, build_release


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


@pytest.fixture
def release_dir(out: Path) -> Path:
    path = build_release(out)
    card.write_card_files(path)
    return path


def test_publish_copies_listed_files_and_writes_the_index(tmp_path, release_dir):
    version = registry.publish_release(release_dir, str(tmp_path / "registry"))
    published = tmp_path / "registry" / version
    assert sorted(p.name for p in published.iterdir()) == sorted(
        p.name for p in release_dir.iterdir()
    )
    index = json.loads((tmp_path / "registry" / "index.json").read_text())
    assert index["latest"] == version and index["dataset"] == "market-claims"
    entry = index["versions"][version]
    assert entry["manifest_sha256"] == release.sha256_file(release_dir / "manifest.json")
    assert entry["files"] == 7 + 2 + 1  # tables, card + datapackage, manifest
    assert [p.name for p in (tmp_path / "registry").iterdir() if p.name.startswith(".")] == []


def test_publishing_the_same_content_again_is_a_no_op(tmp_path, release_dir):
    url = "file://" + str(tmp_path / "registry")
    registry.publish_release(release_dir, url)
    index_before = (tmp_path / "registry" / "index.json").read_bytes()
    assert registry.publish_release(release_dir, str(tmp_path / "registry")) == release_dir.name
    assert (tmp_path / "registry" / "index.json").read_bytes() == index_before


def test_publish_refuses_different_content_under_the_same_version(tmp_path, release_dir):
    registry.publish_release(release_dir, str(tmp_path / "registry"))
    manifest = release.read_manifest(release_dir)
    manifest["reference"] = {"version": "another"}
    release.write_json(release_dir / "manifest.json", manifest)
    with pytest.raises(ReleaseError, match="already published with different content"):
        registry.publish_release(release_dir, str(tmp_path / "registry"))


def test_publish_refuses_a_release_whose_files_do_not_match_its_manifest(tmp_path, release_dir):
    (release_dir / "README.md").write_text("edited after the manifest was written")
    with pytest.raises(ReleaseError, match="README.md does not match"):
        registry.publish_release(release_dir, str(tmp_path / "registry"))
    assert not (tmp_path / "registry").exists()


def test_publish_over_http_is_refused(release_dir):
    with pytest.raises(ReleaseError, match="cannot publish over HTTP"):
        registry.publish_release(release_dir, "http://127.0.0.1:9/registry")


def test_latest_is_the_newest_release_whatever_the_publish_order(tmp_path, out):
    newer = build_release(out, close_shift=1.0)
    older = build_release(out, built_at=BUILT_AT - dt.timedelta(days=3))
    url = str(tmp_path / "registry")
    assert registry.publish_release(newer, url) == newer.name
    registry.publish_release(older, url)
    index = json.loads((tmp_path / "registry" / "index.json").read_text())
    assert index["latest"] == newer.name
    assert list(index["versions"]) == sorted([newer.name, older.name])


def test_version_left_by_a_crash_before_the_index_is_adopted_or_refused(tmp_path, out):
    first = build_release(out)
    url = tmp_path / "registry"
    shutil.copytree(first, url / first.name)  # copied and moved, but the index never written
    assert registry.publish_release(first, str(url)) == first.name
    assert first.name in json.loads((url / "index.json").read_text())["versions"]
    second = build_release(out, close_shift=2.0)
    shutil.copytree(first, url / second.name)  # a different release under second's name
    with pytest.raises(ReleaseError, match="exists with different content"):
        registry.publish_release(second, str(url))


def test_fsspec_registry_round_trip(tmp_path, release_dir):
    url = f"memory://registry-{secrets.token_hex(4)}"
    version = registry.publish_release(release_dir, url)
    fs = fsspec.filesystem("memory")
    assert fs.exists(f"{url}/{version}/claims.parquet")
    path = registry.download_release("latest", url, tmp_path / "data", progress=False)
    assert path == tmp_path / "data" / version
    for name in ("claims.parquet", "README.md", "manifest.json"):
        assert (path / name).read_bytes() == (release_dir / name).read_bytes()
    assert (tmp_path / "data" / "LATEST").read_text().strip() == version
    fs.rm(url, recursive=True)


def test_download_again_reuses_an_intact_copy_and_refuses_a_corrupt_one(tmp_path, release_dir):
    url = str(tmp_path / "registry")
    registry.publish_release(release_dir, url)
    path = registry.download_release("latest", url, tmp_path / "data", progress=False)
    assert registry.download_release(release_dir.name, url, tmp_path / "data", False) == path
    (path / "rejects.parquet").write_bytes(b"corrupt")
    with pytest.raises(ReleaseError, match="rejects.parquet does not match"):
        registry.download_release("latest", url, tmp_path / "data", progress=False)


def test_download_from_a_missing_registry_is_a_clear_error(tmp_path):
    with pytest.raises(ReleaseError, match="index.json: not found"):
        registry.download_release("latest", str(tmp_path / "nowhere"), tmp_path / "data")
    assert not (tmp_path / "data").exists()


def test_load_table_from_a_release_dir_and_an_output_dir(out, release_dir):
    expected = pd.read_parquet(release_dir / "claims.parquet")
    pd.testing.assert_frame_equal(registry.load_table("claims", release_dir), expected)
    pd.testing.assert_frame_equal(registry.load_table("claims", str(out)), expected)
    newer = build_release(out, close_shift=3.0)
    bars = registry.load_table("market_daily", out)
    assert bars["close"].max() == pd.read_parquet(newer / "market_daily.parquet")["close"].max()
    pinned = registry.load_table("market_daily", out, version=release_dir.name)
    assert pinned["close"].max() != bars["close"].max()


def test_load_table_from_a_local_registry_goes_through_the_cache(
    tmp_path, release_dir, monkeypatch
):
    monkeypatch.setenv("MARKET_CLAIMS_CACHE", str(tmp_path / "cache"))
    registry.publish_release(release_dir, str(tmp_path / "registry"))
    rejects = registry.load_table("rejects", tmp_path / "registry")
    assert rejects["path"].tolist() == ["blog/empty.txt"]
    assert list((tmp_path / "cache").glob(f"*/{release_dir.name}/rejects.parquet"))


@pytest.mark.parametrize(
    ("name", "version", "message"),
    [
        ("claimz", "latest", "unknown table"),
        ("claims", "2020.01.01-00000000", "holds version"),
    ],
)
def test_load_table_refuses_bad_requests(release_dir, name, version, message):
    with pytest.raises(ReleaseError, match=message):
        registry.load_table(name, release_dir, version=version)


def test_load_table_refuses_a_tampered_local_table(release_dir):
    path = release_dir / "claims.parquet"
    shutil.copy(release_dir / "rejects.parquet", path)
    with pytest.raises(ReleaseError, match="does not match its manifest checksum"):
        registry.load_table("claims", release_dir)


def test_load_table_refuses_a_directory_that_is_no_release(tmp_path):
    with pytest.raises(ReleaseError, match="not a release"):
        registry.load_table("claims", tmp_path)
