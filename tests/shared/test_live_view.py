"""The leader's live view as data (issue 12, part 3): waits per service, counters,
officials, today against yesterday, and the alerts — from the queue's state."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from shared.core import report
from shared.core.booking import Booking, BookingRules
from shared.core.live_view import Alert, DayNumbers, live_view
from shared.core.office import Official
from shared.core.queue_rules import QueueState, apply, call_next, check_in, pause, sign_in
from tests.shared.test_queue_rules import MINUTE, NOW, OFFICE, give_many

AN = Official("an", "Nguyễn Văn An")
STAFFED = replace(OFFICE, officials=(AN,), services=tuple(
    replace(s, wait_threshold_minutes=10) if s.code == "A" else s for s in OFFICE.services))


def test_waits_counters_and_alerts_of_the_hall_now() -> None:
    state = give_many(STAFFED, "A A B C")  # 08:00, 08:01, 08:02, 08:03
    state = apply(state, sign_in(state, STAFFED, 1, "an", NOW))
    state = apply(state, call_next(state, STAFFED, 1, NOW + 4 * MINUTE))  # A001
    state = apply(state, pause(state, STAFFED, 2, NOW + 5 * MINUTE))
    now = NOW + 12 * MINUTE
    view = live_view(state, STAFFED, now, present={1, 2}, today=None, yesterday=None)

    by_code = {s.code: s for s in view.services}
    assert (by_code["A"].waiting, by_code["A"].longest_wait) == (1, 11 * 60.0)  # A002
    assert by_code["A"].over  # 11 minutes > 10
    assert (by_code["C"].waiting, by_code["C"].open_counters) == (1, 0)  # 2 paused, 3 away
    assert by_code["C"].unserved
    assert by_code["B"].longest_wait == 10 * 60.0
    assert not by_code["B"].over
    assert view.waiting == 3
    counters = {c.number: c for c in view.counters}
    assert (counters[1].state, counters[1].current, counters[1].official) == (
        "serving", "A001", "Nguyễn Văn An")
    assert counters[2].state == "paused"
    assert counters[3].state == "closed"
    assert view.alerts == (  # nobody serving first; one line a service
        Alert("no_counter", "Đất đai – Địa chính", 1, 9, 30, over=False),
        Alert("long_wait", "Tư pháp – Hộ tịch", 1, 11, 10),
    )
    assert view.today == DayNumbers()  # nothing stored yet
    assert view.yesterday is None


def test_today_and_yesterday_come_from_the_reports_figures() -> None:
    state = give_many(STAFFED, "A")
    day = state.day
    yesterday = report.DayFigures(day - timedelta(days=1), 40, 35, 3, 600.0)
    today = report.Report("x", day, day, (), (), (0,) * 24, (0,) * 24, (), (
        report.DayFigures(day, 12, 9, 1, 300.0),), officials=(
        report.OfficialFigures("an", "Nguyễn Văn An", "", 9, 240.0, 0.0, 0),))
    state = apply(state, sign_in(state, STAFFED, 3, "an", NOW))
    view = live_view(state, STAFFED, NOW, present=set(), today=today, yesterday=yesterday)
    assert view.today == DayNumbers(12, 9, 1, 300.0)
    assert view.yesterday == DayNumbers(40, 35, 3, 600.0)
    assert [(o.name, o.served, o.at_counter) for o in view.officials] == [
        ("Nguyễn Văn An", 9, 3)]
    assert view.ratings == (("Rất hài lòng", 0), ("Hài lòng", 0), ("Không hài lòng", 0))
    # With nobody at any counter and citizens waiting: every one of their services says so.
    assert [a.kind for a in view.alerts] == ["no_counter"]


def test_an_appointment_waits_from_its_slot_and_the_days_bookings_are_counted() -> None:
    booked = replace(STAFFED, services=tuple(
        replace(s, bookings=BookingRules()) if s.code == "A" else s for s in STAFFED.services))
    local = booked.local_time(NOW)
    slot = (local + 20 * MINUTE).replace(second=0, microsecond=0)
    appointment = Booking("HEN1", "A", local.date(), slot.time(), (slot + 20 * MINUTE).time())
    state = QueueState(day=local.date())
    state = apply(state, check_in(state, booked, appointment, "HEN1", NOW))  # 20 min early
    view = live_view(state, booked, NOW + 25 * MINUTE, present={1}, today=None,
                     yesterday=None, booked=3)
    by_code = {s.code: s for s in view.services}
    assert by_code["A"].longest_wait == 5 * 60.0  # since its slot, not its check-in
    assert not by_code["A"].over
    assert view.bookings == (1, 3)  # one of today's three bookings checked in
    assert live_view(QueueState(day=local.date()), booked, NOW, present={1}, today=None,
                     yesterday=None).bookings is None  # nothing to say: no line
