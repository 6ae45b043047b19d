"""Shared fixtures: a real MQTT broker for the whole test session, and the gateway tests' registry and parser.

Order of preference: NANOIOT_TEST_BROKER=host:port; a private `mosquitto` from the
binary on a free loopback port; testcontainers' Mosquitto when only Docker exists.
Tests never use the machine's shared broker on 1883.

Also: the `needs` mark (see support.require: a skip, a failure under CI=true), and a check
at the end of the session that no process a test started is still running.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from support import DEVICES, mosquitto_missing, require

from nanoiot.broker import LocalBroker


PR_SET_CHILD_SUBREAPER = 36


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs(missing): skip when `missing` is not None, fail under CI=true")


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("needs"):
        require(mark.args[0] if mark.args else None)


def _children() -> dict[int, str]:
    """Live (not zombie) child processes of this one, pid -> command line, from /proc."""
    me, found = os.getpid(), {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
            fields = stat[stat.rindex(b")") + 2:].split()
            if int(fields[1]) != me or fields[0] == b"Z":
                continue
            with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                found[int(entry.name)] = handle.read().replace(b"\0", b" ").decode(errors="replace").strip()[:200]
        except (OSError, ValueError):
            continue  # gone meanwhile
    return found


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind() -> Iterator[None]:
    """Fail the session if a process a test started outlives the tests, then end it.

    pytest becomes a child subreaper, so a grandchild orphaned by its parent's death (the
    way sdwatch's child once outlived the suite by half an hour) comes back to it and counts.
    """
    if not os.path.isdir("/proc"):
        yield
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: only direct children are seen
    before = set(_children())
    yield
    deadline = time.monotonic() + 5  # a process told to stop may take a moment to exit
    while (left := {pid: cmd for pid, cmd in _children().items() if pid not in before}) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    assert not left, f"processes started by the tests outlived them (now killed): {left}"


@dataclass
class BrokerAddress:
    host: str
    port: int
    local: LocalBroker | None = None  # set when tests may stop/restart it

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def _testcontainers_broker() -> Iterator[BrokerAddress]:
    from testcontainers.mqtt import MosquittoContainer  # type: ignore[import-not-found]

    with MosquittoContainer() as container:
        yield BrokerAddress(container.get_container_host_ip(), int(container.get_exposed_port(1883)))


@pytest.fixture(scope="session")
def broker() -> Iterator[BrokerAddress]:
    """One broker for the session; tests must use unique topics/client ids."""
    env = os.environ.get("NANOIOT_TEST_BROKER")
    if env:
        host, _, port = env.rpartition(":")
        yield BrokerAddress(host or "127.0.0.1", int(port))
    elif shutil.which("mosquitto") or os.path.exists("/usr/sbin/mosquitto"):
        with LocalBroker() as local:
            yield BrokerAddress(local.host, local.port, local)
    else:
        yield from _testcontainers_broker()


@pytest.fixture
def private_broker() -> Iterator[LocalBroker]:
    """A broker of the test's own, for tests that stop and restart it."""
    require(mosquitto_missing())
    with LocalBroker() as local:
        yield local


@pytest.fixture(scope="module")
def registry_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("registry") / "registry.json"
    path.write_text(json.dumps({"site": "home", "devices": DEVICES}))
    return path


@pytest.fixture(scope="module")
def example():
    """The example site's parser (nanoiot/data/example_registry.json, a home and a plant) with the shipped model."""
    from nanoiot.parser import CommandParser
    from nanoiot.registry import default_registry_path, load_registry

    return CommandParser.load(load_registry(default_registry_path()), None)


@pytest.fixture(scope="module")
def site():
    """The parser of helper probe N's own site (nanoiot/data/helper_requests_N.site.json), built once per site."""
    from nanoiot.engine import Engine
    from nanoiot.parser import CommandParser
    from nanoiot.registry import load_registry

    data = Path(__file__).resolve().parent.parent / "nanoiot" / "data"
    engine, built = Engine(), {}

    def parser(n: int) -> CommandParser:
        if n not in built:
            built[n] = CommandParser(engine, load_registry(data / f"helper_requests_{n}.site.json"))
        return built[n]
    return parser


@pytest.fixture(scope="module")
def parser(registry_file):
    from nanoiot.parser import CommandParser
    from nanoiot.registry import load_registry

    return CommandParser.load(load_registry(registry_file), None)  # the shipped model
