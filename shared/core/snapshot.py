"""The queue state as protocol values: ticket objects and the snapshot.

Pure functions of the office and the state, building the typed values of
``shared.core.wire``. Imports no Qt, no network, no database.
"""

from __future__ import annotations

import logging
from collections.abc import Container
from datetime import datetime

import msgspec

from shared.core import wire
from shared.core.office import Office
from shared.core.queue_rules import QueueState, ahead_of, closed_words, closure, waiting_counts
from shared.core.ticket import Ticket, TicketStatus

log = logging.getLogger(__name__)

RECENT_CALLS = 10


def wire_ticket(ticket: Ticket, office: Office, state: QueueState,
                calling: Container[int] | None = None, ahead: int | None = None) -> wire.Ticket:
    """``ticket`` as the protocol sends it; ``ahead``, when the caller has counted it
    already (else ``ahead_of`` counts it in ``state``)."""
    service = office.service(ticket.service)
    waiting = ticket.status is TicketStatus.WAITING
    return wire.Ticket(
        number=ticket.number,
        service=ticket.service,
        service_name=service.name if service else ticket.service,
        status=ticket.status,
        priority=ticket.priority,
        issued_at=ticket.issued_at,
        counter=ticket.counter,
        target_counter=ticket.target_counter,
        ahead=(ahead if ahead is not None else ahead_of(state, office, ticket, calling))
        if waiting else 0,
        called_at=ticket.called_at,
        finished_at=ticket.finished_at,
        recalls=ticket.recalls,
        transferred_from=ticket.transferred_from,
        appointment=True if ticket.appointment else msgspec.UNSET,
        issued_by=msgspec.UNSET if ticket.issued_by is None else ticket.issued_by,
    )


def services(state: QueueState, office: Office, now: datetime) -> tuple[wire.Service, ...]:
    """Every service with its waiting count and whether (and why not) it issues now."""
    waiting = waiting_counts(state, office)
    lines = []
    for service in office.services:
        closed = closure(state, office, service, now)
        lines.append(
            wire.Service(
                code=service.code,
                name=service.name,
                name_en=service.name_en,
                field=service.field,
                waiting=waiting.get(service.code, 0),
                open=closed is None,
                closed=closed,
                closed_reason=None if closed is None else closed_words(closed),
                bookable=True if service.bookings is not None else msgspec.UNSET,
            )
        )
    return tuple(lines)


def snapshot(state: QueueState, office: Office, now: datetime) -> wire.Snapshot:
    counters = []
    for counter in office.counters:
        current = state.current_ticket(counter.number)
        counters.append(
            wire.Counter(
                number=counter.number,
                name=counter.name,
                services=tuple(counter.services),
                paused=state.counter_state(counter.number).paused,
                current=None if current is None else wire_ticket(current, office, state),
                today=counter_day(state, counter.number),
                official=state.counter_state(counter.number).official,
            )
        )
    every_call = sorted(
        (t for t in state.tickets.values() if t.called_at is not None),
        key=lambda t: (t.called_at, t.id),
        reverse=True,
    )
    called = every_call[:RECENT_CALLS]
    # A large centre: each hall's display needs its own latest calls, which the
    # office's latest ten may not hold (50 counters, a hall of three).
    for area in office.halls:
        calls = [t for t in every_call if t.counter in area.counters][:RECENT_CALLS]
        called += [t for t in calls if t not in called]
    called.sort(key=lambda t: (t.called_at, t.id), reverse=True)
    set_aside = sorted(
        (t for t in state.tickets.values()
         if t.status in (TicketStatus.ABSENT, TicketStatus.PARKED)),
        key=lambda t: (t.set_aside_at, t.id),
    )
    return wire.Snapshot(
        office=office_info(office),
        business_day=state.day,
        services=services(state, office, now),
        fields=tuple(
            wire.Field(code=f.code, name=f.name, name_en=f.name_en,
                       pictogram=f.pictogram or msgspec.UNSET) for f in office.fields
        ),
        priority_categories=tuple(
            wire.PriorityCategory(code=p.code, name=p.name, name_en=p.name_en)
            for p in office.priority.categories
        ),
        counters=tuple(counters),
        set_aside=tuple(wire_ticket(t, office, state) for t in set_aside),
        recent_calls=tuple(
            wire.RecentCall(ticket=wire_ticket(t, office, state), counter=t.counter,
                            at=t.called_at)
            for t in called
        ),
        officials=tuple(wire.Official(id=o.id, name=o.name, title=o.title)
                        for o in office.officials),
        halls=tuple(wire.HallInfo(code=h.code, name=h.name, name_en=h.name_en,
                                  counters=h.counters) for h in office.halls),
    )


def office_info(office: Office) -> wire.OfficeInfo:
    """What every program takes from the server rather than from its own file."""
    spoken, voice = office.announcement, office.voice
    return wire.OfficeInfo(
        id=office.id,
        name=office.name,
        timezone=office.timezone,
        notice=office.notice,
        ticket_footer=office.printer.footer,
        announcement=wire.AnnouncementSettings(
            template=spoken.template, reading=spoken.reading, southern=spoken.southern,
            repeat=spoken.repeat, pause_seconds=spoken.pause_seconds, keep_up=spoken.keep_up,
            loudness_dbfs=spoken.loudness_dbfs,
        ),
        voice=wire.VoiceSettings(voice=voice.voice, rate=voice.rate, volume=voice.volume),
        display=wire.DisplaySettings(
            recent_calls=office.display.recent_calls,
            highlight_seconds=office.display.highlight_seconds,
        ),
        kiosk=wire.KioskSettings(no_open_counter=office.kiosk.no_open_counter.value),
    )


def counter_day(state: QueueState, counter: int) -> wire.CounterDay:
    """Today at one counter: citizens served, marked absent, and the mean service time."""
    served = [
        t for t in state.tickets.values()
        if t.counter == counter and t.status is TicketStatus.DONE
        and t.called_at is not None and t.finished_at is not None
    ]
    absent = sum(
        1 for t in state.tickets.values()
        if t.counter == counter and t.status is TicketStatus.ABSENT
    )
    seconds = [
        (t.finished_at - t.called_at).total_seconds()  # type: ignore[operator]
        for t in served
    ]
    return wire.CounterDay(
        served=len(served),
        absent=absent,
        average_service_seconds=round(sum(seconds) / len(seconds)) if seconds else None,
    )
