"""A small sliding-window rate limiter per client key (in memory, per process).

In memory on purpose: enough for one process per service; several replicas each count
on their own (a shared store would be needed to limit across them). Keys are client
addresses: never put a volgcode or other secret in a key.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from fastapi import Request

from integriteit_shared.http.problems import TooManyRequests


class SlidingWindowLimiter:
    """At most `limit` hits per `window_s` seconds per key; the oldest hit ages out first."""

    def __init__(
        self,
        *,
        limit: int,
        window_s: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be >= 1 and window_s > 0")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}

    def _prune(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        return hits

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again; 0 when it may now."""
        now = self._clock()
        hits = self._prune(key, now)
        if len(hits) < self.limit:
            return 0
        return max(1, math.ceil(hits[0] + self.window_s - now))

    def hit(self, key: str) -> None:
        """Count one attempt, or raise TooManyRequests (429 with Retry-After) when over."""
        wait = self.retry_after(key)
        if wait:
            raise TooManyRequests(wait)
        if len(self._hits) > self._max_keys:
            self._evict(self._clock())
        self._hits[key].append(self._clock())

    def _evict(self, now: float) -> None:
        for key in list(self._hits):
            if not self._prune(key, now):
                del self._hits[key]


def client_key(request: Request, *, trust_forwarded_for: bool = False) -> str:
    """The client's address. X-Forwarded-For only when a trusted proxy sets it."""
    if trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first
    return request.client.host if request.client else "onbekend"
