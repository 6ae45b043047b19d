"""Model 2.0's target pieces: a frame takes few decoding steps, and any name can still be written."""

from nanoiot.tokenizer import UNK, join_pieces, target_pieces

VOCABULARY = {"light.turn_on", "switch.turn_on", "brightness_pct=", "name=", "area=", "area_1", "30", ";", "coffee",
              "maker", "ze", "##bra"} | set("abcdefghijklmnopqrstuvwxyz0123456789.") | {f"##{c}" for c in "abcdefghijklmnopqrstuvwxyz0123456789."}


class _WordPiece:
    """Stands in for MiniLM's WordPiece on the one word this test spells with it."""

    def encode(self, word, add_special_tokens=False):
        return type("E", (), {"tokens": ["ze", "##bra"] if word == "zebra" else [UNK]})()


def test_services_keys_placeholders_and_numbers_are_one_piece_each():
    pieces = target_pieces("light.turn_on area=area_1 brightness_pct=30", VOCABULARY)
    assert pieces == ["light.turn_on", "area=", "area_1", "brightness_pct=", "30"]
    assert join_pieces(pieces) == "light.turn_on area=area_1 brightness_pct=30"


def test_other_words_are_written_in_pieces_or_letters_and_read_back():
    target = "switch.turn_on name=coffee maker ; light.turn_on name=zebra brightness_pct=37.5"
    pieces = target_pieces(target, VOCABULARY, _WordPiece())
    assert pieces[:4] == ["switch.turn_on", "name=", "coffee", "maker"]
    assert ["ze", "##bra"] == pieces[7:9]  # WordPiece, as the encoder saw the word
    assert pieces[-4:] == ["3", "##7", "##.", "##5"]  # a number never seen whole is spelt
    assert join_pieces(pieces + ["[SEP]"]) == target


def test_models_split_by_the_same_wordpiece_share_one_tokenizer():
    """The command and diagnostic models ship the same MiniLM WordPiece: one copy in the gateway, not two."""
    from nanoiot.diagnostics.model import SHIPPED_DIAGNOSTIC_MODEL_DIR
    from nanoiot.engine import SHIPPED_MODEL_DIR
    from nanoiot.tokenizer import load_pieces

    command, diagnostic = load_pieces(SHIPPED_MODEL_DIR), load_pieces(SHIPPED_DIAGNOSTIC_MODEL_DIR)
    assert command._source is diagnostic._source
    assert command.encode("turn on the kitchen light") == ["[CLS]", "turn", "on", "the", "kitchen", "light", "[SEP]"]
