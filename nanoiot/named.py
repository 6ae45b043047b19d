"""Devices said in ways the model reads as something broader: a designator, a name word after "all the",
a word of a name read as an area. Each turns a frame that would act on every device of a kind into one
that names what was said, so a site without it refuses instead of acting on all of them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import takewhile

from nanoiot.colors import COLOR_NAMES
from nanoiot.frame_rules import QUERY
from nanoiot.kinds import ALL_GENERIC, GENERIC_WORDS, NOT_A_KIND
from nanoiot.matching import FILLER, NOT_A_NAME, same_word, snap_to_span
from nanoiot.normalize import normalize
from nanoiot.registry import Device
from nanoiot.resolver import ResolveError, Resolver
from nanoiot.schema import Action
from nanoiot.sentence import EVERY, READING_TOLD
from nanoiot.vocabulary import Frame
from nanoiot.words import is_phrasing

# "light 7", "valve 2", "fan b": a kind word with a designator names one device, never every one of the kind
DESIGNATED = re.compile(r"\b(?P<kind>[a-z]+) (?P<n>\d{1,2}|[a-h])\b(?! ?(?:percent|per cent|pct|degrees?|kelvin|k|am|pm|minutes?|hours?)\b)")


def designated(frames: list[Frame], text: str) -> list[Frame]:
    """"turn on light 7" read as every light: the device said by kind and designator is the name, so a site
    without it refuses (`unknown_device` 'light 7') instead of acting on all of the kind."""
    said: dict[str, str] = {}
    carried = {str(v) for f in frames for v in f.data.values()}
    for match in DESIGNATED.finditer(text):
        kind = match.group("kind")
        if match.group("n") in carried:
            continue  # "bedroom fan 15": the number is the speed the frame sets
        domains = {d for d, words in GENERIC_WORDS.items() if kind in words or kind.rstrip("s") in words} - {"climate", "machine"}
        for domain in domains:
            said.setdefault(domain, f"{kind} {match.group('n')}")
    return [replace(f, name=said[f.service_domain]) if not f.name and f.service_domain in said else f for f in frames]


def area_in_a_name(frames: list[Frame], text: str, resolver: Resolver) -> list[Frame]:
    """"set the line lights to purple" read as the lights of an area called "line": where no area has that
    name and the sentence says one device whose name holds it ("line lights"), that device is meant."""
    out = []
    for frame in frames:
        if frame.area and not frame.name and not resolver.areas_said(frame.area):
            named = [d for d in resolver.registry.devices  # only for an area no registry has: rare, so a scan
                     if any(frame.area in n.split() and re.search(rf"\b{re.escape(n)}\b", text)
                            for n in map(normalize, (d.name, *d.aliases)))]
            if len(named) == 1:
                frame = replace(frame, name=named[0].name, area=None)
        out.append(frame)
    return out


def all_of_a_name(frames: list[Frame], text: str, devices: list[Device]) -> list[Frame]:
    """"stop all the pumps" read as every machine: "all the X", X a word of device names and no kind word, names
    the devices called X ("pump 1", "pump 3"), never every device of the kind."""
    for match in EVERY.finditer(text):
        said = match.group("kind")
        word = said[:-1] if said.endswith("s") else said
        if said in ALL_GENERIC or word in ALL_GENERIC:
            continue
        kinds = {d.domain for d in devices if word in normalize(d.name).split()}
        if kinds:
            return [replace(f, name=said) if not f.name and f.service_domain in kinds else f for f in frames]
    return frames


# "in room 5", "on line 2", "in bay 3": a place said by its kind and designator (floors are left to the registry's floors)
PLACE_DESIGNATED = re.compile(r"\b(?:in|on|at) (?:the )?(?P<place>(?:room|area|zone|bay|building|unit|hall|line|wing) "
                              r"(?:\d{1,3}|[a-h]))\b")


# "the overhead light", "the main lights", "all interior lamps", "the mood lighting": where a light hangs or what it
# is for, said by people of the light they mean; a registry whose names have no such word can only take it as the
# lights of the place said
FIXTURE = re.compile(r"\b(?P<word>overhead|ceiling|main|big|top|interior|indoor|inside|mood|ambient|accent) (?=(?:lights?|lamps?|lighting|bulbs?)\b)")


def plain_fixture(text: str, resolver: Resolver) -> str:
    """"overhead lights on please" -> "lights on please" where no name or area of the registry says "overhead"
    (refused before as a device the registry lacks); a registry with a "ceiling light" keeps the word."""
    return FIXTURE.sub(lambda m: m.group(0) if resolver.knows(m.group("word")) else "", text)


# "the hue lights", "switch off hue", "start the roborock": a maker's name said for the kind of device it makes
BRANDS = {"light": ("hue", "lifx", "tradfri", "govee", "nanoleaf"), "switch": ("wemo", "kasa", "tapo", "meross"),
          "vacuum": ("irobot", "iroomba", "roborock", "deebot", "neato", "eufy", "robovac")}
KIND_SAID = {"light": "lights", "switch": "plug", "vacuum": "vacuum"}
BRAND = re.compile(r"\b(?:philips )?(?P<brand>" + "|".join(b for bs in BRANDS.values() for b in bs) + r")(?: (?P<kind>\w+))?")


def brand_as_kind(text: str, resolver: Resolver) -> str:
    """A maker's name no name of the registry holds is its kind of device: dropped before a kind word ("the hue
    lights" -> "the lights"), the kind word where said alone ("switch off hue" -> "switch off lights"). Refused
    before as a device the registry lacks."""
    def plain(m: re.Match[str]) -> str:
        brand, kind = m.group("brand"), m.group("kind")
        if resolver.knows(brand):
            return m.group(0)
        if kind and kind in ALL_GENERIC:
            return kind
        domain = next(d for d, names in BRANDS.items() if brand in names)
        if any(w in GENERIC_WORDS[domain] for w in text.split()):  # "the hue of the lights": a colour's
            return m.group(0)
        return KIND_SAID[domain] + (f" {kind}" if kind else "")
    return BRAND.sub(plain, text)


OUT_OF_DOORS = re.compile(r"\b(?:outdoor|outside|exterior|external) (?P<kind>\w+)")


def outdoors_last(text: str, resolver: Resolver) -> str:
    """"the outdoor lights" -> "the lights outside", a place the resolver knows (`Registry.areas_called`), where no
    device name says the word; before, the word was a name nobody had, or the model dropped it and lit every light."""
    if "out" not in text and "ext" not in text:
        return text
    return OUT_OF_DOORS.sub(lambda m: m.group(0) if m.group("kind") not in ALL_GENERIC or resolver.knows(m.group(0).split()[0])
                            else f"{m.group('kind')} outside", text)


def unknown_place(text: str, resolver: Resolver) -> str | None:
    """"turn off all the lights in room 5" read as every light (the model dropped the room): a place said by kind
    and number that no registry area is, quoted; None when there is none or the registry has it."""
    for match in PLACE_DESIGNATED.finditer(text):
        if not resolver.areas_said(match.group("place")) and not resolver.area_called(match.group("place")):  # "room 1" of the tomb
            return match.group("place")
    return None


# "the heater in the dome": a place said after a device, by a word the site has nowhere
IN_PLACE = re.compile(r"\b(?:in|inside|out in|down in|up in|over in) (?:the|my|our) ([a-z]+)$")


def place_not_here(frames: list[Frame], text: str, resolver: Resolver) -> str | None:
    """"turn on the heater in the dome", read as the patio's heater (the site has no patio either): where the model
    wrote a place the site lacks, or a place is said last beside another ("the lights on the shop floor and in the
    warehouse"), the place said last, when no word of the site's names or areas is it, quoted."""
    match = IN_PLACE.search(text)
    if not (match and (any(f.area and not resolver.has_area(f.area) for f in frames)  # "... and in the warehouse" too
                       or text[: match.start()].endswith(" and "))):
        return None
    word = match.group(1)
    if not resolver.knows(word) and word not in ALL_GENERIC and not resolver.has_area(word) and not is_phrasing(word):
        return " ".join(match.group(0).split()[-2:])
    return None


# rooms people name; one the site has no area of, said beside a device ("turn off the attic exhaust fan"), must not
# be dropped on the way to the device of that name that stands elsewhere
# floors, where the site names none ("turn off everything downstairs" was the bedroom's lights)
FLOORS = ("upstairs", "downstairs", "ground floor", "first floor", "second floor", "top floor")
ROOMS = ("attic", "basement", "cellar", "loft", "garage", "kitchen", "bedroom", "bathroom", "hallway", "porch", "patio",
         "garden", "office", "nursery", "lounge", "living room", "dining room", "laundry room", "utility room", "boiler room",
         "playroom", "balcony", "shed", "workshop", "conservatory", "pantry", "greenhouse", "barn", "guest room", "kids room",
         # what a bathroom is called elsewhere ("loo fan off" switched off the bedroom's fan)
         "loo", "toilet", "washroom", "restroom", "lavatory", "en suite", "ensuite", "wc", "powder room", "cloakroom", "study",
         "staff room", "staffroom", "break room", "common room", "meeting room", "boardroom", "waiting room", "changing room",
         "locker room", "server room", "store room", "storeroom", "stock room", "plant room", "spare room", "box room",
         "games room", "sun room", "sunroom", "canteen",
         *FLOORS)
ROOM = re.compile(r"\b(" + "|".join(sorted(ROOMS, key=len, reverse=True)) + r")\b")


def unknown_room(text: str, resolver: Resolver, floors: bool = True) -> str | None:
    """"turn off the attic exhaust fan" read as the paint shop's exhaust fan (the model dropped the attic): a room
    said that the site has no area of, and that is no word of a device said, quoted; None otherwise. `floors`: a
    floor counts too (not for a question: "is the front door locked? i heard something downstairs")."""
    lacking = [room for room in (m.group(1) for m in ROOM.finditer(text)) if not resolver.has_area(room)
               and (floors or room not in FLOORS) and room not in resolver.name_heads]  # "unlock the server room": the
    if not lacking:  # head of a device's name ("server room door"); most sentences: no room said, or rooms the site has
        return None
    named = {w for d in resolver.mentioned(text) for n in (d.name, *d.aliases, d.area or "") for w in normalize(n).split()}
    areas = [normalize(area) for area in resolver.areas_said(text)]
    named |= {w for area in areas for w in area.split()}  # "the upstairs bathroom"
    lacking = [room for room in lacking if not any(f"{room} {area}" in text for area in areas)]  # a floor said of a room
    return next((room for room in lacking if not set(room.split()) <= named), None)


# words that describe one device of a site as well as name another: never taken for a device the site lacks
DESCRIBING = frozenset("main big small little large tiny left right new old top bottom front back upper lower other first "
                       "second third middle far near tall short bright dim usual same whole upstairs downstairs".split())
NP_ENDS = frozenset("to at in on off up down for from with by of and or but please now then too again behind near next beside "
                   "under over inside outside into onto through after before while when if so because as than until till "
                   "about around across along between since is are was were be has have had will would can could should "
                   "did does do it them me you us him her".split())
NOUN_PHRASE = re.compile(r"\b(?:the|my|our|your|this|that) (?=((?:[a-z]+ ){0,2}[a-z]+))")  # overlapping: "the x and the y"


def unknown_modifier(text: str, resolver: Resolver, targets: list[str]) -> str | None:
    """A noun phrase said that is near a name of a device acted on but names another thing, quoted (a device the site
    lacks); None otherwise. Near: "the cooling water valve" for the main water valve and "the heat pump" for the feed
    pump (one word before the head differs, a word no name of the site has or a kind word of another kind); "the
    fish tank heater" for the heater (words before a whole name that name nothing here); "the front gate" for the
    front door, "the ceiling speaker" for the ceiling light, "the robot mop" for the robot vacuum (another head)."""
    devices = list(filter(None, map(resolver.registry.get, dict.fromkeys(targets))))
    names_of = {d.id: [normalize(n).split() for n in (d.name, *d.aliases)] for d in devices}  # once, not per phrase
    own_of = {d.id: {w for words in names_of[d.id] for w in words} for d in devices}
    every_word = set().union(*own_of.values())
    acted = frozenset(targets)
    for match in NOUN_PHRASE.finditer(text):
        said = list(takewhile(lambda w: w not in NP_ENDS, match.group(1).split()))  # "the pool heater to 28"
        if not said or any(_alike(said, w) for names in names_of.values() for w in names):
            continue  # a device acted on ("... and the air dryer")
        series = resolver.series.get(" ".join([*said[:-1], said[-1].removesuffix("s")]))
        if series and series <= set(targets):
            continue  # "the dock doors", every one of "dock door 1" .. "dock door 4" acted on
        beside = text[: match.start()].endswith("and ") and len(said) <= 2 and not every_word & set(said) \
            and (_another_beside(said[-1], devices, own_of, resolver)  # "turn off the kettle and the toaster"
                 or said[-1] in ALL_GENERIC and not resolver.knows(said[0]) and said[0] not in ALL_GENERIC
                 and not is_phrasing(said[0]))  # "the bedroom light and the bedside lamp" where no lamp is bedside
        phrase = " ".join(said)
        if (beside or any(_near(said, names_of[d.id], own_of[d.id], d.domain, resolver, acted) for d in devices)) \
                and not resolver.has_area(phrase):  # a place is no device ("... and the pump house"): asked last, it costs
            return phrase
    return None


# "turn off tom's lamp" where the lamps are dave's and sarah's: someone's device, said without "the"
OWNED = re.compile(r"\b(?P<owner>[a-z]+)'s (?!(?:gone|been|got|left|turned|switched|put|done|just|still|not|off|on|out)\b)"
                   r"(?:[a-z]+ )?(?P<kind>[a-z]+)\b")
NO_OWNER = frozenset("it that what there here who he she let where how everything nothing something one today tonight "
                     "tomorrow yesterday everyone everybody someone somebody nobody anyone anybody".split())


def unknown_owner(text: str, resolver: Resolver) -> str | None:
    """"tom's lamp" where no name or place of the site says tom: someone's device the site does not know, quoted."""
    for match in OWNED.finditer(text):
        owner, kind = match.group("owner"), match.group("kind")
        if owner not in NO_OWNER and kind in ALL_GENERIC and not resolver.knows(owner) and not resolver.knows(f"{owner}'s") \
                and not resolver.has_area(owner):
            return match.group(0)
    return None


DIRECTIONS = frozenset({"up", "down", "on", "off", "in", "out", "over"})  # "uplighters up": "up" names nothing (gates.WAY_WORDS is wider)


def word_left_out(frames: list[Frame], text: str, resolver: Resolver, targets: list[str]) -> str | None:
    """"turn off the ceiling" from the bedroom read as its lights, the bedside lamp too: where no frame names a
    device, a word of some device's name said ("ceiling") that not every device acted on has, or that only another
    device of the kind acted on has ("the mirror"); None otherwise."""
    if any(f.name for f in frames) or not targets or EVERY.search(text):  # "all the outdoor lights": several meant
        return None
    words = text.split()
    candidates = [(before, word) for before, word, after in zip(["", *words], words, [*words[1:], ""])
                  # the word ends what is named ("the ceiling", "the ceiling lights"), not "the high setting"
                  if (after in ("", "please", "now", "on", "off", "in", "and", "to", "too", "a", "up", "down", "at", "full",
                                "dimmer", "brighter", "back") or after.rstrip("s") in ALL_GENERIC
                      or after.isdigit())  # "ceiling 30"
                  and (word.isalpha() or word.endswith("'s") and word[:-2].isalpha()) and word not in ALL_GENERIC and word.rstrip("s") not in ALL_GENERIC
                  and word not in NOT_A_NAME and word not in DIRECTIONS and resolver.knows(word)]
    candidates = [(before, word) for before, word in candidates
                  if word not in resolver.place_and_area_words and not resolver.registry.areas_called(word)]
    if not candidates:  # most sentences: no name word said beside a kind word
        return None
    acted = list(filter(None, map(resolver.registry.get, dict.fromkeys(targets))))
    own = [{w for n in (d.name, *d.aliases) for w in normalize(n).split()} for d in acted]
    kin = set().union(*(resolver.name_words_of(d.domain) for d in acted))  # name words of the kinds acted on
    for before, word in candidates:
        if any(word in names for names in own) and not all(word in names for names in own) \
                or before in ("", "the", "my", "our", "that", "this") and word in kin and not any(word in names for names in own):
            return word
    return None


FIRST_OBJECT = re.compile(r"^(?:please )?(?:\w+ ){1,2}?(?:the|my|our) (\w+)\b(?! (?:in|at)\b)")  # "in", "at": a place
FIRST_OBJECT_ENDS = re.compile(r"^(?:please )?(?:\w+ ){1,2}?(?:the|my|our) \w+(?: and\b|$)")  # the whole object said


def object_of_another(text: str, resolver: Resolver, targets: list[str]) -> str | None:
    """"shut off the coolant on cnc 3" stopped cnc 3, "shut the vents, it's turned chilly" switched the heater off: the
    thing the request is about, said first ("the coolant"), is a word of the name of another kind of device (cnc 3
    coolant, the roof vents) and of none acted on; that word, else None."""
    first = FIRST_OBJECT.match(text)
    word = first.group(1) if first else ""
    acted = set(targets)
    if word in resolver.place_and_area_words:
        # "switch off the sauna and also the light inside it" did the light alone: a place called like a device in it,
        # said first and whole, where that device is not acted on
        named = resolver.named_exactly(word)
        return word if named and not any(d.id in acted for d in named) and FIRST_OBJECT_ENDS.match(text) else None
    if not word.isalpha() or word.rstrip("s") in ALL_GENERIC or word in NOT_A_NAME or not resolver.knows(word):
        return None
    devices = [d for t in acted if (d := resolver.registry.get(t))]
    if any(word in normalize(n).split() for d in devices for n in (d.name, *d.aliases, d.kind or "")):
        return None
    kinds = {d.domain for d in devices}
    if kinds == {"vacuum"}:  # "vacuum the floor": a robot cleans what is said, the floor lamp aside
        return None
    others = [d for d in resolver.by_name_word.get(word, ()) if d.id not in acted and d.domain not in kinds]
    return word if others else None


def tail_left_out(text: str, resolver: Resolver, targets: list[str]) -> str | None:
    """"roller door up, high bays on, and start dusty" did the door and the extractor: the last two words of some
    devices' names said ("high bays" of "bay 2 high bays"), none of those devices acted on, and not told about ("the
    high bays are flickering"); that phrase, else None."""
    words = text.split()
    acted = set(targets)
    for i in range(len(words) - 1):
        tail = f"{words[i]} {words[i + 1]}"
        owners = resolver.tail_said(words[i], words[i + 1])
        after = words[i + 2] if i + 2 < len(words) else ""
        if owners and not owners & acted and after not in TOLD_AFTER:
            return tail
    return None


def letter_left_out(text: str, resolver: Resolver, targets: list[str]) -> str | None:
    """"brine pump on" started brine pump A: a name's last "a" is read as an article, so "brine pump" named it word for
    word; where its series has another letter ("brine pump B") and the sentence says the head without the letter,
    that head, else None."""
    padded = f" {text} "
    for device in filter(None, map(resolver.registry.get, targets)):
        names = [" ".join(normalize(n).split()) for n in (device.name, *device.aliases)]
        for name in names:
            *head, letter = name.split()
            said = " ".join(head)
            if letter == "a" and head and f" {said} " in padded and not re.search(rf"\b{re.escape(said)} a\b", text) \
                    and len(resolver.series.get(said, ())) > 1 and not resolver.series[said] <= set(targets) \
                    and not any(f" {other} " in padded for other in names if other != name) \
                    and (name == names[0] or any(  # an alias's letter counts where its series stands in one room
                        s.area == device.area for i in resolver.series[said] - {device.id} if (s := resolver.registry.get(i)))):
                return said
    return None


def series_left_out(text: str, resolver: Resolver, targets: list[str]) -> str | None:
    """"hafs off" from the office switched its air con off, "dehu on and put the hvac in dry mode" left the dehu: what
    names a series ("hafs a", "hafs b"; "dehu 1" ..) said, no device of it acted on, and no word of an acted device's
    names; that word, else None."""
    acted = set(targets)
    own = {w for t in acted if (d := resolver.registry.get(t)) for n in (d.name, *d.aliases) for w in normalize(n).split()}
    words = text.split()
    joined = {key.replace(" ", ""): ids for key, ids in resolver.series.items() if " " in key}  # "all the hookups off"
    for word in [*words, *(f"{a} {b}" for a, b in zip(words, words[1:]))]:  # "hook up off": "hook-up a1", "hook-up a2"
        for key in (word, word.removesuffix("s"), word.removesuffix("es")):  # "winches": "winch 1", "winch 2"
            series = resolver.series.get(key) or joined.get(key)
            if series and not series & acted and key not in own and word not in own and not set(word.split()) <= own:
                return word
    return None


def listed_left_out(text: str, resolver: Resolver, targets: list[str]) -> str | None:
    """"close up out here: awning in, heaters off, fairy lights off" left the patio heaters on: an item of a list said
    with its way between two others ("... in heaters off ..."), whose word names devices of which none is acted on;
    that item, else None."""
    acted = set(targets)
    for match in LISTED.finditer(text):
        word = match.group(1).split()[-1]
        if word in ALL_GENERIC or word.removesuffix("s") in ALL_GENERIC or word in NP_ENDS or word in NOT_A_NAME:
            continue  # a kind is kind_left_out's; "on in the open plan" says no device
        owners = resolver.by_name_word.get(word) or resolver.by_name_word.get(word.removesuffix("s"), [])
        if owners and not any(d.id in acted for d in owners) and not resolver.has_area(match.group(1)):
            return match.group(1)
    return None


LISTED = re.compile(r"\b(?:on|off|in|out|up|down|open|closed|shut) (?!(?:the|my|our|a|an|all|every|both)\b)((?:[a-z]+ )?[a-z]+)"
                    r" (?=(?:on|off|up|down|open|closed|shut)\b)")


def kept_as_enough(text: str, resolver: Resolver, targets: list[str]) -> str | None:
    """"the big light in the bedroom put it off, zero bulb is enough" switched the zero bulb off: what is said to be
    enough stays as it is; where it is acted on, its name, else None."""
    match = ENOUGH.search(text)
    if not match:
        return None
    kept = resolver.mentioned(match.group("what"))
    return match.group("what") if any(d.id in targets for d in kept) else None


ENOUGH = re.compile(r"(?P<what>(?:[\w']+ )?[\w']+) (?:is|are|'s|will be|would be) (?:enough|plenty|fine|ok|okay|good enough"
                    r"|all i need|all we need)\b")


def value_left_out(text: str, resolver: Resolver, actions: list[Action]) -> str | None:
    """"AC on cool, 19" set the mode alone: a number said that no action carries, no device's or area's name holds
    and no reading told ("the tank's down to 30") is; that number, else None."""
    carried = {float(v) for a in actions for v in a.data.values() if isinstance(v, (int, float))}
    for number in re.findall(r"\b\d+(?:\.\d+)?\b", READ_OUT.sub(" ", text)):
        if number != "1" and float(number) not in carried and abs(float(number)) not in {abs(c) for c in carried} \
                and number not in resolver.by_name_word and number not in resolver.place_and_area_words:
            return number
    return None


READ_OUT = re.compile(READING_TOLD.pattern + r"|\b\d+ (?:hours?|minutes?|mins?|seconds?|days?|weeks?|times|people|of (?:us|them))\b"
                      r"|\b\d+ ?(?:o'?clock|oclock|am|pm)\b|\b(?:half|quarter) (?:past |to )?\d+\b")  # "1" is "one": "last one up"


def number_left_out(text: str, resolver: Resolver, targets: list[str]) -> str | None:
    """"swap duty over to p-102, take 101 off" stopped p-102: a tag number said alone (two digits or more, no value)
    that some device's name holds and none acted on does; that number, else None."""
    acted = set(targets)
    for number in BARE_TAG.findall(text):
        owners = resolver.by_name_word.get(number, ())
        if owners and not any(d.id in acted for d in owners):
            return number
    return None


BARE_TAG = re.compile(r"(?<!\bto )(?<!\bat )(?<!\bby )(?<!\bof )\b(\d{2,})\b(?! ?(?:percent|degrees?|%|minutes?|mins?|hours?"
                      r"|seconds?|am|pm|kelvin))")
TOLD_AFTER = frozenset("is are was were has have had 's look looks seem seems keep keeps".split())


def area_left_out(text: str, resolver: Resolver, actions: list[Action]) -> str | None:
    """"turn on the lights here and in the warehouse" did the packing line's alone (the model read the warehouse as a
    question, and a question nobody asked is dropped): an area said that holds a device of a kind acted on, where no
    device acted on stands; the area, else None. A robot is sent wherever it cleans."""
    acting = [a for a in actions if a.service != QUERY and not a.service.startswith("vacuum.")]
    if not acting:
        return None
    devices = [d for a in acting for t in a.targets if (d := resolver.registry.get(t))]
    kinds = {a.service.split(".", 1)[0] for a in acting} | {d.domain for d in devices}
    for area in resolver.areas_said(text):
        if not any(resolver.in_area(d, area) for d in devices) and resolver.has_kind_in_any(kinds, area):
            return area
    return None


# ... not the subject of something told about it ("the mirror's all fogged up, put the bathroom fan on")
HEAD_SAID = re.compile(r"\b(?:the|my|our|that|this) ([a-z]+)\b(?! [a-z]*(?:light|lamp|fan|plug|door)s?\b)"
                       r"(?!'s\b|'re\b| (?:is|was|are|were|has|had|looks|seems)\b)")


# where a device stands, said to pick one ("the light over the table", "the blinds on the left", "the lamp nearest the
# door"): the registry records no such thing
WHERE_IT_STANDS = re.compile(
    r"\b(?:lights?|lamps?|fans?|blinds|shades|curtains|plugs?|heaters?|valves?|pumps?|one) (?:(?:that is|that's|which is) )?"
    r"(?P<rel>over|above|by|near|nearest|nearer|next to|beside|behind|under|underneath|closest to|furthest from"
    r"|on the (?:left|right)|to the (?:left|right)|in the corner|at the (?:back|front|end))"
    r"(?: (?:the|my|our|that) (?P<what>\w+))?")


def where_it_stands(text: str, resolver: Resolver) -> str | None:
    """The phrase that picks a device by where it stands, where that is no name or area the site knows; else None."""
    for match in WHERE_IT_STANDS.finditer(text):
        what = match.group("what")
        if not what and match.group("rel") == "by":  # "dim the lights by 20 percent": an amount
            continue
        if not what or not resolver.knows(what) and not resolver.has_area(what):
            return match.group(0)
    return None


# what a recogniser writes for a number it heard after a device's word ("stop pump tree")
SOUNDS_LIKE_A_NUMBER = {"won": "1", "tree": "3", "free": "3", "ate": "8"}


def heard_as_named(text: str, resolver: Resolver) -> str:
    """A name's words as a recogniser splits or hears them, put back: "the tv back light" -> "the tv backlight" where
    a name has "backlight" (two words that are one word of a name, the one not said), and "the feedpump" -> "the feed
    pump" where a name has "feed pump"; "stop pump tree" -> "stop
    pump 3" where the site has a pump 3 and no "pump tree" (else "tree" is the christmas tree's)."""
    words = text.split()
    split = resolver.run_together
    if split.keys() & set(words):  # "start the feedpump" started the compressor
        words = " ".join(split.get(w, w) for w in words).split()
        text = " ".join(words)
    pairs = resolver.designated[1]
    joined = next((i for i in range(1, len(words)) if resolver.knows(words[i - 1] + words[i])
                   and f"{words[i - 1]} {words[i]}" not in pairs), None) if len(words) > 1 else None
    if joined is not None:
        words[joined - 1: joined + 1] = [words[joined - 1] + words[joined]]
    if not SOUNDS_LIKE_A_NUMBER.keys() & set(words):
        return " ".join(words) if joined is not None else text
    for i in range(1, len(words)):
        number = SOUNDS_LIKE_A_NUMBER.get(words[i])
        if number and f"{words[i - 1]} {number}" in pairs and f"{words[i - 1]} {words[i]}" not in pairs:
            words[i] = number
    return " ".join(words)


def head_left_out(text: str, resolver: Resolver, targets: list[str]) -> str | None:
    """"light up the tree" read as the room's lights: "the <word>" where the word is how one device's name ends
    ("christmas tree"), and that device is not among those acted on, names something the reading missed; the
    phrase, quoted. None otherwise."""
    heads = resolver.heads
    for match in HEAD_SAID.finditer(text):
        device = heads.get(match.group(1))
        if device and device not in targets:
            return match.group(0)
    return None


def _near(said: list[str], names: list[list[str]], own: set[str], domain: str, resolver: Resolver,
          acted: frozenset[str] = frozenset()) -> bool:
    """`said` is near one of a device's names but names another thing (unknown_modifier's three ways)."""
    foreign = [w for w in said if _foreign(w, domain, own, resolver, acted)]
    for words in names:
        if _alike(said[-len(words):], words) and len(said) > len(words) and foreign:  # words before a whole name
            return True
        head = words[-2] if len(words) > 1 and (words[-1].isdigit() or len(words[-1]) == 1) else words[-1]
        if len(said) == 2 and len(words) > 1 and said[-1] == head and said[0] not in own and said[0] in foreign \
                and not any(same_word(said[0], w) for w in words):  # "the return pump" for "dosing pump a" ("zorblux" is a slip)
            return True
        if len(said) == len(words) + 1 and _alike(said[:-1], words) and said[-1] in ALL_GENERIC - NOT_A_KIND \
                and said[-1] not in GENERIC_WORDS.get(domain, ()):  # "the autoclave door" for the autoclave (a plug)
            return True
        if len(words) == len(said) > 1 and _alike(said[:-1], words[:-1]) and not _same_kind(said[-1], words[-1]) \
                and _names_a_thing(said[-1], domain, own, resolver):  # another head
            return True
        if len(words) == len(said) and said[-1].rstrip("s") == words[-1].rstrip("s"):  # one word before the head
            differ = [w for w, n in zip(said[:-1], words[:-1]) if not same_word(w, n)]
            if len(differ) == 1 and differ[0] in foreign:
                return True
    return False


# heads that name the same thing ("the office blinds" for the office shades, "the coffee pot" for the coffee maker)
SAME_KIND = [frozenset("light lights lamp lamps bulb bulbs lighting".split()),
             frozenset("blind blinds shade shades shutter shutters curtain curtains".split()),
             frozenset("plug plugs socket sockets outlet outlets switch".split()), frozenset("door doors lock locks".split()),
             frozenset("maker machine pot brewer".split()), frozenset("heater heating radiator".split())]


def _another_beside(word: str, devices: list[Device], own_of: dict[str, set[str]], resolver: Resolver) -> bool:
    """A thing said beside devices acted on that is none of them: no word of their names, no kind of theirs."""
    return bool(devices) and all(_names_a_thing(word, d.domain, own_of[d.id], resolver) for d in devices) and not resolver.knows(word)


def _alike(said: list[str], words: list[str]) -> bool:
    return len(said) == len(words) and all(a == b or a.rstrip("s") == b.rstrip("s") for a, b in zip(said, words))


def _names_a_thing(word: str, domain: str, own: set[str], resolver: Resolver) -> bool:
    """A head said in place of this device's: a word of another device's names or another kind's, or a word no name
    has that is no word commands are phrased with, no colour and no participle ("the robot mop", not "the coffee
    ready", "the coffee started", "the living room blue")."""
    if word in own or word in GENERIC_WORDS.get(domain, ()) or word.isdigit():
        return False
    if word in ALL_GENERIC or resolver.knows(word):
        return True
    return word not in NOT_A_NAME and not is_phrasing(word) and not word.endswith(("ed", "ing")) and word not in COLOR_NAMES \
        and word not in ("ready", "done", "black")


def _same_kind(a: str, b: str) -> bool:
    return same_word(a, b) or any(a in group and b in group for group in SAME_KIND)


def _foreign(word: str, domain: str, own: set[str], resolver: Resolver, acted: frozenset[str] = frozenset()) -> bool:
    """A word that names nothing of this device: no word of the site's names, a kind word of another kind, or a word
    of another device of its kind that is not `acted` on."""
    if word.isdigit() or word in DESCRIBING or word in own:
        return False
    if word in ALL_GENERIC:
        return word not in GENERIC_WORDS.get(domain, ())
    if any(d.domain == domain and d.id not in acted for d in resolver.by_name_word.get(word, ())):
        return True  # "mot heater" for the left heater: "mot" is another heater's ("mot bay heater")
    return not resolver.knows(word) and word not in NOT_A_NAME


# a kind and a number said ("mixer 3", "compressor number 2", "pump no 4"), never a value ("lamp 20 percent")
NUMBERED = re.compile(r"\b(?P<kind>[a-z]+) (?:(?:number|no|num) )?(?P<n>\d{1,2})\b(?![.,]\d)"
                      r"(?! ?(?:percent|per cent|pct|degrees?|kelvin|k|am|pm|minutes?|hours?|seconds?|times)\b)")


CODE = re.compile(r"\b([a-z]{1,2})(\d{1,3})\b")  # "b5", "t12"


def unknown_designated(text: str, resolver: Resolver, frames: list[Frame]) -> str | None:
    """"start mixer 3 and mixer 1" where the site has no mixer 3: a device said by the head of the site's designated
    names ("mixer" of "mixer 1") and a number that no device is called, quoted; None otherwise (a number a frame
    carries is a value, not a name)."""
    carried = {re.sub(r"\.0$", "", str(v).lstrip("-")) for f in frames for v in f.data.values()}  # "dim the lamp 30": -30
    heads, pairs, lettered = resolver.designated  # built once per registry
    said = [(m.group("kind"), m.group("n")) for m in NUMBERED.finditer(text) if m.group("n") not in carried]
    said += [(m.group("kind"), m.group("n")) for m in DESIGNATED.finditer(text) if m.group("n").isalpha() and m.group("kind") in lettered]
    for kind, n in said:
        if kind in heads and not resolver.named_exactly(f"{kind} {n}") and f"{kind} {n}" not in pairs:
            return f"{kind} {n}"
        # "stop pmp 1" stopped mixer 1: a word no name, area or phrasing has, said with a number like a name's head
        if n.isdigit() and len(kind) > 1 and kind not in NP_ENDS and not resolver.knows(kind) and not is_phrasing(kind) \
                and not any(same_word(kind, head) for head in heads):
            return f"{kind} {n}"
    # "b5 light on" where the stables are called b1 to b4: a code of the site's shape that no device has
    for code in CODE.finditer(text):
        if code.group(2) not in carried and not resolver.knows(code.group(0)) \
                and any(resolver.knows(f"{code.group(1)}{k}") for k in range(1, 21)):
            return code.group(0)
    return None


def crossed_unsaid(frames: list[Frame], actions: list[Action], text: str, resolver: Resolver) -> str | None:
    """The name of a device of another kind than the model read, that no word of the sentence names (nor its
    area): reached through a word the model wrote, not one that was said. Of the kind read too, where the model
    wrote a name nobody said and the sentence says a word of other devices' names ("close the flyscreens" read as
    "skylight", the rooflight's alias)."""
    read = {f.service_domain for f in frames}
    words = set(text.split())
    made_up = any(f.name and f" {f.name} " not in f" {text} " for f in frames) and any(
        resolver.knows(w) and w not in ALL_GENERIC and w.rstrip("s") not in ALL_GENERIC and w not in FILLER
        and not is_phrasing(w) and not w.isdigit() for w in words)

    def unsaid(device: Device) -> bool:
        names = {w for n in (device.name, *device.aliases, device.area or "") for w in normalize(n).split()} - FILLER
        return not any(w in words or any(same_word(w, s) for s in words if len(s) > 3) for w in names)

    for action in actions:
        devices = list(filter(None, map(resolver.registry.get, action.targets)))
        if action.service.split(".")[0] not in read:
            found = next((d for d in devices if unsaid(d)), None)
        else:  # of the kind read: only where nothing acted on is said ("love light" for "my big light" found the lamp too)
            found = devices[0] if made_up and devices and all(map(unsaid, devices)) else None
        if found:
            return found.name
    return None


def not_here(actions: list[Action], text: str, here: str | None, resolver: Resolver) -> ResolveError | None:
    """"turn the big light off in here" said in the bedroom switched off the living room's light (its alias "big
    light"): what "in here" asks for is in the speaker's area."""
    if not here or "in here" not in text:
        return None
    devices = [d for a in actions for t in a.targets if (d := resolver.registry.get(t))]
    if not devices or any(d.area == here for d in devices):  # "the light in here and the hall light"
        return None
    return ResolveError("ambiguous_device", f"the {devices[0].name} is in the {devices[0].area}, not in here: say "
                                            "which device")


# "turn on the torches in the sub": a place of the site said last
GENERIC_STEMS = frozenset(w.rstrip("s") for w in ALL_GENERIC)
IN_AREA_LAST = re.compile(r"\b(?:in|inside|out in|down in|up in|over in) (?:the |my |our )?(?P<place>[a-z0-9' ]+?)(?: please| pls| now)?$")


def elsewhere(actions: list[Action], text: str, resolver: Resolver) -> ResolveError | None:
    """"turn on the torches in the sub" switched on the tomb's torches: a place of the site said last, where nothing
    acted on stands and no name of theirs says it, is not where those devices are."""
    match = IN_AREA_LAST.search(text)
    area = (resolver.area_called(match.group("place")) or resolver.registry.area_aliased(match.group("place"))) if match else None
    if not area:
        return None
    devices = [d for a in actions for t in a.targets if (d := resolver.registry.get(t))]
    place_words = set(match.group("place").split())
    name_words = {d.id: set(normalize(" ".join((d.name, *d.aliases))).split()) for d in devices}
    said_of = {w.rstrip("s") for words in name_words.values() for w in words} | GENERIC_STEMS
    before = text[: match.start()].split()[-1:]  # the place right after the device said, not "..., juno's lying in the hall"
    if not devices or not before or before[0].rstrip("s") not in said_of \
            or any(d.area == area or place_words <= name_words[d.id] for d in devices):
        return None
    return ResolveError("ambiguous_device", f"the {devices[0].name} stands in the {devices[0].area}, not in the {area}: say "
                                            "which device")


def _not_slipped(area: str, text: str, resolver: Resolver) -> bool:
    """No span of `text` is a slip of `area`: none is near it, or the nearest is words of device names ("fogger" is
    near "lounge", and a device's alias)."""
    span = snap_to_span(area, text)
    return span is None or all(resolver.knows(word) and word not in area.split() for word in span.split())


def place_guessed(frames: list[Frame], text: str, here: str | None, resolver: Resolver) -> str | None:
    """An area the model wrote for an action where the sentence says no place at all (no word of it, no area
    of the site) and the speaker is elsewhere: the model's guess from a word like "sink" or "shower"."""
    for frame in frames:
        if frame.area and frame.area != here and frame.service != QUERY and _not_slipped(frame.area, text, resolver) \
                and not resolver.areas_said(text) and resolver.has_area(frame.area) and not resolver.alias_said(frame.area, text) \
                and not any(w.startswith(s) or s.startswith(w) or same_word(w, s)  # "the hall" for the hallway
                            for w in frame.area.split() for s in text.split() if len(s) > 2):
            return frame.area
    return None
