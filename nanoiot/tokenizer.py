"""Text to model pieces and back, for the two kinds of model the engine loads.

- Model 2.0 (`tokenizer.json` in the model dir): the source is MiniLM's own WordPiece
  (`nanoiot.wordpiece`, the pieces the `tokenizers` package gave in training), so the pretrained
  encoder sees the pieces it was trained on, plus the placeholders (`light_1` .. `area_3`) as
  never-split tokens. The target is our own small word-level vocabulary (CTranslate2's `target_vocabulary.json`): every
  service, data key (`brightness_pct=`), placeholder and number seen in training is one
  piece, so a frame takes few decoding steps; any other word is written in WordPiece
  pieces, or letter by letter, so a name the registry lacks can still be copied.
- Older models (`spm.model`): one SentencePiece model for both sides (the diagnostic model).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from nanoiot.wordpiece import WordPiece

SOURCE_TOKENIZER = "tokenizer.json"
PAD, UNK, BOS, EOS = "[PAD]", "[UNK]", "[CLS]", "[SEP]"  # MiniLM's names, shared by both vocabularies
SPELL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789.-_'"
_SPELLED = re.compile(r"[^a-z]")  # numbers and odd words are spelt letter by letter, never guessed as pieces


class Pieces(Protocol):
    """What the engine needs of a tokenizer."""

    def encode(self, text: str) -> list[str]: ...

    def decode(self, pieces: list[str]) -> str: ...


class SentencePieces:
    """One SentencePiece model for source and target (models before 2.0)."""

    def __init__(self, model_file: Path) -> None:
        import sentencepiece as spm

        self._sp = spm.SentencePieceProcessor(model_file=str(model_file))

    def encode(self, text: str) -> list[str]:
        return self._sp.encode(text, out_type=str)

    def decode(self, pieces: list[str]) -> str:
        return self._sp.decode_pieces(pieces)


def target_pieces(target: str, vocabulary: set[str], wordpiece: "object | None" = None) -> list[str]:
    """A target string as pieces of `vocabulary` (`key=` and its value are two pieces)."""
    out: list[str] = []
    for word in target.split():
        key, eq, value = word.partition("=")
        parts = [key + "=", value] if eq and value else [word]
        for part in parts:
            out += _word_pieces(part, vocabulary, wordpiece)
    return out


def _word_pieces(word: str, vocabulary: set[str], wordpiece: "object | None") -> list[str]:
    if word in vocabulary:
        return [word]
    if wordpiece is not None and not _SPELLED.search(word):
        pieces = wordpiece.encode(word, add_special_tokens=False).tokens  # type: ignore[attr-defined]
        if pieces and all(p in vocabulary for p in pieces):
            return pieces
    spelt = [word[0]] + ["##" + c for c in word[1:]]
    return [p if p in vocabulary else UNK for p in spelt]


def join_pieces(pieces: Iterable[str]) -> str:
    """Pieces back to a target string: `##x` continues a word, `key=` takes the next piece."""
    words: list[str] = []
    glue = False
    for piece in pieces:
        if piece in (PAD, BOS, EOS):
            continue
        if piece.startswith("##") and words:
            words[-1] += piece[2:]
        elif glue and words:
            words[-1] += piece
        else:
            words.append(piece)
        glue = piece.endswith("=") and len(piece) > 1
    return " ".join(words)


class WordPieces:
    """MiniLM's WordPiece for the source, our word-level vocabulary for the target (model 2.0)."""

    def __init__(self, model_dir: Path) -> None:
        path = model_dir / SOURCE_TOKENIZER
        try:
            self._source = _shared_tokenizer(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:  # unreadable, not JSON, not WordPiece
            raise ValueError(f"{path}: {exc}") from exc

    def encode(self, text: str) -> list[str]:
        return self._source.encode(text)

    def decode(self, pieces: list[str]) -> str:
        return join_pieces(pieces)

    def is_word(self, word: str) -> bool:
        """A whole word of MiniLM's vocabulary ("theater"), not one it splits ("coollant" -> cool ##lan ##t)."""
        return self._source.is_word(word)


@functools.lru_cache(maxsize=4)
def _shared_tokenizer(definition: str) -> WordPiece:
    """One tokenizer per definition: the command and diagnostic models both split with MiniLM's WordPiece,
    and each copy of its 30k-piece vocabulary costs the gateway ~3 MB. Encoding does not change it."""
    return WordPiece.from_str(definition)


def load_pieces(model_dir: Path) -> Pieces:
    """The tokenizer a model directory was trained with."""
    if (model_dir / SOURCE_TOKENIZER).exists():
        return WordPieces(model_dir)
    return SentencePieces(model_dir / "spm.model")
