"""Multiples stated without 倍's numeral: 翻倍 (×2), 翻一番 (×2), 翻两番 (×4), 翻了一番多.

A 番 is one doubling, so N番 is 2**N times the base, not N; the numeral alone would read as a
count. 翻了三倍 keeps the ratio its numeral states, as 涨了三倍 does (flows/number_roles.py).
"""

from __future__ import annotations

import json
import re
from functools import cache

from flows.number_ranges import make_record
from flows.numerals import parse_numeral
from flows.paths import VOCAB_DIR

_DOUBLINGS = "一二两三四五1234"  # more than four doublings is no figure of speech


def with_multiples(records: list[dict], text: str) -> list[dict]:
    """`records` with each multiple word of `text` as a ratio record, replacing the figures
    inside its span (the 两 of 翻两番)."""
    found = [_record(match, text) for match in _pattern().finditer(text)]
    if not found:
        return records
    spans = [(record["start"], record["end"]) for record in found]
    kept = [r for r in records if not any(low <= r["start"] < high for low, high in spans)]
    return sorted(kept + found, key=lambda record: record["start"])


def _record(match: re.Match, text: str) -> dict:
    words = _rules()["multiple_words"]
    if match.group("word"):
        record = make_record(text, match.start(), match.end(), "number", words[match.group("word")])
        return record | {"unit": "ratio"}
    numeral = parse_numeral(match.group("doublings"))
    value = 2 ** int(numeral.value)
    record = make_record(text, match.start(), match.end(), "number", value, unit="ratio")
    if match.group("hedge"):
        record["is_approximate"] = True
    if match.group("more"):  # 翻了一番多: more than double, less than four times
        record.update(
            kind="range",
            lower=float(value),
            upper=float(value * 2),
            lower_closed=True,
            upper_closed=False,
            is_approximate=True,
        )
    return record


@cache
def _rules() -> dict:
    rules = json.loads((VOCAB_DIR / "number_rules.json").read_text(encoding="utf-8"))
    return {key: rules[key] for key in ("multiple_words", "multiple_doubling")}


@cache
def _pattern() -> re.Pattern[str]:
    rules = _rules()
    doubling = rules["multiple_doubling"]
    verbs = "|".join(map(re.escape, doubling["verbs"]))
    hedges = "|".join(map(re.escape, doubling["hedges"]))
    words = "|".join(map(re.escape, sorted(rules["multiple_words"], key=len, reverse=True)))
    return re.compile(
        rf"(?P<word>{words})"
        rf"|(?:{verbs})(?P<hedge>{hedges})?(?P<doublings>[{_DOUBLINGS}]){re.escape(doubling['word'])}"
        rf"(?P<more>[{doubling['more']}])?"
    )
