"""The real gateway process speaks systemd's notify protocol correctly.

The test binds the Unix datagram socket systemd would, sets NOTIFY_SOCKET and
WATCHDOG_USEC, and starts `python -m nanoiot gateway` against a real broker.
READY=1 must mean "commands are being taken": the gateway's traffic to the
broker goes through a proxy that holds it back by DELAY_S, so a gateway that
said READY before its SUBSCRIBE was in place would let the command the test
sends at the moment of READY fall on the floor, and never answer it.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Callable, Iterator

import paho.mqtt.client as mqtt
import pytest

REPO = Path(__file__).resolve().parents[1]
DELAY_S = 0.4  # how long the proxy holds each chunk the gateway sends to the broker
START_TIMEOUT = 90.0  # model load on a loaded 2-core machine


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


needs_gateway = pytest.mark.skipif(gateway_available() is not None, reason=str(gateway_available()))


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


class DelayProxy:
    """TCP proxy to the broker that holds back what the client sends by `delay` seconds (answers pass at once)."""

    def __init__(self, host: str, port: int, delay: float) -> None:
        self.upstream = (host, port)
        self.delay = delay
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._closed = threading.Event()
        self._sockets: list[socket.socket] = [self._server]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.settimeout(None)
            self._sockets += [client, upstream]
            chunks: queue.Queue[tuple[float, bytes]] = queue.Queue()
            threading.Thread(target=self._read, args=(client, chunks), daemon=True).start()
            threading.Thread(target=self._send_later, args=(chunks, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _read(self, source: socket.socket, chunks: "queue.Queue[tuple[float, bytes]]") -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            chunks.put((time.monotonic() + self.delay, data))
            if not data:
                return

    def _send_later(self, chunks: "queue.Queue[tuple[float, bytes]]", target: socket.socket) -> None:
        while True:
            due, data = chunks.get()
            time.sleep(max(0.0, due - time.monotonic()))
            if not data:
                self._shut(target)
                return
            try:
                target.sendall(data)
            except OSError:
                return

    def _pipe(self, source: socket.socket, target: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
            except OSError:
                break
        self._shut(target)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self) -> None:
        self._closed.set()
        for sock in self._sockets:
            try:
                sock.close()
            except OSError:
                pass


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
        return subprocess.Popen([sys.executable, "-m", "nanoiot", "gateway", *args], env=env, cwd=REPO,
                                stdout=log, stderr=subprocess.STDOUT)
    finally:
        log.close()


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)


class Commander:
    """A panel: publishes commands, collects the gateway's answers."""

    def __init__(self, host: str, port: int, result_topic: str) -> None:
        self.results: queue.Queue[dict] = queue.Queue()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"panel-{uuid.uuid4().hex[:8]}",
                                  protocol=mqtt.MQTTv5)
        subscribed = threading.Event()

        def on_connect(c: mqtt.Client, _u: object, _f: object, rc: object, _p: object) -> None:
            c.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            c.subscribe(result_topic, qos=1)

        self.client.on_connect = on_connect
        self.client.on_subscribe = lambda *_: subscribed.set()
        self.client.on_message = lambda _c, _u, msg: self.results.put(json.loads(msg.payload))
        self.client.reconnect_delay_set(0.2, 2)
        self.client.connect(host, port, keepalive=30)
        self.client.loop_start()
        assert subscribed.wait(10), "panel could not subscribe"

    def say(self, topic: str, command_id: str, text: str) -> None:
        self.client.publish(topic, json.dumps({"id": command_id, "text": text}), qos=1)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def notify() -> Iterator[NotifySocket]:
    sock = NotifySocket()
    yield sock
    sock.close()


@needs_gateway
def test_gateway_notifies_ready_after_subscribing_then_watchdog_then_stopping(
    broker, notify: NotifySocket, tmp_path: Path
) -> None:
    site = f"sd{uuid.uuid4().hex[:8]}"
    source = "hall_panel"
    panel = Commander(broker.host, broker.port, f"nanoiot/{site}/result/{source}")
    # The moment READY=1 arrives, the panel speaks: only a gateway already subscribed hears it.
    notify.on_line(lambda line: panel.say(f"nanoiot/{site}/command/{source}", "at-ready", "turn on the light")
                   if line == "READY=1" else None)
    proxy = DelayProxy(broker.host, broker.port, DELAY_S)
    proc = start_gateway(notify, ["--broker", f"127.0.0.1:{proxy.port}", "--site", site,
                                  "--gateway-id", f"sd-{uuid.uuid4().hex[:8]}"], tmp_path / "gateway.log")
    try:
        assert notify.wait_for(lambda lines: "READY=1" in lines, START_TIMEOUT), (
            f"no READY=1; got {notify.texts()}; log:\n{(tmp_path / 'gateway.log').read_text()[-3000:]}")
        lines = notify.texts()
        assert any(line.startswith("STATUS=") for line in lines[: lines.index("READY=1")]), lines
        try:
            answer = panel.results.get(timeout=15)
        except queue.Empty:
            pytest.fail("the command sent at READY=1 was never answered: READY came before the subscription")
        assert answer["id"] == "at-ready" and answer["source"] == source

        # WATCHDOG_USEC=1 s: pings every half second while healthy.
        assert notify.wait_for(lambda ls: ls[ls.index("READY=1"):].count("WATCHDOG=1") >= 3, 10), notify.texts()
        assert proc.poll() is None

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert "STOPPING=1" in notify.texts()
        stopping_at = notify.texts().index("STOPPING=1")
        assert notify.texts().index("READY=1") < stopping_at
    finally:
        stop_process(proc)
        proxy.close()
        panel.close()
