"""The hall sees why a number comes before earlier ones (issue 15, part 5): an
appointment's call says "MỜI SỐ ĐẶT LỊCH HẸN"; a walk-in's call is as before."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from shared.server.booking_book import BookingBook
from tests.conftest import ThreadedServer
from tests.display.conftest import WAIT, MakeDisplay, act, issue
from tests.kiosk.test_check_in import OFFICE, booking, nine


@pytest.mark.parametrize(("office", "clock"), [(OFFICE, nine)], indirect=True)
def test_an_appointments_call_says_it_was_booked(
        qtbot: QtBot, server_thread: ThreadedServer, make_display: MakeDisplay,
        data_dir: Path) -> None:
    book = BookingBook(data_dir)
    book.take([booking("HEN0850", time(8, 50))], OFFICE, nine())
    book.close()
    rig = make_display(office=OFFICE)
    issue(server_thread, "A")  # A001, a walk-in at 09:00
    reply = server_thread.request("kiosk", "check_in", code="HEN0850")  # late but kept
    assert reply["ticket"]["number"] == "A002"

    act(server_thread, 1)
    qtbot.waitUntil(lambda: rig.window.call_panel.shown()[1:2] == ("A002",), timeout=WAIT)
    assert rig.window.call_panel.shown() == ("MỜI SỐ ĐẶT LỊCH HẸN", "A002", "đến", "Quầy 1")
    act(server_thread, 1)
    qtbot.waitUntil(lambda: rig.window.call_panel.shown()[1:2] == ("A001",), timeout=WAIT)
    assert rig.window.call_panel.shown()[0] == "MỜI SỐ"
