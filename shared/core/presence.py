"""Which counters have a program connected to the office server, and how many.

A counter may run its program twice (two windows, a reconnect overtaking the old
socket); it counts as connected from its first program's welcome until its last
one leaves. The server announces those two moments as ``counter_changed`` events
and marks each counter of a snapshot ``connected`` or not.

Pure: imports msgspec and ``shared.core.wire``; no Qt, no network, no database.
"""

from __future__ import annotations

import logging

import msgspec

from shared.core import wire

log = logging.getLogger(__name__)


class CounterPresence:
    """The number of open connections of each counter that has any."""

    def __init__(self) -> None:
        self._open: dict[int, int] = {}  # counter number -> its open connections

    def __contains__(self, counter: object) -> bool:
        return counter in self._open

    def arrive(self, counter: int) -> bool:
        """Count one more program at ``counter``; True when it is the first."""
        self._open[counter] = self._open.get(counter, 0) + 1
        return self._open[counter] == 1

    def depart(self, counter: int) -> bool:
        """Count one program fewer at ``counter``; True when it was the last."""
        self._open[counter] -= 1
        if self._open[counter] == 0:
            del self._open[counter]
            return True
        return False

    def mark(self, snapshot: wire.Snapshot) -> wire.Snapshot:
        """``snapshot`` with each of its counters marked ``connected`` or not."""
        counters = tuple(
            msgspec.structs.replace(counter, connected=counter.number in self)
            for counter in snapshot.counters
        )
        return msgspec.structs.replace(snapshot, counters=counters)
