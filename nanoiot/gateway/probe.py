"""Time a few command-shaped round trips through the broker once at start-up, and say so when they are slow.

A broker at its default settings (Mosquitto without `set_tcp_nodelay true`) makes every
command wait ~40 ms: it holds the result for Nagle's algorithm until the sender's delayed
ACK of the broker's PUBACK arrives. That stall is on the hop between the broker and the
sender, so nothing on the gateway's own socket removes it (TCP_QUICKACK there was measured:
44.2 ms vs 44.1 ms median), and nothing in the gateway's logs would say why commands are
slow. So the probe plays a sender on a second, short-lived connection: it publishes QoS 1
pings that the gateway echoes, exactly the pattern of a command and its result.
"""

from __future__ import annotations

import statistics
import threading
import time
from typing import Callable

import paho.mqtt.client as mqtt
import structlog

log = structlog.get_logger()

SLOW_MS = 15.0  # a loopback or LAN round trip with Nagle off is 1-2 ms; a delayed ACK costs 40


class BrokerProbe:
    """The echo side runs on the gateway's link; `run()` is the sender side, on its own connection."""

    def __init__(self, topic: str, make_client: Callable[[], mqtt.Client], host: str, port: int,
                 samples: int = 8, timeout_s: float = 2.0) -> None:
        self.topic = topic
        self.echo_topic = f"{topic}/echo"
        self._make_client = make_client
        self._address = (host, port)
        self._samples = samples
        self._timeout = timeout_s
        self._back = threading.Event()
        self._subscribed = threading.Event()
        self.done = threading.Event()  # set once the probe has finished, whatever it found
        self.round_trips_ms: list[float] = []

    def handles(self, topic: str) -> bool:
        return topic == self.topic

    def start(self) -> None:
        threading.Thread(target=self._run_logged, name="nanoiot-probe", daemon=True).start()

    def _run_logged(self) -> None:
        try:
            self.run()
        except Exception as exc:  # noqa: BLE001 - a probe that fails must never touch the gateway
            log.warning("broker.probe_failed", error=str(exc))
        finally:
            self.done.set()

    def run(self) -> float | None:
        """The median round trip in ms (None when no echo came back); logged, with a warning when slow."""
        client = self._make_client()
        client.on_connect = lambda c, _u, _f, reason, _p: None if reason.is_failure else c.subscribe(self.echo_topic, 1)
        client.on_subscribe = lambda *_: self._subscribed.set()
        client.on_message = lambda *_: self._back.set()
        client.connect(*self._address, keepalive=30)
        client.loop_start()
        try:
            if not self._subscribed.wait(self._timeout):
                log.warning("broker.probe_unanswered", topic=self.echo_topic, reason="could not subscribe")
                return None
            for _ in range(self._samples):
                self._back.clear()
                start = time.perf_counter()
                client.publish(self.topic, b"ping", qos=1)
                if not self._back.wait(self._timeout):
                    break
                self.round_trips_ms.append((time.perf_counter() - start) * 1000)
                time.sleep(0.05)  # paced, as people send commands
        finally:
            client.disconnect()
            client.loop_stop()
        if not self.round_trips_ms:
            log.warning("broker.probe_unanswered", topic=self.topic)
            return None
        median = round(statistics.median(self.round_trips_ms), 2)
        log.info("broker.round_trip", median_ms=median, samples=len(self.round_trips_ms))
        if median > SLOW_MS:
            log.warning("broker.slow", median_ms=median,
                        hint="every command waits on TCP, not on the model: set `set_tcp_nodelay true` in mosquitto.conf "
                             "(docs/deploy.md); on other brokers, turn Nagle's algorithm off for their listener")
        return median
