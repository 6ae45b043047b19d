"""The engine and parser on the shipped int8 model: real model, real registry, no mocks."""

import pytest

from nanoiot.engine import SHIPPED_MODEL_DIR, Engine
from nanoiot.frame_rules import name_every_device
from nanoiot.parser import CommandParser
from nanoiot.registry import Registry
from nanoiot.vocabulary import Frame

REGISTRY = Registry.model_validate(
    {
        "devices": [
            {"id": "light.kitchen_ceiling", "name": "ceiling light", "area": "kitchen", "domain": "light"},
            {"id": "light.floor_lamp", "name": "floor lamp", "area": "living room", "domain": "light"},
            {"id": "light.porch", "name": "porch light", "area": "porch", "domain": "light"},
            {"id": "lock.back_door", "name": "back door", "area": "garden", "domain": "lock"},
            {"id": "lock.front_door", "name": "front door", "area": "hall", "domain": "lock"},
            {"id": "machine.conveyor_b", "name": "conveyor b", "area": "packing line", "domain": "machine"},
            {"id": "climate.thermostat", "name": "thermostat", "area": "living room", "domain": "climate"},
            {"id": "cover.garage_door", "name": "garage door", "area": "garage", "domain": "cover"},
            {"id": "switch.coffee_maker", "name": "coffee maker", "area": "kitchen", "domain": "switch"},
            # a device no training sentence ever named: grounding must still find it
            {"id": "light.zorblax", "name": "zorblax orb", "area": "den", "domain": "light"},
        ]
    }
)


@pytest.fixture(scope="module")
def parser():
    return CommandParser.load(REGISTRY)


def test_shipped_model_is_small_and_int8():
    size = sum(p.stat().st_size for p in SHIPPED_MODEL_DIR.iterdir() if p.is_file())
    assert size <= 25_000_000  # issue 14's floor for model 2.0 (MiniLM's encoder)
    assert Engine().manifest.name == "nanoiot-command"


def simple(result):
    return result.status, [(a.service, sorted(a.targets), a.data) for a in result.actions]


def test_two_model_replicas_answer_a_batch_as_one_does():
    """The gateway shares a batch between replicas in sub-batches (limits.model_workers): same answers, same order."""
    from nanoiot.train.pipeline import held_out_set

    texts = [text for text, _ in held_out_set(60)][:40]
    assert Engine(inter_threads=2).translate_nbest(texts) == Engine().translate_nbest(texts)


def test_command_to_action(parser):
    assert simple(parser.parse("Dim the kitchen lights to 30%")) == (
        "ok", [("light.turn_on", ["light.kitchen_ceiling"], {"brightness_pct": 30})])
    assert simple(parser.parse("stop conveyor B")) == ("ok", [("machine.stop", ["machine.conveyor_b"], {})])
    assert simple(parser.parse("set the thermostat to twenty one and a half degrees")) == (
        "ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 21.5})])


def test_several_commands_in_order(parser):
    status, actions = simple(parser.parse("turn off the porch light and lock the back door"))
    assert status == "ok"
    assert actions == [("light.turn_off", ["light.porch"], {}), ("lock.lock", ["lock.back_door"], {})]


def test_a_new_device_name_works_without_retraining(parser):
    assert simple(parser.parse("turn on the zorblax orb")) == ("ok", [("light.turn_on", ["light.zorblax"], {})])


def test_unknown_device_is_rejected_with_the_phrase(parser):
    result = parser.parse("turn off the chandelier")
    assert result.status == "rejected"
    assert result.error.code == "unknown_device" and "chandelier" in result.error.message
    assert result.actions == []


@pytest.mark.parametrize("text, said", [("turn on the jacuzzi", "jacuzzi"), ("switch the dish washer off please", "dish washer")])
def test_on_off_said_of_a_device_we_lack_is_refused_naming_it(text, said):
    # a confidence floor no hypothesis reaches: the model reads no command, whatever it is
    doubting = CommandParser(Engine(min_score=0.01), REGISTRY)
    result = doubting.parse(text)
    assert (result.status, result.error.code) == ("rejected", "unknown_device")
    assert f"'{said}'" in result.error.message


@pytest.mark.parametrize("text", ["turn it off", "turn on the lights", "turn on the floor lamp in the kitchen"])
def test_on_off_said_of_no_one_device_is_no_guess_when_the_model_read_none(text):
    doubting = CommandParser(Engine(min_score=0.01), REGISTRY)
    assert doubting.parse(text).status == "not_understood"


@pytest.mark.parametrize("text, want", [("turn on the floor lamp", ("light.turn_on", ["light.floor_lamp"], {})),
                                        ("switch the porch light off", ("light.turn_off", ["light.porch"], {}))])
def test_on_off_said_of_a_device_by_its_whole_name_needs_no_model(text, want):
    """A plain on/off command and a name the registry holds word for word: nothing is left to guess."""
    doubting = CommandParser(Engine(min_score=0.01), REGISTRY)
    assert simple(doubting.parse(text)) == ("ok", [want])


def test_out_of_range_value_is_rejected(parser):
    result = parser.parse("set the floor lamp to 140 percent")
    assert result.status == "rejected" and result.error.code == "out_of_range"


@pytest.mark.parametrize("text", ["tell me a joke", "what's the weather like tomorrow", "asdf qwer zxcv", "play some jazz"])
def test_out_of_domain_is_not_understood(parser, text):
    result = parser.parse(text)
    assert result.status == "not_understood" and result.actions == []


@pytest.mark.parametrize("text", ["", "   ", "!!!", "a" * 5000, "\x00\x01", "😀" * 50])
def test_junk_never_raises(parser, text):
    result = parser.parse(text)
    assert result.status in ("not_understood", "rejected")
    assert result.actions == []


def test_batch_keeps_order_and_area_hint(parser):
    results = parser.parse_batch(["turn off the lights", "stop conveyor b"], areas=["kitchen", None])
    assert simple(results[0]) == ("ok", [("light.turn_off", ["light.kitchen_ceiling"], {})])
    assert simple(results[1]) == ("ok", [("machine.stop", ["machine.conveyor_b"], {})])


@pytest.mark.parametrize("text, device", [("is the back door locked", "lock.back_door"), ("is the garage door open", "cover.garage_door")])
def test_a_question_reads_state_and_never_actuates(parser, text, device):
    assert simple(parser.parse(text)) == ("ok", [("query.get_state", [device], {})])


def test_a_question_with_a_value_reads_state(parser):
    """The value a question names ("at 50 percent") is what it asks about, not a value left unplaced."""
    result = parser.parse("is the kitchen light at 50 percent")
    assert result.status == "ok", result.error
    assert [a.service for a in result.actions] == ["query.get_state"]


def test_question_frames_become_state_queries():
    from nanoiot.frame_rules import as_questions
    from nanoiot.vocabulary import Frame

    frames = as_questions([Frame("lock.lock", name="back door")], "is the back door locked")
    assert [(f.service, f.name, f.domain) for f in frames] == [("query.get_state", "back door", "lock")]
    assert as_questions([Frame("lock.lock", name="back door")], "can you lock the back door")[0].service == "lock.lock"


def test_a_frame_decoded_twice_back_to_back_is_one_request():
    from nanoiot.parser import best_frames

    frames = best_frames(["bogus", "valve.close_valve name=valve_1 ; valve.close_valve name=valve_1 ; light.turn_off ; valve.close_valve name=valve_1"])
    assert [(f.service, f.name) for f in frames] == [("valve.close_valve", "valve_1"), ("light.turn_off", None), ("valve.close_valve", "valve_1")]
    assert best_frames(["bogus", "light.turn_on x"]) is None


def test_a_misspelt_registry_name_is_still_found(parser):
    assert simple(parser.parse("stop convayor b")) == ("ok", [("machine.stop", ["machine.conveyor_b"], {})])
    assert simple(parser.parse("turn on the zorblux orb")) == ("ok", [("light.turn_on", ["light.zorblax"], {})])


@pytest.mark.parametrize(
    "output, text, unplaced",
    [
        ("light.turn_on area=kitchen color_temp_kelvin=2700", "set the kitchen light to 150 percent", "150 percent"),
        ("climate.set_temperature temperature=22", "set it to 25 degrees", "25 degrees"),
        ("light.turn_on area=kitchen brightness_pct=15", "set the kitchen light to 150 percent", None),  # cut short: restored later
        ("light.turn_on brightness_step_pct=-20", "dim the lights by 20 pct", None),
        ("climate.set_temperature temperature=21.5", "set it to 21.5 degrees", None),
        ("cover.open_cover name=blinds", "open the blinds 100 percent", None),
        ("light.turn_off", "turn off the lights at 7 pm", None),
    ],
)
def test_a_value_said_but_not_carried_is_found(output, text, unplaced):
    from nanoiot.said_values import unplaced_value
    from nanoiot.vocabulary import parse_output

    assert unplaced_value(parse_output(output), text) == unplaced


def test_a_hypothesis_below_the_models_confidence_floor_is_none():
    import json

    shipped = json.loads((SHIPPED_MODEL_DIR / "manifest.json").read_text())["min_score"]
    assert Engine().min_score == shipped
    assert Engine().translate_batch(["turn off the light"]) == ["light.turn_off"]
    assert Engine(min_score=0.01).translate_batch(["turn off the light"]) == ["none"]  # log-probabilities are <= 0


def test_a_hypothesis_cut_off_by_the_length_limit_is_none():
    text = "turn off the porch light and lock the back door"
    assert Engine().translate_batch([text]) != ["none"]
    assert Engine(max_decoding_length=4).translate_batch([text]) == ["none"]  # never reached its end


def test_names_the_registry_lacks_are_refused_not_acted_on():
    from nanoiot.evaluate import unregistered_names
    from nanoiot.train.pipeline import held_out_set

    figures = unregistered_names(Engine(), held_out_set(300))
    assert figures["n"] > 100
    assert figures["acted"] <= 0.05 and figures["named"] > 0  # refusals that quote the name exist and acting is rare


# A home where the capabilities of issue 14 matter: kinds in several areas, a climate device that is
# "the thermostat" beside a heater, blinds beside a garage door, a bedroom with lights and curtains.
HOME = Registry.model_validate({"devices": [
    {"id": "light.kitchen", "name": "kitchen light", "area": "kitchen", "domain": "light"},
    {"id": "light.kitchen_strip", "name": "led strip", "area": "kitchen", "domain": "light"},
    {"id": "light.living_room", "name": "ceiling light", "area": "living room", "domain": "light"},
    {"id": "light.desk_lamp", "name": "desk lamp", "area": "office", "domain": "light"},
    {"id": "light.porch", "name": "porch light", "area": "porch", "domain": "light"},
    {"id": "light.bedroom", "name": "bedroom light", "area": "bedroom", "domain": "light"},
    {"id": "cover.bedroom_curtains", "name": "curtains", "area": "bedroom", "domain": "cover"},
    {"id": "cover.blinds", "name": "blinds", "area": "living room", "domain": "cover"},
    {"id": "cover.garage_door", "name": "garage door", "area": "garage", "domain": "cover"},
    {"id": "climate.thermostat", "name": "thermostat", "area": "living room", "domain": "climate"},
    {"id": "climate.greenhouse_heater", "name": "greenhouse heater", "area": "greenhouse", "domain": "climate"},
    {"id": "switch.christmas_tree", "name": "christmas tree", "area": "living room", "domain": "switch"},
    {"id": "switch.kettle", "name": "kettle", "area": "kitchen", "domain": "switch"},
    {"id": "fan.bedroom_fan", "name": "ceiling fan", "area": "bedroom", "domain": "fan"},
    {"id": "fan.office_fan", "name": "desk fan", "area": "office", "domain": "fan"},
    {"id": "lock.front_door", "name": "front door", "area": "hall", "domain": "lock"},
    {"id": "lock.back_door", "name": "back door", "area": "kitchen", "domain": "lock"},
    {"id": "vacuum.robot", "name": "robot vacuum", "area": "living room", "domain": "vacuum"},
]})
HOME_LIGHTS = ["light.bedroom", "light.desk_lamp", "light.kitchen", "light.kitchen_strip", "light.living_room", "light.porch"]


@pytest.fixture(scope="module")
def home():
    return CommandParser.load(HOME)


def test_the_lights_said_from_nowhere_is_ambiguous_unless_site_wide(home):
    result = home.parse("turn on the lights")
    assert (result.status, result.error.code, result.actions) == ("rejected", "ambiguous_target", [])
    assert all(area in result.error.message for area in ("kitchen", "living room", "office", "porch", "bedroom"))
    assert simple(home.parse("turn on the lights", site_wide=True)) == ("ok", [("light.turn_on", HOME_LIGHTS, {})])
    assert simple(home.parse("turn on the lights", area="kitchen")) == ("ok", [("light.turn_on", ["light.kitchen", "light.kitchen_strip"], {})])
    assert simple(home.parse_batch(["turn on the lights"], site_wide=True)[0]) == ("ok", [("light.turn_on", HOME_LIGHTS, {})])


@pytest.mark.parametrize("text, service, target", [("turn on the porch light", "light.turn_on", "light.porch"),
                                                     ("turn on the kettle", "switch.turn_on", "switch.kettle")])
def test_a_phrase_naming_one_device_is_not_ambiguous(home, text, service, target):
    assert simple(home.parse(text)) == ("ok", [(service, [target], {})])


@pytest.mark.parametrize("text", ["turn off every light in the house", "turn off all the lights everywhere", "turn off all the lights"])
def test_whole_home_words_mean_every_device_of_the_kind(home, text):
    assert simple(home.parse(text)) == ("ok", [("light.turn_off", HOME_LIGHTS, {})])


def test_everywhere_outranks_the_speakers_area(home):
    expected = ("ok", [("fan.turn_off", ["fan.bedroom_fan", "fan.office_fan"], {})])
    assert simple(home.parse("switch the fan off everywhere", area="kitchen")) == expected
    assert simple(home.parse("turn off every light in the house", area="kitchen")) == ("ok", [("light.turn_off", HOME_LIGHTS, {})])


def test_an_area_alone_with_a_percentage_means_its_lights(home):
    assert simple(home.parse("set the bedroom to 50%")) == ("ok", [("light.turn_on", ["light.bedroom"], {"brightness_pct": 50})])


@pytest.mark.parametrize("text, pct", [("set the desk lamp to minimum brightness", 1), ("set the desk lamp to maximum brightness", 100),
                                       ("set the desk lamp halfway", 50)])
def test_words_for_an_amount_are_that_amount(home, text, pct):
    assert simple(home.parse(text)) == ("ok", [("light.turn_on", ["light.desk_lamp"], {"brightness_pct": pct})])


@pytest.mark.parametrize("text", ["make it a couple of degrees warmer", "turn the heat up by 2 degrees", "turn up the heat"])
def test_a_change_by_degrees_is_refused_not_guessed(home, text):
    result = home.parse(text, area="living room")
    assert (result.status, result.error.code, result.actions) == ("rejected", "unsupported", [])
    assert "setpoint" in result.error.message


@pytest.mark.parametrize("text, area, want", [
    ("make it a couple of degrees warmer", "living room", 22.0), ("turn the heat up by 2 degrees", "living room", 22.0),
    ("lower the thermostat by 3 degrees", None, 17.0), ("turn the heating down by a degree", "living room", 19.0),
    # no amount: a step of one degree, as the thermostat's own button (was: "turn up the heat" set heating mode)
    ("turn up the heat", "living room", 21.0), ("turn the heating down", "living room", 19.0), ("make it warmer", "living room", 21.0),
])
def test_a_change_by_degrees_starts_from_the_current_setpoint(home, text, area, want):
    result = home.parse(text, area=area, setpoints={"climate.thermostat": 20.0}.get)
    assert simple(result) == ("ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": want})])


def test_a_warmer_light_is_a_colour_not_a_setpoint(home):
    result = home.parse("make the desk lamp warmer", setpoints={"climate.thermostat": 20.0}.get)
    assert [a.service for a in result.actions] == ["light.turn_on"] and "color_temp_kelvin" in result.actions[0].data


def test_a_change_by_degrees_past_the_range_or_vague_is_refused(home):
    result = home.parse("make the greenhouse heater a few degrees warmer", setpoints={"climate.greenhouse_heater": 34.0}.get)
    assert (result.status, result.error.code) == ("rejected", "out_of_range")
    result = home.parse("make it some degrees warmer", area="living room", setpoints={"climate.thermostat": 20.0}.get)
    assert (result.status, result.error.code) == ("rejected", "unsupported")


def test_a_device_named_exactly_wins_over_others_of_its_kind(home):
    assert simple(home.parse("set the thermostat to 20")) == ("ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 20})])
    assert simple(home.parse("close the blinds")) == ("ok", [("cover.close_cover", ["cover.blinds"], {})])
    assert simple(home.parse("set the thermostat to 21.5 degrees")) == (
        "ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 21.5})])


def test_it_refers_to_the_device_named_before(home):
    assert simple(home.parse("turn on the desk lamp and set it to 40 percent")) == (
        "ok", [("light.turn_on", ["light.desk_lamp"], {}), ("light.turn_on", ["light.desk_lamp"], {"brightness_pct": 40})])


@pytest.mark.parametrize("text", ["turn on the lights in the kitchen and the living room", "turn on the kitchen and living room lights"])
def test_two_areas_joined_by_and_both_get_the_action(home, text):
    status, actions = simple(home.parse(text))
    assert status == "ok"
    assert sorted(t for _, targets, _ in actions for t in targets) == ["light.kitchen", "light.kitchen_strip", "light.living_room"]
    assert {service for service, _, _ in actions} == {"light.turn_on"}


def test_an_area_joined_with_a_device_of_another_kind_is_not_two_areas(home):
    status, actions = simple(home.parse("turn on the lights in the kitchen and the bedroom fan"))
    assert status == "ok" and "light.bedroom" not in {t for _, targets, _ in actions for t in targets}
    assert ("fan.turn_on", ["fan.bedroom_fan"], {}) in actions


def test_two_areas_joined_read_from_frames_whatever_the_model_wrote_for_the_second():
    from nanoiot.vocabulary import Frame

    parser = CommandParser(Engine(), HOME)
    text = "turn on the lights in the kitchen and the living room"
    two = parser._both_areas([Frame("light.turn_on", area="kitchen"), Frame("query.get_state", area="living room")], text)
    assert [(f.service, f.area) for f in two] == [("light.turn_on", "kitchen"), ("light.turn_on", "living room")]
    other = [Frame("light.turn_on", area="kitchen"), Frame("fan.turn_on", area="living room")]  # another request stands
    assert parser._both_areas(other, text) == other


def test_an_exception_outside_the_speakers_area_means_the_whole_site(home):
    result = home.parse("turn off all the lights except the porch light", area="kitchen")
    assert simple(result) == ("ok", [("light.turn_off", [t for t in HOME_LIGHTS if t != "light.porch"], {})])
    result = home.parse("turn off the lights except the led strip", area="kitchen")  # inside it: the kitchen's others
    assert simple(result) == ("ok", [("light.turn_off", ["light.kitchen"], {})])


@pytest.mark.parametrize("text", ["don't turn on the kitchen light", "do not turn off the porch light", "never open the garage door"])
def test_a_negated_command_does_nothing(home, text):
    result = home.parse(text)
    assert result.actions == [] and result.status in ("rejected", "not_understood")


def test_an_exception_is_left_out_never_acted_on_alone(home):
    result = home.parse("turn off all the lights except the porch light")
    assert result.status == "rejected" or simple(result) == ("ok", [("light.turn_off", [t for t in HOME_LIGHTS if t != "light.porch"], {})])
    assert result.status == "ok"  # this build does exactly that
    result = home.parse("turn off the lights but not the porch light")  # "but not" excepts, it does not negate
    assert simple(result) == ("ok", [("light.turn_off", [t for t in HOME_LIGHTS if t != "light.porch"], {})])
    result = home.parse("turn off the lights except the gnome")  # an exception naming nothing: refused
    assert result.status == "rejected" and result.actions == []


@pytest.mark.parametrize("text, target", [("switch of the christmas tree", "switch.christmas_tree"), ("turn of the porch light", "light.porch")])
def test_a_slip_in_off_is_off(home, text, target):
    status, actions = simple(home.parse(text))
    assert status == "ok" and [(s.endswith("turn_off"), t) for s, t, _ in actions] == [(True, [target])]


def test_off_said_to_a_heater_turns_its_heating_off(home):
    assert simple(home.parse("switch the heater off")) == ("ok", [("climate.set_hvac_mode", ["climate.greenhouse_heater"], {"hvac_mode": "off"})])


@pytest.mark.parametrize("text", ["is the desk lamp on or the porch light", "are the front door and the back door locked"])
def test_a_question_naming_several_things_answers_all(home, text):
    result = home.parse(text)
    assert result.status == "ok" and {a.service for a in result.actions} == {"query.get_state"}
    named = {"light.desk_lamp", "light.porch"} if "lamp" in text else {"lock.front_door", "lock.back_door"}
    assert {t for a in result.actions for t in a.targets} == named


@pytest.mark.parametrize("text", ["i love you", "you are my best friend", "what a lovely day"])
def test_chit_chat_never_acts(home, text):
    assert home.parse(text).actions == []


def test_a_number_alone_is_a_request_word(home):
    """"actually make it 21.5" holds no command word but a value: it is no chit-chat."""
    assert simple(home.parse("actually make it 21.5", area="living room")) == (
        "ok", [("climate.set_temperature", ["climate.thermostat"], {"temperature": 21.5})])


@pytest.mark.parametrize("text, field, value", [
    ("don't turn on the kitchen light", "negated", True),
    ("turn off the lights but not the porch light", "negated", False),
    ("i can't see turn on the lights", "negated", False),
    ("turn off the lights but not the porch light", "excluded", "the porch light"),
    ("switch the fan off everywhere", "text", "switch the fan off"),
    ("switch the fan off everywhere", "everywhere", True),
    ("turn off every light in the house", "everywhere", True),
    ("open the blinds all the way", "every", False),  # "all the way" counts nothing
    ("turn off all the lights", "every", True),
    ("make it a couple of degrees warmer", "relative_degrees", "a couple of degrees warmer"),
    ("set the thermostat to 20 degrees", "relative_degrees", None),
    ("set the desk lamp to minimum brightness", "text", "set the desk lamp to 1 percent brightness"),
    ("turn the fan to max", "text", "turn the fan to 100 percent"),
    ("open the blinds halfway", "text", "open the blinds to 50 percent"),
    ("turn off the lights in 10 min", "text", "turn off the lights"),  # minutes are no minimum, and a time is no value
    ("half the lights are off", "text", "half the lights are off"),
    ("switch of the christmas tree", "text", "switch off the christmas tree"),
    ("please switch of the christmas tree", "text", "please switch off the christmas tree"),
    ("turn on switch of the wemo socket", "text", "turn on switch of the wemo socket"),  # was: turned it off
    ("turn on the switch of the lamp", "text", "turn on the switch of the lamp"),
    ("turn the lamp all the way up", "text", "turn the lamp to 100 percent"),  # was a step of 20
    ("turn the lamp all the way down", "text", "turn the lamp to 0 percent"),
    ("lights out", "text", "lights off"),  # Home Assistant's own phrase for off; the model read it as on
    ("kitchen lights out please", "text", "kitchen lights off please"),
    ("turn on the lights out back", "text", "turn on the lights out back"),  # a place (was: "... lights off back")
    ("turn the desk lamp of", "text", "turn the desk lamp off"),
    ("make coffee at 7 am", "later", None),  # a time the gateway keeps (nanoiot.when)
    ("turn off the lights in 10 min", "later", None),
    ("make coffee at 7 am every weekday", "later", "every weekday"),
    ("turn off the lights in a few minutes", "later", "in a few minutes"),  # how long is not said
    ("run the fan for an hour", "later", None),  # a duration the gateway keeps (nanoiot.when)
    ("run the fan for a while", "later", "for a while"),
    ("start the vacuum every day", "later", "every day"),
    ("set the heating to 18 for the night", "later", None),
    ("turn the lights to 50 percent now", "later", None),
    ("if it gets dark turn on the porch light", "later", "if it gets dark"),
    ("turn off the lights when i leave", "later", "when i leave"),
    ("remind me to lock the back door", "later", "remind me"),
    ("if you could turn on the porch light", "later", None),
    ("turn on the porch light if you don't mind", "negated", False),
    # Home Assistant's <here>, <everywhere> and <all>, as its users say them
    ("switch the fans in my area off", "text", "switch the fans in here off"),
    ("turn off the lights in this room", "text", "turn off the lights in here"),
    ("turn on the living room lights", "text", "turn on the living room lights"),  # a room's name is no "here"
    ("turn the lights out all over", "everywhere", True),
    ("deactivate the lamps on every floor", "everywhere", True),
    ("turn off the lights throughout our entire apartment", "everywhere", True),
    ("i am at home turn on the lights", "everywhere", False),  # "at home" is where the speaker is
    ("turn off each and every lamp", "every", True),
    ("turn off each and every lamp", "text", "turn off every lamp"),
    ("every single light off", "every", True),
    ("turn the lights out", "text", "turn the lights off"),
    ("put out the lamp", "text", "put off the lamp"),
    ("turn the fan out of the way", "text", "turn the fan out of the way"),
    ("open the blinds three quarters", "text", "open the blinds to 75 percent"),  # was position 3
    ("open the blinds a quarter of the way", "text", "open the blinds to 25 percent"),
])
def test_what_the_sentence_says_before_any_model(text, field, value):
    from nanoiot.parser import DEVICE_WORDS
    from nanoiot.sentence import read

    assert getattr(read(text, DEVICE_WORDS), field) == value


@pytest.mark.parametrize("services", [["light.turn_on"], ["light.turn_off"], ["query.get_state", "lock.unlock"]])
def test_a_negated_sentence_refuses_whatever_the_model_wrote(services):
    from nanoiot.gates import refuse_to_act
    from nanoiot.sentence import read

    assert refuse_to_act(services, read("don't turn on the kitchen light")).code == "negated"
    assert refuse_to_act(["query.get_state"], read("is the kitchen light not on")) is None  # a question only reads
    assert refuse_to_act(services, read("turn on the kitchen light")) is None


def test_a_broken_tokenizer_file_is_a_load_error_not_a_crash(tmp_path):
    import shutil

    from nanoiot.engine import ModelLoadError

    model_dir = tmp_path / "model"
    shutil.copytree(SHIPPED_MODEL_DIR, model_dir)
    (model_dir / "tokenizer.json").write_text("{ not json")
    with pytest.raises(ModelLoadError, match="tokenizer.json"):
        Engine(model_dir)


def test_the_source_is_split_as_minilm_was_trained_with_placeholders_whole():
    from nanoiot.tokenizer import load_pieces

    pieces = load_pieces(SHIPPED_MODEL_DIR).encode("turn on light_1 in area_2 please")
    assert pieces == ["[CLS]", "turn", "on", "light_1", "in", "area_2", "please", "[SEP]"]


def test_a_part_of_the_output_that_holds_no_request_adds_nothing():
    from nanoiot.parser import best_frames

    assert best_frames(["light.turn_on area=area_1 ; none"]) == [Frame("light.turn_on", area="area_1")]
    assert best_frames(["none ; none"]) == []


def test_a_question_asks_about_every_device_it_names_and_only_those():
    from nanoiot.frame_rules import all_asked

    slots = {"lock_1": "front door", "lock_2": "back door", "area_1": "hall"}
    frames = [Frame("query.get_state", name="front door"), Frame("query.get_state", domain="lock")]
    asked = all_asked(frames, "are the front door and the back door locked", slots)
    assert [f.name for f in asked] == ["front door", "back door"]
    assert all_asked([Frame("lock.lock", name="front door")], "lock the front door and the back door", slots) == [
        Frame("lock.lock", name="front door")]  # not a question: nothing is added to an action


@pytest.mark.parametrize("text, want", [
    ("turn on the kitchen light and the porch light", [("light.turn_on", ["light.kitchen"], {}), ("light.turn_on", ["light.porch"], {})]),
    ("turn off the kettle and start the christmas tree",
     [("switch.turn_off", ["switch.kettle"], {}), ("switch.turn_on", ["switch.christmas_tree"], {})]),
    ("lock the front door and the back door", [("lock.lock", ["lock.front_door"], {}), ("lock.lock", ["lock.back_door"], {})]),
])
def test_every_device_a_command_names_is_acted_on(home, text, want):
    """The model read only the first of two names here (or left the second frame unnamed)."""
    assert simple(home.parse(text)) == ("ok", want)


def test_a_name_the_model_dropped_is_refused_not_half_done():
    frames = [Frame("light.turn_on", name="light_1")]
    slots = {"light_1": "desk lamp", "light_2": "porch light"}
    assert name_every_device(frames, slots, "turn on the light_1 then dim the light_2") == (
        frames, "what should happen to 'porch light'?")
    joined, unsure = name_every_device(frames, slots, "turn on the light_1 and the light_2")
    assert unsure is None and [f.name for f in joined] == ["light_1", "light_2"]
    # a second frame naming nothing, that does something else: not acted on as "every switch"
    frames = [Frame("switch.turn_off", name="switch_1"), Frame("switch.turn_on")]
    _, unsure = name_every_device(frames, {"switch_1": "kettle"}, "switch off the switch_1")
    assert unsure is not None
    # ... unless the sentence says the kind itself
    kept, unsure = name_every_device(frames, {"switch_1": "kettle"}, "switch off the switch_1 and switch on all the plugs")
    assert unsure is None and kept == frames


def test_hand_written_commands_for_the_example_site_are_understood():
    """98 commands written by hand for the example home and plant (nanoiot/data, never trained on), whole parser.

    2.0.0 with this release's rules: 0.980; the same model with the rules before it: 0.89.
    """
    from nanoiot.evaluate import handwritten_commands

    figures = handwritten_commands(Engine())
    assert figures["commands"] == 98 and figures["accuracy"] >= 0.9, figures["misses"]


def test_sentences_by_another_hand_act_only_where_asked():
    """150 sentences a helper wrote from the device list alone (nanoiot/data/helper_commands.jsonl): none of the 90
    that ask nothing changes a device (2.1.0 under the rules before that day: 5 did), and the requests are done."""
    import json

    from nanoiot.evaluate import HELPER_COMMANDS, _accepted
    from nanoiot.registry import default_registry_path, load_registry

    cases = [json.loads(line) for line in HELPER_COMMANDS.read_text().splitlines()]
    results = CommandParser(Engine(), load_registry(default_registry_path())).parse_batch([c["text"] for c in cases])
    acted = [c["text"] for c, r in zip(cases, results)
             if c["expect"] == "none" and r.status == "ok" and any(a.service != "query.get_state" for a in r.actions)]
    requests = [_accepted(c, r.model_dump()) for c, r in zip(cases, results) if c["expect"] != "none"]
    assert len(cases) == 150 and acted == [], acted
    assert len(requests) == 59 and sum(requests) >= 55  # one asked a colour of lights that take none (capabilities)


# the one wrong action left of set 4 is sarcasm no rule reads: "yeah, open the garage door and invite the whole street
# in while you're at it"; of set 7, a device the site lacks said beside one it has ("lock the front door and the side
# gate": the front door is locked); of set 8, "the roomba has a name, we call it dusty" (a need to clean); of set 10, twelve listed in docs/model.md (a
# device the site lacks beside one it has, settings said once for two lights, "do the same for", "both" of one device);
# of set 11, "the big light is way too much" dimmed (turning it off was expected) and "the hall light is always too dim,
# typical" brightened (a complaint); of set 14, "the kitchen lights" is the example site's ceiling light's alias (the
# island lights were expected too, twice), "make the lights a bit warmer" is a warmer white (nothing was expected),
# "ac in cool mode at 20 degrees" sets 20 and drops the mode; of set 15, rooms or kinds listed of which one is done
# ("the lights in the warehouse and on the packing line", "all the blinds and curtains") and "open one of the blinds"
# (the site's one set of blinds); of set 16, "start the roomba tonight" (now: "tonight" is no time to wait for); of set
# 17, "switch on the milk frother next to the coffee machine"; of set 18, "set the compressor to minimum" (speed 1); of
# set 20, "no, leave the curtains closed" (closes them); of set 21, "ofice blinds up" (the living room blinds), homophones ("blew", "read", "tree", "too", "for"), "no close the blinds";
# of set 22, "everything off" in a room that leaves some kinds on (lights, the compressor); of set 23, ten are the same
# thing done in another shape (a setting beside "turn on" as two actions, "on now and off in 10 minutes" as on for 10
# minutes), six are parts left out ("stop mixer 1, reset its fault and start it again" stops it) or a reference to
# nothing ("turn it back on and make it brighter"), "the blinds and the shutters" where the site has no shutters; of
# set 24 (the eighth session's nine probes, 24-32, were read blind with 11, 5, 13, 9, 1, 7, 5, 22 and 10 wrong actions),
# "fairly lights on" (the hallway light: a slip of "fairy" that is an English word); of set 34, "the house" and "indoor"
# said on a site that does not say which areas are the house (the plant's lights too, three times), and "turn the heating
# off everywhere except the office heater" (the thermostat called "heating" alone, not the bedroom radiator). Known counts are as of that session
# (sets 7, 10, 14 and 21 lost 1, 8, 1 and 4 to its rules). The ninth session read set 15's "lights ... here and in the
# warehouse", "all the blinds and curtains", "every blind and curtain" and "everything downstairs" on another CPU, whose
# int8 kernels read a few sentences otherwise: each is now refused or done (set 15 is left with "open one of the blinds");
# of set 46, "sure, open the garage door, let the whole street see our mess" (sarcasm said only by its tail)
@pytest.mark.parametrize("name,size,floor,known", [("helper_requests", 120, 0.9, 0), ("helper_requests_2", 150, 0.85, 0),
                                                   ("helper_requests_3", 150, 0.85, 0), ("helper_requests_4", 150, 0.85, 1),
                                                   ("helper_requests_5", 150, 0.9, 0), ("helper_requests_6", 150, 0.8, 0),
                                                   ("helper_requests_7", 150, 0.8, 2), ("helper_requests_8", 150, 0.85, 1),
                                                   ("helper_requests_9", 150, 0.9, 0), ("helper_requests_10", 150, 0.8, 4),
                                                   ("helper_requests_11", 150, 0.7, 2), ("helper_requests_12", 150, 0.9, 0),
                                                   ("helper_requests_13", 150, 0.9, 0), ("helper_requests_14", 150, 0.85, 3),
                                                   ("helper_requests_15", 150, 0.85, 3), ("helper_requests_16", 150, 0.9, 1),
                                                   ("helper_requests_17", 150, 0.95, 1), ("helper_requests_18", 150, 0.9, 1),
                                                   ("helper_requests_19", 150, 0.95, 0), ("helper_requests_20", 150, 0.95, 0),
                                                   ("helper_requests_21", 150, 0.7, 6), ("helper_requests_22", 150, 0.75, 2),
                                                   ("helper_requests_23", 150, 0.7, 15), ("helper_requests_24", 150, 0.85, 1),
                                                   ("helper_requests_25", 150, 0.8, 0), ("helper_requests_26", 150, 0.6, 0),
                                                   ("helper_requests_27", 150, 0.8, 0), ("helper_requests_28", 150, 0.75, 0),
                                                   ("helper_requests_29", 150, 0.65, 0), ("helper_requests_30", 150, 0.85, 0),
                                                   ("helper_requests_31", 150, 0.9, 0), ("helper_requests_32", 150, 0.8, 0),
                                                   ("helper_requests_33", 150, 0.85, 0), ("helper_requests_34", 150, 0.65, 4),
                                                   ("helper_requests_35", 150, 0.9, 0), ("helper_requests_36", 150, 0.9, 0),
                                                   ("helper_requests_37", 120, 0.85, 0), ("helper_requests_38", 120, 0.7, 1),
                                                   ("helper_requests_39", 150, 0.95, 0), ("helper_requests_40", 150, 0.85, 0),
                                                   ("helper_requests_41", 150, 0.75, 0), ("helper_requests_42", 150, 0.75, 0),
                                                   ("helper_requests_43", 150, 0.9, 0), ("helper_requests_44", 150, 0.8, 0),
                                                   ("helper_requests_45", 150, 0.8, 0), ("helper_requests_46", 150, 0.7, 1),
                                                   ("helper_requests_47", 150, 0.75, 0), ("helper_requests_48", 150, 0.8, 0 + 1),
                                                   ("helper_requests_49", 150, 0.8, 0), ("helper_requests_50", 150, 0.9, 0),
                                                   ("helper_requests_51", 150, 0.8, 0), ("helper_requests_52", 150, 0.85, 0),
                                                   # sites of their own (`.site.json`), read on one CPU only so far:
                                                   # one more than known is allowed for another CPU's int8 kernels
                                                   ("helper_requests_53", 150, 0.8, 0 + 1), ("helper_requests_54", 150, 0.75, 0 + 1),
                                                   ("helper_requests_55", 150, 0.8, 0 + 1), ("helper_requests_56", 150, 0.7, 0 + 1),
                                                   ("helper_requests_57", 150, 0.85, 0 + 1), ("helper_requests_58", 150, 0.8, 1 + 1),
                                                   ("helper_requests_59", 150, 0.8, 1 + 1), ("helper_requests_60", 150, 0.85, 1 + 1),
                                                   ("helper_requests_61", 150, 0.7, 0 + 1), ("helper_requests_62", 150, 0.7, 0 + 1),
                                                   ("helper_requests_63", 150, 0.75, 0 + 1), ("helper_requests_64", 150, 0.75, 1 + 1),
                                                   ("helper_requests_65", 150, 0.75, 1 + 1), ("helper_requests_66", 150, 0.85, 1 + 1),
                                                   ("helper_requests_67", 150, 0.85, 1 + 1), ("helper_requests_68", 150, 0.7, 0 + 1),
                                                   ("helper_requests_69", 150, 0.75, 1 + 1), ("helper_requests_70", 150, 0.7, 4 + 1),
                                                   ("helper_requests_71", 150, 0.8, 2 + 1), ("helper_requests_72", 150, 0.7, 1 + 1),
                                                   ("helper_requests_73", 150, 0.75, 0 + 1), ("helper_requests_74", 150, 0.7, 1 + 1),
                                                   ("helper_requests_75", 150, 0.7, 0 + 1), ("helper_requests_76", 150, 0.75, 1 + 1),
                                                   ("helper_requests_77", 150, 0.75, 0 + 1), ("helper_requests_78", 150, 0.65, 4 + 1),
                                                   ("helper_requests_79", 150, 0.75, 2 + 1), ("helper_requests_80", 150, 0.75, 2 + 1),
                                                   ("helper_requests_81", 150, 0.75, 3 + 1), ("helper_requests_82", 150, 0.7, 1 + 1),
                                                   ("helper_requests_83", 150, 0.6, 0 + 1), ("helper_requests_84", 150, 0.65, 0 + 1),
                                                   ("helper_requests_85", 150, 0.75, 0 + 1), ("helper_requests_86", 150, 0.75, 0 + 1),
                                                   ("helper_requests_87", 150, 0.7, 1 + 1), ("helper_requests_88", 150, 0.65, 5 + 1),
                                                   ("helper_requests_89", 150, 0.7, 2 + 1), ("helper_requests_90", 150, 0.7, 0 + 1),
                                                   ("helper_requests_91", 150, 0.8, 0 + 1), ("helper_requests_92", 150, 0.75, 1 + 1),
                                                   ("helper_requests_93", 150, 0.75, 0 + 1), ("helper_requests_94", 150, 0.75, 0 + 1),
                                                   ("helper_requests_95", 150, 0.8, 0 + 1), ("helper_requests_96", 150, 0.65, 2 + 1),
                                                   ("helper_requests_97", 150, 0.75, 2 + 1), ("helper_requests_98", 150, 0.75, 3 + 1),
                                                   ("helper_requests_99", 150, 0.8, 0 + 1), ("helper_requests_100", 150, 0.8, 0 + 1),
                                                   ("helper_requests_101", 150, 0.8, 0 + 1), ("helper_requests_102", 150, 0.75, 0 + 1),
                                                   ("helper_requests_103", 150, 0.75, 3 + 1), ("helper_requests_104", 150, 0.75, 0 + 1),
                                                   ("helper_requests_105", 150, 0.8, 2 + 1), ("helper_requests_106", 150, 0.8, 2 + 1),
                                                   ("helper_requests_107", 150, 0.8, 1 + 1), ("helper_requests_108", 150, 0.7, 1 + 1),
                                                   ("helper_requests_109", 150, 0.7, 2 + 1), ("helper_requests_110", 150, 0.8, 3 + 1),
                                                   ("helper_requests_111", 150, 0.85, 0 + 1), ("helper_requests_112", 150, 0.75, 2 + 1),
                                                   ("helper_requests_113", 150, 0.75, 1 + 1), ("helper_requests_114", 150, 0.8, 0 + 1),
                                                   ("helper_requests_115", 150, 0.8, 0 + 1), ("helper_requests_116", 150, 0.75, 3 + 1),
                                                   ("helper_requests_117", 150, 0.75, 3 + 1), ("helper_requests_119", 150, 0.7, 0 + 1),
                                                   ("helper_requests_120", 150, 0.75, 2 + 1), ("helper_requests_121", 150, 0.8, 0 + 1),
                                                   ("helper_requests_122", 150, 0.8, 0 + 1), ("helper_requests_123", 150, 0.75, 1 + 1),
                                                   ("helper_requests_124", 150, 0.75, 1 + 1), ("helper_requests_125", 150, 0.75, 0 + 1),
                                                   ("helper_requests_126", 150, 0.8, 0 + 1), ("helper_requests_127", 150, 0.75, 1 + 1),
                                                   ("helper_requests_128", 150, 0.8, 0 + 1), ("helper_requests_129", 150, 0.8, 1 + 1),
                                                   ("helper_requests_130", 150, 0.75, 4 + 1), ("helper_requests_131", 150, 0.75, 0 + 1),
                                                   ("helper_requests_132", 150, 0.7, 2 + 1), ("helper_requests_133", 150, 0.8, 2 + 1),
                                                   ("helper_requests_134", 150, 0.8, 1 + 1), ("helper_requests_135", 150, 0.7, 2 + 1),
                                                   ("helper_requests_136", 150, 0.85, 4 + 1), ("helper_requests_137", 150, 0.7, 4 + 1),
                                                   ("helper_requests_138", 150, 0.7, 3 + 1), ("helper_requests_139", 150, 0.75, 1 + 1),
                                                   ("helper_requests_140", 150, 0.75, 5 + 1), ("helper_requests_141", 150, 0.7, 4 + 1),
                                                   ("helper_requests_142", 150, 0.8, 1 + 1), ("helper_requests_143", 150, 0.7, 2 + 1),
                                                   ("helper_requests_144", 150, 0.8, 0 + 1), ("helper_requests_145", 150, 0.75, 2 + 1),
                                                   ("helper_requests_146", 150, 0.7, 3 + 1),
                                                   ("helper_requests_147", 150, 0.75, 2 + 1), ("helper_requests_148", 150, 0.7, 0 + 1),
                                                   ("helper_requests_149", 150, 0.75, 0 + 1), ("helper_requests_150", 150, 0.65, 0 + 1),
                                                   ("helper_requests_151", 150, 0.8, 2 + 1), ("helper_requests_152", 150, 0.75, 1 + 1),
                                                   ("helper_requests_153", 150, 0.7, 3 + 1), ("helper_requests_154", 150, 0.8, 0 + 1),
                                                   ("helper_requests_155", 150, 0.75, 1 + 1), ("helper_requests_156", 150, 0.75, 5 + 1),
                                                   ("helper_requests_157", 150, 0.75, 0 + 1), ("helper_requests_158", 150, 0.65, 5 + 1),
                                                   ("helper_requests_159", 150, 0.75, 1 + 1), ("helper_requests_160", 150, 0.7, 3 + 1),
                                                   ("helper_requests_161", 150, 0.75, 4 + 1), ("helper_requests_162", 150, 0.85, 0 + 1),
                                                   ("helper_requests_163", 150, 0.75, 0 + 1), ("helper_requests_164", 150, 0.7, 2 + 1),
                                                   ("helper_requests_165", 150, 0.65, 2 + 1), ("helper_requests_166", 150, 0.65, 4 + 1),
                                                   ("helper_requests_167", 150, 0.7, 0 + 1), ("helper_requests_168", 150, 0.75, 5 + 1),
                                                   ("helper_requests_169", 150, 0.6, 4 + 1), ("helper_requests_170", 150, 0.75, 0 + 1),
                                                   ("helper_requests_171", 150, 0.75, 3 + 1), ("helper_requests_172", 150, 0.7, 2 + 1),
                                                   ("helper_requests_173", 150, 0.8, 0 + 1), ("helper_requests_174", 150, 0.65, 1 + 1),
                                                   ("helper_requests_175", 150, 0.75, 2 + 1), ("helper_requests_176", 150, 0.8, 3 + 1),
                                                   ("helper_requests_177", 150, 0.75, 2 + 1), ("helper_requests_178", 150, 0.7, 3 + 1),
                                                   ("helper_requests_179", 150, 0.7, 0 + 1), ("helper_requests_180", 150, 0.75, 1 + 1),
                                                   ("helper_requests_181", 150, 0.75, 3 + 1), ("helper_requests_182", 150, 0.75, 1 + 1)])
def test_hard_requests_by_another_hand_are_done_or_refused_never_done_wrong(name, size, floor, known):
    """Hard requests helpers wrote from the device list (nanoiot/data/helper_requests*.jsonl), as the gateway
    answers a source placed nowhere: what must do nothing changes no device, and a request is done as meant or
    refused (2.1.0 under the rules before each reading: 4, 8, 7, 6, 5, 9, 19, 10, 6, 22, 6, 3, 7, 12, 17, 12, 11, 10, 23,
    1, 27, 4, 11, 5, 13, 9, 1, 7, 5, 22 and 10 acted wrongly, state reads aside; the ninth session's fourteen, 39-52: 0,
    2, 9, 12, 2, 0, 10, 9, 3, 4, 3, 0, 18 and 3; the tenth session's eight on sites the gateway had never seen, 53-60,
    each on its own site: 4, 4, 8, 8, 5, 8, 5 and 8; a second eight, 61-68: 1, 6, 6, 5, 7, 7, 6 and 16; a
    third four, 69-72: 8, 7, 5 and 9; the eleventh session's sixteen, 73-88, each on its own site: 7, 5, 7, 10, 9, 9,
    5, 9, 8, 12, 4, 6, 3, 7, 6 and 9; eight more, 89-96, read blind after that session's first rules: 6, 2, 3, 3, 3,
    4, 4 and 5; the twelfth session's seven, 97-103, each on its own site: 5, 8, 5, 4, 5, 5 and 6, and eight more,
    104-111, written after its first rules (read at the session's start: 5, 7, 7, 2, 2, 8, 6 and 4), and seven more,
    112-117 and 119, after its second (at the start: 8, 5, 1, 4, 6, 8 and 5; a set 118's site was lost to a
    helper's slip and is not kept), and six more, 120-125, after its third (at the start: 8, 3, 4, 2, 6 and 3); the
    thirteenth session's nine, 126-134, each on its own site: 9, 5, 6, 6, 9, 2, 5, 11 and 5, then four more, 135-138,
    written after its first rules (5, 8, 8 and 8 at the start; 5, 9, 6 and 6 read blind on those rules), and four
    more, 139-142, after its second (5, 10, 6 and 4 at the start; 5, 9, 5 and 3 read blind), and four, 143-146, after
    its third (7, 6, 3 and 5 at the start; 7, 5, 3 and 5 read blind); the fourteenth session's thirty-two, 147-178,
    each on its own site, in four rounds of eight read blind on the rounds before (at the start: 8, 3, 2, 3, 6, 12, 8,
    4; 5, 10, 4, 8, 4, 6, 11, 3; 0, 3, 8, 8, 6, 11, 11, 2; 4, 6, 1, 4, 5, 9, 5, 9), and four more, 179-182, read blind
    on the fourth round's rules (3, 2, 4 and 2); known counts are
    the last reading + 1, for another CPU's int8 kernels; set 48's one: "turn off the extractor" from the kitchen is
    the bathroom's extractor fan on an AMD EPYC machine's kernels, none on the Intel ones it was read on)."""
    from nanoiot import evaluate
    from nanoiot.evaluate import _accepted, handwritten_commands, site_of
    from nanoiot.registry import load_registry
    from nanoiot.train.real_data import load_jsonl

    cases = load_jsonl(evaluate.WRITTEN_SETS[name])
    site = load_registry(site_of(evaluate.WRITTEN_SETS[name]))
    results = CommandParser(Engine(), site).parse_batch([c["text"] for c in cases], [c.get("area") for c in cases])
    wrong = [c["text"] for c, r in zip(cases, results) if r.status == "ok" and not _accepted(c, r.model_dump())
             and any(a.service != "query.get_state" for a in r.actions)]
    assert len(cases) == size and len(wrong) <= known, wrong
    assert handwritten_commands(Engine(), evaluate.WRITTEN_SETS[name])["accuracy"] >= floor


def test_a_device_whose_name_is_only_kind_words_is_switched_by_that_name():
    """"line lights" is no placeholder (all kind words), and the model reads no command in the sentence."""
    site = Registry.model_validate({"devices": [
        {"id": "light.line", "name": "line lights", "area": "packing line", "domain": "light"},
        {"id": "light.bay", "name": "high bay lights", "area": "warehouse", "domain": "light"},
    ]})
    plant = CommandParser(Engine(), site)
    assert simple(plant.parse("please switch on the line lights")) == ("ok", [("light.turn_on", ["light.line"], {})])
    assert simple(plant.parse("switch the line lights off")) == ("ok", [("light.turn_off", ["light.line"], {})])
    result = plant.parse("turn on the jacuzzi")
    assert (result.status, result.error.code) == ("rejected", "unknown_device")


def test_all_of_a_kind_is_done_in_the_safe_direction_only(home):
    """"lock all the doors" locks every lock; unlocking or starting several at once stays a question."""
    result = home.parse("lock all the doors")
    assert result.status == "ok" and {t for a in result.actions for t in a.targets} == {"lock.front_door", "lock.back_door"}
    assert all(a.service == "lock.lock" for a in result.actions)
    result = home.parse("unlock all the doors")
    assert (result.status, result.error.code) == ("rejected", "ambiguous_device")
    plant = CommandParser(Engine(), Registry.model_validate({"devices": [
        {"id": "machine.a", "name": "conveyor a", "area": "packing line", "domain": "machine"},
        {"id": "machine.b", "name": "conveyor b", "area": "packing line", "domain": "machine"},
        {"id": "machine.mixer", "name": "mixer", "area": "mixing room", "domain": "machine"},
    ]}))
    assert simple(plant.parse("stop the line", area="packing line")) == ("ok", [("machine.stop", ["machine.a", "machine.b"], {})])
    result = plant.parse("start all the machines", area="packing line")
    assert result.status == "rejected" and result.actions == []
