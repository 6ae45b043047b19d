"""The gateway's counters, written from the network thread and the worker: one lock, so no count is lost."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Iterator, Mapping


class Stats(Mapping[str, int]):
    """A read-only mapping of counters (missing = 0) with an atomic `incr`."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def incr(self, key: str, by: int = 1) -> None:
        with self._lock:
            self._counts[key] += by

    def __getitem__(self, key: str) -> int:
        with self._lock:
            return self._counts[key]

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._counts

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(list(self._counts))

    def __len__(self) -> int:
        with self._lock:
            return len(self._counts)
