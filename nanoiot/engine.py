"""The model runtime: one CTranslate2 translator and its tokenizer (`nanoiot.tokenizer`).

Thread settings: one intra-op thread per translator is fastest for a model this
small (measured in `nanoiot bench`); parallelism comes from batching and from
`inter_threads` replicas (weights shared), never from splitting a 3 ms call across
cores. With replicas, a batch goes to them in sub-batches of SUB_BATCH sentences of
like length: 1.75x the sentences/s of one replica on 2 cores (1,240-1,310 against
650-730, 512 held-out sentences in batches of 32), and no slower with one.
Decoding stops at 16 pieces more than the longest source in the batch (at most 64):
no training pair's target is more than 11 pieces longer than its source, and a name
the model cannot copy may otherwise repeat itself to the limit; a hypothesis that
reaches the limit never finished and counts as `none`.
Greedy decoding is the default: on model 1.2.0 it scores as well as beam 3 on
held-out sentences or better, in ~20% less time (`nanoiot bench` compares them).
A hypothesis whose mean log-probability per piece is below the manifest's
`min_score` counts as `none`: chit-chat that the model half-reads as a command
mostly scores far lower than the commands it knows (docs/model.md, ood dev).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ctranslate2

from nanoiot.tokenizer import load_pieces
from nanoiot.vocabulary import NOT_A_COMMAND

SHIPPED_MODEL_DIR = Path(__file__).parent / "model"
DEFAULT_BEAM_SIZE = 1
LENGTH_MARGIN = 16  # target pieces beyond the source's; no training pair of 1.2.0 needs more than 11, of 2.0.0 3
SUB_BATCH = 8  # sentences per replica job when a batch is shared between replicas


class ModelLoadError(RuntimeError):
    """The model directory is missing files or cannot be loaded."""


@dataclass(frozen=True)
class Manifest:
    name: str
    version: str
    raw: dict[str, Any]


def read_manifest(model_dir: Path) -> Manifest:
    try:
        raw = json.loads((model_dir / "manifest.json").read_text())
        return Manifest(raw["name"], raw["version"], raw)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelLoadError(f"{model_dir}: no valid manifest.json ({exc})") from exc


class Engine:
    """Batched decoding of source strings into target strings (greedy unless `beam_size` says otherwise)."""

    def __init__(
        self,
        model_dir: str | Path | None = None,
        intra_threads: int = 1,
        inter_threads: int = 1,
        max_decoding_length: int = 64,
        beam_size: int = DEFAULT_BEAM_SIZE,
        min_score: float | None = None,
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir else SHIPPED_MODEL_DIR
        self.manifest = read_manifest(self.model_dir)
        try:
            self._pieces = load_pieces(self.model_dir)
            self._translator = ctranslate2.Translator(
                str(self.model_dir),
                device="cpu",
                compute_type="int8",
                intra_threads=intra_threads,
                inter_threads=inter_threads,
            )
        except (OSError, RuntimeError, ValueError) as exc:
            raise ModelLoadError(f"cannot load model from {self.model_dir}: {exc}") from exc
        self._replicas = inter_threads
        self._max_len = max_decoding_length
        self.beam_size = beam_size
        # measured per model at training time (manifest); None: every hypothesis stands
        self.min_score = min_score if min_score is not None else self.manifest.raw.get("min_score")

    def translate_batch(self, texts: list[str]) -> list[str]:
        """The best hypothesis for each text."""
        return [hypotheses[0] for hypotheses in self.translate_nbest(texts)]

    def translate_nbest(self, texts: list[str]) -> list[list[str]]:
        """The hypotheses for each text, best first (the parser takes the best valid one; greedy gives one)."""
        floor = float("-inf") if self.min_score is None else self.min_score
        return [[text if text is not None and score >= floor else NOT_A_COMMAND for text, score in hypotheses]
                for hypotheses in self._decode(texts)]

    def translate_scored(self, texts: list[str]) -> list[tuple[str, float]]:
        """The best hypothesis for each text with its mean log-probability per piece, no floor applied;
        "" for a hypothesis cut off by the length limit (callers turn the score into a confidence)."""
        return [(hypotheses[0][0] or "", hypotheses[0][1]) for hypotheses in self._decode(texts)]

    def is_word(self, word: str) -> bool:
        """A whole word of the source vocabulary (False for a SentencePiece model, which has no such list)."""
        check = getattr(self._pieces, "is_word", None)
        return bool(check and check(word))

    def _decode(self, texts: list[str]) -> list[list[tuple[str | None, float]]]:
        """Each text's hypotheses and scores; None for one that reached the length limit (it never finished)."""
        if not texts:
            return []
        sources = [self._pieces.encode(text)[:126] for text in texts]
        limit = min(self._max_len, max(map(len, sources)) + LENGTH_MARGIN)
        results = self._translator.translate_batch(
            sources,
            beam_size=self.beam_size,
            num_hypotheses=self.beam_size,
            max_decoding_length=limit,
            max_batch_size=SUB_BATCH if self._replicas > 1 else 64,
            return_scores=True,
        )
        return [[(self._pieces.decode(h) if len(h) < limit else None, score) for h, score in zip(r.hypotheses, r.scores)]
                for r in results]
