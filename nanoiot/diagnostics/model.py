"""The nano diagnostic model at run time: model input strings in, parsed diagnoses out.

A second int8 CTranslate2 seq2seq model beside the command model, trained by
`python -m nanoiot.diagnostics.train` with the same generic trainer. Kept
separate so either can be retrained without moving the other's figures.

Beside the model files, `words.txt` holds the words of its training reports and
`calibration.json` the lowest score it gave a generated dev report
(`min_score`): the service uses them to refuse an answer to a report the model
cannot read (gibberish, small talk) rather than name a fault with confidence.
A model directory without them works, without that refusal.
"""

from __future__ import annotations

import json
from pathlib import Path

import structlog

from nanoiot.diagnostics.encoding import ModelOutput, parse_target
from nanoiot.engine import Engine, ModelLoadError
from nanoiot.schema import ModelInfo

log = structlog.get_logger()

SHIPPED_DIAGNOSTIC_MODEL_DIR = Path(__file__).parent / "model"
MAX_DECODING_LENGTH = 48  # fault + severity + a few evidence phrases
WORDS_FILE = "words.txt"
CALIBRATION_FILE = "calibration.json"


class DiagnosticModel:
    """Owns one Engine; never raises on what the model writes."""

    def __init__(self, engine: Engine, words: frozenset[str] | None = None,
                 min_score: float | None = None) -> None:
        self.engine = engine
        self.model_info = ModelInfo(name=engine.manifest.name, version=engine.manifest.version)
        self.words = words  # the words of the training reports; None: not known
        self.min_score = min_score  # an answer scored below it is not trusted; None: no floor

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> "DiagnosticModel":
        """Load the shipped model (None) or another directory; raises engine.ModelLoadError."""
        model_dir = Path(model_dir or SHIPPED_DIAGNOSTIC_MODEL_DIR)
        engine = Engine(model_dir, max_decoding_length=MAX_DECODING_LENGTH)
        words, min_score = read_calibration(model_dir)
        return cls(engine, words, min_score)

    def predict_batch(self, sources: list[str]) -> list[ModelOutput | None]:
        """One parsed output (with its score) per source; None where the output is not in the target format."""
        parsed = []
        for raw, score in self.engine.translate_scored(sources):
            result = parse_target(raw)
            if result is None:
                log.info("diagnosis.unparseable_output", output=raw)
            else:
                result.score = score
            parsed.append(result)
        return parsed


def read_calibration(model_dir: Path) -> tuple[frozenset[str] | None, float | None]:
    """`words.txt` and `calibration.json` of a model directory; (None, None) for a model without them."""
    try:
        words = frozenset((model_dir / WORDS_FILE).read_text(encoding="utf-8").split())
        min_score = float(json.loads((model_dir / CALIBRATION_FILE).read_text())["min_score"])
    except FileNotFoundError:
        log.warning("diagnostics.uncalibrated_model", model_dir=str(model_dir),
                    consequence="reports the model cannot read are not refused")
        return None, None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelLoadError(f"{model_dir}: bad {WORDS_FILE} or {CALIBRATION_FILE} ({exc})") from exc
    return words, min_score
