"""One MQTT v5 client per component, set up the way the team rules require.

TCP_NODELAY on the socket (otherwise every QoS 1 round trip waits 40-88 ms on
Nagle plus delayed ACK), an explicit reconnect policy, and a blocking connect
that fails loudly instead of retrying forever in the background.
"""

from __future__ import annotations

import socket
import threading
import uuid
from typing import Any, Callable

import paho.mqtt.client as mqtt
import structlog

log = structlog.get_logger()


class ConnectionFailed(RuntimeError):
    """The broker refused us or did not answer in time."""


class Connection:
    """A paho client with TCP_NODELAY, a reconnect policy, and its subscriptions renewed on every reconnect.

    `on_ready` runs in the network thread after each (re)connect, once the
    subscriptions are sent: it may publish but must not block.
    """

    def __init__(
        self,
        name: str,
        host: str,
        port: int,
        on_message: Callable[[mqtt.MQTTMessage], None],
        topics: list[str] | None = None,
        on_ready: Callable[[], None] | None = None,
        will: tuple[str, str] | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.topics: list[str] = list(topics or [])
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=f"{name}-{uuid.uuid4().hex[:8]}",
            protocol=mqtt.MQTTv5,
        )
        self.client.reconnect_delay_set(min_delay=1, max_delay=10)
        self.client.max_queued_messages_set(0)
        self.client.max_inflight_messages_set(100)
        if will:
            self.client.will_set(will[0], will[1], qos=1, retain=True)
        self._on_message = on_message
        self._on_ready = on_ready
        self._connected = threading.Event()
        self._refused: str | None = None
        self._pending: set[int] = set()
        self._acks = threading.Condition()
        self.client.on_connect = self._connect_cb
        self.client.on_disconnect = self._disconnect_cb
        self.client.on_message = self._message_cb
        self.client.on_subscribe = self._subscribe_cb

    def _connect_cb(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        if reason.is_failure:
            self._refused = str(reason)
            self._connected.set()
            return
        sock = client.socket()
        if sock is not None and hasattr(sock, "setsockopt"):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._send_subscribe(self.topics)
        if self._on_ready:
            self._on_ready()
        self._connected.set()

    def _disconnect_cb(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        self._connected.clear()
        if reason.is_failure:
            log.warning("mqtt.disconnected", broker=f"{self.host}:{self.port}", reason=str(reason))

    def _subscribe_cb(self, client: mqtt.Client, userdata: Any, mid: int, reasons: Any, properties: Any) -> None:
        failed = [str(r) for r in reasons if r.is_failure]
        if failed:
            log.error("mqtt.subscribe_refused", reasons=failed)
        with self._acks:
            self._pending.discard(mid)
            self._acks.notify_all()

    def _message_cb(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        try:
            self._on_message(message)
        except Exception:  # a bad message must never kill the network thread
            log.exception("mqtt.message_handler_failed", topic=message.topic)

    def _send_subscribe(self, topic_list: list[str], qos: int = 1, chunk: int = 200) -> None:
        with self._acks:
            for start in range(0, len(topic_list), chunk):
                result, mid = self.client.subscribe([(t, qos) for t in topic_list[start:start + chunk]])
                if result == mqtt.MQTT_ERR_SUCCESS:
                    self._pending.add(mid)
                else:
                    log.error("mqtt.subscribe_failed", error=mqtt.error_string(result))

    def _wait_acks(self, timeout: float) -> None:
        with self._acks:
            if not self._acks.wait_for(lambda: not self._pending, timeout):
                raise ConnectionFailed(f"no SUBACK from {self.host}:{self.port} within {timeout}s")

    def connect(self, timeout: float = 10.0) -> None:
        """Connect, subscribe, run on_ready; raise ConnectionFailed when refused or not done in `timeout`."""
        try:
            self.client.connect(self.host, self.port, keepalive=30)
        except OSError as exc:
            raise ConnectionFailed(f"cannot reach the broker at {self.host}:{self.port}: {exc}") from exc
        self.client.loop_start()
        if not self._connected.wait(timeout) or self._refused:
            self.client.loop_stop()
            raise ConnectionFailed(f"broker {self.host}:{self.port} {self._refused or 'did not answer'}")
        self._wait_acks(timeout)

    @property
    def connected(self) -> bool:
        return self.client.is_connected()

    def subscribe(self, topic_list: list[str], timeout: float = 10.0) -> None:
        """Add subscriptions (kept across reconnects) and wait for their SUBACKs."""
        self.topics += topic_list
        self._send_subscribe(topic_list)
        self._wait_acks(timeout)

    def publish(self, topic: str, payload: str | bytes, retain: bool = False, qos: int = 1) -> mqtt.MQTTMessageInfo:
        return self.client.publish(topic, payload, qos=qos, retain=retain)

    def close(self) -> None:
        """Disconnect cleanly, so the broker drops the Last Will (wait_for_publish first what must get out)."""
        self.client.disconnect()
        self.client.loop_stop()
