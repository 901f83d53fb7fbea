"""Registries of releases: publish atomically, download with verification, load a table."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from pathlib import Path

import fsspec
import pandas as pd
import pyarrow.parquet as pq

from flows import release, schemas
from flows.errors import ReleaseError
from flows.paths import LATEST_FILE, MANIFEST_FILE
from flows.release_files import (
    check_version_name,
    expected_files,
    parse_json_object,
    verify_release_dir,
)
from flows.transfer import RegistrySource, is_http, open_source

INDEX_FILE = "index.json"
INCOMING_PREFIX = ".incoming-"
DOWNLOAD_PREFIX = ".download-"
CACHE_ENV = "MARKET_CLAIMS_CACHE"


def publish_release(release_dir: Path, registry_url: str) -> str:
    """Copy a release to `<registry>/<version>/` and list it in index.json; returns the version.

    Files go to a hidden incoming directory, are verified there, then moved into place; the
    index is rewritten last (temp + move), so readers never see a half-copied version.
    """
    if is_http(registry_url):
        raise ReleaseError(f"cannot publish over HTTP ({registry_url}); use a path or fsspec URL")
    release_dir = Path(release_dir)
    manifest = release.read_manifest(release_dir)
    version = check_version_name(manifest.get("version"))
    files = verify_release_dir(release_dir, manifest)
    manifest_sha = release.sha256_file(release_dir / MANIFEST_FILE)
    fs, root = fsspec.core.url_to_fs(registry_url)
    root = root.rstrip("/")
    index = _read_index_or_new(fs, root)
    known = index["versions"].get(version)
    if known is not None:
        if known["manifest_sha256"] != manifest_sha:
            raise ReleaseError(f"version {version} is already published with different content")
        return version
    target = f"{root}/{version}"
    if fs.exists(target):
        if _remote_sha256(fs, f"{target}/{MANIFEST_FILE}") != manifest_sha:
            raise ReleaseError(f"{target} exists with different content; not overwriting it")
    else:
        _copy_verified(fs, root, release_dir, version, [*files, (MANIFEST_FILE, manifest_sha)])
    index["versions"][version] = {
        "manifest_sha256": manifest_sha,
        "created_at": manifest.get("created_at"),
        "content_hash": manifest.get("content_hash"),
        "files": len(files) + 1,
    }
    index["latest"] = max(
        index["versions"], key=lambda v: (index["versions"][v].get("created_at") or "", v)
    )
    _write_index(fs, root, index)
    return version


def download_release(
    version: str, registry_url: str, target_dir: Path, progress: bool = True
) -> Path:
    """Download and verify a version ("latest" or pinned) into `target_dir/<version>/`.

    Every file is checked against the manifest (whose own sha256 is checked against the index)
    in a temp directory beside the target before one rename moves it into place; on any
    failure `target_dir` is left exactly as it was.
    """
    target_dir = Path(target_dir)
    with open_source(registry_url) as source:
        index = parse_json_object(source.read_bytes(INDEX_FILE), INDEX_FILE)
        version, entry = _resolve_version(index, version)
        is_latest = version == index.get("latest")
        final = target_dir / version
        if final.exists():
            _check_existing(final, entry)
        else:
            _download_into(source, version, entry, target_dir, progress)
    if is_latest or not (target_dir / LATEST_FILE).exists():
        release.write_text_atomic(target_dir / LATEST_FILE, version + "\n")
    return final


def load_table(name: str, path_or_url: str | Path, version: str = "latest") -> pd.DataFrame:
    """One table as a DataFrame, from a release dir, an output dir with LATEST, or a registry.

    Registries are downloaded (verified) into ~/.cache/market-claims or $MARKET_CLAIMS_CACHE.
    """
    spec = schemas.TABLES.get(name)
    if spec is None:
        raise ReleaseError(f"unknown table {name!r}; tables are {sorted(schemas.TABLES)}")
    release_dir = _locate_release(str(path_or_url), version)
    manifest = release.read_manifest(release_dir)
    entry = manifest.get("tables", {}).get(name)
    if entry is None:
        raise ReleaseError(f"release {release_dir} has no table {name!r}")
    path = release_dir / f"{name}.parquet"
    if not path.is_file() or release.sha256_file(path) != entry["sha256"]:
        raise ReleaseError(f"{path} is missing or does not match its manifest checksum")
    return pq.read_table(path).to_pandas()


def cache_dir() -> Path:
    """Where registry downloads are cached: $MARKET_CLAIMS_CACHE or ~/.cache/market-claims."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "market-claims")


def _locate_release(location: str, version: str) -> Path:
    if "://" not in location:
        local = Path(location)
        if (local / MANIFEST_FILE).is_file():
            found = release.read_manifest(local).get("version")
            if version not in ("latest", found):
                raise ReleaseError(f"{local} holds version {found}, not {version}")
            return local
        if (local / LATEST_FILE).is_file() or (version != "latest" and (local / version).is_dir()):
            chosen = release.latest_release(local) if version == "latest" else local / version
            if chosen is None or not (chosen / MANIFEST_FILE).is_file():
                raise ReleaseError(f"{local} has no release {version}")
            return chosen
        if not (local / INDEX_FILE).is_file():
            raise ReleaseError(f"{local} is not a release, an output dir or a registry")
    key = hashlib.sha256(location.rstrip("/").encode()).hexdigest()[:16]
    return download_release(version, location, cache_dir() / key, progress=False)


def _resolve_version(index: dict, version: str) -> tuple[str, dict]:
    versions = index.get("versions")
    if not isinstance(versions, dict):
        raise ReleaseError(f"{INDEX_FILE} has no versions")
    if version == "latest":
        version = index.get("latest")
        if not version:
            raise ReleaseError(f"{INDEX_FILE} names no latest version")
    check_version_name(version)
    if version not in versions:
        raise ReleaseError(f"version {version} is not in the registry (has: {sorted(versions)})")
    return version, versions[version]


def _download_into(
    source: RegistrySource, version: str, entry: dict, target_dir: Path, progress: bool
) -> None:
    manifest_bytes = source.read_bytes(f"{version}/{MANIFEST_FILE}")
    if hashlib.sha256(manifest_bytes).hexdigest() != entry.get("manifest_sha256"):
        raise ReleaseError(f"{version}/{MANIFEST_FILE} does not match the index checksum")
    manifest = parse_json_object(manifest_bytes, f"{version}/{MANIFEST_FILE}")
    if manifest.get("version") != version:
        raise ReleaseError(f"{version}/{MANIFEST_FILE} describes version {manifest.get('version')}")
    files = expected_files(manifest)
    if entry.get("files") not in (None, len(files) + 1):
        raise ReleaseError(
            f"index lists {entry['files']} files for {version}, manifest {len(files) + 1}"
        )
    created = next((p for p in [*reversed(target_dir.parents), target_dir] if not p.exists()), None)
    staging = target_dir / f"{DOWNLOAD_PREFIX}{version}-{secrets.token_hex(4)}"
    try:
        staging.mkdir(parents=True)
        _fetch_all(source, version, files, staging, progress)
        (staging / MANIFEST_FILE).write_bytes(manifest_bytes)
        verify_release_dir(staging, manifest)
        os.rename(staging, target_dir / version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created is not None:  # leave no directory behind that was not there before
            shutil.rmtree(created, ignore_errors=True)
        raise


def _fetch_all(
    source: RegistrySource, version: str, files: list[dict], staging: Path, progress: bool
) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn())
    display = Progress(*columns, console=Console(stderr=True), disable=not progress)
    with display:
        task = display.add_task(version, total=sum(item["bytes"] for item in files))
        for item in files:
            dest = staging / item["path"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            display.update(task, description=item["path"])
            source.fetch(
                f"{version}/{item['path']}", dest, item["bytes"], lambda n: display.advance(task, n)
            )
            if release.sha256_file(dest) != item["sha256"]:
                raise ReleaseError(f"{version}/{item['path']} does not match its manifest sha256")


def _check_existing(final: Path, entry: dict) -> None:
    manifest_path = final / MANIFEST_FILE
    if (
        not manifest_path.is_file()
        or release.sha256_file(manifest_path) != entry["manifest_sha256"]
    ):
        raise ReleaseError(f"{final} already exists and differs from the registry's copy")
    verify_release_dir(final, release.read_manifest(final))


def _copy_verified(
    fs: fsspec.AbstractFileSystem, root: str, release_dir: Path, version: str, files: list
) -> None:
    incoming = f"{root}/{INCOMING_PREFIX}{version}-{secrets.token_hex(4)}"
    try:
        for relative, sha in files:
            fs.makedirs(f"{incoming}/{relative}".rsplit("/", 1)[0], exist_ok=True)
            fs.put_file(str(release_dir / relative), f"{incoming}/{relative}")
            if _remote_sha256(fs, f"{incoming}/{relative}") != sha:
                raise ReleaseError(f"copy of {relative} to the registry does not match its sha256")
        fs.mv(incoming, f"{root}/{version}", recursive=True)
    except BaseException:
        if fs.exists(incoming):
            fs.rm(incoming, recursive=True)
        raise


def _read_index_or_new(fs: fsspec.AbstractFileSystem, root: str) -> dict:
    path = f"{root}/{INDEX_FILE}"
    if not fs.exists(path):
        fs.makedirs(root, exist_ok=True)
        return {"dataset": release.DATASET_NAME, "latest": None, "versions": {}}
    index = parse_json_object(fs.cat_file(path), path)
    if index.get("dataset") != release.DATASET_NAME or not isinstance(index.get("versions"), dict):
        raise ReleaseError(f"{path} is not a {release.DATASET_NAME} registry index")
    return index


def _write_index(fs: fsspec.AbstractFileSystem, root: str, index: dict) -> None:
    index["versions"] = dict(sorted(index["versions"].items()))
    temp = f"{root}/.{INDEX_FILE}.tmp-{secrets.token_hex(4)}"
    with fs.open(temp, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(index, ensure_ascii=False, indent=2) + "\n")
    fs.mv(temp, f"{root}/{INDEX_FILE}")


def _remote_sha256(fs: fsspec.AbstractFileSystem, path: str) -> str:
    digest = hashlib.sha256()
    with fs.open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
