"""Ground the model's phrases in the device registry.

The model only says what was said ("the kitchen lights", "pump 3"); this module
decides which registry devices that means, so new devices and names work
without retraining and no action can ever name a device outside the registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from collections.abc import Sequence
from functools import cached_property

import structlog

from nanoiot.kinds import (
    ALL_GENERIC,
    APPLIANCES,
    CROSS_DOMAIN,
    DOORWAYS,
    END_POSITIONS,
    GENERIC_WORDS,
    MANY_WORDS,
    NOT_A_KIND,
    OFF,
    ON,
    OPEN_CLOSE,
    PLURAL_OK,
    SAFE_FOR_MANY,
    SHARED_KIND_WORDS,
    SUBKINDS,
    WINDOW_COVERINGS,
    carry,
    cover_kind,
)
from nanoiot.matching import (
    DETERMINERS,
    FILLER,
    MATCH_THRESHOLD,
    NOT_A_NAME,
    is_designator,
    is_generic,
    lettered_first,
    name_key,
    name_tokens,
    same_word,
    similarity,
    snap_number,
    snap_to_span,
    tokens,
)
from nanoiot.normalize import normalize
from nanoiot.registry import Device, Registry
from nanoiot.schema import Action
from nanoiot.sentence import ALL_WORDS
from nanoiot.vocabulary import Frame, ValueRejected, check_data
from nanoiot.words import is_phrasing

COLOR_TEMPERATURE = re.compile(r"\bcolou?r temp(erature)?s?\b")
PARTS = re.compile(r"\b(?:and|then|also|plus|but)\b")  # where one request of a sentence ends and the next begins
PLACE_WORDS = {"in", "to", "into", "of", "at", "from", "on", "near", "around"}
CLEANING_WORDS = {"clean", "cleans", "cleaning", "cleaned", "vacuum", "vacuuming", "vacuumed", "hoover", "hoovering",
                  "mop", "mopping", "sweep", "sweeping", "dust", "dusting", "tidy", "hoovered", "swept", "mopped"}
log = structlog.get_logger()


@dataclass(frozen=True)
class Scope:
    """Where a sentence was said: the speaker's area (None: nowhere known), and whether it may mean the whole site."""

    area: str | None = None
    site_wide: bool = False
    many: bool = False  # the sentence says several ("all the doors", "the valves", "the line")


def _same_area(a: str | None, b: str | None) -> bool:
    return bool(a and b) and normalize(a) == normalize(b)  # type: ignore[arg-type]


class ResolveError(Exception):
    """A frame that cannot become a safe action; `code` goes into the error reply."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _kind_unsaid(frame: Frame, text: str) -> bool:
    """The frame's kind-word name is not said (plurals aside) and is no word for the frame's own kind of device,
    or, for a switch, no word of that kind is said at all: a switch is any appliance, so "power yourself on" read
    as "switch.turn_on name=plug" names none of them (where "it's dark in here" read as the lights means lights)."""
    own = GENERIC_WORDS.get(frame.service_domain, frozenset())
    said = set(name_key(text))
    name = tokens(frame.name or "")
    if any(t.rstrip("s") in said for t in name):
        return False
    if frame.service_domain == "switch":
        return not {w.rstrip("s") for w in own - NOT_A_KIND} & said
    return not any(t in own for t in name)


def _checked(service: str, data: dict) -> dict:
    try:
        return check_data(service, data)
    except ValueRejected as exc:
        raise ResolveError("out_of_range", f"{service}: {exc}") from None


@dataclass
class Resolver:
    """Phrases to registry devices: exact names first, then a typo-tolerant scan.

    The exact indexes answer most phrases (placeholders hand back the registry's own
    spelling) in microseconds; the scan, which costs as much as the model on a
    51-device registry, runs only for what they miss.
    """

    registry: Registry
    _exact_names: dict[tuple[str, ...], list[Device]] = field(init=False, repr=False)
    _exact_areas: dict[tuple[str, ...], list[Device]] = field(init=False, repr=False)
    _known_words: frozenset[str] = field(init=False, repr=False)  # every word of a name, alias or area, plurals aside
    _specific_names: list[tuple[Device, list[str]]] = field(init=False, repr=False)  # " key " of each non-generic name
    _name_tokens: dict[int, frozenset[str]] = field(init=False, repr=False)  # id(device) -> the words of all its names
    _name_tokens_all: frozenset[str] = field(init=False, repr=False)
    _generic_keys: frozenset[tuple[str, ...]] = field(init=False, repr=False)  # names made of kind words only ("thermostat")
    _areas: tuple[str, ...] = field(init=False, repr=False)  # each area once, in the registry's order

    def __post_init__(self) -> None:
        self._exact_names, self._exact_areas = {}, {}
        self._areas = tuple(dict.fromkeys(d.area for d in self.registry.devices if d.area))
        for device in self.registry.devices:
            for name in self._names(device):
                found = self._exact_names.setdefault(_key(name), [])
                if device not in found:
                    found.append(device)
            if device.area:
                self._exact_areas.setdefault(name_key(device.area), []).append(device)
        self._generic_keys = frozenset(_key(n) for d in self.registry.devices for n in (d.name, *d.aliases) if _generic(n))
        self._specific_names = [(d, [f" {' '.join(_key(n))} " for n in (d.name, *d.aliases) if tokens(n) and not _generic(n)])
                                for d in self.registry.devices]
        # "living room light" names one light, "the living room lights" the room's lights: such a name counts only as said
        names = {n: self._area_and_kind(n) for d in self.registry.devices for n in (d.name, *d.aliases)}
        plural = {name_key(n) for n, area_kind in names.items() if not area_kind}  # an alias "kitchen lights" is that device
        self._singular_only = {f" {' '.join(name_key(n))} ": f" {' '.join(tokens(n))} " for n, area_kind in names.items()
                               if area_kind and name_key(n) not in plural}
        self._said_whole: dict[str, set[str]] = {}  # " key " of a name of several words -> " words " as said, fillers kept
        for n in {n for d in self.registry.devices for n in (d.name, *d.aliases)}:
            if len(_key(n)) > 1:
                words = [w.rstrip("s") for w in normalize(n).split()]
                while words and words[0] in FILLER:
                    words.pop(0)
                while words and words[-1] in FILLER:
                    words.pop()
                self._said_whole.setdefault(f" {' '.join(_key(n))} ", set()).add(f" {' '.join(words)} ")
        self._index = {id(d): i for i, (d, _) in enumerate(self._specific_names)}
        # the last word of a name ("pump" of "A pump": the word before the letter; "extractor" of "extractor fan" too)
        self._ending_in: dict[str, list[Device]] = {}
        for device in self.registry.devices:
            ends = set()
            for name in (device.name, *device.aliases):
                key = _key(name)
                last = key[:-1] if lettered_first(name) else key
                ends |= {*last[-1:], *(last[-2:-1] if last[-1:] and last[-1] in ALL_GENERIC else ())}
            for word in ends:
                self._ending_in.setdefault(word, []).append(device)
        self._names_by_word: dict[str, list[int]] = {}  # first word of a specific name -> indices into _specific_names
        for i, (_, keys) in enumerate(self._specific_names):
            for first in {key.split()[0] for key in keys}:
                self._names_by_word.setdefault(first, []).append(i)
        self._areas_by_word: dict[str, list[str]] = {}  # first word -> " key " of each area of several words
        for area_key in self._exact_areas:
            if len(area_key) > 1:
                self._areas_by_word.setdefault(area_key[0], []).append(f" {' '.join(area_key)} ")
        self._name_tokens = {id(d): frozenset(t for n in self._names(d) for t in tokens(n)) for d in self.registry.devices}
        self._name_tokens_all = frozenset().union(*self._name_tokens.values())  # areas too: "kitchen ceiling light"
        places = {t for phrase in self.registry.place_names() for t in tokens(phrase)}  # "the upstairs lights"
        self._known_words = frozenset(t.rstrip("s") for t in self._name_tokens_all | places)

    def _names(self, device: Device) -> list[str]:
        names = [device.name, *device.aliases, device.object_id.replace("_", " ")]
        if device.area:
            names += [f"{device.area} {n}" for n in (device.name, *device.aliases)]
        return names

    def _area_devices(self, area: str) -> list[Device]:
        exact = self._exact_areas.get(name_key(area))
        if exact:
            return list(exact)
        called = self.registry.areas_called(area)  # an area alias or a floor: "downstairs"
        if called:
            return [d for d in self.registry.devices if d.area in called]
        scored = {a: _area_similarity(area, a) for a in self._areas}  # each area once, not each of 1,000 devices
        best = max(scored.values(), default=0.0)
        if best < 0.75:
            raise ResolveError("unknown_device", f"no area called {area!r}")
        return [d for d in self.registry.devices if d.area and scored[d.area] >= best - 1e-9]

    def _by_name(self, name: str, pool: list[Device]) -> list[Device]:
        in_pool = {id(d) for d in pool}
        exact = [d for d in self._exact_names.get(name_key(name), ()) if id(d) in in_pool]
        if exact:
            return exact
        said_words = normalize(name).split()
        if len(said_words) == 2:  # "the roller door" of "bay 1 roller door" and "booth roller door": each, not the likest
            ending = [d for d in pool if d.id in self.tail_said(*said_words)]
            if len(ending) > 1:
                return ending
        # similarity is 0 without a non-generic word in common: score only devices that have one
        said = [t for t in tokens(name) if t not in ALL_GENERIC]
        near = {u for u in self._name_tokens_all if any(same_word(t, u) for t in said)}
        words = tokens(name)
        if len(words) > 1 and words[-1] in said and not words[-1].isdigit() and len(words[-1]) > 1 \
                and not any(same_word(words[-1], u) for u in near):
            return []  # "the hot tub": a thing no name of the site ends or holds, not the heat lamps called "the hot lamps"
        if len(said) == 1 == len(name_key(name)) and said[0].isalpha() and len(said[0]) > 1:
            # "the pump" of "heat pump", "A pump" and "room b dosing pump": each, not the shortest name (the caller asks)
            ending = [d for d in self._ending_in.get(name_key(name)[0], ()) if id(d) in in_pool]
            if len(ending) > 1:
                return ending
        scored = [(max(similarity(name, n) for n in self._names(d)), d) for d in pool if near & self._name_tokens[id(d)]]
        best = max((s for s, _ in scored), default=0.0)
        if best < MATCH_THRESHOLD:
            return []
        return [d for s, d in scored if s >= best - 0.02]

    def _service_for(self, service: str, device: Device) -> str | None:
        domain = service.split(".", 1)[0]
        if domain in (device.domain, "query"):
            return service
        return CROSS_DOMAIN.get((service, device.domain)) or None

    def resolve_frame(
        self, frame: Frame, scope: Scope = Scope(), text: str | None = None, only_frame: bool = True
    ) -> list[Action]:
        """Actions for one frame; `text` (what was said) grounds phrases the model did not copy from it.

        `only_frame`: the sentence holds this one command, so a device it names word for
        word is this frame's device (in "turn off the lights and the desk lamp" it is not).
        """
        try:
            actions = self._resolve_said(frame, scope, text, only_frame)
        except ResolveError as exc:
            said = self._said_instead(frame, text, exc)
            if said:
                raise ResolveError("unknown_device", f"no device matches {said!r}") from exc
            raise
        if text and frame.service_domain == "cover" and not (frame.name and not is_generic(frame.name)):
            actions = self._of_kind_said(actions, text)
        dropped = self._unexplained(text, frame) if text else None
        if dropped:
            named = {d.id for d in self._mentioned(text or "")}
            if not all(target in named for action in actions for target in action.targets):
                raise ResolveError("unknown_device", f"no device matches {dropped!r}")
        return actions

    def _part_says_no_kind(self, frame: Frame, text: str) -> bool:
        """The one part of the sentence that says the frame's place holds no kind word."""
        if not frame.area:
            return False
        parts = [p for p in PARTS.split(normalize(text)) if f" {normalize(frame.area)} " in f" {p} "]
        return len(parts) == 1 and not set(self._outside_names(parts[0]).split()) & (ALL_GENERIC - NOT_A_KIND)

    def _outside_names(self, text: str) -> str:
        """`text` (normalised) without the names and aliases of the devices it says word for word."""
        padded = f" {text} "
        for device in self._mentioned(text):
            for name in (device.name, *device.aliases):
                padded = padded.replace(f" {normalize(name)} ", " ")
        return padded.strip()

    def _kind_words_said(self, text: str) -> set[str]:
        """The sentence's words (plurals aside) outside the device names it says: in "open the garage door and
        the blinds", "door" names no kind."""
        words = f" {' '.join(name_key(text))} "
        for device in self._mentioned(text):
            for key in self._specific_names[self._index[id(device)]][1]:
                words = words.replace(key, " ")
        return set(words.split())

    def _has_subkind(self, device: Device, subkind: frozenset[str]) -> bool:
        """Its name, or its kind in the registry ("plug", not "relay": "all the plugs"), says the narrower kind."""
        return bool({t.rstrip("s") for t in self._name_tokens[id(device)]} & subkind) or (device.kind or "") in subkind

    @staticmethod
    def _cover_kind_ruled_out(said: set[str]) -> frozenset[str]:
        """The cover kind a sentence's words (`_kind_words_said`) rule out by saying the other one: "the blinds"
        are no doorway."""
        for kind, other in ((WINDOW_COVERINGS, DOORWAYS), (DOORWAYS, WINDOW_COVERINGS)):
            if said & kind and not said & other:
                return other
        return frozenset()

    def _not_of_kind(self, device: Device, other: frozenset[str]) -> bool:
        return device.domain != "cover" or not cover_kind(device, self._name_tokens[id(device)]) & other

    def _of_kind_said(self, actions: list[Action], text: str) -> list[Action]:
        """"open the shades in the garage" must not open the garage door: covers found by kind are kept to
        the kind said (window coverings, doorways); none left is refused."""
        said = self._kind_words_said(text)
        other = self._cover_kind_ruled_out(said)
        if other:
            wrong = {t for a in actions for t in a.targets if (d := self.registry.get(t)) and not self._not_of_kind(d, other)}
            kept = [a.model_copy(update={"targets": [t for t in a.targets if t not in wrong]}) for a in actions]
            if wrong and not any(a.targets for a in kept):
                kind = said & (WINDOW_COVERINGS | DOORWAYS) - other
                raise ResolveError("unknown_device", f"no {' or '.join(sorted(kind))} there: "
                                   f"{self.registry.get(sorted(wrong)[0]).name} is not one")  # type: ignore[union-attr]
            actions = [a for a in kept if a.targets]
        if {w.rstrip("s") for w in said} & WINDOW_COVERINGS:
            # "get the blinds down" closed the projector screen too: a cover whose names say no window covering is
            # none of them, where others are
            covering = {t for a in actions for t in a.targets if (d := self.registry.get(t)) and d.domain == "cover"
                        and (cover_kind(d, self._name_tokens[id(d)]) & WINDOW_COVERINGS  # or a cover called only so
                             or self._name_tokens[id(d)] & GENERIC_WORDS["cover"])}
            others = {t for a in actions for t in a.targets if (d := self.registry.get(t)) and d.domain == "cover"} - covering
            if others and not covering:
                kind = sorted({w for w in said if w.rstrip("s") in WINDOW_COVERINGS})
                raise ResolveError("unknown_device", f"no {' or '.join(kind)} there: "
                                   f"{self.registry.get(sorted(others)[0]).name} is not one")  # type: ignore[union-attr]
            if others:
                kept = [a.model_copy(update={"targets": [t for t in a.targets if t not in others]}) for a in actions]
                return [a for a in kept if a.targets]
        return actions

    def _said_instead(self, frame: Frame, text: str | None, exc: ResolveError) -> str | None:
        """The phrase the person said for a name the model misspelt ("bebebeer" for "labeler") or cut short.

        The refusal should quote what was said, or the user cannot tell what went wrong.
        """
        if not text or exc.code != "unknown_device":
            return None
        if not frame.name:  # "no vacuum in the registry" for "turn on the jacuzzi": the thing said is what we lack
            return self._unexplained(text, frame, quoting=True)
        if repr(frame.name) not in exc.message:
            return None
        name = normalize(frame.name)
        span = name if f" {name} " in f" {normalize(text)} " else snap_to_span(frame.name, text)
        return self._whole_name(span, text) if span else self._unexplained(text, frame, quoting=True)

    def _whole_name(self, span: str, text: str) -> str:
        """The span grown over the name words around it and trimmed of command words: "gate" -> "sliding gate"."""
        words = normalize(text).split()
        size = len(span.split())
        start = next(i for i in range(len(words)) if words[i : i + size] == span.split())
        end = start + size

        def name_word(word: str) -> bool:
            return word in ALL_GENERIC or self._unknown_word(word)

        while end - start > 1 and not name_word(words[start]):
            start += 1
        while end - start > 1 and not name_word(words[end - 1]):
            end -= 1
        while start > 0 and name_word(words[start - 1]):
            start -= 1
        while end < len(words) and name_word(words[end]):
            end += 1
        return " ".join(words[start:end])

    def _resolve_said(self, frame: Frame, scope: Scope, text: str | None, only_frame: bool) -> list[Action]:
        stutter = STUTTER.search(frame.name or "")
        if stutter and f"{stutter.group(1)}s" not in (text or "").split():  # "air air air conditioner", "towel towel": lost
            # (but "start both mixers" written "mixer mixer" is two of them)
            raise ResolveError("not_understood", "understood only part of that: say which device")
        data = {k: snap_number(v, text) for k, v in frame.data.items()} if text else frame.data
        # "the lights upstairs": a floor; "the lights outside": the places out of doors
        place = (self.registry.place_said(text) or _outdoors_said(text)) if text and not frame.area \
            and not IN_AND_OUT.search(text) else None  # "all lights off, inside and outside": everywhere
        frame = Frame(frame.service, frame.name, frame.area or place, frame.domain, data)
        if frame.name and not frame.area and name_key(frame.name) in self._exact_areas and not self._exact_names.get(name_key(frame.name)):
            frame = replace(frame, name=None, area=frame.name)  # "open the garage" written as a name: it is a place
        frame = self._said_domain(frame, text, only_frame)
        if text and frame.name and is_generic(frame.name) and _kind_unsaid(frame, text) and (
                not frame.area or not set(name_key(text)) & ALL_GENERIC and not self._exact_names.get(name_key(frame.area))):
            # "turn on the blast": a place that names no device ("turn on sauna" does), no kind said
            # "turn on and brighten the kitchen lights" read as "light.turn_on name=plug ; ...": a kind word nobody
            # said, of another kind than the light the frame switches, placed nowhere, stood for every light on the site
            raise ResolveError("not_understood", f"understood only part of that: nothing said is {frame.name!r}")
        if text and frame.name and is_generic(frame.name) and not set(t.rstrip("s") for t in tokens(frame.name)) & set(name_key(text)):
            # "close the curtians" read as the blinds: the kind said is a slip of another kind word than the one written
            words = [w.removesuffix("'s") for w in text.split()]  # "the hoover's making a racket" says the hoover
            slip = next((w for w in words if w not in ALL_GENERIC and not self.knows(w) and any(same_word(w, k) for k in ALL_GENERIC)), None)
            if slip:
                raise ResolveError("unknown_device", f"which device is {slip!r}? say its name")
        if text and frame.name and is_generic(frame.name) and not frame.area and frame.service_domain != "query":
            called = self._exact_names.get(name_key(frame.name), [])
            if called and all(d.domain != frame.service_domain for d in called):
                return self._called_by_a_kind_word(frame, called, scope)
        subkind = SUBKINDS.get(frame.service_domain, frozenset())
        said = self._kind_words_said(text) if text and (subkind or frame.service_domain in ("cover", "query")) else set()
        ruled_out = self._cover_kind_ruled_out(said) if frame.service_domain in ("cover", "query") else frozenset()
        # "turn on the plug", "both lamps": of a kind, those whose names say the narrower kind said, where any do
        ruled_out |= subkind if subkind & said else frozenset()
        snapped = Frame(frame.service, frame.name, frame.area, frame.domain, frame.data)
        for key in ("area", "name"):
            value = getattr(frame, key)
            span = snap_to_span(value, text) if text and value and not is_generic(value) else None
            if span:
                setattr(snapped, key, span)
        if snapped.name != frame.name and self._another_thing(frame.name, snapped.name, text):
            raise ResolveError("unknown_device", f"no device matches {snapped.name!r}")
        if (snapped.name, snapped.area) != (frame.name, frame.area):
            try:
                return self._by_rules(snapped, scope, ruled_out)
            except ResolveError as exc:
                # "turn the extractor on" from an app where three are: not the one the model's "extractor conveyor" is
                # nearest to, where it made a word up (a designator is its reading of "pump3", "mixer II", "the third
                # pump") and what was said names devices of one kind
                if exc.code.startswith("ambiguous") and frame.name and text and snapped.name \
                        and any(not scope.area and not is_designator(t) and not any(same_word(t, w) for w in tokens(text))
                                or len(t) == 1 and t.isalpha() and t not in text.split()  # "amp relay a" for "the amp relay"
                                for t in tokens(frame.name)) \
                        and len({d.domain for d in self._by_name(snapped.name, self.registry.devices)}) == 1:
                    raise
                # else, e.g. "coffee maker" for "i need caffeine": the model's own phrase is right
        unnamed = not (frame.name and not is_generic(frame.name))
        if text and only_frame and not frame.name:
            frame = replace(frame, name=self._whole_name_said(text, frame))
        if text and only_frame and unnamed:
            named = self._named_in(text, frame)
            if named:
                return self._actions(frame.service, self._placed(frame, named, scope), _checked(frame.service, frame.data))
        try:
            return self._narrowed_by_heads(self._by_rules(frame, scope, ruled_out), text if unnamed else None)
        except ResolveError as exc:
            said = self._said_device(frame, text, only_frame) if exc.code == "unknown_device" and text else None
            if said is None:
                raise
            return said

    def _another_thing(self, written: str | None, said: str | None, text: str | None) -> bool:
        """"switch off the air fryer" read as the air conditioner: the span said ("the air fryer", after a
        determiner) shares a word with the name the model wrote and ends in a noun no name of the site has, no slip
        of the model's words and no word commands are phrased with: a device the site lacks. Where the span is no
        such noun phrase ("it's coffee time", "get the coffee started" for the coffee maker) the model's phrase stands."""
        if not written or not said or not text:
            return False
        model_words, said_words = tokens(written), tokens(said)
        head = said_words[-1].removesuffix("'s") if said_words else ""  # "the extractor fan's been going"
        return bool(set(model_words) & set(said_words[:-1])) and head.rstrip("s") not in self._known_words \
            and head not in NOT_A_NAME and not is_phrasing(head) and not head.endswith(("ed", "ing")) \
            and not any(same_word(head, w) for w in model_words) \
            and re.search(rf"\b(?:the|my|our|your|a|an|this|that) {re.escape(said)}\b", text) is not None

    def left_out_by_place(self, phrase: str, whole: Sequence[Device] = ()) -> set[str]:
        """What an exception says by place or by the first words of a name ("except the warehouse", "except the server
        room" for the server room door): leaving out more than was meant does less, never something not asked. The
        names of `whole` (devices the phrase names whole) are no first words of others: "except the desk lamp" keeps
        the desk fan in."""
        words = f" {' '.join(name_key(phrase))} "
        for device in whole:
            for name in (device.name, *device.aliases):
                words = words.replace(f" {' '.join(name_key(name))} ", " ")
        named = [d for d in self.registry.devices for n in (d.name, *d.aliases)
                 if len(key := name_key(n)) > 1 and key[-1] in ALL_GENERIC and f" {' '.join(key[:-1])} " in words
                 and not all(t in ALL_GENERIC for t in key[:-1])]  # "the server room" for the server room door
        inside = {w for d in named for n in (d.name, *d.aliases) for w in name_key(n)}
        placed = [d for area in self.areas_said(phrase) if not set(name_key(area)) <= inside for d in self._area_devices(area)]
        return {d.id for d in named + placed}

    def has_kind_in(self, domain: str, area: str) -> bool:
        return self.has_kind_in_any({domain}, area)

    def has_kind_in_any(self, domains: set[str], area: str) -> bool:
        return any(d.domain in domains for d in self._exact_areas.get(name_key(area), ()))

    def in_area(self, device: Device, area: str) -> bool:
        """`device` stands in the registry area `area` (as `areas_said` gives it)."""
        return any(d is device for d in self._exact_areas.get(name_key(area), ()))

    def knows(self, word: str) -> bool:
        """A word of some device's name, alias or area (plurals aside)."""
        return word.rstrip("s") in self._known_words

    def named_exactly(self, phrase: str) -> list[Device]:
        """Devices whose name or alias is `phrase`, word for word (plurals aside)."""
        return list(self._exact_names.get(name_key(phrase), ()))

    @cached_property
    def name_heads(self) -> frozenset[str]:
        """The first one to three words of every name that is longer ("server room" of "server room door")."""
        return frozenset(" ".join(words[:k]) for d in self.registry.devices for n in (d.name, *d.aliases)
                         if len(words := normalize(n).split()) > 1 for k in range(1, min(3, len(words) - 1) + 1))

    @cached_property
    def designated(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """The words a device is called by before a number: the first words of the names that end in a number or a
        letter ("mixer" of "mixer 1") and the last word of every name and alias ("compressor" of "air compressor");
        every two words in a row of every name ("mixer 1" of "dough mixer 1"); and the words a letter follows in a name
        ("conveyor" of "conveyor a"): what `named.unknown_designated` asks, once per registry."""
        names = [normalize(d.name).split() for d in self.registry.devices]
        heads = {n[0] for n in names if len(n) > 1 and re.fullmatch(r"\d+|[a-h]", n[-1])}
        heads |= {words[-1] for d in self.registry.devices for n in (d.name, *d.aliases) if (words := normalize(n).split())
                  and not words[-1].isdigit() and len(words[-1]) > 1}
        lettered = frozenset(a for n in names for a, b in zip(n, n[1:]) if re.fullmatch(r"[a-h]", b) and re.fullmatch(r"[a-z]+", a))
        return frozenset(heads), frozenset(f"{a} {b}" for n in names for a, b in zip(n, n[1:])), lettered

    @cached_property
    def place_and_area_words(self) -> frozenset[str]:
        """The words of the registry's areas, area aliases and floors."""
        return self.place_words | {w for d in self.registry.devices if d.area for w in normalize(d.area).split()}

    def name_words_of(self, domain: str) -> frozenset[str]:
        """The words of the names and aliases of the devices of `domain` (once per registry)."""
        return self._name_words_by_domain.get(domain, frozenset())

    @cached_property
    def _name_words_by_domain(self) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for d in self.registry.devices:
            found.setdefault(d.domain, set()).update(w for n in (d.name, *d.aliases) for w in normalize(n).split())
        return {domain: frozenset(words) for domain, words in found.items()}

    @cached_property
    def place_words(self) -> frozenset[str]:
        """The words of the registry's area aliases and floors ("house" where the site calls its home's areas so; not
        "the" of "the annex", which made "lock all the doors in the house" no more than the hallway's)."""
        return frozenset(w for phrase in self.registry.place_names() for w in normalize(phrase).split()) - DETERMINERS

    @cached_property
    def run_together(self) -> dict[str, str]:
        """Two words in a row of a name or alias typed as one ("feedpump" of "feed pump") -> the two words, where the
        one word is no word of the registry's."""
        pairs = {a + b: f"{a} {b}" for d in self.registry.devices for n in (d.name, *d.aliases)
                 for a, b in zip(normalize(n).split(), normalize(n).split()[1:]) if a.isalpha() and b.isalpha()}
        return {joined: pair for joined, pair in pairs.items() if not self.knows(joined)}

    @cached_property
    def by_name_word(self) -> dict[str, list[Device]]:
        """A word of a device's names (normalised) -> those devices: a lookup, not a scan of 1,000 devices."""
        found: dict[str, dict[str, Device]] = {}
        for device in self.registry.devices:
            for name in (device.name, *device.aliases):
                for word in normalize(name).split():
                    found.setdefault(word, {})[device.id] = device
        return {word: list(devices.values()) for word, devices in found.items()}

    @cached_property
    def tails(self) -> dict[str, frozenset[str]]:
        """The last two words of a name of three or more ("high bays" of "bay 2 high bays") -> the devices whose names
        end so, where those words are no place, not only kind words and (`endings`) no whole name."""
        return {tail: ids for tail, ids in self.endings.items() if not self.named_exactly(tail)}

    @cached_property
    def endings(self) -> dict[str, frozenset[str]]:
        """As `tails`, whole names too ("reading lamp" of "room 1 reading lamp" where another lamp is called so)."""
        found: dict[str, set[str]] = {}
        for device in self.registry.devices:
            for name in (device.name, *device.aliases):
                words = normalize(name).split()
                tail = " ".join(words[-2:])
                if len(words) > 2 and not is_generic(tail) and name_key(tail) not in self._exact_areas \
                        and not self.registry.areas_called(tail):  # word for word: no fuzzy area scan per name
                    found.setdefault(tail, set()).add(device.id)
        return {tail: frozenset(ids) for tail, ids in found.items()}

    def tail_said(self, first: str, last: str) -> frozenset[str]:
        """The devices whose names end in `first last`, plurals aside ("reading lamps")."""
        return self.tails.get(f"{first} {last}") or self.tails.get(f"{first} {last.removesuffix('s')}") or frozenset()

    @cached_property
    def heads(self) -> dict[str, str]:
        """The last or first word of a name of several words that no other device's name, no kind and no area has
        ("tree" of "christmas tree", "backlight" of "tv backlight", "infeed" of "infeed conveyor") -> that device's id:
        the word alone still names it."""
        places = {t for phrase in self.registry.place_names() for t in tokens(phrase)}
        area_words = {t for key in self._exact_areas for t in key} | {  # and kinds: "the paint shop extractor"
            t for d in self.registry.devices if d.kind for t in d.kind.replace("_", " ").split()}
        found: dict[str, set[str]] = {}
        for device in self.registry.devices:
            for name in (device.name, *device.aliases):
                words = normalize(name).split()
                # the first word too, where it is no word that describes ("start the infeed" started the coffee maker)
                first = len(words) > 1 and words[0] not in ORDER_WORDS and not is_phrasing(words[0]) \
                    and not any(same_word(words[0], a) for a in area_words)  # "the hall" is the hallway
                for word in (words[-1], words[0]) if first else (words[-1],):
                    if len(words) > 1 and word.isalpha() and len(word) > 2:
                        found.setdefault(word, set()).add(device.id)
        owners: dict[str, set[str]] = {}
        for device in self.registry.devices:
            for word in self._name_tokens[id(device)]:
                owners.setdefault(word, set()).add(device.id)
        return {word: next(iter(ids)) for word, ids in found.items()
                if len(ids) == 1 and owners.get(word, ids) == ids and word not in ALL_GENERIC and word not in places}

    def mentioned(self, text: str) -> list[Device]:
        return self._mentioned(text)

    def _mentioned(self, text: str) -> list[Device]:
        """Devices whose full name or alias the sentence contains word for word."""
        words = f" {' '.join(name_key(text))} "  # plurals aside: "the desk lamps" names the desk lamp
        # only names whose first word was said can be in it: a lookup per word, not a scan of 1,000 devices
        near = sorted({i for w in set(words.split()) for i in self._names_by_word.get(w, ())})
        said = f" {' '.join(tokens(text))} "
        whole = f" {' '.join(w.rstrip('s') for w in normalize(text).split())} "
        areas = self._area_spans(words)
        return [d for d, keys in map(self._specific_names.__getitem__, near)
                if any(key in words and self._singular_only.get(key, " ") in said and not _only_inside(key, words, areas)
                       and self._said_together(key, whole) for key in keys)]

    def _said_together(self, key: str, whole: str) -> bool:
        """A name of several words is said with nothing between its words: "dim the lights" says no light whose
        alias is "dim lights", "dim my lights" neither."""
        return key not in self._said_whole or any(said in whole for said in self._said_whole[key])

    def _area_spans(self, words: str) -> list[tuple[int, int]]:
        """Where `words` (" a b c ", keys) says an area of two or more words: "the compressor room"."""
        spans = []
        for word in set(words.split()):
            for area in self._areas_by_word.get(word, ()):
                start = words.find(area)
                while start >= 0:
                    spans.append((start, start + len(area)))
                    start = words.find(area, start + 1)
        return spans

    def _area_and_kind(self, name: str) -> bool:
        """An area and one kind word, singular: "living room light" (not "kitchen lights", not "desk lamp")."""
        words = tokens(name)
        return len(words) > 1 and name_key(" ".join(words[:-1])) in self._exact_areas and is_generic(words[-1]) \
            and not words[-1].endswith("s")

    def area_called(self, phrase: str) -> str | None:
        """The registry area `phrase` (normalised) is, word for word ("kitchen", or an alias of one: "tea room"), else
        None ("kitchen light")."""
        areas = self.areas_said(phrase)
        return areas[0] if len(areas) == 1 and normalize(areas[0]) == phrase else self.registry.place_phrases().get(phrase)

    def alias_said(self, area: str, text: str) -> bool:
        """Whether `text` (normalised) says another phrase for `area` ("radiology" for the x-ray room)."""
        padded = f" {text} "
        return any(f" {phrase} " in padded for phrase, called in self.registry.place_phrases().items() if called == area)

    def areas_said(self, text: str) -> list[str]:
        """Registry areas the sentence names word for word, in the order said (longest first where they overlap)."""
        words = list(name_key(text))
        found: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(4, len(words) - i), 0, -1):
                devices = self._exact_areas.get(tuple(words[i : i + n]))
                if devices:
                    if devices[0].area not in found:
                        found.append(devices[0].area)  # type: ignore[arg-type]
                    i += n
                    break
            else:
                i += 1
        return found

    def devices_said(self, phrase: str) -> list[Device]:
        """What a phrase outside any command names ("except the porch light"): devices by name, else areas."""
        named = self._mentioned(phrase)
        if named:
            return named
        # "except the tree": a name said in part still leaves its devices out (leaving out more only does less)
        return [d for area in self.areas_said(phrase) for d in self._exact_areas[name_key(area)]] \
            or self._by_name(phrase, list(self.registry.devices))

    def _unexplained(self, text: str, frame: Frame, quoting: bool = False) -> str | None:
        """A name said that the registry lacks: "the <unknown word> <device word>", or "the <unknown word>".

        The model may drop a name it does not know ("the gnome lights" -> every light) or
        write one it knows instead ("the tiffany lamp" -> the floor lamp); either way the
        action would reach devices nobody named, so an action whose devices the sentence
        does not name is refused with this phrase. A word counts as unknown when neither
        the registry nor the way commands are phrased (nanoiot.words) has it. "The
        <unknown word>" alone counts only where the model guessed the kind of an unnamed
        device and acting on all of that kind does harm ("start the oven" -> every plug);
        "i can't even see my hands" still lights the room, "vacuum the sofa" still cleans (a vacuum
        counts as guessed unless the sentence speaks of cleaning).
        `quoting`: the frame is refused already and only the phrase to quote is wanted,
        so "the <unknown word>" counts whatever the frame.
        """
        domain = frame.service_domain
        device_words = (ALL_GENERIC if domain == "query" else GENERIC_WORDS.get(domain, set())) - NOT_A_KIND
        words = normalize(text).split()
        said = set(words)
        # a vacuum is a fair guess only where the sentence speaks of cleaning ("vacuum the sofa", "mop the hall");
        # "turn on the jacuzzi" read as vacuum.start must not start the robot
        guessed = domain not in ("light", "query") and not (domain == "vacuum" and said & CLEANING_WORDS)
        named = bool(frame.name and not is_generic(frame.name))
        # a name the model wrote that the sentence does not hold ("coffee maker" for "turn on the telly") is a
        # guess like a kind is; "i need caffeine" has no "the <word>" the registry lacks, so it still stands
        invented = named and domain != "query" and f" {normalize(frame.name or '')} " not in f" {' '.join(words)} " \
            and snap_to_span(frame.name or "", text) is None
        bare = quoting or invented or guessed and not named and not said & device_words
        many = ALL_OF.search(" ".join(words))
        # "turn on all neon signs": every light, never the signs ("each apartment light" is the whole home's)
        if many and many.group("word") not in HOME_WORDS and self._unknown_word(many.group("word")):
            return many.group("word") + (f" {many.group('next')}" if many.group("next") and self._unknown_word(many.group("next"))
                                         or many.group("next") in device_words else "")
        for i, word in enumerate(words):
            # "the <word>", or a thing people switch said bare ("dishwasher start pls")
            if not (i and words[i - 1] in DETERMINERS or word in APPLIANCES) or not self._unknown_word(word):
                continue
            if i + 1 < len(words) and words[i + 1] in device_words:
                return f"{word} {words[i + 1]}"
            # a light is a fair guess for "i can't see my hands", never for a thing people switch ("turn the telly up")
            if (bare or domain == "light" and word in APPLIANCES) and not _a_place(words, i):
                return word  # not "send the robot to the sunroom": a place
        return None

    def _unknown_word(self, word: str) -> bool:
        known = self._known_words
        return word.isalpha() and word not in NOT_A_NAME and not is_phrasing(word) and word.rstrip("s") not in known \
            and (word in APPLIANCES or not any(same_word(word, k) for k in known))  # "telly" is no slip of "welly"

    def _called_by_a_kind_word(self, frame: Frame, called: list[Device], scope: Scope) -> list[Action]:
        """"stop the robot" where the palletiser is called "the robot", "heat lamp on" where a plug is called "heat lamp":
        the device called so, as its own on/off or stop, where it is the one such and stands where the speaker is or the
        speaker's area has nothing of the model's kind; otherwise which is meant is asked."""
        device = called[0]
        service = self._service_for(frame.service, device) or (
            ON.get(device.domain) if frame.service == ON.get(frame.service_domain) else
            OFF.get(device.domain) if frame.service == OFF.get(frame.service_domain) else None)
        here = scope.area
        if len(called) == 1 and service and not frame.data and (
                here is not None and self.in_area(device, here) or here is None or not self.has_kind_in(frame.service_domain, here)):
            return [Action(service=service, targets=[device.id], data={})]
        raise ResolveError("ambiguous_device", f"{frame.name!r} is what the {device.name} is called here, and a kind of "
                                               "device too: say its name")

    def _named_in(self, text: str, frame: Frame) -> list[Device]:
        """Devices the sentence names that can take the frame's service: "the kitchen light" (an alias)."""
        found = [d for d in self._mentioned(text) if self._service_for(frame.service, d)]
        found += [d for d in self._called_so_too(text, found) if d not in found and self._service_for(frame.service, d)]
        if frame.area:
            found = [d for d in found if d.area and similarity(frame.area, d.area) >= 0.75]
            # "light in sauna on please": the place, not the sauna heater that is called like it
            place = name_key(frame.area)
            found = [d for d in found if d.domain == frame.service_domain
                     or any(key != place and f" {' '.join(key)} " in f" {' '.join(name_key(text))} "
                            for key in map(name_key, (d.name, *d.aliases)))]
        return found

    def _narrowed_by_heads(self, actions: list[Action], text: str | None) -> list[Action]:
        """"overheads down a notch" dimmed the theatre's lights and its surgical lamp: of the devices found by kind, those
        a word said names alone ("overheads" of "theatre overheads"), where it names some of them."""
        if not text or not actions or _says_many(text):
            return actions
        words = tokens(text)  # a word before a kind describes it: "the outdoor lights" are not only "outdoor light"
        heads = {i for w, after in zip(words, [*words[1:], ""]) if not is_phrasing(w) and after.rstrip("s") not in ALL_GENERIC
                 and after not in ALL_GENERIC and (i := self.heads.get(w))}
        targets = {t for a in actions for t in a.targets}
        keep = heads & targets
        if not keep or keep == targets:
            return actions
        return [Action(service=a.service, targets=[t for t in a.targets if t in keep], data=a.data)
                for a in actions if keep & set(a.targets)]

    def _called_so_too(self, text: str, found: list[Device]) -> list[Device]:
        """"reading lamps off" where one lamp is called "reading lamp" and others "room 1 reading lamp": the plural of
        a name of two words is every device whose name ends so, not the one called so alone; "close all the dock doors",
        "all chargers off": the plural of what names a series ("dock door 1", "charger 2") is the series."""
        said = f" {' '.join(tokens(text))} "
        ids = {i for d in found for n in (d.name, *d.aliases) if len(words := normalize(n).split()) == 2
               and f" {words[0]} {words[1]}s " in said for i in self.endings.get(" ".join(words), ())}
        words = said.split()
        for k, word in enumerate(words):
            if word.endswith("s"):
                for n in (2, 1):
                    ids |= self.series.get(" ".join([*words[max(0, k - n + 1):k], word[:-1]]), frozenset())
        return [d for i in sorted(ids) if (d := self.registry.get(i))]

    @cached_property
    def series(self) -> dict[str, frozenset[str]]:
        """What names a numbered or lettered series ("dock door" of "dock door 1" .. "dock door 4") -> its devices, where
        that is no kind word and no area and there are two or more."""
        found: dict[str, set[str]] = {}
        for device in self.registry.devices:
            for name in (device.name, *device.aliases):
                *head, last = normalize(name).split() or [""]
                if head and len(head) <= 2 and re.fullmatch(r"[a-z]?\d{1,3}[a-z]?|[a-z]", last):  # "2", "b", "a1"
                    found.setdefault(" ".join(head), set()).add(device.id)
        return {head: frozenset(ids) for head, ids in found.items()
                if len(ids) > 1 and not is_generic(head) and name_key(head) not in self._exact_areas}

    def has_area(self, phrase: str) -> bool:
        """The site has an area `phrase` names: by name, alias, floor or a near spelling."""
        try:
            return bool(self._area_devices(phrase))
        except ResolveError:
            return False

    def _stands_in(self, device: Device, area: str) -> bool:
        return any(d.id == device.id for d in self._area_devices(area))

    def _said_device(self, frame: Frame, text: str, only_frame: bool = True) -> list[Action] | None:
        """A registry device named word for word in the sentence, when the model's phrases found none.

        A device added yesterday ("the zorblax orb") has a name the model never saw
        and a kind it cannot guess; the registry knows both. Only on/off requests
        carry over to another kind of device. In a sentence of several requests, only a device whose name shares
        a word with the model's ("compressor on and dryer on" read the dryer as "blower": the compressor is the
        other request's).
        """
        mentioned = self._mentioned(text)
        if not mentioned and frame.service == "query.get_state":  # "what level is the tank at": "tank level", reordered
            said = set(name_key(text))
            mentioned = [d for d in self.registry.devices
                         if any(len(key) > 1 and set(key) <= said for key in map(name_key, (d.name, *d.aliases)))]
        if frame.name and len(mentioned) > 1:
            scored = [(similarity(frame.name, d.name), d) for d in mentioned]
            best = max(s for s, _ in scored)
            mentioned = [d for s, d in scored if s == best and s > 0]
        if len(mentioned) != 1 or frame.area and self.has_area(frame.area) and not self._stands_in(mentioned[0], frame.area):
            return None  # "shut the boiler room exhaust fan off" where the exhaust fan stands in the paint shop
        device = mentioned[0]
        own = self._name_tokens[id(device)]
        if frame.area and any(c.isdigit() for c in frame.area) and not self.has_area(frame.area) \
                and not {t.rstrip("s") for t in tokens(frame.area)} <= {t.rstrip("s") for t in own}:
            return None  # "line 2 conveyor go" where the conveyor is line 3's: a numbered place the site lacks is not its
        if not only_frame and not (frame.name and any(same_word(t, u) for t in tokens(frame.name) for u in own)):
            return None
        service = self._service_for(frame.service, device)
        if service is None and not frame.data:
            domain = frame.service.split(".", 1)[0]
            if frame.service == ON.get(domain):
                service = ON.get(device.domain)
            elif frame.service == OFF.get(domain):
                service = OFF.get(device.domain)
        if service is None:
            return None
        raw = carry(frame.data, frame.service, service)
        if raw is None:
            return None
        data = _checked(service, raw)
        log.info("resolve.by_registry_name", device=device.id, model_service=frame.service, service=service)
        return [Action(service=service, targets=[device.id], data=data)]

    def _said_domain(self, frame: Frame, text: str | None, only_frame: bool = True) -> Frame:
        """The frame moved to the kind of device the sentence names, when the model named none.

        "turn on the kitchen light" must never become the kitchen's plugs because
        the model picked switch.turn_on: with no device name, the domain words
        actually said ("light") decide, where the vocabulary has an equivalent service, and where it
        has none the request is refused: "turn the fan up by 10" never brightens the lights, unless, in a sentence
        of several requests, the part that says the frame's place says no kind at all ("lock the front door and
        close the garage": the lock is another part's).
        """
        if not text or (frame.name and not is_generic(frame.name)):
            return frame
        words = set(COLOR_TEMPERATURE.sub("colour", normalize(text)).split())  # a light's "colour temperature" is no thermostat
        said = {d for d, generic in GENERIC_WORDS.items() if words & (generic - NOT_A_KIND) and d != "sensor"}
        domain = frame.service.split(".", 1)[0]
        if domain == "query" and len(said) == 1 and not frame.domain and not frame.data:  # "are any lights on in the kitchen"
            return replace(frame, domain=said.pop())
        if domain in said or len(said) != 1 or domain == "query":
            return frame
        kind = said.pop()
        service = CROSS_DOMAIN.get((frame.service, kind))
        data = carry(frame.data, frame.service, service) if service else None
        if service is None or data is None:  # "turn the fan up by 10" read as brighter lights: the kind said decides
            if words & SHARED_KIND_WORDS.get(domain, set()) or not only_frame and self._part_says_no_kind(frame, text):
                return frame  # "set the door position to 40": a door may be a cover
            raise ResolveError("unsupported", f"a {kind} cannot do {frame.service}" + (f" with {', '.join(frame.data)}" if frame.data else ""))
        return Frame(service, frame.name, frame.area, frame.domain, data)

    def _by_rules(self, frame: Frame, scope: Scope = Scope(), ruled_out: frozenset[str] = frozenset()) -> list[Action]:
        """The devices one frame means: the first rule of RULES that finds any wins.

        RULES, in order (issue 18 asks for the order to be visible):
          1. `_by_given_name`  a name the model said that is not a generic word ("the porch light")
          2. `_by_whole_name`  a generic word that is some device's whole name ("the thermostat")
          3. `_by_kind`        every device of the frame's kind in its area
          4. `_by_kind_elsewhere`  what the area means when it has none of that kind ("vacuum the kitchen")
        then, whichever rule found them, `_placed`: with no area said, the speaker's area first,
        and devices in several areas only when the scope is site-wide.
        """
        data = _checked(frame.service, frame.data)
        pool = self._area_devices(frame.area) if frame.area else list(self.registry.devices)
        name = frame.name if frame.name and not (is_generic(frame.name) and not _other_kind_word(frame.name, frame.service_domain)) else None
        if ruled_out and not name:  # "close the blinds" from the kitchen: the garage door makes it no question of area
            pool = [d for d in pool if self._not_of_kind(d, ruled_out)]
            subkind = ruled_out & SUBKINDS.get(frame.service_domain, frozenset())  # plug, socket and outlet are one
            narrower = [d for d in pool if d.domain != frame.service_domain or self._has_subkind(d, subkind)]
            if subkind and any(d.domain == frame.service_domain for d in narrower):
                pool = narrower
        if name:
            found = self._by_local_name(frame, name, scope) or self._by_given_name(frame, name, pool)
            own = [d for d in found if d.domain == frame.service_domain]
            found = own or found  # "lock the front door": the lock called so, not the door opener called so too
            if scope.area and not frame.area and len(found) > 1:  # "switch off the extractor" in the kitchen: its own
                found = [d for d in found if _same_area(d.area, scope.area)] or found
            return self._actions(frame.service, self._placed(frame, self._one_named(frame, name, found, scope), scope), data)
        matches = self._by_whole_name(frame, pool, scope)
        if matches:
            return self._actions(frame.service, self._placed(frame, matches, scope), data)
        matches = self._near_speaker(frame, self._by_kind(frame, pool, data) or self._by_kind_elsewhere(frame, pool), scope)
        return self._actions(frame.service, self._placed(frame, self._one_or_many(frame, matches, scope), scope), data)

    def _by_local_name(self, frame: Frame, name: str, scope: Scope) -> list[Device]:
        """"turn the ceiling light on" from room 1 was the owners' lounge ceiling (its name scored higher): with no
        area said, those of the frame's kind in the speaker's area whose names hold every word said that is no kind
        word, and end on one, come first; where a device elsewhere is called so exactly, only a name there that ends
        as said does."""
        words = tokens(name)
        said = [t for t in words if t not in ALL_GENERIC]
        if frame.area or not scope.area or not said or re.search(r" [a-h]$", normalize(name)):
            return []  # "rack a and rack b on" from the control room: a lettered name is no local "outboard rack"
        if self._exact_names.get(name_key(name)):
            # "reading lamp on" from room 1 switched room 3's lamp, called "reading lamp", on; room 1's is "room 1
            # reading lamp": a name of the speaker's room that ends as said comes first
            key = name_key(name)
            return [d for d in self._exact_areas.get(name_key(scope.area), ()) if d.domain == frame.service_domain
                    and any(name_key(n)[-len(key):] == key for n in (d.name, *d.aliases))]
        # of the frame's kind, every word said in its name, and a name ending on a word said ("the tv" is no "tv
        # backlight"; "the ceiling light" is "room 1 ceiling")
        said_keys = {t.rstrip("s") for t in words}  # word for word: "night" is no slip of "light" here
        return [d for d in self._exact_areas.get(name_key(scope.area), ()) if d.domain == frame.service_domain
                and {t.rstrip("s") for t in said} <= {u.rstrip("s") for u in self._name_tokens[id(d)]}
                and any(n and (n[-1].rstrip("s") in said_keys or len(n) > 1 and _lettered_token(n[-1]) and n[-2].rstrip("s") in said_keys)
                        for n in map(tokens, (d.name, *d.aliases)))]  # "dehu on" in the room of "dehu 1" too

    def _by_given_name(self, frame: Frame, name: str, pool: list[Device]) -> list[Device]:
        named = self._by_name(name, pool)
        exact = self._exact_names.get(name_key(name), ())
        # a name matched only in part, without the word it ends on, changes no kind: "the tv" is not the light
        # called "tv backlight"; "the heater" is still the climate device called "greenhouse heater", and "the
        # extractor" the "extractor fan" (the word left out only says the kind, which the registry knows)
        said = tokens(name)
        if frame.service_domain != "query" and any(d not in exact and d.domain != frame.service_domain for d in named):
            named = [d for d in named if d in exact or d.domain == frame.service_domain
                     or any(tokens(n)[-1] in ALL_GENERIC or any(same_word(t, tokens(n)[-1]) for t in said)
                            for n in (d.name, *d.aliases) if tokens(n))]
            if not named:
                raise ResolveError("unknown_device", f"no device matches {frame.name!r}")
        if frame.service_domain != "query" and len({d.domain for d in named}) > 1 and not exact \
                and not any(is_generic(t) for t in said):  # "turn on the desk": the desk lamp or the desk fan?
            raise ResolveError("ambiguous_device", f"{name!r} could be the {' or the '.join(sorted({d.name for d in named}))}: "
                                                   "say which")
        matches = [d for d in named if self._service_for(frame.service, d)]
        if not matches and frame.area:  # "the ceiling light in the kitchen" said of a device in no area
            unplaced = [d for d in self.registry.devices if not d.area]  # never one that stands in another area
            matches = [d for d in self._by_name(f"{frame.area} {name}", unplaced) if self._service_for(frame.service, d)]
        if matches:
            return matches
        if named:
            raise ResolveError("unsupported", f"{named[0].name} ({named[0].id}) cannot do {frame.service}")
        # "the paint shop extractor": no device of the area said is named so, but one is of that kind in the registry
        of_kind = [d for d in pool if frame.area and d.kind and name_key(d.kind.replace("_", " ")) == name_key(name)
                   and self._service_for(frame.service, d)]
        if of_kind:
            return of_kind
        elsewhere = [d.area for d in self._by_name(name, self.registry.devices) if d.area] if frame.area else []
        if elsewhere:  # quoted as said, not cut down to the words the registry lacks ("no device matches 'light'")
            raise ResolveError("unknown_device", f"no {name} in the {frame.area}; there is one in the {', '.join(dict.fromkeys(elsewhere))}")
        where = f" in the {frame.area}" if frame.area else ""
        raise ResolveError("unknown_device", f"no device matches {frame.name!r}{where}")

    def _one_named(self, frame: Frame, name: str, matches: list[Device], scope: Scope) -> list[Device]:
        """"start the pump" where pump 1 and pump 3 stand: one name said in the singular, of a kind where one is
        meant, is a question (it started both); "the pumps", "all the pumps" keep `_one_or_many`'s rules."""
        said = tokens(name)
        plural = bool(said) and said[-1].endswith("s")
        if len(matches) > 1 and not plural and frame.service_domain not in PLURAL_OK and frame.service_domain != "query" \
                and len({d.domain for d in matches}) == 1:
            return self._one_or_many(frame, matches, scope)
        if len(matches) > 1 and not plural and frame.service_domain not in ("light", "query") \
                and not any(map(_lettered_token, said)) and all(any(map(_lettered_token, self._name_tokens[id(d)])) for d in matches):
            # "open the roller door" opened unit c1's to c4's, "switch on the 3d printer" printers 1 to 3: one said of
            # a series is asked about, not all of them done (a light still is every one: "the light" of a room)
            raise ResolveError("ambiguous_device", f"which {name}? say one of: {', '.join(d.name for d in matches[:5])}")
        return matches

    def _by_whole_name(self, frame: Frame, pool: list[Device], scope: Scope) -> list[Device]:
        """"set the thermostat to 20" is the device named thermostat, not the greenhouse heater too.

        A generic word that is a device's whole name or alias names that device; in the
        speaker's area, the devices there whose names hold the word come first.
        """
        if not frame.name:
            return []
        key = name_key(frame.name)
        in_pool = {id(d) for d in pool}
        exact = [d for d in self._exact_names.get(key, ()) if id(d) in in_pool and self._service_for(frame.service, d)]
        if not exact or frame.area or not scope.area:
            return exact
        local = [d for d in pool if _same_area(d.area, scope.area) and self._service_for(frame.service, d)
                 and {t.rstrip("s") for t in key} <= {t.rstrip("s") for t in self._name_tokens[id(d)]}]  # "blinds": "side blinds"
        return local or exact

    def _whole_name_said(self, text: str, frame: Frame, taken: frozenset[tuple[str, ...]] = frozenset()) -> str | None:
        """"set the thermostat to 21.5" where the model wrote no name: a kind word said that is a
        device's whole name, for a device of the frame's own kind (never a reason to change kinds); not one `taken`
        by another frame ("open the blinds and curtains": the unnamed frame is the curtains)."""
        words = name_key(text)
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                key = words[i : i + n]
                named = self._exact_names.get(key, ())
                if key in self._generic_keys and key not in taken and any(d.domain == frame.service_domain for d in named):
                    said = " ".join(tokens(text)[i : i + n])  # as said: "blinds", a kind word ("blind" is none)
                    # "all the blinds and the curtains", "every blind and curtain": every one of both kinds
                    if not re.search(rf"\b{ALL_WORDS} (?:\w+ and (?:the |all the )?)?{re.escape(said)}\b", normalize(text)):
                        return said  # "all the blinds" are every blind, not the device called so
        return None

    def _by_kind(self, frame: Frame, pool: list[Device], data: dict) -> list[Device]:
        """Every device of the frame's kind in its area (the whole site when it names none)."""
        domain = frame.service_domain
        if domain == "query":
            wanted = {frame.domain} if frame.domain else {"sensor", "climate"} if data.get("attribute") else None
            found = [d for d in pool if wanted is None or d.domain in wanted]
            # "what's the temperature in here": the kitchen's temperature sensor, not its humidity sensor too
            asked = set(name_key(str(data.get("attribute") or "")))
            if not asked:
                return found
            return [d for d in found if asked <= {t.rstrip("s") for t in self._name_tokens[id(d)]}] or found
        return [d for d in pool if d.domain == domain]

    def _near_speaker(self, frame: Frame, matches: list[Device], scope: Scope) -> list[Device]:
        """With no area said, those in the speaker's area when it has any."""
        if frame.area or not scope.area or frame.service_domain == "vacuum":  # a vacuum cleans where it is sent
            return matches
        return [d for d in matches if _same_area(d.area, scope.area)] or matches

    def _placed(self, frame: Frame, matches: list[Device], scope: Scope) -> list[Device]:
        return self._scoped(frame, self._near_speaker(frame, matches, scope), scope)

    def _by_kind_elsewhere(self, frame: Frame, pool: list[Device]) -> list[Device]:
        if frame.service_domain == "vacuum":  # "vacuum the kitchen": the area is where to clean
            return [d for d in self.registry.devices if d.domain == "vacuum"]
        if frame.area and frame.service in OPEN_CLOSE:
            # "close the garage": the one thing in the area that opens and closes, whatever kind the model guessed
            # never a lock for another kind ("open the blinds in the kitchen" unlocked the back door, the one thing
            # there that opens)
            kin = [d for d in pool if self._service_for(frame.service, d) and (d.domain != "lock" or frame.service_domain == "lock")]
            return kin if len(kin) == 1 else []
        return []

    def _one_or_many(self, frame: Frame, matches: list[Device], scope: Scope) -> list[Device]:
        """None is unknown; several are fine for kinds where "all of them" is a safe reading, and for a safe
        service when the sentence says several ("lock all the doors"; "unlock all the doors" stays ambiguous)."""
        domain = frame.service_domain
        what = frame.domain or (domain if domain != "query" else "device")
        if not matches:
            where = f" in the {frame.area}" if frame.area else ""
            raise ResolveError("unknown_device", f"no {what}{where} in the registry")
        if len(matches) > 1 and domain not in PLURAL_OK and not (domain == "query" and (frame.area or frame.domain and scope.many)) \
                and not (scope.many and frame.service in SAFE_FOR_MANY):
            names = ", ".join(d.name for d in matches[:5])
            raise ResolveError("ambiguous_device", f"which {what}? say one of: {names}")
        return matches

    def _scoped(self, frame: Frame, matches: list[Device], scope: Scope) -> list[Device]:
        """"turn on the lights" from a source placed nowhere must not light the whole site.

        Devices found with no area said that stand in more than one area ("the lights", or
        "the ceiling light" where three rooms have one) are refused (ambiguous_target, naming
        the areas) unless the scope is site-wide. Questions only read.
        """
        areas = list(dict.fromkeys(d.area or "no area" for d in matches))
        if scope.site_wide or frame.area or frame.service_domain == "query" or len(areas) < 2:
            return matches
        what = frame.domain or frame.service_domain
        raise ResolveError("ambiguous_target", f"which area? say one: there are {what} devices in {', '.join(areas)}")

    def _actions(self, service: str, devices: list[Device], data: dict) -> list[Action]:
        """One action per effective service, keeping the registry's order."""
        grouped: dict[str, list[str]] = {}
        for device in devices:
            effective = self._service_for(service, device)
            if effective:
                grouped.setdefault(effective, []).append(device.id)
        actions = []
        for effective, targets in grouped.items():
            payload = carry(data, service, effective)
            if payload is None:
                raise ResolveError("unsupported", f"{effective} cannot take {', '.join(data)}")
            if list(payload) == ["position"] and (effective, payload["position"]) in END_POSITIONS:
                effective, payload = END_POSITIONS[(effective, payload["position"])], {}
            actions.append(Action(service=effective, targets=targets, data=payload))
        return actions

    def resolve(
        self, frames: list[Frame], area_hint: str | None = None, text: str | None = None, site_wide: bool = False
    ) -> list[Action]:
        """Actions for the frames of one sentence said in `area_hint` (None: a source placed nowhere).

        `site_wide`: a kind of device named with no area may mean every one of the site
        (the sentence said "everywhere", or the site allows it); otherwise candidates in
        more than one area are refused as ambiguous_target.
        """
        scope = Scope(area_hint, site_wide, _says_many(text or ""))
        actions: list[Action] = []
        for frame in frames:
            others = [f for f in frames if f is not frame and f.service_domain == frame.service_domain]
            if text and others == [] and len(frames) > 1 and frame.name and is_generic(frame.name) \
                    and not set(name_key(text)) & ({w.rstrip("s") for w in GENERIC_WORDS.get(frame.service_domain, ())}
                                                   | set(name_key(frame.name))):
                # "open the co2 solenoid and bump the hafs to 50" read as blinds at 50 beside the valve: in a sentence
                # of several requests, one of a kind no word said names and no other request has
                raise ResolveError("not_understood", f"understood only part of that: nothing said is {frame.name!r}")
            if text and len(frames) > 1 and not frame.name and all(f.name for f in others):
                # "turn on the kitchen light and set the thermostat to 21": the one climate request of the sentence
                # is the device called "thermostat", as it is said alone, not every climate device of the site; so
                # is the unnamed half of "set the thermostat to heat and 20 degrees", where the other names it
                said = self._whole_name_said(text, frame)
                if said and all(name_key(f.name or "") == name_key(said) for f in others):
                    # "open the blinds and curtains": another whole name said too is the unnamed frame's
                    other = self._whole_name_said(text, frame, frozenset(name_key(f.name or "") for f in others))
                    frame = replace(frame, name=other or said)
            # "vacuum the kitchen and the living room": one vacuum started once, not once per place said; "embosser and
            # printer off": the embosser switched off once
            for action in self.resolve_frame(frame, scope, text, only_frame=len(frames) == 1):
                done = {t for a in actions if (a.service, a.data) == (action.service, action.data) for t in a.targets}
                rest = [t for t in action.targets if t not in done]
                if rest:
                    actions.append(action if len(rest) == len(action.targets) else Action(service=action.service, targets=rest, data=action.data))
        return actions


def _lettered_token(token: str) -> bool:
    """"1", "b", "c1", "2a": what tells one of a series from the others."""
    return bool(re.fullmatch(r"\d+|[a-z]|[a-z]\d+|\d+[a-z]", token))


def _key(name: str) -> tuple[str, ...]:
    """A registry name's key (`name_key`), a leading letter kept, last: "A fans" is ("fan", "a") (said alone, "the
    fans" or "the pump" must not name room A's)."""
    return tuple(t.rstrip("s") for t in name_tokens(name))


def _generic(name: str) -> bool:
    """A registry name of kind words only: "the thermostat"; "A fans" is lettered, not generic."""
    return is_generic(name) and not lettered_first(name)


def _other_kind_word(name: str, domain: str) -> bool:
    """`name` holds a kind word only another kind has: "heat lamp" is no lamp of any kind said (a thing the site lacks)."""
    if domain in ("query", "machine", "sensor"):
        return False
    kinds = [{d for d, words in GENERIC_WORDS.items() if t in words or t.rstrip("s") in words} for t in tokens(name)]
    return any(k and domain not in k for k in kinds) and any(domain in k for k in kinds)


def _only_inside(key: str, words: str, areas: list[tuple[int, int]]) -> bool:
    """Every place `words` says `key` lies within an area's name: "compressor" in "the compressor room fans"."""
    if not areas:
        return False
    start = words.find(key)
    while start >= 0:
        if not any(a <= start and start + len(key) <= b for a, b in areas):
            return False
        start = words.find(key, start + 1)
    return True


# words that say which of several, or how big, before a name: never a name's head alone ("the front garden")
ORDER_WORDS = frozenset("main big small little large tiny left right new old top bottom front back upper lower other first "
                        "second third middle far near inner outer".split())
HOME_WORDS = frozenset({"house", "home", "flat", "apartment", "site", "place"})
ALL_OF = re.compile(r"\b(?:all|every|each)(?: of)?(?: the| my| our| your)? (?P<word>\w+)(?: (?P<next>\w+))?")
IN_AND_OUT = re.compile(r"\b(?:inside|indoors|in) and (?:outside|outdoors|out)\b|\b(?:outside|outdoors) and (?:inside|in|indoors)\b")
OUTDOORS_SAID = re.compile(r"\b(?P<kind>\w+) (?:on |off )?(?:outside|outdoors)\b")


def _outdoors_said(text: str) -> str | None:
    """"turn the lights on outside": said of a kind of device (never "it's cold outside, turn on the heating")."""
    return next(("outside" for m in OUTDOORS_SAID.finditer(text) if m.group("kind") in ALL_GENERIC), None)


STUTTER = re.compile(r"\b(\w+)(?: \1\b)+")  # a word twice in a row in a name the model wrote ("towel towel")
AREA_WORDS = frozenset({"room", "area", "space"})


def _area_core(area: str) -> str:
    """An area's name without the words that only say it is a place ("dining room" -> "dining"), unless that is all."""
    kept = [t for t in tokens(area) if t.rstrip("s") not in AREA_WORDS]
    return " ".join(kept) or area


def _area_similarity(said: str, area: str) -> float:
    """"the dining area" is the dining room: between two names of a room, the other word tells places apart; but a
    "garden room" is no garden (an area whose name says no room word is matched as said)."""
    core = _area_core(area)
    return similarity(_area_core(said), core) if core != " ".join(tokens(area)) else similarity(said, area)


def _says_many(text: str) -> bool:
    """"all", "every", a kind word in the plural ("the doors"), "the line", an e-stop: more than one thing is meant."""
    words = text.split()
    return any(w in MANY_WORDS or (w.endswith("s") and w[:-1] in ALL_GENERIC) for w in words) or " e stop" in f" {text}"


def _a_place(words: list[str], i: int) -> bool:
    """Whether `words[i]` follows a place word ("to the sunroom"), not the particle of "turn on the ..."."""
    if i < 2 or words[i - 2] not in PLACE_WORDS:
        return False
    return not (words[i - 2] == "on" and i >= 3 and words[i - 3] in ("turn", "switch", "power"))
