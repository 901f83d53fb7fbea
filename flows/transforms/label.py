"""Label segments: gazetteer entity mentions (longest alias, word-safe) and keyword topics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import rjieba

from flows.schemas import MENTIONS
from flows.transforms.alias_automaton import AliasMatcher, compile_matcher, find_aliases

_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def extract_mentions(segments: pd.DataFrame, gazetteer: pd.DataFrame) -> pd.DataFrame:
    """Entity mentions with document offsets, one row per mention (schemas.MENTIONS).

    Matching is one trie-shaped regex over all segments: the longest alias wins at a position,
    Latin aliases respect word boundaries and match in any case unless is_case_sensitive.
    A short form (is_short_form) counts only after a full alias of its context entity
    (context_entity_id, default itself) appeared earlier in the same document, or, for a
    company or index, when it stands as the subject of a market word ("苹果却涨了", "苹果股价",
    not "吃苹果"; claim_rules.json short_form_followers); a one-character Chinese alias counts
    only when it stands as its own word (rjieba).
    """
    ordered = segments.sort_values(["doc_id", "start"], kind="stable")
    texts = ordered["text"].tolist()
    if not texts:
        return _empty_mentions()
    matcher, aliases = _compile(_alias_records(gazetteer))
    corpus = "\n".join(texts)
    corpus_starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
    found = find_aliases(matcher, corpus, corpus_starts)
    if not len(found):
        return _empty_mentions()
    row = np.searchsorted(corpus_starts, found[:, 0], side="right") - 1
    doc_codes = pd.factorize(ordered["doc_id"].to_numpy())[0][row]
    kept = _keep_allowed(found, row, doc_codes, texts, corpus_starts, aliases)
    kept &= ~_inside_words(corpus, found, aliases)
    row, found = row[kept], found[kept]
    segment_starts = ordered["start"].to_numpy()[row] - corpus_starts[row]
    segment_ids = ordered["segment_id"].to_numpy()[row]
    frame = pd.DataFrame(
        {
            "mention_id": _mention_ids(segment_ids),
            "doc_id": ordered["doc_id"].to_numpy()[row],
            "segment_id": segment_ids,
            "start": (segment_starts + found[:, 0]).astype("int32"),
            "end": (segment_starts + found[:, 1]).astype("int32"),
            "text": [corpus[start:end] for start, end in found[:, :2].tolist()],
            "entity_id": aliases.entity_id[found[:, 2]],
            "entity_type": aliases.entity_type[found[:, 2]],
        }
    )
    return frame[MENTIONS.names].reset_index(drop=True)


def assign_topics(
    segments: pd.DataFrame, topic_rules: pd.DataFrame, mentions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A copy of `segments` whose `topics` is the sorted list of topic slugs whose rules fire
    (an Arrow-backed list<string> column, like segment_documents leaves it).

    Keyword rules match the segment text (Latin keywords in any case, on word boundaries),
    pattern rules are RE2 regular expressions (both run in Arrow); entity rules need
    `mentions` (from extract_mentions) and are skipped without it.
    """
    topics = sorted(set(topic_rules["topic"]))
    texts = pa.array(segments["text"], pa.string())
    mention_rows = _mention_rows(segments, mentions)
    fired = np.zeros((len(segments), len(topics)), dtype=bool)
    for column, topic in enumerate(topics):
        rules = topic_rules[topic_rules["topic"] == topic]
        keywords = rules.loc[rules["kind"] == "keyword", "value"].tolist()
        patterns = rules.loc[rules["kind"] == "pattern", "value"].tolist()
        if keywords:
            patterns.append(_keyword_pattern(keywords))
        if patterns and len(texts):
            matched = pc.match_substring_regex(texts, "|".join(f"(?:{p})" for p in patterns))
            fired[:, column] |= matched.to_numpy(zero_copy_only=False)
        if mentions is not None and len(mentions):
            fired[:, column] |= _fired_by_entities(rules, mentions, mention_rows, len(segments))
    offsets = np.concatenate(([0], np.cumsum(fired.sum(axis=1)))).astype(np.int32)
    names = np.tile(np.array(topics, dtype=object), len(segments))[fired.ravel()]
    lists = pa.ListArray.from_arrays(pa.array(offsets), pa.array(names, pa.string()))
    labelled = segments.copy()
    labelled["topics"] = pd.Series(pd.arrays.ArrowExtensionArray(lists), index=segments.index)
    return labelled


def _mention_rows(segments: pd.DataFrame, mentions: pd.DataFrame | None) -> np.ndarray:
    """Row position in `segments` of each mention."""
    if mentions is None or not len(mentions):
        return np.zeros(0, dtype=np.int64)
    rows = pd.Index(segments["segment_id"]).get_indexer(mentions["segment_id"])
    assert (rows >= 0).all(), "every mention must belong to one of the segments"
    return rows


def _fired_by_entities(rules, mentions, mention_rows, n_segments) -> np.ndarray:
    """Segments where an entity_id / entity_type rule, or every entity of entities_all, hits."""
    values = {
        kind: rules.loc[rules["kind"] == kind, "value"].tolist() for kind in set(rules["kind"])
    }
    hit = np.logical_or(
        mentions["entity_id"].isin(values.get("entity_id", [])).to_numpy(),
        mentions["entity_type"].isin(values.get("entity_type", [])).to_numpy(),
    )
    fired = np.zeros(n_segments, dtype=bool)
    fired[mention_rows[hit]] = True
    for group in values.get("entities_all", []):
        every = np.ones(n_segments, dtype=bool)
        for entity_id in group.split("|"):
            has = np.zeros(n_segments, dtype=bool)
            has[mention_rows[(mentions["entity_id"] == entity_id).to_numpy()]] = True
            every &= has
        fired |= every
    return fired


def _alias_records(gazetteer: pd.DataFrame) -> tuple[tuple, ...]:
    columns = ["alias", "entity_id", "entity_type", "is_short_form", "is_case_sensitive"]
    columns += ["context_entity_id"]
    ordered = gazetteer[columns].sort_values(["alias", "entity_id"], kind="stable")
    return tuple(ordered.itertuples(index=False, name=None))


@dataclass(frozen=True)
class _Aliases:
    """Per alias index (the order of _alias_records): what a match of it means."""

    entity_id: np.ndarray
    entity_type: np.ndarray
    entity_code: np.ndarray  # entity_id as an integer code
    context_code: np.ndarray  # context_entity_id (default: entity_id) as a code
    is_short_form: np.ndarray
    is_single_hanzi: np.ndarray
    is_hanzi: np.ndarray  # starts and ends with a Chinese character


@lru_cache(maxsize=8)
def _compile(records: tuple[tuple, ...]) -> tuple[AliasMatcher, _Aliases]:
    """The alias matcher and, per alias index, the alias record it stands for."""
    entity_ids = [record[1] for record in records]
    contexts = [record[5] or record[1] for record in records]
    meanings = [(r[1], r[2], bool(r[3]), c) for r, c in zip(records, contexts, strict=True)]
    matcher = compile_matcher([(record[0], bool(record[4])) for record in records], meanings)
    codes, uniques = pd.factorize(np.array(entity_ids + contexts, dtype=object))
    aliases = _Aliases(
        entity_id=np.array(entity_ids, dtype=object),
        entity_type=np.array([record[2] for record in records], dtype=object),
        entity_code=codes[: len(records)],
        context_code=codes[len(records) :],
        is_short_form=np.array([bool(record[3]) for record in records], dtype=bool),
        is_single_hanzi=np.array(
            [len(record[0]) == 1 and not record[0].isascii() for record in records], dtype=bool
        ),
        is_hanzi=np.array(
            [bool(_HANZI.match(r[0][0]) and _HANZI.match(r[0][-1])) for r in records], dtype=bool
        ),
    )
    return matcher, aliases


def _keep_allowed(found, row, doc_codes, texts, corpus_starts, aliases: _Aliases) -> np.ndarray:
    """Drop short forms before their full entity, and one-hanzi aliases inside a word.

    A short form counts once a kept full alias of its context entity came earlier in the
    same document, or when market words follow it (_is_market_subject); each row with a
    one-hanzi alias is tokenized once.
    """
    alias = found[:, 2]
    kept = np.ones(len(found), dtype=bool)
    words, words_row = frozenset(), -1
    for index in np.flatnonzero(aliases.is_single_hanzi[alias]).tolist():
        if row[index] != words_row:
            words_row, words = row[index], _word_spans(texts[row[index]])
        offset = int(corpus_starts[row[index]])
        kept[index] = (int(found[index, 0]) - offset, int(found[index, 1]) - offset) in words
    short = aliases.is_short_form[alias]
    if not short.any():
        return kept
    entities = len(aliases.entity_id) * 2
    full = np.flatnonzero(kept & ~short)
    full_keys = doc_codes[full] * entities + aliases.entity_code[alias[full]]
    keys, first = np.unique(full_keys, return_index=True)
    short_rows = np.flatnonzero(short)
    wanted = doc_codes[short_rows] * entities + aliases.context_code[alias[short_rows]]
    slot = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
    has_full = np.zeros(len(short_rows), dtype=bool)
    if len(keys):
        has_full = (keys[slot] == wanted) & (full[first[slot]] < short_rows)
    unconfirmed = short_rows[kept[short_rows] & ~has_full]
    kept[short_rows] &= has_full
    for index in unconfirmed.tolist():
        alias_end = int(found[index, 1] - corpus_starts[row[index]])
        kept[index] = _is_market_subject(
            texts[row[index]], alias_end, aliases.entity_type[alias[index]]
        )
    return kept


def _inside_words(corpus: str, found: np.ndarray, aliases: _Aliases) -> np.ndarray:
    """Per found alias, whether it belongs to the words around it rather than being a name:
    a Chinese alias whose first character ends a dictionary word begun before it and whose
    last character starts one going on after it (报道指出 holds no 道指, 提高通胀 no 高通,
    完美团队 no 美团), or a short form that opens a longer word (小米粥, 苹果汁, 三星堆).
    Rows are joined by newlines in `corpus`, so no word runs across two of them."""
    codes = np.frombuffer(corpus.encode("utf-32-le"), dtype=np.uint32)
    starts, ends = found[:, 0], found[:, 1]
    chinese = np.flatnonzero(aliases.is_hanzi[found[:, 2]] & (starts > 0) & (ends < len(codes)))
    first, end = starts[chinese], ends[chinese]
    inside = np.zeros(len(found), dtype=bool)
    inside[chinese] = _are_words(codes[first - 1], codes[first]) & _are_words(
        codes[end - 1], codes[end]
    )
    for index in chinese[aliases.is_short_form[found[chinese, 2]]].tolist():
        inside[index] |= rjieba.has_word(corpus[starts[index] : ends[index] + 1])
    return inside


def _are_words(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Whether each two-character string chr(left) + chr(right) is in rjieba's dictionary,
    looked up once per distinct pair."""
    pairs, inverse = np.unique(left.astype(np.uint64) << 32 | right, return_inverse=True)
    is_word = [rjieba.has_word(chr(pair >> 32) + chr(pair & 0xFFFFFFFF)) for pair in pairs.tolist()]
    return np.array(is_word, dtype=bool)[inverse]


def _is_market_subject(sentence: str, alias_end: int, entity_type: str) -> bool:
    """Whether a company or index alias ending at `alias_end` stands before a market word."""
    from flows.gazetteer import load_claim_rules  # the vocab loader is an I/O edge

    rules = load_claim_rules()
    if entity_type not in rules.short_form_types:
        return False
    return rules.short_form_subject.match(sentence, alias_end) is not None


def _word_spans(text: str) -> frozenset[tuple[int, int]]:
    """(start, end) of every rjieba word of `text`."""
    return frozenset((start, end) for _, start, end in rjieba.tokenize(text))


def _mention_ids(segment_ids: np.ndarray) -> list[str]:
    """f"{segment_id}/m{k:02d}", k counting mentions within each segment from 0."""
    opens = np.concatenate(([True], segment_ids[1:] != segment_ids[:-1]))
    first = np.flatnonzero(opens)[np.cumsum(opens) - 1]
    ranks = np.arange(len(segment_ids)) - first
    return [f"{sid}/m{k:02d}" for sid, k in zip(segment_ids.tolist(), ranks.tolist(), strict=True)]


def _keyword_pattern(keywords: list[str]) -> str:
    """An RE2 alternation: Latin keywords in any case between ASCII word boundaries."""
    parts = []
    for keyword in sorted(keywords, key=lambda k: (-len(k), k)):
        body = re.escape(keyword)
        if _ASCII_ALNUM.fullmatch(keyword[0]):
            body = rf"\b{body}"
        if _ASCII_ALNUM.fullmatch(keyword[-1]):
            body = rf"{body}\b"
        parts.append(f"(?i:{body})" if keyword.isascii() else body)
    return "|".join(parts)


def _empty_mentions() -> pd.DataFrame:
    return pa.Table.from_pylist([], schema=MENTIONS).to_pandas()
