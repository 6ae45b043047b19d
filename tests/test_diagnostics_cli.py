"""`nanoiot diagnose` as a user runs it: a subprocess, the shipped model, JSON out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nanoiot", "diagnose", *args], capture_output=True, text=True, timeout=120)


def test_diagnose_text_with_kind() -> None:
    proc = run("bearing temperature 92C rising", "--kind", "pump")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["fault"] == "overtemperature" and out["severity"] == "critical"
    assert out["recommended_action"] == {"service": "machine.stop", "targets": ["machine.pump"], "data": {}}
    assert out["model"]["name"] == "nanoiot-diagnostic"


def test_diagnose_telemetry_only_with_registry_device(tmp_path: Path) -> None:
    registry = tmp_path / "r.json"
    registry.write_text(json.dumps({"site": "t", "devices": [
        {"id": "vacuum.robbie", "name": "robbie", "domain": "vacuum", "kind": "robot_vacuum"}]}))
    proc = run("--telemetry", '{"battery": 4}', "--device", "vacuum.robbie", "--registry", str(registry))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["device"], out["fault"], out["severity"]) == ("vacuum.robbie", "low_battery", "critical")
    assert out["recommended_action"]["service"] == "vacuum.return_to_base"
    assert any(e.startswith("battery_pct=4") for e in out["evidence"])


@pytest.mark.parametrize(
    ("args", "error_code"),
    [
        ((), "empty_report"),  # answered like the gateway answers a bad report
        (("x", "--telemetry", "{nope"), None),
        (("x", "--device", "vacuum.robbie"), None),
        (("x", "--policy", "/nonexistent/policy.toml"), None),
        (("motor hot", "--kind", "spaceship"), None),
        (("--telemetry", '{"temperature_c": "hot"}', "--kind", "pump"), "bad_telemetry"),
    ],
)
def test_bad_input_exits_2(args: tuple[str, ...], error_code: str | None) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    if error_code:
        out = json.loads(proc.stdout)
        assert out["status"] == "error" and out["error"]["code"] == error_code
        assert len(proc.stdout.strip().splitlines()) == 1
    else:
        assert proc.stdout == "" and "nanoiot diagnose:" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_unknown_kind_names_the_known_kinds() -> None:
    proc = run("motor hot", "--kind", "spaceship")
    assert proc.returncode == 2 and "spaceship" in proc.stderr and "pump" in proc.stderr and "conveyor" in proc.stderr


def test_kind_alias_gets_its_kinds_device() -> None:
    proc = run("compressor short cycling, 14 starts per hour", "--kind", "heat_pump")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["recommended_action"]["targets"] == ["climate.climate"]


def test_gibberish_is_unknown_with_low_confidence() -> None:
    proc = run("asdf qwerty zxcv")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["fault"], out["confidence"], out["recommended_action"]) == ("unknown", 0.0, None)
