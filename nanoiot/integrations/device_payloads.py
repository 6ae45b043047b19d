"""Actions to devices learnt from Zigbee2MQTT or Home Assistant discovery, in what they expose.

Zigbee2MQTT devices get the usual `/set` JSON, checked against their exposes: a light
without `brightness` is not sent one, colour temperature is clamped to the device's own
mired range, a thermostat's setpoint goes to the property it has. Discovery devices get
exactly what Home Assistant would publish for them: `payload_on` on `command_topic`,
`brightness_scale`, JSON-schema lights, `set_position_topic`, and so on. Anything a device
does not expose raises `Unsupported` (error code `unsupported`) before anything is published.
"""

from __future__ import annotations

import colorsys
import json
import math
from typing import Any

from nanoiot.colors import COLOR_HEX
from nanoiot.gateway.payloads import Outbound, PayloadError, Unsupported, zigbee2mqtt_payload
from nanoiot.gateway.topics import Topics
from nanoiot.registry import Device
from nanoiot.schema import Action

from .ha_import import DiscoveryError, render

NEEDS = {"brightness": "brightness", "brightness_step": "brightness", "color": "color", "color_temp": "color_temp",
         "position": "position", "current_heating_setpoint": "setpoint", "system_mode": "hvac_mode", "percentage": "speed"}


def imported_messages(action: Action, device: Device, topics: Topics) -> list[Outbound]:
    if device.origin == "zigbee2mqtt":
        return [Outbound(device.id, topics.device_command(device), json.dumps(exposed_fields(action, device)).encode())]
    try:
        pairs = homeassistant_messages(action, device)
    except DiscoveryError as exc:
        raise Unsupported(f"{device.name} ({device.id}): {exc}") from None
    return [Outbound(device.id, topic, payload.encode()) for topic, payload in pairs]


def _refuse(device: Device, what: str) -> Unsupported:
    return Unsupported(f"{device.name} ({device.id}) does not expose {what}")


def exposed_fields(action: Action, device: Device) -> dict[str, Any]:
    """The `/set` JSON for a Zigbee2MQTT device, within what its exposes allow."""
    fields = zigbee2mqtt_payload(action).model_dump(exclude_none=True)
    for key, capability in NEEDS.items():
        if key in fields and capability not in device.capabilities:
            raise _refuse(device, capability.replace("_", " "))
    extras = device.discovery or {}
    if "color_temp" in fields and device.color_temp_range:
        low, high = device.color_temp_range
        fields["color_temp"] = max(low, min(high, fields["color_temp"]))
    if "current_heating_setpoint" in fields and extras.get("setpoint_property"):
        fields[extras["setpoint_property"]] = fields.pop("current_heating_setpoint")
    if "percentage" in fields and extras.get("fan_modes"):
        fields["fan_mode"] = _fan_mode(fields.pop("percentage"), extras["fan_modes"], device)
        fields.pop("state", None)
    return fields


def _fan_mode(percentage: int, modes: list[str], device: Device) -> str:
    wanted = "off" if percentage == 0 else "low" if percentage <= 33 else "medium" if percentage <= 66 else "high"
    if wanted not in modes:
        raise _refuse(device, f"fan mode {wanted}")
    return wanted


def homeassistant_messages(action: Action, device: Device) -> list[tuple[str, str]]:
    """(topic, payload) pairs Home Assistant would publish for this action."""
    c = device.discovery or {}
    service = action.service.split(".", 1)[1]
    data = action.data
    command = c.get("command_topic")

    def plain(key: str, default: str) -> list[tuple[str, str]]:
        payload = str(c.get(key, default))
        return [(command, render(c["command_template"], payload) if c.get("command_template") else payload)]

    if device.domain == "light":
        return _light(action, device, c)
    if device.domain in ("switch", "fan") and service in ("turn_on", "turn_off"):
        return plain(f"payload_{service[5:]}", service[5:].upper())
    if device.domain == "fan" and service == "set_percentage":
        if not c.get("percentage_command_topic"):
            raise _refuse(device, "speed")
        low, high = int(c.get("speed_range_min", 1)), int(c.get("speed_range_max", 100))
        value = math.ceil(int(data["percentage"]) * (high - low + 1) / 100)
        return [(c["percentage_command_topic"], str(value))]
    if device.domain == "lock" and service in ("lock", "unlock"):
        return plain(f"payload_{service}", service.upper())
    if device.domain in ("cover", "valve") and service.startswith(("open_", "close_")):
        verb = service.split("_", 1)[0]
        if device.domain == "valve" and c.get("reports_position"):
            return [(command, str(c.get("position_open" if verb == "open" else "position_closed", 100 if verb == "open" else 0)))]
        return plain("payload_open" if verb == "open" else "payload_close", "OPEN" if verb == "open" else "CLOSE")
    if device.domain in ("cover", "valve") and service in ("set_cover_position", "set_valve_position"):
        topic = c.get("set_position_topic") if device.domain == "cover" else (command if c.get("reports_position") else None)
        if not topic:
            raise _refuse(device, "position")
        low, high = float(c.get("position_closed", 0)), float(c.get("position_open", 100))
        value = round(low + (high - low) * float(data["position"]) / 100)
        template = c.get("set_position_template")
        return [(topic, render(template, value) if template else str(value))]
    if device.domain == "vacuum" and service in ("start", "stop", "return_to_base"):
        return plain(f"payload_{service}", service)
    if device.domain == "climate" and service == "set_temperature":
        if not c.get("temperature_command_topic"):
            raise _refuse(device, "a temperature setpoint")
        return [(c["temperature_command_topic"], str(data["temperature"]))]
    if device.domain == "climate" and service == "set_hvac_mode":
        modes = c.get("modes")
        if not c.get("mode_command_topic") or (modes and data["hvac_mode"] not in modes):
            raise _refuse(device, f"hvac mode {data['hvac_mode']}")
        return [(c["mode_command_topic"], str(data["hvac_mode"]))]
    raise Unsupported(f"{device.name} ({device.id}) cannot do {action.service}")


def _light(action: Action, device: Device, c: dict[str, Any]) -> list[tuple[str, str]]:
    data = action.data
    if action.service == "light.turn_off":
        if c.get("schema") == "json":
            return [(c["command_topic"], json.dumps({"state": "OFF"}))]
        return [(c["command_topic"], str(c.get("payload_off", "OFF")))]
    if action.service != "light.turn_on":
        raise Unsupported(f"{device.name} ({device.id}) cannot do {action.service}")
    if "brightness_step_pct" in data:
        raise _refuse(device, "relative brightness (Home Assistant's MQTT light takes absolute values)")
    for key, capability in (("brightness_pct", "brightness"), ("color_name", "color"), ("color_temp_kelvin", "color_temp")):
        if key in data and capability not in device.capabilities:
            raise _refuse(device, capability.replace("_", " "))
    scale = device.brightness_max or 255
    brightness = round(float(data["brightness_pct"]) * scale / 100) if "brightness_pct" in data else None
    temp = None
    if "color_temp_kelvin" in data:
        kelvin = float(data["color_temp_kelvin"])
        if c.get("color_temp_kelvin"):
            temp = round(kelvin)
        else:
            temp = round(1_000_000 / kelvin)
            if device.color_temp_range:
                temp = max(device.color_temp_range[0], min(device.color_temp_range[1], temp))
    rgb = _rgb(str(data["color_name"]), device) if "color_name" in data else None
    modes = set(c.get("supported_color_modes") or ())
    if c.get("schema") == "json":
        body: dict[str, Any] = {"state": "ON"}
        if brightness is not None:
            body["brightness"] = brightness
        if temp is not None:
            body["color_temp"] = temp
        if rgb is not None:
            body["color"] = _json_color(rgb, modes)
        return [(c["command_topic"], json.dumps(body))]
    out: list[tuple[str, str]] = []
    if brightness is not None:
        out.append((c.get("brightness_command_topic") or _missing(device, "brightness"), str(brightness)))
    if temp is not None:
        out.append((c.get("color_temp_command_topic") or _missing(device, "colour temperature"), str(temp)))
    if rgb is not None:
        if c.get("rgb_command_topic"):
            out.append((c["rgb_command_topic"], ",".join(map(str, rgb))))
        elif c.get("hs_command_topic"):
            h, s = _hs(rgb)
            out.append((c["hs_command_topic"], f"{h},{s}"))
        elif c.get("xy_command_topic"):
            x, y = _xy(rgb)
            out.append((c["xy_command_topic"], f"{x},{y}"))
        else:
            raise _refuse(device, "a colour command topic")
    out.append((c["command_topic"], str(c.get("payload_on", "ON"))))  # on_command_type "last": values, then on
    return out


def _missing(device: Device, what: str) -> str:
    raise _refuse(device, what)


def _rgb(name: str, device: Device) -> tuple[int, int, int]:
    hex_value = COLOR_HEX.get(name)
    if hex_value is None:
        raise PayloadError(f"no colour value for {name!r}")
    return int(hex_value[1:3], 16), int(hex_value[3:5], 16), int(hex_value[5:7], 16)


def _hs(rgb: tuple[int, int, int]) -> tuple[float, float]:
    h, s, _ = colorsys.rgb_to_hsv(*(v / 255 for v in rgb))
    return round(h * 360, 1), round(s * 100, 1)


def _xy(rgb: tuple[int, int, int]) -> tuple[float, float]:
    """sRGB to CIE 1931 xy (the conversion Home Assistant's color util uses, D65)."""
    r, g, b = (((v / 255 + 0.055) / 1.055) ** 2.4 if v / 255 > 0.04045 else v / 255 / 12.92 for v in rgb)
    x = r * 0.4124 + g * 0.3576 + b * 0.1805
    y = r * 0.2126 + g * 0.7152 + b * 0.0722
    z = r * 0.0193 + g * 0.1192 + b * 0.9505
    total = x + y + z
    return (0.0, 0.0) if total == 0 else (round(x / total, 4), round(y / total, 4))


def _json_color(rgb: tuple[int, int, int], modes: set[str]) -> dict[str, Any]:
    if modes & {"rgb", "rgbw", "rgbww"} or not modes & {"hs", "xy"}:
        return {"r": rgb[0], "g": rgb[1], "b": rgb[2]}
    if "hs" in modes:
        h, s = _hs(rgb)
        return {"h": h, "s": s}
    x, y = _xy(rgb)
    return {"x": x, "y": y}
