"""A kiosk started with no office file of its own shows the server's office: its name,
its services and why one of them is closed, in both languages."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from kiosk.controller import Page
from shared.core.config import load_office
from shared.core.office import TimeWindow
from tests.kiosk.conftest import WAIT, MakeKiosk

SAMPLE = load_office()  # what a kiosk with no file of its own starts with
SERVER_OFFICE = dataclasses.replace(
    SAMPLE,
    id="phuong-ben-thanh",
    name="UBND Phường Bến Thành",
    services=(
        dataclasses.replace(SAMPLE.services[0], name="Hộ tịch – Khai sinh",
                            name_en="Civil status – Births",
                            hours=(TimeWindow(time(0, 0), time(0, 1)),)),
        *SAMPLE.services[1:],
    ),
)


@pytest.fixture
def clock() -> Callable[[], datetime]:
    """10:00 at the office, whatever the hour of the test run."""
    return lambda: datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo(SERVER_OFFICE.timezone))


@pytest.mark.parametrize("office", [SERVER_OFFICE], indirect=True)
def test_a_kiosk_without_a_file_shows_the_servers_office(
    qtbot: QtBot, make_kiosk: MakeKiosk
) -> None:
    rig = make_kiosk(office=SAMPLE, own_file=False)
    qtbot.waitUntil(lambda: rig.controller.office_name == "UBND Phường Bến Thành",
                    timeout=WAIT)
    rig.controller.choose("field:TP")
    first = rig.controller.menu.items[0]
    assert first.title == "Hộ tịch – Khai sinh"
    assert not first.enabled
    assert first.detail == "Ngoài giờ cấp số. Giờ cấp số: 00:00–00:01."
    assert any("UBND Phường Bến Thành" in text for text in rig.texts())
    rig.controller.toggle_language()
    first = rig.controller.menu.items[0]
    assert (first.title, first.detail) == (
        "Civil status – Births", "Outside issuing hours. Numbers are given 00:00–00:01.")
    assert rig.controller.page is Page.MENU
