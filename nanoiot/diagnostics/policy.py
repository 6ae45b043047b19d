"""Per-site policy: which recommended actions the gateway takes by itself, which it only
recommends, and which never; plus the site's overrides of physical limits.

TOML, one file per site (see deploy/policy.example.toml and docs/diagnostics.md):

    default = "recommend"        # for actions no rule matches: "recommend" or "never"
    cooldown_s = 300             # an automatic action repeats on a device at most this often

    [[rules]]
    mode = "automatic"
    services = ["machine.stop"]
    faults = ["overtemperature", "dry_run"]
    min_severity = "critical"
    kinds = ["pump"]

    [limits.pump.temperature_c]
    critical_high = 80

A rule matches when every list it sets contains the diagnosis' value (a list it
leaves out matches anything). Of the matching rules `never` wins over
`automatic`, which wins over `recommend`, so a `never` can not be shadowed by a
broader rule. Without a file nothing is taken automatically.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nanoiot.diagnostics.faults import FAULTS, SEVERITY_RANK, Severity
from nanoiot.diagnostics.thresholds import Limits, LimitsError
from nanoiot.schema import Action
from nanoiot.vocabulary import SERVICES

Mode = Literal["automatic", "recommend", "never"]
_MODE_RANK = {"recommend": 0, "automatic": 1, "never": 2}


class PolicyError(ValueError):
    """The policy file is missing, is not TOML, or does not validate."""


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Mode
    services: list[str] = Field(default_factory=list)
    faults: list[str] = Field(default_factory=list)
    min_severity: Severity = "info"
    kinds: list[str] = Field(default_factory=list)
    devices: list[str] = Field(default_factory=list)

    @field_validator("services")
    @classmethod
    def _known_services(cls, value: list[str]) -> list[str]:
        unknown = [s for s in value if s not in SERVICES]
        if unknown:
            raise ValueError(f"unknown services {unknown}")
        return value

    @field_validator("faults")
    @classmethod
    def _known_faults(cls, value: list[str]) -> list[str]:
        unknown = [f for f in value if f not in FAULTS]
        if unknown:
            raise ValueError(f"unknown faults {unknown}")
        return value

    def matches(self, service: str, fault: str, severity: str, kind: str, device_id: str | None) -> bool:
        return (
            (not self.services or service in self.services)
            and (not self.faults or fault in self.faults)
            and SEVERITY_RANK[severity] >= SEVERITY_RANK[self.min_severity]
            and (not self.kinds or kind in self.kinds)
            and (not self.devices or device_id in self.devices)
        )


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default: Literal["recommend", "never"] = "recommend"
    cooldown_s: float = Field(default=300.0, ge=0)
    rules: list[Rule] = Field(default_factory=list)
    limits: dict[str, dict[str, dict[str, Any]]] = Field(default_factory=dict)

    def decide(self, action: Action, fault: str, severity: str, kind: str) -> Mode:
        """What the gateway may do with this recommended action."""
        device_id = action.targets[0] if action.targets else None
        modes = [r.mode for r in self.rules if r.matches(action.service, fault, severity, kind, device_id)]
        if not modes:
            return self.default
        return max(modes, key=_MODE_RANK.__getitem__)

    def build_limits(self) -> Limits:
        return Limits(self.limits)


def load_policy(path: str | Path | None) -> Policy:
    """Read a site policy; None gives the default (nothing automatic). Raises PolicyError."""
    if path is None:
        return Policy()
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyError(f"cannot read policy {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"policy {path} is not valid TOML: {exc}") from exc
    try:
        policy = Policy.model_validate(raw)
        policy.build_limits()  # reject bad limit overrides at load time, not at the first report
    except (ValidationError, LimitsError) as exc:
        raise PolicyError(f"policy {path} is invalid: {exc}") from exc
    return policy
