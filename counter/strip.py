"""The compact strip: a small always-on-top bar for officials who work in other software.

The number being served, call next, recall, done, and a button back to the full
window. It stays above the national one-stop software without a frame or a taskbar
entry; dragged anywhere by its body. Every function key of the full window works
here too (the actions are shared). Imports QtWidgets.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from counter import style, wording
from counter.actions import CounterActions
from counter.buttons import ActionButton
from counter.controller import CounterController
from counter.panels import LinkBadge
from counter.queue_state import Action
from counter.style import named

log = logging.getLogger(__name__)

STRIP_FLAGS = (
    Qt.WindowType.Tool
    | Qt.WindowType.WindowStaysOnTopHint
    | Qt.WindowType.FramelessWindowHint
)
SMALL: dict[str, Any] = {"height": 44, "wrap": False, "text_size": 11}


class CompactStrip(QWidget):
    closed = Signal()

    def __init__(self, controller: CounterController, actions: CounterActions,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, STRIP_FLAGS)
        self.setObjectName("strip")
        self.controller = controller
        # On macOS a tool window hides when the program is not active: not this one.
        self.setAttribute(Qt.WidgetAttribute.WA_MacAlwaysShowToolWindow)
        self._drag_from: QPoint | None = None
        actions.attach(self)

        frame = named(QFrame(), "card")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)

        self.counter = named(QLabel(), "caption")
        self.link = LinkBadge(controller, short=True)
        self.link.setStyleSheet("padding: 0px 6px;")
        top = QHBoxLayout()
        top.setSpacing(4)
        top.addWidget(self.counter)
        top.addWidget(self.link)
        top.addStretch(1)
        self.number = named(QLabel(), "number")
        self.number.setFont(style.big_font(24))
        self.detail = named(QLabel(), "muted")
        who = QVBoxLayout()
        who.setSpacing(0)
        who.addLayout(top)
        who.addWidget(self.number)

        self.buttons = {
            Action.CALL_NEXT: ActionButton(actions[Action.CALL_NEXT], role="primary",
                                           label=wording.word("call_next_short"),
                                           **SMALL),
            Action.RECALL: ActionButton(actions[Action.RECALL], **SMALL),
            Action.DONE: ActionButton(actions[Action.DONE], role="good", **SMALL),
        }
        self.expand = ActionButton(actions.resize, label=wording.word("expand"), **SMALL)
        self.status = named(QLabel(), "status")
        self.status.setMinimumWidth(10)

        row = QHBoxLayout()
        row.setSpacing(6)
        row.addLayout(who)
        row.addSpacing(4)
        for button in self.buttons.values():
            row.addWidget(button)
        row.addWidget(self.expand)
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(12, 6, 10, 4)
        inner.setSpacing(2)
        inner.addLayout(row)
        bottom = QHBoxLayout()
        bottom.setSpacing(14)
        bottom.addWidget(self.detail)
        bottom.addWidget(self.status, 1)
        inner.addLayout(bottom)
        self.number.setMinimumWidth(
            self.number.fontMetrics().horizontalAdvance(wording.word("paused")))

        controller.changed.connect(self.redraw)
        controller.message.connect(self._message)
        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start(1000)
        self.redraw()
        text, error = controller.last_message
        if text:
            self._message(text, error)

    def redraw(self) -> None:
        controller = self.controller
        me = controller.me
        self.counter.setText(me.name.upper())
        self.setWindowTitle(f"{me.name} — motcua")
        ticket = controller.current
        paused = controller.paused and ticket is None
        self.number.setProperty("paused", paused)
        style.restyle(self.number)
        self.number.setText(ticket.number if ticket else
                            wording.word("paused") if paused else wording.NOTHING)
        self.number.setToolTip(
            wording.ticket_summary(ticket, controller.ticket_service(ticket)) if ticket else "")
        self._tick()

    def _tick(self) -> None:
        controller = self.controller
        parts = []
        seconds = controller.seconds_since_called()
        if seconds is not None:
            parts.append(wording.elapsed_text(seconds))
        if controller.current is not None and controller.current.priority:
            parts.append(f"★ {wording.word('strip_priority')}")
        parts.append(wording.word("strip_waiting", count=controller.waiting_here()))
        if controller.faults:
            parts.append(f"⚠ {wording.word('strip_printer')}")
        self.detail.setText("  ·  ".join(parts))

    def _message(self, text: str, error: bool) -> None:
        metrics = self.status.fontMetrics()
        shown = ("⚠ " if error else "") + text
        width = max(200, self.width() - self.detail.sizeHint().width() - 50)
        self.status.setText(metrics.elidedText(shown, Qt.TextElideMode.ElideRight, width))
        self.status.setToolTip(text)
        self.status.setProperty("error", error)
        style.restyle(self.status)

    # -- dragged by its body, as it has no title bar ---------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.globalPosition().toPoint() - self.frameGeometry().topLeft()
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self.move(event.globalPosition().toPoint() - self._drag_from)
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag_from = None
        super().mouseReleaseEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
