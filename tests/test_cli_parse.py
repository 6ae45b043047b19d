"""`nanoiot parse` as a user runs it: a subprocess, the shipped model, JSON out."""

import json
import subprocess
import sys
from pathlib import Path

REGISTRY = {
    "devices": [
        {"id": "light.desk", "name": "desk lamp", "area": "office", "domain": "light"},
        {"id": "vacuum.robot", "name": "robot vacuum", "area": "hall", "domain": "vacuum"},
    ]
}


def run(args, stdin=None):
    return subprocess.run([sys.executable, "-m", "nanoiot", "parse", *args], input=stdin, capture_output=True, text=True, timeout=120)


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
    assert results[1]["error"]["code"] == "bad_input"
