"""Each action at the counter has exactly the effect the server reports.

Two or three real counter programs against one real server; tickets are taken as a
kiosk takes them. Counters of the sample ward: 1 serves A and B, 2 serves B and A,
3 serves C and D.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from counter.dialogs import CallNumberDialog, SetAsideDialog, TransferDialog
from counter.queue_state import Action
from shared.core import wire
from shared.core.events import EventKind
from shared.qt.connection import ServerConnection
from tests.conftest import ThreadedServer
from tests.counter.conftest import WAIT, OpenCounter

Issue = Callable[..., str]


def waiting_shown(counter: Any) -> dict[str, str]:
    return {code: label.text() for code, label in counter.window.waiting.rows.items()}


def test_call_next_takes_the_first_come_ticket_of_this_counters_services_only(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue
) -> None:
    first, land = open_counter(1), open_counter(3)
    for service in "CABDA":
        issue(service)
    qtbot.waitUntil(lambda: waiting_shown(first) == {"A": "2", "B": "1"}, timeout=WAIT)
    assert waiting_shown(land) == {"C": "1", "D": "1"}

    first.call_next("A001")  # C001 came first, but counter 1 does not serve C
    land.call_next("C001")
    first.call_next("B001")
    land.call_next("D001")
    first.call_next("A002")

    assert first.window.ticket.service.text() == "Tư pháp – Hộ tịch"
    assert "Đã hoàn thành số B001" in first.status()
    qtbot.waitUntil(lambda: waiting_shown(first) == {"A": "0", "B": "0"}, timeout=WAIT)
    land.click(Action.CALL_NEXT)
    qtbot.waitUntil(lambda: land.shown_number() == "—", timeout=WAIT)
    assert "Không còn công dân nào chờ" in land.status()


def test_recall_announces_the_same_ticket_again(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue, server_thread: ThreadedServer
) -> None:
    counter = open_counter(1)
    hall = ServerConnection("display", "test-hall-display", server_thread.secret)
    try:
        with qtbot.waitSignal(hall.online, timeout=WAIT):
            hall.connect_to("127.0.0.1", server_thread.port)
        issue("A")
        counter.call_next("A001")

        with qtbot.waitSignal(
            hall.event_received, timeout=WAIT,
            check_params_cb=lambda m: isinstance(m, wire.TicketCalled) and m.recall,
        ) as announced:
            counter.click(Action.RECALL)
    finally:
        hall.close()

    assert announced.args[0].ticket.number == "A001"
    assert announced.args[0].counter == 1
    assert counter.shown_number() == "A001"
    assert counter.window.ticket.note.text() == "Đã gọi lại 1 lần"
    assert counter.status().endswith("Đã gọi lại số A001 (lần 1).")


def test_absent_then_return_puts_the_ticket_back_at_its_original_place(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue
) -> None:
    first, second = open_counter(1), open_counter(2)
    for _ in range(3):
        issue("A")
    first.call_next("A001")
    first.click(Action.ABSENT)
    assert first.shown_number() == "—"
    assert first.window.today.absent.text() == "1"
    second.call_next("A002")  # the absent citizen is not in the queue

    first.click(Action.SET_ASIDE)
    dialog = first.shell.dialog
    assert isinstance(dialog, SetAsideDialog)
    assert [t.number for t in dialog.tickets()] == ["A001"]
    assert dialog.table.item(0, 2).text() == "Vắng mặt"
    dialog.select("A001")
    qtbot.mouseClick(dialog.back, Qt.MouseButton.LeftButton)
    first.settle()
    qtbot.waitUntil(lambda: dialog.tickets() == [], timeout=WAIT)
    assert "Đã đưa số A001 trở lại hàng chờ (được gọi tiếp theo)" in dialog.status.text()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: first.shell.dialog is None, timeout=WAIT)

    first.call_next("A001")  # before A003, which came after it
    second.call_next("A003")
    assert first.window.today.absent.text() == "0"  # back in the queue, then called


def test_transfer_to_a_service_keeps_the_original_arrival(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue
) -> None:
    first, land = open_counter(1), open_counter(3)
    issue("A")
    issue("C")
    issue("C")
    first.call_next("A001")

    first.click(Action.TRANSFER)
    dialog = first.shell.dialog
    assert isinstance(dialog, TransferDialog)
    assert dialog.windowTitle() == "Chuyển công dân"
    offered = [dialog.services.item(i).text()[0] for i in range(dialog.services.count())]
    assert offered == ["B", "C", "D", "E", "F"]  # not A, where it already is
    assert not dialog.ok.isEnabled()
    dialog.services.setCurrentRow(offered.index("C"))
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    first.settle()

    assert first.shell.dialog is None
    assert first.shown_number() == "—"
    assert "Đã chuyển số A001 sang Đất đai – Địa chính" in first.status()
    land.call_next("A001")  # it arrived before C001 and keeps that place
    assert land.window.ticket.service.text() == "Đất đai – Địa chính"
    assert land.window.ticket.note.text() == "Chuyển từ Tư pháp – Hộ tịch"
    land.call_next("C001")


def test_transfer_to_a_counter_is_called_only_by_that_counter(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue
) -> None:
    first, second = open_counter(1), open_counter(2)
    issue("B")
    issue("A")
    first.call_next("B001")

    first.shell.open_transfer()
    dialog = first.shell.dialog
    assert isinstance(dialog, TransferDialog)
    rows = [dialog.counters.item(i).text() for i in range(dialog.counters.count())]
    assert rows[0].startswith("Quầy 2")
    assert "chưa mở" not in rows[0]
    assert "chưa mở" in rows[1]  # nobody runs counter 3
    dialog.counters.setCurrentRow(0)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    first.settle()

    assert "Đã chuyển số B001 sang quầy 2" in first.status()
    first.call_next("A001")  # B001 waits for counter 2 only
    second.call_next("B001")


def test_a_specific_call_needs_a_reason_and_the_server_records_it(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue, server_thread: ThreadedServer
) -> None:
    counter = open_counter(1)
    for _ in range(3):
        issue("A")

    counter.click(Action.CALL)
    dialog = counter.shell.dialog
    assert isinstance(dialog, CallNumberDialog)
    QTest.keyClicks(dialog.number, "a003")
    assert dialog.number.text() == "A003"
    assert not dialog.ok.isEnabled()  # no reason yet
    QTest.keyClick(dialog.number, Qt.Key.Key_Return)  # moves on to the reason
    assert counter.shell.dialog is dialog
    line = dialog.reason.lineEdit()
    assert line is not None
    assert dialog.focusWidget() in (dialog.reason, line)
    QTest.keyClick(line, Qt.Key.Key_Down)  # the first of the usual reasons
    assert dialog.reason.currentText() == "Công dân có giấy hẹn trả kết quả"
    assert dialog.ok.isEnabled()
    QTest.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: counter.shown_number() == "A003", timeout=WAIT)
    assert "ngoài thứ tự" in counter.status()

    async def audit() -> list[Any]:
        return server_thread.server.service.store.events()  # type: ignore[attr-defined,no-any-return]

    out_of_order = [e for e in server_thread.call(audit)
                    if e.kind is EventKind.CALLED_OUT_OF_ORDER]
    assert len(out_of_order) == 1
    assert out_of_order[0].data["reason"] == "Công dân có giấy hẹn trả kết quả"
    assert out_of_order[0].counter == 1


def test_a_refused_action_shows_the_servers_message_and_changes_nothing(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue
) -> None:
    first, second = open_counter(1), open_counter(2)
    issue("A")
    issue("A")
    second.call_next("A001")
    first.call_next("A002")

    first.shell.open_call()
    dialog = first.shell.dialog
    assert isinstance(dialog, CallNumberDialog)
    dialog.number.setText("A001")
    dialog.reason.setCurrentText("Công dân quay lại sau khi vắng mặt")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    first.settle()

    assert "Số A001 đang được phục vụ tại quầy 2" in first.status()
    assert first.window.status.property("error") is True
    assert first.shown_number() == "A002"
    assert second.shown_number() == "A001"


def test_a_pause_while_serving_keeps_the_citizen_and_says_the_counter_will_pause(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue,
) -> None:
    counter = open_counter(1)
    issue("A")
    counter.call_next("A001")

    counter.click(Action.PAUSE)
    qtbot.waitUntil(lambda: counter.controller.paused, timeout=WAIT)
    assert counter.shown_number() == "A001"  # the citizen at the desk stays
    assert counter.window.ticket.caption.text() == "ĐANG PHỤC VỤ · QUẦY SẼ TẠM DỪNG"

    counter.click(Action.DONE)
    qtbot.waitUntil(lambda: counter.controller.current is None, timeout=WAIT)
    assert counter.window.ticket.caption.text() == "QUẦY ĐANG TẠM DỪNG"
