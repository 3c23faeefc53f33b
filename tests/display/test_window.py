"""The screen itself: its layouts, its strips, its notice line, its keys, its pairing."""

from __future__ import annotations

import dataclasses
import socket

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from display.window import DisplayWindow
from shared.core.config import load_office
from tests.conftest import ThreadedServer
from tests.display.conftest import WAIT, MakeDisplay, act, issue


def main_panels(window: DisplayWindow) -> list[QWidget]:
    return [window.call_panel, window.board, window.recent, window.waiting]


def assert_tidy(window: DisplayWindow) -> None:
    """Every panel inside the window, below the header, none over another."""
    inside = QRect(0, 0, window.width(), window.height())
    rects = [p.geometry() for p in main_panels(window)]
    for rect in rects:
        assert inside.contains(rect), rect
        assert rect.top() >= window.header.geometry().bottom()
        assert rect.bottom() <= window.ticker.geometry().top()
    for index, rect in enumerate(rects):
        assert not any(rect.intersects(other) for other in rects[index + 1:])


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_a_landscape_tv_shows_the_call_beside_the_counters(
    qtbot: QtBot, make_display: MakeDisplay, size: tuple[int, int]
) -> None:
    window = make_display().window
    window.resize(*size)
    qtbot.waitUntil(lambda: window.call_panel.width() > 0 and window.width() == size[0])
    assert not window.portrait
    assert_tidy(window)
    call, board, recent, waiting = (p.geometry() for p in main_panels(window))
    assert call.right() < board.left()
    assert call.top() == board.top()
    assert recent.top() > call.bottom()
    assert waiting.top() > board.bottom()
    # The newest call is the largest thing on the screen after the counters' board.
    assert call.width() * call.height() > recent.width() * recent.height()


def test_a_tv_on_its_side_stacks_the_panels(qtbot: QtBot, make_display: MakeDisplay) -> None:
    window = make_display().window
    window.resize(1080, 1920)
    qtbot.waitUntil(lambda: window.height() == 1920)
    assert window.portrait
    assert_tidy(window)
    tops = [p.geometry().top() for p in main_panels(window)]
    assert tops == sorted(tops)
    assert {p.geometry().width() for p in main_panels(window)} == {window.call_panel.width()}


def test_portrait_can_be_forced(qtbot: QtBot, make_display: MakeDisplay) -> None:
    window = make_display(portrait=True).window
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.width() == 1920)
    assert window.portrait
    assert window.board.geometry().top() > window.call_panel.geometry().bottom()


def test_before_the_server_answers_the_screen_says_it_is_connecting(
    qtbot: QtBot, make_display: MakeDisplay, server_thread: ThreadedServer
) -> None:
    rig = make_display(connect=False)
    # The office's own configuration names the hall until the server answers.
    assert rig.window.header.shown()[0] == "UBND Phường Mẫu"
    assert rig.window.banner.text() in ("Đang kết nối máy chủ…", "")
    qtbot.waitUntil(lambda: not rig.window.banner.isVisible(), timeout=WAIT)


def test_a_server_that_is_not_there_shows_connecting_not_a_blank_screen(
    qtbot: QtBot, make_display: MakeDisplay
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nowhere = int(probe.getsockname()[1])
    rig = make_display(connect=False)
    rig.program.connection.connect_to("127.0.0.1", nowhere)
    qtbot.waitUntil(lambda: rig.window.banner.isVisible(), timeout=WAIT)
    assert rig.window.banner.text() == "Đang kết nối máy chủ…"
    assert [name for name, _ in rig.window.board.shown()] == ["Quầy 1", "Quầy 2", "Quầy 3",
                                                               "Quầy 4"]


def test_a_refused_pairing_code_is_asked_for_and_then_works(
    qtbot: QtBot, server_thread: ThreadedServer, make_display: MakeDisplay
) -> None:
    asked: list[str] = []

    def ask(parent: QWidget | None, problem: str) -> str | None:
        asked.append(problem)
        return server_thread.secret

    rig = make_display(connect=False, ask_code=ask, remember_code=lambda code: code)
    rig.program.connection.close()
    rig.program.connection.set_secret("AAAA-AAAA-AAAA-AAAA")
    rig.program.connection.connect_to("127.0.0.1", server_thread.port)
    qtbot.waitUntil(lambda: rig.program.connection.is_online, timeout=WAIT)
    assert len(asked) == 1
    assert asked[0].startswith("Máy chủ từ chối kết nối")
    assert not rig.window.banner.isVisible()


def test_without_a_pairing_code_the_screen_says_what_to_do(
    qtbot: QtBot, make_display: MakeDisplay
) -> None:
    rig = make_display(connect=False, ask_code=lambda parent, problem: None)
    rig.program.connection.close()
    rig.program.join.ask_for_code("")
    assert rig.window.banner.text() == "Chưa có mã ghép nối — khởi động lại với --pairing-code"
    assert "--pairing-code" in rig.window.banner.text()


def test_the_notice_scrolls(qtbot: QtBot, make_display: MakeDisplay) -> None:
    window = make_display().window
    assert window.ticker.isVisible()
    assert window.ticker.text() == "Công dân vui lòng lấy số thứ tự và chờ đến lượt."
    start = window.ticker.offset
    qtbot.waitUntil(lambda: window.ticker.offset > start + 20, timeout=WAIT)


@pytest.mark.parametrize("office", [dataclasses.replace(load_office(), notice="")],
                         indirect=True)
def test_an_office_whose_server_has_no_notice_has_no_line(
    qtbot: QtBot, make_display: MakeDisplay
) -> None:
    # The display's own file has the sample's notice: the server's word wins.
    window = make_display(office=load_office()).window
    qtbot.waitUntil(lambda: not window.ticker.isVisible(), timeout=WAIT)
    assert window.ticker.text() == ""
    assert window.waiting.geometry().bottom() > window.height() - 100


def test_ctrl_q_asks_to_quit_and_f11_leaves_and_enters_full_screen(
    qtbot: QtBot, make_display: MakeDisplay
) -> None:
    window = make_display().window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.toggle_full_screen()
    qtbot.waitUntil(window.isFullScreen)
    assert window.cursor().shape() == Qt.CursorShape.BlankCursor
    QTest.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.cursor().shape() != Qt.CursorShape.BlankCursor
    QTest.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    with qtbot.waitSignal(window.quit_requested, timeout=WAIT):
        QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)


def test_a_fresh_call_lights_its_counter_in_the_board(
    qtbot: QtBot, server_thread: ThreadedServer, make_display: MakeDisplay
) -> None:
    rig = make_display()
    assert rig.window.board.lit() is None
    assert rig.window.call_panel.shown() == ("Vui lòng chờ gọi số",)
    issue(server_thread, "C")
    act(server_thread, 3)
    qtbot.waitUntil(lambda: rig.window.board.lit() == 3, timeout=WAIT)
    assert rig.window.call_panel.highlighted
