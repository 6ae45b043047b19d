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
import queue
import signal
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Iterator

import paho.mqtt.client as mqtt
import pytest
from support import (
    START_TIMEOUT,
    NotifySocket,
    gateway_available,
    needs,
    start_gateway,
    stop_process,
)

DELAY_S = 0.4  # how long the proxy holds each chunk the gateway sends to the broker


needs_gateway = needs(gateway_available())


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
