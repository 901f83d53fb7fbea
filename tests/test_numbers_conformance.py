"""The shared Recognizers-Text conformance suite, with a floor per model that must not regress."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

SHARED = Path(
    os.environ.get("MARKET_CLAIMS_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared")
)
HARNESS = SHARED / "bench" / "numbers_conformance.py"
# Strict cases passed when this floor was set; raise it when the recognizer improves.
FLOORS = {"NumberModel": 358, "PercentModel": 149, "CurrencyModel": 31, "NumberRangeModel": 51}


@pytest.fixture(scope="module")
def harness():
    if not HARNESS.exists():
        pytest.skip(f"shared conformance harness not found at {HARNESS}")
    spec = importlib.util.spec_from_file_location("numbers_conformance", HARNESS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("model", sorted(FLOORS))
def test_conformance_floor(harness, model):
    from flows.numbers import recognize

    result = harness.score(recognize, model, harness.MODELS[model])
    assert result["strict"] >= FLOORS[model], [f["input"] for f in result["failures"]]
