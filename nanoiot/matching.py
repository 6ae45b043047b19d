"""Typo-tolerant phrase matching: how close what was said is to a registry name.

Generic kind words count a quarter, designators ("pump 1", "conveyor a") must match exactly, and a
phrase the model wrote that was not said is snapped back to the span of the sentence it stands for.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter

from nanoiot.kinds import ALL_GENERIC
from nanoiot.normalize import normalize
from nanoiot.words import is_phrasing

FILLER = {"the", "my", "our", "all", "a", "an", "that", "this", "those", "these", "of", "in", "on", "please"}
DETERMINERS = {"the", "my", "our", "your", "that", "this", "those", "these", "all"}
PLAIN_BEFORE = {"other", "same", "whole", "current", "two", "both"}  # "the other lights" narrows nothing the registry knows
NOT_A_NAME = FILLER | PLAIN_BEFORE | ALL_GENERIC
MATCH_THRESHOLD = 0.6  # similarity a registry name needs to be what a phrase means


@functools.lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """Words that name things; "a" after a word is a designator ("conveyor a"), not an article."""
    words = normalize(text).split()
    return tuple(w for i, w in enumerate(words)
                 if w not in FILLER or (w == "a" and i > 0 and words[i - 1] not in FILLER
                                        and (not is_phrasing(words[i - 1]) or _lettered(words, i))))


# what "a" counts after a word ("the lights a bit", "the fan a notch"): an article there, not a letter
A_COUNTS = frozenset("bit little lot touch tad notch smidge smidgen few couple while moment second minute sec min hour "
                     "half quarter third hundred thousand dozen good wee fair great small big tiny lil".split())


def _lettered(words: list[str], i: int) -> bool:
    """"room a irrigation valve", "room a fans": "a" after a word that also phrases commands, before another word
    that counts nothing, is a letter ("room b" keeps its "b" the same way)."""
    return i + 1 < len(words) and words[i + 1] not in A_COUNTS and words[i + 1] not in FILLER and not words[i + 1].isdigit()


def lettered_first(name: str) -> bool:
    """A registry name that starts with the letter a ("A fans", "A pump"), not with the article."""
    words = normalize(name).split()
    return len(words) > 1 and words[0] == "a"


@functools.lru_cache(maxsize=8192)
def name_tokens(name: str) -> tuple[str, ...]:
    """A registry name's `tokens`, a leading letter kept, last: "A irrigation" is ("irrigation", "a"), not the
    "irrigation" of every room."""
    return (*tokens(normalize(name).split(" ", 1)[1]), "a") if lettered_first(name) else tokens(name)


def _weight(token: str) -> float:
    return 0.25 if token in ALL_GENERIC else 1.0


OPPOSITE_PREFIXES = ("de", "un", "dis", "non", "anti")


WORD_ENDINGS = frozenset({"way", "room", "'s", "s'", "es", "ie", "ies", "y", "ey", "ette", "er", "ers", "ing", "ed", "d"})


@functools.lru_cache(maxsize=65536)
def same_word(a: str, b: str) -> bool:
    """The same word said with a slip: plurals aside, "hall" / "hallway", 0.8 alike for words of 4+ letters."""
    if a == b or a.rstrip("s") == b.rstrip("s"):
        return True
    if a.isdigit() or b.isdigit() or min(len(a), len(b)) < 4:
        return False
    if any(a == p + b or b == p + a for p in OPPOSITE_PREFIXES):
        return False  # "humidifier" / "dehumidifier", "lock" / "unlock": the opposite, not a slip
    if (a.startswith(b) or b.startswith(a)) and abs(len(a) - len(b)) <= 3:
        # "hall" / "hallway", "bath" / "bathroom"; not "wind" / "window", another word
        rest = max(a, b, key=len)[min(len(a), len(b)):]
        return len(rest) == 1 or rest in WORD_ENDINGS  # "coffe" / "coffee" too
    if 2 * min(len(a), len(b)) < 0.8 * (len(a) + len(b)):
        return False  # no alignment of words this unequal in length reaches 0.8
    matcher = difflib.SequenceMatcher(None, a, b)  # quick_ratio, an upper bound, turns most pairs away cheaply
    return matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8


@functools.lru_cache(maxsize=65536)
def similarity(phrase: str, candidate: str) -> float:
    """Weighted token F1 with typo-tolerant token equality; generic words count a quarter."""
    p, c = tokens(phrase), name_tokens(candidate)
    if not p or not c:
        return 0.0
    if p == c:
        return 1.0
    overlap = sum(_weight(t) for t in p if any(same_word(t, u) for u in c))
    if not any(t not in ALL_GENERIC and not is_designator(t) and any(same_word(t, u) for u in c) for t in p):
        return 0.0  # only generic words or designators in common ("porch light" vs "hall lights", "fan 1" vs "pump 1")
    precision = overlap / sum(map(_weight, p))
    recall = sum(_weight(u) for u in c if any(same_word(u, t) for t in p)) / sum(map(_weight, c))
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def is_designator(token: str) -> bool:
    """A number or a single letter: it tells devices of one name apart ("pump 1"), it names none by itself."""
    return token.isdigit() or len(token) == 1


def snap_to_span(phrase: str, text: str) -> str | None:
    """The span of `text` closest to `phrase`, when the model wrote a name that was not said.

    A small model sometimes writes a name it knows ("table lamp") for one it has
    not seen ("tiffany lamp"); grounding must use what the person said.
    """
    words = normalize(text).split()
    target = normalize(phrase)
    if not words or f" {target} " in f" {' '.join(words)} ":
        return None
    best, best_score, floor = None, 0.0, 0.5
    size = len(target.split())
    letters = Counter(target)
    for n in range(max(1, size - 1), size + 2):
        for i in range(len(words) - n + 1):
            span = words[i : i + n]
            if span[0] in FILLER or span[-1] in FILLER:
                continue
            candidate = " ".join(span)
            # upper bounds first (difflib's real_quick_ratio and quick_ratio, without building a matcher for each
            # span): a span that cannot beat the best (or reach 0.5) costs no full match
            both = len(target) + len(candidate)
            if 2 * min(len(target), len(candidate)) / both < floor or 2 * sum((letters & Counter(candidate)).values()) / both < floor:
                continue
            score = difflib.SequenceMatcher(None, target, candidate).ratio()
            if score > best_score:
                best, best_score = candidate, score
                floor = max(floor, score + 1e-12)
    return best if best_score >= 0.5 else None


def snap_number(raw: object, text: str) -> object:
    """A number the model cut short ("40" for "140") becomes the number that was said.

    The corpus has few three-digit values, so a small model may drop a digit; an
    out-of-range request must be rejected, never carried out with a wrong value.
    """
    value = str(raw)
    said = re.findall(r"\d+(?:\.\d+)?", text)
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", value) or value.lstrip("-") in said:
        return raw
    longer = [n for n in said if value.lstrip("-") in n]
    return (("-" if value.startswith("-") else "") + max(longer, key=len)) if longer else raw


def is_generic(phrase: str) -> bool:
    return all(t in ALL_GENERIC for t in tokens(phrase))


@functools.lru_cache(maxsize=8192)
def name_key(text: str) -> tuple[str, ...]:
    """What `similarity` scores 1.0 without guessing: the same words, plurals aside."""
    return tuple(t.rstrip("s") for t in tokens(text))
