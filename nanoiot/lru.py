"""What the two exact caches share (`nanoiot.outputs`: model outputs; `nanoiot.parse_cache`: whole parses): a
bounded, least-recently-used dict behind a lock, with the hit counts the gateway's stats and the bench report."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, Hashable, TypeVar

V = TypeVar("V")


class Lru(Generic[V]):
    """At most `size` entries (0: nothing kept)."""

    def __init__(self, size: int) -> None:
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()  # the gateway has one worker; the bench may share a parser between threads
        self.size = size
        self.hits = 0
        self.misses = 0

    def resize(self, size: int) -> None:
        with self._lock:
            self.size = size
            self._trim()

    def _trim(self) -> None:
        while len(self._entries) > max(self.size, 0):
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def hit_rate(self) -> float:
        asked = self.hits + self.misses
        return self.hits / asked if asked else 0.0

    def figures(self) -> dict[str, float | int]:
        """For the gateway's stats and the bench."""
        return {"hits": self.hits, "misses": self.misses, "hit_rate": round(self.hit_rate, 4), "entries": len(self), "size": self.size}
