"""The scenario runner against a real fleet on a real broker, with scripted gateway answers.

The gateway's part is played by `ScriptedAnswers`: for each sentence it publishes
fixed device payloads and a fixed result, so these tests check the runner's
judgement (states, refusals, statuses, latency, abort) without depending on the
model. The end-to-end test (tests/test_e2e_demo.py) runs the real gateway and model.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any, Iterator

import paho.mqtt.client as mqtt
import pytest

from firmware_sim import topics
from firmware_sim.connection import Connection
from firmware_sim.expect import state_matches, value_matches
from firmware_sim.fleet import Fleet, FleetSpec, load_fleet
from firmware_sim.report import row, summary_text
from firmware_sim.scenario import Scenario, ScenarioRunner, load_scenario
from nanoiot.contract import percentile

MODEL = {"name": "scripted", "version": "0"}
ROOT = Path(__file__).resolve().parents[1]


class ScriptedAnswers:
    """Answers commands from a script: sentence -> (status, actions, [(device id, payload)])."""

    def __init__(self, broker: Any, spec: FleetSpec, script: dict[str, tuple[str, list[dict], list[tuple[str, dict]]]]) -> None:
        self.spec, self.script = spec, script
        self.registry = spec.registry()
        self.connection = Connection("scripted", broker.host, broker.port, self._on_message,
                                     topics=[topics.source_command_topic(spec.site, "+")])
        self.connection.connect()

    def _on_message(self, message: mqtt.MQTTMessage) -> None:
        request = json.loads(message.payload)
        source = message.topic.rsplit("/", 1)[1]
        if request["text"] not in self.script:
            return  # a gateway that is down: no answer
        status, actions, payloads = self.script[request["text"]]
        for device_id, payload in payloads:
            device = self.registry.get(device_id)
            assert device is not None
            self.connection.publish(topics.command_topic(device, self.spec.site), json.dumps(payload))
        result = {"id": request["id"], "source": source, "status": status, "actions": actions, "model": MODEL,
                  "latency_ms": 1.0, "error": None if status == "ok" else {"code": "scripted", "message": status}}
        self.connection.publish(topics.source_result_topic(self.spec.site, source), json.dumps(result))

    def close(self) -> None:
        self.connection.close()


def light_on(pct: int) -> tuple[str, list[dict], list[tuple[str, dict]]]:
    return ("ok", [{"service": "light.turn_on", "targets": ["light.kitchen_ceiling"], "data": {"brightness_pct": pct}}],
            [("light.kitchen_ceiling", {"state": "ON", "brightness": round(pct * 254 / 100)})])


SCRIPT: dict[str, tuple[str, list[dict], list[tuple[str, dict]]]] = {
    "kitchen light to 30": light_on(30),
    "kitchen light to 20": light_on(20),
    "kitchen light to 999": ("ok", [{"service": "light.turn_on", "targets": ["light.kitchen_ceiling"], "data": {}}],
                             [("light.kitchen_ceiling", {"state": "ON", "brightness": 999})]),
    "open the blinds": ("ok", [{"service": "cover.open_cover", "targets": ["cover.living_room_blinds"], "data": {}}],
                        [("cover.living_room_blinds", {"state": "OPEN"})]),
    "reset pump 3": ("ok", [{"service": "machine.reset_fault", "targets": ["machine.pump_3"], "data": {}}],
                     [("machine.pump_3", {"id": "x", "service": "machine.reset_fault", "targets": ["machine.pump_3"], "data": {}})]),
    "is the front door locked": ("ok", [{"service": "query.get_state", "targets": ["lock.front_door"], "data": {}}], []),
    "kitchen light to 150": ("rejected", [], []),
    "tell me a joke": ("not_understood", [], []),
}


@pytest.fixture
def setup(broker: Any) -> Iterator[tuple[FleetSpec, Any]]:
    tag = uuid.uuid4().hex[:8]
    spec = load_fleet(["home", "plant"], site=f"s{tag}", z2m_base=f"z{tag}")
    with Fleet(spec, broker.host, broker.port, tick_s=0.02):
        scripted = ScriptedAnswers(broker, spec, SCRIPT)
        try:
            yield spec, broker
        finally:
            scripted.close()


def scenario(*steps: dict, timeout_s: float = 2.0) -> Scenario:
    return Scenario.model_validate({"name": "t", "timeout_s": timeout_s, "source": "kitchen_panel", "commands": list(steps)})


def run(setup: tuple[FleetSpec, Any], sc: Scenario, **kwargs: Any):  # type: ignore[no-untyped-def]
    spec, broker = setup
    with ScenarioRunner(spec.registry(), broker.host, broker.port) as runner:
        return runner.run(sc, **kwargs)


def test_expected_states_refusals_statuses_and_injections(setup: tuple[FleetSpec, Any]) -> None:
    report = run(setup, scenario(
        {"say": "kitchen light to 30", "expect": {"light.kitchen_ceiling": {"state": "ON", "brightness": {"near": 76, "tol": 1}}}},
        {"say": "kitchen light to 999", "errors": ["light.kitchen_ceiling"], "expect": {"light.kitchen_ceiling": {"brightness": 76}}},
        {"say": "kitchen light to 150", "status": "rejected", "expect": {"light.kitchen_ceiling": {"brightness": 76}}},
        {"say": "tell me a joke", "status": "not_understood"},
        {"say": "is the front door locked", "actions": [{"service": "query.get_state", "targets": ["lock.front_door"]}],
         "expect": {"lock.front_door": {"state": "LOCKED"}}},
        {"inject": {"machine.pump_3": {"fault": "overcurrent"}}, "expect": {"machine.pump_3": {"state": "fault"}}},
        {"say": "reset pump 3", "expect": {"machine.pump_3": {"state": "stopped", "fault": None}}},
    ))
    failures = [(s.index, s.failures) for s in report.steps if not s.passed]
    assert failures == []
    first = report.steps[0]
    assert first.status == "ok" and first.latency_ms is not None and first.answer_ms is not None
    assert first.states["light.kitchen_ceiling"]["brightness"] == 76
    assert report.steps[1].device_errors[0].code == "out_of_range"
    summary = report.summary
    assert (summary.commands, summary.understood, summary.status_as_expected, summary.passed) == (6, 4, 6, 6)
    assert summary.latency_p50_ms is not None and summary.aborted is None
    assert "reset pump 3" in row(report.steps[-1]) and "6/6" in summary_text(summary)


def test_a_wrong_state_or_an_unexpected_refusal_fails_the_step(setup: tuple[FleetSpec, Any]) -> None:
    report = run(setup, scenario(
        {"say": "kitchen light to 20", "expect": {"light.kitchen_ceiling": {"state": "ON", "brightness": 76}}},
        {"say": "kitchen light to 999"},
        {"say": "kitchen light to 150", "note": "expected ok, answered rejected"},
        {"say": "is the front door locked", "expect": {"light.kitchen_ceiling": {"brightness": 51}}},
        timeout_s=1.0,
    ))
    wrong, refused, rejected, unaddressed = report.steps
    assert unaddressed.states_ok and not unaddressed.actions_ok, "right state by coincidence is not a pass"
    assert unaddressed.failures == ["the answer does not address light.kitchen_ceiling"]
    assert not wrong.passed and any("brightness: wanted 76, got 51" in f for f in wrong.failures)
    assert wrong.latency_ms is None
    assert not refused.passed and any("refused" in f for f in refused.failures)
    assert not rejected.passed and not rejected.status_ok
    assert report.summary.passed == 0 and report.summary.devices_ok == 0
    assert "FAIL" in row(wrong) and "↳" in row(wrong)


def test_cover_steps_wait_for_motion_to_end(setup: tuple[FleetSpec, Any]) -> None:
    report = run(setup, scenario(
        {"say": "open the blinds", "expect": {"cover.living_room_blinds": {"state": "open", "position": 100}}},
        timeout_s=5.0,
    ))
    step = report.steps[0]
    assert step.passed, step.failures
    assert step.states["cover.living_room_blinds"] == {"state": "open", "position": 100}
    assert step.latency_ms is not None and step.settle_ms is not None
    assert step.settle_ms > step.latency_ms + 1000  # 2 s full travel in home.yaml


def test_reset_restores_initial_states_and_limit_counts_commands(setup: tuple[FleetSpec, Any]) -> None:
    sc = scenario(
        {"say": "kitchen light to 30", "expect": {"light.kitchen_ceiling": {"brightness": 76}}},
        {"inject": {"machine.pump_3": {"fault": "overheat"}}, "expect": {"machine.pump_3": {"state": "fault"}}},
        {"say": "kitchen light to 20", "expect": {"light.kitchen_ceiling": {"brightness": 51}}},
    )
    assert len(run(setup, sc, limit=1).steps) == 2  # the command, then the injection before the next command
    spec, broker = setup
    with ScenarioRunner(spec.registry(), broker.host, broker.port) as runner:
        assert runner.wait_for_states({"machine.pump_3"}) == []
        assert runner.state("machine.pump_3")["state"] == "fault"
        assert runner.reset_fleets() == 1
        runner.wait_for_states({"machine.pump_3"})
        report = runner.run(scenario({"say": "tell me a joke", "status": "not_understood",
                                      "expect": {"machine.pump_3": {"state": "stopped"}, "light.kitchen_ceiling": {"state": "OFF"}}}))
    assert report.steps[0].passed, report.steps[0].failures


def test_a_silent_gateway_aborts_the_run(setup: tuple[FleetSpec, Any]) -> None:
    report = run(setup, scenario(*[{"say": f"nobody hears {i}"} for i in range(5)], timeout_s=0.3))
    assert len(report.steps) == 3 and report.summary.aborted and report.summary.answered == 0
    assert all(s.failures == ["no answer from the gateway"] for s in report.steps)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "firmware_sim", "--log-level", "warning", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_scenario_cli_prints_the_table_and_exits_nonzero_on_failures(setup: tuple[FleetSpec, Any], tmp_path: Path) -> None:
    spec, broker = setup
    registry = spec.write_registry(tmp_path / "registry.json")
    good = tmp_path / "good.yaml"
    good.write_text('name: good\nsource: kitchen_panel\ntimeout_s: 2\ncommands:\n'
                    '  - {say: "kitchen light to 30", expect: {light.kitchen_ceiling: {state: ON, brightness: 76}}}\n')
    done = cli("scenario", str(good), "--broker", broker.address, "--registry", str(registry), "--json", str(tmp_path / "r.json"))
    assert done.returncode == 0, done.stderr
    assert '"kitchen light to 30"' in done.stdout and "light.turn_on kitchen_ceiling brightness_pct=30" in done.stdout
    assert "commands fully as expected:     1/1" in done.stdout
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["passed"] == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text().replace("brightness: 76", "brightness: 77"))
    done = cli("scenario", str(bad), "--broker", broker.address, "--registry", str(registry))
    assert done.returncode == 1 and "wanted 77, got 76" in done.stdout
    done = cli("scenario", str(tmp_path / "missing.yaml"), "--broker", broker.address)
    assert done.returncode == 2 and "no scenario" in done.stderr


def test_shipped_demo_scenario_covers_every_device_kind() -> None:
    demo = load_scenario("demo")
    said = [s for s in demo.commands if s.say]
    assert len(said) >= 100
    assert len({s.say for s in said}) >= 95, "commands are varied, not repeated"
    spec = load_fleet(["home", "plant"], site="demo")
    demo.check_devices(spec.registry())
    expected_domains = {d.split(".")[0] for s in demo.commands for d in s.expect}
    queried = {t.split(".")[0] for s in demo.commands for a in s.actions or [] for t in a.targets or []}
    assert expected_domains >= {"light", "switch", "climate", "lock", "cover", "fan", "vacuum", "valve", "machine"}
    assert {"lock"} <= queried
    assert {s.status for s in said} == {"ok", "rejected", "not_understood"}
    assert any(s.errors for s in said) and any(s.inject for s in demo.commands)


def test_expectation_matching() -> None:
    assert value_matches({"near": 76, "tol": 1}, 77) and not value_matches({"near": 76, "tol": 1}, 78)
    assert value_matches({"one_of": ["returning", "docked"]}, "docked")
    assert value_matches(21, 21.0) and not value_matches(True, 1) and not value_matches("ON", "on")
    assert state_matches({"color": {"hex": "#ff0000"}}, {"state": "ON", "color": {"hex": "#ff0000"}})
    assert not state_matches({"fault": None}, {"state": "stopped"})
    assert percentile([5, 1, 3, 2, 4], 50) == 3 and percentile([1.0] * 99 + [100.0], 99) == 1.0
    assert percentile(list(range(1, 101)), 99) == 99 and percentile([], 50) is None


def test_diagnosis_and_auto_action_belong_to_inject_steps() -> None:
    from firmware_sim.scenario import Step

    ok = Step.model_validate({"inject": {"machine.conveyor_b": {"fault": "overtemperature", "severity": "critical"}},
                              "diagnosis": {"machine.conveyor_b": {"fault": "overtemperature", "severity": "critical"}},
                              "auto_action": "machine.stop"})
    assert "machine.conveyor_b" in ok.devices and ok.diagnosis["machine.conveyor_b"].severity == "critical"
    for bad in ({"say": "start conveyor b", "diagnosis": {"machine.conveyor_b": {"fault": "overtemperature"}}},
                {"inject": {"machine.conveyor_b": {"fault": "overtemperature"}}, "auto_action": "machine.stop"},
                {"inject": {"machine.conveyor_b": {"fault": "x"}}, "diagnosis": {"machine.conveyor_b": {"severity": "fatal"}}}):
        with pytest.raises(ValueError):
            Step.model_validate(bad)
