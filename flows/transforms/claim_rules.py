"""Claim rules compiled from vocab/claim_rules.json: keywords, verbs, neutral words, modality."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from flows.transforms.claim_modality import Modality, compile_modality

# Metrics checked against a trading session: a non-session as_of is kept, with the reason.
SESSION_METRICS = frozenset({"pct_change", "points_change", "market_cap_change", "close"})
FALL, LEVEL, RISE = -1, 0, 1
SIGNED = 2  # 涨跌幅: a change whose direction is the figure's own sign
# 达/为/是 after a change noun (跌幅达17%) keep the noun's direction instead of stating a level.
LINKING_VERBS = frozenset({"达", "达到", "高达", "为", "是"})
# Words no reading can rest on alone: sentences holding only these are skipped early.
_NOT_CUES = frozenset({"ratio_verbs", "count_objects", "other_metric_nouns", "period_words"})


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
        + [word for word in direction if word not in LINKING_VERBS]
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
