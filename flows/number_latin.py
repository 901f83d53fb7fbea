"""Figures next to Latin words: product names (iPhone 16) and English scales ($5.6 million).

Chinese commentary quotes model and product names with a space before the number, and English
amounts with a scale word after it; flows/number_neighbours.py asks these rules when a space
touches a figure.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from flows.number_codes import identifier
from flows.number_grammar import grammar

if TYPE_CHECKING:
    from flows.number_neighbours import Neighbourhood

_LATIN_FIGURE = re.compile(r"[0-9]{1,4}(?:\.[0-9]+)?")  # 16, 2.5, 3.11; not 19341.83 or 1,299
LATIN_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz&")
_GLUE = frozenset("0123456789-_./")  # a token after these is part of a longer code (Q4 2024)


def product_suffix(record: dict, text: str, n: Neighbourhood) -> dict | None:
    """小米 15 Ultra, Mate 70 Pro: a model number before a product suffix word."""
    if not _is_bare(record):
        return None
    found = n.product_suffix.match(text, record["end"])
    return None if found is None else identifier(text, record["start"], found.end())


def period_year(record: dict, text: str, n: Neighbourhood) -> dict | None:
    """Q3 2024, 2024 H1, FY 2025, in 2025, since 2024: a year next to a quarter or half, or
    after an English word that a year follows, is a date in years."""
    start, end = record["start"], record["end"]
    if not (_is_bare(record) and len(record["text"]) == 4 and 1900 <= record["value"] <= 2100):
        return None
    if (
        n.period_before.search(text, max(0, start - 4), start)
        or n.period_after.match(text, end)
        or n.year_words_before.search(text, max(0, start - 12), start)
    ):
        return record | {"role": "date", "unit": "year"}
    return None


def english_scale(record: dict, text: str, n: Neighbourhood) -> dict | None:
    """$5.6 million, 589 billion: the scale word multiplies the amount and joins its span."""
    if record["kind"] not in ("number", "currency") or record["role"] != "quantity":
        return None
    found = n.latin_scale.match(text, record["end"])
    if found is None:
        return None
    factor = Decimal(n.latin_scales[found.group("word").lower()])
    scaled = {"value": float(Decimal(str(record["value"])) * factor)}
    for bound in ("lower", "upper"):
        if record[bound] is not None:
            scaled[bound] = float(Decimal(str(record[bound])) * factor)
    scaled["precision"] = float(Decimal(str(record["precision"])) * factor)
    end = found.end()
    currency = currency_name().match(text, end) if record["kind"] == "number" else None
    if currency is not None:  # 1.2 billion美元, 500 million dollars: an amount in that currency
        iso, unit = grammar().currencies[currency.group("name")]
        scaled |= {"kind": "currency", "currency": iso, "unit": unit}
        end = currency.end()
    return record | scaled | {"end": end, "text": text[record["start"] : end]}


@cache
def currency_name() -> re.Pattern[str]:
    """A currency name (美元, dollars) after an English scale word or 个亿, as the candidate
    regex reads one after a figure."""
    names = sorted((name for name in grammar().currencies if not name.endswith("$")), key=len)
    alternation = "|".join(re.escape(name) for name in reversed(names) if name.isalpha())
    return re.compile(rf"[ \t]?(?P<name>{alternation})(?![A-Za-z])")


def latin_name(record: dict, text: str, floor: int, n: Neighbourhood) -> dict | None:
    """iPhone 16, Windows 11, Qwen 2.5: a bare figure one space after a capitalized Latin word.

    Not after a word a quantity follows (In 2024, Jan 27), nor a traded name of the gazetteer
    (Nasdaq 19341, AAPL 229.86: a level or price), nor with a measure word after it (3台).
    """
    start, end = record["start"], record["end"]
    if start < 2 or text[start - 1] != " " or text[start - 2] not in LATIN_LETTERS:
        return None
    if record["role"] == "identifier":  # iPhone 16e: the letters glued on made it one already
        if not record["text"][0].isdigit():
            return None
    elif not _is_bare(record):
        return None
    following = text[end : end + 2].lstrip(" ")[:1]
    if following in n.measure_words:
        return None
    at = start - 1
    while at > floor and text[at - 1] in LATIN_LETTERS:
        at -= 1
    word = text[at : start - 1]
    if (at and text[at - 1] in _GLUE) or word.islower() or word.lower() in n.quantity_words:
        return None
    if word.isupper() and record["decimals"] >= 2:  # SMCI 35.27: a ticker and its price
        return None
    return identifier(text, at, end)


def _is_bare(record: dict) -> bool:
    """A plain figure with no unit, hedge or bound, short as model numbers are (16, 2.5)."""
    if record["role"] != "quantity" or record["kind"] != "number" or record["unit"] is not None:
        return False
    return not record["is_approximate"] and _LATIN_FIGURE.fullmatch(record["text"]) is not None
