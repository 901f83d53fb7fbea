"""Ranges from neighbouring figures (20到30, 大于10小于20) and the record every figure becomes."""

from __future__ import annotations

import re

from flows.number_grammar import Grammar
from flows.number_range_ends import is_change_then_level, scaled_like

ROLE_QUANTITY = "quantity"
ROLE_SKIP = "skip"  # a figure that is no number (陆 alone): dropped before ranges are joined
_CONNECTOR_GAP = re.compile(r"[\s,，、]*(?:并且|而且|并|且|的同时|同时|而)?\s*")
_BETWEEN_END = re.compile(r"\s*之?间")
_PER = frozenset("一壹")  # after a price: per (35美元一股)
_LAST_HOUR = 24
_NOON = 12
_DATE_LIMITS = {"year": (1000, 2200), "month": (1, 12)}  # the values a date in the unit can take


def merge_ranges(records: list[dict], text: str, g: Grammar) -> list[dict]:
    """Join neighbours: 20到30, 20和30之间 → [20, 30); 大于10小于20 → (10, 20)."""
    if len(records) < 2:  # nothing to join
        return [r for r in records if r["role"] != ROLE_SKIP]
    records = [r for r in records if r["role"] != ROLE_SKIP]
    merged: list[dict] = []
    index = 0
    while index < len(records):
        current = records[index]
        if current["text"] in _PER and merged and _is_amount_before(merged[-1], current):
            index += 1  # 35美元一股, A$45一张: the 一 of a unit price is "per", no count
            continue
        if index + 1 < len(records):
            joined = _join(current, records[index + 1], text, g)
            if joined is not None:
                merged.append(joined)
                index += 2
                continue
        merged.append(current)
        index += 1
    return merged


def set_bound(record: dict, bound: str) -> None:
    """A comparator makes the figure a one-sided range (超过30 → (30, ∞)), hedged; 等于 → [x, x]."""
    value = record["value"]
    record["kind"] = "range"
    record["is_approximate"] = bound != "equal"
    if bound in ("lower_open", "lower_closed"):
        record.update(
            lower=value, upper=None, lower_closed=bound == "lower_closed", upper_closed=False
        )
    elif bound in ("upper_open", "upper_closed"):
        record.update(
            lower=None, upper=value, lower_closed=False, upper_closed=bound == "upper_closed"
        )
    else:
        record.update(lower=value, upper=value, lower_closed=True, upper_closed=True)


def comparison_bound(text: str, record: dict) -> str | None:
    """比X大 → above X, 比X小/低 → below X (the comparative word joins the span)."""
    end = record["end"]
    while end < len(text) and text[end] in " \t":
        end += 1
    if end < len(text) and text[end] in "大高多小低少":
        record["end"], record["text"] = end + 1, text[record["start"] : end + 1]
        return "lower_open" if text[end] in "大高多" else "upper_open"
    record["start"] += 1
    while text[record["start"]] in " \t":
        record["start"] += 1
    record["text"] = text[record["start"] : record["end"]]
    return None


def make_record(
    text: str,
    start: int,
    end: int,
    kind: str,
    value,
    *,
    unit: str | None = None,
    currency: str | None = None,
    role: str = ROLE_QUANTITY,
    approximate: bool = False,
) -> dict:
    """A record with every key recognize() promises; bounds and flags start empty."""
    return {
        "start": start,
        "end": end,
        "text": text[start:end],
        "kind": kind,
        "value": None if value is None else float(value),
        "lower": None,
        "upper": None,
        "lower_closed": None,
        "upper_closed": None,
        "unit": unit,
        "currency": currency,
        "decimals": 0,
        "precision": 1.0,
        "is_approximate": approximate,
        "role": role,
    }


def _date_range_start(first: dict, second: dict, text: str, g: Grammar) -> None:
    """1-12月, 2023至2024年: the figure before a connector and a date in months or years is a
    date in the same unit (no range: dates stay apart, as 1月27日到1月28日 does)."""
    unit, value = second["unit"], first["value"]
    if unit not in _DATE_LIMITS or first["kind"] != "number" or first["unit"] is not None:
        return
    if text[first["end"] : second["start"]].strip() not in g.range_connectors:
        return
    low, high = _DATE_LIMITS[unit]
    if value != int(value) or not low <= value < second["value"] <= high:
        return
    if unit == "year" and len(first["text"]) != len(second["text"]):
        return  # 2-2024年: no year range
    first["role"], first["unit"] = "date", unit


def _clock_range_end(first: dict, second: dict, text: str, g: Grammar) -> None:
    """下午3点到5点, 下午3点至4点半: N点 after a clock hour and a connector is an hour too (点开会
    opens no word there), past noon when the first one is."""
    value, is_clock = second["value"], second["role"] == "date" and second["unit"] == "hour"
    if value is None or second["kind"] != "number" or value != int(value) and not is_clock:
        return
    if not is_clock and (
        second["role"] != ROLE_QUANTITY
        or text[second["end"] : second["end"] + 1] not in ("点", "點")
        or second["unit"] not in (None, "points")
    ):
        return
    if text[first["end"] : second["start"]].strip("点點 ") not in g.range_connectors:
        return
    if first["value"] >= _NOON > value:  # 下午3点到5点: 15 to 17
        value += _NOON
    if first["value"] < value <= _LAST_HOUR:
        second["role"], second["unit"], second["value"] = "date", "hour", float(value)


def _join(first: dict, second: dict, text: str, g: Grammar) -> dict | None:
    if first["role"] not in (ROLE_QUANTITY, "ordinal") or second["role"] != first["role"]:
        if second["role"] == "date" and first["role"] == ROLE_QUANTITY:
            _date_range_start(first, second, text, g)
        elif first["unit"] == "hour" and first["role"] == "date":
            _clock_range_end(first, second, text, g)
        return None
    gap = text[first["end"] : second["start"]]
    if first["kind"] == second["kind"] == "range":
        if not _CONNECTOR_GAP.fullmatch(gap):
            return None
        bounds = [first, second] if first["lower"] is not None else [second, first]
        low, high = bounds
        if low["lower"] is None or high["upper"] is None or low["upper"] is not None:
            return None
        if high["lower"] is not None or low["lower"] >= high["upper"]:
            return None
        joined = _range(
            first,
            second,
            text,
            first["start"],
            second["end"],
            (low["lower"], high["upper"], low["lower_closed"], high["upper_closed"]),
        )
        joined["is_approximate"] = False  # both ends are stated
        return joined
    if "range" in (first["kind"], second["kind"]) or first["value"] is None:
        return None
    if first["unit"] and second["unit"] and first["unit"] != second["unit"]:
        return None  # 跌7%至3200美元: a change, then a level
    if second["value"] is None:
        return None
    stripped = gap.strip()
    between = stripped in g.between_connectors or (
        stripped[:1] in g.between_connectors and stripped[1:] == "第"
    )
    if not between and (stripped not in g.range_connectors or first["role"] != ROLE_QUANTITY):
        return None
    first = scaled_like(first, second)  # 3到5万元: 3万; 25到50个基点: 0.25
    if first["value"] > second["value"]:
        return None
    end = second["end"]
    start = first["start"]
    if between:
        closing = _BETWEEN_END.match(text, end)
        if closing is None:
            return None
        end = closing.end()
        for lead in ("在第", "位于", "在"):
            if text.startswith(lead, start - len(lead)):
                start -= len(lead)
                break
    else:
        if is_change_then_level(first, second, text, stripped, g):
            return None
        closing = _BETWEEN_END.match(text, end)
        end = closing.end() if closing else end
    return _range(first, second, text, start, end, (first["value"], second["value"], True, False))


def _range(first: dict, second: dict, text: str, start: int, end: int, bounds: tuple) -> dict:
    lower, upper, lower_closed, upper_closed = bounds
    record = make_record(
        text,
        start,
        end,
        "range",
        None,
        unit=second["unit"] or first["unit"],
        currency=second["currency"] or first["currency"],
    )
    record.update(
        lower=lower,
        upper=upper,
        lower_closed=lower_closed,
        upper_closed=upper_closed,
        precision=min(first["precision"], second["precision"]),
        decimals=max(first["decimals"] or 0, second["decimals"] or 0),
        is_approximate=first["is_approximate"] or second["is_approximate"],
    )
    return record


def _is_amount_before(previous: dict, current: dict) -> bool:
    return previous["kind"] == "currency" and previous["end"] == current["start"]
