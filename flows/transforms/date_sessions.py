"""Sessions named by their place in a period (今年第一个交易日) on an exchange calendar."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache

from flows.transforms.date_words import (
    MAX_DAYS_AHEAD,
    NO_PUBLISHED_DATE,
    DateMention,
    DateWords,
    date_words,
    group_names,
    resolved_matches,
)


def with_sessions(
    found: list[DateMention], text: str, offset: int, published: dt.date | None, calendar
) -> list[DateMention]:
    """`found` with the sessions named by their place in a period, which win where they
    overlap (本周首个交易日 is no bare week)."""
    matches = _session_pattern().finditer(text)
    sessions = resolved_matches(matches, offset, _session_in_period, published, calendar)
    if not sessions:
        return found
    kept = [f for f in found if not any(f.start < m.end and m.start < f.end for m in sessions)]
    return sorted(kept + sessions, key=lambda mention: mention.start)


@cache
def _session_pattern() -> re.Pattern[str]:
    """A period (今年, 2024年, 1月, 本周, 上个月) then 的 and a session ordinal (第一个交易日)."""
    words = date_words()
    years = "|".join(map(re.escape, _period_years(words)))
    months = "|".join(sorted(map(re.escape, words.month_offsets), key=len, reverse=True))
    ordinals = "|".join(sorted(map(re.escape, words.session_ordinals), key=len, reverse=True))
    week_prefix = "".join(words.week_offsets)
    month = r"\s*(?P<pym>\d{1,2})\s*月份?"
    return re.compile(
        rf"(?:(?:(?<!\d)(?P<py>\d{{4}})\s*年|(?P<pyw>{years}))(?:{month})?"
        r"|(?<![\d.])(?P<pmo>\d{1,2})\s*月份?"
        rf"|(?P<pwk>[{week_prefix}])个?(?:周|星期|礼拜)|(?P<pmw>{months}))"
        rf"\s*的?\s*(?P<pord>{ordinals}){re.escape(words.session_noun)}"
    )


def _period_years(words: DateWords) -> dict[str, int]:
    return words.relative_years | words.session_period_years


@lru_cache(maxsize=1024)
def _session_in_period(
    text: str, values: tuple[str | None, ...], published: dt.date | None, calendar
) -> tuple[dt.date | None, str | None]:
    """(day, reason): the first or last session of the period a session ordinal names
    (今年第一个交易日), from the match's text and group values; memoised as _resolve is."""
    groups = dict(zip(group_names(_session_pattern()), values, strict=True))
    if calendar is None:
        return None, f"'{text}' names a session only on an exchange calendar"
    span = _period_span(groups, published)
    if isinstance(span, str):
        return None, span
    first, last = span
    one = dt.timedelta(days=1)
    if date_words().session_ordinals[groups["pord"]] > 0:
        day = calendar.session_next_to(first - one, 1)
    else:
        day = calendar.session_next_to(last + one, -1)
    if day is None or not first <= day <= last:
        return None, f"'{text}' names no session of the {calendar.exchange} calendar"
    return day, None


def _period_span(groups: dict[str, str | None], published: dt.date | None):
    """(first day, last day) of the period of a session ordinal, or the reason it has none."""
    words = date_words()
    month = groups["pym"] or groups["pmo"]
    if groups["py"]:
        year = int(groups["py"])
    elif published is None:
        return NO_PUBLISHED_DATE
    elif groups["pyw"]:
        year = published.year + _period_years(words)[groups["pyw"]]
    elif groups["pwk"]:
        monday = published - dt.timedelta(days=published.weekday())
        monday += dt.timedelta(weeks=words.week_offsets[groups["pwk"]])
        return monday, monday + dt.timedelta(days=6)
    elif groups["pmw"]:
        index = published.year * 12 + published.month - 1 + words.month_offsets[groups["pmw"]]
        return _month_span(index // 12, index % 12 + 1)
    else:  # a month alone: this year's, unless it is more than half a year ahead
        year = published.year
        if (dt.date(year, min(max(int(month), 1), 12), 1) - published).days > MAX_DAYS_AHEAD:
            year -= 1
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if not 1 <= int(month) <= 12:
        return f"'{month}月' is not a valid month"
    return _month_span(year, int(month))


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, 1), following - dt.timedelta(days=1)
