"""The two exact caches on the shipped model: model outputs (keyed by the model's own input) and whole parses
(keyed by the sentence, where it was said and the site's scope); both bounded."""

from __future__ import annotations

import pytest
from test_parser_model import HOME, REGISTRY

from nanoiot.engine import Engine
from nanoiot.outputs import OutputCache
from nanoiot.parser import CommandParser


@pytest.fixture(scope="module")
def parser() -> CommandParser:
    return CommandParser.load(REGISTRY)


def test_a_hit_answers_as_the_model_did(parser: CommandParser) -> None:
    texts = ["turn off the porch light", "lock the back door", "set the thermostat to 21 degrees", "what's the weather like"]
    parser.parsed.resize(0)  # every parse reaches the model-output cache
    parser.outputs.resize(0)  # nothing kept: every call goes to the model
    uncached = [r.model_dump() for r in parser.parse_batch(texts)]
    parser.outputs.resize(64)
    first = [r.model_dump() for r in parser.parse_batch(texts)]
    hits = parser.outputs.hits
    second = [r.model_dump() for r in parser.parse_batch(texts)]
    assert parser.outputs.hits == hits + len(texts)
    assert uncached == first == second
    assert uncached[0]["actions"][0]["targets"] == ["light.porch"]


def test_registry_phrases_share_one_model_input_and_keep_their_own_devices(parser: CommandParser) -> None:
    parser.parsed.resize(0)
    parser.outputs.resize(64)
    parser.parse("turn on the porch light")
    hits = parser.outputs.hits
    result = parser.parse("turn on the floor lamp")
    if parser.lexicon is not None:  # a placeholder model sees "turn on light_1" both times
        assert parser.outputs.hits == hits + 1
    assert [a.targets for a in result.actions] == [["light.floor_lamp"]]


def test_the_cache_is_bounded_and_different_inputs_do_not_collide() -> None:
    engine = Engine()
    cache = OutputCache(engine.translate_nbest, size=2)
    a, b, c = "turn on light_1", "turn off light_1", "lock lock_1"
    direct = engine.translate_nbest([a, b, c])
    assert cache.translate_nbest([a, b, c, a]) == direct + [direct[0]]
    assert len(cache) == 2 and cache.misses == 3 and cache.hits == 1  # the repeat in one batch asks the model once
    assert cache.translate_nbest([c]) == [direct[2]]  # kept: the newest two
    assert cache.translate_nbest([a]) == [direct[0]]  # evicted, asked again
    assert cache.misses == 4 and cache.figures()["entries"] == 2
    assert direct[0] != direct[1]


@pytest.fixture()
def home() -> CommandParser:
    return CommandParser.load(HOME)


def test_a_repeated_sentence_is_answered_from_the_parse_cache_as_it_was_parsed(home: CommandParser) -> None:
    texts = ["turn off the porch light", "set the thermostat to 21 degrees", "tell me a joke", "dim the lights"]
    first = [r.model_dump() for r in home.parse_batch(texts, ["office"] * 4)]
    misses = home.outputs.misses + home.outputs.hits
    second = [r.model_dump() for r in home.parse_batch(texts, ["office"] * 4)]
    assert second == first and home.parsed.hits == 4
    assert home.outputs.misses + home.outputs.hits == misses  # not even the model-output cache was asked


def test_where_a_sentence_was_said_and_the_scope_are_part_of_the_key(home: CommandParser) -> None:
    kitchen = home.parse("turn on the light", area="kitchen")
    bedroom = home.parse("turn on the light", area="bedroom")
    assert [a.targets for a in kitchen.actions] != [a.targets for a in bedroom.actions]
    assert bedroom.actions[0].targets == ["light.bedroom"]
    nowhere = home.parse("turn on the lights")
    assert (nowhere.status, home.parse("turn on the lights", site_wide=True).status) == ("rejected", "ok")


def test_a_parse_that_read_a_setpoint_now_is_never_kept(home: CommandParser) -> None:
    text = "make it a couple of degrees warmer"
    at_20 = home.parse(text, area="living room", setpoints={"climate.thermostat": 20.0}.get)
    at_23 = home.parse(text, area="living room", setpoints={"climate.thermostat": 23.0}.get)
    unknown = home.parse(text, area="living room")
    assert [a.data["temperature"] for a in at_20.actions + at_23.actions] == [22.0, 25.0]
    assert (unknown.status, unknown.error and unknown.error.code) == ("rejected", "unsupported")
    assert home.parsed.hits == 0 and len(home.parsed) == 0


def test_a_caller_changing_its_result_does_not_change_the_next_answer(home: CommandParser) -> None:
    first = home.parse("close the blinds")
    first.status = "rejected"
    first.actions = []
    again = home.parse("close the blinds")
    assert (again.status, [a.targets for a in again.actions]) == ("ok", [["cover.blinds"]])
    assert home.parsed.hits == 1


def test_the_parse_cache_is_bounded(home: CommandParser) -> None:
    home.parsed.resize(2)
    for text in ("turn on the kettle", "turn off the kettle", "lock the front door"):
        home.parse(text)
    assert len(home.parsed) == 2
    home.parse("turn on the kettle")  # the oldest, evicted: parsed afresh
    assert (home.parsed.hits, home.parsed.misses) == (0, 4)
    home.parsed.resize(0)
    home.parse("lock the front door")
    assert len(home.parsed) == 0
