"""A period's report written to a file: the workbook, CSV or JSON, by the file's
extension. Used by ``motcua report``, the leader's desk's download button, and the
province's central server.

Reads the server's database read-only: never migrates or changes the file of a
server that may be running.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Final

from shared.core.office import Office
from shared.core.report import Report, build
from shared.reports import flat, workbook
from shared.server.booking_book import bookings_between
from shared.server.store import read_only, report_days

# A report's formats by extension, with the media type a browser downloads it as.
CONTENT_TYPES: Final = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml"
                                 ".sheet",
                        ".csv": "text/csv; charset=utf-8", ".json": "application/json"}
FORMATS: Final = tuple(CONTENT_TYPES)


def export(office: Office, database: Path, start: date, end: date, output: Path,
           made_on: date) -> tuple[Report, int]:
    """Write the report of ``start``…``end`` to ``output`` (its format by its
    extension, one of ``FORMATS``); the report, and how many days had activity."""
    with read_only(database) as db:
        days = report_days(db, start, end)
    report = build(office, start, end, days, bookings_between(database.parent, start, end))
    write_report(report, output, made_on)
    return report, len(days)


def write_report(report: Report, output: Path, made_on: date) -> None:
    """``report`` as a workbook, CSV or JSON, by ``output``'s extension."""
    kind = output.suffix.lower()
    if kind == ".xlsx":
        workbook.write(report, output, made_on)
    elif kind == ".csv":
        flat.write_csv(report, output)
    elif kind == ".json":
        flat.write_json(report, output)
    else:
        raise ValueError(f"unknown report format {kind!r}")
