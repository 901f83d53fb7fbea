"""Split documents into paragraphs and sentences with exact offsets, quote flags and speakers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from flows.schemas import SEGMENTS
from flows.transforms.quotes import (
    CLOSERS,
    TERMINATORS,
    Quote,
    attribute_sentences,
    closing_ascii_marks,
    find_quotes,
)
from flows.transforms.turns import find_turns

_NEWLINE = ord("\n")
_TERMINATOR, _CLOSER, _SPACE = 1, 2, 4
_WIDTH_SHIFT = 3  # bits 3-4: UTF-8 width - 1 of a BMP code point
_BMP = 0x10000
_ENDS_RUN = _TERMINATOR | _CLOSER


def _character_classes() -> np.ndarray:
    """Class bits per BMP code point; spaces are exactly what str.isspace() accepts."""
    classes = np.zeros(_BMP, dtype=np.uint8)
    classes[[ord(c) for c in TERMINATORS]] |= _TERMINATOR
    classes[[ord(c) for c in CLOSERS]] |= _CLOSER
    classes[[c for c in range(0x3001) if chr(c).isspace()]] |= _SPACE  # none lie above
    classes[0x80:0x800] |= 1 << _WIDTH_SHIFT
    classes[0x800:] |= 2 << _WIDTH_SHIFT
    return classes


_CLASSES = _character_classes()
_NO_TOPICS = pa.array([], pa.string())


def segment_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence, ids and offsets per schemas.SEGMENTS; `topics` left empty.

    Paragraphs are the lines holding non-space text; a sentence ends after a run of
    terminators (。！？!?；…) together with the closing quotes or brackets that follow it.
    Offsets skip surrounding whitespace, so `text[start:end]` is the segment's text.
    All documents are processed as one newline-joined corpus, vectorised with numpy over
    code points: no Python loop per character, per sentence or (mostly) per document.
    """
    doc_ids = documents["doc_id"].tolist()
    texts = documents["text"].tolist()
    if not texts:
        return _empty_frame()
    corpus = "\n".join(texts)
    doc_starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
    codes = np.frombuffer(corpus.encode("utf-32-le"), dtype=np.uint32)
    classes = _CLASSES[np.minimum(codes, _BMP - 1)]
    quotes = _corpus_quotes(corpus, texts, doc_starts)
    spans = _sentence_spans(codes, classes, quotes, corpus)
    if not len(spans["start"]):
        return _empty_frame()
    doc_index = np.searchsorted(doc_starts, spans["start"], side="right") - 1
    first_paragraph = _first_per_group(doc_index, spans["paragraph"])
    spans["paragraph"] = (spans["paragraph"] - first_paragraph).astype(np.int32)
    spans["is_quote"], spans["speaker"] = attribute_sentences(
        corpus, spans["start"], spans["end"], quotes
    )
    texts_column = _slices(codes, classes, corpus, spans["start"], spans["end"])
    offset = doc_starts[doc_index]
    spans["start"] = (spans["start"] - offset).astype(np.int32)
    spans["end"] = (spans["end"] - offset).astype(np.int32)
    doc_column = pa.array(doc_ids, pa.string()).take(pa.array(doc_index))
    return _frame(doc_column, texts_column, spans)


def _sentence_spans(codes: np.ndarray, classes: np.ndarray, quotes: list, corpus: str):
    """Corpus-wide start, end, paragraph (corpus-wide count) and sentence arrays.

    Only the class lookup and two scans touch every character; the rest works on the
    sparse terminator and newline positions.
    """
    newlines = np.flatnonzero(codes == _NEWLINE)
    ends = _sentence_ends(classes, closing_ascii_marks(corpus, quotes))
    cuts = np.concatenate(([0, len(codes)], ends, newlines, newlines + 1))
    starts, ends = _strip(corpus, classes, _sorted_unique(cuts))
    paragraph, sentence = _number(newlines, starts)
    return {"start": starts, "end": ends, "paragraph": paragraph, "sentence": sentence}


def _corpus_quotes(corpus: str, texts: list[str], doc_starts: np.ndarray) -> list[Quote]:
    """Quotations per document (a speaker is never carried across documents), corpus offsets."""
    quotes = []
    for text, doc_start in zip(texts, doc_starts.tolist(), strict=True):
        found = find_quotes(corpus, doc_start, doc_start + len(text)) if _may_quote(text) else []
        if "：" in text or ":" in text:
            turns = find_turns(corpus, doc_start, doc_start + len(text))
            found = sorted(found + turns, key=lambda quote: quote.start) if turns else found
        quotes += found
    return quotes


def _may_quote(text: str) -> bool:
    return "“" in text or "「" in text or "『" in text or '"' in text


def _sentence_ends(classes: np.ndarray, closing_ascii: np.ndarray) -> np.ndarray:
    """Offsets just past each terminator run and the closing marks that follow it."""
    ends = np.flatnonzero(classes & _TERMINATOR) + 1
    active = np.arange(len(ends))
    while len(active):
        probe = ends[active]
        inside = probe < len(classes)
        probe_in = np.minimum(probe, len(classes) - 1)
        continues = inside & (
            ((classes[probe_in] & _ENDS_RUN) > 0) | _is_member(probe_in, closing_ascii)
        )
        active = active[continues]
        ends[active] += 1
    return _sorted_unique(ends)


def _is_member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    found = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[found] == values


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique without its hashing detour: sort, then drop repeats."""
    ordered = np.sort(values, kind="stable")
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))[: len(ordered)]]


def _strip(corpus: str, classes: np.ndarray, bounds: np.ndarray):
    """Shrink each piece between consecutive bounds to its non-space text; drop blank ones.

    Most pieces start and end on text; only the others are stripped one by one.
    """
    starts, ends = bounds[:-1].copy(), bounds[1:].copy()
    padded = (classes[starts] & _SPACE) | (classes[ends - 1] & _SPACE)
    newline_only = (ends - starts == 1) & (classes[starts] == _SPACE)
    for index in np.flatnonzero((padded > 0) & ~newline_only).tolist():
        piece = corpus[starts[index] : ends[index]]
        left = len(piece) - len(piece.lstrip())
        starts[index] += left
        ends[index] = starts[index] + len(piece.strip())
    keep = (ends > starts) & ~newline_only
    return starts[keep].astype(np.int32), ends[keep].astype(np.int32)


def _number(newlines: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(paragraph, sentence) per sentence: non-empty lines count as paragraphs, from 0."""
    line = np.searchsorted(newlines, starts, side="left")
    opens_paragraph = np.concatenate(([True], line[1:] != line[:-1]))
    paragraph = np.cumsum(opens_paragraph) - 1
    first_of_paragraph = np.flatnonzero(opens_paragraph)
    sentence = np.arange(len(starts)) - first_of_paragraph[paragraph]
    return paragraph, sentence.astype(np.int32)


def _first_per_group(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For sorted `groups`, the value at each group's first row, broadcast to its rows."""
    opens_group = np.concatenate(([True], groups[1:] != groups[:-1]))
    first_rows = np.flatnonzero(opens_group)
    return values[first_rows][np.cumsum(opens_group) - 1]


def _slices(codes, classes, corpus: str, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """corpus[start:end] for every span, cut from the corpus's UTF-8 bytes inside Arrow."""
    width = (classes >> _WIDTH_SHIFT) + 1 + (codes >= _BMP)
    byte_offset = np.concatenate(([0], np.cumsum(width, dtype=np.int64)))
    bounds = np.empty(2 * len(starts), dtype=np.int64)
    bounds[0::2], bounds[1::2] = byte_offset[starts], byte_offset[ends]
    data = pa.py_buffer(corpus.encode("utf-8"))
    pieces = pa.LargeStringArray.from_buffers(len(bounds) - 1, pa.py_buffer(bounds), data)
    return pieces.take(pa.array(np.arange(0, len(bounds), 2))).cast(pa.string())


def _empty_frame() -> pd.DataFrame:
    empty = pa.Table.from_pylist([], schema=SEGMENTS).to_pandas()
    return empty.astype({"is_quote": bool})


def _frame(doc_column: pa.Array, texts: pa.Array, spans: dict[str, np.ndarray]) -> pd.DataFrame:
    table = pa.table(
        {
            "segment_id": _segment_ids(doc_column, spans["paragraph"], spans["sentence"]),
            "doc_id": doc_column,
            "paragraph": spans["paragraph"],
            "sentence": spans["sentence"],
            "start": spans["start"],
            "end": spans["end"],
            "text": texts,
            "is_quote": spans["is_quote"],
            "speaker": pa.array(spans["speaker"].tolist(), pa.string()),
        }
    )
    frame = table.to_pandas()
    frame["topics"] = empty_topics(len(frame))
    return frame[SEGMENTS.names]


def empty_topics(length: int) -> pd.arrays.ArrowExtensionArray:
    """`length` empty topic lists as an Arrow-backed list column (no Python list per row)."""
    offsets = pa.array(np.zeros(length + 1, dtype=np.int32))
    return pd.arrays.ArrowExtensionArray(pa.ListArray.from_arrays(offsets, _NO_TOPICS))


def _segment_ids(doc_ids: pa.Array, paragraph: np.ndarray, sentence: np.ndarray) -> pa.Array:
    """f"{doc_id}#p{paragraph:03d}s{sentence:03d}", built in Arrow rather than per row."""
    paragraph_labels = _labels("#p", int(paragraph.max()) + 1).take(pa.array(paragraph))
    sentence_labels = _labels("s", int(sentence.max()) + 1).take(pa.array(sentence))
    return pc.binary_join_element_wise(doc_ids, paragraph_labels, sentence_labels, "")


def _labels(prefix: str, count: int) -> pa.Array:
    return pa.array([f"{prefix}{number:03d}" for number in range(count)], pa.string())
