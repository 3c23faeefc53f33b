"""What the central server takes of a batch of a site's events: everything that links,
once; nothing after a gap, an altered, lost or reordered event, or a rewritten one."""

from __future__ import annotations

import json
from dataclasses import replace

import msgspec
import pytest

from shared.core.audit_chain import GENESIS, StoredEvent, seal
from shared.core.site_log import SentEvent, judge


def log_of(count: int, first_data: str = "") -> list[SentEvent]:
    events, previous = [], GENESIS
    for seq in range(1, count + 1):
        data = json.dumps({"n": seq, "note": first_data if seq == 1 else ""})
        stored = StoredEvent(seq, "2026-12-02", f"2026-12-02T01:{seq:02d}:00+00:00", "issued",
                             seq, None, data)
        previous = seal(previous, stored)
        events.append(SentEvent.of(replace(stored, hash=previous)))
    return events


def test_a_whole_log_is_taken_in_order_whatever_order_it_arrives_in() -> None:
    events = log_of(5)
    verdict = judge(0, GENESIS, list(reversed(events)), {})
    assert [e.seq for e in verdict.take] == [1, 2, 3, 4, 5]
    assert (verdict.last_seq, verdict.last_hash, verdict.problem) == (5, events[-1].hash, None)


def test_a_log_resumes_after_what_is_stored_and_repeats_are_taken_once() -> None:
    events = log_of(6)
    verdict = judge(3, events[2].hash, [*events, events[4]], {e.seq: e for e in events[:3]})
    assert [e.seq for e in verdict.take] == [4, 5, 6]
    assert verdict.problem is None


def test_a_gap_stops_the_batch_before_it() -> None:
    events = log_of(5)
    verdict = judge(0, GENESIS, [events[0], events[1], events[3], events[4]], {})
    assert [e.seq for e in verdict.take] == [1, 2]
    assert verdict.problem == "gap"
    assert "thiếu sự kiện 3" in verdict.detail
    assert "event 3 is missing" in verdict.detail


def test_an_altered_event_is_refused_and_nothing_after_it() -> None:
    events = log_of(4)
    altered = msgspec.structs.replace(events[2], data=events[2].data.replace('"n": 3',
                                                                              '"n": 9'))
    verdict = judge(0, GENESIS, [events[0], events[1], altered, events[3]], {})
    assert [e.seq for e in verdict.take] == [1, 2]
    assert verdict.problem == "broken"
    assert verdict.at == 3
    assert "event 3 does not link to event 2" in verdict.detail


def test_swapped_events_do_not_link() -> None:
    events = log_of(3)
    one, two = events[0], events[1]
    swapped = [msgspec.structs.replace(two, seq=1), msgspec.structs.replace(one, seq=2)]
    verdict = judge(0, GENESIS, swapped, {})
    assert verdict.take == ()
    assert verdict.problem == "broken"


def test_a_different_event_under_a_stored_number_is_a_rewritten_log() -> None:
    events = log_of(3)
    other = log_of(3, first_data="khác")
    verdict = judge(3, events[2].hash, [other[0]], {1: events[0]})
    assert verdict.problem == "rewritten"
    assert verdict.take == ()
    assert verdict.at == 1


def test_a_stored_number_sent_again_with_any_field_changed_is_a_rewritten_log() -> None:
    """The same seal is not enough: every field must be the one stored."""
    events = log_of(3)
    for change in ({"day": "2026-12-03"}, {"counter": 4}, {"kind": "done"},
                   {"data": events[1].data.replace("2", "7")}):
        altered = msgspec.structs.replace(events[1], **change)
        verdict = judge(3, events[2].hash, [altered], {2: events[1]})
        assert (verdict.problem, verdict.at) == ("rewritten", 2), change


def test_a_number_twice_in_one_batch_is_taken_once_or_refused() -> None:
    events = log_of(3)
    assert judge(0, GENESIS, [*events, events[1]], {}).last_seq == 3
    twin = msgspec.structs.replace(events[1], counter=9)
    verdict = judge(0, GENESIS, [events[0], events[1], twin, events[2]], {})
    assert verdict.problem == "rewritten"


@pytest.mark.parametrize(("day", "at", "counter", "data", "said"), [
    ("2026-12-02", "2026-12-02T01:00:00+00:00", None, "{", "data is not JSON"),
    ("2026-12-02", "2026-12-02T01:00:00+00:00", None, '{"x": NaN}', "data is not JSON"),
    ("2026-12-02", "2026-12-02T01:00:00+00:00", None, '{"x": "a\\u0000"}', "NUL"),
    ("2026-13-02", "2026-12-02T01:00:00+00:00", None, "{}", "day or time"),
    ("2026-12-02", "lúc tám giờ", None, "{}", "day or time"),
    ("2026-12-02", "2026-12-02T01:00:00+00:00", 2**40, "{}", "out of range"),
])
def test_what_the_central_database_could_not_store_is_malformed(
        day: str, at: str, counter: int | None, data: str, said: str) -> None:
    """Sealed or not, an event PostgreSQL would refuse is named, not a server error."""
    stored = StoredEvent(1, day, at, "issued", 1, counter, data)
    event = SentEvent.of(replace(stored, hash=seal(GENESIS, stored)))
    verdict = judge(0, GENESIS, [event], {})
    assert verdict.problem == "malformed"
    assert said in verdict.detail


@pytest.mark.parametrize(("scale", "levels"), [(3, (3, 2, 1, None)), (5, (5, 4, 3, None))])
def test_the_heartbeat_counts_today_s_ratings_and_the_satisfied_ones(
        scale: int, levels: tuple[int | None, ...]) -> None:
    """Satisfied: the two best levels of the office's scale (Rất hài lòng and Hài lòng;
    five and four stars)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from shared.core import queue_rules as rules
    from shared.core.config import load_office
    from shared.core.office import Rating
    from shared.core.site_log import heartbeat

    office = replace(load_office(), rating=Rating(scale=scale))
    now = datetime(2026, 12, 2, 8, 0, tzinfo=ZoneInfo(office.timezone))
    state = rules.QueueState(day=now.date())
    for level in levels:
        events = rules.issue(state, office, "A", None, now)
        state = rules.apply(state, events)
        ticket = events[0].ticket
        for make in (rules.call_next, rules.done):
            state = rules.apply(state, make(state, office, 1, now))
        if level is not None:
            state = rules.apply(state, rules.rate(state, office, ticket, level, (), now))
        now += timedelta(minutes=5)
    beat = heartbeat(state, office, now, {1})
    assert (beat.served, beat.rated, beat.satisfied) == (4, 3, 2)
