"""What the gateway tells its operator about the broker: a slow broker at start-up, an absent one on a terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
import uuid

import pytest
import structlog
from support import REPO, make_config

from nanoiot.broker import LocalBroker, free_port
from nanoiot.gateway.service import Gateway


def _probe_median(broker: LocalBroker, registry_file, parser) -> tuple[float, list[dict]]:
    gw = Gateway(make_config(broker, registry_file, f"p{uuid.uuid4().hex[:8]}"), parser=parser)
    with structlog.testing.capture_logs() as events:
        gw.start()
        try:
            assert gw.wait_ready(15)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not any(e["event"] == "broker.round_trip" for e in events):
                time.sleep(0.05)
        finally:
            gw.stop()
    (measured,) = [e for e in events if e["event"] == "broker.round_trip"]
    return measured["median_ms"], events


def test_a_broker_that_leaves_nagle_on_is_named_at_start_up(registry_file, parser):
    nagle = LocalBroker()
    nagle.config_path.write_text(nagle.config_path.read_text().replace("set_tcp_nodelay true\n", ""))
    with nagle, LocalBroker() as fast:
        slow_ms, slow_events = _probe_median(nagle, registry_file, parser)
        fast_ms, fast_events = _probe_median(fast, registry_file, parser)
    (warning,) = [e for e in slow_events if e["event"] == "broker.slow"]
    assert "set_tcp_nodelay true" in warning["hint"]
    assert slow_ms > 2 * fast_ms, (slow_ms, fast_ms)  # the delayed ACK stall, not noise
    assert not any(e["event"] == "broker.slow" for e in fast_events)


@pytest.mark.skipif(not sys.stderr or not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_on_a_terminal_an_unreachable_broker_is_said_once_in_plain_words():
    port = free_port()  # nothing listens there
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NANOIOT_")}
    env.update(NANOIOT_BROKER__RECONNECT_MIN_S="0.1", NANOIOT_BROKER__RECONNECT_MAX_S="0.2", NANOIOT_LOG_FORMAT="json")
    proc = subprocess.Popen([sys.executable, "-m", "nanoiot", "gateway", "--broker", f"127.0.0.1:{port}"], cwd=REPO, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=secondary, start_new_session=True)
    os.close(secondary)
    seen = b""
    try:
        deadline = time.monotonic() + 60
        attempts_after = None
        while time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(primary, 4096)
                except OSError:
                    break
            if attempts_after is None and b"waiting for the MQTT broker" in seen:
                attempts_after = time.monotonic() + 2.0  # several more retries happen in this time
            if attempts_after is not None and time.monotonic() > attempts_after:
                break
    finally:
        proc.kill()
        proc.wait(10)
        os.close(primary)
    text = seen.decode("utf-8", "replace")
    assert text.count("waiting for the MQTT broker") == 1, text[-2000:]
    assert f"127.0.0.1:{port}" in text and "--broker HOST:PORT" in text
