"""Rules that mend or refuse the model's frames before they are resolved, on what the sentence says.

A question only reads; a question reads every device it names; "it" is the device before it;
every device a command names is acted on, or none is. Each is a function of the frames, the
sentence and its placeholders, so the parser applies them in order and tests call them alone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nanoiot.resolver import GENERIC_WORDS
from nanoiot.vocabulary import Frame

QUERY = "query.get_state"
PRONOUN = re.compile(r"\b(?:it|them|its|their|that one)\b")
VERB_OBJECT = {"the", "my", "our", "a", "an", "on", "off", "up", "down", "it", "them", "all", "every", "this", "that"}
PLACEHOLDER = re.compile(r"[a-z]+_\d")
QUESTION_WORDS = {"is", "are", "was", "were", "did", "does", "do", "has", "have", "what", "what's", "whats", "how", "how's", "which"}


def as_questions(frames: list[Frame], text: str) -> list[Frame]:
    """"is the back door locked" asks; it must never lock. A question only reads state."""
    words = text.split()
    if not words or words[0] not in QUESTION_WORDS or words[:2] == ["do", "not"] or all(f.service == QUERY for f in frames):
        return frames
    return [
        f if f.service == "query.get_state" else Frame("query.get_state", f.name, f.area, f.service_domain)
        for f in frames
    ]


def all_asked(frames: list[Frame], text: str, slots: dict[str, str]) -> list[Frame]:
    """"are the front door and the back door locked": a question reads every device it names.

    Reading state changes nothing, so a device phrase the question says (a placeholder the
    registry knows) that no frame asks about is asked about too.
    """
    if not frames or text.split()[0] not in QUESTION_WORDS or any(f.service != QUERY for f in frames):
        return frames
    named = [phrase for placeholder, phrase in slots.items() if not placeholder.startswith("area_")]
    if not named:
        return frames
    asked = {f.name for f in frames}
    # a query that names nothing, beside devices the question names, is the model losing a name: they replace it
    return [f for f in frames if f.name or f.area] + [Frame(QUERY, name=phrase) for phrase in named if phrase not in asked]


def carry_references(frames: list[Frame], text: str) -> list[Frame]:
    """"turn on the desk lamp and set it to 40 percent": "it" is the desk lamp.

    A later frame that names no device and no place, in a sentence that says "it" or
    "them", means what the frame before it named.
    """
    if len(frames) < 2 or not PRONOUN.search(text):
        return frames
    out = [frames[0]]
    for frame in frames[1:]:
        before = out[-1]
        if not frame.name and not frame.area and (before.name or before.area):
            frame = replace(frame, name=before.name, area=before.area)
        out.append(frame)
    return out


def name_every_device(frames: list[Frame], slots: dict[str, str], source: str) -> tuple[list[Frame], str | None]:
    """"turn on the kitchen light and the hall light": every device the sentence names is acted on, or none is.

    The model may drop a name it was shown (a placeholder no frame uses). A name joined by
    "and" to one the model used is done the same way; a frame that names nothing, of that
    device's kind, takes it ("turn off the kettle and start the coffee maker"), or goes when
    it only repeats what the named frames do. Any other name left over means the sentence was
    half understood: the second value says what was not understood, and nothing is done.
    """
    if all(f.service == QUERY for f in frames):
        return frames, None  # reading state acts on nothing; all_asked reads every device a question names
    used = {f.name for f in frames if f.name}
    left = [p for p in slots if not p.startswith("area_") and p not in used and slots[p] not in used]
    if not used and not left:
        return frames, None
    frames = list(frames)
    progress = True
    while progress:
        progress = False
        for placeholder in left:
            joined = re.search(rf"\b(\w+) (?:and )?(?:the |my |our )?{placeholder}\b|\b{placeholder} (?:and )?(?:the |my |our )?(\w+)\b",
                               source)  # "the kettle, the coffee maker and the tree": commas are gone by now
            partner = joined and (joined.group(1) or joined.group(2))
            if partner and partner in used:
                frames = [g for f in frames for g in ((f, replace(f, name=placeholder)) if f.name == partner else (f,))]
                used.add(placeholder)
                left.remove(placeholder)
                progress = True
                break
    for placeholder in list(left):
        kind = placeholder.rsplit("_", 1)[0]
        open_frames = [i for i, f in enumerate(frames) if not f.name and not f.area and kind in ("device", f.service_domain)]
        if len(open_frames) == 1 and sum(p.rsplit("_", 1)[0] == kind for p in left) == 1:
            frames[open_frames[0]] = replace(frames[open_frames[0]], name=placeholder)
            left.remove(placeholder)
    if left:
        return frames, f"what should happen to {slots[left[0]]!r}?"
    # what is left naming nothing is a kind said as such ("... and all the lights"), a repeat of a named frame, or noise
    done = {(f.service, tuple(sorted(f.data.items()))) for f in frames if f.name}
    kept: list[Frame] = []
    for frame in frames:
        if frame.name or frame.area or _says_kind(frame.service_domain, source) or PRONOUN.search(source):
            kept.append(frame)
        elif (frame.service, tuple(sorted(frame.data.items()))) not in done:
            return frames, "it also asks for something without saying of what"  # a second, unnamed switch-on
    return kept, None


def _says_kind(kind: str, source: str) -> bool:
    """The sentence says a kind of device by its kind word ("all the lights"), not only through names.

    A kind word followed by its object is a verb: "lock the lock_1", "switch off the switch_1".
    """
    words = source.split() + [""]
    kind_words = GENERIC_WORDS.get(kind, set())
    return any(w in kind_words and words[i + 1] not in VERB_OBJECT and not PLACEHOLDER.fullmatch(words[i + 1])
               for i, w in enumerate(words[:-1]))
