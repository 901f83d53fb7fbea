"""Quotes and speakers on unseen shapes: actions before the verb, attributions after the
quotation, corner brackets, English attributions, nicknames and bare verbs."""

from __future__ import annotations

import pytest

from flows.transforms.noun_phrases import leading_noun_phrase
from flows.transforms.speakers import speaker_from_intro
from tests.test_segment import quote_rows


@pytest.mark.parametrize(
    ("intro", "speaker"),
    [
        ("老孙放下报纸说", "老孙"),  # a verb and its object after the name
        ("周总半开玩笑地说", "周总"),  # a degree word before the manner, not a name character
        ("老郑点了根烟说", "老郑"),  # a one-character verb before 了
        ("钱总喝了口水说", "钱总"),
        ("孙立群看着K线图说", "孙立群"),
        ("陈总一边看盘一边说", "陈总"),
        ("老周把手机一扔说", "老周"),
        ("王兴对媒体表示", "王兴"),  # 对 + a word: to whom
        ("一名不愿具名的交易员表示", "一名不愿具名的交易员"),  # 的 closes a modifier
        ("一位接近董事会的人士透露说", "一位接近董事会的人士"),
        ("萨提亚·纳德拉周一表示", "萨提亚·纳德拉"),  # when they spoke
        ("她昨天说", "她"),
        ("我同事小赵也放下手机说", "我同事小赵"),
        ("微软CEO纳德拉发推说", "纳德拉"),  # a run of speech verbs (发推说) is one act
        ("老李回复说", "老李"),
        ("一位不愿透露姓名的交易员说", "一位不愿透露姓名的交易员"),  # 透露 inside the phrase
    ],
)
def test_the_speaker_is_the_noun_phrase_before_the_action(intro, speaker):
    assert speaker_from_intro(intro) == speaker


@pytest.mark.parametrize(
    "name",
    ["李想", "王兴", "董登新", "荀玉根", "但斌", "曾毓群", "某券商首席经济学家", "有位老股民"],
)
def test_names_whose_characters_look_like_verbs_stay_whole(name):
    assert leading_noun_phrase(name) == name
    assert speaker_from_intro(name + "说") == name


def test_a_lone_verb_takes_the_speaker_of_the_clause_before_it():
    assert quote_rows("吴磊叹了口气，说：“再等等。”")[0][1:] == (True, "吴磊")
    # the clause before ends a sentence: no one is carried over it
    assert quote_rows("天亮了。说：“再等等。”")[1][1:] == (True, None)


def test_a_quoted_nickname_before_the_verb_is_the_speaker():
    assert quote_rows("博主「港股老刘」表示：「恒指还会跌。」")[0][1:] == (True, "港股老刘")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("「恒指今天跌了2%」，一位交易员在电话里说。", "一位交易员"),
        ("“我不会卖，”他点了根烟说。", "他"),
        ("『美团被低估了』，老钱说。", "老钱"),
    ],
)
def test_an_attribution_after_a_bracketed_quotation_with_the_comma_outside(text, speaker):
    assert quote_rows(text)[0][1:] == (True, speaker)


def test_an_attribution_on_the_next_line_belongs_to_no_quotation():
    rows = quote_rows("“持仓亏了一成。”\n基金经理表示，反弹可期。")
    assert rows[0] == ("“持仓亏了一成。”", True, None)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"Demand is strong," Lisa Su said.', "Lisa Su"),
        ('"Demand is strong," said Lisa Su.', "Lisa Su"),
        ('"We will keep buying," said Tom Lee, a strategist at Fundstrat.', "Tom Lee"),
        ('Lisa Su said: "Demand is strong."', "Lisa Su"),
        ('Lisa Su said, "Demand is strong."', "Lisa Su"),
        ('"It is overdone," she said.', "she"),
        ("“需求很强，”AMD CEO Lisa Su说。", "Lisa Su"),
    ],
)
def test_english_attributions(text, speaker):
    assert quote_rows(text)[0][1:] == (True, speaker)


@pytest.mark.parametrize(
    "text",
    [
        '"Buy the dip" is what everyone said last week.',  # narration goes on
        "“抄底”，他说得轻巧。",  # 说得: the verb goes on
        "“抄底”，但我认为这不对。",
    ],
)
def test_quoted_phrases_followed_by_narration_stay_narration(text):
    assert [is_quote for _, is_quote, _ in quote_rows(text)] == [False]


@pytest.mark.parametrize("intro", ["跟我说", "把话说完了他这样告诉我", "对此表示"])
def test_a_clause_opening_with_a_preposition_names_no_speaker(intro):
    assert speaker_from_intro(intro) is None


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“先别卖，”老赵告诉我。", "老赵"),  # whom they spoke to follows the verb
        ("“您太悲观了，”版主回他。", "版主"),  # 回 + whom: a reply
        ("网友「价值老李」吐槽：『又套牢了。』", "价值老李"),
        ("我刚跟同事说：“不玩了。”", "我"),  # an adverb after a pronoun is no name
    ],
)
def test_replies_addressees_and_pronouns(text, speaker):
    assert quote_rows(text)[0][1:] == (True, speaker)


def test_an_interview_transcript_is_speech_of_its_labelled_speakers():
    text = "主持人：港股怎么看？\n刘敏：偏乐观。恒指还有空间。\n主持人：风险呢？\n刘敏：汇率。"
    rows = quote_rows(text)
    assert [(is_quote, speaker) for _, is_quote, speaker in rows] == [
        (True, "主持人"),
        (True, "刘敏"),
        (True, "刘敏"),  # the turn runs to its line's end
        (True, "主持人"),
        (True, "刘敏"),
    ]


def test_question_and_answer_turns_name_no_speaker():
    rows = quote_rows("问：会降息吗？\n答：不会。\nQ: Buy now?\nA: Not yet.")
    assert [(is_quote, speaker) for _, is_quote, speaker in rows] == [(True, None)] * 4


@pytest.mark.parametrize(
    "text",
    [
        "优点：便宜。\n缺点：慢。",  # each label once: a list, not a dialogue
        "记者：第一问。\n记者：第二问。",  # one voice only
        "数据显示：营收增长。\n数据显示：利润下降。\n分析师表示：还行。\n分析师表示：不错。",
        "http://a.cn/1\nhttp://a.cn/2\nhttps://b.cn/1\nhttps://b.cn/2",  # links, no labels
    ],
)
def test_labels_that_make_no_dialogue_stay_narration(text):
    assert not any(is_quote for _, is_quote, _ in quote_rows(text))


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("「恒指見底了。」陳先生說。", "陳先生"),  # traditional characters
        ("林小姐認為：「還會跌。」", "林小姐"),
        ("群友@短线王说：“今天满仓。”", "短线王"),  # the handle after @
        ("她的回复是：“别怕。”", "她"),  # 的回复是: a speech noun, then 是
    ],
)
def test_traditional_verbs_handles_and_speech_nouns(text, speaker):
    assert quote_rows(text)[0][1:] == (True, speaker)


def test_a_quotation_inside_a_quotation_is_part_of_it():
    rows = quote_rows("「他說『跌了』，我不信。」老陳說。")
    assert rows[0] == ("「他說『跌了』，我不信。」", True, "老陳")
    rows = quote_rows("『港股「见底」了吗？』一位读者问。")
    assert rows[0] == ("『港股「见底」了吗？』", True, "一位读者")


@pytest.mark.parametrize(
    ("intro", "speaker"),
    [
        ("常自强说", "常自强"),  # 自强 is a verb in the dictionary, but no cut leaves 常 alone
        ("常自强放下手机说", "常自强"),  # the next cut is taken instead
        ("许清点了根烟说", "许清"),  # the dictionary glues 清点: the verb is its last character
        ("孔卫东周一表示", "孔卫东"),  # 东周 is a word: time words are found by character
        ("严盛放下手机说", None),  # 严|盛放 or 严盛|放下? no guess
    ],
)
def test_names_that_the_dictionary_reads_as_verbs(intro, speaker):
    assert speaker_from_intro(intro) == speaker
