"""The model alone: int8 (what ships) against float32, same CTranslate2 weights, same sentences, one thread."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import ctranslate2

from nanoiot.tokenizer import load_pieces


def compute_types(model_dir: Path, sources: list[str], batch: int = 32) -> dict[str, Any]:
    """Median ms for one sentence and sentences/s in batches of `batch`, per compute type, and their ratio."""
    tokenizer = load_pieces(model_dir)  # the model's own: WordPiece for 2.0, SentencePiece before
    pieces = [tokenizer.encode(s)[:126] for s in sources]
    out: dict[str, Any] = {}
    for compute_type in ("int8", "float32"):
        translator = ctranslate2.Translator(str(model_dir), device="cpu", compute_type=compute_type, intra_threads=1)
        for p in pieces[:20]:
            translator.translate_batch([p], beam_size=1, max_decoding_length=64)  # warm up
        times = []
        for p in pieces:
            start = time.perf_counter()
            translator.translate_batch([p], beam_size=1, max_decoding_length=64)
            times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        for i in range(0, len(pieces), batch):
            translator.translate_batch(pieces[i : i + batch], beam_size=1, max_decoding_length=64)
        out[compute_type] = {"ms_median": round(statistics.median(times), 3),
                             "batched_per_s": round(len(pieces) / (time.perf_counter() - start), 1)}
        del translator
    out["float32_over_int8_latency"] = round(out["float32"]["ms_median"] / out["int8"]["ms_median"], 2)
    out["batch_over_single_throughput_int8"] = round(out["int8"]["batched_per_s"] / (1000 / out["int8"]["ms_median"]), 2)
    return out
