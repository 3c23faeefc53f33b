"""``motcua bookings``: take bookings from a spreadsheet, list a day's, and the keys of
the systems that push them (issue 15).

Run on the server's machine, as the user the server runs as, also while it runs: the
bookings are in ``bookings.sqlite``, which the server reads at each check-in.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

from shared.cli.words import say
from shared.core.booking_rows import FIELDS, from_rows
from shared.core.errors import MotcuaError
from shared.core.office import Office
from shared.server.booking_book import BookingBook
from shared.server.devices import DeviceRegistry

Rows = tuple[list[object], Iterator[tuple[int, Sequence[object]]]]


def import_file(office: Office, data_dir: Path, path: Path, named: dict[str, str],
                sheet: str | None = None) -> int:
    header, rows = read_table(path, sheet)
    bookings = from_rows(header, rows, office, f"import:{path.name}", named)
    book = _open(data_dir)
    try:
        taken = book.take(bookings, office, datetime.now().astimezone())
    finally:
        book.close()
    print(say("bookings_taken", count=len(bookings), file=path.name, added=taken.added,
              changed=taken.changed, unchanged=taken.unchanged))
    return 0


def read_table(path: Path, sheet: str | None = None) -> Rows:
    """A spreadsheet's header and its numbered rows (numbered as the spreadsheet shows
    them: the header is row 1): CSV (UTF-8, commas, semicolons or tabs) or XLSX."""
    if not path.is_file():
        raise MotcuaError(say("no_file", path=path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx(path, sheet)
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        raise MotcuaError(say("csv_or_xlsx", file=path.name))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise MotcuaError(say("csv_not_utf8", file=path.name)) from None
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if header is None:
        raise MotcuaError(say("file_empty", file=path.name))
    return list(header), ((number, row) for number, row in enumerate(reader, start=2))


def _xlsx(path: Path, sheet: str | None) -> Rows:
    import openpyxl  # only for spreadsheets: the kiosk and the counters never need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as problem:
        raise MotcuaError(say("xlsx_unreadable", file=path.name, problem=problem)) from None
    if sheet is not None and sheet not in book.sheetnames:
        raise MotcuaError(say("no_sheet", file=path.name, sheet=sheet,
                              known=", ".join(book.sheetnames)))
    pages = book[sheet] if sheet is not None else book.worksheets[0]
    rows = pages.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise MotcuaError(say("sheet_empty", file=path.name))
    return list(header), ((number, list(row)) for number, row in enumerate(rows, start=2))


def list_day(office: Office, data_dir: Path, day: date) -> int:
    book = _open(data_dir)
    try:
        bookings = book.day(day)
    finally:
        book.close()
    if not bookings:
        print(say("no_bookings_on", day=f"{day:%d/%m/%Y}"))
        return 0
    rows = [tuple(say(k) for k in ("col_slot", "col_code", "col_service", "col_name",
                                   "col_source"))]
    for b in bookings:
        service = office.service(b.service)
        rows.append((b.slot_text(), b.code, service.name if service else b.service,
                     b.name or "—", b.source))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(say("bookings_count", count=len(bookings)))
    return 0


def add_key(data_dir: Path, name: str) -> int:
    registry = _registry(data_dir)
    try:
        key = registry.add_api_key(name, datetime.now())
    finally:
        registry.close()
    print(say("api_key_made", name=name, key=key))
    return 0


def list_keys(data_dir: Path) -> int:
    registry = _registry(data_dir)
    try:
        keys = registry.api_keys()
    finally:
        registry.close()
    if not keys:
        print(say("no_api_key"))
    for key in keys:
        print(say("api_key_line", name=key["name"], added=key["added_at"],
                  used=key["last_used"] or "—"))
    return 0


def remove_key(data_dir: Path, name: str) -> int:
    registry = _registry(data_dir)
    try:
        registry.remove_api_key(name)
    finally:
        registry.close()
    print(say("api_key_removed", name=name))
    return 0


def columns_given(pairs: Sequence[str]) -> dict[str, str]:
    """``--column code="Mã hồ sơ"`` options as a mapping, or a clear error."""
    named = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if not sep or not header.strip():
            raise MotcuaError(say("column_how", pair=pair, fields=", ".join(FIELDS)))
        named[field.strip()] = header.strip()
    return named


def _open(data_dir: Path) -> BookingBook:
    if not data_dir.is_dir():
        raise MotcuaError(say("no_data_dir_here", path=data_dir))
    return BookingBook(data_dir)


def _registry(data_dir: Path) -> DeviceRegistry:
    if not data_dir.is_dir():
        raise MotcuaError(say("no_data_dir_here", path=data_dir))
    return DeviceRegistry(data_dir)

