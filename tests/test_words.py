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


def test_statements_teach_no_command_and_never_ask():
    """Statements (an optional part of the corpus) are `none`, name a device, and hold none of the words that make a
    sentence a request ("please", a need, a want): those would teach the model to ignore requests."""
    from nanoiot.train.corpus import STATEMENTS, statements

    samples = statements(300, 5, delex_rate=0.75)
    assert len(samples) == 300 and {s.target for s in samples} == {"none"}
    assert sum(bool(re.search(r"\b[a-z]+_\d\b", s.text)) for s in samples) > 150  # most carry placeholders, as at run time
    assert not [t for t in STATEMENTS if re.search(r"\b(?:please|need|needs|want|wants|too)\b", t)]
