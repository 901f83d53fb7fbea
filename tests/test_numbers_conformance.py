"""The shared Recognizers-Text conformance suite, with a floor per model that must not regress.

Cases we fail on purpose (26 of 617), because the pipeline needs another reading:
- 多/余/几 hedges (五百多, 十几万, 500多亿 …): one `number` record whose value is the stated base
  and whose bounds are [base, base + step), e.g. 2000多 → [2000, 3000); the spec's range model
  wants an open-ended (500,) range of kind `range` (12 cases), and its number model wants 四百
  without the 多 (1 case).
- One record per expression, where two spec models read the same text differently: 百分之… and
  …个百分点 are percents (the number model wants the bare number, 4 cases); 四十九兆…億元 is
  money (the number model wants the bare number, 1 case).
- Dotted strings with three or more parts (2222.2222.22222.222) are version identifiers.
- 等于 makes a [x, x] range (the range spec wants it), so 百分之2等于百分之二 loses a percent;
  5-20%之间 is a range from 5 to 20 percent, not a lone 20%.
- 过20 is no comparator: 过 is mostly an aspect particle (见过一个); 20万次以上 has a wrong
  expected value in the spec; 7 2 折 (digits spaced out) is not read; bare currency names
  (人民币 美元) without an amount are no records.
"""

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
FLOORS = {"NumberModel": 358, "PercentModel": 149, "CurrencyModel": 33, "NumberRangeModel": 51}


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
