"""End to end on a real broker: the simulated fleet, the gateway with the real model, a scenario.

Asserts the devices' published states (what the firmware did), not just that
messages went out.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest
from support import model_missing, needs

from firmware_sim.fleet import Fleet, load_fleet
from firmware_sim.scenario import Scenario, ScenarioRunner

pytestmark = needs(model_missing())

# Plain commands from panels in different rooms, one or more per device kind, plus what must not happen.
STEPS: list[dict[str, Any]] = [
    {"from": "kitchen_panel", "say": "switch on the kitchen light", "expect": {"light.kitchen_ceiling": {"state": "ON"}}},
    {"from": "living_room_speaker", "say": "set the floor lamp to 30 percent",
     "expect": {"light.living_room_floor_lamp": {"state": "ON", "brightness": {"near": 76, "tol": 1}}}},
    {"from": "hallway_panel", "say": "unlock the front door", "expect": {"lock.front_door": {"state": "UNLOCKED"}}},
    {"say": "open the garage door", "expect": {"cover.garage_door": {"state": "open", "position": 100}}},
    {"say": "set the living room thermostat to 22 degrees",
     "expect": {"climate.living_room_thermostat": {"current_heating_setpoint": 22}}},
    {"say": "turn on the coffee maker", "expect": {"switch.coffee_maker": {"state": "ON"}}},
    {"say": "turn on the ceiling fan in the bedroom", "expect": {"fan.bedroom_ceiling_fan": {"state": "ON"}}},
    {"say": "start the robot vacuum", "expect": {"vacuum.robot_vacuum": {"state": "cleaning"}}},
    {"from": "plc_terminal_line1", "say": "start conveyor b", "expect": {"machine.conveyor_b": {"state": "running"}}},
    {"from": "plc_terminal_line1", "say": "set conveyor b to 40 percent",
     "expect": {"machine.conveyor_b": {"state": "running", "speed_pct": 40}}},
    {"from": "pump_house_panel", "say": "open the main valve", "expect": {"valve.main_valve": {"state": "open", "position": 100}}},
    {"inject": {"machine.pump_3": {"fault": "overcurrent"}}, "expect": {"machine.pump_3": {"state": "fault"}}},
    {"from": "pump_house_panel", "say": "reset the fault on pump 3",
     "expect": {"machine.pump_3": {"state": "stopped", "fault": None}}},
    {"say": "set the kitchen light to 150 percent", "status": "rejected", "expect": {"light.kitchen_ceiling": {"state": "ON"}}},
    {"say": "what is the meaning of life", "status": "not_understood"},
]


@pytest.fixture
def stack(broker: Any, tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    """Fleet and gateway on the session broker, on a site and Zigbee2MQTT base of their own."""
    from nanoiot.gateway.config import load_config
    from nanoiot.gateway.service import Gateway

    tag = uuid.uuid4().hex[:8]
    spec = load_fleet(["home", "plant"], site=f"e2e{tag}", z2m_base=f"z2m_{tag}")
    registry = spec.write_registry(tmp_path / "registry.json")
    with Fleet(spec, broker.host, broker.port, fleet_id="e2e"):
        config = load_config(None, {
            "broker": broker.address, "registry": registry, "site": spec.site, "gateway_id": f"e2e{tag}",
            "zigbee2mqtt_base": f"z2m_{tag}", "state_dir": tmp_path, "sources": {s.id: s.area for s in spec.sources if s.area},
            "confirm": {"rules": []},  # the scenario has nobody to say "yes" (confirmation: tests/test_gateway_security.py)
        })
        gateway = Gateway(config).start()
        try:
            assert gateway.wait_ready(30), "the gateway did not connect"
            yield spec, gateway
        finally:
            gateway.stop(5)


def test_fleet_gateway_and_scenario_end_to_end(stack: tuple[Any, Any], broker: Any) -> None:
    spec, gateway = stack
    scenario = Scenario.model_validate({"name": "e2e", "source": "phone_app", "timeout_s": 6, "commands": STEPS})
    with ScenarioRunner(spec.registry(), broker.host, broker.port) as runner:
        report = runner.run(scenario)
        failures = [(s.index, s.text, s.failures) for s in report.steps if not s.passed]
        assert failures == []
        # The devices' own published state, read back independently of the step reports:
        assert runner.state("light.living_room_floor_lamp")["brightness"] == 76
        assert runner.state("lock.front_door")["state"] == "UNLOCKED"
        assert runner.state("cover.garage_door") == {"state": "open", "position": 100}
        assert runner.state("machine.conveyor_b")["speed_pct"] == 40 and runner.state("machine.conveyor_b")["current_a"] > 0
        assert runner.state("light.kitchen_ceiling")["brightness"] == 254, "the rejected 150 % never reached the bulb"
    summary = report.summary
    assert summary.commands == 14 and summary.passed == 14 and summary.understood == 12
    assert summary.latency_p50_ms is not None and summary.latency_p99_ms is not None
    assert all(s.gateway_ms is not None for s in report.steps if s.kind == "say")
    assert gateway.stats["handled"] >= 14


def test_the_gateway_translation_reaches_firmware_that_refuses_it(stack: tuple[Any, Any], broker: Any) -> None:
    """Valid for the vocabulary, out of range for this drive: the gateway sends it, the firmware refuses."""
    spec, _ = stack
    scenario = Scenario.model_validate({"name": "e2e-refusal", "source": "plc_terminal_line1", "timeout_s": 5, "commands": [
        {"say": "start conveyor a", "expect": {"machine.conveyor_a": {"state": "running", "speed_pct": 60}}},
        {"say": "set conveyor a to 5 percent", "errors": ["machine.conveyor_a"],
         "expect": {"machine.conveyor_a": {"state": "running", "speed_pct": 60}}},
    ]})
    with ScenarioRunner(spec.registry(), broker.host, broker.port) as runner:
        report = runner.run(scenario)
    assert [s.failures for s in report.steps] == [[], []]
    refusal = report.steps[1].device_errors[0]
    assert refusal.device == "machine.conveyor_a" and refusal.code == "out_of_range" and refusal.command_id
