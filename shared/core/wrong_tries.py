"""Wrong secrets typed in a row (PINs, passwords), and how long the next try waits.

A PIN has few digits and a password may be weak: what makes guessing impractical is
that, after a few wrong tries in a row, each further try must wait — longer each time.

Pure: the clock is passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

FIRST_WAIT: Final = 30.0  # seconds; doubled after each further wrong try …
LONGEST_WAIT: Final = 15 * 60.0  # … up to a quarter of an hour


class WrongTries:
    """Wrong tries in a row, by key (an official, a user name, an address): after
    ``free_tries``, each further try waits ``FIRST_WAIT`` seconds from the last wrong
    one, doubled each time up to ``LONGEST_WAIT``. A right one starts again from
    nothing. ``clock``: seconds that really pass (``time.monotonic``), injected by the
    tests. Kept in memory: a restart of the server forgives (an attacker cannot
    restart it)."""

    def __init__(self, clock: Callable[[], float], free_tries: int) -> None:
        self._clock = clock
        self._free = free_tries
        self._wrong: dict[str, tuple[int, float]] = {}  # key: (in a row, last at)

    def wait(self, key: str) -> float:
        """Seconds before ``key`` may be tried again (0: now)."""
        wrong, last = self._wrong.get(key, (0, 0.0))
        if wrong < self._free:
            return 0.0
        pause = min(LONGEST_WAIT, FIRST_WAIT * float(2 ** (wrong - self._free)))
        return max(0.0, last + pause - self._clock())

    def tries_left(self, key: str) -> int:
        """Wrong tries that may still be made for ``key`` before having to wait."""
        return max(0, self._free - self._wrong.get(key, (0, 0.0))[0])

    def wrong(self, key: str) -> None:
        count = self._wrong.get(key, (0, 0.0))[0]
        self._wrong[key] = (count + 1, self._clock())

    def right(self, key: str) -> None:
        self._wrong.pop(key, None)
