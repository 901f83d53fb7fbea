"""Reading a registry's bytes: HTTP(S) with resume and bounded retries, or any fsspec filesystem."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import fsspec
import httpx

from flows.errors import ReleaseError

ATTEMPTS = 4
BACKOFF_SECONDS = 0.2
TIMEOUT_SECONDS = 30.0
CHUNK_BYTES = 1 << 16
SMALL_FILE_LIMIT = 16 << 20  # index.json and manifest.json are never this large

OnBytes = Callable[[int], None]


class RegistrySource(Protocol):
    """Read-only access to files under a registry root, addressed by POSIX relative paths."""

    def read_bytes(self, relative: str) -> bytes: ...

    def fetch(self, relative: str, dest: Path, size: int, on_bytes: OnBytes) -> None: ...


def is_http(url: str) -> bool:
    return url.startswith(("http://", "https://"))


@contextmanager
def open_source(url: str) -> Iterator[RegistrySource]:
    """A source for `url`: HTTP(S) through httpx, anything else (paths, file://, s3://) fsspec."""
    if is_http(url):
        with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=True) as client:
            yield HttpSource(url.rstrip("/"), client)
        return
    try:
        fs, root = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise ReleaseError(f"cannot open registry {url}: {exc}") from exc
    yield FsspecSource(fs, root.rstrip("/"))


class HttpSource:
    """Streams files over HTTP; resumes a dropped transfer with a Range request, then retries."""

    def __init__(self, base_url: str, client: httpx.Client) -> None:
        self.base_url = base_url
        self.client = client

    def read_bytes(self, relative: str) -> bytes:
        url = f"{self.base_url}/{relative}"
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = self.client.get(url)
                _raise_for_status(response, url)
                if len(response.content) > SMALL_FILE_LIMIT:
                    raise ReleaseError(f"{url} is larger than {SMALL_FILE_LIMIT} bytes")
                return response.content
            except (httpx.TransportError, _Retryable) as exc:
                _wait_or_give_up(attempt, url, exc)
        raise AssertionError("unreachable")

    def fetch(self, relative: str, dest: Path, size: int, on_bytes: OnBytes) -> None:
        url = f"{self.base_url}/{relative}"
        dest.touch()
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self._stream_into(url, dest, size, on_bytes)
            except (httpx.TransportError, _Retryable) as exc:
                _wait_or_give_up(attempt, url, exc)
                continue
            if dest.stat().st_size == size:
                return
            _wait_or_give_up(attempt, url, _Retryable(f"got {dest.stat().st_size} of {size} bytes"))

    def _stream_into(self, url: str, dest: Path, size: int, on_bytes: OnBytes) -> None:
        have = dest.stat().st_size
        if have >= size:
            return
        headers = {
            "Accept-Encoding": "identity"
        }  # byte ranges of the stored file, not a re-encoding
        if have:
            headers["Range"] = f"bytes={have}-"
        with self.client.stream("GET", url, headers=headers) as response:
            _raise_for_status(response, url)
            if response.status_code != 206 and have:  # the server ignored Range: start over
                on_bytes(-have)
                have = 0
            with open(dest, "r+b" if have else "wb") as handle:
                handle.seek(have)
                handle.truncate()
                for chunk in response.iter_raw():
                    have += len(chunk)
                    if have > size:
                        raise ReleaseError(
                            f"{url} is larger than the {size} bytes the manifest says"
                        )
                    handle.write(chunk)
                    on_bytes(len(chunk))


class FsspecSource:
    """Reads files from any fsspec filesystem (local paths, file://, s3:// with s3fs, …)."""

    def __init__(self, fs: fsspec.AbstractFileSystem, root: str) -> None:
        self.fs = fs
        self.root = root

    def read_bytes(self, relative: str) -> bytes:
        path = f"{self.root}/{relative}"
        try:
            if self.fs.size(path) > SMALL_FILE_LIMIT:
                raise ReleaseError(f"{path} is larger than {SMALL_FILE_LIMIT} bytes")
            return self.fs.cat_file(path)
        except FileNotFoundError as exc:
            raise ReleaseError(f"{path}: not found in the registry") from exc

    def fetch(self, relative: str, dest: Path, size: int, on_bytes: OnBytes) -> None:
        path = f"{self.root}/{relative}"
        written = 0
        try:
            with self.fs.open(path, "rb") as source, open(dest, "wb") as handle:
                for chunk in iter(lambda: source.read(CHUNK_BYTES), b""):
                    written += len(chunk)
                    if written > size:
                        raise ReleaseError(
                            f"{path} is larger than the {size} bytes the manifest says"
                        )
                    handle.write(chunk)
                    on_bytes(len(chunk))
        except FileNotFoundError as exc:
            raise ReleaseError(f"{path}: not found in the registry") from exc


class _Retryable(Exception):
    """A transient failure worth another attempt (server error, short body)."""


def _raise_for_status(response: httpx.Response, url: str) -> None:
    if response.status_code == 404:
        raise ReleaseError(f"{url}: not found in the registry (HTTP 404)")
    if response.status_code >= 500:
        raise _Retryable(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise ReleaseError(f"{url}: HTTP {response.status_code}")


def _wait_or_give_up(attempt: int, url: str, exc: Exception) -> None:
    if attempt >= ATTEMPTS:
        raise ReleaseError(f"download of {url} failed after {ATTEMPTS} attempts: {exc}") from exc
    time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
