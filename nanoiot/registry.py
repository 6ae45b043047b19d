"""The device registry: which devices a gateway may act on, and how to reach them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DOMAINS = (
    "light", "switch", "climate", "lock", "cover", "fan", "vacuum", "valve", "machine", "sensor",
)


class RegistryError(Exception):
    """The registry file is missing or does not validate."""


class Device(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")
    name: str = Field(min_length=1)
    area: str | None = None
    domain: Literal[
        "light", "switch", "climate", "lock", "cover", "fan", "vacuum", "valve", "machine", "sensor"
    ]
    aliases: list[str] = Field(default_factory=list)
    kind: str | None = Field(default=None, description="e.g. pump, conveyor, plug; used by firmware_sim and diagnostics")
    command_topic: str | None = Field(default=None, description="where actions for this device are published")
    payload: Literal["zigbee2mqtt", "nanoiot"] | None = Field(
        default=None, description="payload convention; default zigbee2mqtt, nanoiot for machine/valve"
    )
    capabilities: list[str] = Field(default_factory=list)
    origin: Literal["file", "zigbee2mqtt", "homeassistant"] = Field(
        default="file", description="where the gateway learnt this device; imported devices' capabilities are exact"
    )
    color_temp_range: tuple[int, int] | None = Field(default=None, description="mireds the device takes (min, max)")
    brightness_max: int | None = Field(default=None, description="the device's full brightness (Zigbee2MQTT 254)")
    discovery: dict[str, Any] | None = Field(
        default=None, description="Home Assistant MQTT discovery keys used to address it (topics, payloads)"
    )

    @property
    def object_id(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def payload_style(self) -> str:
        if self.payload:
            return self.payload
        return "nanoiot" if self.domain in ("machine", "valve") else "zigbee2mqtt"


class Area(BaseModel):
    """An area's other names and its floor: "all the lights downstairs" means every area on that floor."""

    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    floor: str | None = None


class Registry(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    site: str | None = None
    devices: list[Device]
    area_info: list[Area] = Field(default_factory=list, validation_alias="areas", serialization_alias="areas",
                                  description="optional: area aliases and floors")

    @model_validator(mode="after")
    def _unique_ids(self) -> "Registry":
        seen: set[str] = set()
        for device in self.devices:
            if device.id in seen:
                raise ValueError(f"duplicate device id {device.id!r}")
            seen.add(device.id)
        return self

    def get(self, device_id: str) -> Device | None:
        return next((d for d in self.devices if d.id == device_id), None)

    @property
    def areas(self) -> set[str]:
        return {d.area for d in self.devices if d.area}

    def areas_called(self, phrase: str) -> set[str]:
        """The device areas an area alias or a floor name stands for ("downstairs" -> kitchen, hall); empty if none.

        The resolver asks this only after the phrase matched no area by name.
        """
        said = " ".join(phrase.lower().replace("_", " ").split())
        found: set[str] = set()
        for area in self.area_info:
            names = {area.name.lower(), *(a.lower() for a in area.aliases)}
            if said in names or (area.floor and said in (area.floor.lower(), f"{area.floor.lower()} floor")):
                found.add(area.name)
        return {a for a in self.areas if a.lower() in {f.lower() for f in found}}

    def place_names(self) -> list[str]:
        """Floor names and area aliases: words a sentence may use for a place that are no device's name."""
        return [p for a in self.area_info for p in (a.floor, *a.aliases) if p]

    def place_said(self, text: str) -> str | None:
        """A floor name or area alias said word for word in `text` ("all the lights upstairs"), or None.

        For frames where the model left the place out; names of areas themselves are the model's job.
        """
        padded = f" {' '.join(text.lower().split())} "
        for area in self.area_info:
            for phrase in (area.floor, *area.aliases):
                if phrase and f" {phrase.lower()} " in padded:
                    return phrase
        return None


def load_registry(path: str | Path) -> Registry:
    """Read a registry from JSON or YAML; raise RegistryError naming the problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RegistryError(f"cannot read registry {path}: {exc}") from exc
    try:
        raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise RegistryError(f"registry {path} is not valid JSON/YAML: {exc}") from exc
    try:
        return Registry.model_validate(raw)
    except ValidationError as exc:
        raise RegistryError(f"registry {path} is invalid: {exc}") from exc


def default_registry_path() -> Path:
    """The example registry shipped in the package (used when none is configured)."""
    return Path(__file__).parent / "data" / "example_registry.json"
