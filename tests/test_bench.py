"""`nanoiot bench --quick`: the whole bench in seconds, through a real broker and real gateway processes.

Checks the report's shape and that every command id was answered exactly once; never a time.
"""

from __future__ import annotations

import json
import subprocess
import sys

from support import REPO, mosquitto_missing, needs

from nanoiot.bench.report import table
from nanoiot.bench.run import FLOORS, QUICK

@needs(mosquitto_missing())
def test_quick_bench_answers_every_command_once_and_reports_every_row() -> None:
    out = subprocess.run([sys.executable, "-m", "nanoiot", "bench", "--quick", "--json"], cwd=REPO, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout)
    assert [(r["workload"], r["workers"], r["batching"], r["replicas"]) for r in report["throughput"]] == list(QUICK.runs)
    for r in report["throughput"]:
        assert r["all_answered"] and r["answered_exactly_once"], r
        assert r["commands_per_s"] > 0 and r["mean_batch"] >= 1
    for name in ("echo", "gateway_distinct", "gateway_mix"):
        p = report["latency_ms"][name]
        assert p["n"] == QUICK.paced and 0 < p["p50"] <= p["p90"] <= p["p99"]
    device = report["latency_ms"]["gateway_mix"]["device"]  # a home's commands actuate: each one's first device message
    assert 1 <= device["n"] <= QUICK.paced and 0 < device["p50"] <= device["p99"]
    assert report["gateway"]["processes"] == 1 + sum(workers for _, workers, _, _ in QUICK.runs)
    assert report["gateway"]["peak_rss_mib"] > 0 and report["model"]["bytes_on_disk"] > 0
    assert report["large_site"]["devices"] == QUICK.devices
    assert set(report["model_only"]) >= {"int8", "float32", "float32_over_int8_latency"}
    assert set(report["floors"]) == set(FLOORS)
    lines = table(report).splitlines()
    assert any(line.startswith("latency p50/p90/p99 ms: MQTT echo") for line in lines)
    assert sum(line.startswith("commands/s:") for line in lines) == len(QUICK.runs)
    assert sum(line.startswith("floor ") for line in lines) == len(FLOORS)

