"""The leader's desk's reports across sites (issue 19, part 4): one site, a group of
sites, or the whole province, from the logs the sites sent.

A site is reported with the office file it runs (the version it said in its
heartbeat, else the latest published); a site the province has published no file
for is reported with what its log names (services by code, counters by number). One
site's report is that site's own ``motcua report``; several sites' is one report
over all of them with a sheet comparing them (``shared.core.site_report``).

One site at a time is read from the database, so a province's year does not have to
fit in memory: only the sites' rows and the figures being summed. Bookings stay on
each site, so these reports have no bookings sheet. Imports psycopg.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg

from shared.core.config import parse_office
from shared.core.errors import MotcuaError
from shared.core.report import Day, EventRecord, Report, build
from shared.core.site_report import Site, as_one, bare_office, renamed, site_day, with_sites
from shared.server.report_file import write_report

log = logging.getLogger(__name__)

PROVINCE = "Các điểm phục vụ hành chính công"  # several sites' report, unless named


def report(conninfo: str, sites: Sequence[str], start: date, end: date,
           name: str = PROVINCE) -> Report:
    """The report of ``sites`` (none: every site) from ``start`` to ``end``."""
    if end < start:
        raise MotcuaError("Ngày kết thúc trước ngày bắt đầu. / The period ends before it "
                          "starts.")
    with psycopg.connect(conninfo) as conn:
        chosen = _sites(conn, sites, start, end)
        if len(chosen) == 1:
            site = chosen[0]
            return _without_bookings(build(site.office, start, end,
                                           _days(conn, site.id, start, end)))
        own: list[tuple[Site, Report]] = []

        def stream() -> Iterator[Day]:
            for index, site in enumerate(chosen):
                days = _days(conn, site.id, start, end)
                own.append((site, build(site.office, start, end, days)))
                yield from renamed(index, site, days)

        one = build(as_one(name, chosen), start, end, stream())
    return _without_bookings(with_sites(one, own))


def _without_bookings(report: Report) -> Report:
    """Bookings stay on each site: without them, "kept" would stand beside "booked 0"."""
    return replace(report, appointments=())


def export(conninfo: str, sites: Sequence[str], start: date, end: date, output: Path,
           made_on: date, name: str = PROVINCE) -> Report:
    """The report written to ``output``: a workbook, CSV or JSON by its extension."""
    made = report(conninfo, sites, start, end, name)
    write_report(made, output, made_on)
    return made


def _sites(conn: psycopg.Connection[Any], wanted: Sequence[str], start: date,
           end: date) -> list[Site]:
    rows = conn.execute(
        "SELECT id, name, (SELECT toml FROM bundles b WHERE b.site = sites.id AND "
        "(b.version = (heartbeat->>'config_running')::int OR heartbeat->>'config_running' "
        "IS NULL) ORDER BY version DESC LIMIT 1) FROM sites ORDER BY id").fetchall()
    known = {str(row[0]): row for row in rows}
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise MotcuaError(f"Không có điểm {', '.join(unknown)}. / No site "
                          f"{', '.join(unknown)}: motcua central site list shows them.")
    if not known:
        raise MotcuaError("Chưa có điểm nào (motcua central site add). / No sites yet.")
    found = []
    for site in dict.fromkeys(wanted) or known:
        _, name, toml = known[site]
        if toml is not None:
            office = parse_office(str(toml), f"cấu hình của điểm {site} / {site}'s office")
        else:
            office = bare_office(site, str(name), *_named(conn, site, start, end))
        found.append(Site(site, str(name), office))
    return found


def _named(conn: psycopg.Connection[Any], site: str, start: date,
           end: date) -> tuple[set[str], set[int], int | None]:
    """The services and counters a site's log names over the period, and the scale
    its citizens rated on (the latest)."""
    span = (site, start, end)
    services = {str(code) for (code,) in conn.execute(
        "SELECT DISTINCT coalesce(body->>'to_service', body->>'service') FROM events WHERE "
        "site = %s AND business_day BETWEEN %s AND %s AND kind IN ('issued', 'transferred')",
        span) if code is not None}
    counters = {int(n) for (n,) in conn.execute(
        "SELECT DISTINCT counter FROM events WHERE site = %s AND business_day BETWEEN %s "
        "AND %s AND counter IS NOT NULL", span)}
    scale = conn.execute(
        "SELECT (body->>'scale')::int FROM events WHERE site = %s AND business_day BETWEEN "
        "%s AND %s AND kind = 'rated' ORDER BY seq DESC LIMIT 1", span).fetchone()
    return services, counters, None if scale is None else scale[0]


def _days(conn: psycopg.Connection[Any], site: str, start: date, end: date) -> list[Day]:
    """A site's business days in the period, as a report reads them."""
    by_day: defaultdict[date, list[EventRecord]] = defaultdict(list)
    for day, ticket, counter, kind, at, data in conn.execute(
            "SELECT business_day, ticket_id, counter, kind, at, data FROM events "
            "WHERE site = %s AND business_day BETWEEN %s AND %s ORDER BY seq",
            (site, start, end)):
        by_day[day].append(EventRecord(ticket, counter, kind, datetime.fromisoformat(at), data))
    return [site_day(day, events) for day, events in sorted(by_day.items())]
