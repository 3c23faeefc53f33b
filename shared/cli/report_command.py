"""``motcua report``: read a period from the server's database and write the report.

On the server's machine, also while the server runs (SQLite lets it read). The
format follows the output's extension: ``.xlsx`` (the workbook for the leader),
``.csv`` or ``.json`` (the same figures, for a province's data centre).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from shared.core.errors import MotcuaError
from shared.core.office import Office
from shared.server.report_file import FORMATS, export
from shared.server.server import DATABASE_FILE


def make_report(office: Office, data_dir: Path, start_text: str, end_text: str,
                output: Path) -> int:
    start, end = period(start_text, end_text)
    check_format(output)
    report, days = export(office, data_dir / DATABASE_FILE, start, end, output, date.today())
    print(f"{output}: {days} ngày có hoạt động, {report.totals['issued']} phiếu. / "
          f"{days} days with activity, {report.totals['issued']} tickets.")
    return 0


def period(start_text: str | None, end_text: str | None) -> tuple[date, date]:
    """``--from`` and ``--to`` as days, the first not after the second."""
    start, end = _day(start_text, "--from"), _day(end_text, "--to")
    if end < start:
        raise MotcuaError(f"--to {end} đứng trước --from {start}. / --to comes before --from.")
    return start, end


def check_format(output: Path) -> None:
    """A report's file must be one it can be written as, before anything is read."""
    if output.suffix.lower() not in FORMATS:
        raise MotcuaError(f"Không biết định dạng “{output.suffix or output.name}”: dùng "
                          ".xlsx, .csv hoặc .json. / Unknown format: use .xlsx, .csv or .json.")


def _day(text: str | None, option: str) -> date:
    if not text:
        raise MotcuaError(f"Cần {option} YYYY-MM-DD. / Give {option} YYYY-MM-DD.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise MotcuaError(f"{option} “{text}”: viết ngày như 2026-12-01. / write the day "
                          "like 2026-12-01.") from None
