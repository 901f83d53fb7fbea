"""Every path the project uses, each overridable by an environment variable or a CLI option."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VOCAB_DIR = PACKAGE_DIR / "vocab"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else default


RAW_DIR = _env_path("MARKET_CLAIMS_RAW_DIR", PROJECT_ROOT / "data" / "raw")
PROCESSED_DIR = _env_path("MARKET_CLAIMS_OUT_DIR", PROJECT_ROOT / "data" / "processed")
REFERENCE_DIR = _env_path("MARKET_CLAIMS_REFERENCE_DIR", PROJECT_ROOT / "data" / "reference")
EXPECTATIONS_DIR = _env_path("MARKET_CLAIMS_EXPECTATIONS_DIR", PROJECT_ROOT / "expectations")

SIDECAR_SUFFIX = ".meta.json"
LATEST_FILE = "LATEST"
MANIFEST_FILE = "manifest.json"
