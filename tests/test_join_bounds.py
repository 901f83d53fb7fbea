"""Verdicts of bound claims (跌幅超过10%, 至少跌了4%, 2%到4%) on a hand-made reference."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from flows import schemas
from flows.calendar import TradingCalendar
from flows.reference import FACT_COLUMNS, make_snapshot
from flows.transforms.join import judge_claims
from flows.transforms.join_stated import Stated

MON = dt.date(2025, 1, 27)
_BAR_COLUMNS = ("symbol", "date", "open", "high", "low", "close", "volume", "source")


def _fact(fact_id, variant, subject, value, basis="reported"):
    return {
        "fact_id": fact_id,
        "variant": variant,
        "is_primary": variant == 0,
        "subject_id": subject,
        "metric": "pct_change",
        "as_of": MON.isoformat(),
        "value": value,
        "value_text": None,
        "unit": "percent",
        "basis": basis,
        "source": f"src-{fact_id}-{variant}",
        "note": None,
    }


# Facts only (no bars), so that every reference figure is exact: ONE fell 16%, UP rose 0.3%,
# MANY is reported as −16 (primary) and −14 (a reported variant) and −18 intraday.
FACTS = [
    _fact("one", 0, "ONE", -16.0),
    _fact("up", 0, "UP", 0.3),
    _fact("many", 0, "MANY", -16.0),
    _fact("many", 1, "MANY", -14.0),
    _fact("many", 2, "MANY", -18.0, basis="intraday"),
]


@pytest.fixture(scope="module")
def reference():
    bars = pd.DataFrame([], columns=list(_BAR_COLUMNS))
    return make_snapshot(bars, pd.DataFrame(FACTS, columns=list(FACT_COLUMNS)))


@pytest.fixture(scope="module")
def calendar():
    return TradingCalendar()


def _judge(reference, calendar, subject="ONE", value=None, hedged=False, **bounds) -> dict:
    """The judged claim of `subject` on MON with these bounds (precision 1, so ± 0.5)."""
    lower, upper = bounds.get("lower"), bounds.get("upper")
    record = {
        "claim_id": "doc#p000s000/c00",
        "doc_id": "doc",
        "segment_id": "doc#p000s000",
        "number_id": "doc#p000s000/n00",
        "start": 0,
        "end": 3,
        "text": "txt",
        "subject_id": subject,
        "metric": "pct_change",
        "as_of": MON,
        "value": value if value is not None else (upper if upper is not None else lower),
        "lower": lower,
        "upper": upper,
        "lower_closed": None if lower is None else bounds.get("lower_closed", True),
        "upper_closed": None if upper is None else bounds.get("upper_closed", True),
        "unit": "percent",
        "precision": 1.0,
        "is_approximate": hedged,
        "date_reason": None,
    }
    claims = pd.DataFrame([record], columns=list(schemas.CLAIM_EXTRACTION_COLUMNS))
    return judge_claims(claims, reference, calendar).iloc[0].to_dict()


@pytest.mark.parametrize(
    ("bounds", "verdict"),
    [
        # 跌幅超过10% → < −10: the reference −16 is inside
        ({"upper": -10.0, "upper_closed": False}, "supported"),
        ({"upper": -16.0}, "supported"),  # at a closed edge
        ({"upper": -16.0, "upper_closed": False}, "supported"),  # at an open edge, within ±0.5
        ({"upper": -16.5}, "supported"),  # 0.5 past a closed edge: the precision allows it
        ({"upper": -16.5, "upper_closed": False}, "approximate"),  # past an open one: not
        ({"upper": -16.4, "upper_closed": False}, "supported"),
        ({"upper": -16.8}, "approximate"),  # 0.8 past: within max(1 × precision, 5% of 16)
        ({"upper": -17.0}, "approximate"),  # 1.0 past: still within 1 × precision
        ({"upper": -17.1}, "contradicted"),
        # 跌了不到15% → (−15, 0]: −16 misses the lower edge by 1
        ({"lower": -15.5, "upper": 0.0}, "supported"),
        ({"lower": -15.5, "lower_closed": False, "upper": 0.0}, "approximate"),
        ({"lower": -15.6, "upper": 0.0}, "supported"),
        ({"lower": -15.4, "upper": 0.0}, "approximate"),
        ({"lower": -14.9, "upper": 0.0}, "contradicted"),
        # a two-sided range, 下跌15%到17%: [−17, −15]
        ({"lower": -17.0, "upper": -15.0}, "supported"),
        ({"lower": -15.4, "upper": -12.0}, "approximate"),
        ({"lower": -20.0, "upper": -17.6}, "contradicted"),
        # a bound with no sign of its own (涨跌幅不超过20%)
        ({"lower": -20.0, "upper": 20.0}, "supported"),
        # a rise stated against a fall: 最多涨了3% → [0, 3], 涨幅超过5% → > 5
        ({"lower": 0.0, "upper": 3.0}, "contradicted"),
        ({"lower": 5.0, "lower_closed": False}, "contradicted"),
    ],
)
def test_a_bound_is_judged_by_the_distance_past_it(reference, calendar, bounds, verdict):
    judged = _judge(reference, calendar, **bounds)
    assert judged["verdict"] == verdict, judged["reason"]
    assert judged["tolerance"] == 0.5
    assert judged["reference_value"] == -16.0


def test_the_reason_states_the_bound_and_the_reference(reference, calendar):
    judged = _judge(reference, calendar, upper=-10.0, upper_closed=False)
    assert judged["reason"] == (
        "pct_change −16 percent (one, primary); stated < −10 ± 0.5 at the bound → supported"
    )
    ranged = _judge(reference, calendar, lower=-17.0, upper=-15.0, upper_closed=False)
    assert "stated in [−17, −15) ± 0.5 at the bound → supported" in ranged["reason"]


def test_a_stated_fall_against_a_rise_is_contradicted_even_within_the_precision(
    reference, calendar
):
    judged = _judge(reference, calendar, subject="UP", lower=-4.0, upper=0.0, lower_closed=False)
    assert judged["verdict"] == "contradicted"
    assert "opposite sign: stated a fall, reference a rise" in judged["reason"]
    # a bound that allows either sign has no sign to oppose
    either = _judge(reference, calendar, subject="UP", lower=-4.0, upper=4.0)
    assert either["verdict"] == "supported"


def test_a_bound_any_end_of_day_figure_meets_is_supported(reference, calendar):
    # 跌了不到15%: the primary −16 misses it, the reported −14 meets it
    judged = _judge(reference, calendar, subject="MANY", lower=-15.0, upper=0.0, lower_closed=False)
    assert judged["verdict"] == "supported"
    assert judged["reference_value"] == -14.0
    assert "the stated bound meets that range" in judged["reason"]
    assert "closest figure −14 used as reference_value" in judged["reason"]
    # 至少跌了15%: the primary meets it and is the reference
    first = _judge(reference, calendar, subject="MANY", upper=-15.0)
    assert (first["verdict"], first["reference_value"]) == ("supported", -16.0)


def test_an_intraday_level_never_supports_a_bound(reference, calendar):
    # 跌幅超过17.5%: only the intraday −18 is that low
    judged = _judge(reference, calendar, subject="MANY", upper=-17.5, upper_closed=False)
    assert judged["verdict"] == "contradicted"
    assert "matches the intraday level −18" in judged["reason"]


def test_a_point_claim_is_judged_as_before(reference, calendar):
    judged = _judge(reference, calendar, value=-16.4)
    assert judged["verdict"] == "supported"
    assert "stated −16.4 ± 0.5 → supported" in judged["reason"]
    hedged = _judge(reference, calendar, value=-17.5, hedged=True)  # 10% of 16 = 1.6
    assert hedged["verdict"] == "approximate" and "10% as hedged" in hedged["reason"]
    for column in ("lower", "upper", "lower_closed", "upper_closed"):
        assert pd.isna(judged[column])


def test_a_hedged_bound_gets_the_hedged_tolerance_past_its_edge(reference, calendar):
    # 1.5 past the bound: within 10% of 16 when hedged (超过, 至少), not otherwise (2%到4%)
    hedged = _judge(reference, calendar, upper=-17.5, upper_closed=False, hedged=True)
    assert hedged["verdict"] == "approximate" and "10% as hedged" in hedged["reason"]
    plain = _judge(reference, calendar, lower=-20.0, upper=-17.5)
    assert plain["verdict"] == "contradicted"
    beyond = _judge(reference, calendar, upper=-17.7, upper_closed=False, hedged=True)
    assert beyond["verdict"] == "contradicted"


@pytest.mark.parametrize(
    ("stated", "text", "sign"),
    [
        (Stated(-17.0, -17.0), "−17", -1),
        (Stated(None, -10.0, upper_closed=False, is_bound=True), "< −10", -1),
        (Stated(4.0, None, is_bound=True), "≥ 4", 1),
        (Stated(-4.0, 0.0, lower_closed=False, is_bound=True), "in (−4, 0]", -1),
        (Stated(0.0, 3.0, is_bound=True), "in [0, 3]", 1),
        (Stated(-20.0, 20.0, is_bound=True), "in [−20, 20]", 0),
        (Stated(0.0, 0.0), "0", 0),
    ],
)
def test_stated_describes_itself_and_its_sign(stated, text, sign):
    assert stated.describe() == text
    assert stated.sign() == sign


def test_stated_miss_is_the_distance_past_the_nearest_end():
    bound = Stated(-4.0, 0.0, lower_closed=False, is_bound=True)
    assert bound.miss(-5.0) == (1.0, False)
    assert bound.miss(2.0) == (2.0, True)
    assert bound.miss(-2.0) == (0.0, True)
    assert bound.miss(-6.0, -3.0) == (0.0, True)  # a range of figures that meets it
    assert Stated(3.0, 3.0).miss(1.0, 2.5) == (0.5, True)
