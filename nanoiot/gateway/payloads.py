"""Actions to the payloads devices already understand (the device half of docs/protocol.md).

Zigbee2MQTT-style devices get `<base>/<object_id>/set` payloads such as
`{"state": "ON", "brightness": 76}`; nanoiot-style devices (machines, valves, or any
device with `"payload": "nanoiot"`) get the action JSON itself with the command id,
so they can drop a repeat. Translation happens for a whole command before anything is
published, so a command is never half-actuated because one action had no payload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from nanoiot.contract import Availability, DeviceCommand, PayloadError, Zigbee2MQTTCommand, zigbee2mqtt_fields
from nanoiot.registry import Device, Registry
from nanoiot.schema import Action

from .topics import Topics

__all__ = ["Outbound", "PayloadError", "Unsupported", "availability", "device_messages", "repeatable", "zigbee2mqtt_payload"]


class Unsupported(PayloadError):
    """The device does not expose what the action needs (its imported capabilities); refused before publishing."""

    code = "unsupported"


@dataclass(frozen=True)
class Outbound:
    """One device message: where, what, and for which device."""

    device_id: str
    topic: str
    payload: bytes


def repeatable(message: Outbound) -> bool:
    """True when a device may get `message` twice with no second effect.

    nanoiot payloads carry the command id (the device drops a repeat); Zigbee2MQTT and Home
    Assistant payloads that set a state are idempotent; a relative step (`brightness_step`,
    `*_move`) or a toggle is not.
    """
    try:
        body = json.loads(message.payload)
    except ValueError:
        body = message.payload.decode("utf-8", "replace")
    if isinstance(body, dict):
        if "id" in body:
            return True
        return not any(key.endswith(("_step", "_move")) for key in body) and str(body.get("state", "")).upper() != "TOGGLE"
    return str(body).strip().upper() != "TOGGLE"


def zigbee2mqtt_payload(action: Action) -> Zigbee2MQTTCommand:
    """The Zigbee2MQTT `/set` payload for one action; PayloadError if the convention has none."""
    return Zigbee2MQTTCommand(**zigbee2mqtt_fields(action.service, action.data))


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
