"""The resolver's numbers, each pinned by what it decides: the near-tie band, the weight of
generic words, the fuzzy-area threshold and the restoring of a number the model cut short.

Each test fails when its number moves far enough to change a decision a person would notice
(checked by mutating the constant by hand, see the commit message).
"""

import pytest

from nanoiot.matching import snap_number
from nanoiot.registry import Registry
from nanoiot.resolver import ResolveError, Resolver
from nanoiot.vocabulary import Frame


def resolver(*devices: dict) -> Resolver:
    return Resolver(Registry.model_validate({"devices": list(devices)}))


def light(object_id: str, name: str, area: str = "living room") -> dict:
    return {"id": f"light.{object_id}", "name": name, "area": area, "domain": "light"}


def targets(res: Resolver, frame: Frame, text: str | None = None) -> list[str]:
    return sorted(t for action in res.resolve([frame], text=text) for t in action.targets)


def test_a_typo_of_one_name_does_not_also_switch_a_near_namesake():
    """"flor lamp" is the floor lamp (1.0), not also the floor light (0.8): only near-ties act on both."""
    res = resolver(light("floor_lamp", "floor lamp"), light("floor_light", "floor light"))
    assert targets(res, Frame("light.turn_off", name="flor lamp")) == ["light.floor_lamp"]
    assert targets(res, Frame("light.turn_off", name="flor light")) == ["light.floor_light"]


def test_a_true_tie_acts_on_every_device_that_ties():
    res = resolver(light("tiffany_a", "tiffany lamp", "study"), light("tiffany_b", "tiffany lamp", "study"))  # a pair
    assert targets(res, Frame("light.turn_off", name="tifany lamp")) == ["light.tiffany_a", "light.tiffany_b"]


def test_a_generic_word_said_differently_still_finds_the_device():
    """Generic words count a quarter: "desk lamp" is the "desk light", even the "desk light bulb"."""
    # object ids unlike the names: an id is also a name ("light.desk" is "desk")
    assert targets(resolver(light("l1", "desk light")), Frame("light.turn_on", name="desk lamp")) == ["light.l1"]
    assert targets(resolver(light("l1", "desk light bulb")), Frame("light.turn_on", name="desk lamp")) == ["light.l1"]


def test_generic_words_in_common_alone_match_nothing():
    with pytest.raises(ResolveError) as err:
        resolver(light("porch", "porch light")).resolve([Frame("light.turn_on", name="hall lamp")])
    assert err.value.code == "unknown_device"


def test_an_area_said_in_part_or_misspelt_is_found():
    res = resolver(light("line", "strip light", "packing line"), light("kitchen", "ceiling light", "kitchen"))
    assert targets(res, Frame("light.turn_on", area="packing")) == ["light.line"]  # scores 0.89
    assert targets(res, Frame("light.turn_on", area="kitchn")) == ["light.kitchen"]


def test_an_area_that_only_shares_a_word_is_not_that_area():
    """"the garden room" (0.67 against "garden") is a place the registry lacks, not the garden."""
    res = resolver(light("garden", "path lights", "garden"))
    with pytest.raises(ResolveError) as err:
        res.resolve([Frame("light.turn_on", area="garden room")])
    assert err.value.code == "unknown_device" and "garden room" in err.value.message


@pytest.mark.parametrize(("raw", "text", "said"), [
    ("40", "set the floor lamp to 140 percent", "140"),  # a digit dropped
    ("-10", "dim the lights by 110 percent", "-110"),  # the sign kept
    ("15", "between 15 and 150 percent", "15"),  # said as it is: kept
    ("5", "set it to 15 or 150", "150"),  # the longest number said that holds it
    ("2.5", "set it to 22.5 degrees", "22.5"),
    ("40", "set it to forty percent", "40"),  # nothing said in digits: kept
    ("warm", "make it 140 warm", "warm"),  # not a number: kept
    (40, "set it to 140", "140"),
])
def test_a_number_the_model_cut_short_is_the_number_said(raw, text, said):
    assert str(snap_number(raw, text)) == said


def test_a_number_cut_short_is_refused_at_the_value_said_not_carried_out():
    res = resolver(light("floor_lamp", "floor lamp"))
    frame = Frame("light.turn_on", name="floor lamp", data={"brightness_pct": "40"})
    with pytest.raises(ResolveError) as err:
        res.resolve([frame], text="set the floor lamp to 140 percent")
    assert err.value.code == "out_of_range" and "140" in err.value.message
