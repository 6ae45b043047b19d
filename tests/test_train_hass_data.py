"""Sentences in Home Assistant's template shapes: each target says what its sentence says, nothing else."""

import re

import pytest
from support import require_import

require_import("hassil")
require_import("home_assistant_intents")

from nanoiot.train import lexicon as lx  # noqa: E402
from nanoiot.train.hass_data import hass_pairs  # noqa: E402
from nanoiot.vocabulary import check_data, parse_output  # noqa: E402


@pytest.fixture(scope="module")
def pairs():
    return hass_pairs(1500, seed=3)


def test_every_target_is_in_the_vocabulary_and_names_only_what_was_said(pairs):
    held_out = {n for names in lx.HELD_OUT_NAMES.values() for n in names} | lx.HELD_OUT_AREAS
    services = set()
    for text, target in pairs:
        frames = parse_output(target)
        assert len(frames) == 1, (text, target)
        frame = frames[0]
        check_data(frame.service, frame.data)
        services.add(frame.service)
        for phrase in (frame.name, frame.area):
            if phrase:
                assert re.search(rf"\b{re.escape(phrase)}\b", text), (text, target)
                assert phrase not in held_out, (text, target)
        for value in frame.data.values():
            if isinstance(value, (int, float)) and not isinstance(value, bool) and "kelvin" not in target:
                assert re.search(rf"\b{value:g}\b", text), (text, target)
    # the intents we have an equivalent for all appear
    assert {"light.turn_on", "light.turn_off", "fan.set_percentage", "cover.set_cover_position", "climate.set_temperature",
            "lock.lock", "lock.unlock", "vacuum.start", "query.get_state"} <= services


def test_the_direction_said_is_the_direction_written(pairs):
    for text, target in pairs:
        service = target.split()[0]
        words = set(text.split())
        if service.endswith(("turn_off", "close_cover", "close_valve")) and "on" not in words:
            assert words & {"off", "out", "close", "shut", "lower", "deactivate"}, (text, target)
