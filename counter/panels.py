"""The parts of the counter's window: each takes the controller and renders its state.

The citizen being served (with a clock that ticks every second), the waiting counts
of this counter's services, today's tally, the link to the server, a printer fault
banner and the status line. No rules here: what to show comes from the controller.
Imports QtWidgets.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from counter import style, wording
from counter.controller import CounterController
from counter.queue_state import Action
from counter.style import named
from shared.core.link import Link

log = logging.getLogger(__name__)


def caption(text: str) -> QLabel:
    return named(QLabel(text.upper()), "caption")


class TicketPanel(QFrame):
    """The citizen being served: number, service, priority, time since the call."""

    def __init__(self, controller: CounterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 16, 22, 16)
        layout.setSpacing(4)
        self.caption = caption(wording.word("serving_caption"))
        self.number = named(QLabel(wording.NOTHING), "number")
        self.number.setFont(style.big_font(64))
        self.number.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.service = named(QLabel(), "title")
        self.service.setWordWrap(True)
        self.priority = named(QLabel(), "badge")
        self.note = named(QLabel(), "note")
        marks = QHBoxLayout()
        marks.setSpacing(8)
        marks.addWidget(self.priority)
        marks.addWidget(self.note)
        marks.addStretch(1)
        self.clock = named(QLabel(), "figure")
        self.clock_caption = named(QLabel(), "muted")
        timing = QHBoxLayout()
        timing.addWidget(self.clock)
        timing.addSpacing(10)
        timing.addWidget(self.clock_caption, 1, Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(self.caption)
        layout.addWidget(self.number)
        layout.addWidget(self.service)
        layout.addLayout(marks)
        layout.addStretch(1)
        layout.addLayout(timing)

        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start(1000)
        controller.changed.connect(self.redraw)
        self.redraw()

    def redraw(self) -> None:
        controller = self.controller
        ticket = controller.current
        paused = controller.paused and ticket is None
        self.number.setProperty("paused", paused)
        style.restyle(self.number)
        if ticket is None:
            self.caption.setText(wording.word("paused_caption" if paused else "serving_caption"))
            self.number.setText(wording.word("paused") if paused else wording.NOTHING)
            self.service.setText(
                wording.paused_panel() if paused
                else wording.word("idle_panel", key=wording.KEYS[Action.CALL_NEXT])
            )
            self.service.setObjectName("muted")
            self.priority.hide()
            self.note.hide()
        else:
            # Paused while serving: this citizen stays; no one new comes after them.
            serving = wording.word("serving_caption")
            self.caption.setText(f"{serving} · {wording.word('will_pause_caption')}"
                                 if controller.paused else serving)
            self.number.setText(ticket.number)
            self.service.setText(controller.ticket_service(ticket))
            self.service.setObjectName("title")
            priority = controller.priority_name(ticket.priority)
            self.priority.setText(f"★ {wording.word('priority_badge', name=priority)}"
                                  if priority else "")
            self.priority.setVisible(bool(priority))
            notes = []
            if ticket.appointment is True:  # a booking's place: why it came before others
                notes.append(wording.word("appointment"))
            if isinstance(ticket.issued_by, int):
                notes.append(wording.word("issued_by", counter=ticket.issued_by))
            if ticket.transferred_from:
                notes.append(wording.word(
                    "transferred_from", service=controller.service_name(ticket.transferred_from)))
            if ticket.recalls:
                notes.append(wording.word("recalls", count=ticket.recalls))
            self.note.setText(" · ".join(notes))
            self.note.setVisible(bool(notes))
        style.restyle(self.service)
        self._tick()

    def _tick(self) -> None:
        seconds = self.controller.seconds_since_called()
        ticket = self.controller.current
        if seconds is None or ticket is None or ticket.called_at is None:
            self.clock.setText("")
            self.clock_caption.setText("")
            return
        self.clock.setText(wording.elapsed_text(seconds))
        self.clock_caption.setText(
            wording.word("since_called", time=ticket.called_at.strftime("%H:%M")))


class WaitingPanel(QFrame):
    """How many wait for each of this counter's services."""

    def __init__(self, controller: CounterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        head = QHBoxLayout()
        head.addWidget(caption(wording.word("waiting_caption")))
        head.addStretch(1)
        self.total = named(QLabel(), "muted")
        head.addWidget(self.total)
        layout.addLayout(head)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self.rows: dict[str, QLabel] = {}  # service code -> its count
        self._shown: list[tuple[str, str]] = []
        controller.changed.connect(self.redraw)
        self.redraw()

    def redraw(self) -> None:
        services = self.controller.my_services()
        shown = [(s.code, wording.service_name(s)) for s in services]
        if shown != self._shown:
            self._rebuild(shown)
        for service in services:
            self.rows[service.code].setText(str(service.waiting))
        total = self.controller.waiting_here()
        self.total.setText(wording.word("waiting_total", total=total))

    def _rebuild(self, shown: list[tuple[str, str]]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.rows = {}
        for row, (code, name) in enumerate(shown):
            badge = named(QLabel(code), "code")
            label = QLabel(name)
            label.setWordWrap(True)
            count = named(QLabel("0"), "count")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(badge, row, 0, Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(label, row, 1)
            self.grid.addWidget(count, row, 2)
            self.rows[code] = count
        self._shown = shown


class TodayPanel(QFrame):
    """Today at this counter: served, absent, mean service time."""

    def __init__(self, controller: CounterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(6)
        layout.addWidget(caption(wording.word("today_caption")))
        row = QHBoxLayout()
        row.setSpacing(18)
        self.served = named(QLabel("0"), "figure")
        self.absent = named(QLabel("0"), "figure")
        self.average = named(QLabel(wording.NOTHING), "figure")
        for figure, key in ((self.served, "today_served"), (self.absent, "today_absent"),
                            (self.average, "today_average")):
            column = QVBoxLayout()
            column.setSpacing(0)
            column.addWidget(figure)
            column.addWidget(named(QLabel(wording.word(key)), "muted"))
            row.addLayout(column)
        row.addStretch(1)
        layout.addLayout(row)
        controller.changed.connect(self.redraw)
        self.redraw()

    def redraw(self) -> None:
        today = self.controller.today
        self.served.setText(str(today.served))
        self.absent.setText(str(today.absent))
        self.average.setText(wording.duration_text(today.average_seconds))


class LinkBadge(QPushButton):
    """Online or offline at a glance; pressed when unpaired, it asks for the code."""

    pairing_requested = Signal()

    def __init__(self, controller: CounterController, *, short: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("link")
        self.controller = controller
        self.short = short
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clicked.connect(self._clicked)
        controller.changed.connect(self.redraw)
        self.redraw()

    def redraw(self) -> None:
        link = self.controller.link
        words = wording.link_word(link.value)
        self.setText("●" if self.short else f"●  {words}")
        self.setToolTip(words + (f"\n{self.controller.link_reason}"
                                 if self.controller.link_reason else ""))
        self.setAccessibleName(words)
        if self.property("state") != link.value:
            self.setProperty("state", link.value)
            style.restyle(self)
        refused = link is Link.REFUSED
        self.setCursor(Qt.CursorShape.PointingHandCursor if refused
                       else Qt.CursorShape.ArrowCursor)
        if refused and not self.short:
            self.setText(f"●  {wording.word('link_enter_code', link=words)}")

    def _clicked(self) -> None:
        if self.controller.link is Link.REFUSED:
            self.pairing_requested.emit()


class OfficialBadge(QPushButton):
    """Who serves at this counter; pressed (or F10), an official signs in or out.
    Hidden when the office lists no officials."""

    def __init__(self, controller: CounterController, action: QAction,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("official")
        self.controller = controller
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clicked.connect(action.trigger)
        controller.changed.connect(self.redraw)
        self.redraw()

    def redraw(self) -> None:
        official = self.controller.official_here
        key = wording.KEYS[Action.SIGN_IN]
        text = wording.official_line(official, any_listed=bool(self.controller.officials))
        self.setText(text if official else wording.word("official_sign_in", who=text, key=key))
        self.setToolTip(wording.word("official_tooltip", key=key))
        self.setAccessibleName(text)
        self.setVisible(bool(self.controller.officials))
        signed = "true" if official else "false"
        if self.property("signed") != signed:
            self.setProperty("signed", signed)
            style.restyle(self)


class HallAlerts(QLabel):
    """What the official should know about the hall: a citizen who asked for help at a
    kiosk (a click here says this official goes), a kiosk's printer that is out of
    paper, open or offline (until it says it works again), and citizens waiting for a
    service that no counter serves right now (``shared.core.serving``)."""

    def __init__(self, controller: CounterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.controller = controller
        self.setWordWrap(True)
        controller.changed.connect(self.redraw)
        self.redraw()

    def redraw(self) -> None:
        lines = [wording.help_wanted(kiosk, where)
                 for kiosk, where in sorted(self.controller.help_wanted.items())]
        lines += [wording.printer_fault(kiosk, message)
                  for kiosk, message in sorted(self.controller.faults.items())]
        lines += [wording.unserved(wording.service_name(line), line.waiting)
                  for line in self.controller.unserved_waiting()]
        self.setText("\n".join(f"⚠  {line}" for line in lines))
        self.setVisible(bool(lines))
        helping = bool(self.controller.help_wanted)
        self.setCursor(Qt.CursorShape.PointingHandCursor if helping
                       else Qt.CursorShape.ArrowCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.controller.help_wanted:
            self.controller.answer_help()
        super().mousePressEvent(event)


class OfflineBanner(QLabel):
    """While the server cannot be reached: why the buttons do nothing, in plain words."""

    def __init__(self, controller: CounterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self.controller = controller
        self.setWordWrap(True)
        controller.changed.connect(self.redraw)
        self.redraw()

    def redraw(self) -> None:
        link = self.controller.link
        if link is Link.OFFLINE:
            self.setText(wording.word("offline_banner"))
        elif link is Link.REFUSED:
            self.setText(wording.word("refused_banner"))
        self.setVisible(link in (Link.OFFLINE, Link.REFUSED))


class StatusLine(QLabel):
    """The last thing that happened, in a sentence; errors in red, calmly."""

    def __init__(self, controller: CounterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status")
        self.controller = controller
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        controller.message.connect(self.show_message)
        text, error = controller.last_message
        if text:
            self.show_message(text, error)

    def show_message(self, text: str, error: bool) -> None:
        stamp = self.controller.server_now().strftime("%H:%M")
        self.setText(f"{stamp}  ·  {'⚠ ' if error else ''}{text}")
        self.setProperty("error", error)
        style.restyle(self)
