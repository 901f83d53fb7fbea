"""Labels: gazetteer mentions (longest alias, word boundaries, short forms) and topics."""

from __future__ import annotations

import pandas as pd
import pytest

from flows.gazetteer import (
    ENTITY_COLUMNS,
    gazetteer_version,
    load_gazetteer,
    load_topic_rules,
    topic_rules_version,
)
from flows.schemas import ENTITY_TYPES, MENTIONS
from flows.transforms.alias_trie import compile_aliases
from flows.transforms.label import assign_topics, extract_mentions
from flows.transforms.segment import segment_documents

REFERENCE_SYMBOLS = ("NVDA", "GOOGL", "MSFT", "ORCL", "TSLA", "AVGO", "AAPL", "META", "AMZN")


@pytest.fixture(scope="module")
def gazetteer() -> pd.DataFrame:
    return load_gazetteer()


def segments_of(*texts: str) -> pd.DataFrame:
    documents = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    return segment_documents(documents)


def mentions_of(gazetteer: pd.DataFrame, *texts: str) -> list[tuple[str, str]]:
    frame = extract_mentions(segments_of(*texts), gazetteer)
    return list(zip(frame["text"], frame["entity_id"], strict=True))


def test_gazetteer_is_versioned_typed_and_covers_the_reference_symbols(gazetteer):
    assert list(gazetteer.columns) == list(ENTITY_COLUMNS)
    assert gazetteer_version() and topic_rules_version()
    assert set(gazetteer["entity_type"]) <= set(ENTITY_TYPES)
    ids = set(gazetteer["entity_id"])
    assert set(REFERENCE_SYMBOLS) | {"^IXIC", "^GSPC", "^DJI", "^SOX"} <= ids
    assert {"deepseek", "openai", "jensen-huang", "elon-musk", "openai-o1", "sputnik-1"} <= ids
    tickers = gazetteer.drop_duplicates("entity_id").set_index("entity_id")["ticker"]
    assert all(tickers[symbol] == symbol for symbol in REFERENCE_SYMBOLS)


def test_mentions_columns_offsets_and_ids(gazetteer):
    text = "前言。\n  英伟达和微软都跌了。"
    frame = extract_mentions(segments_of(text), gazetteer)
    assert list(frame.columns) == MENTIONS.names
    assert frame["mention_id"].tolist() == ["d0#p001s000/m00", "d0#p001s000/m01"]
    assert [text[s:e] for s, e in zip(frame["start"], frame["end"], strict=True)] == [
        "英伟达",
        "微软",
    ]
    assert frame["entity_type"].tolist() == ["company", "company"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("标普500下跌", [("标普500", "^GSPC")]),
        ("Nasdaq Composite fell", [("Nasdaq Composite", "^IXIC")]),
        ("the Nasdaq fell", [("Nasdaq", "^IXIC")]),
        ("S&P 500 and S&P500", [("S&P 500", "^GSPC"), ("S&P500", "^GSPC")]),
        ("DeepSeek-V3发布", [("DeepSeek-V3", "deepseek-v3")]),
        ("用ChatGPT o1写代码", [("ChatGPT o1", "openai-o1")]),
        ("中国科大的学生", [("中国科大", "ustc")]),
    ],
)
def test_longest_alias_wins(gazetteer, text, expected):
    assert mentions_of(gazetteer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("metadata and Metaverse", []),
        ("Meta and META rose", [("Meta", "META"), ("META", "META")]),
        ("AMDX is not AMD", [("AMD", "AMD")]),
        ("my 401 plan and o1 model", [("o1", "openai-o1")]),
        ("O1 visa, go1, o10", []),
        ("nvidia NVIDIA Nvidia", [("nvidia", "NVDA"), ("NVIDIA", "NVDA"), ("Nvidia", "NVDA")]),
        ("an apple a day; Apple shares", [("Apple", "AAPL")]),
        (
            "深度求索和deepseek和Deep Seek",
            [("深度求索", "deepseek")] * 1 + [("deepseek", "deepseek"), ("Deep Seek", "deepseek")],
        ),
    ],
)
def test_latin_aliases_respect_word_boundaries_and_case_rules(gazetteer, text, expected):
    assert mentions_of(gazetteer, text) == expected


def test_short_forms_count_only_after_the_full_name_in_the_same_document(gazetteer):
    before = "老黄很高兴。黄仁勋的身家缩水。黄的身家降至千亿。老黄还是很高兴。"
    assert mentions_of(gazetteer, before) == [
        ("黄仁勋", "jensen-huang"),
        ("黄", "jensen-huang"),
        ("老黄", "jensen-huang"),
    ]
    # the full name in another document does not license the short form here
    assert mentions_of(gazetteer, "黄仁勋来了。", "黄的身家降了。") == [("黄仁勋", "jensen-huang")]


def test_one_character_short_form_must_be_a_word(gazetteer):
    text = "黄仁勋说黄金和黄河都很好，黄也这么认为。"
    assert mentions_of(gazetteer, text) == [("黄仁勋", "jensen-huang"), ("黄", "jensen-huang")]


def test_short_form_with_a_context_entity(gazetteer):
    assert mentions_of(gazetteer, "R1很便宜。") == []
    assert mentions_of(gazetteer, "DeepSeek发布了R1。") == [
        ("DeepSeek", "deepseek"),
        ("R1", "deepseek-r1"),
    ]
    assert mentions_of(gazetteer, "库克说。蒂姆·库克来了，库克笑了。") == [
        ("蒂姆·库克", "tim-cook"),
        ("库克", "tim-cook"),
    ]


def test_standalone_market_abbreviations_need_no_full_name(gazetteer):
    text = "纳指跌了，道指涨了，恒指收涨，沪指下跌，阿里反弹。"
    assert mentions_of(gazetteer, text) == [
        ("纳指", "^IXIC"),
        ("道指", "^DJI"),
        ("恒指", "^HSI"),
        ("沪指", "000001.SS"),
        ("阿里", "BABA"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("苹果却涨了3%。", [("苹果", "AAPL")]),
        ("昨天苹果股价跌了。", [("苹果", "AAPL")]),
        ("标普周一收跌。", [("标普", "^GSPC")]),
        ("三星电子和三星都跌了。", [("三星电子", "samsung"), ("三星", "samsung")]),
        ("我每天吃苹果。", []),
        ("苹果价格涨了。", []),  # the fruit's price: no market word right after the name
        ("苹果涨价了。", []),
        ("苹果和梨都涨了。", []),
        ("阿里地区的气温下跌了。", []),
        ("小米粥的价格涨了。", []),
        ("小米集团和小米都涨了。", [("小米集团", "xiaomi"), ("小米", "xiaomi")]),
        ("三星堆很有名。", []),
        ("老黄身家缩水。", []),  # a person's short form still needs the full name
        ("R1涨了。", []),  # a product has no market subject position
        ("苹果\n涨了", []),  # not across sentences
    ],
)
def test_a_short_form_counts_as_the_subject_of_a_market_word(gazetteer, text, expected):
    assert mentions_of(gazetteer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("纳斯达克100指数和纳斯达克", [("纳斯达克100指数", "^NDX"), ("纳斯达克", "^IXIC")]),
        ("京东方和京东", [("京东方", "boe"), ("京东", "JD")]),
        ("沪深300指数与上证指数", [("沪深300指数", "000300.SS"), ("上证指数", "000001.SS")]),
        ("恒生科技指数和恒生指数", [("恒生科技指数", "^HSTECH"), ("恒生指数", "^HSI")]),
        ("阿里巴巴集团即阿里", [("阿里巴巴集团", "BABA"), ("阿里", "BABA")]),
        ("日经225指数", [("日经225指数", "^N225")]),
        (
            "中芯国际、台积电和宁德时代",
            [("中芯国际", "smic"), ("台积电", "TSM"), ("宁德时代", "catl")],
        ),
        ("Arm and ARM, not arm", [("Arm", "ARM"), ("ARM", "ARM")]),
    ],
)
def test_market_gazetteer_prefers_the_longest_alias(gazetteer, text, expected):
    assert mentions_of(gazetteer, text) == expected


def test_no_overlapping_mentions_and_no_mentions_in_empty_input(gazetteer):
    frame = extract_mentions(segments_of("中国共产党和中国"), gazetteer)
    assert frame["entity_id"].tolist() == ["chinese-communist-party", "china"]
    assert (frame["start"].iloc[1:].to_numpy() >= frame["end"].iloc[:-1].to_numpy()).all()
    empty = extract_mentions(segments_of(""), gazetteer)
    assert empty.empty and list(empty.columns) == MENTIONS.names
    assert extract_mentions(segments_of("没有实体的句子"), gazetteer).empty


def test_topics_from_keywords_patterns_and_entities(gazetteer):
    segments = segments_of(
        "英伟达股价下跌。苹果公司跌了4%。AI芯片很贵。OpenAI开张了。"
        "我的401K和退休金。美国和中国谈判。今天天气很好。AIDS研究。"
    )
    mentions = extract_mentions(segments, gazetteer)
    labelled = assign_topics(segments, load_topic_rules(), mentions)
    topics = dict(zip(labelled["text"], labelled["topics"], strict=True))
    assert topics["英伟达股价下跌。"] == ["chips", "markets"]
    assert topics["苹果公司跌了4%。"] == ["markets"]
    assert topics["AI芯片很贵。"] == ["ai", "chips"]
    assert topics["OpenAI开张了。"] == ["ai"]
    assert topics["我的401K和退休金。"] == ["retirement"]
    assert topics["美国和中国谈判。"] == ["china-us"]
    assert topics["今天天气很好。"] == []
    assert topics["AIDS研究。"] == []
    assert segments["topics"].tolist() == [[]] * len(segments)  # input left untouched


def test_topics_without_mentions_use_keywords_only():
    segments = segments_of("OpenAI开张了。股市大跌。")
    labelled = assign_topics(segments, load_topic_rules())
    assert labelled["topics"].tolist() == [[], ["markets"]]


def test_alias_trie_prefers_longer_aliases_across_case_rules():
    pattern, groups = compile_aliases(
        [("AB", True), ("abc", False), ("A B D", False), ("中", True)]
    )
    found = [(m.group(), groups[m.lastgroup]) for m in pattern.finditer("ABC xab abd AB D 中文")]
    assert found == [("ABC", 1), ("abd", 2), ("AB D", 2), ("中", 3)]  # spaces optional


def test_unambiguous_latin_surnames_need_no_full_name(gazetteer):
    assert mentions_of(gazetteer, "Musk and Altman argued; Ellison and Cook did not.") == [
        ("Musk", "elon-musk"),
        ("Altman", "sam-altman"),
    ]
