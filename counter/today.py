"""Today at this counter: citizens served, marked absent, and the mean service time.

The server's figure (``counters[].today`` in a snapshot) is the baseline whenever
there is one; between snapshots the counter keeps it up to date from the ticket
events it sees. Each ticket counts by what it is *now*, as the server counts it:
served = done at this counter, absent = absent at this counter (a ticket brought
back into the queue no longer counts as absent). So a fresh snapshot after a
reconnect agrees with what the official saw before.

Pure: imports no Qt, no network.
"""

from __future__ import annotations

import logging
from datetime import datetime

from counter.queue_state import Today
from shared.core import wire

log = logging.getLogger(__name__)


class DayTally:
    """Served, absent and service time at one counter for one business day."""

    def __init__(self, counter: int) -> None:
        self.counter = counter
        self._served = 0
        self._absent = 0
        self._seconds = 0.0  # summed over the served tickets whose time is known
        self._timed = 0
        self._known: dict[str, tuple[str, int | None]] = {}  # number -> (status, counter)

    @property
    def today(self) -> Today:
        average = self._seconds / self._timed if self._timed else None
        return Today(self._served, self._absent, average)

    def reset(self) -> None:
        """A new business day: everything starts from zero."""
        self._served = self._absent = self._timed = 0
        self._seconds = 0.0
        self._known.clear()

    def adopt(self, figure: wire.CounterDay) -> None:
        """The server's own count (a snapshot's ``counters[].today``) replaces ours."""
        self._served = figure.served
        self._absent = figure.absent
        average = figure.average_service_seconds
        if average is not None and self._served:
            self._seconds, self._timed = float(average) * self._served, self._served
        else:
            self._seconds, self._timed = 0.0, 0

    def know(self, ticket: wire.Ticket) -> None:
        """A ticket already counted in the baseline (from a snapshot): remember its state."""
        self._known[ticket.number] = (ticket.status, ticket.counter)

    def see(self, ticket: wire.Ticket, at: datetime | None) -> None:
        """A ticket changed (an event or a reply), at server time ``at``."""
        before = self._known.get(ticket.number)
        self._known[ticket.number] = (ticket.status, ticket.counter)
        if before == (ticket.status, ticket.counter):
            return  # the same news twice: a reply, then its event
        was_served, was_absent = self._counts(before)
        served, absent = self._counts((ticket.status, ticket.counter))
        self._served += served - was_served
        self._absent += absent - was_absent
        if served and not was_served and ticket.called_at is not None and at is not None:
            seconds = (at - ticket.called_at).total_seconds()
            if seconds >= 0:
                self._seconds += seconds
                self._timed += 1

    def _counts(self, state: tuple[str, int | None] | None) -> tuple[int, int]:
        if state is None or state[1] != self.counter:
            return 0, 0
        return int(state[0] == "done"), int(state[0] == "absent")
