"""Batches for the inference worker: what is queued at once, and while commands keep coming, a short wait for more.

One model call for 8 commands costs far less than 8 calls, so commands that arrive
together should go through the model together. Waiting for company is only worth it
while a stream is arriving: a command that comes alone (nothing queued behind it, the
one before it long gone) is taken at once, so light load pays no added latency. The
wait is bounded by `max_wait_s` and by `max_size` commands, whichever comes first.
"""

from __future__ import annotations

import queue
import time
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class Batcher(Generic[T]):
    """`next()` returns the next batch (empty when nothing came within `timeout`)."""

    def __init__(self, source: "queue.Queue[T]", max_size: int, max_wait_s: float, arrived: Callable[[T], float]) -> None:
        self.source = source
        self.max_size = max_size
        self.max_wait_s = max_wait_s
        self._arrived = arrived  # an item's arrival time (time.monotonic())
        self._last_arrival = float("-inf")
        self.batches = 0
        self.items = 0
        self.waited = 0  # batches that waited for company

    def next(self, timeout: float) -> list[T]:
        try:
            batch = [self.source.get(timeout=timeout)]
        except queue.Empty:
            return []
        self._drain(batch)
        if self.max_wait_s > 0 and len(batch) < self.max_size and self._streaming(batch):
            self.waited += 1
            deadline = time.monotonic() + self.max_wait_s
            while len(batch) < self.max_size:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    batch.append(self.source.get(timeout=left))
                except queue.Empty:
                    break
                self._drain(batch)
        self._last_arrival = self._arrived(batch[-1])
        self.batches += 1
        self.items += len(batch)
        return batch

    def _drain(self, batch: list[T]) -> None:
        while len(batch) < self.max_size:
            try:
                batch.append(self.source.get_nowait())
            except queue.Empty:
                return

    def _streaming(self, batch: list[T]) -> bool:
        """Commands came together, or this one followed the last batch within the wait: more are likely on the way."""
        return len(batch) > 1 or self._arrived(batch[0]) - self._last_arrival < self.max_wait_s

    def figures(self) -> dict[str, float | int]:
        return {"batches": self.batches, "mean_batch": round(self.items / self.batches, 2) if self.batches else 0.0,
                "waited": self.waited}
