"""Bookings blended with walk-ins (issue 15): example tables of both policies, and
random days through the office service and a real SQLite file, checked against the
promises after every step: no appointment is called before its slot, every call is
first come first served by place in time across walk-ins and appointments (so a
ticket waits only for the tickets placed before it), and the log replays every
appointment's place.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from shared.core import queue_rules as rules
from shared.core.booking import Booking, BookingPolicy, BookingRules
from shared.core.errors import QueueError
from shared.core.office import Counter, Office, Service, TimeWindow
from shared.core.ticket import TicketStatus
from shared.server.office_service import OfficeService, Session
from shared.server.store import SqliteStore
from tests.conftest import handle_json

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = date(2026, 12, 3)


def at(hour: int, minute: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def make_office(policy: BookingPolicy, *, walk_in_capacity: int | None = None) -> Office:
    booking = BookingRules(policy=policy, early_minutes=30, late_minutes=15,
                           walk_in_capacity=walk_in_capacity)
    return Office(
        id="test", name="Test",
        services=(
            Service("A", "Hộ tịch", "Civil status", prefix="A", bookings=booking,
                    hours=(TimeWindow(time(8, 0), time(16, 0)),)),
            Service("B", "Đất đai", "Land", prefix="B"),
        ),
        counters=(Counter(1, "Quầy 1", ("A", "B")), Counter(2, "Quầy 2", ("A",))),
    )


def booking(code: str = "HEN0940", slot: time = time(9, 40), day: date = DAY,
            booked_at: datetime | None = None) -> Booking:
    end = (datetime.combine(day, slot) + timedelta(minutes=20)).time()
    return Booking(code, "A", day, slot, end, booked_at=booked_at)


def check_in(state: rules.QueueState, office: Office, found: Booking | None,
             now: datetime) -> rules.QueueState:
    return rules.apply(state, rules.check_in(state, office, found, "HEN0940", now))


# --- by booked time --------------------------------------------------------------

BOOKED = make_office(BookingPolicy.BOOKED_TIME)


@pytest.mark.parametrize(("arrives", "outcome"), [
    (at(9, 9), "too_early 09:10"),  # before the early window: come back at 09:10
    (at(9, 10), "appointment 09:40"),  # the window opens 30 minutes before the slot
    (at(9, 40), "appointment 09:40"),
    (at(9, 55), "appointment 09:40"),  # up to 15 minutes late keeps the slot's place
    (at(9, 56), "walk-in 09:56"),  # later: an ordinary number, ranked when they came
])
def test_booked_time_check_in_table(arrives: datetime, outcome: str) -> None:
    state = rules.QueueState(day=DAY)
    if outcome.startswith("too_early"):
        with pytest.raises(QueueError) as refused:
            check_in(state, BOOKED, booking(), arrives)
        assert refused.value.code == "check_in"
        found = refused.value.refusal
        assert f"{found.kind} {found.at:%H:%M}" == outcome  # type: ignore[attr-defined]
        assert "quay lại lúc 09:10" in refused.value.message
        return
    ticket = check_in(state, BOOKED, booking(), arrives).by_booking("HEN0940")
    assert ticket is not None
    kind = "appointment" if ticket.appointment else "walk-in"
    assert f"{kind} {ticket.queued_at.astimezone(ZONE):%H:%M}" == outcome
    assert ticket.number == "A001"  # one sequence: an online number is worth a walk-in one


def test_refusals_say_why_and_change_nothing() -> None:
    state = rules.QueueState(day=DAY)
    cases = [
        (None, "unknown", "Không tìm thấy mã đặt lịch"),
        (booking(day=DAY + timedelta(days=1)), "other_day", "ngày 04/12/2026"),
    ]
    for found, kind, words in cases:
        with pytest.raises(QueueError) as refused:
            rules.check_in(state, BOOKED, found, "HEN0940", at(9, 30))
        assert refused.value.refusal.kind == kind  # type: ignore[attr-defined]
        assert words in refused.value.message
    used = check_in(state, BOOKED, booking(), at(9, 30))
    with pytest.raises(QueueError) as again:
        rules.check_in(used, BOOKED, booking(), "HEN0940", at(9, 31))
    assert again.value.refusal.kind == "used"  # type: ignore[attr-defined]
    assert "đã được dùng lúc 09:30 (số A001)" in again.value.message


def test_an_appointment_is_not_called_before_its_slot_then_goes_first() -> None:
    state = rules.QueueState(day=DAY)
    state = check_in(state, BOOKED, booking(), at(9, 15))  # early: waits for 09:40
    state = rules.apply(state, rules.issue(state, BOOKED, "A", None, at(9, 20)))  # walk-in
    counter = BOOKED.counters[1]
    first = rules.choose_next(state, BOOKED, counter, at(9, 21))
    assert first is not None
    assert first.number == "A002"  # the walk-in: the appointment's slot has not come
    state = rules.apply(state, rules.call_next(state, BOOKED, 2, at(9, 21)))
    # Counter 2 finishes at 09:39 and nobody may be called yet: the slot is 09:40.
    assert [e.kind for e in rules.call_next(state, BOOKED, 2, at(9, 39))] == ["done"]
    assert rules.choose_next(state, BOOKED, counter, at(9, 40)) is not None  # now it may
    assert rules.choose_next(state, BOOKED, counter, at(9, 40)).number == "A001"  # type: ignore[union-attr]


def test_places_in_time_decide_between_walk_ins_and_appointments() -> None:
    state = rules.QueueState(day=DAY)
    state = rules.apply(state, rules.issue(state, BOOKED, "A", None, at(9, 38)))  # A001
    state = rules.apply(state, rules.issue(state, BOOKED, "A", None, at(9, 45)))  # A002
    state = check_in(state, BOOKED, booking(), at(9, 50))  # A003, late but within 15 min
    order = []
    now = at(9, 51)
    for _ in range(3):
        events = rules.call_next(state, BOOKED, 2, now)
        state = rules.apply(state, events)
        current = state.current_ticket(2)
        assert current is not None
        order.append(current.number)
    # 09:38 walk-in, then the 09:40 appointment, then the 09:45 walk-in.
    assert order == ["A001", "A003", "A002"]


def test_walk_in_capacity_leaves_bookings_alone() -> None:
    office = make_office(BookingPolicy.BOOKED_TIME, walk_in_capacity=1)
    state = rules.QueueState(day=DAY)
    state = rules.apply(state, rules.issue(state, office, "A", None, at(9, 0)))
    with pytest.raises(QueueError) as full:
        rules.issue(state, office, "A", None, at(9, 1))
    assert full.value.code == "cap_reached"
    assert "Số đặt lịch trực tuyến vẫn dùng được" in full.value.message
    state = check_in(state, office, booking(), at(9, 30))
    assert state.by_booking("HEN0940") is not None


# --- by registration time (Hanoi) -----------------------------------------------

HANOI = make_office(BookingPolicy.REGISTRATION_TIME)


@pytest.mark.parametrize(("booked_at", "arrives", "placed"), [
    (at(7, 12), at(10, 0), "03 07:12"),  # booked this morning: ranks at 07:12
    (at(20, 0, DAY - timedelta(days=1)), at(10, 0), "02 20:00"),  # yesterday: first
    (None, at(15, 59), "03 08:00"),  # no booking time known: at the service's opening
])
def test_registration_time_table(booked_at: datetime | None, arrives: datetime,
                                 placed: str) -> None:
    state = rules.QueueState(day=DAY)
    after = check_in(state, HANOI, booking(booked_at=booked_at), arrives)
    ticket = after.by_booking("HEN0940")
    assert ticket is not None
    assert ticket.appointment
    assert f"{ticket.queued_at.astimezone(ZONE):%d %H:%M}" == placed


def test_an_online_number_is_valid_only_while_the_service_issues() -> None:
    state = rules.QueueState(day=DAY)
    for moment in (at(7, 59), at(16, 0)):
        with pytest.raises(QueueError) as closed:
            rules.check_in(state, HANOI, booking(booked_at=at(7, 0)), "HEN0940", moment)
        assert closed.value.code == "closed"
        assert "08:00–16:00" in closed.value.message


# --- random days through the real service --------------------------------------

SLOTS = [time(8, 0), time(8, 20), time(8, 40), time(9, 0), time(9, 20)]


class BlendedDay(RuleBasedStateMachine):
    policy = BookingPolicy.BOOKED_TIME

    @initialize()
    def open_office(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.office = make_office(self.policy)
        self.now = at(7, 40)
        self.store = SqliteStore(Path(self.dir.name) / "q.sqlite")
        self.bookings = {
            f"HEN{i:03d}": Booking(f"HEN{i:03d}", "A", DAY, slot,
                                   (datetime.combine(DAY, slot) + timedelta(minutes=20)).time(),
                                   booked_at=at(6, 0) + timedelta(minutes=i))
            for i, slot in enumerate(SLOTS * 2)
        }
        self.service = OfficeService(self.office, self.store, clock=lambda: self.now,
                                     booking_of=self.bookings.get)
        self.request_id = 0

    def teardown(self) -> None:
        if hasattr(self, "store"):
            state = self.service.state
            # The audit's replay gives every appointment the same place.
            replayed = rules.replay(state.day, self.store.events(state.day))
            assert replayed == replace(state, next_id=state.next_id)
            assert self.store.load(state.day) == state
            self.store.close()
            self.dir.cleanup()

    def send(self, session: Session, **message: Any) -> dict[str, Any]:
        self.request_id += 1
        reply = handle_json(self.service, session, {"id": self.request_id, **message}).reply
        assert reply["type"] != "error" or reply["code"] not in ("internal", "bad_request"), reply
        return reply

    @rule(service=st.sampled_from(["A", "A", "B"]))
    def walk_in(self, service: str) -> None:
        self.send(Session("kiosk", "kiosk"), type="issue", service=service)

    @rule(code=st.sampled_from(sorted(f"HEN{i:03d}" for i in range(len(SLOTS) * 2))))
    def check_in(self, code: str) -> None:
        reply = self.send(Session("kiosk", "kiosk"), type="check_in", code=code.lower())
        if reply["type"] == "error":
            assert reply["code"] in ("check_in", "closed"), reply
            if reply["code"] == "check_in":
                assert reply["check_in"]["kind"] in ("too_early", "used"), reply

    @rule(counter=st.sampled_from([1, 2]))
    def call_next(self, counter: int) -> None:
        before = self.service.state
        now = self.now
        reply = self.send(Session(f"counter-{counter}", "counter", counter), type="call_next")
        desk = self.office.counter(counter)
        assert desk is not None
        callable_now = [t for t in before.waiting()
                        if t.service in desk.services and t.queued_at <= now]
        if reply["type"] == "empty":
            assert not callable_now, "a counter was idle while someone could be called"
            return
        called = self.service.state.by_number(reply["ticket"]["number"])
        assert called is not None
        # Never before its place in time: no appointment before its slot.
        assert called.queued_at <= now, "called before its slot"
        # First come, first served by place in time, walk-ins and appointments alike:
        # a ticket waits only for those placed before it (finitely many).
        earliest = min(callable_now, key=lambda t: (t.queued_at, t.id))
        assert called.id == earliest.id

    @rule(counter=st.sampled_from([1, 2]))
    def done(self, counter: int) -> None:
        self.send(Session(f"counter-{counter}", "counter", counter), type="done")

    @rule(minutes=st.integers(min_value=0, max_value=25))
    def time_passes(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes, microseconds=1)

    @invariant()
    def each_booking_gives_at_most_one_ticket(self) -> None:
        if not hasattr(self, "service"):
            return
        codes = [t.booking for t in self.service.state.tickets.values() if t.booking]
        assert len(codes) == len(set(codes))
        for ticket in self.service.state.tickets.values():
            if ticket.appointment and self.policy is BookingPolicy.BOOKED_TIME:
                assert ticket.booking is not None
                slot = self.bookings[ticket.booking].slot_start
                assert ticket.queued_at == datetime.combine(DAY, slot, ZONE)
                assert ticket.issued_at >= ticket.queued_at - timedelta(minutes=30)
            if ticket.status is TicketStatus.CALLED or ticket.called_at is not None:
                assert ticket.called_at is not None
                assert ticket.called_at >= ticket.queued_at


class HanoiDay(BlendedDay):
    policy = BookingPolicy.REGISTRATION_TIME


_settings = {"max_examples": 40, "stateful_step_count": 40, "deadline": None,
             "suppress_health_check": [HealthCheck.too_slow]}
TestBlendedDay = BlendedDay.TestCase
TestBlendedDay.settings = settings(**_settings)
TestHanoiDay = HanoiDay.TestCase
TestHanoiDay.settings = settings(**_settings)


def test_an_online_number_has_no_slot_and_never_a_place_still_to_come() -> None:
    state = rules.QueueState(day=DAY)
    events = rules.check_in(state, HANOI, booking(booked_at=at(7, 0)), "HEN0940", at(9, 0))
    assert "slot" not in events[0].data  # the kiosk says "Số đặt trực tuyến", no time
    # A booking time after the check-in (a sender's clock, a wrong field): placed now,
    # never hidden from every counter until then.
    later = check_in(state, HANOI, booking(booked_at=at(13, 0)), at(9, 0))
    ticket = later.by_booking("HEN0940")
    assert ticket is not None
    assert ticket.queued_at == at(9, 0)
    assert rules.choose_next(later, HANOI, HANOI.counters[1], at(9, 0)) is not None


def test_the_walk_in_limit_closes_the_service_for_walk_ins_only() -> None:
    office = make_office(BookingPolicy.BOOKED_TIME, walk_in_capacity=1)
    state = rules.QueueState(day=DAY)
    state = rules.apply(state, rules.issue(state, office, "A", None, at(9, 0)))
    service = office.services[0]
    closed = rules.closure(state, office, service, at(9, 1))
    assert closed is not None
    assert (closed.kind, closed.cap) == ("cap_reached", 1)  # the kiosk's button says so
    assert rules.closure(state, office, service, at(9, 1), walk_in=False) is None
