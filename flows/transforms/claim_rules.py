"""Which metric a figure states, from its unit and its clause's keywords (vocab/claim_rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from flows.transforms.claim_modality import Modality, compile_modality

CURRENCIES = frozenset({"USD", "CNY", "EUR", "JPY", "GBP", "HKD"})
DURATION_UNITS = frozenset({"year", "month", "day", "hour"})
# Metrics checked against a trading session: a non-session as_of is kept, with the reason.
SESSION_METRICS = frozenset({"pct_change", "points_change", "market_cap_change", "close"})
_PRICE_METRICS = frozenset({"pct_change", "points_change", "close"})
FALL, LEVEL, RISE = -1, 0, 1
SIGNED = 2  # 涨跌幅: a change whose direction is the figure's own sign
# 达/为/是 after a change noun (跌幅达17%) keep the noun's direction instead of stating a level.
_LINKING_VERBS = frozenset({"达", "达到", "高达", "为", "是"})
# Words no reading can rest on alone: sentences holding only these are skipped early.
_NOT_CUES = frozenset({"ratio_verbs", "count_objects", "other_metric_nouns", "period_words"})
_YEAR_ONLY = re.compile(r"\s*(?P<year>[12]\d{3})\s*年\s*")


@dataclass(frozen=True)
class Reading:
    """What a figure states: its metric, direction (FALL, RISE, SIGNED or LEVEL) and where its
    cue starts.

    `anchor` is where to look back from for the subject (the ratio verb for price_ratio, so
    that "A的价格只是B的价格的3%" finds A); `cue_start` is the verb or keyword before the
    figure that opens the claim's span, or None. `extra_end` extends the span over a "点"
    the number recognizer left outside the figure.
    """

    metric: str
    direction: int
    anchor: int
    cue_start: int | None
    extra_end: int = 0
    period: str | None = None  # "今年以来": a change over a period, not over one session


class Words(NamedTuple):
    """A word set and its longest word's length, to test the words ending at a place."""

    words: frozenset[str]
    longest: int


@dataclass(frozen=True)
class ClaimRules:
    """Compiled keyword rules; every pattern matches the longest keyword first."""

    clause_delimiter: re.Pattern[str]  # one of clause_delimiter_chars, not before "123"
    clause_delimiter_chars: str
    part_delimiter: re.Pattern[str]  # clause delimiters without 、, which also joins list items
    distributive: re.Pattern[str]
    verbs: re.Pattern[str]
    verb_direction: dict[str, int]
    level_suffixes: tuple[str, ...]  # 至/到 right after a change verb: it states a level
    change_nouns: frozenset[str]
    keywords: dict[str, re.Pattern[str]]
    hedges_before: tuple[str, ...]
    hedges_after: tuple[str, ...]
    points_followers_excluded: tuple[str, ...]
    subject_types: dict[str, frozenset[str]]
    own_subject_types: frozenset[str]
    own_clause_metrics: frozenset[str]  # metrics whose subject comes from their own clause
    threshold_verbs: frozenset[str]  # 跌破: a level crossed, which states no claim
    modality: Modality  # 如果, 网传, 预计, 吗, 没有: a figure that is not asserted is no claim
    neutral: re.Pattern[str]  # fullmatch: words that name no subject of their own (则, 股价, 周一)
    object_prepositions: Words  # 因, 随: the mention after one is no subject
    short_form_types: frozenset[str]
    short_form_subject: re.Pattern[str]  # match after a short form: it is a market subject
    cue_pattern: str  # any word some reading needs; sentences without one give no claim
    cue: re.Pattern[str]  # cue_pattern compiled
    pronouns: re.Pattern[str]
    pronoun_types: dict[str, frozenset[str]]
    pronoun_chars: re.Pattern[str]  # a pronoun's first character: a cheap test before `pronouns`
    unit_words: dict[str, re.Pattern[str]]  # per unit, the words after a figure that state it
    governed_gap: re.Pattern[str]  # fullmatch: what may stand between a span cue and its figure
    subjectless_opening: re.Pattern[str]  # fullmatch: a clause opening that names no subject
    quote_marks: dict[str, str]  # opening mark → its closing mark
    quote_chars: re.Pattern[str]  # any opening mark: a cheap test before finding quotes
    speaker_tag: re.Pattern[str]  # fullmatch: ”老王说，“ between two parts of one quote
    market_cap_verbs: frozenset[str]
    market_openers: re.Pattern[str]  # search: a market named where a clause opens (美股…)
    intraday: re.Pattern[str]  # search: an intraday time (盘中, 半日) a carried subject keeps
    session_end: re.Pattern[str]  # search: the session's end named again (收盘, 最终)


def compile_claim_rules(raw: dict) -> ClaimRules:
    """Compile the keyword lists of flows/vocab/claim_rules.json (read by flows.gazetteer)."""
    direction = {word: LEVEL for word in raw["level_verbs"]}
    direction |= {word: FALL for word in raw["fall_verbs"]}
    direction |= {word: RISE for word in raw["rise_verbs"]}
    direction |= {word: LEVEL for word in raw["threshold_verbs"]}
    direction |= {word: SIGNED for word in raw["signed_change_nouns"]}
    keyword_lists = (
        "market_cap_keywords net_worth_keywords close_keywords close_adjacent_keywords "
        "price_keywords ratio_verbs cost_keywords count_verbs count_objects duration_verbs "
        "age_verbs year_verbs other_metric_nouns period_words"
    ).split()
    cue = _alternation(
        [word for name in keyword_lists if name not in _NOT_CUES for word in raw[name]]
        + [word for word in direction if word not in _LINKING_VERBS]
    )
    count_word = _alternation(raw["count_objects"]).pattern
    neutral = _neutral_pattern(raw)
    predicates = [*direction, *raw["cost_keywords"], *raw["count_verbs"], *raw["duration_verbs"]]
    gap_words = _alternation(raw["hedges_before"] + raw["governed_gap_words"])
    unit_words = {
        unit: re.compile(
            f"(?:{_alternation(words).pattern})" + (f"(?:{count_word})?" if unit == "count" else "")
        )
        for unit, words in raw["unit_words"].items()
    }
    return ClaimRules(
        clause_delimiter=re.compile(rf"[{re.escape(raw['clause_delimiters'])}](?!\d{{3}}(?!\d))"),
        clause_delimiter_chars=raw["clause_delimiters"],
        part_delimiter=re.compile(
            rf"[{re.escape(raw['sentence_part_delimiters'])}](?!\d{{3}}(?!\d))"
        ),
        distributive=_alternation(raw["distributive_markers"]),
        verbs=_word_alternation(direction),
        verb_direction=direction,
        level_suffixes=tuple(raw["level_suffixes"]),
        change_nouns=frozenset(raw["change_nouns"] + raw["signed_change_nouns"]),
        keywords={name: _alternation(raw[name]) for name in keyword_lists}
        | {"period_words": _period_pattern(raw)},
        hedges_before=tuple(raw["hedges_before"]),
        hedges_after=tuple(raw["hedges_after"]),
        points_followers_excluded=tuple(raw["points_followers_excluded"]),
        subject_types={metric: frozenset(types) for metric, types in raw["subject_types"].items()},
        own_subject_types=frozenset(raw["own_subject_types"]),
        own_clause_metrics=frozenset(raw["own_clause_metrics"]),
        threshold_verbs=frozenset(raw["threshold_verbs"]),
        modality=compile_modality(raw, _alternation, _alternation(predicates).pattern, neutral),
        neutral=re.compile(f"(?:{neutral})*"),
        object_prepositions=Words(
            frozenset(raw["object_prepositions"]), max(map(len, raw["object_prepositions"]))
        ),
        short_form_types=frozenset(raw["short_form_types"]),
        short_form_subject=_short_form_subject(raw, neutral),
        cue_pattern=cue.pattern,
        cue=cue,
        pronouns=re.compile("|".join(_pronoun_pattern(entry) for entry in raw["pronouns"])),
        pronoun_types={entry["text"]: frozenset(entry["types"]) for entry in raw["pronouns"]},
        unit_words=unit_words,
        governed_gap=re.compile(f"(?:{neutral}|{gap_words.pattern})*"),
        subjectless_opening=re.compile(
            f"(?:{neutral}|{_alternation(raw['reporting_verbs']).pattern})*"
        ),
        quote_marks=dict(zip(raw["quotes"][::2], raw["quotes"][1::2], strict=True)),
        quote_chars=re.compile(f"[{re.escape(raw['quotes'][::2])}]"),
        speaker_tag=_speaker_tag(raw),
        market_cap_verbs=frozenset(raw["market_cap_verbs"]),
        market_openers=_alternation(raw["market_openers"]),
        intraday=_alternation(raw["intraday_words"]),
        session_end=_alternation(raw["close_keywords"] + raw["session_end_words"]),
        pronoun_chars=re.compile(
            "[" + re.escape("".join(sorted({entry["text"][0] for entry in raw["pronouns"]}))) + "]"
        ),
    )


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
        if verb is not None and verb.group(0) not in _LINKING_VERBS:
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
    if last.group(0) in _LINKING_VERBS and len(matches) > 1:
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


def _alternation(words) -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


def _word_alternation(words) -> re.Pattern[str]:
    """_alternation, where a Latin word matches only as a whole word (fell, not fellow)."""
    return re.compile(
        "|".join(
            rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])" if word.isascii() else re.escape(word)
            for word in sorted(words, key=len, reverse=True)
        )
    )


def _neutral_pattern(raw: dict) -> str:
    """One word that names no subject: a neutral word, a metric noun, a period or date word,
    a bound word before a verb (英伟达至少跌了4%), a digit, a bracket (see
    subject_position_description in claim_rules.json)."""
    dates = raw["dates"]
    words = raw["neutral_words"] + raw["period_words"] + list(dates["relative_days"])
    words += [word for kind in raw["bound_words"]["before_verb"].values() for word in kind]
    words += dates["next_session_words"] + dates["previous_session_words"]
    words += dates["anaphor_words"]
    for name in ("market_cap_keywords", "net_worth_keywords", "close_keywords"):
        words += raw[name]
    words += dates["month_offsets"]
    weekdays = re.escape("".join(dates["weekday_names"]))
    week = re.escape("".join(dates["week_offsets"]))
    day = rf"[{week}]?个?(?:周|星期|礼拜)[{weekdays}末]?|(?<=\d)[年月日号]"
    return "|".join(
        [
            _alternation(words).pattern,
            day,
            _session_ordinal(raw),
            f"(?=[{re.escape(raw['period_patterns_first_chars'])}])"
            f"(?:{'|'.join(raw['period_patterns'])})",
            *raw["neutral_patterns"],
        ]
    )


def _short_form_subject(raw: dict, neutral: str) -> re.Pattern[str]:
    """What follows a short form that is a market subject: neutral words and a market word
    (苹果却涨了), or a list of subjects paired with one by a distributive marker (苹果和英伟达
    分别涨了…)."""
    market_word = (
        f"(?:{neutral})*(?!{_alternation(raw['short_form_not_followers']).pattern})"
        f"(?:{_alternation(raw['short_form_followers']).pattern})"
    )
    joiner = _alternation(raw["short_form_list_joiners"]).pattern
    part = f"[^{re.escape(raw['sentence_part_delimiters'])}。！？!?\n]"  # 、 may join the list
    listed = (
        f"(?:{neutral})*(?:{joiner}){part}{{1,{raw['short_form_list_reach']}}}?"
        f"(?:{_alternation(raw['distributive_markers']).pattern}){market_word}"
    )
    return re.compile(f"{market_word}|{listed}")


def _speaker_tag(raw: dict) -> re.Pattern[str]:
    """A closing quote mark, a short tag with a speaking verb, an opening mark: ”老王说，“."""
    marks = raw["quotes"]
    verbs = _alternation(raw["speaker_tag_verbs"] + raw["reporting_verbs"]).pattern
    tag = f"[^{re.escape(marks)}。！？!?\\n]"
    return re.compile(
        f"[{re.escape(marks[1::2])}][，,]?{tag}{{0,{raw['speaker_tag_reach']}}}?(?:{verbs})"
        f"[，,：:]?\\s*[{re.escape(marks[::2])}]"
    )


def _session_ordinal(raw: dict) -> str:
    """第一个交易日, 最后一个交易日: the session named by its place in a period before it."""
    dates = raw["dates"]
    return (
        f"(?:{_alternation(dates['session_ordinals']).pattern}){re.escape(dates['session_noun'])}"
    )


def _period_pattern(raw: dict) -> re.Pattern[str]:
    """A period word or pattern (1月, 2024年, Q1), not when a day or month follows it
    (去年12月27日 names a date) nor a session ordinal (今年第一个交易日 names a session)."""
    words = "|".join([_alternation(raw["period_words"]).pattern, *raw["period_patterns"]])
    first = {word[0] for word in raw["period_words"]} | set(raw["period_patterns_first_chars"])
    numerals = raw["period_not_before_numerals"]
    return re.compile(  # a first-character test makes most places fail at once
        f"(?=[{re.escape(''.join(sorted(first)))}])"
        f"(?:{words})(?!\\s*(?:\\d|[{numerals}]+[月日号]|的?{_session_ordinal(raw)}))"
    )


def _pronoun_pattern(entry: dict) -> str:
    not_after = entry.get("not_after", "")
    not_before = entry.get("not_before", "")
    pattern = re.escape(entry["text"])
    if not_after:
        pattern = f"(?<![{re.escape(not_after)}]){pattern}"
    if not_before:
        pattern = f"{pattern}(?![{re.escape(not_before)}])"
    return pattern
