"""A bounded cache of model outputs, keyed by the model's exact input.

Greedy decoding is deterministic, so the model's answer to one input is the same
every time; and the input is taken after normalisation and placeholders, so
"turn on the kitchen light" and "turn on the porch light" (both registry phrases)
are one input, "turn on light_1". Homes repeat the same few commands all day: a hit
costs a dictionary lookup instead of a model call. The key is the input only, so one
cache serves one engine (its model, beam and score floor fixed at load).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

Translate = Callable[[list[str]], list[list[str]]]


class OutputCache:
    """LRU of `translate(sources)` results, at most `size` inputs (0: no caching)."""

    def __init__(self, translate: Translate, size: int = 4096) -> None:
        self._translate = translate
        self._entries: OrderedDict[str, list[str]] = OrderedDict()
        self._lock = threading.Lock()  # the gateway has one worker; the bench may share a parser between threads
        self.size = size
        self.hits = 0
        self.misses = 0

    def resize(self, size: int) -> None:
        with self._lock:
            self.size = size
            while len(self._entries) > size:
                self._entries.popitem(last=False)

    def translate_nbest(self, sources: list[str]) -> list[list[str]]:
        """The model's hypotheses for each source; only inputs never seen (or evicted) reach the model."""
        with self._lock:
            found = {s: self._entries[s] for s in sources if s in self._entries}
            for s in found:
                self._entries.move_to_end(s)
        missing = list(dict.fromkeys(s for s in sources if s not in found))  # a batch saying one thing twice asks once
        if missing:
            found.update(zip(missing, self._translate(missing)))
        with self._lock:
            self.hits += len(sources) - len(missing)
            self.misses += len(missing)
            if self.size > 0:
                for s in missing:
                    self._entries[s] = found[s]
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return [list(found[s]) for s in sources]

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def hit_rate(self) -> float:
        asked = self.hits + self.misses
        return self.hits / asked if asked else 0.0

    def figures(self) -> dict[str, float | int]:
        """For the gateway's stats and the bench."""
        return {"hits": self.hits, "misses": self.misses, "hit_rate": round(self.hit_rate, 4), "entries": len(self), "size": self.size}
