"""Calendar dates stated in text (explicit or relative to the published date), and their scope."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from functools import cache, lru_cache

import pyarrow as pa
import pyarrow.compute as pc

from flows.transforms.date_sessions import with_sessions
from flows.transforms.date_words import (
    MAX_DAYS_AHEAD,
    NO_PUBLISHED_DATE,
    DateMention,
    DateWords,
    date_words,
    group_names,
    new_mention,
    resolved_matches,
)

_WINDOW = 8  # characters either side of a 后 that a vague pattern (三个星期以后) may span
_EVENT_REACH = 12  # characters before an anaphor its event may start (DeepSeek发布R1当天)


def find_date_mentions(
    text: str, published: dt.date | None, offset: int = 0, calendar=None
) -> list[DateMention]:
    """Every date expression in `text`, in order, resolved to calendar dates (never to sessions).

    Relative words (今天, 昨天, 上周五, 周一 …) and yearless dates (1月27日, 1/27, 27日) resolve
    against `published`; without it they get day None and the reason NO_PUBLISHED_DATE.
    A bare week (本周, 上周末) or a vague shift (近日, 三天后) names no single day: day
    None with that reason, which stops an earlier date from carrying over. So does a session
    shift (次日, 前一交易日) or an anaphor (当天) until resolve_references names its day.
    A session named by its place in a period (今年第一个交易日, 1月的最后一个交易日) is that
    session of `calendar` (flows.calendar.TradingCalendar); without one it names no day.
    `offset` is added to every start and end (where `text` starts in its document).
    """
    found = resolved_matches(_date_pattern().finditer(text), offset, _resolve, published)
    if date_words().session_noun in text:  # a substring test: few texts name a session
        found = with_sessions(found, text, offset, published, calendar)
    words, _, trigger = _shift_patterns()  # apart: their first characters (一, 日) are common
    if words.search(text) is None and trigger.search(text) is None:  # two scans beat one
        return found
    shifts = _shifts(text)
    return _with_shifts(found, shifts, text, offset) if shifts else found


def may_hold_dates(texts: list[str]) -> list[bool]:
    """False for a text that surely holds no date expression; one vectorised (RE2) pass.

    The test pattern is looser than the full one (no look-arounds, which RE2 lacks): every
    text with a date passes it, so find_date_mentions need only run on the texts that do.
    """
    if not texts:
        return []
    array = pa.array(texts, type=pa.large_string())
    found = pc.match_substring_regex(array, _date_hint_pattern())
    return found.to_numpy(zero_copy_only=False).tolist()


def date_in_scope(
    mentions: list[DateMention],
    position: int,
    sentence: tuple[int, int],
    paragraph_start: int,
    starts: list[int] | None = None,
) -> DateMention | None:
    """The date that governs a figure at `position` of a sentence, or None.

    `mentions` are one paragraph's dates sorted by start. Preference: the nearest date before
    the figure in its sentence, then the first one after it in the sentence, then the last date
    stated earlier in the paragraph (a date carries over until another one appears; a new
    paragraph starts with none, unless an anaphor such as 当天 states it again).
    `starts` (the mentions' starts, optional) saves listing them on every call.
    """
    if starts is None:
        starts = [mention.start for mention in mentions]
    sentence_start, sentence_end = sentence
    before = bisect_left(starts, position) - 1
    if before >= 0 and mentions[before].start >= sentence_start:
        return mentions[before]
    after = bisect_left(starts, position)
    if after < len(mentions) and mentions[after].start < sentence_end:
        return mentions[after]
    if before >= 0 and mentions[before].start >= paragraph_start:
        return mentions[before]
    return None


def resolve_references(
    mentions: list[DateMention],
    calendar,
    carried: DateMention | None = None,
    period_between=None,
) -> list[DateMention]:
    """`mentions` (one paragraph's, by start) with each word that refers to the date stated
    before it resolved: an anaphor (当天) to that day, a session shift (次日, 前一交易日) to
    the next or previous session of `calendar` (flows.calendar.TradingCalendar). `carried`
    is the last date of an earlier paragraph, for a word before any date of this one. A word
    after no day, or a shift without a calendar, keeps day None and its reason; a resolved
    word is a date that carries over in turn. `period_between(start, end)` (optional) tells
    whether a period is stated between two offsets: an anaphor after one (1月，…当天) takes
    no earlier date past it."""
    resolved, last = [], carried.day if carried is not None else None
    last_end = carried.end if carried is not None else None
    for mention in mentions:
        step = date_step(mention.text) if mention.day is None else None
        if (
            step == 0
            and last is not None
            and period_between is not None
            and period_between(last_end, mention.start)
        ):
            mention = mention._replace(reason=f"'{mention.text}' follows a period, not a date")
            last = None
        if step is not None and last is not None:
            day = last if step == 0 else None
            if step and calendar is not None:
                day = calendar.session_next_to(last, step)
            if day is not None:
                mention = mention._replace(day=day, reason=None)
        last, last_end = mention.day, mention.end
        resolved.append(mention)
    return resolved


def date_step(text: str) -> int | None:
    """How many sessions a word moves from the date stated before it: 0 for an anaphor
    (当天), 1 for the next session (次日), -1 for the previous one; None for any other word."""
    return _date_steps().get(text)


@cache
def _date_steps() -> dict[str, int]:
    words = date_words()
    steps = dict.fromkeys(words.anaphor_words, 0)
    steps |= dict.fromkeys(words.previous_session_words, -1)
    return steps | dict.fromkeys(words.next_session_words, 1)


def _shifts(text: str) -> list[tuple[int, int]]:
    """Spans of the vague shifts in `text`: the words (次日, 近日), and the patterns (三天后,
    之后的一周) in a window around each place their trigger (vague_trigger) marks."""
    words, around, trigger = _shift_patterns()
    spans = [(_event_start(text, match), match.end()) for match in words.finditer(text)]
    for marked in trigger.finditer(text):
        at = marked.end() - 1
        window = around.finditer(text, max(0, at - _WINDOW), at + _WINDOW)
        spans += [match.span() for match in window if match.start() <= at < match.end()]
    return sorted(set(spans))


def _event_start(text: str, match: re.Match[str]) -> int:
    """Where a shift starts: an anaphor after an event word in its clause (发布当天, 发布R1
    当天) takes the event in, so that it names the event's day (no single date) rather than
    the date stated before it."""
    start = match.start()
    if date_step(match.group(0)) != 0:
        return start
    event = _event_pattern().search(text, max(0, start - _EVENT_REACH), start)
    return start if event is None else event.start()


@cache
def _event_pattern() -> re.Pattern[str]:
    events = sorted(map(re.escape, date_words().anaphor_event_words), key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(events)})[^，,。；;！？!?：:\n]*\Z")


def _with_shifts(
    found: list[DateMention], shifts: list[tuple[int, int]], text: str, offset: int
) -> list[DateMention]:
    """`found` with the vague shifts at `shifts`, which win where they overlap."""
    mentions = [
        new_mention(
            (start + offset, end + offset, word := text[start:end], None, _shift_reason(word))
        )
        for start, end in shifts
    ]
    kept = [f for f in found if not any(f.start < m.end and m.start < f.end for m in mentions)]
    return sorted(kept + mentions, key=lambda mention: mention.start)


def _vague_reason(text: str) -> str:
    return f"'{text}' does not name a single date"


def _shift_reason(text: str) -> str:
    """Why a shift names no day until resolve_references names one."""
    if date_step(text) == 0:
        return f"'{text}' refers to no date stated before it"
    return _vague_reason(text)


@cache
def _shift_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(the vague words, the vague patterns, their trigger): every match of a vague pattern
    holds a match of the trigger, which ends on the 后 the window is centred on."""
    words = date_words()
    listed = sorted(map(re.escape, words.vague_words), key=len, reverse=True)
    sessions = words.next_session_words + words.previous_session_words
    sessions = sorted(map(re.escape, sessions), key=len, reverse=True)
    anaphors = sorted(map(re.escape, words.anaphor_words), key=len, reverse=True)
    not_after = re.escape(words.session_shift_not_after)
    not_before = re.escape(words.anaphor_not_before)
    shifts = "|".join(
        [
            rf"(?<![{not_after}])(?:{'|'.join(sessions)}"
            rf"|(?:{'|'.join(anaphors)})(?![{not_before}]))",
            *listed,
        ]
    )
    first = re.escape("".join(sorted({word[0] for word in [*sessions, *anaphors, *listed]})))
    patterns = re.compile("|".join(words.vague_patterns))
    # a cheap first-character test: the look-behind would otherwise be tried everywhere
    return re.compile(rf"(?=[{first}])(?:{shifts})"), patterns, re.compile(words.vague_trigger)


@cache
def _date_pattern() -> re.Pattern[str]:
    words = date_words()
    relative = "|".join(sorted(map(re.escape, words.relative_days), key=len, reverse=True))
    weekday_chars = "".join(words.weekday_names)
    week_prefix = "".join(words.week_offsets)
    excluded = re.escape(words.weekday_excluded_before)
    nouns_by_length: dict[int, list[str]] = {}  # a look-behind needs one width
    for noun in words.weekday_nouns_before:
        nouns_by_length.setdefault(len(noun), []).append(re.escape(noun))
    after_noun = "".join(f"|(?<={'|'.join(group)})" for group in nouns_by_length.values())
    night = "|".join(map(re.escape, words.previous_session_after))
    year_words = "|".join(map(re.escape, words.relative_years))
    english_days = "|".join(map(re.escape, words.english_weekdays))
    english_prefix = "|".join(map(re.escape, words.english_weekday_prefixes))
    months = sorted(words.english_months, key=len, reverse=True)
    english_months = "|".join(rf"{re.escape(m)}(?![A-Za-z])" for m in months)
    starters = {word[0] for word in [*words.relative_days, *words.relative_years]}
    starters |= set(week_prefix) | set("周星礼")
    starters |= {word[0] for word in [*words.english_weekday_prefixes, *words.english_months]}
    first_chars = re.escape("".join(sorted(starters)))
    return re.compile(
        rf"(?=[\d{first_chars}])"  # a cheap first-character test makes the scan ~10x faster
        r"(?:(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"
        r"|(?<![\d.])(?P<iy>\d{4})(?P<sep>[-./])(?P<im>\d{1,2})(?P=sep)(?P<id>\d{1,2})(?![\d%]|\.\d)"
        rf"|(?:(?P<yw>{year_words})|(?<![\d年]))(?P<mm>\d{{1,2}})\s*月\s*(?P<md>\d{{1,2}})\s*[日号]"
        r"|(?<![\d/.])(?P<sm>1[0-2]|0?[1-9])/(?P<sd>3[01]|[12]\d|0?[1-9])(?![\d/%.])"
        r"|(?<![\d月.])(?P<dd>3[01]|[12]\d|0?[1-9])\s*[日号](?![元本线店楼机位院种码文])"
        rf"|(?P<relative>{relative})"
        rf"|(?:(?<![{excluded}]){after_noun})"
        rf"(?P<prefix>[{week_prefix}])?个?(?:周|星期|礼拜)(?P<weekday>[{weekday_chars}])"
        rf"|(?P<week>[{week_prefix}])个?(?:周|星期|礼拜)末?(?![围边期年岁全到])"
        rf"|(?<![A-Za-z])(?:{english_prefix})\s+(?P<ewd>{english_days})(?![A-Za-z])"
        rf"|(?<![A-Za-z])(?P<emon>{english_months})\s*(?P<eday>3[01]|[12]\d|0?[1-9])(?![\d%]))"
        rf"(?:\s*(?:(?P<night>{night})|(?P<hour>[01]?\d|2[0-3])\s*[:：]\s*[0-5]\d(?!\d)))?"
    )


@cache
def _group_names() -> tuple[str, ...]:
    """_date_pattern's group names in group order."""
    return group_names(_date_pattern())


@cache
def _date_hint_pattern() -> str:
    """A superset of _date_pattern: each of its alternatives holds one of these substrings."""
    words = date_words()
    relative = "|".join(sorted(map(re.escape, words.relative_days), key=len, reverse=True))
    shifts = words.vague_words + words.next_session_words + words.previous_session_words
    vague = "|".join(map(re.escape, shifts + words.anaphor_words))
    weekday_chars = re.escape("".join(words.weekday_names))
    week_prefix = re.escape("".join(words.week_offsets))
    english = "|".join(map(re.escape, [*words.english_weekdays, *words.english_months]))
    digit, space = r"\p{Nd}", r"[\s\p{Z}\x{1c}-\x{1f}\x{85}]"  # Python's Unicode \d and \s
    return (
        rf"{digit}{space}*月{space}*{digit}|{digit}[-.]{digit}{{1,2}}[-.]{digit}|{digit}/{digit}"
        rf"|{digit}{space}*[日号]|{relative}|(?:周|星期|礼拜)[{weekday_chars}]|[{week_prefix}]个?(?:周|星期|礼拜)"
        rf"|{vague}|(?:天|日|周|期|拜|月)[之以]?后|[之此随其]后|{english}|{words.session_noun}"
    )


@lru_cache(maxsize=4096)
def _resolve(
    text: str, values: tuple[str | None, ...], published: dt.date | None
) -> tuple[dt.date | None, str | None]:
    """(day, reason) of a match from its text and group values: a pure function of these short
    tokens and the published date, so it is memoised (documents repeat their date words).

    A date followed by 凌晨 (previous_session_after) or by a clock time before
    previous_session_before_hour is Beijing time, when the US session of the day before
    closes: "1月28日凌晨，美股收盘" and "[2025-01-28 05:10] 收盘了" state January 27."""
    groups = dict(zip(_group_names(), values, strict=True))
    day, reason = _resolve_groups(text, groups, published)
    early = groups["hour"] and int(groups["hour"]) < date_words().previous_session_before_hour
    if day is not None and (groups["night"] or early):
        return day - dt.timedelta(days=1), None
    return day, reason


def _resolve_groups(
    text: str, groups: dict[str, str | None], published: dt.date | None
) -> tuple[dt.date | None, str | None]:
    words = date_words()
    if groups["y"] or groups["iy"]:
        month, day = groups["m"] or groups["im"], groups["d"] or groups["id"]
        return _valid_date(text, groups["y"] or groups["iy"], month, day)
    if groups["week"]:
        return None, _vague_reason(text)
    if published is None:
        return None, NO_PUBLISHED_DATE
    if groups["relative"]:
        return published + dt.timedelta(days=words.relative_days[groups["relative"]]), None
    if groups["ewd"]:  # on Monday: as 周一, the most recent one on or before the published date
        return _weekday(published, None, words.english_weekdays[groups["ewd"]], words)
    if groups["emon"]:
        groups = groups | {"mm": str(words.english_months[groups["emon"]]), "md": groups["eday"]}
    if groups["weekday"]:
        return _weekday(published, groups["prefix"], words.weekday_names[groups["weekday"]], words)
    if groups["dd"]:  # 27日: the latest such day of a month on or before the published date
        month = published.month if int(groups["dd"]) <= published.day else published.month - 1
        year = published.year if month else published.year - 1
        return _valid_date(text, str(year), str(month or 12), groups["dd"])
    month, day = (groups["mm"], groups["md"]) if groups["mm"] else (groups["sm"], groups["sd"])
    if groups["yw"]:  # 去年12月27日: the year the word names
        return _valid_date(
            text, str(published.year + words.relative_years[groups["yw"]]), month, day
        )
    resolved, reason = _valid_date(text, str(published.year), month, day)
    if resolved is not None and (resolved - published).days > MAX_DAYS_AHEAD:
        return _valid_date(text, str(published.year - 1), month, day)
    return resolved, reason


def _weekday(
    published: dt.date, prefix: str | None, weekday: int, words: DateWords
) -> tuple[dt.date, None]:
    if prefix is None:  # 周一 alone: the most recent Monday on or before the published date
        return published - dt.timedelta(days=(published.weekday() - weekday) % 7), None
    monday = published - dt.timedelta(days=published.weekday())
    return monday + dt.timedelta(weeks=words.week_offsets[prefix], days=weekday), None


def _valid_date(text: str, year: str, month: str, day: str) -> tuple[dt.date | None, str | None]:
    try:
        return dt.date(int(year), int(month), int(day)), None
    except ValueError:
        return None, f"'{text}' is not a valid date"
