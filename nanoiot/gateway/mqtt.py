"""The gateway's one paho-mqtt client and the thread that runs its network loop.

Why a hand-written loop instead of `loop_start()`: the loop beats a heartbeat every
iteration (the systemd watchdog only pings while it does), reconnects with our own
capped exponential backoff, and is the *only* thread that writes to the socket. paho
writes from the publishing thread when no loop thread of its own exists, which could
interleave a partial packet from the worker with one from the loop; registering a
write-interest callback makes publish() hand every packet to this thread instead.

Session: MQTT 5, fixed client id, clean start off, a session expiry interval and
QoS 1 subscriptions, so commands sent while the gateway is away wait for it.
Acknowledgements are manual (`ack()` after the command's actions and result are out).
"""

from __future__ import annotations

import random
import socket
import ssl
import threading
import time
from typing import Callable

import paho.mqtt.client as mqtt
import structlog
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode
from paho.mqtt.subscribeoptions import SubscribeOptions

from .config import GatewayConfig

log = structlog.get_logger()

LOOP_TIMEOUT_S = 0.2


def set_nodelay(sock: object) -> None:
    """Disable Nagle: without it each QoS 1 round trip stalls 40-88 ms on delayed ACKs."""
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # type: ignore[attr-defined]
    except (OSError, AttributeError):
        pass


def new_client(config: GatewayConfig, client_id: str, password: str | None, manual_ack: bool = False) -> mqtt.Client:
    """A paho MQTT 5 client with the config's credentials and TLS, Nagle off on every socket it opens."""
    broker = config.broker
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=manual_ack)
    if broker.username:
        client.username_pw_set(broker.username, password)
    if broker.tls is not None:
        context = ssl.create_default_context(cafile=str(broker.tls.ca_file) if broker.tls.ca_file else None)
        if broker.tls.cert_file and broker.tls.key_file:
            context.load_cert_chain(str(broker.tls.cert_file), str(broker.tls.key_file))
        client.tls_set_context(context)
    client.on_socket_open = lambda _c, _u, sock: set_nodelay(sock)
    return client


class MqttLink:
    """Connect, subscribe on every (re)connect, publish, acknowledge; report health."""

    def __init__(
        self,
        config: GatewayConfig,
        subscriptions: Callable[[], list[tuple[str, SubscribeOptions]]],
        on_message: Callable[[mqtt.MQTTMessage], None],
        will: tuple[str, bytes] | None = None,
        password: str | None = None,
        on_ready: Callable[[], None] | None = None,
        on_lost: Callable[[str], None] | None = None,
        on_unreachable: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self._subscriptions = subscriptions
        self._on_message_cb = on_message
        self._on_ready = on_ready
        self._on_lost = on_lost
        self._on_unreachable = on_unreachable  # called on the first failed attempt of each outage
        broker = config.broker
        client = new_client(config, config.client_id, password, manual_ack=True)
        client.max_inflight_messages_set(config.limits.max_inflight)
        if will:
            client.will_set(will[0], will[1], qos=1, retain=True)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.on_subscribe = self._on_subscribe
        # Any write-interest callback stops paho writing from the publishing thread (see module doc).
        client.on_socket_register_write = lambda *_: None
        client.on_socket_unregister_write = lambda *_: None
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = broker.session_expiry_s
        props.ReceiveMaximum = config.limits.receive_maximum
        client.connect_async(broker.host, broker.port, keepalive=broker.keepalive_s, clean_start=False, properties=props)
        self.client = client
        self.heartbeat = time.monotonic()
        self.epoch = 0  # +1 whenever the broker starts us a fresh session (old packet ids mean nothing then)
        self._live_epoch: int | None = None  # the session acks may go to now; None while not connected
        self._session_lock = threading.Lock()  # makes "is this ack's session live" and the ack one step
        self._unreachable_told = False
        self.connected = threading.Event()
        self.subscribed = threading.Event()
        self._sub_mid: int | None = None
        self._delay = broker.reconnect_min_s
        self._closing = threading.Event()
        self._disconnecting = False
        self._had_connack = False
        self._thread = threading.Thread(target=self._run, name="nanoiot-mqtt", daemon=True)

    # --- lifecycle -------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def close(self, final: tuple[str, bytes] | None = None, timeout: float = 3.0) -> None:
        """Publish `final` (retained, e.g. availability offline) if connected, disconnect, stop the loop."""
        if not self._thread.is_alive():
            self._closing.set()
            return
        if self.connected.is_set() and final:
            info = self.client.publish(final[0], final[1], qos=1, retain=True)
            try:
                info.wait_for_publish(timeout)
            except (RuntimeError, ValueError):
                pass
        self._disconnecting = True
        self.client.disconnect()
        self._thread.join(timeout)
        self._closing.set()
        self._thread.join(timeout)

    # --- the network loop ----------------------------------------------------
    def _run(self) -> None:
        socket_open = False
        broker = self.config.broker
        while not self._closing.is_set():
            self.heartbeat = time.monotonic()
            if not socket_open:
                if self._disconnecting:
                    break
                try:
                    self.client.reconnect()
                    socket_open = True
                except (OSError, ValueError) as exc:
                    log.warning("mqtt.connect_failed", broker=f"{broker.host}:{broker.port}", error=str(exc), retry_in_s=round(self._delay, 2))
                    self._unreachable(str(exc))
                    self._backoff()
                    continue
            rc = self.client.loop(timeout=LOOP_TIMEOUT_S)
            if rc != mqtt.MQTT_ERR_SUCCESS:
                socket_open = False
                with self._session_lock:
                    self._live_epoch = None
                if self._disconnecting:
                    break
                if not self._had_connack:  # e.g. TLS handshake refused, CONNACK with an error
                    log.warning("mqtt.connect_failed", broker=f"{broker.host}:{broker.port}",
                                error=mqtt.error_string(rc), retry_in_s=round(self._delay, 2))
                    self._unreachable(mqtt.error_string(rc))
                self._had_connack = False
                self._backoff()

    def _unreachable(self, error: str) -> None:
        if not self._unreachable_told and self._on_unreachable:
            self._unreachable_told = True
            self._on_unreachable(error)

    def _backoff(self) -> None:
        """Sleep the current delay less up to half of it at random (waking on close), then double it up to the cap.

        The jitter keeps gateways that share a subscription group from reconnecting in lockstep
        after a broker restart.
        """
        end = time.monotonic() + self._delay * random.uniform(0.5, 1.0)
        while not self._closing.is_set() and not self._disconnecting and (left := end - time.monotonic()) > 0:
            self.heartbeat = time.monotonic()
            self._closing.wait(min(left, 0.5))
        self._delay = min(self._delay * 2, self.config.broker.reconnect_max_s)

    # --- paho callbacks (network thread) ---------------------------------------
    def _on_connect(self, client: mqtt.Client, _userdata: object, flags: mqtt.ConnectFlags, reason: ReasonCode, _props: Properties | None) -> None:
        self._had_connack = True
        if reason.is_failure:
            log.error("mqtt.connect_refused", reason=str(reason), client_id=self.config.client_id)
            return
        set_nodelay(client.socket())
        with self._session_lock:
            if not flags.session_present:
                self.epoch += 1
            self._live_epoch = self.epoch
        self._unreachable_told = False
        self._delay = self.config.broker.reconnect_min_s
        self.connected.set()
        log.info("mqtt.connected", broker=f"{self.config.broker.host}:{self.config.broker.port}",
                 client_id=self.config.client_id, session_present=bool(flags.session_present))
        _rc, self._sub_mid = client.subscribe(self._subscriptions())

    def _on_subscribe(self, _client: mqtt.Client, _userdata: object, mid: int, reasons: list[ReasonCode], _props: Properties | None) -> None:
        if mid != self._sub_mid:
            return
        wanted = self._subscriptions()
        refused = [topic for (topic, _), reason in zip(wanted, reasons) if reason.is_failure]
        if refused:
            log.error("mqtt.subscribe_refused", topics=refused[:10], reasons=sorted({str(r) for r in reasons if r.is_failure}))
        if wanted and wanted[0][0] in refused:  # the first subscription is the command topic
            return
        log.info("mqtt.subscribed", topics=len(wanted) - len(refused))
        self.subscribed.set()
        if self._on_ready:
            self._on_ready()

    def _on_disconnect(self, _client: mqtt.Client, _userdata: object, _flags: mqtt.DisconnectFlags, reason: ReasonCode, _props: Properties | None) -> None:
        was_connected = self.connected.is_set()
        with self._session_lock:
            self._live_epoch = None
        self.connected.clear()
        self.subscribed.clear()
        if self._disconnecting:
            log.info("mqtt.disconnected", reason=str(reason))
            return
        if was_connected:
            log.warning("mqtt.connection_lost", reason=str(reason), retry_in_s=round(self._delay, 2))
            if self._on_lost:
                self._on_lost(str(reason))

    def _on_message(self, _client: mqtt.Client, _userdata: object, message: mqtt.MQTTMessage) -> None:
        try:
            self._on_message_cb(message)
        except Exception:  # noqa: BLE001 - a bug in handling one message must not kill the loop
            log.exception("mqtt.message_handler_failed", topic=message.topic)

    # --- used by the worker ------------------------------------------------------
    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False,
                correlation_data: bytes | None = None) -> mqtt.MQTTMessageInfo:
        props = None
        if correlation_data is not None:
            props = Properties(PacketTypes.PUBLISH)
            props.CorrelationData = correlation_data
        info = self.client.publish(topic, payload, qos=qos, retain=retain, properties=props)
        if qos > 0 and info.rc == mqtt.MQTT_ERR_NO_CONN:
            # paho keeps QoS>0 messages and sends them after the reconnect; clear the
            # stale error so wait_for_publish reports that later PUBACK instead.
            info.rc = mqtt.MQTT_ERR_SUCCESS
        return info

    def ack(self, mid: int, qos: int, epoch: int) -> bool:
        """Acknowledge a command; skipped when its session is not the live one (its packet id is void there).

        The check and the ack are one step under the lock the network thread takes when a
        session starts or ends, so an old packet id can never be acknowledged in a new session;
        an ack skipped while disconnected is made good by the broker's redelivery.
        """
        if qos == 0:
            return True
        with self._session_lock:
            if epoch != self._live_epoch:
                return False
            self.client.ack(mid, qos)
        return True
