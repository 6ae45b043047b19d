"""Registry devices from Zigbee2MQTT's retained `<base>/bridge/devices` list.

Each entry's `definition.exposes` says what the device does: a `light` with `state`,
`brightness` (0-254), `color_temp` (mired, with the device's own range), `color_xy` /
`color_hs`; a `switch`, `lock`, `cover` (with `position`), `fan`, `climate`; bare numeric
exposes (temperature, humidity) make a sensor. The friendly name gives the area:
`kitchen/ceiling` is the ceiling in the kitchen, `downstairs/kitchen/ceiling` also says its floor.
Only features the device lets us set (access bit 2) count as capabilities.
"""

from __future__ import annotations

import json
import re
from typing import Any

import structlog
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nanoiot.registry import Area, Device

log = structlog.get_logger()

SET = 2  # Zigbee2MQTT access bit: the property can be set
SENSORS = {"temperature", "humidity", "pressure", "illuminance", "illuminance_lux", "co2", "pm25", "power", "energy",
           "occupancy", "contact", "water_leak", "smoke", "battery", "voc", "formaldehyd"}
KINDS = {"light": "light", "switch": "switch", "lock": "lock", "cover": "cover", "fan": "fan", "climate": "climate"}
GENERIC = {"light": "light", "switch": "switch", "lock": "lock", "cover": "blinds", "fan": "fan", "climate": "thermostat",
           "sensor": "sensor"}


class Feature(BaseModel):
    """One `exposes` entry or feature (Zigbee2MQTT's own field names)."""

    model_config = ConfigDict(extra="ignore")
    type: str
    name: str | None = None
    property: str | None = None
    access: int = 7
    endpoint: str | None = None
    value_min: float | None = None
    value_max: float | None = None
    values: list[Any] | None = None
    features: list["Feature"] = Field(default_factory=list)


class Definition(BaseModel):
    model_config = ConfigDict(extra="ignore")
    exposes: list[Feature] = Field(default_factory=list)
    description: str | None = None


class BridgeDevice(BaseModel):
    model_config = ConfigDict(extra="ignore")
    friendly_name: str = Field(min_length=1)
    ieee_address: str | None = None
    type: str | None = None
    disabled: bool = False
    supported: bool = True
    definition: Definition | None = None


def alias_with_kind(name: str, domain: str) -> list[str]:
    """"workbench" is also "workbench light"; "desk lamp" already says what it is."""
    from nanoiot.kinds import GENERIC_WORDS

    words = set(name.lower().split())
    return [] if words & GENERIC_WORDS.get(domain, set()) else [f"{name} {GENERIC[domain]}"]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "device"


def parse_bridge_devices(payload: bytes, base: str) -> tuple[list[Device], list[Area]]:
    """Devices and areas from one `bridge/devices` payload; bad entries are logged and skipped.

    Raises ValueError when the payload is not a JSON list at all (the old list is then kept).
    """
    raw = json.loads(payload)
    if not isinstance(raw, list):
        raise ValueError("bridge/devices is not a JSON list")
    devices: list[Device] = []
    areas: dict[str, Area] = {}
    seen: set[str] = set()
    for entry in raw:
        try:
            bridged = BridgeDevice.model_validate(entry)
        except ValidationError as exc:
            log.info("z2m.bad_device", error=str(exc.errors()[0]["msg"])[:200])
            continue
        if bridged.type == "Coordinator" or bridged.disabled or bridged.definition is None:
            continue
        device = _device(bridged, base)
        if device is None or device.id in seen:
            continue
        seen.add(device.id)
        devices.append(device)
        parts = [p.strip() for p in bridged.friendly_name.split("/") if p.strip()]
        if len(parts) >= 3 and device.area:
            areas[device.area] = Area(name=device.area, floor=parts[-3].replace("_", " ").lower())
    return devices, list(areas.values())


def _device(bridged: BridgeDevice, base: str) -> Device | None:
    assert bridged.definition is not None
    domain, capabilities, mireds, extras = None, [], None, {}
    for expose in bridged.definition.exposes:
        if expose.type in KINDS and domain is None:
            domain = KINDS[expose.type]
            features = [f for f in expose.features if f.endpoint is None] or expose.features
            capabilities, mireds, extras = _capabilities(domain, features)
    if domain is None:
        sensors = [e for e in bridged.definition.exposes if (e.property or e.name) in SENSORS]
        if not sensors:
            return None
        domain, capabilities = "sensor", sorted({str(e.property or e.name) for e in sensors})
    parts = [p.strip() for p in bridged.friendly_name.split("/") if p.strip()]
    area = parts[-2].replace("_", " ").lower() if len(parts) >= 2 else None
    name = (parts[-1] if parts else bridged.friendly_name).replace("_", " ").lower()
    aliases = alias_with_kind(name, domain)
    return Device(
        id=f"{domain}.{slug('_'.join(parts[-2:]) if area else name)}",
        name=name,
        area=area,
        domain=domain,  # type: ignore[arg-type]
        aliases=aliases,
        command_topic=f"{base}/{bridged.friendly_name}/set",
        payload="zigbee2mqtt",
        capabilities=capabilities,
        origin="zigbee2mqtt",
        color_temp_range=mireds,
        brightness_max=254 if "brightness" in capabilities else None,
        discovery=extras or None,
    )


def _capabilities(domain: str, features: list[Feature]) -> tuple[list[str], tuple[int, int] | None, dict[str, Any]]:
    """Settable features as capabilities; the colour temperature range; property names that vary by device."""
    caps: list[str] = []
    mireds = None
    extras: dict[str, Any] = {}
    for feature in features:
        if not feature.access & SET:
            continue
        name = feature.name or feature.property
        if name == "state":
            caps.append("open_close" if domain == "cover" else "onoff")
        elif name == "brightness":
            caps.append("brightness")
        elif name == "color_temp":
            caps.append("color_temp")
            if feature.value_min is not None and feature.value_max is not None:
                mireds = (int(feature.value_min), int(feature.value_max))
        elif name in ("color_xy", "color_hs") and "color" not in caps:
            caps.append("color")
        elif name == "position":
            caps.append("position")
        elif name in ("current_heating_setpoint", "occupied_heating_setpoint"):
            caps.append("setpoint")
            extras.setdefault("setpoint_property", feature.property or name)
        elif name == "system_mode":
            caps.append("hvac_mode")
        elif name in ("fan_mode", "mode") and domain == "fan":
            caps.append("speed")
            extras["fan_modes"] = [str(v) for v in feature.values or ()]
        elif name in ("percentage", "speed") and domain == "fan":
            caps.append("speed")
    return sorted(set(caps)), mireds, extras
