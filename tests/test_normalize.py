import pytest

from nanoiot.normalize import normalize


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Dim the Kitchen lights to 30%!", "dim the kitchen lights to 30 percent"),
        ("set it to twenty one and a half degrees", "set it to 21.5 degrees"),
        ("Pump three, please.", "pump 3 please"),
        ("one hundred percent", "100 percent"),
        ("it's pitch-black in here", "it's pitch black in here"),
        ("21.5°C", "21.5 degrees c"),
        ("forty five point five", "45.5"),
        ("colour temperature to 7500kelvin", "colour temperature to 7500 kelvin"),  # was read as 7500 percent
        ("set it to 50percent", "set it to 50 percent"),
        ("a 2700K white", "a 2700 kelvin white"),
        ("the 10k motor", "the 10k motor"),  # a size, not a white
        ("Turn on the kitchen light. Turn off the hall light.", "turn on the kitchen light and turn off the hall light"),
        ("set it to 21.5 degrees. thanks", "set it to 21.5 degrees and thanks"),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_control_characters_and_emoji_do_not_survive():
    assert normalize("turn\x00 on 💡 the\tlight") == "turn on the light"
