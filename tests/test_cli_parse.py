"""`nanoiot parse` as a user runs it: a subprocess, the shipped model, JSON out."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

TWO_ROOMS = {
    "devices": [
        {"id": "light.desk", "name": "desk lamp", "area": "office", "domain": "light"},
        {"id": "light.hall", "name": "hall light", "area": "hall", "domain": "light"},
    ]
}
REGISTRY = {
    "devices": [
        {"id": "light.desk", "name": "desk lamp", "area": "office", "domain": "light"},
        {"id": "vacuum.robot", "name": "robot vacuum", "area": "hall", "domain": "vacuum"},
    ]
}


def run(args, stdin=None):
    return subprocess.run([sys.executable, "-m", "nanoiot", "parse", *args], input=stdin, capture_output=True, text=True, timeout=120)


def run_bytes(args, stdin: bytes):
    return subprocess.run([sys.executable, "-m", "nanoiot", "parse", *args], input=stdin, capture_output=True, timeout=120)


def test_parse_one_sentence(tmp_path: Path):
    registry = tmp_path / "registry.json"
    registry.write_text(json.dumps(REGISTRY))
    proc = run(["--registry", str(registry), "switch off the desk lamp"])
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "ok"
    assert result["actions"] == [{"service": "light.turn_off", "targets": ["light.desk"], "data": {}}]
    assert result["error"] is None and result["model"]["name"] == "nanoiot-command"


def test_parse_jsonl_keeps_order_ignores_other_keys_and_answers_bad_lines(tmp_path: Path):
    registry = tmp_path / "registry.yaml"
    registry.write_text("devices:\n  - {id: light.desk, name: desk lamp, area: office, domain: light}\n"
                        "  - {id: vacuum.robot, name: robot vacuum, area: hall, domain: vacuum}\n")
    lines = [
        json.dumps({"text": "start the robot vacuum", "label": "x", "slurp_id": 1}),
        "this is not json",
        json.dumps({"nope": 1}),
        json.dumps({"text": "tell me a joke"}),
    ]
    proc = run(["--registry", str(registry), "--jsonl"], "\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["status"] for r in results] == ["ok", "error", "error", "not_understood"]
    assert results[0]["actions"][0]["service"] == "vacuum.start"
    assert results[1]["error"]["code"] == "bad_request"


@pytest.mark.parametrize("content, said", [
    (None, "cannot read registry"),
    ("{not json", "not valid JSON/YAML"),
    (json.dumps({"devices": [{"id": "no dot", "name": "x", "domain": "light"}]}), "devices.0.id"),
])
def test_a_bad_registry_is_one_line_and_exit_2(tmp_path: Path, content, said):
    registry = tmp_path / "registry.json"
    if content is not None:
        registry.write_text(content)
    proc = run(["--registry", str(registry), "turn on the desk lamp"])
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and said in proc.stderr and "Traceback" not in proc.stderr


def test_jsonl_answers_every_line_in_order_blank_and_invalid_utf8_included(tmp_path: Path):
    registry = tmp_path / "registry.json"
    registry.write_text(json.dumps(TWO_ROOMS))
    lines = [
        json.dumps({"text": "switch off the desk lamp"}).encode(),
        b"",
        b"   ",
        b"{\"text\": \"turn on the lights \xff\xfe\"}",  # not UTF-8
        json.dumps({"text": "turn on the lights", "site_wide": False}).encode(),  # two areas, from an unplaced source
        json.dumps({"text": "turn on the lights", "area": "office"}).encode(),
        json.dumps({"text": "turn on the lights"}).encode(),
    ]
    proc = run_bytes(["--registry", str(registry), "--jsonl"], b"\n".join(lines) + b"\n")
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(results) == len(lines)
    assert [r["status"] for r in results[:4]] == ["ok", "error", "error", "error"]
    assert [r["error"]["code"] for r in results[1:4]] == ["bad_request"] * 3
    assert "not JSON" in results[3]["error"]["message"]
    assert (results[4]["status"], results[4]["error"]["code"]) == ("rejected", "ambiguous_target")
    assert [t for a in results[5]["actions"] for t in a["targets"]] == ["light.desk"]
    assert sorted(t for a in results[6]["actions"] for t in a["targets"]) == ["light.desk", "light.hall"]


def test_area_and_site_wide_flags(tmp_path: Path):
    """The command line speaks for the whole site unless told where it is, or told to answer as an unplaced source."""
    registry = tmp_path / "registry.json"
    registry.write_text(json.dumps(TWO_ROOMS))
    unplaced = json.loads(run(["--registry", str(registry), "--no-site-wide", "turn on the lights"]).stdout)
    assert unplaced["error"]["code"] == "ambiguous_target"
    for flags in ([], ["--site-wide"]):
        result = json.loads(run(["--registry", str(registry), *flags, "turn on the lights"]).stdout)
        assert sorted(result["actions"][0]["targets"]) == ["light.desk", "light.hall"]
    result = json.loads(run(["--registry", str(registry), "--area", "hall", "turn on the lights"]).stdout)
    assert result["actions"][0]["targets"] == ["light.hall"]


def test_jsonl_lines_say_where_they_were_spoken(tmp_path: Path):
    """Per line: "area", or Home Assistant's test form "context": {"area": ...}; "site_wide" too."""
    registry = tmp_path / "registry.json"
    registry.write_text(json.dumps(TWO_ROOMS))
    lines = [{"text": "turn on the lights", "area": "hall"},
             {"text": "turn on the lights", "context": {"area": "office"}},
             {"text": "turn on the lights"},
             {"text": "turn on the lights", "site_wide": False}]
    out = run(["--registry", str(registry), "--jsonl"], "\n".join(json.dumps(line) for line in lines) + "\n")
    hall, office, everywhere, nowhere = [json.loads(line) for line in out.stdout.splitlines()]
    assert hall["actions"][0]["targets"] == ["light.hall"]
    assert office["actions"][0]["targets"] == ["light.desk"]
    assert sorted(everywhere["actions"][0]["targets"]) == ["light.desk", "light.hall"]
    assert nowhere["error"]["code"] == "ambiguous_target"
