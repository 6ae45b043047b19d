"""What the tests share: a recording MQTT 5 client, a gateway config, the gateway as a
process, a stand-in for systemd's notify socket, processes that end with their test, and
`needs`/`require` for what a test cannot run without (a skip here, a failure under CI)."""

from __future__ import annotations

import importlib
import heapq
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Callable

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from nanoiot.gateway.config import load_config

WAIT = 15.0
REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 90.0  # model load on a loaded 2-core machine


IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(missing: str | None) -> None:
    """Skip the running test when `missing` names what it needs and lacks; under CI (CI=true), fail.

    .ci/run installs everything these tests need, so there a missing model, an ImportError
    or a missing broker binary is a regression, not a reason to skip.
    """
    if missing is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true and this test's need is not met: {missing}", pytrace=False)
    pytest.skip(missing)


def needs(missing: str | None) -> pytest.MarkDecorator:
    """`require(missing)` as a mark, for a test or a module's `pytestmark` (conftest applies it)."""
    return pytest.mark.needs(missing)


def require_import(name: str):
    """The module, or a module-level skip when it is not installed (outside CI only)."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if IN_CI:
            raise
        pytest.skip(f"needs {name} ({exc})", allow_module_level=True)


def mosquitto_missing(*tools: str) -> str | None:
    """Why a private broker cannot run here (None when it can): the binary and any other `tools`."""
    if not (shutil.which("mosquitto") or os.path.exists("/usr/sbin/mosquitto")):
        return "needs the mosquitto binary (apt-get install mosquitto; .ci/run does this)"
    lacking = [tool for tool in tools if not shutil.which(tool)]
    return f"needs {', '.join(lacking)} (apt-get install mosquitto openssl)" if lacking else None


def model_missing(diagnostic: bool = False) -> str | None:
    """Why the shipped command model (and with `diagnostic`, the diagnostic model) cannot be used."""
    from nanoiot.engine import SHIPPED_MODEL_DIR

    if not (os.environ.get("NANOIOT_MODEL_DIR") or (SHIPPED_MODEL_DIR / "manifest.json").exists()):
        return "the shipped command model is not in nanoiot/model/"
    if diagnostic:
        from nanoiot.diagnostics.model import SHIPPED_DIAGNOSTIC_MODEL_DIR

        if not (SHIPPED_DIAGNOSTIC_MODEL_DIR / "model.bin").exists():
            return "the diagnostic model is not in nanoiot/diagnostics/model/"
    return None


def spawn(args: list[str], **kw) -> subprocess.Popen:
    """Popen in a process group of its own, so `end_group` also ends whatever it starts."""
    return subprocess.Popen(args, start_new_session=True, **kw)


def end_group(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Kill `proc` and every process left in its group (children it started, orphaned or not)."""
    try:
        os.killpg(proc.pid, 9)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        pass


def gateway_available() -> str | None:
    """Why the real gateway cannot run here, or None when it can."""
    try:
        import nanoiot.gateway.service  # noqa: F401
        from nanoiot.engine import Engine  # noqa: F401
    except ImportError as exc:
        return f"nanoiot.gateway is not importable yet ({exc})"
    from nanoiot.registry import default_registry_path

    if not default_registry_path().exists():
        return "the shipped example registry is not there yet"
    if not any((REPO / "nanoiot" / "model").glob("*.bin")):
        return "the shipped model is not there yet (nanoiot/model/)"
    return None


DEVICES = [
    {"id": "light.kitchen_ceiling", "name": "ceiling light", "area": "kitchen", "domain": "light"},
    {"id": "light.kitchen_island", "name": "island lights", "area": "kitchen", "domain": "light"},
    {"id": "light.porch", "name": "porch light", "area": "porch", "domain": "light"},
    {"id": "light.floor_lamp", "name": "floor lamp", "area": "living room", "domain": "light"},
    {"id": "lock.back_door", "name": "back door", "area": "garden", "domain": "lock"},
    {"id": "lock.front_door", "name": "front door", "area": "hall", "domain": "lock"},
    {"id": "machine.conveyor_b", "name": "conveyor b", "area": "packing line", "domain": "machine"},
    {"id": "climate.thermostat", "name": "thermostat", "area": "living room", "domain": "climate"},
]


class Recorder:
    """A test-side MQTT 5 client (TCP_NODELAY, like every client we ship) that records what it receives."""

    def __init__(self, broker, subscriptions: list[str], client_id: str | None = None, persistent: bool = False) -> None:
        self.messages: list[mqtt.MQTTMessage] = []
        self._by_topic: dict[str, list[tuple[int, mqtt.MQTTMessage]]] = {}  # so on() matches each topic once, not each message
        self._cond = threading.Condition(threading.RLock())  # wait_for's predicate calls on(), which locks again
        self._subscribed = threading.Event()
        self._subs = subscriptions
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id or f"t-{uuid.uuid4().hex[:10]}", protocol=mqtt.MQTTv5)
        self.client.reconnect_delay_set(0.1, 0.5)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.client.on_message = self._on_message
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 300 if persistent else 0
        self.client.connect(broker.host, broker.port, clean_start=not persistent, properties=props)
        self.client.loop_start()
        assert self._subscribed.wait(WAIT), "recorder did not subscribe"

    def _on_connect(self, client, _u, _f, reason, _p):
        client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if not reason.is_failure:
            client.subscribe([(topic, 1) for topic in self._subs])

    def _on_message(self, _c, _u, message):
        with self._cond:
            self._by_topic.setdefault(message.topic, []).append((len(self.messages), message))
            self.messages.append(message)
            self._cond.notify_all()

    def on(self, topic_filter: str) -> list[mqtt.MQTTMessage]:
        with self._cond:
            lists = [got for topic, got in self._by_topic.items() if mqtt.topic_matches_sub(topic_filter, topic)]
            return [m for _, m in (lists[0] if len(lists) == 1 else heapq.merge(*lists))]

    def json_on(self, topic_filter: str) -> list[dict]:
        return [json.loads(m.payload) for m in self.on(topic_filter)]

    def wait_for(self, predicate, timeout: float = WAIT) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.2))
        return True

    def publish(self, topic: str, payload, qos: int = 1, **kw) -> mqtt.MQTTMessageInfo:
        if isinstance(payload, dict):
            payload = json.dumps(payload)
        return self.client.publish(topic, payload, qos=qos, **kw)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def until(predicate, timeout: float = WAIT) -> bool:
    """Poll `predicate` until it holds or `timeout` passes (for state that no message announces)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def make_config(broker, registry_file, site: str, **extra):
    overrides = {
        "broker": {"host": broker.host, "port": broker.port, "reconnect_min_s": 0.1, "reconnect_max_s": 0.5, **extra.pop("broker", {})},
        "registry": str(registry_file),
        "site": site,
        "gateway_id": extra.pop("gateway_id", f"gw-{site}"),
        "sources": {"kitchen_panel": "kitchen"},
        "log_format": "json",
        **extra,
    }
    return load_config(overrides=overrides, environ={})


class NotifySocket:
    """Stands in for systemd: a bound datagram socket collecting every sd_notify line with its arrival time."""

    def __init__(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="nanoiot-notify-")  # short: socket paths max out near 108 bytes
        self.path = os.path.join(self._dir, "notify.sock")
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.bind(self.path)
        self._sock.settimeout(0.2)
        self.lines: list[tuple[float, str]] = []
        self._cond = threading.Condition()
        self._closed = threading.Event()
        self._listeners: list[Callable[[str], None]] = []
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def on_line(self, callback: Callable[[str], None]) -> None:
        """Run `callback` in the receiving thread, the moment a line arrives."""
        self._listeners.append(callback)

    def _run(self) -> None:
        while not self._closed.is_set():
            try:
                data = self._sock.recv(4096)
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            for line in data.decode("utf-8", "replace").splitlines():
                for callback in self._listeners:
                    callback(line)
                with self._cond:
                    self.lines.append((time.monotonic(), line))
                    self._cond.notify_all()

    def wait_for(self, predicate: Callable[[list[str]], bool], timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: predicate([line for _, line in self.lines]), timeout)

    def texts(self) -> list[str]:
        with self._cond:
            return [line for _, line in self.lines]

    def close(self) -> None:
        self._closed.set()
        self._thread.join(2)
        self._sock.close()
        shutil.rmtree(self._dir, ignore_errors=True)


def start_gateway(
    notify: NotifySocket,
    args: list[str],
    log_path: Path,
    watchdog_usec: int | None = 1_000_000,
) -> subprocess.Popen[bytes]:
    """`python -m nanoiot gateway ARGS` under the given notify socket; NANOIOT_* from this process left out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NANOIOT_")}
    env.update(NOTIFY_SOCKET=notify.path, NANOIOT_LOG_FORMAT="json", PYTHONUNBUFFERED="1")
    env.pop("WATCHDOG_PID", None)
    env.pop("WATCHDOG_USEC", None)
    if watchdog_usec is not None:
        env["WATCHDOG_USEC"] = str(watchdog_usec)
    log = open(log_path, "wb")
    try:
        return spawn([sys.executable, "-m", "nanoiot", "gateway", *args], env=env, cwd=REPO,
                     stdout=log, stderr=subprocess.STDOUT)
    finally:
        log.close()


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    end_group(proc)
