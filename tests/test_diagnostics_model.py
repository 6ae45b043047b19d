"""The shipped diagnostic model: intact files, and the issue's floors on held-out generated reports."""

from __future__ import annotations

import hashlib
import json

import pytest

from nanoiot.diagnostics.evaluation import confusion_markdown, evaluate
from nanoiot.diagnostics.model import SHIPPED_DIAGNOSTIC_MODEL_DIR, DiagnosticModel
from nanoiot.diagnostics.service import DiagnosticService


def test_shipped_files_match_the_manifest() -> None:
    manifest = json.loads((SHIPPED_DIAGNOSTIC_MODEL_DIR / "manifest.json").read_text())
    assert manifest["name"] == "nanoiot-diagnostic"
    assert manifest["files"], "manifest lists no files"
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((SHIPPED_DIAGNOSTIC_MODEL_DIR / name).read_bytes()).hexdigest() == digest, name


@pytest.fixture(scope="module")
def figures() -> dict:
    # a fresh seed: not the held-out sample whose figures are in the manifest and docs
    return evaluate(n=400, seed=2024, service=DiagnosticService(DiagnosticModel.load()), latency_samples=50)


def test_fault_accuracy_floor(figures: dict) -> None:
    assert figures["fault_accuracy"] >= 0.95, figures


def test_no_critical_report_is_diagnosed_as_none(figures: dict) -> None:
    assert figures["critical_reports"] > 50
    assert figures["critical_as_none"] == 0


def test_severity_accuracy_and_confusion_are_reported(figures: dict) -> None:
    assert figures["severity_accuracy"] >= 0.9, figures
    assert sum(sum(row.values()) for row in figures["confusion"].values()) == figures["reports"]
    table = confusion_markdown(figures["confusion"])
    assert table.startswith("| expected") and "| overtemperature |" in table


def test_latency_is_not_seconds(figures: dict) -> None:
    assert figures["latency_ms"]["p50"] < 200  # coarse: the figure itself is measured, not asserted


def test_people_s_wording_of_faults_is_understood() -> None:
    """Reports written in people's words (nanoiot/diagnostics/data), none of them trained on.

    dev (40) shaped 2.1.0's spoken phrasings: 2.3.0 1.000, 2.2.0 0.975, 2.1.0 0.975. test (B, 42) was written blind
    for 2.1.0: 2.3.0 0.952, 2.2.0 0.810 (0.857 on the Intel machine it was chosen on), 2.1.0 0.690. written_dev (420,
    every 7th of the fourteen writers', kept out of training): 2.3.0 0.857, 2.2.0 0.786 (its first 210, the seven
    writers 2.2.0 trained on: 0.852 / 0.795; the 210 of the seven new voices: 0.862 / 0.776). G (90, by a helper that
    read only the fault table, written before any run on written reports, read once after 2.2.0 was chosen): 2.3.0
    0.944, 2.2.0 0.933 here (0.922 on Intel), 2.1.0 0.800. Floors leave a few reports' room (int8 kernels differ by
    CPU) and fail 2.1.0 on the two written after it.
    """
    from nanoiot.diagnostics.evaluation import HANDWRITTEN_TEST, HANDWRITTEN_TEST_G, handwritten
    from nanoiot.diagnostics.written import WRITTEN_DEV

    service = DiagnosticService(DiagnosticModel.load())
    dev, test = handwritten(service), handwritten(service, HANDWRITTEN_TEST)
    assert dev["reports"] == 40 and dev["fault_accuracy"] >= 0.9, dev
    assert test["reports"] == 42 and test["fault_accuracy"] >= 0.85, test
    written, g = handwritten(service, WRITTEN_DEV), handwritten(service, HANDWRITTEN_TEST_G)
    assert written["reports"] == 420 and written["fault_accuracy"] >= 0.82, written
    assert g["reports"] == 90 and g["fault_accuracy"] >= 0.87, g


@pytest.mark.parametrize("text, kind, fault", [
    # was: filter_clogged and leak, warnings: a fault put right, no reading past a limit, is a routine report
    ("replaced the clogged filter, pressure drop back to normal", "climate", "none"),
    ("leak on V-4 fixed with a new gasket, dry since yesterday", "valve", "none"),
    # still wrong: the fault stands
    ("replaced the filter but the pressure drop is still high", "climate", "filter_clogged"),
    # "bone dry" of a sump is the fault itself
    ("coolant pump sucking air, sump bone dry", "pump", "dry_run"),
])
def test_a_fault_put_right_is_routine_unless_something_is_still_wrong(text: str, kind: str, fault: str) -> None:
    from nanoiot.diagnostics.evaluation import device_for
    from nanoiot.diagnostics.schema import DiagnosticReport

    service = DiagnosticService(DiagnosticModel.load())
    [(diagnosis, actions)] = service.diagnose_reports([(device_for(kind, 0), DiagnosticReport(text=text))])
    assert diagnosis.fault == fault and (fault != "none" or actions == []), diagnosis


def test_blind_fault_reports_by_another_hand_are_read() -> None:
    """H (120, by a helper that read only the fault table, 2026-12-01): 2.2.0 0.875 blind, 0.892 with the rule above;
    2.3.0 0.925. I (120, world English, read once after 2.3.0 was chosen): 2.3.0 0.867, 2.2.0 0.833."""
    from nanoiot.diagnostics.evaluation import HANDWRITTEN_TEST_H, HANDWRITTEN_TEST_I, handwritten

    service = DiagnosticService(DiagnosticModel.load())
    h, i = handwritten(service, HANDWRITTEN_TEST_H), handwritten(service, HANDWRITTEN_TEST_I)
    assert h["reports"] == 120 and h["fault_accuracy"] >= 0.89, h
    assert i["reports"] == 120 and i["fault_accuracy"] >= 0.84, i


def test_small_talk_sent_as_a_report_names_no_fault() -> None:
    from support import require

    from nanoiot.diagnostics.evaluation import small_talk

    figures = small_talk(DiagnosticService(DiagnosticModel.load()))
    require(None if figures is not None else "../shared/data beside the repo")
    assert figures["sentences"] > 700 and figures["refused"] >= 0.95 and figures["named_a_fault"] <= 4, figures
