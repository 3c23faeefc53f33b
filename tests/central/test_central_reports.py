"""The leader's desk's reports at the province (issue 19, part 4): sites send their
logs to a real central server on a real PostgreSQL; the report of one site there is
the site's own report, figure for figure; the report of several is one report over
them all with a sheet comparing them, read back with openpyxl."""

from __future__ import annotations

from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from shared.central import reports
from shared.central.ledger import add_site, publish
from shared.central.server import CentralServer
from shared.cli.main import main
from shared.core.config import parse_office
from shared.core.office import Office
from shared.reports.flat import as_data
from shared.server.central_link import read_after
from shared.server.report_file import export
from tests.central.busy_days import FIRST_DAY, busy_days
from tests.central.test_central import post

LAST_DAY = FIRST_DAY + timedelta(days=1)


def office_file(site: str, name: str) -> str:
    """The demo office as the province publishes it for ``site`` (no [server]: that
    table is the site's own machines')."""
    text = resources.files("shared.core").joinpath("default_office.toml").read_text("utf-8")
    return (text[:text.index("[server]")].replace('id = "phuong-mau"', f'id = "{site}"')
            .replace('name = "UBND Phường Mẫu"', f'name = "{name}"'))


async def a_site_sends(central: CentralServer, folder: Path, site: str, name: str,
                       seed: int, published: bool = True) -> tuple[Office, Path]:
    """A site's two busy days, sent to the province as its link sends them; the
    site's office and database."""
    key = add_site(central.database, site, name)
    office = parse_office(office_file(site, name), site)
    if published:
        publish(central.database, site, office_file(site, name))
    database = busy_days(office, folder / site, seed)
    events = read_after(database, 0, 100_000)
    for first in range(0, len(events), 500):
        status, answer = await post(central, key, events[first:first + 500])
        assert status == 200, answer
    assert answer["stored_up_to"] == len(events)
    return office, database


def site_report(office: Office, database: Path, tmp_path: Path) -> dict[str, Any]:
    made, _ = export(office, database, FIRST_DAY, LAST_DAY, tmp_path / "own.json", LAST_DAY)
    return as_data(made)


async def test_a_site_s_report_at_the_province_is_the_site_s_own_report(
    central: CentralServer, tmp_path: Path,
) -> None:
    office, database = await a_site_sends(central, tmp_path, "phuong-mot", "UBND Phường Một", 1)
    own = site_report(office, database, tmp_path)
    assert own["totals"]["issued"] > 100  # a real day's figures
    assert own["satisfaction"]
    assert as_data(reports.report(central.database, ["phuong-mot"], FIRST_DAY, LAST_DAY)) == own


async def test_a_site_with_no_published_file_is_reported_by_what_its_log_names(
    central: CentralServer, tmp_path: Path,
) -> None:
    office, database = await a_site_sends(central, tmp_path, "phuong-hai", "UBND Phường Hai",
                                          2, published=False)
    own = site_report(office, database, tmp_path)
    there = as_data(reports.report(central.database, ["phuong-hai"], FIRST_DAY, LAST_DAY))
    assert there["totals"] == own["totals"]
    assert [(s["name"], s["issued"], s["served"]) for s in there["services"]] == [
        (f"Dịch vụ {s['code']}", s["issued"], s["served"])
        for s in sorted(own["services"], key=lambda s: s["code"]) if s["issued"] or s["served"]]
    assert [c["name"] for c in there["counters"]] == [f"Quầy {c.number}" for c in office.counters]


def cells(book: Any, sheet: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]


async def test_the_province_s_workbook_compares_its_sites(
    central: CentralServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    one = await a_site_sends(central, tmp_path, "phuong-mot", "UBND Phường Một", 1)
    two = await a_site_sends(central, tmp_path, "phuong-hai", "UBND Phường Hai", 2)
    mine = [site_report(*one, tmp_path), site_report(*two, tmp_path)]
    output = tmp_path / "tinh.xlsx"
    assert main(["central", "report", "--database", central.database, "--from",
                 FIRST_DAY.isoformat(), "--to", LAST_DAY.isoformat(), "--title",
                 "UBND tỉnh Mẫu", "--output", str(output)]) == 0
    assert "2 điểm" in capsys.readouterr().out

    book = openpyxl.load_workbook(output)
    assert book["Theo dịch vụ"]["A1"].value == "UBND TỈNH MẪU"
    rows = cells(book, "So sánh các điểm")
    header = rows.index(next(r for r in rows if r[0] == "STT"))
    hai, mot, total = rows[header + 1], rows[header + 2], rows[header + 3]
    assert (hai[1], mot[1], total[0]) == ("UBND Phường Hai", "UBND Phường Một", "Tổng cộng")
    for row, own in ((mot, mine[0]), (hai, mine[1])):
        assert row[2:5] == (own["totals"]["issued"], own["totals"]["served"],
                            own["totals"]["absent"])
        assert row[5] == own["totals"]["average_wait"]
        assert row[11] == 4  # counters
        assert row[12] == 2  # days with activity
    assert total[2] == mine[0]["totals"]["issued"] + mine[1]["totals"]["issued"]

    # The other sheets are one report over both: each counter named with its site, each
    # date once, every citizen counted.
    counters = [r[1] for r in cells(book, "Theo quầy") if isinstance(r[0], int)]
    assert "UBND Phường Một — Quầy 1" in counters
    assert "UBND Phường Hai — Quầy 1" in counters
    assert len(counters) == 8
    days = [r for r in cells(book, "Theo ngày") if r[0] in ("30/11/2026", "01/12/2026")]
    assert [r[1] for r in days] == [sum(d["issued"] for d in (own["days"][n] for own in mine))
                                    for n in range(2)]


async def test_a_group_of_sites_and_wrong_requests(
    central: CentralServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    await a_site_sends(central, tmp_path, "phuong-mot", "UBND Phường Một", 1)
    await a_site_sends(central, tmp_path, "phuong-hai", "UBND Phường Hai", 2)
    await a_site_sends(central, tmp_path, "phuong-ba", "UBND Phường Ba", 3, published=False)
    group = reports.report(central.database, ["phuong-mot", "phuong-ba"], FIRST_DAY, LAST_DAY,
                           "Phường Một và điểm Ba")
    assert [s.site for s in group.sites] == ["phuong-mot", "phuong-ba"]
    assert group.totals["issued"] == sum(s.issued for s in group.sites)

    output = tmp_path / "wrong.xlsx"
    for args, said in (
            (["--site", "phuong-tu"], "Không có điểm phuong-tu"),
            (["--from", "2026-12-01", "--to", "2026-11-01"], "sớm hơn ngày --from"),
            (["--from", "01/12/2026"], "01/12/2026"),
            (["--output", str(tmp_path / "wrong.pdf")], ".xlsx")):
        assert main(["central", "report", "--database", central.database, "--output",
                     str(output), "--from", "2026-11-30", "--to", "2026-12-01", *args]) == 2
        err = capsys.readouterr().err
        assert said in err
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
    assert not output.exists()
    assert not (tmp_path / "wrong.pdf").exists()

