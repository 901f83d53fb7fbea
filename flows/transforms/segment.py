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

_NEWLINE = ord("\n")
_TERMINATOR, _CLOSER, _SPACE = 1, 2, 4
_BMP = 0x10000


def _character_classes() -> np.ndarray:
    """Class bits per BMP code point; spaces are exactly what str.isspace() accepts."""
    classes = np.zeros(_BMP, dtype=np.uint8)
    classes[[ord(c) for c in TERMINATORS]] |= _TERMINATOR
    classes[[ord(c) for c in CLOSERS]] |= _CLOSER
    classes[[c for c in range(0x3001) if chr(c).isspace()]] |= _SPACE  # none lie above
    return classes


_CLASSES = _character_classes()


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
    quotes = _corpus_quotes(corpus, texts, doc_starts)
    spans = _sentence_spans(codes, quotes, corpus)
    if not len(spans["start"]):
        return _empty_frame()
    doc_index = np.searchsorted(doc_starts, spans["start"], side="right") - 1
    first_paragraph = _first_per_group(doc_index, spans["paragraph"])
    spans["paragraph"] = (spans["paragraph"] - first_paragraph).astype(np.int32)
    spans["is_quote"], spans["speaker"] = attribute_sentences(
        corpus, spans["start"], spans["end"], quotes
    )
    texts_column = _slices(corpus, spans["start"], spans["end"])
    offset = doc_starts[doc_index]
    spans["start"] = (spans["start"] - offset).astype(np.int32)
    spans["end"] = (spans["end"] - offset).astype(np.int32)
    doc_column = pa.array(doc_ids, pa.string()).take(pa.array(doc_index))
    return _frame(doc_column, texts_column, spans)


def _sentence_spans(codes: np.ndarray, quotes: list, corpus: str) -> dict[str, np.ndarray]:
    """Corpus-wide start, end, paragraph (corpus-wide count) and sentence arrays."""
    classes = _CLASSES[np.minimum(codes, _BMP - 1)]
    is_terminator = (classes & _TERMINATOR).astype(bool)
    ends_sentence = (classes & (_TERMINATOR | _CLOSER)).astype(bool)
    ends_sentence[closing_ascii_marks(corpus, quotes)] = True
    newlines = np.flatnonzero(codes == _NEWLINE)
    bounds = _piece_bounds(len(codes), is_terminator, ends_sentence, newlines)
    starts, ends = _strip(np.flatnonzero((classes & _SPACE) == 0), bounds)
    paragraph, sentence = _number(newlines, starts)
    return {"start": starts, "end": ends, "paragraph": paragraph, "sentence": sentence}


def _corpus_quotes(corpus: str, texts: list[str], doc_starts: np.ndarray) -> list[Quote]:
    """Quotations per document (a speaker is never carried across documents), corpus offsets."""
    quotes = []
    for text, doc_start in zip(texts, doc_starts.tolist(), strict=True):
        if _may_quote(text):
            quotes += find_quotes(corpus, doc_start, doc_start + len(text))
    return quotes


def _may_quote(text: str) -> bool:
    return "“" in text or "「" in text or '"' in text


def _piece_bounds(
    length: int, is_terminator: np.ndarray, in_run: np.ndarray, newlines: np.ndarray
) -> np.ndarray:
    """Sorted cut offsets: after each terminator-and-closer run holding a terminator, and
    on both sides of every newline."""
    edges = np.diff(in_run.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    run_starts, run_ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    terminators = np.flatnonzero(is_terminator)
    last_terminator = np.concatenate(([-1], terminators))[
        np.searchsorted(terminators, run_ends, side="left")
    ]
    has_terminator = last_terminator >= run_starts
    is_cut = np.zeros(length + 1, dtype=bool)
    is_cut[[0, length]] = True
    is_cut[run_ends[has_terminator]] = True
    is_cut[newlines] = True
    is_cut[newlines + 1] = True
    return np.flatnonzero(is_cut)


def _strip(text_positions: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shrink each piece between consecutive bounds to its non-space text; drop blank ones."""
    lefts, rights = bounds[:-1], bounds[1:]
    first = np.searchsorted(text_positions, lefts, side="left")
    last = np.searchsorted(text_positions, rights, side="left") - 1
    keep = first <= last
    starts = text_positions[first[keep]]
    ends = text_positions[last[keep]] + 1
    return starts.astype(np.int32), ends.astype(np.int32)


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


def _slices(corpus: str, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """corpus[start:end] for every span."""
    pairs = zip(starts.tolist(), ends.tolist(), strict=True)
    return pa.array([corpus[start:end] for start, end in pairs], pa.string())


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
    frame["topics"] = pd.Series([[] for _ in range(len(frame))], dtype=object)
    return frame[SEGMENTS.names]


def _segment_ids(doc_ids: pa.Array, paragraph: np.ndarray, sentence: np.ndarray) -> pa.Array:
    """f"{doc_id}#p{paragraph:03d}s{sentence:03d}", built in Arrow rather than per row."""
    paragraph_labels = _labels("#p", int(paragraph.max()) + 1).take(pa.array(paragraph))
    sentence_labels = _labels("s", int(sentence.max()) + 1).take(pa.array(sentence))
    return pc.binary_join_element_wise(doc_ids, paragraph_labels, sentence_labels, "")


def _labels(prefix: str, count: int) -> pa.Array:
    return pa.array([f"{prefix}{number:03d}" for number in range(count)], pa.string())
