"""What the leader's live view shows: the hall now, and today against yesterday.

Waiting per service with the longest current wait, each counter (open, serving whom,
paused, who is signed in), served today per official, today's figures beside
yesterday's, and the alerts a leader must act on: a service whose longest wait has
passed its threshold, and a service with citizens waiting and no open counter
(issue 12, part 3). Built from the queue's state and the report's figures; the desk
(``shared.server.desk``) words it in Vietnamese or English.

Pure: the core only; ``now`` is passed in.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from shared.core import queue_rules as rules
from shared.core import report
from shared.core.office import Office
from shared.core.ticket import TicketStatus


@dataclass(frozen=True)
class ServiceNow:
    code: str
    name: str
    waiting: int
    longest_wait: float | None  # seconds since the longest-waiting citizen got a number
    threshold_minutes: int
    open_counters: int  # counters serving it now (connected, not paused)

    @property
    def over(self) -> bool:
        return self.longest_wait is not None and self.longest_wait > self.threshold_minutes * 60

    @property
    def unserved(self) -> bool:
        return self.waiting > 0 and self.open_counters == 0


CounterState = Literal["serving", "free", "paused", "closed"]


@dataclass(frozen=True)
class CounterNow:
    number: int
    name: str
    state: CounterState  # closed: no counter program connected
    current: str | None  # the number being served
    official: str | None  # the full name of the official signed in
    served_today: int


@dataclass(frozen=True)
class OfficialToday:
    name: str
    served: int
    at_counter: int | None  # where they are signed in now


@dataclass(frozen=True)
class Alert:
    """One service that needs the leader: nobody serves its citizens (``no_counter``),
    and/or its longest wait has passed the threshold (``over``); one line each."""

    kind: Literal["long_wait", "no_counter"]
    service: str  # its name
    waiting: int
    minutes: int  # the longest wait, whole minutes
    threshold: int
    over: bool = True  # the longest wait has passed the threshold


@dataclass(frozen=True)
class HallNotice:
    """What a kiosk said that a leader should see: a citizen asking for help there
    (``help``), or its printer failing (``printer``), until it is answered or mended."""

    kind: Literal["help", "printer"]
    kiosk: str
    detail: str  # where the kiosk stands (help), or what is wrong (printer)


@dataclass(frozen=True)
class DayNumbers:
    issued: int = 0
    served: int = 0
    absent: int = 0
    average_wait: float | None = None  # seconds


@dataclass(frozen=True)
class LiveView:
    day: date
    now: datetime
    services: tuple[ServiceNow, ...]
    counters: tuple[CounterNow, ...]
    officials: tuple[OfficialToday, ...]
    today: DayNumbers
    yesterday: DayNumbers | None
    alerts: tuple[Alert, ...]
    # Today's ratings from the citizens' pages: (level's name, how many), best first.
    ratings: tuple[tuple[str, int], ...] = ()
    before: date | None = None  # the business day ``yesterday`` is of
    notices: tuple[HallNotice, ...] = ()
    # Today's bookings (issue 15): (checked in, booked); None when there are none.
    bookings: tuple[int, int] | None = None

    @property
    def rated(self) -> int:
        return sum(count for _, count in self.ratings)

    @property
    def waiting(self) -> int:
        return sum(s.waiting for s in self.services)


def numbers(figures: report.DayFigures | None) -> DayNumbers | None:
    if figures is None:
        return None
    return DayNumbers(figures.issued, figures.served, figures.absent, figures.average_wait)


def live_view(state: rules.QueueState, office: Office, now: datetime, present: Container[int],
              today: report.Report | None, yesterday: report.DayFigures | None,
              before: date | None = None,
              notices: tuple[HallNotice, ...] = (), booked: int = 0) -> LiveView:
    """The view of ``state`` at ``now``; ``present``: the counters whose program is
    connected; ``today``: the report of today's stored day (served per official, the
    day's figures), ``yesterday``: the figures of ``before``, the previous business
    day (a Monday's is the Friday), if any; ``booked``: today's bookings."""
    working = rules.working_counters(state, office, present)
    oldest: dict[str, datetime] = {}
    waiting: dict[str, int] = {}
    served_at: dict[int, int] = {}
    checked_in = 0
    for ticket in state.tickets.values():
        checked_in += ticket.booking is not None
        if ticket.status is TicketStatus.WAITING:
            waiting[ticket.service] = waiting.get(ticket.service, 0) + 1
            # An appointment checked in early waits from its slot, not from its check-in.
            since = (min(max(ticket.issued_at, ticket.queued_at), now) if ticket.appointment
                     else ticket.issued_at)
            if ticket.service not in oldest or since < oldest[ticket.service]:
                oldest[ticket.service] = since
        elif ticket.status is TicketStatus.DONE and ticket.counter is not None:
            served_at[ticket.counter] = served_at.get(ticket.counter, 0) + 1
    services = tuple(
        ServiceNow(s.code, s.name, waiting.get(s.code, 0),
                   (now - oldest[s.code]).total_seconds() if s.code in oldest else None,
                   s.wait_threshold_minutes,
                   sum(1 for c in office.counters if c.number in working
                       and s.code in c.services))
        for s in office.services)
    names = {o.id: o.name for o in office.officials}
    counters = tuple(_counter(state, c.number, c.name, c.number in present, names,
                              served_at.get(c.number, 0)) for c in office.counters)
    seats = {c.official: c.number for c in state.counters.values() if c.official}
    officials = tuple(
        OfficialToday(row.name, row.served, seats.get(row.official) if row.official else None)
        for row in (today.officials if today is not None else ()))
    # Citizens nobody serves first: they wait for nothing until someone opens a counter.
    alerts = tuple(sorted((a for s in services for a in _alerts(s)),
                          key=lambda a: (a.kind != "no_counter", -a.minutes)))
    shown = today.days[0] if today is not None and today.days else None
    liked = today.satisfaction if today is not None else None
    ratings = (tuple(zip(liked.labels, liked.levels, strict=True)) if liked is not None
               else tuple((label, 0) for label in report.level_labels(office.rating.scale)))
    return LiveView(state.day, now, services, counters, officials,
                    numbers(shown) or DayNumbers(), numbers(yesterday), alerts, ratings,
                    before, notices,
                    (checked_in, max(booked, checked_in)) if booked or checked_in else None)


def _counter(state: rules.QueueState, number: int, name: str, connected: bool,
             officials: dict[str, str], served: int) -> CounterNow:
    seat = state.counter_state(number)
    current = state.current_ticket(number)
    # A citizen at the counter is being served, even while its program reconnects.
    kind: CounterState = ("paused" if seat.paused else "serving" if current is not None
                          else "free" if connected else "closed")
    official = None if seat.official is None else officials.get(seat.official, seat.official)
    return CounterNow(number, name, kind, None if current is None else current.number,
                      official, served)


def _alerts(service: ServiceNow) -> list[Alert]:
    minutes = int((service.longest_wait or 0) // 60)
    if service.unserved:
        return [Alert("no_counter", service.name, service.waiting, minutes,
                      service.threshold_minutes, service.over)]
    if service.over:
        return [Alert("long_wait", service.name, service.waiting, minutes,
                      service.threshold_minutes)]
    return []
