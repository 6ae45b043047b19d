"""A list of settings said one after another, read item by item.

"fans off, heating to 20 and big chandelier off": each item names a thing and a way, no verb. Once normalised the
commas are gone, and the model, which reads two or three requests with their verbs well, shortens or mixes such a
list (it set the fans to 20); each item alone it reads right. So a sentence that is nothing but such items is parsed
as its items, and done only if every item is (`nanoiot.parser`).
"""

from __future__ import annotations

import re

from nanoiot.normalize import normalize

# where one item ends: a comma or semicolon (with an "and" or "then" after it), or an "and" / "then" / "&" alone (typed
# or said "n", "an": "booth lights off n extractor off", "fan aff an curtains open")
SEPARATOR = re.compile(r"\s*[,;]\s*(?:(?:and|then|and then)\s+)?|\s+(?:and|an|n|then|and then|&)\s+", re.IGNORECASE)
# the way an item ends in: a switch, a direction, a level ("to 20", "at 25", "50 percent", "full")
WAY_WORD = r"(?:on|off|up|down|full|halfway|open|shut|closed)"
# a bare number only of two digits or more: "pump 1" is a name, "lights 50" a level
WAY = rf"(?:{WAY_WORD}|(?:to|at) \d+(?:\.\d+)?(?: percent| degrees?)?|\d{{2,}}(?:\.\d+)?(?: percent| degrees?)?|\d(?: percent| degrees?))"
ITEM = re.compile(rf"^(?:(?:the|my|our) )?(?P<thing>[a-z][a-z0-9']*(?: [a-z0-9']+){{0,3}}?) {WAY}(?: please)?$")
# what makes an item more than a thing: a verb, a negation, a person, or a word that leans on another item ("the rest")
NOT_A_THING = re.compile(
    r"\b(?:turn|switch|put|set|make|get|keep|leave|let|open|close|shut|start|stop|lock|unlock|dim|brighten|go|goes|going"
    r"|heat|cool|warm|raise|lower|bring|pull|push|drop|crank|bump|knock|take|run|come|can|can't|should|will|would|could"
    r"|must|stay|stays|don't|dont|not|no|never|is|are|was|were|it|its|it's|they|them|i|i'm|we|you|he|she|her|his|their"
    r"|else|rest|other|others|except|but|same|too|also|again|when|if|after|before|until|in|at|for|by"
    r"|on|off|up|down|open|shut|closed)\b|'s$")
SENTENCES = re.compile(r"[.!?]\s")
POLITE = re.compile(r"^(?:please|thanks|thank you|cheers|ta|ta love|thx)$")


def list_items(text: str) -> list[str] | None:
    """The items of a sentence that is only a list of two or more "thing way" settings, else None."""
    if SENTENCES.search(text.strip()):  # "right LAST ORDERS. big telly off and ...": more than a list
        return None
    parts = [normalize(part) for part in SEPARATOR.split(text.strip().rstrip(".!"))]
    while parts and POLITE.match(parts[-1]):
        parts.pop()
    if len(parts) < 2:
        return None
    for part in parts:
        item = ITEM.match(part)
        if not item or NOT_A_THING.search(item.group("thing")):
            return None
    return parts
