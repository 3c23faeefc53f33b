"""The full counter window: the citizen being served, the queue, every action.

Composed of the panels and action buttons; holds no rules. Closing it ends the
program (the shell decides what closing means). Imports QtWidgets.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from counter.actions import CounterActions
from counter.buttons import ActionButton
from counter.controller import CounterController
from counter.panels import (
    HallAlerts,
    LinkBadge,
    OfficialBadge,
    OfflineBanner,
    StatusLine,
    TicketPanel,
    TodayPanel,
    WaitingPanel,
)
from counter.queue_state import Action
from counter.style import named

log = logging.getLogger(__name__)

GRID = (
    (Action.RECALL, Action.DONE, Action.ABSENT, Action.PARK),
    (Action.TRANSFER, Action.CALL, Action.PAUSE, Action.SET_ASIDE),
)


class OfficeName(QLabel):
    """The office's name in the header. It gives way first: the window's width is the
    counter's, and a long name (or longer words in another language beside it) must
    not push the keys off a small screen. Shortened with "…" where it has no room,
    never cut in the middle of a letter; the whole name is its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("muted")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._name = ""

    def set_name(self, name: str) -> None:
        if name != self._name:
            self._name = name
            self.setToolTip(name)
            self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        self.setText(self.fontMetrics().elidedText(
            self._name, Qt.TextElideMode.ElideRight, self.contentsRect().width()))


class CounterWindow(QWidget):
    closed = Signal()

    def __init__(self, controller: CounterController, actions: CounterActions,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("window")
        self.controller = controller
        self.setMinimumWidth(760)  # its height: whatever the content needs (see below)
        self.resize(1000, 660)
        actions.attach(self)

        self.heading = named(QLabel(), "title")
        self.office = OfficeName()
        self.link = LinkBadge(controller)
        self.official = OfficialBadge(controller, actions[Action.SIGN_IN])
        self.shrink = ActionButton(actions.resize, height=34, wrap=False)
        self.issue = ActionButton(actions[Action.ISSUE], height=34, wrap=False)
        header = QHBoxLayout()
        header.setSpacing(12)
        header.addWidget(self.heading)
        header.addWidget(self.office, 1)
        header.addWidget(self.issue)
        header.addWidget(self.official)
        header.addWidget(self.link)
        header.addWidget(self.shrink)

        self.offline = OfflineBanner(controller)
        self.banner = HallAlerts(controller)
        self.ticket = TicketPanel(controller)
        self.waiting = WaitingPanel(controller)
        self.today = TodayPanel(controller)
        side = QVBoxLayout()
        side.setSpacing(12)
        side.addWidget(self.waiting, 1)
        side.addWidget(self.today)
        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(self.ticket, 3)
        body.addLayout(side, 2)

        self.buttons: dict[Action, ActionButton] = {
            Action.CALL_NEXT: ActionButton(actions[Action.CALL_NEXT], role="primary",
                                           text_size=17, height=68),
        }
        grid = QGridLayout()
        grid.setSpacing(10)
        grid.addWidget(self.buttons[Action.CALL_NEXT], 0, 0, 1, 4)
        for row, line in enumerate(GRID, start=1):
            for column, action in enumerate(line):
                role = "good" if action is Action.DONE else "plain"
                button = ActionButton(actions[action], role=role, text_size=11.5)
                # Equal columns, whatever the length of each label.
                button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
                self.buttons[action] = button
                grid.addWidget(button, row, column)
        for column in range(4):
            grid.setColumnStretch(column, 1)

        self.status = StatusLine(controller)

        layout = QVBoxLayout(self)
        # Never smaller than what it shows needs: a window too short for its panels
        # squeezed their lines into each other (issue 16); it grows with its alerts.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.setContentsMargins(18, 14, 18, 10)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(self.offline)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        layout.addLayout(grid)
        layout.addWidget(self.status)

        controller.changed.connect(self.redraw)
        self.redraw()

    def redraw(self) -> None:
        me = self.controller.me
        self.heading.setText(me.name)
        self.office.set_name(self.controller.office_name)
        self.setWindowTitle(f"{me.name} — motcua")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
