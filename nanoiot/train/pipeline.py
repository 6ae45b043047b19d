"""One command from nothing to the shipped model: corpus, tokenizer, training, int8 export, manifest."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import structlog

from nanoiot.train.corpus import delexicalize, generate, gibberish, statements
from nanoiot.train.real_data import SHARED_DATA, real_pairs
from nanoiot.train.pretrained import PretrainedConfig, train_and_export
from nanoiot.vocabulary import parse_output, serialize

log = structlog.get_logger()

MODEL_NAME = "nanoiot-command"
MODEL_VERSION = "2.1.0"
DELEX_RATE = 0.75  # the rest keep their names, so copying unregistered phrases stays learnt
# Below a mean log-probability per piece a hypothesis counts as `none` (nanoiot.engine). The floor is
# chosen per trained model: the highest of these that costs the held-out generated set and the real
# iot dev split nothing (on 1.3.0, -0.4 took unseen chit-chat answered with no action from 0.964 to 0.981).
MIN_SCORE_CANDIDATES = (-0.6, -0.5, -0.4, -0.3)
REAL_REPEAT = 30  # real commands are what people say: 758 of them against 60,000 generated ones
HASS = 10000  # sentences in Home Assistant's template shapes (nanoiot.train.hass_data), since 2.1.0
# statements naming a device, taught as none (nanoiot.train.corpus.STATEMENTS): tried with 3,000 and not shipped, the
# model then missed requests said beside a statement ("the garage door is open close it"); see docs/model.md
STATEMENTS = 0


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
    generated: int = 60000, real_repeat: int = REAL_REPEAT, seed: int = 7, data_dir: Path = SHARED_DATA, hass: int = 0,
    told: int = 0,
) -> list[tuple[str, str]]:
    """Generated commands (and statements) + Home Assistant's sentence shapes + real iot sentences (oversampled) + real negatives."""
    pairs = [(s.text, s.target) for s in generate(generated, seed, delex_rate=DELEX_RATE)]
    pairs += [(s.text, s.target) for s in statements(told, seed + 3, delex_rate=DELEX_RATE)]
    if hass:
        from nanoiot.train.hass_data import hass_pairs

        rng = random.Random(seed + 2)
        pairs += [delexicalize_pair(text, target, rng) for text, target in hass_pairs(hass, seed + 2)]
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


def choose_min_score(model_dir: Path, dev_sets: list[list[tuple[str, str]]]) -> float | None:
    """The highest candidate floor that costs the dev sets nothing (None: every floor costs something)."""
    from nanoiot.engine import Engine
    from nanoiot.evaluate import exact_match_on_pairs

    def scores(floor: float) -> list[float]:
        engine = Engine(model_dir, min_score=floor)
        return [exact_match_on_pairs(engine, pairs) for pairs in dev_sets]

    unfloored = scores(-1e9)
    free = [floor for floor in MIN_SCORE_CANDIDATES if all(a >= b for a, b in zip(scores(floor), unfloored))]
    return max(free) if free else None


def build(out_dir: Path, config: PretrainedConfig, generated: int, real_repeat: int, hass: int = 0,
          told: int = 0) -> dict[str, Any]:
    from nanoiot.evaluate import exact_match_on_pairs, unregistered_names

    pairs = build_corpus(generated, real_repeat, hass=hass, told=told)
    held_out = held_out_set()
    real = real_pairs(SHARED_DATA) if SHARED_DATA.exists() else {"iot_dev": [], "ood_dev": []}

    def evaluate(model_dir: Path) -> dict[str, Any]:
        floor = choose_min_score(model_dir, [held_out, real["iot_dev"]])
        manifest_path = model_dir / "manifest.json"
        manifest = json.loads(manifest_path.read_text())
        manifest["min_score"] = floor
        manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
        return {"min_score": floor,
                "held_out_generated_exact_match": exact_match_on_pairs(model_dir, held_out),
                "held_out_names_not_in_registry": unregistered_names(model_dir, held_out),
                "real_iot_dev_exact_match": exact_match_on_pairs(model_dir, real["iot_dev"]),
                "hwu64_ood_dev_not_understood": exact_match_on_pairs(model_dir, real["ood_dev"])}

    manifest = train_and_export(
        pairs,
        out_dir,
        config,
        extra_manifest={"data": "generated templates; sentences in the shapes of Home Assistant's intent templates "
                                "(home-assistant-intents, Apache-2.0); HWU64 and SLURP devel (CC BY 4.0), see docs/model.md",
                        "placeholders": True},
        evaluate=evaluate,
    )
    manifest["min_score"] = manifest["metrics"].pop("min_score")
    (Path(out_dir) / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def default_config(**overrides: Any) -> PretrainedConfig:
    config = PretrainedConfig(name=MODEL_NAME, version=MODEL_VERSION)
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


TINY = {"encoder_layers": 1, "decoder_layers": 1, "decoder_ffn_dim": 64, "batch_size": 16, "warmup_steps": 5}


def main(out_dir: Path, steps: int, generated: int, real_repeat: int, tiny: bool = False, pretrained: bool = True,
         threads: int = 2, max_minutes: float = 0.0, hass: int = HASS, told: int = STATEMENTS) -> int:
    overrides: dict[str, Any] = {"steps": steps, "pretrained": pretrained, "threads": threads, "max_minutes": max_minutes}
    if tiny:  # a few steps on one MiniLM layer: proves the pipeline works end to end
        overrides.update(TINY)
    manifest = build(out_dir, default_config(**overrides), generated, real_repeat, hass, told)
    print(json.dumps({k: manifest[k] for k in ("name", "version", "train_minutes", "final_loss", "min_score", "metrics")}, indent=2))
    return 0
