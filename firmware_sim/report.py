"""Readable output of a scenario run: one table row per step as it completes, then a summary."""

from __future__ import annotations

from typing import Any, TextIO

from firmware_sim.scenario import ScenarioReport, StepReport, Summary

# The keys worth showing per domain when a step expects nothing in particular.
SHOWN_KEYS: dict[str, tuple[str, ...]] = {
    "light": ("state", "brightness", "color", "color_temp"),
    "switch": ("state",),
    "climate": ("system_mode", "current_heating_setpoint", "local_temperature"),
    "lock": ("state",),
    "cover": ("state", "position"),
    "fan": ("state", "percentage"),
    "vacuum": ("state",),
    "valve": ("state", "position"),
    "machine": ("state", "speed_pct", "fault"),
}
SHORT = {"brightness": "bri", "color_temp": "ct", "current_heating_setpoint": "set", "local_temperature": "room",
         "position": "pos", "percentage": "pct", "speed_pct": "speed", "system_mode": "mode", "color": "color"}
COLUMNS = (("#", 4), ("command", 46), ("actions", 52), ("device state after", 50), ("ms", 7), ("", 4))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _value(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"hex"}:
        return str(value["hex"])
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def format_actions(step: StepReport) -> str:
    if step.kind == "inject":
        diagnosed = []
        for device_id, diagnosis in step.diagnoses.items():
            if diagnosis:
                auto = ",".join(step.auto_actions.get(device_id, []))
                diagnosed.append(f"diagnosis {diagnosis.get('fault')}/{diagnosis.get('severity')}" + (f" auto {auto}" if auto else ""))
        return "; ".join(diagnosed) or "(test bench)"
    if step.status is None:
        return "(no answer)"
    if step.status != "ok":
        code = (step.error or {}).get("code", "")
        return f"{step.status}: {code}" if code else step.status
    parts = []
    for action in step.actions:
        targets = ",".join(str(t).split(".", 1)[-1] for t in action.get("targets") or [])
        data = " ".join(f"{k}={_value(v)}" for k, v in (action.get("data") or {}).items())
        parts.append(" ".join(p for p in (action.get("service", "?"), targets, data) if p))
    return "; ".join(parts) or "(no action)"


def format_states(step: StepReport) -> str:
    parts = []
    for device_id, state in step.states.items():
        name = device_id.split(".", 1)[-1]
        if state is None:
            parts.append(f"{name}: ?")
            continue
        keys = list(step.expected.get(device_id) or ()) or [k for k in SHOWN_KEYS.get(device_id.split(".")[0], tuple(state)) if k in state]
        if not step.expected.get(device_id) and "color_mode" in state:  # show the colour the bulb is in, not both
            keys = [k for k in keys if k != ("color_temp" if state["color_mode"] == "xy" else "color")]
        if state.get("state") == "OFF":
            keys = ["state"]
        values = " ".join(_value(state[k]) if k == "state" else f"{SHORT.get(k, k)}={_value(state[k])}"
                          for k in keys if state.get(k) is not None)
        parts.append(f"{name}: {values}")
    for error in step.device_errors:
        parts.append(f"{error.device.split('.', 1)[-1]} refused: {error.code}")
    return "; ".join(parts) or "-"


def header() -> str:
    return " ".join(name.ljust(width) for name, width in COLUMNS).rstrip() + "\n" + " ".join("-" * w for _, w in COLUMNS)


def row(step: StepReport) -> str:
    latency = step.settle_ms if step.settle_ms is not None else step.latency_ms
    if latency is None:
        latency = step.answer_ms
    cells = (
        str(step.index), f'"{step.text}"' if step.kind == "say" else step.text, format_actions(step),
        format_states(step), f"{latency:.0f}" if latency is not None else "-",
        "ok" if step.passed else "FAIL",
    )
    line = " ".join(_cut(cell, width).ljust(width) for cell, (_, width) in zip(cells, COLUMNS)).rstrip()
    if not step.passed and step.failures:
        line += "\n" + " " * (COLUMNS[0][1] + 1) + "↳ " + "; ".join(step.failures)
    return line


def _ms(value: float | None) -> str:
    return f"{value:.0f} ms" if value is not None else "n/a"


def summary_text(summary: Summary) -> str:
    lines = [
        f"commands understood:            {summary.understood}/{summary.commands}"
        f"  (answer as expected: {summary.status_as_expected}/{summary.commands})",
        f"devices in the expected state:  {summary.devices_ok}/{summary.with_expectations} commands",
        f"commands fully as expected:     {summary.passed}/{summary.commands}",
        f"latency, command to device state: p50 {_ms(summary.latency_p50_ms)}, p90 {_ms(summary.latency_p90_ms)},"
        f" p99 {_ms(summary.latency_p99_ms)}",
        f"until settled (covers stopped):  p50 {_ms(summary.settle_p50_ms)}, p99 {_ms(summary.settle_p99_ms)};"
        f" gateway answer p50 {_ms(summary.answer_p50_ms)}",
    ]
    if summary.aborted:
        lines.append(f"ABORTED: {summary.aborted}")
    return "\n".join(lines)


def print_report(report: ScenarioReport, out: TextIO) -> None:
    """The whole table at once (the live path prints rows through `row` as steps finish)."""
    print(header(), file=out)
    for step in report.steps:
        print(row(step), file=out)
    print(summary_text(report.summary), file=out)
