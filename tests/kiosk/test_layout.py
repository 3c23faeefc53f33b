"""The kiosk's screen in both orientations it is designed for, and its kiosk-mode manners:
buttons side by side in landscape and stacked in portrait, the number huge but never
cut off, long names wrapped, and nothing a citizen touches closes the window."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.controller import Page
from kiosk.style import grid_columns
from kiosk.window import KioskWindow
from shared.core.config import load_office
from shared.core.office import Office
from tests.kiosk.conftest import WAIT, MakeKiosk
from tests.kiosk.rig import KioskRig
from tests.layout_check import problems

LANDSCAPE, PORTRAIT = (1920, 1080), (1080, 1920)
LONG_NAME = ("Chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, "
             "giao dịch liên quan đến quyền sử dụng đất và nhà ở")


def field_positions(rig: KioskRig) -> list[tuple[int, int]]:
    return [(b.x(), b.y()) for b in rig.window.menu_page.buttons.values()]


def test_fields_side_by_side_in_landscape_and_stacked_in_portrait(
    qtbot: QtBot, make_kiosk: MakeKiosk,
) -> None:
    rig = make_kiosk(size=LANDSCAPE)

    def in_a_row() -> None:
        places = field_positions(rig)
        assert len({y for _, y in places}) == 1
        assert [x for x, _ in places] == sorted(x for x, _ in places)

    def in_a_column() -> None:
        places = field_positions(rig)
        assert len({x for x, _ in places}) == 1
        assert [y for _, y in places] == sorted(y for _, y in places)

    qtbot.waitUntil(in_a_row, timeout=WAIT)
    rig.window.resize(*PORTRAIT)
    qtbot.waitUntil(in_a_column, timeout=WAIT)
    for button in rig.window.menu_page.buttons.values():
        assert button.width() > PORTRAIT[0] * 0.8  # a wide target for a finger


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT])
def test_the_number_is_huge_and_never_cut_off(
    qtbot: QtBot, make_kiosk: MakeKiosk, size: tuple[int, int],
) -> None:
    rig = make_kiosk(size=size)
    rig.controller.choose("field:XH")
    rig.controller.press_service("E")
    qtbot.waitUntil(lambda: rig.controller.page is Page.TICKET, timeout=WAIT)
    number = rig.window.ticket_page.number

    ink = QFontMetrics(number.font()).horizontalAdvance(number.text())
    assert number.text() == "E001"
    assert number.font().pixelSize() >= 200
    assert ink <= number.contentsRect().width()
    others = [rig.window.ticket_page.service, rig.window.ticket_page.ahead]
    assert all(number.font().pixelSize() > 3 * label.fontInfo().pixelSize()
               for label in others)


def office_with_a_long_name() -> Office:
    office = load_office()
    return replace(office, services=(replace(office.services[0], name=LONG_NAME),
                                     *office.services[1:]))


@pytest.mark.parametrize("office", [office_with_a_long_name()], indirect=True)
def test_a_long_service_name_wraps_instead_of_being_cut(make_kiosk: MakeKiosk) -> None:
    rig = make_kiosk(size=PORTRAIT)
    rig.controller.choose("field:TP")
    title = rig.window.menu_page.buttons["service:A"].title
    rig.window.grab()  # lay everything out as it would be painted

    assert title.text() == LONG_NAME
    assert QFontMetrics(title.font()).horizontalAdvance(LONG_NAME) > title.width()
    assert title.height() >= title.heightForWidth(title.width())  # every line shows


@pytest.mark.parametrize(("count", "landscape", "portrait"), [
    (2, 2, 1), (3, 3, 1), (4, 2, 1), (6, 3, 2), (9, 3, 2), (12, 4, 2), (20, 4, 3),
])
def test_grid_columns_follow_the_screen_shape(count: int, landscape: int,
                                              portrait: int) -> None:
    assert grid_columns(count, *LANDSCAPE) == landscape
    assert grid_columns(count, *PORTRAIT) == portrait


def test_in_kiosk_mode_only_the_operator_key_closes_the_window(
    qtbot: QtBot, make_kiosk: MakeKiosk,
) -> None:
    rig = make_kiosk()
    window = KioskWindow(rig.controller, kiosk_mode=True)
    qtbot.addWidget(window)
    window.show()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint

    window.close()  # what a window manager's close, or Alt+F4, asks for
    assert window.isVisible()

    with qtbot.waitSignal(window.quit_requested, timeout=WAIT):
        QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.AltModifier)
    assert not window.isVisible()


# --- no text cut or overlapping, at every size a kiosk is run at (issue 16) ------------

KIOSK_SIZES = [(384, 1080), (1024, 600), (1280, 720), (1366, 768), (1920, 1080),
               (1080, 1920), (768, 1366), (800, 1280), (3840, 2160)]  # the demo's column first


def _every_screen(rig: KioskRig) -> Iterator[str]:
    """Walk the kiosk through each of its screens; yield each one's name once shown."""
    controller = rig.controller
    controller.go_home()
    yield "start"
    for field in ("TP", "DD", "XH"):
        controller.go_home()
        controller.choose(f"field:{field}")
        yield f"field {field}"
    controller.go_home()
    controller.choose("priority")
    yield "priority categories"
    controller.choose("category:pregnant")
    yield "priority services"
    controller.go_home()
    controller.choose("field:TP")
    rig.clock.advance(60)
    controller.press_service("A")
    yield "ticket"
    controller.go_home()


@pytest.mark.parametrize("print_size", ["usual", "large"])
@pytest.mark.parametrize("size", KIOSK_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_text_is_cut_or_overlaps_at_any_size(
    qtbot: QtBot, make_kiosk: MakeKiosk, size: tuple[int, int], print_size: str,
) -> None:
    rig = make_kiosk(size=size)
    found: list[str] = []
    for language in ("vi", "en"):
        rig.controller.go_home(next_citizen=True)
        if language == "en":
            rig.controller.toggle_language()
        if print_size == "large":
            rig.controller.toggle_large_print()
        for screen in _every_screen(rig):
            if screen == "ticket":
                qtbot.waitUntil(lambda: rig.controller.page is Page.TICKET, timeout=WAIT)
            for _ in range(3):  # the layouts settle (a layout done can ask for another)
                QApplication.processEvents()
            found += [f"{language}, {screen}: {problem}" for problem in problems(rig.window)]
    assert found == [], "\n".join(found)


def test_the_priority_button_names_every_category_in_full(make_kiosk: MakeKiosk) -> None:
    rig = make_kiosk(size=(384, 1080))
    detail = rig.window.menu_page.priority.detail.text().replace("\u00a0", " ")
    assert detail == ("Người cao tuổi · Người khuyết tật · Phụ nữ mang thai · "
                      "Người có công với cách mạng")
    assert "…" not in detail
