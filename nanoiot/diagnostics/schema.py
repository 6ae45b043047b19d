"""Wire models of diagnostics: the report a device sends, the diagnosis the gateway answers.

Topics (see docs/diagnostics.md): reports in on `nanoiot/<site>/diagnostic/<device>`,
answers out on `nanoiot/<site>/diagnosis/<device>` - a `Diagnosis`, or a
`DiagnosticError` when the payload itself is bad (like a bad command).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from nanoiot.diagnostics.faults import Fault, Severity
from nanoiot.schema import Action, ErrorInfo, ModelInfo

ActionMode = Literal["automatic", "recommend", "never"]
Source = Literal["model", "threshold", "guard"]

MAX_TEXT_CHARS = 2000
MAX_TELEMETRY_FIELDS = 64


class DiagnosticReport(BaseModel):
    """What a device reports: free text or a firmware log line, telemetry, or both.

    Telemetry fields the limits do not read (strings, nested state) are accepted
    and ignored, so a device may send its whole state object; a field they do
    read must be a number (`water_leak` a boolean), see `service.parse_payload`.
    `kind` names the limits table for a device the registry does not know.
    """

    model_config = ConfigDict(extra="ignore")

    id: str | None = Field(default=None, min_length=1, max_length=128)
    kind: str | None = Field(default=None, min_length=1, max_length=64)
    text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    telemetry: dict[str, Any] = Field(default_factory=dict, max_length=MAX_TELEMETRY_FIELDS)


class Diagnosis(BaseModel):
    """The gateway's answer to one report."""

    status: Literal["ok"] = "ok"
    id: str = Field(description="the report's id, or one the gateway made up; automatic actions carry it")
    device: str | None = Field(description="registry id of the reporting device (or the topic's name if unknown)")
    fault: Fault
    severity: Severity
    evidence: list[str] = Field(default_factory=list, description="report phrases and telemetry fields behind it")
    recommended_action: Action | None = None
    action_mode: ActionMode | None = Field(
        default=None, description="what the site policy allows for recommended_action; null when there is none"
    )
    automatic: bool = Field(default=False, description="the gateway takes recommended_action itself")
    source: Source = Field(description="model: the model's diagnosis; threshold: a physical limit overrode it; "
                           "guard: code's fallback when the model output was unusable or too mild")
    confidence: float = Field(
        default=0.0, ge=0.0, le=1.0,
        description="1 when a reading past a limit decided (threshold); the model's probability of its answer "
        "(model); 0 when nobody could name the fault (guard: e.g. a report the model cannot read is `unknown`)")
    model: ModelInfo
    latency_ms: float = 0.0


class DiagnosticError(BaseModel):
    """The answer to a payload that is not a diagnostic report (like a bad command's answer)."""

    status: Literal["error"] = "error"
    id: str | None = None
    device: str | None = None
    error: ErrorInfo
