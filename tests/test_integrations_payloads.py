"""What imported devices are sent, and how results read in Home Assistant's words (no broker needed)."""

from __future__ import annotations

import json

import pytest

from nanoiot.gateway.payloads import Unsupported, device_messages
from nanoiot.gateway.topics import Topics
from nanoiot.integrations.device_payloads import homeassistant_messages, exposed_fields
from nanoiot.integrations.ha_import import DiscoveryError, parse_config
from nanoiot.integrations.intents import intent_of, spoken
from nanoiot.integrations.z2m_import import parse_bridge_devices
from nanoiot.registry import Registry
from nanoiot.schema import Action, CommandResult, ErrorInfo, ModelInfo, When

TOPICS = Topics(prefix="nanoiot", site="home", gateway_id="gw1")
NAMES = {"light.a": ("ceiling light", "kitchen"), "light.b": ("island lights", "kitchen"), "lock.front": ("front door", "hall")}


def names(device_id):
    return NAMES.get(device_id)


def discovered(component: str, config: dict):
    return parse_config(f"homeassistant/{component}/node/x/config", json.dumps(config).encode(), "homeassistant")


def test_cover_position_goes_to_its_set_position_topic_through_its_template():
    cover = discovered("cover", {"name": "blind", "command_topic": "b/cmd", "set_position_topic": "b/pos",
                                 "set_position_template": '{"position": {{ position }}}', "position_closed": 0,
                                 "position_open": 255})
    assert "position" in cover.capabilities
    assert homeassistant_messages(Action(service="cover.set_cover_position", data={"position": 40}), cover) == [
        ("b/pos", '{"position": 102}')]
    assert homeassistant_messages(Action(service="cover.close_cover"), cover) == [("b/cmd", "CLOSE")]


def test_json_schema_light_gets_colour_in_its_mode_and_brightness_in_its_scale():
    light = discovered("light", {"name": "strip", "schema": "json", "command_topic": "s/set", "brightness": True,
                                 "supported_color_modes": ["hs"]})
    (topic, payload), = homeassistant_messages(
        Action(service="light.turn_on", data={"color_name": "red", "brightness_pct": 50}), light)
    assert topic == "s/set" and json.loads(payload) == {"state": "ON", "brightness": 128, "color": {"h": 0.0, "s": 100.0}}


def test_templates_we_cannot_render_and_undeclared_features_are_unsupported():
    switch = discovered("switch", {"name": "relay", "command_topic": "r/set", "command_template": "{% if value %}1{% endif %}"})
    registry = Registry(devices=[switch])
    with pytest.raises(Unsupported):
        device_messages(Action(service="switch.turn_on", targets=[switch.id]), "c1", registry, TOPICS)
    plain = discovered("light", {"name": "bulb", "command_topic": "l/set"})
    with pytest.raises(Unsupported, match="brightness"):
        homeassistant_messages(Action(service="light.turn_on", data={"brightness_pct": 10}), plain)
    with pytest.raises(DiscoveryError):
        discovered("lock", {"name": "no topic"})


def test_abbreviations_and_the_base_topic_expand():
    lock = discovered("lock", {"~": "home/lock1", "cmd_t": "~/set", "pl_lock": "L", "pl_unlk": "U", "uniq_id": "lock-1",
                               "dev": {"ids": ["l1"], "name": "Front", "sa": "Hall"}, "name": "front lock"})
    assert (lock.id, lock.area, lock.command_topic) == ("lock.lock_1", "hall", "home/lock1/set")
    assert homeassistant_messages(Action(service="lock.unlock"), lock) == [("home/lock1/set", "U")]


def test_zigbee2mqtt_exposes_decide_capabilities_and_property_names():
    bridge = [
        {"friendly_name": "study/trv", "definition": {"exposes": [{"type": "climate", "features": [
            {"type": "numeric", "name": "occupied_heating_setpoint", "property": "occupied_heating_setpoint", "access": 7},
            {"type": "numeric", "name": "local_temperature", "property": "local_temperature", "access": 5}]}]}},
        {"friendly_name": "dimmer", "definition": {"exposes": [{"type": "light", "features": [
            {"type": "binary", "name": "state", "property": "state", "access": 7},
            {"type": "numeric", "name": "brightness", "property": "brightness", "access": 1}]}]}},  # read-only
        {"friendly_name": "hall/climate sensor", "definition": {"exposes": [
            {"type": "numeric", "name": "temperature", "property": "temperature", "access": 1}]}},
        {"friendly_name": "router only", "definition": {"exposes": [{"type": "numeric", "name": "linkquality", "access": 1}]}},
    ]
    devices, _ = parse_bridge_devices(json.dumps(bridge).encode(), "zigbee2mqtt")
    trv, dimmer, sensor = devices
    assert (trv.id, trv.area, trv.domain) == ("climate.study_trv", "study", "climate")
    assert exposed_fields(Action(service="climate.set_temperature", data={"temperature": 21}), trv) == {
        "occupied_heating_setpoint": 21}
    assert dimmer.capabilities == ["onoff"]
    with pytest.raises(Unsupported):
        exposed_fields(Action(service="light.turn_on", data={"brightness_pct": 30}), dimmer)
    assert sensor.domain == "sensor" and sensor.capabilities == ["temperature"]
    with pytest.raises(ValueError):
        parse_bridge_devices(b'{"devices": []}', "zigbee2mqtt")


def test_intents_and_answers_in_home_assistants_words():
    assert intent_of(Action(service="lock.lock", targets=["lock.front"]), names).name == "HassTurnOn"
    dim = intent_of(Action(service="light.turn_on", targets=["light.a"], data={"brightness_pct": 30}), names)
    assert (dim.name, dim.slots) == ("HassLightSet", {"brightness": 30, "name": "ceiling light", "area": "kitchen"})
    both = intent_of(Action(service="light.turn_off", targets=["light.a", "light.b"]), names)
    assert (both.name, both.slots) == ("HassTurnOff", {"area": "kitchen", "domain": "light"})
    assert intent_of(Action(service="machine.set_speed", targets=["machine.x"], data={"speed_pct": 40}), names).name == "NanoiotMachineSetSpeed"
    model = ModelInfo(name="m", version="1")
    ok = CommandResult(status="ok", actions=[Action(service="light.turn_off", targets=["light.a", "light.b"])], model=model,
                       id="1", source="s", latency_ms=1)
    assert spoken(ok, names) == "Turned off the kitchen lights"
    missing = CommandResult(status="rejected", error=ErrorInfo(code="unknown_device", message="no device matches 'jacuzzi'"),
                            model=model, id="2", source="s", latency_ms=1)
    assert spoken(missing, names) == "I don't know a device called jacuzzi"


def test_an_answer_for_later_says_what_will_be_done_not_that_it_was():
    """Was: "Turned off the kitchen lights" for "turn off the kitchen lights in 30 minutes", said before anything was."""
    model = ModelInfo(name="m", version="1")
    later = CommandResult(status="ok", actions=[Action(service="light.turn_off", targets=["light.a", "light.b"])], model=model,
                          id="1", source="s", latency_ms=1, when=When(after_s=1800, said="in 30 minutes"))
    assert spoken(later, names) == "I will turn off the kitchen lights in 30 minutes"
    lasting = CommandResult(status="ok", actions=[Action(service="light.turn_on", targets=["light.a"])], model=model,
                            id="2", source="s", latency_ms=1, lasting=When(after_s=600, said="for 10 minutes"))
    assert spoken(lasting, names) == "Turned on the ceiling light for 10 minutes"
    cancelled = CommandResult(status="ok", model=model, id="3", source="s", latency_ms=1, cancelled=["1", "1/undo"])
    assert spoken(cancelled, names) == "Cancelled 2 commands for later"


def test_a_zigbee2mqtt_friendly_name_in_discovery_gives_name_and_area():
    light = discovered("light", {"name": None, "unique_id": "0x1_light", "schema": "json", "command_topic": "z/kitchen/ceiling/set",
                                 "device": {"name": "kitchen/ceiling", "identifiers": ["z_0x1"]}})
    assert (light.name, light.area) == ("ceiling", "kitchen")
