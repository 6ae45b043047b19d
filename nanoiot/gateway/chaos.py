"""`nanoiot chaos`: inject faults into a running broker + gateway and count what happened to every command.

    nanoiot chaos --duration 60                 # every scenario, ~60 s of load each, then
                                                # regenerate the figures in docs/reliability.md
    nanoiot chaos --only soak --duration 600 --rate 500 --no-write

Each scenario runs a private Mosquitto, the gateway as a real process (`python -m nanoiot
gateway`, the shipped model) and a sender that publishes QoS 1 commands with ids and
retries one left unanswered for `retry_s` with the *same* id (as docs/protocol.md asks of
senders). Counted per id: results, device messages (a machine payload carries the
command id, so a second actuation is visible), and latency from first send to first
result. The CI tests (tests/test_gateway_chaos.py) run the same scenarios, bounded.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

COMMAND = "stop conveyor B"  # machine.stop: not a dangerous action, and its device payload carries the id
REGISTRY = {"site": "chaos", "devices": [
    {"id": "machine.conveyor_b", "name": "conveyor b", "area": "packing line", "domain": "machine"},
    {"id": "light.porch", "name": "porch light", "area": "porch", "domain": "light"},
]}
DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
BEGIN = "<!-- BEGIN CHAOS FIGURES: nanoiot chaos --duration S -->"
END = "<!-- END CHAOS FIGURES -->"


@dataclass
class Figures:
    """What one scenario measured."""

    name: str
    injects: str
    sent: int = 0
    answered: int = 0
    lost: int = 0
    answered_twice: int = 0  # the sender retried and got the recorded answer again: fine
    actuated_twice: int = 0  # a device message for the same id twice: must stay 0
    retries: int = 0
    crashes: int = 0  # a gateway exit we did not cause
    latency_ms: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


class Sender:
    """Publishes commands with ids at a rate, retries unanswered ones, counts answers and device messages per id."""

    def __init__(self, host: str, port: int, site: str, source: str = "line", retry_s: float = 5.0) -> None:
        import paho.mqtt.client as mqtt
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        self.site, self.source, self.retry_s = site, source, retry_s
        self.first_sent: dict[str, float] = {}
        self.last_sent: dict[str, float] = {}
        self.answered_at: dict[str, float] = {}
        self.results: collections.Counter[str] = collections.Counter()
        self.statuses: collections.Counter[str] = collections.Counter()
        self.device: collections.Counter[str] = collections.Counter()
        self.retries = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"chaos-{uuid.uuid4().hex[:8]}", protocol=mqtt.MQTTv5)
        self.client.max_inflight_messages_set(0)
        self.client.max_queued_messages_set(0)
        self.client.reconnect_delay_set(0.1, 1.0)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.client.on_message = self._on_message
        # Subscribed like a real device: a persistent session, so what the gateway publishes while
        # this client is still reconnecting after a broker restart waits for it at the broker.
        # clean_start=False from the first connect: Mosquitto 2.0 writes only such sessions to its
        # snapshot, whatever their expiry (a clean first connect is forgotten by a crash).
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 300
        self.client.connect(host, port, clean_start=False, properties=props)
        self.client.loop_start()
        if not self._subscribed.wait(15):
            raise RuntimeError("the chaos sender could not subscribe")
        self._retrier = threading.Thread(target=self._retry, daemon=True)
        self._retrier.start()

    def _on_connect(self, client: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if not reason.is_failure:  # a killed broker forgets our subscription: always subscribe again
            client.subscribe([(f"nanoiot/{self.site}/result/{self.source}", 1), (f"nanoiot/{self.site}/device/+/set", 1)])

    def _on_message(self, _c: Any, _u: Any, message: Any) -> None:
        try:
            body = json.loads(message.payload)
        except ValueError:
            return
        now = time.monotonic()
        with self._lock:
            if "/device/" in message.topic:
                self.device[str(body.get("id"))] += 1
            else:
                command_id = str(body.get("id"))
                self.results[command_id] += 1
                if self.results[command_id] == 1:  # an id's first answer; a second is counted in answered_twice
                    self.statuses[body.get("status") if body.get("status") != "error" else f"error.{(body.get('error') or {}).get('code')}"] += 1
                self.answered_at.setdefault(command_id, now)

    def publish(self, command_id: str) -> None:
        now = time.monotonic()
        with self._lock:
            self.first_sent.setdefault(command_id, now)
            self.last_sent[command_id] = now
        self.client.publish(f"nanoiot/{self.site}/command/{self.source}", json.dumps({"id": command_id, "text": COMMAND}), qos=1)

    def stream(self, n: int, rate: float, prefix: str = "c", during: Callable[[int], None] | None = None) -> None:
        """Send n commands at `rate`/s; `during(i)` is called before command i (for fault injection)."""
        start = time.monotonic()
        for i in range(n):
            if during is not None:
                during(i)
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.publish(f"{prefix}-{i}")

    def _retry(self) -> None:
        while not self._stop.wait(0.5):
            now = time.monotonic()
            with self._lock:
                due = [i for i, t in self.last_sent.items() if i not in self.answered_at and now - t > self.retry_s]
            for command_id in due:
                self.retries += 1
                self.publish(command_id)

    def wait_answered(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.answered_at) >= len(self.first_sent):
                    return True
            time.sleep(0.1)
        return False

    def latencies(self, since: float = 0.0, until: float = float("inf")) -> list[float]:
        with self._lock:
            return sorted((self.answered_at[i] - t) * 1000 for i, t in self.first_sent.items()
                          if i in self.answered_at and since <= t < until)

    def figures(self, fig: Figures) -> Figures:
        time.sleep(0.5)  # a second answer or device message would arrive now
        with self._lock:
            fig.sent = len(self.first_sent)
            fig.answered = len(self.answered_at)
            fig.lost = fig.sent - fig.answered
            fig.answered_twice = sum(1 for v in self.results.values() if v > 1)
            fig.actuated_twice = sum(1 for v in self.device.values() if v > 1)
            fig.retries = self.retries
            fig.extra["statuses"] = dict(self.statuses)
            fig.extra["not_actuated"] = sum(1 for i in self.first_sent if self.device[i] == 0)
        fig.latency_ms = percentiles(self.latencies())
        return fig

    def close(self) -> None:
        self._stop.set()
        self.client.disconnect()
        self.client.loop_stop()


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    pick = lambda q: round(values[min(len(values) - 1, int(q * len(values)))], 1)  # noqa: E731
    return {"p50": pick(0.5), "p95": pick(0.95), "p99": pick(0.99), "max": round(values[-1], 1)}


class GatewayProcess:
    """`python -m nanoiot gateway` as a child process, its log in a file."""

    def __init__(self, workdir: Path, host: str, port: int, site: str, gateway_id: str, shared_group: str | None = None) -> None:
        self.workdir, self.gateway_id = workdir, gateway_id
        self.args = [sys.executable, "-m", "nanoiot", "gateway", "--broker", f"{host}:{port}", "--registry", str(workdir / "registry.json"),
                     "--site", site, "--gateway-id", gateway_id, "--state-dir", str(workdir / "state"), "--log-format", "json"]
        if shared_group:
            self.args += ["--shared-group", shared_group]
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> "GatewayProcess":
        env = {k: v for k, v in os.environ.items() if not k.startswith("NANOIOT_") and k != "NOTIFY_SOCKET"}
        env["PYTHONUNBUFFERED"] = "1"
        self.starts += 1
        with open(self.workdir / f"{self.gateway_id}-{self.starts}.log", "wb") as log:
            self.proc = subprocess.Popen(self.args, env=env, stdout=log, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, timeout: float = 120.0) -> bool:
        log = self.workdir / f"{self.gateway_id}-{self.starts}.log"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            if log.exists() and b'"gateway.ready"' in log.read_bytes():
                return True
            time.sleep(0.1)
        return False

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def terminate(self, timeout: float = 30.0) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def rss_kb(self) -> int:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()  # type: ignore[union-attr]
        except (OSError, AttributeError):
            return 0
        match = re.search(r"VmRSS:\s+(\d+)", status)
        return int(match.group(1)) if match else 0

    def crashed(self) -> bool:
        """Exited on its own (not by our signals)."""
        return self.proc is not None and self.proc.poll() is not None and self.proc.returncode not in (0, -signal.SIGKILL, -signal.SIGTERM)


BROKER_DURABLE = "autosave_on_changes true\nautosave_interval 1\n"


class Stage:
    """A private broker and a work directory with the registry, torn down on exit."""

    def __init__(self, broker_config: str = "") -> None:
        self.broker_config = broker_config

    def __enter__(self) -> "Stage":
        from nanoiot.broker import LocalBroker

        self.workdir = Path(tempfile.mkdtemp(prefix="nanoiot-chaos-"))
        (self.workdir / "registry.json").write_text(json.dumps(REGISTRY))
        self.broker = LocalBroker(extra_config=self.broker_config).start()
        self.site = f"c{uuid.uuid4().hex[:6]}"
        self.gateways: list[GatewayProcess] = []
        return self

    def gateway(self, gateway_id: str, shared_group: str | None = None) -> GatewayProcess:
        gw = GatewayProcess(self.workdir, self.broker.host, self.broker.port, self.site, gateway_id, shared_group).start()
        self.gateways.append(gw)
        if not gw.wait_ready():
            raise RuntimeError(f"gateway {gateway_id} did not get ready; see {self.workdir}")
        return gw

    def sender(self, retry_s: float = 5.0) -> Sender:
        return Sender(self.broker.host, self.broker.port, self.site, retry_s=retry_s)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.workdir.glob("*.log")))

    def __exit__(self, *exc: object) -> None:
        for gw in self.gateways:
            gw.kill()
        self.broker.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def broker_kill(n: int = 300, rate: float = 100.0, kills: int = 2, seed: int = 1) -> Figures:
    """SIGKILL the broker `kills` times during a stream of QoS 1 commands, restart it at once."""
    rng = random.Random(seed)
    fig = Figures("broker SIGKILL", f"Mosquitto SIGKILLed {kills}x mid-stream and restarted after 0.5 s")
    at = sorted(rng.sample(range(n // 10, n), kills))
    start = time.monotonic()
    # A broker that must not lose acknowledged messages to a crash snapshots on every change
    # (deploy/mosquitto/mosquitto.conf explains the trade); Mosquitto's default snapshot is periodic.
    with Stage(broker_config=BROKER_DURABLE) as stage:
        gw = stage.gateway("g1")
        sender = stage.sender()

        def during(i: int) -> None:
            if i in at:
                stage.broker.kill()
                time.sleep(0.5)
                stage.broker.start()

        try:
            sender.stream(n, rate, during=during)
            sender.wait_answered(60 + n / 50)
            fig = sender.figures(fig)
            fig.crashes = int(gw.crashed())
        finally:
            sender.close()
    fig.seconds = round(time.monotonic() - start, 1)
    return fig


def gateway_kill(n: int = 300, rate: float = 100.0, kills: int = 2, seed: int = 2) -> Figures:
    """SIGKILL the gateway at random points of a stream (mid-batch, between device messages and ack), restart it."""
    rng = random.Random(seed)
    fig = Figures("gateway SIGKILL", f"the gateway SIGKILLed {kills}x at random points and restarted")
    at = sorted(rng.sample(range(n // 10, n), kills))
    start = time.monotonic()
    with Stage() as stage:
        gw = stage.gateway("g1")
        sender = stage.sender()
        crashes = 0

        def during(i: int) -> None:
            nonlocal crashes
            if i in at:
                time.sleep(rng.uniform(0.0, 0.2))
                crashes += int(gw.crashed())
                gw.kill()
                gw.start()  # not waited for: commands keep coming and queue at the broker

        try:
            sender.stream(n, rate, during=during)
            sender.wait_answered(120 + n / 50)
            fig = sender.figures(fig)
            fig.crashes = crashes + int(gw.crashed())
        finally:
            sender.close()
    fig.seconds = round(time.monotonic() - start, 1)
    return fig


def shared_kill(n: int = 300, rate: float = 100.0, seed: int = 3) -> Figures:
    """Two gateways on a shared subscription; one is SIGKILLed mid-stream and stays dead."""
    rng = random.Random(seed)
    fig = Figures("shared subscription, one worker killed", "2 gateways in a $share group; one SIGKILLed mid-stream, not restarted")
    at = rng.randrange(n // 4, n // 2)
    start = time.monotonic()
    with Stage() as stage:
        first = stage.gateway("w1", shared_group="g")
        second = stage.gateway("w2", shared_group="g")
        sender = stage.sender(retry_s=3.0)

        def during(i: int) -> None:
            if i == at:
                first.kill()

        try:
            sender.stream(n, rate, during=during)
            sender.wait_answered(60 + n / 50)
            fig = sender.figures(fig)
            fig.crashes = int(second.crashed())
            fig.extra["killed_at"] = at
        finally:
            sender.close()
    fig.seconds = round(time.monotonic() - start, 1)
    return fig


def sigterm_drain(n: int = 300) -> Figures:
    """SIGTERM while commands are queued: the gateway answers what it took before it exits."""
    fig = Figures("SIGTERM drain", "SIGTERM while a burst is queued; then a second gateway answers the rest")
    start = time.monotonic()
    with Stage() as stage:
        gw = stage.gateway("g1")
        sender = stage.sender(retry_s=1e9)  # no retries: the broker's redelivery must do it
        try:
            sender.stream(n, 1e6)
            deadline = time.monotonic() + 30
            while not sender.answered_at and time.monotonic() < deadline:
                time.sleep(0.01)
            at_sigterm = len(sender.answered_at)
            code = gw.terminate()
            log = (stage.workdir / "g1-1.log").read_text(errors="replace")
            stopped = [json.loads(line) for line in log.splitlines() if '"gateway.stopped"' in line]
            by_first = len(sender.answered_at)
            stage.gateway("g1")  # same id: the persistent session hands it the rest
            sender.wait_answered(60 + n / 20)
            fig = sender.figures(fig)
            fig.crashes = int(code != 0)
            fig.extra.update(exit_code=code, answered_at_sigterm=at_sigterm, answered_by_first=by_first,
                             left_unacknowledged=stopped[0]["left_unacknowledged"] if stopped else None)
        finally:
            sender.close()
    fig.seconds = round(time.monotonic() - start, 1)
    return fig


def flood(seconds: float = 10.0, flood_rate: float = 500.0, calm_rate: float = 5.0, limited: bool = True) -> Figures:
    """One source floods (past its rate limit, or with none); another sends calmly: its latency before and during."""
    limit = "against a 20/s limit" if limited else "with no rate limit"
    fig = Figures(f"one source floods ({'limited' if limited else 'no limit'})",
                  f"source 'flood' at {flood_rate:g}/s {limit}; 'line' at {calm_rate:g}/s")
    start = time.monotonic()
    with Stage() as stage:
        config = stage.workdir / "gateway.toml"
        config.write_text("[rate_limit.sources.flood]\nrate_per_s = 20\nburst = 20\n" if limited else "")
        gw = GatewayProcess(stage.workdir, stage.broker.host, stage.broker.port, stage.site, "g1")
        gw.args += ["--config", str(config)]
        stage.gateways.append(gw.start())
        if not gw.wait_ready():
            raise RuntimeError(f"gateway did not get ready; see {stage.workdir}")
        calm = stage.sender()
        flooder = Sender(stage.broker.host, stage.broker.port, stage.site, source="flood", retry_s=1e9)
        try:
            calm.stream(int(seconds * calm_rate), calm_rate, prefix="quiet")
            quiet = percentiles(calm.latencies())
            mark = time.monotonic()
            thread = threading.Thread(target=flooder.stream, args=(int(seconds * flood_rate), flood_rate, "f"), daemon=True)
            thread.start()
            calm.stream(int(seconds * calm_rate), calm_rate, prefix="busy")
            thread.join()
            flooder.wait_answered(120)
            calm.wait_answered(30)
            busy = percentiles(calm.latencies(since=mark))
            fig = calm.figures(fig)
            flood_fig = flooder.figures(Figures("flood", ""))
            fig.crashes = int(gw.crashed())
            fig.extra.update(calm_latency_quiet_ms=quiet, calm_latency_during_flood_ms=busy, flood_sent=flood_fig.sent,
                             flood_answered=flood_fig.answered, flood_statuses=flood_fig.extra["statuses"])
        finally:
            calm.close()
            flooder.close()
    fig.seconds = round(time.monotonic() - start, 1)
    return fig


def soak(seconds: float = 60.0, rate: float = 500.0) -> Figures:
    """Steady load for `seconds`: RSS growth of the gateway and latency drift (first vs last tenth)."""
    fig = Figures("soak", f"{rate:g} commands/s for {seconds:g} s")
    start = time.monotonic()
    with Stage() as stage:
        gw = stage.gateway("g1")
        sender = stage.sender(retry_s=30.0)
        samples: list[tuple[float, int]] = []
        done = threading.Event()

        def sample() -> None:
            while not done.wait(2.0):
                samples.append((time.monotonic() - begin, gw.rss_kb()))

        begin = time.monotonic()
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            sender.stream(int(seconds * rate), rate)
            sent_s = time.monotonic() - begin
            sender.wait_answered(120)
            done.set()
            fig = sender.figures(fig)
            fig.crashes = int(gw.crashed())
            # the record of recent ids fills up to limits.dedup_size (10,000) entries and then stays
            # there: growth is measured from the first sample after it is full, and from 10 s
            full_at = 10000 / rate + 5
            warm = [kb for t, kb in samples if t >= min(10.0, seconds / 5)] or [kb for _, kb in samples]
            full = [kb for t, kb in samples if t >= full_at]
            tenth = seconds / 10
            fig.extra.update(
                achieved_rate=round(fig.sent / sent_s, 1),
                rss_mb_at_10s=round(warm[0] / 1024, 1) if warm else None,
                rss_mb_end=round(warm[-1] / 1024, 1) if warm else None,
                rss_growth_pct_from_10s=round(100 * (warm[-1] - warm[0]) / warm[0], 1) if warm and warm[0] else None,
                rss_growth_pct_once_id_record_full=round(100 * (full[-1] - full[0]) / full[0], 1) if len(full) > 1 else None,
                latency_first_tenth_ms=percentiles(sender.latencies(until=begin + tenth)),
                latency_last_tenth_ms=percentiles(sender.latencies(since=begin + seconds - tenth)),
            )
        finally:
            done.set()
            sender.close()
    fig.seconds = round(time.monotonic() - start, 1)
    return fig


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    try:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    try:
        version = subprocess.run([mosquitto, "-h"], capture_output=True, text=True, timeout=5).stdout.splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        version = "mosquitto ?"
    return (f"{cpu}, {os.cpu_count()} cores, load average {load} at the start; {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, {version}")


def render(figures: list[Figures], where: str, when: str) -> str:
    lines = [BEGIN, "", f"Measured {when} on: {where}.", "",
             "| scenario | injects | sent | answered | lost | actuated twice | answered twice (retries) | crashes | latency p50 / p95 / max ms |",
             "|---|---|---|---|---|---|---|---|---|"]
    for f in figures:
        lat = " / ".join(str(f.latency_ms.get(k, "-")) for k in ("p50", "p95", "max"))
        lines.append(f"| {f.name} | {f.injects} | {f.sent} | {f.answered} | {f.lost} | {f.actuated_twice} | "
                     f"{f.answered_twice} ({f.retries}) | {f.crashes} | {lat} |")
    lines.append("")
    for f in figures:
        if f.extra:
            lines.append(f"- {f.name} ({f.seconds} s): " + "; ".join(f"{k} = {json.dumps(v)}" for k, v in f.extra.items()))
    lines += ["", END]
    return "\n".join(lines)


def write(figures: list[Figures], path: Path = DOC) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Reliability\n\n{BEGIN}\n{END}\n"
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = render(figures, machine(), when)
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text += "\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


SCENARIOS = ("broker_kill", "gateway_kill", "shared_kill", "sigterm_drain", "flood", "flood_unlimited", "soak")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("chaos", help="fault injection against a private broker + gateway; figures to docs/reliability.md",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load per scenario (default 60)")
    parser.add_argument("--rate", type=float, default=500.0, help="commands/s for the soak (default 500)")
    parser.add_argument("--only", choices=SCENARIOS, action="append", help="run only these scenarios")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave docs/reliability.md alone")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    d = args.duration
    plan: dict[str, Callable[[], Figures]] = {
        "broker_kill": lambda: broker_kill(n=int(d * 50), rate=50, kills=max(2, int(d // 20))),
        "gateway_kill": lambda: gateway_kill(n=int(d * 50), rate=50, kills=max(2, int(d // 20))),
        "shared_kill": lambda: shared_kill(n=int(d * 50), rate=50),
        "sigterm_drain": lambda: sigterm_drain(n=max(300, int(d * 20))),
        "flood": lambda: flood(seconds=min(d, 10), flood_rate=2000),
        "flood_unlimited": lambda: flood(seconds=min(d, 10), flood_rate=2000, limited=False),
        "soak": lambda: soak(seconds=d, rate=args.rate),
    }
    figures = []
    for name in args.only or SCENARIOS:
        print(f"chaos: {name} ...", file=sys.stderr, flush=True)
        fig = plan[name]()
        print(json.dumps(asdict(fig)), flush=True)
        figures.append(fig)
    if not args.no_write:
        write(figures)
        print(f"chaos: figures written to {DOC}", file=sys.stderr)
    bad = [f.name for f in figures if f.lost or f.actuated_twice or f.crashes]
    return 1 if bad else 0
