"""Actions to the payloads devices already understand (the device half of docs/protocol.md).

Zigbee2MQTT-style devices get `<base>/<object_id>/set` payloads such as
`{"state": "ON", "brightness": 76}`; nanoiot-style devices (machines, valves, or any
device with `"payload": "nanoiot"`) get the action JSON itself with the command id,
so they can drop a repeat. Translation happens for a whole command before anything is
published, so a command is never half-actuated because one action had no payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from nanoiot.colors import COLOR_HEX
from nanoiot.registry import Device, Registry
from nanoiot.schema import Action

from .topics import Topics


class PayloadError(ValueError):
    """An action the target device's payload convention cannot express."""

    code = "unsupported_payload"


class Unsupported(PayloadError):
    """The device does not expose what the action needs (its imported capabilities); refused before publishing."""

    code = "unsupported"


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


class DeviceCommand(Action):
    """What a nanoiot-style device receives on its command topic: the action plus the command id."""

    id: str = Field(description="the command's id; a device may ignore an id it has just executed")


class Availability(BaseModel):
    """Retained on `.../availability` by the gateway (and by devices); `offline` is also the Last Will."""

    model_config = ConfigDict(extra="forbid")
    state: Literal["online", "offline"]


@dataclass(frozen=True)
class Outbound:
    """One device message: where, what, and for which device."""

    device_id: str
    topic: str
    payload: bytes


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


def zigbee2mqtt_payload(action: Action) -> Zigbee2MQTTCommand:
    """The Zigbee2MQTT `/set` payload for one action; PayloadError if the convention has none."""
    data = action.data
    if action.service in _SIMPLE:
        return Zigbee2MQTTCommand(**_SIMPLE[action.service])
    if action.service == "light.turn_on":
        fields: dict[str, Any] = {"state": "ON"}
        if "brightness_pct" in data:
            fields["brightness"] = round(float(data["brightness_pct"]) * 254 / 100)
        if "brightness_step_pct" in data:
            fields["brightness_step"] = round(float(data["brightness_step_pct"]) * 254 / 100)
        if "color_name" in data:
            hex_value = COLOR_HEX.get(str(data["color_name"]))
            if hex_value is None:
                raise PayloadError(f"no colour value for {data['color_name']!r}")
            fields["color"] = {"hex": hex_value}
        if "color_temp_kelvin" in data:
            fields["color_temp"] = round(1_000_000 / float(data["color_temp_kelvin"]))
        return Zigbee2MQTTCommand(**fields)
    if action.service == "climate.set_temperature":
        return Zigbee2MQTTCommand(current_heating_setpoint=data["temperature"])
    if action.service == "climate.set_hvac_mode":
        return Zigbee2MQTTCommand(system_mode=data["hvac_mode"])
    if action.service == "cover.set_cover_position":
        return Zigbee2MQTTCommand(position=data["position"])
    if action.service == "fan.set_percentage":
        return Zigbee2MQTTCommand(state="ON", percentage=data["percentage"])
    raise PayloadError(f"{action.service} has no Zigbee2MQTT payload")


def device_messages(action: Action, command_id: str, registry: Registry, topics: Topics) -> list[Outbound]:
    """One message per target device, in the registry order the action lists them."""
    out = []
    for device_id in action.targets:
        device = registry.get(device_id)
        if device is None:
            raise PayloadError(f"{device_id} is not in the registry")
        if device.origin != "file":  # learnt from Zigbee2MQTT or Home Assistant: use what it exposes
            from nanoiot.integrations.device_payloads import imported_messages

            out += imported_messages(action, device, topics)
            continue
        out.append(Outbound(device.id, topics.device_command(device), _encode(action, command_id, device)))
    return out


def _encode(action: Action, command_id: str, device: Device) -> bytes:
    if device.payload_style == "nanoiot":
        model: BaseModel = DeviceCommand(id=command_id, service=action.service, targets=[device.id], data=action.data)
        return model.model_dump_json().encode()
    try:
        return zigbee2mqtt_payload(action).model_dump_json(exclude_none=True).encode()
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, PayloadError):
            raise
        raise PayloadError(f"{action.service} for {device.id}: {exc}") from None


def availability(state: Literal["online", "offline"]) -> bytes:
    return Availability(state=state).model_dump_json().encode()
