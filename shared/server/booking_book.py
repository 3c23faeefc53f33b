"""The site's booking book: the bookings it has received, in ``bookings.sqlite``.

Written by ``motcua bookings import`` and by the bookings API of the server; read by
the server when a citizen checks in, and by the reports. A file of its own, beside
the queue's database, so that the queue keeps its one writer; a site whose internet
link is down keeps checking citizens in with the bookings it already has.

Taking bookings is all or nothing: a file or a request with one problem changes
nothing. Taking the same booking again (same code, same content) changes nothing
either, so a provincial system may resend freely.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from shared.core.booking import Booking, over_limits
from shared.core.booking_rows import BookingsRefusedError, FieldProblem
from shared.core.errors import StoreError
from shared.core.office import Office
from shared.core.private_files import private_file

log = logging.getLogger(__name__)

BOOKINGS_FILE = "bookings.sqlite"
CLOCK_SLACK = timedelta(minutes=5)  # a sender's clock a little ahead of ours

migrations = Migrations("motcua-bookings")


@migrations()
def m001_bookings(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE bookings (
            code TEXT PRIMARY KEY,
            service TEXT NOT NULL,
            day TEXT NOT NULL,
            slot_start TEXT NOT NULL,
            slot_end TEXT NOT NULL,
            booked_at TEXT,
            name TEXT,
            phone TEXT,
            id_hash TEXT,
            source TEXT NOT NULL,
            received_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX bookings_by_day ON bookings (day, service)")


@dataclass(frozen=True)
class Taken:
    """What taking a batch did."""

    added: int
    changed: int
    unchanged: int


class BookingBook:
    """The bookings of one site, in one SQLite file."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / BOOKINGS_FILE
        try:
            private_file(self.path)
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA busy_timeout=5000")
            migrations.apply(self.db)
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"Không mở được sổ lịch hẹn {self.path}: {error} / Cannot open "
                             f"the bookings database") from error

    def close(self) -> None:
        self.db.close()

    def find(self, code: str) -> Booking | None:
        row = next(self._rows("SELECT * FROM bookings WHERE code = ?", code), None)
        return None if row is None else _booking(row)

    def count(self, day: date) -> int:
        """How many bookings ``day`` has."""
        row = self.db.execute("SELECT count(*) FROM bookings WHERE day = ?",
                              (day.isoformat(),)).fetchone()
        return int(row[0])

    def day(self, day: date) -> list[Booking]:
        return [_booking(r) for r in self._rows(
            "SELECT * FROM bookings WHERE day = ? ORDER BY slot_start, code", day.isoformat())]

    def take(self, bookings: Sequence[Booking], office: Office, now: datetime,
             used: Callable[[str], str | None] = lambda code: None) -> Taken:
        """Keep ``bookings`` (replacing those of the same codes), all of them or, when
        one is refused, none (``BookingsRefusedError``): over the office's limits, booked
        at a time still to come, or a change to a booking that already gave a number
        (``used``: the number it gave today)."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                taken = self._take(bookings, office, now, used)
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(f"Không ghi được sổ lịch hẹn {self.path}: {error}") from error
        return taken

    def remove(self, code: str, source: str) -> bool:
        """Forget the booking ``code`` (cancelled by ``source``); False when there was
        none. ``BookingsRefusedError`` when another system sent it."""
        old = self.find(code)
        if old is None:
            return False
        if not _may_change(old.source, source):
            raise BookingsRefusedError([FieldProblem(f"mã {code}", f"thuộc hệ thống khác "
                                                     f"({old.source.removeprefix('api:')})")])
        try:
            return self.db.execute("DELETE FROM bookings WHERE code = ?", (code,)).rowcount > 0
        except sqlite3.Error as error:
            raise StoreError(f"Không ghi được sổ lịch hẹn {self.path}: {error}") from error

    def _take(self, bookings: Sequence[Booking], office: Office, now: datetime,
              used: Callable[[str], str | None]) -> Taken:
        days = sorted({b.day.isoformat() for b in bookings})
        kept = [_booking(r) for day in days
                for r in self._rows("SELECT * FROM bookings WHERE day = ?", day)]
        before = {b.code: b for b in kept}
        for code in {b.code for b in bookings} - set(before):
            stored = self.find(code)  # the same code on another day: moved
            if stored is not None:
                before[code] = stored
        capacity = {s.code: s.bookings.online_capacity for s in office.services
                    if s.bookings is not None}
        problems = [FieldProblem(f"mã {p.code}", p.problem) for p in
                    over_limits(list(bookings), kept, capacity, office.bookings_per_person)]
        for booking in bookings:
            if booking.booked_at is not None and booking.booked_at > now + CLOCK_SLACK:
                problems.append(FieldProblem(f"mã {booking.code}", f"đặt lúc "
                                             f"{booking.booked_at:%d/%m/%Y %H:%M}, chưa tới"))
            number = used(booking.code)
            old = before.get(booking.code)
            if old is not None and not _may_change(old.source, booking.source):
                problems.append(FieldProblem(f"mã {booking.code}", f"thuộc hệ thống khác "
                                             f"({old.source.removeprefix('api:')})"))
            if number is not None and (old is None or not _same(old, booking)):
                problems.append(FieldProblem(f"mã {booking.code}", f"đã dùng để lấy số "
                                             f"{number} hôm nay; không sửa được"))
        if problems:
            raise BookingsRefusedError(problems)
        added = changed = 0
        for booking in bookings:
            old = before.get(booking.code)
            if old is not None and _same(old, booking):
                continue
            added += old is None
            changed += old is not None
            self.db["bookings"].upsert(_row(booking, now), pk="code")  # type: ignore[union-attr]
        return Taken(added, changed, len(bookings) - added - changed)

    def _rows(self, sql: str, *params: Any) -> Iterator[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        for values in cursor:
            yield dict(zip(names, values, strict=True))


def bookings_between(data_dir: Path, start: date, end: date) -> list[Booking]:
    """The bookings for the days ``start``…``end``, read-only (for the reports, beside a
    running server); none when the site never took any."""
    path = data_dir / BOOKINGS_FILE
    if not path.is_file():
        return []
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise StoreError(f"Không đọc được {path}: {error}. / Cannot read {path}.") from error
    try:
        cursor = db.execute("SELECT * FROM bookings WHERE day BETWEEN ? AND ? ORDER BY day, "
                            "slot_start, code", (start.isoformat(), end.isoformat()))
        names = [d[0] for d in cursor.description]
        return [_booking(dict(zip(names, values, strict=True))) for values in cursor]
    except sqlite3.Error as error:
        raise StoreError(f"Không đọc được {path}: {error}. / Cannot read {path}.") from error
    finally:
        db.close()


def _may_change(owner: str, source: str) -> bool:
    """A system changes only the bookings it sent; the site's own imports change any."""
    return not (owner.startswith("api:") and source.startswith("api:") and owner != source)


def _same(a: Booking, b: Booking) -> bool:
    """The same booking, wherever it came from."""
    return _row(a, None) | {"source": ""} == _row(b, None) | {"source": ""}


def _row(booking: Booking, now: datetime | None) -> dict[str, Any]:
    return {
        "code": booking.code,
        "service": booking.service,
        "day": booking.day.isoformat(),
        "slot_start": f"{booking.slot_start:%H:%M}",
        "slot_end": f"{booking.slot_end:%H:%M}",
        "booked_at": None if booking.booked_at is None else booking.booked_at.isoformat(),
        "name": booking.name,
        "phone": booking.phone,
        "id_hash": booking.id_hash,
        "source": booking.source,
        "received_at": None if now is None else now.isoformat(),
    }


def _booking(row: dict[str, Any]) -> Booking:
    return Booking(
        code=row["code"], service=row["service"], day=date.fromisoformat(row["day"]),
        slot_start=time.fromisoformat(row["slot_start"]),
        slot_end=time.fromisoformat(row["slot_end"]),
        booked_at=None if row["booked_at"] is None else datetime.fromisoformat(row["booked_at"]),
        name=row["name"], phone=row["phone"], id_hash=row["id_hash"], source=row["source"],
    )
