"""A private Mosquitto broker on a free loopback port, for the demo and the tests.

Runs the real `mosquitto` binary with `set_tcp_nodelay true` (see docs/protocol.md
on latency); persistence is on so a restart keeps sessions, as a real broker would.
"""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class BrokerError(RuntimeError):
    """No mosquitto binary, or it did not start listening."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalBroker:
    """Start/stop/restart one mosquitto process; the port stays the same across restarts."""

    def __init__(self, port: int | None = None, extra_config: str = "") -> None:
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self._dir = Path(tempfile.mkdtemp(prefix="nanoiot-broker-"))
        self._binary = shutil.which("mosquitto") or next(
            (p for p in ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto") if Path(p).exists()), None
        )
        if self._binary is None:
            raise BrokerError("no mosquitto binary on PATH (apt-get install mosquitto)")
        self.config_path = self._dir / "mosquitto.conf"
        self.config_path.write_text(
            f"listener {self.port} {self.host}\n"
            "allow_anonymous true\n"
            f"user {getpass.getuser()}\n"  # as root, mosquitto would drop to a user that cannot write here
            "set_tcp_nodelay true\n"
            "persistence true\n"
            f"persistence_location {self._dir}/\n"
            "max_queued_messages 100000\n"
            f"log_dest file {self._dir}/mosquitto.log\n" + extra_config
        )
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def start(self, timeout: float = 10.0) -> "LocalBroker":
        self._proc = subprocess.Popen(
            [self._binary, "-c", str(self.config_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise BrokerError(f"mosquitto exited with {self._proc.returncode}; see {self._dir}/mosquitto.log")
            try:
                socket.create_connection((self.host, self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise BrokerError(f"mosquitto did not listen on {self.address} within {timeout}s")

    def stop(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    def kill(self) -> None:
        """SIGKILL, as a crash or a power cut would: sessions and queues not yet persisted are lost."""
        if self._proc and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> "LocalBroker":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
