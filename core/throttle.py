"""Counting in Django's cache: growing delays after repeated failures (login) and
fixed-window rate limits (password reset, update links).

Identifiers are hashed into the cache key, so a user name or address of any length or
character set makes a valid key and none is stored in clear.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache


def _key(*parts) -> str:
    digest = hashlib.sha256("\x00".join(str(part) for part in parts).encode()).hexdigest()
    return f"throttle:{parts[0]}:{digest[:40]}"


@dataclass(frozen=True)
class Backoff:
    """After `free` failures of one identifier, each further failure makes it wait: `base`
    seconds, doubled at each failure up to `cap`. Nothing is locked for good: once the
    wait is over one more try is allowed, and failures are forgotten `window` seconds
    after the last."""

    scope: str
    free: int
    base: int = 1
    cap: int = 900
    window: int = 24 * 3600

    def wait(self, ident) -> int:
        """Seconds before `ident` may try again; 0 when it may now."""
        until = cache.get(_key(self.scope, "until", ident))
        return max(0, math.ceil(until - time.time())) if until else 0

    def failed(self, ident) -> int:
        """Count a failure of `ident`; returns the seconds it must now wait."""
        count_key = _key(self.scope, "count", ident)
        cache.add(count_key, 0, self.window)
        try:
            count = cache.incr(count_key)
        except ValueError:  # expired between add and incr
            cache.add(count_key, 1, self.window)
            count = 1
        cache.touch(count_key, self.window)
        if count <= self.free:
            return 0
        delay = min(self.cap, self.base * 2 ** min(count - self.free - 1, 32))
        cache.set(_key(self.scope, "until", ident), time.time() + delay, delay)
        return delay

    def reset(self, ident) -> None:
        cache.delete_many([_key(self.scope, "count", ident), _key(self.scope, "until", ident)])


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` hits of one identifier per `period` seconds (a fixed window that
    starts with the first hit)."""

    scope: str
    limit: int
    period: int

    def hit(self, ident) -> bool:
        """Count a hit; False when it is over the limit."""
        key = _key(self.scope, ident)
        cache.add(key, 0, self.period)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(key, 1, self.period)
            count = 1
        return count <= self.limit
