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

_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_SPACE_IN_ALIAS = "[ \t\u00a0\u3000]*"  # "S&P 500", "S&P500", "Deep Seek"
_NAME_DOTS = "[·•・.]?"  # "埃隆·马斯克", "埃隆・马斯克", "埃隆马斯克"


def extract_mentions(segments: pd.DataFrame, gazetteer: pd.DataFrame) -> pd.DataFrame:
    """Entity mentions with document offsets, one row per mention (schemas.MENTIONS).

    Matching is one combined regex over all segments: the longest alias wins at a position,
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
    found = [(m.start(), m.end(), int(m.lastgroup[1:])) for m in matcher.finditer(corpus)]
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
    """A copy of `segments` whose `topics` is the sorted list of topic slugs whose rules fire.

    Keyword rules match the segment text (Latin keywords in any case, on word boundaries),
    pattern rules are RE2 regular expressions (both run in Arrow); entity rules need
    `mentions` (from extract_mentions) and are skipped without it.
    """
    topics = sorted(set(topic_rules["topic"]))
    texts = pa.array(segments["text"].tolist(), pa.string())
    segment_ids = segments["segment_id"]
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
        if mentions is not None:
            fired[:, column] |= segment_ids.isin(_segments_by_entities(rules, mentions))
    labelled = segments.copy()
    labelled["topics"] = pd.Series(
        [
            [topic for topic, on in zip(topics, flags, strict=True) if on]
            for flags in fired.tolist()
        ],
        index=segments.index,
        dtype=object,
    )
    return labelled


def _alias_records(gazetteer: pd.DataFrame) -> tuple[tuple, ...]:
    columns = ["alias", "entity_id", "entity_type", "is_short_form", "is_case_sensitive"]
    columns += ["context_entity_id"]
    ordered = gazetteer[columns].sort_values(["alias", "entity_id"], kind="stable")
    return tuple(ordered.itertuples(index=False, name=None))


@lru_cache(maxsize=8)
def _compile(records: tuple[tuple, ...]) -> tuple[re.Pattern, list[dict]]:
    """One alternation, longest alias first, each alternative a named group `a<index>`."""
    aliases = []
    for alias, entity_id, entity_type, is_short, is_case_sensitive, context in records:
        aliases.append(
            {
                "alias": alias,
                "entity_id": entity_id,
                "entity_type": entity_type,
                "is_short_form": bool(is_short),
                "context_entity_id": context or entity_id,
                "is_single_hanzi": len(alias) == 1 and not alias.isascii(),
                "pattern": _alias_pattern(alias, bool(is_case_sensitive)),
            }
        )
    order = sorted(range(len(aliases)), key=lambda i: (-len(aliases[i]["alias"]), i))
    alternatives = [f"(?P<a{i}>{aliases[i]['pattern']})" for i in order]
    return re.compile("|".join(alternatives)), aliases


def _alias_pattern(alias: str, is_case_sensitive: bool) -> str:
    body = "".join(
        _SPACE_IN_ALIAS if char == " " else _NAME_DOTS if char == "·" else re.escape(char)
        for char in alias
    )
    if _ASCII_ALNUM.fullmatch(alias[0]):
        body = f"(?<![A-Za-z0-9]){body}"
    if _ASCII_ALNUM.fullmatch(alias[-1]):
        body = f"{body}(?![A-Za-z0-9])"
    has_latin = any(char.isascii() and char.isalpha() for char in alias)
    return body if is_case_sensitive or not has_latin else f"(?i:{body})"


def _keep_allowed(found, row, doc_ids, texts, corpus_starts, aliases) -> np.ndarray:
    """Drop short forms before their full entity, and one-hanzi aliases inside a word."""
    kept = np.ones(len(found), dtype=bool)
    seen: set[str] = set()
    current_doc = None
    for index, (start, end, alias_index) in enumerate(found):
        alias = aliases[alias_index]
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


def _segments_by_entities(rules: pd.DataFrame, mentions: pd.DataFrame) -> set[str]:
    hits: set[str] = set()
    for kind, value in zip(rules["kind"], rules["value"], strict=True):
        if kind == "entity_id":
            hits |= set(mentions.loc[mentions["entity_id"] == value, "segment_id"])
        elif kind == "entity_type":
            hits |= set(mentions.loc[mentions["entity_type"] == value, "segment_id"])
        elif kind == "entities_all":
            groups = [
                set(mentions.loc[mentions["entity_id"] == entity, "segment_id"])
                for entity in value.split("|")
            ]
            hits |= set.intersection(*groups)
    return hits


def _empty_mentions() -> pd.DataFrame:
    return pa.Table.from_pylist([], schema=MENTIONS).to_pandas()
