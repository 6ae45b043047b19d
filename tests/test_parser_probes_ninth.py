"""Found by fourteen probes helpers wrote from the example site's device list alone (2026-12-01, ninth session): how
people who already use a voice assistant talk, amounts and times said as people say them, a plant's operators,
typing slips and references inside one message, texting, comfort, moments that touch many devices, musing and
hedging, devices picked by number, devices called by brand, nickname or description, English as a second language,
places and devices that do not fit, how many devices a request means, and doors, locks and valves. Shipped model, no mocks; 39 of these cases acted wrongly before this
session's rules, the others guard what those rules must leave alone (or read again)."""

import pytest

from test_parser_speech_probes import does_nothing
from test_parser_wrong_actions import simple


@pytest.mark.parametrize("text, area", [
    # somebody at or in it, or something under it: started, reset, closed
    ("start the palletizer, maintenance is still in the cell", None),
    ("start conveyor a, I'm reaching in to clear the jam", "packing line"),
    ("drop the roller door, there's a forklift sitting under it", "control room"),
    ("close the loading door, the truck is in the way", "control room"),
    # an emergency stop is released at the machine: read as a stop
    ("release the e-stop on conveyor a", "packing line"),
    # under somebody's lock: started
    ("pump 1 still has Mikes lock on it, bring it up anyway", "pump house"),
    # it stopped itself: started again after the reset
    ("conveyor a e-stopped itself, reset it and run it", "packing line"),
])
def test_unsafe_to_move_from_here_moves_nothing(example, text, area):
    result = example.parse(text, area=area)
    assert does_nothing(result), simple(result)


@pytest.mark.parametrize("text, area", [
    # a repeat, a setting only a history could tell: set now
    ("turn the ac to 20 each day at noon", "control room"),
    ("put the lights back to normal", "living room"),
    ("set the heating like it was yesterday", "living room"),
    # a time said of one request of several: the first moved to that time, the second lost
    ("switch on the porch light and turn it off at 11", None),
    ("turn off the tv backlight and close the blinds in 10 minutes", "living room"),
    ("turn on the floor lamp for 10 minutes and close the blinds", "living room"),
    # a unit no setting takes: started at whatever speed
    ("run conveyor a at 1500 rpm", "packing line"),
    # slips: on for "tunr of", off for "ot" (on? of?), closed for "open close"
    ("trun ot the fan", "bedroom"),
    ("open close the garage door", None),
    ("swtich tje ligjt", "bedroom"),  # a warm white nobody said
    # "it" with nothing before it: every light of the room, the main valve
    ("dim it to 30", "living room"),
    ("set it to 50", "pump house"),
    # one word of two devices' names: the desk lamp and the desk fan; the ceiling light and the bedside lamp
    ("turn on the desk", None),
    ("turn off the ceiling", "bedroom"),
    # "the same" as nothing before it
    ("do the same in the bedroom", "living room"),
    # a part dropped: the lamp, the warehouse, the restart, the dryer and the high bays
    ("turn on the lamp and the big light", "living room"),
    ("turn on the lights here and in the warehouse", "packing line"),
    ("clear the fault on conveyor b then restart please", "packing line"),
    ("compressor on, dryer on, high bays on", "control room"),
    # a floor the site does not have: the bedroom's lights
    ("turn off everything downstairs", "bedroom"),
    # blinding sun read as opening the blinds; a complaint as brighter
    ("the sun is blinding me through the blinds, I can't see the telly", "living room"),
    ("the hall light is always too dim, typical", "hallway"),
])
def test_half_heard_or_for_later_moves_nothing(example, text, area):
    result = example.parse(text, area=area)
    assert does_nothing(result), simple(result)


@pytest.mark.parametrize("text, area, expected", [
    # the slip read the other way, or as another device
    ("tunr of the kitchen light", "kitchen", [("light.turn_off", ["light.kitchen_ceiling"], {})]),
    ("trun on the fan", "bedroom", [("fan.turn_on", ["fan.bedroom_ceiling_fan"], {})]),
    ("make the tv backlight bleu", "living room", [("light.turn_on", ["light.living_room_led_strip"], {"color_name": "blue"})]),
    ("start the feedpump", "pump house", [("machine.start", ["machine.pump_1"], {})]),
    # "the same" there: the bedroom's lights were switched on
    ("close the blinds and do the same in the bedroom", "living room",
     [("cover.close_cover", ["cover.living_room_blinds"], {}), ("cover.close_cover", ["cover.bedroom_curtains"], {})]),
    ("turn on the lamp and the same in the bedroom", "living room",
     [("light.turn_on", ["light.living_room_floor_lamp"], {}), ("light.turn_on", ["light.bedside_lamp"], {})]),
    # the restart was dropped
    ("clear the fault on conveyor a and restart it", None,
     [("machine.reset_fault", ["machine.conveyor_a"], {}), ("machine.start", ["machine.conveyor_a"], {})]),
    # "full" was a step up; "three quarters closed" 75 percent open; the value of what was told, not asked
    ("lights up full", "packing line", [("light.turn_on", ["light.packing_line_lights"], {"brightness_pct": 100})]),
    ("set the blinds three quarters closed", "living room", [("cover.set_cover_position", ["cover.living_room_blinds"], {"position": 25})]),
    ("the dock door's hung up half open, close it", None, [("cover.close_cover", ["cover.loading_door"], {})]),
    # the curtains were dropped, or the blinds
    ("open the blinds and curtains", None,
     [("cover.open_cover", ["cover.living_room_blinds"], {}), ("cover.open_cover", ["cover.bedroom_curtains"], {})]),
    ("open all the blinds and the curtains", None,
     [("cover.open_cover", ["cover.bedroom_curtains", "cover.living_room_blinds", "cover.office_shades"], {})]),
    # the reason is told, the request said after it
    ("that shower was scorching and the mirror's all fogged up, put the bathroom fan on", "hallway",
     [("fan.turn_on", ["fan.bathroom_extractor"], {})]),
    # a statement beside the request was read as a second request ("compressor's on")
    ("compressor's on, turn the air dryer on as well, we're getting water in the lines", "control room",
     [("switch.turn_on", ["switch.air_dryer"], {})]),
])
def test_meant_as_said(example, text, area, expected):
    assert simple(example.parse(text, area=area)) == ("ok", expected)


@pytest.mark.parametrize("text, area, expected", [
    ("turn the lights back on", "living room", [("light.turn_on", ["light.living_room_ceiling", "light.living_room_floor_lamp",
                                                                   "light.living_room_led_strip"], {})]),
    ("turn off the upstairs bathroom light", None, [("light.turn_off", ["light.bathroom_mirror"], {})]),
    ("it is dark, make it brighter", "kitchen", [("light.turn_on", ["light.kitchen_ceiling", "light.kitchen_island"],
                                                  {"brightness_step_pct": 20})]),
    ("turn on the floor lamp and dim it to 20", "living room", None),  # refused or done, never another device
    ("please could you set the thermostat to heat and twenty degrees", None,
     [("climate.set_hvac_mode", ["climate.living_room_thermostat"], {"hvac_mode": "heat"})]),
])
def test_requests_beside_those_rules_are_still_done(example, text, area, expected):
    result = simple(example.parse(text, area=area))
    if expected is None:
        assert result[0] != "ok" or all(t == "light.living_room_floor_lamp" for _, targets, _ in result[1] for t in targets)
    else:
        assert result[0] == "ok" and result[1][: len(expected)] == expected


@pytest.mark.parametrize("text, area, undone_after_s", [
    # undone later is one request kept for its length: the roomba was started in an hour and never sent home
    ("start the roomba and send it home in an hour", "living room", 3600.0),
    ("open the blinds and then close them again in an hour", "living room", 3600.0),
])
def test_done_now_and_undone_later(example, text, area, undone_after_s):
    result = example.parse(text, area=area)
    assert result.status == "ok" and result.when is None and result.lasting is not None
    assert result.lasting.after_s == undone_after_s


HOUSE_LIGHTS = ["light.kitchen_ceiling", "light.kitchen_island", "light.living_room_ceiling", "light.living_room_floor_lamp",
                "light.living_room_led_strip", "light.bedroom_ceiling", "light.bedside_lamp", "light.hallway",
                "light.bathroom_mirror", "light.office_desk_lamp", "light.porch", "light.garden_string_lights"]
PLANT_LIGHTS = ["light.warehouse_high_bay", "light.packing_line_lights"]


@pytest.mark.parametrize("text", ["I'm going to sleep, turn off every light in the house",
                                  "turn off all the lights in the whole house"])
def test_the_house_is_the_areas_the_site_calls_so(example, text):
    """Was: the plant's lights too. The example site names its home's areas "house" (an area alias shared)."""
    status, actions = simple(example.parse(text))
    assert status == "ok" and [(service, sorted(targets), data) for service, targets, data in actions] == \
        [("light.turn_off", sorted(HOUSE_LIGHTS), {})]


def test_all_the_lights_of_a_site_with_no_place_said_are_still_all_of_them(example):
    status, actions = simple(example.parse("turn off all the lights"))
    assert status == "ok" and set(PLANT_LIGHTS) <= set(actions[0][1])


@pytest.mark.parametrize("text, area, expected", [
    # what says why before "everything off": the lights were left on and the thermostat switched off
    ("going to bed, switch everything off in here", "living room",
     [("light.turn_off", ["light.living_room_ceiling", "light.living_room_floor_lamp", "light.living_room_led_strip"], {}),
      ("switch.turn_off", ["switch.christmas_tree"], {})]),
    ("off to bed, turn off everything in the bathroom", "bedroom",
     [("light.turn_off", ["light.bathroom_mirror"], {}), ("fan.turn_off", ["fan.bathroom_extractor"], {})]),
])
def test_everything_off_after_a_reason_is_everything_there(example, text, area, expected):
    assert simple(example.parse(text, area=area)) == ("ok", expected)


@pytest.mark.parametrize("text, area", [
    ("I'm heading out, lock up and turn everything off", "hallway"),  # was: the front door locked, nothing off
    ("we're done, shut everything off", "pump house"),  # was: the main valve closed
    ("when the shift ends, stop the conveyors", "control room"),  # a condition before a last clause read alone
    ("someone's ringing the bell, open the front door for them", "hallway"),  # was: unlocked for whoever it is
    ("good night, house", None),  # was: every light dimmed to a warm white
    ("open the curtains at 7 tmrw", "bedroom"),  # was: the curtains set to 7 percent
    ("lights off w/ the fan too pls", "bedroom"),  # was: the fan alone
])
def test_moments_and_texting_read_wrong_move_nothing(example, text, area):
    result = example.parse(text, area=area)
    assert does_nothing(result), simple(result)


@pytest.mark.parametrize("text, area", [
    # musing, wishing, wondering, sarcasm: switched, unlocked, stopped, set
    ("I could turn the fan on I suppose", "bedroom"),
    ("in theory you could unlock the door from here right", "hallway"),
    ("oh great, turn the lights off, I love sitting in the dark", "living room"),
    ("can you believe the kitchen light was on all night", "kitchen"),
    ("thinking about turning the coffee machine on", "kitchen"),
    ("wish I could turn off the compressor, it's so loud", "control room"),
    ("can you even turn the heating up to 30? asking for a friend", "living room"),
    ("can the floor lamp even do colours?", "living room"),  # was: a warm white
    # by number and by name: pump 3 stopped too, both pumps started, mixer 1 stopped
    ("start the feed pump, pump 3", "pump house"),
    ("stop pmp 1", "pump house"),
    # by what it is called elsewhere or by a word of another device: the bedroom's fan and lights, the coffee maker,
    # the mirror light for a heat lamp the site lacks
    ("loo fan off", "bedroom"),
    ("turn off the light by the mirror", "bedroom"),
    ("start the infeed", "packing line"),
    ("turn on the heat lamp in the bathroom", "bedroom"),
])
def test_musing_or_a_device_the_words_do_not_pick_moves_nothing(example, text, area):
    result = example.parse(text, area=area)
    assert does_nothing(result), simple(result)


@pytest.mark.parametrize("text, area, expected", [
    ("stop every pump but number 3", "pump house", [("machine.stop", ["machine.pump_1"], {})]),
    ("would it be possible to set the heating to 21", "living room",
     [("climate.set_temperature", ["climate.living_room_thermostat"], {"temperature": 21})]),  # was: a state read
    ("I could use some light in here", "bedroom", [("light.turn_on", ["light.bedroom_ceiling", "light.bedside_lamp"], {})]),
    ("start the infeed conveyor", "packing line", [("machine.start", ["machine.conveyor_a"], {})]),
    ("stop mixr 2", "pump house", [("machine.stop", ["machine.mixer_2"], {})]),
    ("lights off, quick, someone's outside", "bedroom", [("light.turn_off", ["light.bedroom_ceiling", "light.bedside_lamp"], {})]),
])
def test_hedged_numbered_and_slipped_requests_are_still_done(example, text, area, expected):
    assert simple(example.parse(text, area=area)) == ("ok", expected)


@pytest.mark.parametrize("text, area", [
    # "no" before the verb, as other languages say "don't": stopped, switched off
    ("please to no stop the compressor", "control room"),
    ("please no turning off the heating", "living room"),
    # "more low" read as a step up
    ("put the light of living more low", "living room"),
    # "the rest" dropped
    ("turn on the floor lamp and turn the rest off", "living room"),
    # how many said, which not: every light of the room was switched, the front door unlocked
    ("turn on a light", "living room"),
    ("turn on some lights", "living room"),
    ("turn off half the lights", "living room"),
    ("turn off two of the lights", "living room"),
    ("turn on one of the kitchen lights", "kitchen"),
    ("unlock one of the doors", "hallway"),
    ("turn off the three bedroom lights", "bedroom"),
    ("make two of the living room lights red", "living room"),
])
def test_a_negation_a_direction_or_a_count_read_wrong_moves_nothing(example, text, area):
    result = example.parse(text, area=area)
    assert does_nothing(result), simple(result)


@pytest.mark.parametrize("text, area, expected", [
    ("set the bedroom and office fans to 50 percent", None,  # was: the bedroom's lights switched on
     [("fan.set_percentage", ["fan.bedroom_ceiling_fan"], {"percentage": 50}), ("fan.set_percentage", ["fan.office_desk_fan"], {"percentage": 50})]),
    ("start conveyor a and b", "packing line",
     [("machine.start", ["machine.conveyor_a"], {}), ("machine.start", ["machine.conveyor_b"], {})]),
    ("stop mixer 1 and set mixer 2 to 40 percent", None,
     [("machine.stop", ["machine.mixer_1"], {}), ("machine.set_speed", ["machine.mixer_2"], {"speed_pct": 40})]),
    ("please turn on a lamp", "living room", [("light.turn_on", ["light.living_room_floor_lamp"], {})]),
    ("turn off the two bedroom lights", "bedroom", [("light.turn_off", ["light.bedroom_ceiling", "light.bedside_lamp"], {})]),
    ("turn the lights down", "living room", [("light.turn_on", ["light.living_room_ceiling", "light.living_room_floor_lamp",
                                                                "light.living_room_led_strip"], {"brightness_step_pct": -20})]),
    ("no, lights off", "living room", [("light.turn_off", ["light.living_room_ceiling", "light.living_room_floor_lamp",
                                                            "light.living_room_led_strip"], {})]),
])
def test_counts_and_ways_said_plainly_are_still_done(example, text, area, expected):
    assert simple(example.parse(text, area=area)) == ("ok", expected)


@pytest.mark.parametrize("text, area", [("lock up", "hallway"), ("close the garage and lock up", "hallway")])
def test_lock_up_locks_every_door_of_the_house(example, text, area):
    """Was: the hallway's front door alone (the back door left unlocked)."""
    status, actions = simple(example.parse(text, area=area))
    assert status == "ok" and ("lock.lock", ["lock.back_door", "lock.front_door"], {}) in \
        [(service, sorted(targets), data) for service, targets, data in actions]


def test_an_unlock_said_with_a_place_where_the_door_is_not_moves_nothing(example):
    """Was: "open the door to the garden" from the kitchen unlocked the back door (the garden is no place of it)."""
    assert does_nothing(example.parse("open the door to the garden", area="kitchen"))
    assert simple(example.parse("unlock the back door", area="kitchen")) == ("ok", [("lock.unlock", ["lock.back_door"], {})])
