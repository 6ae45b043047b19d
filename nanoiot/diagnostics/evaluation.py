"""Figures of the diagnostic step on held-out generated reports: fault and severity accuracy,
the confusion table, critical reports diagnosed as `none`, latency.

Measured end to end through `DiagnosticService` (thresholds + model + guards),
which is what the gateway ships; the model's own fault accuracy is reported too.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from nanoiot.diagnostics.corpus import Report, generate
from nanoiot.diagnostics.faults import FAULTS
from nanoiot.diagnostics.model import DiagnosticModel
from nanoiot.diagnostics.schema import DiagnosticReport
from nanoiot.diagnostics.service import DiagnosticService
from nanoiot.diagnostics.written import WRITTEN_DEV
from nanoiot.registry import Device
from nanoiot.train.real_data import load_jsonl

KIND_DOMAINS: dict[str, str] = {
    "pump": "machine", "conveyor": "machine", "mixer": "machine", "compressor": "machine", "machine": "machine",
    "fan": "fan", "plug": "switch", "light": "light", "climate": "climate", "valve": "valve", "vacuum": "vacuum",
    "lock": "lock", "cover": "cover", "sensor": "sensor", "generic": "sensor",
}
HELD_OUT_SEED = 99


def device_for(kind: str, index: int = 0) -> Device:
    """A registry device of a thresholds kind (for evaluation and tests)."""
    domain = KIND_DOMAINS.get(kind, "sensor")
    return Device(id=f"{domain}.{kind}_{index}", name=f"{kind} {index}", domain=domain, kind=kind)  # type: ignore[arg-type]


def held_out_reports(n: int = 1000, seed: int = HELD_OUT_SEED, unseen_wording: bool = False) -> list[Report]:
    return generate(n, seed, held_out=True, unseen_wording=unseen_wording)


def evaluate(
    model_dir: str | Path | None = None,
    n: int = 1000,
    seed: int = HELD_OUT_SEED,
    service: DiagnosticService | None = None,
    latency_samples: int = 200,
    unseen_wording: int = 500,
) -> dict[str, Any]:
    """Figures on `n` held-out reports (held-out frames and log formats) through the whole service.

    Keys: fault_accuracy, severity_accuracy, fault_and_severity_accuracy,
    model_only_fault_accuracy, critical_reports, critical_as_none, decided_by,
    latency_ms {mean, p50, p95} (one report per call), confusion {expected:
    {diagnosed: count}}, and `unseen_wording`: the same figures (no confusion) on
    reports whose symptom phrases are held out too.
    """
    service = service or DiagnosticService(DiagnosticModel.load(model_dir))
    reports = held_out_reports(n, seed)
    figures = _score(service, reports)
    items = _items(reports[:latency_samples])
    latencies = []
    for item in items:
        started = time.perf_counter()
        service.diagnose_reports([item])
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    if latencies:
        figures["latency_ms"] = {
            "mean": round(statistics.fmean(latencies), 2),
            "p50": round(latencies[len(latencies) // 2], 2),
            "p95": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 2),
        }
    if unseen_wording:
        other = _score(service, held_out_reports(unseen_wording, seed + 1, unseen_wording=True))
        other.pop("confusion")
        figures["unseen_wording"] = other
    for name, path in PEOPLE_SETS.items():
        figures[name] = handwritten(service, path)
    talk = small_talk(service)
    if talk is not None:
        figures["small_talk"] = talk
    figures["confusion"] = figures.pop("confusion")
    return figures


HANDWRITTEN_DEV = Path(__file__).parent / "data" / "handwritten_dev.jsonl"
# written after 2.1.0's spoken phrasings, before any model read it: the blind one (2.0's misses shaped those phrasings)
HANDWRITTEN_TEST = Path(__file__).parent / "data" / "handwritten_test.jsonl"
# a third set, written on 2026-11-30 before 2.2.0's phrasings and before reading any model's answers to it
HANDWRITTEN_TEST_C = Path(__file__).parent / "data" / "handwritten_test_c.jsonl"
# a fourth, 56 reports (4 a fault, 4 routine), written on 2026-11-30 at 15:10 before any model read them: 2.1.0 0.821
HANDWRITTEN_TEST_D = Path(__file__).parent / "data" / "handwritten_test_d.jsonl"
# a fifth, 70 reports (5 a fault, 5 routine), written on 2026-11-30 by a helper that read no code, data or earlier
# set: another hand than the templates' and the four sets' above. Scored blind once: 2.1.0 0.829
HANDWRITTEN_TEST_E = Path(__file__).parent / "data" / "handwritten_test_e.jsonl"
# a sixth, 80 reports (4-6 a fault, 6 routine, 4 unknown), by another helper that read only the fault table, on
# 2026-11-30: 2.1.0 0.6875 blind. It chose between two shorter training runs (not shipped, docs/diagnostics.md), so it
# is a dev set for those, blind for 2.1.0
HANDWRITTEN_TEST_F = Path(__file__).parent / "data" / "handwritten_test_f.jsonl"
# a seventh, 90 reports (6 a fault, 8 routine, 4 unknown), by a helper that read only the fault table, on 2026-12-01,
# written before the first run trained on written reports (`written.py`) and read once after choosing it
HANDWRITTEN_TEST_G = Path(__file__).parent / "data" / "handwritten_test_g.jsonl"
# an eighth, 120 reports (8 a fault, 10 routine, 6 unknown), by a helper that read only the fault table, on 2026-12-01
# (eighth session): 2.2.0 0.875 blind; the rule for faults put right (`encoding.says_fixed`) was written after reading it
HANDWRITTEN_TEST_H = Path(__file__).parent / "data" / "handwritten_test_h.jsonl"
# a ninth, 120 reports (8 a fault, 10 routine, 6 unknown), by a helper that read only the fault table, writing as people
# in the UK, Ireland, India, Australia, New Zealand, South Africa, Nigeria and Singapore (a voice no training writer
# had), on 2026-12-01 (twelfth session), before 2.3.0 trained, read once after choosing it: 2.2.0 0.833, 2.3.0 0.867
HANDWRITTEN_TEST_I = Path(__file__).parent / "data" / "handwritten_test_i.jsonl"


PEOPLE_SETS = {"handwritten_dev": HANDWRITTEN_DEV, "handwritten_test": HANDWRITTEN_TEST, "handwritten_test_c": HANDWRITTEN_TEST_C,
               "handwritten_test_d": HANDWRITTEN_TEST_D, "handwritten_test_e": HANDWRITTEN_TEST_E,
               "handwritten_test_f": HANDWRITTEN_TEST_F, "handwritten_test_g": HANDWRITTEN_TEST_G,
               "handwritten_test_h": HANDWRITTEN_TEST_H, "handwritten_test_i": HANDWRITTEN_TEST_I, "written_dev": WRITTEN_DEV}


def handwritten(service: DiagnosticService, path: Path = HANDWRITTEN_DEV) -> dict[str, Any]:
    """Fault accuracy on reports written by hand in people's words (never trained on).

    The generated held-out sets share the generator's hands; these do not share its
    templates, so they are the better guide to choose a model on, and still small.
    """
    rows = load_jsonl(path)
    results = _diagnose_all(service, [(device_for(row["kind"], i), DiagnosticReport(text=row["text"])) for i, row in enumerate(rows)])
    misses = [f"{row['fault']}->{diagnosis.fault}" for row, (diagnosis, _) in zip(rows, results) if diagnosis.fault != row["fault"]]
    return {"reports": len(rows), "fault_accuracy": round(1 - len(misses) / max(1, len(rows)), 4), "misses": sorted(misses)}


def _diagnose_all(service: DiagnosticService, items: list[tuple[Device, DiagnosticReport]]) -> list[Any]:
    """(diagnosis, actions) per item, in model batches of 64 as the gateway makes them."""
    results: list[Any] = []
    for start in range(0, len(items), 64):
        results += service.diagnose_reports(items[start : start + 64])
    return results


def _items(reports: list[Report]) -> list[tuple[Device, DiagnosticReport]]:
    return [(device_for(r.kind, i), DiagnosticReport(text=r.text, telemetry=r.telemetry)) for i, r in enumerate(reports)]


def _score(service: DiagnosticService, reports: list[Report]) -> dict[str, Any]:
    results = _diagnose_all(service, _items(reports))
    confusion: dict[str, dict[str, int]] = {f: {} for f in FAULTS}
    fault_ok = severity_ok = both_ok = critical = critical_as_none = 0
    sources: dict[str, int] = {}
    for report, (diagnosis, _) in zip(reports, results):
        row = confusion[report.fault]
        row[diagnosis.fault] = row.get(diagnosis.fault, 0) + 1
        fault_ok += diagnosis.fault == report.fault
        severity_ok += diagnosis.severity == report.severity
        both_ok += diagnosis.fault == report.fault and diagnosis.severity == report.severity
        sources[diagnosis.source] = sources.get(diagnosis.source, 0) + 1
        if report.severity == "critical":
            critical += 1
            critical_as_none += diagnosis.fault == "none"
    total = max(1, len(reports))
    return {
        "reports": len(reports),
        "fault_accuracy": round(fault_ok / total, 4),
        "severity_accuracy": round(severity_ok / total, 4),
        "fault_and_severity_accuracy": round(both_ok / total, 4),
        "model_only_fault_accuracy": round(_model_only_accuracy(service, reports), 4),
        "critical_reports": critical,
        "critical_as_none": critical_as_none,
        "decided_by": sources,
        "confusion": {f: row for f, row in confusion.items() if row},
    }


def _model_only_accuracy(service: DiagnosticService, reports: list[Report]) -> float:
    from nanoiot.diagnostics.corpus import to_pair

    sources = [to_pair(r)[0] for r in reports]
    outputs = service.model.predict_batch(sources)
    return sum(o is not None and o.fault == r.fault for o, r in zip(outputs, reports)) / max(1, len(reports))


def confusion_markdown(confusion: dict[str, dict[str, int]]) -> str:
    """The confusion table as Markdown (rows: expected, columns: diagnosed)."""
    columns = [f for f in FAULTS if any(f in row for row in confusion.values())]
    lines = ["| expected \\ diagnosed | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for fault, row in confusion.items():
        lines.append(f"| {fault} | " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    return "\n".join(lines)


def small_talk(service: DiagnosticService) -> dict[str, Any] | None:
    """Real sentences that report nothing (HWU64's ood dev split, never trained on) sent as reports:
    the share answered `unknown` with confidence 0, as a report the model cannot read must be.
    None where ../shared/data is not beside the repo."""
    from nanoiot.train.real_data import SHARED_DATA, real_pairs

    if not (SHARED_DATA / "hwu64" / "ood.jsonl").exists():
        return None
    texts = [text for text, _ in real_pairs()["ood_dev"]]
    results = _diagnose_all(service, [(device_for("generic", i), DiagnosticReport(text=text)) for i, text in enumerate(texts)])
    refused = sum(d.fault == "unknown" and d.confidence == 0.0 for d, _ in results)
    return {"sentences": len(texts), "refused": round(refused / max(1, len(texts)), 4),
            "named_a_fault": sum(d.fault not in ("unknown", "none") for d, _ in results)}

