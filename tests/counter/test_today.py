"""Today's tally at a counter and the words the counter uses: pure, no Qt, no server."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest

from counter import wording
from counter.today import DayTally
from shared.core import wire

HANOI = timezone(timedelta(hours=7))
NINE = datetime(2026, 11, 23, 9, 0, tzinfo=HANOI)


def ticket(number: str, status: str, counter: int | None = 1, **more: Any) -> wire.Ticket:
    return msgspec.convert({
        "number": number, "service": number[0], "service_name": number[0], "status": status,
        "counter": counter, "issued_at": NINE.isoformat(), "called_at": NINE.isoformat(),
        **more,
    }, wire.Ticket)


def test_served_and_absent_count_what_each_ticket_is_now_at_this_counter() -> None:
    tally = DayTally(1)

    tally.see(ticket("A001", "called"), NINE)
    tally.see(ticket("A001", "done"), NINE + timedelta(minutes=6))
    tally.see(ticket("A001", "done"), NINE + timedelta(minutes=9))  # the event after the reply
    tally.see(ticket("A002", "absent"), NINE)
    tally.see(ticket("B001", "done", counter=2), NINE + timedelta(minutes=1))
    tally.see(ticket("A003", "done"), NINE + timedelta(minutes=4))

    assert tally.today.served == 2
    assert tally.today.absent == 1
    assert tally.today.average_seconds == 300  # 6 and 4 minutes

    tally.see(ticket("A002", "waiting"), NINE)  # brought back into the queue
    assert tally.today.absent == 0


def test_the_servers_figure_is_the_baseline_and_events_move_it_on() -> None:
    tally = DayTally(3)
    tally.adopt(wire.CounterDay(served=10, absent=2, average_service_seconds=420))
    tally.know(ticket("C004", "absent", counter=3))

    tally.see(ticket("C004", "called", counter=3), NINE)  # a specific call brings it back
    tally.see(ticket("C004", "done", counter=3), NINE + timedelta(minutes=2, seconds=20))

    assert (tally.today.served, tally.today.absent) == (11, 1)
    assert tally.today.average_seconds == pytest.approx((420 * 10 + 140) / 11)
    tally.reset()
    assert (tally.today.served, tally.today.absent, tally.today.average_seconds) == (0, 0, None)


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0:00"), (42, "0:42"), (725, "12:05"), (3723, "1:02:03"), (-5, "0:00"),
])
def test_the_running_clock(seconds: int, text: str) -> None:
    assert wording.elapsed_text(seconds) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "—"), (44.6, "45 giây"), (390, "6 phút 30 giây"), (360, "6 phút"),
    (61, "1 phút 01 giây"),
])
def test_the_mean_service_time_in_words(seconds: float | None, text: str) -> None:
    assert wording.duration_text(seconds) == text
