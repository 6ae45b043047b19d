"""Found by sixteen probes on sites the gateway had never seen (2026-12-01, tenth session): each helper designed a site
in a style of its own (a shared flat, a family house, a bakery, a market garden, a machine shop, a holiday rental, an
office floor, a house of word-named devices; an elderly woman's flat, a school, a bed and breakfast, a brewery, a boat,
a tinkerer's home, a dairy farm, a bilingual home) and wrote 150 lines for it, reading nothing but a brief
(`nanoiot/data/helper_requests_53..72.jsonl` and their `.site.json`). Shipped model, no mocks; the cases marked so
acted wrongly before this session's rules, the others guard what those rules must leave alone."""

import pytest

from nanoiot.registry import Registry
from test_parser_speech_probes import does_nothing
from test_parser_wrong_actions import simple


@pytest.mark.parametrize("n, text, area", [
    (53, "dim the fairy lights", None),  # their capabilities: [] (on/off only)
    (56, "dim the yard flood to 50", None),
    (60, "make the neon red", "man cave"),
    (55, "dim the kitchen lights to 50", "kitchen"),
])
def test_an_empty_capability_list_means_on_and_off_only(site, n, text, area):
    result = site(n).parse(text, area=area)
    assert (result.status, result.error.code if result.error else None) == ("rejected", "unsupported"), simple(result)


def test_capabilities_left_out_take_everything_and_imported_ones_are_exact():
    light = {"id": "light.lamp", "name": "lamp", "area": "den", "domain": "light"}
    listed = Registry.model_validate({"devices": [light | {"capabilities": []}]}).devices[0]
    assert listed.listed_capabilities == frozenset()
    assert Registry.model_validate({"devices": [light]}).devices[0].listed_capabilities is None
    imported = Registry.model_validate({"devices": [light | {"origin": "zigbee2mqtt"}]}).devices[0]
    assert imported.listed_capabilities == frozenset()


@pytest.mark.parametrize("n, text, area", [
    # a device called by a plain word, the word meant: acted on the device
    (56, "feed the hens", "yard"),
    (57, "miller time boys", "bay 2"),
    (60, "ghost stories in the nursery tonight!", "nursery"),
    (60, "I'm so dusty after that hike", "hallway"),
    (60, "I wish dusty would get under the sofa properly", None),
    (59, "i really need to focus today", "focus room"),
])
def test_a_device_name_said_as_a_plain_word_does_nothing(site, n, text, area):
    result = site(n).parse(text, area=area)
    assert does_nothing(result), simple(result)


@pytest.mark.parametrize("n, text, area, expected", [
    # the same names said as names: a way, a value or a command the second reading also finds
    (60, "light the fire", "den", [("switch.turn_on", ["switch.fire"], {})]),
    (60, "kill big ben", None, [("switch.turn_off", ["switch.big_ben"], {})]),
    (60, "send dusty back to his dock", "den", [("vacuum.return_to_base", ["vacuum.dusty"], {})]),
    (55, "start bertha", "kitchen", [("machine.start", ["machine.spiral_mixer"], {})]),
    (57, "kaeser on", "compressor room", [("machine.start", ["machine.air_compressor"], {})]),
    (59, "turn focus on", None, [("light.turn_on", ["light.focus_room"], {})]),
    (56, "send shep round the kitchen", "kitchen", [("vacuum.start", ["vacuum.shep"], {})]),
])
def test_a_device_called_by_a_plain_word_is_still_commanded(site, n, text, area, expected):
    assert simple(site(n).parse(text, area=area)) == ("ok", expected)


@pytest.mark.parametrize("n, text, area", [
    (55, "we need more flour", "kitchen"),  # read as brighter kitchen lights
    (58, "the big light's a bit harsh, maybe make it warmer?", "lounge"),  # brighter
    # a place the site lacks, numbered like the device's own: line 3's conveyor started
    (57, "line 2 conveyor go", None),
    # what the request is about is another device's (cnc 3 coolant): cnc 3 stopped
    (57, "shut off the coolant on cnc 3", "bay 2"),
    # taken back, a reason after: the yard lights switched off
    (56, "open the gate, actually no, leave it, cows are out", "yard"),
    (53, "turn on the hue go... actually nvm", "living room"),
    # for somebody else to do, or offered to somebody
    (60, "can you ask dad to turn the fire off", "den"),
    (56, "shall I put the big light on for you nan", "front room"),
    (59, "we could lower zone a to 20 maybe, thoughts?", None),
    (54, "emma, turn your fan off please", "emma's room"),
])
def test_not_asked_of_a_device_does_nothing(site, n, text, area):
    result = site(n).parse(text, area=area)
    assert does_nothing(result), simple(result)


@pytest.mark.parametrize("n, text, area, expected", [
    # a place called like a device in it ("sauna", the heater): the light in it, never the heater
    (58, "light in sauna on please", None, [("light.turn_on", ["light.sauna_light"], {})]),
    (58, "sauna on", None, [("switch.turn_on", ["switch.sauna"], {})]),
    (57, "line 3 conveyor go", None, [("machine.start", ["machine.line_3_conveyor"], {})]),
    (60, "tell dusty to stop", None, [("vacuum.stop", ["vacuum.dusty"], {})]),
])
def test_meant_as_said(site, n, text, area, expected):
    assert simple(site(n).parse(text, area=area)) == ("ok", expected)


@pytest.mark.parametrize("n, text, area", [
    (55, "open gas, I smell gas anyway", "kitchen"),  # opened the gas
    (58, "roll in the sunshade, wind is coming", None),  # opened the awning
])
def test_unsafe_or_the_other_way_does_nothing(site, n, text, area):
    result = site(n).parse(text, area=area)
    assert does_nothing(result), simple(result)


@pytest.mark.parametrize("text", ["I smell gas, close the gas valve", "I smell gas, close the gas main"])
def test_gas_smelt_still_shuts_off_and_two_names_of_one_valve_are_one(site, text):
    """Were refused: "i smell gas" was read alone as opening the valve called gas, and "gas" and "gas valve" were two
    placeholders of which the model acted on one."""
    assert simple(site(55).parse(text, area="kitchen")) == ("ok", [("valve.close_valve", ["valve.gas_main"], {})])


def test_two_names_of_one_device_get_one_placeholder():
    from nanoiot.delex import Lexicon

    site = Registry.model_validate({"devices": [
        {"id": "valve.gas", "name": "gas", "aliases": ["gas valve"], "domain": "valve"},
        {"id": "valve.water", "name": "water valve", "domain": "valve"},
    ]})
    found = Lexicon.from_registry(site).delexicalize("i smell gas close the gas valve and the water valve")
    assert found.text == "i smell valve_1 close the valve_1 and the valve_2"


@pytest.mark.parametrize("n, text, area, expected", [
    # a value hedged: was a step of 20
    (53, "dim the lights to like 20", "living room", [("light.turn_on", ["light.big_light", "light.hue_go", "light.sofa_lamp",
                                                                        "light.tv_backlight"], {"brightness_pct": 20})]),
    (55, "proofer twenty six and half", "kitchen", [("climate.set_temperature", ["climate.proofer"], {"temperature": 26.5})]),
    # lower said of a lamp named for reading: was a reading white
    (58, "the lamp for reading, a little bit lower please", "lounge",
     [("light.turn_on", ["light.reading_lamp"], {"brightness_step_pct": -20})]),
    (58, "cooker hood on low", None, [("fan.set_percentage", ["fan.cooker_hood"], {"percentage": 33})]),
    (55, "open the shutter at 6 am", None, [("cover.open_cover", ["cover.roller_shutter"], {})]),
])
def test_values_as_said(site, n, text, area, expected):
    assert simple(site(n).parse(text, area=area)) == ("ok", expected)


@pytest.mark.parametrize("n, text, area", [
    (53, "heating to 50 i'm dying", "living room"),  # heat on, its 50 lost
    (55, "open the shutter at 6 for Ana", None),  # a position of 6
    (58, "turn the cooker hood more low", None),  # 33 percent
])
def test_a_value_lost_or_taken_from_a_time_does_nothing(site, n, text, area):
    result = site(n).parse(text, area=area)
    assert does_nothing(result), simple(result)


@pytest.mark.parametrize("n, text, area, expected", [
    # the second place said with a value alone: was the lights downstairs at 20
    (54, "upstairs heat to 18 and downstairs to 20", None,
     [("climate.set_temperature", ["climate.nursery_heater", "climate.upstairs_thermostat"], {"temperature": 18}),
      ("climate.set_temperature", ["climate.downstairs_thermostat"], {"temperature": 20})]),
    # "to half": was a step of 50
    (56, "put the grow lights on and dim them to half", "greenhouse 1",
     [("light.turn_on", ["light.gh1_grow_lights"], {}), ("light.turn_on", ["light.gh1_grow_lights"], {"brightness_pct": 50})]),
    (57, "set the office lights to 21", None, [("light.turn_on", ["light.office_lights"], {"brightness_pct": 21})]),
    (57, "set the office to 50", None, [("light.turn_on", ["light.office_lights"], {"brightness_pct": 50})]),
])
def test_settings_where_said(site, n, text, area, expected):
    assert simple(site(n).parse(text, area=area)) == ("ok", expected)


@pytest.mark.parametrize("n, text, area", [
    (57, "set the office to 21", None),  # its lights at 21 percent: degrees, more likely
    (59, "set the lounge to 22", None),
    (56, "turn the telly up", "front room"),  # no telly here (nor a slip of "welly"): the room's lights brightened
])
def test_a_bare_number_or_a_thing_the_site_lacks_does_nothing(site, n, text, area):
    result = site(n).parse(text, area=area)
    assert does_nothing(result), simple(result)


@pytest.mark.parametrize("n, text, area", [
    (58, "close everything", None),  # every valve of the site closed: a kind nobody said
    (56, "shut the vents, it's turned chilly", "greenhouse 2"),  # the heater switched off
    (55, "open the window", "shop"),  # the window display light switched on
    (54, "turn off emma's lamp once she's asleep", None),  # a condition: done now
    (54, "I'm going downstairs to make a coffee", "master bedroom"),  # the coffee maker started
])
def test_a_kind_nobody_said_a_light_opened_or_a_plan_does_nothing(site, n, text, area):
    result = site(n).parse(text, area=area)
    assert does_nothing(result), simple(result)


@pytest.mark.parametrize("n, text, area, expected", [
    # inside and outside is everywhere: was the outside lights alone
    (58, "all lights off everywhere, inside and outside, we go to sleep", None,
     [("light.turn_off", ["light.hall_light", "light.lounge_ceiling", "light.reading_lamp", "light.cosy_corner",
                          "light.kitchen_spots", "light.blue_room", "light.sofie_light", "light.mirror_light",
                          "light.terrace_lights", "light.path_lights", "light.sauna_light", "light.gate_lamp"], {})]),
    (58, "turn on the lights outside", None,
     [("light.turn_on", ["light.terrace_lights", "light.path_lights", "light.sauna_light", "light.gate_lamp"], {})]),
    # what stays on is left as it is: was switched on
    (55, "kitchen lights off but bench stay on", "kitchen", [("light.turn_off", ["light.kitchen_ceiling"], {})]),
    (55, "window on", "shop", [("light.turn_on", ["light.window_display"], {})]),
    (54, "I'm going to make a coffee, turn on the coffee maker", "master bedroom",
     [("switch.turn_on", ["switch.coffee_maker"], {})]),
])
def test_scope_as_said(site, n, text, area, expected):
    assert simple(site(n).parse(text, area=area)) == ("ok", [(s, sorted(t), d) for s, t, d in expected])


@pytest.mark.parametrize("n, text, area, expected", [
    # an alias written "the screen" is said "screen on"; "the lights a touch" is the lights: was the lights on twice
    (59, "screen on and dim the lights a touch", "summit",
     [("switch.turn_on", ["switch.summit_screen"], {}), ("light.turn_on", ["light.summit"], {"brightness_step_pct": -20})]),
])
def test_every_part_done(site, n, text, area, expected):
    assert simple(site(n).parse(text, area=area)) == ("ok", expected)


@pytest.mark.parametrize("n, text, area", [
    (60, "dusty stop and go back to base", None),  # stopped, never sent home
    (59, "can you share your screen?", "summit"),  # the room's screen on
])
def test_a_part_dropped_or_someone_elses_thing_does_nothing(site, n, text, area):
    result = site(n).parse(text, area=area)
    assert does_nothing(result), simple(result)


def test_an_alternative_of_nothing_is_accepted_as_nothing():
    from nanoiot.evaluate import _accepted

    case = {"text": "it's really dusty in the library", "expect": "none", "or": [["vacuum.start", ["vacuum.dusty"], {}]]}
    started = {"status": "ok", "actions": [{"service": "vacuum.start", "targets": ["vacuum.dusty"], "data": {}}]}
    assert _accepted(case, started) and _accepted(case, {"status": "not_understood", "actions": []})
    assert not _accepted(case | {"or": None}, started)


@pytest.mark.parametrize("n, text, area, expected", [
    # a name said in part from a room: that room's device, not the best-scored elsewhere (the owners' lounge ceiling)
    (63, "turn the ceiling light on", "room 1", [("light.turn_on", ["light.room_1_ceiling"], {})]),
    (63, "set the heater to 22 in 10 minutes", "room 1", [("climate.set_temperature", ["climate.room_1_rad"], {"temperature": 22})]),
    (63, "ceiling light off", "garden room", [("light.turn_off", ["light.garden_room_ceiling"], {})]),
    # blinds said: never the projector screen beside them
    (62, "can we get the blinds down, the sun's right on the board", "room 12", [("cover.close_cover", ["cover.room_12_blinds"], {})]),
    (62, "close the blinds in room 7 and room 12", None,
     [("cover.close_cover", ["cover.room_7_blinds"], {}), ("cover.close_cover", ["cover.room_12_blinds"], {})]),
])
def test_the_device_meant_where_it_is_said(site, n, text, area, expected):
    assert simple(site(n).parse(text, area=area)) == ("ok", expected)


@pytest.mark.parametrize("n, text, area", [
    (57, "roller door up, high bays on, and start dusty", "bay 2"),  # the high bays left out
    (62, "open the blinds in the hall", None),  # the hall's projector screen opened
    (61, "Turn the telly up, I can't hear what they're saying.", "lounge"),  # the telly's plug switched on
    (58, "switch off the sauna and also the light inside it", "hall"),  # the light alone: the sauna heater left on
    (66, "can you ask dave to reset the compressor", None),
    (66, "power cycle the pi its hung", None),  # switched off, never on again
    (66, "turn on the soldering iron and leave it on while im away for the weekend", None),
    (66, "desk strip 2 to", "lab"),  # cut off: switched on
    (64, "i'll open the fv2 outlet by hand", "cellar"),
    (64, "open the outlet", "cellar"),  # the music plug switched on
    (65, "I'll put the kettle on in a minute", "galley"),
    (67, "run auger two while I clear the blockage", "feed barn"),
    (67, "open the gate please", "collecting yard"),  # both gates opened
    (68, "lena stop playing with the lights!", "kids room"),
    (68, "mach den Fernseher nicht an", None),  # switched on
    (68, "no prendas el ventilador", "abuela's room"),
    (68, "turn on the tele and the lampara and... espera, no, nada", "sala"),
])
def test_second_round_does_nothing(site, n, text, area):
    result = site(n).parse(text, area=area)
    assert does_nothing(result), simple(result)


@pytest.mark.parametrize("n, text, area, expected", [
    # a room's own name ending as said comes before a device called so elsewhere: was room 3's lamp
    (72, "reading lamp on", "room 1", [("light.turn_on", ["light.room_1_reading_lamp"], {})]),
    (72, "reading lamp seventy five percent", "room 4", [("light.turn_on", ["light.room_4_reading_lamp"], {"brightness_pct": 75})]),
    (72, "lights up full in here we're doing her dressing", "room 2",
     [("light.turn_on", ["light.patel_lamp", "light.room_2_ceiling"], {"brightness_pct": 100})]),
    (69, "the big light, off", "tom's room", [("light.turn_off", ["light.tom_main"], {})]),
])
def test_third_round_meant_as_said(site, n, text, area, expected):
    assert simple(site(n).parse(text, area=area)) == ("ok", expected)


@pytest.mark.parametrize("n, text, area", [
    (70, "swap duty over to P-102, take 101 off", "control room"),  # p-102 stopped
    (69, "lounge: big light off, lamp to 25", None),  # the big light set to 25
    (71, "turn all the lights off in here", None),  # every light of the house, from a source placed nowhere
    (70, "P-102 running at 80 percent, all good", "control room"),  # a status read out: set to 80
    (70, "night shift reset DP-302 twice, keep an eye on it", "control room"),
    (69, "whoever keeps cranking the thermostat, stop it", None),
    (69, "i'm gonna turn the telly off in a sec", None),
    (69, "brb putting the kettle on", None),
    (69, "yeah sure, whack the heating up to 30, i'm made of money", None),
    (71, "we should get a second pool light", None),
])
def test_third_round_does_nothing(site, n, text, area):
    result = site(n).parse(text, area=area)
    assert does_nothing(result), simple(result)


def test_a_cover_called_only_a_cover_is_still_the_curtains_said():
    """Blinds said leave out a projector screen, never a device whose name says only that it is a cover (the held-out
    generated set's "conservatory cover": "push the conservatory curtains open" was refused for a while)."""
    from nanoiot.resolver import Resolver
    from nanoiot.vocabulary import Frame

    site = Registry.model_validate({"devices": [
        {"id": "cover.conservatory", "name": "conservatory cover", "area": "conservatory", "domain": "cover"},
        {"id": "cover.screen", "name": "big screen", "area": "hall", "domain": "cover"},
    ]})
    resolver = Resolver(site)
    actions = resolver.resolve([Frame("cover.open_cover", None, "conservatory", None, {})], None, "push the conservatory curtains open")
    assert [a.targets for a in actions] == [["cover.conservatory"]]
    with pytest.raises(Exception, match="no blind"):
        resolver.resolve([Frame("cover.open_cover", None, "hall", None, {})], None, "open the blinds in the hall")
