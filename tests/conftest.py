"""Shared fixtures: a real MQTT broker for the whole test session, and the gateway tests' registry and parser.

Order of preference: NANOIOT_TEST_BROKER=host:port; a private `mosquitto` from the
binary on a free loopback port; testcontainers' Mosquitto when only Docker exists.
Tests never use the machine's shared broker on 1883.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from support import DEVICES

from nanoiot.broker import LocalBroker


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
    if not (shutil.which("mosquitto") or os.path.exists("/usr/sbin/mosquitto")):
        pytest.skip("needs the mosquitto binary to stop and restart a broker")
    with LocalBroker() as local:
        yield local


@pytest.fixture(scope="module")
def registry_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("registry") / "registry.json"
    path.write_text(json.dumps({"site": "home", "devices": DEVICES}))
    return path


@pytest.fixture(scope="module")
def parser(registry_file):
    from nanoiot.parser import CommandParser
    from nanoiot.registry import load_registry

    return CommandParser.load(load_registry(registry_file), None)  # the shipped model
