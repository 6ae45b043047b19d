"""Commands for later ("in 30 minutes", "at 6 am"): their device messages, kept until their moment.

A command for later is understood, screened and turned into device messages when it arrives,
so its answer says what will happen and a bad one is refused at once; the messages wait here
and the worker sends what is due between batches. With a state directory the list lives in a
file, rewritten whole (write, fsync, rename) on every change: it holds at most `max_entries`
small entries, and a gateway killed at any moment finds the old list or the new one. An entry
is added before the command is acknowledged and removed only once the broker has its
messages, so a gateway that dies in between sends them again when it is back: at least once,
like a replayed command (its messages set absolute states or carry the command id, which a
device drops as a repeat). An entry whose moment passed more than `grace_s` ago while the
gateway was down is dropped with a warning: coffee made at noon for "6 am" is a wrong action. An
undoing ("for 10 minutes") is sent however late: a door left unlocked is worse than one locked late.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import structlog

from .config import GatewayConfig
from .payloads import Outbound

log = structlog.get_logger()

UNDO_SUFFIX = "/undo"  # the key (and command id) of what undoes a command that lasts a while


class ScheduleError(Exception):
    """The command cannot be kept for later; `code` is the error code it is answered with."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Entry:
    key: str  # the sender's (source, id) as JSON, so a redelivered command keeps its first moment
    due: float  # epoch seconds
    command_id: str
    source: str
    text: str
    messages: tuple[Outbound, ...]


class Schedule:
    def __init__(self, path: Path | None, max_entries: int, grace_s: float, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.max_entries = max_entries
        self.grace_s = grace_s
        self._clock = clock
        self._entries: dict[str, Entry] = {}
        if path is not None and path.exists():
            self._load(path)
        self._earliest = self._first_due()  # checked between every batch: the list is read only when something is due

    @property
    def durable(self) -> bool:
        """True when entries outlive the process (kept in a file)."""
        return self.path is not None

    def __len__(self) -> int:
        return len(self._entries)

    def waiting(self, source: str) -> bool:
        return any(e.source == source for e in self._entries.values())

    def add(self, *entries: Entry) -> list[Entry]:
        """Keep `entries`, all or none (on disk before this returns); each as kept under its key, which a
        redelivered command finds (so it keeps its first moment).

        Raises ScheduleError: `overloaded` when full, `schedule_failed` when the file cannot be written
        (a command accepted for later must not live only in memory where it was promised a file).
        """
        kept = [self._entries.get(e.key) for e in entries]
        kept = [k if k is not None and k.text == e.text else None for k, e in zip(kept, entries)]
        new = [e for e, k in zip(entries, kept) if k is None]
        if len(self._entries) + len(new) > self.max_entries:
            raise ScheduleError("overloaded", f"{len(self._entries)} commands are waiting for later already; say it when it should happen")
        if new:
            self._entries.update((e.key, e) for e in new)
            try:
                self._commit(undo=lambda: [self._entries.pop(e.key) for e in new])
            except OSError:
                raise ScheduleError("schedule_failed", "could not keep this command for later (the gateway cannot write "
                                                       "its state directory); say it when it should happen") from None
        return [k or e for k, e in zip(kept, entries)]

    def due(self, now: float | None = None) -> list[Entry]:
        """Entries whose moment has come, earliest first."""
        now = self._clock() if now is None else now
        if self._earliest > now:
            return []
        return sorted((e for e in self._entries.values() if e.due <= now), key=lambda e: e.due)

    def cancel(self, source: str) -> list[Entry]:
        """Forget every entry of `source` ("cancel that"): those it had waiting, in the order they were kept."""
        gone = [e for e in self._entries.values() if e.source == source]
        if gone:
            for entry in gone:
                del self._entries[entry.key]
            try:  # where the drop cannot be written, they stay: a restart would send them after all
                self._commit(undo=lambda: self._entries.update((e.key, e) for e in gone))
            except OSError:
                raise ScheduleError("schedule_failed", "could not cancel (the gateway cannot write its state directory)") from None
        return gone

    def done(self, key: str) -> None:
        """The broker has the entry's messages: forget it."""
        if self._entries.pop(key, None) is not None:
            try:
                self._commit()
            except OSError:
                pass  # sent again after a restart, at worst: the messages are safe to repeat

    def _commit(self, undo: Callable[[], object] = lambda: None) -> None:
        """Write the list after a change; where it cannot be written, `undo` the change in memory and raise the
        OSError. Either way the earliest moment is read again from what the list holds then."""
        try:
            self._save()
        except OSError as exc:
            undo()
            log.error("schedule.write_failed", path=str(self.path), error=str(exc))
            raise
        finally:
            self._earliest = self._first_due()

    def _first_due(self) -> float:
        return min((e.due for e in self._entries.values()), default=float("inf"))

    def _save(self) -> None:
        if self.path is None:
            return
        entries = [{"key": e.key, "due": e.due, "id": e.command_id, "source": e.source, "text": e.text,
                    "messages": [[m.device_id, m.topic, m.payload.decode("utf-8", "surrogateescape")] for m in e.messages]}
                   for e in self._entries.values()]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump({"version": 1, "entries": entries}, handle, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    def _load(self, path: Path) -> None:
        """The entries of a previous run; those missed by more than `grace_s` are dropped, each with a warning."""
        now = self._clock()
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))["entries"]
            entries = [Entry(r["key"], float(r["due"]), r["id"], r["source"], r["text"],
                             tuple(Outbound(d, t, p.encode("utf-8", "surrogateescape")) for d, t, p in r["messages"]))
                       for r in rows]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.error("schedule.unreadable", path=str(path), error=str(exc))
            try:
                path.replace(path.with_suffix(".unreadable"))  # kept for a person to read, out of the next write's way
            except OSError:
                pass
            return
        for entry in entries:
            late = now - entry.due
            # an undoing is sent however late: the porch light left on, the door left unlocked, is worse than late
            if late > self.grace_s and not entry.key.endswith(UNDO_SUFFIX):
                log.warning("schedule.missed", id=entry.command_id, source=entry.source, text=entry.text[:200],
                            late_s=round(late, 1), grace_s=self.grace_s)
            else:
                self._entries[entry.key] = entry
        log.info("schedule.loaded", path=str(path), entries=len(self._entries), missed=len(entries) - len(self._entries))
        if len(self._entries) != len(entries):
            try:
                self._commit()
            except OSError:
                pass  # the missed ones are dropped again at the next start


def schedule_path(config: GatewayConfig) -> Path | None:
    """Where a gateway's commands for later survive restarts (None: memory only); its own, never shared."""
    return config.state_dir / f"{config.gateway_id}.later.json" if config.state_dir else None
