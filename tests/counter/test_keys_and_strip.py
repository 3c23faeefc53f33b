"""The function keys, the compact always-on-top strip, and remembering the choice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter.dialogs import SetAsideDialog, TransferDialog
from counter.queue_state import Action
from counter.strip import STRIP_FLAGS
from tests.counter.conftest import WAIT, OpenCounter

Issue = Callable[..., str]


def test_every_action_has_its_function_key_shown_on_its_button(
    open_counter: OpenCounter,
) -> None:
    counter = open_counter(1)

    keys = {action: button.key_label.text() for action, button in counter.window.buttons.items()}

    assert keys == {
        Action.CALL_NEXT: "F1", Action.RECALL: "F2", Action.DONE: "F3", Action.ABSENT: "F4",
        Action.PARK: "F5", Action.TRANSFER: "F6", Action.CALL: "F7", Action.PAUSE: "F8",
        Action.SET_ASIDE: "F9",
    }
    assert counter.window.buttons[Action.CALL_NEXT].text_label.text() == "Gọi số tiếp theo"
    park = counter.window.buttons[Action.PARK].text_label.text()
    assert park == "Chờ\u00a0bổ\u00a0sung hồ\u00a0sơ"  # no-break spaces keep words whole
    assert counter.window.shrink.key_label.text() == "F12"


def test_the_keys_work_wherever_the_focus_is_in_the_window(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue
) -> None:
    counter = open_counter(1)
    window = counter.window
    issue("A")
    issue("B")
    assert not window.buttons[Action.DONE].isEnabled()  # nobody at the counter yet

    counter.key(Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: counter.shown_number() == "A001", timeout=WAIT)
    counter.settle()
    assert window.buttons[Action.DONE].isEnabled()
    counter.key(Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.ticket.note.text() == "Đã gọi lại 1 lần", timeout=WAIT)
    counter.settle()
    counter.key(Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: counter.shown_number() == "—", timeout=WAIT)
    assert window.today.served.text() == "1"
    counter.settle()

    counter.key(Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: window.ticket.number.text() == "Tạm dừng", timeout=WAIT)
    assert window.buttons[Action.PAUSE].text_label.text() == "Tiếp tục"
    counter.settle()
    counter.key(Qt.Key.Key_F1)  # calling the next citizen opens the counter again
    qtbot.waitUntil(lambda: counter.shown_number() == "B001", timeout=WAIT)
    assert window.buttons[Action.PAUSE].text_label.text() == "Tạm dừng"
    counter.settle()

    counter.key(Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: counter.shown_number() == "—", timeout=WAIT)
    assert "chờ bổ sung hồ sơ" in counter.status()
    counter.settle()
    assert window.buttons[Action.SET_ASIDE].text_label.text() == "Vắng / chờ bổ\u00a0sung (1)"

    counter.key(Qt.Key.Key_F9)
    dialog = counter.shell.dialog
    assert isinstance(dialog, SetAsideDialog)
    assert dialog.table.item(0, 0).text() == "B001"
    assert dialog.table.item(0, 2).text() == "Chờ bổ sung hồ sơ"
    counter.key(Qt.Key.Key_Return, dialog)  # the citizen is back with the documents
    counter.settle()
    qtbot.waitUntil(lambda: dialog.tickets() == [], timeout=WAIT)
    counter.key(Qt.Key.Key_Escape, dialog)
    qtbot.waitUntil(lambda: counter.shell.dialog is None, timeout=WAIT)
    issue("A")
    counter.key(Qt.Key.Key_F1)  # back to the counter that parked it, at its place
    qtbot.waitUntil(lambda: counter.shown_number() == "B001", timeout=WAIT)
    counter.settle()

    counter.key(Qt.Key.Key_F6)
    assert isinstance(counter.shell.dialog, TransferDialog)
    counter.key(Qt.Key.Key_Escape, counter.shell.dialog)
    qtbot.waitUntil(lambda: counter.shell.dialog is None, timeout=WAIT)
    counter.key(Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: counter.shown_number() == "—", timeout=WAIT)
    counter.settle()
    counter.key(Qt.Key.Key_F6)  # nobody to transfer: no dialog
    assert counter.shell.dialog is None
    counter.key(Qt.Key.Key_F7)
    assert counter.shell.dialog is not None
    counter.key(Qt.Key.Key_Escape, counter.shell.dialog)
    qtbot.waitUntil(lambda: counter.shell.dialog is None, timeout=WAIT)


def test_a_key_pressed_twice_calls_one_citizen_not_two(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue
) -> None:
    counter = open_counter(1)
    issue("A")
    issue("A")

    counter.key(Qt.Key.Key_F1)
    counter.key(Qt.Key.Key_F1)  # before the server answered the first
    counter.settle()

    assert counter.shown_number() == "A001"
    qtbot.waitUntil(lambda: counter.window.waiting.rows["A"].text() == "1", timeout=WAIT)


def test_the_compact_strip_shows_works_and_is_remembered(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "remembered.ini"), QSettings.Format.IniFormat)
    counter = open_counter(1, settings=settings)
    strip = counter.shell.strip
    issue("A")
    issue("A")
    assert counter.window.isVisible()
    assert not strip.isVisible()

    qtbot.mouseClick(counter.window.shrink, Qt.MouseButton.LeftButton)

    assert strip.isVisible()
    assert not counter.window.isVisible()
    assert strip.windowFlags() & STRIP_FLAGS == STRIP_FLAGS  # on top, no frame
    assert strip.width() < 900
    assert strip.height() < 140
    qtbot.mouseClick(strip.buttons[Action.CALL_NEXT], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: strip.number.text() == "A001", timeout=WAIT)
    counter.settle()
    qtbot.mouseClick(strip.buttons[Action.RECALL], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Đã gọi lại số A001" in strip.status.text(), timeout=WAIT)
    counter.settle()
    qtbot.mouseClick(strip.buttons[Action.DONE], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: strip.number.text() == "—", timeout=WAIT)
    assert "chờ 1" in strip.detail.text()
    counter.settle()
    counter.key(Qt.Key.Key_F1)  # the keys work on the strip too
    qtbot.waitUntil(lambda: strip.number.text() == "A002", timeout=WAIT)
    counter.settle()
    counter.key(Qt.Key.Key_F6)  # and open their dialogs over it
    assert isinstance(counter.shell.dialog, TransferDialog)
    assert counter.shell.dialog.parent() is strip
    counter.shell.dialog.reject()
    qtbot.waitUntil(lambda: counter.shell.dialog is None, timeout=WAIT)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert not app.quitOnLastWindowClosed()  # closing that dialog does not end the program
    quits: list[bool] = []
    counter.shell.quit_requested.connect(lambda: quits.append(True))
    counter.program.close()
    assert quits == []  # closed by the program itself, not by the official

    again = open_counter(1, settings=settings)  # the next morning

    assert again.shell.strip.isVisible()
    assert not again.window.isVisible()
    qtbot.mouseClick(again.shell.strip.expand, Qt.MouseButton.LeftButton)
    assert again.window.isVisible()
    assert not again.shell.strip.isVisible()
    assert again.shown_number() == "A002"
    again.program.close()
    assert not open_counter(1, settings=settings).shell.strip.isVisible()


def test_compact_from_the_command_line_wins_over_the_remembered_choice(
    open_counter: OpenCounter, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "remembered.ini"), QSettings.Format.IniFormat)
    settings.setValue("compact", False)

    counter = open_counter(1, settings=settings, compact=True)

    assert counter.shell.strip.isVisible()
    assert not counter.window.isVisible()


def test_closing_either_form_ends_the_program(qtbot: QtBot, open_counter: OpenCounter) -> None:
    full = open_counter(1)
    with qtbot.waitSignal(full.shell.quit_requested, timeout=WAIT):
        full.window.close()

    compact = open_counter(2, compact=True)
    with qtbot.waitSignal(compact.shell.quit_requested, timeout=WAIT):
        compact.shell.strip.close()
