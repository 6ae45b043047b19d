"""The gate before acting: refusals decided on the sentence itself, whatever the model wrote.

Each takes the frames' services or the resolved actions and what was said (nanoiot.sentence.Said)
and returns the refusal to answer with, or None: a negated command, one for later or on a
condition, a temperature or an amount nobody said, a fault reset nobody asked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nanoiot.frame_rules import QUERY
from nanoiot.kinds import ALL_GENERIC, GENERIC_WORDS, NOT_A_KIND, OFF, ON
from nanoiot.resolver import ResolveError
from nanoiot.said_values import PERCENT
from nanoiot.schema import Action
from nanoiot.sentence import Said
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
              "cool": frozenset("cool cooling cooler cold colder ac aircon conditioner conditioning".split())}


def unsaid_mode(actions: Sequence[Action | Frame], said: Said) -> ResolveError | None:
    """Heating or cooling that no word of the sentence asks for: "turn the thermostat down" is a lower setpoint,
    not cooling (a model read it so); asked how far rather than guessed."""
    words = set(said.text.split())
    for action in actions:
        mode = action.data.get("hvac_mode") if action.service == "climate.set_hvac_mode" else None
        # "turn the heat down" read as heating on: the mode's word said, the other way ("down" of heat, "up" of cool)
        against = words & AGAINST_MODE.get(mode or "", frozenset())
        if mode in MODE_WORDS and (not MODE_WORDS[mode] & words or against):
            return ResolveError("unsupported", "which temperature? say the degrees to set (or heating / cooling for the mode)")
    return None


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
        # "turn the ceiling fan down" read as switching it on: a start asked to go lower is no start
        stop = action.service in STOPS and SLOWER & words \
            or action.service in STARTS and (faster or (SLOWER | LOWER_WORDS) & words) and not numbers
        speed = SPEEDS.get(action.service)
        value = _number(action.data.get(speed)) if speed else None
        guessed = value is not None and value < 0 and not numbers
        # "fan speed 2" is a step of a fan's own few speeds, not 2 percent of its range
        step = value is not None and 0 < value <= 5 and not percent
        if stop or guessed or step:
            return ResolveError("unsupported", "how fast? say the speed to set, in percent")
    return None


def _numbers_said(said: Said) -> set[float]:
    return {float(n) for n in re.findall(r"\d+(?:\.\d+)?", said.text)}


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


def not_asked_for(actions: list[Action], said: Said) -> ResolveError | None:
    """A service in ASKED_WITH that no word of the sentence asks for: a statement, not a request."""
    words = said.text.split()
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


BY_AMOUNT = re.compile(r"\bby (\d+(?:\.\d+)?)\b")


def guessed_amount(actions: list[Action], said: Said) -> ResolveError | None:
    """"speed up conveyor a" read as speed 100, "make the fan faster" as 20 percent, "open the blinds a bit"
    as position 20: an absolute amount nobody said moves a device to where nobody asked. Relative steps
    (brightness_step_pct) are steps, not amounts, and stay."""
    words = said.text.split()
    by = {float(n) for n in BY_AMOUNT.findall(said.text)}
    # "decrease mixer 1 speed by 10 percent" read as speed 10: a change by an amount set as the amount itself
    if by and any(key in a.data and float(a.data[key]) in by for a in actions for key in AMOUNT_KEYS):
        return ResolveError("unsupported", "a change by an amount is not something this device takes: say the value to set")
    if any(w[0].isdigit() for w in words) or AMOUNT_WORDS.intersection(words):
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
# "conveyor b keeps tripping" read as conveyor b started, "the pump won't start": a fault reported, not a request
# (reports go to diagnostics); acted on only where a command verb is said beside it ("... turn it off")
FAULT_REPORT = re.compile(
    r"\b(?:keeps? (?:on )?(?:tripping|stopping|failing|cutting out|shutting (?:down|off)|stalling|jamming|overheating|leaking)"
    r"|tripped|is (?:jammed|stuck|broken|leaking|overheating|faulty|dead|not working|not running)"
    r"|(?:isn'?t|is not|wasn'?t|aren'?t|doesn'?t|does not) (?:work|working|running|starting|start)"
    r"|won'?t (?:start|stop|run|turn on|turn off|open|close)"
    r"|not working|broke down|making (?:a|an) (?:\w+ )?noise)\b")
# "the front door is open" read as unlock, "the kettle is boiling" as the kettle on, "the lights are on" as every light
# on; "i hate the christmas tree lights" as the tree off: how things are, or a feeling, is not what to do
STATE_SAID = re.compile(r"^(?:the |my |our )?(?:\w+ ){1,3}(?:is|are|was|were) (?:still |already |now |all )?"
                        r"(?:on|off|open|closed|shut|locked|unlocked|running|boiling|ready|lit|playing|working)\b")
FEELING = re.compile(r"^i (?:really )?(?:hate|love|dislike|adore|can't stand|cannot stand)\b")
# what somebody did or what a device did by itself ("i turned off the porch light", "the kids broke the lamp", "the
# fan keeps turning on", "the porch light was left on", "the lamp needs a new bulb"): told, not asked
DONE = re.compile(
    r"^(?:i|we|somebody|someone|he|she|they|the kids|my \w+)(?: just| already| have| had|'ve)? (?:turned|switched|left|broke"
    r"|opened|closed|locked|unlocked|started|stopped|fixed|bought|installed|replaced|moved|unplugged|plugged)\b"
    r"(?: (?:the |my |our )?(?:\w+ ){0,3}?(?:on|off|open|closed|locked|unlocked|running)\b)?"
    r"|\b(?:itself|themselves|by itself|on its own|keeps? (?:turning|switching|going|coming|flickering|stopping))\b"
    r"|\b(?:was|were|been) left (?:on|off|open|unlocked|running)\b"
    r"|^(?:the|my|our) (?:\w+ ){1,3}(?:stopped|died|broke|failed|went off|came on|turned (?:on|off)|switched (?:on|off))\b"
    r"|\bneeds? (?:a |an |to be )?(?:new |replac\w*|clean\w*|repair\w*|fix\w*|bulb|batter\w*)"
    r"|^(?:the|my|our) (?:\w+ ){1,3}(?:is|are) (?:(?:brand )?new|old|broken|nice|great|lovely|beautiful|ugly|expensive|cheap|loud|noisy)\b"
    r"|^(?:turning|switching|opening|closing|locking|unlocking|starting|stopping)\b.*\b(?:myself|ourselves)\b")
# a sentence that opens with its subject and a finite verb ("the coffee machine beeped twice", "pump 1 ran for six
# hours", "our thermostat is set to 20", "dad locked the back door"): it tells; a request opens with its verb ("turn
# ...", "kitchen lights off", "can you ..."). A need said of a place ("the kitchen is dark", "it's freezing in here")
# and what should be ("the heating needs to be on") still ask.
DECLARATIVE = re.compile(  # not a request's opening ("can i have ...", "have the roomba clean ...", "there is dust ...")
    r"^(?!(?:can|could|would|will|may|please|let|lets|let's|do|have|get|make|go|there|here|i|i'd|i'm|im|we|we'd|you|it|it's|its)\b)"
    r"(?:[\w']+\s+){1,4}?"  # its subject: a word or four ("dad", "the back door lock")
    r"(?:is|are|was|were|has|have|had|got|gets|looks?|seems?|sounds?|smells?|feels?|ran|runs|started|stopped|beeped|beeps"
    r"|kept|went|came|broke|made|makes|did|does|locked|unlocked|opened|closed|turned|switched|left|fell|froze|died"
    r"|likes|loves|hates|uses|used|takes|took|reads|shows|showed|says|said|works|worked|gives|goes|comes|wants|costs"
    r"|weighs|belongs|blinks|flashes|hums|buzzes|drips|leaks|smokes|sparks|rattles|squeaks|whistles|flickers)\b")
NEED = re.compile(r"\b(?:dark|dim|gloomy|black|cold|chilly|freezing|hot|warm|stuffy|humid|dirty|filthy|messy|dusty|too"
                  r"|needs? to be|should be|must be|has to be|have to be|ought to be)\b")
HEARD = re.compile(r"^i can (?:hear|see|smell)\b")
# an opinion or a reminder to someone ("i think the garage is open", "remember to turn off the oven"): not for now
NOT_FOR_NOW = re.compile(r"^(?:i think|i guess|i believe|maybe|apparently|remember to|don't forget to|do not forget to)\b")
REQUEST_VERB = re.compile(r"\b(?:turn|switch|put|start|restart|open|close|shut|lock|unlock|set|make|power|run|stop|halt|kill|pause"
                          r"|reset|clear|raise|lift|lower|clean|vacuum|hoover|mop|sweep|brew|dim|brighten)\b")
TOO_BRIGHT = re.compile(r"\btoo (?:bright|sunny|light)\b|\bglare\b")
TOO_DARK = re.compile(r"\btoo (?:dark|dim)\b|\bpitch black\b")
WAKING = frozenset({"switch.turn_on", "fan.turn_on", "cover.open_cover", "lock.unlock", "valve.open_valve",
                    "machine.start", "vacuum.start", "climate.set_hvac_mode"})


# "define television", "describe a smart tv", "send a complaint to sony about this tv": a request of another
# service that names a device (read as the tv on or off); "mute the television": sound, which no service here sets
OTHER_REQUEST = re.compile(
    r"^(?:(?:please|kindly|can you|could you|would you|will you|i want you to|(?:i'd|i would) like you to|hey \w+|ok \w+|alexa|olly)\s+)*"
    r"(?:define|describe|explain|review|rate|compare|complain|google|search|look up|buy|order|purchase"
    r"|(?:send|write|file|log|post|tweet|email|text) (?:a|an|my|some)\b)\b")
# "set an alarm for 7 am", "remove my work alarm", "a timer for the oven": an alarm clock, a timer or a reminder,
# whatever device shares the word; "how do i turn on the oven" asks to be told, not for it done
CLOCK = r"(?:alarms?|timers?|reminders?)"
KEEPS_TIME = re.compile(
    r"\b(?:set|unset|reset|add|make|create|remove\w*|delete\w*|cancel|change|schedule|snooze|repeat|put|place|fix|forget"
    r"|confirm|check\w*|give|get rid of|need|want|list|show|disable)\b.*\b" + CLOCK + r"\b"
    r"|\b" + CLOCK + r"\b.*\b(?:\d+|am|pm|o'?clock|morning|afternoon|evening|night|tomorrow|today|tonight|\w+day|wake|remove\w*)\b"
    r"|\b(?:am|pm|o'?clock|morning|bedtime|wake up)\b.*\b" + CLOCK + r"\b"
    r"|\b" + CLOCK + r" (?:set|times?|goes|go|rings?)\b|\balarm clock\b|\balarm me\b|\bwake me\b")
CLOCK_SAID = re.compile(r"\b" + CLOCK + r"\b")  # with a time said, which `when` took out of the text
HOW_TO = re.compile(r"\bhow (?:to|do|does|can|should|would)\b")
SOUND = re.compile(r"\b(?:mute|unmute|volume|louder|quieter)\b")
POWER = frozenset(ON.values()) | frozenset(OFF.values())


NOT_A_VERB_AFTER = frozenset("is are was were be been being a an the its his her my our your their broken new old light wall power "
                             "main robot of much more less no full low high".split())  # "a broken switch", "is set to 20", "the robot vacuum"


def _asks_too(rest: str) -> bool:
    """What is left of a statement holds a request ("... close it", "the lights are off turn them on"), not a word
    that only looks like one ("is set to 20", "a broken switch")."""
    words = rest.split()
    return any(REQUEST_VERB.fullmatch(w) and (i == 0 or words[i - 1] not in NOT_A_VERB_AFTER)
               and words[i + 1 : i + 2] != ["cleaner"] for i, w in enumerate(words))


def against_the_sense(actions: list[Action], said: Said) -> ResolveError | None:
    """"i'm going to bed" read as lights on, "it's too sunny in here" as the lamp on, "serve me coffee with no
    sugar" as the coffee maker off: a statement whose sense runs against what the model read is not acted on (what
    it should do, nobody said)."""
    text = said.text
    if any(a.service != QUERY for a in actions):
        for pattern, message in ((OTHER_REQUEST, "that asks for something other than a device's setting"),
                                 (KEEPS_TIME, "alarm clocks, timers and reminders are not devices this gateway sets"),
                                 (CLOCK_SAID if said.when else None, "alarm clocks, timers and reminders are not devices this gateway sets"),
                                 (HOW_TO, "that asks how it is done, not for it done")):
            if pattern and pattern.search(text):
                return ResolveError("not_understood", f"{message}: nothing done")
    if SOUND.search(text) and any(a.service in POWER for a in actions):
        return ResolveError("unsupported", "sound (mute, volume) is not something this gateway sets; nothing was switched")
    acting = any(a.service != QUERY for a in actions)
    told = STATE_SAID.search(text) or FEELING.search(text) or DONE.search(text) or HEARD.search(text) \
        or (DECLARATIVE.search(text) and not NEED.search(text))
    rest = DECLARATIVE.sub(lambda m: m.group(0).split()[-1], DONE.sub(" ", STATE_SAID.sub(" ", text)))  # keeps "is" of "is set"
    if acting and told and not _asks_too(rest) \
            and not re.search(r"\b(?:please|can you|could you|would you|will you)\b", text):
        return ResolveError("not_understood", "that says how things are, not what to do: nothing done")
    if acting and NOT_FOR_NOW.search(text):
        return ResolveError("not_understood", "that is an opinion or a reminder, not a request: say what to do now")
    report = FAULT_REPORT.search(text)
    if report and any(a.service != QUERY for a in actions) and not REQUEST_VERB.search(FAULT_REPORT.sub(" ", text)):
        return ResolveError("not_understood", f"{report.group(0)!r} sounds like a fault report, not a request: say what to do "
                                              "(fault reports go to diagnostics)")
    for action in actions:
        step = _number(action.data.get("brightness_step_pct")) or 0
        brighter = action.service == "light.turn_on" and step >= 0 and "brightness_pct" not in action.data \
            and "color_temp_kelvin" not in action.data and "color_name" not in action.data
        darker = action.service == "light.turn_off" or step < 0
        waking = (action.service in WAKING and action.data.get("hvac_mode") != "off") or brighter  # a warm dim light is for bed
        if waking and WINDING_DOWN.search(text) and not COMMAND_VERB.search(text) \
                or brighter and TOO_BRIGHT.search(text) or darker and TOO_DARK.search(text) \
                or action.service in STOPPING and WANTING.search(text) and not re.search(r"\b(?:off|stop)\b", text):
            return ResolveError("not_understood", "not sure what that asks for: say what to do")
    return None


# a robot vacuum is asked for with a word for it or for cleaning ("clean the kitchen", "hoover", "the floor is
# filthy", "start roomba"): 120 of the 124 trainable real requests to start one say one
CLEANING = re.compile(r"\b(?:clean\w*|vacuum\w*|hoover\w*|sweep\w*|swept|mop\w*|dust\w*|dirt\w*|\w*robo\w*|\w*roomba\w*|vac"
                      r"|carpets?|rugs?|floors?|mess\w*|crumbs?|mud\w*|filth\w*|tidy|spotless|hair)\b")


def unsaid_cleaning(actions: list[Action], said: Said, vacuum_named: bool) -> ResolveError | None:
    """A vacuum started where nothing said is a vacuum or cleaning ("pull up peking garden online", read as
    cleaning the garden): a machine started on a misreading. `vacuum_named`: a vacuum's own name was said."""
    if vacuum_named or not any(a.service == "vacuum.start" for a in actions) or CLEANING.search(said.text):
        return None
    return ResolveError("not_understood", "not a command I know")


FULL_TRAVEL = {"cover.open_cover", "cover.close_cover", "valve.open_valve", "valve.close_valve"}
STOP_WORDS = frozenset({"stop", "halt", "pause", "freeze"})
MOVE_WORDS = frozenset({"open", "close", "shut", "raise", "lower", "up", "down", "lift", "drop"})
PARTIAL = re.compile(r"\b(?:partway|part way|partially|partly|slightly|ajar|a bit|a little|a crack|somewhat|a touch)\b")


def wrong_travel(actions: list[Action], said: Said) -> ResolveError | None:
    """"stop the garage door" read as closing it (it may be closing on someone), "open the garage door partway"
    as opening it all the way: a cover's full travel where the sentence asks to stop, or to go part of the way
    without saying how far, is refused. ("stop the irrigation" closing its valve is what was asked.)"""
    travel = [a for a in actions if a.service in FULL_TRAVEL]
    if not travel:
        return None
    words = set(said.text.split())
    if any(a.service.startswith("cover.") for a in travel) and words & STOP_WORDS and not words & MOVE_WORDS:
        return ResolveError("unsupported", "cannot stop a cover where it is: say open, close or a position")
    if PARTIAL.search(said.text) and not any(w[0].isdigit() for w in words) and not AMOUNT_WORDS & words:
        return ResolveError("unsupported", "how far? say a position in percent")
    return None
