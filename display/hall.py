"""What the hall sees, as plain data: built from a snapshot, moved on by events.

``hall_from_snapshot`` turns the server's snapshot into a ``Hall``; ``apply_event``
moves a ``Hall`` on by one pushed event and says whether that event was a live
call (the only thing ever announced). Everything is a frozen dataclass and a pure
function of the server's typed messages (``shared.core.wire``), so the rules of the
display are tested without a screen.

The recent calls follow the snapshot's own order (newest ``called_at`` first, one
line per ticket) so that the list looks the same before and after a reconnect; a
recall keeps its ticket's place in that list but becomes the newest call shown
large.

Imports the standard library and the core; no Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from shared.core import wire
from shared.core.office import Office
from shared.core.ticket import TicketStatus

log = logging.getLogger(__name__)

KEEP_RECENT = 21  # the most the config may ask to list (20), plus the newest call



@dataclass(frozen=True)
class Call:
    """One call of a ticket to a counter."""

    number: str
    counter: int
    counter_name: str
    service_name: str = ""
    called_at: datetime | None = None  # from the server; orders the recent calls
    recall: bool = False
    # It holds a booking's place: the hall sees why it comes before earlier numbers.
    appointment: bool = False


@dataclass(frozen=True)
class Seat:
    """A counter as the hall sees it."""

    number: int
    name: str
    serving: str | None = None  # the ticket number being served there
    paused: bool = False
    connected: bool = True


@dataclass(frozen=True)
class Line:
    """A service's queue: how many are waiting (None until the server says)."""

    code: str
    name: str
    waiting: int | None = None
    open: bool = True
    name_en: str = ""  # for a display in English (``wording.service_name``)


@dataclass(frozen=True)
class Hall:
    office_name: str = ""
    business_day: str = ""
    seats: tuple[Seat, ...] = ()
    lines: tuple[Line, ...] = ()
    recent: tuple[Call, ...] = ()  # newest called_at first, one per ticket
    newest: Call | None = None  # the call shown large
    # A hall of a large centre (issue 17): only its counters are shown and said; None:
    # the whole office.
    counters: frozenset[int] | None = None

    def shows(self, counter: int) -> bool:
        return self.counters is None or counter in self.counters

    def seat(self, number: int) -> Seat | None:
        return next((s for s in self.seats if s.number == number), None)

    def earlier_calls(self, count: int) -> tuple[Call, ...]:
        """The last ``count`` calls before the newest one, newest first."""
        shown = self.newest.number if self.newest else None
        return tuple(c for c in self.recent if c.number != shown)[:count]


def hall_from_office(office: Office) -> Hall:
    """The hall as the configuration describes it, before the server has answered."""
    area = office.hall(office.display.hall) if office.display.hall else None
    counters = frozenset(area.counters) if area is not None else None
    shown = [c for c in office.counters if counters is None or c.number in counters]
    served = {code for c in shown for code in c.services}
    return Hall(
        office_name=office.name + (f" — {area.name}" if area is not None else ""),
        seats=tuple(Seat(c.number, c.name, connected=False) for c in shown),
        lines=tuple(Line(s.code, s.name, name_en=s.name_en) for s in office.services
                    if s.code in served),
        counters=counters,
    )


def hall_from_snapshot(snapshot: wire.Snapshot, area_code: str | None = None) -> Hall:
    """The hall from a snapshot (the welcome's, or a reply's): the whole office, or the
    hall ``area_code`` of a large centre — its counters, their calls, and the services
    they serve."""
    area = next((h for h in snapshot.halls if h.code == area_code), None)
    counters = frozenset(area.counters) if area is not None else None
    shown = [c for c in snapshot.counters if counters is None or c.number in counters]
    seats = tuple(
        Seat(
            number=c.number,
            name=c.name or f"Quầy {c.number}",
            serving=c.current.number if c.current is not None else None,
            paused=c.paused,
            connected=c.connected,
        )
        for c in shown
    )
    names = {s.number: s.name for s in seats}
    recent = _ordered(
        _call(entry.ticket, entry.counter, names, at=entry.at)
        for entry in snapshot.recent_calls
        if entry.counter is not None and (counters is None or entry.counter in counters)
    )
    served = {code for c in shown for code in c.services}
    lines = tuple(
        Line(code=s.code, name=s.name or s.code, waiting=s.waiting, open=s.open,
             name_en=s.name_en)
        for s in snapshot.services if counters is None or s.code in served
    )
    return Hall(
        office_name=snapshot.office.name + (f" — {area.name}" if area is not None else ""),
        business_day=snapshot.business_day.isoformat(),
        seats=seats,
        lines=lines,
        recent=recent,
        newest=recent[0] if recent else None,
        counters=counters,
    )


def apply_event(hall: Hall, event: wire.Event) -> tuple[Hall, Call | None]:
    """``hall`` after one pushed event, and the live call it carried (if it was one)."""
    if isinstance(event, wire.TicketCalled) and event.counter is not None:
        if not hall.shows(event.counter):
            # Another hall's call: shown and said there. A citizen of this hall called
            # elsewhere (a transfer, say) is no longer at this hall's counters.
            number = event.ticket.number
            return replace(hall, seats=tuple(replace(s, serving=None) if s.serving == number
                                             else s for s in hall.seats)), None
        return _called(hall, event, event.counter)
    if isinstance(event, wire.TicketUpdated):
        return _updated(hall, event.ticket), None
    if isinstance(event, wire.QueueChanged):
        lines = tuple(
            replace(line, waiting=event.waiting.get(line.code, line.waiting))
            for line in hall.lines
        )
        return replace(hall, lines=lines), None
    if isinstance(event, wire.CounterChanged):
        return _counter_changed(hall, event), None
    if isinstance(event, wire.ServicesChanged):
        services = {s.code: s for s in event.services}
        lines = tuple(
            replace(line, waiting=services[line.code].waiting, open=services[line.code].open)
            if line.code in services else line
            for line in hall.lines
        )
        return replace(hall, lines=lines), None
    return hall, None  # ticket_issued, printer_fault …: nothing the hall shows


def _called(hall: Hall, event: wire.TicketCalled, counter: int) -> tuple[Hall, Call]:
    names = {s.number: s.name for s in hall.seats}
    call = _call(event.ticket, counter, names, recall=event.recall)
    seats = tuple(
        replace(s, serving=call.number, paused=False, connected=True)
        if s.number == counter
        # The same ticket cannot be served at two counters (a transfer, say).
        else replace(s, serving=None) if s.serving == call.number
        else s
        for s in hall.seats
    )
    if hall.seat(counter) is None:
        seats = (*seats, Seat(counter, call.counter_name, serving=call.number))
    recent = _ordered((call, *(c for c in hall.recent if c.number != call.number)))
    return replace(hall, seats=seats, recent=recent, newest=call), call


def _updated(hall: Hall, ticket: wire.Ticket) -> Hall:
    if ticket.status is TicketStatus.CALLED:
        return hall
    # Done, absent, parked, transferred or returned: nobody serves it any more.
    seats = tuple(
        replace(s, serving=None) if s.serving == ticket.number else s for s in hall.seats
    )
    return replace(hall, seats=seats)


def _counter_changed(hall: Hall, event: wire.CounterChanged) -> Hall:
    seats = []
    for seat in hall.seats:
        if seat.number == event.counter:
            seat = replace(seat, paused=event.paused)
            if event.change in ("connected", "disconnected"):
                seat = replace(seat, connected=event.change == "connected")
        seats.append(seat)
    return replace(hall, seats=tuple(seats))


def _call(
    ticket: wire.Ticket,
    counter: int,
    names: Mapping[int, str],
    *,
    at: datetime | None = None,
    recall: bool = False,
) -> Call:
    called_at = at if at is not None else ticket.called_at
    return Call(
        number=ticket.number,
        counter=counter,
        counter_name=names.get(counter, f"Quầy {counter}"),
        service_name=ticket.service_name,
        called_at=called_at,
        recall=recall,
        appointment=ticket.appointment is True,
    )


def _ordered(calls: Iterable[Call]) -> tuple[Call, ...]:
    # A stable sort: calls with the same time keep the order they came in.
    return tuple(sorted(calls, key=_moment, reverse=True))[:KEEP_RECENT]


def _moment(call: Call) -> float:
    moment = call.called_at
    if moment is None:
        return float("-inf")  # no time known: listed last
    if moment.tzinfo is None:  # the server always sends an offset; be lenient anyway
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
