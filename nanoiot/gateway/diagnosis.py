"""Loading the diagnostic service for the gateway without ever taking the command path down.

A missing diagnostic model must not lose a critical reading: the service already
falls back to its code thresholds when the model gives no usable output, so the
gateway then runs it with a model that never answers (`ThresholdsOnly`). A bad
policy file or any other load failure disables diagnostics with one clear log
event; commands keep working either way.
"""

from __future__ import annotations

from typing import Any

import structlog

from nanoiot.schema import ModelInfo

from .config import GatewayConfig

log = structlog.get_logger()


class ThresholdsOnly:
    """Stands in for the diagnostic model when its files are missing: every output is unusable."""

    model_info = ModelInfo(name="nanoiot-diagnostic-thresholds-only", version="0")

    def predict_batch(self, sources: list[str]) -> list[None]:
        return [None] * len(sources)


def load_diagnostics(config: GatewayConfig) -> Any | None:
    """The DiagnosticService to use, or None (disabled by config or not loadable; logged)."""
    if not config.diagnostics_enabled:
        log.info("diagnostics.disabled", reason="diagnostics_enabled is false")
        return None
    try:
        from nanoiot.diagnostics.policy import PolicyError, load_policy
        from nanoiot.diagnostics.service import DiagnosticService
        from nanoiot.engine import ModelLoadError
    except Exception as exc:  # noqa: BLE001 - an import problem there must not stop commands
        log.error("diagnostics.disabled", reason="diagnostics package failed to import", error=str(exc))
        return None
    try:
        policy = load_policy(config.policy_path)
    except PolicyError as exc:
        log.error("diagnostics.disabled", reason="bad policy file", policy=str(config.policy_path), error=str(exc))
        return None
    try:
        service = DiagnosticService.load(config.policy_path, config.diagnostics_model_dir)
    except ModelLoadError as exc:
        log.warning("diagnostics.model_missing", mode="thresholds_only", model_dir=str(config.diagnostics_model_dir or "shipped"),
                    error=str(exc))
        service = DiagnosticService(ThresholdsOnly(), policy)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001
        log.error("diagnostics.disabled", reason="diagnostic service failed to load", error=str(exc))
        return None
    log.info("diagnostics.loaded", model=service.model_info.name, version=service.model_info.version,
             policy=str(config.policy_path) if config.policy_path else None)
    return service
