"""Kinds of device: the words people say for each, and how a request on one kind carries over to another.

The resolver and the parser's rules read the same tables, so "the plug", "the blinds" or "switch the
heater off" mean one thing everywhere.
"""

from __future__ import annotations

from nanoiot.registry import Device
from nanoiot.vocabulary import SERVICES

GENERIC_WORDS: dict[str, set[str]] = {
    "light": {"light", "lights", "lamp", "lamps", "lighting", "bulb", "bulbs"},
    "switch": {"plug", "plugs", "socket", "sockets", "outlet", "outlets", "switch", "switches", "smart"},
    "climate": {"thermostat", "heating", "heat", "temperature", "temp", "climate", "ac", "aircon", "conditioner", "conditioning"},
    "lock": {"lock", "locks", "door", "doors"},
    "cover": {"blinds", "shades", "curtains", "shutters", "cover", "covers"},
    "fan": {"fan", "fans"},
    "vacuum": {"vacuum", "roomba", "hoover", "robot", "cleaner"},
    "valve": {"valve", "valves"},
    "machine": {"machine", "machines", "motor", "motors", "line"},
    "sensor": {"sensor", "sensors"},
}
ALL_GENERIC = set().union(*GENERIC_WORDS.values())
# things people switch that a site may not have: said where the registry lacks them ("dishwasher start pls"), they
# are a device nobody here can reach, never a reason for the model's guess at another
APPLIANCES = frozenset(
    "dishwasher oven stove hob cooker microwave fridge refrigerator freezer toaster blender mixer juicer kettle tv telly "
    "television radio stereo printer router modem washer dryer iron projector boiler jacuzzi sauna doorbell camera "
    "cameras alarm siren fireplace aquarium fountain grill heater humidifier purifier generator elevator lift "
    "escalator forklift crane furnace chiller kiln welder lathe robot shredder laminator playstation xbox console "
    "computer laptop monitor speaker speakers sprinkler pool".split())
NOT_A_KIND = {"switch", "heat", "smart", "line"}  # generic device words also said of other things ("smart plug", "line lights"): no hint of a kind
# kind words said of more than one kind: a door is a lock's and a cover's (a garage or patio door)
SHARED_KIND_WORDS = {"cover": {"door", "doors"}}
# Acting on every match is fine for these; for the rest, an unspecific phrase is ambiguous.
PLURAL_OK = {"light", "switch", "fan", "cover", "climate", "sensor", "vacuum"}
# ... and for these services, the safe direction, when the sentence says several: "lock all the doors", "stop the line"
SAFE_FOR_MANY = {"lock.lock", "machine.stop", "valve.close_valve"}
MANY_WORDS = {"all", "every", "everything", "both", "line", "emergency"}  # an emergency stop stops every machine there
# When the phrase names a device of another domain, the equivalent service there.
CROSS_DOMAIN: dict[tuple[str, str], str] = {
    ("switch.turn_on", "light"): "light.turn_on", ("switch.turn_off", "light"): "light.turn_off",
    ("light.turn_on", "switch"): "switch.turn_on", ("light.turn_off", "switch"): "switch.turn_off",
    ("switch.turn_on", "fan"): "fan.turn_on", ("switch.turn_off", "fan"): "fan.turn_off",
    ("fan.turn_on", "switch"): "switch.turn_on", ("fan.turn_off", "switch"): "switch.turn_off",
    ("switch.turn_on", "machine"): "machine.start", ("switch.turn_off", "machine"): "machine.stop",
    ("machine.start", "switch"): "switch.turn_on", ("machine.stop", "switch"): "switch.turn_off",
    ("machine.start", "fan"): "fan.turn_on", ("machine.stop", "fan"): "fan.turn_off",
    ("fan.turn_on", "machine"): "machine.start", ("fan.turn_off", "machine"): "machine.stop",
    ("fan.set_percentage", "machine"): "machine.set_speed", ("machine.set_speed", "fan"): "fan.set_percentage",
    ("switch.turn_on", "vacuum"): "vacuum.start", ("switch.turn_off", "vacuum"): "vacuum.stop",
    ("machine.start", "vacuum"): "vacuum.start", ("machine.stop", "vacuum"): "vacuum.stop",
    ("cover.open_cover", "lock"): "lock.unlock", ("cover.close_cover", "lock"): "lock.lock",
    ("lock.unlock", "cover"): "cover.open_cover", ("lock.lock", "cover"): "cover.close_cover",
    ("cover.open_cover", "valve"): "valve.open_valve", ("cover.close_cover", "valve"): "valve.close_valve",
    ("valve.open_valve", "cover"): "cover.open_cover", ("valve.close_valve", "cover"): "cover.close_cover",
    ("cover.set_cover_position", "valve"): "valve.set_valve_position",
    ("valve.set_valve_position", "cover"): "cover.set_cover_position",
    ("switch.turn_on", "valve"): "valve.open_valve", ("switch.turn_off", "valve"): "valve.close_valve",
    # "set it to 40 percent" said of a lamp is its brightness, whatever kind the model guessed
    ("cover.set_cover_position", "light"): "light.turn_on", ("valve.set_valve_position", "light"): "light.turn_on",
    # "switch the heater off" on a climate device turns its heating off
    ("switch.turn_off", "climate"): "climate.set_hvac_mode", ("light.turn_off", "climate"): "climate.set_hvac_mode",
    ("fan.turn_off", "climate"): "climate.set_hvac_mode", ("machine.stop", "climate"): "climate.set_hvac_mode",
}
DATA_RENAME = {("fan.set_percentage", "machine.set_speed"): {"percentage": "speed_pct"},
               ("machine.set_speed", "fan.set_percentage"): {"speed_pct": "percentage"},
               ("cover.set_cover_position", "light.turn_on"): {"position": "brightness_pct"},
               ("valve.set_valve_position", "light.turn_on"): {"position": "brightness_pct"}}
# what a request means on another kind without saying it: "off" to a heater is hvac_mode off
IMPLIED_DATA = {(source, "climate.set_hvac_mode"): {"hvac_mode": "off"}
                for source in ("switch.turn_off", "light.turn_off", "fan.turn_off", "machine.stop")}
# The same request on another kind of device: used when the registry, not the model, knows the kind.
ON = {"light": "light.turn_on", "switch": "switch.turn_on", "fan": "fan.turn_on", "machine": "machine.start", "vacuum": "vacuum.start"}
OFF = {"light": "light.turn_off", "switch": "switch.turn_off", "fan": "fan.turn_off", "machine": "machine.stop", "vacuum": "vacuum.stop"}
# "for 10 minutes": what undoes an action (one that sets nothing) once its time is up. Not offered: unlocking after
# a lock, starting after a machine's stop (the gateway never unlocks or starts a machine on its own)
UNDO = {**{on: OFF[domain] for domain, on in ON.items() if domain != "vacuum"},
        **{off: ON[domain] for domain, off in OFF.items() if domain not in ("vacuum", "machine")},
        "vacuum.start": "vacuum.return_to_base", "valve.open_valve": "valve.close_valve", "valve.close_valve": "valve.open_valve",
        "cover.open_cover": "cover.close_cover", "cover.close_cover": "cover.open_cover", "lock.unlock": "lock.lock"}
# Covers come in two kinds people never mix up: what hangs at a window and what people or cars pass through.
WINDOW_COVERINGS = frozenset({"blind", "shade", "curtain", "shutter", "awning", "drape"})
DOORWAYS = frozenset({"door", "gate"})
# A narrower kind inside a kind, named on its own: "turn on the plug" means the plugs, not the coffee maker's switch
SUBKINDS = {"switch": frozenset({"plug", "socket", "outlet"}), "light": frozenset({"lamp"})}
OPEN_CLOSE = frozenset({"cover.open_cover", "cover.close_cover", "valve.open_valve", "valve.close_valve", "lock.lock", "lock.unlock"})

# "all the way open" and "fully open" are one request: one action for each meaning, as
# Home Assistant's own intents send open/close for the end positions.
END_POSITIONS: dict[tuple[str, object], str] = {
    ("cover.set_cover_position", 100): "cover.open_cover",
    ("cover.set_cover_position", 0): "cover.close_cover",
    ("valve.set_valve_position", 100): "valve.open_valve",
    ("valve.set_valve_position", 0): "valve.close_valve",
}


def carry(data: dict, source: str, target: str) -> dict | None:
    """`data` of a `source` request as `target` takes it (keys renamed), or None if `target` cannot."""
    renamed = DATA_RENAME.get((source, target), {})
    moved = {**IMPLIED_DATA.get((source, target), {}), **{renamed.get(k, k): v for k, v in data.items()}}
    return moved if all(key in SERVICES[target] for key in moved) else None


def cover_kind(device: Device, name_tokens: frozenset[str]) -> set[str]:
    """The window-covering and doorway words a cover's names and kind hold (kind "garage_door" -> door)."""
    words = {t.rstrip("s") for t in name_tokens} | set((device.kind or "").split("_"))
    return words & (WINDOW_COVERINGS | DOORWAYS)
