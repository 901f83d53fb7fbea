"""Find quotations in a document and attribute each to the speaker who introduces it."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np
import rjieba

TERMINATORS = "。！？!?；…"
CLOSERS = "”’」』）)］]"  # may follow a terminator and still end its sentence
COLONS = "：:"
CLAUSE_BREAKS = "，,。；;！？!?…、”」\n"
INTRO_LOOKBACK = 120  # characters before a colon searched for the clause naming the speaker

# A quotation never crosses a line: one left open runs to its paragraph's end (the Chinese
# convention for a quotation of several paragraphs re-opens “ on each of them).
_QUOTE = re.compile(r'“[^”\n]*(?:”|$)|「[^」\n]*(?:」|$)|"[^"\n]*(?:"|$)', flags=re.MULTILINE)
_CLOSING_MARKS = '”」"'
_ONLY_PUNCTUATION = re.compile(f'[\\s{re.escape(TERMINATORS + CLOSERS)}"，,、]*')
_UP_TO_LAST_CLAUSE_BREAK = re.compile(f"(?s:.*[{re.escape(CLAUSE_BREAKS)}])")
# Grammar of attributions ("X说：", "朋友这样告诉我：", "我的回复：", "这些是X的分析："): closed
# classes of function words and speech verbs, not a vocabulary of names.
_DEMONSTRATIVE_PREFIX = re.compile(r"^(?:这|那|以下|下面|如下)(?:些|个|里|就)?(?:是|为)")
_SPEECH_VERBS = (
    "说道|(?<![小传])说(?![明法服])|告诉|表示|声称|宣称|称赞道|称|写道|回复|回答|答道|问道|指出|认为"
    "|评论|评价|补充|透露|强调|解释|感叹|感慨|提到|发文|发推|发帖|留言|坦言|直言|总结|分析道"
    "|笑道|叹道|喊道|叫道|骂道|怒道|吼道|嚷道|笑称|直呼|惊呼|大呼|(?<![顾学疑请访询提发追])问(?![题卷责世号])"
)
# The first-character lookahead lets the regex engine skip most positions cheaply.
_SPEECH_VERB = re.compile(
    f"(?=[{''.join(sorted({verb[0] for verb in _SPEECH_VERBS.split('|')}))}])(?:{_SPEECH_VERBS})"
)
# "李明认为，“…”" / "他说“…”": a speech verb (and a comma) right before the quotation.
_SPOKEN_BEFORE = re.compile(f"(?:{_SPEECH_VERBS})道?\\s*[，,]?$")
# "“…，”王先生说。" / "「…，」一位分析师写道，「…」": the attribution right after a quotation.
_SPOKEN_AFTER = re.compile(
    f'\\s*(?P<clause>[^，,。！？!?“”「」"\\n：:；;]{{1,24}}?(?:{_SPEECH_VERBS}))道?'
    '(?:\\s*[，,。.！!：:]|(?=\\s*[“「"])|\\s*$)'  # then a break: not "他说得对"
)
# Where or when the speaker spoke, between the speaker and the verb: 在电话里, 在X上, 在…时.
_SETTING = re.compile(r"在[^在]{1,12}?(?:里|上|中|内|前|后|时|期间)$")
_ADVERBS_BEFORE_VERB = (
    "这样",
    "这么",
    "如此",
    "也",
    "还",
    "又",
    "曾",
    "就",
    "都",
    "便",
    "则",
    "竟",
    "当时",
    "后来",
    "对我",
    "跟我",
    "向我",
    "对记者",
    "接着",
    "随后",
    "然后",
    "最后",
    "再次",
    "一再",
    "曾经",
    "公开",
    "私下",
)
# How they spoke, between the speaker and the verb: 摇了摇头, 想了想, 叹了口气, 顿了一下 (exact
# bounds), and X着 / X地 (笑着, 看着屏幕, 激动地), whose bounds come from the word segmenter.
_MANNER_REPEATED = re.compile(r"(.)了一?\1|.了一?[口声下]")
_MANNER_TAGS = ("a", "d", "v", "z", "i", "l")  # jieba: adjective, adverb, verb, idiom …
_MANNER_WORDS_BACK = 2  # words before 地/着 that may belong to the manner (不无担忧地)
_SPEECH_NOUN = re.compile(
    r"^(.+?)(?:在[^的]*)?的(?:回复|回答|分析|评论|点评|看法|观点|原话|话|留言|总结|解读|说法)$"
)
_TITLE = re.compile(r"总裁|首席执行官|CEO|创始人|董事长|主席|总统|总理|部长|教授|老板|经理|院士")


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


def speaker_from_intro(intro: str) -> str | None:
    """Who speaks, from the clause before the colon that introduces a quote ("朋友这样告诉我")."""
    clause = _DEMONSTRATIVE_PREFIX.sub("", intro.strip()).strip()
    if not clause:
        return None
    verb = _SPEECH_VERB.search(clause)
    if verb and verb.start() > 0:
        name = _drop_manner(_drop_adverbs(clause[: verb.start()]))
        name = _drop_adverbs(_drop_setting(_drop_adverbs(name)))
        return _drop_title(name.removesuffix("的"))
    noun = _SPEECH_NOUN.match(clause)
    if noun:
        return _drop_title(noun.group(1))
    return _drop_title(clause)


def _intro_speaker(text: str, line_start: int, quote_start: int) -> str | None:
    before = text[max(line_start, quote_start - INTRO_LOOKBACK) : quote_start]
    intro = _intro_clause(before)
    if intro is None:
        return None
    earlier = _UP_TO_LAST_CLAUSE_BREAK.match(intro)
    return speaker_from_intro(intro[earlier.end() :] if earlier else intro)


def _intro_clause(before: str) -> str | None:
    """The text before a quotation without its colon or comma, if it introduces the quotation
    ("X：", "X说", "X认为，"); None otherwise."""
    stripped = before.rstrip()
    if _ends_with_colon(stripped):
        return stripped[:-1]
    if _SPOKEN_BEFORE.search(stripped):
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


def _drop_adverbs(name: str) -> str:
    """ "朋友这样" → "朋友": adverbs between the speaker and the verb are not the speaker."""
    while name.endswith(_ADVERBS_BEFORE_VERB):
        name = name[: -len(next(a for a in _ADVERBS_BEFORE_VERB if name.endswith(a)))]
    return name


def _drop_manner(name: str) -> str:
    """ "老张笑着" → "老张", "王总激动地" → "王总", "李明摇了摇头" → "李明": how they spoke
    is not who spoke. The manner runs from its first word to the verb; a cut that would
    leave no name is not made."""
    repeated = _MANNER_REPEATED.search(name)
    if repeated is not None and repeated.start() > 0:
        name = name[: repeated.start()]
    if "着" not in name and not name.endswith("地"):
        return name
    words, start = [], 0
    for word, tag in rjieba.tag(name):
        words.append((word, tag, start))
        start += len(word)
    cut = _manner_start(words)
    return name[:cut] if cut else name


def _manner_start(words: list[tuple[str, str, int]]) -> int | None:
    """Where the manner phrase starts among (word, tag, start): at the first word holding
    着 (看着, 皱着眉头) or at a final adverb ending in 地 (淡淡地, not 当地); for 着 or 地
    standing alone, at the manner words before it (笑着, 不无担忧地)."""
    for index, (word, _, start) in enumerate(words):
        last = index == len(words) - 1
        particle = word == "着" or (last and word == "地")
        if particle:
            first = index
            while (
                first > 0
                and index - first < _MANNER_WORDS_BACK
                and words[first - 1][1].startswith(_MANNER_TAGS)
            ):
                first -= 1
            return words[first][2] if first < index else None
        if "着" in word or (last and len(word) > 2 and word.endswith("地")):
            return start
    return None


def _drop_setting(name: str) -> str:
    """ "王先生在电话里" → "王先生": where or when they spoke is not who spoke."""
    setting = _SETTING.search(name)
    return name[: setting.start()] if setting and setting.start() > 0 else name


def _drop_title(name: str) -> str | None:
    """ "Scale AI总裁Alex Wang" → "Alex Wang": a name after a title word is the person."""
    name = name.strip(" ,，、\t")
    titles = list(_TITLE.finditer(name))
    if titles and titles[-1].end() < len(name):
        name = name[titles[-1].end() :].strip()
    return name or None
