"""Which files a release may hold, their checksums, and checks that refuse anything else."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flows import release, schemas
from flows.errors import ReleaseError
from flows.paths import LATEST_FILE, MANIFEST_FILE

VERSION_PATTERN = re.compile(r"\d{4}\.\d{2}\.\d{2}-[0-9a-f]{8}")
# Files beside the tables that a release may carry (listed in the manifest under "files").
EXTRA_FILES = ("README.md", "datapackage.json")
EXTRA_DIRS = ("validation",)  # GX Data Docs: validation/index.html and its assets
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def check_version_name(version: object) -> str:
    """A version string as `release.make_version` writes it; anything else could be a path."""
    if not isinstance(version, str) or not VERSION_PATTERN.fullmatch(version):
        raise ReleaseError(f"{version!r} is not a release version (YYYY.MM.DD-<8 hex>)")
    return version


def describe_extra_files(release_dir: Path) -> dict[str, dict]:
    """Checksums of the non-table files in a release (card, datapackage, Data Docs), by path.

    Goes into the manifest under "files" so downloads can verify them too.
    """
    release_dir = Path(release_dir)
    table_files = {f"{name}.parquet" for name in schemas.TABLES}
    described = {}
    for path in sorted(p for p in release_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(release_dir).as_posix()
        if relative in table_files or relative == MANIFEST_FILE:
            continue
        if any(part.startswith(".") for part in path.relative_to(release_dir).parts):
            continue
        check_extra_path(relative)
        described[relative] = {"sha256": release.sha256_file(path), "bytes": path.stat().st_size}
    return described


def expected_files(manifest: dict) -> list[dict]:
    """Every file the manifest lists (tables, then extras): path, sha256, bytes; checked safe."""
    tables = manifest.get("tables")
    if not isinstance(tables, dict) or not tables:
        raise ReleaseError("manifest lists no tables")
    listed = []
    for name in sorted(tables):
        entry = tables[name]
        if name not in schemas.TABLES or entry.get("file") != f"{name}.parquet":
            raise ReleaseError(f"manifest lists an unexpected table file: {name!r}")
        listed.append(_checked_entry(entry["file"], entry))
    for relative in sorted(manifest.get("files") or {}):
        listed.append(_checked_entry(check_extra_path(relative), manifest["files"][relative]))
    return listed


def verify_release_dir(release_dir: Path, manifest: dict) -> list[tuple[str, str]]:
    """Check every listed file's size and sha256 on disk; returns (path, sha256) pairs."""
    checked = []
    for item in expected_files(manifest):
        path = Path(release_dir) / item["path"]
        if not path.is_file():
            raise ReleaseError(f"{path} is listed in the manifest but missing")
        if path.stat().st_size != item["bytes"] or release.sha256_file(path) != item["sha256"]:
            raise ReleaseError(f"{path} does not match its manifest size and sha256")
        checked.append((item["path"], item["sha256"]))
    return checked


def check_extra_path(relative: object) -> str:
    """A safe, allowed relative POSIX path: no '..', no absolute paths, no backslashes."""
    if not isinstance(relative, str) or "\\" in relative or relative.startswith("/"):
        raise ReleaseError(f"unsafe path in manifest: {relative!r}")
    parts = relative.split("/")
    if not all(_SEGMENT.fullmatch(part) for part in parts):
        raise ReleaseError(f"unsafe path in manifest: {relative!r}")
    allowed = relative in EXTRA_FILES or (len(parts) > 1 and parts[0] in EXTRA_DIRS)
    if not allowed or relative in (MANIFEST_FILE, LATEST_FILE):
        raise ReleaseError(
            f"unexpected file in release: {relative!r} (allowed: tables, {', '.join(EXTRA_FILES)},"
            f" {'/, '.join(EXTRA_DIRS)}/)"
        )
    return relative


def parse_json_object(data: bytes, name: str) -> dict:
    """Parse a JSON object from a registry, with a clear error for anything else."""
    try:
        parsed = json.loads(data)
    except ValueError as exc:
        raise ReleaseError(f"{name} is not valid JSON: {exc}") from exc
    if not isinstance(parsed, dict):
        raise ReleaseError(f"{name} is not a JSON object")
    return parsed


def _checked_entry(relative: str, entry: object) -> dict:
    if not isinstance(entry, dict):
        raise ReleaseError(f"manifest entry for {relative!r} is not an object")
    sha, size = entry.get("sha256"), entry.get("bytes")
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
        raise ReleaseError(f"manifest entry for {relative!r} has no valid sha256")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ReleaseError(f"manifest entry for {relative!r} has no valid byte size")
    return {"path": relative, "sha256": sha, "bytes": size}
