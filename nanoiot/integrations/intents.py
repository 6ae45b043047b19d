"""Our results in Home Assistant's words: intent names and slots, and a short spoken answer.

Home Assistant handles an `intent` it is sent with its own built-in intent handlers
(developers.home-assistant.io/docs/intent_builtin), so a recognised action is named
after the built-in intent that does the same; services no built-in intent covers get a
`Nanoiot...` name that Home Assistant answers with "not handled" unless a custom intent
handler exists. The spoken answer is what a `handled` event says after the gateway acted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from nanoiot.schema import Action, CommandResult

# service -> (Home Assistant intent, data key -> slot name)
INTENTS: dict[str, tuple[str, dict[str, str]]] = {
    "light.turn_on": ("HassTurnOn", {}),
    "light.turn_off": ("HassTurnOff", {}),
    "switch.turn_on": ("HassTurnOn", {}),
    "switch.turn_off": ("HassTurnOff", {}),
    "fan.turn_on": ("HassTurnOn", {}),
    "fan.turn_off": ("HassTurnOff", {}),
    "cover.open_cover": ("HassTurnOn", {}),  # HassOpenCover is deprecated: HassTurnOn opens a cover
    "cover.close_cover": ("HassTurnOff", {}),
    "valve.open_valve": ("HassTurnOn", {}),
    "valve.close_valve": ("HassTurnOff", {}),
    "lock.lock": ("HassTurnOn", {}),  # Home Assistant: "turn on" a lock locks it
    "lock.unlock": ("HassTurnOff", {}),
    "cover.set_cover_position": ("HassSetPosition", {"position": "position"}),
    "valve.set_valve_position": ("HassSetPosition", {"position": "position"}),
    "climate.set_temperature": ("HassClimateSetTemperature", {"temperature": "temperature"}),
    "fan.set_percentage": ("HassFanSetSpeed", {"percentage": "percentage"}),
    "vacuum.start": ("HassVacuumStart", {}),
    "vacuum.return_to_base": ("HassVacuumReturnToBase", {}),
    "query.get_state": ("HassGetState", {}),
}
# light.turn_on with a value is HassLightSet
LIGHT_SET = {"brightness_pct": "brightness", "color_name": "color", "color_temp_kelvin": "temperature"}

PAST = {
    "turn_on": "Turned on", "turn_off": "Turned off", "open_cover": "Opened", "close_cover": "Closed",
    "open_valve": "Opened", "close_valve": "Closed", "lock": "Locked", "unlock": "Unlocked",
    "start": "Started", "stop": "Stopped", "return_to_base": "Sent home", "set_temperature": "Set",
    "set_hvac_mode": "Set", "set_percentage": "Set", "set_cover_position": "Set", "set_valve_position": "Set",
    "set_speed": "Set", "get_state": "Checked",
}
# what the gateway will do, for a command for later ("I will turn off the kettle in 30 minutes")
WILL = {"turn_on": "turn on", "turn_off": "turn off", "open_cover": "open", "close_cover": "close", "open_valve": "open",
        "close_valve": "close", "lock": "lock", "unlock": "unlock", "start": "start", "stop": "stop",
        "return_to_base": "send home"}
QUOTED = re.compile(r"'([^']{1,80})'")
DEVICE_ID = re.compile(r" \([a-z_]+\.[a-z0-9_]+\)")  # "workbench (light.garage_workbench)": ids are not for saying

# device id -> (name, area), or None when unknown
Names = Callable[[str], "tuple[str, str | None] | None"]


@dataclass(frozen=True)
class RecognizedIntent:
    name: str
    slots: dict[str, Any]


def intent_of(action: Action, names: Names) -> RecognizedIntent:
    """One action as a Home Assistant intent with name/area/domain slots and its values."""
    domain, service = action.service.split(".", 1)
    name, slot_keys = INTENTS.get(action.service, (f"Nanoiot{''.join(p.title() for p in action.service.replace('.', '_').split('_'))}", {}))
    slots: dict[str, Any] = {}
    if action.service == "light.turn_on" and set(action.data) & set(LIGHT_SET):
        name, slot_keys = "HassLightSet", LIGHT_SET
    slots.update({slot: action.data[key] for key, slot in slot_keys.items() if key in action.data})
    if name.startswith("Nanoiot"):
        slots.update(action.data)
    known = [names(t) for t in action.targets]
    if len(action.targets) == 1 and known[0]:
        slots["name"] = known[0][0]
        if known[0][1]:
            slots["area"] = known[0][1]
    else:
        areas = {k[1] for k in known if k}
        if len(areas) == 1 and None not in areas and all(known):
            slots["area"] = areas.pop()
        if domain != "query":
            slots["domain"] = domain
    return RecognizedIntent(name, slots)


def spoken(result: CommandResult, names: Names) -> str:
    """A short answer to say back: "Turned off the kitchen lights", "I don't know a device called jacuzzi"."""
    if result.status != "ok":
        code = result.error.code if result.error else "not_understood"
        message = result.error.message if result.error else ""
        quoted = QUOTED.search(message)
        if code == "unknown_device" and quoted:
            return f"I don't know a device called {quoted.group(1)}"
        if code in ("not_understood", "empty_text"):
            return "Sorry, I didn't understand that"
        if code == "unsupported":
            return f"Sorry, {DEVICE_ID.sub('', message)}"
        return f"Sorry, I couldn't do that: {message}" if message else "Sorry, I couldn't do that"
    if result.cancelled is not None:
        return f"Cancelled {len(result.cancelled)} command{'' if len(result.cancelled) == 1 else 's'} for later"
    if not result.actions:
        return "Done"
    parts = []
    for action in result.actions:
        verb = (WILL.get(action.service.split(".", 1)[1], "set") if result.when
                else PAST.get(action.service.split(".", 1)[1], "Done:"))
        what = _devices(action, names)
        if action.service == "query.get_state" and result.states:
            parts.append(_state_answer(action, result.states, names))
            continue
        value = _value(action.data)
        parts.append(f"{verb} {what}{' to ' + value if value else ''}")
    said = "; ".join(parts) + "".join(f" {w.said}" for w in (result.lasting, result.when) if w)
    return f"I will {said}" if result.when else said  # not done yet: "I will turn off the kettle in 30 minutes"


def _devices(action: Action, names: Names) -> str:
    domain = action.service.split(".", 1)[0]
    labels = [(names(t) or (t.split(".", 1)[1].replace("_", " "), None)) for t in action.targets]
    if len(labels) == 1:
        return f"the {labels[0][0]}"
    areas = {area for _, area in labels}
    plural = {"switch": "switches", "query": "devices"}.get(domain, f"{domain}s")
    if len(areas) == 1 and None not in areas:
        return f"the {areas.pop()} {plural}"
    if len(labels) <= 3:
        return " and ".join(f"the {name}" for name, _ in labels)
    return f"{len(labels)} {plural}"


def _value(data: dict[str, Any]) -> str:
    for key, unit in (("brightness_pct", " percent"), ("position", " percent"), ("percentage", " percent"),
                      ("speed_pct", " percent"), ("temperature", " degrees"), ("color_temp_kelvin", " kelvin"),
                      ("color_name", ""), ("hvac_mode", "")):
        if key in data:
            return f"{data[key]}{unit}"
    return ""


def _state_answer(action: Action, states: dict[str, Any], names: Names) -> str:
    said = []
    for target in action.targets:
        label = (names(target) or (target.split(".", 1)[1].replace("_", " "), None))[0]
        state = states.get(target)
        said.append(f"the {label} is {str(state.get('state', 'unknown')).lower()}" if state else f"I haven't heard from the {label} yet")
    text = ", ".join(said)
    return text[:1].upper() + text[1:]


def registry_names(registry: Any) -> Names:
    """Device names and areas from a registry (or anything with `.get(id)`), for answers and slots."""
    def names(device_id: str) -> tuple[str, str | None] | None:
        device = registry.get(device_id)
        return (device.name, device.area) if device is not None else None

    return names
