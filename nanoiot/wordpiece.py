"""MiniLM's WordPiece split of a sentence, read from its `tokenizer.json`, in plain Python.

The same pieces as the `tokenizers` package gives for this kind of file (BERT normaliser,
BERT pre-tokeniser, greedy longest-match WordPiece, never-split added tokens such as the
placeholders, [CLS] ... [SEP]); `tests/test_wordpiece.py` checks that on every sentence we
train on. Why not `tokenizers` at run time: loading the file there costs the gateway 10-25 MiB
of native memory, against issue 16's 150 MiB for the whole process; a dict of 30k pieces
costs ~3 MiB, and a short command splits as fast. Training still uses `tokenizers`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Callable

CONTROL = frozenset({"Cc", "Cf", "Co"})  # BERT's Rust normaliser keeps unassigned code points
PUNCTUATION = frozenset({"Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps"})


class UnsupportedTokenizer(ValueError):
    """The file describes a tokenizer this module does not reproduce (not MiniLM's kind)."""


class WordPiece:
    """A tokenizer.json of BERT's kind (MiniLM's), read once; `encode` splits a sentence as its model was trained."""

    def __init__(self, definition: dict[str, Any]) -> None:
        model = definition.get("model") or {}
        normalizer = definition.get("normalizer") or {}
        if model.get("type") != "WordPiece" or normalizer.get("type") != "BertNormalizer" \
                or (definition.get("pre_tokenizer") or {}).get("type") != "BertPreTokenizer":
            raise UnsupportedTokenizer("only a BERT-style WordPiece tokenizer.json is read here")
        self.vocab: frozenset[str] = frozenset(model["vocab"])
        self.unk = model.get("unk_token", "[UNK]")
        self.prefix = model.get("continuing_subword_prefix", "##")
        self.max_chars = model.get("max_input_chars_per_word", 100)
        self.lowercase = normalizer.get("lowercase", True)
        strip = normalizer.get("strip_accents")
        self.strip_accents = self.lowercase if strip is None else strip  # BERT's rule: unset follows lowercase
        self.clean = normalizer.get("clean_text", True)
        self.chinese = normalizer.get("handle_chinese_chars", True)
        tokens = definition.get("added_tokens") or ()
        added = [t["content"] for t in tokens if not t.get("special")]
        special = [t["content"] for t in tokens if t.get("special")]
        if any(t.get("special") == bool(t.get("normalized") or t.get("single_word")) or t.get("lstrip") or t.get("rstrip")
               for t in tokens):
            raise UnsupportedTokenizer("added tokens must be single words matched on normalised text, special ones as said")
        # special tokens ("[SEP]") are found in the text as sent, the others (the placeholders) once normalised
        self._special = re.compile("|".join(map(re.escape, sorted(special, key=len, reverse=True)))) if special else None
        words = "|".join(map(re.escape, sorted(added, key=len, reverse=True)))
        self._added = re.compile(rf"(?<!\w)(?:{words})(?!\w)") if words else None

    @classmethod
    def from_str(cls, text: str) -> "WordPiece":
        return cls(json.loads(text))

    def is_word(self, word: str) -> bool:
        """A piece of its own: a whole word the model knows, as opposed to one it spells in pieces."""
        return word in self.vocab

    def encode(self, text: str) -> list[str]:
        """[CLS], the pieces of `text`, [SEP]."""
        return ["[CLS]", *_around(self._special, text, self._normal), "[SEP]"]

    def _normal(self, text: str) -> list[str]:
        return _around(self._added, self._normalize(text), self._split)

    def _normalize(self, text: str) -> str:
        if text.isascii():  # the common case: nothing to clean, no accents, no CJK
            text = "".join(c if c.isprintable() else " " if c in "\t\n\r" else "" for c in text) if not text.isprintable() else text
            return text.lower() if self.lowercase else text
        out = []
        for c in text:
            if self.clean:
                if c in "\0\ufffd" or (c not in "\t\n\r" and unicodedata.category(c) in CONTROL):
                    continue
                if c in "\t\n\r" or unicodedata.category(c) == "Zs":
                    c = " "
            if self.chinese and _is_chinese(ord(c)):
                c = f" {c} "
            out.append(c)
        text = "".join(out)
        if self.strip_accents:
            text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        return "".join(c.lower() for c in text) if self.lowercase else text  # letter by letter: no final sigma rule

    def _split(self, text: str) -> list[str]:
        pieces: list[str] = []
        for word in _pre_tokens(text):
            pieces += self._word(word)
        return pieces

    def _word(self, word: str) -> list[str]:
        """Greedy longest match first; a word with a part no piece covers is [UNK] whole."""
        if len(word) > self.max_chars:
            return [self.unk]
        if word in self.vocab:
            return [word]
        out, start = [], 0
        while start < len(word):
            for end in range(len(word), start, -1):
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                if piece in self.vocab:
                    out.append(piece)
                    start = end
                    break
            else:
                return [self.unk]
        return out


def _around(tokens: re.Pattern[str] | None, text: str, split: Callable[[str], list[str]]) -> list[str]:
    """The tokens `tokens` finds in `text` as they are, and the text between them split by `split`."""
    pieces: list[str] = []
    start = 0
    for match in tokens.finditer(text) if tokens else ():
        pieces += split(text[start:match.start()])
        pieces.append(match.group(0))
        start = match.end()
    return pieces + split(text[start:])


def _pre_tokens(text: str) -> list[str]:
    """BERT's pre-tokeniser: split on white space, and every punctuation mark is a word of its own."""
    words: list[str] = []
    for chunk in text.split():
        if chunk.isalnum():
            words.append(chunk)
            continue
        current = ""
        for c in chunk:
            if _is_punctuation(c):
                if current:
                    words.append(current)
                words.append(c)
                current = ""
            else:
                current += c
        if current:
            words.append(current)
    return words


def _is_punctuation(c: str) -> bool:
    return (c.isascii() and not c.isalnum() and c.isprintable() and c != " ") or unicodedata.category(c) in PUNCTUATION


def _is_chinese(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)
