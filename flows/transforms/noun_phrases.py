"""The noun phrase that opens a clause: who acts before what they did (老王|放下手机说)."""

from __future__ import annotations

import re

import rjieba

# What may open the predicate after the speaker's noun phrase (老王|放下手机, 张总|半开玩笑):
# jieba tags of dictionary words of two or more characters (verbs, adverbs, prepositions,
# conjunctions, idioms; not verbal nouns, adjectives or nouns, which names and titles hold) …
_PREDICATE_TAGS = frozenset({"v", "vd", "vg", "vi", "vq", "d", "ad", "p", "c", "i", "l", "z"})
# … and closed classes of one-character words, which jieba's tags confuse with name characters:
_ASPECT_PARTICLES = frozenset("了着过")  # 点|了 根烟: the character before is a verb
_PREPOSITIONS = frozenset("在对向跟把朝冲给被从替为")  # 对|记者, 把|手机: before a word
_NEGATIONS = frozenset("不没未别")  # 不|愿透露姓名
_PRONOUNS = frozenset({"我", "你", "您", "他", "她", "我们", "你们", "他们", "她们", "咱们"})
_ADVERBS = frozenset("也还又都就便则竟再半略颇很稍更太挺蛮极")  # before a predicate only
# When they spoke: 周一, 昨天, 当天, 1月27日 (dates are not speakers).
_TIME_WORD = re.compile(
    r"(?:周|星期|礼拜)[一二三四五六日天末]|[昨今前明]天|[昨今次当]日|当天|日前|近日|此前|早前"
    r"|早些时候|[上本下]周|[上中下]午|晚间|早间|凌晨|傍晚|\d{1,2}月\d{1,2}[日号]"
)
# 一位, 某, 这位, 有位: a noun must follow, so the action before it is a modifier (…的交易员).
_DETERMINER = re.compile(r"(?=.)(?:某|该|这|那|有|每)?[一两二三四五六七八九十几数多]?[位名个些]?$")


def leading_noun_phrase(name: str) -> str:
    """The noun phrase that opens `name`, without the action after it: 老王放下手机 → 老王,
    张总半开玩笑 → 张总, 萨提亚·纳德拉周一 → 萨提亚·纳德拉. After a bare determiner
    (一位不愿透露姓名的交易员) the phrase runs through its 的 to the noun it modifies.
    "" when the only cuts would leave a lone surname before more action (傅|盛放下手机).

    Words come from rjieba's dictionary alone (no HMM), so an unknown name falls apart into
    characters instead of being glued to the verb after it (张伟点|了, 赵总喝|了); only the
    tags of dictionary words of two or more characters are trusted. A cut never leaves a
    lone surname (邢|自强 is a name, not 邢 and the verb 自强).
    """
    words, start = [], 0
    for word, tag in rjieba.tag(name, False):
        words.append((word, tag, start))
        start += len(word)
    skipped = None
    for end in _cuts(name, words):
        if _leaves_lone_surname(words, end):
            skipped = end
            continue
        if _DETERMINER.match(name[:end]):
            modifier_end = name.rfind("的", end)
            if modifier_end < 0:
                return name
            return name[: modifier_end + 1] + leading_noun_phrase(name[modifier_end + 1 :])
        return name[:end]
    return "" if skipped is not None and skipped < words[-1][2] else name


def _cuts(name: str, words: list[tuple[str, str, int]]) -> list[int]:
    """Offsets where the action may start, in order: before a word that opens a predicate;
    before the last character of a word that glues a name to a verb or an adverb (吴清|点了,
    王庆|看着, 刘强东|半开玩笑); before a time word (刘强东|周一, though 东周 is a word)."""
    cuts = {time.start() for time in _TIME_WORD.finditer(name, 1)}
    for index, (word, tag, start) in enumerate(words):
        if start > 0 and _opens_predicate(name, words, index):
            cuts.add(start)
        elif len(word) > 1 and index + 1 < len(words) and not tag.startswith("v"):
            follows = words[index + 1][0]
            if follows in _ASPECT_PARTICLES or (
                word[-1] in _ADVERBS and _opens_predicate(name, words, index + 1)
            ):
                cuts.add(start + len(word) - 1)
    return sorted(cuts)


def _leaves_lone_surname(words: list[tuple[str, str, int]], end: int) -> bool:
    """Whether name[:end] ends in one single-character piece after a longer word or
    nothing (邢, 首席经济学家邢), which is a surname whose given name was taken for a verb;
    two single characters (李华, 张总) or a pronoun (他) are a whole name."""
    pieces = [word[: end - start] for word, _, start in words if start < end]
    if len(pieces[-1]) != 1 or pieces[-1] in _PRONOUNS:
        return False
    return len(pieces) == 1 or len(pieces[-2]) > 1


def _opens_predicate(name: str, words: list[tuple[str, str, int]], index: int) -> bool:
    word, tag, start = words[index]
    follows = words[index + 1][0] if index + 1 < len(words) else ""
    if _TIME_WORD.match(name, start):
        return True
    if len(word) > 1:  # a verbal noun before 着/了 is a verb (微笑|着)
        return tag in _PREDICATE_TAGS or (tag == "vn" and follows in _ASPECT_PARTICLES)
    if follows in _ASPECT_PARTICLES:
        return True
    if word in _PREPOSITIONS or word in _NEGATIONS:
        return bool(follows)
    if tag.startswith("d") and index > 0 and words[index - 1][0] in _PRONOUNS:
        return True  # 我|刚跟我老婆说: no name goes on after a pronoun
    return word in _ADVERBS and bool(follows) and _opens_predicate(name, words, index + 1)
