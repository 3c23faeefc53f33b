"""The hall display's window: every panel in its place, landscape or portrait.

The places are fractions of the window, computed on every resize, so the same
screen fits a 1920×1080 TV, a 1366×768 one and a TV turned on its side (portrait,
chosen by the window's shape unless ``portrait`` is forced). On a TV the window is
full-screen, frameless and without a mouse pointer; ``windowed`` is for trying it
out and for tests.

Keys, for the IT person with a keyboard at hand: F11 switches full screen on and
off, Esc leaves full screen, Ctrl+Q quits.

Imports QtCore, QtGui, QtWidgets and the display's own panels; no rules.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QPalette, QResizeEvent, QShortcut
from PySide6.QtWidgets import QWidget

from display import painting, style
from display.call_panel import CallPanel
from display.controller import DisplayController
from display.counter_board import CounterBoard
from display.header import Clock, HeaderBar
from display.panel import Panel
from display.recent_calls import RecentCalls
from display.strip import Banner, SoundStatus
from display.ticker import NoticeTicker
from display.waiting_panel import WaitingPanel
from shared.qt.full_screen import show_full_screen

log = logging.getLogger(__name__)

TITLE = "motcua — màn hình phòng chờ"


class DisplayWindow(QWidget):
    """The whole hall display. ``quit_requested`` when Ctrl+Q is pressed."""

    quit_requested = Signal()

    def __init__(
        self,
        controller: DisplayController,
        notice: str,
        clock: Clock,
        *,
        portrait: bool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.forced_portrait = portrait
        self.setWindowTitle(TITLE)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, painting.color(style.BACKGROUND))
        self.setPalette(palette)
        self.header = HeaderBar(controller, clock, self)
        self.banner = Banner(controller, self)
        self.call_panel = CallPanel(controller, self)
        self.board = CounterBoard(controller, self)
        self.recent = RecentCalls(controller, self)
        self.waiting = WaitingPanel(controller, self)
        self.sound_status = SoundStatus(controller, self)
        self.ticker = NoticeTicker(notice, self)
        self.scale = 1.0
        # Strips that come and go move the panels: lay out again when they do.
        controller.banner_changed.connect(self._lay_out)
        controller.voice_status_changed.connect(self._lay_out)
        controller.changed.connect(self._counters_changed)
        controller.changed.connect(self._describe)
        self._counters = -1
        self._shortcut(QKeySequence(Qt.Key.Key_F11), self.toggle_full_screen)
        self._shortcut(QKeySequence(Qt.Key.Key_Escape), self.leave_full_screen)
        self._shortcut(QKeySequence("Ctrl+Q"), self.quit_requested.emit)

    # -- showing --------------------------------------------------------------------

    @property
    def portrait(self) -> bool:
        if self.forced_portrait is not None:
            return self.forced_portrait
        return style.is_portrait(self.width(), self.height())

    def show_on_tv(self, *, windowed: bool = False) -> None:
        """Full-screen, frameless, without a pointer; or an ordinary window."""
        if windowed:
            self.resize(1280, 1600 if self.forced_portrait else 720)
            self.show()
            return
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setCursor(Qt.CursorShape.BlankCursor)
        show_full_screen(self)

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.leave_full_screen()
        else:
            self.setCursor(Qt.CursorShape.BlankCursor)
            show_full_screen(self)

    def leave_full_screen(self) -> None:
        if self.isFullScreen():
            self.unsetCursor()
            self.showNormal()

    # -- the places -------------------------------------------------------------------

    def set_notice(self, notice: str) -> None:
        """The office's notice line, as its server says it (hidden when empty)."""
        self.ticker.set_notice(notice)
        self._lay_out()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._lay_out()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ticker.hide()  # stops its timer
        super().closeEvent(event)

    def _describe(self) -> None:
        """What the painted panels show, as their accessible names: for screen readers,
        and for the end-to-end test that reads the screen through remote control."""
        for panel in (self.call_panel, self.board, self.recent, self.waiting):
            lines = panel.shown()
            words = [" ".join(line) if isinstance(line, tuple) else line for line in lines]
            panel.setAccessibleName(" · ".join(words))

    def _counters_changed(self) -> None:
        # The board's share depends on how many counters there are: only then lay out.
        if len(self.controller.hall.seats) != self._counters:
            self._counters = len(self.controller.hall.seats)
            self._lay_out()

    def _lay_out(self) -> None:
        width, height = self.width(), self.height()
        scale = self.scale = style.scale_for(width, height)
        panels: list[Panel] = [self.header, self.banner, self.call_panel, self.board,
                               self.recent, self.waiting, self.sound_status, self.ticker]
        for panel in panels:
            panel.set_scale(scale)
        top = 0.0
        top = self._place(self.header, top, 118 * scale)
        if not self.banner.isHidden():
            top = self._place(self.banner, top, 84 * scale)
        bottom = float(height)
        if not self.ticker.isHidden():
            bottom -= 64 * scale
            self.ticker.setGeometry(0, round(bottom), width, round(64 * scale))
        if not self.sound_status.isHidden():
            bottom -= 46 * scale
            self.sound_status.setGeometry(0, round(bottom), width, round(46 * scale))
        margin, gap = 26 * scale, 22 * scale
        area = QRectF(margin, top + margin, width - 2 * margin, bottom - top - 2 * margin)
        if self.portrait:
            self._portrait(area, gap)
        else:
            self._landscape(area, gap)

    def _board_share(self, least: float, most: float) -> float:
        """The counters' board grows with the number of counters, within bounds."""
        return min(most, least + 0.02 * len(self.controller.hall.seats))

    def _shortcut(self, keys: QKeySequence, slot: object) -> None:
        shortcut = QShortcut(keys, self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(slot)

    def _place(self, panel: QWidget, top: float, height: float) -> float:
        panel.setGeometry(0, round(top), self.width(), round(height))
        return top + height

    def _landscape(self, area: QRectF, gap: float) -> None:
        left_width = (area.width() - gap) * 0.45
        right_left = area.left() + left_width + gap
        right_width = area.right() - right_left
        call_height = (area.height() - gap) * 0.6
        board_height = (area.height() - gap) * self._board_share(0.44, 0.64)
        _set(self.call_panel, area.left(), area.top(), left_width, call_height)
        _set(self.recent, area.left(), area.top() + call_height + gap, left_width,
             area.height() - call_height - gap)
        _set(self.board, right_left, area.top(), right_width, board_height)
        _set(self.waiting, right_left, area.top() + board_height + gap, right_width,
             area.height() - board_height - gap)

    def _portrait(self, area: QRectF, gap: float) -> None:
        usable = area.height() - 3 * gap
        board = self._board_share(0.23, 0.45)
        rest = (1 - board) / (0.27 + 0.2 + 0.22)
        heights = (usable * 0.27 * rest, usable * board, usable * 0.2 * rest,
                   usable * 0.22 * rest)
        top = area.top()
        for panel, height in zip((self.call_panel, self.board, self.recent, self.waiting),
                                 heights, strict=True):
            _set(panel, area.left(), top, area.width(), height)
            top += height + gap


def _set(widget: QWidget, x: float, y: float, width: float, height: float) -> None:
    widget.setGeometry(round(x), round(y), max(1, round(width)), max(1, round(height)))
