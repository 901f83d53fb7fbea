"""Download over real HTTP (a 127.0.0.1 server with Range support and injected faults)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest

from flows import registry, transfer
from flows.errors import ReleaseError
from tests.release_factory import BUILT_AT, build_release


class _Handler(BaseHTTPRequestHandler):
    """Serves server.root; Range "bytes=N-"; server.cut_short[path] responses end halfway."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        relative = unquote(self.path.split("?", 1)[0]).lstrip("/")
        self.server.requests.append((relative, self.headers.get("Range")))
        path = self.server.root / relative
        if not path.is_file():
            self.send_error(404)
            return
        if self.server.server_errors.get(relative, 0) > 0:
            self.server.server_errors[relative] -= 1
            self.send_error(503)
            return
        data = path.read_bytes()
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        start = int(match.group(1)) if match and self.server.honours_range else 0
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.server.cut_short.get(relative, 0) > 0:
            self.server.cut_short[relative] -= 1
            self.wfile.write(body[: max(1, len(body) // 2)])
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.root = tmp_path / "registry"
    httpd.requests, httpd.cut_short, httpd.server_errors, httpd.honours_range = [], {}, {}, True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def versions(tmp_path: Path, server, monkeypatch) -> list[str]:
    """Two releases published to the served registry, the second one newer."""
    monkeypatch.setattr(transfer, "BACKOFF_SECONDS", 0.0)
    out = tmp_path / "out"
    older = build_release(out, built_at=BUILT_AT - dt.timedelta(days=1))
    newer = build_release(out, close_shift=5.0)
    return [registry.publish_release(path, str(server.root)) for path in (older, newer)]


def test_latest_and_pinned_versions_arrive_verified(tmp_path, server, versions):
    target = tmp_path / "data"
    latest = registry.download_release("latest", server.url, target, progress=False)
    assert latest.name == versions[1]
    pinned = registry.download_release(versions[0], server.url + "/", target, progress=False)
    assert pinned.name == versions[0]
    assert (target / "LATEST").read_text().strip() == versions[1]
    for version in versions:
        assert _listing(target / version) == _listing(tmp_path / "out" / version)
    assert sorted(p.name for p in target.iterdir()) == [*versions, "LATEST"]


def test_progress_bar_does_not_disturb_the_download(tmp_path, server, versions, capsys):
    path = registry.download_release("latest", server.url, tmp_path / "data", progress=True)
    assert _listing(path) == _listing(tmp_path / "out" / versions[1])
    assert "claims.parquet" not in capsys.readouterr().out  # the bar goes to stderr


def test_dropped_connection_resumes_with_range(tmp_path, server, versions):
    server.cut_short[f"{versions[1]}/claims.parquet"] = 2
    path = registry.download_release("latest", server.url, tmp_path / "data", progress=False)
    assert _listing(path) == _listing(tmp_path / "out" / versions[1])
    ranges = [r for rel, r in server.requests if rel.endswith("claims.parquet")]
    assert ranges[0] is None and all(r and r.startswith("bytes=") for r in ranges[1:])
    assert len(ranges) == 3


def test_server_errors_are_retried_then_reported(tmp_path, server, versions):
    server.server_errors["index.json"] = 1
    server.server_errors[f"{versions[1]}/documents.parquet"] = 2
    path = registry.download_release("latest", server.url, tmp_path / "data", progress=False)
    assert _listing(path) == _listing(tmp_path / "out" / versions[1])
    server.server_errors["index.json"] = 100
    _assert_refused(tmp_path, server, "latest", "HTTP 503")


def test_server_ignoring_range_restarts_the_file(tmp_path, server, versions):
    server.honours_range = False
    server.cut_short[f"{versions[1]}/numbers.parquet"] = 1
    path = registry.download_release("latest", server.url, tmp_path / "data", progress=False)
    assert _listing(path) == _listing(tmp_path / "out" / versions[1])


def test_connection_that_keeps_dropping_fails_cleanly(tmp_path, server, versions):
    server.cut_short[f"{versions[1]}/segments.parquet"] = 100
    _assert_refused(tmp_path, server, "latest", "failed after")


def test_tampered_table_on_server_is_refused(tmp_path, server, versions):
    path = server.root / versions[1] / "claims.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    _assert_refused(tmp_path, server, "latest", "does not match its manifest sha256")


def test_file_longer_than_the_manifest_says_is_refused(tmp_path, server, versions):
    path = server.root / versions[1] / "mentions.parquet"
    path.write_bytes(path.read_bytes() + b"extra")
    _assert_refused(tmp_path, server, "latest", "larger than")


def test_tampered_manifest_is_refused(tmp_path, server, versions):
    path = server.root / versions[1] / "manifest.json"
    path.write_text(path.read_text().replace("2026-11-28", "2026-11-29"))
    _assert_refused(tmp_path, server, "latest", "does not match the index checksum")


def test_unknown_version_is_refused(tmp_path, server, versions):
    _assert_refused(tmp_path, server, "2099.01.01-deadbeef", "not in the registry")


def test_registry_without_index_is_a_404(tmp_path, server, versions):
    (server.root / "index.json").unlink()
    _assert_refused(tmp_path, server, "latest", "HTTP 404")


def test_index_pointing_to_a_missing_version_is_refused(tmp_path, server, versions):
    index = json.loads((server.root / "index.json").read_text())
    index["versions"]["2027.01.01-0badf00d"] = index["versions"][versions[1]]
    index["latest"] = "2027.01.01-0badf00d"
    (server.root / "index.json").write_text(json.dumps(index))
    _assert_refused(tmp_path, server, "latest", "HTTP 404")


def test_manifest_listing_a_missing_file_is_refused(tmp_path, server, versions):
    (server.root / versions[1] / "rejects.parquet").unlink()
    _assert_refused(tmp_path, server, "latest", "HTTP 404")


@pytest.mark.parametrize(
    "files",
    [
        {"../outside.txt": None},
        {"validation/../../outside.html": None},
        {"/etc/passwd": None},
        {"validation\\index.html": None},
        {"validation/.hidden": None},
    ],
)
def test_manifest_with_unsafe_paths_is_refused(tmp_path, server, versions, files):
    _rewrite_manifest(server.root, versions[1], lambda m: m.update(files=_entries(files)))
    _assert_refused(tmp_path, server, "latest", "unsafe path")


@pytest.mark.parametrize("name", ["run.sh", "manifest.json", "LATEST", "claims.parquet.bak"])
def test_manifest_with_unexpected_file_is_refused(tmp_path, server, versions, name):
    _rewrite_manifest(server.root, versions[1], lambda m: m.update(files=_entries({name: None})))
    _assert_refused(tmp_path, server, "latest", "unexpected file")


def test_manifest_with_unexpected_table_file_is_refused(tmp_path, server, versions):
    def point_claims_elsewhere(manifest: dict) -> None:
        manifest["tables"]["claims"]["file"] = "../claims.parquet"

    _rewrite_manifest(server.root, versions[1], point_claims_elsewhere)
    _assert_refused(tmp_path, server, "latest", "unexpected table file")


def test_index_with_a_path_as_version_is_refused(tmp_path, server, versions):
    index = json.loads((server.root / "index.json").read_text())
    index["latest"] = "../" + versions[1]
    index["versions"][index["latest"]] = index["versions"][versions[1]]
    (server.root / "index.json").write_text(json.dumps(index))
    _assert_refused(tmp_path, server, "latest", "not a release version")


def test_failed_download_into_a_new_directory_leaves_nothing(tmp_path, server, versions):
    server.cut_short[f"{versions[1]}/claims.parquet"] = 100
    target = tmp_path / "fresh" / "data"
    with pytest.raises(ReleaseError):
        registry.download_release("latest", server.url, target, progress=False)
    assert not (tmp_path / "fresh").exists()


def test_load_table_from_the_http_registry_uses_a_verified_cache(
    tmp_path, server, versions, monkeypatch
):
    monkeypatch.setenv("MARKET_CLAIMS_CACHE", str(tmp_path / "cache"))
    claims = registry.load_table("claims", server.url)
    expected = pd.read_parquet(tmp_path / "out" / versions[1] / "claims.parquet")
    pd.testing.assert_frame_equal(claims, expected)
    fetched = len(server.requests)
    again = registry.load_table("claims", server.url, version=versions[0])
    assert again["reference_value"].tolist() != claims["reference_value"].tolist()
    registry.load_table("market_daily", server.url)
    parquet_requests = [rel for rel, _ in server.requests[fetched:] if rel.endswith(".parquet")]
    assert all(rel.startswith(versions[0]) for rel in parquet_requests)  # latest came from cache


def _assert_refused(tmp_path: Path, server, version: str, message: str) -> None:
    """The download fails with `message` and a target holding an older release is untouched."""
    target = tmp_path / "data"
    older = sorted((tmp_path / "out").glob("20*"))[0]
    shutil.copytree(older, target / older.name)
    (target / "LATEST").write_text(older.name + "\n")
    before = _listing(target)
    with pytest.raises(ReleaseError, match=message):
        registry.download_release(version, server.url, target, progress=False)
    assert _listing(target) == before


def _listing(directory: Path) -> dict[str, str]:
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        if path.is_file()
        else "dir"
        for path in sorted(directory.rglob("*"))
    }


def _entries(files: dict) -> dict:
    return {name: {"sha256": "0" * 64, "bytes": 1} for name in files}


def _rewrite_manifest(root: Path, version: str, change) -> None:
    """What an attacker controlling the registry can do: a new manifest, index updated to match."""
    path = root / version / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))
    index = json.loads((root / "index.json").read_text())
    index["versions"][version]["manifest_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    index["versions"][version]["files"] = None
    (root / "index.json").write_text(json.dumps(index))
