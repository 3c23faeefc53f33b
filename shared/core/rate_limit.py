"""Allowances: a token bucket per key, all filling at one rate.

A kiosk that goes haywire (a stuck button, a script) must not fill the office's
queue; the server asks ``RateLimit.allows`` (by kiosk) before deciding an
``issue`` request, and answers ``rate_limited`` when it says no. The same keeps a
stranger's refused connections from filling the server's log (by address).

Pure: imports only the standard library; no Qt, no network, no database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class TokenBucket:
    """An allowance: ``rate`` a minute, up to ``capacity`` at once."""

    def __init__(self, rate_per_minute: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate_per_minute / 60.0
        # A few at once (a queue of citizens pressing in turn), more for busy halls.
        self.capacity = float(max(3, rate_per_minute // 12))
        self.tokens = self.capacity
        self.clock = clock
        self.stamp = clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


class RateLimit:
    """A bucket per key (a kiosk's client id, an address), all filling at one rate.

    Keys whose bucket has filled up again are forgotten once there are many: a day
    of phones on the guest Wi-Fi must not grow the server without bound."""

    def __init__(self, rate_per_minute: int, *, keep: int = 4096,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate_per_minute = rate_per_minute
        self.keep = keep
        self._forget_at = keep
        self.clock = clock
        self._buckets: dict[str, TokenBucket] = {}

    def __len__(self) -> int:
        return len(self._buckets)

    def allows(self, client: str) -> bool:
        """Take one from ``client``'s allowance; False when it has none left."""
        if len(self._buckets) >= self._forget_at and client not in self._buckets:
            self._forget_full()
            # Nothing whole to forget (a flood of new keys): look again only when there
            # are twice as many, not at every new key.
            self._forget_at = max(self.keep, 2 * len(self._buckets))
        bucket = self._buckets.get(client)
        if bucket is None:
            bucket = TokenBucket(self.rate_per_minute, self.clock)
            self._buckets[client] = bucket
        return bucket.take()

    def _forget_full(self) -> None:
        """Drop the buckets that are full again: forgetting them changes nothing."""
        now = self.clock()
        for key, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.stamp) * bucket.rate >= bucket.capacity:
                del self._buckets[key]
