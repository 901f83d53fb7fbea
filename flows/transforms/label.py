"""Label segments: gazetteer entity mentions (longest alias, word-safe) and keyword topics."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import rjieba

from flows.schemas import MENTIONS
from flows.transforms.alias_trie import compile_aliases

_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


def extract_mentions(segments: pd.DataFrame, gazetteer: pd.DataFrame) -> pd.DataFrame:
    """Entity mentions with document offsets, one row per mention (schemas.MENTIONS).

    Matching is one trie-shaped regex over all segments: the longest alias wins at a position,
    Latin aliases respect word boundaries and match in any case unless is_case_sensitive.
    A short form (is_short_form) counts only after a full alias of its context entity
    (context_entity_id, default itself) appeared earlier in the same document, and a
    one-character Chinese alias only when it stands as its own word (rjieba).
    """
    ordered = segments.sort_values(["doc_id", "start"], kind="stable")
    texts = ordered["text"].tolist()
    if not texts:
        return _empty_mentions()
    matcher, aliases = _compile(_alias_records(gazetteer))
    corpus = "\n".join(texts)
    corpus_starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
    found = [(m.start(), m.end(), m.lastgroup) for m in matcher.finditer(corpus)]
    if not found:
        return _empty_mentions()
    positions = np.array([(start, end) for start, end, _ in found], dtype=np.int64)
    row = np.searchsorted(corpus_starts, positions[:, 0], side="right") - 1
    doc_ids = ordered["doc_id"].to_numpy()[row]
    kept = _keep_allowed(found, row, doc_ids, texts, corpus_starts, aliases)
    row, positions = row[kept], positions[kept]
    alias_rows = [aliases[found[index][2]] for index in np.flatnonzero(kept)]
    segment_starts = ordered["start"].to_numpy()[row]
    offset_in_segment = positions - corpus_starts[row][:, None]
    segment_ids = ordered["segment_id"].to_numpy()[row]
    frame = pd.DataFrame(
        {
            "mention_id": _mention_ids(segment_ids),
            "doc_id": doc_ids[kept],
            "segment_id": segment_ids,
            "start": (segment_starts + offset_in_segment[:, 0]).astype("int32"),
            "end": (segment_starts + offset_in_segment[:, 1]).astype("int32"),
            "text": [corpus[start:end] for start, end in positions.tolist()],
            "entity_id": [alias["entity_id"] for alias in alias_rows],
            "entity_type": [alias["entity_type"] for alias in alias_rows],
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


@lru_cache(maxsize=8)
def _compile(records: tuple[tuple, ...]) -> tuple[re.Pattern, dict[str, dict]]:
    """The alias trie regex and, per regex group name, the alias record it stands for."""
    pattern, groups = compile_aliases([(record[0], bool(record[4])) for record in records])
    aliases = {}
    for name, index in groups.items():
        alias, entity_id, entity_type, is_short, _, context = records[index]
        aliases[name] = {
            "alias": alias,
            "entity_id": entity_id,
            "entity_type": entity_type,
            "is_short_form": bool(is_short),
            "context_entity_id": context or entity_id,
            "is_single_hanzi": len(alias) == 1 and not alias.isascii(),
        }
    return pattern, aliases


def _keep_allowed(found, row, doc_ids, texts, corpus_starts, aliases) -> np.ndarray:
    """Drop short forms before their full entity, and one-hanzi aliases inside a word."""
    kept = np.ones(len(found), dtype=bool)
    seen: set[str] = set()
    current_doc = None
    for index, (start, end, group) in enumerate(found):
        alias = aliases[group]
        if doc_ids[index] != current_doc:
            current_doc, seen = doc_ids[index], set()
        if alias["is_short_form"] and alias["context_entity_id"] not in seen:
            kept[index] = False
        elif alias["is_single_hanzi"]:
            offset = int(corpus_starts[row[index]])
            kept[index] = _is_word(texts[row[index]], start - offset, end - offset)
        if kept[index] and not alias["is_short_form"]:
            seen.add(alias["entity_id"])
    return kept


def _is_word(text: str, start: int, end: int) -> bool:
    return any(s == start and e == end for _, s, e in _tokens(text))


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    return tuple(rjieba.tokenize(text))


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
