"""Which metric a figure states, from its unit and its clause's keywords (the compiled rules)."""

from __future__ import annotations

import re
from dataclasses import replace

from flows.transforms.claim_rules import FALL, LEVEL, LINKING_VERBS, ClaimRules, Reading

CURRENCIES = frozenset({"USD", "CNY", "EUR", "JPY", "GBP", "HKD"})
DURATION_UNITS = frozenset({"year", "month", "day", "hour"})
_PRICE_METRICS = frozenset({"pct_change", "points_change", "close"})
_YEAR_ONLY = re.compile(r"\s*(?P<year>[12]\d{3})\s*年\s*")


def read_figure(
    number, before: str, after: str, clause_start: int, rules: ClaimRules
) -> Reading | None:
    """The metric a quantity states, or None when its clause holds no cue for one.

    `before`/`after` are the clause's text before and after the figure, `clause_start` the
    document offset of `before`. Only quantities (and bare years such as 1957年) qualify.
    """
    year = stated_year(number) if number.role in ("date", "quantity") else None
    if year is not None and _search(rules.keywords["year_verbs"], before, after):
        cue = _last(rules.keywords["year_verbs"], before)
        return Reading("year", LEVEL, number.start, cue.start() + clause_start if cue else None)
    if number.role != "quantity":
        return None
    return _read_quantity(number, before, after, clause_start, rules)


def opening_period(
    sentence: str, clause_ends: list[int], rules: ClaimRules
) -> tuple[str, int] | None:
    """(period word, end of its clause) of a clause that holds only a period and neutral words
    ("今年以来，…", "1月27日，今年以来，…"), which governs the price changes after it in the
    sentence up to a date stated after it; else None. `clause_ends` are where the clauses
    before the figure's own clause end."""
    start = 0
    for end in clause_ends:
        period = rules.keywords["period_words"].search(sentence, start, end)
        if period is not None and rules.neutral.fullmatch(sentence, start, end):
            return period.group(0), end
        start = end + 1
    return None


def is_price_metric(metric: str) -> bool:
    return metric in _PRICE_METRICS


def stated_year(number) -> int | None:
    """The year of a bare year figure: "1957年", or "1957" that the recognizer marked as a date
    in years (the 年 left outside the figure); else None."""
    match = _YEAR_ONLY.fullmatch(number.text)
    if match is None and number.role == "date" and number.unit == "year":
        match = _YEAR_ONLY.fullmatch(number.text + "年")
    return int(match.group("year")) if match else None


def _read_quantity(number, before, after, clause_start, rules) -> Reading | None:
    reading = _read_unit(number, before, after, clause_start, rules)
    if reading is None or reading.metric not in _PRICE_METRICS:
        return reading
    if rules.keywords["other_metric_nouns"].search(before):
        return None  # 营收增长了20%: a change of revenue, not of the price
    period = _last(rules.keywords["period_words"], before)
    return reading if period is None else replace(reading, period=period.group(0))


def _read_unit(number, before, after, clause_start, rules) -> Reading | None:
    unit, offset = number.unit, clause_start
    verb, direction = _nearest_verb(before, rules)
    if verb is not None and verb.group(0) in rules.threshold_verbs:
        return None  # 跌破19000点: a level crossed, neither a change nor a close
    verb_start = None if verb is None else verb.start() + offset
    close = _close_cue(before, rules.keywords)
    close_start = None if close is None else close.start() + offset
    if close is not None and direction != LEVEL and close.start() >= verb.end():
        # 涨1%收于19341点: the close reached after the change, a level; the change verb still
        # anchors the subject (纳指 … 涨), as the figures between rule out a governed gap
        direction, close_start = LEVEL, verb_start
    if unit == "percent":
        ratio = _last(rules.keywords["ratio_verbs"], before)
        if ratio and _search(rules.keywords["price_keywords"], before, after):
            return Reading("price_ratio", LEVEL, ratio.start() + offset, ratio.start() + offset)
        if verb is None or direction == LEVEL:
            return None
        return Reading("pct_change", direction, number.start, verb_start)
    if unit == "points" or (unit in (None, "count") and _bare_points(number, after, rules)):
        extra = 0 if unit == "points" else 1
        if verb is not None and direction != LEVEL:
            return Reading("points_change", direction, number.start, verb_start, extra)
        if verb is not None and verb.group(0) not in LINKING_VERBS:
            return Reading("close", LEVEL, number.start, verb_start, extra)
        if close_start is not None:
            return Reading("close", LEVEL, number.start, close_start, extra)
        return None
    if unit in CURRENCIES or number.kind == "currency":
        return _read_money(number, before, after, offset, verb_start, direction, close_start, rules)
    count_verb = _last(rules.keywords["count_verbs"], before) if unit in ("count", None) else None
    if count_verb and rules.keywords["count_objects"].search(after):
        return Reading("count", LEVEL, number.start, count_verb.start() + offset)
    if unit in DURATION_UNITS:
        for metric, words in (("age", "age_verbs"), ("duration", "duration_verbs")):
            cue = _last(rules.keywords[words], before)
            # the cue governs the span only with neutral words or hedges between (耗时近两个月);
            # "花了600万美元训练的模型让它一天跌掉" states no span
            if cue and rules.governed_gap.fullmatch(before, cue.end()):
                return Reading(metric, LEVEL, number.start, cue.start() + offset)
    return None


def _read_money(
    number, before, after, offset, verb_start, direction, close_start, rules
) -> Reading | None:
    keywords = rules.keywords
    if _search(keywords["market_cap_keywords"], before, after):
        if verb_start is None or direction == LEVEL:
            return None  # a market value level is not a session change
        return Reading("market_cap_change", direction, number.start, verb_start)
    if _search(keywords["net_worth_keywords"], before, after):
        if verb_start is None:
            return None
        metric = "net_worth" if direction == LEVEL else "net_worth_change"
        return Reading(metric, direction, number.start, verb_start)
    verb = before[verb_start - offset :] if verb_start is not None else ""
    if direction == FALL and verb.startswith(tuple(rules.market_cap_verbs)):
        return Reading("market_cap_change", direction, number.start, verb_start)
    if close_start is not None and direction != LEVEL:
        return None  # 收盘跌了24.2美元: a price change in money, which no metric states
    if close_start is not None:
        return Reading("close", LEVEL, number.start, close_start)
    if _search(keywords["cost_keywords"], before, after):
        cue = _last(keywords["cost_keywords"], before)
        return Reading("cost", LEVEL, number.start, cue.start() + offset if cue else None)
    return None


def _close_cue(before: str, keywords: dict[str, re.Pattern[str]]) -> re.Match[str] | None:
    """The clause's last close cue: a close keyword (收盘, 收于) or 报 just before the figure."""
    close = _last(keywords["close_keywords"], before)
    adjacent = _last(keywords["close_adjacent_keywords"], before)
    if adjacent is None or before[adjacent.end() :].strip():
        return close
    return adjacent if close is None or adjacent.start() >= close.end() else close  # 收报: one cue


def _nearest_verb(before: str, rules: ClaimRules) -> tuple[re.Match[str] | None, int]:
    matches = list(rules.verbs.finditer(before))
    if not matches:
        return None, LEVEL
    last = matches[-1]
    if last.group(0) in LINKING_VERBS and len(matches) > 1:
        previous = matches[-2]
        if previous.group(0) in rules.change_nouns:
            return previous, rules.verb_direction[previous.group(0)]
    if before.startswith(rules.level_suffixes, last.end()):
        return last, LEVEL  # 回升至3.2万亿美元: the level reached, not the change
    return last, rules.verb_direction[last.group(0)]


def _bare_points(number, after: str, rules: ClaimRules) -> bool:
    """A plain number directly followed by 点 (not 点儿/点钟) that the recognizer left outside."""
    if not after.startswith("点") or number.text.endswith("点"):
        return False
    return not after.startswith(rules.points_followers_excluded)


def _search(pattern: re.Pattern[str], before: str, after: str) -> re.Match[str] | None:
    return pattern.search(before) or pattern.search(after)


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    match = None
    for match in pattern.finditer(text):  # noqa: B007 - keep the last match
        pass
    return match
