"""Find gazetteer aliases with Aho-Corasick; rows it cannot decide go to the trie regex.

The trie regex (alias_trie.py) states the matching rules; scanning with it runs at ~30 MB/s.
The automaton (ahocorasick_rs) scans literal spellings of every alias at hundreds of MB/s:
each alias is spelled with every separator its regex allows (a space as nothing or one of
" \\t\\u00a0\\u3000", a name dot as nothing or one of "·•・."), in ASCII lower case, and
matched leftmost-longest against the ASCII-lowered text. A found spelling is accepted when
its alias's word boundaries and case hold; any row holding a rejected or ambiguous spelling,
or a run of several spaces, is scanned again with the regex, so results follow its rules.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import ahocorasick_rs
import numpy as np

from flows.transforms.alias_trie import NAME_DOTS, SPACE_IN_ALIAS, compile_aliases

SPACES = " \t\u00a0\u3000"
DOTS = "·•・."
MAX_SPELLINGS = 4096  # per alias; more separators than this go through the regex
_AMBIGUOUS = -1
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_SPACE_RUN = re.compile(f"[{SPACES}]{{2,}}")
_IS_WORD = np.zeros(128, dtype=bool)
_IS_WORD[[ord(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"]] = True


@dataclass(frozen=True)
class AliasMatcher:
    """The automaton over alias spellings, what each spelling stands for, and the regex."""

    automaton: ahocorasick_rs.AhoCorasick | None
    spelling_alias: np.ndarray  # spelling index → alias index, or -1 when two aliases share it
    guards_left: np.ndarray  # per alias: starts with an ASCII letter or digit
    guards_right: np.ndarray  # per alias: ends with one
    shared: dict[int, tuple[int, ...]]  # spelling → aliases of one meaning sharing it
    exact: dict[int, re.Pattern]  # aliases whose case must be checked on the original text
    exact_aliases: np.ndarray  # the keys of `exact`
    trie: re.Pattern
    trie_groups: dict[str, int]  # regex group name → alias index


def compile_matcher(
    aliases: Sequence[tuple[str, bool]], meanings: Sequence[Hashable] | None = None
) -> AliasMatcher:
    """An AliasMatcher for (alias, is_case_sensitive) pairs, indexed like `aliases`.

    Aliases spelled alike ("DeepSeek", "Deep Seek"; "Meta", "META") may share a spelling when
    their `meanings` are equal (the caller cannot tell them apart); otherwise the rows where
    such a spelling occurs are left to the regex.
    """
    trie, groups = compile_aliases(aliases)
    meanings = list(range(len(aliases))) if meanings is None else list(meanings)
    owners: dict[str, list[int]] = {}
    for index, (alias, _) in enumerate(aliases):
        for spelling in _spellings(alias):
            candidates = owners.setdefault(spelling.translate(_ASCII_LOWER), [])
            if index not in candidates:
                candidates.append(index)
    spellings = sorted(owners)
    automaton = None
    if spellings:
        automaton = ahocorasick_rs.AhoCorasick(
            spellings,
            matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.DFA,
        )
    shared = {}
    for number, spelling in enumerate(spellings):
        candidates = owners[spelling]
        if len(candidates) > 1 and len({meanings[i] for i in candidates}) == 1:
            shared[number] = tuple(candidates)
    exact = {
        index: _exact_pattern(alias, is_case_sensitive)
        for index, (alias, is_case_sensitive) in enumerate(aliases)
        if _needs_case_check(alias, is_case_sensitive)
    }
    return AliasMatcher(
        automaton=automaton,
        spelling_alias=np.array(
            [_AMBIGUOUS if len(owners[s]) > 1 else owners[s][0] for s in spellings],
            dtype=np.int64,
        ),
        shared=shared,
        guards_left=np.array([_is_word_char(a[0]) for a, _ in aliases], dtype=bool),
        guards_right=np.array([_is_word_char(a[-1]) for a, _ in aliases], dtype=bool),
        exact=exact,
        exact_aliases=np.array(sorted(exact), dtype=np.int64),
        trie=trie,
        trie_groups=groups,
    )


def find_aliases(matcher: AliasMatcher, corpus: str, row_starts: np.ndarray) -> np.ndarray:
    """(start, end, alias index) rows of every alias found in `corpus`, in text order.

    `corpus` is rows joined by "\\n" and `row_starts` where each row begins: no alias spans
    a newline, so a row the automaton cannot decide is scanned again on its own.
    """
    if matcher.automaton is None or not corpus:
        return np.zeros((0, 3), dtype=np.int64)
    codes = np.frombuffer(corpus.encode("utf-32-le"), dtype=np.uint32)
    found = matcher.automaton.find_matches_as_indexes(_ascii_lowered(corpus, codes))
    hits = np.array(found, dtype=np.int64).reshape(-1, 3)
    starts, ends = hits[:, 1], hits[:, 2]
    alias = matcher.spelling_alias[hits[:, 0]].copy()
    for index in np.flatnonzero(alias == _AMBIGUOUS).tolist():
        candidates = matcher.shared.get(int(hits[index, 0]), ())
        alias[index] = next(
            (i for i in candidates if _spelled(matcher, i, corpus, starts[index], ends[index])),
            _AMBIGUOUS,
        )
    rejected = alias == _AMBIGUOUS
    rejected |= _word_char_at(codes, starts - 1) & matcher.guards_left[alias]
    rejected |= _word_char_at(codes, ends) & matcher.guards_right[alias]
    for index in np.flatnonzero(~rejected & np.isin(alias, matcher.exact_aliases)).tolist():
        start, end = starts[index], ends[index]
        rejected[index] = not _spelled(matcher, int(alias[index]), corpus, start, end)
    rows = np.searchsorted(row_starts, starts, side="right") - 1
    redo = set(rows[rejected].tolist())
    for run in _SPACE_RUN.finditer(corpus):
        redo.add(int(np.searchsorted(row_starts, run.start(), side="right")) - 1)
    result = np.stack([starts, ends, alias], axis=1)
    if not redo:
        return result
    keep = ~np.isin(rows, np.fromiter(redo, dtype=np.int64, count=len(redo)))
    row_ends = np.append(row_starts[1:] - 1, len(corpus))
    rescanned = [
        (m.start(), m.end(), matcher.trie_groups[m.lastgroup])
        for row in sorted(redo)
        for m in matcher.trie.finditer(corpus, int(row_starts[row]), int(row_ends[row]))
    ]
    merged = np.concatenate([result[keep], np.array(rescanned, dtype=np.int64).reshape(-1, 3)])
    return merged[np.argsort(merged[:, 0], kind="stable")]


def _spelled(matcher: AliasMatcher, alias: int, corpus: str, start: int, end: int) -> bool:
    """Whether corpus[start:end] is the alias in a case it accepts."""
    pattern = matcher.exact.get(alias)
    return pattern is None or pattern.fullmatch(corpus, int(start), int(end)) is not None


def _spellings(alias: str) -> list[str]:
    """Every literal spelling the trie regex accepts for `alias` with single separators."""
    choices = [[alias[0]]]
    for char in alias[1:]:
        if char == " ":
            choices.append(["", *SPACES])
        elif char == "·":
            choices.append(["", *DOTS])
        else:
            choices.append([char])
    count = 1
    for options in choices:
        count *= len(options)
    if count > MAX_SPELLINGS:
        raise ValueError(f"alias {alias!r} has too many separators to spell out")
    return ["".join(parts) for parts in itertools.product(*choices)]


def _needs_case_check(alias: str, is_case_sensitive: bool) -> bool:
    """ASCII lower-casing is blind to the case of a case-sensitive alias or non-ASCII letters."""
    has_cased_ascii = any(c.isascii() and c.isalpha() for c in alias)
    has_cased_other = any(not c.isascii() and c.lower() != c.upper() for c in alias)
    return (is_case_sensitive and has_cased_ascii) or has_cased_other


def _exact_pattern(alias: str, is_case_sensitive: bool) -> re.Pattern:
    parts = []
    for char in alias:
        if char == " ":
            parts.append(SPACE_IN_ALIAS)
        elif char == "·":
            parts.append(NAME_DOTS)
        elif not is_case_sensitive and char.isascii() and char.isalpha():
            parts.append(f"[{char.upper()}{char.lower()}]")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts))


def _ascii_lowered(corpus: str, codes: np.ndarray) -> str:
    """corpus with A-Z lowered and every other character kept (str.translate is 10x slower)."""
    upper = (codes >= ord("A")) & (codes <= ord("Z"))
    if not upper.any():
        return corpus
    return (codes + (upper.astype(np.uint32) << 5)).tobytes().decode("utf-32-le")


def _word_char_at(codes: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Whether the code point at each position is an ASCII letter or digit (False outside)."""
    inside = (positions >= 0) & (positions < len(codes))
    at = codes[np.clip(positions, 0, max(len(codes) - 1, 0))]
    return inside & (at < 128) & _IS_WORD[np.minimum(at, 127)]


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()
