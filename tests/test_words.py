"""The phrasing vocabulary: in step with the generator, and tolerant of slips but not of other words."""

import re

from nanoiot.train.corpus import INTENTS, phrasing_words
from nanoiot.words import PHRASING_PATH, is_phrasing


def test_the_shipped_word_list_is_the_generators_own():
    assert PHRASING_PATH.read_text(encoding="utf-8").split() == phrasing_words()


def test_words_only_held_out_templates_use_stay_out():
    held = {w for intent in INTENTS for w in re.findall(r"[a-z]+", re.sub(r"\{\w+\}", " ", intent.templates[-1]))}
    trained = set(phrasing_words())
    assert "dispatch" in held - trained  # a word the held-out set tests the model on, not the list
    assert not (held - trained) & set(PHRASING_PATH.read_text(encoding="utf-8").split())


def test_typing_slips_count_as_the_word_and_real_words_a_letter_away_do_not():
    assert all(is_phrasing(w) for w in ["turn", "poewr", "shads", "tmperature", "brightnesss"])
    assert not any(is_phrasing(w) for w in ["closet", "oven", "tiffany", "labeler", "ovn"])
