"""A bounded cache of whole parse results, keyed by what a parse depends on: the text as sent, where it was said,
and whether a kind of device said alone means all of them on this site.

The model-output cache (`nanoiot.outputs`) spares the model; this spares the sentence rules and the resolver
too, which cost more than the MQTT work around them once the model's answer is cached (0.37 ms a command on
the bench's home mix). Homes and lines repeat the same sentences from the same panels all day. A parse is a
pure function of its key and of the parser's registry (a registry change builds a new parser, and with it a
new cache), except where it read a thermostat's setpoint now ("a couple of degrees warmer"): such a batch's
results are never kept.
"""

from __future__ import annotations

from typing import Hashable

from nanoiot.lru import Lru
from nanoiot.schema import ParseResult

DEFAULT_SIZE = 1024  # ~2.5 KB a result: a few MiB at most, against the peak-RSS floor of issue 16


class ParseCache(Lru[ParseResult]):
    """Results come back as copies, so a caller that sets a field of one never changes what the next caller gets."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        super().__init__(size)

    def get(self, keys: list[Hashable]) -> list[ParseResult | None]:
        """The kept result for each key, None where there is none (counted as hits and misses)."""
        with self._lock:
            found = [self._entries.get(k) for k in keys]
            for key, result in zip(keys, found):
                if result is not None:
                    self._entries.move_to_end(key)
            hits = sum(r is not None for r in found)
            self.hits += hits
            self.misses += len(keys) - hits
        return [r.model_copy() if r is not None else None for r in found]

    def put(self, keys: list[Hashable], results: list[ParseResult]) -> None:
        with self._lock:
            if self.size <= 0:
                return
            for key, result in zip(keys, results):
                self._entries[key] = result.model_copy()
                self._entries.move_to_end(key)
            self._trim()
