"""The inputs of claim extraction located once, as arrays: figures, sentences and their entities."""

from __future__ import annotations

from bisect import bisect_right
from functools import partial
from itertools import compress

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from flows.transforms.claim_clauses import Segment, all_clause_bounds, first_match_ends
from flows.transforms.claim_modality import may_frame
from flows.transforms.claim_rules import ClaimRules
from flows.transforms.claim_tables import (
    DOC_SHIFT,
    Entity,
    Figure,
    FigureRows,
    as_date,
    coded,
    figure_rows,
    figures_of,
    index_in,
    large_strings,
    locate,
    new_entity,
    number_spans,
    objects,
    offset_keys,
    paragraphs,
    sorted_by_key,
)
from flows.transforms.dates import (
    DateMention,
    date_in_scope,
    date_step,
    find_date_mentions,
    may_hold_dates,
    resolve_references,
)

_CLAUSE_ENDS = "，,；;。！？!?\n"


class ClaimContext:
    """Lookups for one extraction run; sentences, entities and dates are built on first use.

    Rows are found by offsets (document, start) with one vectorised search, not by string ids:
    every figure and mention lies inside its sentence, as the data contract states.
    """

    def __init__(self, documents, segments, mentions, numbers, rules: ClaimRules, calendar=None):
        self.rules, self._calendar = rules, calendar
        doc_ids = pa.array(documents["doc_id"], type=pa.large_string())
        self.doc_ids = documents["doc_id"].tolist()
        self.texts = documents["text"].tolist()
        self.published = [as_date(value) for value in documents["published"].tolist()]
        segments = sorted_by_key(segments, doc_ids)
        self._segment_texts = segments["text"]
        self._segment_doc = index_in(segments["doc_id"], doc_ids)
        self._segment_start = segments["start"].to_numpy(dtype=np.int64)
        self._segment_end = segments["end"].to_numpy(dtype=np.int64)
        self._paragraph_of, self._paragraph_end = paragraphs(segments, self._segment_doc)
        self._segment_keys = offset_keys(self._segment_doc, self._segment_start)
        # Per sentence row as Python ints, for lookups one at a time (no numpy scalars).
        self._docs, self._starts = self._segment_doc.tolist(), self._segment_start.tolist()
        self._paragraph_ends = self._paragraph_end.tolist()
        self._segment_end_keys = offset_keys(self._segment_doc, self._segment_end)
        mentions = sorted_by_key(mentions, doc_ids)
        self._mention_starts = mentions["start"].to_numpy(dtype=np.int64)
        self._mention_ends = mentions["end"].to_numpy(dtype=np.int64)
        self._mention_ids, entity_ids = coded(mentions["entity_id"])
        self._entity_ids = objects(entity_ids)
        self._mention_types, type_names = coded(mentions["entity_type"])
        self._type_sets = objects([frozenset([name]) for name in type_names])
        self._mention_keys = offset_keys(index_in(mentions["doc_id"], doc_ids), mentions["start"])
        self._numbers, self._doc_ids = numbers, doc_ids
        located = self._cued_figures(numbers, doc_ids)
        self.figures = figures_of(numbers, located)
        rows, first, counts = np.unique(located.segments, return_index=True, return_counts=True)
        self._figures_by_segment: dict[int, list[Figure]] = {
            row: self.figures[low : low + count]
            for row, low, count in zip(rows.tolist(), first.tolist(), counts.tolist(), strict=True)
        }
        self.segments = self._sentences(rows)
        texts = [segment.text for segment in self.segments.values()]
        self.may_frame = set(  # sentences that may hold a modality word (claim_modality)
            compress(self.segments, may_frame(texts, rules.modality))
        )
        self.clauses = self._clauses(located, rules)
        marker_ends = first_match_ends(list(self.segments.values()), rules.distributive)
        self.marker_ends = {  # where the first 分别 of a sentence ends, for sentences with one
            row: end for row, end in zip(self.segments, marker_ends, strict=True) if end is not None
        }
        self.entities: dict[int, list[Entity]] = {}
        self._paragraph_entities: dict[int, tuple[list[Entity], list[int]]] = {}
        self._candidates: dict[int, list[Entity]] = {}
        self._dates: dict[int, tuple[list[DateMention], list[int]]] = {}
        self._not_dates: tuple[np.ndarray, np.ndarray] | None = None

    def paragraph_span(self, paragraph: int) -> tuple[int, int]:
        return self._starts[paragraph], self._paragraph_ends[paragraph]

    def figures_in(self, row: int) -> list[Figure]:
        """The sentence's candidate figures (quantities and bare years), by start."""
        return self._figures_by_segment.get(row, [])

    def load_entities(self, rows) -> None:
        """Index the mentions of these sentences at once (one column conversion for all)."""
        rows = np.unique(np.fromiter(rows, dtype=np.int64))
        rows = rows[[row not in self.entities for row in rows.tolist()]]
        low = np.searchsorted(self._mention_keys, self._segment_keys[rows])
        high = np.searchsorted(self._mention_keys, self._segment_end_keys[rows])
        counts = high - low
        offsets = np.arange(counts.sum()) - np.repeat(counts.cumsum() - counts, counts)
        picked = np.repeat(low, counts) + offsets
        entities = self._entities_at(picked)
        cursor = 0
        for row, count in zip(rows.tolist(), counts.tolist(), strict=True):
            self.entities[row] = entities[cursor : cursor + count]
            cursor += count

    def candidates(self, row: int) -> list[Entity]:
        """The sentence's mentions and pronouns, by start."""
        found = self._candidates.get(row)
        if found is None:
            segment, rules = self.segments[row], self.rules
            found = self.entities.get(row) or []
            if rules.pronoun_chars.search(segment.text):
                pronouns = [
                    Entity(m.start() + segment.start, m.end() + segment.start, None, types)
                    for m in rules.pronouns.finditer(segment.text)
                    for types in [rules.pronoun_types[m.group(0)]]
                ]
                found = sorted(found + pronouns, key=lambda e: (e.start, e.end))
            self._candidates[row] = found
        return found

    def antecedent(self, pronoun: Entity, paragraph: int, types: frozenset[str]) -> str | None:
        """The last mention of a fitting type before `pronoun` in its paragraph."""
        entities = self._paragraph_entities.get(paragraph)
        if entities is None:
            _, end = self.paragraph_span(paragraph)
            base = self._docs[paragraph] << DOC_SHIFT
            low = np.searchsorted(self._mention_keys, self._segment_keys[paragraph])
            high = np.searchsorted(self._mention_keys, base + end)
            entities = self._entities_at(np.arange(low, high))
            entities = self._paragraph_entities[paragraph] = (entities, [e.start for e in entities])
        entities, starts = entities
        earlier = entities[: bisect_right(starts, pronoun.start)]
        for entity in reversed(earlier):
            if entity.end <= pronoun.start and entity.types & types:
                return entity.entity_id
        return None

    def prepare_dates(self, paragraphs) -> None:
        """Find, in one vectorised pass, which of these paragraphs may hold a date at all."""
        paragraphs = sorted(set(paragraphs) - self._dates.keys())
        texts = [self._paragraph_text(paragraph) for paragraph in paragraphs]
        for paragraph, maybe in zip(paragraphs, may_hold_dates(texts), strict=True):
            if not maybe:
                self._dates[paragraph] = ([], [])

    def dates(self, paragraph: int) -> list[DateMention]:
        """The paragraph's date mentions in document offsets, by start."""
        return self._dates_and_starts(paragraph)[0]

    def date_in_scope(self, segment: Segment, position: int) -> DateMention | None:
        """dates.date_in_scope for a figure at `position` of this sentence."""
        paragraph = segment.paragraph
        mentions, starts = self._dates_and_starts(paragraph)
        if not mentions:
            return None
        sentence = (segment.start, segment.end)
        return date_in_scope(mentions, position, sentence, self._starts[paragraph], starts)

    def _dates_and_starts(self, paragraph: int) -> tuple[list[DateMention], list[int]]:
        found = self._dates.get(paragraph)
        if found is None:
            doc, start = self._docs[paragraph], self._starts[paragraph]
            text = self.texts[doc][start : self._paragraph_ends[paragraph]]
            mentions = [
                mention
                for mention in find_date_mentions(text, self.published[doc], start, self._calendar)
                # "1/30" that the number recognizer read as a fraction is not January 30
                if "/" not in mention.text
                or not self._is_other_number(doc, mention.start, mention.end)
            ]
            if any(m.day is None and date_step(m.text) is not None for m in mentions):
                first = mentions[0]
                step = date_step(first.text) if first.day is None else None
                # "次日，…" opening a paragraph follows the date before it; after other words
                # ("微软财报不及预期，股价次日下跌") it follows an undated event: no date.
                # An anaphor (当天) states the date before it wherever it stands.
                opens = step == 0 or (
                    step is not None
                    and self.rules.neutral.fullmatch(self.texts[doc], start, first.start)
                    is not None
                )
                carried = self._date_before(paragraph) if opens else None
                mentions = resolve_references(
                    mentions, self._calendar, carried, partial(self._period_between, doc)
                )
            found = self._dates[paragraph] = (mentions, [m.start for m in mentions])
        return found

    def _period_between(self, doc: int, start: int, end: int) -> bool:
        """Whether a clause in text[start:end] of a document opens with a period (1月，…;
        今年以来英伟达…), which an anaphor after it does not reach past; a period inside a
        clause (创下2020年3月以来最大跌幅) governs no later clause."""
        text, rules = self.texts[doc], self.rules
        for period in rules.keywords["period_words"].finditer(text, start, end):
            opens = max(text.rfind(mark, start, period.start()) for mark in _CLAUSE_ENDS) + 1
            if rules.neutral.fullmatch(text, max(opens, start), period.start()):
                return True
        return False

    def _date_before(self, paragraph: int) -> DateMention | None:
        """The last date mention of the nearest earlier paragraph of the document with one."""
        row, doc = paragraph - 1, self._docs[paragraph]
        while row >= 0 and self._docs[row] == doc:
            earlier = int(self._paragraph_of[row])
            mentions = self.dates(earlier)
            if mentions:
                return mentions[-1]
            row = earlier - 1
        return None

    def _paragraph_text(self, paragraph: int) -> str:
        start, end = self.paragraph_span(paragraph)
        return self.texts[self._docs[paragraph]][start:end]

    def _sentences(self, rows: np.ndarray) -> dict[int, Segment]:
        columns = zip(
            rows.tolist(),
            self._segment_doc[rows].tolist(),
            self._paragraph_of[rows].tolist(),
            self._segment_start[rows].tolist(),
            self._segment_end[rows].tolist(),
            strict=True,
        )
        texts = self.texts
        return {
            row: Segment(row, doc, paragraph, start, end, texts[doc][start:end])
            for row, doc, paragraph, start, end in columns
        }

    def _clauses(self, located: FigureRows, rules: ClaimRules) -> list[tuple[int, int]]:
        """Per figure, the document offsets of its clause (claim_clauses.clause_bounds)."""
        rows = np.fromiter(self.segments, dtype=np.int64)
        starts, ends = all_clause_bounds(
            list(self.segments.values()),
            np.searchsorted(rows, located.segments),
            located.starts,
            located.ends,
            rules.clause_delimiter,
            rules.clause_delimiter_chars,
        )
        return list(zip(starts, ends, strict=True))

    def _cued_figures(self, numbers: pd.DataFrame, doc_ids: pa.Array) -> FigureRows:
        """Quantities and dates in sentences with a cue word: every reading needs one."""
        roles = numbers["role"].isin(("quantity", "date")).to_numpy(dtype=bool, na_value=False)
        picked = np.flatnonzero(roles)
        doc = index_in(numbers["doc_id"], doc_ids)[picked]
        start = numbers["start"].to_numpy(dtype=np.int64)[picked]
        end = numbers["end"].to_numpy(dtype=np.int64)[picked]
        rows = locate(self._segment_keys, offset_keys(doc, start))
        inside = (rows >= 0) & (doc >= 0)
        inside &= self._segment_doc[rows] == doc
        inside &= end <= self._segment_end[rows]
        picked, rows = picked[inside], rows[inside]
        unique = np.unique(rows)
        texts = large_strings(self._segment_texts).take(pa.array(unique, type=pa.int64()))
        cued = pc.match_substring_regex(texts, self.rules.cue_pattern).to_numpy(
            zero_copy_only=False
        )
        keep = cued[np.searchsorted(unique, rows)]
        return figure_rows(numbers, picked[keep], rows[keep])

    def _entities_at(self, rows: np.ndarray) -> list[Entity]:
        columns = zip(
            self._mention_starts[rows].tolist(),
            self._mention_ends[rows].tolist(),
            self._entity_ids[self._mention_ids[rows]].tolist(),
            self._type_sets[self._mention_types[rows]].tolist(),
            strict=True,
        )
        return list(map(new_entity, columns))

    def _is_other_number(self, doc: int, start: int, end: int) -> bool:
        if self._not_dates is None:  # built on the first "m/d", which few texts have
            self._not_dates = number_spans(self._numbers, self._doc_ids, excluded_role="date")
        starts, ends = self._not_dates
        base = doc << DOC_SHIFT
        low, high = np.searchsorted(starts, [base, base + end])
        return bool(np.any(ends[low:high] > base + start))
