"""The scenario runner: say scripted commands through the gateway and check what the devices did.

For each command it publishes a CommandRequest as a panel would, waits for the
gateway's answer and for the devices' published state, and reports whether
every device ended in the expected state. Latency is measured from the
command being sent to the expected devices publishing their new state
(`latency_ms`), and to the state being final, e.g. a cover that stopped
moving (`settle_ms`). Steps may also inject faults through the fleet's
control topic, to script "pump 3 tripped, reset it".
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Literal

import paho.mqtt.client as mqtt
import structlog
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from firmware_sim import topics, yamlio
from firmware_sim.connection import Connection
from firmware_sim.expect import mismatches, state_matches
from firmware_sim.messages import ControlAck, ControlRequest, DeviceError
from firmware_sim.speakers import Source, Speaker
from nanoiot.contract import percentile
from nanoiot.registry import Registry

log = structlog.get_logger()

SCENARIOS_DIR = Path(__file__).parent / "scenarios"
GRACE_S = 0.3  # after a result that actuates nothing, how long to watch for devices changing anyway
MOVING = {"opening", "closing", "returning"}  # states that change by themselves: wait for them to end
SILENT_ABORT = 3  # consecutive commands without any gateway answer: the gateway is down, stop


class ScenarioError(RuntimeError):
    """The scenario cannot run: bad file, unknown device, devices not online."""


class Inject(BaseModel):
    """What to do to one device through the fleet's control topic."""

    model_config = ConfigDict(extra="forbid")

    fault: str | None = None
    severity: Literal["warning", "critical"] | None = None
    set: dict[str, Any] | None = None
    available: bool | None = None


class ExpectedDiagnosis(BaseModel):
    """What the gateway's diagnosis of a device's report must say (fields left out are not checked)."""

    model_config = ConfigDict(extra="forbid")

    fault: str | None = None
    severity: Literal["info", "warning", "critical"] | None = None


class ExpectedAction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service: str
    targets: list[str] | None = None


class Step(BaseModel):
    """One scripted command (`say`) or test-bench event (`inject`), and what should follow."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    say: str | None = None
    inject: dict[str, Inject] | None = None
    diagnosis: dict[str, ExpectedDiagnosis] = Field(default_factory=dict, description="device id -> the gateway's expected diagnosis")
    auto_action: str | None = Field(default=None, description="the service the gateway takes by itself on the diagnosed "
                                    "devices (seen on their command topics), or `none` for no automatic action")
    source: str | None = Field(default=None, alias="from", description="which panel says it (default: the scenario's)")
    status: Literal["ok", "not_understood", "rejected", "error"] = Field(default="ok", description="the gateway's expected answer")
    actions: list[ExpectedAction] | None = Field(default=None, description="services (and targets) the answer must contain")
    expect: dict[str, dict[str, Any]] = Field(default_factory=dict, description="device id -> expected partial state")
    errors: list[str] = Field(default_factory=list, description="devices expected to refuse the command (error event)")
    timeout_s: float | None = Field(default=None, gt=0)
    note: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Step":
        if (self.say is None) == (self.inject is None):
            raise ValueError("a step has either `say` or `inject`")
        if self.say is not None and not self.say.strip():
            raise ValueError("`say` is empty")
        if (self.diagnosis or self.auto_action) and self.inject is None:
            raise ValueError("`diagnosis` and `auto_action` belong to an `inject` step")
        if self.auto_action and not self.diagnosis:
            raise ValueError("`auto_action` needs `diagnosis` (the devices it is checked on)")
        return self

    @property
    def devices(self) -> set[str]:
        named = set(self.expect) | set(self.errors) | set(self.inject or ()) | set(self.diagnosis)
        for action in self.actions or ():
            named |= set(action.targets or ())
        return named


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str | None = None
    source: str = Field(default="test_bench", description="default panel for `say` steps")
    timeout_s: float = Field(default=5.0, gt=0)
    commands: list[Step] = Field(min_length=1)

    def check_devices(self, registry: Registry) -> None:
        known = {d.id for d in registry.devices}
        unknown = sorted({d for step in self.commands for d in step.devices} - known)
        if unknown:
            raise ScenarioError(f"scenario {self.name!r} names devices not in the registry: {', '.join(unknown)}")


def scenario_path(name: str | Path) -> Path:
    path = Path(name)
    if path.exists():
        return path
    shipped = SCENARIOS_DIR / f"{name}.yaml"
    if shipped.exists():
        return shipped
    raise ScenarioError(f"no scenario {name!r} (shipped: {', '.join(p.stem for p in sorted(SCENARIOS_DIR.glob('*.yaml')))})")


def load_scenario(name: str | Path) -> Scenario:
    path = scenario_path(name)
    try:
        return Scenario.model_validate(yamlio.load(path))
    except (ValidationError, ValueError, OSError) as exc:
        raise ScenarioError(f"scenario {path} is invalid: {exc}") from exc


class StepReport(BaseModel):
    """What happened for one step; `passed` means answer, actions and device states were all as expected."""

    index: int
    kind: Literal["say", "inject"]
    text: str
    source: str | None = None
    command_id: str | None = None
    status: str | None = Field(default=None, description="the gateway's answer, None if it never came")
    expected_status: str
    actions: list[dict[str, Any]] = Field(default_factory=list)
    error: dict[str, Any] | None = None
    expected: dict[str, dict[str, Any]] = Field(default_factory=dict, description="the step's expected partial states")
    states: dict[str, dict[str, Any] | None] = Field(default_factory=dict, description="device state after, for expected devices and action targets")
    device_errors: list[DeviceError] = Field(default_factory=list)
    diagnoses: dict[str, dict[str, Any] | None] = Field(default_factory=dict, description="the gateway's diagnosis per expected device")
    auto_actions: dict[str, list[str]] = Field(default_factory=dict, description="services seen on the diagnosed devices' command topics")
    states_ok: bool = True
    status_ok: bool = True
    actions_ok: bool = True
    failures: list[str] = Field(default_factory=list)
    latency_ms: float | None = Field(default=None, description="command sent -> expected devices published their new state")
    settle_ms: float | None = Field(default=None, description="command sent -> every expectation met (covers stopped)")
    answer_ms: float | None = Field(default=None, description="command sent -> gateway's answer received")
    gateway_ms: float | None = Field(default=None, description="the gateway's own latency_ms")

    @property
    def passed(self) -> bool:
        return self.states_ok and self.status_ok and self.actions_ok


class Summary(BaseModel):
    commands: int
    understood: int = Field(description="commands the gateway answered ok")
    status_as_expected: int
    with_expectations: int = Field(description="commands with expected device states")
    devices_ok: int = Field(description="of those, commands that addressed the expected devices and left them in the expected state")
    passed: int
    answered: int
    latency_p50_ms: float | None
    latency_p90_ms: float | None
    latency_p99_ms: float | None
    settle_p50_ms: float | None
    settle_p99_ms: float | None
    answer_p50_ms: float | None
    aborted: str | None = None


class ScenarioReport(BaseModel):
    scenario: str
    site: str
    steps: list[StepReport]
    summary: Summary


def _ms(values: list[float], q: float) -> float | None:
    """A latency percentile, to 0.1 ms."""
    value = percentile(values, q)
    return None if value is None else round(value, 1)


def summarize(steps: list[StepReport], aborted: str | None = None) -> Summary:
    said = [s for s in steps if s.kind == "say"]
    latencies = [s.latency_ms for s in said if s.latency_ms is not None]
    settles = [s.settle_ms for s in said if s.settle_ms is not None]
    answers = [s.answer_ms for s in said if s.answer_ms is not None]
    expecting = [s for s in said if s.states]
    return Summary(
        commands=len(said),
        understood=sum(s.status == "ok" for s in said),
        status_as_expected=sum(s.status_ok for s in said),
        with_expectations=len(expecting),
        devices_ok=sum(s.states_ok and s.actions_ok for s in expecting),
        passed=sum(s.passed for s in said),
        answered=sum(s.status is not None for s in said),
        latency_p50_ms=_ms(latencies, 50), latency_p90_ms=_ms(latencies, 90), latency_p99_ms=_ms(latencies, 99),
        settle_p50_ms=_ms(settles, 50), settle_p99_ms=_ms(settles, 99),
        answer_p50_ms=_ms(answers, 50),
        aborted=aborted,
    )


def _actuated(actions: list[dict[str, Any]]) -> set[str]:
    """Devices the answer's actions change (a query changes nothing, so nothing is awaited from it)."""
    return {t for a in actions if not str(a.get("service", "")).startswith("query.") for t in a.get("targets") or []}


class _DeviceView:
    """The last state of one device and every state message since the current step began."""

    def __init__(self) -> None:
        self.state: dict[str, Any] | None = None
        self.history: list[tuple[float, dict[str, Any]]] = []
        self.errors: list[DeviceError] = []
        self.diagnoses: list[dict[str, Any]] = []
        self.commands: list[dict[str, Any]] = []  # what arrived on its command topic (watched devices only)


class ScenarioRunner:
    """Owns one MQTT connection that plays every panel and watches every device of the registry."""

    def __init__(
        self,
        registry: Registry,
        host: str,
        port: int,
        site: str | None = None,
        prefix: str = topics.PREFIX,
        on_step: Callable[[StepReport], None] | None = None,
    ) -> None:
        self.registry = registry
        self.site = site or registry.site or "home"
        self.prefix = prefix
        self.on_step = on_step
        self._cond = threading.Condition()
        self._views = {d.id: _DeviceView() for d in registry.devices}
        self._by_state = {topics.state_topic(d, self.site, prefix): d.id for d in registry.devices}
        self._by_error = {topics.error_topic(d, self.site, prefix): d.id for d in registry.devices}
        self._by_diagnosis = {topics.diagnosis_topic(self.site, d.object_id, prefix): d.id for d in registry.devices}
        self._by_command = {topics.command_topic(d, self.site, prefix): d.id for d in registry.devices}
        self._watching_commands: set[str] = set()
        self._results: dict[str, tuple[float, dict[str, Any]]] = {}
        self._acks: dict[str, list[ControlAck]] = {}
        self._fleets: dict[str, str] = {}
        self._speakers: dict[str, Speaker] = {}
        self._adhoc = 0
        self.control_topic = topics.control_topic(self.site, prefix)
        self._fleet_filter = topics.fleet_availability_topic(self.site, "+", prefix)
        self.connection = Connection(
            f"firmware-sim-scenario-{self.site}", host, port, self._on_message,
            topics=[*self._by_state, *self._by_error, f"{self.control_topic}/ack", self._fleet_filter,
                    topics.diagnosis_topic(self.site, "+", prefix)],
        )

    # -- plumbing -----------------------------------------------------------------------------

    def connect(self, timeout: float = 10.0) -> "ScenarioRunner":
        self.connection.connect(timeout)
        return self

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "ScenarioRunner":
        return self.connect()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def speaker(self, source: str) -> Speaker:
        if source not in self._speakers:
            speaker = Speaker(Source(id=source), self.site, self.prefix)
            self.connection.subscribe([speaker.result_topic])
            self._speakers[source] = speaker
        return self._speakers[source]

    def _on_message(self, message: mqtt.MQTTMessage) -> None:
        now = time.monotonic()
        topic = message.topic
        try:
            payload = json.loads(message.payload) if message.payload else None
        except (json.JSONDecodeError, UnicodeDecodeError):
            log.warning("scenario.bad_message", topic=topic)
            return
        with self._cond:
            if topic in self._by_state and isinstance(payload, dict):
                view = self._views[self._by_state[topic]]
                view.state = payload
                view.history.append((now, payload))
            elif topic in self._by_error and isinstance(payload, dict):
                try:
                    self._views[self._by_error[topic]].errors.append(DeviceError.model_validate(payload))
                except ValidationError:
                    log.warning("scenario.bad_device_error", topic=topic)
            elif topic in self._by_diagnosis and isinstance(payload, dict):
                self._views[self._by_diagnosis[topic]].diagnoses.append(payload)
            elif topic in self._by_command and self._by_command[topic] in self._watching_commands:
                self._views[self._by_command[topic]].commands.append(payload if isinstance(payload, dict) else {})
            elif topic == f"{self.control_topic}/ack":
                try:
                    ack = ControlAck.model_validate(payload)
                except ValidationError:
                    return
                self._acks.setdefault(ack.id, []).append(ack)
            elif topic.startswith(self._fleet_filter.split("+")[0]) and topic.endswith("/availability"):
                if isinstance(payload, dict):
                    self._fleets[topic] = str(payload.get("state"))
            elif isinstance(payload, dict) and isinstance(payload.get("id"), str):
                self._results[payload["id"]] = (now, payload)
            self._cond.notify_all()

    def state(self, device_id: str) -> dict[str, Any] | None:
        with self._cond:
            view = self._views[device_id]
            return dict(view.state) if view.state is not None else None

    def wait_for_states(self, device_ids: set[str], timeout: float = 5.0) -> list[str]:
        """Wait for the retained state of each device; return those that never published one."""
        with self._cond:
            self._cond.wait_for(lambda: all(self._views[d].state is not None for d in device_ids), timeout)
            return sorted(d for d in device_ids if self._views[d].state is None)

    def control(self, request: ControlRequest, timeout: float = 5.0, all_fleets: bool = False) -> list[ControlAck]:
        """Send a control request; wait for one ack (or one per online fleet for `all_fleets`)."""
        with self._cond:
            online = sum(state == "online" for state in self._fleets.values())
        self.connection.publish(self.control_topic, request.model_dump_json(exclude_none=True))
        wanted = max(1, online) if all_fleets else 1
        with self._cond:
            self._cond.wait_for(lambda: len(self._acks.get(request.id, [])) >= wanted, timeout)
            return list(self._acks.get(request.id, []))

    def reset_fleets(self, timeout: float = 5.0) -> int:
        """Put every device of every online fleet back to its initial state; return the fleets that did."""
        acks = self.control(ControlRequest(id=f"reset-{uuid.uuid4().hex[:8]}", reset=True), timeout, all_fleets=True)
        return len(acks)

    # -- running ------------------------------------------------------------------------------

    def say(self, text: str, source: str, timeout: float = 5.0) -> StepReport:
        """One ad-hoc command with nothing expected of it (the interactive demo)."""
        self._adhoc += 1
        step = Step(say=text, source=source, timeout_s=timeout)
        return self._say(self._adhoc, step, Scenario(name="console", source=source, commands=[step]))

    def wait_settled(self, report: StepReport, timeout: float = 10.0) -> None:
        """Wait until no device in the report is still moving (covers, a vacuum driving home); refresh its states."""
        shown = [d for d in report.states if d in self._views]
        with self._cond:
            self._wait(lambda: not any((self._views[d].state or {}).get("state") in MOVING for d in shown), timeout)
            for device_id in shown:
                state = self._views[device_id].state
                report.states[device_id] = dict(state) if state is not None else None

    def run(self, scenario: Scenario, limit: int | None = None, reset: bool = True) -> ScenarioReport:
        """Run the steps in order (the first `limit` commands); never raises on a device or gateway failure."""
        scenario.check_devices(self.registry)
        steps = scenario.commands
        if limit is not None:
            said = 0
            kept = []
            for step in steps:
                if step.say is not None:
                    if said >= limit:
                        break
                    said += 1
                kept.append(step)
            steps = kept
        watched = {d for step in steps for d in step.devices}
        missing = self.wait_for_states(watched)
        if missing:
            raise ScenarioError(f"no state from {', '.join(missing[:10])}: is the fleet running on this broker and site?")
        if reset:
            self.reset_fleets()
        for source in {step.source or scenario.source for step in steps if step.say is not None}:
            self.speaker(source)
        reports: list[StepReport] = []
        silent = 0
        aborted = None
        for index, step in enumerate(steps, 1):
            report = self._inject(index, step, scenario) if step.inject else self._say(index, step, scenario)
            reports.append(report)
            if self.on_step:
                self.on_step(report)
            if report.kind == "say":
                silent = silent + 1 if report.status is None else 0
            if silent >= SILENT_ABORT:
                aborted = f"the gateway answered none of the last {SILENT_ABORT} commands"
                log.error("scenario.aborted", reason=aborted)
                break
        return ScenarioReport(scenario=scenario.name, site=self.site, steps=reports, summary=summarize(reports, aborted))

    def _begin(self, devices: set[str]) -> dict[str, dict[str, Any] | None]:
        """Forget every device's messages so far; snapshot the states the step is about."""
        with self._cond:
            for view in self._views.values():
                view.history.clear()
                view.errors.clear()
                view.diagnoses.clear()
                view.commands.clear()
            return {d: (dict(self._views[d].state) if self._views[d].state else None) for d in devices}

    def _say(self, index: int, step: Step, scenario: Scenario) -> StepReport:
        assert step.say is not None
        source = step.source or scenario.source
        speaker = self.speaker(source)
        request = speaker.request(step.say, f"{scenario.name}-{index}-{uuid.uuid4().hex[:8]}")
        command_id = request.id or ""
        timeout = step.timeout_s or scenario.timeout_s
        before = self._begin(step.devices)
        sent = time.monotonic()
        self.connection.publish(speaker.command_topic, request.model_dump_json(exclude_none=True))
        with self._cond:
            self._wait(lambda: self._say_done(step, command_id, sent), timeout)
            answer = self._results.get(command_id)
            if answer and (answer[1].get("status") != "ok" or step.status != "ok"):
                self._cond.wait_for(lambda: False, max(0.0, GRACE_S - (time.monotonic() - answer[0])))
            report = self._report(index, step, source, command_id, sent, before, answer)
        log.info("scenario.step", index=index, text=step.say, status=report.status, passed=report.passed,
                 latency_ms=report.latency_ms)
        return report

    def _wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Condition wait that also re-checks every 50 ms: some predicates turn true with time alone."""
        deadline = time.monotonic() + timeout
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._cond.wait(min(0.05, left))
        return True

    def _say_done(self, step: Step, command_id: str, sent: float) -> bool:
        answer = self._results.get(command_id)
        if answer is None:
            return False
        result = answer[1]
        if result.get("status") != "ok" or step.status != "ok":
            return True
        targets = _actuated(result.get("actions") or [])
        for device_id in step.errors:
            if not self._views[device_id].errors and device_id in targets:
                return False
        for device_id, expected in step.expect.items():
            view = self._views[device_id]
            if device_id not in targets:
                if time.monotonic() - answer[0] < GRACE_S:
                    return False  # not actuated by this answer; give a stray update a moment, then judge
                continue
            if view.errors:
                continue  # the device refused: its state will not change
            if not view.history:
                return False
            if not state_matches(expected, view.state) and (
                    view.state.get("state") in MOVING or time.monotonic() - view.history[-1][0] < GRACE_S):
                return False  # still moving, or not quiet for long enough to call it final
        # Actuated devices that nothing was expected of must still have answered (for the table).
        return all(self._views[t].history or self._views[t].errors for t in targets if t in self._views)

    def _report(
        self, index: int, step: Step, source: str, command_id: str, sent: float,
        before: dict[str, dict[str, Any] | None], answer: tuple[float, dict[str, Any]] | None,
    ) -> StepReport:
        result = answer[1] if answer else {}
        report = StepReport(
            index=index, kind="say", text=step.say or "", source=source, command_id=command_id,
            status=result.get("status"), expected_status=step.status,
            actions=[a for a in result.get("actions") or [] if isinstance(a, dict)],
            error=result.get("error") if isinstance(result.get("error"), dict) else None, expected=step.expect,
        )
        if answer is None:
            report.status_ok = False
            report.failures.append("no answer from the gateway")
        else:
            report.answer_ms = round((answer[0] - sent) * 1000, 1)
            gateway_ms = result.get("latency_ms")
            report.gateway_ms = float(gateway_ms) if isinstance(gateway_ms, (int, float)) else None
            if report.status != step.status:
                report.status_ok = False
                why = f" ({report.error.get('message')})" if report.error else ""
                report.failures.append(f"answer {report.status}{why}, expected {step.status}")
        self._check_actions(step, report)
        self._check_states(step, report, sent, before)
        return report

    def _check_actions(self, step: Step, report: StepReport) -> None:
        if report.status == "ok" and step.status == "ok":
            addressed = {t for a in report.actions for t in a.get("targets") or []}
            for device_id in step.expect:
                if device_id not in addressed:
                    report.actions_ok = False
                    report.failures.append(f"the answer does not address {device_id}")
        for wanted in step.actions or ():
            found = [a for a in report.actions if a.get("service") == wanted.service]
            if not found or (wanted.targets is not None and not any(sorted(a.get("targets") or []) == sorted(wanted.targets) for a in found)):
                report.actions_ok = False
                targets = f" on {', '.join(wanted.targets)}" if wanted.targets else ""
                report.failures.append(f"expected action {wanted.service}{targets}")

    def _check_states(self, step: Step, report: StepReport, sent: float, before: dict[str, dict[str, Any] | None]) -> None:
        targets = [t for a in report.actions for t in a.get("targets") or [] if t in self._views]
        shown = list(dict.fromkeys([*step.expect, *targets]))
        actuated = _actuated(report.actions)
        reacted: list[float] = []
        settled: list[float] = []
        for device_id in shown:
            view = self._views[device_id]
            report.states[device_id] = dict(view.state) if view.state is not None else None
            report.device_errors += view.errors
            first = self._first_reaction(view, step.expect.get(device_id), before.get(device_id))
            if first is not None and (device_id in actuated or device_id in step.expect):
                reacted.append(first)
        for device_id, expected in step.expect.items():
            view = self._views[device_id]
            if not state_matches(expected, view.state):
                report.states_ok = False
                report.failures += [f"{device_id} {line}" for line in mismatches(expected, view.state)]
            else:
                matched_at = next((t for t, s in view.history if state_matches(expected, s)), None)
                if matched_at is not None:
                    settled.append(matched_at)
        for device_id in step.errors:
            if not self._views[device_id].errors:
                report.states_ok = False
                report.failures.append(f"{device_id} did not refuse the command")
        unexpected = [e for e in report.device_errors if e.device not in step.errors]
        for error in unexpected:
            report.states_ok = False
            report.failures.append(f"{error.device} refused: {error.message}")
        if reacted and report.states_ok:
            report.latency_ms = round((max(reacted) - sent) * 1000, 1)
        if settled and report.states_ok and len(settled) == len(step.expect):
            report.settle_ms = round((max(settled) - sent) * 1000, 1)

    @staticmethod
    def _first_reaction(view: _DeviceView, expected: dict[str, Any] | None, before: dict[str, Any] | None) -> float | None:
        """When the device first published a state that answers the command (not a telemetry tick)."""
        for at, state in view.history:
            if expected is None or before is None:
                return at
            if state_matches(expected, state) or any(state.get(k) != before.get(k) for k in expected):
                return at
        return None

    def _inject(self, index: int, step: Step, scenario: Scenario) -> StepReport:
        assert step.inject is not None
        text = "; ".join(f"{device}: {change.model_dump(exclude_none=True)}" for device, change in step.inject.items())
        report = StepReport(index=index, kind="inject", text=text, expected_status="ok", expected=step.expect)
        watch = [d for d in step.diagnosis if d not in self._watching_commands] if step.auto_action else []
        if watch:  # the gateway's automatic actions are seen where the device gets them
            self._watching_commands.update(watch)
            self.connection.subscribe([t for t, d in self._by_command.items() if d in watch])
        before = self._begin(step.devices)
        sent = time.monotonic()
        for device_id, change in step.inject.items():
            request = ControlRequest(id=f"inject-{uuid.uuid4().hex[:8]}", device=device_id, **change.model_dump(exclude_none=True))
            acks = self.control(request)
            if not acks:
                report.status_ok = False
                report.failures.append(f"no fleet owns {device_id} (no control ack)")
            elif acks[0].error:
                report.status_ok = False
                report.failures.append(f"{device_id}: {acks[0].error}")
        with self._cond:
            self._cond.wait_for(lambda: all(state_matches(e, self._views[d].state) for d, e in step.expect.items()),
                                step.timeout_s or scenario.timeout_s)
            if step.diagnosis:
                self._wait(lambda: self._diagnosed(step), step.timeout_s or scenario.timeout_s)
                if step.auto_action == "none":
                    self._cond.wait_for(lambda: False, GRACE_S)  # an automatic action would follow its diagnosis at once
                self._check_diagnoses(step, report)
            report.status = "ok" if report.status_ok else "error"
            self._check_states(step, report, sent, before)
        return report

    def _services(self, device_id: str) -> list[str]:
        return [str(c.get("service") or "native") for c in self._views[device_id].commands]

    def _diagnosed(self, step: Step) -> bool:
        """Every expected device has a diagnosis (and, when one is expected, the automatic action arrived)."""
        for device_id in step.diagnosis:
            view = self._views[device_id]
            if not view.diagnoses:
                return False
            if step.auto_action not in (None, "none") and step.auto_action not in self._services(device_id):
                return False
        return True

    def _check_diagnoses(self, step: Step, report: StepReport) -> None:
        for device_id, wanted in step.diagnosis.items():
            view = self._views[device_id]
            got = view.diagnoses[-1] if view.diagnoses else None
            report.diagnoses[device_id] = got
            if got is None:
                report.states_ok = False
                report.failures.append(f"no diagnosis of {device_id}")
                continue
            for key, value in wanted.model_dump(exclude_none=True).items():
                if got.get(key) != value:
                    report.states_ok = False
                    report.failures.append(f"{device_id} diagnosis {key} {got.get(key)!r}, expected {value!r}")
            if step.auto_action is None:
                continue
            services = self._services(device_id)
            report.auto_actions[device_id] = services
            if step.auto_action == "none" and services:
                report.states_ok = False
                report.failures.append(f"the gateway took {', '.join(services)} on {device_id} by itself")
            elif step.auto_action != "none" and step.auto_action not in services:
                report.states_ok = False
                report.failures.append(f"the gateway did not take {step.auto_action} on {device_id}")
