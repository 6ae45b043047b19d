"""The generated reports: labels agree with physics and wording, held-out templates stay held out."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from nanoiot.diagnostics import corpus
from nanoiot.diagnostics.encoding import MARKERS, clean_text, parse_target
from nanoiot.diagnostics.faults import FAULT_INFO, FAULTS, SEVERITY_RANK
from nanoiot.diagnostics.service import parse_payload
from nanoiot.diagnostics.thresholds import Limits, readings_for


@pytest.fixture(scope="module")
def train_reports() -> list[corpus.Report]:
    return corpus.generate(3000, seed=3)


@pytest.fixture(scope="module")
def held_out_reports() -> list[corpus.Report]:
    return corpus.generate(1000, seed=4, held_out=True)


def test_every_fault_and_severity_it_allows_is_generated(train_reports: list[corpus.Report]) -> None:
    seen = Counter((r.fault, r.severity) for r in train_reports)
    for fault in FAULTS:
        for severity in FAULT_INFO[fault].severities:
            assert seen[(fault, severity)] > 0, (fault, severity)


def test_labels_agree_with_limits_and_words(train_reports: list[corpus.Report], held_out_reports: list[corpus.Report]) -> None:
    limits = Limits()
    for report in train_reports + held_out_reports:
        cleaned = clean_text(report.text or "")
        assessment = limits.assess(report.kind, readings_for(cleaned, report.telemetry))
        if assessment.worst:  # no reading is worse than the label says
            assert SEVERITY_RANK[assessment.worst.severity] <= SEVERITY_RANK[report.severity], report
        words = set(cleaned.split())
        if report.fault != "none":  # no word claims another severity
            for severity, markers in MARKERS.items():
                if words & markers:
                    assert severity == report.severity, report
        for evidence in report.evidence:  # evidence is in the report
            assert evidence in cleaned or evidence in assessment.levels, (evidence, report)
        if report.fault != "none":
            assert report.evidence, report


def test_targets_round_trip(train_reports: list[corpus.Report]) -> None:
    for report in train_reports[:500]:
        _, target = corpus.to_pair(report)
        parsed = parse_target(target)
        assert parsed is not None
        assert (parsed.fault, parsed.severity, parsed.evidence) == (report.fault, report.severity, report.evidence)


def test_held_out_text_never_appears_in_training(train_reports: list[corpus.Report], held_out_reports: list[corpus.Report]) -> None:
    train_sources = {corpus.to_pair(r)[0] for r in corpus.generate(20000, seed=1)}
    held_with_text = [r for r in held_out_reports if r.text]
    assert len(held_with_text) > 700
    leaked = [r.text for r in held_with_text if corpus.to_pair(r)[0] in train_sources]
    assert leaked == []
    # and the held-out message templates' evidence phrases are not training evidence
    train_evidence = {e for r in train_reports for e in r.evidence}
    held_only = {e for r in held_out_reports for e in r.evidence} - train_evidence
    assert len(held_only) > 20


def test_sample_report_is_a_valid_payload_for_the_gateway() -> None:
    import json

    for fault in FAULTS:
        payload = corpus.sample_report("pump", fault, seed=7)
        report = parse_payload(json.dumps(payload).encode())
        assert report.text or report.telemetry
    critical = corpus.sample_report("conveyor", "overtemperature", severity="critical", seed=1)
    assert critical  # a conveyor can overheat: drawn for the kind asked
    rng_a = corpus.sample_report("pump", "dry_run", seed=5)
    assert rng_a == corpus.sample_report("pump", "dry_run", seed=5)  # reproducible for scenarios


def test_draw_respects_arguments() -> None:
    rng = random.Random(0)
    for _ in range(50):
        report = corpus.draw(rng, fault="low_battery", kind="lock", severity="critical")
        assert (report.fault, report.kind, report.severity) == ("low_battery", "lock", "critical")
