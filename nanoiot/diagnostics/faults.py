"""The fault vocabulary, severities, and the action code recommends for a fault.

The model names what is wrong; what to do about it is decided here, in code,
from (fault, severity, device domain), so a recommendation always targets the
reporting device with a service its domain has, and a model mistake can never
invent an action. Whether the gateway may take it is the site policy's call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from nanoiot.registry import Device
from nanoiot.schema import Action

Fault = Literal[
    "overcurrent",
    "overtemperature",
    "bearing_wear",
    "motor_stall",
    "dry_run",
    "blockage",
    "leak",
    "low_battery",
    "sensor_failure",
    "communication_loss",
    "jammed",
    "filter_clogged",
    "short_cycling",
    "none",
    "unknown",
]
Severity = Literal["info", "warning", "critical"]

FAULTS: tuple[str, ...] = get_args(Fault)
SEVERITIES: tuple[str, ...] = get_args(Severity)
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class FaultInfo:
    description: str
    severities: tuple[str, ...]  # the severities a report of this fault can have


FAULT_INFO: dict[str, FaultInfo] = {
    "overcurrent": FaultInfo("motor or load draws more current than its rating", ("warning", "critical")),
    "overtemperature": FaultInfo("winding, bearing, casing or room temperature above its limit", ("warning", "critical")),
    "bearing_wear": FaultInfo("vibration, grinding or bearing noise from a rotating machine", ("warning", "critical")),
    "motor_stall": FaultInfo("motor powered but not turning (locked rotor)", ("critical",)),
    "dry_run": FaultInfo("pump running without liquid: no flow, low current, cavitation", ("critical",)),
    "blockage": FaultInfo("flow path or outlet obstructed: high pressure, no flow with high load", ("warning", "critical")),
    "leak": FaultInfo("liquid, air or refrigerant escaping; water detected where it should not be", ("warning", "critical")),
    "low_battery": FaultInfo("battery-powered device running out of charge", ("warning", "critical")),
    "sensor_failure": FaultInfo("a sensor reads an impossible value, is disconnected or stuck", ("warning",)),
    "communication_loss": FaultInfo("device or a bus it depends on stopped answering", ("warning",)),
    "jammed": FaultInfo("mechanism stuck: door, bolt, belt, blind or brush cannot move", ("warning", "critical")),
    "filter_clogged": FaultInfo("filter needs cleaning or replacing: high pressure drop, low airflow", ("warning", "critical")),
    "short_cycling": FaultInfo("compressor or heater switching on and off too often", ("warning", "critical")),
    "none": FaultInfo("routine report, nothing wrong", ("info",)),
    "unknown": FaultInfo("something is wrong but it is none of the above (e.g. a bare vendor error code)", ("warning", "critical")),
}

SEVERITY_INFO: dict[str, str] = {
    "info": "nothing to do now",
    "warning": "needs attention soon; the device may keep running",
    "critical": "act now: risk of damage, safety or loss if the device keeps running",
}

# (fault, minimum severity, domain) -> (service, data). First match wins; domain "*" is any.
_RECOMMENDATIONS: list[tuple[str, str, str, str, dict[str, Any]]] = [
    # machines: stop on critical faults that damage them, slow down on warnings that heat them
    ("overtemperature", "critical", "machine", "machine.stop", {}),
    ("overcurrent", "critical", "machine", "machine.stop", {}),
    ("motor_stall", "critical", "machine", "machine.stop", {}),
    ("dry_run", "critical", "machine", "machine.stop", {}),
    ("blockage", "critical", "machine", "machine.stop", {}),
    ("jammed", "critical", "machine", "machine.stop", {}),
    ("leak", "critical", "machine", "machine.stop", {}),
    ("bearing_wear", "critical", "machine", "machine.stop", {}),
    ("short_cycling", "critical", "machine", "machine.stop", {}),
    ("overtemperature", "warning", "machine", "machine.set_speed", {"speed_pct": 50}),
    ("overcurrent", "warning", "machine", "machine.set_speed", {"speed_pct": 50}),
    ("bearing_wear", "warning", "machine", "machine.set_speed", {"speed_pct": 50}),
    # valves close on leaks; plugs and fans switch off when they overheat or overload
    ("leak", "warning", "valve", "valve.close_valve", {}),
    ("overtemperature", "critical", "switch", "switch.turn_off", {}),
    ("overcurrent", "critical", "switch", "switch.turn_off", {}),
    ("overtemperature", "critical", "fan", "fan.turn_off", {}),
    ("bearing_wear", "critical", "fan", "fan.turn_off", {}),
    ("blockage", "critical", "fan", "fan.turn_off", {}),
    ("motor_stall", "critical", "fan", "fan.turn_off", {}),
    ("overtemperature", "critical", "light", "light.turn_off", {}),
    # vacuums go home to charge, stop when stuck
    ("low_battery", "warning", "vacuum", "vacuum.return_to_base", {}),
    ("jammed", "warning", "vacuum", "vacuum.stop", {}),
    ("blockage", "warning", "vacuum", "vacuum.stop", {}),
    # heating/cooling that cycles or overheats is switched off
    ("short_cycling", "critical", "climate", "climate.set_hvac_mode", {"hvac_mode": "off"}),
    ("overtemperature", "critical", "climate", "climate.set_hvac_mode", {"hvac_mode": "off"}),
    # a device that stopped answering is probed, which is harmless
    ("communication_loss", "warning", "*", "query.get_state", {}),
]


def recommended_action(fault: str, severity: str, device: Device | None) -> Action | None:
    """The one action code recommends for this diagnosis of this device, or None.

    Locks, covers and sensors get no recommendation: unlocking a jammed lock or
    moving a jammed door without a person there is never the safe default.
    """
    if device is None:
        return None
    rank = SEVERITY_RANK.get(severity, 0)
    for rule_fault, min_severity, domain, service, data in _RECOMMENDATIONS:
        if rule_fault == fault and rank >= SEVERITY_RANK[min_severity] and domain in ("*", device.domain):
            return Action(service=service, targets=[device.id], data=dict(data))
    return None


def clamp_severity(fault: str, severity: str) -> str:
    """The nearest severity this fault can have (e.g. `none` is always info)."""
    allowed = FAULT_INFO[fault].severities
    if severity in allowed:
        return severity
    rank = SEVERITY_RANK.get(severity, 1)
    return min(allowed, key=lambda s: (abs(SEVERITY_RANK[s] - rank), -SEVERITY_RANK[s]))
