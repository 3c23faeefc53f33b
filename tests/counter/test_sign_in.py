"""An official signs in at the counter program with their PIN (issue 12, part 1),
against the real office server: the badge, the dialog, a wrong PIN, the keyboard,
sign-out, and the log's calls carrying who made them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from counter.dialogs import SignInDialog
from counter.queue_state import Action
from shared.core import pin
from shared.core.config import load_office
from shared.core.office import Office, Official
from shared.server.devices import DeviceRegistry
from tests.conftest import ThreadedServer
from tests.counter.conftest import WAIT, OpenCounter

AN = Official("nguyen-van-an", "Nguyễn Văn An", "Chuyên viên")
BINH = Official("tran-thi-binh", "Trần Thị Bình")


@pytest.fixture
def office(request: pytest.FixtureRequest) -> Office:
    """The default office with two officials (or one given by indirect parametrization)."""
    return getattr(request, "param", None) or replace(load_office(), officials=(AN, BINH))


@pytest.fixture
def pins(server_thread: ThreadedServer, data_dir: Path) -> None:
    registry = DeviceRegistry(data_dir)  # beside the running server, as `motcua officials`
    registry.set_pin(AN.id, pin.hash_pin("2468"), datetime.now())
    registry.close()


def _dialog(counter: object) -> SignInDialog:
    dialog = counter.shell.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, SignInDialog)
    return dialog


@pytest.mark.usefixtures("pins")
def test_an_official_signs_in_with_the_keyboard_after_a_wrong_pin_and_signs_out(
        open_counter: OpenCounter, issue: Callable[..., str], data_dir: Path) -> None:
    one = open_counter(1)
    two = open_counter(2)
    badge = one.window.official
    assert badge.isVisibleTo(one.window)
    assert "Chưa có cán bộ đăng nhập" in badge.text()
    assert "F10" in badge.text()

    one.key(Qt.Key.Key_F10)
    one.qtbot.waitUntil(lambda: isinstance(one.shell.dialog, SignInDialog), timeout=WAIT)
    dialog = _dialog(one)
    one.qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    assert [dialog.names.item(i).text() for i in range(dialog.names.count())] == [
        "Nguyễn Văn An — Chuyên viên", "Trần Thị Bình"]
    assert dialog.chosen() is None  # nobody's tries are spent by mistake
    QTest.keyClick(dialog.names, Qt.Key.Key_Return)
    assert "Chọn tên của bạn" in dialog.problem.text()
    QTest.keyClicks(dialog.names, "Tr")  # the first letters of a name
    assert dialog.chosen() == BINH.id
    QTest.keyClick(dialog.names, Qt.Key.Key_Up)
    assert dialog.chosen() == AN.id
    QTest.keyClick(dialog.names, Qt.Key.Key_Return)  # Enter with no PIN: on to the PIN
    assert dialog.focusWidget() is dialog.pin
    QTest.keyClicks(dialog.pin, "1111")
    QTest.keyClick(dialog.pin, Qt.Key.Key_Return)
    one.qtbot.waitUntil(lambda: "Sai mã PIN" in dialog.problem.text(), timeout=WAIT)
    assert "còn 4 lần thử" in dialog.problem.text()
    assert dialog.isVisible()
    assert dialog.pin.text() == ""  # cleared for another try
    assert one.controller.official_here is None

    QTest.keyClicks(dialog.pin, "2468")
    QTest.keyClick(dialog.pin, Qt.Key.Key_Return)
    one.qtbot.waitUntil(lambda: one.shell.dialog is None, timeout=WAIT)
    one.qtbot.waitUntil(lambda: "Nguyễn Văn An" in badge.text(), timeout=WAIT)
    assert badge.text() == "Cán bộ: Nguyễn Văn An — Chuyên viên"
    assert "Nguyễn Văn An đã đăng nhập tại quầy 1" in one.status()
    # The other counters hear it too.
    two.qtbot.waitUntil(lambda: next(c for c in two.controller.counters
                                     if c.number == 1).official == AN.id, timeout=WAIT)

    issue("A")
    one.call_next("A001")
    with sqlite3.connect(data_dir / "motcua.sqlite") as db:
        kinds = db.execute("SELECT kind, json_extract(data, '$.official') FROM events "
                           "WHERE counter = 1 ORDER BY id").fetchall()
    assert kinds == [("signed_in", AN.id), ("called", AN.id)]

    one.shell.open_sign_in()
    dialog = _dialog(one)
    assert dialog.out is not None
    assert dialog.out.text() == "Đăng xuất Nguyễn Văn An"
    one.qtbot.mouseClick(dialog.out, Qt.MouseButton.LeftButton)
    one.qtbot.waitUntil(lambda: one.shell.dialog is None, timeout=WAIT)
    one.qtbot.waitUntil(lambda: "Chưa có cán bộ" in badge.text(), timeout=WAIT)


@pytest.mark.usefixtures("pins")
def test_an_official_without_a_pin_is_told_who_can_give_one(open_counter: OpenCounter) -> None:
    one = open_counter(1)
    one.shell.open_sign_in()
    dialog = _dialog(one)
    dialog.names.setCurrentRow(1)  # Trần Thị Bình: no PIN yet
    QTest.keyClicks(dialog.pin, "1234")
    QTest.keyClick(dialog.pin, Qt.Key.Key_Return)
    one.qtbot.waitUntil(lambda: "chưa có mã PIN" in dialog.problem.text(), timeout=WAIT)
    assert "motcua officials pin tran-thi-binh" in dialog.problem.text()
    QTest.keyClicks(dialog.pin, "12")  # too short: said here, nothing sent
    QTest.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert "4 đến 8 chữ số" in dialog.problem.text()
    assert not one.controller.busy


@pytest.mark.parametrize("office", [load_office()], indirect=True)
def test_an_office_without_officials_shows_no_sign_in(open_counter: OpenCounter) -> None:
    one = open_counter(1)
    assert not one.controller.can(Action.SIGN_IN)
    assert not one.window.official.isVisibleTo(one.window)
    one.shell.open_sign_in()
    assert one.shell.dialog is None


@pytest.mark.usefixtures("pins")
def test_giving_up_while_waiting_sends_nothing_again_and_offline_says_so(
        open_counter: OpenCounter, server_thread: ThreadedServer) -> None:
    one = open_counter(1)
    one.shell.open_sign_in()
    dialog = _dialog(one)
    QTest.keyClick(dialog.names, Qt.Key.Key_Down)
    QTest.keyClicks(dialog.pin, "2468")
    QTest.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert one.controller.busy  # sent, not answered yet
    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # the official gives up at once
    assert not one.controller.busy
    assert one.program.connection.pending == []  # not sent again after a reconnect
    one.qtbot.waitUntil(lambda: one.shell.dialog is None, timeout=WAIT)

    server_thread.call(server_thread.server.stop)  # the server goes away
    one.qtbot.waitUntil(lambda: not one.controller.online, timeout=WAIT)
    dialog = SignInDialog(one.controller, one.window)
    QTest.keyClick(dialog.names, Qt.Key.Key_Down)
    QTest.keyClicks(dialog.pin, "2468")
    dialog.accept()
    assert "Mất kết nối với máy chủ" in dialog.problem.text()
    assert not one.controller.busy
    dialog.deleteLater()
