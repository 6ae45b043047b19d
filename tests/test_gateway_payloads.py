"""Action -> device payload translation and topics (the device half of docs/protocol.md)."""

import json
import re

import pytest

from nanoiot.gateway.payloads import Outbound, PayloadError, device_messages, repeatable, zigbee2mqtt_payload
from nanoiot.gateway.topics import Topics
from nanoiot.registry import Registry
from nanoiot.schema import Action
from nanoiot.vocabulary import COLOR_NAMES, SERVICES

REGISTRY = Registry.model_validate(
    {
        "devices": [
            {"id": "light.kitchen_ceiling", "name": "ceiling light", "area": "kitchen", "domain": "light"},
            {"id": "light.desk", "name": "desk lamp", "area": "office", "domain": "light", "payload": "nanoiot"},
            {"id": "lock.front_door", "name": "front door", "domain": "lock", "command_topic": "custom/locks/front/set"},
            {"id": "machine.conveyor_b", "name": "conveyor b", "domain": "machine"},
            {"id": "valve.inlet", "name": "inlet valve", "domain": "valve", "command_topic": "plc/valves/inlet"},
        ]
    }
)
TOPICS = Topics(prefix="nanoiot", site="plant", gateway_id="gw1")


def z2m(service, **data):
    return zigbee2mqtt_payload(Action(service=service, targets=["x.y"], data=data)).model_dump(exclude_none=True)


@pytest.mark.parametrize(
    "service, data, payload",
    [
        ("light.turn_on", {"brightness_pct": 30}, {"state": "ON", "brightness": 76}),
        ("light.turn_on", {"brightness_pct": 100}, {"state": "ON", "brightness": 254}),
        ("light.turn_on", {"brightness_step_pct": -10}, {"state": "ON", "brightness_step": -25}),
        ("light.turn_on", {"color_name": "red"}, {"state": "ON", "color": {"hex": "#ff0000"}}),
        ("light.turn_on", {"color_temp_kelvin": 2700}, {"state": "ON", "color_temp": 370}),
        ("light.turn_off", {}, {"state": "OFF"}),
        ("switch.turn_on", {}, {"state": "ON"}),
        ("climate.set_temperature", {"temperature": 21.5}, {"current_heating_setpoint": 21.5}),
        ("climate.set_hvac_mode", {"hvac_mode": "cool"}, {"system_mode": "cool"}),
        ("lock.unlock", {}, {"state": "UNLOCK"}),
        ("cover.close_cover", {}, {"state": "CLOSE"}),
        ("cover.set_cover_position", {"position": 40}, {"position": 40}),
        ("fan.set_percentage", {"percentage": 60}, {"state": "ON", "percentage": 60}),
        ("vacuum.return_to_base", {}, {"command": "return_to_base"}),
    ],
)
def test_zigbee2mqtt_payloads(service, data, payload):
    assert z2m(service, **data) == payload


# Values from the CSS Color Module Level 3 keyword table (Home Assistant's color_name), written out here
# rather than read from the table under test; Zigbee2MQTT takes them as {"color": {"hex": "#rrggbb"}}.
@pytest.mark.parametrize(("name", "hex_value"), [
    ("red", "#ff0000"), ("darkblue", "#00008b"), ("lightblue", "#add8e6"), ("goldenrod", "#daa520"),
    ("darkslategray", "#2f4f4f"), ("darkslategrey", "#2f4f4f"), ("rebeccapurple", None), ("navy", "#000080"),
    ("mediumvioletred", "#c71585"), ("yellowgreen", "#9acd32"), ("amber", "#ffbf00"), ("warmwhite", "#fdf4dc"),
])
def test_a_colour_is_sent_as_zigbee2mqtts_hex_value(name, hex_value):
    if hex_value is None:  # CSS4 only: not in the vocabulary, so no payload either
        assert name not in COLOR_NAMES
        with pytest.raises(PayloadError):
            z2m("light.turn_on", color_name=name)
        return
    assert z2m("light.turn_on", color_name=name) == {"state": "ON", "color": {"hex": hex_value}}


def test_every_colour_the_model_learns_is_one_devices_take():
    """A spoken colour ("light blue") trains the joined CSS name, which must pass the vocabulary and have a hex."""
    from nanoiot.train.lexicon import COLORS

    assert {c.replace(" ", "") for c in COLORS} <= COLOR_NAMES
    sent = {name: z2m("light.turn_on", color_name=name) for name in COLOR_NAMES}
    assert all(set(payload) == {"state", "color"} and re.fullmatch(r"#[0-9a-f]{6}", payload["color"]["hex"])
               for payload in sent.values())
    # 146 CSS3 names (all but black) for 137 colours (grey/gray, aqua/cyan, fuchsia/magenta), plus amber and warm white
    assert len(COLOR_NAMES) == 148 and len({p["color"]["hex"] for p in sent.values()}) == 139 and "black" not in COLOR_NAMES


def test_every_device_service_has_some_payload():
    """Each vocabulary service is either translatable for Zigbee2MQTT or only for nanoiot devices."""
    nanoiot_only = {s for s in SERVICES if s.split(".")[0] in ("machine", "valve", "query")}
    for service in set(SERVICES) - nanoiot_only:
        schema = SERVICES[service]
        data = {key: {"temperature": 20, "hvac_mode": "heat"}.get(key, 50) for key in schema if key not in ("color_name", "color_temp_kelvin", "brightness_step_pct")}
        assert z2m(service, **data)
    for service in nanoiot_only:
        with pytest.raises(PayloadError):
            z2m(service)


def test_messages_go_to_each_target_on_its_topic():
    action = Action(service="light.turn_on", targets=["light.kitchen_ceiling", "light.desk"], data={"brightness_pct": 50})
    kitchen, desk = device_messages(action, "cmd-1", REGISTRY, TOPICS)
    assert kitchen.topic == "zigbee2mqtt/kitchen_ceiling/set"
    assert json.loads(kitchen.payload) == {"state": "ON", "brightness": 127}
    assert desk.topic == "nanoiot/plant/device/desk/set"  # payload "nanoiot" declared
    assert json.loads(desk.payload) == {"id": "cmd-1", "service": "light.turn_on", "targets": ["light.desk"], "data": {"brightness_pct": 50}}


def test_machines_get_the_action_json_and_custom_topics_win():
    (machine,) = device_messages(Action(service="machine.set_speed", targets=["machine.conveyor_b"], data={"speed_pct": 40}), "c2", REGISTRY, TOPICS)
    assert machine.topic == "nanoiot/plant/device/conveyor_b/set"
    assert json.loads(machine.payload)["data"] == {"speed_pct": 40}
    (lock,) = device_messages(Action(service="lock.lock", targets=["lock.front_door"]), "c3", REGISTRY, TOPICS)
    assert (lock.topic, json.loads(lock.payload)) == ("custom/locks/front/set", {"state": "LOCK"})


def test_state_topics_follow_the_set_convention():
    assert TOPICS.device_state(REGISTRY.get("light.kitchen_ceiling")) == "zigbee2mqtt/kitchen_ceiling"
    assert TOPICS.device_state(REGISTRY.get("machine.conveyor_b")) == "nanoiot/plant/device/conveyor_b"
    assert TOPICS.device_state(REGISTRY.get("valve.inlet")) is None  # custom topic without /set


def test_unknown_target_or_untranslatable_action_fails_before_publishing():
    with pytest.raises(PayloadError):
        device_messages(Action(service="light.turn_on", targets=["light.nowhere"]), "c", REGISTRY, TOPICS)
    z2m_machine = Registry.model_validate({"devices": [{"id": "machine.m", "name": "m", "domain": "machine", "payload": "zigbee2mqtt"}]})
    with pytest.raises(PayloadError):
        device_messages(Action(service="machine.start", targets=["machine.m"]), "c", z2m_machine, TOPICS)


def test_command_topics_and_reply_policy():
    assert TOPICS.command_filter == "nanoiot/plant/command/#"
    shared = Topics(prefix="nanoiot", site="plant", gateway_id="gw1", shared_group="workers")
    assert shared.command_filter == "$share/workers/nanoiot/plant/command/#"
    assert TOPICS.source_of("nanoiot/plant/command/kitchen_panel") == "kitchen_panel"
    for bad in ("nanoiot/plant/command/a/b", "nanoiot/plant/command/", "nanoiot/plant/command", "nanoiot/home/command/x", "nanoiot/plant/command/a b"):
        assert TOPICS.source_of(bad) is None
    assert TOPICS.reply_allowed("nanoiot/plant/reply/panel-1")
    assert TOPICS.reply_allowed("nanoiot/plant/result/panel")
    for bad in ("zigbee2mqtt/front_door/set", "nanoiot/plant/reply/#", "nanoiot/other/reply/x", "$SYS/x", ""):
        assert not TOPICS.reply_allowed(bad)


def test_only_messages_a_device_may_get_twice_are_repeatable():
    def msg(payload: bytes) -> Outbound:
        return Outbound("light.x", "zigbee2mqtt/x/set", payload)

    assert repeatable(msg(b'{"id": "c-1", "service": "machine.start", "targets": ["machine.m"], "data": {}}'))  # dropped by id
    assert repeatable(msg(b'{"state": "ON", "brightness": 128}'))  # an absolute state
    assert repeatable(msg(b"OFF"))  # Home Assistant's plain payloads
    assert not repeatable(msg(b'{"state": "ON", "brightness_step": 51}'))
    assert not repeatable(msg(b'{"color_temp_move": 40}'))
    assert not repeatable(msg(b'{"state": "TOGGLE"}'))
    assert not repeatable(msg(b"toggle"))
