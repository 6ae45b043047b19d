"""One command from nothing to the shipped model: corpus, tokenizer, training, int8 export, manifest."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import structlog

from nanoiot.delex import placeholder_symbols
from nanoiot.train.corpus import delexicalize, generate, gibberish
from nanoiot.train.real_data import SHARED_DATA, real_pairs
from nanoiot.train.seq2seq import TrainConfig, train_and_export
from nanoiot.vocabulary import REFERENCE_KEYS, SERVICES, parse_output, serialize

log = structlog.get_logger()

MODEL_NAME = "nanoiot-command"
MODEL_VERSION = "1.3.0"
DELEX_RATE = 0.75  # the rest keep their names, so copying unregistered phrases stays learnt
# Below this mean log-probability per piece a hypothesis counts as `none` (nanoiot.engine).
# For 1.2.0 and 1.3.0: the highest of -0.6/-0.5/-0.4/-0.3 that cost the held-out generated set nothing;
# on 1.3.0 it takes unseen real chit-chat answered with no action (HWU64 ood dev) from 0.964 to 0.981.
MIN_SCORE = -0.4


def user_symbols() -> list[str]:
    """Services, keys and placeholders as single pieces: shorter targets decode faster."""
    keys = {key for schema in SERVICES.values() for key in schema} | set(REFERENCE_KEYS)
    return sorted(SERVICES) + sorted(f"{key}=" for key in keys) + placeholder_symbols()


def delexicalize_pair(text: str, target: str, rng: random.Random) -> tuple[str, str]:
    """A real sentence as the runtime shows it when its names and areas are in the registry."""
    frames = parse_output(target)
    if not frames or rng.random() >= DELEX_RATE:
        return text, target
    phrases = [(f.name, f.service_domain if f.service_domain != "query" else "device") for f in frames if f.name]
    phrases += [(f.area, "area") for f in frames if f.area]
    text, frames = delexicalize(text, frames, phrases)
    return text, serialize(frames)


def build_corpus(
    generated: int = 60000, real_repeat: int = 10, seed: int = 7, data_dir: Path = SHARED_DATA
) -> list[tuple[str, str]]:
    """Generated commands + real iot sentences (oversampled) + real out-of-domain negatives."""
    pairs = [(s.text, s.target) for s in generate(generated, seed, delex_rate=DELEX_RATE)]
    if data_dir.exists():
        real = real_pairs(data_dir)
        rng = random.Random(seed)
        pairs += [delexicalize_pair(text, target, rng) for text, target in real["iot"] * real_repeat] + real["ood"]
    else:
        log.warning("train.no_real_data", path=str(data_dir))
    pairs += [(s.text, s.target) for s in gibberish(max(200, generated // 60), seed + 1)]
    random.Random(seed).shuffle(pairs)
    return pairs


def held_out_set(n: int = 1000, seed: int = 99) -> list[tuple[str, str]]:
    return [(s.text, s.target) for s in generate(n, seed, held_out=True)]


def build(out_dir: Path, config: TrainConfig, generated: int, real_repeat: int) -> dict[str, Any]:
    from nanoiot.evaluate import exact_match_on_pairs, unregistered_names

    pairs = build_corpus(generated, real_repeat)
    held_out = held_out_set()
    ood_dev = real_pairs(SHARED_DATA)["ood_dev"] if SHARED_DATA.exists() else []
    return train_and_export(
        pairs,
        out_dir,
        config,
        extra_manifest={"data": "generated templates; HWU64 and SLURP devel (CC BY 4.0), see docs/model.md",
                        "placeholders": True, "min_score": MIN_SCORE},
        evaluate=lambda model_dir: {"held_out_generated_exact_match": exact_match_on_pairs(model_dir, held_out),
                                    "held_out_names_not_in_registry": unregistered_names(model_dir, held_out),
                                    "hwu64_ood_dev_not_understood": exact_match_on_pairs(model_dir, ood_dev)},
    )


def default_config(**overrides: Any) -> TrainConfig:
    config = TrainConfig(name=MODEL_NAME, version=MODEL_VERSION, user_symbols=user_symbols())
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


def main(out_dir: Path, steps: int, generated: int, real_repeat: int, tiny: bool = False) -> int:
    overrides: dict[str, Any] = {"steps": steps}
    if tiny:  # a few steps of a toy model: proves the pipeline works end to end
        overrides.update(vocab_size=400, d_model=32, encoder_layers=1, decoder_layers=1, heads=2, ffn_dim=64, batch_size=16, warmup_steps=5)
    manifest = build(out_dir, default_config(**overrides), generated, real_repeat)
    print(json.dumps({k: manifest[k] for k in ("name", "version", "train_minutes", "final_loss", "metrics")}, indent=2))
    return 0
