"""The frame every block of the hall display shares: a calm rounded panel with a title.

``Panel`` is a painted widget that takes no focus and no mouse (a TV has neither
keyboard nor pointer in front of it), knows the window's scale for its frame and
title, and leaves its content to the subclass. ``best_grid`` lays out N cells in a
rectangle so that each is as close as possible to the shape its content reads best in.

Imports QtCore, QtGui, QtWidgets; no state of the hall.
"""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from display import painting, style

log = logging.getLogger(__name__)


class Panel(QWidget):
    """A titled, rounded block; subclasses paint inside ``content_rect``."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.scale = 1.0
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        # The window's stretch factors decide the sizes, never the text.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def set_scale(self, scale: float) -> None:
        if scale != self.scale:
            self.scale = scale
            self.update()

    def s(self, size: float) -> float:
        """``size`` designed at 1920×1080, at this window's scale."""
        return size * self.scale

    def paint_frame(self, painter: QPainter) -> QRectF:
        """Paint the panel and its title; returns the rectangle left for the content."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect())
        painting.rounded_panel(painter, rect, style.PANEL, self.s(18))
        pad = self.s(22)
        if not self.title:
            return rect.adjusted(pad, pad, -pad, -pad)
        title_height = self.s(58)
        title = QRectF(rect.left() + pad, rect.top() + self.s(8), rect.width() - 2 * pad,
                       title_height)
        painting.draw(painter, title, self.title,
                      painting.fitted(self.title, title.width(), title_height, bold=True,
                                      most=self.s(30)),
                      style.MUTED, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(painting.color(style.PANEL_EDGE))
        painter.drawRect(QRectF(title.left(), title.bottom(), title.width(), max(1.0, self.s(2))))
        return QRectF(rect.left() + pad, title.bottom() + self.s(14), rect.width() - 2 * pad,
                      rect.bottom() - title.bottom() - self.s(14) - pad)


def best_grid(count: int, width: float, height: float, aspect: float) -> tuple[int, int]:
    """(columns, rows) for ``count`` cells in width × height, each cell's width:height
    as near ``aspect`` as the grid allows."""
    if count <= 0 or width <= 0 or height <= 0:
        return 1, 1
    best: tuple[float, int, int] | None = None
    for columns in range(1, count + 1):
        rows = math.ceil(count / columns)
        if (columns - 1) * rows >= count:
            continue  # an empty column: the same grid with fewer columns is better
        shape = (width / columns) / (height / rows)
        score = abs(math.log(shape / aspect))
        if best is None or score < best[0] - 1e-9:
            best = (score, columns, rows)
    assert best is not None
    return best[1], best[2]


def cells(rect: QRectF, count: int, columns: int, rows: int, gap: float,
          *, by_column: bool = True) -> list[QRectF]:
    """The rectangles of ``count`` cells, filled column by column (a list read
    downwards, then the next column) or row by row."""
    width = (rect.width() - gap * (columns - 1)) / columns
    height = (rect.height() - gap * (rows - 1)) / rows
    result = []
    for index in range(count):
        column, row = (divmod(index, rows) if by_column else divmod(index, columns)[::-1])
        result.append(QRectF(rect.left() + column * (width + gap),
                             rect.top() + row * (height + gap), width, height))
    return result
