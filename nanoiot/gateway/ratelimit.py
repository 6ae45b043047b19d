"""Per-source rate limits: a token bucket for each command source, checked on the network thread.

Checked before a command is queued, so a flooding source is answered `rate_limited` at
once and never stands in the queue in front of other sources' commands (or reaches the
model). Off by default; deploy/gateway.example.toml sets a production limit.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable

from pydantic import BaseModel, ConfigDict, Field


class Bucket(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rate_per_s: float = Field(gt=0, description="commands per second a source may send, sustained")
    burst: int = Field(default=20, ge=1, description="commands it may send at once after being quiet")


class RateLimitConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    default: Bucket | None = Field(default=None, description="every source's limit; unset: no limit")
    sources: dict[str, Bucket] = Field(default_factory=dict, description="source -> its own limit")
    max_sources: int = Field(default=10000, ge=1, description="buckets kept; the longest-idle one goes first")


class RateLimiter:
    """Thread-safe token buckets by source, at most `max_sources` of them (LRU)."""

    def __init__(self, config: RateLimitConfig, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # source -> (tokens, last refill)
        self._lock = threading.Lock()

    def allow(self, source: str) -> bool:
        """Take one token from `source`'s bucket; False when it is empty (or True when it has no limit)."""
        limit = self.config.sources.get(source, self.config.default)
        if limit is None:
            return True
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(source, (float(limit.burst), now))
            tokens = min(float(limit.burst), tokens + (now - last) * limit.rate_per_s)
            allowed = tokens >= 1.0
            self._buckets[source] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.config.max_sources:
                self._buckets.popitem(last=False)
            return allowed
