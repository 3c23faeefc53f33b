"""The reports of many sites (issue 19): a site's days rebuilt from the log it sent,
and several sites read as one office, with a row per site to compare them.

A site sends the province its events, not its tickets table. A ticket's final state
is its events folded: the facts ``queue_rules.evolve`` keeps, only those a report
reads, in one pass (a province's month is a million events; the full replay would
copy each day's tickets at every event). The tests hold a site's report made here
against the site's own ``motcua report`` of the same days.

Several sites are reported as one office whose counters and officials carry their
site's name, so the figures and the workbook are those of one office's report.

Pure: the core's office and report only.
"""

from __future__ import annotations

import json
from collections import Counter as Tally
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Final

from shared.core.events import EventKind
from shared.core.office import Counter, Field, Office, Official, Rating, Service
from shared.core.report import (
    REPORTED_KINDS,
    Day,
    EventRecord,
    Report,
    SiteFigures,
    TicketRecord,
)
from shared.core.ticket import TicketStatus

# The status a ticket has after each kind of event about it (``queue_rules.evolve``).
_STATUS: Final[dict[str, TicketStatus]] = {
    EventKind.CALLED: TicketStatus.CALLED,
    EventKind.CALLED_OUT_OF_ORDER: TicketStatus.CALLED,
    EventKind.ABSENT: TicketStatus.ABSENT,
    EventKind.PARKED: TicketStatus.PARKED,
    EventKind.DONE: TicketStatus.DONE,
    EventKind.TRANSFERRED: TicketStatus.WAITING,
    EventKind.RETURNED: TicketStatus.WAITING,
}
_REPORTED: Final = frozenset(REPORTED_KINDS)
# A site's counter n is counter SITE_SPAN * (its place + 1) + n of several sites read
# as one: never the same number twice, and its own number still readable in it.
SITE_SPAN: Final = 1000


def site_day(day: date, events: Sequence[EventRecord]) -> Day:
    """One business day of a site, from its log alone (oldest first)."""
    tickets: dict[int, TicketRecord] = {}
    for event in events:
        if event.ticket is None:
            continue
        if event.kind == EventKind.ISSUED:
            data = json.loads(event.data)
            placed = data.get("queued_at")
            tickets[event.ticket] = TicketRecord(
                event.ticket, str(data["service"]), str(data["service"]), data["priority"],
                TicketStatus.WAITING, event.at, data.get("booking"),
                bool(data.get("appointment")),
                event.at if placed is None else datetime.fromisoformat(placed))
            continue
        ticket = tickets.get(event.ticket)
        status = _STATUS.get(event.kind)
        if ticket is None or status is None:
            continue
        if event.kind == EventKind.TRANSFERRED:
            ticket = ticket._replace(service=str(json.loads(event.data)["to_service"]))
        tickets[event.ticket] = ticket._replace(status=status)
    return Day(day, list(tickets.values()), [e for e in events if e.kind in _REPORTED])


def bare_office(site: str, name: str, services: Iterable[str], counters: Iterable[int],
                scale: int | None = None) -> Office:
    """What a site's log names, for a site the province has published no office file
    for: its services by their codes, its counters by their numbers, the scale its
    citizens rated on."""
    return Office(id=site, name=name,
                  services=tuple(Service(code, f"Dịch vụ {code}", f"Service {code}")
                                 for code in sorted(services)),
                  counters=tuple(Counter(n, f"Quầy {n}", ()) for n in sorted(counters)),
                  rating=Rating(scale=scale) if scale else Rating())


@dataclass(frozen=True)
class Site:
    """A site in a report of several: its id, its name at the province, its office."""

    id: str
    name: str
    office: Office


def as_one(name: str, sites: Sequence[Site]) -> Office:
    """Several sites as one office: every site's services and fields (the first
    site's where two share a code), its counters and officials named with the site."""
    services: dict[str, Service] = {}
    fields: dict[str, Field] = {}
    counters: list[Counter] = []
    officials: list[Official] = []
    for index, site in enumerate(sites):
        office = site.office
        for service in office.services:
            services.setdefault(service.code, service)
        for group in office.fields:
            fields.setdefault(group.code, group)
        counters += [Counter(SITE_SPAN * (index + 1) + c.number, f"{site.name} — {c.name}",
                             c.services) for c in office.counters]
        officials += [replace(o, id=f"{site.id}/{o.id}", name=f"{o.name} ({site.name})")
                      for o in office.officials]
    # The ratings sheet counts one scale: the one most sites rate on (the first's on a tie).
    scales = Tally([s.office.rating.scale for s in sites])
    rating = next(s.office.rating for s in sites
                  if s.office.rating.scale == scales.most_common(1)[0][0])
    return Office(id="*", name=name, timezone=sites[0].office.timezone,
                  services=tuple(services.values()), counters=tuple(counters),
                  fields=tuple(fields.values()), rating=rating, officials=tuple(officials))


def renamed(index: int, site: Site, days: Iterable[Day]) -> Iterator[Day]:
    """A site's days as ``as_one`` names its counters and officials (``index``: its
    place in the sites given to ``as_one``)."""
    base = SITE_SPAN * (index + 1)

    def moved(event: EventRecord) -> EventRecord:
        data = event.data
        if '"official"' in data:
            fields = json.loads(data)
            if fields.get("official") is not None:
                fields["official"] = f"{site.id}/{fields['official']}"
                data = json.dumps(fields, ensure_ascii=False)
        return event._replace(counter=None if event.counter is None else base + event.counter,
                              data=data)

    for day in days:
        yield replace(day, events=[moved(e) for e in day.events])


def figures(site: Site, report: Report) -> SiteFigures:
    """A site's row, from its own report."""
    called = sum(s.called for s in report.services)
    over = sum(s.over_threshold for s in report.services)
    levels = report.satisfaction.levels if report.satisfaction is not None else ()
    rated = sum(levels)
    return SiteFigures(
        site.id, site.name, int(report.totals["issued"] or 0), int(report.totals["served"] or 0),
        int(report.totals["absent"] or 0), report.totals["average_wait"],
        report.totals["longest_wait"], over / called if called else None,
        report.totals["average_service"],
        rated, sum(levels[:2]) / rated if rated else None, len(site.office.counters),
        sum(1 for d in report.days if d.issued or d.served))


def with_sites(one: Report, own: Sequence[tuple[Site, Report]]) -> Report:
    """Several sites' report (``one``, over ``as_one``'s office) with a row per site
    from each site's ``own`` report. A service's citizens over its waiting threshold
    are counted as each site counts them, by its own threshold (``as_one`` keeps the
    first site's)."""
    over: Tally[str] = Tally()
    called: Tally[str] = Tally()
    for _, report in own:
        for service in report.services:
            over[service.code] += service.over_threshold
            called[service.code] += service.called
    services = tuple(replace(s, over_threshold=over[s.code], called=called[s.code])
                     for s in one.services)
    return replace(one, services=services,
                   sites=tuple(figures(site, report) for site, report in own))
