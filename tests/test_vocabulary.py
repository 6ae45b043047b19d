import pytest

from nanoiot.vocabulary import Frame, ValueRejected, VocabularyError, check_data, parse_output, serialize


def test_round_trip_of_several_frames_keeps_order():
    frames = [
        Frame("light.turn_off", name="porch light"),
        Frame("lock.lock", name="back door", area="hall"),
        Frame("light.turn_on", area="kitchen", data={"brightness_pct": 30}),
    ]
    text = serialize(frames)
    parsed = parse_output(text)
    assert [f.service for f in parsed] == ["light.turn_off", "lock.lock", "light.turn_on"]
    assert parsed[1].name == "back door" and parsed[1].area == "hall"
    assert parsed[2].data == {"brightness_pct": "30"}


def test_none_means_no_frames():
    assert parse_output("none") == []
    assert serialize([]) == "none"


@pytest.mark.parametrize(
    "garbage, says",
    [("light.explode name=x", "unknown service 'light.explode'"), ("light.turn_on colour=red", "light.turn_on takes no 'colour'"),
     ("light.turn_on stray words", "stray words 'stray words' in 'light.turn_on stray words'"),
     ("light.turn_on name=", "empty value for 'name'"), ("=== ;;", "unknown service '==='")],
)
def test_output_outside_the_vocabulary_is_a_vocabulary_error(garbage, says):
    with pytest.raises(VocabularyError) as err:
        parse_output(garbage)
    assert str(err.value) == says


def test_a_service_without_data_parses_to_a_bare_frame():
    (frame,) = parse_output("lock.lock")
    assert (frame.service, frame.name, frame.area, frame.domain, frame.data) == ("lock.lock", None, None, None, {})


def test_a_question_names_its_attribute_as_said():
    assert check_data("query.get_state", {"attribute": " temperature "}) == {"attribute": "temperature"}
    with pytest.raises(VocabularyError, match="^attribute is empty$"):
        check_data("query.get_state", {"attribute": "  "})


def test_unknown_and_missing_keys_are_named():
    with pytest.raises(VocabularyError, match="^light.turn_on takes no colour, hue$"):
        check_data("light.turn_on", {"colour": "red", "hue": 3})
    with pytest.raises(VocabularyError, match="^climate.set_temperature needs temperature$"):
        check_data("climate.set_temperature", {})


def test_values_are_typed_and_range_checked():
    assert check_data("light.turn_on", {"brightness_pct": "30"}) == {"brightness_pct": 30}
    assert check_data("climate.set_temperature", {"temperature": "21.5"}) == {"temperature": 21.5}
    assert check_data("light.turn_on", {"color_name": "Red"}) == {"color_name": "red"}
    with pytest.raises(ValueRejected, match="between 0 and 100"):
        check_data("light.turn_on", {"brightness_pct": "140"})
    with pytest.raises(ValueRejected, match=r"hvac_mode 'disco' is not one of auto, cool, dry, fan_only, heat, heat_cool, off"):
        check_data("climate.set_hvac_mode", {"hvac_mode": "disco"})
    with pytest.raises(VocabularyError, match="needs temperature"):
        check_data("climate.set_temperature", {})


@pytest.mark.parametrize(("said", "name"), [("light blue", "lightblue"), ("Dark Slate Gray", "darkslategray"), (" warm white ", "warmwhite")])
def test_a_colour_said_in_words_is_the_joined_name(said, name):
    """People say "light blue"; Home Assistant's color_name is "lightblue"."""
    assert check_data("light.turn_on", {"color_name": said}) == {"color_name": name}


@pytest.mark.parametrize(("raw", "value"), [("30.6", 31), ("30.4", 30), ("99.5", 100), ("0.4", 0), ("-10.6", -11)])
def test_whole_number_values_are_rounded_not_cut(raw, value):
    key = "brightness_step_pct" if raw.startswith("-") else "brightness_pct"
    assert check_data("light.turn_on", {key: raw}) == {key: value}
    assert type(check_data("light.turn_on", {key: raw})[key]) is int


@pytest.mark.parametrize(("raw", "value"), [("21.46", 21.5), ("21.44", 21.4), ("21", 21), ("21.0", 21), ("5", 5), ("35", 35)])
def test_a_temperature_keeps_one_decimal(raw, value):
    checked = check_data("climate.set_temperature", {"temperature": raw})["temperature"]
    assert checked == value and type(checked) is type(value)


@pytest.mark.parametrize("raw", ["4.9", "35.1", "-1"])
def test_a_temperature_outside_the_range_is_rejected_with_the_range(raw):
    with pytest.raises(ValueRejected, match="between 5 and 35"):
        check_data("climate.set_temperature", {"temperature": raw})


@pytest.mark.parametrize("raw", ["warm", "", None, "3O"])
def test_a_value_that_is_not_a_number_is_not_understood(raw):
    with pytest.raises(VocabularyError, match="not a number"):
        check_data("light.turn_on", {"brightness_pct": raw})
