"""What GX is handed: only the columns a suite reads, condition-only ones as categoricals."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from flows import gx_session, integrity
from flows.gx_session import ALL_CHECKS, columns_read
from flows.validate_chunks import integrity_frames
from tests.fixtures_release import build_sample_tables


def _condition(column: str) -> dict:
    return {"column": {"name": column}, "operator": "==", "parameter": "x", "type": "comparison"}


def test_columns_read_names_checked_and_condition_only_columns():
    expectations = [
        {"type": "expect_column_values_to_be_null", "kwargs": {"column": "dangling"}},
        {
            "type": "expect_column_pair_values_to_be_equal",
            "kwargs": {"column_A": "a", "column_B": "b", "row_condition": _condition("kind")},
        },
        {"type": "expect_column_values_to_be_null", "kwargs": {"column": "a"}},
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
    ]
    assert columns_read(expectations) == (["dangling", "a", "b", "kind"], ["kind"])
    checked_too = expectations + [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "kind"}}
    ]
    assert columns_read(checked_too)[1] == []  # a checked column keeps its own type


@pytest.mark.parametrize(
    "expectation",
    [
        {"type": "expect_table_columns_to_match_ordered_list", "kwargs": {"column_list": ["a"]}},
        {
            "type": "expect_column_values_to_be_null",
            "kwargs": {"column": "a", "row_condition": 'b=="x"'},
        },
        {"type": "expect_some_custom_thing", "kwargs": {}},
    ],
)
def test_a_suite_that_may_read_any_column_gets_the_whole_frame(expectation):
    # a column-list check would miss an extra column if the frame were narrowed
    assert columns_read([expectation]) is None


def test_narrowed_frames_keep_positions_whatever_the_index():
    text = pd.Series(
        ["a", "b", None, "a"], index=[10, 11, 12, 13], dtype=pd.ArrowDtype(pa.string())
    )
    frame = pd.DataFrame({"kind": text, "value": text, "other": text})
    narrowed = gx_session._as_read(frame, (["value", "kind"], ["kind"]))
    assert narrowed.columns.tolist() == ["kind", "value"]
    assert narrowed.index.tolist() == [10, 11, 12, 13]
    assert isinstance(narrowed["kind"].dtype, pd.CategoricalDtype)
    assert narrowed["kind"].tolist()[:2] == ["a", "b"] and pd.isna(narrowed["kind"].iloc[2])
    assert narrowed["value"].equals(frame["value"])
    assert gx_session._as_read(frame, None) is frame


def test_integrity_results_equal_those_on_the_whole_frame(monkeypatch):
    from flows.gx_session import GXSession
    from flows.paths import EXPECTATIONS_DIR

    tables = build_sample_tables()
    tables["numbers"].loc[0, "segment_id"] = "news/001#p000s009"  # dangling
    tables["mentions"].loc[0, "end"] += 1  # a span that no longer matches its text
    frames = integrity_frames(tables)
    for name, frame in frames.items():  # an index that is not 0..n-1, as after a filter
        frames[name] = frame.set_axis(range(100, 100 + len(frame)))
    narrowed = {
        name: GXSession(EXPECTATIONS_DIR).run_detached(name, frame, ALL_CHECKS)
        for name, frame in frames.items()
    }
    monkeypatch.setattr(gx_session, "columns_read", lambda expectations: None)
    whole = {
        name: GXSession(EXPECTATIONS_DIR).run_detached(name, frame, ALL_CHECKS)
        for name, frame in frames.items()
    }
    for name in frames:
        assert narrowed[name]["success"] is whole[name]["success"] is False, name
        assert narrowed[name]["statistics"] == whole[name]["statistics"]
        for ours, theirs in zip(narrowed[name]["results"], whole[name]["results"], strict=True):
            assert ours["expectation_config"]["kwargs"] == theirs["expectation_config"]["kwargs"]
            assert (ours["success"], ours["result"]) == (theirs["success"], theirs["result"])
    failed = [r for r in narrowed["integrity_references"]["results"] if not r["success"]]
    assert [r["result"]["partial_unexpected_list"] for r in failed] == [["news/001#p000s009"]]
    assert integrity.reference_key("numbers", "segment_id") in str(failed[0]["expectation_config"])
