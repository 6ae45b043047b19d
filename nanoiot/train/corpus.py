"""The generated corpus: templates x references x values, rendered the way people type and speak.

Templates use `(a|b)` for a choice and `[x]` for an optional part; `{ref}` is
the device reference ("the kitchen lights", "the floor lamp", "conveyor b"),
other braces are values. The last template of every intent is held out of
training, and so are the `HELD_OUT_*` names and areas of the lexicon.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from typing import Callable

from nanoiot.delex import Lexicon
from nanoiot.normalize import normalize
from nanoiot.train import lexicon as lx
from nanoiot.vocabulary import Frame, serialize

ValueFn = Callable[[random.Random, bool], tuple[dict, dict]]


def _none(rng: random.Random, held_out: bool = False) -> tuple[dict, dict]:
    return {}, {}


def _number_text(rng: random.Random, value: float) -> str:
    if rng.random() < 0.3 and float(value).is_integer():
        return _spell(int(value))
    return f"{value:g}"


_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS_W = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _spell(n: int) -> str:
    if n == 100:
        return "one hundred"
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS_W[tens] + ("" if not ones else f" {_ONES[ones]}")


def _pct(rng: random.Random) -> tuple[str, int]:
    value = rng.choice([rng.randrange(0, 101, 5), rng.randint(1, 100), rng.choice([10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90])])
    word = rng.choice(["percent", "percent", "%", " %", "per cent", "pct", ""])
    text = _number_text(rng, value)
    return (f"{text}{word}" if word in ("%",) else f"{text} {word}".strip()), value


def pct_value(key: str) -> ValueFn:
    def fn(rng: random.Random, held_out: bool = False) -> tuple[dict, dict]:
        text, value = _pct(rng)
        return {key: value}, {"n": text}
    return fn


def named_value(key: str, table: dict[str, int]) -> ValueFn:
    def fn(rng: random.Random, held_out: bool = False) -> tuple[dict, dict]:
        word = rng.choice(list(table))
        return {key: table[word]}, {"w": word}
    return fn


def step_value(sign: int) -> ValueFn:
    def fn(rng: random.Random, held_out: bool = False) -> tuple[dict, dict]:
        text, value = _pct(rng)
        value = max(1, value)
        return {"brightness_step_pct": sign * value}, {"n": text}
    return fn


def fixed(data: dict) -> ValueFn:
    return lambda rng, held_out=False: (dict(data), {})


def color_value(rng: random.Random, held_out: bool = False) -> tuple[dict, dict]:
    if rng.random() < 0.12:
        kelvin = rng.randrange(2000, 6600, 100)
        return {"color_temp_kelvin": kelvin}, {"color": f"{kelvin} {rng.choice(['kelvin', 'kelvin', 'k'])}"}
    if rng.random() < 0.25:
        word = rng.choice(list(lx.COLOR_TEMPS))
        return {"color_temp_kelvin": lx.COLOR_TEMPS[word]}, {"color": word}
    color = rng.choice(lx.COLORS)
    return {"color_name": color.replace(" ", "")}, {"color": color}


def temperature_value(rng: random.Random, held_out: bool = False) -> tuple[dict, dict]:
    value = rng.choice([rng.randint(16, 28), rng.randint(16, 27) + 0.5, rng.randint(17, 25)])
    if isinstance(value, float) and rng.random() < 0.4:
        text = f"{_spell(int(value))} and a half"
    else:
        text = _number_text(rng, value)
    return {"temperature": value}, {"t": text}


@dataclass(frozen=True)
class Intent:
    service: str
    domain: str  # the kind of device the reference names
    values: ValueFn
    templates: tuple[str, ...]
    ref: str = "device"  # device | area (only an area or nothing) | none


SPEED_WORDS = {"full speed": 100, "full blast": 100, "max": 100, "maximum": 100, "high": 100, "medium": 66, "low": 33, "half speed": 50}
POSITION_WORDS = {"halfway": 50, "half way": 50, "half": 50, "all the way": 100, "a quarter": 25, "a crack": 10, "a little": 20}
BRIGHT_WORDS = {"full brightness": 100, "max brightness": 100, "maximum brightness": 100, "half brightness": 50, "the lowest setting": 1, "the brightest": 100}
ON = "(turn|switch|put|flip) on"
OFF = "(turn|switch|shut|flip|power) off"

INTENTS: tuple[Intent, ...] = (
    Intent("light.turn_on", "light", _none, (
        f"{ON} {{ref}}", "(turn|switch|flip) {ref} on", "{ref} on", "(light up|illuminate) {ref}",
        "(can|could) (you|i get) {ref} on", "i (need|want) {ref} on", "(activate|enable) {ref}",
        "(bring|get) {ref} on", "{ref} on please", "power up {ref}", "give me some light", "lights on",
        "i can't see a thing", "(it's|it is) (dark|pitch black|so dark|awfully dark) (in here|here)", "let there be light",
        "clap on", "(please )?(turn|switch) on (all|any) (the )?lights", "(switch|turn) on the lights (in this room|in here|in my room)",
        "(have|let) {ref} (be )?on", "i('d| would) like {ref} on", "{ref} (needs|has) to be on", "(set|leave) {ref} on", "(make|get) {ref} (go|come) on",
    )),
    Intent("light.turn_on", "light", _none, (
        "(it's|it is) (too dark|dark|pitch black|so dark|really dark) in the {area}",
        "(i need|give me) (some )?light in the {area}", "(light up|brighten up) the {area}",
        "{area} lights on", "turn the lights on in the {area}",
        "(switch|put) the {area} lights on", "the {area} (is|seems) too dark", "i can't see anything in the {area}",
    ), ref="area"),
    Intent("light.turn_off", "light", _none, (
        f"{OFF} {{ref}}", "(turn|switch|shut|flip) {ref} off", "{ref} off", "(kill|cut) {ref}",
        "(deactivate|disable) {ref}", "lights out", "(no more|enough) light", "(i don't need|we don't need) {ref} (on )?anymore",
        "{ref} off please", "(power down|shut down) {ref}", "(get rid of|stop) {ref}",
        "(darken|black out) the (room|house)", "put {ref} out", "(can|could) you (turn|switch) off {ref}",
        "(close|kill) the light(s)?", "(please )?turn off (any|all) (the )?lights that are (still )?on",
        "(can you )?make sure {ref} (is|are) off", "off {ref}", "(switch|turn) off the lights (in this room|in here|in my room)",
        "{ref} (can|should) (go|be) off (now)?", "(we are|i am|we're|i'm) done with {ref}", "(leave|keep) {ref} off", "(put|set) {ref} off", "(no one|nobody) is using {ref}", "{ref} (isn't|is not|aren't|are not) needed (anymore)?", "(i|we) (don't|do not) want {ref} on", "nobody needs {ref} on",
    )),
    Intent("light.turn_off", "light", _none, (
        "(lights out|no lights) in the {area}", "(darken|black out) the {area}", "turn the lights off in the {area}",
        "(nobody is|no one's) in the {area} turn the lights off", "(kill|cut) the (lights|lighting) in the {area}", "the {area} lights can go off", "{area} lights off",
    ), ref="area"),
    Intent("light.turn_on", "light", pct_value("brightness_pct"), (
        "(set|put|dim|adjust|change|turn) {ref} to {n}", "{ref} (at|to) {n}", "brightness (of {ref} )?to {n}",
        "make {ref} {n} bright", "{ref} {n} brightness", "(set|change) the brightness of {ref} to {n}",
        "(dim|raise|bring) {ref} (down|up) to {n}", "i want {ref} at {n}", "{n} brightness on {ref}",
        "(could|can) you set {ref} to {n}", "(bring|take) {ref} to {n}", "{ref} brightness at {n}", "{ref} at {n} brightness please",
    )),
    Intent("light.turn_on", "light", named_value("brightness_pct", BRIGHT_WORDS), (
        "(set|put|turn) {ref} to {w}", "{ref} (at|on) {w}", "{w} on {ref}", "(make|give me) {ref} {w}",
    )),
    Intent("light.turn_on", "light", fixed({"brightness_step_pct": -20}), (
        "(dim|lower|turn down|tone down|soften) {ref}", "(dim|turn) {ref} down", "{ref} (dimmer|down|lower)",
        "make {ref} (dimmer|darker|less bright|softer)", "(dim|lower) {ref} (a bit|a little|a touch|slightly)",
        "{ref} (are|is) too bright", "(it's|it is) too bright in here", "(reduce|decrease|lower) the brightness (of {ref})?",
        "(less|not so much) light (please)?", "(can|could) you (dim|turn down) {ref}", "(my eyes hurt|that's blinding) dim {ref}",
        "(turn|bring) the brightness down", "lights down", "(cut|drop) {ref} down a notch",
        "(nighttime|night|movie|evening) mode", "(minimize|reduce|lower) the (light|lighting) (power|level|intensity)",
        "{ref} (are|is) too bright (please )?lower (it|them)", "{ref} a (bit|little|touch|notch) (lower|dimmer|darker)", "(knock|notch|take) {ref} down", "(dial|turn) down {ref} a (bit|little)", "(bring|take) {ref} down a (bit|little|touch)",
    )),
    Intent("light.turn_on", "light", fixed({"brightness_step_pct": 20}), (
        "(brighten|raise|turn up|boost) {ref}", "(turn|bring) {ref} up", "{ref} (brighter|up|higher)",
        "make {ref} (brighter|lighter|more bright)", "(brighten|raise) {ref} (a bit|a little|a touch|slightly)",
        "{ref} (are|is) too (dim|dark)", "(it's|it is) too dark in here", "(increase|raise|boost) the brightness (of {ref})?",
        "(more|a bit more) light (please)?", "(can|could) you (brighten|turn up) {ref}", "(turn|bring) the brightness up",
        "lights up", "i can barely see (brighten|turn up) {ref}", "(pump|crank) {ref} up a notch",
        "(it's|it is) a bit dark (increase|raise) (the )?lighting", "(increase|raise|boost) the (light|lighting) (level|intensity|power)",
        "(brighten|light) up the (room|place|house)", "{ref} a (bit|little|touch|notch) (higher|brighter)", "(bump|kick|push) {ref} up", "(dial|pump|crank) up {ref}", "(bring|turn) up (all )?{ref}",
    )),
    Intent("light.turn_on", "light", step_value(-1), (
        "(dim|lower|decrease|reduce) {ref} by {n}", "(turn|bring) {ref} down by {n}", "{ref} down by {n}",
        "(lower|reduce|decrease) the brightness (of {ref} )?by {n}", "{n} (dimmer|darker|lower|less) (on|for) {ref}", "(drop|cut|take) {ref} down {n}", "(i want|give me) {ref} {n} (darker|dimmer|lower)", "dim {ref} (down )?another {n}", "{ref} {n} (dimmer|darker|lower) (please)?", "(go|get) {n} (dimmer|darker) (on|with) {ref}", "make {ref} {n} dimmer",
    )),
    Intent("light.turn_on", "light", step_value(1), (
        "(brighten|raise|increase|boost) {ref} by {n}", "(turn|bring) {ref} up by {n}", "{ref} up by {n}",
        "(raise|increase) the brightness (of {ref} )?by {n}", "{n} (brighter|higher|more) (on|for) {ref}", "(bump|push|kick) {ref} up {n}", "(i want|give me) {ref} {n} (brighter|higher|lighter)", "brighten {ref} (up )?another {n}", "{ref} {n} (brighter|higher|lighter) (please)?", "(go|get) {n} brighter (on|with) {ref}", "make {ref} {n} brighter",
    )),
    Intent("light.turn_on", "light", color_value, (
        "(set|change|make|turn|switch) {ref} (to )?{color}", "{color} {ref}", "{ref} {color}",
        "(change|set) the (color|colour) of {ref} to {color}", "(make|turn) {ref} {color} please",
        "i want {ref} (to be )?{color}", "(can|could) you make {ref} {color}", "{color} (light|lighting) (please|now)",
        "(set|change) {ref} (color|colour) to {color}", "paint {ref} {color}", "(i'd like|let's have|give me) {color} (light|lights|lighting) (in here|in this room|please)", "(switch|change) the lights to {color} (in here|please)", "go {color} on {ref}",
        "(make|turn) the lights {color} (in here|in this room)",
    )),
    Intent("switch.turn_on", "switch", _none, (
        f"{ON} {{ref}}", "(turn|switch|power) {ref} on", "{ref} on", "(start|activate|enable|power up) {ref}",
        "(can|could) you (turn|switch) on {ref}", "i (need|want) {ref} on", "plug in {ref}", "(give|send) power to {ref}",
        "{ref} on please", "(boot up|energize|juice up) {ref}", "(bring|put) {ref} (online|on)", "{ref} (needs|has) to be on", "(get|fire up|kick on) {ref}",
    )),
    Intent("switch.turn_on", "switch", fixed({}), (
        "make (me )?(some |a )?(coffee|cup of coffee|cuppa|espresso|latte|cappuccino)", "i (need|want|could use) (some |a )?(coffee|caffeine|espresso|cup of joe)",
        "(brew|start brewing) (some |the )?coffee", "(start|get) the coffee (going|brewing)", "coffee (please|time|now)",
        "(put|get) the coffee on", "time for (a|some) coffee", "i'm (so tired|sleepy) (make|brew) coffee",
        "make (us|me) a brew", "(can you )?(bring|get|fix) me (a|some) (nice |hot |black )?(coffee|latte|espresso|americano|mocha)",
        "i (would like|'d like|want) (a|some) (hot |black |strong )?coffee( now)?", "(set|get) the coffee (maker|machine) (running|going)",
        "(brew|make) a (pot|cup|mug) of (strong )?coffee",
    ), ref="coffee"),
    Intent("switch.turn_off", "switch", _none, (
        f"{OFF} {{ref}}", "(turn|switch|power) {ref} off", "{ref} off", "(stop|deactivate|disable|power down) {ref}",
        "(can|could) you (turn|switch) off {ref}", "(unplug|cut power to|kill) {ref}", "{ref} off please",
        "(i don't need|we don't need) {ref} (on )?anymore", "(shut|shut down) {ref}", "(cut|remove|disconnect) (the )?power (to|from) {ref}", "(de energize|deenergize|power off) {ref}", "{ref} (can|should) (go|be) off", "(no one|nobody) is using {ref}", "{ref} (isn't|is not) needed (anymore)?", "no more power (to|for) {ref}",
    )),
    Intent("climate.set_temperature", "climate", temperature_value, (
        "(set|put|change|turn) {ref} to {t} [degrees]", "{ref} (to|at) {t} [degrees]", "make it {t} degrees",
        "(set|change) the temperature (of {ref} )?to {t} [degrees]", "i want it (at )?{t} degrees (in here)?",
        "(heat|warm) (the house|it|the place) (up )?to {t} [degrees]", "(cool|bring) (it|the room) down to {t} [degrees]",
        "{t} degrees (please|on {ref})", "(could|can) you set {ref} to {t}", "temperature {t}",
        "(i'd like|i want) {t} degrees", "(bring|get) (it|the temperature) (up|down) to {t}", "keep it at {t} degrees",
    )),
    Intent("climate.set_temperature", "climate", temperature_value, (
        "(set|make) the {area} (to )?{t} degrees", "(set|change) the temperature in the {area} to {t} [degrees]",
        "i want the {area} at {t} degrees", "{area} temperature (to )?{t}", "heat the {area} to {t} [degrees]",
    ), ref="area"),
    Intent("climate.set_hvac_mode", "climate", fixed({"hvac_mode": "heat"}), (
        "(turn|switch) on the (heating|heat)", "(put|set|switch) {ref} (to|on) heat(ing)? [mode]", "(heat|warm) (up )?the (house|place|room)",
        "(i'm|it's|i am) (freezing|so cold|cold) (in here)?", "(start|turn on) heating", "(make|get) (it|the house|the room) (warmer|toasty)", "heat mode (on|please)", "heating on",
    )),
    Intent("climate.set_hvac_mode", "climate", fixed({"hvac_mode": "cool"}), (
        "(turn|switch) on the (ac|air conditioning|aircon|cooling)", "(put|set|switch) {ref} (to|on) (cool|cooling) [mode]",
        "(cool|chill) (down )?the (house|place|room)", "(i'm|it's|i am) (boiling|so hot|too hot|sweating) (in here)?",
        "ac on", "(make|get) (it|the house|the room) (cooler|colder)", "cool mode (on|please)", "(start|turn on) cooling",
    )),
    Intent("climate.set_hvac_mode", "climate", fixed({"hvac_mode": "auto"}), (
        "(put|set|switch) {ref} (to|on|in) (auto|automatic) [mode]", "(let|leave) {ref} (on|in) auto",
        "{ref} (to )?auto", "automatic (climate|temperature) (mode|control)", "(make|put) {ref} automatic", "auto mode (on|for) {ref}",
    )),
    Intent("climate.set_hvac_mode", "climate", fixed({"hvac_mode": "off"}), (
        "(turn|switch|shut) off (the )?(heating|ac|air conditioning|aircon|heat|cooling)", "{ref} off",
        f"{OFF} {{ref}}", "(heating|ac) off", "(stop|kill) the (heating|cooling|ac)", "(no more|enough) (heating|cooling|heat|ac)", "(set|put) {ref} to off",
    )),
    Intent("lock.lock", "lock", _none, (
        "(lock|bolt|secure) {ref}", "(lock|bolt) up {ref}", "(make sure|check that) {ref} is locked",
        "{ref} (lock|locked)", "(can|could) you lock {ref}", "(engage|activate) the lock on {ref}", "lock {ref} please",
        "lock up (the house|everything)", "i'm leaving lock {ref}", "(double check|be sure) {ref} (is|gets) locked", "{ref} (needs|has) to be locked", "(put|throw) the (deadbolt|bolt) on {ref}",
        "keep {ref} locked",
    )),
    Intent("lock.unlock", "lock", _none, (
        "unlock {ref}", "(unbolt|unlatch|release) {ref}", "(open|disengage) the lock (on|of) {ref}", "{ref} unlock",
        "(can|could) you unlock {ref}", "let me in (at|through) {ref}", "unlock {ref} please", "(open up|free) the lock on {ref}", "{ref} (needs|has) to be unlocked", "let (them|the guests|the kids) in (at {ref})?",
        "(leave|take) {ref} unlocked",
    )),
    Intent("cover.open_cover", "cover", _none, (
        "open {ref}", "(raise|lift|roll up|pull up|draw back) {ref}", "{ref} (open|up)", "(can|could) you open {ref}",
        "let (some )?(light|sun|sunlight) in", "open up {ref}", "(put|bring) {ref} up", "(get|have) {ref} open", "{ref} all the way (up|open)", "(i want|let's have) {ref} open",
        "(pull|push) {ref} open",
    )),
    Intent("cover.close_cover", "cover", _none, (
        "(close|shut) {ref}", "(lower|roll down|pull down|draw) {ref}", "{ref} (closed|down|shut)", "(can|could) you close {ref}",
        "(keep|block) the sun out", "close up {ref}", "(put|bring) {ref} down", "(get|have) {ref} (closed|shut)", "{ref} all the way (down|closed)", "(i want|let's have) {ref} closed",
        "(pull|push) {ref} shut",
    )),
    Intent("cover.set_cover_position", "cover", pct_value("position"), (
        "(set|open|put|move) {ref} to {n}", "{ref} (at|to) {n}", "(open|close) {ref} (to )?{n}",
        "(lower|raise) {ref} to {n}", "(get|have) {ref} (at|to) {n}", "{n} (open|up) on {ref}", "position {ref} at {n}", "i want {ref} {n} open",
    )),
    Intent("cover.set_cover_position", "cover", named_value("position", POSITION_WORDS), (
        "open {ref} {w}", "(set|put|bring) {ref} {w}", "{ref} {w} (open|up)", "(get|have) {ref} open {w}", "(lower|raise) {ref} {w}",
        "(can|could) you open {ref} {w}",
    )),
    Intent("fan.turn_on", "fan", _none, (
        f"{ON} {{ref}}", "(turn|switch) {ref} on", "{ref} on", "(start|run) {ref}",
        "(i'm|it's) (hot|stuffy|warm) (in here )?(turn|switch) on {ref}", "(get|set) {ref} (going|spinning)",
        "(can|could) you (start|turn on) {ref}", "(get|put) {ref} on", "{ref} (needs|has) to be on", "i need some air", "{ref} on please",
    )),
    Intent("fan.turn_off", "fan", _none, (
        f"{OFF} {{ref}}", "(turn|switch) {ref} off", "{ref} off", "(stop|kill) {ref}", "(can|could) you stop {ref}",
        "(it's|i'm) (cold|freezing) (turn|switch) off {ref}", "(no more|enough) fan", "(get|put) {ref} off", "{ref} off please", "(no one|nobody) is using {ref}", "(i|we) (don't|do not) want {ref} on", "enough (air|wind) stop {ref}",
    )),
    Intent("fan.set_percentage", "fan", pct_value("percentage"), (
        "(set|put|turn) {ref} to {n}", "{ref} (at|to) {n}", "(run|spin) {ref} at {n}", "(change|adjust) {ref} to {n}", "(i want|give me) {ref} at {n}", "{ref} speed (to )?{n}",
        "(set|change) the speed of {ref} to {n}", "{ref} on {n}",
    )),
    Intent("fan.set_percentage", "fan", named_value("percentage", SPEED_WORDS), (
        "(set|put|turn) {ref} (to|on) {w}", "{ref} (at|on|to) {w}", "(run|spin) {ref} (at|on) {w}",
        "{w} on {ref}", "(i want|give me) {ref} at {w}", "(crank|turn) {ref} up to {w}",
    )),
    Intent("vacuum.start", "vacuum", _none, (
        "(start|run|turn on|launch|activate) {ref}", "{ref} (start|go|on)", "(vacuum|hoover|clean) the (floor|floors|house|flat|carpets|rugs|place)",
        "(vacuum|hoover|clean) the {area}", "(get|send) {ref} (going|to work|cleaning)", "(let|have) {ref} (clean|vacuum) (the )?{area}",
        "(start|begin) (cleaning|vacuuming|hoovering)", "(the )?floors? (are|is) (dirty|filthy|a mess)", "(can|could) you vacuum",
        "time to (clean|vacuum|hoover)", "(wake up|wake) {ref}", "get the robot going on the (carpets|floors)", "{ref} clean up (please)?",
        "(get|have) {ref} (to )?clean the {area}", "{ref} (clean|do|vacuum) the {area}", "(go|head) (clean|vacuum) the {area}", "(move|take|direct) {ref} (to|into) the {area}", "(send|dispatch) {ref} (to|into) the {area}",
    )),
    Intent("vacuum.stop", "vacuum", _none, (
        "(stop|pause|halt) {ref}", "{ref} stop", "(stop|quit) (cleaning|vacuuming|hoovering)", "(can|could) you stop {ref}",
        "(turn|switch) off {ref}", "that's enough cleaning", "(hold|freeze|pause) {ref} (for now|for a (minute|moment|bit))", "{ref} (halt|freeze|stand by|enough)", "(tell|ask) {ref} to (stop|pause|halt)", "{ref} (hold on|wait|pause)",
    )),
    Intent("vacuum.return_to_base", "vacuum", _none, (
        "(send|bring|return) {ref} (home|back|to (its |the )?(dock|base|charger))", "{ref} (go )?home", "(dock|park) {ref}",
        "{ref} (back )?to (the )?(dock|base|charger)", "(tell|make) {ref} (to )?go (home|back to the dock)",
        "{ref} (go|head) (to )?(charge|charging)", "(recall|retrieve) {ref}", "(call|bring) {ref} back", "{ref} return to (base|dock)",
    )),
    Intent("valve.open_valve", "valve", _none, (
        "open {ref}", "(turn|switch) on {ref}", "{ref} open", "(can|could) you open {ref}", "(let|start) the water (flow|run)(ing)? (through {ref})?",
        "open up {ref}", "(open|turn) {ref} (all the way|completely)", "(start|let) (the )?(flow|water) (at|through) {ref}", "(fully open|open fully) {ref}",
    )),
    Intent("valve.close_valve", "valve", _none, (
        "(close|shut) {ref}", "(turn|switch) off {ref}", "{ref} (closed|shut|close)", "(can|could) you close {ref}",
        "(stop|cut) the water (at {ref})?", "shut off {ref}", "(close|shut) {ref} (all the way|completely|tight)", "(stop|cut) (the )?flow (at|through) {ref}", "(completely|totally) (close|shut) {ref}", "(fully close|close fully) {ref}",
    )),
    Intent("valve.set_valve_position", "valve", pct_value("position"), (
        "(set|open|put) {ref} to {n}", "{ref} (at|to) {n}", "(open|throttle) {ref} (to )?{n}", "(get|have) {ref} (at|to) {n}", "position {ref} at {n}",
        "(i want|make) {ref} {n} open",
    )),
    Intent("valve.set_valve_position", "valve", named_value("position", POSITION_WORDS), (
        "open {ref} {w}", "(set|put) {ref} {w} open", "{ref} {w} open", "(can|could) you open {ref} {w}",
    )),
    Intent("machine.start", "machine", _none, (
        "(start|run|fire up|kick off|switch on|turn on|power up) {ref}", "{ref} (start|on|go|run)", "(get|set) {ref} (going|running|moving)",
        "(can|could) you start {ref}", "(restart|resume) {ref}", "{ref} start (up|running)", "(begin|start) the {ref} (cycle|run)",
        "(boot|boot up|start up|energize|engage) {ref}", "(let|make) {ref} (run|go)", "{ref} (needs|has) to (run|start)", "(bring|put) {ref} (online|into operation)", "(spin up|crank up) {ref}",
    )),
    Intent("machine.stop", "machine", _none, (
        "(stop|halt|shut down|kill|switch off|turn off|power down) {ref}", "{ref} (stop|off|halt)", "(emergency stop|e stop|estop) (on )?{ref}",
        "(can|could) you stop {ref}", "(bring|take) {ref} (offline|down)", "{ref} needs to stop", "(pause|freeze) {ref}",
        "(deactivate|disengage|de energize) {ref}", "{ref} (needs|has) to (stop|be stopped)", "(stop|halt) {ref} (now|immediately|right now)", "(cut|kill) the power to {ref}",
    )),
    Intent("machine.set_speed", "machine", pct_value("speed_pct"), (
        "(set|run|put) {ref} (speed )?(to|at) {n}", "{ref} (speed )?(to|at) {n}", "(slow|speed) {ref} (down|up) to {n}",
        "(change|adjust|set) the speed of {ref} to {n}", "(run|drive) {ref} at {n} speed", "(bring|take|get) {ref} (up |down )?to {n}", "{ref} {n} speed",
        "(can|could) you run {ref} at {n}",
    )),
    Intent("machine.set_speed", "machine", named_value("speed_pct", SPEED_WORDS), (
        "(run|set) {ref} (at|to) {w}", "{ref} (at|to) {w}", "{w} on {ref}", "(speed|crank) {ref} up to {w}",
    )),
    Intent("machine.reset_fault", "machine", _none, (
        "reset {ref}", "(reset|clear|acknowledge|ack) the (fault|alarm|error|trip) (on|of|for) {ref}", "{ref} (reset|fault reset)",
        "(clear|reset) {ref} (fault|alarm|error)", "(can|could) you reset {ref}", "(clear|reset) (all )?(the )?(faults|errors|trips) (on|of) {ref}", "{ref} (is )?(faulted|in fault) (clear|reset) it", "{ref} tripped reset it",
        "(reset|clear) the {ref} (faults|errors|trips)", "(silence|mute) (the )?{ref} alarm(s)?", "(acknowledge|clear) {ref} alarms",
    )),
    Intent("query.get_state", "any", _none, (
        "is {ref} (on|off|open|closed|locked|unlocked|running|stopped)", "(what's|what is) the (state|status) of {ref}",
        "(check|tell me) (if|whether) {ref} is (on|off|open|closed|locked|running)", "{ref} status", "(did i|did we) (leave|lock) {ref} (on|open|locked)",
        "(how is|how's) {ref} (doing)?", "(is|are) {ref} still (on|running|open)", "(look at|check on|inspect|peek at) {ref}", "(what's|what is) {ref} (doing|up to)", "(any|an) (update|news) on {ref}", "(give me|show me) (the )?{ref} (status|state)", "(report|show) (the )?status (of|for) {ref}",
        "(can you )?(check|see) {ref}",
    )),
    Intent("query.get_state", "sensor", named_value("attribute", {"temperature": 0, "humidity": 0}), (
        "(what's|what is|how's|how is) the {w} in the {area}", "(what's|what is) the {area} {w}",
        "{area} {w}", "(give me|show me|read) the {area} {w}", "(current )?{w} (reading|level) (in|for) the {area}", "(do you know|can you tell me) the {w} in the {area}", "(tell me|check) the {w} (in|of) the {area}", "(what|how much) {w} (is there )?in the {area}",
    ), ref="area"),
    Intent("query.get_state", "sensor", _none, (  # a sensor by its name: "what's the tank level"
        "(what's|what is) {ref} [reading|showing|at]", "(read|show me) {ref}", "{ref} (reading|value|level)",
        "what does {ref} (say|read|show)", "(give me|tell me) {ref} [reading|value]",
        "how (high|full|low) is {ref}", "(current|latest) {ref} (reading|value)", "(can you )?(read|check) {ref} for me",
    )),
)

COFFEE_NAMES = ["coffee maker", "coffee machine", "espresso machine"]


@dataclass
class Sample:
    text: str
    target: str
    frames: list[Frame]
    held_out: bool = False


def expand(template: str, rng: random.Random) -> str:
    """Pick one rendering of `(a|b)` / `[x]` choices (innermost first)."""
    pattern = re.compile(r"\(([^()\[\]]*)\)|\[([^()\[\]]*)\]")
    while True:
        match = pattern.search(template)
        if not match:
            break
        if match.group(1) is not None:
            choice = rng.choice(match.group(1).split("|"))
        else:
            choice = match.group(2) if rng.random() < 0.5 else ""
        template = template[: match.start()] + choice + template[match.end():]
    return re.sub(r"\s+", " ", template).strip()


def _pick(pool: list[str], held: set[str], held_out: bool, rng: random.Random) -> str:
    choices = [x for x in pool if (x in held) == held_out] or pool
    return rng.choice(choices)


_WORD_POOL: list[str] = []


def _word_pool() -> list[str]:
    """Real English words (from the trainable out-of-domain sentences) to build unseen names from."""
    if not _WORD_POOL:
        from nanoiot.train.real_data import SHARED_DATA

        words: set[str] = set()
        path = SHARED_DATA / "hwu64" / "ood.jsonl"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                words.update(w for w in re.findall(r"[a-z]+", line.split('"text": "', 1)[-1].split('"', 1)[0].lower()) if len(w) >= 5)
        _WORD_POOL.extend(sorted(words) or lx.SYLLABLES)
    return _WORD_POOL


def _new_word(rng: random.Random) -> str:
    if rng.random() < 0.3:  # mostly real words: a model taught syllable soup writes syllable soup ("bebebeer")
        return "".join(rng.choice(lx.SYLLABLES) for _ in range(rng.randint(2, 3)))
    return rng.choice(_word_pool())


def _invented_name(domain: str, rng: random.Random) -> str:
    """A name no template uses: the model must copy it from the sentence, not recall it."""
    word = _new_word(rng) if rng.random() < 0.7 else f"{_new_word(rng)} {_new_word(rng)}"
    if domain == "machine":
        generic = rng.choice(["pump", "conveyor", "mixer", "motor", "press", "line", "compressor", "fan"])
        tail = rng.choice([word, str(rng.randint(1, 20)), chr(97 + rng.randint(0, 7))])
        return rng.choice([f"{generic} {tail}", f"{word} {generic}"])
    generic = rng.choice(lx.DOMAIN_WORDS.get(domain, ["device"])[:2] + ["", ""])
    return f"{word} {generic}".strip()


def _area(rng: random.Random, held_out: bool) -> str:
    if not held_out and rng.random() < 0.3:
        return f"{_new_word(rng)}{rng.choice(['', '', ' room', ' hall', ' 2'])}"
    return _pick(lx.AREAS, lx.HELD_OUT_AREAS, held_out, rng)


def reference(domain: str, rng: random.Random, held_out: bool) -> tuple[str, Frame, str]:
    """A device reference phrase, the name/area it carries and the device's domain."""
    if domain == "any":
        domain = rng.choice([d for d in lx.DEVICE_NAMES if d != "sensor"])
    names = lx.DEVICE_NAMES[domain]
    invent = not held_out and rng.random() < 0.45
    name = _invented_name(domain, rng) if invent else _pick(names, lx.HELD_OUT_NAMES[domain], held_out, rng)
    area = _area(rng, held_out)
    det = rng.choice(["the ", "the ", "the ", "my ", "our ", "", "that "])
    generic = rng.choice(lx.DOMAIN_WORDS[domain])
    roll = rng.random()
    frame = Frame(service="")
    if domain in ("machine", "valve") and roll < 0.8:
        frame.name = name
        phrase = f"{rng.choice(['the ', '', '', 'the '])}{name}"
    elif roll < 0.45:
        frame.name = name
        phrase = f"{det}{name}"
    elif roll < 0.6:
        frame.name, frame.area = name, area
        phrase = rng.choice([f"{det}{name} in the {area}", f"the {area} {name}", f"{det}{name} (in|of) the {area}"])
    elif roll < 0.85:
        frame.area = area
        phrase = rng.choice([f"the {area} {generic}", f"{det}{generic} in the {area}", f"{area} {generic}", f"all the {generic} in the {area}"])
    else:
        phrase = rng.choice([f"the {generic}", f"{generic}", f"all the {generic}", f"all {generic}"])
    return expand(phrase, rng), frame, domain


TIME_SUFFIXES = [
    "at 7 pm", "at nine thirty pm", "in 5 minutes", "in ten minutes", "tonight", "tomorrow morning", "every day at 8 am",
    "at 6 in the morning", "when i get home", "at sunset", "in an hour", "daily", "now", "right away", "for the night",
]


def _decorate(text: str, rng: random.Random) -> str:
    if rng.random() < 0.06:
        text = f"{text} {rng.choice(TIME_SUFFIXES)}"
    if rng.random() < 0.15:
        text = f"{rng.choice(lx.WAKE_WORDS)} {text}"
    if rng.random() < 0.3:
        text = f"{rng.choice(lx.POLITE_BEFORE)} {text}"
    if rng.random() < 0.2:
        text = f"{text} {rng.choice(lx.POLITE_AFTER)}"
    if rng.random() < 0.25:
        text = text.capitalize() + rng.choice([".", "!", "?", ""])
    return text


def typo(text: str, rng: random.Random) -> str:
    """One keyboard slip in a longer word that is not a number."""
    words = text.split()
    candidates = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    op = rng.randrange(3)
    words[i] = w[:j] + w[j + 1:] if op == 0 else w[:j] + w[j + 1] + w[j] + w[j + 2:] if op == 1 else w[:j] + w[j] + w[j:]
    return " ".join(words)


Phrase = tuple[str, str]  # (name or area as said, its kind: the device's domain or "area")


def render(intent: Intent, template: str, rng: random.Random, held_out: bool) -> tuple[str, Frame, list[Phrase]]:
    """Expand the template first, so the frame names only references the sentence really contains."""
    data, slots = intent.values(rng, held_out)
    frame = Frame(service=intent.service, data=dict(data))
    if intent.service == "query.get_state" and "attribute" in data:
        frame.data = {"attribute": slots["w"]}
    phrases: list[Phrase] = []
    if intent.ref == "coffee":
        frame.name = "coffee maker"
        phrases.append(("coffee maker", "switch"))
    for _ in range(10):  # an expansion that dropped a value slot would teach a wrong value
        text = expand(template, rng)
        if all("{" + key + "}" in text for key in slots):
            break
    if "{ref}" in text:
        phrase, ref, domain = reference(intent.domain, rng, held_out)
        frame.name, frame.area = ref.name, ref.area
        phrases += [(ref.name, domain)] if ref.name else []
        phrases += [(ref.area, "area")] if ref.area else []
        text = text.replace("{ref}", phrase)
    if "{area}" in text:
        area = _area(rng, held_out)
        phrases.append((area, "area"))
        text = text.replace("{area}", area)
        if intent.domain != "vacuum":  # "vacuum the kitchen": where to clean, not which vacuum
            frame.area = area
    for key, value in slots.items():
        text = text.replace("{" + key + "}", value)
    return text, frame, phrases


def sample_command(rng: random.Random, held_out: bool) -> tuple[str, Frame, list[Phrase]]:
    intent = rng.choice(INTENTS)
    templates = intent.templates[-1:] if held_out else intent.templates[:-1]
    return render(intent, rng.choice(templates), rng, held_out)


JOINERS = [" and ", " and then ", ", then ", " then ", ", and ", " also ", ", also ", " and also ", " plus "]


def generate(
    n: int, seed: int, held_out: bool = False, multi_rate: float = 0.12, typo_rate: float = 0.08, delex_rate: float = 0.0
) -> list[Sample]:
    """`n` generated (text, target) samples; `held_out` uses only held-out templates and names.

    `delex_rate`: share of samples whose names and areas become placeholders, as the
    runtime does with registry phrases (nanoiot.delex); the rest teach copying.
    """
    rng = random.Random(seed)
    samples = []
    for _ in range(n):
        parts = [sample_command(rng, held_out)]
        if rng.random() < multi_rate:
            parts.append(sample_command(rng, held_out))
            if rng.random() < 0.2:
                parts.append(sample_command(rng, held_out))
        text = parts[0][0]
        for part_text, _, _ in parts[1:]:
            text += rng.choice(JOINERS) + part_text
        text = _decorate(text, rng)
        if rng.random() < typo_rate:
            text = typo(text, rng)
        frames = [frame for _, frame, _ in parts]
        text, targets = normalize(text), [_normalized(f) for f in frames]
        if delex_rate and rng.random() < delex_rate:
            text, targets = delexicalize(text, targets, [p for _, _, phrases in parts for p in phrases])
        samples.append(Sample(text, serialize(targets), frames, held_out))
    return samples


def delexicalize(text: str, frames: list[Frame], phrases: list[Phrase]) -> tuple[str, list[Frame]]:
    """The sentence and target as the runtime would present them with these phrases in its registry."""
    found = Lexicon(phrases).delexicalize(text)
    placeholder = {phrase: slot for slot, phrase in found.slots.items()}
    return found.text, [replace(f, name=placeholder.get(f.name or "", f.name), area=placeholder.get(f.area or "", f.area))
                        for f in frames]


def _normalized(frame: Frame) -> Frame:
    return Frame(
        service=frame.service,
        name=normalize(frame.name) if frame.name else None,
        area=normalize(frame.area) if frame.area else None,
        domain=frame.domain,
        data=frame.data,
    )


def phrasing_words() -> list[str]:
    """Every word the training templates and fillers phrase commands with (nanoiot/data/phrasing_words.txt).

    Held-out templates stay out, so the held-out figures do not lean on their words.
    """
    texts = [t for intent in INTENTS for t in intent.templates[:-1]]
    texts += [*lx.WAKE_WORDS, *lx.POLITE_BEFORE, *lx.POLITE_AFTER, *TIME_SUFFIXES, *JOINERS, *lx.COLORS, *lx.COLOR_TEMPS,
              *SPEED_WORDS, *POSITION_WORDS, *BRIGHT_WORDS, *_ONES, *_TENS_W, "hundred percent per cent degrees",
              *(word for words in lx.DOMAIN_WORDS.values() for word in words)]
    return sorted({w for text in texts for w in re.findall(r"[a-z']+", re.sub(r"\{\w+\}", " ", text))})


GIBBERISH_WORDS = "asdf qwerty blah lorem ipsum zzz hmm test testing foo bar baz xyzzy ok yes no maybe".split()


def gibberish(n: int, seed: int) -> list[Sample]:
    """Noise and near-misses that must come back not_understood."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.5:
            text = " ".join(rng.choice(GIBBERISH_WORDS) for _ in range(rng.randint(1, 5)))
        elif kind < 0.8:
            text = " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 8))) for _ in range(rng.randint(1, 4)))
        else:
            text = rng.choice(["turn", "on", "off", "the", "set", "to", "and", "please", "lights", "door"]) + " " + rng.choice(["", "um", "uh", "the"])
        out.append(Sample(normalize(text), "none", []))
    return out


# Sentences that tell something about a device instead of asking for anything: the model's target is `none`.
# The parser's word-order rules (nanoiot/told.py) catch the shapes they know; the model learns the rest here.
# No need, want or "too dark" here: those ask (see the indirect-request templates above).
STATEMENTS = (
    "{ref} (is|was|has been|'s been) (on|off|open|closed|locked|unlocked|running|stopped) (again|already|since lunch|all night|for hours|since this morning)",
    "i (just |already )?(turned|switched) (on|off) {ref}", "i (just |already )?(turned|switched) {ref} (on|off)",
    "i (already |just )?(locked|unlocked|opened|closed|started|stopped|dimmed) {ref}",
    "(someone|somebody|the kids|my son|my wife|my husband|the cleaner|the night shift) left {ref} (on|open|running|unlocked)",
    "(my|our) (kids|son|daughter|wife|husband|neighbour|dad|boss) (turned|switched) (on|off) {ref}",
    "{ref} (keeps|kept) (turning|switching) (itself )?(on|off)", "{ref} (keeps|kept) (opening|closing|stopping|tripping|beeping|flickering)",
    "{ref} (is broken|stopped working|doesn't work|won't work|is making a weird noise|is flickering|is so loud|is new|looks great|was expensive)",
    "(thanks|thank you) for (turning|switching) (on|off) {ref}", "(thanks|thank you) for (opening|closing|locking|starting) {ref}",
    "(i|we) (love|hate|like|bought|installed|fixed|cleaned|painted|moved|replaced) {ref}",
    "(yesterday|last night|this morning|earlier) (i|we|someone|you) (turned|switched) (on|off) {ref}",
    "(yesterday|last night|this morning|earlier) (i|we|someone|you) (opened|closed|locked|unlocked|started|stopped) {ref}",
    "{ref} (turns|switches) (on|off) (automatically|by itself|at 7 pm|every night|when it gets dark)",
    "{ref} (opens|closes|locks|starts|stops) (automatically|by itself|at 6 am|every morning)",
    "(i think|i reckon|apparently|i guess) {ref} (is|was) (still )?(on|off|open|closed|running)",
    "(did you know|fun fact) {ref} (uses|costs|draws) (a lot of|so much) (power|energy|money)",
    "(my|our) (friend|neighbour|mum) (has|bought) {ref} as well", "{ref} (was|were) left (on|open|running) (all night|all weekend|for hours)",
    "we (never|hardly ever|usually|always) (turn on|switch off|open|close|lock|use) {ref}",
)


def statements(n: int, seed: int, delex_rate: float = 0.0) -> list[Sample]:
    """`n` statements naming a device, each with the target `none` (placeholders as in `generate`)."""
    rng = random.Random(seed)
    samples = []
    for _ in range(n):
        text = expand(rng.choice(STATEMENTS), rng)
        phrase, ref, domain = reference(rng.choice([d for d in lx.DEVICE_NAMES if d != "sensor"]), rng, False)
        text = text.replace("{ref}", phrase)
        if rng.random() < 0.1:  # no politeness: "please" asks
            text = f"{rng.choice(lx.WAKE_WORDS)} {text}"
        text = normalize(text)
        phrases = [(normalize(ref.name), domain)] if ref.name else []
        phrases += [(normalize(ref.area), "area")] if ref.area else []
        if delex_rate and rng.random() < delex_rate:
            text, _ = delexicalize(text, [], phrases)
        samples.append(Sample(text, "none", []))
    return samples
