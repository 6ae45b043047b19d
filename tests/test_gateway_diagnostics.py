"""Diagnostic reports through the gateway: a real Mosquitto broker, the real shipped models, real clients.

The report topic is `nanoiot/<site>/diagnostic/<device>`, the answer `nanoiot/<site>/diagnosis/<device>`;
automatic actions go to the device's command topic like a command's actions, carrying the diagnosis id.
"""

from __future__ import annotations

import pytest
from support import WAIT, Recorder, make_config, model_missing, needs

from nanoiot.gateway.service import Gateway

needs_diagnostic_model = needs(model_missing(diagnostic=True))
pytestmark = needs(model_missing())

STOP_ON_OVERTEMPERATURE = """
default = "recommend"
[[rules]]
mode = "automatic"
services = ["machine.stop"]
faults = ["overtemperature"]
min_severity = "critical"
"""
CRITICAL_HEAT = {"id": "r-hot-1", "text": "bearing housing hot", "telemetry": {"temperature_c": 97}}


@pytest.fixture
def site() -> str:
    import uuid

    return f"d{uuid.uuid4().hex[:8]}"


def start(broker, registry_file, parser, site, **config) -> Gateway:
    gw = Gateway(make_config(broker, registry_file, site, **config), parser=parser).start()
    assert gw.wait_ready(WAIT)
    return gw


def watch(broker, site) -> Recorder:
    return Recorder(broker, [f"nanoiot/{site}/diagnosis/#", f"nanoiot/{site}/device/#", f"nanoiot/{site}/result/#"])


def diagnoses(rec: Recorder, site: str, device: str = "+") -> list[dict]:
    return rec.json_on(f"nanoiot/{site}/diagnosis/{device}")


@needs_diagnostic_model
def test_critical_overtemperature_is_diagnosed_and_only_recommended_by_default(broker, registry_file, parser, site):
    gw = start(broker, registry_file, parser, site)
    rec = watch(broker, site)
    try:
        assert gw.diagnostics is not None and gw.diagnostics.model_info.name != "nanoiot-diagnostic-thresholds-only"
        rec.publish(f"nanoiot/{site}/diagnostic/conveyor_b", CRITICAL_HEAT)
        assert rec.wait_for(lambda: diagnoses(rec, site, "conveyor_b"))
        (diagnosis,) = diagnoses(rec, site, "conveyor_b")
        assert diagnosis["status"] == "ok" and diagnosis["id"] == "r-hot-1"
        assert diagnosis["device"] == "machine.conveyor_b"
        assert (diagnosis["fault"], diagnosis["severity"]) == ("overtemperature", "critical")
        assert diagnosis["recommended_action"]["service"] == "machine.stop"
        assert diagnosis["automatic"] is False and diagnosis["action_mode"] == "recommend"
        # a command published after the report is answered after it: no stop may have gone out before that
        rec.publish(f"nanoiot/{site}/command/panel", {"id": "c-after", "text": "turn off the porch light"})
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/result/panel"))
        assert rec.on(f"nanoiot/{site}/device/conveyor_b/set") == []
    finally:
        rec.close()
        gw.stop()


@needs_diagnostic_model
def test_policy_stop_on_critical_overtemperature_reaches_the_machine_with_the_diagnosis_id(
    broker, registry_file, parser, site, tmp_path
):
    policy = tmp_path / "policy.toml"
    policy.write_text(STOP_ON_OVERTEMPERATURE)
    gw = start(broker, registry_file, parser, site, policy_path=str(policy))
    rec = watch(broker, site)
    try:
        rec.publish(f"nanoiot/{site}/diagnostic/conveyor_b", CRITICAL_HEAT)
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/device/conveyor_b/set") and diagnoses(rec, site))
        (diagnosis,) = diagnoses(rec, site, "conveyor_b")
        assert diagnosis["automatic"] is True and diagnosis["action_mode"] == "automatic"
        assert rec.json_on(f"nanoiot/{site}/device/conveyor_b/set") == [
            {"id": "r-hot-1", "service": "machine.stop", "targets": ["machine.conveyor_b"], "data": {}}
        ]
    finally:
        rec.close()
        gw.stop()


@needs_diagnostic_model
@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b'{"id": "r-1", "text": "motor hot"', "bad_json"),
        (b"x" * (16 * 1024 + 1), "payload_too_large"),
        (b"\xff\xfe motor stall", "bad_encoding"),
        (b'{"id": "r-2", "telemetry": {"temperature_c": "hot"}}', "bad_telemetry"),
        (b'{"id": "r-3", "text": "motor hot", "kind": "spaceship"}', "unknown_kind"),
    ],
)
def test_bad_payload_gets_its_error_code_and_commands_still_work(broker, registry_file, parser, site, payload, code):
    gw = start(broker, registry_file, parser, site)
    rec = watch(broker, site)
    try:
        rec.publish(f"nanoiot/{site}/diagnostic/pump_1", payload)
        assert rec.wait_for(lambda: diagnoses(rec, site, "pump_1"))
        (reply,) = diagnoses(rec, site, "pump_1")
        assert reply["status"] == "error" and reply["error"]["code"] == code and reply["device"] == "pump_1"
        if code == "bad_telemetry":
            assert reply["id"] == "r-2" and "temperature_c" in reply["error"]["message"]
        rec.publish(f"nanoiot/{site}/command/panel", {"id": "c-ok", "text": "stop conveyor B"})
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/result/panel"))
        (result,) = rec.json_on(f"nanoiot/{site}/result/panel")
        assert result["status"] == "ok" and result["id"] == "c-ok"
        assert gw.healthy()
    finally:
        rec.close()
        gw.stop()


@needs_diagnostic_model
def test_gibberish_report_is_answered_unknown_with_no_confidence(broker, registry_file, parser, site):
    gw = start(broker, registry_file, parser, site)
    rec = watch(broker, site)
    try:
        rec.publish(f"nanoiot/{site}/diagnostic/pump_1", {"id": "r-gib", "text": "asdf qwerty zxcv"})
        assert rec.wait_for(lambda: diagnoses(rec, site, "pump_1"))
        (diagnosis,) = diagnoses(rec, site, "pump_1")
        assert (diagnosis["id"], diagnosis["fault"], diagnosis["confidence"]) == ("r-gib", "unknown", 0.0)
        assert diagnosis["recommended_action"] is None and rec.on(f"nanoiot/{site}/device/pump_1/set") == []
    finally:
        rec.close()
        gw.stop()


def test_missing_diagnostic_model_falls_back_to_thresholds_and_unknown_devices_are_diagnosed(
    broker, registry_file, parser, site, tmp_path
):
    gw = start(broker, registry_file, parser, site, diagnostics_model_dir=str(tmp_path / "no-model"))
    rec = watch(broker, site)
    try:
        assert gw.diagnostics is not None and gw.diagnostics.model_info.name == "nanoiot-diagnostic-thresholds-only"
        rec.publish(f"nanoiot/{site}/diagnostic/conveyor_b", CRITICAL_HEAT)
        rec.publish(f"nanoiot/{site}/diagnostic/stranger", {"text": "all fine"})
        assert rec.wait_for(lambda: diagnoses(rec, site, "conveyor_b") and diagnoses(rec, site, "stranger"))
        (hot,) = diagnoses(rec, site, "conveyor_b")
        assert (hot["fault"], hot["severity"], hot["source"]) == ("overtemperature", "critical", "threshold")
        (stranger,) = diagnoses(rec, site, "stranger")
        assert stranger["device"] == "stranger" and stranger["recommended_action"] is None
    finally:
        rec.close()
        gw.stop()


def test_diagnostics_can_be_switched_off(broker, registry_file, parser, site):
    gw = start(broker, registry_file, parser, site, diagnostics_enabled=False)
    rec = watch(broker, site)
    try:
        assert gw.diagnostics is None
        rec.publish(f"nanoiot/{site}/diagnostic/conveyor_b", CRITICAL_HEAT)
        rec.publish(f"nanoiot/{site}/command/panel", {"id": "c-1", "text": "turn off the porch light"})
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/result/panel"))
        assert diagnoses(rec, site) == []  # not subscribed: the report is never answered
    finally:
        rec.close()
        gw.stop()
