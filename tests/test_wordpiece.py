"""Our WordPiece gives the pieces the `tokenizers` package gives for the shipped tokenizer.json, the one
training used: on every generated sentence of a held-out set, the real trainable sentences, odd text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nanoiot.engine import SHIPPED_MODEL_DIR
from nanoiot.wordpiece import UnsupportedTokenizer, WordPiece

tokenizers = pytest.importorskip("tokenizers")  # installed with the train extra (transformers needs it)

DEFINITION = (SHIPPED_MODEL_DIR / "tokenizer.json").read_text(encoding="utf-8")
OURS = WordPiece.from_str(DEFINITION)
THEIRS = tokenizers.Tokenizer.from_str(DEFINITION)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def theirs(text: str) -> list[str]:
    return THEIRS.encode(text).tokens


def test_the_pieces_of_every_sentence_we_train_on_are_the_same():
    from nanoiot.diagnostics.evaluation import held_out_reports
    from nanoiot.train.pipeline import held_out_set

    texts = [text for text, _ in held_out_set(2000)] + [r.text for r in held_out_reports(300, 1) if r.text]
    for path in sorted(SHARED.glob("*/*.jsonl")):  # HWU64 and SLURP devel, where ../shared is beside the repo
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 2000
    assert [t for t in texts if OURS.encode(t) != theirs(t)] == []


@pytest.mark.parametrize("text", [
    "turn off light_1 in area_1 and light_12 xlight_1",  # placeholders only as whole words
    "Héllo, Wörld! ¿Qué? naïve café", "[SEP] [CLS]x [unk]", "\t tab\x00null\x7f 中文字 😀 ok… “quoted”",
    "", "   ", "a" * 120, "set it to 21.5°c", "don't-stop_now", "ｆｕｌｌ ｗｉｄｔｈ", "e\u0301\u200b\u00a0x",
])
def test_odd_text_splits_the_same(text):
    assert OURS.encode(text) == theirs(text)


ODD = st.characters(max_codepoint=0x5FF) | st.sampled_from("中文字😀…“”‘’–—€°½\u00a0\u200b\u2028\ufeff\ufffd\U000f0000")


@settings(max_examples=500, deadline=None)
@given(st.text(ODD, max_size=60))
def test_any_text_splits_the_same(text):
    """Latin, Greek, Cyrillic, Hebrew, controls, accents and the odd marks people paste. Not every code point:
    the Rust side reads Unicode 8's tables, so ~760 characters added since (U+2E43, U+061D) split differently."""
    assert OURS.encode(text) == theirs(text)


def test_a_tokenizer_of_another_kind_is_refused_not_misread():
    other = json.loads(DEFINITION)
    other["model"]["type"] = "BPE"
    with pytest.raises(UnsupportedTokenizer):
        WordPiece(other)
