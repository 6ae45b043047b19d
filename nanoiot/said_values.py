"""Values a sentence says (numbers with units, colours), held against the values the model's frames carry.

A small model copies digits and colour words it seldom saw badly ("14.5" as 26.5, "blue" as lightblue);
the value said is the one to set, and a value said that no frame carries is never replaced by a guess.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nanoiot.colors import COLOR_NAMES, WHITE_KELVIN
from nanoiot.frame_rules import QUERY
from nanoiot.matching import DETERMINERS
from nanoiot.vocabulary import Frame


SAID_VALUE = re.compile(r"\b(\d+(?:\.\d+)?) ?(percent|per cent|pct|degrees?|kelvin|k)\b")
PERCENT = ("percent", "per cent", "pct")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")  # a value a frame carries, as the model wrote it
SAID_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?!\w)")  # a number said, not the 1 of a placeholder ("machine_1")


def unplaced_value(frames: list[Frame], text: str) -> str | None:
    """A value the person said ("150 percent") that no frame carries, or None.

    A model that never saw 150 percent may write another value in its place
    ("150 percent" -> warm white); acting on it would do what nobody asked.
    A value the model cut short ("15" for "150") counts as carried: the
    resolver restores it. 0 and 100 percent are the end points that open,
    close, on and off already say.
    """
    # a colour the model wrote as a number ("color_name=50" for "purple at 50 percent") carries no number
    carried = [str(v).lstrip("-") for f in frames for k, v in f.data.items() if k != "color_name"]
    for match in SAID_VALUE.finditer(text):
        said = match.group(1)
        if match.group(2) in PERCENT and float(said) in (0.0, 100.0):
            continue
        if not any(value and value in said or _same_number(value, said) for value in carried):
            return match.group(0)
    return None


# a service that switches something on, and the service and key that set it to a percentage
SET_BY_PERCENT = {"light.turn_on": ("light.turn_on", "brightness_pct"), "fan.turn_on": ("fan.set_percentage", "percentage"),
                  "cover.open_cover": ("cover.set_cover_position", "position"),
                  "valve.open_valve": ("valve.set_valve_position", "position"), "machine.start": ("machine.set_speed", "speed_pct")}
BRIGHTNESS_KEYS = frozenset({"brightness_pct", "brightness_step_pct"})
UNIT_KEYS = {"degree": {"temperature"}, "degrees": {"temperature"}, "kelvin": {"color_temp_kelvin"}, "k": {"color_temp_kelvin"},
             **{unit: {"brightness_pct", "brightness_step_pct", "position", "percentage", "speed_pct"} for unit in PERCENT}}


# words that ask for a white or a mood a colour temperature gives; without one, a colour temperature is nobody's
WHITE_SAID = re.compile(r"\b(?:warm\w*|cool\w*|cold\w*|white|daylight|kelvin|k|temperature|candle\w*|soft\w*|cos[yz]\w*|relax\w*"
                        r"|read\w*|study|focus|work|movie|romantic|evening|night|sleep\w*|yellow\w*|orange\w*|blue\w*)\b")


def place_said_value(frames: list[Frame], text: str) -> list[Frame] | None:
    """"set the temperature in the bedroom to 14.5 degrees" read as 26.5: the one number said, with a unit that
    fits the one value the frames carry, is that value. The model's job is which setting; copying digits it
    seldom saw ("14.5") is not a thing to learn. None where that is not the whole story (two numbers, a
    unit that does not fit): the caller refuses then."""
    said = SAID_VALUE.findall(text)
    carried = _one_number_carried(frames)
    # the frame that sets no percentage yet: one with no data, else a light given only a colour ("to red at 50 percent")
    bare = [i for i, f in enumerate(frames) if f.service in SET_BY_PERCENT and not f.data] or \
        [i for i, f in enumerate(frames) if f.service == "light.turn_on" and not set(f.data) & BRIGHTNESS_KEYS]
    percent = len(said) == 1 and said[0][1] in PERCENT and (carried is None or carried[1] not in UNIT_KEYS[said[0][1]])
    if percent and len(bare) == 1 and re.search(rf"\b(?:to|at) {re.escape(said[0][0])}", text):
        # "turn the bedroom light on to 20 percent" read as on alone (beside "... and make it warm white" read
        # right): the percentage said is what the frame that sets nothing is set to
        i = bare[0]
        service, key = SET_BY_PERCENT[frames[i].service]
        data = dict(frames[i].data)
        if "color_temp_kelvin" in data and not WHITE_SAID.search(text):
            del data["color_temp_kelvin"]  # "set the lights to 50 percent" read as warm white: the model's stand-in for 50
        return [replace(f, service=service, data={**data, key: _as_number(said[0][0])}) if j == i else f
                for j, f in enumerate(frames)]
    if len(said) != 1 or len(re.findall(r"\d+(?:\.\d+)?", text)) != 1 or carried is None \
            or carried[1] not in UNIT_KEYS.get(said[0][1], ()):
        return None
    i, key, old = carried
    return _with_number(frames, i, key, said[0][0], negative=key == "brightness_step_pct" and old.startswith("-"))


def said_colors(text: str) -> list[str]:
    """The colour names a sentence says, in order ("light blue" is lightblue)."""
    words, found, i = text.split(), [], 0
    while i < len(words):
        pair = "".join(words[i : i + 2])
        # "turn the light blue": after a determiner, "light" is the device and the colour is blue
        device = words[i] == "light" and i > 0 and words[i - 1] in DETERMINERS
        if i + 1 < len(words) and pair in COLOR_NAMES and not device:
            found.append(pair)
            i += 2
        else:
            if words[i] in COLOR_NAMES:
                found.append(words[i])
            i += 1
    return found


def place_said_colors(frames: list[Frame], text: str) -> list[Frame]:
    """"the bedroom light red and the bedside lamp blue" read as red and lightblue: where the sentence says as
    many colours as the frames carry, they are the colours said, in order; one colour said for several frames that
    carry one is each one's ("... and the bedside lamp purple" read as colour 20 for the first)."""
    carrying = [i for i, f in enumerate(frames) if "color_name" in f.data]
    said = said_colors(text)
    if len(said) == 1 and len(carrying) > 1:  # "make the kitchen light and the bedside lamp purple": one colour, each
        said = said * len(carrying)
    if not carrying or len(said) != len(carrying):
        return frames
    colors = dict(zip(carrying, said))
    return [replace(f, data={**f.data, "color_name": colors[i]}) if i in colors else f for i, f in enumerate(frames)]


def unsaid_color(frames: list[Frame], text: str) -> list[Frame]:
    """"trun on the bedroom ceiling light" read as on in fuchsia: a colour nobody said ("pinkish" says pink) is the
    model's guess, not a colour asked for; the frame keeps the rest of what it read."""
    def said(color: str) -> bool:
        return color in said_colors(text) or re.search(rf"\b{re.escape(color)}", text) is not None \
            or any(_swapped(word, color) for word in text.split())  # "make the tv backlight bleu" lost its blue
    return [replace(f, data={k: v for k, v in f.data.items() if k != "color_name"})
            if "color_name" in f.data and not said(str(f.data["color_name"])) else f for f in frames]


def _swapped(a: str, b: str) -> bool:
    """`a` is `b` typed with two neighbouring letters swapped ("bleu", "yelolw"), in a word of 4+ letters."""
    differ = [i for i, (x, y) in enumerate(zip(a, b)) if x != y] if len(a) == len(b) >= 4 else []
    return len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]]


def lone_color(frames: list[Frame], text: str) -> tuple[list[Frame], str | None]:
    """"turn on the bedroom light and turn it red" read as on alone: a colour said that no frame carries goes to the
    one light frame setting none; where no such frame can take it, it comes back (the caller refuses: half
    understood). A colour word inside a name the model read ("the white lamp") is no colour asked for."""
    if any({"color_name", "color_temp_kelvin"} & set(f.data) for f in frames) or all(f.service == QUERY for f in frames):
        return frames, None
    named = " ".join(p for f in frames for p in (f.name, f.area) if p)
    colors = [c for c in said_colors(text) if c not in said_colors(named)]
    lights = [i for i, f in enumerate(frames) if f.service == "light.turn_on"]
    if not colors:
        return frames, None
    if not lights:  # "make the desk fan blue": no frame here takes a colour
        return frames, colors[0]
    if len(colors) == 1 and len(lights) == 1:
        i = lights[0]
        return [replace(f, data={**f.data, "color_name": colors[0]}) if j == i else f for j, f in enumerate(frames)], None
    return frames, colors[0]


def place_said_white(frames: list[Frame], text: str) -> list[Frame]:
    """"set the lamp to cold white" read as 6500 K: a white said by name (nanoiot.colors.WHITE_KELVIN) is its
    colour temperature, where one frame sets one and one name is said."""
    carrying = [i for i, f in enumerate(frames) if "color_temp_kelvin" in f.data]
    said = [k for name, k in WHITE_KELVIN.items() if re.search(rf"\b{name}\b", text)]
    if len(carrying) != 1 or len(said) != 1:
        return frames
    i = carrying[0]
    return [replace(f, data={**f.data, "color_temp_kelvin": said[0]}) if j == i else f for j, f in enumerate(frames)]


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def place_said_number(frames: list[Frame], text: str) -> list[Frame]:
    """`text` as the model read it, registry names in placeholders (so "pump 3" holds no number).

    "set the kitchen lights to 150" read as 100 percent: where the sentence says one number and the frames
    carry one number that is not it, the number said is the value (so an impossible one is refused, never
    clamped by the model). A step keeps its sign."""
    said = SAID_NUMBER.findall(text)
    carried = _one_number_carried(frames)
    if len(said) != 1 or carried is None or _same_number(carried[2].lstrip("-"), said[0]):
        return frames
    i, key, old = carried
    unit = dict(SAID_VALUE.findall(text)).get(said[0])
    if unit and key not in UNIT_KEYS[unit]:  # "50 percent ... warm white": the 2700 K came from a name, not the 50
        return frames
    return _with_number(frames, i, key, said[0], negative=old.startswith("-"))


def percent_not_kelvin(frames: list[Frame], text: str) -> list[Frame]:
    """"turn the lights to 50" read as 50 K: no light has a colour temperature of 100 K or less, and no kelvin
    was said, so the number is the brightness it is everywhere else."""
    if re.search(r"\b(?:kelvin|k)\b", text):
        return frames
    out = []
    for f in frames:
        kelvin = f.data.get("color_temp_kelvin")
        if f.service == "light.turn_on" and NUMBER.fullmatch(str(kelvin)) and 0 < float(str(kelvin)) <= 100:
            data = {k: v for k, v in f.data.items() if k != "color_temp_kelvin"}
            f = replace(f, data={**data, "brightness_pct": kelvin})
        out.append(f)
    return out


# words that make a brightness a change from where it is ("up 30", "30 brighter", "dim by 30"), not a level
RELATIVE = frozenset("up down brighter brighten brightening dimmer dim dimmed dimming darker lighter more less increase "
                     "increment decrease decrement raise lower by bump notch notches step steps bit little tad higher "
                     "further plus minus boost reduce drop add".split())


def level_not_step(frames: list[Frame], text: str) -> list[Frame]:
    """"kitchen light 30" read as 30 brighter: with no word of change said, a number said is the level to set."""
    if RELATIVE & set(text.split()):
        return frames
    said = set(SAID_NUMBER.findall(text))
    return [replace(f, data={**{k: v for k, v in f.data.items() if k != "brightness_step_pct"},
                             "brightness_pct": str(f.data["brightness_step_pct"]).lstrip("-")})
            if "brightness_step_pct" in f.data and str(f.data["brightness_step_pct"]).lstrip("-") in said else f
            for f in frames]


TO_NUMBER = re.compile(r"\bto (\d+(?:\.\d+)?)(?!\w)")
BY_NUMBER = re.compile(r"\bby (\d+(?:\.\d+)?)(?!\w)")
LOWER = re.compile(r"\b(?:down|dim\w*|darker|lower\w*|reduce\w*|decrease\w*|drop|less)\b")
HIGHER = re.compile(r"\b(?:up|bright\w*|raise\w*|increase\w*|boost|more|higher)\b")


def to_is_a_level_by_a_step(frames: list[Frame], text: str) -> list[Frame]:
    """"bring it down to thirty" read as 30 dimmer, "down by 25 percent" as a level of 25: a brightness said after
    "to" is where to set it, after "by" how far to move it (signed by the one direction the sentence says)."""
    to, by = TO_NUMBER.findall(text), BY_NUMBER.findall(text)
    if not to and not by:
        return frames
    down, up = bool(LOWER.search(text)), bool(HIGHER.search(text))
    out = []
    for f in frames:
        data = f.data
        step, level = data.get("brightness_step_pct"), data.get("brightness_pct")
        if f.service != "light.turn_on" or (step is None) == (level is None):
            out.append(f)
            continue
        number = str(step if level is None else level).lstrip("-")
        said_to, said_by = any(_same_number(number, n) for n in to), any(_same_number(number, n) for n in by)
        rest = {k: v for k, v in data.items() if k not in BRIGHTNESS_KEYS}
        if step is not None and said_to and not said_by:
            f = replace(f, data={**rest, "brightness_pct": number})
        elif level is not None and said_by and not said_to and down != up:
            f = replace(f, data={**rest, "brightness_step_pct": f"-{number}" if down else number})
        out.append(f)
    return out


COOLER = re.compile(r"\b(?:cooler|colder|cool|cold)\b")
DIMMER = re.compile(r"\b(?:dim\w*|darker|less bright|lower|down|brightness)\b")


def cooler_white(frames: list[Frame], text: str) -> list[Frame]:
    """"make the office light cooler" read as dimmer: a cooler light is a cooler white, as "warmer" is warm white."""
    if not COOLER.search(text) or DIMMER.search(text):
        return frames
    return [replace(f, data={"color_temp_kelvin": WHITE_KELVIN["cool white"]})
            if f.service == "light.turn_on" and set(f.data) == {"brightness_step_pct"} else f for f in frames]


# a mood said of the lights is a white: warm for the evening, cool for work (the kelvins real speech trains with)
# ("marcus's lamp warmer please, i'm drawing up the ground plan" was a step brighter: "warmer" of a light is its white)
WARM_MOOD = re.compile(r"\b(?:warmer|romantic|romance|cos[yz]\w*|relax\w*|calm\w*|movie|cinema|film|night|evening|candle\w*|sleep\w*"
                       r"|soft\w*|dinner|date)\b")
COOL_MOOD = re.compile(r"\b(?:cooler|read\w*|study\w*|work\w*|focus\w*|concentrat\w*|morning|daylight)\b")


def mood_is_a_white(frames: list[Frame], text: str) -> list[Frame]:
    """"change the lights for a movie night" / "make the lights softer" read as a step brighter or dimmer that nobody
    said: a mood is a white (warm 2700 K, cool 5000 K), as the real speech the model trained on labels it."""
    warm, cool = bool(WARM_MOOD.search(text)), bool(COOL_MOOD.search(text))
    if warm == cool or BRIGHTEN.search(text) or DARKEN.search(text) or UP_OR_DOWN.search(text) or re.search(r"\d", text):
        return frames
    kelvin = 2700 if warm else 5000
    return [replace(f, data={"color_temp_kelvin": kelvin})
            if f.service == "light.turn_on" and set(f.data) == {"brightness_step_pct"} else f for f in frames]


# "turn the pendant lights up a bit so we can see at dinner": a step said (not "set the lights up for reading")
UP_OR_DOWN = re.compile(r"\b(?:turn|crank|bump|dial|bring|ramp|knock|put|push)\b(?: \S+){0,4}? (?:up|down)\b"
                        r"|\b(?:up|down) a (?:bit|little|notch|touch|tad|smidge)\b")
BRIGHTEN = re.compile(r"\b(?:brighten\w*|brighter|higher|more light(?:s|ing)?)\b")  # "i need some more light"
# ("the lamp for reading, a little bit lower please" was a reading white)
DARKEN = re.compile(r"\b(?:dim|dimmer|dimm\w*|darken\w*|darker|lower|less light(?:s|ing)?|too (?:bright|much|harsh|strong|glaring)"
                    r"|blinding)\b")
DEFAULT_STEP = 20  # what the model writes for "brighter" with no amount said


def brighter_is_a_step(frames: list[Frame], text: str) -> list[Frame]:
    """"brighten up the kitchen" read as the kitchen's lights on: brighter (or dimmer) with no amount is a step of
    the usual size. Only where the sentence says one direction and no frame carries anything to set (where one
    does, the model placed the change: "turn on the kitchen light and dim the bedroom light")."""
    up, down = bool(BRIGHTEN.search(text)), bool(DARKEN.search(text))
    if up == down or any(f.data for f in frames):
        return frames
    step = DEFAULT_STEP if up else -DEFAULT_STEP
    return [replace(f, data={"brightness_step_pct": step}) if f.service == "light.turn_on" and not f.data else f for f in frames]


def unplaced_number(frames: list[Frame], source: str) -> str | None:
    """`source` as the model read it (names in placeholders). A number said that no frame carries, where the frames
    carry others, or None: "lights to 50 in the kitchen and 20 in the living room" read as the living room's lights
    on, its 20 lost. Where no frame carries a number, numbers said are counts ("turn off one light"), left alone."""
    carried = {abs(float(v)) for _, _, v in _numbers_carried(frames)}
    if not carried:  # "lights on 30": a number last, counting nothing, read as on alone; "heating to 50 i'm dying"
        last = LAST_NUMBER.search(source) or TO_NUMBER.search(source)
        return last.group(1) if last else None
    for said in SAID_NUMBER.findall(source):
        if float(said) not in carried:
            return said
    return None


# a value set to, anywhere ("heating to 50 i'm dying" read as heat on, its 50 lost); not a time or a count of things
# ("stick the heater on 10, frost tonight" was heat on, its 10 lost; not "turn on 2 lights", a count)
TO_NUMBER = re.compile(r"\b(?:to|on) (\d+(?:\.\d+)?)\b(?! ?(?:am|pm|o'?clock|minutes?|mins?|hours?|hrs?|seconds?|secs?|people|of"
                       r"|\w+s|light|lamp|bulb|fan|plug|socket|outlet|blind|door|lock|valve|pump|machine|heater|one)\b)")
# after a word a value follows (not "compressor number 2", a name; not a bare 1: "can you make one" counts)
LAST_NUMBER = re.compile(r"\b(?:on|off|to|at|up|down|by|level|brightness|speed|setting|position) "
                         r"(\d+(?:\.\d+)?(?: ?(?:%|percent|per cent|pct|degrees?))|(?!1\b)\d+(?:\.\d+)?)"
                         r"(?: (?:please|pls|now|thanks|thank you))?$")


def _one_number_carried(frames: list[Frame]) -> tuple[int, str, str] | None:
    """(frame index, data key, value as written) of the one number the frames carry; None for none or several."""
    values = _numbers_carried(frames)
    return values[0] if len(values) == 1 else None


def _numbers_carried(frames: list[Frame]) -> list[tuple[int, str, str]]:
    """(frame index, data key, value as written) of every number the frames carry."""
    return [(i, key, str(v)) for i, f in enumerate(frames) for key, v in f.data.items() if NUMBER.fullmatch(str(v))]


def _as_number(said: str) -> int | float:
    """A number said, as an int where it is whole ("20" is 20, not 20.0)."""
    number = float(said)
    return int(number) if number.is_integer() else number


def _with_number(frames: list[Frame], i: int, key: str, said: str, negative: bool) -> list[Frame]:
    """Frame `i` with `key` set to the number said (an int where it is whole), negated for a step down."""
    value = _as_number(said)
    return [replace(f, data={**f.data, key: -value if negative else value}) if j == i else f for j, f in enumerate(frames)]


# a mode said by a word no other mode has ("put the air conditioner in dry mode" read as cool: "conditioner" says cool)
OWN_MODE = {"auto": re.compile(r"\bauto(?:matic)?\b"), "dry": re.compile(r"\b(?:dry|dehumidif\w*)\b"),
            "fan_only": re.compile(r"\bfan (?:only|mode)\b"), "heat_cool": re.compile(r"\bheat (?:and |or )?cool\b")}


# a mode said as what to set, beside a setpoint ("ac to cool twenty one", "the heating on heat at 21")
MODE_SET = re.compile(r"\b(?:to|on|in|into) (?P<mode>cool|cooling|heat|heating|dry|auto|fan only)(?: mode)?\b")
MODE_OF_WORD = {"cooling": "cool", "heating": "heat", "fan only": "fan_only"}


def said_mode(frames: list[Frame], text: str) -> list[Frame]:
    """The one mode the sentence names by its own word, where the model set another ("air conditioner on fan only"
    read as off: an off nobody said); a mode said beside a setpoint the model kept alone ("ac to cool twenty one"
    read as 21 degrees) goes before it, on the same device."""
    said = [mode for mode, pattern in OWN_MODE.items() if pattern.search(text)]
    setting = MODE_SET.search(text)
    if setting and not any(f.service == "climate.set_hvac_mode" for f in frames):
        mode = MODE_OF_WORD.get(setting.group("mode"), setting.group("mode"))
        setpoints = [f for f in frames if f.service == "climate.set_temperature"]
        if len(setpoints) == 1:
            at = frames.index(setpoints[0])
            lead = Frame("climate.set_hvac_mode", setpoints[0].name, setpoints[0].area, setpoints[0].domain, {"hvac_mode": mode})
            return frames[:at] + [lead] + frames[at:]
    if len(said) != 1:
        return frames
    return [replace(f, data={**f.data, "hvac_mode": said[0]})
            if f.service == "climate.set_hvac_mode" and f.data.get("hvac_mode") not in (None, said[0])
            and (f.data.get("hvac_mode") != "off" or not re.search(r"\boff\b", text)) else f
            for f in frames]
