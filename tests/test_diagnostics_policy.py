"""Site policy: nothing automatic by default, `never` cannot be shadowed, bad files are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanoiot.diagnostics.policy import Policy, PolicyError, load_policy
from nanoiot.schema import Action

EXAMPLE = Path(__file__).resolve().parents[1] / "deploy" / "policy.example.toml"


def stop(device: str = "machine.pump_1") -> Action:
    return Action(service="machine.stop", targets=[device])


def test_default_policy_takes_nothing_automatically() -> None:
    policy = load_policy(None)
    assert policy.decide(stop(), "overtemperature", "critical", "pump") == "recommend"
    assert Policy().rules == []


def test_example_policy() -> None:
    policy = load_policy(EXAMPLE)
    assert policy.decide(stop(), "overtemperature", "critical", "pump") == "automatic"
    assert policy.decide(stop(), "overtemperature", "warning", "pump") == "recommend"  # below min_severity
    assert policy.decide(stop(), "overtemperature", "critical", "fan") == "recommend"  # kind not listed
    assert policy.decide(stop("machine.fire_pump"), "overtemperature", "critical", "pump") == "never"
    assert policy.decide(Action(service="lock.unlock", targets=["lock.front"]), "jammed", "critical", "lock") == "never"
    assert policy.build_limits().assess("pump", {"temperature_c": 82}).levels["temperature_c"] == "critical_high"


def test_never_wins_whatever_the_order(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('[[rules]]\nmode = "never"\nservices = ["machine.stop"]\n\n[[rules]]\nmode = "automatic"\n')
    assert load_policy(path).decide(stop(), "dry_run", "critical", "pump") == "never"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('default = "automatic"\n', "default"),
        ('[[rules]]\nmode = "automatic"\nservices = ["machine.explode"]\n', "machine.explode"),
        ('[[rules]]\nmode = "automatic"\nfaults = ["gremlins"]\n', "gremlins"),
        ('[[rules]]\nmode = "sometimes"\n', "mode"),
        ('[[rules]]\nmode = "automatic"\nservice = "machine.stop"\n', "service"),
        ("cooldown_s = -1\n", "cooldown_s"),
        ("[limits.pump.temperature_c]\ncritical = 80\n", "critical"),
        ("this is = not toml [", "TOML"),
    ],
)
def test_bad_policy_files_are_rejected_with_a_reason(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(content)
    with pytest.raises(PolicyError, match=needle):
        load_policy(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "nope.toml")
