"""`nanoiot demo` as a user runs it: a subprocess that must print its table and summary, then leave nothing behind."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import socket
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
from support import model_missing, needs

from nanoiot import broker as broker_module
from nanoiot.broker import free_port
from nanoiot.demo import NO_BROKER, Demo, DemoError

ROOT = Path(__file__).resolve().parents[1]
needs_model = needs(model_missing())


def demo(*args: str, stdin: str | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{os.environ.get('PATH', '')}:/usr/sbin"}
    return subprocess.run([sys.executable, "-m", "nanoiot", "demo", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def broker_port(stdout: str) -> int:
    match = re.search(r"^broker\s+mosquitto \(private\) on 127\.0\.0\.1:(\d+)$", stdout, re.M)
    assert match, stdout
    return int(match.group(1))


def closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@needs_model
def test_demo_prints_table_and_summary_and_shuts_down(tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    done = demo("--limit", "12", "--json", str(report_path))
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert re.search(r"^#\s+command\s+actions\s+device state after\s+ms", out, re.M)
    rows = re.findall(r"^(\d+)\s+\"", out, re.M)
    assert [int(r) for r in rows] == list(range(1, 13)), "one live row per command"
    assert '"good morning, open the curtains"' in out
    understood = re.search(r"^commands understood:\s+(\d+)/12", out, re.M)
    devices = re.search(r"^devices in the expected state:\s+(\d+)/(\d+) commands", out, re.M)
    latency = re.search(r"^latency, command to device state: p50 (\d+) ms, p90 \d+ ms, p99 (\d+) ms", out, re.M)
    assert understood and devices and latency, out
    summary = json.loads(report_path.read_text())["summary"]
    assert summary["commands"] == 12 and summary["understood"] == int(understood.group(1))
    assert summary["understood"] >= 9 and summary["devices_ok"] >= 8, out
    assert int(latency.group(1)) <= int(latency.group(2))
    assert "broker, gateway and fleet stopped" in out
    assert closed(broker_port(out)), "the private broker is gone"


@needs_model
def test_interactive_demo_reacts_to_typed_commands() -> None:
    done = demo("--interactive", "--source", "kitchen_panel",
                stdin="turn on the light\ndevices\ntell me a joke\nquit\n", timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "-> light.turn_on kitchen_ceiling" in out and "kitchen_ceiling: ON" in out  # the panel's area: kitchen
    assert "machine.conveyor_b" in out  # the device list
    assert "-> not_understood" in out
    assert "bye" in out and closed(broker_port(out))


def test_demo_names_the_broker_it_cannot_reach() -> None:
    port = free_port()  # nothing listens there
    done = demo("--broker", f"127.0.0.1:{port}", "--limit", "1", timeout=60)
    assert done.returncode == 2
    assert "cannot reach the broker at 127.0.0.1" in done.stderr


def test_without_mosquitto_the_demo_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_binary(*args: object, **kwargs: object) -> None:
        raise broker_module.BrokerError("no mosquitto binary on PATH")

    monkeypatch.setattr(broker_module, "LocalBroker", no_binary)
    args = argparse.Namespace(broker=None)
    with ExitStack() as stack, pytest.raises(DemoError) as info:
        Demo(args, io.StringIO())._broker(stack)
    assert str(info.value) == NO_BROKER and "apt-get install mosquitto" in NO_BROKER and "--broker" in NO_BROKER


def test_unknown_scenario_is_a_clear_error() -> None:
    done = demo("--scenario", "no_such_scenario", timeout=60)
    assert done.returncode == 2 and "no scenario 'no_such_scenario'" in done.stderr
