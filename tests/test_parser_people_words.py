"""Words people use for their devices that a registry does not hold, found in real trainable speech (HWU64,
SLURP devel): where the light hangs, another word for a room, a greeting, a brand said beside a kind.

Each was refused, half understood or, for "power yourself on", acted on every switch of the site.
Shipped model and real parser; where a rule is checked on what some model might write, that output is given.
"""

from types import SimpleNamespace

import pytest

from nanoiot import sentence
from nanoiot.engine import Engine
from nanoiot.frame_rules import name_every_device
from nanoiot.named import brand_as_kind, plain_fixture
from nanoiot.parser import CommandParser
from nanoiot.registry import Registry
from nanoiot.resolver import Resolver
from nanoiot.vocabulary import Frame

HOME = Registry.model_validate({"devices": [
    {"id": "light.kitchen", "name": "kitchen lights", "area": "kitchen", "domain": "light"},
    {"id": "light.hall", "name": "hall lights", "area": "hall", "domain": "light"},
    {"id": "light.dining", "name": "dining lights", "area": "dining room", "domain": "light"},
    {"id": "light.garden", "name": "path lights", "area": "garden", "domain": "light"},
    {"id": "switch.smart_plug", "name": "smart plug", "area": "living room", "domain": "switch", "aliases": ["wemo"]},
    {"id": "switch.tv", "name": "tv", "area": "living room", "domain": "switch"},
    {"id": "switch.router", "name": "router", "area": "office", "domain": "switch"},
]})
MAIN_LIGHT = Registry.model_validate({"devices": [
    {"id": "light.main", "name": "main light", "area": "kitchen", "domain": "light"},
    {"id": "light.strip", "name": "cabinet strip", "area": "kitchen", "domain": "light"},
]})


@pytest.fixture(scope="module")
def engine():
    return Engine()


@pytest.fixture(scope="module")
def home(engine):
    return CommandParser(engine, HOME)


def targets(result):
    return sorted(t for a in result.actions for t in a.targets)


def writing(engine, output: str, registry: Registry = HOME) -> CommandParser:
    """The parser with a model that writes `output` for every sentence."""
    model = SimpleNamespace(manifest=engine.manifest, translate_nbest=lambda texts: [[output] for _ in texts],
                            is_word=engine.is_word)
    return CommandParser(model, registry)  # type: ignore[arg-type]


def test_where_a_light_hangs_is_no_device_the_registry_lacks(home):
    result = home.parse("could you turn off the overhead light in the kitchen")
    assert (result.status, [a.service for a in result.actions], targets(result)) == ("ok", ["light.turn_off"], ["light.kitchen"])
    result = home.parse("main lights on please", area="hall")
    assert (result.status, targets(result)) == ("ok", ["light.hall"])


def test_a_fixture_word_the_registry_holds_still_names_its_device():
    assert plain_fixture("dim the overhead lights", Resolver(HOME)) == "dim the lights"
    assert plain_fixture("turn on the main light", Resolver(MAIN_LIGHT)) == "turn on the main light"


def test_a_fixture_word_named_device_is_that_device_alone(engine):
    result = CommandParser(engine, MAIN_LIGHT).parse("turn on the main light")
    assert (result.status, targets(result)) == ("ok", ["light.main"])


def test_another_word_for_a_room_is_that_room(home, engine):
    result = home.parse("turn off the lights in the dining area")
    assert (result.status, targets(result)) == ("ok", ["light.dining"])
    result = writing(engine, "light.turn_off area=dining").parse("switch off the lights in the dining area")
    assert (result.status, targets(result)) == ("ok", ["light.dining"])
    living = Resolver(HOME).resolve([Frame("switch.turn_on", name="tv", area="living area")])
    assert [a.targets for a in living] == [["switch.tv"]]
    with pytest.raises(Exception, match="no area called 'garden room'"):
        Resolver(HOME).resolve([Frame("light.turn_on", area="garden room")])


def test_a_greeting_before_a_command_is_not_part_of_it(home):
    assert sentence.read("good night lights off").text == "lights off"
    assert sentence.read("good night").text == "good night"
    result = home.parse("good morning turn on the kitchen lights")
    assert (result.status, targets(result)) == ("ok", ["light.kitchen"])


def test_kind_words_beside_a_placeholder_only_say_its_kind():
    frames, unsure = name_every_device([Frame("switch.turn_on", name="switch_1 plug socket")], {"switch_1": "wemo"},
                                       "toggle switch_1 plug socket on")
    assert (frames, unsure) == ([Frame("switch.turn_on", name="switch_1")], None)
    frames, unsure = name_every_device([Frame("switch.turn_on", name="switch_1 kettle")], {"switch_1": "wemo"},
                                       "toggle switch_1 kettle on")
    assert unsure  # a word that is no kind word is a second thing said: half understood


def test_a_brand_said_with_its_kind_words_is_that_device(home, engine):
    for parser in (home, writing(engine, "switch.turn_off name=switch_1 plug socket")):
        result = parser.parse("switch the wemo plug socket off")
        assert (result.status, [a.service for a in result.actions], targets(result)) == ("ok", ["switch.turn_off"], ["switch.smart_plug"])


def test_a_switch_nobody_said_is_no_reason_to_switch_every_appliance(engine):
    parser = writing(engine, "switch.turn_on name=plug")
    result = parser.parse("power yourself on", site_wide=True)
    assert result.status != "ok" and result.actions == []
    assert targets(parser.parse("turn on the plugs", site_wide=True)) == ["switch.smart_plug"]


def test_the_lights_outside_are_those_of_the_places_out_of_doors(home, engine):
    for text in ("turn on the outdoor lights", "turn the lights on outside", "switch off all the exterior lights"):
        result = home.parse(text)
        assert (result.status, targets(result)) == ("ok", ["light.garden"]), text
    indoors = CommandParser(engine, MAIN_LIGHT).parse("turn on the lights outside")  # was every light of the site
    assert indoors.status != "ok" and indoors.actions == []
    result = home.parse("it's dark outside turn on the kitchen lights")  # not a place said of the lights
    assert (result.status, targets(result)) == ("ok", ["light.kitchen"])


def test_a_makers_name_is_its_kind_of_device(home, engine):
    """"the hue lights", "switch off hue", "start the roborock", "my kasa plug": SLURP's and HWU64's people name
    their lights and plugs by maker; a registry that knows the name (an alias "wemo") keeps it as a name."""
    robot = Registry.model_validate({"devices": [
        {"id": "vacuum.robot", "name": "robot vacuum", "area": "living room", "domain": "vacuum"},
        {"id": "light.hall", "name": "hall lights", "area": "hall", "domain": "light"}]})
    result = CommandParser(engine, robot).parse("start the roborock")
    assert (result.status, [a.service for a in result.actions], targets(result)) == ("ok", ["vacuum.start"], ["vacuum.robot"])
    result = CommandParser(engine, robot).parse("turn off the hue lights")
    assert (result.status, [a.service for a in result.actions], targets(result)) == ("ok", ["light.turn_off"], ["light.hall"])
    assert brand_as_kind("switch off hue", Resolver(robot)) == "switch off lights"
    assert brand_as_kind("change the hue of the lights to blue", Resolver(robot)) == "change the hue of the lights to blue"
    assert brand_as_kind("turn on the wemo", Resolver(HOME)) == "turn on the wemo"  # the registry's alias
