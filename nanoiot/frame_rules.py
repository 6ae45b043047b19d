"""Rules that mend or refuse the model's frames before they are resolved, on what the sentence says.

A question only reads; a question reads every device it names; "it" is the device before it;
every device a command names is acted on, or none is. Each is a function of the frames, the
sentence and its placeholders, so the parser applies them in order and tests call them alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from nanoiot.kinds import GENERIC_WORDS
from nanoiot.matching import DETERMINERS, is_designator
from nanoiot.vocabulary import FRAME_SEPARATOR, NOT_A_COMMAND, Frame

QUERY = "query.get_state"
ALL_KIND_WORDS = frozenset().union(*GENERIC_WORDS.values())
PRONOUN = re.compile(r"\b(?:it|them|its|their|that one)\b")
VERB_OBJECT = {"the", "my", "our", "a", "an", "on", "off", "up", "down", "it", "them", "all", "every", "this", "that"}
PLACEHOLDER = re.compile(r"[a-z]+_\d")
# "should i turn off the compressor" asks for advice: it reads, never stops the machine; "why is the kettle on" asks
# too; not "when": "when the sun sets ..." is a condition
QUESTION_WORDS = {"is", "are", "was", "were", "did", "does", "do", "has", "have", "what", "what's", "whats", "how", "how's", "which",
                  "should", "why", "who", "whose", "where"}


# "hmm the office shades are half open", "ugh who set the heating to 30": a sound before the sentence says nothing
# of what it is; "note to self: buy new bulbs" opens a note, not a request
INTERJECTION = re.compile(r"^(?:(?:hmm+|oh|ooh|wow|lol|oops|ugh|well|so|yeah|huh|ah|aha|hey look|omg|note to self|brr+|argh+|jeez|geez"
                          r"|yikes|whoa|gah|aw+)\s+)+")
MODALS = frozenset({"would", "could", "can", "will", "might", "may"})
# "do you ...", "have the lights been ...": a question; "do a coffee for me", "have the roomba clean the kitchen": a request
SUBJECTS = frozenset("you u i we they it he she the my our your these those this that any all there".split())


EITHER_STATE = re.compile(r"\b(?:on|open|locked|running|up) or (?:off|closed|shut|unlocked|stopped|down|not)\b"
                          r"|\b(?:off|closed|shut|unlocked|stopped|down) or (?:on|open|locked|running|up)\b")


def asks(text: str) -> bool:
    """The sentence is a question by its first word ("is", "what", "should", ...). "do" and "have" open a
    request too: "do" asks only before its subject ("do you", "do the lights"), "have" only before a person
    ("have you") or where "been" follows ("have the lights been turned off")."""
    if EITHER_STATE.search(text):  # "garage door open or closed??"
        return True
    words = INTERJECTION.sub("", text).split()
    if len(words) > 1 and words[0] in MODALS and words[1] in ("it", "that", "there") \
            and " ".join(words[2:5]) != "be possible to":  # not "can this room have ..."
        return True  # "would it be a good idea to unlock the back door" asks advice ("would you ..." asks for it done);
        # "would it be possible to set the heating to 21" asks for it done
    if not words or words[0] not in QUESTION_WORDS:
        return False
    if words[0] == "do":
        return len(words) > 1 and words[1] in SUBJECTS
    if words[0] == "have":
        return len(words) > 1 and (words[1] in SUBJECTS - {"the", "my", "our", "your", "these", "those", "this", "that"}
                                   or "been" in words)
    return True


def as_questions(frames: list[Frame], text: str) -> list[Frame]:
    """"is the back door locked" asks; it must never lock. A question only reads state."""
    if not asks(text) or all(f.service == QUERY for f in frames):
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
    if not frames or not asks(text) or any(f.service != QUERY for f in frames):
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


THEM = re.compile(r"\b(?:them|both of them|all of them|they|both)\b")


def to_them_all(frames: list[Frame], source: str) -> list[Frame]:
    """"turn on the kitchen light and the office light and set them to 30 percent": "them" is every device named
    before, so the last frame's setting goes to each of them (the model gave it to the last one only)."""
    if len(frames) < 2 or not THEM.search(source) or not frames[-1].data:
        return frames
    last = frames[-1]
    out = list(frames)
    for frame in frames[:-1]:
        if frame.service_domain == last.service_domain and (frame.name or frame.area) \
                and (frame.name, frame.area) != (last.name, last.area) and not set(last.data) <= set(frame.data):
            same = replace(last, name=frame.name, area=frame.area)
            if same not in out:
                out.append(same)
    return out


def carry_area(frames: list[Frame], has_kind_in: Callable[[str, str], bool]) -> list[Frame]:
    """"turn off the lights in the office and close the shades": the shades of the office.

    A later frame that names no device and no place is said in the place of the frame before it,
    where that place has a device of its kind (otherwise it stays as the model read it).
    """
    out = frames[:1]
    for frame in frames[1:]:
        before = out[-1]
        if not frame.name and not frame.area and before.area and not before.name and has_kind_in(frame.service_domain, before.area):
            frame = replace(frame, area=before.area)
        out.append(frame)
    return out


def carry_area_back(frames: list[Frame], text: str, has_kind_in: Callable[[str, str], bool]) -> list[Frame]:
    """"turn off every light and fan in the office": two kinds joined by "and" before one place are both of that
    place; the frame of the first kind, read with no place, takes the second's (where the place has one of its kind)."""
    out = list(frames)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        if first.name or first.area or not second.area or second.name or not has_kind_in(first.service_domain, second.area):
            continue
        kinds = GENERIC_WORDS.get(first.service_domain, set()), GENERIC_WORDS.get(second.service_domain, set())
        for match in KINDS_JOINED.finditer(text):
            if match.group(1) in kinds[0] and match.group(2) in kinds[1]:
                out[i] = replace(first, area=second.area)
                break
    return out


KINDS_JOINED = re.compile(r"\b(\w+) (?:and|&) (?:the |all the |every |all )?(\w+) (?:in|on|at) (?:the |my |our )?\w")


def _bare_placeholder(name: str) -> str:
    """"switch_1 plug socket" (the wemo plug socket, "wemo" the registry's alias) is switch_1: the words beside
    the placeholder only say its kind."""
    words = name.split()
    held = [w for w in words if PLACEHOLDER.fullmatch(w)]
    if len(held) != 1 or len(words) == 1:
        return name
    kind = held[0].rsplit("_", 1)[0]
    return held[0] if all(w == held[0] or w in GENERIC_WORDS.get(kind, ()) for w in words) else name


AREAS_OF_A_KIND = re.compile(r"\b(?P<first>area_\d+) and (?:the |my |our )?(?P<second>area_\d+) (?P<kind>[a-z]+)\b")


def one_kind_for_areas(frames: list[Frame], source: str) -> list[Frame]:
    """"set the area_1 and area_2 fans to 50 percent" read as the first area's lights on: a kind said after two areas
    is both areas' kind; the first takes the second's request."""
    said = AREAS_OF_A_KIND.search(source)
    before = re.split(r"\band\b", source[: said.start()])[-1].split() if said else []
    if any(w in words or w.rstrip("s") in words for w in before for words in GENERIC_WORDS.values()):
        return frames  # "turn on the lights in the area_1 and the area_2 fan": the first area has its own kind
    kind = said and next((d for d, words in GENERIC_WORDS.items() if said.group("kind") in words or said.group("kind").rstrip("s") in words), None)
    second = next((f for f in frames if said and f.area == said.group("second")), None)
    if not kind or second is None or second.service_domain != kind:
        return frames
    return [replace(second, area=f.area) if f.area == said.group("first") and f.service_domain != kind else f for f in frames]


# "upstairs heat to 18 and downstairs to 20": the second place said with a value alone, its kind left to the first
ELSEWHERE_TO = re.compile(r"\band (?:in |on )?(?:the |my |our )?(?P<place>[a-z_]+(?: [a-z_]+)?) to (?P<value>\d+(?:\.\d+)?)"
                          r"(?: (?:percent|degrees?))?$")
SETTING_KEYS = ("temperature", "brightness_pct", "percentage", "position", "speed_pct")


def same_setting_elsewhere(frames: list[Frame], source: str) -> list[Frame]:
    """"upstairs heat to 18 and downstairs to 20" read as the heating upstairs and the lights downstairs at 20: a
    second part that says only a place and a value sets what the first part set, there."""
    said = ELSEWHERE_TO.search(source)
    if not said or len(frames) != 2 or any(w in words or w.rstrip("s") in words
                                           for w in said.group("place").split() for words in GENERIC_WORDS.values()) \
            or re.search(r"\b(?!area_)[a-z]+_\d+\b", said.group("place")):
        return frames
    first, second = frames
    key = next((k for k in SETTING_KEYS if k in first.data), None)
    value = next((v for k, v in second.data.items() if k in SETTING_KEYS), None)
    if key is None or value is None or first.service == second.service or str(value) != said.group("value") \
            and not (re.fullmatch(r"\d+(?:\.\d+)?", str(value)) and float(value) == float(said.group("value"))):
        return frames
    return [first, Frame(first.service, None, second.area, first.domain, {key: value})]


APPOSED = re.compile(r"\b((?!area_)[a-z]+_\d+) ((?!area_)[a-z]+_\d+)\b")


def name_every_device(frames: list[Frame], slots: dict[str, str], source: str) -> tuple[list[Frame], str | None]:
    """"turn on the kitchen light and the hall light": every device the sentence names is acted on, or none is.

    The model may drop a name it was shown (a placeholder no frame uses). A name joined by
    "and" to one the model used is done the same way; a frame that names nothing, of that
    device's kind, takes it ("turn off the kettle and start the coffee maker"), or goes when
    it only repeats what the named frames do. Any other name left over means the sentence was
    half understood: the second value says what was not understood, and nothing is done.
    """
    frames = [replace(f, name=_bare_placeholder(f.name)) if f.name else f for f in frames]
    invented = next((p for f in frames for p in (f.name, f.area) if p and PLACEHOLDER.fullmatch(p) and p not in slots), None)
    if invented:  # a placeholder the sentence never had: the model lost track of what it names (never quoted back)
        return frames, "which device is meant?"
    if all(f.service == QUERY for f in frames):
        return frames, None  # reading state acts on nothing; all_asked reads every device a question names
    dropped = _kind_left_out(frames, source)
    if dropped:
        return frames, f"what should happen to {dropped!r}?"
    apposed = APPOSED.search(source)
    if apposed:  # "start the feed pump, pump 3": two names run together, no "and": one said again, or two?
        return frames, f"{slots.get(apposed.group(1), apposed.group(1))!r} or {slots.get(apposed.group(2), apposed.group(2))!r}?"
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
                frames = [g for f in frames for g in ((f, _same_request(f, placeholder)) if f.name == partner else (f,))]
                used.add(placeholder)
                left.remove(placeholder)
                progress = True
                break
    for placeholder in list(left):
        kind = placeholder.rsplit("_", 1)[0]
        open_frames = [i for i, f in enumerate(frames) if not f.name and not f.area and kind in ("device", f.service_domain)]
        joined = re.search(rf"\b(\w+) and (?:the |my |our )?{placeholder}\b|\b{placeholder} and (?:the |my |our )?(\w+)\b", source)
        partner = joined and (joined.group(1) or joined.group(2))
        if len(open_frames) == 1 and partner and partner in GENERIC_WORDS.get(frames[open_frames[0]].service_domain, ()):
            # "turn on the lamp and the light_1" read as one unnamed frame: it is the lamp's and the light_1's
            return frames, f"what should happen to the {partner!r}?"
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


# services that switch a device one way, and the service that switches it back
OPPOSITE = {a: b for x, y in (("light.turn_on", "light.turn_off"), ("switch.turn_on", "switch.turn_off"),
                             ("fan.turn_on", "fan.turn_off"), ("cover.open_cover", "cover.close_cover"),
                             ("lock.unlock", "lock.lock"), ("valve.open_valve", "valve.close_valve"),
                             ("machine.start", "machine.stop"), ("vacuum.start", "vacuum.stop")) for a, b in ((x, y), (y, x))}
ON_SERVICES = {"light.turn_on", "switch.turn_on", "fan.turn_on", "cover.open_cover", "lock.unlock", "valve.open_valve",
               "machine.start", "vacuum.start"}
ON_WORDS = {"on", "open", "unlock", "start", "run"}
OFF_WORDS = {"off", "close", "shut", "lock", "stop"}
# how a part after "and" starts when it has no verb of its own: "... and the garage door", "... and all the lights"
NO_VERB_START = VERB_OBJECT - {"on", "off", "up", "down"} | {"both", "each", "those", "these", "then", "also", "too"}


def one_direction(frames: list[Frame], source: str) -> list[Frame]:
    """"open the garage door and the blinds" opens both: one verb said, one direction done.

    The model may give a part joined by "and" the opposite service (closing the blinds it
    was asked to open). Where every part after the first has no verb of its own and every
    on/off word the sentence says points one way, a frame switching the other way (with no
    data of its own) is turned round. Mixed sentences ("turn off the light on the porch",
    "stop the conveyor and run the pump") are left as the model read them.
    """
    if not one_verb(frames, source):
        return _each_verb_one_direction(frames, source)
    on = _way(source)
    return frames if on is None else [_one_way(f, on) for f in frames]


def _one_way(frame: Frame, on: bool) -> Frame:
    """`frame` switching the way `on` says: turned round where it has no data of its own and goes the other way."""
    if frame.service in OPPOSITE and not frame.data and (frame.service in ON_SERVICES) != on:
        return replace(frame, service=OPPOSITE[frame.service])
    return frame


def _way(text: str) -> bool | None:
    """True where the on/off words `text` says all point on, False where all point off, None otherwise."""
    said = text.split()
    # "the light on the porch": "on" before a determiner is a place, unless a verb comes right before it
    words = {w for i, w in enumerate(said) if not (w == "on" and 0 < i < len(said) - 1 and said[i + 1] in DETERMINERS
                                                    and said[i - 1] not in ("turn", "switch", "power", "put"))}
    on, off = bool(words & ON_WORDS), bool(words & OFF_WORDS)
    return None if on == off else on


def _each_verb_one_direction(frames: list[Frame], source: str) -> list[Frame]:
    """"turn off the switch_1 and stop the machine_1 and the machine_2" stops both machines: each verb, with the
    verbless parts after it, is one direction; a frame naming a device said under it is turned round where the model
    gave it the other way (with no data of its own)."""
    groups: list[str] = []
    for part in re.split(r"\band\b", source):
        if groups and verbless(part.split()):
            groups[-1] += f" and {part}"
        else:
            groups.append(part)
    if len(groups) < 2:
        return frames
    out = []
    for f in frames:
        under = [g for g in groups if f.name and re.search(rf"\b{re.escape(f.name)}\b", g)]
        on = _way(under[0]) if len(under) == 1 else None
        out.append(f if on is None else _one_way(f, on))
    return out


OWN_WAY = ON_WORDS | OFF_WORDS | {"up", "down", "unlock", "unlocked", "locked", "closed", "opened", "stopped", "started",
                                  "running", "reset"}


def one_request(frames: list[Frame], source: str) -> list[Frame]:
    """"clean the living room and the kitchen" is one request for two places: one verb said, one thing done.

    The model may give the verbless part a request of a kind the sentence never says (the kitchen's lights
    switched on). Where every part after the first has no verb of its own, a later frame that names no device,
    of a kind no word of the sentence says, does what the first frame does; a repeat is dropped.
    """
    parts = one_verb(frames, source)
    if not parts:
        return frames
    words = set(source.split())
    first = frames[0]
    out = [first]
    for f in frames[1:]:
        kind = f.service_domain
        if not f.name and kind != first.service_domain and kind in GENERIC_WORDS and not words & GENERIC_WORDS[kind]:
            f = replace(f, service=first.service, data=dict(first.data))
        # "clear the fault on machine_1 and machine_2" read as starting machine_2: a part that says no way of its
        # own does what the verb before it says
        own = [p for p in parts[1:] if f.name and re.search(rf"\b{re.escape(f.name)}\b", p)]
        if kind == first.service_domain and f.service != first.service and not f.data and not first.data \
                and f.service != QUERY and own and not set(own[0].split()) & OWN_WAY:
            f = replace(f, service=first.service)
        if f not in out:
            out.append(f)
    return out


def one_setting(frames: list[Frame], source: str) -> list[Frame]:
    """"set machine_1 and machine_2 to 60 percent" sets both: one verb and one setting said, one for each part.

    The model may give the part without the value a plain on/start ("start mixer 1, mixer 2 to 60").
    Where every part after the first has no verb of its own and the frames carry one setting, a frame
    of that kind of device with no data of its own takes it, unless it switches the other way ("the lamp to
    50 percent and the kitchen light off": the kitchen light goes off).
    """
    parts = one_verb(frames, source)
    if not parts:
        return frames
    if any(set(p.split()) & (ON_WORDS | OFF_WORDS) for p in parts[1:]):  # "... and the bedroom light on": its own request
        return frames
    settings = {(f.service, tuple(sorted(f.data.items()))) for f in frames if f.data}
    if len(settings) != 1:
        return frames
    service, data = settings.pop()
    return [replace(f, service=service, data=dict(data))
            if not f.data and f.service_domain == service.split(".")[0] and (f.service in ON_SERVICES or f.service == service)
            else f for f in frames]


REQUEST_START = re.compile(r"^(?:(?:please|then|also|now|just) )*(?:[a-z]+_\d+ )?(?:turn|switch|start|restart|stop|open|close|shut"
                           r"|lock|unlock|set|dim|run|reset|clear|put|raise|lower|brighten|go back|go home|send|dock)\b")


RESTART = re.compile(r"\brestart\b|\b(?:and|then) (?:then )?start (?:it|them)\b|\b(?:bring|get|put) (?:it|them|[a-z]+_\d+) (?:back )?online\b"
                     r"|\b(?:and|then) (?:then )?(?:bring|get|fire) (?:it|them) "
                     r"(?:back )?(?:up|going|running)\b")


# "the dock door's hung up half open, close it" read as position 50: the request said last is the way, the value
# belongs to what was told before it
LAST_WAY = re.compile(r"\b(?P<way>close|shut|open) (?:it|them)(?: (?:please|now|up|fully|all the way))*$")
POSITION_WAYS = {"cover.set_cover_position": ("cover.open_cover", "cover.close_cover"),
                 "valve.set_valve_position": ("valve.open_valve", "valve.close_valve")}


def way_said_last(frames: list[Frame], text: str) -> list[Frame]:
    last = LAST_WAY.search(text)
    if not last or len(frames) != 1 or frames[0].service not in POSITION_WAYS:
        return frames
    opening, closing = POSITION_WAYS[frames[0].service]
    return [replace(frames[0], service=opening if last.group("way") == "open" else closing, data={})]


def requests_dropped(frames: list[Frame], source: str, output: str) -> str | None:
    """"clear the alarm on machine_1 and start it back up" read as the reset alone (the model wrote `none` for the
    rest): where the output holds a part that is no request, and the sentence says more requests, each after "and"
    with a verb of its own, than there are frames, what the part dropped was asked too. The reason, else None."""
    parts = [p.strip() for p in output.split(FRAME_SEPARATOR.strip())]
    if any(f.service == "machine.reset_fault" for f in frames) and not any(f.service == "machine.start" for f in frames) \
            and RESTART.search(source):  # "clear the fault on machine_1 and restart it" read as the reset alone
        return f"what should happen for {RESTART.search(source).group(0)!r}?"  # type: ignore[union-attr]
    if len(parts) < 2 or NOT_A_COMMAND not in parts:
        return None
    asked = [p.strip() for p in re.split(r"\band\b", source) if REQUEST_START.match(p.strip())]
    return f"what should happen for {asked[-1]!r}?" if len(asked) > len(frames) else None


def one_verb(frames: list[Frame], source: str) -> list[str] | None:
    """The parts of a sentence of several frames joined by "and" where only the first has a verb; None otherwise."""
    parts = re.split(r"\band\b", source)
    if len(frames) < 2 or len(parts) < 2 or not all(verbless(p.split()) for p in parts[1:]):
        return None
    return parts


def verbless(words: list[str]) -> bool:
    """A part after "and" that starts as an object does, not with a verb: "the cover_1", "all the lights"."""
    return bool(words) and (words[0] in NO_VERB_START or words[0] in ALL_KIND_WORDS or bool(PLACEHOLDER.fullmatch(words[0])))


def _same_request(frame: Frame, placeholder: str) -> Frame:
    """The frame done to `placeholder` too: "turn on the light_1 and the fan_1" is fan.turn_on for the fan."""
    kind = placeholder.rsplit("_", 1)[0]
    service = frame.service
    if not frame.data and service in OPPOSITE and kind != service.split(".", 1)[0]:
        on = service in ON_SERVICES
        service = next((s for s in OPPOSITE if s.startswith(f"{kind}.") and (s in ON_SERVICES) == on), service)
    return replace(frame, name=placeholder, service=service)


def _kind_left_out(frames: list[Frame], source: str) -> str | None:
    """"turn on the light_1 and the fan", "... and the tree": a thing said after "and", with no verb of its own,
    that no frame does anything to (a kind of device no frame is of, a name no frame holds); "turn off all the
    lights and close the blinds" read as the lights alone: a request of its own, of a kind no frame is of."""
    named = {w for f in frames if f.name and not PLACEHOLDER.fullmatch(f.name) for w in f.name.split()}
    for part in re.split(r"\band\b|\b(?:plus|with)\b(?= the\b)", source)[1:]:  # "lights off with the fan too"
        words = part.split()
        if len(words) == 1 and is_designator(words[0]):  # "start conveyor a and b": the model reads the first only
            return words[0]
        if any(PLACEHOLDER.fullmatch(w) for w in words):
            continue
        content = [w for w in words if w not in NO_VERB_START and w != "please"]
        kinds = {k for w in content for k, said in GENERIC_WORDS.items() if w in said}  # "the heat": any kind it may be
        if kinds:
            if not any(k in (f.service_domain, f.domain) for k in kinds for f in frames):
                return " ".join(words)
        elif verbless(words) and content and not named & set(content):  # a name only where no verb of its own is said
            return " ".join(words)
    return None


def _says_kind(kind: str, source: str) -> bool:
    """The sentence says a kind of device by its kind word ("all the lights"), not only through names.

    A kind word followed by its object is a verb: "lock the lock_1", "switch off the switch_1".
    """
    words = source.split() + [""]
    kind_words = GENERIC_WORDS.get(kind, set())
    return any(w in kind_words and (w in PLURAL_KINDS  # "dim the lights a touch": a plural is no verb
                                    or words[i + 1] not in VERB_OBJECT and not PLACEHOLDER.fullmatch(words[i + 1]))
               for i, w in enumerate(words[:-1]))


PLURAL_KINDS = frozenset("lights lamps bulbs fans blinds curtains shades shutters valves".split())
