"""The model-output cache on the shipped model: exact, bounded, and keyed by the model's own input."""

from __future__ import annotations

import pytest
from test_parser_model import REGISTRY

from nanoiot.engine import Engine
from nanoiot.outputs import OutputCache
from nanoiot.parser import CommandParser


@pytest.fixture(scope="module")
def parser() -> CommandParser:
    return CommandParser.load(REGISTRY)


def test_a_hit_answers_as_the_model_did(parser: CommandParser) -> None:
    texts = ["turn off the porch light", "lock the back door", "set the thermostat to 21 degrees", "what's the weather like"]
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
