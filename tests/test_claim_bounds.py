"""Bound claims: bound words and ranges become a signed interval, published and validated."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from flows import release
from flows.calendar import TradingCalendar
from flows.gazetteer import load_gazetteer, read_claim_rules
from flows.paths import EXPECTATIONS_DIR
from flows.pipeline import build_tables
from flows.reference import load_reference
from flows.transforms.claim_bounds import (
    POINT,
    Bounds,
    bound_word,
    compile_bound_words,
    stated_bounds,
)
from flows.transforms.claim_rules import FALL, LEVEL, RISE, SIGNED
from flows.transforms.claim_tables import Figure
from flows.transforms.ingest import RawFile
from flows.transforms.label import extract_mentions
from flows.transforms.segment import segment_documents
from flows.validate import run_suites, validate_tables

SIDECAR = json.dumps({"published": "2025-01-28", "language": "zh", "source": "test"}).encode()
WORDS = compile_bound_words(read_claim_rules())
A_GREATER_B = "expect_column_pair_values_a_to_be_greater_than_b"
TO_BE_NULL = "expect_column_values_to_be_null"


def _figure(value, lower=None, upper=None, lower_closed=None, upper_closed=None) -> Figure:
    return Figure(
        "d#p000s000/n00", "d#p000s000", 0, 1, "x", "percent", value, lower, upper,
        lower_closed, upper_closed, "percent", None, 0, False, "quantity", 1.0, 0,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("figure", "direction", "word", "bounds"),
    [
        # the recognizer's ranges: 超过10% (10, ∞), 不到4% [−∞, 4), 2%到4% [2, 4)
        (_figure(10.0, 10.0, None, False, False), FALL, None, Bounds(None, -10.0, None, False)),
        (_figure(10.0, 10.0, None, False, False), RISE, None, Bounds(10.0, None, False, None)),
        (_figure(4.0, None, 4.0, False, False), FALL, None, Bounds(-4.0, 0.0, False, True)),
        (_figure(4.0, None, 4.0, False, False), RISE, None, Bounds(0.0, 4.0, True, False)),
        (_figure(None, 2.0, 4.0, True, False), FALL, None, Bounds(-4.0, -2.0, False, True)),
        (_figure(None, 2.0, 4.0, True, False), RISE, None, Bounds(2.0, 4.0, True, False)),
        # a level or a signed change keeps the figure's own bounds (耗资不到600万, 涨跌幅超过-5%)
        (_figure(6.0, None, 6.0, False, False), LEVEL, None, Bounds(None, 6.0, None, False)),
        (_figure(-5.0, -5.0, None, False, False), SIGNED, None, Bounds(-5.0, None, False, None)),
        # a bound word on a plain figure: 至少跌了4%, 最多涨了3%, 跌超5%
        (_figure(4.0), FALL, "lower_closed", Bounds(None, -4.0, None, True)),
        (_figure(3.0), RISE, "upper_closed", Bounds(0.0, 3.0, True, True)),
        (_figure(5.0), FALL, "lower_open", Bounds(None, -5.0, None, False)),
        # a point stays a point: 跌了17%, 等于10 ([10, 10])
        (_figure(17.0), FALL, None, POINT),
        (_figure(10.0, 10.0, 10.0, True, True), FALL, None, POINT),
    ],
)
def test_stated_bounds_sign_follows_the_reading(figure, direction, word, bounds):
    assert stated_bounds(figure, direction, word) == bounds


def test_a_fall_bounded_below_zero_never_reads_as_negative_zero():
    upper = stated_bounds(_figure(4.0, None, 4.0, False, False), FALL, None).upper
    assert upper == 0.0 and str(upper) == "0.0"


@pytest.mark.parametrize(
    ("text", "cue", "found"),
    [
        ("英伟达至少跌了4%", "跌", (3, "lower_closed")),  # before the verb
        ("英伟达最多 涨了3%", "涨", (3, "upper_closed")),
        ("英伟达跌幅至少为4%", "跌幅", (5, "lower_closed")),  # before the figure, past 为
        ("英伟达不止跌了4%", "跌", (3, "lower_open")),
        ("博通跌超5%", "跌", (3, "lower_open")),  # the recognizer leaves 超 outside
        ("股价未及5%", None, (2, "upper_open")),
        ("股价跌幅不超5%", "跌幅", (4, "upper_closed")),  # 不超, not 超
        # no bound: a superlative away from the verb, a hedge, a plain change
        ("跌得最多的英伟达下跌17%", "下跌", None),
        ("英伟达跌了近17%", "跌", None),
        ("英伟达跌了17%", "跌", None),
        ("最多时英伟达跌了17%", "跌", None),
    ],
)
def test_bound_words_count_next_to_the_figure_or_the_verb_only(text, cue, found):
    figure_start = text.index(next(c for c in text if c.isdigit()))
    cue_start = None if cue is None else text.rindex(cue, 0, figure_start)
    assert bound_word(text, figure_start, cue_start, WORDS) == found


# One document per case, run through the real stages (recognizer, gazetteer, claims, join).
TEXTS = {
    "above": "英伟达昨日股价跌幅超过10%。",
    "below": "纳斯达克指数昨天跌了不到4%。",
    "rise": "苹果公司昨天股价涨幅超过2%。",
    "money": "英伟达昨天市值蒸发逾5000亿美元。",
    "range": "纳斯达克指数昨天下跌了2%到4%。",
    "at_least": "英伟达昨天股价至少跌了15%。",
    "at_most": "微软昨天最多跌了3%。",
    "adjacent": "谷歌昨天跌超3%。",
    "linking": "谷歌昨天跌幅至少为3%。",
    "point": "英伟达昨天跌了17%。",
    "superlative": "跌得最多的英伟达昨天下跌了17%。",
    "hedge": "英伟达昨天跌了近17%。",
    "short_form": "苹果昨天最多涨了4%。",  # a short form, with no full name in the text
}


@pytest.fixture(scope="module")
def claims() -> dict[str, dict]:
    files = [RawFile(f"{name}.txt", text.encode(), SIDECAR) for name, text in TEXTS.items()]
    tables = build_tables(files, load_reference(), TradingCalendar())
    rows = tables["claims"].to_dict(orient="records")
    by_doc = {row["doc_id"]: row for row in rows}
    assert len(by_doc) == len(rows) == len(TEXTS), "one claim per text"
    return by_doc


def _interval(row: dict) -> tuple:
    return tuple(
        None if pd.isna(row[name]) else row[name]
        for name in ("lower", "upper", "lower_closed", "upper_closed")
    )


@pytest.mark.parametrize(
    ("name", "value", "interval", "verdict"),
    [
        ("above", -10.0, (None, -10.0, None, False), "supported"),  # NVDA −16.97%
        ("below", -4.0, (-4.0, 0.0, False, True), "supported"),  # Nasdaq −3.07%
        ("rise", 2.0, (2.0, None, False, None), "supported"),  # AAPL +3.18%
        ("money", -5e11, (None, -5e11, None, False), "supported"),  # NVDA −589 … −600 bn
        ("range", -3.0, (-4.0, -2.0, False, True), "supported"),
        ("at_least", -15.0, (None, -15.0, None, True), "supported"),
        ("at_most", -3.0, (-3.0, 0.0, True, True), "supported"),  # MSFT −2.14%
        ("adjacent", -3.0, (None, -3.0, None, False), "supported"),  # GOOGL −4.2%
        ("linking", -3.0, (None, -3.0, None, True), "supported"),
        ("point", -17.0, (None, None, None, None), "supported"),
        ("superlative", -17.0, (None, None, None, None), "supported"),
        ("hedge", -17.0, (None, None, None, None), "supported"),
        ("short_form", 4.0, (0.0, 4.0, True, True), "supported"),  # AAPL +3.18%
    ],
)
def test_claims_state_signed_bounds_from_the_text(claims, name, value, interval, verdict):
    row = claims[name]
    assert row["value"] == value
    assert _interval(row) == interval
    assert row["verdict"] == verdict, row["reason"]


def test_a_bound_word_before_the_verb_is_part_of_the_claim(claims):
    assert claims["at_least"]["text"] == "英伟达昨天股价至少跌了15%"
    assert claims["at_most"]["text"] == "微软昨天最多跌了3%"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("苹果至少跌了4%。", [("苹果", "AAPL")]),
        ("苹果最多涨了2%。", [("苹果", "AAPL")]),
        ("苹果只跌了4%。", [("苹果", "AAPL")]),
        ("苹果至少卖了4吨。", []),  # a bound word is neutral, not a market word itself
        ("苹果和英伟达周一分别涨了3%和跌了17%。", [("苹果", "AAPL"), ("英伟达", "NVDA")]),
        (
            "苹果、微软、英伟达分别下跌1%、2%和17%。",
            [("苹果", "AAPL"), ("微软", "MSFT"), ("英伟达", "NVDA")],
        ),
        ("苹果和香蕉都很好吃，英伟达分别跌了17%。", [("英伟达", "NVDA")]),  # another part
        ("苹果和英伟达都在加州。", [("英伟达", "NVDA")]),
    ],
)
def test_the_labeller_counts_a_short_form_across_a_bound_word_or_in_a_list(text, expected):
    documents = pd.DataFrame({"doc_id": ["d"], "text": [text]})
    mentions = extract_mentions(segment_documents(documents), load_gazetteer())
    assert list(zip(mentions["text"], mentions["entity_id"], strict=True)) == expected


def test_a_bound_that_misses_the_reference_is_contradicted():
    # 最多跌了10% against NVDA's −16.97%: the reason names the bound
    files = [RawFile("miss.txt", "英伟达昨天最多跌了10%。".encode(), SIDECAR)]
    row = build_tables(files, load_reference(), TradingCalendar())["claims"].iloc[0]
    assert row["verdict"] == "contradicted"
    assert "stated in [−10, 0] ± 0.5 at the bound → contradicted" in row["reason"]


def test_the_claims_suite_fails_on_a_bad_bound_row(good_release):
    tables = {
        name: pq.read_table(good_release / f"{name}.parquet").to_pandas(types_mapper=pd.ArrowDtype)
        for name in release.schemas.TABLES
    }
    claims = tables["claims"]
    assert claims.loc[0, "value"] == -12.0
    claims.loc[0, ["upper", "upper_closed"]] = [-10.0, False]  # 跌幅超过10%: a good bound
    assert validate_tables(tables).success
    bad = {
        "lower above upper": ({"lower": -5.0, "lower_closed": True}, A_GREATER_B),
        "value past its bound": ({"upper": -15.0}, A_GREATER_B),
        "bound without its flag": ({"upper_closed": None}, TO_BE_NULL),
        "flag without its bound": ({"lower_closed": True}, TO_BE_NULL),
    }
    for what, (change, expectation) in bad.items():  # the bound checks are the claims suite's
        corrupted = claims.copy()
        for column, value in change.items():
            corrupted.loc[0, column] = value
        failures = run_suites({"claims": corrupted}, EXPECTATIONS_DIR).failures
        assert {(f.suite, f.expectation) for f in failures} == {("claims", expectation)}, what


@pytest.mark.usefixtures("prefect_harness")
def test_a_build_publishes_a_bound_claim_with_its_verdict(tmp_path):
    from flows.build import build

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bounds.txt").write_text("英伟达昨日股价跌幅超过10%，市值蒸发逾5000亿美元。\n")
    (raw / "bounds.meta.json").write_bytes(SIDECAR)
    summary = build(raw_dir=raw, out_dir=tmp_path / "out")
    assert summary.status == "published"
    published = pq.read_table(tmp_path / "out" / summary.version / "claims.parquet").to_pylist()
    assert [
        (row["metric"], row["value"], row["lower"], row["upper"], row["upper_closed"])
        for row in published
    ] == [
        ("pct_change", -10.0, None, -10.0, False),
        ("market_cap_change", -5e11, None, -5e11, False),
    ]
    assert [row["verdict"] for row in published] == ["supported", "supported"]
    assert [row["as_of"] for row in published] == [dt.date(2025, 1, 27)] * 2
    assert published[0]["reason"].startswith("close-to-close −16.97%")
    card = (tmp_path / "out" / summary.version / "README.md").read_text(encoding="utf-8")
    assert "2 claims. 2 state a bound or a range (`lower`/`upper`), the others a point." in card
    assert "| `lower_closed` | bool | yes | Whether the lower end is included" in card
