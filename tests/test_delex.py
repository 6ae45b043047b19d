"""Registry phrases out before the model and back in after (nanoiot.delex)."""

from __future__ import annotations

from nanoiot.delex import PER_KIND, Lexicon, placeholder_symbols, relexicalize
from nanoiot.words import one_edit
from nanoiot.registry import Device, Registry
from nanoiot.vocabulary import Frame


def registry(*devices: tuple[str, str, str | None, list[str]]) -> Registry:
    return Registry(devices=[Device(id=i, name=n, area=a, domain=i.split(".")[0], aliases=al) for i, n, a, al in devices])


HOME = registry(
    ("light.kitchen", "kitchen lights", "kitchen", []),
    ("light.tiffany", "tiffany lamp", "living room", []),
    ("switch.wemo", "smart plug", "living room", ["wemo"]),
    ("machine.labeler", "labeler", "line 2", []),
    ("light.any", "lights", "kitchen", []),  # generic: never a placeholder
)


def test_names_and_areas_become_typed_placeholders_and_come_back() -> None:
    found = Lexicon.from_registry(HOME).delexicalize("turn on the tiffany lamp in the living room and start the labeler")
    assert found.text == "turn on the light_1 in the area_1 and start the machine_1"
    frames = relexicalize([Frame("light.turn_on", name="light_1", area="area_1"), Frame("machine.start", name="machine_1")],
                          found.slots)
    assert [(f.name, f.area) for f in frames] == [("tiffany lamp", "living room"), ("labeler", None)]


def test_the_longest_phrase_wins_and_words_must_match_whole() -> None:
    lexicon = Lexicon.from_registry(HOME)
    assert lexicon.delexicalize("kitchen lights off").text == "light_1 off"
    assert lexicon.delexicalize("the lights in the kitchen").text == "the lights in the area_1"  # 'lights' is generic
    assert lexicon.delexicalize("the kitchenette lamp").text == "the kitchenette lamp"
    assert lexicon.delexicalize("wemo on").text == "switch_1 on"  # aliases too


def test_the_same_phrase_twice_is_one_placeholder_and_a_kind_runs_out() -> None:
    lexicon = Lexicon([(f"lamp {c}", "light") for c in "bcdef"])
    found = lexicon.delexicalize("lamp b lamp c lamp b lamp d lamp e")
    assert found.text == "light_1 light_2 light_1 light_3 lamp e"
    assert len(found.slots) == PER_KIND and set(found.slots) <= set(placeholder_symbols())


def test_an_area_named_like_a_device_stays_an_area_and_mixed_kinds_become_device() -> None:
    lexicon = Lexicon([("garage", "cover"), ("garage", "area"), ("porch", "light"), ("porch", "switch")])
    assert lexicon.delexicalize("open the garage").text == "open the area_1"
    assert lexicon.delexicalize("porch on").text == "device_1 on"


def test_frames_without_placeholders_are_left_alone() -> None:
    frames = [Frame("light.turn_on", name="desk lamp", area=None)]
    assert relexicalize(frames, {"light_1": "tiffany lamp"})[0].name == "desk lamp"
    assert relexicalize(frames, {}) is frames


def test_a_one_letter_slip_in_a_long_word_still_finds_the_registry_phrase() -> None:
    lexicon = Lexicon([("coolant valve", "valve"), ("sunroom", "area"), ("robovac", "vacuum")])
    found = lexicon.delexicalize("close the coollant valve and heat the snuroom and send that robovca home")
    assert found.text == "close the valve_1 and heat the area_1 and send that vacuum_1 home"
    assert found.slots == {"valve_1": "coolant valve", "area_1": "sunroom", "vacuum_1": "robovac"}  # the registry's spelling


def test_short_words_plurals_and_ambiguous_slips_are_not_corrected() -> None:
    lexicon = Lexicon([("closet", "area"), ("heater", "climate"), ("header", "switch"), ("kettle", "switch")])
    assert lexicon.delexicalize("close the garage").text == "close the garage"  # 'close' is one letter from 'closet'
    assert lexicon.delexicalize("heaser on").text == "heaser on"  # as near to heater as to header: no guess
    assert lexicon.delexicalize("kettles on").text == "kettles on"
    assert lexicon.delexicalize("ketle on").text == "ketle on"  # five letters: too short to trust
    assert lexicon.delexicalize("kettel on").text == "switch_1 on"


def test_one_edit_counts_insertions_deletions_substitutions_and_swaps() -> None:
    assert all(one_edit(a, b) for a, b in [("sunroom", "surnoom"), ("valve", "vaalve"), ("valve", "vale"), ("lamp", "lump")])
    assert not any(one_edit(a, b) for a, b in [("lamp", "lamp"), ("axbc", "abyc"), ("lamp", "plam"), ("lamp", "lampss")])


def test_the_head_of_a_long_name_ending_in_a_device_word_stands_for_the_device() -> None:
    plant = registry(
        ("lock.server_room", "server room door", "office block", []),
        ("valve.main", "main water valve", "boiler room", []),
        ("light.desk", "desk lamp", "office", []),
        ("cover.garage", "garage side door", "yard", []),
        ("light.garage", "garage side light", "yard", []),
        ("light.living", "living room light", "living room", []),
    )
    lexicon = Lexicon.from_registry(plant)
    found = lexicon.delexicalize("lock the server room and shut off the main water")
    assert found.text == "lock the lock_1 and shut off the valve_1"
    assert found.slots == {"lock_1": "server room door", "valve_1": "main water valve"}
    assert lexicon.delexicalize("turn on the desk").text == "turn on the desk"  # one word: too common to stand alone
    assert lexicon.delexicalize("open the garage side").text == "open the device_1"  # two kinds share the head
    area = lexicon.delexicalize("dim the living room lights")  # a head that is also an area stays the area
    assert (area.text, area.slots) == ("dim the area_1 lights", {"area_1": "living room"})


def test_a_word_of_the_language_is_what_was_said_not_a_slip() -> None:
    """Was: "local theater screening which movie" switched the heater off ("theater" one letter from "heater")."""
    from nanoiot.engine import Engine

    words = Engine().is_word
    lexicon = Lexicon([("heater", "climate"), ("coolant valve", "valve")], is_word=words)
    assert lexicon.delexicalize("call me an uber to the movie theater").text == "call me an uber to the movie theater"
    assert lexicon.delexicalize("close the coollant valve").text == "close the valve_1"  # a slip is still found
    assert Lexicon([("heater", "climate")]).delexicalize("the theater").text == "the climate_1"  # without the word list
