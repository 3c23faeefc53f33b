"""The newest call, large: "MỜI SỐ A023 — đến Quầy 3".

While the call is fresh (the controller's ``highlighted``) the panel is amber with
dark type, breathing gently so that an eye in the hall catches it; afterwards it
is the calm blue of the rest of the screen and still says who was called last.

Imports QtCore, QtGui, QtWidgets and the display's own view helpers; no rules.
"""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QElapsedTimer, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from display import painting, style, wording
from display.controller import DisplayController
from display.panel import Panel

log = logging.getLogger(__name__)

Align = Qt.AlignmentFlag
PULSE_SECONDS = 1.6  # one slow breath of the highlight
FRAME_MS = 50


class CallPanel(Panel):
    def __init__(self, controller: DisplayController, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.controller = controller
        self._pulse = QTimer(self)
        self._pulse.setInterval(FRAME_MS)
        self._pulse.timeout.connect(self.update)
        self._since = QElapsedTimer()
        controller.changed.connect(self._changed)
        controller.call_received.connect(self._called)

    def shown(self) -> tuple[str, ...]:
        """The lines on screen: (caption, number, "đến", counter) or the idle line."""
        call = self.controller.hall.newest
        if call is None:
            return (wording.word("no_call_yet"),)
        caption = wording.word("recall_caption" if call.recall else
                               "booked_caption" if call.appointment else "call_caption")
        return caption, call.number, wording.word("to_counter"), call.counter_name

    @property
    def highlighted(self) -> bool:
        return self.controller.highlighted

    def _changed(self) -> None:
        if self.highlighted and not self._pulse.isActive():
            self._since.start()
            self._pulse.start()
        elif not self.highlighted:
            self._pulse.stop()
        self.update()

    def _called(self) -> None:
        self._since.start()  # a new call (or a recall): the breath starts again

    def _fill(self) -> QColor:
        if not self.highlighted:
            return QColor(style.PANEL)
        phase = (self._since.elapsed() / 1000.0) / PULSE_SECONDS if self._since.isValid() else 0
        mix = 0.5 - 0.5 * math.cos(2 * math.pi * phase)  # 0 at the start: full amber
        low, high = QColor(style.HIGHLIGHT), QColor(style.HIGHLIGHT_GLOW)
        return QColor(
            round(low.red() + (high.red() - low.red()) * mix),
            round(low.green() + (high.green() - low.green()) * mix),
            round(low.blue() + (high.blue() - low.blue()) * mix),
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect())
        painting.rounded_panel(painter, rect, self._fill(), self.s(22))
        lines = self.shown()
        pad = self.s(36)
        inner = rect.adjusted(pad, pad * 0.6, -pad, -pad * 0.6)
        if len(lines) == 1:
            painting.draw(painter, inner, lines[0],
                          painting.fitted(lines[0], inner.width() * 0.9, inner.height() * 0.2),
                          style.MUTED)
            painter.end()
            return
        caption, number, to, counter = lines
        dark = self.highlighted
        ink = style.HIGHLIGHT_INK if dark else style.INK
        h = inner.height()
        caption_rect = QRectF(inner.left(), inner.top(), inner.width(), h * 0.17)
        number_rect = QRectF(inner.left(), caption_rect.bottom(), inner.width(), h * 0.53)
        counter_rect = QRectF(inner.left(), number_rect.bottom(), inner.width(),
                              inner.bottom() - number_rect.bottom())
        painting.draw(painter, caption_rect, caption,
                      painting.fitted([wording.word("recall_caption"),
                                       wording.word("booked_caption")],
                                      inner.width() * 0.8, caption_rect.height() * 0.8,
                                      bold=True),
                      style.HIGHLIGHT_INK if dark else style.MUTED)
        number_font = painting.fitted([number, "A888"], inner.width() * 0.92,
                                      number_rect.height() * 1.02, bold=True)
        painting.draw(painter, number_rect, number, number_font,
                      style.HIGHLIGHT_INK if dark else style.NUMBER)
        # "đến Quầy 3" on one line: the small word, then the counter as large as fits.
        counter_font = painting.fitted(f"{to} {counter}", inner.width() * 0.92,
                                       counter_rect.height() * 0.78, bold=True)
        to_font = painting.font(counter_font.pixelSize() * 0.62)
        to_width = painting.text_width(to + " ", to_font)
        counter_width = painting.text_width(counter, counter_font)
        left = counter_rect.center().x() - (to_width + counter_width) / 2
        painting.draw(painter, QRectF(left, counter_rect.top(), to_width, counter_rect.height()),
                      to, to_font, ink, Align.AlignLeft | Align.AlignVCenter)
        painting.draw(painter, QRectF(left + to_width, counter_rect.top(), counter_width + 2,
                                      counter_rect.height()),
                      counter, counter_font, ink, Align.AlignLeft | Align.AlignVCenter)
        painter.end()
