"""Plainly physical telemetry limits per device kind, checked in code before the model.

A pump bearing at 92 C is critical whatever the model says, so readings are
compared with configured limits first: every reading gets a level (`ok`,
`warning_high`, `critical_low`, `invalid`, ...) that the model sees instead of
the raw number, and every reading past a limit becomes a `Hit` the service uses
as a floor under the model's diagnosis. Readings come from the report's
telemetry and from numbers with units in its text ("current 14.2 A").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from nanoiot.diagnostics.faults import FAULTS, SEVERITY_RANK
from nanoiot.registry import Device

Level = Literal[
    "ok", "zero", "low", "warning_low", "critical_low", "warning_high", "critical_high", "invalid", "true", "false"
]
INF = math.inf


@dataclass(frozen=True)
class Limit:
    """Limits of one reading. Outside `valid` the sensor itself is wrong (sensor_failure)."""

    valid_min: float = -INF
    valid_max: float = INF
    warning_high: float | None = None
    critical_high: float | None = None
    warning_low: float | None = None
    critical_low: float | None = None
    low: float | None = None  # below: level "low", a hint for the model, not a fault by itself
    zero: bool = False  # exactly 0: level "zero" (stopped, no flow), a hint for the model
    fault_high: str | None = None
    fault_low: str | None = None

    def level(self, value: float) -> str:
        if math.isnan(value) or not self.valid_min <= value <= self.valid_max:
            return "invalid"
        if self.critical_high is not None and value >= self.critical_high:
            return "critical_high"
        if self.critical_low is not None and value <= self.critical_low:
            return "critical_low"
        if self.warning_high is not None and value >= self.warning_high:
            return "warning_high"
        if self.warning_low is not None and value <= self.warning_low:
            return "warning_low"
        if self.zero and value == 0:
            return "zero"
        if self.low is not None and value < self.low:
            return "low"
        return "ok"


@dataclass(frozen=True)
class Hit:
    """One reading past a limit: the fault and severity it means on its own."""

    field: str
    value: float | bool
    level: str
    fault: str
    severity: str
    limit: float | None

    @property
    def evidence(self) -> str:
        if isinstance(self.value, bool):
            return f"{self.field}={str(self.value).lower()}"
        if self.level == "invalid":
            return f"{self.field}={self.value:g} (impossible reading)"
        side = "above" if self.level.endswith("high") else "below"
        return f"{self.field}={self.value:g} ({self.severity} {side} {self.limit:g})"


@dataclass(frozen=True)
class Assessment:
    """Levels of all known readings (for the model) and the hits among them, worst first."""

    levels: dict[str, str]
    hits: list[Hit]
    readings: dict[str, float | bool]
    indicates: dict[str, str] = field(default_factory=dict)  # field -> the fault its limits measure

    @property
    def worst(self) -> Hit | None:
        return self.hits[0] if self.hits else None


# ---- the default table ---------------------------------------------------------------------

_COMMON: dict[str, Limit] = {
    "battery_pct": Limit(0, 100, warning_low=20, critical_low=5, fault_low="low_battery"),
    "linkquality": Limit(0, 255, warning_low=10, fault_low="communication_loss"),
    "rssi_dbm": Limit(-130, 10, warning_low=-90, fault_low="communication_loss"),
    "last_seen_s": Limit(0, INF, warning_high=900, fault_high="communication_loss"),
    "temperature_c": Limit(-55, 300),
    "filter_dp_pa": Limit(0, 5000, warning_high=250, critical_high=400, fault_high="filter_clogged"),
}
_ROTATING: dict[str, Limit] = {
    # winding/bearing limits of a class B motor; vibration zones of ISO 10816-3 (group 2, rigid)
    "temperature_c": Limit(-40, 250, warning_high=70, critical_high=85, fault_high="overtemperature"),
    "vibration_mm_s": Limit(0, 100, warning_high=7.1, critical_high=11.2, fault_high="bearing_wear"),
    "rpm": Limit(0, 30000, zero=True),
}


def _current(warning: float, critical: float, low: float) -> Limit:
    return Limit(0, 500, warning_high=warning, critical_high=critical, low=low, zero=True, fault_high="overcurrent")


DEFAULT_LIMITS: dict[str, dict[str, Limit]] = {
    "generic": dict(_COMMON),
    "machine": {**_COMMON, **_ROTATING, "current_a": _current(12, 16, 1)},
    "pump": {
        **_COMMON,
        **_ROTATING,
        "current_a": _current(10, 13, 2.5),
        "pressure_bar": Limit(-1, 60, warning_high=8, critical_high=10, low=0.3, fault_high="blockage"),
        "flow_l_min": Limit(0, 100000, zero=True, low=5),
    },
    "conveyor": {**_COMMON, **_ROTATING, "current_a": _current(8, 11, 1)},
    "mixer": {**_COMMON, **_ROTATING, "current_a": _current(12, 15, 2)},
    "compressor": {
        **_COMMON,
        **_ROTATING,
        "current_a": _current(16, 20, 3),
        "pressure_bar": Limit(-1, 60, warning_high=10, critical_high=12, low=1, fault_high="blockage"),
        "cycles_per_hour": Limit(0, 3600, warning_high=6, critical_high=12, fault_high="short_cycling"),
    },
    "fan": {**_COMMON, **_ROTATING, "current_a": _current(2, 3, 0.1)},
    "plug": {
        **_COMMON,
        "current_a": _current(13, 16, 0.05),
        "temperature_c": Limit(-40, 200, warning_high=60, critical_high=75, fault_high="overtemperature"),
    },
    "light": {**_COMMON, "temperature_c": Limit(-40, 200, warning_high=70, critical_high=90, fault_high="overtemperature")},
    "climate": {
        **_COMMON,
        "temperature_c": Limit(-40, 100, warning_high=35, critical_high=45, fault_high="overtemperature"),
        "cycles_per_hour": Limit(0, 3600, warning_high=6, critical_high=12, fault_high="short_cycling"),
    },
    "valve": {**_COMMON, "flow_l_min": Limit(0, 100000, zero=True)},
    "vacuum": dict(_COMMON),
    "lock": dict(_COMMON),
    "cover": {**_COMMON, "current_a": _current(3, 5, 0.05)},
    "sensor": dict(_COMMON),
}
KIND_ALIASES: dict[str, str] = {
    "switch": "plug", "socket": "plug", "outlet": "plug", "relay": "plug",
    "thermostat": "climate", "hvac": "climate", "heat_pump": "climate", "boiler": "climate", "ac": "climate",
    "motor": "machine", "blower": "fan", "extractor": "fan", "door_lock": "lock", "blind": "cover",
    "shutter": "cover", "garage_door": "cover", "robot_vacuum": "vacuum", "water_sensor": "sensor",
    "leak_sensor": "sensor", "temperature_sensor": "sensor",
}
FIELD_ALIASES: dict[str, str] = {
    "battery": "battery_pct", "temperature": "temperature_c", "temp_c": "temperature_c", "temp": "temperature_c",
    "current": "current_a", "vibration": "vibration_mm_s", "pressure": "pressure_bar", "flow": "flow_l_min",
    "leak": "water_leak", "speed_rpm": "rpm", "link_quality": "linkquality", "lqi": "linkquality",
    "rssi": "rssi_dbm", "starts_per_hour": "cycles_per_hour", "filter_pressure_drop_pa": "filter_dp_pa",
}
BOOL_FAULTS: dict[str, tuple[str, str]] = {"water_leak": ("leak", "critical")}
READING_FIELDS = frozenset({name for limits in DEFAULT_LIMITS.values() for name in limits})  # numbers
LOW_FIELDS = frozenset({"battery_pct", "linkquality", "rssi_dbm"})  # the lowest of several readings counts
MAX_LEVEL_FIELDS = 10


def canonical_field(name: str) -> str:
    name = name.strip().lower()
    return FIELD_ALIASES.get(name, name)


def canonical_kind(kind: str) -> str | None:
    """A kind of the limits table (aliases resolved), or None when the table has no such kind."""
    kind = kind.strip().lower().replace(" ", "_")
    kind = KIND_ALIASES.get(kind, kind)
    return kind if kind in DEFAULT_LIMITS else None


def bad_reading(telemetry: dict[str, Any]) -> str | None:
    """The first telemetry field we read whose value cannot be read, as sent; None when all can.

    A known reading that is not a number (`{"temperature_c": "hot"}`; `water_leak`
    must be a boolean) is an error rather than silently skipped: skipping it could
    turn a real alarm into `none`. Fields we do not read, and null readings, pass.
    """
    for raw_name, value in telemetry.items():
        name = canonical_field(str(raw_name))
        if value is None:
            continue
        if name in BOOL_FAULTS:
            if not isinstance(value, bool):
                return str(raw_name)
        elif name in READING_FIELDS and (isinstance(value, bool) or not isinstance(value, (int, float))):
            return str(raw_name)
    return None


def kind_of(device: Device | None, kind: str | None = None) -> str:
    """The limits table a device uses: its registry `kind`, else its domain."""
    for candidate in (kind, device.kind if device else None, device.domain if device else None):
        known = canonical_kind(candidate) if candidate else None
        if known:
            return known
    return "generic"


class LimitsError(ValueError):
    """A configured limit override is not a valid limit."""


class Limits:
    """The default table with per-site overrides: {kind: {field: {warning_high: 60, ...}}}."""

    def __init__(self, overrides: dict[str, dict[str, dict[str, Any]]] | None = None) -> None:
        self.table: dict[str, dict[str, Limit]] = {kind: dict(limits) for kind, limits in DEFAULT_LIMITS.items()}
        names = {f.name for f in fields(Limit)}
        for kind, per_field in (overrides or {}).items():
            kind = KIND_ALIASES.get(kind, kind)
            base = self.table.setdefault(kind, dict(_COMMON))
            for field_name, values in per_field.items():
                field_name = canonical_field(field_name)
                unknown = set(values) - names
                if unknown:
                    raise LimitsError(f"limits.{kind}.{field_name}: unknown keys {sorted(unknown)}")
                for key, value in values.items():
                    _check_override(f"limits.{kind}.{field_name}.{key}", key, value)
                try:
                    base[field_name] = replace(base.get(field_name, Limit()), **values)
                except TypeError as exc:
                    raise LimitsError(f"limits.{kind}.{field_name}: {exc}") from exc

    def for_kind(self, kind: str) -> dict[str, Limit]:
        return self.table.get(kind, self.table["generic"])

    def assess(self, kind: str, readings: dict[str, Any]) -> Assessment:
        """Levels and hits for one device's readings; unknown fields and non-numbers are skipped."""
        limits = self.for_kind(kind)
        levels: dict[str, str] = {}
        hits: list[Hit] = []
        kept: dict[str, float | bool] = {}
        indicates: dict[str, str] = {}
        for raw_name, value in readings.items():
            name = canonical_field(str(raw_name))
            if name in BOOL_FAULTS and isinstance(value, bool):
                kept[name] = value
                indicates[name] = BOOL_FAULTS[name][0]
                levels[name] = "true" if value else "false"
                if value:
                    fault, severity = BOOL_FAULTS[name]
                    hits.append(Hit(name, value, "true", fault, severity, None))
                continue
            limit = limits.get(name)
            if limit is None or isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            value = float(value)
            kept[name] = value
            if limit.fault_high or limit.fault_low:
                indicates[name] = limit.fault_high or limit.fault_low  # type: ignore[assignment]
            level = limit.level(value)
            levels[name] = level
            hit = _hit(name, value, level, limit)
            if hit:
                hits.append(hit)
        hits.sort(key=lambda h: -SEVERITY_RANK[h.severity])
        if len(levels) > MAX_LEVEL_FIELDS:  # keep the model input short: the interesting ones first
            ordered = sorted(levels, key=lambda f: levels[f] in ("ok", "false"))
            levels = {f: levels[f] for f in ordered[:MAX_LEVEL_FIELDS]}
        return Assessment(levels=dict(sorted(levels.items())), hits=hits, readings=kept, indicates=indicates)


def _check_override(where: str, key: str, value: Any) -> None:
    if key in ("fault_high", "fault_low"):
        if value not in FAULTS:
            raise LimitsError(f"{where}: {value!r} is not a fault")
    elif key == "zero":
        if not isinstance(value, bool):
            raise LimitsError(f"{where}: must be true or false")
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LimitsError(f"{where}: must be a number")


def _hit(name: str, value: float, level: str, limit: Limit) -> Hit | None:
    if level == "invalid":
        return Hit(name, value, level, "sensor_failure", "warning", None)
    if level in ("warning_high", "critical_high") and limit.fault_high:
        bound = limit.critical_high if level == "critical_high" else limit.warning_high
        return Hit(name, value, level, limit.fault_high, level.split("_")[0], bound)
    if level in ("warning_low", "critical_low") and limit.fault_low:
        bound = limit.critical_low if level == "critical_low" else limit.warning_low
        return Hit(name, value, level, limit.fault_low, level.split("_")[0], bound)
    return None


# ---- readings written in the text -----------------------------------------------------------

_NUM = r"(?<![\w.])(-?\d+(?:\.\d+)?)"
_SKIP_BEFORE = re.compile(
    r"\b(?:limit|max|maximum|min|minimum|threshold|setpoint|set point|target|rated|nominal|expected|trip at|"
    r"trips at|from)\s*$"
)
_SKIP_AFTER = re.compile(r"\s(?:fuse|breaker|rating|rated|motor|supply)\b")
_UNIT_PATTERNS: list[tuple[str, re.Pattern[str], float, float]] = [
    # field, pattern (group 1 = number), scale, offset (value = number * scale + offset)
    ("temperature_c", re.compile(_NUM + r"\s?(?:c|degc|deg c|degrees c|degrees celsius|celsius|degrees)\b"), 1.0, 0.0),
    ("temperature_c", re.compile(_NUM + r"\s?(?:f|degf|deg f|degrees f|fahrenheit)\b"), 5 / 9, -32 * 5 / 9),
    ("current_a", re.compile(_NUM + r"\s?(?:a|amps?|amperes?)\b(?! (?:day|week|month|year|minute))"), 1.0, 0.0),
    ("current_a", re.compile(_NUM + r"\s?ma\b"), 0.001, 0.0),
    ("vibration_mm_s", re.compile(_NUM + r"\s?mm\s?(?:s|sec)\b"), 1.0, 0.0),
    ("pressure_bar", re.compile(_NUM + r"\s?bar\b"), 1.0, 0.0),
    ("pressure_bar", re.compile(_NUM + r"\s?psi\b"), 0.0689476, 0.0),
    ("rpm", re.compile(_NUM + r"\s?rpm\b"), 1.0, 0.0),
    ("flow_l_min", re.compile(_NUM + r"\s?(?:l min|lpm|litres per minute|liters per minute)\b"), 1.0, 0.0),
    ("flow_l_min", re.compile(_NUM + r"\s?m3 h\b"), 1000 / 60, 0.0),
    ("cycles_per_hour", re.compile(_NUM + r"\s?(?:starts|cycles|start ups)\s(?:(?:per|an|a|in the last|in 1)\s)?(?:hour|h)\b"), 1.0, 0.0),
    ("filter_dp_pa", re.compile(_NUM + r"\s?pa\b"), 1.0, 0.0),
    ("battery_pct", re.compile(r"\bbatt\w*(?:\s[a-z]+){0,3}?\s" + _NUM + r"\s?percent\b"), 1.0, 0.0),
    ("battery_pct", re.compile(_NUM + r"\s?percent\s(?:battery|batt|charge)\b"), 1.0, 0.0),
    ("linkquality", re.compile(r"\b(?:lqi|linkquality|link quality)\s" + _NUM + r"\b"), 1.0, 0.0),
]


def readings_from_text(text: str) -> dict[str, float]:
    """Numbers with physical units in cleaned text, as readings (conservative: the worst one counts).

    Numbers right after "limit", "setpoint", "rated", "from"... or right before
    "fuse", "breaker", "limit"... are limits or history, not readings, and are skipped.
    """
    found: dict[str, list[float]] = {}
    for name, pattern, scale, offset in _UNIT_PATTERNS:
        for match in pattern.finditer(text):
            if _SKIP_BEFORE.search(text[: match.start(1)]) or _SKIP_AFTER.match(text, match.end()):
                continue
            found.setdefault(name, []).append(round(float(match.group(1)) * scale + offset, 2))
    return {name: (min(values) if name in LOW_FIELDS else max(values)) for name, values in found.items()}


def readings_for(cleaned_text: str, telemetry: dict[str, Any]) -> dict[str, Any]:
    """All readings of a report: numbers in its text, overridden by its telemetry (canonical names)."""
    readings: dict[str, Any] = dict(readings_from_text(cleaned_text)) if cleaned_text else {}
    for name, value in telemetry.items():
        readings[canonical_field(str(name))] = value
    return readings
