"""The server drives time: a service that opens at 08:00 lights up on the kiosk within
a second of the office's clock passing 08:00, and a new day reaches it the same way,
with no timer in the kiosk."""

from __future__ import annotations

import dataclasses
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from kiosk.controller import Page
from shared.core.config import load_office
from shared.core.office import TimeWindow
from tests.kiosk.conftest import WAIT, MakeKiosk

SAMPLE = load_office()
MORNING = dataclasses.replace(SAMPLE, services=(
    dataclasses.replace(SAMPLE.services[0], hours=(TimeWindow(time(8), time(11)),)),
    *SAMPLE.services[1:],
))


class MovingClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 7, 59, 59, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock()


@pytest.mark.parametrize("office", [MORNING], indirect=True)
def test_a_service_opening_and_a_new_day_reach_the_kiosk_within_a_second(
    qtbot: QtBot, make_kiosk: MakeKiosk, clock: MovingClock
) -> None:
    rig = make_kiosk(office=MORNING)
    rig.controller.choose("field:TP")

    def service_a() -> tuple[bool, str]:
        found = next(i for i in rig.controller.menu.items if i.key == "service:A")
        return found.enabled, found.detail

    enabled, detail = service_a()
    assert not enabled
    assert "08:00–11:00" in detail

    clock.now += timedelta(seconds=2)  # 08:00:01
    qtbot.waitUntil(lambda: service_a()[0], timeout=1000)
    assert service_a()[1].lower().endswith("chờ:\u00a00")  # (no counter serves it yet)

    clock.now += timedelta(hours=3)  # 11:00:01: closed again
    qtbot.waitUntil(lambda: not service_a()[0], timeout=1000)

    rig.controller.choose("service:B")  # a number today …
    qtbot.waitUntil(lambda: rig.controller.page is Page.TICKET, timeout=WAIT)
    rig.controller.go_home()
    clock.now += timedelta(days=1)  # … and the next morning the counts start afresh
    rig.controller.choose("field:TP")
    qtbot.waitUntil(
        lambda: next(i for i in rig.controller.menu.items if i.key == "service:B").detail
        .lower().endswith("chờ:\u00a00"), timeout=1000)
