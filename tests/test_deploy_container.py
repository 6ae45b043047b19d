"""The container's health supervisor (deploy/container/sdwatch.py), without Docker.

sdwatch runs a real child process that speaks sd_notify through nanoiot's own
SystemdNotifier, driven line by line over stdin so every step is awaited, not
slept for; the health check is the same command the image's HEALTHCHECK runs.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Callable

import pytest
from support import end_group, gateway_available, require, spawn

REPO = Path(__file__).resolve().parents[1]
SDWATCH = REPO / "deploy" / "container" / "sdwatch.py"

# A stand-in service that notifies exactly when told to on stdin.
CHILD = textwrap.dedent(
    """
    import signal, sys
    from nanoiot.sdnotify import SystemdNotifier
    notifier = SystemdNotifier()
    assert notifier.enabled and SystemdNotifier.watchdog_interval() == 1.5, "sdwatch must set the notify env"
    def stop(signum, frame):
        notifier.stopping("shutting down")
        sys.exit(0)
    signal.signal(signal.SIGTERM, stop)
    notifier.status("loading model")
    for line in sys.stdin:
        word, _, arg = line.strip().partition(" ")
        if word == "ready":
            notifier.ready("connected, subscribed")
        elif word == "ping":
            notifier.watchdog()
        elif word == "exit":
            sys.exit(int(arg))
    signal.pause()
    """
)


def health(state: Path, *args: str) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, str(SDWATCH), "--state", str(state), "check", *args],
                          capture_output=True, text=True, timeout=30)
    return proc.returncode, proc.stdout.strip()


def wait_for(condition: Callable[[], tuple[int, str]], expect: int, reason: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while True:
        code, text = condition()
        if code == expect and reason in text:
            return text
        assert time.monotonic() < deadline, f"waited for {reason!r} ({expect}), last: {code} {text!r}"
        time.sleep(0.05)


@pytest.fixture
def supervised(tmp_path: Path):
    """sdwatch and its child in a process group of their own: killing sdwatch alone would orphan the child."""
    proc = spawn(
        [sys.executable, str(SDWATCH), "--state", str(tmp_path / "health.json"), "run",
         "--socket", str(tmp_path / "notify.sock"), "--watchdog-sec", "3", "--",
         sys.executable, "-c", CHILD],
        stdin=subprocess.PIPE, text=True,
    )
    yield proc, tmp_path / "health.json"
    end_group(proc)
    assert proc.stdin is not None
    proc.stdin.close()


def tell(proc: subprocess.Popen, line: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(line + "\n")
    proc.stdin.flush()


def test_healthy_only_between_ready_and_missed_pings(supervised) -> None:
    proc, state = supervised
    wait_for(lambda: health(state), 1, "loading model")
    tell(proc, "ready")
    assert "connected, subscribed" in wait_for(lambda: health(state), 0, "ok")
    tell(proc, "ping")
    wait_for(lambda: health(state), 0, "ok")
    # No ping within the allowed age: unhealthy, as systemd's watchdog would kill it.
    wait_for(lambda: health(state, "--max-age", "0.3"), 1, "no watchdog ping")
    tell(proc, "ping")
    wait_for(lambda: health(state, "--max-age", "0.3"), 0, "ok")


def test_sigterm_reaches_the_service_which_says_stopping(supervised) -> None:
    proc, state = supervised
    tell(proc, "ready")
    wait_for(lambda: health(state), 0, "ok")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 0
    code, text = health(state)
    assert code == 1 and ("stopping" in text or "exited with 0" in text)


def test_exit_status_is_passed_on(supervised) -> None:
    proc, state = supervised
    tell(proc, "exit 3")
    assert proc.wait(10) == 3
    assert health(state) == (1, "gateway exited with 3")


def test_a_missing_command_is_reported(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(SDWATCH), "--state", str(tmp_path / "h.json"), "run",
         "--socket", str(tmp_path / "n.sock"), "--", str(tmp_path / "no-such-program")],
        capture_output=True, text=True, timeout=30,
    )
    assert proc.returncode == 127 and "cannot start" in proc.stderr
    assert health(tmp_path / "h.json")[0] == 1


def test_no_state_file_is_unhealthy(tmp_path: Path) -> None:
    code, text = health(tmp_path / "absent.json")
    assert code == 1 and "no health state" in text


def test_real_gateway_under_sdwatch_becomes_healthy_and_stops_cleanly(broker, tmp_path: Path) -> None:
    """What the image runs: sdwatch around `nanoiot gateway`, against a real broker."""
    from test_deploy_sdnotify import START_TIMEOUT

    require(gateway_available())
    import os
    import uuid

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NANOIOT_", "NOTIFY_SOCKET", "WATCHDOG_"))}
    state = tmp_path / "health.json"
    log = open(tmp_path / "gateway.log", "wb")
    proc = spawn(
        [sys.executable, str(SDWATCH), "--state", str(state), "run", "--socket", str(tmp_path / "n.sock"),
         "--watchdog-sec", "2", "--", sys.executable, "-m", "nanoiot", "gateway", "--broker", broker.address,
         "--site", f"sw{uuid.uuid4().hex[:8]}", "--gateway-id", f"sw-{uuid.uuid4().hex[:8]}"],
        env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    try:
        wait_for(lambda: health(state), 0, "ok: ready", timeout=START_TIMEOUT)
        # Pings keep coming (every second for --watchdog-sec 2), so it stays healthy.
        deadline = time.monotonic() + 10
        while json.loads(state.read_text()).get("watchdog_pings", 0) < 3:
            assert time.monotonic() < deadline, (tmp_path / "gateway.log").read_text()[-2000:]
            time.sleep(0.05)
        assert health(state, "--max-age", "2")[0] == 0
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert health(state)[0] == 1
    finally:
        end_group(proc)
