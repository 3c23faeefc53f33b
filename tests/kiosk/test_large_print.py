"""The large-print mode (issue 16): one touch makes every word bigger, light on black;
buttons that no longer fit come a page at a time; the next citizen gets the usual
print back. Checked on what a citizen sees: type sizes, the screen's pixels, and a
ticket issued from the second page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.controller import Page
from tests.conftest import ThreadedServer
from tests.kiosk.conftest import WAIT, MakeKiosk, tap
from tests.kiosk.rig import KioskRig
from tests.kiosk.test_kiosk import menu_titles, ticket_on_screen


def background(rig: KioskRig) -> QColor:
    """The colour of the page behind the buttons, as painted."""
    page = rig.window.menu_page
    shot = rig.window.grab().toImage()
    corner = page.mapTo(rig.window, page.rect().bottomLeft())  # below every button
    return shot.pixelColor(corner.x() + 4, corner.y() - 4)


def title_px(rig: KioskRig) -> int:
    return rig.window.menu_page.title.fontInfo().pixelSize()


def test_one_touch_gives_large_light_on_black_print_and_the_next_citizen_the_usual(
    qtbot: QtBot, make_kiosk: MakeKiosk, open_hall: object,
) -> None:
    rig = make_kiosk(size=(1920, 1080))
    switch = rig.window.header.large_print
    usual_px, usual_background = title_px(rig), background(rig)
    assert switch.text() == "Chữ lớn"
    assert usual_background.lightness() > 200

    tap(qtbot, switch)
    qtbot.waitUntil(lambda: title_px(rig) >= round(usual_px * 1.25), timeout=WAIT)
    assert background(rig).lightness() < 20
    assert switch.text() == "Chữ thường"  # the same button takes it back

    rig.controller.choose("field:TP")
    rig.controller.press_service("A")
    ticket_on_screen(qtbot, rig)
    rig.clock.advance(60)
    rig.controller.dismiss()  # this citizen is done: the next one starts as usual
    qtbot.waitUntil(lambda: title_px(rig) == usual_px, timeout=WAIT)
    assert background(rig).lightness() > 200
    assert switch.text() == "Chữ lớn"


def test_services_that_do_not_fit_come_a_page_at_a_time(
    qtbot: QtBot, make_kiosk: MakeKiosk, server_thread: ThreadedServer, open_hall: object,
) -> None:
    rig = make_kiosk(size=(1280, 720))
    page = rig.window.menu_page
    rig.controller.choose("priority")
    rig.controller.choose("category:pregnant")
    every_service = menu_titles(rig)
    assert len(every_service) == 6  # all fit in the usual print
    assert not page.page_turn.isVisible()

    QTest.keyClick(rig.window, Qt.Key.Key_F3)  # the keyboard's way to the large print
    qtbot.waitUntil(lambda: page.page_turn.isVisible(), timeout=WAIT)
    first = menu_titles(rig)
    assert 0 < len(first) < 6
    pages = int(page.page_turn.text().split("/")[1].split()[0])
    assert page.page_turn.text() == f"Trang 1/{pages}  ›"

    seen = list(first)
    for _ in range(pages - 1):
        tap(qtbot, page.page_turn)
        seen += menu_titles(rig)
    assert seen == every_service  # each service on one page, in the office's order
    assert page.page_turn.text() == "‹  Về trang 1"  # the last page leads back to the first

    last = list(page.buttons.values())[-1]
    tap(qtbot, last)
    number = ticket_on_screen(qtbot, rig)
    assert number.startswith(last.key.removeprefix("service:"))
    assert rig.controller.page is Page.TICKET
    rig.clock.advance(60)
    rig.controller.dismiss()  # the next citizen: the usual print, then the large again
    rig.controller.toggle_large_print()
    rig.controller.choose("priority")
    rig.controller.choose("category:pregnant")
    qtbot.waitUntil(lambda: page.page_turn.isVisible(), timeout=WAIT)
    for _ in range(pages - 1):
        tap(qtbot, page.page_turn)
    tap(qtbot, page.page_turn)  # past the last page: the first again
    assert menu_titles(rig) == first
