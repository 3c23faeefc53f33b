"""The top bar of the hall display: the office's name, the date and a clock.

The clock is the office's local time (its time zone from the configuration), read
from an injectable ``clock`` so that tests and screenshots show a known moment; it
repaints only when the minute changes.

Imports QtCore, QtGui, QtWidgets and the display's own view helpers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from display import painting, style, wording
from display.controller import DisplayController
from display.panel import Panel

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Align = Qt.AlignmentFlag


class HeaderBar(Panel):
    def __init__(self, controller: DisplayController, clock: Clock,
                 parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.controller = controller
        self.clock = clock
        self._shown = self._now_texts()
        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start(1000)
        controller.changed.connect(self.update)

    def shown(self) -> tuple[str, str, str]:
        """(office name, date, time) as on screen."""
        return (self.controller.hall.office_name, *self._shown)

    def _now_texts(self) -> tuple[str, str]:
        now = self.clock()
        return wording.date_text(now), wording.time_text(now)

    def _tick(self) -> None:
        texts = self._now_texts()
        if texts != self._shown:
            self._shown = texts
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), painting.color(style.HEADER))
        rect = QRectF(self.rect())
        pad = self.s(36)
        name, date, time = self.shown()
        stacked = rect.width() / max(1.0, rect.height()) < 12  # a portrait screen
        if stacked:
            # The date under the time, both right-aligned: the name keeps the width.
            time_font = painting.fitted("88:88", self.s(220), rect.height() * 0.56, bold=True)
            date_font = painting.fitted(date, self.s(420), rect.height() * 0.26)
            block = max(painting.text_width("88:88", time_font),
                        painting.text_width(date, date_font))
            left = rect.right() - pad - block
            painting.draw(painter, QRectF(left, rect.top() + rect.height() * 0.06, block,
                                          rect.height() * 0.58),
                          time, time_font, style.INK, Align.AlignRight | Align.AlignVCenter)
            painting.draw(painter, QRectF(left, rect.top() + rect.height() * 0.62, block,
                                          rect.height() * 0.32),
                          date, date_font, style.MUTED, Align.AlignRight | Align.AlignVCenter)
            date_rect = QRectF(left, rect.top(), block, rect.height())
        else:
            time_font = painting.fitted("88:88", self.s(260), rect.height() * 0.8, bold=True)
            time_width = painting.text_width("88:88", time_font)
            time_rect = QRectF(rect.right() - pad - time_width, rect.top(), time_width,
                               rect.height())
            painting.draw(painter, time_rect, time, time_font, style.INK,
                          Align.AlignRight | Align.AlignVCenter)
            date_font = painting.fitted(date, self.s(460), rect.height() * 0.38)
            date_width = painting.text_width(date, date_font)
            date_rect = QRectF(time_rect.left() - self.s(30) - date_width, rect.top(),
                               date_width, rect.height())
            painting.draw(painter, date_rect, date, date_font, style.MUTED,
                          Align.AlignRight | Align.AlignVCenter)
        name_rect = QRectF(rect.left() + pad, rect.top(),
                           date_rect.left() - self.s(40) - rect.left() - pad, rect.height())
        # A long name (a provincial centre's) may take two lines rather than shrink.
        one_line = painting.fitted(name or " ", name_rect.width(), rect.height() * 0.62,
                                   bold=True, most=self.s(52))
        two_lines = painting.fitted_wrapped([name or " "], name_rect.width(),
                                            rect.height() * 0.86, bold=True, most=self.s(40))
        wrap = two_lines.pixelSize() > one_line.pixelSize() * 1.15
        painting.draw(painter, name_rect, name, two_lines if wrap else one_line, style.INK,
                      Align.AlignLeft | Align.AlignVCenter, wrap=wrap)
        painter.end()
