"""Wire models of the simulator: what devices publish besides their state, and the control channel.

The messages devices share with the gateway (DeviceCommand, Availability) are nanoiot.contract's.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class DeviceError(BaseModel):
    """Published on `<state topic>/error` when firmware refuses a command; state is left unchanged."""

    device: str
    code: str = Field(description="out_of_range, unsupported, bad_payload, wrong_target, in_fault, ...")
    message: str
    command_id: str | None = None


class ControlRequest(BaseModel):
    """Test-bench control of a fleet: reset every device, inject a fault, force state, take a device offline."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=128)
    reset: bool = False
    device: str | None = None
    fault: str | None = Field(default=None, description="machines: a fault code; locks: jammed")
    set: dict[str, Any] | None = Field(default=None, description="state keys to overwrite, e.g. local_temperature")
    severity: Literal["warning", "critical"] | None = Field(default=None, description="of the injected fault's report (default critical)")
    available: bool | None = None
    say: str | None = Field(default=None, description="make a fleet panel (source) say this")
    source: str | None = None


class ControlAck(BaseModel):
    """A fleet's answer on `<control topic>/ack`; `handled` is false when the device is not in this fleet."""

    id: str
    fleet: str
    handled: bool
    error: str | None = None


class DiagnosticReport(BaseModel):
    """A device's fault report on `<prefix>/<site>/diagnostic/<object_id>`, for the gateway to diagnose."""

    id: str
    text: str | None = None
    telemetry: dict[str, Any] = Field(default_factory=dict)
