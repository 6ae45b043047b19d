"""When a command is for: the time phrases a gateway can keep, and the moment they name.

"turn off the plug in 30 minutes", "make coffee at 6 am", "at half past 7 tomorrow start the
vacuum": a delay or a time of day, taken out of the sentence before the model reads it (so its
numbers are never read as a brightness) and kept as a `When`. The gateway turns it into a
moment with its own clock (`due`) and acts then. A condition ("when i get home"), a repeat
("every day") or a vague delay ("in a few minutes") is no `When`: those stay refused
(nanoiot.sentence.LATER), since no time can be kept for them.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from nanoiot.schema import When

_ABOUT = r"(?:(?:about|approximately|around|roughly|exactly|just|another) )?"
_UNITS = {"s": 1, "m": 60, "h": 3600}
_SPAN = (r"(?P<n>\d+(?:\.\d+)?|an?|1|half an?|a couple of|couple of)(?P<half1> and a half)? (?:more )?"
         r"(?P<unit>s(?=ec)|m(?=in)|h(?=(?:ou)?r))\w*(?P<half2> and a half)?")
# "in 30 minutes", "after an hour and a half", "in 2 and a half hours time", "in 10 minutes from now"
DELAY = re.compile(r"\b(?:in|after) " + _ABOUT + _SPAN + r"(?: (?:time|from now))?\b")
# "for 10 minutes", "for half an hour", "for another hour": how long what is done lasts, then it is undone
DURATION = re.compile(r"\bfor " + _ABOUT + _SPAN + r"(?: more)?\b")


def _ampm(n: int) -> str:
    return rf"(?P<ampm{n}>am|pm|a m|p m)"


def _part(n: int) -> str:
    return (rf"(?P<part{n}>in the morning|this morning|in the afternoon|this afternoon|in the evening|this evening"
            r"|tonight|at night)")


# "at 6 am", "at 6 30 pm", "at 7 o'clock", "at 18 00", "at noon", "at half past 7", "at 7 in the evening",
# "for 6 am" (a time set for: "time the coffee for 6 am"), "on 7 am"; "today", "tonight", "tomorrow" around it
CLOCK = re.compile(
    r"\b(?:(?P<pre>(?:tomorrow|today|tonight)(?: (?:morning|evening|afternoon))?) )?"
    r"(?:(?:at|for) " + _ABOUT + r"|(?=(?:half|quarter) (?:past|to) )|(?<=\bat )(?=half \d)"
    r"|(?<!turn )(?<!switch )(?<!put )on (?=\d{1,2}(?: [0-5]\d)? ?(?:am|pm|a m|p m)\b))(?:"  # "the radio on 7 am"
    r"(?P<noon>noon|midday|midnight)"
    r"|(?P<rel>half past|quarter past|quarter to|half(?= \d)) (?P<h1>\d{1,2})(?: " + _ampm(1) + r"| o'?clock| " + _part(1) + r")?"
    r"|(?P<h2>\d{1,2})(?:[ .:]?(?P<m2>[0-5]\d))? ?" + _ampm(2)
    + r"|(?P<h3>\d{1,2})(?: (?P<m3>[0-5]\d))? (?:o'?clock|" + _part(2) + r")(?: " + _part(3) + r")?"
    r"|(?P<h24>[01]?\d|2[0-3]) (?P<m24>[0-5]\d)(?! ?(?:percent|per cent|pct|degrees?|kelvin|k)\b)"
    r")(?: (?P<post>today|tonight|tomorrow(?: (?:morning|evening|afternoon))?|time))?\b"
)
_PM_PARTS = ("afternoon", "evening", "tonight", "night")
# "turn on the porch light at 7": an hour with nothing else, where nothing in the sentence takes a value ("set the
# thermostat at 20", "dim the lamp at 7" stay values), is a time of day like "at 7 o'clock"
BARE_HOUR = re.compile(r"\bat (?P<h>[1-9]|1[0-2])(?= and\b| for (?:my|our|the|his|her)\b|$)"
                       r"|^at (?P<h0>[1-9]|1[0-2]) (?=(?:please )?(?:turn|switch|start|stop|open|close|shut|lock|unlock|put|set)\b)")
EVENING = re.compile(r"\b(?:tonight|this evening|this afternoon|in the evening|in the afternoon)\b")
TAKES_A_VALUE = re.compile(r"\b(?:set|to|dim\w*|brighten\w*|brightness|percent|speed|level|degrees?|temperature|position)\b")


def take(text: str) -> tuple[When | None, str]:
    """The `When` said in normalised `text`, and the text without it; (None, text) when none is.

    Only one: a sentence that says two times ("at 7 am and at 9 pm") keeps the second in its
    text, where nanoiot.sentence.LATER refuses it.
    """
    delay = DELAY.search(text)
    if delay:
        return When(after_s=_seconds(delay), said=delay.group(0)), _without(text, delay)
    clock = CLOCK.search(text)
    if clock:
        when = _clock(clock)
        if when is not None:
            return when, _without(text, clock)
    bare = BARE_HOUR.search(text)
    if bare:
        rest = _without(text, bare)
        first = bare.group("h0")  # "at 7 start the kiln 2 fans": said first, the hour is no value whatever follows
        if not TAKES_A_VALUE.search(rest) and (first or not any(w[0].isdigit() for w in rest.split())):
            evening = EVENING.search(rest)  # "tonight at 11": 23:00, even said at 10 in the morning
            hour = int(bare.group("h") or first) % 12 + (12 if evening else 0)
            return When(at=f"{hour:02d}:00", either_half=not evening, said=bare.group(0)), rest
    return None, text


def take_duration(text: str) -> tuple[When | None, str]:
    """"turn on the porch light for 10 minutes": how long it lasts (a `When` whose `after_s` counts from when it is
    done), and the text without it; (None, text) when no duration is said."""
    lasting = DURATION.search(text)
    if lasting is None:
        return None, text
    return When(after_s=_seconds(lasting), said=lasting.group(0)), _without(text, lasting)


def _without(text: str, match: re.Match[str]) -> str:
    return " ".join((text[: match.start()] + " " + text[match.end():]).split())


def _seconds(match: re.Match[str]) -> float:
    n = match.group("n")
    count = {"a": 1.0, "an": 1.0, "half a": 0.5, "half an": 0.5, "a couple of": 2.0, "couple of": 2.0}.get(n)
    count = float(n) if count is None else count
    if match.group("half1") or match.group("half2"):
        count += 0.5
    return count * _UNITS[match.group("unit")]


def _first(groups: dict[str, str | None], name: str) -> str | None:
    """The value of the first numbered group of `name` ("h1", "h2", ...) that matched."""
    return next((v for k, v in groups.items() if k.rstrip("0123456789") == name and v is not None), None)


def _clock(match: re.Match[str]) -> When | None:
    """The time of day said; None for what is no time ("at 25 00", "at 13 pm")."""
    g = match.groupdict()
    words = " ".join(filter(None, (g["pre"], g["post"], _first(g, "part"))))
    tomorrow = "tomorrow" in words
    if g["noon"]:
        hour, minute, either = (0 if g["noon"] == "midnight" else 12), 0, False
    elif g["h24"] is not None:
        hour, minute = int(g["h24"]), int(g["m24"])
        either = hour <= 12 and not g["h24"].startswith("0")  # "at 7 30": 7:30 or 19:30, whichever comes first
    else:
        hour, minute = int(_first(g, "h") or 0), int(_first(g, "m") or 0)
        ampm = (_first(g, "ampm") or "").replace(" ", "")
        if ampm and not 1 <= hour <= 12:
            return None  # "at 13 pm"
        either = not ampm and hour <= 12
        if ampm:
            hour, either = hour % 12 + (12 if ampm == "pm" else 0), False
        if g["rel"]:  # "quarter to 7 pm": 18:45
            minute = {"half past": 30, "half": 30, "quarter past": 15, "quarter to": 45}[g["rel"]]  # "half six": 6:30
            hour = (hour - 1) % 24 if g["rel"] == "quarter to" else hour
    if either and "morning" in words:  # "tomorrow morning at 6 30"
        hour, either = hour % 12, False
    elif either and any(p in words for p in _PM_PARTS):
        hour, either = hour % 12 + 12, False
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    if either and hour == 12:
        hour = 0  # "at 12 o'clock": 00:00 or 12:00
    return When(at=f"{hour % 24:02d}:{minute:02d}", either_half=either, tomorrow=tomorrow, said=match.group(0))


def due(when: When, now: float, zone: ZoneInfo | None = None) -> float:
    """The moment (epoch seconds) `when` names, said at `now`, on the clock of `zone` (None: the system's).

    "at 7 am" is the next 07:00 (today if still ahead, else tomorrow); "at 7 o'clock" the next of 07:00
    and 19:00; "tomorrow at 7 am" tomorrow's, whatever the hour now.
    """
    if when.after_s is not None:
        return now + when.after_s
    assert when.at is not None
    hour, minute = map(int, when.at.split(":"))
    hours = (hour, hour + 12) if when.either_half else (hour,)
    today = datetime.fromtimestamp(now, zone).date()
    days = (1,) if when.tomorrow else (0, 1, 2)
    moments = sorted(_epoch(today + timedelta(days=d), h, minute, zone) for d in days for h in hours)
    return next((m for m in moments if m > now or when.tomorrow), moments[-1])


def _epoch(day: object, hour: int, minute: int, zone: ZoneInfo | None) -> float:
    """The local wall-clock time `hour:minute` of `day` as epoch seconds, daylight saving time included."""
    assert hasattr(day, "year")
    if zone is not None:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).timestamp()  # type: ignore[attr-defined]
    return time.mktime((day.year, day.month, day.day, hour, minute, 0, 0, 0, -1))  # type: ignore[attr-defined]
