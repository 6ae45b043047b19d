"""The gateway's diagnostic reports: loading the service without ever taking the command path down, and one batch of reports.

A missing diagnostic model must not lose a critical reading: the service already
falls back to its code thresholds when the model gives no usable output, so the
gateway then runs it with a model that never answers (`ThresholdsOnly`). A bad
policy file or any other load failure disables diagnostics with one clear log
event; commands keep working either way.
"""

from __future__ import annotations

from typing import Any

import structlog

from nanoiot.registry import Registry
from nanoiot.schema import ModelInfo

from .config import GatewayConfig
from .inbound import Received
from .payloads import Outbound, PayloadError, device_messages
from .stats import Stats
from .topics import Topics

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


def diagnose(reports: list[Received], service: Any, topics: Topics, registry: Registry, stats: Stats) -> list[Outbound]:
    """Diagnose reports in one model batch: the diagnoses, error replies and automatic actions to publish."""
    from nanoiot.diagnostics.service import DiagnosticPayloadError, parse_payload

    by_object_id = {d.object_id: d for d in registry.devices}
    outbound: list[Outbound] = []
    valid: list[tuple[str, Any, Any]] = []  # (device name, registry device or None, parsed report)
    for msg in reports:
        name = topics.diagnostic_device_of(msg.topic)
        if service is None or name is None:
            log.info("diagnosis.ignored", topic=msg.topic[:200], reason="diagnostics disabled" if service is None else "bad topic")
            continue
        try:
            report = parse_payload(msg.payload)
        except DiagnosticPayloadError as exc:
            stats.incr(f"diagnosis_error.{exc.code}")
            reply = service.error_reply(exc, name)
            outbound.append(Outbound(name, topics.diagnosis(name), reply.model_dump_json().encode()))
            continue
        valid.append((name, by_object_id.get(name), report))
    if not valid:
        return outbound
    answers = service.diagnose_reports([(device, report) for _, device, report in valid], [name for name, _, _ in valid])
    for (name, _device, _report), (diagnosis, actions) in zip(valid, answers):
        outbound.append(Outbound(name, topics.diagnosis(name), diagnosis.model_dump_json().encode()))
        stats.incr("diagnoses")
        log.info("diagnosis.published", diagnosis_id=diagnosis.id, device=diagnosis.device, fault=diagnosis.fault,
                 severity=diagnosis.severity, source=diagnosis.source, topic=topics.diagnosis(name),
                 recommended=diagnosis.recommended_action.service if diagnosis.recommended_action else None,
                 automatic=len(actions))
        for action in actions:
            try:
                messages = device_messages(action, diagnosis.id, registry, topics)
            except PayloadError as exc:
                log.error("diagnosis.auto_action_failed", diagnosis_id=diagnosis.id, service=action.service,
                          targets=action.targets, error=str(exc))
                continue
            outbound += messages
            log.warning("diagnosis.auto_action", diagnosis_id=diagnosis.id, service=action.service,
                        targets=action.targets, data=action.data, topics=[m.topic for m in messages])
    return outbound
