"""One line across the screen that appears only when there is something to say.

``Banner``: the connection's trouble ("Mất kết nối — đang kết nối lại…"), red,
laid over nothing: the numbers below stay as they were. ``SoundStatus``: the
sound's trouble ("Không có giọng đọc — chỉ phát chuông"), quiet, for the staff.

Imports QtCore, QtGui, QtWidgets and the display's own view helpers.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from display import painting, style, wording
from display.controller import DisplayController
from display.panel import Panel

log = logging.getLogger(__name__)


class Strip(Panel):
    """A full-width line of text, hidden while the text is empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self._text = ""
        self.setVisible(False)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self._text = text
        self.setVisible(bool(text))
        self.update()

    def colors(self) -> tuple[str, str]:
        """(background, ink)."""
        raise NotImplementedError

    def bold(self) -> bool:
        return True

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        background, ink = self.colors()
        painter.fillRect(self.rect(), painting.color(background))
        rect = QRectF(self.rect()).adjusted(self.s(30), 0, -self.s(30), 0)
        painting.draw(painter, rect, self._text,
                      painting.fitted(self._text, rect.width(), rect.height() * 0.62,
                                      bold=self.bold()),
                      ink)
        painter.end()


class Banner(Strip):
    def __init__(self, controller: DisplayController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        controller.banner_changed.connect(self.set_text)
        self.set_text(controller.banner)

    def colors(self) -> tuple[str, str]:
        if self.text() == wording.word("connecting"):
            return style.CONNECTING, style.INK
        return style.OFFLINE, style.INK


class SoundStatus(Strip):
    def __init__(self, controller: DisplayController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        controller.voice_status_changed.connect(self._status)
        self._status(controller.voice_status)

    def _status(self, status: str) -> None:
        self.set_text(f"Âm thanh: {status}" if status else "")

    def colors(self) -> tuple[str, str]:
        return style.BACKGROUND, style.WARNING_INK

    def bold(self) -> bool:
        return False
