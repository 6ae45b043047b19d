"""Reports written in people's words, as training reports (nanoiot.diagnostics.written)."""

from __future__ import annotations

from nanoiot.diagnostics.written import WRITTEN_DEV, WRITTEN_TRAIN, report, reports
from nanoiot.train.real_data import load_jsonl


def test_a_reading_of_the_same_fault_raises_the_writer_s_severity() -> None:
    row = {"kind": "pump", "text": "pump 2 casing is scorching, 120 C on the gun", "fault": "overtemperature",
           "severity": "warning", "evidence": "casing is scorching"}
    taught = report(row)
    assert taught is not None and taught.severity == "critical", taught
    assert taught.evidence[0] == "casing is scorching" and "temperature_c" in taught.evidence


def test_a_routine_report_with_a_reading_past_a_limit_is_not_taught() -> None:
    row = {"kind": "pump", "text": "all fine, motor at 120 C", "fault": "none", "severity": "info", "evidence": ""}
    assert report(row) is None
    assert report({**row, "text": "all fine, checked the seals"}) is not None


def test_labels_outside_the_vocabulary_are_dropped_and_evidence_must_be_in_the_report() -> None:
    row = {"kind": "pump", "text": "pump hums, shaft won't turn", "fault": "motor_stall", "severity": "critical",
           "evidence": "shaft is seized"}
    assert report({**row, "fault": "gremlins"}) is None and report({**row, "kind": "spaceship"}) is None
    taught = report(row)
    assert taught is not None and taught.evidence == []


def test_the_dev_split_shares_no_report_with_the_training_split() -> None:
    train = {row["text"] for row in load_jsonl(WRITTEN_TRAIN)}
    dev = [row["text"] for row in load_jsonl(WRITTEN_DEV)]
    assert len(dev) >= 200 and len(train) >= 1200 and not train & set(dev)
    assert len(reports()) >= 0.95 * len(train)


def test_the_third_seven_voices_keep_their_dev_part_out_of_training() -> None:
    """`--more-voices` (the 2.4.0 candidate): every 7th of the third seven writers' reports is dev, none trained on."""
    from nanoiot.diagnostics.written import MORE_DEV, MORE_TRAIN

    train = {row["text"] for row in load_jsonl(MORE_TRAIN)}
    dev = [row["text"] for row in load_jsonl(MORE_DEV)]
    assert len(dev) == 210 and len(train) == 1260 and not train & set(dev)
    assert not (train | set(dev)) & {row["text"] for row in load_jsonl(WRITTEN_TRAIN)}
    assert len(reports(MORE_TRAIN)) >= 0.95 * len(train)
