"""Bookings: appointments and online numbers, and where each joins the queue (issue 15).

A booking arrives from outside (a provincial portal, an app, a spreadsheet) before
the citizen does. When the citizen checks in at the kiosk, the service's policy
says where their ticket joins the queue:

- ``BOOKED_TIME`` (Qmatic, Berlin's ZMS): as if they arrived at the start of their
  slot. They may check in from ``early_minutes`` before the slot; no counter calls
  them before the slot starts. Up to ``late_minutes`` after it they keep the slot's
  place; later than that they get an ordinary walk-in number instead.
- ``REGISTRATION_TIME`` (Hanoi, 2025): an online number is worth exactly a walk-in
  number taken when it was booked. It ranks at its booking time (before every walk-in
  of the day when booked on an earlier day; at the service's opening when the booking
  says no time) and is valid while the service issues numbers that day.

Either way every waiting ticket has one place in time, walk-in or appointment, and
the counters serve those places first come, first served: a ticket can only wait for
the tickets placed before it, of which there are finitely many (the walk-ins that
came before it, and at most ``online_capacity`` appointments a day). So neither kind
waits without bound (``tests/shared/test_booking_rules.py`` checks it).

Pure: plain data, ``now`` passed in. Imports no Qt, no network, no database.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

# What a citizen types or scans: letters and digits, 4 to 32 of them (dashes and
# spaces in between are dropped, capitals are not needed).
CODE_PATTERN = re.compile(r"[A-Z0-9]{4,32}")


def normal_code(text: str) -> str:
    """A booking code as stored: capitals, without the spaces and dashes people type
    between groups, and without a scanner's surrounding whitespace."""
    return re.sub(r"[\s\-_./]", "", text).upper()


class BookingPolicy(StrEnum):
    """Where a checked-in booking joins the queue."""

    BOOKED_TIME = "booked_time"  # at its slot's start, with early and late windows
    REGISTRATION_TIME = "registration_time"  # at when it was booked, like a walk-in


@dataclass(frozen=True)
class BookingRules:
    """One service's bookings, as the office configures them."""

    policy: BookingPolicy = BookingPolicy.BOOKED_TIME
    early_minutes: int = 30  # BOOKED_TIME: check-in opens this long before the slot
    late_minutes: int = 15  # BOOKED_TIME: after this, a walk-in number instead
    online_capacity: int | None = None  # bookings accepted for one day; None: no limit
    walk_in_capacity: int | None = None  # walk-in numbers issued in one day; None: no limit


@dataclass(frozen=True)
class Booking:
    """One booking as received: for one service, one day, one slot."""

    code: str  # as ``normal_code`` makes it
    service: str
    day: date
    slot_start: time
    slot_end: time
    booked_at: datetime | None = None  # when the citizen booked (REGISTRATION_TIME)
    name: str | None = None
    phone: str | None = None
    id_hash: str | None = None  # a hash of the identity number: the per-person daily cap
    source: str = ""  # where it came from: "import:lich-hen.csv", "api"

    def slot_text(self) -> str:
        return f"{self.slot_start:%H:%M}–{self.slot_end:%H:%M}"


class Arrival(StrEnum):
    """How a check-in turned out, when it gives a ticket."""

    APPOINTMENT = "appointment"  # ranked as the policy says
    LATE = "late"  # too late for its slot: an ordinary walk-in number instead


@dataclass(frozen=True)
class Placement:
    """Where a checked-in booking's ticket joins the queue."""

    arrival: Arrival
    queued_at: datetime  # its place in time (``Ticket.queued_at``)


# Why a booking gives no ticket now (also the protocol's ``check_in.kind``).
RefusalKind = Literal["unknown", "other_day", "too_early", "used", "closed"]


@dataclass(frozen=True)
class Refusal:
    """Why a check-in gives no ticket, as a code and its facts; each program words it
    in its own languages."""

    kind: RefusalKind
    day: date | None = None  # other_day: the booking's day
    at: time | None = None  # too_early: come back at; used: when it was used
    number: str | None = None  # used: the ticket it gave



def place(booking: Booking, rules: BookingRules, zone: ZoneInfo, today: date,
          now: datetime, *, service_opens: time | None = None) -> Placement | Refusal:
    """Where ``booking`` joins today's queue if its citizen checks in at ``now``, or why
    it cannot. ``service_opens``: when the service starts issuing today (None: it issues
    at any hour); used checks (``used``) are the caller's, who knows today's tickets."""
    if booking.day != today:
        return Refusal("other_day", day=booking.day)
    local = now.astimezone(zone)
    if rules.policy is BookingPolicy.REGISTRATION_TIME:
        # Exactly as a number taken at that moment (a day earlier: before everyone today);
        # never a moment still to come, which no counter could call yet.
        opening = datetime.combine(today, service_opens or time(0), zone)
        return Placement(Arrival.APPOINTMENT, min(booking.booked_at or opening, now))
    slot = datetime.combine(today, booking.slot_start, zone)
    opens = slot - timedelta(minutes=rules.early_minutes)
    if local < opens:
        return Refusal("too_early", at=opens.time())
    if local > slot + timedelta(minutes=rules.late_minutes):
        return Placement(Arrival.LATE, now)
    return Placement(Arrival.APPOINTMENT, slot)


@dataclass(frozen=True)
class IntakeProblem:
    """A booking refused at intake: which one, and why, in plain words."""

    code: str
    problem: str


def over_limits(incoming: list[Booking], kept: list[Booking],
                capacity: dict[str, int | None], per_person: int | None) -> list[IntakeProblem]:
    """The bookings of ``incoming`` that the limits refuse, given those ``kept`` already
    (another booking with the same code in ``kept`` is replaced, not counted twice):
    more than a service's ``capacity`` (online, per day), or more than ``per_person``
    a day for one identity across every channel that sends one."""
    replaced = {b.code for b in incoming}
    booked: dict[tuple[str, date], int] = {}
    person: dict[tuple[str, date], int] = {}
    for b in kept:
        if b.code in replaced:
            continue
        booked[b.service, b.day] = booked.get((b.service, b.day), 0) + 1
        if b.id_hash:
            person[b.id_hash, b.day] = person.get((b.id_hash, b.day), 0) + 1
    problems = []
    for b in incoming:
        limit = capacity.get(b.service)
        count = booked.get((b.service, b.day), 0)
        if limit is not None and count >= limit:
            problems.append(IntakeProblem(b.code, f"dịch vụ {b.service} đã đủ {limit} lịch hẹn "
                                          f"ngày {b.day:%d/%m/%Y}"))
            continue
        if b.id_hash and per_person is not None:
            mine = person.get((b.id_hash, b.day), 0)
            if mine >= per_person:
                problems.append(IntakeProblem(b.code, f"người này đã có {per_person} lịch hẹn "
                                              f"ngày {b.day:%d/%m/%Y} (tối đa {per_person})"))
                continue
            person[b.id_hash, b.day] = mine + 1
        booked[b.service, b.day] = count + 1
    return problems
