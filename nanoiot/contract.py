"""The device contract of docs/protocol.md, stated once for the gateway and the simulator.

The gateway encodes actions with it and the simulated devices (firmware_sim) take the
same messages and tables from here, so the two cannot drift apart (they once did: the
simulator knew 23 colour names, the gateway 147). What a device does with a Zigbee2MQTT
payload stays the simulator's own: it decodes the attributes as real firmware would.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from nanoiot.colors import COLOR_HEX
from nanoiot.schema import Action

__all__ = [
    "COLOR_HEX", "Availability", "Color", "DeviceCommand", "PayloadError", "Zigbee2MQTTCommand",
    "parse_address", "percentile", "split_address", "zigbee2mqtt_fields",
]


class PayloadError(ValueError):
    """A command a device payload cannot carry (gateway) or a device refuses (simulator).

    `code` is machine-readable: the gateway answers `unsupported_payload` (the default) or a
    subclass's code; a simulated device publishes its own (out_of_range, bad_payload, ...).
    """

    code: str = "unsupported_payload"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class DeviceCommand(Action):
    """What a nanoiot-style device receives on its command topic: the action plus the command id."""

    id: str = Field(description="the command's id; a device may ignore an id it has just executed")


class Availability(BaseModel):
    """Retained on `.../availability` by the gateway (and by devices); `offline` is also the Last Will."""

    model_config = ConfigDict(extra="forbid")
    state: Literal["online", "offline"]


class Color(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hex: str = Field(pattern=r"^#[0-9a-f]{6}$")


class Zigbee2MQTTCommand(BaseModel):
    """What the gateway publishes to `<zigbee2mqtt base>/<object_id>/set` (only the fields an action sets)."""

    model_config = ConfigDict(extra="forbid")

    state: Literal["ON", "OFF", "LOCK", "UNLOCK", "OPEN", "CLOSE"] | None = None
    brightness: int | None = Field(default=None, ge=0, le=254)
    brightness_step: int | None = Field(default=None, ge=-254, le=254)
    color: Color | None = None
    color_temp: int | None = Field(default=None, description="mireds = 1e6 / kelvin")
    current_heating_setpoint: float | None = None
    system_mode: str | None = None
    position: int | None = Field(default=None, ge=0, le=100)
    percentage: int | None = Field(default=None, ge=0, le=100)
    command: Literal["start", "stop", "return_to_base"] | None = None


_SIMPLE: dict[str, dict[str, Any]] = {
    "light.turn_off": {"state": "OFF"},
    "switch.turn_on": {"state": "ON"},
    "switch.turn_off": {"state": "OFF"},
    "lock.lock": {"state": "LOCK"},
    "lock.unlock": {"state": "UNLOCK"},
    "cover.open_cover": {"state": "OPEN"},
    "cover.close_cover": {"state": "CLOSE"},
    "fan.turn_on": {"state": "ON"},
    "fan.turn_off": {"state": "OFF"},
    "vacuum.start": {"command": "start"},
    "vacuum.stop": {"command": "stop"},
    "vacuum.return_to_base": {"command": "return_to_base"},
}


def zigbee2mqtt_fields(service: str, data: dict[str, Any]) -> dict[str, Any]:
    """The Zigbee2MQTT attributes for one service call, unchecked (the table in docs/protocol.md).

    Raises PayloadError when the convention has no form for it, KeyError when `data` lacks
    a value the service needs. Range checks are the caller's: the gateway validates with
    Zigbee2MQTTCommand, a simulated device as its firmware would.
    """
    if service in _SIMPLE:
        return dict(_SIMPLE[service])
    if service == "light.turn_on":
        fields: dict[str, Any] = {"state": "ON"}
        if "brightness_pct" in data:
            fields["brightness"] = round(float(data["brightness_pct"]) * 254 / 100)
        if "brightness_step_pct" in data:
            fields["brightness_step"] = round(float(data["brightness_step_pct"]) * 254 / 100)
        if "color_name" in data:
            hex_value = COLOR_HEX.get(str(data["color_name"]))
            if hex_value is None:
                raise PayloadError(f"no colour value for {data['color_name']!r}", code="out_of_range")
            fields["color"] = {"hex": hex_value}
        if "color_temp_kelvin" in data:
            fields["color_temp"] = round(1_000_000 / float(data["color_temp_kelvin"]))
        return fields
    if service == "climate.set_temperature":
        return {"current_heating_setpoint": data["temperature"]}
    if service == "climate.set_hvac_mode":
        return {"system_mode": data["hvac_mode"]}
    if service == "cover.set_cover_position":
        return {"position": data["position"]}
    if service == "fan.set_percentage":
        return {"state": "ON", "percentage": data["percentage"]}
    raise PayloadError(f"{service} has no Zigbee2MQTT payload")


def split_address(value: str) -> tuple[str, str | None]:
    """'host:port', '[v6::addr]:port', 'v6::addr' or 'host' to (host, port text or None), unchecked."""
    value = value.strip()
    host, sep, port = value.rpartition(":")
    if not sep or "]" in port or (host.count(":") and not host.startswith("[")):
        return value.strip("[]"), None  # no port, or a bare IPv6 address
    return host.strip("[]"), port


def parse_address(value: str, default_port: int = 1883) -> tuple[str, int]:
    """A broker address to (host, port); ValueError for a port that is not a number."""
    host, port = split_address(value)
    if port is None:
        return host or "127.0.0.1", default_port
    if not port.isdigit():
        raise ValueError(f"bad broker address {value!r}: expected HOST:PORT")
    return host or "127.0.0.1", int(port)


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100): a value that was measured; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(q * len(ordered) / 100))) - 1]
