"""The fleet runner on a real Mosquitto broker: dispatch, firmware refusals, availability, Last Will, scale."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import paho.mqtt.client as mqtt
import pytest

from firmware_sim import topics
from firmware_sim.connection import Connection
from firmware_sim.fleet import Fleet, load_fleet
from firmware_sim.messages import ControlRequest
from nanoiot.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]


class Probe:
    """A test client that records every message and lets a test wait for one (no sleeps)."""

    def __init__(self, broker: Any, subscriptions: list[str]) -> None:
        self.messages: list[tuple[str, Any, bool]] = []
        self._cond = threading.Condition()
        self.connection = Connection("probe", broker.host, broker.port, self._on_message, topics=subscriptions)
        self.connection.connect()

    def _on_message(self, message: mqtt.MQTTMessage) -> None:
        try:
            payload = json.loads(message.payload) if message.payload else None
        except ValueError:
            payload = message.payload
        with self._cond:
            self.messages.append((message.topic, payload, bool(message.retain)))
            self._cond.notify_all()

    def wait(self, topic: str, predicate: Callable[[Any], bool] = lambda p: True, timeout: float = 5.0, after: int = 0,
             live: bool = False) -> Any:
        """The first message on `topic` (from index `after` on) whose payload satisfies predicate.

        `live` skips retained copies: only a message published while we listen counts.
        """
        def find() -> Any:
            return next((p for t, p, r in self.messages[after:] if t == topic and predicate(p) and not (live and r)), None)

        with self._cond:
            assert self._cond.wait_for(lambda: find() is not None, timeout), f"nothing matching on {topic}: {self.on(topic)}"
            return find()

    def on(self, topic: str, after: int = 0) -> list[Any]:
        with self._cond:
            return [p for t, p, _ in self.messages[after:] if t == topic]

    def mark(self) -> int:
        with self._cond:
            return len(self.messages)

    def send(self, topic: str, payload: Any) -> None:
        raw = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        self.connection.publish(topic, raw).wait_for_publish(5)

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def names() -> tuple[str, str]:
    """A site and a Zigbee2MQTT base of this test's own, so tests sharing the broker never meet."""
    tag = uuid.uuid4().hex[:8]
    return f"t{tag}", f"z2m_{tag}"


@pytest.fixture
def fleet(broker: Any, names: tuple[str, str]) -> Iterator[Fleet]:
    site, base = names
    spec = load_fleet(["home", "plant"], site=site, z2m_base=base)
    with Fleet(spec, broker.host, broker.port, tick_s=0.02) as running:
        yield running


@pytest.fixture
def probe(broker: Any, names: tuple[str, str]) -> Iterator[Probe]:
    site, base = names
    p = Probe(broker, [f"{base}/#", f"nanoiot/{site}/#"])
    yield p
    p.close()


def test_registry_matches_what_the_fleet_serves(tmp_path: Path, names: tuple[str, str]) -> None:
    site, base = names
    spec = load_fleet(["home", "plant"], site=site, z2m_base=base)
    registry = load_registry(spec.write_registry(tmp_path / "registry.json"))
    assert registry.site == site and len(registry.devices) == len(spec.devices) > 40
    light = registry.get("light.kitchen_ceiling")
    assert light and light.name == "ceiling light" and light.area == "kitchen" and "kitchen light" in light.aliases
    assert light.command_topic == f"{base}/kitchen_ceiling/set"  # non-default base: the registry says where
    pump = registry.get("machine.pump_3")
    assert pump and pump.command_topic is None and pump.payload_style == "nanoiot"
    raw = json.loads((tmp_path / "registry.json").read_text())
    assert "sim" not in json.dumps(raw["devices"]) and {"id": "kitchen_panel"}.items() <= raw["sources"][0].items()
    assert {d.domain for d in registry.devices} >= {"light", "switch", "climate", "lock", "cover", "fan", "vacuum", "valve", "machine", "sensor"}


def test_commands_change_state_and_bad_payloads_get_error_events(fleet: Fleet, probe: Probe, names: tuple[str, str]) -> None:
    site, base = names
    state = f"{base}/kitchen_ceiling"
    assert probe.wait(state)["state"] == "OFF"  # retained initial state
    assert probe.wait(f"{state}/availability") == {"state": "online"}
    assert probe.wait(f"nanoiot/{site}/sim/fleet/availability") == {"state": "online"}

    mark = probe.mark()
    probe.send(f"{state}/set", {"state": "ON", "brightness": 76})
    assert probe.wait(state, lambda p: p["state"] == "ON", after=mark)["brightness"] == 76

    mark = probe.mark()
    probe.send(f"{state}/set", {"state": "OFF", "brightness": 400})
    error = probe.wait(f"{state}/error", after=mark)
    assert error["device"] == "light.kitchen_ceiling" and error["code"] == "out_of_range"
    probe.send(f"{state}/set", b"not json at all")
    assert probe.wait(f"{state}/error", lambda e: e["code"] == "bad_payload", after=mark)
    assert probe.on(state, after=mark) == [], "refused commands publish no state"

    pump = f"nanoiot/{site}/device/pump_3"
    mark = probe.mark()
    probe.send(f"{pump}/set", {"id": "cmd-1", "service": "machine.start", "targets": ["machine.pump_3"], "data": {}})
    running = probe.wait(pump, lambda p: p["state"] == "running", after=mark)
    assert running["current_a"] > 0
    probe.send(f"{pump}/set", {"id": "cmd-2", "service": "machine.set_speed", "targets": ["machine.pump_3"], "data": {"speed_pct": 140}})
    assert probe.wait(f"{pump}/error", after=mark)["command_id"] == "cmd-2"


def test_cover_reports_motion_then_final_position(fleet: Fleet, probe: Probe, names: tuple[str, str]) -> None:
    _, base = names
    blinds = f"{base}/living_room_blinds"
    probe.wait(blinds)
    mark = probe.mark()
    probe.send(f"{blinds}/set", {"position": 40})
    final = probe.wait(blinds, lambda p: p["state"] == "open", after=mark)
    assert final == {"state": "open", "position": 40}
    seen = probe.on(blinds, after=mark)
    assert seen[0]["state"] == "opening" and 0 < len(seen) < 20
    assert [p["position"] for p in seen] == sorted(p["position"] for p in seen)


def test_control_topic_injects_faults_resets_and_takes_devices_offline(fleet: Fleet, probe: Probe, names: tuple[str, str]) -> None:
    site, base = names
    control = topics.control_topic(site)
    pump = f"nanoiot/{site}/device/pump_3"
    probe.wait(pump)
    mark = probe.mark()
    probe.send(control, ControlRequest(id="f1", device="machine.pump_3", fault="overcurrent").model_dump(exclude_none=True))
    assert probe.wait(f"{control}/ack", lambda a: a["id"] == "f1", after=mark)["handled"] is True
    assert probe.wait(pump, lambda p: p["state"] == "fault", after=mark)["fault"] == "overcurrent"
    probe.send(f"{pump}/set", {"id": "s", "service": "machine.start", "targets": ["machine.pump_3"], "data": {}})
    assert probe.wait(f"{pump}/error", after=mark)["code"] == "in_fault"

    lamp = f"{base}/bedside_lamp"
    probe.send(control, {"id": "o1", "device": "light.bedside_lamp", "available": False})
    assert probe.wait(f"{lamp}/availability", lambda a: a == {"state": "offline"}, after=mark)
    probe.send(f"{lamp}/set", {"state": "ON"})
    probe.send(f"{base}/hallway/set", {"state": "ON"})  # processed after the lamp's: a barrier, not a sleep
    probe.wait(f"{base}/hallway", lambda p: p["state"] == "ON", after=mark)
    assert all(p["state"] == "OFF" for p in probe.on(lamp, after=mark)), "an offline device does not react"

    mark = probe.mark()
    probe.send(control, {"id": "r1", "reset": True})
    probe.wait(f"{control}/ack", lambda a: a["id"] == "r1", after=mark)
    assert probe.wait(pump, after=mark)["state"] == "stopped"
    assert probe.wait(f"{lamp}/availability", after=mark) == {"state": "online"}
    probe.send(control, b"{broken")
    probe.send(control, {"id": "x1", "device": "light.nonexistent", "fault": "boom"})
    probe.send(control, {"id": "x2", "device": "light.hallway", "fault": "boom"})  # lights have no faults
    ack = probe.wait(f"{control}/ack", lambda a: a["id"] == "x2", after=mark)
    assert ack["error"] and not [a for a in probe.on(f"{control}/ack", after=mark) if a["id"] == "x1"]


def test_clean_stop_publishes_every_device_offline(broker: Any, names: tuple[str, str]) -> None:
    site, base = names
    spec = load_fleet(["home"], site=site, count=5, z2m_base=base)
    Fleet(spec, broker.host, broker.port, fleet_id="f2").start().stop()
    probe = Probe(broker, [f"{base}/+/availability", f"nanoiot/{site}/sim/+/availability"])
    try:
        for device in spec.devices:
            assert probe.wait(f"{base}/{device.object_id}/availability") == {"state": "offline"}
        assert probe.wait(f"nanoiot/{site}/sim/f2/availability") == {"state": "offline"}
    finally:
        probe.close()


def test_last_will_marks_the_fleet_offline_when_the_process_dies(broker: Any, names: tuple[str, str], tmp_path: Path) -> None:
    site, _ = names
    registry = tmp_path / "registry.json"
    probe = Probe(broker, [f"nanoiot/{site}/sim/+/availability", f"nanoiot/{site}/device/+"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "firmware_sim", "--log-level", "warning", "fleet", "--broker", broker.address,
         "--fleet", "plant", "--site", site, "--fleet-id", "crashy", "--registry-out", str(registry)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        fleet_topic = f"nanoiot/{site}/sim/crashy/availability"
        probe.wait(fleet_topic, lambda a: a == {"state": "online"}, timeout=20)
        assert probe.wait(f"nanoiot/{site}/device/conveyor_b")["state"] == "stopped"
        assert load_registry(registry).get("machine.conveyor_b") is not None
        mark = probe.mark()
        os.kill(proc.pid, signal.SIGKILL)
        assert probe.wait(fleet_topic, lambda a: a == {"state": "offline"}, after=mark, timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        probe.close()


def test_a_thousand_devices_share_one_connection(broker: Any, names: tuple[str, str]) -> None:
    site, base = names
    spec = load_fleet(["home", "plant"], site=site, count=1000, z2m_base=base)
    registry = spec.registry()
    assert len(registry.devices) == 1000
    assert len({topics.command_topic(d, site) for d in registry.devices}) == 1000
    threads_before = threading.active_count()
    fleet = Fleet(spec, broker.host, broker.port, fleet_id="big", telemetry_s=0)
    fleet.start()
    assert threading.active_count() - threads_before <= 2  # paho's network thread and the ticker
    probe = Probe(broker, [f"{base}/#", f"nanoiot/{site}/device/#"])
    try:
        last_light = next(d for d in reversed(registry.devices) if d.domain == "light")
        last_machine = next(d for d in reversed(registry.devices) if d.domain == "machine")
        light_state = topics.state_topic(last_light, site)
        machine_state = topics.state_topic(last_machine, site)
        probe.wait(light_state)
        mark = probe.mark()
        probe.send(topics.command_topic(last_light, site), {"state": "ON"})
        probe.send(topics.command_topic(last_machine, site),
                   {"id": "m", "service": "machine.start", "targets": [last_machine.id], "data": {}})
        assert probe.wait(light_state, lambda p: p["state"] == "ON", after=mark)
        assert probe.wait(machine_state, lambda p: p["state"] == "running", after=mark)
        assert fleet.commands_handled == 2
    finally:
        probe.close()
        fleet.stop()


def test_shipped_example_registry_is_what_the_demo_fleet_writes() -> None:
    """nanoiot/data/example_registry.json is regenerated with
    `python -m firmware_sim registry --site demo --registry-out nanoiot/data/example_registry.json`."""
    from nanoiot.registry import default_registry_path

    shipped = json.loads(default_registry_path().read_text())
    assert shipped == load_fleet(["home", "plant"], site="demo").registry_json()
    registry = load_registry(default_registry_path())
    names = {(d.name, d.area) for d in registry.devices}
    assert {("ceiling light", "kitchen"), ("floor lamp", "living room"), ("front door", "hallway"), ("garage door", "garage"),
            ("thermostat", "living room"), ("conveyor b", "packing line"), ("pump 3", "pump house"), ("mixer 1", "mixing room"),
            ("compressor", "compressor room"), ("main valve", "pump house"), ("robot vacuum", "living room"),
            ("coffee maker", "kitchen")} <= names


def test_panels_say_commands_and_read_the_answer(fleet: Fleet, probe: Probe, names: tuple[str, str]) -> None:
    site, _ = names
    command_topic = f"nanoiot/{site}/command/kitchen_panel"
    mark = probe.mark()
    probe.send(topics.control_topic(site), {"id": "say1", "say": "turn on the kitchen light", "source": "kitchen_panel"})
    request = probe.wait(command_topic, after=mark)
    assert request["text"] == "turn on the kitchen light" and request["id"].startswith("kitchen_panel-")
    answer = {"id": request["id"], "source": "kitchen_panel", "status": "ok", "actions": [], "latency_ms": 3.0,
              "model": {"name": "m", "version": "1"}}
    probe.send(f"nanoiot/{site}/result/kitchen_panel", answer)
    probe.send(f"nanoiot/{site}/result/kitchen_panel", b"garbage")  # a bad answer is logged, not fatal
    probe.send(topics.control_topic(site), {"id": "say2", "say": "hello", "source": "nobody_panel"})
    probe.send(topics.control_topic(site), {"id": "b", "reset": True})  # barrier: handled after the answers
    probe.wait(f"{topics.control_topic(site)}/ack", lambda a: a["id"] == "b", after=mark)
    assert fleet.heard["kitchen_panel"]["id"] == request["id"]
    assert not [a for a in probe.on(f"{topics.control_topic(site)}/ack", after=mark) if a["id"] == "say2"]


def test_fleet_comes_back_after_a_broker_restart(private_broker: Any, names: tuple[str, str]) -> None:
    site, base = names
    spec = load_fleet(["home"], site=site, count=3, z2m_base=base)
    with Fleet(spec, private_broker.host, private_broker.port, fleet_id="r"):
        private_broker.stop()
        private_broker.start()
        probe = Probe(private_broker, [f"{base}/#", f"nanoiot/{site}/sim/r/availability"])
        try:
            # the broker kept the retained "online"; a live one means the fleet reconnected and resubscribed
            probe.wait(f"nanoiot/{site}/sim/r/availability", lambda a: a == {"state": "online"}, timeout=20, live=True)
            mark = probe.mark()
            probe.send(f"{base}/kitchen_ceiling/set", {"state": "ON"})
            assert probe.wait(f"{base}/kitchen_ceiling", lambda p: p["state"] == "ON", after=mark)
        finally:
            probe.close()


def test_an_injected_fault_publishes_a_diagnostic_report_and_shows_in_the_state(fleet: Fleet, probe: Probe, names: tuple[str, str]) -> None:
    site, _ = names
    control = topics.control_topic(site)
    conveyor = f"nanoiot/{site}/device/conveyor_b"
    probe.wait(conveyor)
    mark = probe.mark()
    probe.send(control, {"id": "d1", "device": "machine.conveyor_b", "fault": "overtemperature"})
    report = probe.wait(f"nanoiot/{site}/diagnostic/conveyor_b", after=mark)
    assert report["id"].startswith("diag-") and (report.get("text") or report.get("telemetry"))
    assert probe.wait(f"{control}/ack", lambda a: a["id"] == "d1", after=mark)["error"] is None
    state = probe.wait(conveyor, lambda p: p["fault"] == "overtemperature", after=mark)
    assert state["state"] == "stopped", "a condition fault does not trip a stopped drive into fault"
    heat = report.get("telemetry", {}).get("temperature_c")
    if heat is not None:
        assert state["temperature_c"] == heat
    probe.send(control, {"id": "d2", "device": "machine.pump_3", "fault": "overheat"})  # no such diagnostic fault
    probe.wait(f"nanoiot/{site}/device/pump_3", lambda p: p["state"] == "fault", after=mark)
    assert probe.on(f"nanoiot/{site}/diagnostic/pump_3", after=mark) == [], "a code outside the vocabulary sends no report"


def test_fault_rate_injects_random_faults_with_reports(broker: Any, names: tuple[str, str]) -> None:
    site, base = names
    spec = load_fleet(["plant"], site=site, z2m_base=base)
    probe = Probe(broker, [f"nanoiot/{site}/diagnostic/+"])
    try:
        with Fleet(spec, broker.host, broker.port, fleet_id="faulty", tick_s=0.02, fault_rate=600.0, seed=1) as fleet:
            with probe._cond:
                assert probe._cond.wait_for(lambda: probe.messages, 5), "no random fault within 5 s at 600 a minute"
            object_id = probe.messages[0][0].rsplit("/", 1)[-1]
            faulty = fleet.devices[f"machine.{object_id}"]
            assert fleet.faults_injected >= 1 and faulty.state["fault"] is not None
    finally:
        probe.close()


def test_fault_inject_command_line(fleet: Fleet, probe: Probe, names: tuple[str, str], broker: Any, tmp_path: Path) -> None:
    """`python -m firmware_sim fault inject conveyor_b overtemperature`, as an operator types it."""
    import subprocess
    import sys

    site, base = names
    registry = tmp_path / "registry.json"
    registry.write_text(load_fleet(["home", "plant"], site=site, z2m_base=base).registry().model_dump_json())
    mark = probe.mark()
    proc = subprocess.run(
        [sys.executable, "-m", "firmware_sim", "fault", "inject", "conveyor_b", "overtemperature",
         "--broker", broker.address, "--registry", str(registry)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    report = probe.wait(f"nanoiot/{site}/diagnostic/conveyor_b", after=mark)
    assert report["id"].startswith("diag-") and (report.get("text") or report.get("telemetry"))
    unknown = subprocess.run(
        [sys.executable, "-m", "firmware_sim", "fault", "inject", "no_such_device", "overtemperature",
         "--broker", broker.address, "--registry", str(registry)],
        capture_output=True, text=True, timeout=60,
    )
    assert unknown.returncode == 2 and "no_such_device" in unknown.stderr
