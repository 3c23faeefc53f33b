"""The figures of a report: how the office served, over any period, from its log.

Built from each business day's tickets (their final state) and events (the audit
log): per service, per counter, per hour of the day, the distribution of waits, and
day by day. A wait is from issue to the *first* call; a service time from the last
call to "done". Tickets closed by the end of the day (``implicit: day_end``) were not
served and count as such. The writers (``shared.reports``) lay these figures out as
a workbook, CSV or JSON; nothing here knows a file format.

Pure: the core's office, tickets and events only.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Final

from shared.core.events import Event, EventKind
from shared.core.office import Office
from shared.core.ticket import Ticket, TicketStatus

# Minutes: 0–5, 5–10, 10–20, 20–30, 30–60, 60 and more.
WAIT_BINS: Final = ((0, 5), (5, 10), (10, 20), (20, 30), (30, 60), (60, None))


@dataclass(frozen=True)
class Day:
    """One business day as the store holds it."""

    day: date
    tickets: Sequence[Ticket]
    events: Sequence[Event]


@dataclass(frozen=True)
class ServiceFigures:
    code: str
    name: str
    field_name: str
    issued: int
    served: int
    absent: int
    parked: int
    transferred_in: int
    transferred_out: int
    priority: int
    average_wait: float | None  # seconds
    longest_wait: float | None
    average_service: float | None
    longest_service: float | None
    threshold_minutes: int
    over_threshold: int  # citizens whose wait was longer than the threshold
    called: int  # citizens called at least once (the base of ``over_threshold``)

    @property
    def over_threshold_share(self) -> float | None:
        return self.over_threshold / self.called if self.called else None


@dataclass(frozen=True)
class CounterFigures:
    number: int
    name: str
    served: int
    average_service: float | None
    paused: float  # seconds
    out_of_order: int


@dataclass(frozen=True)
class DayFigures:
    day: date
    issued: int
    served: int
    absent: int
    average_wait: float | None


@dataclass(frozen=True)
class Report:
    office_name: str
    start: date
    end: date
    services: tuple[ServiceFigures, ...]
    counters: tuple[CounterFigures, ...]
    issued_by_hour: tuple[int, ...]  # 24 values, office local time
    served_by_hour: tuple[int, ...]
    waits: tuple[tuple[str, int], ...]  # ("0–5 phút", 12), …
    days: tuple[DayFigures, ...]
    totals: dict[str, float | int | None] = field(default_factory=dict)


@dataclass
class _Life:
    """One ticket's day, from the log."""

    ticket: Ticket
    first_call: datetime | None = None
    served_at: datetime | None = None  # a real "done", not the day's end
    served_by: int | None = None
    service_seconds: float | None = None


def build(office: Office, start: date, end: date, days: Iterable[Day]) -> Report:
    lives: list[_Life] = []
    paused: defaultdict[int, float] = defaultdict(float)
    out_of_order: Tally[int] = Tally()
    moved_in: Tally[str] = Tally()
    moved_out: Tally[str] = Tally()
    per_day: list[DayFigures] = []
    for day in days:
        day_lives = _lives(day)
        lives += day_lives
        _counter_events(day.events, paused, out_of_order)
        for event in day.events:
            if event.kind is EventKind.TRANSFERRED:
                moved_out[str(event.data.get("from_service", ""))] += 1
                moved_in[str(event.data.get("to_service", ""))] += 1
        per_day.append(DayFigures(
            day.day, len(day_lives), sum(1 for life in day_lives if life.served_at),
            sum(1 for life in day_lives if life.ticket.status is TicketStatus.ABSENT),
            _mean(_waits(day_lives))))
    services = tuple(_service_figures(office, code, lives, moved_in, moved_out)
                     for code in [s.code for s in office.services])
    counters = tuple(
        CounterFigures(
            c.number, c.name,
            served=sum(1 for life in lives if life.served_by == c.number),
            average_service=_mean([life.service_seconds for life in lives
                                   if life.served_by == c.number
                                   and life.service_seconds is not None]),
            paused=paused[c.number], out_of_order=out_of_order[c.number],
        )
        for c in office.counters
    )
    issued_by_hour = [0] * 24
    served_by_hour = [0] * 24
    for life in lives:
        issued_by_hour[office.local_time(life.ticket.issued_at).hour] += 1
        if life.served_at is not None:
            served_by_hour[office.local_time(life.served_at).hour] += 1
    waits = _waits(lives)
    bins = tuple((_bin_label(low, high), sum(1 for w in waits if _in_bin(w, low, high)))
                 for low, high in WAIT_BINS)
    totals: dict[str, float | int | None] = {
        "issued": len(lives),
        "served": sum(1 for life in lives if life.served_at),
        "absent": sum(1 for life in lives if life.ticket.status is TicketStatus.ABSENT),
        "average_wait": _mean(waits),
        "longest_wait": max(waits, default=None),
    }
    return Report(office.name, start, end, services, counters, tuple(issued_by_hour),
                  tuple(served_by_hour), bins, tuple(per_day), totals)


def _lives(day: Day) -> list[_Life]:
    lives = {t.id: _Life(t) for t in day.tickets}
    last_call: dict[int, datetime] = {}
    for event in day.events:
        life = lives.get(event.ticket) if event.ticket is not None else None
        if life is None:
            continue
        if event.kind in (EventKind.CALLED, EventKind.CALLED_OUT_OF_ORDER):
            life.first_call = life.first_call or event.at
            last_call[life.ticket.id] = event.at
        elif event.kind is EventKind.DONE and event.data.get("implicit") != "day_end":
            life.served_at, life.served_by = event.at, event.counter
            called = last_call.get(life.ticket.id)
            if called is not None:
                life.service_seconds = (event.at - called).total_seconds()
    return list(lives.values())


def _counter_events(events: Sequence[Event], paused: defaultdict[int, float],
                    out_of_order: Tally[int]) -> None:
    since: dict[int, datetime] = {}
    for event in events:
        if event.counter is None:
            continue
        if event.kind is EventKind.PAUSED:
            since[event.counter] = event.at
        elif event.kind is EventKind.RESUMED and event.counter in since:
            paused[event.counter] += (event.at - since.pop(event.counter)).total_seconds()
        elif event.kind is EventKind.CALLED_OUT_OF_ORDER:
            out_of_order[event.counter] += 1
    if events:
        end = events[-1].at  # a pause not resumed counts until the day's last event
        for counter, start in since.items():
            paused[counter] += max(0.0, (end - start).total_seconds())


def _service_figures(office: Office, code: str, lives: list[_Life], moved_in: Tally[str],
                     moved_out: Tally[str]) -> ServiceFigures:
    service = office.service(code)
    assert service is not None
    group = next((f.name for f in office.fields if f.code == service.field), "")
    issued = [life for life in lives if life.ticket.origin_service == code]
    here = [life for life in lives if life.ticket.service == code]
    waits = _waits(issued)
    services = [life.service_seconds for life in here if life.service_seconds is not None]
    threshold = timedelta(minutes=service.wait_threshold_minutes).total_seconds()
    return ServiceFigures(
        code=code, name=service.name, field_name=group,
        issued=len(issued),
        served=sum(1 for life in here if life.served_at),
        absent=sum(1 for life in here if life.ticket.status is TicketStatus.ABSENT),
        parked=sum(1 for life in here if life.ticket.status is TicketStatus.PARKED),
        transferred_in=moved_in[code], transferred_out=moved_out[code],
        priority=sum(1 for life in issued if life.ticket.priority is not None),
        average_wait=_mean(waits), longest_wait=max(waits, default=None),
        average_service=_mean(services), longest_service=max(services, default=None),
        threshold_minutes=service.wait_threshold_minutes,
        over_threshold=sum(1 for w in waits if w > threshold), called=len(waits),
    )


def _waits(lives: Iterable[_Life]) -> list[float]:
    return [(life.first_call - life.ticket.issued_at).total_seconds()
            for life in lives if life.first_call is not None]


def _mean(values: Sequence[float]) -> float | None:
    return fmean(values) if values else None


def _in_bin(seconds: float, low: int, high: int | None) -> bool:
    return seconds >= low * 60 and (high is None or seconds < high * 60)


def _bin_label(low: int, high: int | None) -> str:
    return f"{low}–{high} phút" if high is not None else f"từ {low} phút"
