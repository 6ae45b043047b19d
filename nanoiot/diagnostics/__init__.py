"""Diagnostics: device fault reports and telemetry in, a structured diagnosis and safe actions out.

Physical limits are checked in code (`thresholds`), the nano model names the
fault from text and telemetry levels (`model`), code derives the recommended
action (`faults`) and the site policy decides whether the gateway takes it
(`policy`). `service.DiagnosticService` ties them together for the gateway.
"""

from nanoiot.diagnostics.faults import FAULTS, SEVERITIES, Fault, Severity
from nanoiot.diagnostics.schema import DiagnosticError, DiagnosticReport, Diagnosis

__all__ = ["FAULTS", "SEVERITIES", "Fault", "Severity", "DiagnosticError", "DiagnosticReport", "Diagnosis"]


def __getattr__(name: str) -> object:
    """`nanoiot.diagnostics.evaluate` without loading the model runtime on every import."""
    if name == "evaluate":
        from nanoiot.diagnostics.evaluation import evaluate

        return evaluate
    raise AttributeError(name)
