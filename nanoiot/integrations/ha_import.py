"""Registry devices from Home Assistant MQTT discovery configs (`<prefix>/<component>/[<node>/]<object>/config`).

Whatever announces devices to Home Assistant over MQTT (Zigbee2MQTT, ESPHome, Tasmota,
a hand-written config) announces them to nanoiot too. A config gives the command topics
and the payloads the device takes; we keep those (with abbreviations expanded and `~`
substituted) so actions are published exactly as Home Assistant would publish them.
An empty retained config removes the device.
"""

from __future__ import annotations

import json
import re
from typing import Any

import structlog

from nanoiot.registry import Device

from .z2m_import import GENERIC, alias_with_kind, slug

log = structlog.get_logger()

COMPONENTS = ("light", "switch", "climate", "cover", "lock", "fan", "vacuum", "valve")
# Home Assistant's documented abbreviations, for the keys we use
ABBREVIATIONS = {
    "cmd_t": "command_topic", "cmd_tpl": "command_template", "stat_t": "state_topic", "uniq_id": "unique_id",
    "obj_id": "object_id", "dev": "device", "pl_on": "payload_on", "pl_off": "payload_off", "pl_lock": "payload_lock",
    "pl_unlk": "payload_unlock", "pl_open": "payload_open", "pl_cls": "payload_close", "pl_stop": "payload_stop",
    "pl_strt": "payload_start", "pl_ret": "payload_return_to_base", "set_pos_t": "set_position_topic",
    "set_pos_tpl": "set_position_template", "pos_open": "position_open", "pos_clsd": "position_closed",
    "bri_cmd_t": "brightness_command_topic", "bri_scl": "brightness_scale", "clr_temp_cmd_t": "color_temp_command_topic",
    "clr_temp_k": "color_temp_kelvin", "rgb_cmd_t": "rgb_command_topic", "hs_cmd_t": "hs_command_topic",
    "xy_cmd_t": "xy_command_topic", "sup_clrm": "supported_color_modes", "temp_cmd_t": "temperature_command_topic",
    "mode_cmd_t": "mode_command_topic", "pct_cmd_t": "percentage_command_topic", "spd_rng_min": "speed_range_min",
    "spd_rng_max": "speed_range_max", "min_mirs": "min_mireds", "max_mirs": "max_mireds", "min_temp": "min_temp",
    "max_temp": "max_temp", "sup_feat": "supported_features", "dev_cla": "device_class", "sa": "suggested_area",
    "ids": "identifiers", "rpt_pos": "reports_position",
}
KEPT = {
    "command_topic", "state_topic", "command_template", "payload_on", "payload_off", "payload_lock", "payload_unlock", "payload_open",
    "payload_close", "payload_stop", "payload_start", "payload_return_to_base", "set_position_topic",
    "set_position_template", "position_open", "position_closed", "brightness_command_topic", "brightness_scale",
    "color_temp_command_topic", "color_temp_kelvin", "rgb_command_topic", "hs_command_topic", "xy_command_topic",
    "supported_color_modes", "schema", "brightness", "temperature_command_topic", "mode_command_topic", "modes",
    "percentage_command_topic", "speed_range_min", "speed_range_max", "min_temp", "max_temp", "reports_position",
}
COLOR_MODES = {"hs", "xy", "rgb", "rgbw", "rgbww"}


class DiscoveryError(ValueError):
    """A discovery config we cannot use (logged; the device is not added)."""


def expand(config: dict[str, Any]) -> dict[str, Any]:
    """Abbreviated keys to full ones and `~` to the base topic, as Home Assistant reads them."""
    base = config.get("~")
    out: dict[str, Any] = {}
    for key, value in config.items():
        full = ABBREVIATIONS.get(key, key)
        if full == "device" and isinstance(value, dict):
            value = {ABBREVIATIONS.get(k, k): v for k, v in value.items()}
        if isinstance(value, str) and base and full.endswith("_topic"):
            value = value.replace("~", base) if value.startswith("~") or value.endswith("~") else value
        out[full] = value
    return out


def topic_parts(topic: str, prefix: str) -> tuple[str, str] | None:
    """(component, config key) of a discovery topic, or None when it is not one."""
    if not topic.startswith(prefix + "/") or not topic.endswith("/config"):
        return None
    parts = topic[len(prefix) + 1: -len("/config")].split("/")
    if len(parts) not in (2, 3):
        return None
    return parts[0], "/".join(parts[1:])


def parse_config(topic: str, payload: bytes, prefix: str) -> Device | None:
    """The device a discovery config announces; None for components we do not import. Raises DiscoveryError."""
    parts = topic_parts(topic, prefix)
    if parts is None or parts[0] not in COMPONENTS:
        return None
    component, key = parts
    try:
        raw = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DiscoveryError(f"not JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise DiscoveryError("a discovery config is a JSON object")
    config = expand(raw)
    if component == "climate":
        if not (config.get("temperature_command_topic") or config.get("mode_command_topic")):
            raise DiscoveryError("climate without temperature_command_topic or mode_command_topic")
    elif not isinstance(config.get("command_topic"), str):
        raise DiscoveryError(f"{component} without command_topic")
    if component == "light" and config.get("schema") == "template":
        raise DiscoveryError("template-schema lights are not supported")
    device_block = config.get("device") if isinstance(config.get("device"), dict) else {}
    entity_name = config.get("name")
    device_name = device_block.get("name")
    name = str(entity_name or device_name or key.split("/")[-1].replace("_", " ")).strip()
    if entity_name and device_name and str(device_name).lower() not in str(entity_name).lower() and entity_name.lower() in GENERIC.values():
        name = f"{device_name} {entity_name}"  # has_entity_name style: "Kitchen ceiling" + "Light"
    area = device_block.get("suggested_area")
    if "/" in name:  # a Zigbee2MQTT friendly name, "kitchen/ceiling": the area, then the name
        *rest, name = [part.strip() for part in name.split("/") if part.strip()] or [name]
        area = area or (rest[-1] if rest else None)
    unique = str(config.get("unique_id") or config.get("object_id") or key)
    return Device(
        id=f"{component}.{slug(unique)}",
        name=name.lower(),
        area=str(area).lower() if area else None,
        domain=component,  # type: ignore[arg-type]
        aliases=alias_with_kind(name.lower(), component),
        command_topic=config.get("command_topic") if isinstance(config.get("command_topic"), str) else None,
        capabilities=_capabilities(component, config),
        origin="homeassistant",
        color_temp_range=_mireds(config),
        brightness_max=int(config.get("brightness_scale", 255)) if component == "light" else None,
        discovery={k: v for k, v in config.items() if k in KEPT},
    )


def _capabilities(component: str, config: dict[str, Any]) -> list[str]:
    caps = {"onoff"} if component in ("light", "switch", "fan") else set()
    if component == "light":
        modes = set(config.get("supported_color_modes") or ())
        if config.get("brightness_command_topic") or config.get("brightness") or modes - {"onoff"}:
            caps.add("brightness")
        if "color_temp" in modes or config.get("color_temp_command_topic"):
            caps.add("color_temp")
        if modes & COLOR_MODES or any(config.get(f"{m}_command_topic") for m in ("rgb", "hs", "xy")):
            caps.add("color")
    elif component in ("cover", "valve"):
        caps.add("open_close")
        if config.get("set_position_topic") or config.get("reports_position"):
            caps.add("position")
    elif component == "fan" and config.get("percentage_command_topic"):
        caps.add("speed")
    elif component == "climate":
        if config.get("temperature_command_topic"):
            caps.add("setpoint")
        if config.get("mode_command_topic"):
            caps.add("hvac_mode")
    return sorted(caps)


def _mireds(config: dict[str, Any]) -> tuple[int, int] | None:
    low, high = config.get("min_mireds"), config.get("max_mireds")
    if low is None and high is None:
        return None
    return int(low or 153), int(high or 500)


TEMPLATE_VALUE = re.compile(r"\{\{\s*(value|position|brightness|temperature|percentage)\s*(\|\s*int\s*)?\}\}")


def render(template: str, value: Any) -> str:
    """The few Jinja templates discovery configs use for a plain value ({{ value }}, {{ position }}).

    Raises DiscoveryError for anything richer: nanoiot does not run Home Assistant's template engine.
    """
    rendered = TEMPLATE_VALUE.sub(lambda m: str(int(value) if m.group(2) else value), template)
    if "{{" in rendered or "{%" in rendered:
        raise DiscoveryError(f"template {template[:80]!r} needs Home Assistant's template engine")
    return rendered
