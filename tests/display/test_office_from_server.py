"""A display started with no office file of its own follows the server's office: its
reading rules, its template, its notice, its time zone and its list length."""

from __future__ import annotations

import dataclasses

import pytest
from pytestqt.qtbot import QtBot

from shared.core.config import load_office
from shared.core.link import Link
from shared.core.office import Announcement, Display, Office, Reading
from shared.core.reading import announcement_text
from tests.conftest import ThreadedServer
from tests.display.conftest import WAIT, MakeDisplay, act, issue

SAMPLE = load_office()  # what a display with no file of its own starts with
SERVER_OFFICE = dataclasses.replace(
    SAMPLE,
    id="phuong-ben-thanh",
    name="UBND Phường Bến Thành",
    timezone="Asia/Bangkok",
    notice="Bộ phận một cửa làm việc cả sáng thứ Bảy.",
    announcement=Announcement(
        template="Mời công dân số {number} đến quầy {counter}",
        reading=Reading.WHOLE, southern=True, repeat=1,
    ),
    display=Display(recent_calls=3, highlight_seconds=5.0),
)


@pytest.mark.parametrize("office", [SERVER_OFFICE], indirect=True)
def test_a_display_without_a_file_speaks_and_shows_as_the_servers_office_says(
    qtbot: QtBot, make_display: MakeDisplay, server_thread: ThreadedServer, office: Office
) -> None:
    rig = make_display(office=SAMPLE, configured=False)
    said: list[str] = []
    rig.announcer.queued.connect(lambda job, text: said.append(text))
    qtbot.waitUntil(lambda: rig.window.ticker.text() == SERVER_OFFICE.notice, timeout=WAIT)

    issue(server_thread, "A", "A")
    act(server_thread, 1)
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT)

    counter = SERVER_OFFICE.counter(1)
    assert counter is not None
    assert said == [announcement_text(SERVER_OFFICE.announcement, "A001", counter)]
    assert said[0].startswith("Mời công dân số a một đến quầy")  # whole reading: "một"
    assert said[0] != announcement_text(SAMPLE.announcement, "A001", counter)
    assert rig.announcer.announcement.repeat == 1
    assert rig.program.office.timezone == "Asia/Bangkok"
    assert rig.controller.recent_count == 3
    assert rig.window.ticker.isVisible()


def test_a_display_of_another_office_says_so_in_its_banner(
    qtbot: QtBot, make_display: MakeDisplay, server_thread: ThreadedServer
) -> None:
    elsewhere = dataclasses.replace(SAMPLE, id="xa-binh-an", name="UBND Xã Bình An")
    rig = make_display(office=elsewhere, connect=False, office_id=elsewhere.id)
    qtbot.waitUntil(lambda: rig.controller.link is Link.WRONG_OFFICE, timeout=WAIT)
    assert "UBND Xã Bình An" in rig.controller.banner
    assert f"127.0.0.1:{server_thread.port}" in rig.controller.banner
