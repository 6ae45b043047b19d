"""Send a sentence to the gateway as an MQTT command and wait for its result.

What the Wyoming service (and anything else that speaks for people) uses, so a spoken
command goes through the gateway exactly as any other MQTT command: same registry,
same permissions, same id journal. MQTT 5 request/response: the command carries a
response topic under `<prefix>/<site>/reply/` and correlation data; the result comes back there.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import threading
import uuid
from typing import Any

import paho.mqtt.client as mqtt
import structlog
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from pydantic import ValidationError

from nanoiot.gateway.config import GatewayConfig, read_password
from nanoiot.schema import CommandRequest, CommandResult

log = structlog.get_logger()


class GatewayUnavailable(Exception):
    """No answer from the gateway in time (broker down, gateway down or overloaded)."""


class GatewayClient:
    """One MQTT 5 connection; `await request(text)` from any asyncio loop, thread-safe."""

    def __init__(self, config: GatewayConfig, site: str, source: str = "wyoming", timeout_s: float = 15.0) -> None:
        self.source = source
        self.timeout_s = timeout_s
        base = f"{config.topic_prefix}/{site}"
        self.command_topic = f"{base}/command/{source}"
        self.reply_topic = f"{base}/reply/{source}-{uuid.uuid4().hex[:8]}"
        self._waiting: dict[bytes, tuple[asyncio.AbstractEventLoop, asyncio.Future[CommandResult]]] = {}
        self._lock = threading.Lock()
        self._subscribed = threading.Event()
        broker = config.broker
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"nanoiot-{source}-{uuid.uuid4().hex[:8]}",
                                  protocol=mqtt.MQTTv5)
        if broker.username:
            self.client.username_pw_set(broker.username, read_password(config))
        if broker.tls is not None:
            context = ssl.create_default_context(cafile=str(broker.tls.ca_file) if broker.tls.ca_file else None)
            if broker.tls.cert_file and broker.tls.key_file:
                context.load_cert_chain(str(broker.tls.cert_file), str(broker.tls.key_file))
            self.client.tls_set_context(context)
        self.client.reconnect_delay_set(1, int(max(1, broker.reconnect_max_s)))
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.client.on_message = self._on_message
        self._host, self._port, self._keepalive = broker.host, broker.port, broker.keepalive_s

    def start(self, wait_s: float = 15.0) -> "GatewayClient":
        self.client.connect_async(self._host, self._port, keepalive=self._keepalive, clean_start=True)
        self.client.loop_start()
        if not self._subscribed.wait(wait_s):
            log.warning("gateway_client.not_connected", broker=f"{self._host}:{self._port}")
        return self

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _on_connect(self, client: mqtt.Client, _u: object, _f: object, reason: Any, _p: object) -> None:
        if reason.is_failure:
            log.error("gateway_client.refused", reason=str(reason))
            return
        try:
            client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # type: ignore[union-attr]
        except (OSError, AttributeError):
            pass
        client.subscribe(self.reply_topic, qos=1)

    def _on_message(self, _c: mqtt.Client, _u: object, message: mqtt.MQTTMessage) -> None:
        correlation = getattr(message.properties, "CorrelationData", None) if message.properties else None
        with self._lock:
            waiting = self._waiting.pop(bytes(correlation), None) if correlation is not None else None
        if waiting is None:
            return  # an answer we gave up on
        loop, future = waiting
        try:
            result: CommandResult | Exception = CommandResult.model_validate(json.loads(message.payload))
        except (ValueError, ValidationError) as exc:
            result = GatewayUnavailable(f"unreadable result: {exc}")
        loop.call_soon_threadsafe(_settle, future, result)

    async def request(self, text: str, dry_run: bool = False) -> CommandResult:
        """The gateway's result for `text`; GatewayUnavailable when none comes within the timeout."""
        command_id = f"{self.source}-{uuid.uuid4().hex[:16]}"
        correlation = command_id.encode()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[CommandResult] = loop.create_future()
        with self._lock:
            self._waiting[correlation] = (loop, future)
        props = Properties(PacketTypes.PUBLISH)
        props.ResponseTopic = self.reply_topic
        props.CorrelationData = correlation
        payload = CommandRequest(id=command_id, text=text, dry_run=dry_run).model_dump_json(exclude_none=True)
        self.client.publish(self.command_topic, payload, qos=1, properties=props)
        try:
            return await asyncio.wait_for(future, self.timeout_s)
        except asyncio.TimeoutError:
            raise GatewayUnavailable(f"no answer from the gateway within {self.timeout_s:g} s") from None
        finally:
            with self._lock:
                self._waiting.pop(correlation, None)


def _settle(future: asyncio.Future, value: Any) -> None:
    if future.done():
        return
    if isinstance(value, Exception):
        future.set_exception(value)
    else:
        future.set_result(value)
