"""Tickets and counters as the queue sees them during one business day.

Plain frozen data, changed only by ``shared.core.queue_rules.evolve``. Imports no Qt,
no network, no database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

log = logging.getLogger(__name__)


class TicketStatus(StrEnum):
    WAITING = "waiting"  # in a queue, also after a transfer or a return
    CALLED = "called"  # at a counter now
    ABSENT = "absent"  # called, did not come; may be returned
    PARKED = "parked"  # stepped aside to complete documents
    DONE = "done"


@dataclass(frozen=True)
class Ticket:
    id: int  # global issue order, never reused
    day: date  # the business day it was issued on
    number: str  # as printed: "A023" or "1023"
    sequence: int  # 23: its place in the day's sequence of its first service
    origin_service: str  # the service it was issued for (numbers are unique per it)
    service: str  # the service it waits for now (differs after a transfer)
    priority: str | None  # a priority category code, or None
    issued_at: datetime
    queued_at: datetime  # its place in the queue: issued_at, kept across transfers
    status: TicketStatus = TicketStatus.WAITING
    counter: int | None = None  # the counter that called it last
    target_counter: int | None = None  # only this counter may call it (transfer to a counter)
    called_at: datetime | None = None
    set_aside_at: datetime | None = None  # when it became absent or parked
    finished_at: datetime | None = None
    recalls: int = 0
    transferred_from: str | None = None  # the service it left in its last transfer
    call_reason: str | None = None  # why it was called out of order
    rating: int | None = None  # the citizen's rating of the service, once given
    # The official signed in at the counter when it was last called or done there:
    # whom the citizen's rating is about (issue 12).
    official: str | None = None
    # The booking it was checked in with (issue 15), and whether it holds the place the
    # booking's policy gives (False: checked in too late, an ordinary walk-in number).
    booking: str | None = None
    appointment: bool = False
    issued_by: int | None = None  # the counter that issued it for a citizen standing there

    @property
    def queue_key(self) -> tuple[datetime, int]:
        """First come, first served: earlier place first, then earlier issue."""
        return (self.queued_at, self.id)


@dataclass(frozen=True)
class CounterState:
    number: int
    paused: bool = False
    current: int | None = None  # id of the ticket being served
    # Ordinary calls since this counter last called a priority ticket; None until
    # it has called one, so that the first priority ticket never waits.
    ordinary_streak: int | None = None
    official: str | None = None  # the official signed in here (issue 12), or nobody
