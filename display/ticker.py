"""The scrolling notice line at the foot of the screen (``[office] notice``).

Cheap on a small PC: the text is drawn once into a pixmap (again only when the
size changes) and each frame blits it at a new offset, moved by the time elapsed
rather than by a fixed step so that the speed stays even when a frame is late.
The notice repeats with a gap, so the line is never empty.

Imports QtCore, QtGui, QtWidgets and the display's own view helpers.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QElapsedTimer, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QHideEvent, QPainter, QPaintEvent, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from display import painting, style
from display.panel import Panel

log = logging.getLogger(__name__)

FRAME_MS = 16
SPEED = 110.0  # pixels a second at scale 1.0: read comfortably, never hurried
GAP = "          •          "


class NoticeTicker(Panel):
    def __init__(self, notice: str, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.notice = notice.strip()
        self._pixmap: QPixmap | None = None
        self._offset = 0.0
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._step)
        self.setVisible(bool(self.notice))

    def text(self) -> str:
        return self.notice

    def set_notice(self, notice: str) -> None:
        """A new line (the server's); scrolls from the start."""
        notice = notice.strip()
        if notice == self.notice:
            return
        self.notice, self._pixmap, self._offset = notice, None, 0.0
        self.setVisible(bool(notice))
        if notice and self.isVisible():
            self._clock.start()
            self._timer.start()
        self.update()

    @property
    def offset(self) -> float:
        """How far the text has moved left, in pixels."""
        return self._offset

    def showEvent(self, event: QShowEvent) -> None:
        if self.notice:
            self._clock.start()
            self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._pixmap = None

    def _step(self) -> None:
        elapsed = self._clock.restart() / 1000.0
        period = self._period()
        self._offset = (self._offset + SPEED * self.scale * elapsed) % period if period else 0
        self.update()

    def _period(self) -> float:
        pixmap = self._render()
        return pixmap.width() / pixmap.devicePixelRatio() if pixmap is not None else 0.0

    def _render(self) -> QPixmap | None:
        if self._pixmap is None and self.notice and self.height() > 0:
            text = self.notice + GAP
            the_font = painting.font(self.height() * 0.5)
            width = painting.text_width(text, the_font)
            ratio = self.devicePixelRatioF()
            pixmap = QPixmap(QSize(max(1, round(width * ratio)), round(self.height() * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painting.draw(painter, QRectF(0, 0, width, self.height()), text, the_font, style.INK,
                          Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            painter.end()
            self._pixmap = pixmap
        return self._pixmap

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), painting.color(style.TICKER))
        pixmap = self._render()
        if pixmap is not None:
            period = pixmap.width() / pixmap.devicePixelRatio()
            x = -self._offset
            while x < self.width():
                painter.drawPixmap(round(x), 0, pixmap)
                x += period
        painter.end()
