"""The gateway through a real broker: round-trip latency and sustained commands per second.

Used by `nanoiot bench --mqtt`: a private Mosquitto, the real gateway with the model,
and one client that sends commands (QoS 1) and waits for their results.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from nanoiot.broker import LocalBroker
from nanoiot.contract import percentile
from nanoiot.parser import CommandParser

from .config import load_config
from .mqtt import set_nodelay
from .service import Gateway

SITE = "bench"


class _Client:
    """Sends commands and timestamps each result as it arrives."""

    def __init__(self, broker: LocalBroker) -> None:
        self.arrived: dict[str, float] = {}
        self.cond = threading.Condition()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="nanoiot-bench", protocol=mqtt.MQTTv5)
        self.client.on_message = self._on_message
        subscribed = threading.Event()
        def on_connect(client: mqtt.Client, *_: Any) -> None:
            set_nodelay(client.socket())
            client.subscribe(f"nanoiot/{SITE}/result/#", qos=1)

        self.client.on_connect = on_connect
        self.client.on_subscribe = lambda *_: subscribed.set()
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()
        if not subscribed.wait(10):
            raise RuntimeError("bench client could not subscribe")

    def _on_message(self, client: Any, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        now = time.perf_counter()
        with self.cond:
            self.arrived[json.loads(msg.payload)["id"]] = now
            self.cond.notify_all()

    def send(self, command_id: str, text: str) -> float:
        sent = time.perf_counter()
        self.client.publish(f"nanoiot/{SITE}/command/bench", json.dumps({"id": command_id, "text": text}), qos=1)
        return sent

    def wait(self, ids: list[str], timeout: float = 60.0) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: all(i in self.arrived for i in ids), timeout)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def mqtt_figures(parser: CommandParser, registry_path: Path, sentences: list[str], burst: int = 500) -> dict[str, Any]:
    """Sequential round trips (latency) and a burst (throughput), commands through MQTT and back."""
    with LocalBroker() as broker:
        config = load_config(overrides={"broker": {"host": broker.host, "port": broker.port}, "registry": str(registry_path),
                                        "site": SITE, "gateway_id": "bench", "log_format": "json"}, environ={})
        gateway = Gateway(config, parser=parser).start()
        client = _Client(broker)
        try:
            if not gateway.wait_ready(30):
                return {"mqtt": "gateway not ready"}
            rtt = []
            for n in range(100):
                sent = client.send(f"seq-{n}", sentences[n % len(sentences)])
                if not client.wait([f"seq-{n}"], 10):
                    return {"mqtt": f"no result for seq-{n}"}
                rtt.append((client.arrived[f"seq-{n}"] - sent) * 1000)
            ids = [f"burst-{n}" for n in range(burst)]
            start = time.perf_counter()
            for n, command_id in enumerate(ids):
                client.send(command_id, sentences[n % len(sentences)])
            done = client.wait(ids)
            elapsed = max(client.arrived[i] for i in ids if i in client.arrived) - start
            return {
                "mqtt_round_trip_ms_median": round(statistics.median(rtt), 3),
                "mqtt_round_trip_ms_p99": round(percentile(rtt, 99) or 0.0, 3),
                "mqtt_burst_commands": burst,
                "mqtt_burst_all_answered": done,
                "mqtt_burst_commands_per_s": round(sum(i in client.arrived for i in ids) / elapsed, 1),
            }
        finally:
            client.close()
            gateway.stop()
