"""Wrong actions found by saying Home Assistant's sentence shapes, commands written by hand for a home and a plant,
and real speech (HWU64, SLURP devel) to the parser (shipped model, no mocks).

Each case did something nobody asked for before its rule: a device in another room, the opposite
of what was said, a machine for a fan, a light for an awning. The model read most of them right;
the rules after it must not bend that.
"""

from types import SimpleNamespace

import pytest

from nanoiot import sentence
from nanoiot.engine import Engine
from nanoiot.frame_rules import asks, one_direction
from nanoiot.gates import refuse_to_act
from nanoiot.parser import CommandParser
from nanoiot.registry import Device, Registry
from nanoiot.said_values import place_said_value, unplaced_value, unsaid_color
from nanoiot.vocabulary import Frame

SITE = Registry.model_validate({"devices": [
    {"id": "light.kitchen_ceiling", "name": "ceiling light", "area": "kitchen", "domain": "light"},
    {"id": "light.living_room_ceiling", "name": "ceiling light", "area": "living room", "domain": "light",
     "aliases": ["living room light"]},
    {"id": "light.bedroom_ceiling", "name": "ceiling light", "area": "bedroom", "domain": "light"},
    {"id": "switch.kettle", "name": "kettle", "area": "kitchen", "domain": "switch"},
    {"id": "switch.coffee_maker", "name": "coffee maker", "area": "kitchen", "domain": "switch"},
    {"id": "light.tv_backlight", "name": "tv backlight", "area": "living room", "domain": "light"},
    {"id": "switch.christmas_tree", "name": "christmas tree", "area": "living room", "domain": "switch"},
    {"id": "lock.back_door", "name": "back door", "area": "kitchen", "domain": "lock"},
    {"id": "cover.garage_door", "name": "garage door", "area": "garage", "domain": "cover", "kind": "garage_door"},
    {"id": "cover.blinds", "name": "blinds", "area": "living room", "domain": "cover"},
    {"id": "cover.bedroom_curtains", "name": "curtains", "area": "bedroom", "domain": "cover"},
    {"id": "climate.thermostat", "name": "thermostat", "area": "living room", "domain": "climate"},
    {"id": "climate.radiator", "name": "radiator", "area": "bedroom", "domain": "climate"},
    {"id": "fan.ceiling_fan", "name": "ceiling fan", "area": "bedroom", "domain": "fan"},
    {"id": "machine.compressor", "name": "compressor", "area": "compressor room", "domain": "machine"},
    {"id": "vacuum.robot", "name": "robot vacuum", "area": "living room", "domain": "vacuum"},
]})


@pytest.fixture(scope="module")
def site():
    return CommandParser(Engine(), SITE)


def simple(result):
    return result.status, [(a.service, sorted(a.targets), a.data) for a in result.actions]


def refused(result, code):
    return result.status != "ok" and result.actions == [] and result.error.code == code


def reading(site, output: str) -> CommandParser:
    """The parser with a model that writes `output` for every sentence: a rule checked on what some model wrote."""
    model = SimpleNamespace(manifest=site.engine.manifest, translate_nbest=lambda texts: [[output] for _ in texts],
                            is_word=site.engine.is_word)
    return CommandParser(model, SITE)  # type: ignore[arg-type]


def test_a_device_named_in_a_room_that_lacks_it_is_refused_not_found_elsewhere(site):
    """Was: every ceiling light in the house, none of them in the garage."""
    result = site.parse("turn on the ceiling light in the garage", site_wide=True)
    assert refused(result, "unknown_device") and "garage" in result.error.message
    assert simple(site.parse("turn on the ceiling light in the bedroom")) == ("ok", [("light.turn_on", ["light.bedroom_ceiling"], {})])


def test_a_kind_word_said_in_a_room_is_that_rooms_device_of_the_kind(site):
    """Was: the living room's blinds for "the blinds in the bedroom"."""
    assert simple(site.parse("open the blinds in the bedroom")) == ("ok", [("cover.open_cover", ["cover.bedroom_curtains"], {})])


def test_window_coverings_said_are_never_a_door(site):
    """Was: the garage door opened for "the shades in the garage", and every door for "... and the blinds"."""
    assert refused(site.parse("open the shades in the garage"), "unknown_device")
    status, actions = simple(site.parse("open the garage door and the blinds", site_wide=True))
    assert status == "ok" and {service for service, _, _ in actions} == {"cover.open_cover"}
    # "the blinds" is the device called so (2.1.0), or every window covering (2.0.0); never anything else
    opened = {t for _, targets, _ in actions for t in targets}
    assert {"cover.blinds", "cover.garage_door"} <= opened <= {"cover.bedroom_curtains", "cover.blinds", "cover.garage_door"}
    assert simple(site.parse("open the garage")) == ("ok", [("cover.open_cover", ["cover.garage_door"], {})])


def test_a_device_whose_name_is_inside_a_rooms_name_is_not_said(site):
    """Was: the compressor's speed set for "the compressor room fans"."""
    result = site.parse("set the compressor room fans to 45 percent")
    assert refused(result, "unknown_device") and "fan" in result.error.message
    assert simple(site.parse("start the compressor")) == ("ok", [("machine.start", ["machine.compressor"], {})])


def test_a_name_the_room_lacks_never_brings_in_its_other_devices(site):
    """Was: the living room's light dimmed to 24 percent beside its blinds, for "the awnings"."""
    result = site.parse("set the awnings position to 24 percent in the living room")
    assert refused(result, "unknown_device") and "awning" in result.error.message


def test_temp_is_temperature(site):
    assert simple(site.parse("set the temp in the living room to 21 degrees")) == (
        "ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 21})])


def test_the_one_number_said_is_the_value_whatever_digits_the_model_wrote(site):
    assert simple(site.parse("set the temperature in the bedroom to 14.5 degrees")) == (
        "ok", [("climate.set_temperature", ["climate.radiator"], {"temperature": 14.5})])
    frames = [Frame("climate.set_temperature", area="bedroom", data={"temperature": "26.5"})]
    assert place_said_value(frames, "set the bedroom to 14.5 degrees")[0].data == {"temperature": 14.5}
    assert place_said_value(frames, "set the bedroom to 14.5 percent") is None  # a unit that does not fit
    assert place_said_value(frames, "set the bedroom to 14.5 degrees in 10 minutes") is None  # two numbers
    step = [Frame("light.turn_on", data={"brightness_step_pct": "-20"})]
    assert place_said_value(step, "dim it by 13 percent")[0].data == {"brightness_step_pct": -13}


def test_one_verb_is_one_direction():
    """"open the cover_1 and the blinds" read as open + close: the verbless part takes the one direction said."""
    frames = [Frame("cover.open_cover", name="cover_1"), Frame("cover.close_cover")]
    assert [f.service for f in one_direction(frames, "open the cover_1 and the blinds")] == ["cover.open_cover"] * 2
    frames = [Frame("light.turn_off", name="light_1"), Frame("light.turn_on")]
    assert [f.service for f in one_direction(frames, "turn off the light_1 and all the lights")] == ["light.turn_off"] * 2
    # "on" before "the porch" is a place, not a direction
    frames = [Frame("light.turn_off", name="light_1"), Frame("switch.turn_on", name="switch_1")]
    assert [f.service for f in one_direction(frames, "turn off the light_1 on the porch and the switch_1")] == [
        "light.turn_off", "switch.turn_off"]
    unchanged = [
        ([Frame("machine.stop", name="machine_1"), Frame("machine.start", name="machine_2")], "stop the machine_1 and run the machine_2"),
        ([Frame("light.turn_off", name="light_1"), Frame("cover.open_cover", name="cover_1")], "turn off the light_1 and open the cover_1"),
        ([Frame("light.turn_off", name="light_1"), Frame("light.turn_on", data={"brightness_step_pct": -20})],
         "turn off the light_1 and the lights dimmer"),  # data of its own: not a switch the other way
    ]
    for frames, source in unchanged:
        assert one_direction(frames, source) == frames


def test_every_thing_said_after_and_is_acted_on_or_nothing_is(site):
    """Was: the ceiling light on and "the fan" dropped; the kettle off and "the tree" dropped."""
    result = site.parse("turn on the living room light and the fan")  # 2.0.0 dropped the fan; 2.1.0 reads it
    assert refused(result, "not_understood") and "fan" in result.error.message or \
        simple(result) == ("ok", [("light.turn_on", ["light.living_room_ceiling"], {}), ("fan.turn_on", ["fan.ceiling_fan"], {})])
    # the model's reading differs by CPU (int8 kernels): nothing at all on one, "fan.turn_on name=tree" on another;
    # either nothing is done or both are switched off, never the kettle alone or the tree switched on
    result = site.parse("turn off the kettle and the tree")
    assert refused(result, "not_understood") or \
        simple(result) == ("ok", [("switch.turn_off", ["switch.kettle"], {}), ("switch.turn_off", ["switch.christmas_tree"], {})])
    result = site.parse("turn off the lights and the telly", site_wide=True)  # no name of the registry in it at all
    assert refused(result, "not_understood")  # with why (2.0.0: what should happen to 'the telly'?) or without (2.1.0)
    # a device of another kind joined by "and" gets the same request in its own kind
    assert simple(site.parse("turn on the living room light and the ceiling fan")) == (
        "ok", [("light.turn_on", ["light.living_room_ceiling"], {}), ("fan.turn_on", ["fan.ceiling_fan"], {})])


def test_everything_off_in_a_room_is_what_switches_off_there(site):
    """Was: only the heating off (the model's one guess)."""
    assert simple(site.parse("turn everything off in the kitchen")) == (
        "ok", [("light.turn_off", ["light.kitchen_ceiling"], {}), ("switch.turn_off", ["switch.coffee_maker", "switch.kettle"], {})])
    assert refused(site.parse("turn on everything in the kitchen"), "ambiguous_target")


def test_a_question_about_a_kind_reads_that_kind_only(site):
    status, actions = simple(site.parse("how many lights are on"))
    assert status == "ok" and [(s, t) for s, t, _ in actions] == [
        ("query.get_state", ["light.bedroom_ceiling", "light.kitchen_ceiling", "light.living_room_ceiling", "light.tv_backlight"])]
    assert simple(site.parse("are any lights on in the kitchen")) == ("ok", [("query.get_state", ["light.kitchen_ceiling"], {})])


@pytest.mark.parametrize("text, said", [("turn on the telly", "telly"), ("turn on the tv", "tv")])
def test_a_thing_the_site_lacks_is_refused_not_given_a_name_it_has(site, text, said):
    """Was: the coffee maker for "the telly" (a name the model wrote, not said), and the light called
    "tv backlight" for "the tv" (a name matched in part, by the word that is not what it is)."""
    result = site.parse(text, area="living room")
    assert refused(result, "unknown_device") and said in result.error.message
    assert simple(site.parse("i need caffeine", area="kitchen")) == ("ok", [("switch.turn_on", ["switch.coffee_maker"], {})])
    assert simple(site.parse("turn on the tv backlight")) == ("ok", [("light.turn_on", ["light.tv_backlight"], {})])


@pytest.mark.parametrize("text, action, when", [
    ("turn off the ceiling light in the kitchen at 11 pm", ("light.turn_off", ["light.kitchen_ceiling"], {}), {"at": "23:00"}),
    ("make coffee at seven am", ("switch.turn_on", ["switch.coffee_maker"], {}), {"at": "07:00"}),
    ("turn the kettle off in ten minutes", ("switch.turn_off", ["switch.kettle"], {}), {"after_s": 600}),
])
def test_a_command_for_later_carries_its_time_not_done_now(site, text, action, when):
    """Was: done at once (the model was taught to read past a time), so at the wrong time; then refused. Now
    the gateway keeps it (nanoiot.gateway.schedule) and the time's numbers never become a value."""
    result = site.parse(text, area="kitchen")
    assert simple(result) == ("ok", [action])
    assert result.when is not None and result.when.model_dump(exclude_none=True, exclude_defaults=True, exclude={"said"}) == when


@pytest.mark.parametrize("text, said", [("switch on the ceiling fan for a while", "for a while"),
                                        ("turn off the kettle every morning at 7 am", "every morning"),
                                        ("turn off the kettle when i get home", "when i get home")])
def test_a_command_for_a_time_no_gateway_clock_keeps_is_refused(site, text, said):
    result = site.parse(text, area="bedroom")
    assert refused(result, "unsupported") and said in result.error.message


@pytest.mark.parametrize("text", ["speed up the compressor", "make the ceiling fan faster", "open the blinds a bit"])
def test_an_amount_nobody_said_is_asked_for_not_guessed(site, text):
    """Was: the compressor to 100 percent, the fan down to 20 percent for "faster", the blinds to 20 percent."""
    result = site.parse(text)
    assert refused(result, "unsupported") and "how much" in result.error.message


def test_an_amount_said_in_words_is_said(site):
    assert simple(site.parse("set the ceiling fan to high")) == ("ok", [("fan.set_percentage", ["fan.ceiling_fan"], {"percentage": 100})])
    assert simple(site.parse("open the blinds halfway")) == ("ok", [("cover.set_cover_position", ["cover.blinds"], {"position": 50})])


def test_a_report_about_a_machine_resets_nothing(site):
    """Was: a fault reset of the compressor for "the compressor is making a weird noise"."""
    result = site.parse("the compressor is making a weird noise")
    assert (result.status, result.error.code, result.actions) == ("not_understood", "not_understood", [])
    assert simple(site.parse("clear the fault on the compressor")) == ("ok", [("machine.reset_fault", ["machine.compressor"], {})])


def test_a_later_part_naming_no_place_is_said_in_the_place_before_it(site):
    """Was: refused as ambiguous (covers in three rooms) though the sentence said where."""
    assert simple(site.parse("turn off the lights in the bedroom and close the blinds")) == (
        "ok", [("light.turn_off", ["light.bedroom_ceiling"], {}), ("cover.close_cover", ["cover.bedroom_curtains"], {})])


def test_a_number_alone_in_common_names_no_device():
    """Was: "fan 1" started pump 1 and mixer 1 (a designator was the only word in common)."""
    from nanoiot.matching import similarity

    assert similarity("fan 1", "pump 1") == 0.0
    assert similarity("pump", "pump 1") > 0.6  # the name's word still finds it


def test_asking_for_advice_only_reads(site):
    """Was: "should i turn off the compressor" stopped it."""
    assert simple(site.parse("should i turn off the compressor")) == ("ok", [("query.get_state", ["machine.compressor"], {})])


@pytest.mark.parametrize("text", ["if it gets dark turn on the ceiling light in the kitchen", "remind me to lock the back door",
                                  "when the sun sets open the blinds"])
def test_a_command_on_a_condition_is_refused_not_done_now(site, text):
    result = site.parse(text)
    assert refused(result, "unsupported") and "condition" in result.error.message


def test_a_bare_number_is_no_temperature(site):
    """Was: the living room's thermostat set to 20 for "lights to 50 in the kitchen and 20 in the living room"."""
    result = site.parse("lights to 50 in the kitchen and 20 in the living room")
    assert result.actions == [] and result.status != "ok"
    assert simple(site.parse("set the thermostat to 20")) == ("ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 20})])
    assert simple(site.parse("set the radiator to 18")) == ("ok", [("climate.set_temperature", ["climate.radiator"], {"temperature": 18})])


@pytest.mark.parametrize("text", ["turn on the kettle and set the thermostat to 21",
                                  "switch off the kettle and set the thermostat to 19"])
def test_a_device_called_by_its_kind_word_is_that_device_beside_another_request(site, text):
    """Was: "set the thermostat to 21" is the thermostat alone, but after "turn on the kettle and" the site's
    every climate device (a source placed nowhere: refused as ambiguous; site-wide: the radiator set too)."""
    for result in (site.parse(text), site.parse(text, site_wide=True)):
        assert [(a.service, a.targets) for a in result.actions if a.service.startswith("climate")] == [
            ("climate.set_temperature", ["climate.thermostat"])]


def test_a_request_of_its_own_after_and_is_not_dropped(site):
    """Was: "turn off all the lights and close the blinds" read as the lights alone: the blinds stayed open
    and the answer was ok."""
    result = site.parse("turn off all the lights and close the blinds")
    assert refused(result, "not_understood") or simple(result) == ("ok", [
        ("light.turn_off", ["light.bedroom_ceiling", "light.kitchen_ceiling", "light.living_room_ceiling", "light.tv_backlight"], {}),
        ("cover.close_cover", ["cover.blinds"], {})])


def test_the_colours_said_are_the_colours_set(site):
    """Was: the second lamp light blue for "... and the ceiling light blue"."""
    status, actions = simple(site.parse("turn the living room light red and the tv backlight blue"))
    assert status == "ok" and [a[2] for a in actions] == [{"color_name": "red"}, {"color_name": "blue"}]


def test_everything_without_a_place_is_where_the_speaker_is(site):
    assert simple(site.parse("turn off everything except the tree", area="living room")) == (
        "ok", [("light.turn_off", ["light.living_room_ceiling", "light.tv_backlight"], {})])


@pytest.mark.parametrize("text, says", [("stop the garage door", "stop"), ("stop the blinds", "stop"),
                                        ("open the garage door partway", "how far"), ("lower the blinds a bit", "how much")])
def test_a_cover_is_not_moved_all_the_way_when_asked_to_stop_or_go_part_way(site, text, says):
    """Was: "stop the garage door" closed it, "open the garage door partway" opened it all the way."""
    result = site.parse(text)
    assert refused(result, "unsupported") and says in result.error.message


def test_a_name_said_without_its_kind_word_is_still_that_device():
    """The word left out of "extractor fan" only says its kind, which the registry knows (unlike "tv backlight")."""
    site = CommandParser(Engine(), Registry.model_validate({"devices": [
        {"id": "fan.bathroom_extractor", "name": "extractor fan", "area": "bathroom", "domain": "fan"},
        {"id": "light.tv_backlight", "name": "tv backlight", "area": "living room", "domain": "light"}]}))
    assert simple(site.parse("run the extractor", area="bathroom")) == ("ok", [("fan.turn_on", ["fan.bathroom_extractor"], {})])
    assert refused(site.parse("turn on the tv", area="living room"), "unknown_device")


def test_an_impossible_number_said_is_refused_not_clamped(site):
    """Was: "set the kitchen lights to 150" read as 100 percent and done."""
    assert refused(site.parse("set the ceiling light in the kitchen to 150"), "out_of_range")
    from nanoiot.said_values import place_said_number

    frames = [Frame("machine.set_speed", name="machine_1", data={"speed_pct": 100})]
    assert place_said_number(frames, "set machine_1 to high") == frames  # a placeholder's digit is no number said
    assert place_said_number(frames, "set machine_1 to 150")[0].data == {"speed_pct": 150}


def test_a_change_by_an_amount_is_not_set_as_the_amount(site):
    """Was: "slow the compressor down by 10 percent" could set it to 10 percent (a change read as a value)."""
    from nanoiot.gates import guessed_amount
    from nanoiot.schema import Action
    from nanoiot.sentence import read

    said = read("decrease mixer 1 speed by 10 percent")
    assert guessed_amount([Action(service="machine.set_speed", targets=["machine.mixer_1"], data={"speed_pct": 10})], said) is not None
    assert guessed_amount([Action(service="machine.set_speed", targets=["machine.mixer_1"], data={"speed_pct": 80})],
                          read("increase mixer 1 speed to 80 percent")) is None


def test_the_kind_said_decides_when_the_model_read_another(site):
    """Was: "turn the fan up by 10" in the bedroom brightened the bedroom's light."""
    result = site.parse("turn the fan up by 10", area="bedroom")
    assert refused(result, "unsupported")


def test_a_designator_alone_after_and_is_not_dropped(plant):
    """Was: "start conveyor a and c" started conveyor a only. Now nothing, saying what was not understood
    (with a conveyor b, "conveyor a and b" is both: test_names_sharing_a_head_or_a_device_word_are_each_done)."""
    result = plant.parse("start conveyor a and c", area="packing line")
    assert refused(result, "not_understood") and "'c'" in result.error.message


def test_a_lights_colour_temperature_is_not_a_thermostats_temperature(site):
    """Was: refused as "a climate cannot do light.turn_on" (the word temperature taken for the thermostat)."""
    assert simple(site.parse("set the color temperature to 4300 kelvin", "kitchen")) == \
        ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {"color_temp_kelvin": 4300})])
    assert simple(site.parse("set the temperature to 21", "living room")) == \
        ("ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 21})])


def test_this_room_and_my_area_are_where_the_speaker_is(site):
    """Home Assistant's <here>. Was: refused as an unknown device called "my area"."""
    assert simple(site.parse("turn off the fans in my area", "bedroom")) == ("ok", [("fan.turn_off", ["fan.ceiling_fan"], {})])
    assert simple(site.parse("switch on our lights in this room", "kitchen")) == ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {})])
    assert site.parse("turn off each and every light").status == "ok"  # was not_understood


def test_turning_the_lights_out_is_off_never_brighter(site):
    """Was: "turn the lights out" brightened them by 20 percent (the model read "turn ... out" as up)."""
    for text in ("turn the lights out", "turn out the lights"):
        assert simple(site.parse(text, "kitchen")) == ("ok", [("light.turn_off", ["light.kitchen_ceiling"], {})]), text


def test_a_setpoint_nobody_said_is_a_step_from_the_one_it_has(site):
    """Was: "turn the thermostat down" answered out_of_range (2.0.0 wrote -20 degrees) or cooled (2.1.0 read it as
    cooling mode), and "turn up the heating" only set heating mode. Up or down with no amount is a step of one
    degree from the setpoint the thermostat reports; where none is known, the temperature is asked for."""
    for text in ("turn the thermostat down", "turn the thermostat up", "turn up the heating in the living room"):
        result = site.parse(text)
        assert refused(result, "unsupported") and "temperature" in result.error.message, text
    now = {"climate.thermostat": 20.0}.get
    assert simple(site.parse("turn the thermostat down", setpoints=now)) == ("ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 19})])
    assert simple(site.parse("turn up the heating in the living room", setpoints=now)) == \
        ("ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 21})])
    assert simple(site.parse("turn on the heating in the living room")) == \
        ("ok", [("climate.set_hvac_mode", ["climate.thermostat"], {"hvac_mode": "heat"})])


def test_degrees_warmer_read_as_heating_on_is_still_a_change_of_setpoint(site):
    """Was: "make it two degrees warmer in the living room" not understood ("2 degrees" placed nowhere)."""
    setpoints = {"climate.thermostat": 20.0}.get
    assert simple(site.parse("make it two degrees warmer in the living room", setpoints=setpoints)) == \
        ("ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 22.0})])
    assert simple(site.parse("make it a couple of degrees cooler in the living room", setpoints=setpoints)) == \
        ("ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 18.0})])


PLANT = Registry.model_validate({"devices": [
    {"id": "machine.mixer_1", "name": "mixer 1", "area": "mixing room", "domain": "machine"},
    {"id": "machine.mixer_2", "name": "mixer 2", "area": "mixing room", "domain": "machine"},
    {"id": "machine.conveyor_a", "name": "conveyor a", "area": "packing line", "domain": "machine"},
    {"id": "machine.conveyor_b", "name": "conveyor b", "area": "packing line", "domain": "machine"},
    {"id": "lock.front_door", "name": "front door", "area": "hall", "domain": "lock"},
    {"id": "lock.back_door", "name": "back door", "area": "kitchen", "domain": "lock"},
    {"id": "light.line_lights", "name": "line lights", "area": "packing line", "domain": "light"},
    {"id": "machine.labeler", "name": "labeler", "area": "packing line", "domain": "machine"},
    {"id": "fan.exhaust", "name": "exhaust fan", "area": "packing line", "domain": "fan"},
    {"id": "sensor.tank_level", "name": "tank level", "area": "tank farm", "domain": "sensor"},
]})


@pytest.fixture(scope="module")
def plant(site):
    return CommandParser(site.engine, PLANT)


@pytest.mark.parametrize("text, expected", [
    # was: conveyor a only, then refused as half understood
    ("start conveyor a and b", [("machine.start", ["machine.conveyor_a"], {}), ("machine.start", ["machine.conveyor_b"], {})]),
    # was: mixer 1 only; then, spelled out, mixer 1 started and mixer 2 set to 60
    ("set mixer 1 and 2 to 60 percent", [("machine.set_speed", ["machine.mixer_1"], {"speed_pct": 60}),
                                         ("machine.set_speed", ["machine.mixer_2"], {"speed_pct": 60})]),
    # was: not understood
    ("lock the front and back doors", [("lock.lock", ["lock.back_door"], {}), ("lock.lock", ["lock.front_door"], {})]),
    # two verbs are two requests: each keeps its own
    ("stop mixer 1 and set mixer 2 to 40 percent", [("machine.set_speed", ["machine.mixer_2"], {"speed_pct": 40}),
                                                    ("machine.stop", ["machine.mixer_1"], {})]),
])
def test_names_sharing_a_head_or_a_device_word_are_each_done(plant, text, expected):
    status, actions = simple(plant.parse(text))
    assert (status, sorted(actions)) == ("ok", sorted(expected))


@pytest.mark.parametrize("text, kelvin", [("set the ceiling light in the kitchen to cold white", 4000),
                                          ("make the ceiling light in the kitchen candle light", 1900),
                                          ("set the ceiling light in the kitchen to daylight", 6500)])
def test_a_white_said_by_name_is_home_assistants_colour_temperature(site, text, kelvin):
    """Was: "cold white" 6500 K and "candle light" 2200 K; Home Assistant's names say 4000 and 1900."""
    assert simple(site.parse(text)) == ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {"color_temp_kelvin": kelvin})])


def test_turning_on_a_thing_the_site_lacks_does_nothing_whatever_the_model_read(site):
    """A candidate model read "turn on pdr am" (a radio station) as heating on for every thermostat. The rule
    is checked on what that model wrote: the shipped one reads no command there."""
    parser = reading(site, "climate.set_hvac_mode hvac_mode=heat")
    result = parser.parse("turn on pdr am", site_wide=True)
    assert refused(result, "unknown_device") and "pdr am" in result.error.message
    assert simple(parser.parse("turn on the heating", site_wide=True))[0] == "ok"  # a kind said: the rule stays out


def test_a_change_by_degrees_needs_no_well_formed_data_from_the_model(site):
    """2.1.0 writes "a couple of degrees warmer" as set_temperature with hvac_mode=heat, which the vocabulary
    refuses; the setpoint rules set the change themselves, so the frame is enough."""
    parser = reading(site, "climate.set_temperature name=thermostat hvac_mode=heat")
    assert simple(parser.parse("make the thermostat a couple of degrees warmer", setpoints={"climate.thermostat": 20.0}.get)) == \
        ("ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 22.0})])
    assert parser.parse("make the thermostat warmer").actions == []  # no degrees said: the malformed output stays refused


def test_a_second_setting_said_is_never_lost_but_a_count_is_no_setting():
    """2.1.0 read "lights to 50 in the kitchen and 20 in the living room" as the living room's lights on: its 20 lost."""
    from nanoiot.said_values import unplaced_number

    lights = [Frame("light.turn_on", area="area_1", data={"brightness_pct": 50}), Frame("light.turn_on", area="area_2")]
    assert unplaced_number(lights, "lights to 50 in the area_1 and 20 in the area_2") == "20"
    assert unplaced_number([Frame("light.turn_off", area="area_1")], "turn off 1 light in the area_1") is None
    assert unplaced_number([Frame("light.turn_on", data={"brightness_step_pct": -20})], "dim the lights by 20 percent") is None


def test_a_placeholder_the_sentence_never_had_is_never_quoted_or_acted_on(site):
    """2.1.0 wrote "... ; fan.set_percentage name=light_2 percentage=30" for a sentence with one light in it:
    refused as "no device matches 'light_2'", a name nobody said."""
    result = reading(site, "light.turn_on name=light_1 ; fan.set_percentage name=light_2 percentage=30").parse(
        "turn on the tv backlight and set it to 30 percent")
    assert refused(result, "not_understood") and "light_2" not in result.error.message


def test_a_word_read_as_an_area_no_site_has_is_the_device_whose_name_holds_it(plant):
    """Was: "set the line lights to purple" refused as "no area called 'line'" (the model read "line" as a room)."""
    assert simple(plant.parse("set the line lights to purple")) == ("ok", [("light.turn_on", ["light.line_lights"], {"color_name": "purple"})])
    assert simple(plant.parse("dim the line lights to 40 percent")) == ("ok", [("light.turn_on", ["light.line_lights"], {"brightness_pct": 40})])


def test_all_the_blinds_are_every_blind_not_the_device_called_blinds(site):
    """Was: "close all the blinds" closed only the device named "blinds" (its name is the kind word)."""
    status, actions = simple(site.parse("close all the blinds", site_wide=True))
    assert status == "ok" and sorted(t for _, targets, _ in actions for t in targets) == ["cover.bedroom_curtains", "cover.blinds"]
    assert simple(site.parse("close the blinds", site_wide=True)) == ("ok", [("cover.close_cover", ["cover.blinds"], {})])


def test_switched_on_to_a_percentage_is_set_to_it(site):
    """Was: "turn the bedroom light on to 20 percent" not understood (2.1.0 read it as on alone)."""
    parser = reading(site, "light.turn_on area=area_1")
    assert simple(parser.parse("turn the lights in the bedroom on to 20 percent")) == \
        ("ok", [("light.turn_on", ["light.bedroom_ceiling"], {"brightness_pct": 20})])
    assert simple(reading(site, "cover.open_cover name=cover_1").parse("open the garage door to 30 percent")) == \
        ("ok", [("cover.set_cover_position", ["cover.garage_door"], {"position": 30})])


def test_slowing_down_is_never_a_stop_or_a_guessed_speed(plant, site):
    """2.1.0 read "slow down conveyor a" as a stop; 2.0.0 as a speed of -20 (out of range). How fast is asked for."""
    for text in ("slow down conveyor a", "make conveyor a slower"):
        result = plant.parse(text)
        assert refused(result, "unsupported") and ("speed" in result.error.message or "how much" in result.error.message), text
    assert refused(reading(site, "machine.stop name=compressor").parse("slow the compressor down"), "unsupported")
    assert simple(plant.parse("slow conveyor a to 40 percent")) == ("ok", [("machine.set_speed", ["machine.conveyor_a"], {"speed_pct": 40})])
    assert simple(plant.parse("stop conveyor a")) == ("ok", [("machine.stop", ["machine.conveyor_a"], {})])


def test_all_of_a_name_is_the_devices_so_named_never_every_device_of_the_kind():
    """Was: "stop all the pumps" stopped every machine (the model drops the name after "all the")."""
    plant = CommandParser(Engine(), Registry.model_validate({"devices": [
        {"id": "machine.pump_1", "name": "pump 1", "area": "pump house", "domain": "machine"},
        {"id": "machine.pump_3", "name": "pump 3", "area": "pump house", "domain": "machine"},
        {"id": "machine.mixer_1", "name": "mixer 1", "area": "pump house", "domain": "machine"},
        {"id": "machine.conveyor_a", "name": "conveyor a", "area": "packing line", "domain": "machine"}]}))
    for text in ("stop all the pumps", "stop all pumps"):
        assert simple(plant.parse(text, site_wide=True)) == ("ok", [("machine.stop", ["machine.pump_1", "machine.pump_3"], {})]), text


def test_a_kind_with_a_designator_names_one_device_never_all_of_the_kind(site):
    """Was: "turn on light 7" (no such light) turned on every light of the site."""
    assert refused(site.parse("turn on light 7", site_wide=True), "unknown_device")
    assert site.parse("open valve 2", site_wide=True).actions == []
    assert simple(site.parse("set the ceiling light in the kitchen to 40 percent")) == \
        ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {"brightness_pct": 40})])  # a number with its unit is no designator


def test_a_number_no_light_could_take_as_kelvin_is_its_brightness(site):
    """Was: "turn the lights to 50" refused as a colour temperature of 50 K (2.1.0 read a colour temperature)."""
    assert simple(site.parse("turn the lights to 50", "kitchen")) == ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {"brightness_pct": 50})])
    assert simple(site.parse("set the lights to 3000 kelvin", "kitchen")) == \
        ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {"color_temp_kelvin": 3000})])


def test_a_place_said_by_kind_and_number_that_the_site_lacks_is_refused(site):
    """Was: "turn off all the lights in room 5" turned off every light (the model dropped "room 5")."""
    result = site.parse("turn off all the lights in room 5", site_wide=True)
    assert refused(result, "unknown_device") and "room 5" in result.error.message
    plant = CommandParser(site.engine, Registry.model_validate({"devices": [
        {"id": "machine.c1", "name": "conveyor 1", "area": "line 2", "domain": "machine"}]}))
    assert simple(plant.parse("stop the conveyor on line 2")) == ("ok", [("machine.stop", ["machine.c1"], {})])


PLUGS = Registry.model_validate({"devices": [
    {"id": "switch.coffee_maker", "name": "coffee maker", "area": "kitchen", "domain": "switch"},
    {"id": "switch.kettle", "name": "kettle", "area": "kitchen", "domain": "switch"},
    {"id": "switch.tv_plug", "name": "tv plug", "area": "living room", "domain": "switch"},
    {"id": "switch.desk_socket", "name": "desk socket", "area": "office", "domain": "switch"},
    {"id": "light.ceiling", "name": "ceiling light", "area": "living room", "domain": "light"},
    {"id": "light.bedside_lamp", "name": "bedside lamp", "area": "bedroom", "domain": "light"},
    {"id": "light.floor_lamp", "name": "floor lamp", "area": "living room", "domain": "light"},
]})


@pytest.mark.parametrize(("text", "service", "targets"), [
    ("turn on the plug", "switch.turn_on", ["switch.desk_socket", "switch.tv_plug"]),
    ("switch off the sockets", "switch.turn_off", ["switch.desk_socket", "switch.tv_plug"]),
    ("turn off the lamps", "light.turn_off", ["light.bedside_lamp", "light.floor_lamp"]),
    ("turn off the lights", "light.turn_off", ["light.bedside_lamp", "light.ceiling", "light.floor_lamp"]),
])
def test_a_narrower_kind_said_is_only_that_kind(text, service, targets):
    """Was: "turn on the plug" switched on the coffee maker and the kettle too (every switch), "the lamps" every light."""
    status, actions = simple(CommandParser(Engine(), PLUGS).parse(text, site_wide=True))
    assert (status, actions) == ("ok", [(service, targets, {})])


def test_a_narrower_kind_no_device_has_keeps_the_kind():
    """A home whose plugs are named after what they power: "the plug" still means its switches."""
    registry = Registry(devices=[d for d in PLUGS.devices if d.id in ("switch.kettle", "switch.coffee_maker")])
    status, actions = simple(CommandParser(Engine(), registry).parse("turn on the plug", site_wide=True))
    assert (status, actions) == ("ok", [("switch.turn_on", ["switch.coffee_maker", "switch.kettle"], {})])


def test_a_door_with_a_position_is_a_cover(site):
    """Was: "a lock cannot do cover.set_cover_position" for a door said with a position, with a garage door there."""
    status, actions = simple(site.parse("set the door position to 40 percent", area="garage"))
    assert (status, actions) == ("ok", [("cover.set_cover_position", ["cover.garage_door"], {"position": 40})])


@pytest.mark.parametrize("text", ["stop everything on the packing line", "e-stop the packing line",
                                  "please stop all the machines on the packing line", "shut everything down on the packing line"])
def test_stopping_a_place_stops_its_machines_only(plant, text):
    """Was: read as "turn off the lights" there (refused as "no light", or the lights went off); the fan that keeps the
    air clean is left running."""
    status, actions = simple(plant.parse(text, area="mixing room"))
    assert (status, actions) == ("ok", [("machine.stop", ["machine.conveyor_a", "machine.conveyor_b", "machine.labeler"], {})])


def test_stop_with_no_place_and_no_machine_named_is_left_to_the_model(plant):
    assert plant.parse("stop the music").status != "ok"


@pytest.mark.parametrize("text", ["stop conveyor a but keep conveyor b running", "stop conveyor a but leave conveyor b running"])
def test_keeping_one_running_does_not_start_it(plant, text):
    """Was: conveyor b was started (a stopped machine would have moved)."""
    status, actions = simple(plant.parse(text, area="packing line"))
    assert (status, actions) == ("ok", [("machine.stop", ["machine.conveyor_a"], {})])


@pytest.mark.parametrize("text", ["run the labeler faster", "make the exhaust fan go faster"])
def test_faster_asks_how_fast(plant, text):
    """Was: a plain start (the labeler ran at whatever speed it had)."""
    assert refused(plant.parse(text, area="packing line"), "unsupported")


def test_a_placeholder_the_question_never_had_is_not_quoted_back(plant):
    """Was: "no device matches 'valve_1'": a token of the model's, meaningless to whoever asked."""
    result = plant.parse("how full is the tank")
    assert result.status != "ok" and "_1" not in result.error.message


@pytest.mark.parametrize(("text", "expected"), [
    # was: lightblue ("the bedroom light blue" holds "light blue")
    ("turn the bedroom ceiling light blue", [("light.turn_on", ["light.bedroom_ceiling"], {"color_name": "blue"})]),
    ("set the bedroom ceiling light to light blue", [("light.turn_on", ["light.bedroom_ceiling"], {"color_name": "lightblue"})]),
    # was: 30 brighter (a step)
    ("tv backlight 30", [("light.turn_on", ["light.tv_backlight"], {"brightness_pct": 30})]),
    ("dim the bedroom ceiling light 30", [("light.turn_on", ["light.bedroom_ceiling"], {"brightness_step_pct": -30})]),
    # was: the warm white lost, the 50 taken for its colour temperature
    ("turn on the bedroom ceiling light at 50 percent and make it warm white",
     [("light.turn_on", ["light.bedroom_ceiling"], {"brightness_pct": 50}),
      ("light.turn_on", ["light.bedroom_ceiling"], {"color_temp_kelvin": 2700})]),
])
def test_what_was_said_is_what_is_done(site, text, expected):
    assert simple(site.parse(text, area="kitchen")) == ("ok", expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("close the blinds", [("cover.close_cover", ["cover.living_room_blinds"], {})]),
    ("close the blinds halfway", [("cover.set_cover_position", ["cover.living_room_blinds"], {"position": 50})]),
])
def test_blinds_said_from_a_room_without_them_are_not_a_question_of_area(site, text, expected):
    """Was: "which area? there are cover devices in garage, bedroom, living room": the garage door is no blind."""
    registry = Registry(devices=[d for d in SITE.devices if d.domain != "cover" or d.id == "cover.garage_door"]
                        + [Device(id="cover.living_room_blinds", name="living room blinds", area="living room", domain="cover")])
    assert simple(CommandParser(site.engine, registry).parse(text, area="kitchen")) == ("ok", expected)


def test_a_degree_down_is_one_degree_down(site):
    """Was: "by how much is 'down a degree'?" ("bump" read as up, "down" as down: no direction)."""
    setpoints = {"climate.thermostat": 20.0}.get
    assert simple(site.parse("bump the thermostat down a degree", setpoints=setpoints)) == \
        ("ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 19.0})])


def test_the_ac_is_a_climate_device(site):
    """Was: "no device matches 'ac'" where the living room's thermostat runs the air conditioning."""
    assert simple(site.parse("set the ac to cool", area="living room")) == \
        ("ok", [("climate.set_hvac_mode", ["climate.thermostat"], {"hvac_mode": "cool"})])


def test_the_temperature_asked_in_a_room_reads_its_thermostat(site):
    """Was: not understood (the model learnt weather questions as not ours); outside is still the weather's."""
    assert simple(site.parse("what's the temperature", area="living room")) == \
        ("ok", [("query.get_state", ["climate.thermostat"], {"attribute": "temperature"})])
    assert simple(site.parse("how warm is it in the bedroom")) == \
        ("ok", [("query.get_state", ["climate.radiator"], {"attribute": "temperature"})])
    assert site.parse("what's the temperature outside", area="living room").status == "not_understood"


def test_a_reading_asked_for_is_read_from_the_sensor_that_measures_it(site):
    """Was: "which device? say one of: kitchen temperature, kitchen humidity"."""
    registry = Registry(devices=[*SITE.devices,
                                 Device(id="sensor.kitchen_temperature", name="kitchen temperature", area="kitchen", domain="sensor"),
                                 Device(id="sensor.kitchen_humidity", name="kitchen humidity", area="kitchen", domain="sensor")])
    parser = CommandParser(site.engine, registry)
    assert simple(parser.parse("what's the temperature in here", area="kitchen")) == \
        ("ok", [("query.get_state", ["sensor.kitchen_temperature"], {"attribute": "temperature"})])
    assert simple(parser.parse("what's the humidity in the kitchen")) == \
        ("ok", [("query.get_state", ["sensor.kitchen_humidity"], {"attribute": "humidity"})])


@pytest.mark.parametrize(("text", "expected"), [
    # was: 30 percent dimmer (a cooler light is a cooler white)
    ("make the bedroom ceiling light cooler", [("light.turn_on", ["light.bedroom_ceiling"], {"color_temp_kelvin": 4000})]),
    # was: out of range (68 taken for Celsius)
    ("set the thermostat to 68 fahrenheit", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 20})]),
    ("set the thermostat to 71f", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 21.5})]),
])
def test_a_value_said_in_other_words(site, text, expected):
    assert simple(site.parse(text, area="bedroom")) == ("ok", expected)


@pytest.mark.parametrize("text", [
    "toggle the bedroom ceiling light",  # was: off, whether it was on or not
    "ceiling fan speed 2",  # was: 2 percent (a fan's speed 2 of its few)
    "turn the ceiling fan down",  # was: switched on
])
def test_what_depends_on_what_is_not_said_is_asked(site, text):
    assert refused(site.parse(text, area="bedroom"), "unsupported")


@pytest.mark.parametrize("text", ["i'm going to bed", "going to bed now", "it's too sunny in the living room",
                                  "please help serve me coffee with no sugar"])
def test_a_statement_against_what_was_read_does_nothing(site, text):
    """Was: a light switched on for going to bed, the lamp for a room too sunny, the coffee maker off for a coffee."""
    result = site.parse(text, area="kitchen")
    assert result.status == "not_understood" and result.actions == []


@pytest.mark.parametrize("text", ["clean the living room and the kitchen", "vacuum the kitchen and the living room"])
def test_one_verb_for_two_places_is_one_request(site, text):
    """Was: the kitchen light switched on beside the vacuum; or the vacuum started three times."""
    assert simple(site.parse(text, area="kitchen")) == ("ok", [("vacuum.start", ["vacuum.robot"], {})])


@pytest.mark.parametrize("text", ["it's pitch black in here", "it's too dark in here"])
def test_a_statement_the_model_reads_right_still_acts(site, text):
    assert simple(site.parse(text, area="kitchen"))[0] == "ok"


def test_a_door_in_a_name_or_a_kind_word_as_a_verb_says_no_kind(site):
    """Was: "a lock cannot do valve.close_valve": the "door" of "the back door" and the verb "lock" were taken
    for the garage's kind."""
    assert simple(site.parse("lock the back door and close the garage")) == \
        ("ok", [("lock.lock", ["lock.back_door"], {}), ("cover.close_cover", ["cover.garage_door"], {})])


def test_the_heat_turned_down_is_never_heating_on(site):
    """Was: climate.set_hvac_mode heat (heating switched on where it was off)."""
    assert refused(site.parse("turn the heat down in the living room"), "unsupported")


def test_two_sentences_are_two_parts(site):
    """Was: the full stop dropped, the two read as one and refused as half understood."""
    assert simple(site.parse("Turn on the tv backlight. Turn off the christmas tree.")) == \
        ("ok", [("light.turn_on", ["light.tv_backlight"], {}), ("switch.turn_off", ["switch.christmas_tree"], {})])


def test_an_emergency_stop_where_the_speaker_is_stops_its_machines(plant):
    """Was: not understood (or "which machine?"), where every machine of the line was meant."""
    for text in ("emergency stop", "e-stop"):
        assert simple(plant.parse(text, area="packing line")) == \
            ("ok", [("machine.stop", ["machine.conveyor_a", "machine.conveyor_b", "machine.labeler"], {})]), text
    assert plant.parse("emergency stop").status != "ok"  # from a source placed nowhere: which machines is not said


def test_a_number_said_as_number_n_is_the_designator(plant):
    """Was: "stop mixer number 2" stopped mixer 1 too."""
    assert simple(plant.parse("stop mixer number 2")) == ("ok", [("machine.stop", ["machine.mixer_2"], {})])


@pytest.mark.parametrize(("text", "expected"), [
    # was: on alone, the red lost (acted on half of what was said)
    ("turn on the bedroom ceiling light and turn it red", [("light.turn_on", ["light.bedroom_ceiling"], {"color_name": "red"})]),
    # was: "could not tell what '50 percent' should set"
    ("set the bedroom ceiling light to red at 50 percent",
     [("light.turn_on", ["light.bedroom_ceiling"], {"color_name": "red", "brightness_pct": 50})]),
])
def test_a_colour_and_a_level_said_are_both_set(site, text, expected):
    assert simple(site.parse(text)) == ("ok", expected)


def test_a_question_about_the_blinds_is_not_about_the_garage_door(site):
    """Was: "which cover? say one of: garage door, living room blinds"."""
    registry = Registry(devices=[d for d in SITE.devices if d.domain != "cover" or d.id == "cover.garage_door"]
                        + [Device(id="cover.living_room_blinds", name="living room blinds", area="living room", domain="cover")])
    assert simple(CommandParser(site.engine, registry).parse("are the blinds open", area="kitchen")) == \
        ("ok", [("query.get_state", ["cover.living_room_blinds"], {})])


def test_switches_are_a_kind(site):
    """Was: "no device matches 'switches'"."""
    assert simple(site.parse("turn off all the switches in the kitchen")) == \
        ("ok", [("switch.turn_off", ["switch.coffee_maker", "switch.kettle"], {})])


def test_is_everything_locked_reads_the_locks(site):
    """Was: "which device? say one of: ceiling light, ..." (the model read a question about nothing in particular)."""
    assert simple(site.parse("is everything locked")) == ("ok", [("query.get_state", ["lock.back_door"], {})])


def test_them_is_every_device_named_before(site):
    """Was: only the tv backlight was set to 30 percent; the ceiling light said before it stayed as it was."""
    assert simple(site.parse("turn on the bedroom ceiling light and the tv backlight and set them to 30 percent")) == \
        ("ok", [("light.turn_on", ["light.bedroom_ceiling"], {}), ("light.turn_on", ["light.tv_backlight"], {"brightness_pct": 30}),
                ("light.turn_on", ["light.bedroom_ceiling"], {"brightness_pct": 30})])


def test_one_device_or_another_is_asked_which(site):
    """Was: the first turned off and the second turned on."""
    assert refused(site.parse("turn off the tv backlight or the christmas tree"), "ambiguous_device")


@pytest.mark.parametrize("text", ["the kitchen one", "turn on the kitchen one", "turn off the other one", "turn on this one"])
def test_one_standing_for_a_device_said_before_is_asked_which(site, text):
    """Was: the kitchen's lights set to 1 percent, or its switches turned on ("one" read as the number 1)."""
    result = site.parse(text, area="kitchen")
    assert result.status == "not_understood" and result.actions == []


def test_the_lamp_said_where_the_room_has_none_is_the_lamp():
    """Was: the living room's ceiling light (the room's only light) for "turn on the lamp"; the lamp is in the bedroom."""
    registry = Registry(devices=[d for d in PLUGS.devices if d.id != "light.floor_lamp"])
    status, actions = simple(CommandParser(Engine(), registry).parse("turn on the lamp", area="living room"))
    assert (status, actions) == ("ok", [("light.turn_on", ["light.bedside_lamp"], {})])


def test_a_setting_said_for_one_part_does_not_override_an_off_said_for_another(site):
    """Was: the tv backlight set to 50 percent where it was to go off ("one setting for every verbless part")."""
    assert simple(site.parse("turn the bedroom ceiling light to 50 percent brightness and the tv backlight off")) == \
        ("ok", [("light.turn_on", ["light.bedroom_ceiling"], {"brightness_pct": 50}), ("light.turn_off", ["light.tv_backlight"], {})])


def test_a_part_with_its_own_on_keeps_it(site):
    """Was: the tv backlight set to 20 percent too, where it was only to go on."""
    assert simple(site.parse("set the bedroom ceiling light to 20 percent and the tv backlight on")) == \
        ("ok", [("light.turn_on", ["light.bedroom_ceiling"], {"brightness_pct": 20}), ("light.turn_on", ["light.tv_backlight"], {})])


@pytest.mark.parametrize("text", ["pull up peking living room online", "show me the living room menu"])
def test_a_vacuum_is_never_started_where_nothing_said_is_cleaning(site, text):
    """Was: "pull up peking garden online" (a restaurant's page) started the vacuum in the example home's garden."""
    parser = reading(site, "vacuum.start area=area_1")
    assert refused(parser.parse(text, area="kitchen"), "not_understood")
    assert simple(parser.parse("clean the living room")) == ("ok", [("vacuum.start", ["vacuum.robot"], {})])
    assert simple(parser.parse("the living room floor is filthy")) == ("ok", [("vacuum.start", ["vacuum.robot"], {})])
    assert simple(site.parse("start the robot vacuum")) == ("ok", [("vacuum.start", ["vacuum.robot"], {})])


def test_a_light_nobody_needs_is_switched_off_and_nothing_else_is_done():
    """"i dont need light" (real speech, labelled off) was refused as a negated command. Wanting a thing no more
    asks for it off: done only where the model read an off, and never where "off" or a thing to do is said."""
    said = sentence.read("i don't need the kitchen light anymore")
    assert said.unneeded and not said.negated
    for text in ("i don't want the lights off", "i don't need you to turn on the light", "i don't want to turn on the lights",
                 "don't turn off the light"):
        said = sentence.read(text)
        assert said.negated and not said.unneeded, text
    assert refuse_to_act(["light.turn_on"], sentence.read("i don't need the light")).code == "negated"
    assert refuse_to_act(["light.turn_off"], sentence.read("i don't need the light")) is None


@pytest.mark.parametrize("text, question", [
    ("do a coffee for me please", False), ("do coffee", False), ("have the robot vacuum clean the living room", False),
    ("do you know if the kitchen light is on", True), ("do the lights in the kitchen work", True),
    ("have you turned off the kitchen light", True), ("have the kitchen lights been turned off", True),
    ("do not turn on the light", False), ("is the back door locked", True), ("has the vacuum finished", True),
])
def test_do_and_have_open_a_request_as_often_as_a_question(text, question):
    """Was: "do a coffee for me please" and "have my iroomba clean the house" (real speech) only read state."""
    assert asks(text) is question


def test_pitch_black_asks_for_light_not_for_black_light(site):
    """Was: "it's pitch black in here" set the room's lights to the colour black (no light shows black)."""
    result = site.parse("it's pitch black in here", area="kitchen")
    assert all("color_name" not in a.data for a in result.actions)
    assert site.parse("turn the kitchen light black").status != "ok"


def test_brighter_with_no_amount_is_a_step_and_a_direction_said_of_one_light_stays_its_own(site):
    """Was: "brighten up the kitchen" (real speech, labelled brighter) only switched the lights on. A sentence
    whose frames already carry a change keeps them: the other light is only switched on."""
    parser = reading(site, "light.turn_on area=area_1")
    assert simple(parser.parse("brighten up the kitchen")) == ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {"brightness_step_pct": 20})])
    assert simple(parser.parse("make the kitchen darker")) == ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {"brightness_step_pct": -20})])
    assert simple(parser.parse("turn on the kitchen")) == ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {})])
    assert simple(parser.parse("i need some more light in the kitchen")) == ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {"brightness_step_pct": 20})])
    assert simple(parser.parse("less light in the kitchen please")) == ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {"brightness_step_pct": -20})])
    both = reading(site, "light.turn_on name=light_1 ; light.turn_on name=light_2 brightness_step_pct=-20")
    assert simple(both.parse("turn on the living room light and dim the tv backlight")) == (
        "ok", [("light.turn_on", ["light.living_room_ceiling"], {}), ("light.turn_on", ["light.tv_backlight"], {"brightness_step_pct": -20})])


def test_a_kind_word_nobody_said_never_stands_for_every_device_of_another_kind(site):
    """Was: "turn on and brighten the kitchen lights" read as "light.turn_on name=plug ; ..." switched on every light
    of the site (the plug, a kind word of switches, named no light, so all of them)."""
    parser = reading(site, "light.turn_on name=plug ; light.turn_on name=light_1 brightness_step_pct=20")
    result = parser.parse("turn on and brighten the kitchen ceiling light", site_wide=True)
    assert refused(result, "not_understood") and "plug" in result.error.message


def test_a_command_that_lasts_a_while_carries_how_long_and_only_what_can_be_undone(site):
    """"switch on the ceiling fan for an hour" was refused; the gateway now undoes it when the hour is up. What
    cannot be undone by its opposite (a brightness, a question) is refused, never done for good."""
    result = site.parse("switch on the ceiling fan for an hour", area="bedroom")
    assert simple(result) == ("ok", [("fan.turn_on", ["fan.ceiling_fan"], {})])
    assert result.lasting is not None and result.lasting.after_s == 3600 and result.when is None
    later = site.parse("in 10 minutes turn on the kettle for half an hour", area="kitchen")
    assert simple(later) == ("ok", [("switch.turn_on", ["switch.kettle"], {})])
    assert (later.when.after_s, later.lasting.after_s) == (600, 1800)
    for text in ("set the kitchen ceiling light to 50 percent for 10 minutes", "is the back door locked for 5 minutes"):
        assert refused(site.parse(text, area="kitchen"), "unsupported"), text


SHOP = Registry.model_validate({"devices": [
    {"id": "fan.paint_shop_exhaust", "name": "exhaust fan", "area": "paint shop", "domain": "fan", "kind": "extractor"},
    {"id": "fan.bathroom_extractor", "name": "extractor fan", "area": "bathroom", "domain": "fan"},
    {"id": "sensor.tank_level", "name": "tank level", "area": "pump house", "domain": "sensor", "kind": "level"},
    {"id": "climate.bedroom_radiator", "name": "radiator", "area": "bedroom", "domain": "climate"},
]})


@pytest.fixture(scope="module")
def shop(site):
    return CommandParser(site.engine, SHOP)


def test_a_device_said_by_its_kind_in_its_area_is_found(shop):
    """Was: "turn the paint shop extractor off" refused ("no extractor in the paint shop; there is one in the
    bathroom"): the paint shop's exhaust fan is of kind extractor."""
    for text in ("turn the paint shop extractor off", "turn off the extractor in the paint shop"):
        assert simple(shop.parse(text)) == ("ok", [("fan.turn_off", ["fan.paint_shop_exhaust"], {})]), text


def test_a_question_names_a_device_with_its_name_words_in_another_order(shop):
    """Was: "what level is the tank at" refused (the model wrote a name nobody said, 'aquarium')."""
    assert simple(shop.parse("what level is the tank at")) == ("ok", [("query.get_state", ["sensor.tank_level"], {})])


def test_a_number_and_a_half_said_in_digits_is_the_half(shop):
    """Was: "set the bedroom radiator to 19 and a half" half understood (19, and "a half" read as a 50 for a valve)."""
    assert simple(shop.parse("set the bedroom radiator to 19 and a half")) == (
        "ok", [("climate.set_temperature", ["climate.bedroom_radiator"], {"temperature": 19.5})])


APPLIANCES = Registry.model_validate({"devices": [
    {"id": "switch.tv", "name": "tv", "area": "living room", "domain": "switch", "aliases": ["television"]},
    {"id": "switch.alarm", "name": "alarm", "area": "hall", "domain": "switch"},
    {"id": "switch.oven", "name": "oven", "area": "kitchen", "domain": "switch"},
    {"id": "switch.radio", "name": "radio", "area": "kitchen", "domain": "switch"},
]})


@pytest.mark.parametrize("text", [
    "define television", "could you describe the smart tv in the living room", "send a complaint to the maker of this tv",
    "set an alarm for 6 am", "remove my morning alarm", "cancel the alarm at 10 pm", "put a timer on the oven",
    "how do i turn on the oven", "show me how to switch the tv off", "mute the television", "turn the tv volume up",
])
def test_a_request_of_another_kind_that_names_a_device_does_nothing(text):
    """Out-of-domain speech (a dictionary, a complaint, an alarm clock, a how-to, sound) that names an appliance was
    read as that appliance on or off; with a time said, an alarm clock even waited for it. A question still reads."""
    result = CommandParser(Engine(), APPLIANCES).parse(text, site_wide=True)
    assert all(a.service == "query.get_state" for a in result.actions), (text, result)  # at most its state is read


def test_the_same_devices_are_still_switched_when_asked():
    parser = CommandParser(Engine(), APPLIANCES)
    for text, want in (("turn off the alarm", ("switch.turn_off", ["switch.alarm"])), ("switch on the radio", ("switch.turn_on", ["switch.radio"])),
                       ("turn the television off", ("switch.turn_off", ["switch.tv"]))):
        status, actions = simple(parser.parse(text, site_wide=True))
        assert (status, [(a[0], a[1]) for a in actions]) == ("ok", [want]), text


def test_a_percentage_said_is_not_also_a_white_nobody_asked_for(site):
    """Was: "set the lights to 50 percent" read as warm white (2700 K; the model's quirk for 50): the 50 was placed
    as the brightness and the warm white kept. With no white or mood said, the colour temperature goes."""
    parser = reading(site, "light.turn_on area=area_1 color_temp_kelvin=2700")
    assert simple(parser.parse("set the kitchen lights to 50 percent")) == ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {"brightness_pct": 50})])
    assert simple(parser.parse("set the kitchen lights to warm white at 50 percent")) == (
        "ok", [("light.turn_on", ["light.kitchen_ceiling"], {"color_temp_kelvin": 2700, "brightness_pct": 50})])


@pytest.mark.parametrize("text", ["conveyor b keeps tripping", "mixer 1 won't start", "the labeler is jammed",
                                  "conveyor a is making a grinding noise"])
def test_a_fault_reported_is_no_request(plant, text):
    """Was: "conveyor b keeps tripping" started conveyor b. A report goes to diagnostics; nothing acts on it."""
    result = plant.parse(text, area="packing line")
    assert all(a.service == "query.get_state" for a in result.actions), (text, result)


def test_a_fault_reported_with_a_request_beside_it_is_done(plant):
    result = plant.parse("the labeler is jammed, stop it")
    assert simple(result) == ("ok", [("machine.stop", ["machine.labeler"], {})])


def test_one_machine_said_where_two_have_the_name_is_asked_which(plant, site):
    """Was: "start the pump" with pump 1 and pump 3 started both. "the pumps" (plural) keeps acting on all of them."""
    pumps = CommandParser(site.engine, Registry.model_validate({"devices": [
        {"id": "machine.pump_1", "name": "pump 1", "area": "pump house", "domain": "machine"},
        {"id": "machine.pump_3", "name": "pump 3", "area": "pump house", "domain": "machine"}]}))
    for text in ("start the pump", "stop the pump"):
        assert refused(pumps.parse(text), "ambiguous_device"), text
    assert simple(pumps.parse("stop the pumps")) == ("ok", [("machine.stop", ["machine.pump_1", "machine.pump_3"], {})])
    assert simple(plant.parse("set the mixers to 30 percent")) == (
        "ok", [("machine.set_speed", ["machine.mixer_1", "machine.mixer_2"], {"speed_pct": 30})])


def test_all_of_a_thing_the_registry_lacks_is_not_all_of_its_kind():
    """Was: "turn on all neon signs" (held-out generated) switched on the site's one lamp: "all <word>" names a
    kind of thing, and where the registry has no such word it is refused, quoting it."""
    parser = CommandParser(Engine(), Registry.model_validate({"devices": [
        {"id": "light.other_lamp", "name": "other lamp", "area": "attic", "domain": "light"}]}))
    for text in ("turn on all neon signs", "brighten all the neon signs"):
        result = parser.parse(text)
        assert refused(result, "unknown_device") and "neon" in result.error.message, text
    assert simple(parser.parse("turn off all the lights")) == ("ok", [("light.turn_off", ["light.other_lamp"], {})])
    assert simple(parser.parse("turn off each apartment light")) == ("ok", [("light.turn_off", ["light.other_lamp"], {})])


def test_a_mood_said_of_the_lights_is_a_white_not_a_step_nobody_asked_for(site):
    """Was: "change the lights for a movie night" brightened them, "make the lights softer" dimmed them: a mood is
    a warm or cool white (as the trainable real speech labels it); a brighter or dimmer said stays a step."""
    parser = reading(site, "light.turn_on area=area_1 brightness_step_pct=20")
    assert simple(parser.parse("change the kitchen lights for a movie night")) == (
        "ok", [("light.turn_on", ["light.kitchen_ceiling"], {"color_temp_kelvin": 2700})])
    assert simple(parser.parse("set the kitchen lights up for reading")) == (
        "ok", [("light.turn_on", ["light.kitchen_ceiling"], {"color_temp_kelvin": 5000})])
    assert simple(parser.parse("make the kitchen brighter for reading")) == (
        "ok", [("light.turn_on", ["light.kitchen_ceiling"], {"brightness_step_pct": 20})])


def test_how_things_are_with_a_request_beside_it_is_done(site):
    assert simple(site.parse("the garage door is open, close it")) == ("ok", [("cover.close_cover", ["cover.garage_door"], {})])


def test_too_warm_or_too_cold_is_a_step_of_the_setpoint_the_right_way(site):
    """Was: "the bedroom is too warm" switched the radiator to heating."""
    now = {"climate.radiator": 20.0, "climate.thermostat": 20.0}.get
    for text, want in (("the bedroom is too warm", 19), ("it's too cold in the bedroom", 21), ("make the bedroom cooler", 19)):
        assert simple(site.parse(text, setpoints=now)) == ("ok", [("climate.set_temperature", ["climate.radiator"], {"temperature": want})]), text
    result = site.parse("the bedroom is too warm")  # no setpoint known: asked, never heated
    assert result.actions == [] and result.status == "rejected"
    # a complaint beside a request says why; the request says what
    assert simple(site.parse("it's too hot in the bedroom turn on the ceiling fan", setpoints=now)) == (
        "ok", [("fan.turn_on", ["fan.ceiling_fan"], {})])
    assert simple(site.parse("it is too cold in the bedroom close the curtains", setpoints=now)) == (
        "ok", [("cover.close_cover", ["cover.bedroom_curtains"], {})])


@pytest.mark.parametrize("text, want", [
    ("the kitchen is too dark", ("light.turn_on", ["light.kitchen_ceiling"])),
    ("the kettle needs to be on", ("switch.turn_on", ["switch.kettle"])),
    ("the garage door is open close it", ("cover.close_cover", ["cover.garage_door"])),
    ("kettle on please", ("switch.turn_on", ["switch.kettle"])),
])
def test_a_need_or_a_request_said_with_a_subject_is_still_done(site, text, want):
    status, actions = simple(site.parse(text, site_wide=True))
    assert (status, [(a[0], a[1]) for a in actions]) == ("ok", [want]), text


def test_advice_asked_with_would_it_only_reads(site):
    """Was: "would it be a good idea to unlock the back door" unlocked it."""
    for text in ("would it be a good idea to unlock the back door", "could it be ok to open the garage door"):
        result = site.parse(text)
        assert all(a.service == "query.get_state" for a in result.actions), (text, result)
    assert simple(site.parse("would you lock the back door"))[1] == [("lock.lock", ["lock.back_door"], {})]


def test_a_request_that_opens_with_its_verb_or_says_what_is_needed_is_done(site):
    assert simple(site.parse("turn on the lights that are in the kitchen"))[1] == [("light.turn_on", ["light.kitchen_ceiling"], {})]
    assert simple(site.parse("the back door needs locking"))[1] == [("lock.lock", ["lock.back_door"], {})]


@pytest.mark.parametrize("text", [
    # how things are, or a feeling
    "the back door is open",
    "the kettle is boiling",
    "the lights are on",
    "i hate the christmas tree",
    # what somebody did or a device did by itself, an opinion, a reminder, a why / who question
    "i turned off the kettle",
    "i just switched on the christmas tree",
    "the kettle was left on",
    "somebody left the garage door open",
    "the christmas tree turned itself on",
    "the ceiling fan keeps turning on",
    "the kids broke the christmas tree",
    "the tv backlight needs a new bulb",
    "my kettle is brand new",
    "the kettle stopped",
    "turning off the kettle now myself",
    "i think the garage door is open",
    "remember to turn off the kettle",
    "why is the kettle on",
    "who turned on the christmas tree",
    # a sentence that opens with its subject and a verb (written after the rules above, to see whether they carry)
    "the kettle has a broken switch",
    "the coffee maker beeped twice",
    "the robot vacuum got stuck under the sofa",
    "the christmas tree looks lovely tonight",
    "our thermostat is set to 20",
    "the compressor started at 6",
    "dad locked the back door",
    "grandma likes the tv backlight",
    "my kettle takes ages to boil",
    "the garage door makes a horrible noise",
    "the ceiling fan is wobbling",
    "i can hear the kettle",
    # stories, games, words about words (a probe written before parsing: 8 of 12 acted)
    "imagine turning off all the lights",
    "pretend to turn on the kettle",
    "translate turn on the kettle into french",
    "spell kettle",
    "in the movie they unlock the back door",
    "last night i forgot to lock the back door",
    "the manual says to reset the compressor after a trip",
    "my neighbour always leaves his porch light on",
    # a habit, a bet, an action as a subject (a second probe: 4 of 20 acted)
    "whoever left the garage door open is in trouble",
    "turning on the christmas tree is my favourite part of december",
    "before bed i always lock the back door",
    "i bet the kettle is still on",
    # thanks, remarks, plans, requests reported (a third probe: 7 of 20 acted)
    "thanks for turning on the kettle",
    "nice work unlocking the back door earlier",
    "it's weird that the kettle is off",
    "there's no need to turn on the christmas tree",
    "grandpa keeps asking me to turn on the kettle",
    "a friend of mine installed a smart lock on his back door",
    "next week we might replace the kettle",
    # a longer subject, an interjection, should, needs (a fourth probe: 6 of 20 acted)
    "someone should really fix the garage door",
    "hmm the bedroom curtains are half open",
    "the back door lock needs oiling",
    "the living room christmas tree was delivered",
    # a subject and a verb in any shape with no request said in it (`told.says_a_request`): each of these acted; a
    # fresh probe by another hand, read before these rules, had 14 of 60 statements act (5 after)
    "the ceiling fan in the bedroom was a nightmare to install",
    "by the way a delivery van clipped the garage door this morning",
    "i'll sort out the blinds myself after lunch",
    "thanks the living room's much warmer now",
    "the garage door's been open since lunch",
    "we hardly ever open the back door in winter",
    "honestly i love the christmas tree this time of year",
    "the living room light flickered during the storm",
    "nobody switches the coffee maker on before eight",
    "the manual says the kettle should be descaled every month",
    "it was freezing last night and the radiator was barely warm",
    "my flatmate keeps unlocking the back door and forgetting to lock it",
    "ugh who set the thermostat to 30",
    "note to self buy a new filter for the coffee maker",
    "step two close the garage door before leaving",
    "the robot vacuum just ate a sock",
    # a fifth probe by another hand (2026-11-30, 5 of 60 statements acted): a plural present verb, "could've", a
    # property said with "too", how long something takes after an interjection
    "the string lights in the garden look lovely tonight",
    "could've sworn i locked the back door",
    "the bedroom curtains are too see-through, the light gets in",
    "ugh the bedroom radiator takes ages to warm the room",
    "mike stopped mixer 1 for cleaning",  # ends in a number, as "bedroom to 20" does, but has a verb
    # a noun that is also a verb, as the subject ("vacuum kept ...", "... that hoover", "all switch turns ...")
    "robot vacuum kept turning itself off",
    "my kids switched on that hoover",
    "the dehumidifier won't work",
])
def test_a_sentence_that_tells_or_asks_something_else_acts_on_nothing(site, text):
    """Each of these acted on a device of the site: switched, opened, unlocked or locked it (statements, stories,
    thanks, habits, found by probes written before parsing; `nanoiot/told.py`). A question still reads state."""
    result = site.parse(text, site_wide=True)
    assert all(a.service == "query.get_state" for a in result.actions), (text, result)


@pytest.mark.parametrize(("text", "expected"), [
    ("the back door wants locking", [("lock.lock", ["lock.back_door"], {})]),
    ("the kitchen looks gloomy, switch the ceiling light on", [("light.turn_on", ["light.kitchen_ceiling"], {})]),
    ("turns the kettle off", [("switch.turn_off", ["switch.kettle"], {})]),
    ("we're off to bed so the back door wants locking", [("lock.lock", ["lock.back_door"], {})]),
])
def test_a_request_said_beside_a_statement_is_still_done(site, text, expected):
    """The statement rule refuses only where no request is said: a need, a verb that asks, a want."""
    assert simple(site.parse(text, area="kitchen")) == ("ok", expected)


@pytest.mark.parametrize("text", ["lock the back door on your way out", "please lock the back door on your way out",
                                  "open the curtains on your way out"])
def test_a_request_read_the_other_way_round_does_nothing(site, text):
    """Was: "lock the back door on your way out" unlocked it, "open the curtains on your way out" closed them (the
    model reads "out" as leaving): where only the other way's words are said, nothing is done."""
    result = site.parse(text, area="kitchen")
    assert refused(result, "not_understood"), result
    assert simple(site.parse("lock the back door", area="kitchen")) == ("ok", [("lock.lock", ["lock.back_door"], {})])


def test_a_colour_nobody_said_is_not_set(site):
    """Was: "trun on the bedroom ceiling light" switched it on in fuchsia (the model's guess for a typo). A colour the
    sentence does not say is dropped; one said, or said with -ish, stays."""
    assert simple(site.parse("trun on the bedroom ceiling light")) == ("ok", [("light.turn_on", ["light.bedroom_ceiling"], {})])
    assert simple(site.parse("make the bedroom ceiling light pinkish")) == \
        ("ok", [("light.turn_on", ["light.bedroom_ceiling"], {"color_name": "pink"})])
    # the rule itself, whatever a model reads
    frames = [Frame(service="light.turn_on", name="light_1", data={"color_name": "fuchsia", "brightness_pct": 40})]
    assert unsaid_color(frames, "trun on light_1 at 40 percent")[0].data == {"brightness_pct": 40}
    assert unsaid_color(frames, "light_1 to fuchsia")[0].data == frames[0].data


@pytest.mark.parametrize("text", ["Sarah, grab the mugs next to the coffee maker.",
                                  "raj, please stop conveyor a when the last pallet is on",
                                  "Mum, can you switch the kettle off"])
def test_a_request_said_to_someone_in_the_room_does_nothing(site, text):
    """Was: "Sarah, grab the mugs next to the coffee maker" started the coffee maker. A name before a comma at the
    start, that is none of our words, is someone being spoken to: nothing is done, and the answer says to whom."""
    result = site.parse(text, site_wide=True)
    assert refused(result, "not_understood") and text.split(",")[0] in result.error.message, result


@pytest.mark.parametrize("text", ["Alexa, turn off the kettle", "Actually, turn off the kettle", "Kettle, off",
                                  "ok, turn off the kettle"])
def test_a_wake_word_or_a_word_of_ours_before_a_comma_is_no_one_else(site, text):
    assert simple(site.parse(text)) == ("ok", [("switch.turn_off", ["switch.kettle"], {})]), text


@pytest.mark.parametrize("text", ["why is the coffee maker making that clicking noise", "how long do the sprinklers run",
                                  "who left the garage door open", "how long has the kettle been on"])
def test_a_question_no_state_answers_reads_nothing(site, text):
    """Was: each read the device's state, an answer to another question (why, who, how long: a helper's probe
    had 9 such of 90 sentences that ask nothing). A question of what is still reads."""
    assert refused(site.parse(text), "not_understood")
    assert simple(site.parse("is the garage door open")) == ("ok", [("query.get_state", ["cover.garage_door"], {})])


def test_the_unnamed_half_of_a_request_is_the_device_the_other_half_names(site):
    """Was: "set the thermostat to heat and twenty degrees" set 20 degrees on every climate device of the site (the
    model wrote the second half with no name). A kind word that is one device's whole name, named by the other frame
    of its kind, is that device."""
    assert simple(site.parse("please could you set the thermostat to heat and twenty degrees", site_wide=True)) == \
        ("ok", [("climate.set_hvac_mode", ["climate.thermostat"], {"hvac_mode": "heat"}),
                ("climate.set_temperature", ["climate.thermostat"], {"temperature": 20})])


def test_a_percentage_said_beside_a_colour_is_kept():
    """Was: "set the led strip to purple at fifty percent brightness" set purple only (the model wrote color_name=50,
    which counted as carrying the 50)."""
    frames = [Frame(service="light.turn_on", name="light_1", data={"color_name": 50})]
    assert unplaced_value(frames, "set light_1 to purple at 50 percent brightness") == "50 percent"


@pytest.mark.parametrize("text", ["after the robot vacuum finishes, lock the back door",
                                  "once the kettle boils switch off the coffee maker",
                                  "before the shift ends stop conveyor a"])
def test_a_request_for_after_an_event_is_not_done_now(site, text):
    """Was: "after the vacuum finishes, lock the back door" locked it at once. The gateway keeps delays and times
    of day, not events: refused, never done now."""
    assert site.parse(text, site_wide=True).status != "ok"


def test_but_dont_leaves_its_devices_alone_and_does_the_rest(site):
    """Was: "turn on the porch light but don't unlock the front door" refused as negated. The half after "but don't"
    names what to leave alone, as "except" does: never done, and never left out of nothing ("... but don't wake the
    baby" names no device, so nothing is done)."""
    assert simple(site.parse("turn on the kitchen light but don't unlock the back door")) == \
        ("ok", [("light.turn_on", ["light.kitchen_ceiling"], {})])
    result = site.parse("turn off the lights but don't turn off the kitchen light", site_wide=True)
    assert result.status == "ok" and "light.kitchen_ceiling" not in {t for a in result.actions for t in a.targets}
    assert result.actions and all(a.service == "light.turn_off" for a in result.actions)
    assert site.parse("turn on the kitchen light but don't wake the baby").status != "ok"
    assert refused(site.parse("don't turn on the kitchen light"), "negated")
    # the lights of the speaker's room, as "turn on the light" alone: leaving out another room's door widens nothing
    assert simple(site.parse("turn on the light but don't unlock the back door", area="kitchen")) == \
        simple(site.parse("turn on the light", area="kitchen"))


def test_each_verb_is_one_direction_for_the_parts_said_after_it(site):
    """Was: "turn off the air dryer and stop the compressor and the palletizer" refused (the model started the
    palletizer, and the words say stop). Each verb, with the verbless parts after it, is one direction."""
    frames = [Frame(service="switch.turn_off", name="switch_1"), Frame(service="machine.stop", name="machine_1"),
              Frame(service="machine.start", name="machine_2")]
    fixed = one_direction(frames, "turn off the switch_1 and stop the machine_1 and the machine_2")
    assert [f.service for f in fixed] == ["switch.turn_off", "machine.stop", "machine.stop"]
    # two verbs of their own, or on and off said of one verb's parts: as the model read them
    assert one_direction(frames, "turn off the switch_1 and stop the machine_1 and start the machine_2") == frames
    mixed = [Frame(service="light.turn_on", name="light_1"), Frame(service="light.turn_off", name="light_2")]
    assert one_direction(mixed, "turn the light_1 on and the light_2 off") == mixed
