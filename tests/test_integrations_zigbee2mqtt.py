"""Zigbee2MQTT's device list feeds the registry live: the test plays the bridge on the real broker.

A retained `<base>/bridge/devices` list adds devices (areas and floors from their
friendly names); commands to them actuate a firmware_sim light in what it exposes; a
service it does not expose is refused `unsupported` before anything is published; a
device dropped from the list is gone; the registry file wins on conflict.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest
from support import WAIT, Recorder, make_config, until

from firmware_sim.fleet import Fleet, FleetDevice, FleetSpec
from nanoiot.engine import SHIPPED_MODEL_DIR
from nanoiot.gateway.service import Gateway

pytestmark = pytest.mark.skipif(not (SHIPPED_MODEL_DIR / "manifest.json").exists(), reason="needs the shipped model")


def light(name: str, *features: dict) -> dict:
    return {"friendly_name": name, "type": "Router", "ieee_address": f"0x{uuid.uuid4().hex[:16]}",
            "definition": {"model": "TEST", "vendor": "test", "exposes": [
                {"type": "light", "features": [{"type": "binary", "name": "state", "property": "state", "access": 7},
                                               *features]},
                {"type": "numeric", "name": "linkquality", "property": "linkquality", "access": 1}]}}


BRIGHTNESS = {"type": "numeric", "name": "brightness", "property": "brightness", "access": 7, "value_min": 0, "value_max": 254}
COLOR_TEMP = {"type": "numeric", "name": "color_temp", "property": "color_temp", "access": 7, "unit": "mired",
              "value_min": 250, "value_max": 454}
WORKBENCH = light("garage/workbench", BRIGHTNESS, COLOR_TEMP)
BRIDGE = [
    {"friendly_name": "Coordinator", "type": "Coordinator", "ieee_address": "0x00", "definition": None},
    WORKBENCH,
    light("upstairs/landing/lamp"),
    light("downstairs/kitchen/ceiling", BRIGHTNESS),  # the registry file has light.kitchen_ceiling: the file wins
    {"friendly_name": "downstairs/hall/blinds", "type": "EndDevice", "definition": {"exposes": [{"type": "cover", "features": [
        {"type": "enum", "name": "state", "property": "state", "access": 7, "values": ["OPEN", "CLOSE", "STOP"]},
        {"type": "numeric", "name": "position", "property": "position", "access": 7, "value_min": 0, "value_max": 100}]}]}},
]


@pytest.fixture
def z2m_home(broker, registry_file, parser):
    tag = uuid.uuid4().hex[:8]
    site, base = f"z{tag}", f"z2m_{tag}"
    bench = FleetDevice(id="light.garage_workbench", name="workbench", area="garage", domain="light",
                        command_topic=f"{base}/garage/workbench/set", capabilities=["brightness", "color_temp"])
    config = make_config(broker, registry_file, site, zigbee2mqtt_base=base, discovery_prefix=f"ha_{tag}")
    rec = Recorder(broker, [f"nanoiot/{site}/result/#", f"{base}/#"])
    with Fleet(FleetSpec(site=site, devices=[bench]), broker.host, broker.port, fleet_id=f"zb{tag}") as fleet:
        gateway = Gateway(config, parser=parser).start()
        try:
            assert gateway.wait_ready(WAIT)
            yield gateway, fleet, rec, site, base
        finally:
            rec.publish(f"{base}/bridge/devices", b"", retain=True).wait_for_publish(WAIT)
            gateway.stop()
            rec.close()


def say(rec: Recorder, site: str, text: str) -> dict:
    command_id = uuid.uuid4().hex[:12]
    rec.publish(f"nanoiot/{site}/command/garage_panel", {"id": command_id, "text": text})
    mine = lambda: [r for r in rec.json_on(f"nanoiot/{site}/result/garage_panel") if r["id"] == command_id]  # noqa: E731
    assert rec.wait_for(mine), f"no result for {text!r}"
    return mine()[0]


def test_bridge_devices_join_the_registry_and_are_actuated_in_what_they_expose(z2m_home):
    gateway, fleet, rec, site, base = z2m_home
    rec.publish(f"{base}/bridge/devices", json.dumps(BRIDGE), retain=True)
    assert until(lambda: gateway.registry.get("light.garage_workbench") is not None)
    bench = gateway.registry.get("light.garage_workbench")
    assert (bench.area, bench.origin, bench.command_topic) == ("garage", "zigbee2mqtt", f"{base}/garage/workbench/set")
    assert bench.color_temp_range == (250, 454) and "color" not in bench.capabilities
    assert gateway.registry.get("light.kitchen_ceiling").origin == "file"  # the file's device, not the bridge's
    assert gateway.registry.get("cover.hall_blinds").area == "hall"
    simulated = fleet.devices["light.garage_workbench"]

    assert say(rec, site, "turn on the workbench light")["status"] == "ok"
    assert rec.wait_for(lambda: simulated.state["state"] == "ON")
    result = say(rec, site, "set the workbench light to 50 percent")
    assert result["status"] == "ok", result
    assert rec.wait_for(lambda: simulated.state.get("brightness") == 127)
    result = say(rec, site, "set the workbench light to 2000 kelvin")  # 500 mired: more than the bulb's 454
    assert result["status"] == "ok", result
    assert rec.wait_for(lambda: {"state": "ON", "color_temp": 454} in rec.json_on(f"{base}/garage/workbench/set"))

    sent = len(rec.on(f"{base}/garage/workbench/set"))
    refused = say(rec, site, "make the workbench light red")
    assert refused["status"] == "rejected" and refused["error"]["code"] == "unsupported", refused
    assert "colo" in refused["error"]["message"]
    time.sleep(0.3)
    assert len(rec.on(f"{base}/garage/workbench/set")) == sent  # nothing was published

    upstairs = say(rec, site, "turn off all the lights upstairs")  # the floor comes from "upstairs/landing/lamp"
    assert upstairs["status"] == "ok", upstairs
    assert [a["targets"] for a in upstairs["actions"]] == [["light.landing_lamp"]]
    assert rec.wait_for(lambda: rec.json_on(f"{base}/upstairs/landing/lamp/set") == [{"state": "OFF"}])

    rec.publish(f"{base}/bridge/devices", json.dumps([d for d in BRIDGE if d is not WORKBENCH]), retain=True)
    assert until(lambda: gateway.registry.get("light.garage_workbench") is None)
    gone = say(rec, site, "turn on the workbench light")
    assert gone["status"] != "ok" and not gone["actions"], gone
    rejected = gateway.stats.get("error.bad_topic", 0)
    fleet.devices["light.garage_workbench"].state["state"] = "OFF"
    fleet._publish_state(fleet.devices["light.garage_workbench"])  # its old state topic is no command topic
    say(rec, site, "turn off the porch light")
    assert gateway.stats.get("error.bad_topic", 0) == rejected
    assert gateway.registry.get("light.landing_lamp") is not None


def test_a_bad_bridge_list_keeps_the_last_good_one(z2m_home):
    gateway, _fleet, rec, site, base = z2m_home
    rec.publish(f"{base}/bridge/devices", json.dumps(BRIDGE), retain=True)
    assert until(lambda: gateway.registry.get("light.landing_lamp") is not None)
    rec.publish(f"{base}/bridge/devices", b'{"not": "a list"', retain=True)
    rec.publish(f"{base}/bridge/devices", json.dumps([{"friendly_name": 3}, "junk", WORKBENCH]), retain=True)
    assert until(lambda: gateway.registry.get("light.landing_lamp") is None)  # the last list is the truth
    assert gateway.registry.get("light.garage_workbench") is not None
    assert say(rec, site, "turn off the porch light")["status"] == "ok"  # the gateway carries on
