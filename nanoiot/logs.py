"""structlog configured once for the whole process: key-value events, JSON lines for machines.

Services log events such as `command.handled id=... source=... status=... latency_ms=...`.
On a terminal they print as coloured console lines; anywhere else (systemd's journal,
a container, a pipe) as one JSON object per line, so log shippers need no parsing rules.
`NANOIOT_LOG_FORMAT=json|console` and `NANOIOT_LOG_LEVEL` override the choice.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from typing import Literal, TextIO

import structlog

LogFormat = Literal["auto", "json", "console"]
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}

_lock = threading.Lock()
_configured = False


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def configure(
    fmt: LogFormat | None = None,
    level: str | None = None,
    stream: TextIO | None = None,
    force: bool = False,
) -> bool:
    """Configure structlog unless already done (returns whether this call did it).

    Library code only calls `structlog.get_logger()`; the process entry point calls
    this once, so the format is decided in one place. `force=True` reconfigures
    (for a CLI flag that changes the level after an earlier default set-up).
    """
    global _configured
    with _lock:
        if _configured and not force:
            return False
        stream = stream or sys.stdout
        fmt = fmt or os.environ.get("NANOIOT_LOG_FORMAT", "auto")  # type: ignore[assignment]
        level = (level or os.environ.get("NANOIOT_LOG_LEVEL") or "info").lower()
        as_json = fmt == "json" or (fmt != "console" and not _is_tty(stream))
        processors: list[structlog.typing.Processor] = [
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
        ]
        if as_json:
            processors += [
                structlog.processors.dict_tracebacks,
                structlog.processors.JSONRenderer(serializer=json.dumps, default=str, ensure_ascii=False),
            ]
        else:
            processors += [structlog.dev.ConsoleRenderer(colors=_is_tty(stream))]
        structlog.configure(
            processors=processors,
            wrapper_class=structlog.make_filtering_bound_logger(LEVELS.get(level, logging.INFO)),
            logger_factory=structlog.PrintLoggerFactory(file=stream),
            cache_logger_on_first_use=False,
        )
        _configured = True
        return True


def is_configured() -> bool:
    return _configured
