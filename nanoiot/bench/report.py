"""The bench report as a plain-text table, and as a PNG plot (matplotlib, from the bench extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def table(report: dict[str, Any]) -> str:
    rows: list[tuple[str, str]] = []
    m, lat = report["machine"], report["latency_ms"]
    rows.append(("machine", f"{m['cpus']} CPUs, {m['platform']}, load average {m['load_average_at_start'][0]} at start, "
                            f"{m.get('load_average_at_end', ['?'])[0]} at end"))
    rows.append(("model", f"{report['model']['name']} {report['model']['version']}, "
                          f"{report['model']['bytes_on_disk'] / 2**20:.1f} MiB on disk"))
    echo = lat["echo"]["p50"]
    for name, label in (("echo", "MQTT echo (floor)"), ("gateway_distinct", "gateway, distinct sentences"),
                        ("gateway_mix", "gateway, repeating mix")):
        p = lat[name]
        ratio = f"  ({p['p50'] / echo:.1f}x echo)" if name != "echo" and echo else ""
        to = ", to the result" if name != "echo" else ""
        rows.append((f"latency p50/p90/p99 ms: {label}{to}", f"{p['p50']:.2f} / {p['p90']:.2f} / {p['p99']:.2f}{ratio}"))
        if "device" in p:
            d = p["device"]
            rows.append((f"latency p50/p90/p99 ms: {label}, to the device message",
                         f"{d['p50']:.2f} / {d['p90']:.2f} / {d['p99']:.2f}  ({d['p50'] / echo:.1f}x echo; {d['n']} that actuate)"))
    peer = report.get("peer") or {}
    if "hass_latency_ms" in peer:
        p = peer["hass_latency_ms"]
        rows.append(("latency p50/p90/p99 ms: Home Assistant matcher (in-process, no MQTT)", f"{p['p50']:.2f} / {p['p90']:.2f} / {p['p99']:.2f}"))
    if "nanoiot_parse_latency_ms" in peer:
        p = peer["nanoiot_parse_latency_ms"]
        rows.append(("latency p50/p90/p99 ms: nanoiot parse, same sentences (in-process, no MQTT, no cache)",
                     f"{p['p50']:.2f} / {p['p90']:.2f} / {p['p99']:.2f}"))
    for r in report.get("throughput", []):
        hits = "/".join("-" if h is None else f"{h:.0%}" for h in (r.get("parse_cache_hit_rate"), r["model_cache_hit_rate"]))
        rows.append((f"commands/s: {r['workload']}, {r['workers']} worker(s), batching {'on' if r['batching'] else 'off'}, "
                     f"{r.get('replicas', 1)} model replica(s) each",
                     f"{r['commands_per_s']:.0f}  (CPU ms/command: gateway {r['gateway_cpu_ms_per_command']:.2f}, broker "
                     f"{r.get('broker_cpu_ms_per_command', float('nan')):.2f}, load client {r.get('load_client_cpu_ms_per_command', float('nan')):.2f}; "
                     f"mean batch {r['mean_batch']}, "
                     f"cache hits parse/model {hits}, "
                     f"exactly once: {r['answered_exactly_once']})"))
    mo = report["model_only"]
    rows.append(("model only, one sentence: int8 / float32 ms", f"{mo['int8']['ms_median']:.2f} / {mo['float32']['ms_median']:.2f}  "
                                                               f"(float32 {mo['float32_over_int8_latency']}x)"))
    rows.append(("model only, batches of 32: int8 / float32 sentences/s", f"{mo['int8']['batched_per_s']:.0f} / {mo['float32']['batched_per_s']:.0f}"))
    ls = report["large_site"]
    rows.append((f"large site ({ls['devices']} devices): parse p50/p99 ms", f"{ls['parse_ms']['p50']:.2f} / {ls['parse_ms']['p99']:.2f}"))
    rows.append((f"large site ({ls['devices']} devices): all but the model p50/p99 ms",
                 f"{ls['without_model_ms']['p50']:.2f} / {ls['without_model_ms']['p99']:.2f}"))
    g = report["gateway"]
    rows.append(("gateway peak RSS", f"{g['peak_rss_mib']} MiB"))
    rows.append(("gateway cold start to READY (median / max)", f"{g['cold_start_s_median']:.2f} s / {g['cold_start_s_max']:.2f} s"))
    slurp = peer.get("slurp_iot_test")
    if isinstance(slurp, dict):
        rows.append((f"SLURP IoT test accuracy (n={slurp['n']}): nanoiot / Home Assistant",
                     f"{slurp['nanoiot_accuracy']:.1%} / {slurp['hass_accuracy']:.1%}"))
    elif slurp or peer.get("skipped"):
        rows.append(("peer", str(slurp or peer.get("skipped"))))
    for f in report.get("failover", []):
        rows.append((f"failover: 1 of 2 workers killed, {f['commands']} commands, session expiry {f['session_expiry_s']} s",
                     f"{f['answered_without_the_dead_worker']} answered by the other, {f['answered_after_it_restarted']} once it "
                     f"restarted, {f['answered_twice']} twice"))
    for name, f in report["floors"].items():
        mark = "n/a" if f["met"] is None else ("met" if f["met"] else "NOT met")
        rows.append((f"floor {name} {f['floor']}", f"{f['value']}  {mark}"))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def plot(report: dict[str, Any], path: Path) -> None:
    """Latency percentiles (gateway, echo floor, peer) and throughput per run, side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    series = [("MQTT echo", report["latency_ms"]["echo"]), ("gateway, distinct", report["latency_ms"]["gateway_distinct"]),
              ("gateway, mix", report["latency_ms"]["gateway_mix"])]
    if "hass_latency_ms" in (report.get("peer") or {}):
        if "nanoiot_parse_latency_ms" in report["peer"]:
            series.append(("nanoiot parse (no MQTT)", report["peer"]["nanoiot_parse_latency_ms"]))
        series.append(("HA matcher (no MQTT)", report["peer"]["hass_latency_ms"]))
    width = 0.8 / len(series)
    for i, (label, p) in enumerate(series):
        left.bar([x + i * width for x in range(3)], [p["p50"], p["p90"], p["p99"]], width, label=label)
    left.set_xticks([x + width * (len(series) - 1) / 2 for x in range(3)], ["p50", "p90", "p99"])
    left.set_ylabel("ms, command published to result received")
    left.set_title("Latency at light load")
    left.legend(fontsize=8)
    runs = report.get("throughput", [])
    labels = [f"{r['workload']}\n{r['workers']}w{'x' + str(r.get('replicas', 1)) if r.get('replicas', 1) > 1 else ''} "
              f"{'batch' if r['batching'] else 'no batch'}" for r in runs]
    right.bar(range(len(runs)), [r["commands_per_s"] for r in runs], color="tab:orange")
    right.set_xticks(range(len(runs)), labels, fontsize=8)
    right.set_ylabel("commands/s, every id answered once")
    right.set_title("Sustained throughput")
    for name, floor in (("mix_commands_per_s", 2500), ("distinct_commands_per_s", 800)):
        right.axhline(floor, linestyle="--", linewidth=0.8, color="grey")
        right.annotate(f"floor {name.split('_')[0]} {floor}", (0, floor), fontsize=7, color="grey", va="bottom")
    load = report["machine"]["load_average_at_start"][0]
    fig.suptitle(f"nanoiot {report['model']['version']} on {report['machine']['cpus']} CPUs (load average {load} at start)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
