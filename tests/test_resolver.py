from pathlib import Path

import pytest

from nanoiot.matching import similarity
from nanoiot.registry import Registry
from nanoiot.resolver import ResolveError, Resolver
from nanoiot.vocabulary import Frame

REGISTRY = Registry.model_validate(
    {
        "devices": [
            {"id": "light.kitchen_ceiling", "name": "ceiling light", "area": "kitchen", "domain": "light", "aliases": ["kitchen light"]},
            {"id": "light.kitchen_strip", "name": "led strip", "area": "kitchen", "domain": "light"},
            {"id": "light.floor_lamp", "name": "floor lamp", "area": "living room", "domain": "light"},
            {"id": "switch.coffee_maker", "name": "coffee maker", "area": "kitchen", "domain": "switch"},
            {"id": "lock.front_door", "name": "front door", "area": "hall", "domain": "lock"},
            {"id": "lock.back_door", "name": "back door", "area": "garden", "domain": "lock"},
            {"id": "machine.conveyor_b", "name": "conveyor b", "area": "packing line", "domain": "machine"},
            {"id": "machine.pump_3", "name": "pump 3", "area": "pump house", "domain": "machine"},
            {"id": "cover.garage_door", "name": "garage door", "area": "garage", "domain": "cover"},
            {"id": "vacuum.robot", "name": "robot vacuum", "area": "living room", "domain": "vacuum"},
        ]
    }
)


@pytest.fixture
def resolver():
    return Resolver(REGISTRY)


def targets(actions):
    return [(a.service, sorted(a.targets), a.data) for a in actions]


def test_area_means_every_device_of_the_domain_there(resolver):
    actions = resolver.resolve([Frame("light.turn_on", area="kitchen", data={"brightness_pct": "30"})])
    assert targets(actions) == [("light.turn_on", ["light.kitchen_ceiling", "light.kitchen_strip"], {"brightness_pct": 30})]


def test_name_matches_case_insensitively_and_with_typos(resolver):
    assert targets(resolver.resolve([Frame("light.turn_off", name="Floor Lamp")]))[0][1] == ["light.floor_lamp"]
    assert targets(resolver.resolve([Frame("light.turn_off", name="flor lamp")]))[0][1] == ["light.floor_lamp"]
    assert targets(resolver.resolve([Frame("light.turn_off", name="kitchen light")]))[0][1] == ["light.kitchen_ceiling"]


def test_unknown_device_is_rejected_with_the_phrase(resolver):
    with pytest.raises(ResolveError) as err:
        resolver.resolve([Frame("light.turn_off", name="porch light")])
    assert err.value.code == "unknown_device" and "porch light" in err.value.message


def test_unknown_area_is_rejected(resolver):
    with pytest.raises(ResolveError) as err:
        resolver.resolve([Frame("light.turn_on", area="attic")])
    assert err.value.code == "unknown_device" and "attic" in err.value.message


def test_out_of_range_value_is_rejected(resolver):
    with pytest.raises(ResolveError) as err:
        resolver.resolve([Frame("light.turn_on", name="floor lamp", data={"brightness_pct": "140"})])
    assert err.value.code == "out_of_range" and "140" in err.value.message


def test_unspecific_lock_is_ambiguous_but_lights_are_all(resolver):
    with pytest.raises(ResolveError) as err:
        resolver.resolve([Frame("lock.lock")])
    assert err.value.code == "ambiguous_device"
    assert len(resolver.resolve([Frame("light.turn_off")], site_wide=True)[0].targets) == 3


def test_a_kind_in_several_areas_said_from_nowhere_is_ambiguous_unless_site_wide(resolver):
    with pytest.raises(ResolveError) as err:
        resolver.resolve([Frame("light.turn_off")])
    assert err.value.code == "ambiguous_target"
    assert "kitchen" in err.value.message and "living room" in err.value.message
    assert len(resolver.resolve([Frame("light.turn_off")], site_wide=True)[0].targets) == 3
    # one area holds them all, a device named, an area said: nothing to ask
    assert resolver.resolve([Frame("switch.turn_on")])[0].targets == ["switch.coffee_maker"]
    assert resolver.resolve([Frame("light.turn_off", name="floor lamp")])[0].targets == ["light.floor_lamp"]
    assert len(resolver.resolve([Frame("light.turn_off", area="kitchen")])[0].targets) == 2


def test_a_speakers_area_without_that_kind_does_not_widen_to_the_site(resolver):
    with pytest.raises(ResolveError) as err:
        resolver.resolve([Frame("light.turn_off")], area_hint="garage")
    assert err.value.code == "ambiguous_target"


def test_area_hint_from_the_speaking_device(resolver):
    assert sorted(resolver.resolve([Frame("light.turn_off")], area_hint="kitchen")[0].targets) == [
        "light.kitchen_ceiling", "light.kitchen_strip"]


def test_service_follows_the_named_devices_domain(resolver):
    assert targets(resolver.resolve([Frame("cover.open_cover", name="front door")])) == [("lock.unlock", ["lock.front_door"], {})]
    assert targets(resolver.resolve([Frame("switch.turn_on", name="pump 3")])) == [("machine.start", ["machine.pump_3"], {})]


def test_numbers_in_names_must_match_exactly(resolver):
    with pytest.raises(ResolveError):
        resolver.resolve([Frame("machine.stop", name="pump 4")])


def test_vacuum_area_is_where_to_clean(resolver):
    assert resolver.resolve([Frame("vacuum.start", area="kitchen")])[0].targets == ["vacuum.robot"]


def test_the_one_thing_in_an_area_that_opens_is_what_close_the_area_means(resolver):
    """"close the garage" read as a valve in the garage: the garage has one thing that closes, its door."""
    assert targets(resolver.resolve([Frame("valve.close_valve", area="garage")])) == [("cover.close_cover", ["cover.garage_door"], {})]
    with pytest.raises(ResolveError) as err:  # nothing in the kitchen opens or closes: still refused
        resolver.resolve([Frame("valve.close_valve", area="kitchen")])
    assert err.value.code == "unknown_device"
    with pytest.raises(ResolveError):  # only open/close requests cross kinds this way
        resolver.resolve([Frame("fan.turn_on", area="garage")])


def test_generic_words_alone_do_not_match_another_device():
    assert similarity("porch light", "hall lights") == 0.0
    assert similarity("coffee", "coffee maker") > 0.6


def test_several_frames_give_actions_in_order(resolver):
    actions = resolver.resolve([Frame("light.turn_off", name="floor lamp"), Frame("lock.lock", name="back door")])
    assert [a.service for a in actions] == ["light.turn_off", "lock.lock"]


def test_a_name_the_model_misremembered_snaps_to_what_was_said():
    registry = Registry.model_validate({"devices": [
        {"id": "light.tiffany", "name": "tiffany lamp", "area": "den", "domain": "light"},
        {"id": "light.reading", "name": "reading lamp", "area": "study", "domain": "light"}]})
    frame = Frame("light.turn_on", name="table lamp")
    said = "make my tiffany lamp brighter"
    assert Resolver(registry).resolve([frame], text=said)[0].targets == ["light.tiffany"]
    with pytest.raises(ResolveError):  # without the sentence there is nothing to snap to
        Resolver(registry).resolve([frame])


def test_snapping_never_invents_a_match_for_an_unknown_device(resolver):
    with pytest.raises(ResolveError) as err:
        resolver.resolve([Frame("light.turn_off", name="porch light")], text="turn off the porch light")
    assert err.value.code == "unknown_device"


def test_a_value_the_model_cut_short_is_the_value_that_was_said(resolver):
    frame = Frame("light.turn_on", name="floor lamp", data={"brightness_pct": "40"})
    with pytest.raises(ResolveError) as err:
        resolver.resolve([frame], text="set the floor lamp to 140 percent")
    assert err.value.code == "out_of_range"
    assert resolver.resolve([frame], text="set the floor lamp to 40 percent")[0].data == {"brightness_pct": 40}


def test_the_kind_of_device_said_wins_when_the_model_named_none(resolver):
    frame = Frame("switch.turn_on", name="plug", area="kitchen")
    actions = resolver.resolve([frame], text="switch on the lights in the kitchen")
    assert targets(actions) == [("light.turn_on", ["light.kitchen_ceiling", "light.kitchen_strip"], {})]
    # a device's alias said word for word wins over its area
    actions = resolver.resolve([frame], text="turn on the kitchen light")
    assert targets(actions) == [("light.turn_on", ["light.kitchen_ceiling"], {})]
    # a named device keeps its own domain
    assert targets(resolver.resolve([Frame("switch.turn_on", name="coffee maker")], text="turn on the coffee maker light")) == [
        ("switch.turn_on", ["switch.coffee_maker"], {})]


def test_area_prefix_matches():
    registry = Registry.model_validate({"devices": [{"id": "light.h", "name": "hall light", "area": "hallway", "domain": "light"}]})
    assert Resolver(registry).resolve([Frame("light.turn_on", area="hall")])[0].targets == ["light.h"]


def test_position_follows_to_the_named_devices_domain(resolver):
    actions = resolver.resolve([Frame("valve.set_valve_position", name="garage door", data={"position": "40"})])
    assert targets(actions) == [("cover.set_cover_position", ["cover.garage_door"], {"position": 40})]
    with pytest.raises(ResolveError) as err:  # a lock has no brightness
        resolver.resolve([Frame("cover.set_cover_position", name="front door", data={"position": "40"})])
    assert err.value.code == "unsupported"


@pytest.mark.parametrize(("position", "service"), [(100, "cover.open_cover"), (0, "cover.close_cover"), (99, None)])
def test_an_end_position_is_sent_as_open_or_close(resolver, position, service):
    actions = resolver.resolve([Frame("cover.set_cover_position", name="garage door", data={"position": str(position)})])
    want = (service, ["cover.garage_door"], {}) if service else ("cover.set_cover_position", ["cover.garage_door"], {"position": 99})
    assert targets(actions) == [want]


def test_a_device_named_word_for_word_is_found_when_the_model_guessed_the_kind_wrong():
    registry = Registry.model_validate({"devices": [
        {"id": "light.zorblax", "name": "zorblax orb", "area": "den", "domain": "light"},
        {"id": "lock.front", "name": "front door", "area": "hall", "domain": "lock"}]})
    frame = Frame("fan.turn_on", name="zorblax", area="zorblax")
    actions = Resolver(registry).resolve([frame], text="turn on the zorblax orb")
    assert targets(actions) == [("light.turn_on", ["light.zorblax"], {})]
    with pytest.raises(ResolveError):  # only on/off carries over to another kind of device
        Resolver(registry).resolve([Frame("fan.set_percentage", name="zorblax", data={"percentage": "50"})],
                                   text="zorblax orb to 50 percent")


def test_out_of_range_on_a_device_named_by_alias_is_rejected_not_raised(resolver):
    with pytest.raises(ResolveError) as err:
        resolver.resolve([Frame("light.turn_on", area="kitchen", data={"brightness_pct": "150"})],
                         text="set the kitchen light to 150 percent")
    assert err.value.code == "out_of_range"


def test_a_device_named_for_another_command_does_not_narrow_this_one(resolver):
    frames = [Frame("light.turn_off"), Frame("light.turn_on", name="floor lamp")]
    actions = resolver.resolve(frames, text="turn off the lights and turn on the floor lamp", site_wide=True)
    assert len(actions[0].targets) == 3 and actions[1].targets == ["light.floor_lamp"]


def test_said_kind_carries_data_over_or_keeps_the_models_service(resolver):
    frame = Frame("fan.set_percentage", area="packing line", data={"percentage": "40"})
    actions = resolver.resolve([frame], text="run the machine in the packing line at 40 percent")
    assert targets(actions) == [("machine.set_speed", ["machine.conveyor_b"], {"speed_pct": 40})]


def test_a_key_the_service_does_not_take_is_a_vocabulary_error():
    from nanoiot.vocabulary import VocabularyError, check_data

    with pytest.raises(VocabularyError):
        check_data("machine.set_speed", {"percentage": "40"})


def test_an_exact_name_or_area_wins_over_a_near_one():
    near = Registry.model_validate({"devices": [
        {"id": "light.hall", "name": "hall light", "area": "hall", "domain": "light"},
        {"id": "light.hallway", "name": "hallway light", "area": "hallway", "domain": "light"},
    ]})
    resolver = Resolver(near)
    assert targets(resolver.resolve([Frame("light.turn_off", name="hall light")])) == [("light.turn_off", ["light.hall"], {})]
    assert targets(resolver.resolve([Frame("light.turn_off", area="hall")])) == [("light.turn_off", ["light.hall"], {})]
    assert targets(resolver.resolve([Frame("light.turn_off", name="hallway lights")])) == [("light.turn_off", ["light.hallway"], {})]
    assert targets(resolver.resolve([Frame("light.turn_off", name="halway light")])) == [("light.turn_off", ["light.hallway"], {})]


def test_a_name_said_in_the_plural_is_still_that_device(resolver):
    actions = resolver.resolve([Frame("light.turn_on")], text="turn on the floor lamps")
    assert targets(actions) == [("light.turn_on", ["light.floor_lamp"], {})]


@pytest.mark.parametrize("text", ["switch off the gnome lights in the kitchen", "turn off my tiffany lamp in the kitchen"])
def test_a_word_the_model_dropped_never_widens_to_every_device(resolver, text):
    with pytest.raises(ResolveError) as err:
        resolver.resolve([Frame("light.turn_off", area="kitchen")], text=text)
    assert err.value.code == "unknown_device" and ("gnome lights" in err.value.message or "tiffany lamp" in err.value.message)


@pytest.mark.parametrize("text", ["turn off all the lights in the kitchn", "turn off the other lights in the kitchen",
                                  "lights off in the kitchen please", "turn the lights off in the kitchen"])
def test_words_the_registry_knows_or_that_narrow_nothing_pass(resolver, text):
    actions = resolver.resolve([Frame("light.turn_off", area="kitchen")], text=text)
    assert targets(actions) == [("light.turn_off", ["light.kitchen_ceiling", "light.kitchen_strip"], {})]


def test_a_known_name_the_model_wrote_for_an_unknown_one_is_refused(resolver):
    frame = Frame("light.turn_off", name="floor lamp")  # the model's guess for a name it never saw
    with pytest.raises(ResolveError) as err:
        resolver.resolve([frame], text="turn off the tiffany lamp")
    assert err.value.code == "unknown_device" and "tiffany lamp" in err.value.message
    assert targets(resolver.resolve([frame], text="turn off the floor lamp")) == [("light.turn_off", ["light.floor_lamp"], {})]


def test_an_unknown_thing_never_becomes_every_device_of_a_guessed_kind(resolver):
    with pytest.raises(ResolveError) as err:
        resolver.resolve([Frame("switch.turn_on")], text="start the oven")
    assert err.value.code == "unknown_device" and "oven" in err.value.message
    with pytest.raises(ResolveError) as err:  # model 2.0 read this as vacuum.start: the robot must stay put
        resolver.resolve([Frame("vacuum.start")], text="turn on the jacuzzi", site_wide=True)
    assert err.value.code == "unknown_device" and "jacuzzi" in err.value.message
    assert targets(resolver.resolve([Frame("vacuum.start")], text="vacuum the sofa", site_wide=True)) == [
        ("vacuum.start", ["vacuum.robot"], {})]
    assert targets(resolver.resolve([Frame("vacuum.start")], text="please mop the floor of the den", site_wide=True)) == [
        ("vacuum.start", ["vacuum.robot"], {})]
    assert targets(resolver.resolve([Frame("switch.turn_on")], text="turn on the plugs")) == [("switch.turn_on", ["switch.coffee_maker"], {})]


@pytest.mark.parametrize("frame, text, want", [
    (Frame("light.turn_on"), "so dark in here i cannot see my feet",  # lights are what the model read, rightly
     ("light.turn_on", ["light.floor_lamp", "light.kitchen_ceiling", "light.kitchen_strip"], {})),
    (Frame("vacuum.start"), "send the robot vacuum to the sunroom", ("vacuum.start", ["vacuum.robot"], {})),  # a place
    (Frame("cover.close_cover", area="garage"), "shut the garage please", ("cover.close_cover", ["cover.garage_door"], {})),
])
def test_words_that_name_no_device_do_not_block_a_command(resolver, frame, text, want):
    assert targets(resolver.resolve([frame], text=text, site_wide=True)) == [want]


@pytest.mark.parametrize("frame, text, said", [
    (Frame("machine.stop", name="bebebeer"), "cut the power to the labeler", "labeler"),  # the model's spelling
    (Frame("cover.open_cover", name="gate"), "push the sliding gate open", "sliding gate"),  # grown over the name
    (Frame("light.turn_on", name="jizizizi"), "turn the jacuzzi on please", "jacuzzi"),  # no device word after it
    (Frame("fan.turn_on"), "turn on the jacuzzi", "jacuzzi"),  # a kind the registry lacks, guessed for a thing it lacks
])
def test_a_refusal_quotes_what_was_said_not_the_models_misspelling(resolver, frame, text, said):
    with pytest.raises(ResolveError) as err:
        resolver.resolve([frame], text=text)
    assert err.value.code == "unknown_device" and f"'{said}'" in err.value.message


def test_registry_sources_are_typed_and_place_a_source():
    from nanoiot.registry import load_registry

    registry = Registry.model_validate({
        "devices": [{"id": "switch.hall_panel", "name": "hall panel", "area": "hall", "domain": "switch"}],
        "sources": [{"id": "kitchen_panel", "area": "kitchen", "kind": "wall_panel"}, {"id": "phone_app", "kind": "app"}],
    })
    assert [s.id for s in registry.sources] == ["kitchen_panel", "phone_app"]
    assert registry.source_area("kitchen_panel") == "kitchen"
    assert registry.source_area("kitchen_panel", {"kitchen_panel": "office"}) == "office"  # the gateway's config wins
    assert registry.source_area("phone_app") is None  # listed, placed nowhere
    assert registry.source_area("hall_panel") == "hall"  # a source that is itself a device
    assert registry.source_area("stranger") is None
    with pytest.raises(ValueError):
        Registry.model_validate({"devices": [], "sources": [{"id": "a"}, {"id": "a"}]})
    shipped = load_registry(Path(__file__).parents[1] / "nanoiot" / "data" / "example_registry.json")
    assert shipped.source_area("kitchen_panel") == "kitchen" and shipped.source_area("phone_app") is None


HOME = Registry.model_validate({"devices": [
    {"id": "climate.thermostat", "name": "thermostat", "area": "living room", "domain": "climate"},
    {"id": "climate.greenhouse_heater", "name": "greenhouse heater", "area": "greenhouse", "domain": "climate"},
    {"id": "cover.blinds", "name": "blinds", "area": "living room", "domain": "cover"},
    {"id": "cover.office_shades", "name": "shades", "area": "office", "domain": "cover", "aliases": ["office blinds"]},
    {"id": "cover.garage_door", "name": "garage door", "area": "garage", "domain": "cover"},
    {"id": "light.desk_lamp", "name": "desk lamp", "area": "office", "domain": "light"},
]})


def test_a_device_named_exactly_by_a_kind_word_wins_over_others_of_its_kind():
    resolver = Resolver(HOME)
    frame = Frame("climate.set_temperature", name="thermostat", data={"temperature": "20"})
    assert targets(resolver.resolve([frame])) == [("climate.set_temperature", ["climate.thermostat"], {"temperature": 20})]
    assert targets(resolver.resolve([Frame("cover.close_cover", name="blinds")])) == [("cover.close_cover", ["cover.blinds"], {})]
    # said in the office, the blinds there come first
    assert targets(resolver.resolve([Frame("cover.close_cover", name="blinds")], area_hint="office")) == [
        ("cover.close_cover", ["cover.office_shades"], {})]


def test_a_whole_name_said_counts_when_the_model_wrote_no_name():
    resolver = Resolver(HOME)
    frame = Frame("climate.set_temperature", data={"temperature": "21.5"})
    assert targets(resolver.resolve([frame], text="set the thermostat to 21.5 degrees")) == [
        ("climate.set_temperature", ["climate.thermostat"], {"temperature": 21.5})]
    # never a reason to change kinds: the blinds said beside the lights are no light
    assert targets(resolver.resolve([Frame("light.turn_off")], text="turn off the lights by the blinds")) == [
        ("light.turn_off", ["light.desk_lamp"], {})]


def test_off_said_to_a_climate_device_turns_its_heating_off():
    actions = Resolver(HOME).resolve([Frame("switch.turn_off", name="heater")], text="switch the heater off")
    assert targets(actions) == [("climate.set_hvac_mode", ["climate.greenhouse_heater"], {"hvac_mode": "off"})]


def test_a_position_said_of_a_lamp_is_its_brightness():
    actions = Resolver(HOME).resolve([Frame("valve.set_valve_position", name="desk lamp", data={"position": "40"})])
    assert targets(actions) == [("light.turn_on", ["light.desk_lamp"], {"brightness_pct": 40})]


def test_areas_and_devices_said_outside_a_command(resolver):
    assert resolver.areas_said("the lights in the living room and the kitchen") == ["living room", "kitchen"]
    assert [d.id for d in resolver.devices_said("the floor lamp")] == ["light.floor_lamp"]
    assert {d.id for d in resolver.devices_said("the garden")} == {"lock.back_door"}
    assert resolver.devices_said("the gnome") == []


def test_a_name_shared_by_devices_in_several_areas_is_the_speakers_or_ambiguous():
    rooms = Resolver(Registry.model_validate({"devices": [
        {"id": "light.kitchen_ceiling", "name": "ceiling light", "area": "kitchen", "domain": "light"},
        {"id": "light.bedroom_ceiling", "name": "ceiling light", "area": "bedroom", "domain": "light"},
    ]}))
    frame = Frame("light.turn_off", name="ceiling light")
    assert targets(rooms.resolve([frame], area_hint="bedroom")) == [("light.turn_off", ["light.bedroom_ceiling"], {})]
    with pytest.raises(ResolveError) as err:
        rooms.resolve([frame])
    assert err.value.code == "ambiguous_target" and "kitchen" in err.value.message and "bedroom" in err.value.message
    with pytest.raises(ResolveError):  # the same when the model wrote no name and the sentence says it word for word
        rooms.resolve([Frame("light.turn_off")], text="turn off the ceiling light")
    assert len(rooms.resolve([frame], site_wide=True)[0].targets) == 2


def test_a_letter_after_a_name_is_part_of_it():
    resolver = Resolver(Registry.model_validate({"devices": [
        {"id": "machine.conveyor_a", "name": "conveyor a", "area": "line", "domain": "machine"},
        {"id": "machine.conveyor_b", "name": "conveyor b", "area": "line", "domain": "machine"},
    ]}))
    assert [d.id for d in resolver.mentioned("is conveyor b running")] == ["machine.conveyor_b"]
    assert [d.id for d in resolver.mentioned("stop conveyor a")] == ["machine.conveyor_a"]
    assert resolver.mentioned("turn on a light") == []


def test_an_area_light_said_in_the_plural_is_not_that_one_light():
    resolver = Resolver(Registry.model_validate({"devices": [
        {"id": "light.lr_ceiling", "name": "ceiling light", "area": "living room", "domain": "light", "aliases": ["living room light"]},
        {"id": "light.lr_lamp", "name": "floor lamp", "area": "living room", "domain": "light"},
        {"id": "light.k_ceiling", "name": "ceiling light", "area": "kitchen", "domain": "light", "aliases": ["kitchen lights"]},
    ]}))
    assert [d.id for d in resolver.mentioned("turn on the living room light")] == ["light.lr_ceiling"]
    assert resolver.mentioned("turn on the living room lights") == []  # the room's lights, by area
    assert [d.id for d in resolver.mentioned("kitchen lights off")] == ["light.k_ceiling"]  # the registry says so
