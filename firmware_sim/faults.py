"""Fault reports for injected faults: what a device's firmware would say, built from the diagnostics corpus.

Why the corpus: its reports are drawn so that words and readings agree with the
fault and severity (`nanoiot.diagnostics.corpus.sample_report`), so an injected
fault looks like the field reports the gateway's diagnosis is meant for.
"""

from __future__ import annotations

import random
import uuid

from firmware_sim.devices import Machine, SimDevice
from firmware_sim.messages import DiagnosticReport
from nanoiot.diagnostics.corpus import FAULT_KINDS, sample_report

# Faults a drive can plausibly have, for random injection (the fleet's --fault-rate).
MACHINE_FAULTS = ("overtemperature", "overcurrent", "bearing_wear", "motor_stall", "dry_run", "blockage")


def report_kind(device: SimDevice) -> str:
    """The corpus kind of a device: a machine's registry kind (pump, conveyor...), else its domain."""
    if isinstance(device, Machine):
        return device.spec.kind or "machine"
    return device.spec.kind if device.spec.kind in {k for kinds in FAULT_KINDS.values() for k in kinds} else device.spec.domain


def fault_report(device: SimDevice, fault: str, severity: str | None = "critical", seed: int | None = None) -> DiagnosticReport | None:
    """A report for `fault` on `device`, or None for a fault code outside the diagnostic vocabulary."""
    if fault not in FAULT_KINDS or fault in ("none", "unknown"):
        return None
    payload = sample_report(report_kind(device), fault, severity=severity, seed=seed)
    return DiagnosticReport(id=f"diag-{uuid.uuid4().hex[:12]}", text=payload.get("text"),
                            telemetry=dict(payload.get("telemetry") or {}))


def random_fault(rng: random.Random, devices: list[SimDevice]) -> tuple[SimDevice, str, str] | None:
    """A random running-capable machine, a fault it can have, and a severity; None without machines."""
    machines = [d for d in devices if isinstance(d, Machine) and d.available]
    if not machines:
        return None
    device = rng.choice(machines)
    kind = report_kind(device)
    faults = [f for f in MACHINE_FAULTS if kind in FAULT_KINDS[f]] or ["overcurrent"]
    return device, rng.choice(faults), rng.choice(["warning", "critical"])
