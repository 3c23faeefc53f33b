"""The words the counter uses for times: pure, no Qt, no server. (Today's figures
themselves are the server's: tests/shared/test_office_service.py.)"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest

from counter import wording
from shared.core import wire

HANOI = timezone(timedelta(hours=7))
NINE = datetime(2026, 11, 23, 9, 0, tzinfo=HANOI)


def ticket(number: str, status: str, counter: int | None = 1, **more: Any) -> wire.Ticket:
    return msgspec.convert({
        "number": number, "service": number[0], "service_name": number[0], "status": status,
        "counter": counter, "issued_at": NINE.isoformat(), "called_at": NINE.isoformat(),
        **more,
    }, wire.Ticket)


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
