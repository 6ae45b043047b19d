"""The diagnostic training entry point end to end with a toy model (the real one takes minutes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import require_import

require_import("torch")
require_import("transformers")

from nanoiot.diagnostics.model import DiagnosticModel  # noqa: E402
from nanoiot.diagnostics.train import main  # noqa: E402


@pytest.mark.slow
@pytest.mark.parametrize("encoder, tokenizer_file", [("minilm", "tokenizer.json"), ("scratch", "spm.model")])
def test_train_writes_a_loadable_model_with_figures(tmp_path: Path, encoder: str, tokenizer_file: str) -> None:
    out = tmp_path / "diag"
    assert main(["--out", str(out), "--tiny", "--steps", "20", "--reports", "600", "--eval-reports", "40", "--encoder", encoder]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["name"] == "nanoiot-diagnostic" and manifest["task"] == "diagnostic"
    assert {"fault_accuracy", "severity_accuracy", "confusion", "critical_as_none", "unseen_wording",
            "handwritten_dev", "handwritten_test"} <= manifest["metrics"].keys()
    assert set(manifest["files"]) >= {"model.bin", tokenizer_file, "words.txt", "calibration.json"}
    model = DiagnosticModel.load(out)
    assert model.words and "pump" in model.words and model.min_score is not None  # calibrated on dev reports
    # a MiniLM model also knows English words our generated reports never use; gibberish stays unknown
    assert ("umbrella" in model.words) == (encoder == "minilm") and "qwzx" not in model.words
    assert len(model.predict_batch(["pump | filter clogged", "lock | -"])) == 2  # toy output may not parse; never raises
    assert main(["--out", str(out), "--evaluate-only", "--eval-reports", "20"]) == 0
    assert json.loads((out / "manifest.json").read_text())["metrics"]["reports"] == 20
