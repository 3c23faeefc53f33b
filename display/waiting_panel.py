"""How many citizens wait, per service: the service's name and a large count.

Service names are long ("Lao động – Thương binh – Xã hội"), so a name may take two
lines; all names share one size and all counts another. A service that is not
issuing numbers now is shown dimmed.

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
CELL_ASPECT = 4.2


class WaitingPanel(Panel):
    def __init__(self, controller: DisplayController, parent: QWidget | None = None) -> None:
        super().__init__(wording.word("waiting_title"), parent)
        self.controller = controller
        controller.changed.connect(self.update)

    def shown(self) -> list[tuple[str, str]]:
        """(service name, count waiting) per service, in the office's order."""
        return [(wording.service_name(line), wording.waiting_text(line))
                for line in self.controller.hall.lines]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        content = self.paint_frame(painter)
        lines = self.controller.hall.lines
        if not lines:
            painter.end()
            return
        columns, rows = best_grid(len(lines), content.width(), content.height(), CELL_ASPECT)
        boxes = cells(content, len(lines), columns, rows, self.s(10))
        width, height = boxes[0].width(), boxes[0].height()
        pad = min(self.s(20), height * 0.2)
        count_font = painting.fitted(("888",), width * 0.22, height * 0.8, bold=True,
                                     most=self.s(72))
        count_width = painting.text_width("888", count_font)
        name_width = width - 3 * pad - count_width
        name_font = painting.fitted_wrapped(
            [wording.service_name(line) for line in lines], name_width, height * 0.84, bold=True,
            most=min(self.s(40), count_font.pixelSize() * 0.62))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for line, box in zip(lines, boxes, strict=True):
            painting.rounded_panel(painter, box, style.TILE if line.open else style.TILE_IDLE,
                                   self.s(12))
            inner = box.adjusted(pad, 0, -pad, 0)
            painting.draw(painter, QRectF(inner.left(), inner.top(), name_width, inner.height()),
                          wording.service_name(line), name_font,
                          style.INK if line.open else style.FAINT,
                          Align.AlignLeft | Align.AlignVCenter, wrap=True)
            painting.draw(painter, inner, wording.waiting_text(line), count_font,
                          style.INK if line.open else style.FAINT,
                          Align.AlignRight | Align.AlignVCenter)
        painter.end()
