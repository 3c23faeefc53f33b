"""A kiosk whose file names another office says so in plain words, naming both offices
and the server's address, and never asks for the pairing code."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot

from kiosk.controller import Page
from kiosk.texts import EN
from shared.core.office import Office
from tests.conftest import ThreadedServer
from tests.kiosk.conftest import WAIT, MakeKiosk


def test_a_kiosk_with_another_offices_file_names_both_offices_and_asks_for_nothing(
    qtbot: QtBot, make_kiosk: MakeKiosk, server_thread: ThreadedServer, office: Office
) -> None:
    elsewhere = replace(office, id="xa-binh-an", name="UBND Xã Bình An")
    rig = make_kiosk(office=elsewhere, online=False)
    asked: list[str] = []
    rig.connection.refused.connect(asked.append)  # what makes the kiosk ask for a code

    qtbot.waitUntil(lambda: rig.controller.page is Page.WRONG_OFFICE, timeout=WAIT)

    notice = rig.controller.notice
    address = f"127.0.0.1:{server_thread.port}"
    for text in (notice.title, notice.body):
        assert "ghép nối" not in text  # not the pairing code's fault
    assert "UBND Xã Bình An" in notice.body
    assert office.name in notice.body
    assert address in notice.body
    assert any("UBND Xã Bình An" in text for text in rig.texts())
    assert asked == []
    rig.controller.toggle_language()
    assert rig.controller.notice.body.startswith("This machine is set up for the office")
    assert rig.controller.language == EN
