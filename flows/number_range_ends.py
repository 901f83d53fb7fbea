"""The ends of a range read together: a shared scale (3到5万元) and a change that is no range.

Chinese states a range's scale once, after its second figure, and writes a change and the level
it reached with the same 至 as a range (缩水230亿美元至4000亿美元); flows/number_ranges.py asks
these rules before it joins two figures.
"""

from __future__ import annotations

import re

from flows.number_grammar import Grammar

_BARE_FIGURE = re.compile(r"(?:[0-9０-９]+(?:[.．][0-9０-９]+)?|[一二三四五六七八九两])\Z")
# the scale ending the second figure of 3到5万元, 一到两成: the first one shares it
_SCALE = re.compile(
    r"[0-9０-９零一二三四五六七八九两十.．,]*[0-9０-９零一二三四五六七八九两十]"
    r"(?P<scale>[百千万亿兆萬億]+|[成折])(?![0-9０-９零一二三四五六七八九两十百千万亿兆萬億])"
)
_SCALES = {"百": 100, "千": 1000, "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_SCALES |= {"兆": 10**12, "成": 10, "折": 10}
_TO = frozenset(("至", "到"))
_BASIS_POINTS = re.compile(r"基[ \t]*[点點]|bps?\Z")
_RANGE_SPREAD = 3  # the upper end of a stated range is rarely more than this times the lower


def scaled_like(first: dict, second: dict) -> dict:
    """3到5万元 → 3万, 一到两成 → 一成, 25到50个基点 → 0.25: a bare first figure takes the
    scale of the second."""
    if first["unit"] is not None or first["kind"] != "number" or first["upper"] is not None:
        return first
    if _BARE_FIGURE.search(first["text"]) is None:
        return first
    if second["unit"] == "percentage_point" and _BASIS_POINTS.search(second["text"]):
        hundredths = {"value": first["value"] / 100, "precision": first["precision"] / 100}
        return first | hundredths  # 25-50个基点: [0.25, 0.5] percentage points
    found = _SCALE.search(second["text"])
    if found is None:
        return first
    factor = 1
    for char in found.group("scale"):
        factor *= _SCALES[char]
    value = first["value"] * factor
    if value >= second["value"]:  # 8到5万: no reading
        return first
    return first | {"value": value, "precision": first["precision"] * factor}


def is_change_then_level(first: dict, second: dict, text: str, connector: str, g: Grammar) -> bool:
    """缩水230亿美元至4000多亿美元, 上涨5元至50元: a change, then the level it reached; a range
    (增加1.2亿元至1.5亿元) has ends within a factor of _RANGE_SPREAD."""
    if connector not in _TO or not text.endswith(g.change_verbs, 0, first["start"]):
        return False
    return second["value"] > _RANGE_SPREAD * first["value"] > 0
