"""The last several calls before the newest one: "A022 → Quầy 1", newest first.

How many is the office's ``[display] recent_calls`` (6 by default). The list reads
downwards, then on in the next column when the panel is wide enough for two.

Imports QtCore, QtGui, QtWidgets and the display's own view helpers; no rules.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from display import painting, style, wording
from display.controller import DisplayController
from display.panel import Panel, best_grid, cells

log = logging.getLogger(__name__)

Align = Qt.AlignmentFlag
ROW_ASPECT = 5.0
ARROW = "→"


class RecentCalls(Panel):
    def __init__(self, controller: DisplayController, parent: QWidget | None = None) -> None:
        super().__init__(wording.word("recent_title"), parent)
        self.controller = controller
        controller.changed.connect(self.update)

    def shown(self) -> list[tuple[str, str]]:
        """(number, counter name) per line, newest first."""
        calls = self.controller.hall.earlier_calls(self.controller.recent_count)
        return [(c.number, c.counter_name) for c in calls]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        content = self.paint_frame(painter)
        lines = self.shown()
        count = max(1, self.controller.recent_count)
        if not lines:
            painting.draw(painter, content, wording.word("no_recent"),
                          painting.fitted(wording.word("no_recent"), content.width(), self.s(44)),
                          style.FAINT)
            painter.end()
            return
        # The grid is laid out for the full list, so rows keep their places as it fills.
        columns, rows = best_grid(count, content.width(), content.height(), ROW_ASPECT)
        gap = self.s(10)
        boxes = cells(content, count, columns, rows, gap)
        width, height = boxes[0].width(), boxes[0].height()
        pad = min(self.s(20), height * 0.2)
        number_font = painting.fitted(("A888", "8888"), width * 0.4, height * 0.82, bold=True)
        arrow_font = painting.font(number_font.pixelSize() * 0.6)
        arrow_width = painting.text_width(f" {ARROW} ", arrow_font)
        name_width = width - 2 * pad - painting.text_width("A888", number_font) - arrow_width
        name_font = painting.fitted([name for _, name in lines], name_width, height * 0.6,
                                    bold=True, most=number_font.pixelSize() * 0.8)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for (number, name), box in zip(lines, boxes, strict=False):
            painting.rounded_panel(painter, box, style.TILE, self.s(12))
            inner = box.adjusted(pad, 0, -pad, 0)
            painting.draw(painter, inner, number, number_font, style.NUMBER,
                          Align.AlignLeft | Align.AlignVCenter)
            name_rect = QRectF(inner.right() - name_width, inner.top(), name_width,
                               inner.height())
            painting.draw(painter, name_rect, painting.elided(name, name_font, name_width),
                          name_font, style.INK, Align.AlignRight | Align.AlignVCenter)
            arrow_rect = QRectF(name_rect.left() - arrow_width, inner.top(), arrow_width,
                                inner.height())
            painting.draw(painter, arrow_rect, ARROW, arrow_font, style.FAINT)
        painter.end()
