"""Several sites read as one (issue 19, part 4), without a database: each site counted
by its own thresholds, ratings on the scale most sites use, counters and officials
named with their site."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from shared.core.config import load_office
from shared.core.office import Office, Official, Rating
from shared.core.report import Day, EventRecord, Report, build
from shared.core.site_report import Site, as_one, renamed, site_day, with_sites
from shared.server.store import read_only
from tests.central.busy_days import FIRST_DAY, busy_days

LAST_DAY = FIRST_DAY + timedelta(days=1)


def days_of(office: Office, folder: Path, seed: int) -> list[Day]:
    database = busy_days(office, folder, seed)
    by_day: dict[date, list[EventRecord]] = {}
    with read_only(database) as db:
        for day, ticket, counter, kind, at, data in db.execute(
                "SELECT business_day, ticket_id, counter, kind, at, data FROM events ORDER BY id"):
            by_day.setdefault(date.fromisoformat(day), []).append(
                EventRecord(ticket, counter, kind, datetime.fromisoformat(at), data))
    return [site_day(day, events) for day, events in sorted(by_day.items())]


def together(sites: list[tuple[Site, list[Day]]]) -> Report:
    one = build(as_one("UBND tỉnh Mẫu", [s for s, _ in sites]), FIRST_DAY, LAST_DAY,
                [d for n, (site, days) in enumerate(sites) for d in renamed(n, site, days)])
    return with_sites(one, [(site, build(site.office, FIRST_DAY, LAST_DAY, days))
                            for site, days in sites])


def test_each_site_is_counted_by_its_own_threshold_and_rated_on_the_common_scale(
        tmp_path: Path) -> None:
    base = load_office()
    strict = replace(base, services=tuple(replace(s, wait_threshold_minutes=5)
                                          for s in base.services),
                     rating=Rating(scale=5))
    sites = [(Site(f"phuong-{n}", f"UBND Phường {n}", office),
              days_of(office, tmp_path / str(n), n))
             for n, office in ((1, base), (2, base), (3, strict))]
    report = together(sites)
    own = [build(site.office, FIRST_DAY, LAST_DAY, days) for site, days in sites]

    for service in report.services:
        assert service.over_threshold == sum(
            next(s.over_threshold for s in r.services if s.code == service.code) for r in own)
    # Site 3 counts far more citizens over its 5 minutes than it would over 30.
    assert report.sites[2].over_threshold_share > report.sites[0].over_threshold_share
    assert report.satisfaction is not None
    assert report.satisfaction.scale == 3  # two of the three sites
    assert sum(report.satisfaction.levels) == report.sites[0].rated + report.sites[1].rated
    assert report.sites[2].rated > 0  # its five stars are in its own row
    assert report.totals["issued"] == sum(s.issued for s in report.sites)
    assert [d.issued for d in report.days] == [
        sum(r.days[n].issued for r in own) for n in range(2)]


def test_counters_and_officials_carry_their_site() -> None:
    an = Official("an", "Nguyễn Văn An", "Chuyên viên")
    office = replace(load_office(), officials=(an,))
    zone = ZoneInfo(office.timezone)
    at = datetime(2026, 11, 30, 8, 0, tzinfo=zone)

    def day_at(counter: int) -> list[EventRecord]:
        issued = {"service": "A", "priority": None, "number": "A001", "sequence": 1}
        return [EventRecord(1, None, "issued", at, json.dumps(issued)),
                EventRecord(None, counter, "signed_in", at, json.dumps({"official": "an"})),
                EventRecord(1, counter, "called", at + timedelta(minutes=4),
                            json.dumps({"official": "an"})),
                EventRecord(1, counter, "done", at + timedelta(minutes=10),
                            json.dumps({"official": "an"}))]

    sites = [(Site("phuong-mot", "UBND Phường Một", office), [site_day(at.date(), day_at(1))]),
             (Site("phuong-hai", "UBND Phường Hai", office), [site_day(at.date(), day_at(2))])]
    report = together(sites)
    served = {(c.name, c.served) for c in report.counters if c.served}
    assert served == {("UBND Phường Một — Quầy 1", 1), ("UBND Phường Hai — Quầy 2", 1)}
    assert {(o.name, o.served) for o in report.officials if o.served} == {
        ("Nguyễn Văn An (UBND Phường Một)", 1), ("Nguyễn Văn An (UBND Phường Hai)", 1)}
    assert report.totals["average_wait"] == 240.0
