"""Merge the GX results of one suite over several chunks into the result of one run.

Chunked validation runs a suite once per chunk of documents. Stored one by one, those
results would make one Data Docs page per chunk and suite (12 chunks × 7 suites for a 50 MB
corpus, ~4 s of rendering in every build, even when one chunk changed) and would tell a
reader nothing per table. Merged, each suite has one result over the whole table: counts are
summed and percentages recomputed, examples are the first ones found, in chunk order.
"""

from __future__ import annotations

import copy
from collections import Counter

from flows.validation_report import MAX_EXAMPLES

_COUNTS = ("element_count", "missing_count", "unexpected_count")


def merge_payloads(payloads: list[dict]) -> dict:
    """One suite result (GX JSON) equivalent to running the suite over all chunks at once.

    Every payload must come from the same suite, so expectation i is the same in each. A map
    expectation (with `element_count`) sums its counts; any other (a type, a column list) keeps
    the first failing chunk's observation, or the first chunk's when all pass. Row positions
    (`partial_unexpected_index_list`) are positions within a chunk and are dropped.
    """
    if not payloads:
        raise ValueError("no results to merge")
    if len(payloads) == 1:
        return copy.deepcopy(payloads[0])
    merged = {key: copy.deepcopy(value) for key, value in payloads[0].items() if key != "results"}
    columns = [payload["results"] for payload in payloads]
    if len({len(results) for results in columns}) != 1:
        raise ValueError("results of different suites cannot be merged")
    merged["results"] = [
        _merge_expectation(list(results)) for results in zip(*columns, strict=True)
    ]
    successes = [result["success"] for result in merged["results"]]
    merged["success"] = all(successes)
    merged["statistics"] = {
        "evaluated_expectations": len(successes),
        "successful_expectations": sum(successes),
        "unsuccessful_expectations": len(successes) - sum(successes),
        "success_percent": 100.0 * sum(successes) / len(successes) if successes else None,
    }
    merged.setdefault("meta", {})["chunks"] = len(payloads)
    return merged


def _merge_expectation(results: list[dict]) -> dict:
    failing = [result for result in results if not result["success"]]
    merged = copy.deepcopy(failing[0] if failing else results[0])
    merged["success"] = not failing
    raised = [r for r in results if (r.get("exception_info") or {}).get("raised_exception")]
    if raised:
        merged["exception_info"] = copy.deepcopy(raised[0]["exception_info"])
    details = [result.get("result") or {} for result in results]
    if all("element_count" in detail for detail in details):
        merged["result"] = _merge_counts(details)
    return merged


def _merge_counts(details: list[dict]) -> dict:
    """Sum the counts of a map expectation and recompute what GX derives from them."""
    merged = {key: sum(detail.get(key) or 0 for detail in details) for key in _COUNTS}
    merged = {key: value for key, value in merged.items() if any(key in d for d in details)}
    elements = merged["element_count"]
    missing = merged.get("missing_count", 0)
    unexpected = merged.get("unexpected_count", 0)
    present = elements - missing
    if "missing_count" in merged:
        merged["missing_percent"] = _percent(missing, elements)
        merged["unexpected_percent_total"] = _percent(unexpected, elements)
        merged["unexpected_percent_nonmissing"] = _percent(unexpected, present)
        merged["unexpected_percent"] = _percent(unexpected, present)
    else:
        merged["unexpected_percent"] = _percent(unexpected, elements)
    examples = [value for d in details for value in d.get("partial_unexpected_list") or []]
    merged["partial_unexpected_list"] = examples[:MAX_EXAMPLES]
    merged["partial_unexpected_index_list"] = []
    merged["partial_unexpected_counts"] = _value_counts(merged["partial_unexpected_list"])
    return merged


def _value_counts(examples: list) -> list[dict]:
    """GX's `partial_unexpected_counts`, computed as GX does from the first unexpected values.

    GX counts the values of its partial list (`Counter.most_common`, ties in order of
    appearance), then sorts by count and value; unhashable or unorderable values give GX's
    error entry.
    """
    keys = [_hashable(value) for value in examples]
    try:
        common = Counter(keys).most_common(MAX_EXAMPLES)
        ordered = sorted(common, key=lambda pair: (-pair[1], pair[0]))
    except TypeError:
        return [{"error": "partial_exception_counts requires a hashable type"}]
    return [{"value": list(k) if isinstance(k, tuple) else k, "count": n} for k, n in ordered]


def _hashable(value: object) -> object:
    """As GX counts them: a multicolumn row (dict) by its values; JSON lists were tuples."""
    if isinstance(value, dict):
        return tuple(value.values())
    return tuple(value) if isinstance(value, list) else value


def _percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None
