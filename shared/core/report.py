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

import json
from bisect import bisect_right
from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Final, NamedTuple
from zoneinfo import ZoneInfo

from shared.core.booking import Booking
from shared.core.events import EventKind
from shared.core.office import Office
from shared.core.ticket import TicketStatus

# Minutes: 0–5, 5–10, 10–20, 20–30, 30–60, 60 and more.
WAIT_BINS: Final = ((0, 5), (5, 10), (10, 20), (20, 30), (30, 60), (60, None))
_BIN_STARTS: Final = tuple(low for low, _ in WAIT_BINS)


class TicketRecord(NamedTuple):
    """What a report needs of a ticket: its final state (the ``tickets`` table)."""

    id: int
    origin_service: str
    service: str
    priority: str | None
    status: str  # a TicketStatus value
    issued_at: datetime
    booking: str | None = None  # the booking it was checked in with (issue 15)
    appointment: bool = False  # it held the booking's place (not a late walk-in)
    queued_at: datetime | None = None  # its place in time (an appointment's slot)


class EventRecord(NamedTuple):
    """What a report needs of an event (the ``events`` table; ``data`` as stored)."""

    ticket: int | None
    counter: int | None
    kind: str  # an EventKind value
    at: datetime
    data: str


@dataclass(frozen=True)
class Day:
    """One business day as the store holds it: its tickets, and the events a report
    reads (calls, "done", transfers, pauses), oldest first."""

    day: date
    tickets: Sequence[TicketRecord]
    events: Sequence[EventRecord]


REPORTED_KINDS: Final = (EventKind.CALLED, EventKind.CALLED_OUT_OF_ORDER, EventKind.DONE,
                         EventKind.TRANSFERRED, EventKind.PAUSED, EventKind.RESUMED,
                         EventKind.RATED, EventKind.SIGNED_IN, EventKind.SIGNED_OUT)


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
class OfficialFigures:
    """One official's work over the period (issue 12): what the counters did while
    they were signed in. ``official`` None: work done with nobody signed in."""

    official: str | None
    name: str
    title: str
    served: int
    average_service: float | None  # seconds
    paused: float  # seconds
    out_of_order: int


NOBODY: Final = "Không có cán bộ đăng nhập"  # the row of work done with nobody signed in


@dataclass(frozen=True)
class SatisfactionRow:
    """The ratings of the citizens served by one official, or at one counter while
    nobody was signed in there (``official`` None)."""

    counter: int | None
    name: str
    levels: tuple[int, ...]  # how many gave each level, best first
    official: str | None = None

    @property
    def total(self) -> int:
        return sum(self.levels)


@dataclass(frozen=True)
class Satisfaction:
    scale: int  # the office's scale now; ratings given on another scale are left out
    labels: tuple[str, ...]  # the levels' names, best first
    rows: tuple[SatisfactionRow, ...]
    reasons: tuple[tuple[str, int], ...]  # (reason, how many gave it), the office's order
    weeks: tuple[tuple[date, tuple[int, ...]], ...]  # (Monday, levels best first)

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(sum(r.levels[i] for r in self.rows) for i in range(self.scale))


def level_labels(scale: int) -> tuple[str, ...]:
    """The names of a scale's levels in the offices' own words, best first."""
    if scale == 3:
        return ("Rất hài lòng", "Hài lòng", "Không hài lòng")
    return tuple(f"{n} sao" for n in range(scale, 0, -1))


@dataclass(frozen=True)
class AppointmentFigures:
    """One service's bookings over the period (issue 15): who came, when, how long
    they waited once their place in the queue came."""

    code: str
    name: str
    booked: int  # bookings taken for the period's days
    kept: int  # checked in, holding the booking's place
    late: int  # came too late: an ordinary number instead
    no_show: int  # never checked in
    average_arrival: float | None  # seconds from the slot's start to check-in (< 0: early)
    average_wait: float | None  # seconds from its place in time to the first call
    longest_wait: float | None
    called_within: int  # kept appointments first called within ``ON_TIME_MINUTES`` of it
    called: int  # kept appointments called at all (the base of ``called_within``)


ON_TIME_MINUTES: Final = 15  # an appointment called this soon after its place: on time


@dataclass(frozen=True)
class DayFigures:
    day: date
    issued: int
    served: int
    absent: int
    average_wait: float | None


@dataclass(frozen=True)
class SiteFigures:
    """One site's row in the comparison of sites."""

    site: str
    name: str
    issued: int
    served: int
    absent: int
    average_wait: float | None  # seconds
    longest_wait: float | None
    over_threshold_share: float | None  # of the citizens called
    average_service: float | None
    rated: int
    satisfied_share: float | None  # the two best levels, of the ratings
    counters: int
    active_days: int


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
    satisfaction: Satisfaction | None = None
    officials: tuple[OfficialFigures, ...] = ()  # empty for an office without officials
    appointments: tuple[AppointmentFigures, ...] = ()  # empty when nobody booked
    sites: tuple[SiteFigures, ...] = ()  # several sites' report: a row for each (issue 19)


@dataclass
class _Life:
    """One ticket's day, from the log."""

    ticket: TicketRecord
    first_call: datetime | None = None
    served_at: datetime | None = None  # a real "done", not the day's end
    served_by: int | None = None
    official: str | None = None  # who served: signed in at "done", else at the call
    service_seconds: float | None = None

    @property
    def wait(self) -> float | None:
        """From issue to the first call; for an appointment checked in before its
        place in time came, from that place (waiting for one's slot is no wait; an
        official who called it before its slot made it wait none)."""
        if self.first_call is None:
            return None
        return max(0.0, (self.first_call - self.start).total_seconds())

    @property
    def start(self) -> datetime:
        ticket = self.ticket
        if ticket.appointment and ticket.queued_at is not None:
            return max(ticket.issued_at, ticket.queued_at)
        return ticket.issued_at


@dataclass
class _Sums:
    """Running figures for one service or counter."""

    issued: int = 0
    served: int = 0
    absent: int = 0
    parked: int = 0
    priority: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)


def build(office: Office, start: date, end: date, days: Iterable[Day],
          bookings: Sequence[Booking] = ()) -> Report:
    """The figures of ``days`` (one pass over their tickets and events), and of the
    ``bookings`` taken for them."""
    zone = ZoneInfo(office.timezone)
    by_origin: defaultdict[str, _Sums] = defaultdict(_Sums)  # issued for it
    by_service: defaultdict[str, _Sums] = defaultdict(_Sums)  # where it ended
    by_counter: defaultdict[int, _Sums] = defaultdict(_Sums)
    by_official: defaultdict[str | None, _Sums] = defaultdict(_Sums)
    paused: defaultdict[int, float] = defaultdict(float)
    out_of_order: Tally[int] = Tally()
    work = _OfficialWork()
    moved_in: Tally[str] = Tally()
    moved_out: Tally[str] = Tally()
    issued_by_hour = [0] * 24
    served_by_hour = [0] * 24
    service_times: list[float] = []
    # By date: several sites' reports give each date once per site (``site_report``).
    per_day: defaultdict[date, _Sums] = defaultdict(_Sums)
    ratings = _Ratings(office)
    booked: list[_Life] = []  # the tickets checked in with a booking
    for day in days:
        today = per_day[day.day]
        today.issued += len(day.tickets)
        for life in _lives(day):
            if life.ticket.booking is not None:
                booked.append(life)
            ticket = life.ticket
            origin, here = by_origin[ticket.origin_service], by_service[ticket.service]
            origin.issued += 1
            origin.priority += ticket.priority is not None
            issued_by_hour[ticket.issued_at.astimezone(zone).hour] += 1
            wait = life.wait
            if wait is not None:
                origin.waits.append(wait)
                today.waits.append(wait)
            if ticket.status == TicketStatus.ABSENT:
                here.absent += 1
                today.absent += 1
            elif ticket.status == TicketStatus.PARKED:
                here.parked += 1
            if life.served_at is not None:
                today.served += 1
                here.served += 1
                served_by_hour[life.served_at.astimezone(zone).hour] += 1
                if life.served_by is not None:
                    by_counter[life.served_by].served += 1
                by_official[life.official].served += 1
                if life.service_seconds is not None:
                    service_times.append(life.service_seconds)
                    here.services.append(life.service_seconds)
                    by_official[life.official].services.append(life.service_seconds)
                    if life.served_by is not None:
                        by_counter[life.served_by].services.append(life.service_seconds)
        _counter_events(day.events, paused, out_of_order, moved_in, moved_out, work)
        ratings.add(day)
    dates = tuple(DayFigures(d, s.issued, s.served, s.absent, _mean(s.waits))
                  for d, s in sorted(per_day.items()))
    waits = [wait for s in per_day.values() for wait in s.waits]
    services = tuple(_service_figures(office, s.code, by_origin[s.code], by_service[s.code],
                                      moved_in, moved_out) for s in office.services)
    counters = tuple(
        CounterFigures(c.number, c.name, served=by_counter[c.number].served,
                       average_service=_mean(by_counter[c.number].services),
                       paused=paused[c.number], out_of_order=out_of_order[c.number])
        for c in office.counters
    )
    counts = [0] * len(WAIT_BINS)
    for wait in waits:  # one pass: the bin whose lower bound is the last one passed
        counts[max(0, bisect_right(_BIN_STARTS, wait / 60) - 1)] += 1
    bins = tuple((_bin_label(low, high), count)
                 for (low, high), count in zip(WAIT_BINS, counts, strict=True))
    totals: dict[str, float | int | None] = {
        "issued": sum(d.issued for d in dates),
        "served": sum(d.served for d in dates),
        "absent": sum(d.absent for d in dates),
        "average_wait": _mean(waits),
        "longest_wait": max(waits, default=None),
        "average_service": _mean(service_times),
    }
    return Report(office.name, start, end, services, counters, tuple(issued_by_hour),
                  tuple(served_by_hour), bins, dates, totals, ratings.figures(),
                  _official_figures(office, by_official, work),
                  _appointments(office, bookings, booked))


def _appointments(office: Office, bookings: Sequence[Booking],
                  checked_in: list[_Life]) -> tuple[AppointmentFigures, ...]:
    """Per service that has bookings or booked tickets: kept, late, no-shows, arrival
    against the slot, waits from the place in time."""
    if not bookings and not checked_in:
        return ()
    zone = ZoneInfo(office.timezone)
    by_code = {b.code: b for b in bookings}
    used = {life.ticket.booking for life in checked_in}
    rows = []
    for service in office.services:
        mine = [b for b in bookings if b.service == service.code]
        lives = [life for life in checked_in if life.ticket.origin_service == service.code]
        if not mine and not lives:
            continue
        kept = [life for life in lives if life.ticket.appointment]
        arrivals = [(life.ticket.issued_at - datetime.combine(b.day, b.slot_start, zone))
                    .total_seconds() for life in lives
                    if (b := by_code.get(str(life.ticket.booking))) is not None]
        waits = [w for life in kept if (w := life.wait) is not None]
        soon = ON_TIME_MINUTES * 60
        rows.append(AppointmentFigures(
            code=service.code, name=service.name, booked=len(mine), kept=len(kept),
            late=len(lives) - len(kept), no_show=sum(1 for b in mine if b.code not in used),
            average_arrival=_mean(arrivals), average_wait=_mean(waits),
            longest_wait=max(waits, default=None),
            called_within=sum(1 for w in waits if w <= soon), called=len(waits)))
    return tuple(rows)


@dataclass
class _OfficialWork:
    """Pauses and out-of-order calls, by the official signed in when they happened."""

    paused: defaultdict[str | None, float] = field(default_factory=lambda: defaultdict(float))
    out_of_order: Tally[str | None] = field(default_factory=Tally)


def _official_figures(office: Office, sums: defaultdict[str | None, _Sums],
                      work: _OfficialWork) -> tuple[OfficialFigures, ...]:
    """A row per official of the office (also with nothing to count), then those the
    log names but the office no longer lists, then the work of nobody signed in."""
    if not office.officials and set(sums) | set(work.paused) | set(work.out_of_order) <= {None}:
        return ()
    listed = {o.id: o for o in office.officials}
    others = sorted(k for k in {*sums, *work.paused, *work.out_of_order}
                    if k is not None and k not in listed)
    rows = []
    for key in [*listed, *others, None]:
        figures = sums.get(key, _Sums())
        if key is None and not (figures.served or work.paused.get(None)
                                or work.out_of_order.get(None)):
            continue
        known = listed.get(key) if key is not None else None
        name = known.name if known else (key if key is not None else NOBODY)
        rows.append(OfficialFigures(key, name, known.title if known else "", figures.served,
                                    _mean(figures.services), work.paused.get(key, 0.0),
                                    work.out_of_order.get(key, 0)))
    return tuple(rows)


class _Ratings:
    """The ``rated`` events of the period, by counter, reason and week."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.scale = office.rating.scale
        self.by_counter: defaultdict[int, list[int]] = defaultdict(lambda: [0] * self.scale)
        self.by_official: defaultdict[str, list[int]] = defaultdict(lambda: [0] * self.scale)
        self.reasons: Tally[str] = Tally()
        self.weeks: defaultdict[date, list[int]] = defaultdict(lambda: [0] * self.scale)

    def add(self, day: Day) -> None:
        monday = day.day - timedelta(days=day.day.weekday())
        for event in day.events:
            if event.kind != EventKind.RATED or event.counter is None:
                continue
            data = json.loads(event.data)
            level, scale = int(data.get("level", 0)), int(data.get("scale", 0))
            if scale != self.scale or not 1 <= level <= scale:
                continue
            official = data.get("official")
            if official is not None:  # about the official who served, not the counter
                self.by_official[str(official)][scale - level] += 1  # best first
            else:
                self.by_counter[event.counter][scale - level] += 1
            self.weeks[monday][scale - level] += 1
            for code in filter(None, str(data.get("reasons", "")).split(",")):
                self.reasons[code] += 1

    def figures(self) -> Satisfaction:
        names = {c.number: c.name for c in self.office.counters}
        listed = {o.id: o.name for o in self.office.officials}
        officials = [*listed, *sorted(set(self.by_official) - set(listed))]
        rows = [SatisfactionRow(None, listed.get(o, o), tuple(self.by_official[o]), o)
                for o in officials]
        # With officials, a counter's row holds only what was rated while nobody was
        # signed in there; without, every counter has its row, as before.
        counters = sorted(set(self.by_counter) if listed else set(names) | set(self.by_counter))
        rows += [SatisfactionRow(number, names.get(number, f"Quầy {number}")
                                 + (f" ({NOBODY.lower()})" if listed else ""),
                                 tuple(self.by_counter[number])) for number in counters]
        known = {r.code: r.name for r in self.office.rating.reasons}
        reasons = [(name, self.reasons[code]) for code, name in known.items()]
        reasons += [(code, count) for code, count in self.reasons.items() if code not in known]
        return Satisfaction(self.scale, level_labels(self.scale), tuple(rows), tuple(reasons),
                            tuple((monday, tuple(levels))
                                  for monday, levels in sorted(self.weeks.items())))


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
            life.official = _official(event)
        elif event.kind == EventKind.DONE and "day_end" not in event.data:
            life.served_at, life.served_by = event.at, event.counter
            # Who finished serving; the caller when nobody is signed in at "done": the
            # rule of the ticket itself (``queue_rules.evolve``), whom its rating is about.
            life.official = _official(event) or life.official
            called = last_call.get(life.ticket.id)
            if called is not None:
                life.service_seconds = (event.at - called).total_seconds()
    return list(lives.values())


def _counter_events(events: Sequence[EventRecord], paused: defaultdict[int, float],
                    out_of_order: Tally[int], moved_in: Tally[str],
                    moved_out: Tally[str], work: _OfficialWork) -> None:
    since: dict[int, datetime] = {}
    # The paused counters' time by official: (since, who was signed in), split where
    # another official signs in or the official signs out during the pause.
    spell: dict[int, tuple[datetime, str | None]] = {}
    for event in events:
        if event.kind == EventKind.TRANSFERRED:
            data = json.loads(event.data)
            source, target = str(data.get("from_service", "")), str(data.get("to_service", ""))
            if source != target:  # sent to a counter of the same service: no move
                moved_out[source] += 1
                moved_in[target] += 1
        if event.counter is None:
            continue
        if event.kind == EventKind.PAUSED:
            since[event.counter] = event.at
            spell[event.counter] = (event.at, _official(event))
        elif event.kind == EventKind.RESUMED and event.counter in since:
            paused[event.counter] += (event.at - since.pop(event.counter)).total_seconds()
            start, official = spell.pop(event.counter)
            work.paused[official] += (event.at - start).total_seconds()
        elif event.kind in (EventKind.SIGNED_IN, EventKind.SIGNED_OUT) \
                and event.counter in spell:
            start, official = spell[event.counter]
            work.paused[official] += (event.at - start).total_seconds()
            spell[event.counter] = (event.at, _official(event)
                                    if event.kind == EventKind.SIGNED_IN else None)
        elif event.kind == EventKind.CALLED_OUT_OF_ORDER:
            out_of_order[event.counter] += 1
            work.out_of_order[_official(event)] += 1
    # A pause not resumed counts until the day's last work: not until a citizen rates
    # the service from home that evening, nor until the day is closed at midnight.
    end = next((e.at for e in reversed(events)
                if e.kind != EventKind.RATED and "day_end" not in e.data), None)
    if end is not None:
        for counter, start in since.items():
            paused[counter] += max(0.0, (end - start).total_seconds())
        for begun, official in spell.values():
            work.paused[official] += max(0.0, (end - begun).total_seconds())


def _official(event: EventRecord) -> str | None:
    if '"official"' not in event.data:
        return None
    official = json.loads(event.data).get("official")
    return None if official is None else str(official)


def _service_figures(office: Office, code: str, origin: _Sums, here: _Sums,
                     moved_in: Tally[str], moved_out: Tally[str]) -> ServiceFigures:
    service = office.service(code)
    assert service is not None
    group = next((f.name for f in office.fields if f.code == service.field), "")
    threshold = timedelta(minutes=service.wait_threshold_minutes).total_seconds()
    return ServiceFigures(
        code=code, name=service.name, field_name=group, issued=origin.issued,
        served=here.served, absent=here.absent, parked=here.parked,
        transferred_in=moved_in[code], transferred_out=moved_out[code],
        priority=origin.priority,
        average_wait=_mean(origin.waits), longest_wait=max(origin.waits, default=None),
        average_service=_mean(here.services), longest_service=max(here.services, default=None),
        threshold_minutes=service.wait_threshold_minutes,
        over_threshold=sum(1 for w in origin.waits if w > threshold), called=len(origin.waits),
    )


def _mean(values: Sequence[float]) -> float | None:
    return fmean(values) if values else None


def _bin_label(low: int, high: int | None) -> str:
    return f"{low}–{high} phút" if high is not None else f"từ {low} phút"
