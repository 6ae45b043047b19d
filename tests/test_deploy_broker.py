"""The shipped production broker setup (deploy/mosquitto/) really locks a site down.

A real mosquitto runs the shipped mosquitto.conf (only paths and the port are
rewritten) with the shipped ACL, certificates from make-certs.sh and a password
file from `mosquitto_passwd -b`. Real paho clients then show: the gateway's
credentials work, anonymous or certificate-less clients are refused, and a
device cannot command another device (the gateway never sees such a message).
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.reasoncodes import ReasonCode
from support import (
    REPO,
    START_TIMEOUT,
    NotifySocket,
    gateway_available,
    mosquitto_missing,
    needs,
    start_gateway,
    stop_process,
)

from nanoiot.broker import free_port

MOSQUITTO_DIR = REPO / "deploy" / "mosquitto"
SITE = "testsite"
WAIT = 5.0

MOSQUITTO = shutil.which("mosquitto") or next(
    (p for p in ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto") if Path(p).exists()), None
)
pytestmark = needs(mosquitto_missing("mosquitto_passwd", "openssl"))

# Usernames: the gateway, two devices (a light and a lock) and a wall panel that speaks.
USERS = ("gateway", "kitchen_ceiling", "front_door", "kitchen_panel")


def render_production_config(text: str, root: Path, port: int) -> str:
    """The shipped config with only its file paths and listener port moved into `root`."""
    rewrites = {
        "/etc/mosquitto/": f"{root}/",
        "/var/lib/mosquitto/": f"{root}/data/",
        "listener 8883\n": f"listener {port} 127.0.0.1\n",
    }
    for old, new in rewrites.items():
        assert old in text, f"deploy/mosquitto/mosquitto.conf no longer contains {old!r}; update this test"
        text = text.replace(old, new)
    return text


@dataclass
class SecureBroker:
    host: str
    port: int
    root: Path
    passwords: dict[str, str]

    @property
    def ca(self) -> Path:
        return self.root / "certs" / "ca.crt"

    def client_cert(self, name: str) -> tuple[Path, Path]:
        base = self.root / "certs" / "clients" / name
        return base.with_suffix(".crt"), base.with_suffix(".key")


def _make_readable_for_broker(root: Path) -> None:
    """mosquitto started as root drops to the `mosquitto` user: let it read the test's files."""
    if os.geteuid() != 0:
        return
    for path in [root, *root.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o644)


@pytest.fixture(scope="module")
def secure_broker() -> Iterator[SecureBroker]:
    root = Path(tempfile.mkdtemp(prefix="nanoiot-secure-broker-"))
    try:
        subprocess.run(
            ["bash", str(MOSQUITTO_DIR / "make-certs.sh"), "-o", str(root / "certs"),
             "-H", "localhost", "-H", "127.0.0.1", SITE, *USERS],
            check=True, capture_output=True, timeout=60,
        )
        passwords = {user: secrets.token_urlsafe(12) for user in USERS}
        for i, user in enumerate(USERS):
            subprocess.run(
                ["mosquitto_passwd", *(["-c"] if i == 0 else []), "-b", str(root / "passwd"), user, passwords[user]],
                check=True, capture_output=True, timeout=30,
            )
        shutil.copy(MOSQUITTO_DIR / "acl", root / "acl")
        (root / "data").mkdir()
        port = free_port()
        config = root / "mosquitto.conf"
        config.write_text(render_production_config((MOSQUITTO_DIR / "mosquitto.conf").read_text(), root, port))
        _make_readable_for_broker(root)
        log = open(root / "broker.log", "wb")
        proc = subprocess.Popen([MOSQUITTO, "-c", str(config)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            if proc.poll() is not None:
                pytest.fail(f"mosquitto refused the production config:\n{(root / 'broker.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail("mosquitto did not listen within 10 s")
                time.sleep(0.05)
        try:
            yield SecureBroker("127.0.0.1", port, root, passwords)
        finally:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Client:
    """One paho client with events to wait on instead of sleeping."""

    mqttc: mqtt.Client
    connected: threading.Event = field(default_factory=threading.Event)
    closed: threading.Event = field(default_factory=threading.Event)
    connack: ReasonCode | None = None
    messages: "queue.Queue[mqtt.MQTTMessage]" = field(default_factory=queue.Queue)
    acks: dict[int, ReasonCode] = field(default_factory=dict)
    acked: threading.Condition = field(default_factory=threading.Condition)
    subacks: dict[int, list[ReasonCode]] = field(default_factory=dict)

    def publish(self, topic: str, payload: object, retain: bool = False) -> ReasonCode:
        """QoS 1 publish; returns the broker's PUBACK reason code."""
        info = self.mqttc.publish(topic, json.dumps(payload), qos=1, retain=retain)
        with self.acked:
            assert self.acked.wait_for(lambda: info.mid in self.acks, WAIT), f"no PUBACK for {topic}"
            return self.acks[info.mid]

    def subscribe(self, topic: str) -> ReasonCode:
        _, mid = self.mqttc.subscribe(topic, qos=1)
        with self.acked:
            assert self.acked.wait_for(lambda: mid in self.subacks, WAIT), f"no SUBACK for {topic}"
            return self.subacks[mid][0]

    def next_message(self, timeout: float = WAIT) -> mqtt.MQTTMessage:
        return self.messages.get(timeout=timeout)

    def close(self) -> None:
        self.mqttc.disconnect()
        self.mqttc.loop_stop()


def connect(
    broker: SecureBroker,
    client_id: str,
    username: str | None,
    password: str | None = None,
    cert: str | None = None,
    tls: bool = True,
) -> Client:
    """Connect as a site client; returns once the broker answered (or refused/dropped it)."""
    mqttc = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client = Client(mqttc)
    if tls:
        certfile, keyfile = broker.client_cert(cert) if cert else (None, None)
        mqttc.tls_set(ca_certs=str(broker.ca), certfile=certfile and str(certfile), keyfile=keyfile and str(keyfile),
                      cert_reqs=ssl.CERT_REQUIRED, tls_version=ssl.PROTOCOL_TLS_CLIENT)
    if username is not None:
        mqttc.username_pw_set(username, password)
    mqttc.reconnect_delay_set(1, 2)

    def on_connect(c: mqtt.Client, _u: object, _f: object, rc: ReasonCode, _p: object) -> None:
        client.connack = rc
        if not rc.is_failure:
            c.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        client.connected.set()

    def on_disconnect(_c: mqtt.Client, _u: object, _f: object, _rc: ReasonCode, _p: object) -> None:
        client.closed.set()

    def on_publish(_c: mqtt.Client, _u: object, mid: int, rc: ReasonCode, _p: object) -> None:
        with client.acked:
            client.acks[mid] = rc
            client.acked.notify_all()

    def on_subscribe(_c: mqtt.Client, _u: object, mid: int, rcs: list[ReasonCode], _p: object) -> None:
        with client.acked:
            client.subacks[mid] = rcs
            client.acked.notify_all()

    mqttc.on_connect = on_connect
    mqttc.on_disconnect = on_disconnect
    mqttc.on_publish = on_publish
    mqttc.on_subscribe = on_subscribe
    mqttc.on_message = lambda _c, _u, msg: client.messages.put(msg)
    try:
        mqttc.connect(broker.host, broker.port, keepalive=30)
    except (OSError, ssl.SSLError):
        client.closed.set()
        return client
    mqttc.loop_start()
    # A refused TLS handshake may only surface as a dropped connection.
    deadline = time.monotonic() + WAIT
    while not (client.connected.is_set() or client.closed.is_set()) and time.monotonic() < deadline:
        client.connected.wait(0.05)
    return client


def login(broker: SecureBroker, user: str, client_id: str | None = None) -> Client:
    """Connect with `user`'s own certificate and password; fail the test unless accepted."""
    client = connect(broker, client_id or f"{user}-{secrets.token_hex(3)}", user, broker.passwords[user], cert=user)
    assert client.connack is not None and not client.connack.is_failure, f"{user} refused: {client.connack}"
    return client


def refused(client: Client) -> bool:
    """True when the broker never accepted the session."""
    accepted = client.connack is not None and not client.connack.is_failure
    client.mqttc.loop_stop()
    client.mqttc.disconnect()
    return not accepted


def test_shipped_broker_configs_are_hardened() -> None:
    text = (MOSQUITTO_DIR / "mosquitto.conf").read_text()
    lines = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    for required in ("set_tcp_nodelay true", "allow_anonymous false", "require_certificate true",
                     "password_file /etc/mosquitto/passwd", "acl_file /etc/mosquitto/acl"):
        assert required in lines
    assert not any(line.startswith("listener") and line.split()[1] == "1883" for line in lines), "plain-text listener"


def test_gateway_credentials_are_accepted(secure_broker: SecureBroker) -> None:
    gateway = login(secure_broker, "gateway")
    try:
        topic = f"nanoiot/{SITE}/command/kitchen_panel"
        assert not gateway.subscribe(f"$share/nanoiot-gateway/nanoiot/{SITE}/command/+").is_failure
        panel = login(secure_broker, "kitchen_panel")
        try:
            assert not panel.publish(topic, {"text": "turn on the kitchen light"}).is_failure
            message = gateway.next_message()
            assert message.topic == topic and json.loads(message.payload)["text"] == "turn on the kitchen light"
        finally:
            panel.close()
    finally:
        gateway.close()


@pytest.mark.parametrize(
    "how",
    ["no_username", "wrong_password", "no_client_certificate", "plain_tcp"],
)
def test_clients_without_credentials_are_refused(secure_broker: SecureBroker, how: str) -> None:
    password = secure_broker.passwords["kitchen_ceiling"]
    client = {
        "no_username": lambda: connect(secure_broker, "anon-1", None, cert="kitchen_ceiling"),
        "wrong_password": lambda: connect(secure_broker, "wrong-1", "kitchen_ceiling", password + "x",
                                          cert="kitchen_ceiling"),
        "no_client_certificate": lambda: connect(secure_broker, "nocert-1", "kitchen_ceiling", password),
        "plain_tcp": lambda: connect(secure_broker, "plain-1", "kitchen_ceiling", password, tls=False),
    }[how]()
    assert refused(client)


def test_device_cannot_command_another_device(secure_broker: SecureBroker) -> None:
    gateway = login(secure_broker, "gateway")
    light = login(secure_broker, "kitchen_ceiling")
    try:
        assert not gateway.subscribe("zigbee2mqtt/#").is_failure
        assert not gateway.subscribe(f"nanoiot/{SITE}/device/#").is_failure
        # The compromised light tries to unlock the door, directly and on the nanoiot-style topic.
        for topic in ("zigbee2mqtt/front_door/set", f"nanoiot/{SITE}/device/front_door/set"):
            assert light.publish(topic, {"state": "UNLOCK"}).value == 0x87  # not authorized
        # Its own state and errors are allowed; they were sent after the forbidden ones,
        # so once the gateway has them, the forbidden ones would have arrived before.
        assert not light.publish("zigbee2mqtt/kitchen_ceiling/error", {"code": "unsupported"}).is_failure
        assert not light.publish("zigbee2mqtt/kitchen_ceiling", {"state": "ON"}).is_failure
        topics = [gateway.next_message().topic, gateway.next_message().topic]
        assert topics == ["zigbee2mqtt/kitchen_ceiling/error", "zigbee2mqtt/kitchen_ceiling"]
        assert gateway.messages.empty()
    finally:
        light.close()
        gateway.close()


def test_only_the_addressed_device_reads_a_gateway_command(secure_broker: SecureBroker) -> None:
    gateway = login(secure_broker, "gateway")
    door = login(secure_broker, "front_door")
    light = login(secure_broker, "kitchen_ceiling")
    try:
        assert not door.subscribe("zigbee2mqtt/front_door/set").is_failure
        # Another device may not listen in on the door's commands, directly or through a
        # wildcard: mosquitto grants the subscription but never delivers what the ACL denies.
        assert not light.subscribe("zigbee2mqtt/front_door/set").is_failure
        assert not light.subscribe("zigbee2mqtt/+/set").is_failure
        assert not gateway.publish("zigbee2mqtt/front_door/set", {"state": "LOCK"}).is_failure
        assert not gateway.publish("zigbee2mqtt/kitchen_ceiling/set", {"state": "ON"}).is_failure
        assert json.loads(door.next_message().payload) == {"state": "LOCK"}
        assert light.next_message().topic == "zigbee2mqtt/kitchen_ceiling/set"
        assert light.messages.empty()
    finally:
        light.close()
        door.close()
        gateway.close()


def test_device_cannot_speak_in_another_devices_name(secure_broker: SecureBroker) -> None:
    gateway = login(secure_broker, "gateway")
    panel = login(secure_broker, "kitchen_panel")
    try:
        assert not gateway.subscribe(f"nanoiot/{SITE}/command/+").is_failure
        assert panel.publish(f"nanoiot/{SITE}/command/front_door", {"text": "unlock the door"}).value == 0x87
        assert panel.publish(f"nanoiot/{SITE}/device/kitchen_panel/set", {"state": "ON"}).value == 0x87
        assert not panel.publish(f"nanoiot/{SITE}/command/kitchen_panel", {"text": "lights on"}).is_failure
        assert gateway.next_message().topic == f"nanoiot/{SITE}/command/kitchen_panel"
        assert gateway.messages.empty()
    finally:
        panel.close()
        gateway.close()


def test_clients_read_only_their_own_reply_topic(secure_broker: SecureBroker) -> None:
    gateway = login(secure_broker, "gateway")
    panel = login(secure_broker, "kitchen_panel", client_id="panel-a")
    try:
        assert not panel.subscribe(f"nanoiot/{SITE}/reply/#").is_failure
        assert not panel.subscribe(f"nanoiot/{SITE}/result/#").is_failure
        for topic in (f"nanoiot/{SITE}/reply/panel-b", f"nanoiot/{SITE}/result/front_door",
                      f"nanoiot/{SITE}/reply/panel-a", f"nanoiot/{SITE}/result/kitchen_panel"):
            assert not gateway.publish(topic, {"status": "ok"}).is_failure
        got = [panel.next_message().topic, panel.next_message().topic]
        assert got == [f"nanoiot/{SITE}/reply/panel-a", f"nanoiot/{SITE}/result/kitchen_panel"]
        assert panel.messages.empty()
    finally:
        panel.close()
        gateway.close()


@needs(gateway_available())
def test_real_gateway_connects_with_its_credentials(secure_broker: SecureBroker, tmp_path: Path) -> None:
    """`nanoiot gateway` with TLS, client certificate and password file from its config answers a panel."""
    password_file = tmp_path / "gateway.password"
    password_file.write_text(secure_broker.passwords["gateway"] + "\n")
    cert, key = secure_broker.client_cert("gateway")
    config = tmp_path / "gateway.toml"
    config.write_text(
        f'gateway_id = "tls-{secrets.token_hex(3)}"\n'
        f'site = "{SITE}"\n'
        "[broker]\n"
        f'host = "{secure_broker.host}"\nport = {secure_broker.port}\n'
        f'username = "gateway"\npassword_file = "{password_file}"\n'
        "[broker.tls]\n"
        f'ca_file = "{secure_broker.ca}"\ncert_file = "{cert}"\nkey_file = "{key}"\n'
    )
    panel = login(secure_broker, "kitchen_panel")
    notify = NotifySocket()
    proc = start_gateway(notify, ["--config", str(config)], tmp_path / "gateway.log")
    try:
        assert not panel.subscribe(f"nanoiot/{SITE}/result/kitchen_panel").is_failure
        assert notify.wait_for(lambda lines: "READY=1" in lines, START_TIMEOUT), (
            f"gateway never ready: {notify.texts()}\n{(tmp_path / 'gateway.log').read_text()[-3000:]}")
        assert not panel.publish(f"nanoiot/{SITE}/command/kitchen_panel",
                                 {"id": "tls-1", "text": "turn on the kitchen light"}).is_failure
        answer = json.loads(panel.next_message(timeout=15).payload)
        assert answer["id"] == "tls-1" and answer["source"] == "kitchen_panel"
    finally:
        stop_process(proc)
        notify.close()
        panel.close()
