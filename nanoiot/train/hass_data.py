"""Sentences in the shapes of Home Assistant's English intent templates, mapped onto model targets.

home-assistant-intents (Apache-2.0, the Home Assistant authors) holds the sentence templates
that Home Assistant's own matcher (hassil) understands: how its users turn things on, set
brightness, colours, temperatures, positions and fan speeds, and ask for states. A random walk
through a template, with names and areas from our lexicon (never the held-out ones), gives a
sentence and the slots it filled; the slots give the frame. Only the templates themselves are
read, never Home Assistant's test sentences. Needs the `train` extra (hassil).
"""

from __future__ import annotations

import random
import re
from typing import Any

from hassil import Intents
from hassil.expression import Alternative, ListReference, Permutation, RuleReference, Sequence, TextChunk
from hassil.intents import RangeSlotList, TextSlotList
from home_assistant_intents import get_intents

from nanoiot.normalize import normalize
from nanoiot.train import lexicon as lx
from nanoiot.vocabulary import COLOR_NAMES, Frame, serialize

INTENT_NAMES = ("HassTurnOn", "HassTurnOff", "HassLightSet", "HassClimateSetTemperature", "HassSetPosition",
                "HassFanSetSpeed", "HassVacuumStart", "HassVacuumReturnToBase", "HassGetState")
# Turning things on and off is most of what people say, and has the most templates; the vacuum has two.
INTENT_WEIGHTS = {"HassTurnOn": 3.0, "HassTurnOff": 3.0, "HassLightSet": 2.0, "HassVacuumStart": 0.3, "HassVacuumReturnToBase": 0.3}
DOMAINS = {"light", "switch", "fan", "cover", "valve", "lock", "climate", "vacuum", "sensor"}
TURN_ON = {"light": "light.turn_on", "switch": "switch.turn_on", "fan": "fan.turn_on", "cover": "cover.open_cover",
           "valve": "valve.open_valve", "lock": "lock.lock"}
TURN_OFF = {"light": "light.turn_off", "switch": "switch.turn_off", "fan": "fan.turn_off", "cover": "cover.close_cover",
            "valve": "valve.close_valve", "lock": "lock.unlock"}
KIND_WORDS = {w for words in lx.DOMAIN_WORDS.values() for w in words} | {"blind", "shade", "curtain", "shutter"}


class _Walk:
    """One random path through a template: its text and the slot values it chose."""

    def __init__(self, rng: random.Random, lists: dict[str, Any], rules: dict[str, Any]) -> None:
        self.rng, self.lists, self.rules = rng, lists, rules
        self.slots: dict[str, Any] = {}

    def text(self, expr: Any) -> str:
        if isinstance(expr, TextChunk):
            return expr.original_text
        if isinstance(expr, Alternative):
            return self.text(self.rng.choice(expr.items))
        if isinstance(expr, Permutation):
            items = list(expr.items)
            self.rng.shuffle(items)
            return " ".join(self.text(item) for item in items)
        if isinstance(expr, Sequence):
            return "".join(self.text(item) for item in expr.items)
        if isinstance(expr, RuleReference):
            return self.text(self.rules[expr.rule_name].expression)
        if isinstance(expr, ListReference):
            slot_list = self.lists[expr.list_name]
            if isinstance(slot_list, RangeSlotList):
                number = self.rng.choice(list(slot_list.get_numbers()))
                self.slots[expr.slot_name] = number
                return str(number)
            value = self.rng.choice(slot_list.values)
            self.slots[expr.slot_name] = value.value_out
            return value.text_in if isinstance(value.text_in, str) else self.text(value.text_in)
        raise TypeError(f"unexpected template part {type(expr).__name__}")


def _names(domain: str) -> list[str]:
    held = lx.HELD_OUT_NAMES.get(domain, set())
    return [n for n in lx.DEVICE_NAMES[domain] if n not in held]


def _frame(intent: str, domain: str, slots: dict[str, Any], name: str | None, area: str | None, combo: str) -> Frame | None:
    """The frame a sentence of this intent and these slots asks for; None where we have no equivalent."""
    frame = Frame("", name=name, area=area)
    if intent in ("HassTurnOn", "HassTurnOff"):
        if domain == "climate":
            if intent == "HassTurnOn":
                return None  # heat or cool? Home Assistant does not say either
            frame.service, frame.data = "climate.set_hvac_mode", {"hvac_mode": "off"}
        else:
            frame.service = (TURN_ON if intent == "HassTurnOn" else TURN_OFF).get(domain, "")
    elif intent == "HassLightSet":
        frame.service = "light.turn_on"
        if "brightness" in slots:
            if not slots["brightness"]:
                return None  # brightness 0 is "off" in Home Assistant, not a brightness of ours
            frame.data = {"brightness_pct": int(slots["brightness"])}
        elif "color" in slots and slots["color"] in COLOR_NAMES:
            frame.data = {"color_name": slots["color"]}
        elif isinstance(slots.get("temperature"), int) and 1500 <= slots["temperature"] <= 10000:
            frame.data = {"color_temp_kelvin": slots["temperature"]}
        else:
            return None
    elif intent == "HassClimateSetTemperature":
        frame.service, frame.data = "climate.set_temperature", {"temperature": slots["temperature"]}
    elif intent == "HassSetPosition":
        frame.service = "valve.set_valve_position" if domain == "valve" else "cover.set_cover_position"
        frame.data = {"position": slots["position"]}
    elif intent == "HassFanSetSpeed":
        frame.service, frame.data = "fan.set_percentage", {"percentage": slots["percentage"]}
    elif intent == "HassVacuumStart":
        frame.service = "vacuum.start"
    elif intent == "HassVacuumReturnToBase":
        frame.service = "vacuum.return_to_base"
    elif intent == "HassGetState" and combo.startswith("name"):
        frame.service = "query.get_state"
    return frame if frame.service else None


def _sample(intents: Any, intent: str, data: Any, sentence: Any, rng: random.Random) -> tuple[str, Frame] | None:
    rules = {**intents.expansion_rules, **(data.expansion_rules or {})}
    used = set(sentence.list_names(rules))
    if used & {"floor", "zone"}:
        return None
    wanted = (data.requires_context or {}).get("domain") or (data.slots or {}).get("domain")
    domains = [wanted] if isinstance(wanted, str) else list(wanted or [])
    domains = {"HassClimateSetTemperature": ["climate"], "HassFanSetSpeed": ["fan"], "HassVacuumStart": ["vacuum"],
               "HassVacuumReturnToBase": ["vacuum"]}.get(intent, domains) or (["cover"] if intent == "HassSetPosition" else [])
    domains = [d for d in domains if d in DOMAINS]
    if not domains:
        return None
    domain = rng.choice(domains)
    lists = dict(intents.slot_lists)
    name = rng.choice(_names(domain)) if "name" in used else None
    area = rng.choice([a for a in lx.AREAS if a not in lx.HELD_OUT_AREAS])
    if name:
        lists["name"] = TextSlotList.from_strings([name])
    lists["area"] = TextSlotList.from_strings([area])
    walk = _Walk(rng, lists, rules)
    text = re.sub(r"\s+", " ", walk.text(sentence.expression)).strip()
    if intent == "HassClimateSetTemperature" and not 10 <= float(walk.slots.get("temperature", 0)) <= 30:
        return None
    said_temp = next((t for t in sorted(lx.COLOR_TEMPS, key=len, reverse=True) if t in text), None)
    if intent == "HassLightSet" and said_temp and "temperature" in walk.slots:  # our kelvins for the names we teach
        walk.slots["temperature"] = lx.COLOR_TEMPS[said_temp]
    if "device_class" in walk.slots:  # "the garage door", "the windows": a name as said, unless only a kind word
        cls = "garage door" if walk.slots["device_class"] == "garage" else walk.slots["device_class"]
        found = re.search(rf"\b{cls}s?\b", text)
        said = found.group(0) if found else None
        name = name or (said if said and said not in KIND_WORDS else None)
    frame = _frame(intent, domain, walk.slots, name, area if "area" in used else None,
                   str((data.metadata or {}).get("slot_combination", "")))
    if frame is None:
        return None
    return normalize(text), frame


def hass_pairs(n: int, seed: int) -> list[tuple[str, str]]:
    """`n` (text, target) pairs: an intent drawn evenly, then one of its templates."""
    intents = Intents.from_dict(get_intents("en"))
    templates = {name: [(data, sentence) for data in intents.intents[name].data for sentence in data.sentences]
                 for name in INTENT_NAMES if name in intents.intents}
    names = sorted(templates)
    weights = [INTENT_WEIGHTS.get(name, 1.0) for name in names]
    rng = random.Random(seed)
    pairs: list[tuple[str, str]] = []
    for _ in range(n * 20):
        if len(pairs) >= n:
            break
        intent = rng.choices(names, weights)[0]
        sampled = _sample(intents, intent, *rng.choice(templates[intent]), rng)
        if sampled is not None:
            pairs.append((sampled[0], serialize([sampled[1]])))
    return pairs
