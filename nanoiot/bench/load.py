"""Gateways as separate processes on one broker, and a client that drives them: paced latency and sustained throughput.

Each gateway is `python -m nanoiot gateway` on a shared subscription, as a site would
run them; the bench reads its cold start (spawn to its retained "online"), its peak RSS
(VmHWM) and, from its `gateway.stopped` event, its batches and model-cache hit rate.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from nanoiot.broker import LocalBroker
from nanoiot.gateway.mqtt import set_nodelay

from .echo import IN as ECHO_IN
from .echo import OUT as ECHO_OUT

SITE = "bench"
GROUP = "bench"


def percentiles(values_ms: list[float]) -> dict[str, float]:
    ordered = sorted(values_ms)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {"p50": round(statistics.median(ordered), 3), "p90": at(0.90), "p99": at(0.99), "n": len(ordered)}


class Client:
    """Publishes commands (QoS 1) and counts and timestamps every result by id."""

    def __init__(self, broker: LocalBroker) -> None:
        self.arrived: dict[str, float] = {}
        # paced runs: the first device message after a command was sent, by command (one command is out at a time)
        self.device_arrived: dict[str, float] = {}
        self.pending: str | None = None
        self.answers: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.cond = threading.Condition()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"nanoiot-bench-{uuid.uuid4().hex[:8]}", protocol=mqtt.MQTTv5)
        self.client.max_inflight_messages_set(0)  # as fast as the broker takes them
        self.client.max_queued_messages_set(0)
        self.client.on_message = self._on_message
        subscribed = threading.Event()

        def on_connect(client: mqtt.Client, *_: Any) -> None:
            set_nodelay(client.socket())
            client.subscribe([(f"nanoiot/{SITE}/result/#", 1), (ECHO_OUT, 1),
                              (f"nanoiot/{SITE}/device/+/set", 1), ("zigbee2mqtt/+/set", 1)])

        self.client.on_connect = on_connect
        self.client.on_subscribe = lambda *_: subscribed.set()
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()
        if not subscribed.wait(10):
            raise RuntimeError("bench client could not subscribe")

    def _on_message(self, _c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        now = time.perf_counter()
        if msg.topic.endswith("/set"):  # a device message: the command it belongs to is the one out now
            with self.cond:
                if self.pending is not None:
                    self.device_arrived.setdefault(self.pending, now)
            return
        if msg.topic == ECHO_OUT:
            key, status = msg.payload.decode(), "echo"
        else:
            body = json.loads(msg.payload)
            key, status = body.get("id") or "?", body.get("status", "?")
        with self.cond:
            self.arrived.setdefault(key, now)
            self.answers[key] += 1
            self.statuses[status] += 1
            self.cond.notify_all()

    def send(self, command_id: str, text: str) -> float:
        sent = time.perf_counter()
        self.client.publish(f"nanoiot/{SITE}/command/bench", json.dumps({"id": command_id, "text": text}), qos=1)
        return sent

    def echo(self, key: str) -> float:
        sent = time.perf_counter()
        self.client.publish(ECHO_IN, key.encode(), qos=1)
        return sent

    def wait(self, keys: list[str], timeout: float = 120.0) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: all(k in self.arrived for k in keys), timeout)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def paced(client: Client, prefix: str, texts: list[str] | None, n: int, gap_s: float = 0.005) -> dict[str, Any]:
    """One command (or echo, `texts` None) at a time, `gap_s` apart: latency at light load, to the result, and
    for commands that actuate, to their first device message (`device`), which the gateway sends before the
    broker has confirmed it and the result follows."""
    rtt, device = [], []
    for i in range(n):
        key = f"{prefix}-{i}"
        with client.cond:
            client.pending = key
        sent = client.echo(key) if texts is None else client.send(key, texts[i % len(texts)])
        if not client.wait([key], 30):
            raise RuntimeError(f"no answer to {key}")
        with client.cond:
            client.pending = None
        rtt.append((client.arrived[key] - sent) * 1000)
        if key in client.device_arrived:
            device.append((client.device_arrived[key] - sent) * 1000)
        time.sleep(gap_s)
    out: dict[str, Any] = percentiles(rtt)
    if device:
        out["device"] = percentiles(device)
    return out


def sustained(client: Client, prefix: str, texts: list[str], n: int) -> dict[str, Any]:
    """`n` commands sent at once; commands/s from the first sent to the last answered, and whether each got exactly one answer."""
    keys = [f"{prefix}-{i}" for i in range(n)]
    start = time.perf_counter()
    for i, key in enumerate(keys):
        client.send(key, texts[i % len(texts)])
    done = client.wait(keys, timeout=max(120.0, n / 50))
    time.sleep(0.2)  # a second answer to any id would come now
    answered = [k for k in keys if k in client.arrived]
    elapsed = max(client.arrived[k] for k in answered) - start if answered else float("nan")
    return {"commands": n, "commands_per_s": round(len(answered) / elapsed, 1), "all_answered": done,
            "answered_exactly_once": done and all(client.answers[k] == 1 for k in keys)}


@dataclass
class GatewayProcess:
    proc: subprocess.Popen[bytes]
    log_path: Path
    started: float
    ready_s: float | None = None
    peak_rss_mib: float | None = None
    stopped: dict[str, Any] = field(default_factory=dict)


class Gateways:
    """`workers` gateway processes on one shared subscription, with the given [limits]."""

    def __init__(self, broker: LocalBroker, registry: Path, workers: int, limits: dict[str, Any], model_dir: Path | None,
                 session: dict[str, Any] | None = None, shared_state: bool = False) -> None:
        self.broker = broker
        self.dir = Path(tempfile.mkdtemp(prefix="nanoiot-bench-"))
        config = self.dir / "gateway.toml"
        # shared_state: the workers share a state directory, as deploy/'s systemd template has them share
        # /var/lib/nanoiot, so the group keeps one record of the command ids it has handled
        top = f"state_dir = {json.dumps(str(self.dir / 'state'))}\n" if shared_state else ""
        sections = {"limits": limits, "broker": session or {}}
        config.write_text(top + "".join(f"[{name}]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items())
                                        for name, values in sections.items()))
        self.online: dict[str, float] = {}
        self._online = threading.Condition()
        self._watcher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"nanoiot-bench-watch-{uuid.uuid4().hex[:8]}", protocol=mqtt.MQTTv5)
        self._watcher.on_message = self._on_availability
        subscribed = threading.Event()
        self._watcher.on_connect = lambda c, *_: c.subscribe(f"nanoiot/{SITE}/gateway/+/availability", qos=1)
        self._watcher.on_subscribe = lambda *_: subscribed.set()
        self._watcher.connect(broker.host, broker.port)
        self._watcher.loop_start()
        subscribed.wait(10)
        env = {k: v for k, v in os.environ.items() if not k.startswith("NANOIOT_")}
        env["PYTHONUNBUFFERED"] = "1"
        self.procs: dict[str, GatewayProcess] = {}
        for i in range(workers):
            gateway_id = f"bench{i + 1}"
            args = [sys.executable, "-m", "nanoiot", "gateway", "--broker", broker.address, "--registry", str(registry),
                    "--site", SITE, "--gateway-id", gateway_id, "--shared-group", GROUP, "--config", str(config),
                    "--log-format", "json"]
            if model_dir:
                args += ["--model-dir", str(model_dir)]
            log_path = self.dir / f"{gateway_id}.log"
            with open(log_path, "wb") as out:
                proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
            self.procs[gateway_id] = GatewayProcess(proc, log_path, time.perf_counter())

    def _on_availability(self, _c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        try:
            state = json.loads(msg.payload).get("state")
        except (ValueError, AttributeError):
            state = msg.payload.decode()
        if state == "online":
            with self._online:
                self.online.setdefault(msg.topic.split("/")[-2], time.perf_counter())
                self._online.notify_all()

    def wait_ready(self, timeout: float = 120.0) -> None:
        with self._online:
            if not self._online.wait_for(lambda: all(g in self.online for g in self.procs), timeout):
                raise RuntimeError(f"gateways not ready; see {self.dir}")
        for gateway_id, gp in self.procs.items():
            gp.ready_s = round(self.online[gateway_id] - gp.started, 3)

    def cpu_s(self) -> float:
        """User + system CPU seconds the gateway processes have used so far."""
        return sum(cpu_s(gp.proc.pid) for gp in self.procs.values())

    def stop(self) -> list[GatewayProcess]:
        for gp in self.procs.values():
            gp.peak_rss_mib = _peak_rss_mib(gp.proc.pid)
            gp.proc.terminate()
        for gp in self.procs.values():
            try:
                gp.proc.wait(30)
            except subprocess.TimeoutExpired:
                gp.proc.kill()
                gp.proc.wait()
            gp.stopped = _stopped_event(gp.log_path)
        self._watcher.loop_stop()
        self._watcher.disconnect()
        shutil.rmtree(self.dir, ignore_errors=True)
        return list(self.procs.values())


def cpu_s(pid: int | None) -> float:
    """User + system CPU seconds process `pid` has used so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def _peak_rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _stopped_event(log_path: Path) -> dict[str, Any]:
    for line in reversed(log_path.read_text(errors="replace").splitlines()):
        if '"gateway.stopped"' in line:
            try:
                return json.loads(line)
            except ValueError:
                return {}
    return {}


class Echo:
    """The echo client as its own process, like a gateway."""

    def __init__(self, broker: LocalBroker) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "nanoiot.bench.echo", broker.host, str(broker.port)],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != b"READY":
            raise RuntimeError("echo client did not start")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


def failover(broker: LocalBroker, registry: Path, model_dir: Path | None, text: str, n: int = 1500,
             session_expiry_s: int = 86400) -> dict[str, Any]:
    """Two workers, `n` commands, one worker SIGKILLed mid-stream: answered by the other, after its restart, or never."""
    import signal

    client = Client(broker)
    gateways = Gateways(broker, registry, 2, {"model_workers": 1}, model_dir, {"session_expiry_s": session_expiry_s}, shared_state=True)
    restarted = None
    try:
        gateways.wait_ready()
        keys = [f"failover-{i}" for i in range(n)]
        for key in keys:
            client.send(key, text)
        client.wait(keys[: n // 20], 60)
        victim = gateways.procs["bench1"].proc
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        client.wait(keys, 20)
        by_others = sum(k in client.arrived for k in keys)
        restarted = subprocess.Popen(victim.args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        client.wait(keys, 60)
        return {"commands": n, "session_expiry_s": session_expiry_s, "answered_without_the_dead_worker": by_others,
                "answered_after_it_restarted": sum(k in client.arrived for k in keys),
                "answered_twice": sum(client.answers[k] > 1 for k in keys)}
    finally:
        if restarted is not None:
            restarted.terminate()
            restarted.wait(30)
        gateways.stop()
        client.close()
