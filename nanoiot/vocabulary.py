"""The action vocabulary and the model's linear output format.

The model writes what was said, not device ids, one frame per command:

    light.turn_on area=kitchen brightness_pct=30 ; lock.lock name=back door

`name`, `area` and `domain` are phrases for the resolver; every other key is
service data, checked here against the service's schema. `none` means the
sentence is not a device command. Serialising and parsing live together so the
training corpus and the runtime can never disagree on the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from nanoiot.colors import COLOR_NAMES

NOT_A_COMMAND = "none"
FRAME_SEPARATOR = " ; "
REFERENCE_KEYS = ("name", "area", "domain")

HVAC_MODES = frozenset({"heat", "cool", "auto", "off", "heat_cool", "dry", "fan_only"})


class VocabularyError(ValueError):
    """The model's output is not in the action vocabulary (becomes not_understood)."""


class ValueRejected(ValueError):
    """A well-formed value the service cannot take, e.g. brightness 140% (becomes rejected)."""


@dataclass(frozen=True)
class Number:
    low: float
    high: float
    integer: bool = True

    def check(self, key: str, raw: Any) -> float | int:
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise VocabularyError(f"{key}={raw!r} is not a number") from None
        if not self.low <= value <= self.high:
            raise ValueRejected(f"{key} must be between {self.low:g} and {self.high:g}, got {value:g}")
        if self.integer:
            return int(round(value))
        return int(value) if value.is_integer() else round(value, 1)


@dataclass(frozen=True)
class Choice:
    options: frozenset[str]

    def check(self, key: str, raw: Any) -> str:
        value = str(raw).strip().lower().replace(" ", "")
        if value not in self.options:
            raise ValueRejected(f"{key} {raw!r} is not one of {', '.join(sorted(self.options))}")
        return value


@dataclass(frozen=True)
class Text:
    def check(self, key: str, raw: Any) -> str:
        value = str(raw).strip()
        if not value:
            raise VocabularyError(f"{key} is empty")
        return value


PCT = Number(0, 100)
SERVICES: dict[str, dict[str, Number | Choice | Text]] = {
    "light.turn_on": {
        "brightness_pct": PCT,
        "brightness_step_pct": Number(-100, 100),
        "color_name": Choice(COLOR_NAMES),
        "color_temp_kelvin": Number(1500, 10000),
    },
    "light.turn_off": {},
    "switch.turn_on": {},
    "switch.turn_off": {},
    "climate.set_temperature": {"temperature": Number(5, 35, integer=False)},
    "climate.set_hvac_mode": {"hvac_mode": Choice(HVAC_MODES)},
    "lock.lock": {},
    "lock.unlock": {},
    "cover.open_cover": {},
    "cover.close_cover": {},
    "cover.set_cover_position": {"position": PCT},
    "fan.turn_on": {},
    "fan.turn_off": {},
    "fan.set_percentage": {"percentage": PCT},
    "vacuum.start": {},
    "vacuum.stop": {},
    "vacuum.return_to_base": {},
    "valve.open_valve": {},
    "valve.close_valve": {},
    "valve.set_valve_position": {"position": PCT},
    "machine.start": {},
    "machine.stop": {},
    "machine.set_speed": {"speed_pct": PCT},
    "machine.reset_fault": {},
    "query.get_state": {"attribute": Text()},
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "climate.set_temperature": ("temperature",),
    "climate.set_hvac_mode": ("hvac_mode",),
    "cover.set_cover_position": ("position",),
    "fan.set_percentage": ("percentage",),
    "valve.set_valve_position": ("position",),
    "machine.set_speed": ("speed_pct",),
}


@dataclass
class Frame:
    """One command as the model said it: a service, device phrases and raw data."""

    service: str
    name: str | None = None
    area: str | None = None
    domain: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def service_domain(self) -> str:
        return self.service.split(".", 1)[0]


_KEY = re.compile(r"(?:^|\s)([a-z_]+)=")


def serialize(frames: list[Frame]) -> str:
    """Frames to the model's target string (used to build the training corpus)."""
    if not frames:
        return NOT_A_COMMAND
    parts = []
    for frame in frames:
        words = [frame.service]
        for key in REFERENCE_KEYS:
            value = getattr(frame, key)
            if value:
                words.append(f"{key}={value}")
        words += [f"{key}={value}" for key, value in frame.data.items()]
        parts.append(" ".join(words))
    return FRAME_SEPARATOR.join(parts)


def parse_output(text: str) -> list[Frame]:
    """The model's target string to frames; raise VocabularyError if it is not in the vocabulary.

    Values are not range-checked here (see `check_data`), so that a brightness
    of 140% is reported as rejected rather than not understood.
    """
    text = text.strip()
    if not text or text == NOT_A_COMMAND:
        return []
    frames = []
    for chunk in text.split(";"):
        chunk = chunk.strip()
        service, _, rest = chunk.partition(" ")
        if service not in SERVICES:
            raise VocabularyError(f"unknown service {service!r}")
        frame = Frame(service=service)
        pieces = _KEY.split(" " + rest) if rest else [""]
        if pieces[0].strip():
            raise VocabularyError(f"stray words {pieces[0].strip()!r} in {chunk!r}")
        for key, value in zip(pieces[1::2], pieces[2::2]):
            value = value.strip()
            if not value:
                raise VocabularyError(f"empty value for {key!r}")
            if key in REFERENCE_KEYS:
                setattr(frame, key, value)
            elif key in SERVICES[service]:
                frame.data[key] = value
            else:
                raise VocabularyError(f"{service} takes no {key!r}")
        frames.append(frame)
    return frames


def check_data(service: str, data: dict[str, Any]) -> dict[str, Any]:
    """Typed, range-checked service data; raise ValueRejected or VocabularyError."""
    schema = SERVICES[service]
    unknown = [key for key in data if key not in schema]
    if unknown:
        raise VocabularyError(f"{service} takes no {', '.join(unknown)}")
    checked = {key: schema[key].check(key, value) for key, value in data.items()}
    missing = [key for key in REQUIRED.get(service, ()) if key not in checked]
    if missing:
        raise VocabularyError(f"{service} needs {', '.join(missing)}")
    return checked
