"""A bounded cache of model outputs, keyed by the model's exact input.

Greedy decoding is deterministic, so the model's answer to one input is the same
every time; and the input is taken after normalisation and placeholders, so
"turn on the kitchen light" and "turn on the porch light" (both registry phrases)
are one input, "turn on light_1". Homes repeat the same few commands all day: a hit
costs a dictionary lookup instead of a model call. The key is the input only, so one
cache serves one engine (its model, beam and score floor fixed at load).
"""

from __future__ import annotations

from typing import Callable

from nanoiot.lru import Lru

Translate = Callable[[list[str]], list[list[str]]]


class OutputCache(Lru[list[str]]):
    """LRU of `translate(sources)` results, at most `size` inputs (0: no caching)."""

    def __init__(self, translate: Translate, size: int = 4096) -> None:
        super().__init__(size)
        self._translate = translate

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
                self._trim()
        return [list(found[s]) for s in sources]
