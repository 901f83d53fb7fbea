"""Dialogue turns ("记者：…" / "王磊：…", "问：/答：", "Q:/A:"): each is its speaker's speech."""

from __future__ import annotations

import re
from collections import Counter

from flows.transforms.noun_phrases import leading_noun_phrase
from flows.transforms.quotes import Quote
from flows.transforms.speakers import speaker_from_intro

_ENGLISH_LABEL = r"[A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*){0,2}"  # Q, Interviewer, Dan Ives
# A paragraph opening with a short label and a colon, its speech on the same line (a speech
# opening with a quotation mark is a quotation, found with its speaker elsewhere).
_TURN = re.compile(
    r'^[ \t\u3000]*(?P<label>[^\s\d：:，,。；;！？!?“”「」『』"()（）【】]{1,6}'
    rf"|{_ENGLISH_LABEL})[ \t]*[：:][ \t\u3000]*(?P<speech>[^\s“「『\"].*)$",
    flags=re.MULTILINE,
)
# Labels that say which side speaks, not who: the interviewer and the interviewee; one
# question and its answer already make a dialogue.
_SIDES = frozenset({"问", "答", "Q", "A"})
_SIDE_PAIRS = (("问", "答"), ("Q", "A"))
_MIN_TURNS = 2  # per speaker: a dialogue alternates, a lone "注：" or "优点：" does not


def find_turns(text: str, begin: int = 0, end: int | None = None) -> list[Quote]:
    """Dialogue turns in text[begin:end] as quotations (offsets into `text`), in order.

    A text is a dialogue when at least two labels each open two or more paragraphs
    (记者/王磊), or a question and an answer are labelled (问/答, Q/A). A label must be a
    noun phrase, not a clause with a verb (数据显示：…) nor a speech verb's own clause
    (他说：…, left to find_quotes). The speaker is the label, except 问/答/Q/A, which say
    only which side speaks. A turn runs to its line's end and is not closed by a mark.
    """
    end = len(text) if end is None else end
    turns = [m for m in _TURN.finditer(text, begin, end) if _is_label(m.group("label"))]
    counts = Counter(m.group("label").strip() for m in turns)
    for pair in _SIDE_PAIRS:
        if all(counts[side] for side in pair):
            counts.update({side: _MIN_TURNS for side in pair})
    if sum(count >= _MIN_TURNS for count in counts.values()) < 2:
        return []
    return [
        Quote(m.start("speech"), m.end("speech"), False, _speaker(m.group("label").strip()))
        for m in turns
        if counts[m.group("label").strip()] >= _MIN_TURNS
    ]


def _is_label(label: str) -> bool:
    label = label.strip()
    if label in _SIDES:
        return True
    if label.isascii():  # capitalised words, not a lower-case "http" before "://"
        return re.fullmatch(_ENGLISH_LABEL, label) is not None
    return leading_noun_phrase(label) == label and speaker_from_intro(label) == label


def _speaker(label: str) -> str | None:
    return None if label in _SIDES else label
