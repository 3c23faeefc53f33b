"""A number for a citizen standing at the counter (issue 15, part 4): F11, a service, a
priority with its reason; the number shown large, printed on the counter's own printer
(real ESC/POS bytes to a TCP listener) when it has one; the log says who gave it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from counter.issue_dialogs import IssuedDialog, IssueDialog
from shared.core.events import EventKind
from shared.printing.printer import open_printer
from tests.conftest import ThreadedServer
from tests.counter.conftest import WAIT, OpenCounter
from tests.kiosk.fake_printer import FakePrinter


@pytest.fixture
def counter_printer() -> Iterator[FakePrinter]:
    printer = FakePrinter()
    yield printer
    printer.close()


def test_an_official_gives_a_priority_number_printed_at_the_counter(
        qtbot: QtBot, open_counter: OpenCounter, server_thread: ThreadedServer,
        counter_printer: FakePrinter) -> None:
    printer = open_printer(f"network:127.0.0.1:{counter_printer.port}", width_dots=384)
    second = open_counter(2, printer=printer)
    server_thread.request("kiosk", "issue", service="B")  # B001, from the kiosk

    second.key(Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: isinstance(second.shell.dialog, IssueDialog), timeout=WAIT)
    dialog = second.shell.dialog
    assert isinstance(dialog, IssueDialog)
    listed = [dialog.services.item(i).text().split()[0] for i in range(dialog.services.count())]
    assert listed[:2] == ["B", "A"]  # counter 2's own services first, then every other
    assert sorted(listed) == ["A", "B", "C", "D", "E", "F"]
    dialog.services.setCurrentRow(0)
    dialog.priority.setCurrentIndex(dialog.priority.findData("elderly"))
    dialog.reason.setText("Cụ đi xe lăn, không tới được máy lấy số")
    QTest.keyClick(dialog, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: isinstance(second.shell.dialog, IssuedDialog), timeout=WAIT)
    shown = second.shell.dialog
    assert isinstance(shown, IssuedDialog)
    assert shown.number.text() == "B002"
    assert shown.number.font().pointSizeF() >= 60  # to be read across the desk
    qtbot.waitUntil(lambda: shown.print_state.text().startswith("Đã in vé"), timeout=WAIT)
    # The listener has the whole job once the printer's connection is closed.
    qtbot.waitUntil(lambda: len(counter_printer.jobs) == 1, timeout=WAIT)
    assert counter_printer.jobs[0].startswith(b"\x1b@")  # ESC @: one whole ESC/POS job …
    assert b"\x1dV" in counter_printer.jobs[0]  # … cut at its end
    assert ("Đã cấp số B002 (Chứng thực) cho công dân tại quầy. Được gọi tiếp theo."
            in second.status())  # a priority number, ahead of B001

    state = server_thread.server.service.state
    ticket = state.by_number("B002")
    assert ticket is not None
    assert (ticket.priority, ticket.issued_by) == ("elderly", 2)
    issued = [e for e in server_thread.server.service.store.events(state.day)  # type: ignore[attr-defined]
              if e.kind is EventKind.ISSUED and e.ticket == ticket.id]
    assert issued[0].counter == 2
    assert issued[0].data["reason"] == "Cụ đi xe lăn, không tới được máy lấy số"
    # Priority first: the citizen at the desk is called before B001 of the kiosk.
    second.call_next("B002")


def test_without_a_printer_the_number_is_shown_to_the_citizen(
        qtbot: QtBot, open_counter: OpenCounter) -> None:
    first = open_counter(1)
    first.shell.open_issue()
    dialog = first.shell.dialog
    assert isinstance(dialog, IssueDialog)
    assert dialog.priority.currentText() == "Không ưu tiên"
    QTest.keyClick(dialog, Qt.Key.Key_Return)  # the first of its own services: A
    qtbot.waitUntil(lambda: isinstance(first.shell.dialog, IssuedDialog), timeout=WAIT)
    shown = first.shell.dialog
    assert isinstance(shown, IssuedDialog)
    assert shown.number.text() == "A001"
    assert "Quầy không có máy in" in shown.print_state.text()
    QTest.keyClick(shown, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: first.shell.dialog is None, timeout=WAIT)
