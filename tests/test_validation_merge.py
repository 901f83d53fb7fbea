"""Chunk results merged per suite equal one GX run over the whole table."""

from __future__ import annotations

import pandas as pd
import pytest

from flows.validation_merge import merge_payloads


def _counts(result: dict) -> dict:
    return {repr(item["value"]): item["count"] for item in result["partial_unexpected_counts"]}


@pytest.fixture(scope="module")
def session():
    from flows.gx_session import GXSession
    from flows.paths import EXPECTATIONS_DIR

    return GXSession(EXPECTATIONS_DIR)


@pytest.fixture
def dirty_claims(sample_tables) -> pd.DataFrame:
    """Twelve claims with failures in both halves: bad verdicts, missing and negative values."""
    frame = pd.concat([sample_tables["claims"]] * 4, ignore_index=True)
    frame["claim_id"] = [f"{claim_id}{index}" for index, claim_id in enumerate(frame["claim_id"])]
    frame.loc[[1, 7, 8], "verdict"] = ["maybe", "maybe", "nope"]
    frame.loc[[2, 9], "text"] = None
    frame.loc[[0, 10, 11], "tolerance"] = -1.0
    return frame


def test_merged_halves_equal_one_run_over_the_whole_frame(session, dirty_claims):
    from flows.gx_session import ROW_CHECKS

    whole = session.run_detached("claims", dirty_claims, ROW_CHECKS)
    halves = [
        session.run_detached("claims", dirty_claims.iloc[:6], ROW_CHECKS),
        session.run_detached("claims", dirty_claims.iloc[6:].reset_index(drop=True), ROW_CHECKS),
    ]
    merged = merge_payloads(halves)
    assert merged["success"] is whole["success"] is False
    assert merged["statistics"] == whole["statistics"]
    assert merged["meta"]["chunks"] == 2
    failed_in_both = 0
    for ours, theirs, *parts in zip(
        merged["results"], whole["results"], *[h["results"] for h in halves], strict=True
    ):
        assert ours["expectation_config"] == theirs["expectation_config"]
        assert ours["success"] == theirs["success"], theirs["expectation_config"]["type"]
        failed_in_both += all(not part["success"] for part in parts)
        mine, truth = ours["result"], theirs["result"]
        if "element_count" not in truth:
            assert mine == truth
            continue
        for key in ("element_count", "missing_count", "unexpected_count"):
            assert mine.get(key) == truth.get(key), key
        for key in ("unexpected_percent", "missing_percent", "unexpected_percent_total"):
            assert mine.get(key) == pytest.approx(truth.get(key)), key
        assert mine["partial_unexpected_list"] == truth["partial_unexpected_list"]
        assert _counts(mine) == _counts(truth)
    assert failed_in_both >= 2  # verdicts and tolerances fail in each half


def _payload(*results: dict) -> dict:
    return {"success": all(r["success"] for r in results), "results": list(results), "meta": {}}


def _result(success: bool, unexpected: list, elements: int, raised: bool = False) -> dict:
    return {
        "success": success,
        "expectation_config": {"type": "expect_column_values_to_not_be_null"},
        "result": {
            "element_count": elements,
            "unexpected_count": len(unexpected),
            "unexpected_percent": 100.0 * len(unexpected) / elements if elements else None,
            "partial_unexpected_list": unexpected[:5],
            "partial_unexpected_index_list": list(range(len(unexpected[:5]))),
            "partial_unexpected_counts": [
                {"value": v, "count": unexpected.count(v)} for v in set(unexpected)
            ],
        },
        "exception_info": {
            "raised_exception": raised,
            "exception_message": "boom" if raised else None,
        },
    }


def test_counts_add_up_and_examples_keep_chunk_order():
    first = _payload(_result(False, ["a", "b", "a"], 10))
    second = _payload(_result(False, ["c", "a", "d", "e"], 30))
    merged = merge_payloads([first, second])["results"][0]["result"]
    assert (merged["element_count"], merged["unexpected_count"]) == (40, 7)
    assert merged["unexpected_percent"] == pytest.approx(17.5)
    assert merged["partial_unexpected_list"] == ["a", "b", "a", "c", "a"]
    assert merged["partial_unexpected_counts"][0] == {"value": "a", "count": 3}
    assert merged["partial_unexpected_index_list"] == []  # positions within a chunk mean nothing


def test_one_failing_or_raising_chunk_fails_the_merged_expectation():
    passing = _payload(_result(True, [], 10))
    raising = _payload(_result(False, [], 0, raised=True))
    merged = merge_payloads([passing, raising, passing])
    (result,) = merged["results"]
    assert merged["success"] is False and result["success"] is False
    assert result["exception_info"]["exception_message"] == "boom"
    assert merged["statistics"]["unsuccessful_expectations"] == 1
    assert merge_payloads([passing, passing])["success"] is True


def test_only_results_of_one_suite_merge():
    with pytest.raises(ValueError, match="different suites"):
        merge_payloads(
            [_payload(_result(True, [], 1)), _payload(_result(True, [], 1), _result(True, [], 1))]
        )
    with pytest.raises(ValueError, match="no results"):
        merge_payloads([])
    single = _payload(_result(True, [], 1))
    assert merge_payloads([single]) == single and merge_payloads([single]) is not single
