"""Train a small encoder-decoder on (source, target) pairs and export it for CTranslate2 int8.

Generic on purpose: the command model and the diagnostic model share it. Steps:
SentencePiece on the corpus, a Marian-architecture transformer (tiny config)
trained with torch on CPU, conversion with CTranslate2's Transformers converter
(quantised to int8), and a manifest with sha256 of every file. Needs the `train`
extra (torch, transformers); the runtime never imports this module.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import sentencepiece as spm
import structlog

log = structlog.get_logger()

EOS, UNK, PAD = "</s>", "<unk>", "<pad>"


@dataclass
class TrainConfig:
    name: str = "nanoiot-command"
    version: str = "0.0.0"
    vocab_size: int = 2000
    user_symbols: list[str] = field(default_factory=list)
    d_model: int = 256
    encoder_layers: int = 3
    decoder_layers: int = 2
    heads: int = 4
    ffn_dim: int = 1024
    dropout: float = 0.1
    batch_size: int = 64
    steps: int = 6000
    learning_rate: float = 1e-3
    warmup_steps: int = 400
    max_source_tokens: int = 64
    max_target_tokens: int = 64
    threads: int = 2
    seed: int = 13
    eval_every: int = 0  # 0: no periodic evaluation
    max_minutes: float = 0.0  # 0: no time limit; else stop early (cosine schedule still ends at `steps`)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def corpus_hash(pairs: Sequence[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for source, target in pairs:
        digest.update(f"{source}\t{target}\n".encode())
    return digest.hexdigest()


def train_sentencepiece(texts: Sequence[str], prefix: Path, config: TrainConfig) -> spm.SentencePieceProcessor:
    """Unigram model with byte fallback, so any device name can be spelt and copied."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        for text in texts:
            handle.write(text.replace("\n", " ") + "\n")
        corpus_file = handle.name
    spm.SentencePieceTrainer.train(
        input=corpus_file,
        model_prefix=str(prefix),
        vocab_size=config.vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        byte_fallback=True,
        eos_id=0,
        unk_id=1,
        bos_id=-1,
        pad_id=-1,
        eos_piece=EOS,
        unk_piece=UNK,
        user_defined_symbols=config.user_symbols,
        input_sentence_size=400_000,
        shuffle_input_sentence=True,
        hard_vocab_limit=False,
        num_threads=config.threads,
        minloglevel=2,
    )
    Path(corpus_file).unlink()
    return spm.SentencePieceProcessor(model_file=f"{prefix}.model")


class _SentencePieceTokenizer:
    """Just what CTranslate2's Marian loader asks of a tokenizer."""

    eos_token = EOS
    unk_token = UNK

    def __init__(self, processor: spm.SentencePieceProcessor) -> None:
        self._vocab = {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}
        self._vocab[PAD] = len(self._vocab)

    def get_vocab(self) -> dict[str, int]:
        return dict(self._vocab)


def _build_model(config: TrainConfig, vocab_size: int) -> Any:
    from transformers import MarianConfig, MarianMTModel

    pad = vocab_size  # the extra last id, removed again by the converter
    model_config = MarianConfig(
        vocab_size=vocab_size + 1,
        decoder_vocab_size=vocab_size + 1,
        d_model=config.d_model,
        encoder_layers=config.encoder_layers,
        decoder_layers=config.decoder_layers,
        encoder_attention_heads=config.heads,
        decoder_attention_heads=config.heads,
        encoder_ffn_dim=config.ffn_dim,
        decoder_ffn_dim=config.ffn_dim,
        dropout=config.dropout,
        attention_dropout=0.0,
        activation_function="relu",
        max_position_embeddings=128,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
    )
    return MarianMTModel(model_config)


def _batches(
    encoded: list[tuple[list[int], list[int]]], batch_size: int, rng: random.Random
) -> Any:
    """Length-bucketed shuffled batches, forever (less padding means faster CPU steps)."""
    while True:
        order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i][0]), rng.random()))
        chunks = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        rng.shuffle(chunks)
        yield from chunks


def train_and_export(
    pairs: Sequence[tuple[str, str]],
    out_dir: Path,
    config: TrainConfig,
    extra_manifest: dict[str, Any] | None = None,
    evaluate: Callable[[Path], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Train on `pairs`, write an int8 CTranslate2 model + spm.model + manifest.json to `out_dir`.

    `evaluate(out_dir)` (optional) is called on the exported model; its metrics go
    into the manifest. Returns the manifest.
    """
    import torch
    from ctranslate2.converters import TransformersConverter

    started = time.monotonic()
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    rng = random.Random(config.seed)
    out_dir = Path(out_dir)
    work = Path(tempfile.mkdtemp(prefix="nanoiot-train-"))
    try:
        processor = train_sentencepiece([t for pair in pairs for t in pair], work / "spm", config)
        vocab_size = processor.get_piece_size()
        encoded = [
            (
                processor.encode(source)[: config.max_source_tokens - 1] + [0],
                processor.encode(target)[: config.max_target_tokens - 1] + [0],
            )
            for source, target in pairs
        ]
        model = _build_model(config, vocab_size)
        pad = vocab_size
        params = sum(p.numel() for p in model.parameters())
        log.info("train.start", pairs=len(pairs), vocab=vocab_size, params=params, steps=config.steps)
        optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=0.01)

        def lr_at(step: int) -> float:
            if step < config.warmup_steps:
                return (step + 1) / config.warmup_steps
            progress = (step - config.warmup_steps) / max(1, config.steps - config.warmup_steps)
            return 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))

        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_at)
        model.train()
        batches = _batches(encoded, config.batch_size, rng)
        loss_avg = 0.0
        for step in range(config.steps):
            index = next(batches)
            sources = [encoded[i][0] for i in index]
            targets = [encoded[i][1] for i in index]
            src_len = max(map(len, sources))
            tgt_len = max(map(len, targets))
            input_ids = torch.tensor([s + [pad] * (src_len - len(s)) for s in sources])
            labels = torch.tensor([t + [-100] * (tgt_len - len(t)) for t in targets])
            decoder_input = torch.tensor([[pad] + t[:-1] + [pad] * (tgt_len - len(t)) for t in targets])
            out = model(
                input_ids=input_ids,
                attention_mask=(input_ids != pad).long(),
                decoder_input_ids=decoder_input,
                labels=labels,
            )
            optimizer.zero_grad(set_to_none=True)
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            loss_avg = 0.98 * loss_avg + 0.02 * out.loss.item() if step else out.loss.item()
            if step % 200 == 0 or step == config.steps - 1:
                log.info("train.step", step=step, loss=round(loss_avg, 4), minutes=round((time.monotonic() - started) / 60, 1))
            if config.max_minutes and (time.monotonic() - started) / 60 > config.max_minutes:
                log.info("train.time_limit", step=step)
                break
        model.eval()
        hf_dir = work / "hf"
        model.save_pretrained(hf_dir)
        tokenizer = _SentencePieceTokenizer(processor)

        class _Converter(TransformersConverter):
            def load_tokenizer(self, tokenizer_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
                return tokenizer

        if out_dir.exists():
            shutil.rmtree(out_dir)
        _Converter(str(hf_dir)).convert(str(out_dir), quantization="int8", force=True)
        shutil.copy(work / "spm.model", out_dir / "spm.model")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    manifest: dict[str, Any] = {
        "name": config.name,
        "version": config.version,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "corpus_sha256": corpus_hash(pairs),
        "corpus_pairs": len(pairs),
        "parameters": params,
        "train_config": asdict(config),
        "train_minutes": round((time.monotonic() - started) / 60, 2),
        "final_loss": round(loss_avg, 4),
        **(extra_manifest or {}),
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")  # the engine needs it to load
    if evaluate is not None:
        manifest["metrics"] = evaluate(out_dir)
    manifest["files"] = {
        p.name: sha256(p) for p in sorted(out_dir.iterdir()) if p.is_file() and p.name != "manifest.json"
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
