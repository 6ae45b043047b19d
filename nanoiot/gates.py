"""The gate before acting: refusals decided on the sentence itself, whatever the model wrote.

Each takes the frames' services or the resolved actions and what was said (nanoiot.sentence.Said)
and returns the refusal to answer with, or None: a negated command, one for later or on a
condition, a temperature or an amount nobody said, a fault reset nobody asked for. Sentences that tell
rather than ask ("the front door is open") are `nanoiot.told`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from nanoiot.frame_rules import OPPOSITE, QUERY
from nanoiot.kinds import ALL_GENERIC, GENERIC_WORDS, NOT_A_KIND, OFF, ON
from nanoiot.normalize import normalize
from nanoiot.registry import Device
from nanoiot.resolver import ResolveError
from nanoiot.said_values import COOL_MOOD, PERCENT, WARM_MOOD, WHITE_SAID, said_colors
from nanoiot.schema import Action
from nanoiot.sentence import HEAT_WORDS, READING_TOLD, Said
from nanoiot.told import ASKING_VERB
from nanoiot.vocabulary import Frame


def refuse_to_act(services: list[str], said: Said) -> ResolveError | None:
    """The gate before acting, on the sentence itself, whatever the model wrote.

    A negated command is never carried out ("don't turn on the kitchen light"), nor one for later
    ("make coffee at 7 am": done now it is done at the wrong time). Questions only
    read state and pass. Checked on the frames before resolving and on the actions after.
    """
    if all(service == QUERY for service in services):
        return None
    if said.negated or (said.unneeded and any(s not in STOPPING and s != QUERY for s in services)):
        return ResolveError("negated", "not done: the command says not to do it; say what to do instead")
    if said.later:
        return ResolveError("unsupported", f"not done: this gateway keeps a delay, a time of day or a duration ('in 10 minutes', "
                                           f"'at 7 am', 'for an hour'), not a repeat, a vague time or a condition ({said.later!r}); say "
                                           "it when it should happen, or make it an automation")
    if said.timed_part:
        return ResolveError("unsupported", f"not done: {said.timed_part!r} is said of one request of several, so which of them "
                                           "waits is not clear; say each on its own, or the time first ('in 10 minutes, ...')")
    if EITHER.search(said.text):  # "turn off the kitchen light or the office light": which one is not said
        return ResolveError("ambiguous_device", "which one? say one of them")
    if TOGGLE.search(said.text) and not re.search(r"\b(?:on|off)\b", said.text) and any(s in SWITCHING for s in services):
        # on or off depends on what the device is now, which a sentence read as one of them does not know
        return ResolveError("unsupported", "toggle: say on or off")
    return None


STOPPING = frozenset(OFF.values())  # switching off or stopping, of any kind
TOGGLE = re.compile(r"\btoggle\b")
EITHER = re.compile(r"\bor (?:the|my|our|your) \w+")
SWITCHING = frozenset({"light.turn_on", "light.turn_off", "switch.turn_on", "switch.turn_off", "fan.turn_on", "fan.turn_off"})


TEMPERATURE_WORDS = frozenset(GENERIC_WORDS["climate"] | set(
    "degree degrees warm warmer warmth cool cooler cold colder hot hotter heater radiator ac aircon celsius fahrenheit".split()))


def unsaid_setpoint(actions: Sequence[Action | Frame], said: Said) -> ResolveError | None:
    """A setpoint that is no number of the sentence: "turn the thermostat down" read as -20 degrees asks how far,
    before the vocabulary calls -20 out of range."""
    numbers = _numbers_said(said)
    for action in actions:
        if action.service == "climate.set_temperature" and _number(action.data.get("temperature")) not in numbers:
            return ResolveError("unsupported", "which temperature? say the degrees to set")
    return None


MODE_WORDS = {"heat": frozenset("heat heating heater heaters warm warmer warmth hot hotter boiler furnace radiator radiators".split()),
              "cool": frozenset("cool cooling cooler cold colder ac aircon conditioner conditioning".split()),
              # "set the thermostat to turbo mode" read as auto, "put the air conditioner in dry mode" as cool
              "auto": frozenset("auto automatic automatically".split()),
              "dry": frozenset("dry drying dehumidify dehumidifying dehumidification humid damp".split()),
              "fan_only": frozenset("fan".split())}


STEP_WORDS = frozenset("up down notch bit little slightly tad touch warmer cooler colder hotter higher lower more less".split())
MODES_SET = re.compile(r"\b(?:to|on|in|into|and|or) (cool|heat|dry|auto|fan only)\b")
# how it feels ("i've got a stinking cold", "i'm freezing", "it's too hot"): a reason for a setting, never a mode's
# word ("set the ac to cold" still is)
FEELING_TEMPERATURE = re.compile(r"\b(?:i'm|im|i am|we're|we are|it's|its|it is|feel\w*|so|too|bit|getting|a|bloody|really"
                                 r"|very) (?:\w+ )?(?:cold|colder|chilly|hot|hotter|warm|warmer|freezing|boiling)\b")


def unsaid_mode(actions: Sequence[Action | Frame], said: Said) -> ResolveError | None:
    """Heating or cooling that no word of the sentence asks for: "turn the thermostat down" is a lower setpoint,
    not cooling (a model read it so); asked how far rather than guessed."""
    words = set(FEELING_TEMPERATURE.sub(" ", said.text).split())
    for action in actions:
        mode = action.data.get("hvac_mode") if action.service == "climate.set_hvac_mode" else None
        other = OTHER_MODE.search(said.text) if mode else None
        if other:  # "set the ac to eco mode" read as cooling
            return ResolveError("unsupported", f"{other.group(0)!r} is not a mode this gateway sets: heat, cool, auto, dry, "
                                               "fan only or off")
        # "turn the heat down" read as heating on: the mode's word said, the other way ("down" of heat, "up" of cool)
        against = words & AGAINST_MODE.get(mode or "", frozenset())
        # "bump the ac down a notch", "heating up slightly": a change of setpoint read as a mode
        step = mode in ("heat", "cool") and STEP_WORDS & words and not re.search(r"\bmode\b|\b(?:to|on|in|into) (?:heat|cool)", said.text)
        if len({m for m in MODES_SET.findall(said.text)}) > 1:  # "ac to cool and heat at 20"
            return ResolveError("not_understood", "two modes said for one device: say one")
        if mode in MODE_WORDS and (not MODE_WORDS[mode] & words or against or step):
            return ResolveError("unsupported", "which temperature? say the degrees to set (or heating / cooling for the mode)")
    return None


OTHER_MODE = re.compile(r"\b(?:eco|economy|sleep|turbo|quiet|silent|boost|comfort|away|holiday|vacation|powerful|night|smart"
                        r"|energy saving|power saving|frost|frost protection) (?:mode|setting|programme|program)\b"
                        r"|\b(?:to|on) (?:eco|economy|sleep|turbo|quiet|silent|boost|powerful|smart)$")  # "switch the aircon to turbo"
AGAINST_MODE = {"heat": frozenset({"down", "lower", "decrease", "reduce"}), "cool": frozenset({"up", "raise", "increase"})}


SLOWER = frozenset({"slow", "slower", "slowly"})
LOWER_WORDS = frozenset({"down", "lower", "decrease", "reduce"})
FASTER = re.compile(r"\b(?:faster|quicker|speed (?:\S+ )?up|up the speed)\b")
STOPS = frozenset({"machine.stop", "fan.turn_off", "vacuum.stop"})
STARTS = frozenset({"machine.start", "fan.turn_on"})
SPEEDS = {"machine.set_speed": "speed_pct", "fan.set_percentage": "percentage"}


def unsaid_speed(actions: Sequence[Action | Frame], said: Said) -> ResolveError | None:
    """"slow down conveyor a" is neither a stop (a model read it so) nor a speed of -20 (another did), and "run the
    labeler faster" no plain start: how fast is asked for, not guessed."""
    words = set(said.text.split())
    numbers = _numbers_said(said)
    faster = bool(FASTER.search(said.text))
    percent = bool(re.search(rf"\b(?:{'|'.join(PERCENT)})\b", said.text))
    for action in actions:
        speed = SPEEDS.get(action.service)
        # "turn the ceiling fan down" read as switching it on: a start asked to go lower is no start
        # "shut down the transfer pump, tank's nearly full" read as full speed: a stop said, a speed nobody said
        stopped = speed is not None and not numbers and bool(words & {"stop", "shut", "halt", "kill", "off"})
        stop = action.service in STOPS and SLOWER & words \
            or action.service in STARTS and (faster or (SLOWER | LOWER_WORDS) & words) and not numbers
        value = _number(action.data.get(speed)) if speed else None
        guessed = value is not None and value < 0 and not numbers
        # "fan speed 2" is a step of a fan's own few speeds, not 2 percent of its range
        step = value is not None and 0 < value <= 5 and not percent
        if stop or guessed or step or stopped:
            return ResolveError("unsupported", "how fast? say the speed to set, in percent")
    return None


def _numbers_said(said: Said) -> set[float]:
    """The numbers said, but for a reading told ("start the transfer pump, day tank's down to 30%")."""
    return {float(n) for n in re.findall(r"\d+(?:\.\d+)?", READING_TOLD.sub(" ", said.text))}



def _number(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def guessed_temperature(actions: list[Action], said: Said, climate_named: bool = False) -> ResolveError | None:
    """"make it warmer" with no degrees: a setpoint the model wrote and nobody said is a guess. So is a number
    in a sentence about other kinds of device that says nothing of heat or a climate device ("lights to 50 in
    the kitchen and 20 in the living room" read 20 as the living room's temperature)."""
    if not any(a.service == "climate.set_temperature" for a in actions):
        return None
    unsaid = unsaid_setpoint(actions, said)
    if unsaid:
        return unsaid
    words = set(said.text.split())
    other_kinds = words & (ALL_GENERIC - GENERIC_WORDS["climate"] - NOT_A_KIND)  # the sentence is about lights, fans...
    if other_kinds and not climate_named and not TEMPERATURE_WORDS & words:
        return ResolveError("unsupported", "is that a temperature? say degrees, or name the thermostat")
    return None


# services a report about a device must never set off: done only where the sentence asks with one of these words
# ("the compressor is making a weird noise" was read as a fault reset)
ASKED_WITH = {"machine.reset_fault": ("reset", "clear", "ack", "silence", "mute", "untrip")}


# "the jam is cleared, get conveyor a running again": a fault cleared already is told, not asked to be cleared
DONE_ALREADY = re.compile(r"\b(?:is|are|was|were|been|be|got|now) (?:now |all |already |been |just )?(?:cleared|reset|acknowledged)\b"
                          # "stage is clear, start the revolve", "all clear", "stood well clear": clear of people, no fault
                          r"|\b(?:is|are|all|area|'s|s|well|stood|standing|stand|keep|stay|it's|now) (?:all |now |well )?clear\b"
                          r"(?! (?:the|that|it|its|any|all|fault|faults|alarm|alarms|error|errors|jam|trip|down)\b)")


def not_asked_for(actions: list[Action], said: Said) -> ResolveError | None:
    """A service in ASKED_WITH that no word of the sentence asks for: a statement, not a request."""
    words = DONE_ALREADY.sub(" ", said.text).split()
    for action in actions:
        stems = ASKED_WITH.get(action.service)
        if stems and not any(w.startswith(stems) for w in words):
            return ResolveError("not_understood", f"that sounds like a report, not a request for {action.service}; "
                                                  "say what to do (faults go to diagnostics)")
    return None


# settings a person gives as an amount: with no number said and no word for one, the model's amount is a guess
AMOUNT_KEYS = ("speed_pct", "percentage", "position", "brightness_pct")
AMOUNT_WORDS = frozenset("high highest max maximum full medium mid middle low lowest min minimum half halfway "
                         "quarter bright brightest dim dimmest off".split())


COMPARED = re.compile(r"\b(?:more|less|bit|little|slightly|tad|touch|bit more|bit less) (?:low|high|bright|dim)\b")
BY_AMOUNT = re.compile(r"\bby (\d+(?:\.\d+)?)\b")


# what asks a light for a step of brightness ("make the led strip crunchy" read as 60 percent dimmer): without one,
# the model guessed a setting from a word it did not know
STEP_SAID = re.compile(r"\b(?:\d+|up|down|bright\w*|dim\w*|dark\w*|light\w*|lower|raise|increase|decrease|reduce|boost"
                       r"|glare|gloomy|black)\b")
# "jays big light on wakey wakey loser" read as dimmer: "light" the only step word, beside a way, names the light
# a step only where a light is said too: "we need more flour" is no brighter kitchen, "the orb a bit more" is
HOW_MUCH_SAID = re.compile(r"\b(?:more|less|bit|little|notch|tad|higher|max|min|half)\b")
LAMP_SAID = re.compile(r"\b(?:lamps?|bulbs?|leds?)\b")
ON_OR_OFF = re.compile(r"\b(?:on|off)\b")
# "hoist up a bit", "shudder one up" read as brighter: a direction alone is no light's
DIRECTIONS = frozenset({"up", "down", "lower", "raise", "increase", "decrease", "reduce", "boost"})
LIGHT_SAID_TOO = re.compile(r"\b(?:lights?|lighting|lamps?|bulbs?|leds?|it|them|everything|in here|here)\b")


# "turn the bedside lamp the colour of tuesday", "make the tv backlight the colour fast": a colour said as a word that
# is none (the model put a white in its place)
COLOUR_WORD = re.compile(r"\bcolou?r (?:of )?(?P<word>[a-z]+)\b")
NOT_THE_VALUE = frozenset("the my our a an to in on of for please and now it them this that these those temperature "
                          "temp scheme setting settings mode change changes changing".split())


# "make me a flat white" set the cafe's lights to a warm white
DRINK = re.compile(r"\b(?:flat whites?|lattes?|cappuccinos?|espressos?|americanos?|mochas?|macchiatos?|cortados?|cuppa)\b")


def unsaid_light_setting(actions: list[Action], said: Said, named: Callable[[], bool]) -> ResolveError | None:
    """A brightness step that no word of the sentence asks for, or a colour said as a word that is none: asked, not
    guessed. (A white nobody said is left to the model: real speech asks for "a different colour", and crowd labels
    take the model's white for it.) `named()`: the sentence names a light acted on (asked only where it matters)."""
    for action in actions:
        if action.service != "light.turn_on":
            continue
        steps = {m.group(0) for m in STEP_SAID.finditer(said.text)}
        if "brightness_step_pct" in action.data and (not steps or steps <= {"light", "lights"} and ON_OR_OFF.search(said.text)
                                                      or all(w in DIRECTIONS or w.isdigit() for w in steps)
                                                      and not LIGHT_SAID_TOO.search(said.text) and not named()) \
                and not (HOW_MUCH_SAID.search(said.text) and (LAMP_SAID.search(said.text) or named())):
            return ResolveError("not_understood", "brighter or dimmer? say how the light should change")
        if {"color_temp_kelvin", "color_name"} & set(action.data) and DRINK.search(said.text):
            return ResolveError("not_understood", "that asks for a drink, not a light's colour: nothing done")
        named = COLOUR_WORD.search(said.text) if {"color_temp_kelvin", "color_name"} & set(action.data) else None
        word = named.group("word") if named else ""
        if named and word not in NOT_THE_VALUE and not said_colors(word) and not WHITE_SAID.search(word) \
                and not WARM_MOOD.search(word) and not COOL_MOOD.search(word):
            return ResolveError("not_understood", f"{word!r} is not a colour I know: say a colour or a white")
    return None


def guessed_amount(actions: list[Action], said: Said) -> ResolveError | None:
    """"speed up conveyor a" read as speed 100, "make the fan faster" as 20 percent, "open the blinds a bit"
    as position 20: an absolute amount nobody said moves a device to where nobody asked. Relative steps
    (brightness_step_pct) are steps, not amounts, and stay."""
    words = said.text.split()
    by = {float(n) for n in BY_AMOUNT.findall(said.text)}
    # "decrease mixer 1 speed by 10 percent" read as speed 10: a change by an amount set as the amount itself
    if by and any(key in a.data and float(a.data[key]) in by for a in actions for key in AMOUNT_KEYS):
        return ResolveError("unsupported", "a change by an amount is not something this device takes: say the value to set")
    # "turn the cooker hood more low" was 33 percent: "more low" is lower than now, no amount
    amounts = AMOUNT_WORDS.intersection(COMPARED.sub(" ", said.text).split())
    if any(w[0].isdigit() for w in words) or amounts:
        return None
    guessed = next((key for a in actions for key in AMOUNT_KEYS if key in a.data), None)
    if guessed:
        return ResolveError("unsupported", "how much? say the percent to set it to")
    return None


# what people say when the day ends or they go: never a reason to switch something on, open or unlock it
WINDING_DOWN = re.compile(r"\b(?:bed(?! room)|bedtime|sleep|sleeping|good ?night|night night|leaving|heading out|going out|off to work)\b")
# a command verb said: the model's reading is anchored in it, not guessed from a statement
COMMAND_VERB = re.compile(r"\b(?:turn|switch|put|start|open|unlock|set|make|power|run|raise|lift)\b")
# asking for what a machine makes ("serve me coffee", "i need a coffee"): never a reason to switch it off
WANTING = re.compile(r"\b(?:make|brew|serve|pour|want|need|get|fix)\b(?: \S+){0,4} (?:coffee|espresso|tea)\b")
TOO_BRIGHT = re.compile(r"\btoo (?:bright|sunny|light)\b|\bglare\b|\bblinding\b|\bsun (?:is |s )?(?:right )?in my eyes\b")
# "it's dark as a bag out here" read as lights out ("out" ends the sentence): dark said as a state is a wish for light
TOO_DARK = re.compile(r"\btoo (?:dark|dim)\b|\bpitch black\b|\bcan'?t see\b|\b(?:it's|its|it is|getting|gone|so|very|really|dead"
                      r"|proper|pure|bloody|awful) (?:(?:a bit|bit|so|very|really|getting|still|quite|rather|pitch) )?dark\b(?! enough)"
                      r"|\bpitch dark\b")
LESS_OF_IT = re.compile(r"\b(?:that|so|this) (?:bright|brightly)\b")  # "i don't want it that bright": dimmer, not off
MAKE_DARK = re.compile(r"\bmake (?:it|the (?:\w+ )?room|this room|in here|everything|things) (?:\w+ )?(?:dark|darker|dim|dimmer|black)\b")
# "make sure nobody can get in through the front door": a lock's sense, whatever the model read
KEEP_OUT = re.compile(r"\b(?:nobody|no one|noone|no-one|no body)\b(?: \S+){0,3} (?:get|gets|come|comes|break|breaks|walk|walks) in\b"
                      r"|\bkeep (?:\S+ ){0,3}out\b|\bsecure\b")
WAKING = frozenset({"switch.turn_on", "fan.turn_on", "cover.open_cover", "lock.unlock", "valve.open_valve",
                    "machine.start", "vacuum.start", "climate.set_hvac_mode"})


def against_the_sense(actions: list[Action], said: Said) -> ResolveError | None:
    """"i'm going to bed" read as lights on, "it's too sunny in here" as the lamp on, "serve me coffee with no
    sugar" as the coffee maker off: a statement whose sense runs against what the model read is not acted on (what
    it should do, nobody said)."""
    text = said.text
    for action in actions:
        step = _number(action.data.get("brightness_step_pct")) or 0
        brighter = action.service == "light.turn_on" and step >= 0 and "brightness_pct" not in action.data \
            and "color_temp_kelvin" not in action.data and "color_name" not in action.data
        darker = action.service == "light.turn_off" or step < 0
        waking = (action.service in WAKING and action.data.get("hvac_mode") != "off") or brighter  # a warm dim light is for bed
        if waking and WINDING_DOWN.search(text) and not COMMAND_VERB.search(text) \
                or brighter and (TOO_BRIGHT.search(text) or MAKE_DARK.search(text)) or darker and TOO_DARK.search(text) \
                or action.service == "light.turn_off" and LESS_OF_IT.search(text) and not re.search(r"\boff\b", text) \
                or action.service == "lock.unlock" and KEEP_OUT.search(text) \
                or action.service == "cover.open_cover" and TOO_BRIGHT.search(text) \
                or action.service in STOPPING and WANTING.search(text) and not re.search(r"\b(?:off|stop)\b", text):
            return ResolveError("not_understood", "not sure what that asks for: say what to do")
    return None


# "turn on either of the lights", "stop one of the conveyors": one, but not which
ONE_OF = re.compile(r"\b(?:(?:one|1) of (?:the|my|our|them|those|these)|any (?:one )?of (?:the|my|our|them|those|these)"
                    # "start the bigger of the two mixers": one, by what the registry does not say
                    r"|(?:\w+er|\w+est|left|right|first|second|other|last|newer|older) (?:one )?of (?:the|my|our|those|these) "
                    r"(?:2|3|two|three|both))\b")
# "open everything in the pump house": a way in, water or a machine for whatever is there
EVERYTHING = re.compile(r"\b(?:everything|every ?thing|the lot|all of it)\b")
ALL_OF = re.compile(r"\ball (?:of )?(?:the |my |our )?\w+s\b|\bevery \w+")  # "unlock all the doors", "open every valve"
OPENING = frozenset({"cover.open_cover", "valve.open_valve", "lock.unlock", "machine.start"})


# "turn on a light", "some lights", "a couple of lights", "half the lights", "two of the lights", "just one light": how
# many is said, which is not (they were all switched)
KINDS_SAID = r"(?:lights?|lamps?|bulbs?|fans?|plugs?|sockets?|outlets?|switch(?:es)?|blinds?|curtains?|shades?|doors?|locks?|valves?|pumps?|machines?|conveyors?|mixers?|heaters?)"
# not a designator: "start conveyor a and conveyor b", "mixer 1 and mixer 2"
ONE_SAID = re.compile(r"(?<!conveyor )(?<!mixer )(?<!pump )(?<!line )(?<!belt )(?<!valve )(?<!door )(?<!room )(?<!number )"
                      r"\b(?:(?:just|only) )?(?:a|an|one|1) (?:(?!and\b|or\b)[a-z]+ )?(?:(?!and\b|or\b)[a-z]+ )?" + KINDS_SAID + r"\b(?! colou?r| setting| level| brightness| of)")
# plurals only: "some lavender toned light" is some light, not some of the lights
SOME_OF = re.compile(r"\b(?:some(?! more)|a couple of|couple of|a few|few|several|half(?: of)?(?: the| my| our)?|most"
                     r"(?: of)?(?: the| my| our)?|(?:2|3|4|two|three|four) of (?:the|my|our|them|those|these))"
                     r" (?:\w+ )?(?:\w+ )?(?=\w+s\b)" + KINDS_SAID + r"\b(?! colou?r| setting| level| brightness)")
# "turn off the three bedroom lights" where the bedroom has two: a count said that the devices found do not make
COUNT_SAID = re.compile(r"\b(?:the|all(?: the)?|all of the|these|those) (?P<n>2|3|4|5|6|two|three|four|five|six) (?:\w+ ){0,2}?"
                        + KINDS_SAID + r"\b")
COUNTS = {"2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def unclear_scope(actions: list[Action], said: Said, kin: Callable[[], int] = lambda: 0) -> ResolveError | None:
    """How many devices, said unclearly: "either" or "one of" several (which?), "both" where one device is found (the
    other is none the site has), "open everything" (doors, valves and machines nobody chose), "a light", "some
    lights", "half the lights" (which?), "the three bedroom lights" where two are found. `kin`: how many devices of
    the kinds acted on stand where those acted on stand ("one of the kitchen lights" read as the one called so)."""
    if not actions:
        return None
    found = len({t for a in actions for t in a.targets})
    acting = any(a.service != QUERY for a in actions)
    opening = any(a.service in OPENING for a in actions)  # "unlock one of the doors" unlocked the front door
    one = ONE_OF.search(said.text) or ONE_SAID.search(said.text)
    of_many = re.search(r"\b(?:one|1) of (?:the|my|our|those|these) (?:\w+ )?\w+s\b", said.text)  # "one of the kitchen lights"
    if acting and (one and (found > 1 or opening or of_many and kin() > 1) or SOME_OF.search(said.text)) \
            or re.search(r"\beither\b(?! way\b)", said.text):
        return ResolveError("ambiguous_device", "which one? say its name")
    count = COUNT_SAID.search(said.text)
    if acting and count and COUNTS[count.group("n")] != found:
        return ResolveError("ambiguous_device", f"{count.group(0)!r}, and {found} such devices were found: say which")
    # "open the gate please" opened both gates of the yard: one way in said, several found
    opened = {t for a in actions if a.service in ("cover.open_cover", "lock.unlock") for t in a.targets}
    if len(opened) > 1 and re.search(r"\b(?:the|that|this) (?:gate|door)\b(?! and\b)", said.text):
        return ResolveError("ambiguous_device", "which one? say its name")
    if re.search(r"\bboth\b", said.text) and found == 1:
        return ResolveError("ambiguous_device", "'both', and only one such device was found: say which")
    if EVERYTHING.search(said.text) and any(a.service in OPENING for a in actions) \
            or ALL_OF.search(said.text) and any(a.service in OPENING - {"cover.open_cover"} for a in actions):
        return ResolveError("ambiguous_target", "everything? say which doors, valves or machines")
    # "close everything" from the kitchen closed every valve of the site: a kind nobody said, for everything
    words = set(said.text.split())
    if EVERYTHING.search(said.text) and any(a.service in CLOSING and not GENERIC_WORDS[a.service.split(".")[0]] & words
                                             for a in actions):
        return ResolveError("ambiguous_target", "everything? say which blinds, doors or valves")
    return None


CLOSING = frozenset({"cover.close_cover", "valve.close_valve"})


def two_values(actions: list[Action], said: Said) -> ResolveError | None:
    """One setting of one device given two values ("set the thermostat to 20 and to 23 degrees", "make the bedside lamp
    red and blue", of which the model may keep one): which is meant is not said."""
    given: dict[tuple[str, str], set[str]] = {}
    for action in actions:
        for target in action.targets:
            for key, value in action.data.items():
                given.setdefault((target, key), set()).add(str(value))
    coloured = {t for a in actions if {"color_name", "color_temp_kelvin"} & set(a.data) for t in a.targets}
    if any(len(values) > 1 for values in given.values()) or (len(coloured) == 1 and len(set(said_colors(said.text))) > 1):
        return ResolveError("not_understood", "two values for one setting: say which")
    return None


# a door, a cover, a valve or a machine said with no word of what to do with it ("the front door", "..- -. the
# front door" once the Morse is gone): which way is the model's guess
WAY_WORDS = frozenset("on off open opened close closed shut lock locked unlock unlocked start started stop stopped up down "
                      "run running halt pause resume raise lower lift drop set reset clear crack secure release kill water "
                      "irrigate going locking unlocking opening closing starting stopping deadbolt bolt draw drawn pull roll "
                      "turn switch power fire kick".split())
GUESSED_WAY = frozenset({"lock.lock", "lock.unlock", "cover.open_cover", "cover.close_cover", "valve.open_valve",
                         "valve.close_valve", "machine.start", "machine.stop"})


POWER_VERB = frozenset("turn switch swich flip put".split())
# where a sentence stops before what it asks for: "set the lights to", "set the heating to twenty to" (a recogniser
# cut it off, or heard "two" as "to")
CUT_OFF = re.compile(r"\b(?:at|by|the|an|and|into|of|from)$")  # not "a": "stop conveyor a"
# "to" last, in a last request that sets something (not "... and close the blinds to(o)")
SET_CUT_OFF = re.compile(r"(?:^|\band )(?:please )?(?:set|change|adjust|dim|brighten|raise|lower|move|put|bring|turn|crank)\b"
                         r"(?:(?!\band\b).)* to$"
                         # "desk strip 2 to": a name and "to", no verb at all
                         r"|^(?!.*\b(?:turn|switch|open|close|shut|start|stop|lock|unlock|on|off)\b)(?:\S+ ){1,4}to$")


def _unsaid_white(action: Action, text: str) -> bool:
    """The action sets only a white or a colour, and no word of `text` says one."""
    return set(action.data) <= {"color_temp_kelvin", "color_name"} and not said_colors(text) \
        and not WHITE_SAID.search(text) and not WARM_MOOD.search(text) and not COOL_MOOD.search(text)


BARE_THING = frozenset({"the", "my", "our", "a", "um", "uh", "erm", "er", "hmm", "please"})
SWITCHED = frozenset({"light.turn_on", "light.turn_off", "switch.turn_on", "switch.turn_off", "fan.turn_on", "fan.turn_off"})


def no_way_said(actions: list[Action], said: Said) -> ResolveError | None:
    """A door, a cover, a valve or a machine said with no word of what to do with it ("the front door"); a power verb
    with no way ("switch the heater", "turn the blinds"); a sentence cut off ("set the lights to"); a setting to a
    word that says none ("set the bedside lamp to tree"): which way, or what value, would be the model's guess."""
    words = said.text.split()
    if len(words) <= 5 and any(a.service in GUESSED_WAY for a in actions) and not WAY_WORDS & set(words) \
            and not any(w[0].isdigit() for w in words):
        return ResolveError("not_understood", "what should be done with it? say open, close, lock, start ...")
    if any(a.service == QUERY for a in actions):
        return None
    if words and len(words) <= 3 and all(w in BARE_THING or w in ALL_GENERIC for w in words) \
            and any(w in ALL_GENERIC for w in words) and all(a.service in SWITCHED and not a.data for a in actions):
        return ResolveError("not_understood", "on or off? say what to do with it")  # "the lamp", "um lights"
    if CUT_OFF.search(said.text) or SET_CUT_OFF.search(said.text):
        return ResolveError("not_understood", "that stops before saying what to do: say the whole request")
    # "swtich tje ligjt" read as a warm white; "turn the lights" as brighter: a step is no way said
    if any(a.data and not _unsaid_white(a, said.text) and set(a.data) != {"brightness_step_pct"} for a in actions):
        return None
    if words and words[0] in POWER_VERB and not (WAY_WORDS | PARTICLES) & set(words[1:]) \
            and not any(re.fullmatch(r"o(?:n+|f+)", w) for w in words[1:]) \
            and not any(w[0].isdigit() for w in words):
        return ResolveError("not_understood", f"{words[0]} it which way? say on or off, open or close ...")
    value = SET_TO_WORD.search(said.text)
    word = value.group("word") if value else ""
    if value and word not in WAY_WORDS | PARTICLES and not said_colors(word) and not ASKING_VERB.fullmatch(word) \
            and not CLEANING.fullmatch(word) \
            and not any(word in words for words in MODE_WORDS.values()):
        return ResolveError("not_understood", f"{value.group('word')!r} is no setting: say the value again")
    return None


PARTICLES = frozenset("up down out over back in into to open close closed shut lower higher brighter dimmer warmer cooler "
                      "max maximum min minimum full half halfway low high medium".split())
SET_TO_WORD = re.compile(r"^(?:please )?(?:set|change|make|put|turn|switch) .* to (?P<word>[a-z]+)(?: please| now)?$")


DOOR_SAID = re.compile(r"\b(?:doors?|locks?|gates?|deadbolts?|latch|entrance|way in)\b")


# what asks for a reading beside a request ("turn on the fan and tell me the humidity")
READ_ASKED = re.compile(r"\b(?:what|what's|whats|how|how's|is|are|tell|check|status|show|read|report|know|whether|if|which)\b")


def no_unasked_reads(actions: list[Action], text: str) -> list[Action]:
    """"the mirror's all fogged up, put the bathroom fan on" read as the fan on and a reading of the bathroom: beside a
    request, a reading nothing in the sentence asks for is the model's, dropped (once it resolved: a reading of a
    thing the site lacks still refuses the whole)."""
    if all(a.service == QUERY for a in actions) or not any(a.service == QUERY for a in actions) or READ_ASKED.search(text):
        return actions
    return [a for a in actions if a.service != QUERY]


def unnamed_unlock(actions: list[Action], said: Said, named: bool) -> bool:
    """"unlock it" unlocked the door of the room it was said in: an unlock must say a door, a lock or a place
    (`named`: the sentence names a device or an area); "open the door" (a knock, a film on the tv) unlocked the door
    of the room: an unlock the word "unlock" does not ask for must name the door."""
    return any(a.service == "lock.unlock" for a in actions) and not named and (
        not DOOR_SAID.search(said.text) or not re.search(r"\bunlock", said.text))


# the words of each way a lock, a cover, a valve or a machine can go; on/off are left out ("the light on the porch")
WAYS = {service: re.compile(rf"\b(?:{words})\b") for service, words in {
    "lock.lock": r"lock|locked|locking|secure", "lock.unlock": r"unlock|unlocked|unlocking",
    # an awning is rolled in or retracted to close it ("roll in the sunshade, wind is coming" opened it)
    # "tv off and blinds up" closed the blinds: up opens a blind, down closes it (a projector screen goes either way)
    "cover.open_cover": r"open|opened|opening|raise|lift|roll out|extend|extended|wind out|(?:blind|shade|shutter|door)s? up"
                        r"|(?:put|wind|roll|pull) (?:the |our )?(?:\w+ ){1,2}?out|let (?:them|him|her|it|\w+) in",  # "put the canopy out, looks like rain" closed it
    "cover.close_cover": r"close|closed|closing|shut|lower|roll in|retract|retracted|wind in|bring in|stow|stowed|drop|bring down"
                         r"|(?:pull|wind|roll|reel|draw|bring) (?:the |our )?\w+ in\b(?! (?:the|my|our|here|there)\b)"
                         r"|(?:pull|wind|roll|reel|draw|bring) in (?:the|our|my) "  # "pull in the sail" opened the awning
                         r"|(?:blind|shade|shutter|door)s? down",
    "valve.open_valve": r"open|opened|opening", "valve.close_valve": r"close|closed|closing|shut",
    "machine.start": r"start|started|starting|run|running|resume|restart", "machine.stop": r"stop|stopped|stopping|halt|kill|pause",
    # "it's damp down in the basement run the dehumidifier" read as switching it off
    **{f"{domain}.turn_on": r"on|start|started|starting|run|running|flat out|full blast" for domain in ("switch", "fan", "light")},
    **{f"{domain}.turn_off": r"off|stop|stopped|stopping|kill|cut|shut|(?<!flat )out(?! here| there|side| back| front)"
       # "drop the lights a touch", "drop the red alert" read as switching the light on
       + (r"|drop|lower" if domain == "light" else "") for domain in ("switch", "fan", "light")},
    # "i'm heading out now, so start the roomba" read as stopping it
    "vacuum.start": r"start|started|starting|run|running|resume|clean\w*|vacuum\w*|hoover\w*|go|going|on",
    "vacuum.stop": r"stop|stopped|stopping|halt|pause|off|enough|wait|hold|freeze",
}.items()}


# what asks a machine to start; "conveyor a and the palletizer have faults latched, reset both" read as starting
# conveyor a says none
START_SAID = re.compile(r"\b(?:start\w*|restart\w*|run\w*|resume\w*|on|going|go|fire|up|kick\w*|boot\w*|power\w*|spin"
                        r"|crank\w*|begin|launch\w*|engage|activate|back|turn|switch|get)\b")  # not "open pump 3"


OFF_SAID = re.compile(r"\b(?:off|stop\w*|shut\w*|kill|disable\w*|deactivate\w*|cut|no more|enough)\b")
# "fog the ward", "no fog in the sub this round" switched the lights off: something said switches off, puts out, darkens,
# or says nobody needs it or it is time to go (of 97 trainable sentences read as a light off, 95 say one)
SWITCHED_OFF_SAID = re.compile(r"\b(?:of+|\w*off|out(?! here| there|side| back| front)|stop\w*|shut\w*|kill\w*|disabl\w*"
                               r"|deactiv\w*|cut|dark\w*|douse|extinguish\w*|down|ded|dead|silenc\w*|quiet\w*|mute|drop|paus\w*"
                               r"|close|sleep\w*|bed\w*|night|leav\w*|heading|bye|goodbye|not|don't|dont|need|enough|done)\b"
                               r"|\bno (?:more )?(?:\w+ )?(?:lights?|lamps?|fans?|music|telly|tv|power)\b")  # "no lights"


# "lower the catafalque now please" read as stopping it (of the trainable sentences read as a stop, every one says one)
STOPPED_SAID = re.compile(r"\b(?:stop\w*|stpo|sotp|stp|halt\w*|kill\w*|cut|freez\w*|hold|paus\w*|e ?stop\w*|estop\w*|emergency"
                          r"|shut\w*|\w*off|of+|quit|ceas\w*|enough|finish\w*|done|wait|still|rest|break|no more|dead|ded|park\w*|(?:power|wind) down"
                          r"|(?:bring|take) (?:[\w']+ ){0,3}?down)\b")  # "bring mixer 2 down"


# "turn the space heater on", "switch off the fan": the way a power verb says, wherever its object stands
POWER_WAY = re.compile(r"\b(?:turn|switch|put|flip|power|shut)(?: (?:it|them)| (?:the|my|our|that|this|your) (?:\w+ ){0,3}?\w+)?"
                       r"(?: back)? (?P<way>on|off)\b")
# the way each switching service goes ("start", "run": on; "stop", "halt": off), from the table the resolver uses
POWER_WAYS = {**{service: "on" for service in ON.values()}, **{service: "off" for service in OFF.values()}}


# "start", "run": on; "stop", "halt": off ("i'm off out, start the roomba" read as stopping it)
START_STOP_WAY = re.compile(r"\b(?:(?P<on>start|run|resume)|(?P<off>stop|halt|pause))\b")


def _power_way(action: Action) -> str | None:
    """"on" or "off" for a switching action ("the heating's gone off, put it back on" read as its mode off)."""
    if action.service == "climate.set_hvac_mode":
        return "off" if action.data.get("hvac_mode") == "off" else "on"
    return POWER_WAYS.get(action.service)


def against_the_word(actions: list[Action], said: Said) -> ResolveError | None:
    """"lock the back door on your way out" read as unlocking it: where the sentence says only the opposite way's
    words (and none of the action's own), the model turned the request round, so nothing is done. "I'm freezing my
    toes off, turn the space heater on" read as off: every power verb says one way and the actions go the other."""
    said_ways = {m.group("way") for m in POWER_WAY.finditer(said.text)} | \
        {"on" if m.group("on") else "off" for m in START_STOP_WAY.finditer(said.text)}
    done_ways = {way for a in actions if (way := _power_way(a))}
    if len(said_ways) == 1 and done_ways and not done_ways & said_ways:
        return ResolveError("not_understood", f"the words say {said_ways.pop()}, the reading the other way: nothing done; "
                                              "say it again")
    for action in actions:
        if action.service == "machine.start" and not START_SAID.search(said.text):
            return ResolveError("not_understood", "nothing said starts it: nothing done; say it again")
        # "air conditioner on fan only" read as the air conditioner off
        if action.data.get("hvac_mode") == "off" and not OFF_SAID.search(said.text):
            return ResolveError("not_understood", "nothing said switches it off: nothing done; say the mode again")
        if action.data:  # "the lamp to 50 percent and the fan off": a setting says its own way
            continue
        if action.service in ("light.turn_off", "switch.turn_off", "fan.turn_off") and not SWITCHED_OFF_SAID.search(said.text):
            return ResolveError("not_understood", "nothing said switches it off: nothing done; say it again")
        if action.service in ("machine.stop", "vacuum.stop") and not STOPPED_SAID.search(said.text):
            return ResolveError("not_understood", "nothing said stops it: nothing done; say it again")
        own, other = WAYS.get(action.service), WAYS.get(OPPOSITE.get(action.service, ""))
        # "open the window" read as the window display light on: a light is switched, never opened (a plug may be
        # a gate's opener)
        if (action.service.startswith("light.") and re.search(r"\bopen\b", said.text)
                or re.search(r"\bopen (?:the |my |our )?(?:outlet|socket|plug|switch)s?\b", said.text)) \
                and own and not own.search(said.text):  # "open the outlet" (a valve's) switched the music plug on
            return ResolveError("not_understood", f"{action.service} is switching, and the words say open: nothing done")
        if own and other and other.search(said.text) and not own.search(said.text):
            return ResolveError("not_understood", f"the words ask for the opposite of {action.service}: nothing done; say it again")
    return None


# a robot vacuum is asked for with a word for it or for cleaning ("clean the kitchen", "hoover", "the floor is
# filthy", "start roomba"): 120 of the 124 trainable real requests to start one say one
CLEANING = re.compile(r"\b(?:clean\w*|vacuum\w*|hoover\w*|sweep\w*|swept|mop\w*|dust\w*|dirt\w*|\w*robo\w*(?<!robot)|robot(?! (?:arms?|weld\w*|cell|picker|mower|lawn ?mower|gripper|crane|cart|dog|toy|pallet\w*|loader|packer|sorter|feeder|lift|forklift)\b)|\w*roomba\w*|vac"
                      r"|carpets?|rugs?|floors?|mess\w*|crumbs?|mud\w*|filth\w*|tidy|spotless|hair)\b")


def unsaid_cleaning(actions: list[Action], said: Said, vacuum_named: bool) -> ResolveError | None:
    """A vacuum started where nothing said is a vacuum or cleaning ("pull up peking garden online", read as
    cleaning the garden): a machine started on a misreading. `vacuum_named`: a vacuum's own name was said."""
    if vacuum_named or not any(a.service == "vacuum.start" for a in actions) or CLEANING.search(said.text):
        return None
    return ResolveError("not_understood", "not a command I know")


# robots of the vacuum kind that do other work than a floor's: a mower, a feed pusher, a pool or window robot
NOT_A_FLOOR_ROBOT = re.compile(r"\b(?:mower|mowbot|mow\w*|pusher|feed\w*|pool|gutter|window|lawn|grass)\b")
FLOOR_WORK = re.compile(r"\b(?:hoover\w*|vacuum\w*|sweep\w*|mop\w*|dust\w*|carpets?|floors?|rugs?|crumbs)\b")
LAWN_WORK = re.compile(r"\b(?:mow\w*|lawn|grass)\b")


def another_robot(actions: list[Action], said: Said, device: Callable[[str], Device | None]) -> ResolveError | None:
    """"hoover the lounge" started the robot mower, the site's one robot: floor work asked of a robot whose name says
    it does other work (a mower, a feed pusher), or mowing asked of a floor cleaner, is no such robot here."""
    for action in actions:
        if action.service != "vacuum.start":
            continue
        for target in action.targets:
            found = device(target)
            names = " ".join(normalize(n) for n in (found.name, *found.aliases)) if found else ""
            other = bool(NOT_A_FLOOR_ROBOT.search(names))
            if FLOOR_WORK.search(said.text) and other or LAWN_WORK.search(said.text) and not other:
                return ResolveError("unknown_device", f"the {found.name if found else target} does not do that: "
                                                      "no robot here does; nothing done")
    return None


TO_POSITION = {"cover.set_cover_position", "valve.set_valve_position", "machine.set_speed", "fan.set_percentage"}
BY_POSITION = re.compile(r"\b(?:another|further|(?:up|down|more|less) by|by (?:another|a further)|up a further|down a further) \d+"
                         r"|\b(?:up|down) \d+(?: percent| per cent|%)?(?!\S)"
                         r"|\b\d+ (?:percent |per cent |% )?(?:more|further|less|lower|higher|faster|slower)\b")
# a number said in a unit no setting here is kept in ("2 bar", "90 psi", "40 litres per minute", "45 degrees" of a valve)
OTHER_UNIT = re.compile(r"\b\d+(?:\.\d+)? ?(?:rpm|revs?|bar|psi|kpa|mpa|pascals?|litres?|liters?|l/min|lpm|gallons?|gpm|metres?|meters?"
                        r"|m/s|feet|foot|ft|inch(?:es)?|lux|lumens?|hz|hertz|amps?|volts?|watts?|kw|kilowatts?|cubic)\b"
                        r"|\b\d+ (?:percent )?turns?\b|\bquarter turns?\b|\b(?:half|a) (?:a )?(?:metre|meter|litre|liter|turn)\b")
DEGREES = re.compile(r"\b\d+(?:\.\d+)? ?degrees?\b")
FULL_TRAVEL = {"cover.open_cover", "cover.close_cover", "valve.open_valve", "valve.close_valve"}
STOP_WORDS = frozenset({"stop", "halt", "pause", "freeze"})
MOVE_WORDS = frozenset({"open", "close", "shut", "raise", "lower", "up", "down", "lift", "drop"})
PARTIAL = re.compile(r"\b(?:partway|part way|partially|partly|slightly|ajar|a bit|a little|a crack|somewhat|a touch"
                     r"|just enough|enough (?:for|to)|a foot|an inch|a few inches|a gap)\b")


def wrong_travel(actions: list[Action], said: Said) -> ResolveError | None:
    """"stop the garage door" read as closing it (it may be closing on someone), "open the garage door partway"
    as opening it all the way: a cover's full travel where the sentence asks to stop, or to go part of the way
    without saying how far, is refused. ("stop the irrigation" closing its valve is what was asked.) So is a
    change by an amount from where a cover or valve stands now ("curtains down another 20 percent"): not known here."""
    if any(a.service in TO_POSITION for a in actions) and BY_POSITION.search(said.text):
        return ResolveError("unsupported", "that is a change from where it stands now, which is not known here: say the position")
    unit = OTHER_UNIT.search(said.text) or (DEGREES.search(said.text) if any(a.service in TO_POSITION for a in actions) else None)
    if unit and any(a.data for a in actions):
        return ResolveError("unsupported", f"{unit.group(0)!r}: this gateway sets percentages (a position, a speed), not that unit")
    if re.search(r"\bspeed\b", said.text) and any(a.service == "valve.set_valve_position" for a in actions):
        return ResolveError("unsupported", "a valve has a position, not a speed")
    travel = [a for a in actions if a.service in FULL_TRAVEL]
    if not travel:
        return None
    words = set(said.text.split())
    if any(a.service.startswith("cover.") for a in travel) and words & STOP_WORDS and not words & MOVE_WORDS:
        return ResolveError("unsupported", "cannot stop a cover where it is: say open, close or a position")
    if PARTIAL.search(said.text) and not any(w[0].isdigit() for w in words) and not AMOUNT_WORDS & words:
        return ResolveError("unsupported", "how far? say a position in percent")
    return None


# what an action's data needs a device to have, in the registry's capability words (Zigbee2MQTT's exposes)
NEEDS = {"brightness_pct": "brightness", "brightness_step_pct": "brightness", "color_name": "color",
         "color_temp_kelvin": "color_temp", "position": "position"}


def within_capabilities(actions: list[Action], device: Callable[[str], Device | None]) -> tuple[list[Action], ResolveError | None]:
    """"make the hall light blue" where the hallway light lists only brightness, "dim the fairy lights" where they
    are on/off: a device that lists its capabilities is sent only what they say it takes. Of several devices, those
    that cannot are left out ("all the lights to 50 percent" leaves the on/off fairy lights as they are); where none
    can, nothing is done. An empty list says on/off only; a file entry without the key takes everything."""
    out = []
    for action in actions:
        needed = {NEEDS[key] for key in action.data if key in NEEDS}
        able = [t for t in action.targets
                if not (d := device(t)) or (listed := d.listed_capabilities) is None or needed <= listed]
        if needed and not able:
            first = device(action.targets[0])
            what = " and ".join(sorted(n.replace("_", " ") for n in needed))
            return [], ResolveError("unsupported", f"{first.name if first else action.targets[0]} cannot take {what}")
        if action.data.get("hvac_mode") in COOLING_MODES:  # "turn on the air conditioning in the bedroom": a radiator
            able = [t for t in able if not ((d := device(t)) and _heats_only(d))]
            if not able:
                first = device(action.targets[0])
                return [], ResolveError("unsupported", f"{first.name if first else action.targets[0]} only heats: it cannot "
                                                       f"{action.data['hvac_mode'].replace('_', ' ')}")
        out.append(action if len(able) == len(action.targets) else action.model_copy(update={"targets": able}))
    return out, None


# "lock the loading door": a door that closes has no lock to say
def no_lock_to_say(actions: list[Action], said: Said) -> ResolveError | None:
    if any(a.service == "cover.close_cover" for a in actions) and re.search(r"\block\b", said.text) \
            and not re.search(r"\b(?:close|shut|down)\b", said.text) and not any(a.service == "lock.lock" for a in actions):
        return ResolveError("unsupported", "that door closes but has no lock: say close")
    return None


# "floor lamp half as bright", "twice as bright": a multiple of a level nobody here knows
AS_MUCH = re.compile(r"\b(?:half|twice|double|three times|triple|a third|a quarter) as (?:bright|dim|light|dark|warm|cool|fast|slow"
                     r"|hot|cold|open|high|low|loud)\b")


def as_much_again(actions: list[Action], said: Said) -> ResolveError | None:
    if actions and AS_MUCH.search(said.text) and any(a.service != QUERY for a in actions):
        return ResolveError("unsupported", "a multiple of the level it is at is not something this gateway knows: say the "
                                           "percent")
    return None


AIR_CON = re.compile(r"\b(?:ac|a c|aircon|air con|air ?condition\w*)\b")


def air_con_range(actions: list[Action], device: Callable[[str], Device | None]) -> ResolveError | None:
    """"set the AC to 5 degrees": an air conditioner (by its name) is set between 10 (a beer cellar's) and 32 degrees;
    5 is a heating frost setting, no cooling setpoint (the vocabulary takes 5-35 for any thermostat)."""
    for action in actions:
        value = _number(action.data.get("temperature"))
        if value is not None and not 10 <= value <= 32 and any(
                (d := device(t)) and AIR_CON_NAMED.search(" ".join([d.name, *d.aliases]).lower()) for t in action.targets):
            return ResolveError("out_of_range", f"an air conditioner is set between 10 and 32 degrees, not {value:g}")
    return None


AIR_CON_NAMED = re.compile(r"\b(?:ac|a c|aircon|air con|air ?condition\w*|crac|crah)\b")  # not a chiller or a cooler: 3 degrees


def no_air_con_here(actions: list[Action], said: Said, device: Callable[[str], Device | None]) -> ResolveError | None:
    """"the air condition of the bedroom put 20" set the bedroom's radiator: an air conditioner said where every
    climate device acted on only heats is a device the place lacks."""
    climate = [d for a in actions if a.service.startswith("climate.") for t in a.targets if (d := device(t))]
    if climate and AIR_CON.search(said.text) and all(_heats_only(d) for d in climate):
        return ResolveError("unknown_device", f"no air conditioner there: the {climate[0].name} only heats, so nothing was done")
    return None


# "prepone the porch light by one hour": a number of hours is a time, never a brightness or a position
TIME_AMOUNT = re.compile(r"\b(\d+(?:\.\d+)?) (?:hours?|hrs?|minutes?|mins?|seconds?|secs?|days?|weeks?)\b")


# "set the office to 21" was its lights at 21 percent: a place and a bare number a room is heated to
PLACE_TO_NUMBER = re.compile(r"^(?:please )?(?:set|put|turn|change|make|bring) (?:the |my |our )?(?!.*\b(?:lights?|lamps?|bulbs?"
                             r"|lighting|bright\w*|dim\w*)\b)(?:\w+ ){1,3}?to (\d+(?:\.\d+)?)(?: please| now)?$")

# "heating in the consult room to 22" read as the room's lights at 22 (the model took "consult room" for the lights'
# name): the heating said, no light
HEAT_SAID = re.compile(rf"\b(?:{HEAT_WORDS}|degrees?|warmer|colder|cooler)\b")
LIGHTS_OR_PERCENT = re.compile(r"\b(?:lights?|lamps?|bulbs?|lighting|lites?|bright\w*|dim\w*|percent)\b")
# "sauna to 90": a room heated past any thermostat's range, whose number is its heat as often as its lights'
HOT_ROOM = re.compile(r"\b(?:sauna|steam room|hot tub|jacuzzi|kiln|oven|hot box|smokehouse|drying room)\b")
# "hatchery 12", "cold room to 2": no verb, a place (the model read an area, no device) and a number
PLACE_NUMBER = re.compile(r"^(?:the |my |our )?(?!.*\b(?:lights?|lamps?|bulbs?|lighting|bright\w*|dim\w*|up|down|turn|set|put"
                          r"|make|bring|change)\b)(?:\w+ ){0,2}\w+ (?:to |at )?(\d+(?:\.\d+)?)(?: please| now)?$")


def degrees_or_percent(actions: list[Action], said: Said, frames: list[Frame]) -> ResolveError | None:
    if HEAT_SAID.search(said.text) and not LIGHTS_OR_PERCENT.search(said.text) \
            and any(a.service == "light.turn_on" and "brightness_pct" in a.data for a in actions):
        return ResolveError("not_understood", "the heating was said but the reading set lights: nothing done; say which")
    said_to = PLACE_TO_NUMBER.match(said.text) or PLACE_NUMBER.match(said.text)
    if said_to and (float(said_to.group(1)) <= 35 or HOT_ROOM.search(said.text)) and any(a.service == "light.turn_on" for a in actions) \
            and (said_to.re is PLACE_TO_NUMBER or all(f.area and not f.name for f in frames if f.service == "light.turn_on")):
        return ResolveError("not_understood", f"{said_to.group(1)} degrees or {said_to.group(1)} percent? say which")
    return None


# "open the shutter at 6 for ana" was a position of 6: a way said, then "at" an hour's number, is a time
WAY_AT_HOUR = re.compile(r"\b(?:open|close|shut|raise|lower|start|stop)\b.*\bat (\d{1,2})\b(?! ?(?:percent|per cent|degrees?)\b)")

# "get the shutter up, it's gone half five" was a position of 5: the clock read the British way
HALF_HOUR = re.compile(r"\b(?:half|quarter) (?:past |to )?(\d{1,2})\b(?! ?(?:percent|per cent|degrees?)\b)")


def time_as_value(actions: list[Action], said: Said) -> ResolveError | None:
    times = {float(n) for pattern in (TIME_AMOUNT, WAY_AT_HOUR, HALF_HOUR) for n in pattern.findall(said.text)}
    for action in actions:
        for key in (*NUMBER_KEYS, "brightness_step_pct"):
            value = _number(action.data.get(key))
            if value is not None and abs(value) in times:
                return ResolveError("not_understood", f"{value:g} was said as a time, not a setting: nothing done")
    return None


# "run conveyor a at 1500 rpm" was a start at whatever speed: a unit no setting here takes (speeds, positions and
# brightness are percentages, temperatures degrees, whites kelvin)
UNTAKEN_UNIT = re.compile(r"\b\d+(?:\.\d+)? ?(?:rpm|revs?|hz|hertz|bar|psi|kpa|mbar|litres?|liters?|gallons?|amps?|volts?|watts?|kw"
                          r"|kilowatts?|lux|lumens?|decibels?|db|cfm|metres?|meters?|feet|foot|inch(?:es)?|cm|mm|m3|m s)\b")


def untaken_unit(actions: list[Action], said: Said) -> ResolveError | None:
    unit = UNTAKEN_UNIT.search(said.text)
    if unit and any(a.service != QUERY for a in actions):
        return ResolveError("unsupported", f"{unit.group(0)!r}: no setting here takes that unit (speeds, positions and "
                                           "brightness are in percent, temperatures in degrees): nothing done")
    return None


# "put the light of living more low" was a step of +33: a step the other way from every word said of it
DOWN_SAID = re.compile(r"\b(?:low|lower|less|dim|dimmer|darker)\b")
UP_SAID = re.compile(r"\b(?:up|bright\w*|raise|higher|increase)\b")
UP_ONLY = re.compile(r"\b(?:brighter|brighten|raise|higher|increase)\b")
DOWN_TOO = re.compile(r"\b(?:dim\w*|low|lower|less|darker|down|too)\b")


# "the big light's a bit harsh, maybe make it warmer?" was a step of +20: warmer is a white, not a brightness
WHITE_WAY = re.compile(r"\b(?:warm|warmer|cool|cooler|colder)\b")
BRIGHTNESS_SAID = re.compile(r"\b(?:bright\w*|dim\w*|dark\w*|low|lower|raise|increase|decrease|reduce|boost|up|down|\d+)\b")


def step_against_words(actions: list[Action], said: Said) -> ResolveError | None:
    for action in actions:
        step = _number(action.data.get("brightness_step_pct")) or 0
        if step > 0 and DOWN_SAID.search(said.text) and not UP_SAID.search(said.text) \
                or step < 0 and UP_ONLY.search(said.text) and not DOWN_TOO.search(said.text):
            return ResolveError("not_understood", "brighter or dimmer? the words say one way, the reading the other: nothing done")
        if step and WHITE_WAY.search(said.text) and not BRIGHTNESS_SAID.search(said.text):
            return ResolveError("not_understood", "warmer or cooler is a white, not a brightness: say which white "
                                                  "(warm white, cool white) or how bright")
    return None


# "turn on the floor lamp and turn the rest off" switched the lamp on alone: "the rest" that no rule read as the
# others of a kind (sentence.THE_REST), beside one way only
REST_SAID = re.compile(r"\b(?:the rest|the others|everything else|all the others|all else)\b")


def rest_left_out(actions: list[Action], said: Said) -> ResolveError | None:
    if REST_SAID.search(said.text) and len({a.service for a in actions if a.service != QUERY}) == 1:
        return ResolveError("not_understood", "understood only part of that: what should happen to the rest? say it on its own")
    return None


# "put the lights back to normal", "set the heating like it was yesterday": a setting only a history could tell
# (read as a white of 4000 K); the gateway keeps none, so which setting is not known
BEFORE = re.compile(r"\bback to (?:normal|usual|default|how (?:it|they) (?:was|were)|the way (?:it|they) (?:was|were)|what (?:it|they) "
                    r"(?:was|were)|before|the usual|the default)\b|\b(?:as|like) (?:it|they) (?:was|were)(?: before)?\b"
                    r"|\b(?:same|like|as) (?:as )?(?:yesterday|last (?:night|time|week)|before)\b")


def no_history(actions: list[Action], said: Said) -> ResolveError | None:
    if any(a.service != QUERY for a in actions) and BEFORE.search(said.text):
        return ResolveError("unsupported", "no earlier setting is kept here to go back to: say the setting (on, off, 50 "
                                           "percent, 21 degrees)")
    return None


# "everything off in the kitchen, the kettle and the coffee machine and both lights" did the kettle and the coffee
# machine, "stop both conveyors and the palletizer and kill the line lights" left the lights on: a kind said after
# "and" that no action reaches is a part of the request left out ("machine" names other kinds: "the coffee machine")
KIND_DOMAINS = {w: domain for domain, words in GENERIC_WORDS.items() for w in words
                if w not in NOT_A_KIND and domain not in ("machine", "sensor")}
AND_KIND = re.compile(r"\b(?:and|plus|also) (?P<phrase>(?:(?:turn|switch|kill|shut|put|start|stop|open|close|lock|unlock|dim|set)"
                      r"(?: on| off)? )?(?:the |both |all (?:the )?|my |our )?(?:\w+ ){0,2}?(?P<kind>"
                      + "|".join(sorted(KIND_DOMAINS, key=len, reverse=True)) + r"))\b(?! \w+ing\b)")


def kind_left_out(actions: list[Action], said: Said, named: Callable[[str], set[str]]) -> ResolveError | None:
    """`named`: the domains of the devices called that ("the tree lights" is the christmas tree's, a switch)."""
    if not actions or any(a.service == QUERY for a in actions):
        return None
    reached = {t.split(".")[0] for a in actions for t in a.targets}
    for match in AND_KIND.finditer(said.text):
        domain = KIND_DOMAINS[match.group("kind")]
        phrase = match.group("phrase")
        if domain not in reached and not (domain == "lock" and "cover" in reached) \
                and not named(re.sub(r"^(?:\w+ (?:on |off )?)?(?:the|both|all the|all|my|our) ", "", phrase)) & reached:
            return ResolveError("not_understood", f"understood only part of that, so did nothing: nothing reads {phrase!r}")
    return None


COOLING_MODES = frozenset({"cool", "dry", "fan_only"})
HEATS_ONLY = re.compile(r"\b(?:radiators?|trv|heaters?|boiler|furnace|underfloor|towel rail)\b")  # not "heating": a thermostat's word


def _heats_only(device: Device) -> bool:
    """A radiator, a heater, a boiler: climate devices that heat or are off, never cool (by kind or name)."""
    return device.kind in ("trv", "radiator", "heater") or bool(HEATS_ONLY.search(" ".join([device.name, *device.aliases]).lower()))


NUMBER_KEYS = ("position", "percentage", "speed_pct", "brightness_pct", "temperature")
# words that say a level without a number: "fan on low", "blower to max", "the shades a quarter open"
LEVEL_WORDS = re.compile(r"\b(?:to|on|at|in|onto|into) (?:the |a |its )?(?:low|lowest|medium|med|mid|middle|high|highest|max|maximum"
                         r"|min|minimum|full|top|bottom|slow|slowest|fast|fastest)\b|\b(?:low|medium|high|full|max|top) (?:speed"
                         r"|setting|power|level|blast)\b|\b(?:quarter|third|half|half ?way|full|flat out|fully|all the way)\b")


def unsaid_number(actions: list[Action], said: Said) -> ResolveError | None:
    """"set both the living room blinds and the office shades to 50 percent" read as the blinds to 90: where numbers
    are said, a value no number of the sentence is, is the model's invention (a change by degrees sets its own)."""
    numbers = _numbers_said(said)
    if said.relative_degrees:
        return None
    if not numbers:  # "pls open top up valve pond is low" read as the valve to 33: no number and no word for one said
        if not LEVEL_WORDS.search(said.text) and any(_number(a.data.get(key)) is not None for a in actions for key in NUMBER_KEYS):
            return ResolveError("not_understood", "no value was said: nothing done; say the value")
        return None
    for action in actions:
        for key in NUMBER_KEYS:
            value = _number(action.data.get(key))
            if value is not None and value not in numbers:
                return ResolveError("not_understood", f"{value:g} was not said: nothing done; say the value again")
    return None
