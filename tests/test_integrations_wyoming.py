"""The Wyoming service through the `wyoming` client library, against the real gateway, model and broker.

The service runs inside the gateway (config `wyoming_uri`) and sends every sentence to it
as an MQTT command, so a spoken command actuates a firmware_sim device exactly like a
panel's command would; `recognize` resolves the sentence and publishes nothing.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid

import pytest
from support import DEVICES, WAIT, Recorder, make_config
from wyoming.asr import Transcript
from wyoming.client import AsyncTcpClient
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe, Info
from wyoming.intent import Intent, NotRecognized, Recognize

from firmware_sim.fleet import Fleet, FleetDevice, FleetSpec
from nanoiot.engine import SHIPPED_MODEL_DIR
from nanoiot.gateway.service import Gateway

pytestmark = pytest.mark.skipif(not (SHIPPED_MODEL_DIR / "manifest.json").exists(), reason="needs the shipped model")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def home(broker, registry_file, parser):
    """A gateway serving Wyoming, and the porch light simulated by firmware_sim on a Zigbee2MQTT base of its own."""
    tag = uuid.uuid4().hex[:8]
    site, base, port = f"w{tag}", f"z2m_{tag}", free_port()
    porch = next(d for d in DEVICES if d["id"] == "light.porch")
    spec = FleetSpec(site=site, devices=[FleetDevice(**porch, command_topic=f"{base}/porch/set")])
    config = make_config(broker, registry_file, site, zigbee2mqtt_base=base, wyoming_uri=f"tcp://127.0.0.1:{port}")
    with Fleet(spec, broker.host, broker.port, fleet_id=f"wy{tag}") as fleet:
        gateway = Gateway(config, parser=parser).start()
        try:
            assert gateway.wait_ready(WAIT)
            yield gateway, fleet, port, base
        finally:
            gateway.stop()


async def exchange(port: int, *events):
    """Send events on one connection and read one answer to each."""
    async with AsyncTcpClient("127.0.0.1", port) as client:
        answers = []
        for event in events:
            await client.write_event(event.event())
            answers.append(await asyncio.wait_for(client.read_event(), WAIT))
        return answers


def test_describe_recognize_and_handle(home, broker):
    gateway, fleet, port, base = home
    porch = fleet.devices["light.porch"]
    watcher = Recorder(broker, [f"{base}/#"])
    try:
        (info_event, intent_event) = asyncio.run(exchange(port, Describe(), Recognize(text="turn on the porch light")))
        info = Info.from_event(info_event)
        assert info.intent[0].name == "nanoiot" and info.intent[0].installed
        assert info.intent[0].models[0].languages == ["en"] and info.intent[0].attribution.name == "nanoiot"
        assert info.handle[0].supports_home_control and info.handle[0].version
        assert Intent.is_type(intent_event.type), intent_event
        intent = Intent.from_event(intent_event)
        assert intent.name == "HassTurnOn"
        assert {e.name: e.value for e in intent.entities} == {"name": "porch light", "area": "porch"}
        time.sleep(0.5)
        assert not watcher.on(f"{base}/porch/set"), "recognize must not actuate"
        assert porch.state["state"] == "OFF"

        (handled_event,) = asyncio.run(exchange(port, Transcript(text="turn on the porch light")))
        assert Handled.is_type(handled_event.type), handled_event
        assert Handled.from_event(handled_event).text == "Turned on the porch light"
        assert watcher.wait_for(lambda: watcher.on(f"{base}/porch/set"))  # out before the answer: the gateway acks after
        assert watcher.wait_for(lambda: porch.state["state"] == "ON")
        assert watcher.json_on(f"{base}/porch/set") == [{"state": "ON"}]
        assert gateway.stats["handled"] >= 2  # the dry run went through the gateway too
    finally:
        watcher.close()


def test_unknown_device_and_out_of_domain(home):
    _gateway, fleet, port, _base = home
    jacuzzi, chat, not_intent = asyncio.run(exchange(
        port, Transcript(text="turn on the jacuzzi"), Transcript(text="who won the football last night"),
        Recognize(text="who won the football last night")))
    assert NotHandled.is_type(jacuzzi.type), jacuzzi
    assert NotHandled.from_event(jacuzzi).text == "I don't know a device called jacuzzi"
    assert NotHandled.is_type(chat.type), chat
    assert "didn't understand" in (NotHandled.from_event(chat).text or "")
    assert NotRecognized.is_type(not_intent.type), not_intent
    assert fleet.devices["light.porch"].state["state"] == "OFF"


def test_the_standalone_service_process(broker, registry_file, parser, tmp_path):
    """`nanoiot wyoming --broker H:P --site S` as its own process, next to a gateway."""
    import subprocess
    import sys

    from support import REPO

    site, port = f"ws{uuid.uuid4().hex[:8]}", free_port()
    gateway = Gateway(make_config(broker, registry_file, site), parser=parser).start()
    log = open(tmp_path / "wyoming.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "nanoiot", "wyoming", "--uri", f"tcp://127.0.0.1:{port}",
                             "--broker", broker.address, "--site", site, "--registry", str(registry_file)],
                            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NANOIOT_LOG_FORMAT": "json"})
    try:
        assert gateway.wait_ready(WAIT)
        deadline = time.monotonic() + 60
        while True:  # the process needs a moment to import and listen
            try:
                (info,) = asyncio.run(exchange(port, Describe()))
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "wyoming.log").read_text()
                time.sleep(0.2)
        assert Info.from_event(info).handle[0].name == "nanoiot"
        (answer,) = asyncio.run(exchange(port, Transcript(text="lock the front door")))
        assert Handled.is_type(answer.type), answer
        assert Handled.from_event(answer).text == "Locked the front door"
    finally:
        proc.terminate()
        assert proc.wait(10) == 0
        log.close()
        gateway.stop()


def test_a_dry_run_publishes_nothing_and_leaves_its_id_free(home, broker):
    gateway, fleet, _port, base = home
    site = gateway.topics.site
    rec = Recorder(broker, [f"nanoiot/{site}/result/#", f"{base}/#"])
    try:
        rec.publish(f"nanoiot/{site}/command/phone", {"id": "d-1", "text": "turn on the porch light", "dry_run": True})
        assert rec.wait_for(lambda: rec.json_on(f"nanoiot/{site}/result/phone"))
        (dry,) = rec.json_on(f"nanoiot/{site}/result/phone")
        assert dry["status"] == "ok" and dry["actions"][0]["targets"] == ["light.porch"]
        rec.publish(f"nanoiot/{site}/command/phone", {"id": "d-1", "text": "turn on the porch light"})
        assert rec.wait_for(lambda: len(rec.json_on(f"nanoiot/{site}/result/phone")) == 2)
        assert rec.wait_for(lambda: fleet.devices["light.porch"].state["state"] == "ON")
        assert rec.json_on(f"{base}/porch/set") == [{"state": "ON"}]  # once: the dry run sent nothing
        assert gateway.stats["repeats"] == 0
    finally:
        rec.close()


def test_a_malformed_event_is_answered_and_the_connection_survives(home):
    from wyoming.event import Event

    _gateway, _fleet, port, _base = home

    class Raw:
        def __init__(self, event: Event) -> None:
            self._event = event

        def event(self) -> Event:
            return self._event

    bad, good = asyncio.run(exchange(port, Raw(Event(type="transcript", data={})), Transcript(text="turn off the porch light")))
    assert NotHandled.is_type(bad.type) and "malformed" in NotHandled.from_event(bad).text
    assert Handled.is_type(good.type), good


def test_a_taken_wyoming_port_costs_the_gateway_nothing(broker, registry_file, parser):
    site = f"wt{uuid.uuid4().hex[:8]}"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        gateway = Gateway(make_config(broker, registry_file, site, wyoming_uri=f"tcp://127.0.0.1:{port}"), parser=parser).start()
        rec = Recorder(broker, [f"nanoiot/{site}/result/#"])
        try:
            assert gateway.wait_ready(WAIT)
            rec.publish(f"nanoiot/{site}/command/panel", "turn off the porch light")
            assert rec.wait_for(lambda: rec.json_on(f"nanoiot/{site}/result/panel"))
            assert rec.json_on(f"nanoiot/{site}/result/panel")[0]["status"] == "ok"
        finally:
            rec.close()
            gateway.stop()
