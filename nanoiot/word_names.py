"""Devices named with a plain word ("dusty" the robot vacuum, "ghost" the night light, "miller" a plug).

Such a name is also the word: "I'm so dusty after that hike", "ghost stories in the nursery tonight". Made a
placeholder, the word looks like a device to the model, which then reads a command into a statement. So a sentence
that names one and says no way or value ("on", "stop", "half", "to 30", "blue") is read a second time with the name
left as a word; where that reading finds no command, or another one ("I'm so dusty after that hike": sent home, then
read as dust to clean), the sentence was about the word and nothing is done (`CommandParser`). The model copies names
it does not know poorly, so the second reading alone would refuse "kaeser on": the way said decides first. Names with
a device word in them ("moon lamp", "conveyor a") or a digit are devices whatever the sentence.
"""

from __future__ import annotations

import re

from nanoiot.gates import PARTICLES, WAY_WORDS
from nanoiot.kinds import ALL_GENERIC, APPLIANCES
from nanoiot.normalize import normalize
from nanoiot.registry import Registry
from nanoiot.said_values import said_colors
from nanoiot.train.lexicon import DEVICE_NAMES, HELD_OUT_NAMES

# the words device names are made of in our training names, plus the kind words: a name holding one is a device name
DEVICE_NAME_WORDS = frozenset(
    word.removesuffix("s") for names in (*DEVICE_NAMES.values(), *HELD_OUT_NAMES.values()) for name in names
    for word in name.split()) | {w.removesuffix("s") for w in ALL_GENERIC | APPLIANCES}


def is_word_name(phrase: str) -> bool:
    words = phrase.split()
    return bool(words) and not any(w.removesuffix("s") in DEVICE_NAME_WORDS or any(c.isdigit() for c in w) for w in words)


def word_names(registry: Registry) -> frozenset[str]:
    """The registry's device names and aliases (normalised, as the lexicon holds them) that are plain words; an area's
    name is an area, never one of these."""
    areas = {" ".join(normalize(d.area).split()) for d in registry.devices if d.area}
    names = {" ".join(normalize(n).split()) for d in registry.devices for n in (d.name, *d.aliases)}
    return frozenset(n for n in names - areas if is_word_name(n))


# "in", "to" and the like are said of anything ("stories in the nursery", "need to focus")
WAYS = WAY_WORDS | (PARTICLES - {"in", "into", "to", "out", "over", "back"}) | frozenset(
    "home dock base clean send light brighten dim bright brightness warm cool colour color speed".split())


def says_a_way(text: str, names: set[str]) -> bool:
    """Whether `text`, the names in it aside, says what to do: a way, a value, a colour."""
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", " ", text)
    return any(w[0].isdigit() or w in WAYS for w in text.split()) or bool(said_colors(text))
