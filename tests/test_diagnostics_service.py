"""The diagnostic service with the shipped model: payloads, the threshold floor, guards, policy, cooldown."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from nanoiot.diagnostics.encoding import ModelOutput, clean_text
from nanoiot.diagnostics.evaluation import device_for
from nanoiot.diagnostics.policy import load_policy
from nanoiot.diagnostics.schema import DiagnosticError, DiagnosticReport, Diagnosis
from nanoiot.diagnostics.service import DiagnosticPayloadError, DiagnosticService, _Case, _decide, parse_payload
from nanoiot.diagnostics.model import DiagnosticModel
from nanoiot.diagnostics.thresholds import Limits, readings_for
from nanoiot.registry import Device
from nanoiot.schema import ModelInfo

EXAMPLE_POLICY = Path(__file__).resolve().parents[1] / "deploy" / "policy.example.toml"
PUMP = Device(id="machine.pump_1", name="pump 1", domain="machine", kind="pump")


@pytest.fixture(scope="module")
def model() -> DiagnosticModel:
    return DiagnosticModel.load()


@pytest.fixture
def service(model: DiagnosticModel) -> DiagnosticService:
    return DiagnosticService(model)


# ---- payloads -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("payload", "text", "telemetry"),
    [
        (b"filter clogged", "filter clogged", {}),
        (b'"filter clogged"', "filter clogged", {}),
        (b'{"id": "r1", "text": "door jammed"}', "door jammed", {}),
        (b'{"telemetry": {"temperature_c": 92}}', None, {"temperature_c": 92}),
        (b"[2024-05-01 12:03:44] ERR E42 motor stall", "[2024-05-01 12:03:44] ERR E42 motor stall", {}),
        (b'{"text": "x", "telemetry": {"state": {"nested": 1}}, "extra": 1}', "x", {"state": {"nested": 1}}),
    ],
)
def test_payload_forms(payload: bytes, text: str | None, telemetry: dict) -> None:
    report = parse_payload(payload)
    assert report.text == text
    assert report.telemetry == telemetry


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"", "empty_report"),
        (b"   \n", "empty_report"),
        (b"{}", "empty_report"),
        (b'{"text": "  ", "telemetry": {}}', "empty_report"),
        (b'{"text": "oops"', "bad_json"),
        (b"\xff\xfe\x00bad", "bad_encoding"),
        (b"[1, 2]", "invalid_report"),
        (b'{"text": 5}', "invalid_report"),
        (b'{"id": "", "text": "x"}', "invalid_report"),
        (b'{"telemetry": [1, 2]}', "invalid_report"),
        (b"x" * 20000, "payload_too_large"),
        (b"[" * 100000, "payload_too_large"),
        (b'{"text": "motor hot", "kind": "spaceship"}', "unknown_kind"),
        (b'{"telemetry": {"temperature_c": "hot"}}', "bad_telemetry"),
        (b'{"text": "x", "telemetry": {"current": "12"}}', "bad_telemetry"),  # an alias of a reading
        (b'{"telemetry": {"vibration_mm_s": true}}', "bad_telemetry"),
        (b'{"telemetry": {"water_leak": "yes"}}', "bad_telemetry"),
    ],
)
def test_bad_payloads_raise_a_coded_error(payload: bytes, code: str) -> None:
    with pytest.raises(DiagnosticPayloadError) as info:
        parse_payload(payload)
    assert info.value.code == code


def test_bad_telemetry_and_unknown_kind_name_the_culprit() -> None:
    with pytest.raises(DiagnosticPayloadError) as info:
        parse_payload(b'{"id": "r9", "telemetry": {"temperature_c": "hot", "state": "ON"}}')
    assert (info.value.code, info.value.report_id) == ("bad_telemetry", "r9")
    assert "temperature_c" in info.value.message and "hot" in info.value.message
    with pytest.raises(DiagnosticPayloadError) as info:
        parse_payload(b'{"text": "x", "kind": "spaceship"}')
    assert "spaceship" in info.value.message and "pump" in info.value.message


def test_unread_fields_and_null_readings_still_pass() -> None:
    report = parse_payload(
        b'{"telemetry": {"state": "ON", "temperature_c": null, "battery": 50}, "kind": "Thermostat"}')
    assert report.telemetry["state"] == "ON" and report.kind == "Thermostat"


def test_a_reported_kind_picks_the_limits_for_a_device_the_registry_lacks(service: DiagnosticService) -> None:
    payload = b'{"kind": "pump", "telemetry": {"temperature_c": 92}}'
    diagnosis, _ = service.diagnose(None, payload, device_id="stranger")
    assert (diagnosis.fault, diagnosis.severity) == ("overtemperature", "critical")
    assert "temperature_c=92 (critical above 85)" in diagnosis.evidence  # the pump's limit, not the generic table
    # the registry's kind wins over what the device says: a plug's limits are not a pump's
    plug = Device(id="switch.p", name="p", domain="switch", kind="plug")
    diagnosis, _ = service.diagnose(plug, b'{"kind": "pump", "telemetry": {"temperature_c": 76}}')
    assert (diagnosis.fault, diagnosis.severity) == ("overtemperature", "critical")  # critical at 75 (a pump: 85)


def test_deeply_nested_json_is_a_bad_payload_not_a_crash() -> None:
    with pytest.raises(DiagnosticPayloadError) as info:
        parse_payload(b'{"a":' * 2000 + b"1" + b"}" * 2000)
    assert info.value.code == "bad_json"


def test_error_reply_keeps_the_report_id(service: DiagnosticService) -> None:
    with pytest.raises(DiagnosticPayloadError) as info:
        service.diagnose(PUMP, b'{"id": "r9", "text": 5}')
    reply = service.error_reply(info.value, PUMP.id)
    assert isinstance(reply, DiagnosticError)
    wire = json.loads(reply.model_dump_json())
    assert wire["status"] == "error" and wire["id"] == "r9" and wire["error"]["code"] == "invalid_report"


# ---- merging the model with thresholds and guards (pure function, no model needed) ---------

def case(text: str = "", telemetry: dict | None = None, kind: str = "pump") -> _Case:
    cleaned = clean_text(text)
    assessment = Limits().assess(kind, readings_for(cleaned, telemetry or {}))
    return _Case(DiagnosticReport(text=text, telemetry=telemetry or {}), PUMP, PUMP.id, kind, cleaned, assessment, 0.0)


def test_model_none_cannot_stand_against_a_critical_reading() -> None:
    fault, severity, evidence, source = _decide(case(telemetry={"temperature_c": 99}), ModelOutput("none", "info"))
    assert (fault, severity, source) == ("overtemperature", "critical", "threshold")
    assert evidence == ["temperature_c=99 (critical above 85)"]


def test_reading_raises_the_severity_of_the_models_fault() -> None:
    out = ModelOutput("overcurrent", "warning", ["motor current 14.2 a", "current_a"])
    fault, severity, evidence, source = _decide(case("motor current 14.2 A"), out)
    assert (fault, severity, source) == ("overcurrent", "critical", "threshold")
    assert evidence[0] == "motor current 14.2 a" and evidence[1].startswith("current_a=14.2")


def test_model_keeps_a_diagnosis_at_least_as_severe_as_the_readings() -> None:
    out = ModelOutput("motor_stall", "critical", ["stall detected", "current_a", "rpm"])
    fault, severity, evidence, source = _decide(case("stall detected", {"current_a": 14, "rpm": 0}), out)
    assert (fault, severity, source) == ("motor_stall", "critical", "model")
    assert "rpm" in evidence


def test_invented_evidence_is_dropped() -> None:
    out = ModelOutput("jammed", "warning", ["door jammed", "belt torn", "temperature_c"])
    _, _, evidence, _ = _decide(case("door jammed"), out)
    assert evidence == ["door jammed"]


def test_unusable_model_output_falls_back_to_thresholds_or_unknown() -> None:
    assert _decide(case(telemetry={"battery_pct": 3}), None)[:2] == ("low_battery", "critical")
    assert _decide(case("CRIT E99"), None)[:2] == ("unknown", "critical")
    assert _decide(case("E99"), None)[:2] == ("unknown", "warning")


def test_alarm_words_turn_none_into_unknown_unless_cleared() -> None:
    assert _decide(case("FATAL something odd"), ModelOutput("none", "info"))[:2] == ("unknown", "critical")
    assert _decide(case("overtemperature alarm cleared"), ModelOutput("none", "info"))[:2] == ("none", "info")
    assert _decide(case("lvl error msg gland weeping"), ModelOutput("none", "info"))[:2] == ("unknown", "warning")
    assert _decide(case("no faults"), ModelOutput("none", "info"))[:2] == ("none", "info")


def test_severity_outside_the_faults_range_is_clamped() -> None:
    assert _decide(case("stall"), ModelOutput("motor_stall", "warning"))[1] == "critical"
    assert _decide(case("ok"), ModelOutput("none", "critical"))[1] == "info"


# ---- with the shipped model -----------------------------------------------------------------

def test_issue_example_bearing_temperature(service: DiagnosticService) -> None:
    diagnosis, actions = service.diagnose(PUMP, b'{"id": "d1", "text": "bearing temperature 92C rising, vibration 11 mm/s"}')
    assert diagnosis.id == "d1" and diagnosis.device == PUMP.id
    assert (diagnosis.fault, diagnosis.severity) == ("overtemperature", "critical")
    assert any(e.startswith("temperature_c=92") for e in diagnosis.evidence), diagnosis.evidence
    assert diagnosis.recommended_action is not None
    assert diagnosis.recommended_action.service == "machine.stop"
    assert diagnosis.recommended_action.targets == [PUMP.id]
    assert diagnosis.action_mode == "recommend" and not diagnosis.automatic and actions == []  # default policy


@pytest.mark.parametrize(
    ("device", "text", "fault"),
    [
        (device_for("conveyor"), "E42 motor stall at 1200 rpm, current 14.2 A", "motor_stall"),
        (device_for("climate"), "filter clogged", "filter_clogged"),
        (device_for("lock"), "low battery 8%", "low_battery"),
        (device_for("lock"), "door jammed", "jammed"),
        (device_for("compressor"), "compressor short cycling", "short_cycling"),
        (device_for("pump"), "heartbeat ok", "none"),
    ],
)
def test_issue_examples(service: DiagnosticService, device: Device, text: str, fault: str) -> None:
    diagnosis, _ = service.diagnose(device, text.encode())
    assert diagnosis.fault == fault, diagnosis
    assert (diagnosis.severity == "info") == (fault == "none")


def test_critical_readings_are_never_diagnosed_as_none(service: DiagnosticService) -> None:
    rng = random.Random(11)
    critical = {
        "pump": [("temperature_c", 86, 140), ("current_a", 13, 30), ("vibration_mm_s", 11.2, 40), ("pressure_bar", 10, 20)],
        "lock": [("battery_pct", 0, 5)],
        "sensor": [("water_leak", True, True)],
        "compressor": [("cycles_per_hour", 12, 60)],
    }
    for _ in range(40):
        kind = rng.choice(list(critical))
        name, low, high = rng.choice(critical[kind])
        value = low if isinstance(low, bool) else round(rng.uniform(low, high), 1)
        telemetry = {name: value}
        text = rng.choice([None, "heartbeat ok", "status ok", "all parameters normal", "routine report"])
        payload = json.dumps({"text": text, "telemetry": telemetry} if text else {"telemetry": telemetry}).encode()
        diagnosis, _ = service.diagnose(device_for(kind), payload)
        assert diagnosis.fault != "none" and diagnosis.severity == "critical", (kind, telemetry, text, diagnosis)


def test_unknown_device_gets_no_action(service: DiagnosticService) -> None:
    diagnosis, actions = service.diagnose(None, b"motor current 25 A tripped", device_id="machine.mystery")
    assert diagnosis.device == "machine.mystery"
    assert diagnosis.recommended_action is None and diagnosis.action_mode is None and actions == []


def test_policy_takes_allowed_actions_once_per_cooldown(model: DiagnosticModel) -> None:
    now = [1000.0]
    service = DiagnosticService(model, load_policy(EXAMPLE_POLICY), clock=lambda: now[0])
    payload = b'{"id": "a1", "telemetry": {"temperature_c": 97, "rpm": 1450}}'
    diagnosis, actions = service.diagnose(PUMP, payload)
    assert diagnosis.automatic and diagnosis.action_mode == "automatic"
    assert [a.service for a in actions] == ["machine.stop"] and actions[0].targets == [PUMP.id]
    again, actions = service.diagnose(PUMP, payload)
    assert again.action_mode == "automatic" and not again.automatic and actions == []  # cooldown
    now[0] += 301
    _, actions = service.diagnose(PUMP, payload)
    assert [a.service for a in actions] == ["machine.stop"]
    lock = Device(id="lock.front", name="front", domain="lock", kind="lock")
    diagnosis, actions = service.diagnose(lock, b"door jammed")
    assert diagnosis.recommended_action is None and actions == []


def test_batch_matches_single(service: DiagnosticService) -> None:
    items = [(PUMP, parse_payload(b"dry run detected")), (device_for("lock"), parse_payload(b"battery 3%"))]
    batch = service.diagnose_reports(items)
    singles = [service.diagnose_reports([item])[0] for item in items]
    assert [d.fault for d, _ in batch] == [d.fault for d, _ in singles] == ["dry_run", "low_battery"]


def test_diagnosis_wire_format(service: DiagnosticService) -> None:
    diagnosis, _ = service.diagnose(PUMP, b"cavitation at suction")
    wire = json.loads(diagnosis.model_dump_json())
    assert {"id", "device", "fault", "severity", "evidence", "recommended_action", "model"} <= wire.keys()
    assert wire["model"]["name"] == "nanoiot-diagnostic"
    assert Diagnosis.model_validate(wire) == diagnosis


def test_a_fault_contradicted_by_its_own_reading_yields_to_the_worse_reading() -> None:
    c = case("bearing temperature 92C rising, vibration 11 mm/s")  # temperature critical, vibration warning
    fault, severity, _, source = _decide(c, ModelOutput("bearing_wear", "critical", ["bearing temperature 92c"]))
    assert (fault, severity, source) == ("overtemperature", "critical", "threshold")
    c = case("grinding noise severe", {"vibration_mm_s": 12, "temperature_c": 90})  # both critical: the model's stands
    assert _decide(c, ModelOutput("bearing_wear", "critical"))[:2] == ("bearing_wear", "critical")


# ---- reports the model cannot read ----------------------------------------------------------

def _gibberish(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return [" ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 8))) for _ in range(rng.randint(1, 5)))
            for _ in range(n)]


@pytest.mark.parametrize("text", ["asdf qwerty zxcv", *_gibberish(11, 20)])
def test_gibberish_is_unknown_with_no_confidence(service: DiagnosticService, text: str) -> None:
    diagnosis, actions = service.diagnose(PUMP, text.encode())
    assert (diagnosis.fault, diagnosis.source, diagnosis.confidence) == ("unknown", "guard", 0.0), text
    assert diagnosis.recommended_action is None and actions == []


@pytest.mark.parametrize("text", ["the weather is nice today", "hello", "what time is my dentist appointment tomorrow"])
def test_text_without_fault_content_is_unknown_not_a_confident_answer(service: DiagnosticService, text: str) -> None:
    diagnosis, _ = service.diagnose(None, text.encode())
    assert (diagnosis.fault, diagnosis.confidence) == ("unknown", 0.0), text


def test_readable_reports_keep_the_models_answer_and_its_confidence(service: DiagnosticService) -> None:
    # (2.2.0 reads "bearing temperature 62C rising, grinding noise", which 2.1.0 read as wear, as overheating)
    diagnosis, _ = service.diagnose(PUMP, b"grinding noise from the pump bearing, getting louder")
    assert diagnosis.source == "model" and diagnosis.fault == "bearing_wear" and 0.5 < diagnosis.confidence <= 1.0
    diagnosis, _ = service.diagnose(PUMP, b"heartbeat ok")
    assert (diagnosis.fault, diagnosis.source) == ("none", "model") and diagnosis.confidence > 0.5
    # gibberish beside a reading past a limit: the model reads the reading's level, it is not refused
    diagnosis, _ = service.diagnose(PUMP, b'{"text": "asdf qwerty", "telemetry": {"temperature_c": 95}}')
    assert (diagnosis.fault, diagnosis.severity) == ("overtemperature", "critical") and diagnosis.confidence > 0.5  # refused: 0


def test_the_shipped_model_is_calibrated_on_its_training_words(model: DiagnosticModel) -> None:
    from nanoiot.diagnostics.corpus import generate
    from nanoiot.diagnostics.encoding import words

    assert model.words and model.min_score is not None and -1.0 < model.min_score < 0
    sample = {w for r in generate(300, 1) if r.text for w in words(clean_text(r.text))}
    assert sample <= model.words
    assert not {"asdf", "qwerty", "zxcv"} & model.words


def test_confidence_of_a_reading_is_1_and_of_a_guess_0() -> None:
    from nanoiot.gateway.diagnosis import ThresholdsOnly  # the stand-in the gateway runs without a model

    service = DiagnosticService(ThresholdsOnly())  # type: ignore[arg-type]
    hot, _ = service.diagnose(PUMP, b'{"telemetry": {"temperature_c": 95}}')
    assert (hot.fault, hot.source, hot.confidence) == ("overtemperature", "threshold", 1.0)
    guess, _ = service.diagnose(PUMP, b"E42")
    assert (guess.fault, guess.source, guess.confidence) == ("unknown", "guard", 0.0)


class _Answers:
    """A stand-in model that gives every report the same answer (the service's trust rules are under test)."""

    model_info = ModelInfo(name="stand-in", version="0")

    def __init__(self, output: ModelOutput) -> None:
        self.output = output

    def predict_batch(self, sources: list[str]) -> list[ModelOutput]:
        return [ModelOutput(self.output.fault, self.output.severity, list(self.output.evidence), score=-0.01) for _ in sources]


def test_unknown_quoting_nothing_is_not_trusted_but_unknown_with_evidence_is() -> None:
    talk = DiagnosticService(_Answers(ModelOutput("unknown", "warning", [])))  # type: ignore[arg-type]
    diagnosis, _ = talk.diagnose(PUMP, b"what a lovely morning")
    assert (diagnosis.fault, diagnosis.source, diagnosis.confidence) == ("unknown", "guard", 0.0)
    code = DiagnosticService(_Answers(ModelOutput("unknown", "warning", ["error e9"])))  # type: ignore[arg-type]
    diagnosis, _ = code.diagnose(PUMP, b"display shows error e9")
    assert (diagnosis.fault, diagnosis.source) == ("unknown", "model") and diagnosis.confidence > 0.9
    # with a reading past a limit the reading decides, whatever the model quoted
    diagnosis, _ = talk.diagnose(PUMP, b'{"text": "what a lovely morning", "telemetry": {"temperature_c": 99}}')
    assert (diagnosis.fault, diagnosis.severity, diagnosis.source) == ("overtemperature", "critical", "threshold")
