"""Words commands are phrased with, and one-edit word matching.

A word that is neither one of these nor in the registry, said where a device's
name goes ("the tiffany lamp", "crank up the labeler"), is a name the registry
lacks: the resolver refuses to act on devices the sentence did not name
(nanoiot.resolver). The list is the training generator's own vocabulary
(`nanoiot.train.corpus.phrasing_words`, held-out templates excluded), kept in
step with it by a test.
"""

from __future__ import annotations

import functools
from pathlib import Path

PHRASING_PATH = Path(__file__).parent / "data" / "phrasing_words.txt"


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def one_edit(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours turns `a` into `b`."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


class NearIndex:
    """Words found again after one slip: each word under itself and its one-letter deletions."""

    def __init__(self, words: set[str] | frozenset[str]) -> None:
        self._near: dict[str, set[str]] = {}
        for word in words:
            for key in deletions(word) | {word}:
                self._near.setdefault(key, set()).add(word)

    def near(self, word: str) -> set[str]:
        """Indexed words one edit from `word`."""
        return {c for key in deletions(word) | {word} for c in self._near.get(key, ()) if one_edit(word, c)}


@functools.cache
def phrasing_words() -> frozenset[str]:
    return frozenset(PHRASING_PATH.read_text(encoding="utf-8").split())


@functools.lru_cache(maxsize=65536)
def is_phrasing(word: str) -> bool:
    """Part of how commands are said, not a name; typing slips of such words too.

    Slips are the ones keyboards make: two neighbours swapped ("poewr"), a letter
    dropped ("shads") or doubled ("fullly"). Another letter changed or added makes
    real words that are names ("closet" is neither "closed" nor "close").
    """
    words = phrasing_words()
    if word in words:
        return True
    if len(word) < 4:
        return False
    swapped = (word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1))
    undoubled = (word[:i] + word[i + 1:] for i in range(1, len(word)) if word[i] == word[i - 1])
    return any(w in words for w in swapped) or any(w in words for w in undoubled) or \
        any(word[:i] + c + word[i:] in words for i in range(len(word) + 1) for c in "abcdefghijklmnopqrstuvwxyz")
