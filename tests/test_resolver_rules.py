"""The resolver's fallback rules, each pinned by what resolve() returns or refuses with.

Written against resolve() only, so that the order of rules may be rewritten freely; the
survivors of a mutation run (mutmut over nanoiot/resolver.py) showed these outcomes unchecked.
"""

import pytest

from nanoiot.registry import Registry
from nanoiot.resolver import ResolveError, Resolver
from nanoiot.vocabulary import Frame

REGISTRY = Registry.model_validate({"devices": [
    {"id": "lock.front_door", "name": "front door", "area": "hall", "domain": "lock"},
    {"id": "lock.back_door", "name": "back door", "area": "garden", "domain": "lock"},
    {"id": "lock.shed", "name": "shed lock", "area": "garden", "domain": "lock"},
    {"id": "sensor.garden", "name": "garden sensor", "area": "garden", "domain": "sensor"},
    {"id": "climate.hall", "name": "thermostat", "area": "hall", "domain": "climate"},
    {"id": "light.hall", "name": "hall light", "area": "hall", "domain": "light"},
    {"id": "light.kitchen_ceiling", "name": "kitchen ceiling light", "domain": "light"},  # in no area
    {"id": "switch.kettle", "name": "kettle", "area": "kitchen", "domain": "switch"},
    {"id": "cover.garage_door", "name": "garage door", "area": "garage", "domain": "cover"},
    {"id": "lock.garage", "name": "garage side door", "area": "garage", "domain": "lock"},
]})


def resolve(frame: Frame, **kw) -> list[tuple[str, list[str], dict]]:
    return [(a.service, a.targets, a.data) for a in Resolver(REGISTRY).resolve([frame], **kw)]


def refusal(frame: Frame, **kw) -> tuple[str, str]:
    with pytest.raises(ResolveError) as err:
        Resolver(REGISTRY).resolve([frame], **kw)
    return err.value.code, err.value.message


def test_a_question_about_an_attribute_asks_sensors_and_thermostats():
    assert resolve(Frame("query.get_state", area="garden", data={"attribute": "temperature"})) == [
        ("query.get_state", ["sensor.garden"], {"attribute": "temperature"})]
    assert resolve(Frame("query.get_state", area="hall", data={"attribute": "temperature"})) == [
        ("query.get_state", ["climate.hall"], {"attribute": "temperature"})]


def test_a_question_about_a_kind_asks_only_that_kind():
    assert resolve(Frame("query.get_state", domain="lock", area="garden")) == [("query.get_state", ["lock.back_door", "lock.shed"], {})]


def test_a_question_about_a_place_asks_everything_there_but_about_no_place_it_must_say_which():
    assert resolve(Frame("query.get_state", area="garden")) == [("query.get_state", ["lock.back_door", "lock.shed", "sensor.garden"], {})]
    assert refusal(Frame("query.get_state", domain="lock")) == (
        "ambiguous_device", "which lock? say one of: front door, back door, shed lock, garage side door")


def test_an_unspecific_lock_is_refused_naming_the_choices():
    assert refusal(Frame("lock.lock")) == ("ambiguous_device", "which lock? say one of: front door, back door, shed lock, garage side door")
    assert refusal(Frame("lock.lock", area="garden")) == ("ambiguous_device", "which lock? say one of: back door, shed lock")


def test_nothing_of_the_kind_in_the_place_is_refused_naming_both():
    assert refusal(Frame("fan.turn_on", area="hall")) == ("unknown_device", "no fan in the hall in the registry")
    assert refusal(Frame("fan.turn_on")) == ("unknown_device", "no fan in the registry")


def test_a_name_said_with_its_place_finds_a_device_whose_name_holds_the_place():
    """"the ceiling light in the kitchen": the registry has a "kitchen ceiling light" in no area."""
    assert resolve(Frame("light.turn_on", name="ceiling light", area="kitchen")) == [("light.turn_on", ["light.kitchen_ceiling"], {})]
    assert refusal(Frame("light.turn_on", name="desk lamp", area="kitchen")) == ("unknown_device", "no device matches 'desk lamp' in the kitchen")


def test_a_value_the_named_device_cannot_take_is_refused_not_dropped():
    assert refusal(Frame("light.turn_on", name="kettle", data={"brightness_pct": "30"})) == (
        "unsupported", "switch.turn_on cannot take brightness_pct")
    assert resolve(Frame("light.turn_on", name="kettle")) == [("switch.turn_on", ["switch.kettle"], {})]


def test_close_the_place_means_its_one_thing_that_closes_never_several():
    assert resolve(Frame("valve.close_valve", area="garage")) == [("cover.close_cover", ["cover.garage_door"], {})]
    two = Registry.model_validate({"devices": [
        {"id": "cover.garage_door", "name": "garage door", "area": "garage", "domain": "cover"},
        {"id": "cover.garage_window", "name": "garage window", "area": "garage", "domain": "cover"},
    ]})
    with pytest.raises(ResolveError) as err:
        Resolver(two).resolve([Frame("valve.close_valve", area="garage")])
    assert err.value.code == "unknown_device"


def test_the_speakers_room_narrows_the_lights():
    assert resolve(Frame("light.turn_on"), area_hint="hall") == [("light.turn_on", ["light.hall"], {})]
