"""Registry names and areas out of the sentence before the model, back into its frames after.

A 5 MB model cannot spell every name a household invents ("the tiffany lamp", "the
labeler"), but the gateway knows them all: its registry. So phrases the registry
knows are replaced by typed placeholders ("turn on light_1 in area_1") that the
model was trained on, and the frames it returns get the phrases back. The
placeholder's kind is the device's domain, which the registry knows better than any
model could guess from a name. A one-letter slip in a long word of a known phrase
("the coollant valve", "the snuroom") still finds the phrase: a 5 MB model mangles
words it has never seen, the registry does not. Other phrases (partial names, new
names) stay in the sentence and the model copies them, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from nanoiot.matching import A_COUNTS, is_generic
from nanoiot.normalize import normalize
from nanoiot.registry import Registry
from nanoiot.vocabulary import Frame
from nanoiot.words import NearIndex

KINDS = ("light", "switch", "climate", "lock", "cover", "fan", "vacuum", "valve", "machine", "sensor", "device", "area")
PER_KIND = 3  # placeholders of one kind in one sentence; a fourth stays a plain phrase
FUZZY_MIN = 6  # shorter words are too alike ("close" / "closet") to correct


def placeholder_symbols() -> list[str]:
    """Every placeholder, for the tokenizer's user-defined symbols (one piece each)."""
    return [f"{kind}_{i}" for kind in KINDS for i in range(1, PER_KIND + 1)]


PLURAL_PAIR = re.compile(r"\b([a-z]+)s (\d{1,2}|[a-h]) and (\d{1,2}|[a-h])\b")


@dataclass(frozen=True)
class Delexicalized:
    text: str
    slots: dict[str, str]  # placeholder -> the phrase it stands for


class Lexicon:
    """Known phrases and their kinds; longest phrase wins where they overlap."""

    def __init__(self, phrases: Iterable[tuple[str, str]], canonical: dict[str, str] | None = None,
                 is_word: Callable[[str], bool] | None = None, owners: dict[str, str] | None = None,
                 exact_only: Iterable[str] = (), owned: Iterable[str] = ()) -> None:
        self.canonical = canonical or {}  # a phrase said -> the registry's phrase it stands for, where they differ
        # a phrase -> the one device it names, so that two names of one device said together ("i smell gas, close the
        # gas valve") are one placeholder, not two devices of which the model acts on one
        self.owners = owners or {}
        self._is_word = is_word  # a word of the language is what was said, not a slip ("theater" is no "heater")
        kinds: dict[str, str] = {}
        for phrase, kind in phrases:
            phrase = " ".join(normalize(phrase).split())
            if not phrase or (kind != "area" and is_generic(phrase)):
                continue  # "lights" names every light: the model handles generic words itself
            if phrase in kinds and kinds[phrase] != kind:  # an area wins: "open the garage" still finds the door
                kind = "area" if "area" in (kind, kinds[phrase]) else "device"
            kinds[phrase] = kind
        self.kinds = kinds
        self._longest = max((len(p.split()) for p in kinds), default=0)
        # `exact_only` phrases (an area's other names) are found as said, never a slip's target ("priyas room" must
        # not make "priyas" a word that "priyas lamp" is said with instead of "priya's lamp")
        loose = {" ".join(normalize(p).split()) for p in exact_only}
        self._words = {w for p in kinds if p not in loose for w in p.split()}
        self._near = NearIndex({w for w in self._words if len(w) >= FUZZY_MIN})
        self._near_five = NearIndex({w for w in self._words if len(w) == FUZZY_MIN - 1 and w.isalpha()})
        self.owned = frozenset(owned)  # "emma's" of "emma's room": a place only before a kind of device

    def _correct(self, word: str) -> str:
        """The one known word a single slip away from `word`, else `word` itself."""
        if word in self._words or len(word) < FUZZY_MIN - 2 or is_generic(word) or (self._is_word and self._is_word(word)):
            return word
        if len(word) < FUZZY_MIN and not self._is_word:  # "offic" for "office": a word of 5 only where English is known
            return word
        near = self._near.near(word) if len(word) >= FUZZY_MIN - 1 else set()
        # of five-letter names, only "fary" (a letter left out of "fairy") and "asile" (two swapped: "aisle")
        near |= {c for c in self._near_five.near(word) if len(c) == len(word) + 1 or sorted(c) == sorted(word)}
        found = {c for c in near if c + "s" != word and word + "s" != c}
        if self._is_word and word.endswith("s") and self._is_word(word[:-1]):  # "kittens" is no "mittens", "priyas" "priya's"
            found = {c for c in found if c.replace("'", "") == word or c == f"{word[:-1]}es"}  # "torchs": torches
        return found.pop() if len(found) == 1 else word

    @classmethod
    def from_registry(cls, registry: Registry, is_word: Callable[[str], bool] | None = None) -> "Lexicon":
        """Names, aliases and areas; and the head of a long name ending in a device word.

        People drop that word: "lock the server room" means the server room door. The
        head only counts when it is two words or more ("main" of "main valve" is too
        common) and, like any phrase, an area or another kind's phrase outranks it.
        """
        phrases: list[tuple[str, str]] = []
        heads: dict[str, list[tuple[str, str]]] = {}  # head -> (full name, kind) of each name it heads
        holders: dict[str, set[str]] = {}  # phrase -> the devices it names
        for device in registry.devices:
            for name in (device.name, *device.aliases):
                words = normalize(name).split()
                phrases.append((" ".join(words), device.domain))
                holders.setdefault(" ".join(words), set()).add(device.id)
                if len(words) > 1 and words[0] == "the":  # an alias written "the screen" is said "screen on" too
                    words = words[1:]
                    phrases.append((" ".join(words), device.domain))
                    holders.setdefault(" ".join(words), set()).add(device.id)
                head = " ".join(words[:-1])
                if len(words) >= 3 and is_generic(words[-1]) and not is_generic(head):
                    heads.setdefault(head, []).append((" ".join(words), device.domain))
            if device.area:
                phrases.append((" ".join(normalize(device.area).split()), "area"))
        known = {phrase for phrase, _ in phrases}
        heads = {head: named for head, named in heads.items() if head not in known}
        canonical = {head: named[0][0] for head, named in heads.items() if len({full for full, _ in named}) == 1}
        # "the nursery", "emma's" (of "emma's room"): another phrase for one area, as the resolver reads it
        # ("blowers" of the blower house, where "blower 1" and "blower 2" stand, may say the blowers: left to the model)
        name_words = {w for phrase in known for w in phrase.split()}
        places = [(phrase, "area") for phrase in registry.place_phrases() if phrase not in known and phrase not in heads
                  and not is_generic(phrase) and phrase.removesuffix("s") not in name_words]
        owners = {phrase: next(iter(ids)) for phrase, ids in holders.items() if len(ids) == 1}
        return cls(phrases + [(head, kind) for head, named in heads.items() for _, kind in named] + places, canonical,
                   is_word, owners, [phrase for phrase, _ in places], [p for p, _ in places if p.endswith("'s")])

    def near_a_word(self, word: str) -> bool:
        """`word` is a registry word or a slip of one ("convayor")."""
        return word in self._words or self._correct(word) != word

    def _longest_at(self, words: list[str], corrected: list[str], i: int) -> str:
        """The longest known phrase starting at `i` ("" if none)."""
        for n in range(min(self._longest, len(words) - i), 0, -1):
            for phrase in (" ".join(words[i:i + n]), " ".join(corrected[i:i + n])):
                if phrase in self.kinds:
                    return phrase
        return ""

    def with_marks(self, text: str) -> str:
        """"jays big light", "priyas lamp": a registry word's possessive typed without its mark gets it back."""
        return " ".join(f"{w[:-1]}'s" if w.endswith("s") and w not in self._words and f"{w[:-1]}'s" in self._words else w
                        for w in text.split())

    def spell_out_shared(self, text: str) -> str:
        """"mixer 1 and 2" -> "mixer 1 and mixer 2", "the front and back doors" -> "the front door and back door":
        names that share their head or their device word, said once, are spelled out where both are
        known device names, so that each part names its device (the model read only the first)."""
        # "mixers 1 and 2", "pumps 1 and 3": the kind said once, in the plural
        text = PLURAL_PAIR.sub(lambda m: f"{m[1]} {m[2]} and {m[1]} {m[3]}"
                               if self._device([m[1], m[2]]) and self._device([m[1], m[3]]) else m[0], text)
        words = text.split()
        for i in range(len(words) - 2, 0, -1):
            if words[i] != "and":
                continue
            after = words[i + 1]
            for k in (2, 1):  # "mixer 1 and 2", "main water valve 1 and 2"
                head = words[max(0, i - k):i - 1]
                if len(head) == k - 1 and head and self._device(words[i - k:i]) and self._device(head + [after]) \
                        and not self._device([after]):
                    words[i + 1:i + 2] = head + [after]
                    break
            else:  # "front and back doors": the device word said once, at the end
                tail = words[i + 2] if i + 2 < len(words) else ""
                single = tail[:-1] if tail.endswith("s") else tail
                if single and self._device([words[i - 1], single]) and self._device([after, single]):
                    words[i - 1:i + 3] = [words[i - 1], single, "and", after, single]
        return " ".join(words)

    def _device(self, words: list[str]) -> bool:
        kind = self.kinds.get(" ".join(words))
        return kind is not None and kind != "area"

    def delexicalize(self, text: str, keep: frozenset[str] = frozenset()) -> Delexicalized:
        """`text` is already normalised; each distinct phrase gets one placeholder, but those in `keep` stay words.

        Whole words, longest phrase first, by dictionary lookups: a regex alternation
        of a 1,000-device registry took 2 ms a sentence, this takes microseconds.
        """
        words = text.split()
        corrected = [self._correct(w) for w in words]
        out: list[str] = []
        given: dict[str, str] = {}  # phrase as the registry has it -> placeholder
        counts: dict[str, int] = {}
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                phrase = " ".join(words[i:i + n])
                kind = self.kinds.get(phrase)
                if kind is None:
                    phrase = " ".join(corrected[i:i + n])
                    kind = self.kinds.get(phrase)
                if kind is None or phrase in keep or phrase in self.owned and not (
                        i + n < len(words) and (is_generic(words[i + n]) or is_generic(words[i + n] + "s"))):
                    continue  # "emma's light", "mei's blind", not "jay's sunbathing"
                if phrase.endswith(" a") and i + n < len(words) and words[i + n] in A_COUNTS:
                    continue  # "floods a touch brighter": an amount, not "floods a"
                longer = self._longest_at(words, corrected, i + 1) if words[i] == "the" and n > 1 else ""
                if len(longer.split()) > n - 1 and self.kinds.get(longer) != kind:
                    out.append(words[i])  # "the box room": the room, not the tv called "the box"
                    i += 1
                    break
                same = next((p for p in given if p != phrase and self.owners.get(p, p) == self.owners.get(phrase)), None)
                if same:  # another name of a device already given a placeholder
                    out.append(given[same])
                    i += n
                    break
                if phrase not in given and counts.get(kind, 0) < PER_KIND:
                    counts[kind] = counts.get(kind, 0) + 1
                    given[phrase] = f"{kind}_{counts[kind]}"
                out.append(given.get(phrase, " ".join(words[i:i + n])))
                i += n
                break
            else:
                out.append(words[i])
                i += 1
        return Delexicalized(" ".join(out), {placeholder: self.canonical.get(phrase, phrase) for phrase, placeholder in given.items()})


def relexicalize(frames: list[Frame], slots: dict[str, str]) -> list[Frame]:
    """Placeholders in the model's frames back to the phrases they stand for."""
    if not slots:
        return frames
    return [replace(f, name=slots.get(f.name, f.name) if f.name else f.name,
                    area=slots.get(f.area, f.area) if f.area else f.area) for f in frames]
