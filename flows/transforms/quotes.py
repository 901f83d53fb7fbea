"""Find quotations in a document and attribute each to the speaker who introduces it."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np

from flows.transforms.speakers import (
    ADDRESSEE,
    ENGLISH_NAME,
    ENGLISH_SPEECH_VERBS,
    SPEECH_VERBS,
    speaker_from_intro,
)

TERMINATORS = "。！？!?；…"
CLOSERS = "”’」』）)］]"  # may follow a terminator and still end its sentence
COLONS = "：:"
CLAUSE_BREAKS = "，,。；;！？!?…、”」』\n"
INTRO_LOOKBACK = 120  # characters before a colon searched for the clause naming the speaker

# A quotation never crosses a line: one left open runs to its paragraph's end (the Chinese
# convention for a quotation of several paragraphs re-opens “ on each of them).
_QUOTE = re.compile(
    r'“[^”\n]*(?:”|$)|「[^」\n]*(?:」|$)|『[^』\n]*(?:』|$)|"[^"\n]*(?:"|$)', flags=re.MULTILINE
)
_CLOSING_MARKS = '”」』"'
_ONLY_PUNCTUATION = re.compile(f'[\\s{re.escape(TERMINATORS + CLOSERS)}"，,、]*')
_UP_TO_LAST_CLAUSE_BREAK = re.compile(f"(?s:.*[{re.escape(CLAUSE_BREAKS)}])")
# "李明认为，“…”" / "他说“…”" / 'Huang said, "…"': a speech verb (and a comma) right before it.
_SPOKEN_BEFORE = re.compile(f"(?:(?:{SPEECH_VERBS})道?|{ENGLISH_SPEECH_VERBS})\\s*[，,]?$")
# "“…，”王先生说。" / "“…，”他告诉我。" / "「…」，一位分析师说。" / "「…，」她写道，「…」" /
# '"…," Huang said.' / '"…," said Dan Ives, an analyst at X.': the attribution right after it.
_SPOKEN_AFTER = re.compile(
    "[ \\t]*(?:[，,][ \\t]*)?(?P<clause>"
    f'[^，,。！？!?“”「」『』"\\n：:；;]{{1,32}}?'
    f"(?:(?:{SPEECH_VERBS})道?{ADDRESSEE}|{ENGLISH_SPEECH_VERBS})"
    f"|{ENGLISH_SPEECH_VERBS} {ENGLISH_NAME})"
    '(?:[ \\t]*[，,。.！!：:]|(?=[ \\t]*[“「『"])|\\s*$)'  # then a break: not "他说得对"
)
_VERB_TAIL = 16  # characters at the end of an intro that hold its verb (regex lookbehinds too)
_ONLY_SPEECH_VERB = re.compile(f"(?:{SPEECH_VERBS})道?{ADDRESSEE}")
_NICKNAME = re.compile(r'[“「『"]([^“”「」『』"\s，,。]{1,12})[”」』"]$')
# After an English attribution, the speaker's title: ', an analyst at Wedbush.'
_APPOSITIVE = re.compile(r"[A-Za-z][\w .,'’&-]*")


@dataclass(frozen=True)
class Quote:
    """A quotation: `start` at its opening mark, `end` after its closing mark or its line."""

    start: int
    end: int
    is_closed: bool
    speaker: str | None


def find_quotes(text: str, begin: int = 0, end: int | None = None) -> list[Quote]:
    """Every quotation in text[begin:end], in order, with the speaker who introduces it.

    A quotation opening a paragraph without its own "X：" takes the speaker of a colon that
    ends the previous paragraph, or of a quotation left open there. Offsets are into `text`.
    """
    end = len(text) if end is None else end
    quotes: list[Quote] = []
    for match in _QUOTE.finditer(text, begin, end):
        q_start, q_end = match.span()
        is_closed = q_end - q_start > 1 and text[q_end - 1] in _CLOSING_MARKS
        line_start = text.rfind("\n", begin, q_start) + 1 or begin
        speaker = _intro_speaker(text, line_start, q_start)
        if speaker is None and is_closed:
            speaker = _outro_speaker(text, q_end, end)
        if speaker is None and not text[line_start:q_start].strip():
            speaker = _carried_speaker(text, begin, line_start, quotes)
        quotes.append(Quote(q_start, q_end, is_closed, speaker))
    return quotes


def closing_ascii_marks(text: str, quotes: list[Quote]) -> np.ndarray:
    """Offsets of ASCII '"' that close a quotation (they may end a sentence like ”)."""
    return np.array(
        [q.end - 1 for q in quotes if q.is_closed and text[q.end - 1] == '"'], dtype=np.int64
    )


def attribute_sentences(
    text: str, starts: np.ndarray, ends: np.ndarray, quotes: list[Quote]
) -> tuple[np.ndarray, np.ndarray]:
    """(is_quote, speaker) per sentence: it starts inside a quotation, or is "X：" + quotation.

    A sentence that merely contains a short quoted phrase ("称之为“Sputnik moment”。") is not
    a quote; text after the quotation's end may only be punctuation, or the attribution
    ("…，”他说。"), or the attribution and the quotation's second half ("「…，」她写道，「…」").
    """
    is_quote = np.zeros(len(starts), dtype=bool)
    speakers = np.full(len(starts), None, dtype=object)
    if not quotes:
        return is_quote, speakers
    start_list, end_list = starts.tolist(), ends.tolist()
    for number, quote in enumerate(quotes):
        following = quotes[number + 1] if number + 1 < len(quotes) else None
        first = bisect.bisect_right(end_list, quote.start)
        last = bisect.bisect_left(start_list, quote.end)
        for index in range(first, last):
            if is_quote[index]:
                continue
            start, end = start_list[index], end_list[index]
            starts_inside = quote.start <= start < quote.end
            introduced_here = start < quote.start and _introduces(text[start : quote.start])
            if (starts_inside or introduced_here) and _ends_quotation(text, quote, following, end):
                is_quote[index] = True
                speakers[index] = quote.speaker
    return is_quote, speakers


def _intro_speaker(text: str, line_start: int, quote_start: int) -> str | None:
    before = text[max(line_start, quote_start - INTRO_LOOKBACK) : quote_start]
    intro = _intro_clause(before)
    if intro is None:
        return None
    earlier = _UP_TO_LAST_CLAUSE_BREAK.match(intro)
    if earlier is None:
        return speaker_from_intro(intro)
    clause = intro[earlier.end() :]
    if not _ONLY_SPEECH_VERB.fullmatch(clause.strip()):
        return speaker_from_intro(clause)
    mark = intro[earlier.end() - 1]
    if mark in _CLOSING_MARKS:  # 网友“股海老王”说: the quoted nickname speaks
        nickname = _NICKNAME.search(intro, 0, earlier.end())
        return nickname.group(1) if nickname else None
    if mark not in "，,":
        return None
    # "张伟点了根烟，说：": the speaker opens the clause before the verb's own
    before = _UP_TO_LAST_CLAUSE_BREAK.match(intro, 0, earlier.end() - 1)
    return speaker_from_intro(intro[before.end() if before else 0 : earlier.end() - 1] + clause)


def _intro_clause(before: str) -> str | None:
    """The text before a quotation without its colon or comma, if it introduces the quotation
    ("X：", "X说", "X认为，"); None otherwise."""
    stripped = before.rstrip()
    if _ends_with_colon(stripped):
        return stripped[:-1]
    if _SPOKEN_BEFORE.search(stripped, len(stripped) - _VERB_TAIL):
        return stripped.rstrip("，, ")
    return None


def _introduces(before: str) -> bool:
    return _intro_clause(before) is not None


def _outro_speaker(text: str, quote_end: int, end: int) -> str | None:
    """The speaker named right after a closed quotation ("…，”王先生说。"), if any."""
    after = _SPOKEN_AFTER.match(text, quote_end, end)
    return speaker_from_intro(after.group("clause")) if after else None


def _ends_quotation(text: str, quote: Quote, following: Quote | None, end: int) -> bool:
    """Whether what follows `quote` up to the sentence's `end` leaves the sentence a quote."""
    if _only_punctuation(text, quote.end, end):
        return True
    after = _SPOKEN_AFTER.match(text, quote.end, end) if quote.is_closed else None
    if after is None:
        return False
    rest = after.end()
    while rest < end and text[rest].isspace():
        rest += 1
    if following is not None and following.start == rest:
        return _only_punctuation(text, following.end, end)
    if after.group("clause").isascii() and _APPOSITIVE.fullmatch(text, rest, end):
        return True
    return _only_punctuation(text, rest, end)


def _carried_speaker(text: str, begin: int, line_start: int, earlier: list[Quote]) -> str | None:
    previous_end = line_start
    while previous_end > begin and text[previous_end - 1].isspace():
        previous_end -= 1
    if previous_end == begin:
        return None
    if text[previous_end - 1] in COLONS:
        previous_line = text.rfind("\n", begin, previous_end) + 1 or begin
        return _intro_speaker(text, previous_line, previous_end)
    last = earlier[-1] if earlier else None
    if last and not last.is_closed and not text[last.end : line_start].strip():
        return last.speaker
    return None


def _ends_with_colon(text: str) -> bool:
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] in COLONS


def _only_punctuation(text: str, start: int, end: int) -> bool:
    return start >= end or _ONLY_PUNCTUATION.fullmatch(text, start, end) is not None
