"""The registry's index and the resolver on a large generated site (1,000 devices)."""

from __future__ import annotations

from nanoiot.bench.site import large_registry
from nanoiot.registry import Device
from nanoiot.resolver import Resolver
from nanoiot.vocabulary import Frame


def test_get_and_area_keys_follow_the_device_list() -> None:
    registry = large_registry(1000)
    assert len(registry.devices) == 1000 and len({d.id for d in registry.devices}) == 1000
    last = registry.devices[-1]
    assert registry.get(last.id) is last and registry.get("light.nowhere") is None
    assert registry.area_keys()[last.id] == last.area
    registry.devices.append(Device(id="light.new_one", name="new one", area="Living-Room", domain="light"))
    assert registry.get("light.new_one") is registry.devices[-1]  # an added device is found, not a stale index
    assert registry.area_keys()["light.new_one"] == "living room"
    registry.devices[0] = Device(id="light.swapped", name="swapped", domain="light")  # same length, another device
    assert registry.get("light.swapped") is registry.devices[0]


def test_resolver_on_1000_devices_finds_the_one_named_and_the_room_of_a_placed_panel() -> None:
    registry = large_registry(1000)
    resolver = Resolver(registry)
    named = resolver.resolve([Frame("light.turn_on", name="lab 3 desk lamp")], None, "turn on the lab 3 desk lamp")
    assert [a.targets for a in named] == [["light.lab_3_desk_lamp"]]
    placed = resolver.resolve([Frame("light.turn_off")], "office 2", "turn off the lights")
    assert placed[0].targets == ["light.office_2_ceiling_light", "light.office_2_desk_lamp"]
