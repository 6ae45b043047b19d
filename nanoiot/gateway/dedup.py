"""A bounded, time-limited record of recent command ids and their results.

At-least-once delivery means a command can arrive twice (a broker redelivery after a
lost acknowledgement, a device retrying). The second copy must not actuate again; it
gets the first result back. With a journal file the record survives a SIGKILL of the
gateway: entries are written (to the page cache, which a killed process cannot lose)
before the command's device messages go out (the plan) and after the broker acknowledged
them (the result), both before the command itself is acknowledged, so a redelivered
command finds one of them (nanoiot.gateway.record).
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Callable, Generic, TypeVar

import structlog

log = structlog.get_logger()

V = TypeVar("V")
Key = tuple[str, str]  # (source, command id): ids are only unique per sender


def compact(value: dict) -> str:
    """A result as the JSON text it is kept as: ~0.5 KB, against ~2.8 KB as Python dicts and lists (10,000 are kept,
    and one is read back only for a repeat)."""
    return json.dumps(value, separators=(",", ":"))


class RecentIds(Generic[V]):
    """LRU of at most `max_size` keys, each forgotten `ttl_s` seconds after it was stored."""

    def __init__(self, max_size: int, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_size = max_size
        self.ttl_s = ttl_s
        self._clock = clock
        self._items: OrderedDict[Key, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> V | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item[0] <= self._clock():
                del self._items[key]
                return None
            return item[1]

    def put(self, key: Key, value: V, expires: float | None = None) -> None:
        with self._lock:
            self._items.pop(key, None)
            self._items[key] = (expires if expires is not None else self._clock() + self.ttl_s, value)
            self._trim()

    def _trim(self) -> None:
        now = self._clock()
        while self._items:
            key, (expires, _) = next(iter(self._items.items()))
            if len(self._items) > self.max_size or expires <= now:
                del self._items[key]
            else:
                break

    def __len__(self) -> int:
        with self._lock:
            self._trim()
            return len(self._items)

    def items(self) -> list[tuple[Key, float, V]]:
        with self._lock:
            return [(k, e, v) for k, (e, v) in self._items.items()]


class Journal:
    """Append-only JSON lines of (key, wall-clock expiry, result), compacted when it doubles.

    Wall-clock time, because monotonic clocks restart with the process. A torn last
    line (killed mid-write) is skipped on load.

    `shared`: the gateways of one shared-subscription group on this host write one file, so
    a retry that the broker hands to another worker finds what the first one did. Writers
    take an flock for each append and for compaction (which merges what is on disk), and
    follow the file to its new inode after another writer compacted it; `tail` reads what
    was appended since the last look, by any writer.
    """

    def __init__(self, path: Path, shared: bool = False) -> None:
        self.path = path
        self.shared = shared
        self._lines = 0
        self._fd: int | None = None
        self._read_inode = 0
        self._read_offset = 0
        self._lock = threading.Lock()

    def load(self) -> list[tuple[Key, float, str]]:
        """Entries still valid now, oldest first."""
        try:
            with self.path.open("rb") as handle:
                self._read_inode = os.fstat(handle.fileno()).st_ino
                data = handle.read()
        except FileNotFoundError:
            return []
        self._read_offset = len(data)
        entries = _parse(data)
        self._lines += data.count(b"\n")
        return entries

    def tail(self) -> list[tuple[Key, float, str]]:
        """Entries appended since the last `load` or `tail` (the whole file after a compaction), oldest first."""
        try:
            with self.path.open("rb") as handle:
                inode = os.fstat(handle.fileno()).st_ino
                if inode != self._read_inode:
                    self._read_inode, self._read_offset = inode, 0
                handle.seek(self._read_offset)
                data = handle.read()
        except FileNotFoundError:
            return []
        data = data[: data.rfind(b"\n") + 1]  # a line being written now is read next time
        self._read_offset += len(data)
        return _parse(data)

    def append(self, entries: list[tuple[Key, float, str]]) -> None:
        """Entries in one write: a batch's lines land together or (killed mid-write) end in a torn line."""
        line = "".join(_line(key, expires, value) for key, expires, value in entries)
        with self._lock:
            fd = self._open()
            if self.shared:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    fd = self._follow(fd)
                    os.write(fd, line.encode("utf-8"))
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            else:
                os.write(fd, line.encode("utf-8"))
            self._lines += len(entries)

    def _open(self) -> int:
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return self._fd

    def _follow(self, fd: int) -> int:
        """The open file is still the journal (another writer may have compacted it away), locked."""
        try:
            if os.fstat(fd).st_ino == os.stat(self.path).st_ino:
                return fd
        except FileNotFoundError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
        self._fd = None
        fd = self._open()
        fcntl.flock(fd, fcntl.LOCK_EX)
        return self._follow(fd)

    @property
    def lines(self) -> int:
        return self._lines

    def rewrite(self, entries: list[tuple[Key, float, str]]) -> None:
        """Replace the file with just `entries` (atomic rename); shared, with what other writers added too."""
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        with self._lock:
            fd = self._open()
            if self.shared:
                fcntl.flock(fd, fcntl.LOCK_EX)
                fd = self._follow(fd)
                with self.path.open("rb") as handle:
                    merged = {k: (e, v) for k, e, v in _parse(handle.read())}
                merged.update({k: (e, v) for k, e, v in entries})
                entries = [(k, e, v) for k, (e, v) in merged.items()][-len(entries) or None:]
            try:
                with tmp.open("w", encoding="utf-8") as handle:
                    for key, expires, value in entries:
                        handle.write(_line(key, expires, value))
                os.replace(tmp, self.path)
            finally:
                os.close(fd)  # releases the lock; the next append opens the new file
                self._fd = None
            self._lines = len(entries)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def _line(key: Key, expires_wall: float, value: str) -> str:
    """One journal entry as the line `_parse` reads back; `value` is a result's compact JSON."""
    return f'{{"k":{compact(list(key))},"e":{round(expires_wall, 3)},"v":{value}}}\n'


def _parse(data: bytes) -> list[tuple[Key, float, str]]:
    """Valid, unexpired entries of journal lines, the last one per key, oldest first."""
    entries: dict[Key, tuple[float, str]] = {}
    now = time.time()
    for line in data.decode("utf-8", errors="replace").splitlines():
        try:
            raw = json.loads(line)
            key = (str(raw["k"][0]), str(raw["k"][1]))
            expires, value = float(raw["e"]), raw["v"]
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        if expires > now and isinstance(value, dict):
            entries.pop(key, None)
            entries[key] = (expires, compact(value))
    return [(k, e, v) for k, (e, v) in entries.items()]


class ResultLog:
    """Recent results by (source, id), in memory and, when given a path, in a journal.

    A journal that cannot be read or written (read-only or full disk) never stops commands:
    the record goes on in memory, `problem` says what is wrong (the gateway shows it in its
    status) and only the protection against a redelivery *after a crash* is lost meanwhile.
    """

    def __init__(self, max_size: int, ttl_s: float, journal_path: Path | None = None, shared: bool = False) -> None:
        self.recent: RecentIds[str] = RecentIds(max_size, ttl_s)  # compact JSON: a fifth of the memory of dicts
        self.problem: str | None = None
        self._journal = Journal(journal_path, shared) if journal_path else None
        if self._journal is None:
            return
        try:
            offset = time.monotonic() - time.time()
            entries = self._journal.load()
            for key, expires_wall, value in entries[-max_size:]:
                self.recent.put(key, value, expires=expires_wall + offset)
            log.info("dedup.loaded", path=str(journal_path), entries=len(self.recent))
        except OSError as exc:  # writes are still tried: the disk may come back
            self._failed(self._journal.path, exc)

    def get(self, key: Key) -> dict | None:
        value = self.recent.get(key)
        return None if value is None else json.loads(value)

    @property
    def durable(self) -> bool:
        """True when entries outlive the process (a journal is kept)."""
        return self._journal is not None

    def refresh(self) -> None:
        """Take in what the other gateways of a shared journal recorded since the last look."""
        if self._journal is None or not self._journal.shared:
            return
        try:
            entries = self._journal.tail()
        except OSError as exc:
            self._failed(self._journal.path, exc)
            return
        offset = time.monotonic() - time.time()
        for key, expires_wall, value in entries:
            self.recent.put(key, value, expires=expires_wall + offset)

    def put(self, key: Key, value: dict) -> None:
        self.put_many([(key, value)])

    def put_many(self, entries: list[tuple[Key, dict]]) -> None:
        """Record `entries` in memory and, in one write, in the journal."""
        texts = [(key, compact(value)) for key, value in entries]
        for key, text in texts:
            self.recent.put(key, text)
        if self._journal is None or not texts:
            return
        try:
            expires = time.time() + self.recent.ttl_s
            self._journal.append([(key, expires, text) for key, text in texts])
            if self._journal.lines > 2 * self.recent.max_size + 100:
                offset = time.time() - time.monotonic()
                self._journal.rewrite([(k, e + offset, v) for k, e, v in self.recent.items()])
        except OSError as exc:  # a full disk must not stop commands; we only lose crash-dedup
            self._failed(self._journal.path, exc)
            return
        if self.problem is not None:
            log.warning("dedup.journal_recovered", path=str(self._journal.path), after=self.problem)
            self.problem = None

    def _failed(self, path: Path, exc: OSError) -> None:
        """Log the first failure of a run of them (not one line per command), keep the reason for the status."""
        problem = f"cannot write the id journal {path}: {exc.strerror or exc}"
        if self.problem != problem:
            log.error("dedup.journal_failed", path=str(path), error=str(exc),
                      consequence="serving on; a command redelivered after a crash may actuate twice until this is fixed")
        self.problem = problem

    def close(self) -> None:
        if self._journal:
            self._journal.close()
