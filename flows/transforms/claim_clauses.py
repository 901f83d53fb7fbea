"""Sentences with figures and the clause around each figure, found for all figures at once."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import numpy as np

_JOIN = "\n"  # between sentences when they are scanned as one text: no delimiter, no digit


class Segment:
    """A sentence with a figure: its document row, paragraph key, offsets and text."""

    __slots__ = ("row", "doc", "paragraph", "start", "end", "text", "_cuts")

    def __init__(self, row: int, doc: int, paragraph: int, start: int, end: int, text: str):
        self.row, self.doc, self.paragraph = row, doc, paragraph
        self.start, self.end, self.text = start, end, text
        self._cuts: dict = {}

    def words(self, pattern: re.Pattern[str]) -> list[tuple[int, int, str | None]]:
        """(start, end, name of the group that matched) of the pattern's matches in the
        sentence, found once per pattern (kept by id: hashing a large pattern hashes all
        its compiled code, on every lookup)."""
        found = self._cuts.get(id(pattern))
        if found is None:
            found = [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(self.text)]
            self._cuts[id(pattern)] = found
        return found

    def cuts(self, delimiter: re.Pattern[str]) -> tuple[list[int], list[int]]:
        """(starts, ends) of the delimiter's matches in the sentence, found once per pattern."""
        found = self._cuts.get(delimiter)
        if found is None:
            matches = list(delimiter.finditer(self.text))
            found = ([m.start() for m in matches], [m.end() for m in matches])
            self._cuts[delimiter] = found
        return found


def clause_bounds(segment: Segment, number, delimiter) -> tuple[int, int]:
    """Document offsets of the clause around a figure (delimiters inside it do not count)."""
    starts, ends = segment.cuts(delimiter)
    local_start, local_end = number.start - segment.start, number.end - segment.start
    before = bisect_right(ends, local_start)
    after = bisect_left(starts, local_end)
    start = ends[before - 1] if before else 0
    end = starts[after] if after < len(starts) else len(segment.text)
    return start + segment.start, end + segment.start


def all_clause_bounds(
    segments: list[Segment],
    figure_segments: np.ndarray,
    figure_starts: np.ndarray,
    figure_ends: np.ndarray,
    delimiter: re.Pattern[str],
    delimiter_chars: str,
) -> tuple[list[int], list[int]]:
    """clause_bounds for every figure in one vectorised pass: (clause starts, clause ends).

    `delimiter` matches one character of `delimiter_chars` with a look-ahead condition; the
    sentences are scanned as one text for those characters (numpy over code points) and only
    a candidate followed by a decimal digit is checked with the pattern itself, so the result
    equals clause_bounds. `figure_segments` indexes `segments`.
    """
    texts = [segment.text for segment in segments]
    lengths, bases = _lengths_and_bases(texts)
    joined = _JOIN.join(texts) + _JOIN
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    cuts = _delimiters(joined, points, delimiter, delimiter_chars)
    offsets = np.fromiter((segment.start for segment in segments), dtype=np.int64)
    shift = bases[figure_segments] - offsets[figure_segments]
    local_starts, local_ends = figure_starts + shift, figure_ends + shift
    before = np.searchsorted(cuts + 1, local_starts, side="right")
    starts = np.maximum(np.append(-1, cuts)[before] + 1, bases[figure_segments])
    after = np.searchsorted(cuts, local_ends, side="left")
    ends = np.append(cuts, np.iinfo(np.int64).max)[after]
    ends = np.minimum(ends, (bases + lengths)[figure_segments])
    return (starts - shift).tolist(), (ends - shift).tolist()


def first_match_ends(segments: list[Segment], pattern: re.Pattern[str]) -> list[int | None]:
    """Per sentence, where the pattern's first match in it ends, or None without a match.

    One scan over the joined sentences: `pattern` (a word alternation) cannot match _JOIN.
    """
    texts = [segment.text for segment in segments]
    found: list[int | None] = [None] * len(texts)
    joined = _JOIN.join(texts)
    matches = [(match.start(), match.end()) for match in pattern.finditer(joined)]
    if not matches:
        return found
    _, bases = _lengths_and_bases(texts)
    starts = np.asarray([start for start, _ in matches], dtype=np.int64)
    owners = (np.searchsorted(bases, starts, side="right") - 1).tolist()
    for owner, (_, end) in zip(owners, matches, strict=True):
        if found[owner] is None:
            found[owner] = end - int(bases[owner])
    return found


def last_match(pattern, text: str, start: int, end: int):
    """The last match of `pattern` in text[start:end], or None."""
    match = None
    for match in pattern.finditer(text, start, end):  # noqa: B007 - keep the last match
        pass
    return match


def _lengths_and_bases(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each text's length and where it starts in _JOIN.join(texts)."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    bases = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1] + len(_JOIN), out=bases[1:])
    return lengths, bases


def _delimiters(joined: str, points: np.ndarray, delimiter, delimiter_chars: str) -> np.ndarray:
    codes = np.fromiter(map(ord, delimiter_chars), dtype=np.uint32)
    candidates = np.flatnonzero(np.isin(points, codes))
    following = points[np.minimum(candidates + 1, len(points) - 1)]
    unique, inverse = np.unique(following, return_inverse=True)
    decimal = np.fromiter((chr(code).isdecimal() for code in unique.tolist()), dtype=bool)
    doubtful = candidates[decimal[inverse]] if len(unique) else candidates[:0]
    rejected = [p for p in doubtful.tolist() if delimiter.match(joined, p) is None]
    return np.setdiff1d(candidates, np.asarray(rejected, dtype=np.int64), assume_unique=True)
