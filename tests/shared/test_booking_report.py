"""The reports count appointments (issue 15, part 5): kept, late and no-shows, arrival
against the slot, and the wait once the place came — from a day run through the real
office service and SQLite, written as a workbook and read back by openpyxl."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

from shared.core.booking import Booking, BookingRules
from shared.core.office import Counter, Office, Service
from shared.server.audit import audit_day, vietnamese
from shared.server.booking_book import BookingBook
from shared.server.office_service import OfficeService, Session
from shared.server.report_file import export
from shared.server.store import SqliteStore
from tests.conftest import handle_json

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = date(2026, 12, 3)
OFFICE = Office(
    id="test", name="UBND Phường Thử",
    services=(Service("A", "Hộ tịch", "Civil status", prefix="A", bookings=BookingRules()),
              Service("B", "Chứng thực", "Certification", prefix="B")),
    counters=(Counter(1, "Quầy 1", ("A", "B")),),
)


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 12, 3, hour, minute, tzinfo=ZONE)


class Day:
    """A day through the real office service and SQLite, with a booking book."""

    def __init__(self, folder: Path, bookings: list[Booking], start: datetime) -> None:
        self.book = BookingBook(folder)
        self.book.take(bookings, OFFICE, at(7, 0))
        self.now = start
        self.store = SqliteStore(folder / "motcua.sqlite")
        self.service = OfficeService(OFFICE, self.store, clock=lambda: self.now,
                                     booking_of=self.book.find)
        self._ids = iter(range(1, 1000))

    def kiosk(self, **message: object) -> dict[str, object]:
        return self._send(Session("kiosk", "kiosk"), message)

    def counter(self, **message: object) -> dict[str, object]:
        return self._send(Session("counter-1", "counter", 1), message)

    def _send(self, session: Session, message: dict[str, object]) -> dict[str, object]:
        return handle_json(self.service, session, {"id": next(self._ids), **message}).reply

    def close(self) -> None:
        self.store.close()
        self.book.close()


def test_the_workbook_counts_kept_late_and_missed_appointments(tmp_path: Path) -> None:
    day = Day(tmp_path, [
        Booking("HEN1", "A", DAY, time(9, 0), time(9, 20)),  # comes early, kept
        Booking("HEN2", "A", DAY, time(8, 0), time(8, 20)),  # comes an hour late
        Booking("HEN3", "A", DAY, time(10, 0), time(10, 20))], at(8, 45))  # never comes
    assert day.kiosk(type="check_in", code="HEN1")["type"] == "ticket"  # 15 min early
    day.now = at(8, 50)
    day.kiosk(type="issue", service="A")  # a walk-in at 08:50
    day.now = at(9, 1)
    assert day.kiosk(type="check_in", code="HEN2")["late"] is True  # 61 min late
    day.now = at(9, 2)
    day.counter(type="call_next")  # the 08:50 walk-in
    day.now = at(9, 6)
    called = day.counter(type="call_next")  # the 09:00 appointment: 6 minutes after
    assert called["ticket"]["number"] == "A001"  # type: ignore[index]
    day.now = at(9, 12)
    day.counter(type="done")
    day.close()

    output = tmp_path / "bao-cao.xlsx"
    report, _ = export(OFFICE, tmp_path / "motcua.sqlite", DAY, DAY, output, DAY)
    [row] = report.appointments
    assert (row.booked, row.kept, row.late, row.no_show) == (3, 1, 1, 1)
    assert row.average_arrival == timedelta(minutes=(-15 + 61) / 2).total_seconds()
    assert row.average_wait == 6 * 60  # from its slot, not from its check-in at 08:45
    assert (row.called_within, row.called) == (1, 1)

    sheet = openpyxl.load_workbook(output)["Lịch hẹn"]
    header = [c.value for c in sheet[9]]
    assert header[:6] == ["STT", "Dịch vụ", "Lịch hẹn đã nhận", "Đến đúng hẹn (giữ chỗ)",
                          "Đến muộn (nhận số thường)", "Không đến"]
    values = [c.value for c in sheet[10]]
    assert values[:8] == [1, "Hộ tịch", 3, 1, 1, 1, 23.0, 6.0]
    assert values[9] == 1.0
    assert [c.value for c in sheet[11]][:6] == ["Tổng cộng", None, 3, 1, 1, 1]

    # The audit replays the day: every call by the rules, each appointment's place said.
    audit = audit_day(OFFICE, tmp_path / "motcua.sqlite", DAY)
    assert audit.clean
    assert (audit.calls, audit.by_the_rules) == (2, 2)
    said = vietnamese(audit)
    assert "  - A001 (mã HEN1): lấy số lúc 08:45:00, xếp hàng như đến lúc 09:00." in said
    assert ("  - A003 (mã HEN2): lấy số lúc 09:01:00, đến muộn quá giờ hẹn: số thường, xếp "
            "hàng lúc đến.") in said

    as_json = tmp_path / "bao-cao.json"
    export(OFFICE, tmp_path / "motcua.sqlite", DAY, DAY, as_json, DAY)
    [data] = json.loads(as_json.read_text(encoding="utf-8"))["appointments"]
    assert (data["kept"], data["no_show"], data["average_wait_minutes"]) == (1, 1, 6.0)


def test_an_appointment_called_early_or_returned_late_never_waits_less_than_nothing(
        tmp_path: Path) -> None:
    day = Day(tmp_path, [Booking("HEN1", "A", DAY, time(9, 40), time(10, 0)),
                         Booking("HEN2", "A", DAY, time(9, 40), time(10, 0))], at(9, 20))
    day.kiosk(type="check_in", code="HEN1")  # A001
    day.kiosk(type="check_in", code="HEN2")  # A002
    day.now = at(9, 30)  # called by hand before its slot: it waited none
    assert day.counter(type="call", number="A001", reason="cụ già")["type"] == "called"
    day.now = at(9, 45)  # called at 09:45: five minutes after its slot …
    day.counter(type="call_next")
    day.counter(type="absent")
    day.now = at(10, 30)  # … then absent, and back after the grace period
    day.counter(type="return", number="A002")
    day.close()
    report, _ = export(OFFICE, tmp_path / "motcua.sqlite", DAY, DAY, tmp_path / "r.json", DAY)
    [row] = report.appointments
    assert (row.average_wait, row.longest_wait) == (2.5 * 60, 5 * 60)  # 0 and 5 minutes
    assert (row.called_within, row.called) == (2, 2)


def test_an_office_without_bookings_has_no_appointments_sheet(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "motcua.sqlite")
    service = OfficeService(OFFICE, store, clock=lambda: at(9, 0))
    handle_json(service, Session("kiosk", "kiosk"), {"id": 1, "type": "issue", "service": "B"})
    store.close()
    output = tmp_path / "bao-cao.xlsx"
    report, _ = export(OFFICE, tmp_path / "motcua.sqlite", DAY, DAY, output, DAY)
    assert report.appointments == ()
    assert "Lịch hẹn" not in openpyxl.load_workbook(output).sheetnames
