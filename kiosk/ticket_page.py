"""The confirmation: the citizen's number in huge type, the service, how many are ahead,
and whether the ticket printed — or, when the printer failed, to remember the number.

A touch anywhere goes back to the start (the controller ignores the tap that made
the ticket). Imports QtWidgets; renders the controller's state, holds no rules.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.controller import KioskController
from kiosk.fitting import wrapped_height
from kiosk.style import number_cap, px

log = logging.getLogger(__name__)


class TicketPage(QWidget):
    def __init__(self, controller: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._margin = 60
        self.card = QFrame(self)
        self.card.setObjectName("card")
        self.heading = self._label("ticketHeading")
        self.number = self._label("ticketNumber")
        self.number.setWordWrap(False)
        self.service = self._label("ticketService")
        self.priority = self._label("ticketPriority")
        self.priority.setWordWrap(False)
        self.ahead = self._label("ticketAhead")
        self.booking = self._label("ticketBooking")
        self.print_status = self._label("printStatus")
        self.hint = self._label("hint")

        priority_row = QHBoxLayout()
        priority_row.addStretch(1)
        priority_row.addWidget(self.priority)
        priority_row.addStretch(1)
        self.inside = QVBoxLayout(self.card)
        self.inside.addWidget(self.heading)
        self.inside.addWidget(self.number)
        self.inside.addWidget(self.service)
        self.inside.addLayout(priority_row)
        self.inside.addWidget(self.booking)
        self.inside.addWidget(self.ahead)
        self.inside.addSpacing(8)
        self.inside.addWidget(self.print_status)
        self.outer = QVBoxLayout(self)
        self.outer.addStretch(1)
        self.outer.addWidget(self.card)
        self.outer.addStretch(1)
        self.outer.addWidget(self.hint)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        return label

    def apply_scale(self, scale: float) -> None:
        self._margin = px(60, scale)
        margin = self._margin
        self.outer.setContentsMargins(margin, px(30, scale), margin, px(30, scale))
        self.inside.setContentsMargins(margin, px(36, scale), margin, px(44, scale))
        self.inside.setSpacing(px(14, scale))

    def show_state(self) -> None:
        view = self.controller.ticket
        if view is None:
            return
        self.heading.setText(view.heading)
        self.number.setText(view.number)
        self.service.setText(view.service_name)
        self.priority.setText(view.priority)
        self.priority.setVisible(bool(view.priority))
        self.ahead.setText(view.ahead)
        self.booking.setText(view.booking)
        self.booking.setVisible(bool(view.booking))
        self.print_status.setText(view.print_message)
        if self.print_status.property("state") != view.print_state.value:
            self.print_status.setProperty("state", view.print_state.value)
            self.print_status.style().unpolish(self.print_status)
            self.print_status.style().polish(self.print_status)
        self.hint.setText(view.hint)
        self.fit_number()
        booking = f"{view.booking}. " if view.booking else ""
        self.setAccessibleName(f"{view.heading} {view.number}. {view.service_name}. "
                               f"{booking}{view.ahead}. {view.print_message}")

    def fit_number(self) -> None:
        """The number as large as the screen allows, never wider than the card nor
        taller than the room the rest of the confirmation leaves it."""
        window = self.window()
        width = window.width() - 4 * self._margin - 8
        room = self._room_for_number()
        text = self.number.text() or "A000"
        font = QFont(self.font())
        font.setBold(True)
        low, high = 40, number_cap(window.height(), large_print=self.controller.large_print)
        while low < high:  # the largest size whose ink fits the width and the room
            size = (low + high + 1) // 2
            font.setPixelSize(size)
            metrics = QFontMetrics(font)
            if metrics.horizontalAdvance(text) <= width and (
                    room <= 0 or metrics.height() <= room):
                low = size
            else:
                high = size - 1
        font.setPixelSize(low)
        if font != self.number.font():
            self.number.setFont(font)

    def _room_for_number(self) -> int:
        """The page's height less everything else on it, each text given the height of
        all its lines (0: not laid out yet)."""
        if self.height() <= 0:
            return 0
        inner = self.width() - 4 * self._margin
        others = [(label, inner) for label in (self.heading, self.service, self.ahead,
                                               self.print_status)]
        others.append((self.hint, self.width() - 2 * self._margin))
        if not self.booking.isHidden():
            others.append((self.booking, inner))
        used = self.priority.sizeHint().height() if not self.priority.isHidden() else 0
        for label, width in others:
            label.setMinimumHeight(wrapped_height(label, width))
            used += label.minimumHeight()
        outer, inside = self.outer.contentsMargins(), self.inside.contentsMargins()
        used += outer.top() + outer.bottom() + inside.top() + inside.bottom()
        used += self.outer.spacing() * 3 + self.inside.spacing() * 7 + 8
        return self.height() - used

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.controller.dismiss()
        event.accept()
