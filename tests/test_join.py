"""Verdicts on hand-made reference tables: each metric, each verdict class, traps."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows import schemas
from flows.calendar import TradingCalendar
from flows.reference import FACT_COLUMNS, load_reference, make_snapshot
from flows.transforms.join import _infer_precision, judge_claims, select_market_rows

D = dt.date
MON, TUE, FRI = D(2025, 1, 27), D(2025, 1, 28), D(2025, 1, 24)


def _bar(symbol, day, close, source="test-bars"):
    return {
        "symbol": symbol,
        "date": day,
        "open": None,
        "high": None,
        "low": None,
        "close": close,
        "volume": None,
        "source": source,
    }


def _fact(fact_id, variant, subject, metric, as_of, value, unit, basis="reported", text=None):
    return {
        "fact_id": fact_id,
        "variant": variant,
        "is_primary": variant == 0,
        "subject_id": subject,
        "metric": metric,
        "as_of": as_of,
        "value": value,
        "value_text": text,
        "unit": unit,
        "basis": basis,
        "source": f"src-{fact_id}-{variant}",
        "note": None,
    }


BARS = [
    _bar("XYZ", FRI, 100.0),
    _bar("XYZ", MON, 90.0),
    _bar("XYZ", TUE, 99.0),
    _bar("^IDX", FRI, 1000.0),
    _bar("^IDX", MON, 950.0),
    _bar("LONE", MON, 10.0),
]
FACTS = [
    _fact("xyz_pct", 0, "XYZ", "pct_change", "2025-01-27", -10.0, "percent"),
    _fact("xyz_pct", 1, "XYZ", "pct_change", "2025-01-27", -9.5, "percent"),
    _fact("xyz_pct", 2, "XYZ", "pct_change", "2025-01-27", -12.0, "percent", "intraday"),
    _fact("xyz_shares", 0, "XYZ", "shares_outstanding", "2024-12-31", 1e9, "shares"),
    _fact("xyz_shares", 1, "XYZ", "shares_outstanding", "2024-12-31", 1.1e9, "shares"),
    _fact("xyz_mcap", 0, "XYZ", "market_cap_change", "2025-01-27", -1.05e10, "USD"),
    _fact("a_nw", 0, "person-a", "net_worth_change", "2025-01-27", -2e9, "USD"),
    _fact("a_nw", 1, "person-a", "net_worth_change", "2025-01-27", -2.5e9, "USD", "real-time"),
    _fact("acme_founded", 0, "acme", "founded", "2023-07", None, "date", text="2023-07"),
    _fact("acme_founded", 1, "acme", "founded", "2023-07", None, "date", text="2022"),
    _fact("widget_ratio", 0, "widget", "price_ratio", "2025-01-01", 4.0, "percent"),
    _fact("widget_ratio", 1, "widget", "price_ratio", "2025-01-01", 2.0, "percent"),
    _fact("acme_cost", 0, "acme", "cost", "2024-12-01", 5e6, "USD"),
    _fact("acme_gpus", 0, "acme", "count", "2024-12-01", 1000.0, "count"),
    _fact("acme_train", 0, "acme", "duration", "2024-12-01", 3.0, "month"),
    _fact("moon", 0, "event-x", "year", "1969-07-20", 1969.0, "year", text="1969-07-20"),
    _fact("sox_pct", 0, "^NOBARS", "pct_change", "2025-01-27", -9.2, "percent"),
]


@pytest.fixture(scope="module")
def reference():
    return make_snapshot(pd.DataFrame(BARS), pd.DataFrame(FACTS, columns=list(FACT_COLUMNS)))


@pytest.fixture(scope="module")
def calendar():
    return TradingCalendar()


def _claims(*rows: dict) -> pd.DataFrame:
    records = []
    for index, row in enumerate(rows):
        record = {
            "claim_id": f"doc#p000s000/c{index:02d}",
            "doc_id": "doc",
            "segment_id": "doc#p000s000",
            "number_id": f"doc#p000s000/n{index:02d}",
            "start": 0,
            "end": 3,
            "text": "txt",
            "subject_id": "XYZ",
            "metric": "pct_change",
            "as_of": MON,
            "value": -10.0,
            "unit": "percent",
            "precision": 1.0,
            "is_approximate": False,
            "date_reason": None,
        }
        record.update(row)
        records.append(record)
    return pd.DataFrame(records, columns=list(schemas.CLAIM_EXTRACTION_COLUMNS))


def _judge(reference, calendar, **row) -> dict:
    return judge_claims(_claims(row), reference, calendar).iloc[0].to_dict()


@pytest.mark.parametrize(
    ("row", "verdict", "in_reason"),
    [
        ({"value": -10.0}, "supported", "close-to-close −10%"),
        ({"value": -9.8}, "supported", "stated within that range"),
        ({"value": -10.4}, "supported", "stated −10.4 ± 0.5"),
        ({"value": -9.7, "precision": 0.1}, "supported", "disagree (2): −10 … −9.5"),
        ({"value": -10.45, "precision": 0.01}, "approximate", "approximate tolerance"),
        ({"value": -10.62, "precision": 0.01}, "contradicted", "→ contradicted"),
        ({"value": -15.0}, "contradicted", "→ contradicted"),
        ({"value": 10.0}, "contradicted", "opposite sign: stated a rise"),
        ({"value": -12.0}, "contradicted", "matches the intraday level −12"),
        ({"value": 10.0, "as_of": TUE}, "supported", "(90 → 99 on 2025-01-28"),
        (
            {"subject_id": "^IDX", "metric": "points_change", "value": -50, "unit": "points"},
            "supported",
            "−50 points",
        ),
        (
            {"subject_id": "^IDX", "metric": "points_change", "value": -5, "unit": "points"},
            "contradicted",
            "→ contradicted",
        ),
        ({"metric": "close", "value": 90.0, "unit": "USD"}, "supported", "close 90 on"),
        ({"subject_id": "^NOBARS", "value": -9.0}, "supported", "pct_change −9.2"),
    ],
)
def test_bar_metrics(reference, calendar, row, verdict, in_reason):
    judged = _judge(reference, calendar, **row)
    assert judged["verdict"] == verdict, judged["reason"]
    assert in_reason in judged["reason"]


def test_market_cap_change_uses_shares_and_reported_figures(reference, calendar):
    supported = _judge(
        reference, calendar, metric="market_cap_change", value=-1.05e10, unit="USD", precision=1e8
    )
    assert supported["verdict"] == "supported"
    assert "shares 1 bn × close change −10" in supported["reason"]
    assert "−11 bn … −10 bn" in supported["reason"]
    wrong = _judge(
        reference, calendar, metric="market_cap_change", value=-2e10, unit="USD", precision=1e9
    )
    assert wrong["verdict"] == "contradicted"


def test_net_worth_real_time_level_does_not_support(reference, calendar):
    judged = _judge(
        reference,
        calendar,
        subject_id="person-a",
        metric="net_worth_change",
        value=-2.5e9,
        unit="USD",
        precision=1e8,
    )
    assert judged["verdict"] == "contradicted"
    assert "real-time level −2.5 bn" in judged["reason"]
    assert judged["reference_value"] == -2e9


@pytest.mark.parametrize(
    ("day", "words"),
    [(D(2025, 1, 20), "holiday"), (D(2025, 1, 25), "Saturday"), (D(2025, 1, 26), "Sunday")],
)
def test_non_session_is_unverifiable_not_moved(reference, calendar, day, words):
    judged = _judge(reference, calendar, as_of=day)
    assert judged["verdict"] == "unverifiable"
    assert words in judged["reason"] and "not moved" in judged["reason"]
    assert pd.isna(judged["reference_value"])


def test_no_published_date_uses_date_reason(reference, calendar):
    judged = _judge(reference, calendar, as_of=None, date_reason="document has no published date")
    assert judged["verdict"] == "unverifiable"
    assert "document has no published date" in judged["reason"]


@pytest.mark.parametrize(
    "row",
    [
        {"subject_id": "NOPE"},
        {"subject_id": "LONE"},  # a bar on the day but none the session before
        {"unit": "USD"},
        {"subject_id": "acme", "metric": "cost", "value": 5e6, "unit": "CNY"},
        {"subject_id": "acme", "metric": "age", "value": 18.0, "unit": "USD"},
    ],
)
def test_missing_reference_is_unverifiable(reference, calendar, row):
    judged = _judge(reference, calendar, **row)
    assert judged["verdict"] == "unverifiable", judged["reason"]
    assert judged["reference_source"] is None or pd.isna(judged["reference_source"])


@pytest.mark.parametrize(
    ("row", "verdict"),
    [
        ({"metric": "age", "value": 18.0, "unit": "month", "as_of": TUE}, "supported"),
        (
            {"metric": "age", "value": 1.5, "unit": "year", "as_of": TUE, "precision": 0.1},
            "supported",
        ),
        ({"metric": "age", "value": 24.0, "unit": "month", "as_of": TUE}, "contradicted"),
        ({"metric": "cost", "value": 5e6, "unit": "USD", "precision": 1e6}, "supported"),
        ({"metric": "cost", "value": 5.4e6, "unit": "USD", "precision": 1e5}, "contradicted"),
        (
            {
                "metric": "cost",
                "value": 5.4e6,
                "unit": "USD",
                "precision": 1e5,
                "is_approximate": True,
            },
            "approximate",
        ),
        (
            {
                "metric": "count",
                "value": 1000.0,
                "unit": "count",
                "precision": 1000.0,
                "is_approximate": True,
            },
            "supported",
        ),
        ({"metric": "duration", "value": 0.25, "unit": "year", "precision": 0.01}, "supported"),
        ({"metric": "duration", "value": 3.0, "unit": "month", "as_of": None}, "supported"),
    ],
)
def test_fact_metrics(reference, calendar, row, verdict):
    judged = _judge(reference, calendar, subject_id="acme", **row)
    assert judged["verdict"] == verdict, judged["reason"]


def test_price_ratio_range_of_disagreeing_variants(reference, calendar):
    judged = _judge(
        reference, calendar, subject_id="widget", metric="price_ratio", value=3.0, as_of=TUE
    )
    assert judged["verdict"] == "supported"
    assert "disagree (2): 2 … 4" in judged["reason"]
    year = _judge(
        reference, calendar, subject_id="event-x", metric="year", value=1970.0, unit="year"
    )
    assert year["verdict"] == "approximate"  # one year off: within 1 × precision
    decade = _judge(
        reference, calendar, subject_id="event-x", metric="year", value=1979.0, unit="year"
    )
    assert decade["verdict"] == "contradicted"  # no relative slack on calendar years


def test_weekend_age_claim_is_judged(reference, calendar):
    """Age is not a market metric: a weekend claim date is fine."""
    judged = _judge(
        reference,
        calendar,
        subject_id="acme",
        metric="age",
        value=18.0,
        unit="month",
        as_of=D(2025, 1, 26),
    )
    assert judged["verdict"] == "supported"


def test_output_columns_order_tolerance_and_sorting(reference, calendar):
    claims = _claims({"value": -10.0}, {"value": -2.14, "precision": 0.01}, {"precision": None})
    out = judge_claims(claims.iloc[::-1], reference, calendar)
    assert list(out.columns) == list(schemas.CLAIMS.names)
    assert list(out["claim_id"]) == sorted(out["claim_id"])
    assert list(out["tolerance"]) == pytest.approx([0.5, 0.005, 5.0])  # -10.0 → tens digit
    assert all(isinstance(day, dt.date) for day in out["as_of"])


def test_select_market_rows_takes_as_of_and_previous_session(reference, calendar):
    claims = _claims(
        {"value": -10.0},
        {"subject_id": "^IDX", "metric": "points_change", "unit": "points"},
        {"as_of": D(2025, 1, 20)},
        {"subject_id": "acme", "metric": "cost"},
    )
    rows = select_market_rows(claims, reference, calendar)
    assert list(rows.columns) == list(schemas.MARKET_DAILY.names)
    assert list(zip(rows["symbol"], rows["date"], strict=True)) == [
        ("XYZ", FRI),
        ("XYZ", MON),
        ("^IDX", FRI),
        ("^IDX", MON),
    ]


def test_vendored_snapshot_verdicts(calendar):
    """Vendored snapshot: a close-to-close fall; a figure matching only an intraday print."""
    reference = load_reference()
    claims = _claims(
        {"subject_id": "NVDA", "value": -17.0},
        {"subject_id": "NVDA", "value": 7.7, "precision": 0.1, "as_of": TUE},
        {"subject_id": "AAPL", "value": -3.0},
    )
    out = judge_claims(claims, reference, calendar)
    assert list(out["verdict"]) == ["supported", "contradicted", "contradicted"]
    assert "intraday level 7.7" in out["reason"][1]
    assert "opposite sign" in out["reason"][2]


@given(
    digits=st.integers(min_value=1, max_value=99_999).filter(lambda n: n % 10),
    decimals=st.integers(min_value=1, max_value=4),
)
def test_inferred_precision_is_last_stated_digit(digits, decimals):
    """Fallback when extraction gave no precision: the last digit of the figure as written."""
    value = digits / 10**decimals
    assert _infer_precision(value) == pytest.approx(10.0**-decimals)
    assert _infer_precision(-value) == pytest.approx(10.0**-decimals)
