"""systemd's sd_notify datagram protocol in a few lines, so there is no libsystemd dependency.

Outside systemd (`NOTIFY_SOCKET` unset) every call is a cheap no-op.
"""

from __future__ import annotations

import os
import socket


class SystemdNotifier:
    """Sends READY/STATUS/WATCHDOG/STOPPING datagrams to `$NOTIFY_SOCKET`."""

    def __init__(self, socket_path: str | None = None) -> None:
        path = socket_path if socket_path is not None else os.environ.get("NOTIFY_SOCKET", "")
        if path.startswith("@"):  # abstract namespace socket
            path = "\0" + path[1:]
        self._address = path or None
        self._sock: socket.socket | None = None
        if self._address:
            self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self._sock.setblocking(False)

    @property
    def enabled(self) -> bool:
        return self._sock is not None

    def notify(self, *lines: str) -> bool:
        if not self._sock or not self._address:
            return False
        try:
            self._sock.sendto("\n".join(lines).encode(), self._address)
            return True
        except OSError:
            return False

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1", *((f"STATUS={status}",) if status else ()))

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={text}")

    def watchdog(self) -> bool:
        return self.notify("WATCHDOG=1")

    def stopping(self, status: str = "") -> bool:
        return self.notify("STOPPING=1", *((f"STATUS={status}",) if status else ()))

    @staticmethod
    def watchdog_interval() -> float | None:
        """Half of WatchdogSec in seconds, when systemd asks for pings for this process."""
        usec = os.environ.get("WATCHDOG_USEC")
        pid = os.environ.get("WATCHDOG_PID")
        if not usec or (pid and pid != str(os.getpid())):
            return None
        try:
            return int(usec) / 2_000_000
        except ValueError:
            return None
