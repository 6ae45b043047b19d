"""Floors and area aliases from the registry file's optional `areas` section, through the real model."""

from __future__ import annotations

import pytest
from support import DEVICES

from nanoiot.engine import SHIPPED_MODEL_DIR
from nanoiot.registry import Registry

pytestmark = pytest.mark.skipif(not (SHIPPED_MODEL_DIR / "manifest.json").exists(), reason="needs the shipped model")

AREAS = [
    {"name": "kitchen", "floor": "downstairs", "aliases": ["cooking area"]},
    {"name": "porch", "floor": "downstairs"},
    {"name": "living room", "floor": "upstairs", "aliases": ["lounge"]},
]


@pytest.fixture(scope="module")
def floors_parser(parser):
    from nanoiot.parser import CommandParser

    registry = Registry.model_validate({"site": "home", "devices": DEVICES, "areas": AREAS})
    return CommandParser(parser.engine, registry)  # the loaded engine, a registry with floors


def targets(result) -> list[str]:
    assert result.status == "ok", result
    return sorted(t for action in result.actions for t in action.targets)


@pytest.mark.parametrize("text", ["turn off the lights downstairs", "turn off all the lights downstairs",
                                  "switch off the downstairs lights"])
def test_a_floor_means_every_area_on_it(floors_parser, text):
    assert targets(floors_parser.parse(text)) == ["light.kitchen_ceiling", "light.kitchen_island", "light.porch"]


@pytest.mark.parametrize("text", ["turn on the lights upstairs", "turn on all the lights upstairs", "turn on the upstairs lights"])
def test_upstairs(floors_parser, text):
    assert targets(floors_parser.parse(text)) == ["light.floor_lamp"]


def test_area_names_still_win_and_unknown_places_are_refused(floors_parser):
    assert targets(floors_parser.parse("turn off the kitchen lights")) == ["light.kitchen_ceiling", "light.kitchen_island"]
    assert floors_parser.parse("turn off the lights in the attic").status != "ok"


def test_without_an_areas_section_nothing_changes(parser):
    assert Registry.model_validate({"devices": DEVICES}).areas_called("downstairs") == set()
    assert parser.parse("turn off the lights downstairs").status != "ok"


@pytest.mark.parametrize("text", ["turn on the lights in the lounge", "turn on the lounge lights"])
def test_an_area_alias(floors_parser, text):
    assert targets(floors_parser.parse(text)) == ["light.floor_lamp"]
