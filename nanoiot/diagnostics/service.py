"""Diagnostic reports in, a diagnosis and the actions the gateway may take out.

The order is the safety argument: physical limits are checked in code first;
the model names the fault, unless the report is one it cannot read (most of
its words are not in the model's training reports, or the model's own score is
below any it gave a dev report: then it is as if the model had said nothing);
a threshold that is worse than the model's answer overrides it; a `none` from
the model cannot stand against alarm or problem words ("CRIT", "error",
"leaking"), unless the report says it cleared; code derives the recommended
action; the site policy (plus a per-device cooldown) decides whether the
gateway takes it. The service owns no MQTT client: the gateway publishes the
Diagnosis and each returned action, with `diagnosis.id`.
"""

from __future__ import annotations

import json
import math
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import structlog
from pydantic import ValidationError

from nanoiot.diagnostics import encoding
from nanoiot.diagnostics.encoding import ModelOutput
from nanoiot.diagnostics.faults import SEVERITY_RANK, clamp_severity, recommended_action
from nanoiot.diagnostics.model import DiagnosticModel
from nanoiot.diagnostics.policy import Policy, load_policy
from nanoiot.diagnostics.schema import DiagnosticError, DiagnosticReport, Diagnosis
from nanoiot.diagnostics.thresholds import (
    BOOL_FAULTS,
    DEFAULT_LIMITS,
    Assessment,
    bad_reading,
    canonical_field,
    canonical_kind,
    kind_of,
    readings_for,
)
from nanoiot.registry import Device
from nanoiot.schema import Action, ErrorInfo

log = structlog.get_logger()

MAX_PAYLOAD_BYTES = 16 * 1024
MIN_KNOWN_SHARE = 0.5  # of a report's words (without readings) that the model must have seen, or it cannot read it


class DiagnosticPayloadError(ValueError):
    """A payload that is not a diagnostic report; `code` is stable, for the error answer."""

    def __init__(self, code: str, message: str, report_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.report_id = report_id


def parse_payload(payload: bytes) -> DiagnosticReport:
    """JSON report, JSON string, or plain text to a DiagnosticReport; raise DiagnosticPayloadError.

    Codes: payload_too_large, bad_encoding, bad_json, invalid_report, empty_report,
    unknown_kind (a `kind` the limits table lacks), bad_telemetry (a reading that is not a number).
    """
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise DiagnosticPayloadError("payload_too_large", f"report is {len(payload)} bytes, at most {MAX_PAYLOAD_BYTES}")
    try:
        text = payload.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise DiagnosticPayloadError("bad_encoding", f"report is not UTF-8: {exc.reason}") from None
    if not text:
        raise DiagnosticPayloadError("empty_report", "the report is empty")
    if text[0] in '{"':
        try:
            raw = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise DiagnosticPayloadError("bad_json", f"report looks like JSON but is not: {exc}") from None
    elif text[0] == "[":  # a log line "[2024-05-01 12:00:00] ERR ..." or a JSON array
        try:
            raw = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            raw = text
    else:
        raw = text
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, dict):
        raise DiagnosticPayloadError("invalid_report", "a report is a JSON object or text")
    report_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    try:
        report = DiagnosticReport.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "report"
        raise DiagnosticPayloadError("invalid_report", f"{where}: {first['msg']}", report_id) from None
    if not (report.text and report.text.strip()) and not report.telemetry:
        raise DiagnosticPayloadError("empty_report", "the report has neither text nor telemetry", report.id)
    if report.kind is not None and canonical_kind(report.kind) is None:
        raise DiagnosticPayloadError("unknown_kind", unknown_kind_message(report.kind), report.id)
    field = bad_reading(report.telemetry)
    if field is not None:
        raise DiagnosticPayloadError(
            "bad_telemetry", f"telemetry.{field}: {json.dumps(report.telemetry[field])[:60]} is not a "
            + ("boolean" if canonical_field(field) in BOOL_FAULTS else "number"), report.id)
    return report


def unknown_kind_message(kind: str) -> str:
    """One line naming the kinds there are (aliases such as thermostat or motor are accepted too)."""
    return f"unknown kind {kind[:64]!r}; known kinds: {', '.join(sorted(DEFAULT_LIMITS))}"


@dataclass
class _Case:
    """One report on its way through the service."""

    report: DiagnosticReport
    device: Device | None
    device_id: str | None
    kind: str
    cleaned: str
    assessment: Assessment
    started: float


class DiagnosticService:
    """The gateway's diagnostic step: one model, one policy, per-device cooldowns."""

    def __init__(
        self, model: DiagnosticModel, policy: Policy | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.model = model
        self.policy = policy or Policy()
        self.limits = self.policy.build_limits()
        self.model_info = model.model_info
        self._clock = clock
        self._last_automatic: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, policy_path: str | Path | None = None, model_dir: str | Path | None = None) -> "DiagnosticService":
        """Shipped model and the site's policy file (None: nothing automatic). Raises PolicyError/ModelLoadError."""
        return cls(DiagnosticModel.load(model_dir), load_policy(policy_path))

    def diagnose(
        self, device: Device | None, payload: bytes, *, device_id: str | None = None
    ) -> tuple[Diagnosis, list[Action]]:
        """Diagnose one raw payload. Raises DiagnosticPayloadError for a bad payload (see `error_reply`).

        Returns the diagnosis to publish and the actions to take now (each to be
        published with `diagnosis.id`); the list is empty unless the policy allows.
        """
        report = parse_payload(payload)
        return self.diagnose_reports([(device, report)], [device_id])[0]

    def diagnose_reports(
        self, items: list[tuple[Device | None, DiagnosticReport]], device_ids: list[str | None] | None = None
    ) -> list[tuple[Diagnosis, list[Action]]]:
        """Diagnose parsed reports in one model batch (the gateway's batching path)."""
        device_ids = device_ids or [None] * len(items)
        cases = [self._prepare(device, report, device_id) for (device, report), device_id in zip(items, device_ids)]
        outputs = self.model.predict_batch(
            [encoding.source(c.kind, c.cleaned, c.assessment.levels) for c in cases]
        ) if cases else []
        return [self._finish(case, output) for case, output in zip(cases, outputs)]

    def error_reply(self, error: DiagnosticPayloadError, device_id: str | None) -> DiagnosticError:
        """The answer to a bad payload; logs it."""
        log.info("diagnosis.bad_payload", device=device_id, code=error.code, reason=error.message)
        return DiagnosticError(id=error.report_id, device=device_id, error=ErrorInfo(code=error.code, message=error.message))

    def _prepare(self, device: Device | None, report: DiagnosticReport, device_id: str | None) -> _Case:
        started = time.perf_counter()
        registry_kind = canonical_kind(device.kind) if device and device.kind else None
        kind = registry_kind or kind_of(device, report.kind)  # the registry wins over what a device says
        cleaned = encoding.clean_text(report.text or "")
        assessment = self.limits.assess(kind, readings_for(cleaned, report.telemetry))
        return _Case(report, device, device.id if device else device_id, kind, cleaned, assessment, started)

    def _trusted(self, case: _Case, output: ModelOutput | None) -> ModelOutput | None:
        """The model's answer, or None when the report is not one it can read.

        Gibberish or small talk gets a fault named with a fine score ("asdf qwerty
        zxcv": communication_loss), so three checks: its score must not be below the
        lowest it gave a generated dev report; `unknown` quoting nothing is what a
        model trained on small talk (2.0) answers to it; and most of the words the
        model reads must be words it knows (its training reports', and English words
        for a model on MiniLM), unless there are readings, whose levels it reads
        instead. A stand-in model without them (`ThresholdsOnly`, an uncalibrated
        directory) skips the first and last.
        """
        if output is None:
            return None
        floor = getattr(self.model, "min_score", None)
        if floor is not None and output.score < floor:
            log.info("diagnosis.model_refused", device=case.device_id, reason="low_score", fault=output.fault,
                     score=round(output.score, 3), min_score=floor)
            return None
        if output.fault == "unknown" and not output.evidence and not case.assessment.levels:
            # what a model trained on small talk answers to it: no fault named, nothing quoted
            log.info("diagnosis.model_refused", device=case.device_id, reason="not_a_report", score=round(output.score, 3))
            return None
        known = getattr(self.model, "words", None)
        if known and not case.assessment.levels:
            share = encoding.known_share(" ".join(case.cleaned.split()[: encoding.MAX_WORDS]), known)
            if share is not None and share < MIN_KNOWN_SHARE:
                log.info("diagnosis.model_refused", device=case.device_id, reason="unknown_words", fault=output.fault,
                         known_share=round(share, 2))
                return None
        return output

    def _finish(self, case: _Case, output: ModelOutput | None) -> tuple[Diagnosis, list[Action]]:
        output = self._trusted(case, output)
        fault, severity, evidence, source = _decide(case, output)
        # threshold: a reading past a limit; model: its own probability; guard: nobody could name the fault
        confidence = 1.0 if source == "threshold" else 0.0
        if source == "model" and output:
            confidence = round(math.exp(output.score), 3)
        diagnosis_id = case.report.id or f"diag-{uuid.uuid4().hex[:12]}"
        action = recommended_action(fault, severity, case.device)
        mode = self.policy.decide(action, fault, severity, case.kind) if action else None
        automatic = mode == "automatic" and self._cooldown_passed(action)  # type: ignore[arg-type]
        if mode == "automatic" and not automatic:
            log.info("diagnosis.automatic_suppressed", diagnosis_id=diagnosis_id, device=case.device_id,
                     service=action.service if action else None, reason="cooldown")
        diagnosis = Diagnosis(
            id=diagnosis_id,
            device=case.device_id,
            fault=fault,  # type: ignore[arg-type]
            severity=severity,  # type: ignore[arg-type]
            evidence=evidence,
            recommended_action=action,
            action_mode=mode,
            automatic=automatic,
            source=source,  # type: ignore[arg-type]
            confidence=confidence,
            model=self.model_info,
            latency_ms=round((time.perf_counter() - case.started) * 1000, 2),
        )
        log.info("diagnosis.made", diagnosis_id=diagnosis_id, device=case.device_id, fault=fault,
                 severity=severity, source=source, confidence=confidence, action=action.service if action else None,
                 action_mode=mode, latency_ms=diagnosis.latency_ms)
        if automatic and action:
            log.warning("diagnosis.automatic_action", diagnosis_id=diagnosis_id, device=case.device_id,
                        service=action.service, data=action.data, fault=fault, severity=severity)
            return diagnosis, [action]
        return diagnosis, []

    def _cooldown_passed(self, action: Action) -> bool:
        key = (action.targets[0] if action.targets else "", action.service)
        now = self._clock()
        with self._lock:
            last = self._last_automatic.get(key)
            if last is not None and now - last < self.policy.cooldown_s:
                return False
            self._last_automatic[key] = now
            return True


def _decide(case: _Case, output: ModelOutput | None) -> tuple[str, str, list[str], str]:
    """Merge the model's answer with the threshold hits and the report's own alarm words.

    A hit overrides the model when it is worse than the model's severity, when
    the model said none/unknown, or when the model's fault has a reading of its
    own that is milder than the severity claimed while another reading is that bad
    ("bearing temperature 92C, vibration 11 mm/s": overtemperature, not bearing wear).
    """
    hits = case.assessment.hits
    worst = hits[0] if hits else None
    if output is None:
        if worst:
            return worst.fault, worst.severity, _evidence(case, [], worst.fault), "threshold"
        if encoding.says_fixed(case.cleaned):  # put right, nothing said still wrong, whatever the model could not read
            return "none", "info", [], "guard"
        said = encoding.said_severity(case.cleaned) or "warning"
        return "unknown", said, [], "guard"
    fault = output.fault
    severity = clamp_severity(fault, output.severity)
    phrases = [e for e in output.evidence if e in case.cleaned and e not in case.assessment.levels]
    fields = [e for e in output.evidence if e in case.assessment.levels]
    if worst and (fault in ("none", "unknown") or SEVERITY_RANK[worst.severity] > SEVERITY_RANK[severity]):
        agreeing = [h for h in hits if h.fault == fault and h.severity == worst.severity]
        if agreeing:  # the model named the right fault, the reading says it is worse
            return fault, worst.severity, _evidence(case, phrases, fault, fields), "threshold"
        return worst.fault, worst.severity, _evidence(case, [], worst.fault), "threshold"
    if worst and worst.fault != fault and SEVERITY_RANK[worst.severity] >= SEVERITY_RANK[severity]:
        own = [f for f, measured in case.assessment.indicates.items() if measured == fault]
        own_worst = max((SEVERITY_RANK[h.severity] for h in hits if h.field in own), default=0)
        if own and own_worst < SEVERITY_RANK[severity]:  # its own reading says it is milder: the reading that is this bad wins
            return worst.fault, worst.severity, _evidence(case, [], worst.fault), "threshold"
    if not worst and fault != "none" and encoding.says_fixed(case.cleaned):  # put right, no reading past a limit
        return "none", "info", [], "guard"
    if fault == "none":
        said = encoding.said_severity(case.cleaned) or ("warning" if encoding.says_problem(case.cleaned) else None)
        if said:  # "CRIT ...", "error ...", "leaking ..." is never nothing
            return "unknown", said, [], "guard"
    return fault, severity, _evidence(case, phrases, fault, fields), "model"


def _evidence(case: _Case, phrases: list[str], fault: str, fields: list[str] | None = None) -> list[str]:
    """Phrases, then readings: a reading past a limit is shown with its value and the limit.

    When a reading replaces the model's fault, the model's phrases are dropped:
    they were evidence for the other fault.
    """
    fields = list(fields or [])
    hit_by_field = {h.field: h for h in case.assessment.hits}
    for hit in case.assessment.hits:
        if hit.fault == fault and hit.field not in fields:
            fields.append(hit.field)
    out = list(dict.fromkeys(phrases))
    for name in fields:
        out.append(hit_by_field[name].evidence if name in hit_by_field else name)
    return out
