"""End to end on a real broker: a fleet machine's injected fault, the gateway's diagnosis, its automatic action.

The fleet publishes the injected fault's report on `nanoiot/<site>/diagnostic/<object_id>`;
the in-process gateway (real command and diagnostic models) answers on
`nanoiot/<site>/diagnosis/<object_id>`; the scenario runner checks the diagnosis, the
action seen on the machine's command topic, and the state the machine's firmware published.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest
from support import model_missing, needs

from firmware_sim.fleet import Fleet, load_fleet
from firmware_sim.scenario import Scenario, ScenarioRunner

pytestmark = needs(model_missing(diagnostic=True))

POLICY = Path(__file__).resolve().parent.parent / "deploy" / "policy.example.toml"

RUNNING = {"inject": {"machine.conveyor_b": {"set": {"state": "running"}}}, "expect": {"machine.conveyor_b": {"state": "running"}}}


def overheat(auto_action: str, state: str) -> dict[str, Any]:
    return {"inject": {"machine.conveyor_b": {"fault": "overtemperature", "severity": "critical"}},
            "diagnosis": {"machine.conveyor_b": {"fault": "overtemperature", "severity": "critical"}},
            "auto_action": auto_action, "expect": {"machine.conveyor_b": {"state": state, "fault": "overtemperature"}}}


def stack(broker: Any, tmp_path: Path, policy: Path | None) -> Iterator[tuple[Any, Any]]:
    """Plant fleet and gateway on the session broker, on a site of their own."""
    from nanoiot.gateway.config import load_config
    from nanoiot.gateway.service import Gateway

    tag = uuid.uuid4().hex[:8]
    spec = load_fleet(["plant"], site=f"dx{tag}", z2m_base=f"z2m_{tag}")
    registry = spec.write_registry(tmp_path / "registry.json")
    with Fleet(spec, broker.host, broker.port, fleet_id="e2e-diag", seed=7):
        overrides: dict[str, Any] = {
            "broker": broker.address, "registry": registry, "site": spec.site, "gateway_id": f"dx{tag}",
            "zigbee2mqtt_base": f"z2m_{tag}", "state_dir": tmp_path,
        }
        if policy is not None:
            overrides["policy_path"] = policy
        gateway = Gateway(load_config(None, overrides)).start()
        try:
            assert gateway.wait_ready(30), "the gateway did not connect"
            yield spec, gateway
        finally:
            gateway.stop(5)


@pytest.fixture
def default_stack(broker: Any, tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    yield from stack(broker, tmp_path, None)


@pytest.fixture
def policy_stack(broker: Any, tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    yield from stack(broker, tmp_path, POLICY)


def run(spec: Any, broker: Any, steps: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
    scenario = Scenario.model_validate({"name": "e2e-diag", "timeout_s": 8, "commands": steps})
    with ScenarioRunner(spec.registry(), broker.host, broker.port) as runner:
        report = runner.run(scenario)
        return report, runner.state("machine.conveyor_b")


def test_injected_overtemperature_is_diagnosed_critical_and_only_recommended_by_default(default_stack, broker) -> None:
    spec, gateway = default_stack
    report, state = run(spec, broker, [RUNNING, overheat("none", "running")])
    assert [(s.index, s.failures) for s in report.steps if not s.passed] == []
    diagnosis = report.steps[1].diagnoses["machine.conveyor_b"]
    assert diagnosis["device"] == "machine.conveyor_b" and diagnosis["automatic"] is False
    assert diagnosis["recommended_action"]["service"] == "machine.stop"
    assert report.steps[1].auto_actions == {"machine.conveyor_b": []}
    # the firmware's own state shows the fault's heat, and it still runs: nobody stopped it
    assert state["state"] == "running" and state["temperature_c"] >= 70
    assert gateway.stats["diagnoses"] >= 1


def test_policy_lets_the_gateway_stop_an_overheating_machine(policy_stack, broker) -> None:
    spec, _ = policy_stack
    report, state = run(spec, broker, [RUNNING, overheat("machine.stop", "stopped")])
    assert [(s.index, s.failures) for s in report.steps if not s.passed] == []
    diagnosis = report.steps[1].diagnoses["machine.conveyor_b"]
    assert diagnosis["automatic"] is True and diagnosis["recommended_action"]["service"] == "machine.stop"
    assert report.steps[1].auto_actions["machine.conveyor_b"] == ["machine.stop"]
    assert state["state"] == "stopped" and state["fault"] == "overtemperature"
