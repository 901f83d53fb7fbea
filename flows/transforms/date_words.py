"""Date vocabulary (claim_rules.json "dates") and the DateMention record the date readers share."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, partial
from typing import NamedTuple

NO_PUBLISHED_DATE = "document has no published date"
NO_DATE_IN_TEXT = "no date in the text"
# A yearless month/day further than this past the published date is read as last year's.
MAX_DAYS_AHEAD = 183


class DateMention(NamedTuple):
    """A date expression at [start, end) of a text: `day`, or None and the `reason` why."""

    start: int
    end: int
    text: str
    day: dt.date | None
    reason: str | None


# DateMention from a row tuple without a Python-level __new__ call per mention (C only).
new_mention = partial(tuple.__new__, DateMention)


def resolved_matches(matches, offset: int, resolve, *context) -> list[DateMention]:
    """A DateMention per match, its (day, reason) from resolve(text, groups, *context)."""
    return [
        new_mention(
            (
                match.start() + offset,
                match.end() + offset,
                stated := match.group(0),
                *resolve(stated, match.groups(), *context),
            )
        )
        for match in matches
    ]


@dataclass(frozen=True)
class DateWords:
    relative_days: dict[str, int]
    relative_years: dict[str, int]
    english_weekdays: dict[str, int]
    english_weekday_prefixes: list[str]
    english_months: dict[str, int]
    weekday_names: dict[str, int]
    week_offsets: dict[str, int]
    weekday_excluded_before: str
    weekday_nouns_before: list[str]
    vague_words: list[str]
    vague_patterns: list[str]
    vague_trigger: str
    previous_session_after: list[str]
    previous_session_before_hour: int
    next_session_words: list[str]
    previous_session_words: list[str]
    session_shift_not_after: str
    anaphor_words: list[str]
    anaphor_not_before: str
    anaphor_event_words: list[str]
    session_ordinals: dict[str, int]
    session_noun: str
    session_period_years: dict[str, int]
    month_offsets: dict[str, int]


@cache
def date_words() -> DateWords:
    from flows.gazetteer import read_claim_rules  # the vocab loader is an I/O edge

    words = read_claim_rules()["dates"]
    return DateWords(**{k: v for k, v in words.items() if not k.endswith("_description")})


def group_names(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """A pattern's group names in group order, so a match's groups() zip with them; every
    group must be named."""
    names = tuple(sorted(pattern.groupindex, key=pattern.groupindex.__getitem__))
    assert len(names) == pattern.groups, "every group of a date pattern is named"
    return names
