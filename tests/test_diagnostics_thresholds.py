"""Physical limits in code: levels, hits, readings taken from text, per-site overrides."""

from __future__ import annotations

import math

import pytest

from nanoiot.diagnostics.encoding import clean_text
from nanoiot.diagnostics.thresholds import Limits, LimitsError, kind_of, readings_for, readings_from_text
from nanoiot.registry import Device


def assess(kind: str, **readings: object):
    return Limits().assess(kind, readings)


@pytest.mark.parametrize(
    ("value", "level", "severity"),
    [(50.0, "ok", None), (75.0, "warning_high", "warning"), (92.0, "critical_high", "critical"), (-127.0, "invalid", "warning")],
)
def test_pump_temperature_levels_and_hits(value: float, level: str, severity: str | None) -> None:
    result = assess("pump", temperature_c=value)
    assert result.levels == {"temperature_c": level}
    if severity is None:
        assert result.hits == []
    else:
        assert result.worst is not None and result.worst.severity == severity
        assert result.worst.fault == ("sensor_failure" if level == "invalid" else "overtemperature")


def test_limits_depend_on_the_kind() -> None:
    # 14 A is critical for a conveyor, a warning for a pump, fine for a compressor
    assert assess("conveyor", current_a=14).levels["current_a"] == "critical_high"
    assert assess("pump", current_a=12).levels["current_a"] == "warning_high"
    assert assess("compressor", current_a=14).levels["current_a"] == "ok"


def test_worst_hit_first_and_leak_flag_is_critical() -> None:
    result = assess("sensor", battery_pct=15, water_leak=True)
    assert [h.fault for h in result.hits] == ["leak", "low_battery"]
    assert result.worst.severity == "critical"
    assert "water_leak=true" == result.worst.evidence


def test_nan_and_non_numbers_do_not_crash() -> None:
    result = assess("pump", temperature_c=math.nan, state="running", nested={"a": 1}, current_a=True)
    assert result.levels == {"temperature_c": "invalid"}
    assert result.worst.fault == "sensor_failure"


def test_aliases_are_canonical() -> None:
    result = assess("lock", battery=3)
    assert result.levels == {"battery_pct": "critical_low"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("OVERTEMP T=92.4°C limit=85C", {"temperature_c": 92.4}),
        ("E42 motor stall at 1200 rpm, current 14.2 A", {"rpm": 1200.0, "current_a": 14.2}),
        ("bearing temperature 92C rising, vibration 11 mm/s", {"temperature_c": 92.0, "vibration_mm_s": 11.0}),
        ("low battery 8%", {"battery_pct": 8.0}),
        ("DS18B20 read -127C", {"temperature_c": -127.0}),
        ("discharge 203 psi", {"pressure_bar": 14.0}),
        ("casing 194 °F", {"temperature_c": 90.0}),
        ("compressor 14 starts per hour", {"cycles_per_hour": 14.0}),
        ("door jammed", {}),
    ],
)
def test_readings_from_text(text: str, expected: dict[str, float]) -> None:
    found = readings_from_text(clean_text(text))
    assert found.keys() == expected.keys()
    for name, value in expected.items():
        assert found[name] == pytest.approx(value, abs=0.1)


def test_telemetry_overrides_text_readings() -> None:
    readings = readings_for(clean_text("bearing temperature 92C"), {"temperature": 60})
    assert readings == {"temperature_c": 60}


def test_kind_of_uses_kind_then_domain() -> None:
    assert kind_of(Device(id="machine.p1", name="p1", domain="machine", kind="pump")) == "pump"
    assert kind_of(Device(id="switch.k", name="k", domain="switch", kind="Smart Plug")) == "plug"  # unknown kind: domain
    assert kind_of(Device(id="climate.t", name="t", domain="climate", kind="thermostat")) == "climate"
    assert kind_of(None) == "generic"


def test_site_overrides_change_levels() -> None:
    limits = Limits({"pump": {"temperature_c": {"critical_high": 70}}})
    assert limits.assess("pump", {"temperature_c": 72}).levels["temperature_c"] == "critical_high"
    assert Limits().assess("pump", {"temperature_c": 72}).levels["temperature_c"] == "warning_high"


@pytest.mark.parametrize(
    "override",
    [{"pump": {"temperature_c": {"critical": 70}}}, {"pump": {"temperature_c": {"critical_high": "hot"}}},
     {"pump": {"temperature_c": {"fault_high": "melting"}}}],
)
def test_bad_overrides_are_rejected(override: dict) -> None:
    with pytest.raises(LimitsError):
        Limits(override)
