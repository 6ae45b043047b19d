"""The device registry: which devices a gateway may act on, and how to reach them."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from nanoiot.normalize import normalize

# "the lights outside": areas out of doors by their names, for a registry that has no area or alias called so
OUTSIDE = frozenset({"outside", "outdoors", "outdoor", "exterior"})
OUTDOOR_AREA = re.compile(r"\b(?:porch|garden|patio|balcony|yard|backyard|deck|terrace|driveway|lawn|verandah?|pool|courtyard"
                          r"|carport|outside|outdoors?|exterior)\b")

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
    def listed_capabilities(self) -> frozenset[str] | None:
        """What it takes beyond on/off where the registry says: a list written out (an empty one: on/off only) or
        imported (exact); None where a file entry leaves the key out, which then takes everything."""
        return frozenset(self.capabilities) if "capabilities" in self.model_fields_set or self.origin != "file" else None

    @property
    def object_id(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def payload_style(self) -> str:
        if self.payload:
            return self.payload
        return "nanoiot" if self.domain in ("machine", "valve") else "zigbee2mqtt"


class Source(BaseModel):
    """A thing that sends commands (a wall panel, a voice satellite, an app) and where it stands."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    area: str | None = Field(default=None, description="where it stands; none for an app or anything that moves")
    kind: str | None = None
    name: str | None = None
    permissions: dict[str, Any] | None = Field(default=None, description="what it may command (docs/security.md); "
                                                "the gateway config's rule for it wins")


# "emma's room", "mr hughes's bedroom": the owner's name with its "'s" says the room ("turn off emma's light")
OWNED_ROOM = re.compile(r"^(?P<owner>.*\w's) (?:bed)?(?:room|office|study|den|nursery|flat|suite|quarters|bathroom|playroom)$")


# one-word aliases that say where, not which area ("front", "outside"), and short ones ("or" for an operating room)
NOT_ONE_PLACE = frozenset({"front", "back", "outside", "inside", "indoors", "outdoors", "upstairs", "downstairs", "here",
                           "there", "top", "bottom", "home", "house", "away"})


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
    sources: list[Source] = Field(default_factory=list)
    area_info: list[Area] = Field(default_factory=list, validation_alias="areas", serialization_alias="areas",
                                  description="optional: area aliases and floors")

    @model_validator(mode="after")
    def _unique_ids(self) -> "Registry":
        seen: set[str] = set()
        for device in self.devices:
            if device.id in seen:
                raise ValueError(f"duplicate device id {device.id!r}")
            seen.add(device.id)
        ids = [source.id for source in self.sources]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate source id {next(i for i in ids if ids.count(i) > 1)!r}")
        return self

    _index: dict[str, tuple[Device, str | None]] = PrivateAttr(default_factory=dict)
    _indexed: tuple[int, int] = PrivateAttr(default=(0, -1))
    _area_keys: dict[str, str | None] = PrivateAttr(default_factory=dict)
    _object_ids: dict[str, Device] = PrivateAttr(default_factory=dict)
    _places: tuple[tuple[int, int], dict[str, str]] = PrivateAttr(default=((0, -1), {}))

    def _by_id(self) -> dict[str, tuple[Device, str | None]]:
        """id -> (device, normalised area), built once per device list: a scan per target cost 33 ms for
        1,000 targets on 1,000 devices, and normalising every candidate's area per command 19 ms."""
        version = (id(self.devices), len(self.devices))
        if self._indexed != version:
            self._index = {d.id: (d, normalize(d.area) if d.area else None) for d in self.devices}
            self._area_keys = {key: area for key, (_, area) in self._index.items()}
            self._object_ids = {d.object_id: d for d in self.devices}
            self._indexed = version
        return self._index

    def get(self, device_id: str) -> Device | None:
        found = self._by_id().get(device_id)
        if found is None:  # unknown, or a device swapped in place since the index was built: look, and re-index if so
            device = next((d for d in self.devices if d.id == device_id), None)
            if device is not None:
                self._indexed = (0, -1)
            return device
        return found[0]

    def area_keys(self) -> dict[str, str | None]:
        """Device id -> its area normalised as sentences are (None: no area), computed once per device list."""
        self._by_id()
        return self._area_keys

    @property
    def areas(self) -> set[str]:
        return {d.area for d in self.devices if d.area}

    def source_area(self, source: str, configured: Mapping[str, str | None] | None = None) -> str | None:
        """Where a command from `source` was said: the gateway config's sources, then the
        registry's, then a device of that object id (a panel that is itself a device); None
        when nothing places it, and an unplaced source may not act site-wide on "the lights".
        """
        if configured and configured.get(source):
            return configured[source]
        listed = next((s for s in self.sources if s.id == source), None)
        if listed is not None:  # listed without an area: placed nowhere on purpose (an app)
            return listed.area
        by_id = self._by_id()  # asked per command: indexes (object ids built with it), not a scan of the devices
        device = self._object_ids.get(source) or by_id.get(source, (None, None))[0]
        return device.area if device else None

    def areas_called(self, phrase: str) -> set[str]:
        """The device areas an area alias or a floor name stands for ("downstairs" -> kitchen, hall); empty if none.

        The resolver asks this only after the phrase matched no area by name.
        """
        said = " ".join(phrase.lower().replace("_", " ").split())
        found: set[str] = set()
        other = self.place_phrases().get(" ".join(normalize(said).split()))
        if other:
            found.add(other)
        for area in self.area_info:
            names = {area.name.lower(), *(a.lower() for a in area.aliases)}
            if said in names or (area.floor and said in (area.floor.lower(), f"{area.floor.lower()} floor")):
                found.add(area.name)
        if not found and said in OUTSIDE:  # "the lights outside": the places out of doors, unless one is called so
            return {a for a in self.areas if OUTDOOR_AREA.search(a.lower())}
        return {a for a in self.areas if a.lower() in {f.lower() for f in found}}

    def place_phrases(self) -> dict[str, str]:
        """Another phrase for one area -> its name: an alias, without its "the" ("nursery" of "the nursery"), and
        the owner of a room called after someone ("emma's" of "emma's room"). An alias that several areas share
        ("house") is a group, left out. Built once per area list: `areas_called` asks on every command."""
        version = (id(self.area_info), len(self.area_info))  # as `_by_id`'s
        if self._places[0] == version:
            return self._places[1]
        found: dict[str, set[str]] = {}
        for area in self.area_info:
            for phrase in (area.name, *area.aliases):
                words = normalize(phrase).split()
                if len(words) > 1 and words[0] == "the":  # "the nursery" is said "the nursery", "nursery"
                    words = words[1:]
                said = {" ".join(words)} - {" ".join(normalize(area.name).split())}
                owned = OWNED_ROOM.match(" ".join(words))
                if owned:
                    said.add(owned.group("owner").removeprefix("the "))
                for one in said:
                    found.setdefault(one, set()).add(area.name)
        phrases = {phrase: next(iter(areas)) for phrase, areas in found.items() if len(areas) == 1
                   and (" " in phrase or len(phrase) > 3 and phrase not in NOT_ONE_PLACE)}
        self._places = (version, phrases)
        return phrases

    def area_aliased(self, phrase: str) -> str | None:
        """The one area that has `phrase` (normalised, "the" aside) as its name or an alias, short ones too ("the
        sub"), which `place_phrases` leaves out of its index; else None."""
        said = phrase.removeprefix("the ")
        found = {area.name for area in self.area_info for name in (area.name, *area.aliases)
                 if normalize(name).removeprefix("the ") == said}
        return found.pop() if len(found) == 1 else None

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
        raise RegistryError(f"registry {path} is not valid JSON/YAML: {' '.join(str(exc).split())}") from exc
    try:
        return Registry.model_validate(raw)
    except ValidationError as exc:  # one line: where the first problem is and what it is
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise RegistryError(f"registry {path} is invalid: {where}: {first['msg']}{more}") from exc


def default_registry_path() -> Path:
    """The example registry shipped in the package (used when none is configured)."""
    return Path(__file__).parent / "data" / "example_registry.json"
