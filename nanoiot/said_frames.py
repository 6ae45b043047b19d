"""Frames read from the sentence itself, for a few fixed shapes a model reads wrong or not at all.

Each is a whole-sentence pattern with a single meaning, so no model output is needed and none can
bend it: "set the bedroom to 50%" (an area alone: its lights), "turn off everything in the kitchen"
(what switches off there, not the one device the model picked), "how many lights are on" (a
question, which only reads).
"""

from __future__ import annotations

import re

from nanoiot.frame_rules import QUERY
from nanoiot.kinds import GENERIC_WORDS, NOT_A_KIND, OFF
from nanoiot.resolver import Resolver
from nanoiot.told import REQUEST_VERB
from nanoiot.vocabulary import Frame

_PLACE = r"(?: (?:in|on|at|around) (?:the |my |our )?(?P<area>[a-z0-9 ]+?)| (?:out|up|down|over) (?P<here>here))?"  # "out here"
# "set the bedroom to 50%": a place and a percentage, no device
AREA_TO_PERCENT = re.compile(r"(?:please )?(?:can you |could you )?(?:set|dim|put|turn|bring|make|change) (?P<area>[a-z ]+?) "
                             r"(?:to|at|up to|down to) (?P<n>\d+) percent(?: please)?")
# "turn off everything in the kitchen", "switch everything off", "all off in the office" ("all" alone before on/off),
# "kill everything in the break room" (off)
_ALL = r"everything|everythin|evrything|all (?:the )?devices|all (?:the )?things|all(?= (?:on|off)\b)"
EVERYTHING = re.compile(r"(?:please )?(?:can you |could you )?(?:(?:turn|switch|power|shut) (?:(?P<a>on|off) )?|(?P<c>off|kill|cut) )?"
                        r"(?:" + _ALL + r")(?: (?P<b>on|off))?" + _PLACE + r"(?: now)?(?: please)?"
                        # "everything off in here im heading home", "all off, heading out", "i'm away to bed": why, after it
                        r"(?: (?:(?:(?:i'm|im|i am|we're|were|we are) )?(?:heading|going|goin|off|leaving|done|out|away|gone"
                        r"|closing|locking|finishing|finish|finished|knocking off|calling it|bedtime|home time|night|goodnight|cheers|ta)"
                        r"|as|because|cause|cos|since)\b.*)?")
EVERYTHING_SAID = re.compile(r"\b(?:" + _ALL + r")\b")
# what "everything" switches off: what only switches, not locks, covers, valves, heating or machines
EVERYTHING_KINDS = ("light", "switch", "fan")
# "stop everything on the packing line", "e-stop the packing line": every machine there stops (the safe direction);
# never fans, which may be what keeps a room's air clean
_STOP = r"(?:stop|halt|shut down|kill|e stop|emergency stop)"
STOP_EVERYTHING = re.compile(r"(?:please )?(?:can you |could you )?(?:(?:" + _STOP + r" (?:everything|all (?:the )?"
                             r"(?:machines|machinery|equipment))|shut (?:everything|it all) down)" + _PLACE +
                             r"|" + _STOP + r" (?:the |our )?(?P<place>[a-z0-9 ]+?)|e stop|emergency stop)(?: please| now| right now)?")
# "how many lights are on", "are any of the doors unlocked", "which fans are running in the office"
STATE_QUESTION = re.compile(r"(?:how many|which|what|are (?:any|all|there any)|is (?:any|every|there any)) (?:of )?(?:the |my |our )?"
                            r"(?P<kind>[a-z]+) (?:are |is )?(?:still )?(?:on|off|open|closed|shut|locked|unlocked|running)" + _PLACE)


class EverythingOn(Exception):
    """"turn on everything": too broad to do; the person is asked to say which."""


def _place(resolver: Resolver, said: str | None) -> str | None | bool:
    """The registry area `said` names exactly, None when nothing was said, False when it names none."""
    if not said:
        return None
    return resolver.area_called(said) or resolver.registry.area_aliased(said) or False  # "the pad" too


def area_alone(text: str, resolver: Resolver) -> list[Frame] | None:
    """"set the bedroom to 50%": an area alone with a percentage means the lights there."""
    match = AREA_TO_PERCENT.fullmatch(text)
    if not match:
        return None
    area = _place(resolver, " ".join(w for w in match.group("area").split() if w not in ("the", "my", "our")))
    if not area or not resolver.has_kind_in("light", area):
        return None
    return [Frame("light.turn_on", area=area, data={"brightness_pct": match.group("n")})]


def _said_last(text: str) -> re.Match[str] | None:
    """"going to bed, switch everything off in here": the shape said last, after what says why."""
    if not EVERYTHING_SAID.search(text):  # most sentences: no try at every word
        return None
    for start in (m.end() for m in re.finditer(r"\s", text)):
        match = EVERYTHING.fullmatch(text, start)
        if match:
            return match
    return None


def everything(text: str, resolver: Resolver, here: str | None = None) -> list[Frame] | None:
    """"turn off everything in the kitchen": every light, plug and fan there off; with no place said, where the
    speaker is (`here`), or the whole site. Raises EverythingOn for "on". "stop everything" stops machines; "is
    everything locked" reads every lock."""
    whole = EVERYTHING_QUESTION.fullmatch(text)
    if whole:  # "is everything locked": every lock (or cover) in the place said is read
        area = _place(resolver, whole.group("area"))
        kind = "lock" if "lock" in whole.group("state") else "cover"
        return None if area is False else [Frame(QUERY, area=area, domain=kind)]
    stop = STOP_EVERYTHING.fullmatch(text)
    stopped = _stop_everything(resolver, stop.group("area") or stop.group("place"), here) if stop else None
    if stop and (stopped is not None or not EVERYTHING.fullmatch(text)):  # "kill everything" in a kitchen: switched off
        return stopped
    match = EVERYTHING.fullmatch(text) or _said_last(text)
    direction = match and (match.group("a") or match.group("b") or match.group("c"))  # "off everything in ..."
    if not direction:
        return None
    if match.start() and REQUEST_VERB.search(text[: match.start()]):  # "lock up and turn everything off" locked up alone
        raise EverythingOn("everything off beside another request: say them one at a time")
    place = match.group("area") or match.group("here")
    area = here if place in ("here", "in here") else _place(resolver, place) if place else here
    if area is False:
        return None
    if direction == "on":
        raise EverythingOn("everything is too much to turn on: say which devices")
    kinds = [k for k in EVERYTHING_KINDS if area is None or resolver.has_kind_in(k, area)]
    if not kinds:  # "we're done, shut everything off" in the pump house closed its main valve
        raise EverythingOn("nothing there is what 'everything off' switches (lights, plugs, fans): say which devices, "
                           "or 'stop everything' for machines")
    return [Frame(OFF[k], area=area) for k in kinds]


def _stop_everything(resolver: Resolver, said: str | None, here: str | None) -> list[Frame] | None:
    """Every machine in the place said (or where the speaker is); None when the place is no area or has none
    ("stop conveyor a" names no area: the model reads it)."""
    if said:  # "stop all the winches": every machine of a series ("winch 1", "winch 2", ...)
        kind = re.sub(r"^(?:all )?(?:the |our )?", "", said)
        series = [resolver.registry.get(i) for i in resolver.series.get(kind.removesuffix("es"), resolver.series.get(
            kind.removesuffix("s"), frozenset()))] if kind.endswith("s") else []
        if series and all(d and d.domain == "machine" for d in series):
            return [Frame("machine.stop", name=d.name) for d in sorted(series, key=lambda d: d.name)]  # type: ignore[union-attr]
    area = _place(resolver, said) if said else here
    if not area or not resolver.has_kind_in("machine", area):
        return None
    return [Frame("machine.stop", area=area)]


# "is everything locked", "is everything closed upstairs": a question about every lock or cover
EVERYTHING_QUESTION = re.compile(r"(?:is|are) (?:everything|all the doors|all doors) (?P<state>locked|unlocked|closed|shut|open)" + _PLACE)
# "what's the temperature", "how warm is it in the bedroom": the reading of the sensors or thermostats there (the
# model, taught weather questions as not ours, says none; "outside" or "tomorrow" stay not ours)
READING_QUESTION = re.compile(r"(?:what(?:s|'s| is)|how) (?:the )?(?:(?P<asked>temperature|humidity)|(?P<feel>hot|warm|cold|humid) is it)"
                              r"(?: (?:in here|inside|indoors))?" + _PLACE)


def state_question(text: str, resolver: Resolver) -> list[Frame] | None:
    """"how many lights are on": the state of every device of that kind (in the place said) is read; "what's the
    temperature": the reading asked for."""
    reading = READING_QUESTION.fullmatch(text)
    if reading:
        area = _place(resolver, reading.group("area"))
        asked = reading.group("asked") or ("humidity" if reading.group("feel") == "humid" else "temperature")
        return None if area is False else [Frame(QUERY, area=area, data={"attribute": asked})]
    match = STATE_QUESTION.fullmatch(text)
    if not match:
        return None
    word = match.group("kind")
    kind = next((k for k, words in GENERIC_WORDS.items() if word in words and word not in NOT_A_KIND), None)
    area = _place(resolver, match.group("area"))
    if kind is None or area is False:
        return None
    return [Frame(QUERY, area=area, domain=kind)]
