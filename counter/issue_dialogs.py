"""A number for a citizen standing at the counter (issue 15, part 4): which service,
priority or not (with why), then the number shown large enough for the citizen to read
across the desk, and printed on the counter's own printer when it has one.

Opened window-modal like the other dialogs; Enter confirms, Esc closes. Type the first
letters of a service to find it. Imports QtWidgets.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter import style, wording
from counter.controller import CounterController
from counter.style import named
from shared.core import wire

log = logging.getLogger(__name__)

ROLE = Qt.ItemDataRole.UserRole


class IssueDialog(QDialog):
    """Which number to give: a service, and a priority category with its reason."""

    chosen = Signal(str, object, str)  # service code, priority code or None, reason

    def __init__(self, controller: CounterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(wording.word("issue_title"))
        self.setMinimumSize(640, 520)
        heading = named(QLabel(wording.word("issue_title")), "title")
        hint = named(QLabel(wording.word("issue_hint")), "muted")
        hint.setWordWrap(True)
        self.services = QListWidget()
        mine = list(controller.me.services)  # first, in this counter's own order

        def place(code: str) -> tuple[int, str]:
            return (mine.index(code) if code in mine else len(mine), code)

        for service in sorted(controller.services, key=lambda s: place(s.code)):
            item = QListWidgetItem(wording.waiting_in_list(
                service.code, wording.service_name(service), service.waiting))
            item.setData(ROLE, service.code)
            self.services.addItem(item)
        self.services.itemDoubleClicked.connect(lambda _item: self.accept())
        self.priority = QComboBox()
        self.priority.addItem(wording.word("no_priority"), None)
        for code in controller.priority_names:
            name = controller.priority_name(code)
            self.priority.addItem(wording.word("priority_named", name=name), code)
        self.priority.setFont(style.app_font(12))
        self.priority.setMinimumHeight(36)
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(wording.word("issue_reason_example"))
        self.reason.setMinimumHeight(34)
        box = QDialogButtonBox()
        self.ok = box.addButton(wording.with_key(wording.word("issue_ok"), "Enter"),
                                QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(wording.with_key(wording.word("cancel"), "Esc"),
                      QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setDefault(True)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(named(QLabel(wording.word("service_caption")), "caption"))
        layout.addWidget(self.services, 1)
        layout.addWidget(named(QLabel(wording.word("priority_caption")), "caption"))
        layout.addWidget(self.priority)
        layout.addWidget(named(QLabel(wording.word("issue_reason_caption")), "caption"))
        layout.addWidget(self.reason)
        layout.addWidget(box)
        self.services.itemSelectionChanged.connect(self._check)
        if self.services.count():
            self.services.setCurrentRow(0)  # this counter's own services come first
        self.services.setFocus()
        self._check()

    def choice(self) -> tuple[str, str | None, str] | None:
        selected = self.services.selectedItems()
        if not selected:
            return None
        priority = self.priority.currentData()
        return (str(selected[0].data(ROLE)), None if priority is None else str(priority),
                self.reason.text().strip())

    def accept(self) -> None:
        choice = self.choice()
        if choice is None:
            return
        super().accept()
        self.chosen.emit(*choice)

    def _check(self) -> None:
        self.ok.setEnabled(self.choice() is not None)


class IssuedDialog(QDialog):
    """The number just given, large, to turn towards the citizen; whether it printed.
    ``service`` and ``priority_name``: named as the official reads them."""

    def __init__(self, ticket: wire.Ticket, service: str, priority_name: str | None, *,
                 printing: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(wording.word("issued_title", number=ticket.number))
        self.setMinimumWidth(560)
        self.number = QLabel(ticket.number)
        self.number.setFont(style.big_font(72))
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setObjectName("issuedNumber")
        service_label = named(QLabel(service), "title")
        service_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lines = [wording.word("priority_named", name=priority_name)] if priority_name else []
        lines.append(wording.ahead_words(ticket.ahead))
        lines.append(wording.word("issued_keep"))
        details = named(QLabel("\n".join(lines)), "muted")
        details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        details.setFont(style.app_font(14))
        self.print_state = named(QLabel(wording.word("printing" if printing else "no_printer")),
                                 "muted")
        self.print_state.setWordWrap(True)
        self.print_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = QDialogButtonBox()
        close = box.addButton(wording.with_key(wording.word("issued_ok"), "Enter"),
                              QDialogButtonBox.ButtonRole.AcceptRole)
        close.setDefault(True)
        box.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(named(QLabel(wording.word("issued_caption")), "caption"),
                         alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.number)
        layout.addWidget(service_label)
        layout.addWidget(details)
        layout.addWidget(self.print_state)
        layout.addWidget(box)

    def printed(self, ok: bool, problem: str = "") -> None:
        self.print_state.setText(wording.word("printed") if ok else
                                 wording.word("not_printed", problem=problem))
