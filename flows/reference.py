"""Reference snapshots on disk: load and verify one, or write a new one atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from flows import paths
from flows.errors import ReferenceDataError
from flows.providers import MarketDataProvider
from flows.reference_files import (
    BASES,
    DATA_FILES,
    FACT_COLUMNS,
    FACTS_FILE,
    MARKET_DAILY_FILE,
    check_market_daily,
    content_hash,
    decode_snapshot,
    normalize_market_daily,
    serialize_snapshot,
)

__all__ = [
    "BASES",
    "FACT_COLUMNS",
    "ReferenceSnapshot",
    "content_hash",
    "list_versions",
    "load_reference",
    "make_snapshot",
    "next_version",
    "read_snapshot",
    "update_reference",
    "write_snapshot",
]

SNAPSHOT_FILE = "snapshot.json"
_VERSION_PATTERN = re.compile(r"^(\d{4})\.(\d{2})\.(\d{2})-(\d+)$")


@dataclass(frozen=True)
class ReferenceSnapshot:
    """One verified snapshot: daily bars (schemas.MARKET_DAILY columns) and facts (FACT_COLUMNS)."""

    version: str
    content_hash: str
    path: Path | None
    market_daily: pd.DataFrame
    facts: pd.DataFrame

    @property
    def symbols(self) -> tuple[str, ...]:
        return tuple(sorted(self.market_daily["symbol"].unique()))

    @property
    def date_range(self) -> tuple[dt.date, dt.date] | None:
        if self.market_daily.empty:
            return None
        return min(self.market_daily["date"]), max(self.market_daily["date"])


def load_reference(
    reference_dir: Path | None = None, version: str | None = None
) -> ReferenceSnapshot:
    """The requested (or newest) snapshot under `reference_dir`, its content hash verified."""
    root = Path(reference_dir) if reference_dir is not None else paths.REFERENCE_DIR
    versions = list_versions(root)
    if not versions:
        raise ReferenceDataError(f"no reference snapshot found under {root}")
    chosen = version or versions[-1]
    if chosen not in versions:
        raise ReferenceDataError(
            f"reference snapshot {chosen!r} not found under {root} (have: {', '.join(versions)})"
        )
    return read_snapshot(root / chosen)


def list_versions(reference_dir: Path) -> list[str]:
    """Snapshot version directories (YYYY.MM.DD-N), oldest first; temp and other dirs ignored."""
    if not reference_dir.is_dir():
        return []
    names = [p.name for p in reference_dir.iterdir() if p.is_dir() and _version_key(p.name)]
    return sorted(names, key=_version_key)


def read_snapshot(path: Path) -> ReferenceSnapshot:
    """Read one snapshot directory; raise ReferenceDataError when missing, corrupt or tampered."""
    manifest_path = path / SNAPSHOT_FILE
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        data = {name: (path / name).read_bytes() for name in DATA_FILES}
    except FileNotFoundError as error:
        raise ReferenceDataError(f"reference snapshot {path} is incomplete: {error}") from error
    except json.JSONDecodeError as error:
        raise ReferenceDataError(f"{manifest_path} is not valid JSON: {error}") from error
    actual = content_hash(data)
    if manifest.get("content_hash") != actual:
        raise ReferenceDataError(
            f"reference snapshot {path} fails its content hash: "
            f"{SNAPSHOT_FILE} says {manifest.get('content_hash')}, files hash to {actual}"
        )
    return _snapshot_from_bytes(data, str(manifest.get("version", path.name)), path)


def make_snapshot(
    market_daily: pd.DataFrame, facts: pd.DataFrame, version: str = "in-memory"
) -> ReferenceSnapshot:
    """A validated in-memory snapshot (tests, fixtures); hashed exactly as it would be on disk."""
    data = serialize_snapshot(market_daily, facts)
    return _snapshot_from_bytes(data, version, None)


def write_snapshot(
    reference_dir: Path,
    version: str,
    market_daily: pd.DataFrame,
    facts: pd.DataFrame,
    provenance: dict[str, Any],
    created: dt.datetime,
    sources_md: str = "",
) -> ReferenceSnapshot:
    """Write a new snapshot atomically: temp dir beside, validate, then os.replace into place."""
    if _version_key(version) is None:
        raise ReferenceDataError(f"snapshot version {version!r} is not of the form YYYY.MM.DD-N")
    target = reference_dir / version
    if target.exists():
        raise ReferenceDataError(f"reference snapshot {target} already exists; not overwritten")
    reference_dir.mkdir(parents=True, exist_ok=True)
    data = serialize_snapshot(market_daily, facts)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{version}-", dir=reference_dir))
    try:
        for name, payload in data.items():
            (staging / name).write_bytes(payload)
        if sources_md:
            (staging / "SOURCES.md").write_text(sources_md, encoding="utf-8")
        manifest = {
            "version": version,
            "created": created.isoformat(timespec="seconds"),
            "content_hash": content_hash(data),
            "files": {name: hashlib.sha256(data[name]).hexdigest() for name in DATA_FILES},
            "provenance": provenance,
        }
        (staging / SNAPSHOT_FILE).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        read_snapshot(staging)  # validate exactly what will be published
        os.replace(staging, target)
    except OSError as error:
        raise ReferenceDataError(f"could not write reference snapshot {target}: {error}") from error
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return read_snapshot(target)


def update_reference(
    provider: MarketDataProvider,
    symbols: list[str],
    start: dt.date,
    end: dt.date,
    reference_dir: Path | None = None,
    *,
    now: dt.datetime | None = None,
) -> ReferenceSnapshot:
    """Fetch bars, merge them over the newest snapshot (fetched rows win) and publish a new one."""
    root = Path(reference_dir) if reference_dir is not None else paths.REFERENCE_DIR
    base = load_reference(root)
    fetched = normalize_market_daily(provider.fetch_daily(symbols, start, end))
    check_market_daily(fetched, what=f"provider {provider.name}")
    fetched_keys = set(zip(fetched["symbol"], fetched["date"], strict=True))
    old_keys = zip(base.market_daily["symbol"], base.market_daily["date"], strict=True)
    kept = base.market_daily[[key not in fetched_keys for key in old_keys]]
    merged = pd.concat([kept, fetched], ignore_index=True)
    moment = now or dt.datetime.now(dt.UTC)
    version = next_version(list_versions(root), moment.date())
    provenance = {
        "based_on": {"version": base.version, "content_hash": base.content_hash},
        MARKET_DAILY_FILE: (
            f"{len(fetched)} rows for {', '.join(sorted(set(symbols)))} "
            f"{start.isoformat()} … {end.isoformat()} from {provider.name}; "
            f"other rows from snapshot {base.version}"
        ),
        FACTS_FILE: f"unchanged from snapshot {base.version}",
    }
    sources_md = _read_text_or_empty(base.path / "SOURCES.md") if base.path else ""
    return write_snapshot(root, version, merged, base.facts, provenance, moment, sources_md)


def next_version(existing: list[str], today: dt.date) -> str:
    """Today's first free version (YYYY.MM.DD-N), always sorting after every existing one."""
    stem = today.strftime("%Y.%m.%d")
    candidate = f"{stem}-1"
    if existing and _version_key(candidate) <= _version_key(existing[-1]):
        newest_stem, newest_n = existing[-1].rsplit("-", 1)
        candidate = f"{newest_stem}-{int(newest_n) + 1}"
    while candidate in existing:
        stem_part, n = candidate.rsplit("-", 1)
        candidate = f"{stem_part}-{int(n) + 1}"
    return candidate


def _version_key(name: str) -> tuple[int, ...] | None:
    match = _VERSION_PATTERN.match(name)
    return tuple(int(part) for part in match.groups()) if match else None


def _read_text_or_empty(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _snapshot_from_bytes(data: dict[str, bytes], version: str, path: Path | None):
    bars, facts = decode_snapshot(data, version)
    return ReferenceSnapshot(version, content_hash(data), path, bars, facts)
