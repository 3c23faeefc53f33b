"""The queue rules by example: numbers, calling order, priority and the counter actions.

Small offices are built straight from the dataclasses of ``shared.core.office``; time is a
fixed Hanoi morning advanced with ``timedelta``. Decisions return events and ``apply``
folds them into the state, as the server does.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from shared.core.errors import QueueError
from shared.core.events import Event, EventKind
from shared.core.office import (
    Counter,
    CounterOrder,
    NumberFormat,
    Office,
    PriorityCategory,
    PriorityMode,
    PriorityPolicy,
    Service,
    TimeWindow,
)
from shared.core.queue_rules import (
    QueueState,
    absent,
    ahead_of,
    apply,
    call_next,
    call_number,
    done,
    issue,
    park,
    pause,
    recall,
    replay,
    resume,
    return_ticket,
    roll_over,
    transfer,
)
from shared.core.ticket import Ticket, TicketStatus

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=ZONE)  # a Monday morning in Hanoi
DAY = NOW.date()
MINUTE = timedelta(minutes=1)

ELDERLY = PriorityCategory("elderly", "Người cao tuổi", "Elderly")
DISABLED = PriorityCategory("disabled", "Người khuyết tật", "Person with a disability")
HOURS = (TimeWindow(time(7, 0), time(11, 15)), TimeWindow(time(13, 15), time(16, 30)))

SERVICES = (
    Service("A", "Tư pháp – Hộ tịch", "Justice – civil status", prefix="A"),
    Service("B", "Chứng thực", "Certification", prefix="B"),
    Service("C", "Đất đai – Địa chính", "Land", prefix="C"),
    Service("L", "Đăng ký đất đai", "Land registration", NumberFormat.BLOCK, prefix="1"),
)
COUNTERS = (
    Counter(1, "Quầy 1", ("A", "B")),
    Counter(2, "Quầy 2", ("B", "C")),
    Counter(3, "Quầy 3", ("C",)),
    Counter(4, "Quầy 4", ("B", "A"), order=CounterOrder.SERVICE_FIRST),
    Counter(5, "Quầy 5", ("L",)),
)


def make_office(
    mode: PriorityMode = PriorityMode.STRICT,
    *,
    every: int = 3,
    head_start_minutes: int = 30,
    grace: int = 15,
    **service_changes: dict[str, Any],
) -> Office:
    """The test office; ``C={"hours": HOURS}`` changes one service."""
    services = tuple(replace(s, **service_changes.get(s.code, {})) for s in SERVICES)
    return Office(
        id="phuong-thu",
        name="UBND Phường Thử",
        services=services,
        counters=COUNTERS,
        priority=PriorityPolicy(
            mode=mode,
            every=every,
            head_start_minutes=head_start_minutes,
            categories=(ELDERLY, DISABLED),
        ),
        absent_grace_minutes=grace,
    )


OFFICE = make_office()


def run(state: QueueState, events: list[Event]) -> QueueState:
    return apply(state, events)


def fresh() -> QueueState:
    return QueueState(day=DAY)


def give(
    state: QueueState, office: Office, service: str, at: datetime, priority: str | None = None
) -> QueueState:
    return run(state, issue(state, office, service, priority, at))


def give_many(
    office: Office, spec: str, start: datetime = NOW, state: QueueState | None = None
) -> QueueState:
    """Issue tickets one minute apart; ``"A B A*"``: ``*`` marks an elderly citizen."""
    state = fresh() if state is None else state
    for i, word in enumerate(spec.split()):
        priority = ELDERLY.code if word.endswith("*") else None
        state = give(state, office, word.rstrip("*"), start + i * MINUTE, priority)
    return state


def ticket(state: QueueState, number: str) -> Ticket:
    found = state.by_number(number)
    assert found is not None, number
    return found


def current_number(state: QueueState, counter: int) -> str | None:
    current = state.current_ticket(counter)
    return None if current is None else current.number


def call(state: QueueState, office: Office, counter: int, at: datetime) -> QueueState:
    return run(state, call_next(state, office, counter, at))


def call_order(
    state: QueueState, office: Office, counter: int, at: datetime, limit: int = 20
) -> list[str]:
    """The numbers ``counter`` calls, pressing "call next" until nobody is left."""
    called: list[str] = []
    for _ in range(limit):
        events = call_next(state, office, counter, at)
        state = run(state, events)
        if not any(e.kind is EventKind.CALLED for e in events):
            break
        number = current_number(state, counter)
        assert number is not None
        called.append(number)
        at += MINUTE
    return called


def kinds(events: list[Event]) -> list[EventKind]:
    return [e.kind for e in events]


def refused(action: Callable[[], object]) -> QueueError:
    with pytest.raises(QueueError) as caught:
        action()
    return caught.value


# --- issuing numbers ------------------------------------------------------------------


def test_each_service_counts_its_own_numbers() -> None:
    state = give_many(OFFICE, "A A B A B C")

    numbers = [t.number for t in sorted(state.tickets.values(), key=lambda t: t.id)]
    assert numbers == ["A001", "A002", "B001", "A003", "B002", "C001"]
    assert [t.id for t in sorted(state.tickets.values(), key=lambda t: t.id)] == [1, 2, 3, 4, 5, 6]


def test_block_format_numbers_run_from_the_block_digit() -> None:
    state = give_many(OFFICE, "L A L")

    assert [ticket(state, n).service for n in ("1001", "A001", "1002")] == ["L", "A", "L"]


def test_issued_ticket_carries_service_priority_and_time() -> None:
    state = give(fresh(), OFFICE, "B", NOW, ELDERLY.code)

    issued = ticket(state, "B001")
    assert (issued.service, issued.priority) == ("B", "elderly")
    assert issued.status is TicketStatus.WAITING
    assert issued.issued_at == NOW


def test_people_ahead_count_every_service_of_the_counters_that_call_it() -> None:
    # Issue 16: A002 was told "1 person ahead" while B001, ahead of it at the same
    # counters (1 calls A and B in order; 4 prefers B), was ignored.
    state = give_many(OFFICE, "A B A")

    assert ahead_of(state, OFFICE, ticket(state, "A002")) == 2
    assert call_order(state, OFFICE, 1, NOW + 10 * MINUTE)[:3] == ["A001", "B001", "A002"]


def test_people_ahead_are_counted_at_the_counter_that_reaches_it_first() -> None:
    state = give_many(OFFICE, "A B A B C A")

    # Counters 1 and 4 call A; both call every A and B before A003.
    assert ahead_of(state, OFFICE, ticket(state, "A003")) == 4
    # Counter 2 (B, C) and counter 4 (B first) have only B001 before B002.
    assert ahead_of(state, OFFICE, ticket(state, "B002")) == 1
    # Counter 3 serves C alone: C001 is next there, whatever counter 2 does.
    assert ahead_of(state, OFFICE, ticket(state, "C001")) == 0
    assert call_order(state, OFFICE, 3, NOW + 10 * MINUTE) == ["C001"]


def test_people_ahead_at_a_counter_that_prefers_a_service() -> None:
    office = make_office()
    only_four = replace(office, counters=tuple(c for c in office.counters if c.number != 1))
    state = give_many(only_four, "A A B B")

    # Counter 4 calls every B (its first service) before any A.
    assert ahead_of(state, only_four, ticket(state, "A001")) == 2
    assert ahead_of(state, only_four, ticket(state, "B001")) == 0
    assert call_order(state, only_four, 4, NOW + 10 * MINUTE) == ["B001", "B002", "A001", "A002"]


def test_people_ahead_shrinks_when_one_is_called() -> None:
    state = give_many(OFFICE, "A A A")
    state = call(state, OFFICE, 1, NOW + 5 * MINUTE)

    assert ahead_of(state, OFFICE, ticket(state, "A003")) == 1


def test_people_ahead_of_a_priority_ticket_under_strict_priority() -> None:
    state = give_many(OFFICE, "A A A A*")

    assert ahead_of(state, OFFICE, ticket(state, "A004")) == 0
    assert ahead_of(state, OFFICE, ticket(state, "A003")) == 3  # the priority one went ahead
    assert call_order(state, OFFICE, 1, NOW + 10 * MINUTE)[0] == "A004"


def test_daily_cap_refuses_the_next_number_and_changes_nothing() -> None:
    office = make_office(B={"daily_cap": 2})
    state = give_many(office, "B B")
    before = copy.deepcopy(state)

    error = refused(lambda: issue(state, office, "B", None, NOW + 5 * MINUTE))

    assert error.code == "cap_reached"
    assert "2" in error.message
    assert state == before
    # The cap is per service: A still issues.
    assert ticket(give(state, office, "A", NOW + 5 * MINUTE), "A001").service == "A"


@pytest.mark.parametrize(
    ("clock", "open_"),
    [
        (time(6, 59), False),
        (time(7, 0), True),
        (time(11, 14, 59), True),
        (time(11, 15), False),
        (time(12, 0), False),
        (time(13, 14), False),
        (time(13, 15), True),
        (time(16, 29), True),
        (time(16, 30), False),
        (time(18, 0), False),
    ],
)
def test_issuing_hours(clock: time, open_: bool) -> None:
    office = make_office(C={"hours": HOURS})
    at = datetime.combine(DAY, clock, tzinfo=ZONE)

    if open_:
        assert ticket(give(fresh(), office, "C", at), "C001").issued_at == at
    else:
        error = refused(lambda: issue(fresh(), office, "C", None, at))
        assert error.code == "closed"


def test_closed_message_tells_the_issuing_hours() -> None:
    office = make_office(C={"hours": HOURS})
    at = datetime.combine(DAY, time(12, 0), tzinfo=ZONE)

    message = refused(lambda: issue(fresh(), office, "C", None, at)).message

    for hour in ("07:00", "11:15", "13:15", "16:30"):
        assert hour in message


@pytest.mark.parametrize(
    ("day", "open_"),
    [(date(2026, 11, 23), True), (date(2026, 11, 28), True), (date(2026, 11, 29), False)],
    ids=["monday", "saturday", "sunday"],
)
def test_issuing_days(day: date, open_: bool) -> None:
    office = make_office(C={"days": (0, 1, 2, 3, 4, 5)})  # Monday to Saturday
    at = datetime.combine(day, time(8, 0), tzinfo=ZONE)

    if open_:
        assert ticket(give(QueueState(day=day), office, "C", at), "C001").issued_at == at
    else:
        error = refused(lambda: issue(QueueState(day=day), office, "C", None, at))
        assert error.code == "closed"
        assert "Hôm nay không cấp số" in error.message
        assert "Thứ Hai" in error.message
        assert "Chủ Nhật" not in error.message


def test_a_service_without_hours_issues_at_lunchtime() -> None:
    office = make_office(C={"hours": HOURS})
    noon = datetime.combine(DAY, time(12, 0), tzinfo=ZONE)

    assert ticket(give(fresh(), office, "A", noon), "A001").issued_at == noon


def test_outside_hours_is_closed_even_when_the_cap_is_reached_too() -> None:
    office = make_office(C={"hours": HOURS, "daily_cap": 1})
    state = give(fresh(), office, "C", NOW)
    noon = datetime.combine(DAY, time(12, 0), tzinfo=ZONE)

    assert refused(lambda: issue(state, office, "C", None, noon)).code == "closed"
    assert refused(lambda: issue(state, office, "C", None, NOW + MINUTE)).code == "cap_reached"


@pytest.mark.parametrize(
    ("utc_clock", "open_"),
    [
        (time(0, 30), True),  # 07:30 in Hanoi
        (time(6, 30), True),  # 13:30 in Hanoi
        (time(5, 0), False),  # 12:00 in Hanoi
        (time(10, 0), False),  # 17:00 in Hanoi, though 10:00 would be open in UTC
    ],
)
def test_issuing_hours_are_the_offices_local_time(utc_clock: time, open_: bool) -> None:
    office = make_office(C={"hours": HOURS})
    at = datetime.combine(DAY, utc_clock, tzinfo=UTC)

    if open_:
        assert ticket(give(fresh(), office, "C", at), "C001").service == "C"
    else:
        assert refused(lambda: issue(fresh(), office, "C", None, at)).code == "closed"


def test_unknown_service_is_refused() -> None:
    assert refused(lambda: issue(fresh(), OFFICE, "Z", None, NOW)).code == "unknown_service"


def test_unknown_priority_category_is_refused() -> None:
    assert refused(lambda: issue(fresh(), OFFICE, "A", "vip", NOW)).code == "bad_request"


# --- call next ------------------------------------------------------------------------


def test_counter_calls_only_its_services_first_come_first_served() -> None:
    state = give_many(OFFICE, "A C B B A C")

    assert call_order(state, OFFICE, 1, NOW + 10 * MINUTE) == ["A001", "B001", "B002", "A002"]
    assert call_order(state, OFFICE, 3, NOW + 10 * MINUTE) == ["C001", "C002"]


def test_service_first_counter_prefers_its_first_service_over_older_tickets() -> None:
    state = give_many(OFFICE, "A A B A B")

    # Counter 4 lists B before A: both B tickets go first though A001 came earlier.
    assert call_order(state, OFFICE, 4, NOW + 10 * MINUTE) == [
        "B001", "B002", "A001", "A002", "A003",
    ]


def test_nobody_waiting_gives_no_call() -> None:
    state = give_many(OFFICE, "C C")

    assert call_next(state, OFFICE, 1, NOW + MINUTE) == []
    assert call_next(fresh(), OFFICE, 3, NOW) == []


def test_call_next_while_serving_finishes_the_current_citizen() -> None:
    state = give_many(OFFICE, "A A")
    state = call(state, OFFICE, 1, NOW + 5 * MINUTE)
    later = NOW + 12 * MINUTE

    events = call_next(state, OFFICE, 1, later)
    state = run(state, events)

    assert kinds(events) == [EventKind.DONE, EventKind.CALLED]
    assert events[0].data == {"implicit": True}
    finished = ticket(state, "A001")
    assert (finished.status, finished.finished_at) == (TicketStatus.DONE, later)
    assert current_number(state, 1) == "A002"


def test_call_next_with_nobody_left_still_finishes_the_current_citizen() -> None:
    state = call(give_many(OFFICE, "A"), OFFICE, 1, NOW + MINUTE)

    events = call_next(state, OFFICE, 1, NOW + 5 * MINUTE)
    state = run(state, events)

    assert kinds(events) == [EventKind.DONE]
    assert ticket(state, "A001").status is TicketStatus.DONE
    assert current_number(state, 1) is None


def test_paused_counter_resumes_when_it_calls_next() -> None:
    state = give_many(OFFICE, "A")
    state = run(state, pause(state, OFFICE, 1, NOW + MINUTE))

    events = call_next(state, OFFICE, 1, NOW + 2 * MINUTE)
    state = run(state, events)

    assert kinds(events) == [EventKind.RESUMED, EventKind.CALLED]
    assert not state.counter_state(1).paused
    assert current_number(state, 1) == "A001"


def test_called_ticket_is_not_called_by_another_counter() -> None:
    state = give_many(OFFICE, "B B")
    state = call(state, OFFICE, 1, NOW + 5 * MINUTE)

    assert call_order(state, OFFICE, 2, NOW + 6 * MINUTE) == ["B002"]


# --- priority -------------------------------------------------------------------------


def test_strict_priority_goes_before_older_ordinary_tickets() -> None:
    state = give_many(OFFICE, "A B A* A B*")

    assert call_order(state, OFFICE, 1, NOW + 10 * MINUTE) == [
        "A002", "B002", "A001", "B001", "A003",
    ]


def test_interleave_calls_one_priority_then_every_ordinary_ones() -> None:
    office = make_office(PriorityMode.INTERLEAVE, every=2)
    state = give_many(office, "A A A A A A* A* A*")

    # P, O, O, P, O, O, P, O: the first priority citizen does not wait.
    assert call_order(state, office, 1, NOW + 10 * MINUTE) == [
        "A006", "A001", "A002", "A007", "A003", "A004", "A008", "A005",
    ]


def test_interleave_first_priority_never_waits_even_after_ordinary_calls() -> None:
    office = make_office(PriorityMode.INTERLEAVE, every=2)
    state = give_many(office, "A A A A A")
    for i in range(3):
        state = call(state, office, 1, NOW + (10 + i) * MINUTE)
    state = give(state, office, "A", NOW + 20 * MINUTE, ELDERLY.code)

    state = call(state, office, 1, NOW + 21 * MINUTE)

    assert current_number(state, 1) == "A006"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("A* B* A*", ["A001", "B001", "A002"]),
        ("A B A", ["A001", "B001", "A002"]),
    ],
    ids=["only-priority", "only-ordinary"],
)
def test_interleave_serves_whoever_is_waiting(spec: str, expected: list[str]) -> None:
    office = make_office(PriorityMode.INTERLEAVE, every=2)
    state = give_many(office, spec)

    assert call_order(state, office, 1, NOW + 10 * MINUTE) == expected


@pytest.mark.parametrize(
    ("later_by", "first"),
    [(20, "A002"), (40, "A001")],
)
def test_age_priority_counts_as_arriving_earlier(later_by: int, first: str) -> None:
    office = make_office(PriorityMode.AGE, head_start_minutes=30)
    state = give(fresh(), office, "A", NOW)
    state = give(state, office, "A", NOW + later_by * MINUTE, ELDERLY.code)

    state = call(state, office, 1, NOW + 50 * MINUTE)

    assert current_number(state, 1) == first


# --- recall ---------------------------------------------------------------------------


def test_recall_announces_the_same_ticket_again() -> None:
    state = call(give_many(OFFICE, "A A"), OFFICE, 1, NOW + 5 * MINUTE)

    events = recall(state, OFFICE, 1, NOW + 6 * MINUTE)
    state = run(state, events)
    state = run(state, recall(state, OFFICE, 1, NOW + 7 * MINUTE))

    assert kinds(events) == [EventKind.RECALLED]
    assert events[0].ticket == ticket(state, "A001").id
    assert ticket(state, "A001").recalls == 2
    assert ticket(state, "A001").status is TicketStatus.CALLED
    assert current_number(state, 1) == "A001"


def test_recall_with_nobody_called_is_refused() -> None:
    state = give_many(OFFICE, "A")

    assert refused(lambda: recall(state, OFFICE, 1, NOW)).code == "no_current_ticket"


# --- absent and return ----------------------------------------------------------------


def absent_a001(office: Office) -> tuple[QueueState, datetime]:
    """A001, A002, A003 wait; counter 1 calls A001, who is absent, then calls A002."""
    state = give_many(office, "A A A")
    at = NOW + 10 * MINUTE
    state = call(state, office, 1, at)
    state = run(state, absent(state, office, 1, at))
    state = call(state, office, 1, at)
    return state, at


def test_absent_ticket_leaves_the_queue_and_frees_the_counter() -> None:
    state = give_many(OFFICE, "A A")
    at = NOW + 10 * MINUTE
    state = call(state, OFFICE, 1, at)

    state = run(state, absent(state, OFFICE, 1, at))

    assert ticket(state, "A001").status is TicketStatus.ABSENT
    assert current_number(state, 1) is None
    assert call_order(state, OFFICE, 1, at) == ["A002"]


@pytest.mark.parametrize(
    ("back_after", "kept_place", "then"),
    [
        (5, True, ["A001", "A003"]),
        (15, True, ["A001", "A003"]),
        (16, False, ["A003", "A001"]),
        (90, False, ["A003", "A001"]),
    ],
)
def test_absent_citizen_who_returns(back_after: int, kept_place: bool, then: list[str]) -> None:
    office = make_office(grace=15)
    state, at = absent_a001(office)
    back = at + back_after * MINUTE

    events = return_ticket(state, office, 1, "A001", back)
    state = run(state, events)

    assert kinds(events) == [EventKind.RETURNED]
    assert events[0].data["kept_place"] is kept_place
    assert ticket(state, "A001").status is TicketStatus.WAITING
    # A002 is being served; pressing "call next" finishes it and goes on.
    assert call_order(state, office, 1, back) == then


def test_the_grace_period_comes_from_the_office() -> None:
    office = make_office(grace=30)
    state, at = absent_a001(office)

    events = return_ticket(state, office, 1, "A001", at + 25 * MINUTE)

    assert events[0].data["kept_place"] is True


def test_returning_a_ticket_that_is_waiting_is_a_conflict() -> None:
    state = give_many(OFFICE, "A")

    assert refused(lambda: return_ticket(state, OFFICE, 1, "A001", NOW)).code == "conflict"


# --- transfer -------------------------------------------------------------------------


def test_transfer_to_a_service_keeps_the_arrival_time() -> None:
    state = give_many(OFFICE, "A C C")
    at = NOW + 10 * MINUTE
    state = call(state, OFFICE, 1, at)

    events = transfer(state, OFFICE, 1, at, service="C")
    state = run(state, events)

    moved = ticket(state, "A001")
    assert (moved.service, moved.transferred_from, moved.status) == ("C", "A", TicketStatus.WAITING)
    assert current_number(state, 1) is None
    assert ahead_of(state, OFFICE, ticket(state, "C001")) == 1
    assert call_order(state, OFFICE, 3, at) == ["A001", "C001", "C002"]


def test_transfer_to_a_counter_only_that_counter_calls_it() -> None:
    state = give_many(OFFICE, "B")
    at = NOW + 10 * MINUTE
    state = call(state, OFFICE, 1, at)

    # Counter 3 serves only C, yet a colleague sent this B ticket to it.
    state = run(state, transfer(state, OFFICE, 1, at, to_counter=3))

    assert call_next(state, OFFICE, 1, at) == []
    assert call_next(state, OFFICE, 2, at) == []  # counter 2 serves B too
    assert call_next(state, OFFICE, 4, at) == []
    assert call_order(state, OFFICE, 3, at) == ["B001"]


def test_ticket_sent_to_a_counter_keeps_its_arrival_there() -> None:
    state = give_many(OFFICE, "B C C")
    at = NOW + 10 * MINUTE
    state = call(state, OFFICE, 1, at)

    state = run(state, transfer(state, OFFICE, 1, at, to_counter=2))

    assert call_order(state, OFFICE, 2, at) == ["B001", "C001", "C002"]


def test_ticket_sent_to_a_service_first_counter_goes_before_its_preferences() -> None:
    state = give_many(OFFICE, "B B C")
    at = NOW + 10 * MINUTE
    state = call(state, OFFICE, 3, at)

    state = run(state, transfer(state, OFFICE, 3, at, to_counter=4))

    # Counter 4 prefers B, but a colleague sent C001 to it on purpose.
    assert call_order(state, OFFICE, 4, at) == ["C001", "B001", "B002"]


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ({}, "bad_request"),
        ({"service": "C", "to_counter": 3}, "bad_request"),
        ({"service": "Z"}, "unknown_service"),
        ({"to_counter": 9}, "unknown_counter"),
    ],
)
def test_transfer_refusals(target: dict[str, Any], code: str) -> None:
    state = call(give_many(OFFICE, "A"), OFFICE, 1, NOW + MINUTE)

    assert refused(lambda: transfer(state, OFFICE, 1, NOW + 2 * MINUTE, **target)).code == code
    assert current_number(state, 1) == "A001"


def test_transfer_with_nobody_called_is_refused() -> None:
    state = give_many(OFFICE, "A")

    error = refused(lambda: transfer(state, OFFICE, 1, NOW, service="C"))

    assert error.code == "no_current_ticket"


# --- park -----------------------------------------------------------------------------


def parked_a001() -> tuple[QueueState, datetime]:
    """A001, A002, A003 wait; counter 1 calls A001, who steps aside, then calls A002."""
    state = give_many(OFFICE, "A A A")
    at = NOW + 10 * MINUTE
    state = call(state, OFFICE, 1, at)
    state = run(state, park(state, OFFICE, 1, at))
    state = call(state, OFFICE, 1, at)
    return state, at


def test_parked_ticket_steps_aside_and_frees_the_counter() -> None:
    state = call(give_many(OFFICE, "A"), OFFICE, 1, NOW + MINUTE)

    state = run(state, park(state, OFFICE, 1, NOW + 2 * MINUTE))

    assert ticket(state, "A001").status is TicketStatus.PARKED
    assert current_number(state, 1) is None


@pytest.mark.parametrize("back_after", [5, 120])
def test_parked_ticket_returns_to_its_place_at_the_same_counter(back_after: int) -> None:
    state, at = parked_a001()
    back = at + back_after * MINUTE

    events = return_ticket(state, OFFICE, 1, "A001", back)
    state = run(state, events)

    assert events[0].data["kept_place"] is True
    returned = ticket(state, "A001")
    assert (returned.status, returned.target_counter) == (TicketStatus.WAITING, 1)
    # Counter 4 serves A too, but the citizen goes back to the official who parked them.
    assert call_order(state, OFFICE, 4, back) == ["A003"]
    assert call_order(state, OFFICE, 1, back) == ["A001", "A003"]


# --- call a specific number -----------------------------------------------------------


def test_call_a_specific_number_out_of_order_with_a_reason() -> None:
    state = give_many(OFFICE, "A A A")
    at = NOW + 10 * MINUTE

    events = call_number(state, OFFICE, 1, "A003", "  Bổ sung hồ sơ xong  ", at)
    state = run(state, events)

    assert kinds(events) == [EventKind.CALLED_OUT_OF_ORDER]
    assert events[0].data == {"reason": "Bổ sung hồ sơ xong", "status_before": "waiting"}
    assert current_number(state, 1) == "A003"
    assert ticket(state, "A003").call_reason == "Bổ sung hồ sơ xong"
    assert call_order(state, OFFICE, 1, at) == ["A001", "A002"]


def test_calling_a_number_while_serving_finishes_the_current_citizen() -> None:
    state = call(give_many(OFFICE, "A A A"), OFFICE, 1, NOW + 5 * MINUTE)

    events = call_number(state, OFFICE, 1, "A003", "Người già đứng chờ lâu", NOW + 9 * MINUTE)
    state = run(state, events)

    assert kinds(events) == [EventKind.DONE, EventKind.CALLED_OUT_OF_ORDER]
    assert ticket(state, "A001").status is TicketStatus.DONE


@pytest.mark.parametrize("reason", ["", "   "])
def test_call_a_specific_number_needs_a_reason(reason: str) -> None:
    state = give_many(OFFICE, "A A")

    assert refused(lambda: call_number(state, OFFICE, 1, "A002", reason, NOW)).code == "bad_request"


def test_call_a_number_never_issued_is_not_found() -> None:
    state = give_many(OFFICE, "A A")

    error = refused(lambda: call_number(state, OFFICE, 1, "A999", "lý do", NOW))

    assert error.code == "not_found"


def test_call_a_number_served_at_another_counter_is_a_conflict() -> None:
    state = call(give_many(OFFICE, "B"), OFFICE, 1, NOW + MINUTE)

    error = refused(lambda: call_number(state, OFFICE, 2, "B001", "lý do", NOW + 2 * MINUTE))

    assert error.code == "conflict"
    assert current_number(state, 1) == "B001"


def test_call_a_finished_number_is_a_conflict() -> None:
    state = call(give_many(OFFICE, "A"), OFFICE, 1, NOW + MINUTE)
    state = run(state, done(state, OFFICE, 1, NOW + 2 * MINUTE))

    error = refused(lambda: call_number(state, OFFICE, 1, "A001", "lý do", NOW + 3 * MINUTE))

    assert error.code == "conflict"


def test_an_absent_ticket_can_be_called_directly() -> None:
    state, at = absent_a001(OFFICE)

    events = call_number(state, OFFICE, 2, "A001", "Công dân đã quay lại", at + 30 * MINUTE)
    state = run(state, events)

    assert events[-1].data["status_before"] == "absent"
    assert ticket(state, "A001").status is TicketStatus.CALLED
    assert current_number(state, 2) == "A001"


# --- pause, resume, done --------------------------------------------------------------


def test_pause_and_resume() -> None:
    state = fresh()

    paused = pause(state, OFFICE, 1, NOW)
    state = run(state, paused)
    assert kinds(paused) == [EventKind.PAUSED]
    assert state.counter_state(1).paused
    assert not state.counter_state(2).paused
    assert pause(state, OFFICE, 1, NOW + MINUTE) == []

    resumed = resume(state, OFFICE, 1, NOW + 2 * MINUTE)
    state = run(state, resumed)
    assert kinds(resumed) == [EventKind.RESUMED]
    assert not state.counter_state(1).paused
    assert resume(state, OFFICE, 1, NOW + 3 * MINUTE) == []


def test_done_records_the_time_and_frees_the_counter() -> None:
    state = call(give_many(OFFICE, "A A"), OFFICE, 1, NOW + 5 * MINUTE)
    finished_at = NOW + 17 * MINUTE

    state = run(state, done(state, OFFICE, 1, finished_at))

    finished = ticket(state, "A001")
    assert (finished.status, finished.finished_at) == (TicketStatus.DONE, finished_at)
    assert current_number(state, 1) is None
    # Nobody left to finish: the next call is only a call.
    assert kinds(call_next(state, OFFICE, 1, finished_at)) == [EventKind.CALLED]


def test_done_with_nobody_called_is_refused() -> None:
    assert refused(lambda: done(fresh(), OFFICE, 1, NOW)).code == "no_current_ticket"


# --- business days --------------------------------------------------------------------


def test_a_new_day_restarts_numbers_but_not_ticket_ids() -> None:
    state = give_many(OFFICE, "A A B")
    tomorrow = NOW + timedelta(days=1)

    state = roll_over(state, OFFICE, tomorrow)
    state = give(state, OFFICE, "A", tomorrow)

    assert state.day == date(2026, 11, 24)
    new = ticket(state, "A001")
    assert (new.id, new.day) == (4, date(2026, 11, 24))
    assert list(state.tickets) == [4]


def test_the_same_day_keeps_the_same_state() -> None:
    state = give_many(OFFICE, "A")

    assert roll_over(state, OFFICE, NOW + timedelta(hours=9)) is state


@pytest.mark.parametrize(
    ("utc_moment", "new_day"),
    [
        (datetime(2026, 11, 22, 23, 30, tzinfo=UTC), False),  # 06:30 on the 23rd in Hanoi
        (datetime(2026, 11, 23, 17, 30, tzinfo=UTC), True),  # 00:30 on the 24th in Hanoi
    ],
)
def test_the_business_day_is_the_offices_local_date(utc_moment: datetime, new_day: bool) -> None:
    state = give_many(OFFICE, "A")

    rolled = roll_over(state, OFFICE, utc_moment)

    assert (rolled is not state) is new_day


# --- replay ---------------------------------------------------------------------------


def test_replaying_the_days_log_rebuilds_the_day() -> None:
    office = make_office(PriorityMode.INTERLEAVE, every=2)
    state, log = fresh(), []
    t = NOW

    def act(events: list[Event]) -> None:
        nonlocal state, t
        log.extend(events)
        state = run(state, events)
        t += MINUTE

    for code, priority in [("A", None), ("B", None), ("A", "elderly"), ("C", None), ("B", None)]:
        act(issue(state, office, code, priority, t))
    act(call_next(state, office, 1, t))
    act(recall(state, office, 1, t))
    act(absent(state, office, 1, t))
    act(call_next(state, office, 1, t))
    act(transfer(state, office, 1, t, service="C"))
    act(call_next(state, office, 2, t))
    act(park(state, office, 2, t))
    act(pause(state, office, 3, t))
    act(call_next(state, office, 3, t))
    act(transfer(state, office, 3, t, to_counter=1))
    act(return_ticket(state, office, 1, "A002", t))
    act(return_ticket(state, office, 2, "A001", t + 30 * MINUTE))
    act(call_number(state, office, 4, "B002", "Hồ sơ gấp", t))
    act(done(state, office, 4, t))
    act(call_next(state, office, 1, t))

    assert len(state.tickets) == 5
    assert replay(DAY, log) == state
    stored = [Event.from_record(e.to_record()) for e in log]
    assert replay(DAY, stored) == state


# --- unknown counter ------------------------------------------------------------------

COUNTER_ACTIONS: dict[str, Callable[[QueueState, int], list[Event]]] = {
    "call_next": lambda s, c: call_next(s, OFFICE, c, NOW),
    "call_number": lambda s, c: call_number(s, OFFICE, c, "A001", "lý do", NOW),
    "recall": lambda s, c: recall(s, OFFICE, c, NOW),
    "absent": lambda s, c: absent(s, OFFICE, c, NOW),
    "park": lambda s, c: park(s, OFFICE, c, NOW),
    "done": lambda s, c: done(s, OFFICE, c, NOW),
    "transfer": lambda s, c: transfer(s, OFFICE, c, NOW, service="B"),
    "return_ticket": lambda s, c: return_ticket(s, OFFICE, c, "A001", NOW),
    "pause": lambda s, c: pause(s, OFFICE, c, NOW),
    "resume": lambda s, c: resume(s, OFFICE, c, NOW),
}


@pytest.mark.parametrize("action", COUNTER_ACTIONS.values(), ids=COUNTER_ACTIONS.keys())
def test_unknown_counter_is_refused(action: Callable[[QueueState, int], list[Event]]) -> None:
    state = give_many(OFFICE, "A")

    assert refused(lambda: action(state, 99)).code == "unknown_counter"


def test_people_ahead_are_counted_at_the_counters_that_call_now() -> None:
    # Review of issue 13: with counter 1 closed, A002 was told "1 ahead" (counter 1's
    # figure) while counter 4, the one open, calls every B first.
    state = give_many(OFFICE, "A A B B B")
    a002 = ticket(state, "A002")
    assert ahead_of(state, OFFICE, a002) == 1
    assert ahead_of(state, OFFICE, a002, {4}) == 4
    assert call_order(state, OFFICE, 4, NOW + 10 * MINUTE)[:5] == [
        "B001", "B002", "B003", "A001", "A002"]
    # No counter that may call it works now: where it stands anyway.
    assert ahead_of(state, OFFICE, a002, {3}) == 1
