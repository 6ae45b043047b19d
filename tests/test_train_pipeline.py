"""The training pipeline cannot rot: a toy model trains for a few steps, converts to int8 and loads."""

import json

import pytest
from support import require_import

require_import("torch")
require_import("transformers")

from nanoiot.engine import Engine, ModelLoadError  # noqa: E402
from nanoiot.evaluate import exact_match_on_pairs  # noqa: E402
from nanoiot.parser import CommandParser  # noqa: E402
from nanoiot.registry import default_registry_path, load_registry  # noqa: E402
from nanoiot.train.pipeline import build_corpus, default_config, held_out_set  # noqa: E402
from nanoiot.train.seq2seq import sha256, train_and_export  # noqa: E402


def test_tiny_model_trains_converts_and_loads(tmp_path):
    config = default_config(
        steps=30, vocab_size=400, d_model=32, encoder_layers=1, decoder_layers=1, heads=2, ffn_dim=64,
        batch_size=16, warmup_steps=5, threads=1,
    )
    pairs = build_corpus(generated=400, real_repeat=1)
    held_out = held_out_set(20)
    manifest = train_and_export(
        pairs, tmp_path / "model", config, evaluate=lambda d: {"held_out": exact_match_on_pairs(d, held_out)}
    )
    model_dir = tmp_path / "model"
    on_disk = json.loads((model_dir / "manifest.json").read_text())
    assert on_disk["corpus_pairs"] == len(pairs)
    assert 0.0 <= on_disk["metrics"]["held_out"] <= 1.0
    for name, digest in manifest["files"].items():
        assert sha256(model_dir / name) == digest
    assert {"model.bin", "spm.model", "shared_vocabulary.json", "config.json"} <= set(manifest["files"])
    outputs = Engine(model_dir).translate_batch(["turn on the kitchen lights", "what's the weather"])
    assert len(outputs) == 2 and all(isinstance(o, str) for o in outputs)
    with pytest.raises(ModelLoadError, match="self-check"):  # 30 steps cannot know 'turn off the light'
        CommandParser.load(load_registry(default_registry_path()), model_dir)


def test_held_out_set_uses_no_training_template_or_name():
    from nanoiot.train import lexicon as lx

    train_texts = {text for text, _ in build_corpus(generated=3000, real_repeat=0)}
    held = held_out_set(300)
    assert not train_texts & {text for text, _ in held}
    held_names = {n for names in lx.HELD_OUT_NAMES.values() for n in names}
    train_targets = " ".join(t for _, t in build_corpus(generated=3000, real_repeat=0))
    assert not any(f"name={n} " in train_targets or train_targets.endswith(f"name={n}") for n in held_names)


def test_out_of_domain_dev_sentences_stay_out_of_training():
    from nanoiot.train.real_data import SHARED_DATA, real_pairs

    if not SHARED_DATA.exists():
        pytest.skip("needs ../shared/data")
    dev = {text for text, _ in real_pairs()["ood_dev"]}
    train = {text for text, _ in build_corpus(generated=200, real_repeat=1)}
    assert len(dev) > 500
    assert not dev & train
