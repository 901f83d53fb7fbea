"""Compile many aliases into one prefix-trie regex: fast to scan, longest alias first."""

from __future__ import annotations

import re
from collections.abc import Sequence

WORD_CHAR = "A-Za-z0-9"
SPACE_IN_ALIAS = "[ \t\u00a0\u3000]*"  # "S&P 500", "S&P500", "Deep Seek"
NAME_DOTS = "[·•・.]?"  # "埃隆·马斯克", "埃隆・马斯克", "埃隆马斯克"
_END = ""  # trie key marking "an alias ends here"


def compile_aliases(aliases: Sequence[tuple[str, bool]]) -> tuple[re.Pattern, dict[str, int]]:
    """(pattern, group name → alias index) for (alias, is_case_sensitive) pairs.

    The pattern is a trie: the root branches on a literal first character (so the regex
    engine can skip every other position with a character-set check), each node tries its
    longer continuations before ending, and Latin aliases get word-boundary assertions.
    A match's `lastgroup` names the alias that matched.
    """
    root: dict = {}
    groups: dict[str, int] = {}
    for index, (alias, is_case_sensitive) in enumerate(aliases):
        atoms = [_atom(char, is_case_sensitive) for char in alias[1:]]
        for first in _first_literals(alias[0], is_case_sensitive):
            node = root.setdefault(re.escape(first), {})
            if _is_word_char(alias[0]):
                node = node.setdefault(f"(?<![{WORD_CHAR}].)", {})
            for atom in atoms:
                node = node.setdefault(atom, {})
            if _END not in node:
                name = f"a{len(groups)}"
                groups[name] = index
                guard = f"(?![{WORD_CHAR}])" if _is_word_char(alias[-1]) else ""
                node[_END] = f"{guard}(?P<{name}>)"
    return re.compile(_branches(root)), groups


def _branches(node: dict) -> str:
    """Longer continuations first (by depth), then the end of an alias, if one ends here."""
    keys = sorted((key for key in node if key != _END), key=lambda k: (-_depth(node[k]), k))
    alternatives = [key + _branches(node[key]) for key in keys]
    if _END in node:
        alternatives.append(node[_END])
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"


def _depth(node: dict) -> int:
    return max((1 + _depth(child) for key, child in node.items() if key != _END), default=0)


def _atom(char: str, is_case_sensitive: bool) -> str:
    if char == " ":
        return SPACE_IN_ALIAS
    if char == "·":
        return NAME_DOTS
    if not is_case_sensitive and char.isascii() and char.isalpha():
        return f"[{char.upper()}{char.lower()}]"
    return re.escape(char)


def _first_literals(char: str, is_case_sensitive: bool) -> list[str]:
    if not is_case_sensitive and char.isascii() and char.isalpha():
        return [char.upper(), char.lower()]
    return [char]


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()
