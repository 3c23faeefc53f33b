"""The office service: protocol requests in, replies and events out, on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from shared.core import wire
from shared.core.config import load_office
from shared.core.office import Office, TimeWindow
from shared.server.office_service import (
    CLOCK_JUMP_GRACE,
    REMEMBERED_REFUSALS,
    OfficeService,
    Session,
)
from shared.server.store import SqliteStore
from tests.conftest import handle_json

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
KIOSK = Session("kiosk-1", "kiosk")
DISPLAY = Session("display-1", "display")
ADMIN = Session("admin-1", "admin")


def counter(number: int) -> Session:
    return Session(f"counter-{number}", "counter", number)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 8, 0, tzinfo=ZONE)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def office() -> Office:
    return load_office()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "motcua.sqlite"


@pytest.fixture
def service(office: Office, path: Path, clock: Clock) -> Iterator[OfficeService]:
    store = SqliteStore(path)
    yield OfficeService(office, store, clock)
    store.close()


_ids = iter(range(1, 1_000_000))


def ask(office_service: OfficeService, session: Session, **message: Any) -> dict[str, Any]:
    message.setdefault("id", f"r{next(_ids)}")
    return handle_json(office_service, session, message).reply


def test_issue_replies_with_the_ticket_and_publishes_it(service: OfficeService) -> None:
    ask(service, KIOSK, type="issue", service="B")
    outcome = handle_json(
        service, KIOSK, {"id": "x", "type": "issue", "service": "B", "priority": None}
    )
    ticket = outcome.reply["ticket"]
    assert outcome.reply["type"] == "ticket"
    assert outcome.reply["re"] == "x"
    assert ticket["number"] == "B002"
    assert ticket["service_name"] == "Chứng thực"
    assert ticket["status"] == "waiting"
    assert ticket["ahead"] == 1
    assert datetime.fromisoformat(ticket["issued_at"]).utcoffset() == timedelta(hours=7)
    names = [e["event"] for e in outcome.events]
    assert names == ["ticket_issued", "queue_changed"]
    assert outcome.events[1]["waiting"]["B"] == 2


def test_call_next_and_recall_are_published_as_calls(service: OfficeService) -> None:
    ask(service, KIOSK, type="issue", service="A")
    called = handle_json(service, counter(1), {"id": 1, "type": "call_next"})
    assert called.reply["type"] == "called"
    assert called.reply["ticket"]["number"] == "A001"
    assert called.reply["ticket"]["counter"] == 1
    call_event = called.events[0]
    assert call_event["event"] == "ticket_called"
    assert call_event["recall"] is False
    again = handle_json(service, counter(1), {"id": 2, "type": "recall"})
    assert again.reply["recall"] is True
    assert again.events[0]["recall"] is True


def test_nobody_waiting_gives_empty(service: OfficeService) -> None:
    assert ask(service, counter(3), type="call_next")["type"] == "empty"


@pytest.mark.parametrize(
    ("session", "message", "code"),
    [
        (KIOSK, {"type": "call_next"}, "forbidden"),
        (DISPLAY, {"type": "issue", "service": "A"}, "forbidden"),
        (DISPLAY, {"type": "recall"}, "forbidden"),
        (counter(2), {"type": "issue", "service": "A"}, "forbidden"),
        (counter(2), {"type": "call_next", "for_counter": 3}, "forbidden"),
        (ADMIN, {"type": "call_next"}, "bad_request"),
        (KIOSK, {"type": "issue"}, "bad_request"),
        (KIOSK, {"type": "issue", "service": 7}, "bad_request"),
        (KIOSK, {"type": "dance"}, "bad_request"),
        (KIOSK, {"type": "issue", "service": "Z"}, "unknown_service"),
        (counter(1), {"type": "transfer", "counter": 99}, "unknown_counter"),
        (counter(1), {"type": "transfer", "counter": 3}, "no_current_ticket"),
        (counter(1), {"type": "transfer", "counter": True}, "bad_request"),
        (counter(1), {"type": "return", "number": "A999"}, "not_found"),
        (counter(1), {"type": "done"}, "no_current_ticket"),
        (ADMIN, {"type": "done", "for_counter": 42}, "unknown_counter"),
    ],
)
def test_bad_requests_get_their_error_and_change_nothing(
    service: OfficeService, session: Session, message: dict[str, Any], code: str
) -> None:
    ask(service, KIOSK, type="issue", service="A")
    before = service.snapshot()
    reply = ask(service, session, **message)
    assert reply["type"] == "error"
    assert reply["code"] == code
    assert reply["message"]
    assert service.snapshot() == before


def test_admin_acts_for_a_named_counter(service: OfficeService) -> None:
    ask(service, KIOSK, type="issue", service="C")
    reply = ask(service, ADMIN, type="call_next", for_counter=3)
    assert reply["ticket"]["counter"] == 3


def test_a_repeated_request_gets_the_first_reply_also_after_a_restart(
    office: Office, path: Path, clock: Clock
) -> None:
    store = SqliteStore(path)
    first = handle_json(OfficeService(office, store, clock),
        KIOSK, {"id": "same", "type": "issue", "service": "A"}
    )
    store.close()

    store = SqliteStore(path)
    service = OfficeService(office, store, clock)
    clock.now += timedelta(minutes=5)
    again = handle_json(service, KIOSK, {"id": "same", "type": "issue", "service": "A"})
    assert again.reply == first.reply
    assert again.events == []
    assert store.ticket_count() == 1
    # The same id from another client is another request.
    other = handle_json(service, Session("kiosk-2", "kiosk"), {"id": "same", "type": "issue",
                                                         "service": "A"})
    assert other.reply["ticket"]["number"] == "A002"
    store.close()


def test_transfer_to_a_counter_reaches_only_that_counter(service: OfficeService) -> None:
    ask(service, KIOSK, type="issue", service="B")
    ask(service, counter(1), type="call_next")
    reply = ask(service, counter(1), type="transfer", counter=3)
    assert reply["ticket"]["target_counter"] == 3
    assert ask(service, counter(2), type="call_next")["type"] == "empty"  # also serves B
    assert ask(service, counter(3), type="call_next")["ticket"]["number"] == "B001"


def test_pause_and_resume_are_published(service: OfficeService) -> None:
    paused = handle_json(service, counter(2), {"id": 1, "type": "pause"})
    assert paused.reply == {"type": "ok", "re": 1, "counter": {"number": 2, "paused": True}}
    assert paused.events[0]["event"] == "counter_changed"
    assert service.snapshot().counters[1].paused is True


def test_numbers_restart_on_the_next_business_day(service: OfficeService, clock: Clock) -> None:
    ask(service, KIOSK, type="issue", service="A")
    clock.now += timedelta(days=1)
    service.tick()  # a first reading of the new day (the server's ticks come 4 a second)
    assert ask(service, KIOSK, type="issue", service="A")["ticket"]["number"] == "A001"
    assert service.snapshot().business_day.isoformat() == "2026-11-24"


def test_a_clock_that_jumps_back_does_not_reorder_the_queue(
    service: OfficeService, clock: Clock
) -> None:
    ask(service, KIOSK, type="issue", service="A")
    clock.now -= timedelta(minutes=10)
    second = ask(service, KIOSK, type="issue", service="A")
    assert second["ticket"]["ahead"] == 1
    assert ask(service, counter(1), type="call_next")["ticket"]["number"] == "A001"


def test_snapshot_describes_the_office(service: OfficeService) -> None:
    ask(service, KIOSK, type="issue", service="A", priority="elderly")
    snap = ask(service, DISPLAY, type="snapshot")["snapshot"]
    assert snap["office"]["id"] == "phuong-mau"
    assert [s["code"] for s in snap["services"]] == list("ABCDEF")
    assert snap["services"][0]["waiting"] == 1
    assert all(s["open"] for s in snap["services"])
    assert [c["number"] for c in snap["counters"]] == [1, 2, 3, 4]
    assert {p["code"] for p in snap["priority_categories"]} >= {"elderly"}


@pytest.mark.parametrize(
    "message",
    [
        {"type": "call_next"},  # nobody waiting: "empty"
        {"type": "done"},  # an error
        {"type": "pause"},
    ],
)
def test_a_retry_gets_the_first_answer_even_when_nothing_changed(
    service: OfficeService, message: dict[str, Any]
) -> None:
    first = handle_json(service, counter(3), {"id": "once", **message}).reply
    ask(service, KIOSK, type="issue", service="C")  # the world changes in between
    ask(service, counter(3), type="resume")
    assert handle_json(service, counter(3), {"id": "once", **message}).reply == first


def test_transfer_to_a_counter_keeps_the_service(service: OfficeService) -> None:
    ask(service, KIOSK, type="issue", service="B")
    ask(service, counter(1), type="call_next")
    moved = ask(service, counter(1), type="transfer", counter=2)["ticket"]
    assert moved["service"] == "B"
    assert moved["transferred_from"] is None
    assert moved["target_counter"] == 2


def test_snapshot_lists_absent_and_parked_tickets_and_the_counter_day(
    service: OfficeService, clock: Clock
) -> None:
    for _ in range(3):
        ask(service, KIOSK, type="issue", service="C")
    ask(service, counter(3), type="call_next")
    ask(service, counter(3), type="absent")
    ask(service, counter(3), type="call_next")
    ask(service, counter(3), type="park")
    ask(service, counter(3), type="call_next")
    clock.now += timedelta(minutes=6)
    ask(service, counter(3), type="done")
    snap = wire.to_json(service.snapshot())
    assert [(t["number"], t["status"]) for t in snap["set_aside"]] == [
        ("C001", "absent"), ("C002", "parked")]
    today = snap["counters"][2]["today"]
    assert today == {"served": 1, "absent": 1, "average_service_seconds": 360}


def test_a_restart_with_the_clock_set_back_keeps_first_come_first_served(
    office: Office, path: Path, clock: Clock
) -> None:
    store = SqliteStore(path)
    first = OfficeService(office, store, clock)
    ask(first, KIOSK, type="issue", service="A")
    ask(first, KIOSK, type="issue", service="A")
    store.close()

    clock.now -= timedelta(minutes=10)  # a PC without a clock battery, say
    store = SqliteStore(path)
    restarted = OfficeService(office, store, clock)
    third = ask(restarted, KIOSK, type="issue", service="A")["ticket"]
    assert third["number"] == "A003"
    assert third["ahead"] == 2
    assert ask(restarted, counter(1), type="call_next")["ticket"]["number"] == "A001"
    store.close()


def test_a_citizen_still_at_a_counter_at_midnight_is_closed_with_the_day(
    service: OfficeService, clock: Clock
) -> None:
    ask(service, KIOSK, type="issue", service="A")
    ask(service, KIOSK, type="issue", service="A")
    ask(service, counter(1), type="call_next")
    clock.now += timedelta(days=1)
    service.tick()  # a first reading of the new day
    snap = wire.to_json(service.snapshot())
    assert snap["counters"][0]["current"] is None
    last = service.store.events()[-1]  # type: ignore[attr-defined]
    assert (last.kind.value, last.data) == ("done", {"implicit": "day_end"})
    assert last.day.isoformat() == "2026-11-23"
    day_before = service.store.load(last.day)  # type: ignore[attr-defined]
    assert [t.status.value for t in day_before.tickets.values()] == ["done", "waiting"]


def test_remembered_replies_are_forgotten_when_the_days_go_by(
    service: OfficeService, clock: Clock
) -> None:
    handle_json(service, KIOSK, {"id": "old", "type": "issue", "service": "A"})
    assert service.store.reply_to(KIOSK.client, "old") is not None
    clock.now += timedelta(days=2)
    service.tick()
    service.snapshot()
    assert service.store.reply_to(KIOSK.client, "old") is None


def test_a_clock_that_jumps_past_midnight_for_a_moment_ends_nothing(
    service: OfficeService, clock: Clock
) -> None:
    ask(service, KIOSK, type="issue", service="A")
    real = clock.now
    clock.now = real + timedelta(days=1)  # a PC setting its time wrongly, for a moment,
    assert ask(service, KIOSK, type="issue", service="A")["ticket"]["number"] == "A002"
    clock.now = real + timedelta(seconds=1)  # … and back
    assert service.tick() == []
    assert service.tick() == []
    assert service.snapshot().business_day == real.date()
    assert service.snapshot().services[0].waiting == 2
    # Nor does a restart move the office to the day that odd reading said.
    again = OfficeService(service.office, service.store, clock)
    assert again.snapshot().business_day == real.date()
    assert ask(again, KIOSK, type="issue", service="A")["ticket"]["number"] == "A003"


def test_a_clock_set_a_day_ahead_for_minutes_drops_nobody(
    office: Office, path: Path, clock: Clock
) -> None:
    # Issue 18, defect 3: one odd reading was covered by two readings in a row; a PC
    # whose clock stays a day ahead for minutes (until its time service corrects it)
    # must not end the day either: the day ends when time has really passed to midnight.
    elapsed = [0.0]  # seconds that really pass, apart from the wall clock
    store = SqliteStore(path)
    service = OfficeService(office, store, clock, elapsed=lambda: elapsed[0])
    for _ in range(3):
        ask(service, KIOSK, type="issue", service="A")
    real = clock.now
    clock.now = real + timedelta(days=1)
    for _ in range(4 * 60 * 5):  # five minutes of ticks, four a second
        elapsed[0] += 0.25
        service.tick()
    assert service.snapshot().business_day == real.date()
    assert service.snapshot().services[0].waiting == 3
    assert ask(service, counter(1), type="call", number="A003", reason="kiểm tra")[
        "ticket"]["number"] == "A003"
    clock.now = real + timedelta(minutes=5)  # corrected: nothing happened
    service.tick()
    assert ask(service, KIOSK, type="issue", service="A")["ticket"]["number"] == "A004"

    # A clock that stays a day ahead for CLOCK_JUMP_GRACE still leaves nobody behind:
    # the day goes on while citizens wait ...
    clock.now = real + timedelta(days=1)
    service.tick()
    elapsed[0] += CLOCK_JUMP_GRACE.total_seconds()
    service.tick()
    assert service.snapshot().business_day == real.date()
    assert service.snapshot().services[0].waiting == 3
    # ... and ends when the last one has been served: then the clock is believed.
    while ask(service, counter(1), type="call_next")["type"] == "called":
        pass
    elapsed[0] += 0.25
    service.tick()
    assert service.snapshot().business_day == (real + timedelta(days=1)).date()
    store.close()


def test_a_wrong_day_that_issued_nothing_is_undone_by_a_restart_with_the_right_clock(
    office: Office, path: Path, clock: Clock
) -> None:
    # Issue 18: the operator's correction of a clock wrong by a day, before any number
    # of that wrong day was given: set the clock right and restart the server.
    elapsed = [0.0]
    store = SqliteStore(path)
    service = OfficeService(office, store, clock, elapsed=lambda: elapsed[0])
    ask(service, KIOSK, type="issue", service="A")
    ask(service, counter(1), type="call_next")
    ask(service, counter(1), type="done")  # nobody waits any more
    real = clock.now
    clock.now = real + timedelta(days=1)
    service.tick()
    elapsed[0] += CLOCK_JUMP_GRACE.total_seconds()
    service.tick()
    assert service.snapshot().business_day == (real + timedelta(days=1)).date()
    clock.now = real + timedelta(minutes=20)  # the clock is set right; the server restarted
    again = OfficeService(office, store, clock, elapsed=lambda: elapsed[0])
    assert again.snapshot().business_day == real.date()
    assert ask(again, KIOSK, type="issue", service="A")["ticket"]["number"] == "A002"
    store.close()


def test_at_the_real_midnight_the_day_ends_at_once(
    office: Office, path: Path, clock: Clock
) -> None:
    elapsed = [0.0]
    store = SqliteStore(path)
    service = OfficeService(office, store, clock, elapsed=lambda: elapsed[0])
    ask(service, KIOSK, type="issue", service="A")
    to_midnight = (datetime.combine(clock.now.date() + timedelta(days=1), time(0),
                                    tzinfo=ZONE) - clock.now)
    clock.now += to_midnight + timedelta(seconds=1)
    elapsed[0] += to_midnight.total_seconds() + 1  # time really passed
    service.tick()
    elapsed[0] += 0.25
    service.tick()
    assert service.snapshot().business_day == clock.now.date()
    store.close()


def test_the_clock_alone_opens_and_closes_services_and_starts_the_day(
    office: Office, path: Path, clock: Clock
) -> None:
    hours = (TimeWindow(time(8, 30), time(11)),)
    office = replace(office, services=(replace(office.services[0], hours=hours),
                                       *office.services[1:]))
    store = SqliteStore(path)
    service = OfficeService(office, store, clock)  # 08:00: A is closed
    assert service.tick() == []

    clock.now += timedelta(minutes=30)  # 08:30
    [opened] = service.tick()
    assert isinstance(opened, wire.ServicesChanged)
    assert [(s.code, s.open) for s in opened.services][:2] == [("A", True), ("B", True)]
    assert service.tick() == []  # said once

    ask(service, KIOSK, type="issue", service="A")
    clock.now += timedelta(hours=2, minutes=30)  # 11:00
    [closed] = service.tick()
    assert isinstance(closed, wire.ServicesChanged)
    assert closed.services[0].closed == wire.Closed(
        kind="outside_hours", hours=(("08:30", "11:00"),), opens=None)

    clock.now += timedelta(hours=13)  # 00:00 the next day
    # One reading of a new day is not yet a new day (A now opens again at 08:30) …
    assert not any(isinstance(e, wire.DayChanged) for e in service.tick())
    [new_day] = service.tick()  # … two are
    assert isinstance(new_day, wire.DayChanged)
    assert new_day.snapshot.business_day.isoformat() == "2026-11-24"
    assert all(s.waiting == 0 for s in new_day.snapshot.services)
    store.close()


def test_a_counters_figures_for_today_are_published_when_they_change(
    service: OfficeService, clock: Clock
) -> None:
    ask(service, KIOSK, type="issue", service="A")
    ask(service, KIOSK, type="issue", service="A")
    called = handle_json(service, counter(1), {"id": "c1", "type": "call_next"})
    assert [e for e in called.events if e["event"] == "counter_day"] == []  # nothing yet
    clock.now += timedelta(minutes=5)
    finished = handle_json(service, counter(1), {"id": "c2", "type": "call_next"})
    [day] = [e for e in finished.events if e["event"] == "counter_day"]
    assert day == {"type": "event", "event": "counter_day", "counter": 1,
                   "today": {"served": 1, "absent": 0, "average_service_seconds": 300}}
    absent = handle_json(service, counter(1), {"id": "c3", "type": "absent"})
    [day] = [e for e in absent.events if e["event"] == "counter_day"]
    assert day["today"]["absent"] == 1
    # Counter 2 brings the absent citizen back: counter 1's absent count falls.
    back = handle_json(service, counter(2), {"id": "c4", "type": "return", "number": "A002"})
    [day] = [e for e in back.events if e["event"] == "counter_day"]
    assert (day["counter"], day["today"]["absent"]) == (1, 0)


def test_refusals_are_remembered_up_to_a_bound_per_client_and_day(
    service: OfficeService, clock: Clock
) -> None:
    # Defect 7: a counter sending junk (here, what only a kiosk may send) must not grow
    # the database without bound.
    pest = counter(1)
    first = handle_json(service, pest, {"type": "issue", "id": "x-0", "service": "A"})
    assert first.reply["code"] == "forbidden"
    for n in range(1, REMEMBERED_REFUSALS + 50):
        handle_json(service, pest, {"type": "issue", "id": f"x-{n}", "service": "A"})
    store = service.store
    assert isinstance(store, SqliteStore)
    remembered = store.db.execute(
        "SELECT count(*) FROM requests WHERE client = ?", [pest.client]).fetchone()[0]
    assert remembered == REMEMBERED_REFUSALS
    # A retry still gets its answer (remembered, or decided afresh: the same refusal).
    assert handle_json(service, pest, {"type": "issue", "id": "x-0", "service": "A"}).reply \
        == first.reply
    late = {"type": "issue", "id": f"x-{REMEMBERED_REFUSALS + 10}", "service": "A"}
    assert handle_json(service, pest, late).reply["code"] == "forbidden"
    # Everybody else's refusals are remembered as usual.
    other = handle_json(service, counter(2), {"type": "recall", "id": "r-1"})
    assert other.reply["type"] == "error"
    assert store.reply_to(counter(2).client, "r-1") is not None


def test_yesterday_s_leftovers_do_not_hold_a_server_that_booted_with_a_wrong_clock(
    office: Office, path: Path, clock: Clock
) -> None:
    # A PC whose clock battery died boots far in the past, then its time service sets it
    # right: the office must reach today, whatever yesterday left waiting.
    store = SqliteStore(path)
    yesterday = OfficeService(office, store, clock)
    for _ in range(2):
        ask(yesterday, KIOSK, type="issue", service="A")  # never called
    real = clock.now
    clock.now = real - timedelta(days=2000)
    elapsed = [0.0]
    booted = OfficeService(office, store, clock, elapsed=lambda: elapsed[0])
    assert booted.snapshot().business_day == real.date()  # the log's day, not 2021's
    clock.now = real + timedelta(days=1)  # corrected: the next morning
    booted.tick()
    elapsed[0] += CLOCK_JUMP_GRACE.total_seconds()
    booted.tick()
    assert booted.snapshot().business_day == (real + timedelta(days=1)).date()
    assert ask(booted, KIOSK, type="issue", service="A")["ticket"]["number"] == "A001"
    store.close()
