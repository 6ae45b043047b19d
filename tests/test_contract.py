"""The device contract (nanoiot.contract): what the gateway sends, a simulated device takes.

The gateway's encoder produces the messages; firmware_sim's devices decode them as their
firmware would. Nothing here compares a table with itself: a colour or service the gateway
can send and a simulated device refuses fails these tests.
"""

import json

import pytest

from firmware_sim.devices import PayloadError, make_device
from nanoiot.contract import parse_address, percentile
from nanoiot.gateway.payloads import device_messages
from nanoiot.gateway.topics import Topics
from nanoiot.registry import Registry
from nanoiot.schema import Action
from nanoiot.vocabulary import COLOR_NAMES, SERVICES

TOPICS = Topics(prefix="nanoiot", site="home", gateway_id="gw1")
# One device of each kind in each payload style the registry allows for it.
DEVICES = [
    {"id": f"{domain}.{style}", "name": f"{domain} {style}", "domain": domain, "payload": style}
    for domain in ("light", "switch", "climate", "lock", "cover", "fan", "vacuum")
    for style in ("zigbee2mqtt", "nanoiot")
] + [{"id": f"{domain}.nanoiot", "name": f"{domain} one", "domain": domain} for domain in ("machine", "valve")]
REGISTRY = Registry.model_validate({"devices": DEVICES})
# A value each service's data takes (the vocabulary's ranges); thermostats differ in their modes, "cool" all have.
SAMPLE = {"brightness_pct": 30, "brightness_step_pct": -10, "color_temp_kelvin": 2700, "temperature": 21.5,
          "hvac_mode": "cool", "position": 40, "percentage": 60, "speed_pct": 40}


def deliver(action: Action, command_id: str = "c1") -> dict:
    """Send `action` through the gateway's encoder to each simulated target; their states after."""
    states = {}
    for message in device_messages(action, command_id, REGISTRY, TOPICS):
        device = make_device(REGISTRY.get(message.device_id))
        device.handle(json.loads(message.payload), 0.0)
        states[message.device_id] = device.state
    return states


@pytest.mark.parametrize("name", sorted(COLOR_NAMES))
def test_every_colour_the_gateway_sends_a_simulated_light_takes(name):
    states = deliver(Action(service="light.turn_on", targets=["light.zigbee2mqtt", "light.nanoiot"], data={"color_name": name}))
    z2m, nanoiot = states["light.zigbee2mqtt"], states["light.nanoiot"]
    assert z2m["state"] == nanoiot["state"] == "ON"
    assert z2m["color"] == nanoiot["color"] and z2m["color"]["hex"].startswith("#")


def test_every_service_the_gateway_sends_its_kind_of_simulated_device_takes():
    for service, schema in SERVICES.items():
        domain = service.split(".", 1)[0]
        if domain == "query":
            continue
        data = {key: SAMPLE[key] for key in schema if key in SAMPLE}
        targets = [d["id"] for d in DEVICES if d["domain"] == domain]
        try:
            states = deliver(Action(service=service, targets=targets, data=data))
        except PayloadError as exc:
            pytest.fail(f"{service} {data}: refused ({exc.code}: {exc})")
        assert set(states) == set(targets)
        if len(targets) == 2:  # both payload styles reach the same state
            assert states[targets[0]] == states[targets[1]], service


def test_the_gateways_encoding_lands_as_its_values():
    states = deliver(Action(service="light.turn_on", targets=["light.zigbee2mqtt"], data={"brightness_pct": 30, "color_temp_kelvin": 2700}))
    assert states["light.zigbee2mqtt"]["brightness"] == 76 and states["light.zigbee2mqtt"]["color_temp"] == 370
    states = deliver(Action(service="climate.set_temperature", targets=["climate.nanoiot"], data={"temperature": 21.5}))
    assert states["climate.nanoiot"]["current_heating_setpoint"] == 21.5


@pytest.mark.parametrize(("address", "parsed"), [
    ("broker.lan", ("broker.lan", 1883)), ("broker.lan:8883", ("broker.lan", 8883)), (":1884", ("127.0.0.1", 1884)),
    ("[::1]:1884", ("::1", 1884)), ("::1", ("::1", 1883)), ("[fe80::1]", ("fe80::1", 1883)), (" 10.0.0.2:1 ", ("10.0.0.2", 1)),
])
def test_broker_addresses(address, parsed):
    assert parse_address(address) == parsed


@pytest.mark.parametrize("address", ["broker:mqtt", "broker:", "[::1]:x"])
def test_a_broker_address_with_a_bad_port_is_refused(address):
    with pytest.raises(ValueError, match="HOST:PORT"):
        parse_address(address)


def test_percentiles_are_nearest_rank_measured_values():
    assert percentile([5, 1, 3, 2, 4], 50) == 3 and percentile([1.0] * 99 + [100.0], 99) == 1.0
    assert percentile(list(range(1, 101)), 99) == 99 and percentile(list(range(1, 101)), 100) == 100
    assert percentile([7.5], 0) == 7.5 and percentile([], 50) is None
