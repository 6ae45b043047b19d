"""The systemd watchdog: WATCHDOG=1 only while both of the gateway's loops are alive and beating."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

import structlog

from nanoiot.sdnotify import SystemdNotifier

log = structlog.get_logger()


def watch(stopped: threading.Event, notifier: SystemdNotifier, healthy: Callable[[], bool],
          describe: Callable[[], dict[str, Any]]) -> None:
    """Until `stopped`: ping at 0.9 of systemd's interval while `healthy()`, else log why not (systemd then restarts us)."""
    interval = notifier.watchdog_interval()
    period = min(interval, 5.0) if interval else 5.0
    last_ping = 0.0
    while not stopped.wait(period):
        if not interval:
            continue
        if healthy():
            if time.monotonic() - last_ping >= interval * 0.9:
                notifier.watchdog()
                last_ping = time.monotonic()
        else:
            log.warning("gateway.unhealthy", **describe())
