"""Segmentation: sentence splits, exact offsets (property-tested), quotes and speakers."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.schemas import SEGMENTS
from flows.transforms.segment import segment_documents
from flows.transforms.speakers import speaker_from_intro


def segment(*texts: str) -> pd.DataFrame:
    documents = pd.DataFrame(
        {"doc_id": [f"doc{i}" for i in range(len(texts))], "text": list(texts)}
    )
    return segment_documents(documents)


def sentences(text: str) -> list[str]:
    return segment(text)["text"].tolist()


def quote_rows(text: str) -> list[tuple[str, bool, str | None]]:
    frame = segment(text)
    speakers = [None if pd.isna(s) else s for s in frame["speaker"]]
    return list(zip(frame["text"], frame["is_quote"], speakers, strict=True))


def test_columns_ids_and_numbering_follow_the_contract():
    frame = segment("甲。乙！\n\n  丙？丁\n", "戊")
    assert list(frame.columns) == SEGMENTS.names
    assert frame["segment_id"].tolist() == [
        "doc0#p000s000",
        "doc0#p000s001",
        "doc0#p001s000",
        "doc0#p001s001",
        "doc1#p000s000",
    ]
    assert frame["text"].tolist() == ["甲。", "乙！", "丙？", "丁", "戊"]
    assert frame["start"].tolist() == [0, 2, 8, 10, 0]
    assert frame["topics"].tolist() == [[], [], [], [], []]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("英伟达跌了17%。纳指跌了3%！还好吗？", ["英伟达跌了17%。", "纳指跌了3%！", "还好吗？"]),
        ("Really?! Yes!! ok", ["Really?!", "Yes!!", "ok"]),
        ("第一；第二……第三", ["第一；", "第二……", "第三"]),
        ("他说：“好。”然后走了。", ["他说：“好。”", "然后走了。"]),
        ("“好吗？”她问。", ["“好吗？”", "她问。"]),
        ("（见上文。）下一句。", ["（见上文。）", "下一句。"]),
        ("价格是2.14美元. 不是3.5", ["价格是2.14美元. 不是3.5"]),
        ("结尾没有句号", ["结尾没有句号"]),
        ('He said "stop!" and left.', ['He said "stop!"', "and left."]),
        ('好！"下一句"还在。', ["好！", '"下一句"还在。']),
    ],
)
def test_sentence_splits(text, expected):
    assert sentences(text) == expected


def test_whitespace_is_skipped_by_offsets_not_removed_from_text():
    text = "  第一句。   第二句。 \t\n\u3000\u3000第三句 \n"
    frame = segment(text)
    assert frame["text"].tolist() == ["第一句。", "第二句。", "第三句"]
    assert [text[s:e] for s, e in zip(frame["start"], frame["end"], strict=True)] == frame[
        "text"
    ].tolist()
    assert frame["paragraph"].tolist() == [0, 0, 1]


def test_empty_and_blank_documents_give_no_rows():
    assert segment("", " \n\n ").empty
    assert list(segment("").columns) == SEGMENTS.names
    assert segment_documents(pd.DataFrame({"doc_id": [], "text": []})).empty


def test_colon_introduced_quote_gets_speaker_and_flag():
    rows = quote_rows("老王说：“股市大跌。我们完了！”我不同意。")
    assert rows == [
        ("老王说：“股市大跌。", True, "老王"),
        ("我们完了！”", True, "老王"),
        ("我不同意。", False, None),
    ]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("我的同事:“今天很冷。”", "我的同事"),
        ("朋友这样告诉我：“别买了。”", "朋友"),
        ("我的回复：“不露声色。”", "我"),
        ("张三说了些奇怪的话: “明天会涨。”", "张三"),
        ("某基金总裁John Smith表示：“我们不卖。”", "John Smith"),
        ("天气很好，李四对记者说：「我很乐观。」", "李四"),
        ('Bob: "Markets will recover."', "Bob"),
    ],
)
def test_speakers_from_the_clause_before_the_colon(text, speaker):
    assert quote_rows(text)[0][1:] == (True, speaker)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("分析师张伟认为，“估值太高了。”", "分析师张伟"),
        ("她说“我们不卖。”", "她"),
        ("王先生在电话里对我说：“这是机会。”", "王先生"),
        ("黄仁勋在发布会上表示：「需求很强。」", "黄仁勋"),
        ("他在接受采访时称：“不会裁员。”", "他"),
        ("马斯克在X上发帖称：“Impressive.”", "马斯克"),
    ],
)
def test_speakers_introduced_by_a_speech_verb_or_with_where_they_spoke(text, speaker):
    assert quote_rows(text)[0][1:] == (True, speaker)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("老张笑着说道：“这波跌得好。”", "老张"),
        ("她叹了口气说：“又亏了。”", "她"),
        ("王总激动地表示：“我们会反弹。”", "王总"),
        ("李明摇了摇头说：“不好说。”", "李明"),
        ("老李拍着桌子说：“割肉！”", "老李"),
        ("小王点了点头说：“我也卖了。”", "小王"),
        ("刘总微笑着对记者说：“不着急。”", "刘总"),
        ("一位基金经理不无担忧地表示：“估值太高。”", "一位基金经理"),
        ("马斯克在X上不屑地写道：“Overrated.”", "马斯克"),
        ("英伟达CEO黄仁勋笑着说：“需求很强。”", "黄仁勋"),
        ("老张笑道：“早说了。”", "老张"),
        ("他接着说：“还会跌。”", "他"),
    ],
)
def test_how_they_spoke_is_not_part_of_the_speaker(text, speaker):
    assert quote_rows(text)[0][1:] == (True, speaker)


@pytest.mark.parametrize(
    ("intro", "speaker"),
    [
        ("当地分析师说", "当地分析师"),  # 地 ending a noun is no manner
        ("各地投资者表示", "各地投资者"),
        ("老刘说", "老刘"),
        ("李想说", "李想"),
    ],
)
def test_speakers_without_a_manner_phrase_are_kept_whole(intro, speaker):
    assert speaker_from_intro(intro) == speaker


def test_a_manner_phrase_after_the_quotation_is_dropped_too():
    rows = quote_rows("“这次不一样，”老王摇了摇头说。")
    assert rows[0][1:] == (True, "老王")
    assert quote_rows("“那你还补仓吗？”我问。")[0][1:] == (True, "我")
    assert speaker_from_intro("我的顾问") == "我的顾问"  # 问 in a noun is no verb


def test_attribution_after_the_quotation_names_its_speaker():
    rows = quote_rows("“今年会涨，”老王说。“但别追高。”")
    assert rows[0] == ("“今年会涨，”老王说。", True, "老王")
    assert rows[1] == ("“但别追高。”", True, None)  # a new quotation names no one
    rows = quote_rows("“市场太疯狂了。我还在买。”一位基金经理写道。")
    assert rows[:2] == [
        ("“市场太疯狂了。", True, "一位基金经理"),
        ("我还在买。”", True, "一位基金经理"),
    ]
    assert rows[2] == ("一位基金经理写道。", False, None)


def test_a_quotation_interrupted_by_its_attribution_is_one_quote():
    rows = quote_rows("「这不是末日，」一位分析师写道，「但估值要重估。」他随后离开。")
    assert rows[0] == ("「这不是末日，」一位分析师写道，「但估值要重估。」", True, "一位分析师")
    assert rows[1] == ("他随后离开。", False, None)


@pytest.mark.parametrize(
    "text",
    [
        "“躺平”，他说得对。",  # a speech verb that goes on is no attribution
        "有人说，“便宜没好货”，但我不同意。",  # narration goes on after the quotation
        "我喜欢看小说“三体”。",  # 小说 is a novel, not 说
        "“躺平”这个词，大家都在说。",
    ],
)
def test_speech_verbs_near_quoted_phrases_do_not_make_narration_a_quote(text):
    assert [is_quote for _, is_quote, _ in quote_rows(text)] == [False]


def test_scare_quotes_inside_narration_are_not_quotes():
    rows = quote_rows("他把这件事称为“斯普特尼克时刻”。后来又改口了。")
    assert [is_quote for _, is_quote, _ in rows] == [False, False]


def test_quote_without_colon_is_a_quote_without_speaker():
    rows = quote_rows("他很生气。“你们都错了！”")
    assert rows[1] == ("“你们都错了！”", True, None)


def test_multi_paragraph_quote_keeps_the_speaker_introduced_before_it():
    text = (
        "下面是两位工程师的看法:\n"
        "“第一段没有结束引号。第二句。\n"
        "“第二段也没有。\n"
        "“第三段终于结束了。”\n"
        "这是作者自己的话。"
    )
    rows = quote_rows(text)
    assert rows[0] == ("下面是两位工程师的看法:", False, None)
    assert all(is_quote and speaker == "两位工程师" for _, is_quote, speaker in rows[1:5])
    assert rows[5] == ("这是作者自己的话。", False, None)


def test_speaker_is_not_carried_into_an_unrelated_paragraph_or_document():
    rows = quote_rows("他说：“第一段没结束。\n普通的一段。\n“新的引语。”")
    assert rows[1] == ("普通的一段。", False, None)
    assert rows[2] == ("“新的引语。”", True, None)
    frame = segment("老李说：“没结束。", "“另一篇文章的引语。”")
    assert pd.isna(frame.loc[1, "speaker"]) and frame.loc[1, "is_quote"]


def test_speaker_from_intro_rules():
    assert speaker_from_intro("这些是清华校友在第一时间的分析") == "清华校友"
    assert speaker_from_intro("同济美国牛人") == "同济美国牛人"
    assert speaker_from_intro("  ") is None


# Alphabet for random documents: CJK, Latin, digits, spaces, newlines, every terminator,
# closers and quote marks (balanced or not).
_ALPHABET = st.sampled_from(list('股市大跌英伟达abcXY 19.\u3000\t\n。！？!?；…”’」』）)“「"：:，,'))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_ALPHABET, max_size=60), min_size=1, max_size=4))
def test_offsets_are_exact_disjoint_and_cover_all_non_space_text(texts):
    frame = segment(*texts)
    for i, text in enumerate(texts):
        rows = frame[frame["doc_id"] == f"doc{i}"]
        covered = [False] * len(text)
        previous_end = 0
        for start, end, piece in zip(rows["start"], rows["end"], rows["text"], strict=True):
            assert text[start:end] == piece
            assert piece and piece == piece.strip()
            assert start >= previous_end
            previous_end = end
            covered[start:end] = [True] * (end - start)
        assert all(covered[k] or text[k].isspace() for k in range(len(text)))
        assert rows["segment_id"].is_unique
        assert (rows["speaker"].isna() | rows["is_quote"]).all()
