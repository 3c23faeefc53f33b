"""The display's rules as plain data: a snapshot makes the hall, events move it on."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import msgspec
import pytest

from display import wording
from display.hall import Call, Hall, Line, Seat, apply_event, hall_from_office, hall_from_snapshot
from shared.core import wire
from shared.core.config import load_office
from shared.core.protocol import ProtocolError


def ticket(number: str, *, status: str = "called", called_at: str | None = None,
           counter: int | None = None, **extra: Any) -> dict[str, Any]:
    return {"number": number, "service": number[0], "service_name": "Tư pháp – Hộ tịch",
            "status": status, "counter": counter, "called_at": called_at,
            "issued_at": "2026-11-23T08:00:00+07:00", **extra}


def event(message: dict[str, Any]) -> wire.Event:
    """An event as the connection hands it over: decoded and checked."""
    decoded = wire.decode_server_message(json.dumps(message))
    assert isinstance(decoded, wire.Event)
    return decoded


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


SNAPSHOT_JSON: dict[str, Any] = {
    "office": {"id": "phuong-mau", "name": "UBND Phường Mẫu"},
    "business_day": "2026-11-23",
    "services": [{"code": "A", "name": "Tư pháp – Hộ tịch", "name_en": "Justice", "waiting": 3,
                  "open": True},
                 {"code": "B", "name": "Chứng thực", "name_en": "Certification", "waiting": 0,
                  "open": False}],
    "counters": [
        {"number": 1, "name": "Quầy 1", "services": ["A"], "paused": False, "connected": True,
         "current": ticket("A002", called_at="2026-11-23T08:20:00+07:00", counter=1)},
        {"number": 2, "name": "Quầy 2", "services": ["A"], "paused": True, "connected": True,
         "current": None},
        {"number": 3, "name": "Quầy 3", "services": ["B"], "paused": False, "connected": False,
         "current": None},
    ],
    "recent_calls": [
        {"ticket": ticket("A002", counter=1), "counter": 1, "at": "2026-11-23T08:20:00+07:00"},
        {"ticket": ticket("A001", status="done", counter=2), "counter": 2,
         "at": "2026-11-23T08:10:00.500000+07:00"},
    ],
}
SNAPSHOT = msgspec.convert(SNAPSHOT_JSON, wire.Snapshot)


def called(number: str, counter: int, moment: str, *, recall: bool = False) -> wire.Event:
    return event({"type": "event", "event": "ticket_called", "counter": counter,
                  "recall": recall, "out_of_order": False,
                  "ticket": ticket(number, called_at=moment, counter=counter)})


def test_a_snapshot_gives_the_whole_hall() -> None:
    hall = hall_from_snapshot(SNAPSHOT)
    assert hall.office_name == "UBND Phường Mẫu"
    assert hall.seats == (Seat(1, "Quầy 1", "A002"), Seat(2, "Quầy 2", None, paused=True),
                          Seat(3, "Quầy 3", None, connected=False))
    assert [wording.seat_text(s) for s in hall.seats] == ["A002", "Tạm dừng", "—"]
    assert hall.lines == (Line("A", "Tư pháp – Hộ tịch", 3, name_en="Justice"),
                          Line("B", "Chứng thực", 0, False, name_en="Certification"))
    assert hall.newest is not None
    assert hall.newest.number == "A002"
    assert [c.number for c in hall.earlier_calls(6)] == ["A001"]


def test_a_live_call_becomes_the_newest_and_the_counter_serves_it() -> None:
    hall, call = apply_event(hall_from_snapshot(SNAPSHOT),
                             called("A003", 2, "2026-11-23T08:30:00+07:00"))
    assert call == Call("A003", 2, "Quầy 2", "Tư pháp – Hộ tịch", at("2026-11-23T08:30:00+07:00"))
    assert hall.newest == call
    assert hall.seat(2) == Seat(2, "Quầy 2", "A003")  # a call resumes a paused counter
    assert [c.number for c in hall.earlier_calls(6)] == ["A002", "A001"]
    assert wording.call_sentence(call) == "Mời số A003 — đến Quầy 2"


def test_a_recall_is_the_newest_call_again_but_keeps_its_place_in_the_list() -> None:
    hall, _ = apply_event(hall_from_snapshot(SNAPSHOT),
                          called("A003", 2, "2026-11-23T08:30:00+07:00"))
    hall, call = apply_event(hall, called("A002", 1, "2026-11-23T08:20:00+07:00", recall=True))
    assert call is not None
    assert call.recall
    assert hall.newest == call
    assert [c.number for c in hall.recent] == ["A003", "A002", "A001"]  # as a snapshot has it
    assert [c.number for c in hall.earlier_calls(6)] == ["A003", "A001"]


@pytest.mark.parametrize("action", ["done", "absent", "parked", "transferred"])
def test_a_ticket_that_leaves_the_counter_frees_it(action: str) -> None:
    status = {"transferred": "waiting"}.get(action, action)
    update = event({"type": "event", "event": "ticket_updated", "counter": 1, "action": action,
                    "ticket": ticket("A002", status=status, counter=1)})
    hall, call = apply_event(hall_from_snapshot(SNAPSHOT), update)
    assert call is None
    assert hall.seat(1) == Seat(1, "Quầy 1", None)
    assert hall.newest is not None
    assert hall.newest.number == "A002"


def test_queue_and_counter_changes() -> None:
    hall = hall_from_snapshot(SNAPSHOT)
    hall, _ = apply_event(hall, event({"type": "event", "event": "queue_changed",
                                       "waiting": {"A": 5, "B": 1, "Z": 9}}))
    assert [line.waiting for line in hall.lines] == [5, 1]
    hall, _ = apply_event(hall, event({"type": "event", "event": "counter_changed",
                                       "counter": 3, "change": "connected", "paused": False}))
    hall, _ = apply_event(hall, event({"type": "event", "event": "counter_changed",
                                       "counter": 1, "change": "paused", "paused": True}))
    assert hall.seat(3) == Seat(3, "Quầy 3", None, connected=True)
    assert hall.seat(1) == Seat(1, "Quầy 1", "A002", paused=True)
    # A paused counter still serving someone shows the number: that is what the hall needs.
    assert wording.seat_text(Seat(1, "Quầy 1", "A002", paused=True)) == "A002"


def test_events_the_hall_does_not_show_change_nothing() -> None:
    hall = hall_from_snapshot(SNAPSHOT)
    for message in ({"type": "event", "event": "ticket_issued", "ticket": ticket("A009")},
                    {"type": "event", "event": "printer_fault", "kiosk": "k", "fault": True}):
        assert apply_event(hall, event(message)) == (hall, None)


def test_a_broken_event_never_reaches_the_hall() -> None:
    # The connection decodes every frame against the contract and drops what breaks it.
    with pytest.raises(ProtocolError):
        event({"type": "event", "event": "ticket_called"})


def test_before_the_server_answers_the_configuration_names_the_hall() -> None:
    hall = hall_from_office(load_office())
    assert hall.office_name == "UBND Phường Mẫu"
    assert [s.name for s in hall.seats] == ["Quầy 1", "Quầy 2", "Quầy 3", "Quầy 4"]
    assert [wording.waiting_text(line) for line in hall.lines] == ["–"] * 6
    assert hall.newest is None
    assert hall == Hall(hall.office_name, "", hall.seats, hall.lines)


def test_the_date_reads_in_vietnamese() -> None:
    assert wording.date_text(datetime(2026, 11, 23, 9, 41)) == "Thứ Hai, 23/11/2026"
    assert wording.date_text(datetime(2026, 11, 29)) == "Chủ Nhật, 29/11/2026"
    assert wording.time_text(datetime(2026, 11, 23, 7, 5)) == "07:05"
