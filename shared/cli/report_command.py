"""``motcua report``: read a period from the server's database and write the report.

On the server's machine, also while the server runs (SQLite lets it read). The
format follows the output's extension: ``.xlsx`` (the workbook for the leader),
``.csv`` or ``.json`` (the same figures, for a province's data centre).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from shared.cli.words import say
from shared.core.errors import MotcuaError
from shared.core.office import Office
from shared.server.report_file import FORMATS, export
from shared.server.server import DATABASE_FILE


def make_report(office: Office, data_dir: Path, start_text: str, end_text: str,
                output: Path) -> int:
    start, end = period(start_text, end_text)
    check_format(output)
    report, days = export(office, data_dir / DATABASE_FILE, start, end, output, date.today())
    print(say("report_made", output=output, days=days, issued=report.totals["issued"]))
    return 0


def period(start_text: str | None, end_text: str | None) -> tuple[date, date]:
    """``--from`` and ``--to`` as days, the first not after the second."""
    start, end = _day(start_text, "--from"), _day(end_text, "--to")
    if end < start:
        raise MotcuaError(say("to_before_from", end=end, start=start))
    return start, end


def check_format(output: Path) -> None:
    """A report's file must be one it can be written as, before anything is read."""
    if output.suffix.lower() not in FORMATS:
        raise MotcuaError(say("unknown_format", suffix=output.suffix or output.name))


def _day(text: str | None, option: str) -> date:
    if not text:
        raise MotcuaError(say("day_needed", option=option))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise MotcuaError(say("option_day", option=option, text=text)) from None
