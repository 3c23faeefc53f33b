"""``motcua audit``: is the log whole, and was every call the one the rules said?

Two checks of one business day, read from the server's database (read-only; the
server may keep running):

1. The hash chain (``shared.core.audit_chain``) of the whole log up to the end of
   that day: an event edited, deleted, inserted or swapped is found, and the first
   broken link is named.
2. The day replayed through the queue rules (``shared.core.queue_rules``): each
   "call next" must have called the ticket the rules chose at that moment, under
   the office's configuration as it is now; every call that did not go by the rules
   on purpose (a number called out of order, with its reason) is listed with its
   counter and time, with the transfers, returns from absence and recalls counted.

Imports sqlite and the core; see docs/audit.md for what it proves and what it cannot.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from shared.core import queue_rules as rules
from shared.core.audit_chain import Broken, StoredEvent, first_broken
from shared.core.errors import MotcuaError
from shared.core.events import Event, EventKind
from shared.core.office import Office
from shared.server.store import read_only


class AuditError(MotcuaError):
    """The database cannot be read for an audit."""


@dataclass(frozen=True)
class OutOfOrder:
    at: datetime
    counter: int
    number: str
    reason: str
    official: str | None = None  # who was signed in at the counter (their full name)


@dataclass(frozen=True)
class Deviation:
    """A "call next" that called another ticket than the rules chose."""

    at: datetime
    counter: int
    called: str
    expected: str | None
    official: str | None = None


@dataclass(frozen=True)
class Appointment:
    """A ticket checked in with a booking, and the place in the queue it was given."""

    number: str
    booking: str
    checked_in: datetime
    placed_at: datetime  # its place in time: the slot, or when it was booked
    kept: bool  # False: too late for its slot, an ordinary number placed at check-in
    issued_by: int | None = None  # a counter that issued it (never, for a check-in)


@dataclass
class DayAudit:
    day: date
    sealed: int = 0  # events whose seal was checked (the log up to the end of the day)
    broken: Broken | None = None
    calls: int = 0  # "call next" events of the day
    by_the_rules: int = 0
    deviations: list[Deviation] = field(default_factory=list)
    out_of_order: list[OutOfOrder] = field(default_factory=list)
    transfers: int = 0
    returns: int = 0
    recalls: int = 0
    stuck_at: int | None = None  # the event the replay could not follow (an altered log)
    appointments: list[Appointment] = field(default_factory=list)
    issued_at_counters: int = 0  # numbers an official gave to a citizen at the counter

    @property
    def clean(self) -> bool:
        return self.broken is None and not self.deviations and self.stuck_at is None


def audit_day(office: Office, database: Path, day: date) -> DayAudit:
    report = DayAudit(day)
    with read_only(database) as db:
        if "hash" not in {row[1] for row in db.execute("PRAGMA table_info(events)")}:
            raise AuditError(
                f"Nhật ký trong {database} chưa được niêm phong: hãy khởi động máy chủ "
                "motcua mới một lần. / The log has no seals yet: start the new motcua "
                "server once (it seals the log at start)."
            )
        # The whole log up to the day streams through the check (years of history
        # must not fill a small PC's memory); the day itself is kept for the replay.
        the_day: list[StoredEvent] = []

        def counted() -> Iterator[StoredEvent]:
            for event in _events(db, "SELECT * FROM events WHERE business_day <= ? "
                                     "ORDER BY id", day.isoformat()):
                report.sealed += 1
                if event.business_day == day.isoformat():
                    the_day.append(event)
                yield event

        report.broken = first_broken(counted())
        if report.broken is not None:  # the rest of the day, for the replay
            the_day += _events(db, "SELECT * FROM events WHERE business_day = ? AND id > ? "
                                   "ORDER BY id", day.isoformat(), report.broken.event.id)
    _replay(office, the_day, report)
    return report


def _replay(office: Office, stored: list[StoredEvent], report: DayAudit) -> None:
    state = rules.QueueState(day=report.day)
    for row in stored:
        try:
            event = Event.from_record({**row.__dict__, "data": json.loads(row.data)})
        except (ValueError, KeyError, TypeError):  # an edited kind or data: not an event
            report.stuck_at = row.id
            return
        if event.kind is EventKind.CALLED and event.counter is not None:
            report.calls += 1
            counter = office.counter(event.counter)
            # At the moment of the call: an appointment whose slot had not come yet was
            # rightly passed over.
            chosen = None if counter is None else rules.choose_next(state, office, counter,
                                                                    event.at)
            called = None if event.ticket is None else state.tickets.get(event.ticket)
            if chosen is not None and called is not None and chosen.id == called.id:
                report.by_the_rules += 1
            else:
                report.deviations.append(Deviation(
                    event.at, event.counter, called.number if called else f"#{event.ticket}",
                    chosen.number if chosen else None, _who(office, event)))
        elif event.kind is EventKind.CALLED_OUT_OF_ORDER and event.ticket is not None:
            ticket = state.tickets.get(event.ticket)
            report.out_of_order.append(OutOfOrder(
                event.at, event.counter or 0, ticket.number if ticket else f"#{event.ticket}",
                str(event.data.get("reason", "")), _who(office, event)))
        elif event.kind is EventKind.ISSUED:
            _issued(event, report)
        elif event.kind is EventKind.TRANSFERRED:
            report.transfers += 1
        elif event.kind is EventKind.RETURNED:
            report.returns += 1
        elif event.kind is EventKind.RECALLED:
            report.recalls += 1
        try:
            state = rules.evolve(state, event)
        except (KeyError, AssertionError, ValueError):
            report.stuck_at = row.id  # an event about a ticket the day never issued
            return


def _issued(event: Event, report: DayAudit) -> None:
    """An appointment's place, as its ``issued`` event gave it; a counter's number."""
    data = event.data
    if event.counter is not None:
        report.issued_at_counters += 1
    booking = data.get("booking")
    if booking is None:
        return
    placed = data.get("queued_at")
    report.appointments.append(Appointment(
        str(data["number"]), str(booking), event.at,
        event.at if placed is None else datetime.fromisoformat(str(placed)),
        bool(data.get("appointment"))))


def _who(office: Office, event: Event) -> str | None:
    """The full name of the official who made ``event`` (their id if the office no
    longer lists them); None when nobody was signed in."""
    official = event.data.get("official")
    if official is None:
        return None
    known = office.official(str(official))
    return known.name if known is not None else str(official)


def _at(counter: int, official: str | None) -> str:
    return f"quầy {counter}" + (f" ({official})" if official else "")


def vietnamese(report: DayAudit) -> str:
    """The report in plain Vietnamese (an English line under each heading)."""
    day = report.day.strftime("%d/%m/%Y")
    lines = [f"Kiểm tra nhật ký ngày {day} / Audit of {report.day.isoformat()}", ""]
    if report.broken is None:
        lines.append(f"Chuỗi niêm phong: nguyên vẹn — {report.sealed} sự kiện đến hết ngày, "
                     "không sự kiện nào bị sửa, xoá, chèn hay đổi chỗ.")
        lines.append("  (The seals hold: nothing was edited, deleted, inserted or swapped.)")
    else:
        broken = report.broken.event
        after = (f", ngay sau sự kiện số {report.broken.previous_id}"
                 if report.broken.previous_id is not None else ", ở đầu nhật ký")
        lines.append(f"CHUỖI NIÊM PHONG BỊ ĐỨT tại sự kiện số {broken.id} "
                     f"(ngày {broken.business_day}, {broken.kind}){after}: nhật ký đã bị sửa, "
                     "xoá, chèn hoặc đổi chỗ từ đây.")
        lines.append(f"  (THE CHAIN IS BROKEN at event {broken.id}: the log was altered "
                     "from there on.)")
    lines += ["", f"Lượt gọi số tiếp theo: {report.calls}; đúng thứ tự quy định: "
              f"{report.by_the_rules}.",
              f"  ({report.calls} calls of the next number; {report.by_the_rules} by the rules.)"]
    for wrong in report.deviations:
        expected = wrong.expected or "không ai"
        lines.append(f"  SAI: {wrong.at:%H:%M:%S} {_at(wrong.counter, wrong.official)} gọi "
                     f"{wrong.called}, "
                     f"quy định là {expected}.")
    lines.append(f"Gọi số không theo thứ tự (có ghi lý do): {len(report.out_of_order)}.")
    for call in report.out_of_order:
        lines.append(f"  - {call.at:%H:%M:%S} {_at(call.counter, call.official)} gọi "
                     f"{call.number}, "
                     f"lý do: “{call.reason}”.")
    if report.stuck_at is not None:
        lines.append(f"Không diễn lại được ngày từ sự kiện số {report.stuck_at}: sự kiện "
                     "nói về một số chưa từng được cấp. / The day cannot be replayed from "
                     f"event {report.stuck_at} on.")
    lines.append(f"Chuyển: {report.transfers}; đưa lại vào hàng: {report.returns}; "
                 f"gọi lại: {report.recalls}; số cán bộ cấp tại quầy: "
                 f"{report.issued_at_counters}.")
    if report.appointments:
        lines += ["", f"Lịch hẹn đã đến lấy số: {len(report.appointments)} (vị trí trong hàng "
                  "của mỗi số). / Bookings checked in, and the place each was given:"]
    for booked in report.appointments:
        when = (f"{booked.placed_at:%H:%M}" if booked.placed_at.date() == report.day
                else f"{booked.placed_at:%H:%M %d/%m/%Y}")  # booked the day before
        place = (f"xếp hàng như đến lúc {when}" if booked.kept else
                 "đến muộn quá giờ hẹn: số thường, xếp hàng lúc đến")
        lines.append(f"  - {booked.number} (mã {booked.booking}): lấy số lúc "
                     f"{booked.checked_in:%H:%M:%S}, {place}.")
    lines += ["", "KẾT LUẬN: đạt / clean." if report.clean else "KẾT LUẬN: KHÔNG ĐẠT / NOT clean."]
    return "\n".join(lines)


def _events(db: sqlite3.Connection, sql: str, *params: object) -> Iterator[StoredEvent]:
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        yield StoredEvent(int(row["id"]), row["business_day"], row["at"], row["kind"],
                          row["ticket_id"], row["counter"], row["data"], row["hash"])
