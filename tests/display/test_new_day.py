"""The next morning the hall display does not show yesterday's numbers."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import ThreadedServer
from tests.display.conftest import WAIT, MakeDisplay, act, issue


class MovingClock:
    """The office's time, for the server and the display alike; moved by the test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 16, 50, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock()


def test_at_a_new_business_day_the_server_gives_the_display_the_fresh_hall_within_a_second(
    qtbot: QtBot, server_thread: ThreadedServer, make_display: MakeDisplay, clock: MovingClock
) -> None:
    rig = make_display(clock=clock)
    issue(server_thread, "A")
    act(server_thread, 1)
    qtbot.waitUntil(lambda: ("Quầy 1", "A001") in rig.window.board.shown(), timeout=WAIT)
    assert rig.controller.hall.business_day == "2026-11-23"

    clock.now += timedelta(days=1)  # 16:50 the next day, a Tuesday
    # No timer of the display's own: the server publishes the new day as it begins.
    qtbot.waitUntil(lambda: rig.controller.hall.business_day == "2026-11-24", timeout=1000)
    assert ("Quầy 1", "—") in rig.window.board.shown()
    assert rig.window.recent.shown() == []
    assert rig.window.call_panel.shown() == ("Vui lòng chờ gọi số",)
    qtbot.waitUntil(lambda: rig.window.header.shown()[1] == "Thứ Ba, 24/11/2026", timeout=WAIT)
    assert rig.heard.of("queued") == ["1-call-A001-1"]  # the new day said nothing
