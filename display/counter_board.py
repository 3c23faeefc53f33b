"""The counters and the number each is serving, as a grid of tiles.

Four counters make four wide rows; forty make a grid of small tiles: the grid is
chosen for the panel's shape (``best_grid``) and every tile's type is sized from
the tiles, all numbers the same size. The counter of a fresh call is amber while
the call is highlighted; a paused counter says "Tạm dừng"; a counter with nobody
logged in and nobody served is dimmed.

Imports QtCore, QtGui, QtWidgets and the display's own view helpers; no rules.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from display import painting, style, wording
from display.controller import DisplayController
from display.hall import Seat
from display.panel import Panel, best_grid, cells

log = logging.getLogger(__name__)

Align = Qt.AlignmentFlag
TILE_ASPECT = 3.6  # a name and a number side by side
STACKED_BELOW = 2.2  # narrower tiles than this put the name above the number
NUMBER_SAMPLES = ("A888", "8888")  # the widest numbers: sizes never jump between calls


class CounterBoard(Panel):
    def __init__(self, controller: DisplayController, parent: QWidget | None = None) -> None:
        super().__init__(wording.COUNTERS_TITLE, parent)
        self.controller = controller
        controller.changed.connect(self.update)

    def shown(self) -> list[tuple[str, str]]:
        """Each counter's tile as on screen: (counter name, number or state)."""
        return [(seat.name, wording.seat_text(seat)) for seat in self.controller.hall.seats]

    def lit(self) -> int | None:
        """The counter shown in amber (that of a fresh call), if any."""
        newest = self.controller.hall.newest
        return newest.counter if newest is not None and self.controller.highlighted else None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        content = self.paint_frame(painter)
        seats = self.controller.hall.seats
        if not seats:
            painter.end()
            return
        gap = self.s(14)
        columns, rows = best_grid(len(seats), content.width(), content.height(), TILE_ASPECT)
        boxes = cells(content, len(seats), columns, rows, gap)
        width, height = boxes[0].width(), boxes[0].height()
        stacked = width / height < STACKED_BELOW
        pad = min(self.s(28), height * 0.18)
        # Sizes from the first tile's own rectangles: every tile is the same shape.
        name_rect, value_rect = _places(boxes[0], stacked=stacked, pad=pad)
        name_font = painting.fitted([s.name for s in seats], name_rect.width(),
                                    name_rect.height() * (1.0 if stacked else 0.6),
                                    bold=True, most=self.s(56))
        number_font = painting.fitted(NUMBER_SAMPLES, value_rect.width(),
                                      value_rect.height() * (1.0 if stacked else 0.9), bold=True)
        state_font = painting.fitted([wording.PAUSED], value_rect.width(),
                                     number_font.pixelSize() * 0.55, bold=True)
        lit = self.lit()
        for seat, box in zip(seats, boxes, strict=True):
            self._paint_tile(painter, seat, box, stacked=stacked, pad=pad, lit=seat.number == lit,
                             fonts=(name_font, number_font, state_font))
        painter.end()

    def _paint_tile(self, painter: QPainter, seat: Seat, box: QRectF, *, stacked: bool,
                    pad: float, lit: bool, fonts: tuple[QFont, QFont, QFont]) -> None:
        name_font, number_font, state_font = fonts
        dim = not seat.connected and seat.serving is None
        fill = style.HIGHLIGHT if lit else style.TILE_IDLE if dim else style.TILE
        painting.rounded_panel(painter, box, fill, self.s(14))
        name_rect, value_rect = _places(box, stacked=stacked, pad=pad)
        if stacked:
            name_align = value_align = Align.AlignCenter
        else:
            name_align = Align.AlignLeft | Align.AlignVCenter
            value_align = Align.AlignRight | Align.AlignVCenter
        name_ink = style.HIGHLIGHT_INK if lit else style.FAINT if dim else style.INK
        painting.draw(painter, name_rect, painting.elided(seat.name, name_font, name_rect.width()),
                      name_font, name_ink, name_align)
        text = wording.seat_text(seat)
        if seat.serving:
            painting.draw(painter, value_rect, text, number_font,
                          style.HIGHLIGHT_INK if lit else style.NUMBER, value_align)
        elif seat.paused:
            painting.draw(painter, value_rect, text, state_font, style.PAUSED, value_align)
        else:
            painting.draw(painter, value_rect, text, state_font, style.FAINT, value_align)


def _places(box: QRectF, *, stacked: bool, pad: float) -> tuple[QRectF, QRectF]:
    """Where a tile's name and number go: above each other, or side by side."""
    inner = box.adjusted(pad, 0, -pad, 0)
    if stacked:
        name = QRectF(inner.left(), box.top() + box.height() * 0.06, inner.width(),
                      box.height() * 0.34)
        return name, QRectF(inner.left(), name.bottom(), inner.width(),
                            box.bottom() - name.bottom() - box.height() * 0.04)
    name = QRectF(inner.left(), box.top(), (inner.width() - pad) * 0.42, box.height())
    return name, QRectF(name.right() + pad, box.top(), inner.right() - name.right() - pad,
                        box.height())
