"""What the ticket's page shows the citizen who holds it: their ticket, and the hall.

Only what any citizen in the hall can already see — the numbers each counter is
calling and the latest calls, as on the hall display — besides the ticket itself.
No other ticket's service, priority or time is shown (issue 13, part 5).

Pure: a function of the office, the queue state and the time.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shared.core import call_order, forecast
from shared.core import queue_rules as rules
from shared.core.forecast import wait_range
from shared.core.office import Office
from shared.core.ticket import Ticket, TicketStatus

log = logging.getLogger(__name__)

LATEST_CALLS = 5


@dataclass(frozen=True)
class CounterNow:
    """A counter that serves the ticket's service, and whom it is serving now."""

    name: str
    number: str | None  # the ticket at its desk, if any
    paused: bool
    open: bool  # its program is connected


@dataclass(frozen=True)
class Call:
    number: str
    counter: str  # the counter's name


@dataclass(frozen=True)
class TicketView:
    office_name: str
    number: str
    service: str  # its code (the counters shown depend on it)
    service_name: str
    status: TicketStatus
    ahead: int  # tickets to be called before it (``queue_rules.ahead_of``); 0 unless waiting
    counter: str | None  # where to go (called, absent, parked): the counter's name
    recalls: int
    come_back_by: datetime | None  # absent, within the grace period: its end (office time)
    moved_from: str | None  # waiting after a transfer: the service it came from
    sent_to: str | None  # waiting for one counter only (a transfer to a counter)
    unserved: bool  # waiting, and no open counter serves its service now
    wait: tuple[int, int] | None  # waiting: the expected wait in minutes, a range; None: unknown
    rating: int | None  # the citizen's rating, once given
    counters: tuple[CounterNow, ...]
    latest: tuple[Call, ...]
    # Waiting with a booking whose slot has not come yet: its start (office time).
    slot: datetime | None = None

    @property
    def can_rate(self) -> bool:
        """Served, and not rated yet: the page asks how it went."""
        return self.status is TicketStatus.DONE and self.rating is None

    @property
    def own_key(self) -> tuple[object, ...]:
        """What the page shows of the ticket itself (the hall aside): equal keys and an
        equal hall, nothing to push."""
        return (self.status, self.service, self.ahead, self.counter, self.recalls,
                self.come_back_by, self.moved_from, self.sent_to, self.unserved, self.wait,
                self.rating, self.slot)


@dataclass(frozen=True, eq=False)  # one moment of one office: compared by identity
class Hall:
    """What every ticket page of one moment shares, worked out once for all of them:
    a hall of a thousand phones asks for it a thousand times per call."""

    counters: dict[int, CounterNow]
    latest: tuple[Call, ...]
    ahead: dict[int, int]  # waiting tickets' people ahead (``call_order.ahead_all``)
    waits: dict[int, float]  # waiting tickets' expected waits in seconds, when known
    # The counters a ticket's page shows, by (service, counter sent to): filled as asked,
    # and the same tuple for the same counters (``distinct``), so that a page's hall part
    # can be made once for every service those counters serve.
    shown: dict[tuple[str, int | None], tuple[CounterNow, ...]] = field(default_factory=dict)
    distinct: dict[tuple[CounterNow, ...], tuple[CounterNow, ...]] = field(
        default_factory=dict)

    def callers(self, office: Office, ticket: Ticket) -> tuple[CounterNow, ...]:
        """The counters that may call ``ticket``, as they are now (``office``: the one
        this hall was made for)."""
        place = (ticket.service, ticket.target_counter)
        found = self.shown.get(place)
        if found is None:
            found = tuple(self.counters[c.number] for c in rules.callers(office, ticket))
            found = self.shown[place] = self.distinct.setdefault(found, found)
        return found

    def looks_like(self, other: Hall) -> bool:
        """Whether every page's hall part is the same in ``other``: the counters (whom
        they serve, paused, open) and the latest calls."""
        return other is self or (self.counters == other.counters
                                 and self.latest == other.latest)


def hall(state: rules.QueueState, office: Office, now: datetime, present: Container[int],
         seconds: Mapping[str, float] | None = None) -> Hall:
    """The hall in ``state`` at ``now``: ``present``, the counters whose program is
    connected; ``seconds``, the services' expected times (``forecast.service_seconds``;
    None: no estimates)."""
    counters = {c.number: CounterNow(c.name, _number(state.current_ticket(c.number)),
                                     state.counter_state(c.number).paused,
                                     c.number in present)
                for c in office.counters}
    called = heapq.nlargest(LATEST_CALLS,
                            (t for t in state.tickets.values() if t.called_at is not None),
                            key=lambda t: (t.called_at, t.id))
    latest = tuple(Call(t.number, counters[t.counter].name if t.counter in counters
                        else f"Quầy {t.counter}") for t in called)
    found = call_order.orders(state, office)
    calling = rules.working_counters(state, office, present)
    waits = {} if seconds is None else forecast.forecast(
        state, office, present, now, seconds, found)
    return Hall(counters, latest, call_order.ahead_all(found, calling), waits)


def ticket_view(state: rules.QueueState, office: Office, ticket: Ticket, now: datetime,
                around: Hall) -> TicketView:
    """The page of ``ticket`` in ``state`` at ``now``, in the hall ``around`` it."""

    def service_name(code: str) -> str:
        service = office.service(code)
        return service.name if service else code

    def counter_name(number: int | None) -> str | None:
        """The counter as a citizen is sent to it; in a centre of several halls, with
        its hall ("Quầy 5 (Tầng 2 — Khu B)"), so that they know where to go."""
        if number is None:
            return None
        counter = around.counters.get(number)
        name = counter.name if counter else f"Quầy {number}"
        hall = next((h for h in office.halls if number in h.counters), None)
        return f"{name} ({hall.name})" if hall is not None else name

    waiting = ticket.status is TicketStatus.WAITING
    come_back_by = None
    if ticket.status is TicketStatus.ABSENT and ticket.set_aside_at is not None:
        deadline = ticket.set_aside_at + timedelta(minutes=office.absent_grace_minutes)
        come_back_by = office.local_time(deadline) if now < deadline else None
    counters = around.callers(office, ticket)
    wait_seconds = around.waits.get(ticket.id) if waiting else None
    return TicketView(
        office_name=office.name,
        number=ticket.number,
        service=ticket.service,
        service_name=service_name(ticket.service),
        status=ticket.status,
        ahead=around.ahead.get(ticket.id, 0) if waiting else 0,
        counter=counter_name(ticket.counter),
        recalls=ticket.recalls,
        come_back_by=come_back_by,
        moved_from=service_name(ticket.transferred_from) if waiting and ticket.transferred_from
        else None,
        sent_to=counter_name(ticket.target_counter) if waiting else None,
        # As ``shared.core.serving`` decides it: nobody connected and working serves it.
        unserved=waiting and not any(c.open and not c.paused for c in counters),
        wait=wait_range(wait_seconds) if wait_seconds is not None else None,
        rating=ticket.rating,
        counters=counters,
        latest=around.latest,
        slot=office.local_time(ticket.queued_at)
        if waiting and ticket.appointment and ticket.queued_at > now else None,
    )


def same_page(shown: Ticket, before: Hall, ticket: Ticket, after: Hall, *,
              alike: bool) -> bool:
    """Whether the page of ``ticket`` in hall ``after`` says what it said for ``shown`` in
    hall ``before`` (``alike``: ``after.looks_like(before)``), known without making it:
    after a kiosk's issue, a thousand pages look again and almost none has news. False
    when unsure — a page that counts down to a moment (an absence's grace period, a
    booking's slot) is made again."""
    if ticket is not shown and ticket != shown:
        return False
    if ticket.status is TicketStatus.DONE:
        return True  # the rating is the ticket's; the hall is not shown
    if not alike or ticket.status is TicketStatus.ABSENT or ticket.appointment:
        return False
    if ticket.status is not TicketStatus.WAITING:
        return True  # at a desk, or parked: no people ahead, no wait
    key = ticket.id
    if before.ahead.get(key, 0) != after.ahead.get(key, 0):
        return False
    was, now = before.waits.get(key), after.waits.get(key)
    return was is now or (was is not None and now is not None
                          and wait_range(was) == wait_range(now))


def _number(ticket: Ticket | None) -> str | None:
    return None if ticket is None else ticket.number
