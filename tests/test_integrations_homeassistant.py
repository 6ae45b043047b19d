"""Home Assistant MQTT discovery, both ways, on the real broker with the real model.

The gateway announces itself (retained configs whose keys are the ones Home Assistant
documents for each component), a command typed into its `text` entity ends as device
actions, the result and stats sensors are fed; devices other software announces by
discovery join the registry and are driven with the payloads their configs declare.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest
from support import WAIT, Recorder, make_config, until

from nanoiot.engine import SHIPPED_MODEL_DIR
from nanoiot.gateway.service import Gateway

pytestmark = pytest.mark.skipif(not (SHIPPED_MODEL_DIR / "manifest.json").exists(), reason="needs the shipped model")

# Keys Home Assistant documents for MQTT entities (integrations/text.mqtt, integrations/sensor.mqtt, and the
# keys every MQTT entity takes); a key outside these would be rejected by Home Assistant's schema.
COMMON = {"name", "unique_id", "object_id", "default_entity_id", "device", "availability", "availability_mode",
          "availability_topic", "availability_template", "payload_available", "payload_not_available", "icon",
          "entity_category", "enabled_by_default", "json_attributes_topic", "json_attributes_template", "qos",
          "encoding", "origin", "entity_picture"}
DOCUMENTED = {
    "text": COMMON | {"command_topic", "command_template", "state_topic", "value_template", "max", "min", "mode",
                      "pattern", "retain", "optimistic"},
    "sensor": COMMON | {"state_topic", "value_template", "unit_of_measurement", "device_class", "state_class",
                        "expire_after", "force_update", "last_reset_value_template", "suggested_display_precision",
                        "options"},
}
REQUIRED = {"text": {"command_topic"}, "sensor": {"state_topic"}}
DEVICE_KEYS = {"identifiers", "connections", "name", "manufacturer", "model", "model_id", "sw_version", "hw_version",
               "serial_number", "suggested_area", "via_device", "configuration_url"}
AVAILABILITY_KEYS = {"topic", "payload_available", "payload_not_available", "value_template"}


@pytest.fixture
def ha(broker, registry_file, parser):
    tag = uuid.uuid4().hex[:8]
    site, prefix, base = f"h{tag}", f"ha_{tag}", f"z2m_{tag}"
    config = make_config(broker, registry_file, site, discovery_prefix=prefix, zigbee2mqtt_base=base)
    rec = Recorder(broker, [f"{prefix}/#", f"nanoiot/{site}/#", f"{base}/#", f"dev_{tag}/#"])
    gateway = Gateway(config, parser=parser).start()
    try:
        assert gateway.wait_ready(WAIT)
        yield gateway, rec, site, prefix, base, tag
    finally:
        gateway.stop()
        for message in rec.on(f"{prefix}/#"):  # leave no retained configs behind on the session broker
            if message.retain or message.payload:
                rec.publish(message.topic, b"", retain=True)
        time.sleep(0.2)
        rec.close()


def test_the_gateway_announces_itself_with_documented_keys(ha, broker):
    gateway, rec, site, prefix, _base, _tag = ha
    assert rec.wait_for(lambda: len(rec.on(f"{prefix}/+/+/+/config")) >= 6)
    configs = {m.topic: json.loads(m.payload) for m in rec.on(f"{prefix}/+/+/+/config")}
    components = sorted(topic.split("/")[1] for topic in configs)
    assert components == ["sensor"] * 5 + ["text"]
    late = Recorder(broker, [f"{prefix}/#"])  # retained: Home Assistant starting later still sees them
    try:
        assert late.wait_for(lambda: len(late.on(f"{prefix}/+/+/+/config")) >= 6)
        assert all(m.retain for m in late.on(f"{prefix}/+/+/+/config"))
    finally:
        late.close()
    unique_ids = set()
    for topic, config in configs.items():
        component = topic.split("/")[1]
        assert set(config) <= DOCUMENTED[component], (topic, set(config) - DOCUMENTED[component])
        assert REQUIRED[component] <= set(config)
        assert set(config["device"]) <= DEVICE_KEYS and config["device"]["identifiers"]
        assert all(set(a) <= AVAILABILITY_KEYS for a in config["availability"])
        assert [a["topic"] for a in config["availability"]] == [gateway.topics.availability]
        assert "{{" in config.get("value_template", "{{")
        unique_ids.add(config["unique_id"])
    assert len(unique_ids) == 6
    devices = {json.dumps(c["device"], sort_keys=True) for c in configs.values()}
    assert len(devices) == 1  # one device in Home Assistant, all entities on it
    text = next(c for t, c in configs.items() if t.split("/")[1] == "text")
    assert text["command_topic"] == f"nanoiot/{site}/command/homeassistant"


def test_a_command_typed_in_home_assistant_ends_as_device_actions(ha, parser):
    gateway, rec, site, prefix, base, _tag = ha
    assert rec.wait_for(lambda: rec.on(f"{prefix}/text/+/command/config"))
    text = json.loads(rec.on(f"{prefix}/text/+/command/config")[0].payload)
    rec.publish(text["command_topic"], "turn off the porch light")  # what Home Assistant's MQTT text entity sends
    assert rec.wait_for(lambda: rec.json_on(f"{base}/porch/set") == [{"state": "OFF"}])
    last = f"nanoiot/{site}/gateway/{gateway.config.gateway_id}/last_result"
    assert rec.wait_for(lambda: rec.json_on(last))
    assert rec.json_on(last)[-1]["say"] == "Turned off the porch light"
    assert rec.json_on(last)[-1]["result"]["actions"][0]["targets"] == ["light.porch"]
    stats = f"nanoiot/{site}/gateway/{gateway.config.gateway_id}/stats"
    assert rec.wait_for(lambda: any(s["handled"] >= 1 for s in rec.json_on(stats)))
    latest = [s for s in rec.json_on(stats) if s["handled"] >= 1][-1]
    assert latest["commands_per_minute"] >= 1 and latest["median_latency_ms"] > 0
    assert latest["model_version"] == parser.model_info.version

    report = {"id": "r-1", "text": "motor running very hot", "telemetry": {"temperature_c": 97}}
    rec.publish(f"nanoiot/{site}/diagnostic/conveyor_b", report)
    diagnosis = f"nanoiot/{site}/gateway/{gateway.config.gateway_id}/last_diagnosis"
    assert rec.wait_for(lambda: rec.json_on(diagnosis))
    assert rec.json_on(diagnosis)[-1] == rec.json_on(f"nanoiot/{site}/diagnosis/conveyor_b")[-1]
    assert rec.json_on(diagnosis)[-1]["device"] == "machine.conveyor_b"


def test_discovered_devices_join_the_registry_and_get_their_own_payloads(ha):
    gateway, rec, site, prefix, _base, tag = ha
    dev = f"dev_{tag}"
    espresso = {"name": "espresso machine", "command_topic": f"{dev}/espresso/cmd", "payload_on": "1", "payload_off": "0",
                "state_topic": f"{dev}/espresso/state",
                "unique_id": "esp_espresso", "device": {"name": "Espresso", "identifiers": ["esp1"], "suggested_area": "Kitchen"}}
    lamp = {"~": f"{dev}/lamp", "name": "reading lamp", "uniq_id": "tasmota_lamp", "cmd_t": "~/POWER",
            "bri_cmd_t": "~/DIMMER", "bri_scl": 100, "dev": {"ids": ["tasmota1"], "name": "Tasmota", "sa": "study"}}
    clash = {"name": "porch light", "unique_id": "porch", "command_topic": f"{dev}/porch/set"}
    rec.publish(f"{prefix}/switch/node1/espresso/config", json.dumps(espresso), retain=True)
    rec.publish(f"{prefix}/light/tasmota1/lamp/config", json.dumps(lamp), retain=True)
    rec.publish(f"{prefix}/light/porch/config", json.dumps(clash), retain=True)
    rec.publish(f"{prefix}/lock/broken/config", b"{not json", retain=True)
    assert until(lambda: gateway.registry.get("switch.esp_espresso") and gateway.registry.get("light.tasmota_lamp"))
    assert gateway.registry.get("switch.esp_espresso").area == "kitchen"
    assert gateway.registry.get("light.porch").origin == "file"  # the registry file wins

    def say(text: str) -> dict:
        command_id = uuid.uuid4().hex[:12]
        rec.publish(f"nanoiot/{site}/command/study_panel", {"id": command_id, "text": text})
        mine = lambda: [r for r in rec.json_on(f"nanoiot/{site}/result/study_panel") if r["id"] == command_id]  # noqa: E731
        assert rec.wait_for(mine)
        return mine()[0]

    assert say("turn on the espresso machine")["status"] == "ok"
    assert rec.wait_for(lambda: [m.payload for m in rec.on(f"{dev}/espresso/cmd")] == [b"1"])
    rec.publish(f"{dev}/espresso/state", "1", retain=True)  # the device's plain state, declared by its config
    assert rec.wait_for(lambda: gateway.states.get("switch.esp_espresso") == {"state": "ON"})
    asked = say("is the espresso machine on")
    assert asked["states"] == {"switch.esp_espresso": {"state": "ON"}}, asked
    rec.publish(f"{dev}/espresso/state", b"", retain=True)
    result = say("set the reading lamp to 40 percent")
    assert result["status"] == "ok", result
    assert rec.wait_for(lambda: [m.payload for m in rec.on(f"{dev}/lamp/DIMMER")] == [b"40"])  # brightness_scale 100
    assert rec.wait_for(lambda: [m.payload for m in rec.on(f"{dev}/lamp/POWER")] == [b"ON"])
    refused = say("set the reading lamp to 2700 kelvin")
    assert refused["status"] == "rejected" and refused["error"]["code"] == "unsupported", refused
    assert not rec.on(f"{dev}/lamp/CT")

    rec.publish(f"{prefix}/switch/node1/espresso/config", b"", retain=True)  # a cleared config removes it
    assert until(lambda: gateway.registry.get("switch.esp_espresso") is None)
    assert gateway.registry.get("light.tasmota_lamp") is not None
    assert say("turn off the espresso machine")["status"] != "ok"
    assert [m.payload for m in rec.on(f"{dev}/espresso/cmd")] == [b"1"]


def test_a_zigbee2mqtt_device_announced_both_ways_is_one_device(ha):
    gateway, rec, _site, prefix, base, _tag = ha
    bridge = [{"friendly_name": "garden/lantern", "definition": {"exposes": [{"type": "light", "features": [
        {"type": "binary", "name": "state", "property": "state", "access": 7}]}]}}]
    # what Zigbee2MQTT's own Home Assistant integration announces for the same bulb
    announced = {"name": None, "unique_id": "0xabc_light_zigbee2mqtt", "schema": "json",
                 "command_topic": f"{base}/garden/lantern/set", "device": {"name": "garden/lantern", "identifiers": ["z2m_0xabc"]}}
    rec.publish(f"{prefix}/light/0xabc/light/config", json.dumps(announced), retain=True)
    rec.publish(f"{base}/bridge/devices", json.dumps(bridge), retain=True)
    try:
        assert until(lambda: gateway.registry.get("light.garden_lantern") is not None)
        time.sleep(0.5)
        same = [d for d in gateway.registry.devices if d.command_topic == f"{base}/garden/lantern/set"]
        assert [d.id for d in same] == ["light.garden_lantern"] and same[0].origin == "zigbee2mqtt"
        rec.publish(f"{base}/bridge/devices", b"", retain=True)  # the bridge list gone: the discovery config stands in
        assert until(lambda: [d.origin for d in gateway.registry.devices if d.command_topic == f"{base}/garden/lantern/set"]
                     == ["homeassistant"])
    finally:
        rec.publish(f"{base}/bridge/devices", b"", retain=True)
