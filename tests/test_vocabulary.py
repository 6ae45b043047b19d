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
    "garbage",
    ["light.explode name=x", "light.turn_on colour=red", "light.turn_on stray words", "light.turn_on name=", "=== ;;"],
)
def test_output_outside_the_vocabulary_is_a_vocabulary_error(garbage):
    with pytest.raises(VocabularyError):
        parse_output(garbage)


def test_values_are_typed_and_range_checked():
    assert check_data("light.turn_on", {"brightness_pct": "30"}) == {"brightness_pct": 30}
    assert check_data("climate.set_temperature", {"temperature": "21.5"}) == {"temperature": 21.5}
    assert check_data("light.turn_on", {"color_name": "Red"}) == {"color_name": "red"}
    with pytest.raises(ValueRejected, match="between 0 and 100"):
        check_data("light.turn_on", {"brightness_pct": "140"})
    with pytest.raises(ValueRejected):
        check_data("climate.set_hvac_mode", {"hvac_mode": "disco"})
    with pytest.raises(VocabularyError, match="needs temperature"):
        check_data("climate.set_temperature", {})
