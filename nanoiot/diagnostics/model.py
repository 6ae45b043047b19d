"""The nano diagnostic model at run time: model input strings in, parsed diagnoses out.

A second int8 CTranslate2 seq2seq model beside the command model, trained by
`python -m nanoiot.diagnostics.train` with the same generic trainer. Kept
separate so either can be retrained without moving the other's figures.
"""

from __future__ import annotations

from pathlib import Path

import structlog

from nanoiot.diagnostics.encoding import ModelOutput, parse_target
from nanoiot.engine import Engine
from nanoiot.schema import ModelInfo

log = structlog.get_logger()

SHIPPED_DIAGNOSTIC_MODEL_DIR = Path(__file__).parent / "model"
MAX_DECODING_LENGTH = 48  # fault + severity + a few evidence phrases


class DiagnosticModel:
    """Owns one Engine; never raises on what the model writes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.model_info = ModelInfo(name=engine.manifest.name, version=engine.manifest.version)

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> "DiagnosticModel":
        """Load the shipped model (None) or another directory; raises engine.ModelLoadError."""
        return cls(Engine(model_dir or SHIPPED_DIAGNOSTIC_MODEL_DIR, max_decoding_length=MAX_DECODING_LENGTH))

    def predict_batch(self, sources: list[str]) -> list[ModelOutput | None]:
        """One parsed output per source; None where the output is not in the target format."""
        outputs = self.engine.translate_batch(sources)
        parsed = []
        for raw in outputs:
            result = parse_target(raw)
            if result is None:
                log.info("diagnosis.unparseable_output", output=raw)
            parsed.append(result)
        return parsed
