"""The counter's dialogs: transfer, call a specific number, the absent and parked list,
and an official's sign-in.

Each is opened window-modal with ``open()`` (no nested event loop) and reports the
official's choice through a signal; the shell passes it to the controller. Lists
come from the controller (the server's snapshot). Enter confirms, Esc cancels.
Imports QtWidgets.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QFocusEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter import style, wording
from counter.controller import CounterController
from counter.queue_state import Action
from counter.style import named
from shared.core import pin, wire

log = logging.getLogger(__name__)

ROLE = Qt.ItemDataRole.UserRole


def _buttons(ok_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    """``ok_text`` (Enter) and Cancel (Esc)."""
    box = QDialogButtonBox()
    ok = box.addButton(wording.with_key(ok_text, "Enter"), QDialogButtonBox.ButtonRole.AcceptRole)
    box.addButton(wording.with_key(wording.word("cancel"), "Esc"),
                  QDialogButtonBox.ButtonRole.RejectRole)
    ok.setDefault(True)
    return box, ok


class TransferDialog(QDialog):
    """Where the citizen being served goes: another service, or one counter."""

    chosen = Signal(str, object)  # ("service", code) or ("counter", number)

    def __init__(self, controller: CounterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(wording.word("transfer_title"))
        self.setMinimumSize(820, 440)
        ticket = controller.current
        what = (wording.ticket_summary(ticket, controller.ticket_service(ticket)) if ticket
                else wording.NOTHING)
        heading = named(QLabel(wording.word("transfer_heading", ticket=what)), "title")
        heading.setWordWrap(True)
        hint = named(QLabel(wording.word("transfer_hint")), "muted")
        hint.setWordWrap(True)

        self.services = QListWidget()
        for service in controller.services:
            if ticket is not None and service.code == ticket.service:
                continue
            item = QListWidgetItem(wording.waiting_in_list(
                service.code, wording.service_name(service), service.waiting))
            item.setData(ROLE, ("service", service.code))
            self.services.addItem(item)
        self.counters = QListWidget()
        for line in controller.counters:
            if line.number == controller.number:
                continue
            state = (f" · {wording.word('counter_paused')}" if line.paused else
                     "" if line.connected else f" · {wording.word('counter_not_open')}")
            item = QListWidgetItem(f"{line.name}   ({', '.join(line.services)}){state}")
            item.setData(ROLE, ("counter", line.number))
            self.counters.addItem(item)
        for one, other in ((self.services, self.counters), (self.counters, self.services)):
            one.itemSelectionChanged.connect(
                lambda one=one, other=other: self._picked(one, other))
            one.itemDoubleClicked.connect(lambda _item: self.accept())

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.addWidget(named(QLabel(wording.word("to_service_caption")), "caption"), 0, 0)
        grid.addWidget(named(QLabel(wording.word("to_counter_caption")), "caption"), 0, 1)
        grid.addWidget(self.services, 1, 0)
        grid.addWidget(self.counters, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        box, self.ok = _buttons(wording.word("transfer_ok"))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self.ok.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(grid, 1)
        layout.addWidget(box)
        self.services.setFocus()

    def choice(self) -> tuple[str, object] | None:
        for widget in (self.services, self.counters):
            selected = widget.selectedItems()
            if selected:
                kind, value = selected[0].data(ROLE)
                return str(kind), value
        return None

    def accept(self) -> None:
        choice = self.choice()
        if choice is None:
            return
        super().accept()
        self.chosen.emit(*choice)

    def _picked(self, one: QListWidget, other: QListWidget) -> None:
        if one.selectedItems():
            other.blockSignals(True)
            other.clearSelection()
            other.blockSignals(False)
        self.ok.setEnabled(self.choice() is not None)


class CallNumberDialog(QDialog):
    """A specific number, out of order; the reason is required and goes into the log."""

    chosen = Signal(str, str)  # number, reason

    def __init__(self, parent: QWidget | None = None, *, number: str = "",
                 reason: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(wording.word("call_title"))
        self.setMinimumWidth(520)
        self.number = QLineEdit(number)
        self.number.setPlaceholderText(wording.word("call_example"))
        self.number.setMaxLength(12)
        self.number.setFont(style.big_font(18))
        self.number.textEdited.connect(self._upper)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reason.addItems([wording.reason(which) for which in wording.REASONS])
        self.reason.setCurrentIndex(-1)  # nothing chosen for the official; ↓ picks one
        self.reason.setCurrentText(reason)
        self.reason.setFont(style.app_font(12))
        self.reason.setMinimumHeight(36)
        line = self.reason.lineEdit()
        assert line is not None
        line.setPlaceholderText(wording.word("reason_placeholder"))

        hint = named(QLabel(wording.word("call_hint")), "muted")
        hint.setWordWrap(True)
        box, self.ok = _buttons(wording.word("call_ok"))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(named(QLabel(wording.word("call_title")), "title"))
        layout.addWidget(named(QLabel(wording.word("number_caption")), "caption"))
        layout.addWidget(self.number)
        layout.addSpacing(6)
        layout.addWidget(named(QLabel(wording.word("reason_required_caption")), "caption"))
        layout.addWidget(self.reason)
        layout.addWidget(hint)
        layout.addWidget(box)

        self.number.textChanged.connect(self._check)
        self.reason.currentTextChanged.connect(self._check)
        # Enter in the number field moves on to the reason while it is missing.
        self.number.returnPressed.connect(self._number_entered)
        self._check()
        (self.reason if number else self.number).setFocus()

    def values(self) -> tuple[str, str]:
        return self.number.text().strip().upper(), self.reason.currentText().strip()

    def accept(self) -> None:
        number, reason = self.values()
        if not number or not reason:
            return
        super().accept()
        self.chosen.emit(number, reason)

    def _upper(self, text: str) -> None:
        if text != text.upper():
            position = self.number.cursorPosition()
            self.number.setText(text.upper())
            self.number.setCursorPosition(position)

    def _check(self) -> None:
        number, reason = self.values()
        self.ok.setEnabled(bool(number and reason))

    def _number_entered(self) -> None:
        if not self.values()[1]:
            self.reason.setFocus()


class SetAsideDialog(QDialog):
    """The absent and parked tickets, with "return to queue" and "call now"."""

    call_requested = Signal(str, str)  # number, a suggested reason

    COLUMNS = ("number", "service", "status", "counter", "called")  # wording's column_*

    def __init__(self, controller: CounterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(wording.word("set_aside_title"))
        self.setMinimumSize(720, 440)
        heading = named(QLabel(wording.word("set_aside_heading")), "title")
        back = wording.label(Action.RETURN)
        hint = named(QLabel(wording.word("set_aside_hint", back=back)), "muted")
        hint.setWordWrap(True)
        self.everywhere = QCheckBox(wording.word("everywhere"))
        self.everywhere.toggled.connect(self.redraw)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [wording.word(f"column_{column}") for column in self.COLUMNS])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.return_selected())
        self.empty = named(QLabel(wording.word("set_aside_empty")), "muted")
        self.status = named(QLabel(), "status")
        self.status.setWordWrap(True)

        box = QDialogButtonBox()
        self.back = box.addButton(wording.with_key(back, "Enter"),
                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.call = box.addButton(wording.word("call_now"),
                                  QDialogButtonBox.ButtonRole.ActionRole)
        box.addButton(wording.with_key(wording.word("close"), "Esc"),
                      QDialogButtonBox.ButtonRole.RejectRole)
        self.back.setDefault(True)
        self.back.clicked.connect(self.return_selected)
        self.call.clicked.connect(self._call_selected)
        box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.everywhere)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.status)
        layout.addWidget(box)

        controller.changed.connect(self.redraw)
        controller.message.connect(self._message)
        self.redraw()
        self.table.setFocus()

    def tickets(self) -> list[wire.Ticket]:
        return self.controller.set_aside(everywhere=self.everywhere.isChecked())

    def selected(self) -> wire.Ticket | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        number = self._number_at(rows[0].row())
        return next((t for t in self.tickets() if t.number == number), None)

    def select(self, number: str) -> None:
        for row in range(self.table.rowCount()):
            if self._number_at(row) == number:
                self.table.selectRow(row)
                return

    def _number_at(self, row: int) -> str:
        item = self.table.item(row, 0)
        return item.text() if item is not None else ""

    def redraw(self) -> None:
        keep = self.selected()
        tickets = self.tickets()
        self.table.setRowCount(len(tickets))
        for row, ticket in enumerate(tickets):
            called = ticket.called_at.strftime("%H:%M") if ticket.called_at else ""
            cells = (ticket.number, self.controller.ticket_service(ticket),
                     wording.status_word(ticket.status),
                     str(ticket.counter or ""), called)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setVisible(bool(tickets))
        self.empty.setVisible(not tickets)
        if keep is not None:
            self.select(keep.number)
        elif tickets and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._update_buttons()

    def return_selected(self) -> None:
        ticket = self.selected()
        if ticket is not None and self.controller.can(Action.RETURN):
            self.controller.return_ticket(ticket.number)

    def _call_selected(self) -> None:
        ticket = self.selected()
        if ticket is None:
            return
        reason = wording.reason("documents" if ticket.status == "parked" else "returned")
        self.accept()
        self.call_requested.emit(ticket.number, reason)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.back.setEnabled(chosen and self.controller.can(Action.RETURN))
        self.call.setEnabled(chosen and self.controller.can(Action.CALL))

    def _message(self, text: str, error: bool) -> None:
        self.status.setText(("⚠ " if error else "") + text)
        self.status.setProperty("error", error)
        style.restyle(self.status)


class _Names(QListWidget):
    """The officials' names, with nobody chosen until the official chooses: a plain
    list makes its first row current when it gets the focus, and a PIN typed under
    someone else's name would count against them."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        QAbstractScrollArea.focusInEvent(self, event)  # not QAbstractItemView's
        self.viewport().update()


class SignInDialog(QDialog):
    """An official signs in at this counter: their name from the office's list, then
    their PIN. It stays open until the server answers: a wrong PIN is said here and
    the PIN cleared for another try; the PIN itself leaves sealed (``seal_pin``)."""

    def __init__(self, controller: CounterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(wording.word("sign_in_title"))
        self.setMinimumWidth(560)
        here = controller.official_here
        self.names = _Names()
        self.names.setFont(style.app_font(12.5))
        for official in controller.officials:
            text = official.name + (f" — {official.title}" if official.title else "")
            item = QListWidgetItem(text)
            item.setData(ROLE, official.id)
            self.names.addItem(item)
        self.names.setMinimumHeight(min(8, max(3, self.names.count())) * 40)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{0,8}")))
        self.pin.setPlaceholderText(wording.word("pin_placeholder"))
        self.pin.setFont(style.big_font(18))
        self.pin.setAccessibleName(wording.word("pin_name"))
        self.problem = named(QLabel(), "problem")
        self.problem.setWordWrap(True)
        self.problem.hide()

        box = QDialogButtonBox()
        self.ok = box.addButton(wording.with_key(wording.word("sign_in_ok"), "Enter"),
                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.out: QPushButton | None = None
        if here is not None:
            self.out = box.addButton(wording.word("sign_out_who", name=here.name),
                                     QDialogButtonBox.ButtonRole.ActionRole)
            self.out.setAutoDefault(False)
            self.out.clicked.connect(self._sign_out)
        box.addButton(wording.with_key(wording.word("cancel"), "Esc"),
                      QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)

        now = (wording.word("signed_in_here", name=here.name) if here is not None
               else wording.word("nobody_signed_in"))
        hint = named(QLabel(f"{now} {wording.word('sign_in_record')}"), "muted")
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(named(QLabel(wording.word("sign_in_title")), "title"))
        layout.addWidget(hint)
        layout.addWidget(named(QLabel(wording.word("name_caption")), "caption"))
        layout.addWidget(self.names)
        layout.addWidget(named(QLabel(wording.word("pin_caption")), "caption"))
        layout.addWidget(self.pin)
        layout.addWidget(self.problem)
        layout.addWidget(box)

        controller.sign_in_answered.connect(self._answered)
        self.names.itemDoubleClicked.connect(lambda _item: self.pin.setFocus())
        self._waiting = False
        self.names.setFocus()  # type a name's first letters, or the arrows; Enter: the PIN

    def chosen(self) -> str | None:
        item = self.names.currentItem()
        return None if item is None else str(item.data(ROLE))

    def accept(self) -> None:
        """Enter: on to the PIN while it is missing; then send it and wait."""
        if self._waiting:
            return
        official, typed = self.chosen(), self.pin.text()
        if official is None:
            self._say(wording.word("choose_name"))
            self.names.setFocus()
            return
        if not typed:
            self.pin.setFocus()
            return
        if pin.shape_problem(typed) is not None:
            self._say(wording.word("pin_shape"))
            self.pin.selectAll()
            self.pin.setFocus()
            return
        if not self.controller.online:
            self._say(wording.word("offline_sign_in"))
            return
        if self.controller.sign_in(official, typed) is not None:
            self._wait()

    def _sign_out(self) -> None:
        if not self.controller.online:
            self._say(wording.word("offline_sign_out"))
        elif not self._waiting and self.controller.sign_out() is not None:
            self._wait()

    def reject(self) -> None:
        """Esc: the official gives up; a sign-in not answered yet is not sent again."""
        if self._waiting:
            self.controller.cancel_sign_in()
        super().reject()

    def _wait(self) -> None:
        self._waiting = True
        self.ok.setEnabled(False)
        self._say(wording.word("checking"), error=False)

    def _answered(self, accepted: bool, text: str) -> None:
        if not self._waiting:
            return
        self._waiting = False
        self.ok.setEnabled(True)
        self.pin.clear()
        if accepted:
            super().accept()
            return
        self._say(text)
        self.pin.setFocus()

    def _say(self, text: str, *, error: bool = True) -> None:
        self.problem.setText(("⚠ " if error else "") + text)
        self.problem.show()
