"""Who speaks: the noun phrase that opens the clause introducing or following a quotation."""

from __future__ import annotations

import re

import rjieba

from flows.transforms.noun_phrases import leading_noun_phrase

# Grammar of attributions ("X说：", "朋友这样告诉我：", "我的回复：", "这些是X的分析："): closed
# classes of function words and speech verbs, not a vocabulary of names.
_DEMONSTRATIVE_PREFIX = re.compile(r"^(?:这|那|以下|下面|如下)(?:些|个|里|就)?(?:是|为)")
SPEECH_VERBS = (
    "说道|(?<![小传])说(?![明法服])|告诉|表示|声称|宣称|称赞道|称|写道|回复|回答|答道|问道|指出|认为"
    "|评论|评价|补充|透露|强调|解释|感叹|感慨|提到|发文|发推|发帖|留言|坦言|直言|总结|分析道"
    "|笑道|叹道|喊道|叫道|骂道|怒道|吼道|嚷道|笑称|直呼|惊呼|大呼|(?<![顾学疑请访询提发追])问(?![题卷责世号])"
    "|回应|回道|回(?=[我你他她])|插话|接话|反驳|吐槽|调侃|附和|抱怨|嘀咕|嘟囔|提醒|警告|反问|追问"
    # the same verbs in traditional characters (Hong Kong and Taiwan texts)
    "|說道|(?<![小傳])說(?![明法服])|稱|寫道|認為|問道|(?<![顧學疑請訪詢提發追])問(?![題卷責世號])"
    "|強調|補充|解釋|回覆|回應|評論|談到"
)
# Whom they spoke to, right after the verb: 他告诉我, 楼主回他.
ADDRESSEE = "(?:[我你他她]们?)?"
# English attributions ("Huang said", "said Huang"), whole words only.
ENGLISH_SPEECH_VERBS = (
    r"\b(?:said|says|told|tells|wrote|writes|added|adds|asked|asks|noted|notes|explained"
    r"|argued|warned|tweeted|posted|stated|replied|insisted|continued)\b"
)
# The first-character lookahead lets the regex engine skip most positions cheaply.
_SPEECH_VERB = re.compile(
    f"(?=[{''.join(sorted({verb[0] for verb in SPEECH_VERBS.split('|')}))}])(?:{SPEECH_VERBS})"
)
_ENGLISH_SPEECH_VERB = re.compile(ENGLISH_SPEECH_VERBS)
# A Latin name (capitalised words: "Dan Ives", "Jensen Huang") or an English pronoun.
ENGLISH_NAME = r"(?:[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}|he|she|they|I|we)"
_ENGLISH_SPEAKER = re.compile(f"^(?:{ENGLISH_NAME}|(?:an?|the) [a-z][a-z ]{{0,30}}[a-z])$")
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
_NAME_PREFIXES = "老小阿"  # 老曾, 小李: what an adverb cut must not leave alone
# How they spoke, between the speaker and the verb: 摇了摇头, 想了想, 叹了口气, 顿了一下 (exact
# bounds), and X着 / X地 (笑着, 看着屏幕, 激动地), whose bounds come from the word segmenter.
_MANNER_REPEATED = re.compile(r"(.)了一?\1|.了一?[口声下]")
_MANNER_TAGS = ("a", "d", "v", "z", "i", "l")  # jieba: adjective, adverb, verb, idiom …
_MANNER_WORDS_BACK = 2  # words before 地/着 that may belong to the manner (不无担忧地)
_SPEECH_NOUN = re.compile(
    r"^(.+?)(?:在[^的]*)?的(?:回复|回答|分析|评论|点评|看法|观点|原话|话|留言|总结|解读|说法)"
    r"(?:是|为|如下)?$"
)
# A title word (or the @ of a handle) before a name: the name is the person (群友@老韭菜).
_TITLE = re.compile(r"总裁|首席执行官|CEO|创始人|董事长|主席|总统|总理|部长|教授|老板|经理|院士|@")
_SUBJECTLESS = tuple("把被对在跟朝给替为从")  # a clause opening with these has no speaker


def speaker_from_intro(intro: str) -> str | None:
    """Who speaks, from the clause before the colon that introduces a quote ("朋友这样告诉我")."""
    clause = _DEMONSTRATIVE_PREFIX.sub("", intro.strip()).strip()
    if not clause:
        return None
    verb = _last_speech_verb(clause)
    if verb and verb.start() > 0:
        if clause.startswith(_SUBJECTLESS):
            return None  # 跟我说, 把路堵了朋友这样告诉我: no subject opens the clause
        name = leading_noun_phrase(_drop_adverbs(clause[: verb.start()]))
        name = _drop_manner(name)
        name = _drop_adverbs(_drop_setting(_drop_adverbs(name)))
        return _drop_title(name.removesuffix("的"))
    english = english_speaker(clause)
    if english is not None:
        return english
    noun = _SPEECH_NOUN.match(clause)
    if noun:
        return _drop_title(noun.group(1))
    if verb:
        return None  # "说：" alone: the speaker is in an earlier clause
    return _drop_title(clause)


def _last_speech_verb(clause: str) -> re.Match | None:
    """The verb that introduces the quotation: the last one (一位不愿透露姓名的交易员说), from
    the start of the run of speech verbs it ends (纳德拉发推说, 他回复说: 发推说 is one act)."""
    verbs = list(_SPEECH_VERB.finditer(clause))
    if not verbs:
        return None
    last = len(verbs) - 1
    while last > 0 and verbs[last - 1].end() == verbs[last].start():
        last -= 1
    return verbs[last]


def english_speaker(clause: str) -> str | None:
    """ "Huang said" / "said Jensen Huang" → the name, when the clause holds only that."""
    verb = _ENGLISH_SPEECH_VERB.search(clause)
    if verb is None:
        return None
    name = (clause[: verb.start()] or clause[verb.end() :]).strip(" ,，")
    return _drop_title(name) if _ENGLISH_SPEAKER.match(name) else None


def _drop_adverbs(name: str) -> str:
    """ "朋友这样" → "朋友": adverbs between the speaker and the verb are not the speaker;
    a cut that would leave only 老/小/阿 is not made (老曾)."""
    while name.endswith(_ADVERBS_BEFORE_VERB):
        shorter = name[: -len(next(a for a in _ADVERBS_BEFORE_VERB if name.endswith(a)))]
        if shorter.endswith(tuple(_NAME_PREFIXES)):
            return name
        name = shorter
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
