"""The counters and the number each is serving, as a grid of tiles.

Four counters make four wide rows; twenty make a grid of smaller tiles: the grid is
chosen for the panel's shape (``best_grid``) and every tile's type is sized from
the tiles, all numbers the same size. A hall of fifty counters would make numbers too
small to read from across the room, so the board never sizes a number below
``LEGIBLE_NUMBER`` (at 1080 lines): it shows as many counters as fit at that size and
turns to the next ones every ``PAGE_SECONDS`` (issue 17, part 2), saying which page
it shows; the counter of a fresh call is always on the page shown. The counter of a
fresh call is amber while the call is highlighted; a paused counter says "Tạm dừng";
a counter with nobody logged in and nobody served is dimmed.

Imports QtCore, QtGui, QtWidgets and the display's own view helpers; no rules.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF, Qt, QTimer
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
LEGIBLE_NUMBER = 44.0  # px at 1920×1080: a number readable from the back of a hall
PAGE_SECONDS = 8


class CounterBoard(Panel):
    def __init__(self, controller: DisplayController, parent: QWidget | None = None) -> None:
        super().__init__(wording.word("counters_title"), parent)
        self.controller = controller
        self.page = 0  # which page of counters is shown, when they do not fit on one
        self._per_page: int | None = None  # worked out at the last paint
        self._fit_key: tuple[int, int, int, float] | None = None  # … for this panel
        self.number_px = 0
        self._turner = QTimer(self)
        self._turner.timeout.connect(self.turn_page)  # started when there are pages
        controller.changed.connect(self._changed)

    def shown(self) -> list[tuple[str, str]]:
        """Each counter's tile as on screen: (counter name, number or state)."""
        return [(seat.name, wording.seat_text(seat)) for seat in self._page_seats()]

    @property
    def pages(self) -> int:
        seats = len(self.controller.hall.seats)
        per_page = self._per_page or seats or 1
        return max(1, -(-seats // per_page))

    def turn_page(self) -> None:
        if self.pages > 1:
            self.page = (self.page + 1) % self.pages
            self._set_title()
            self.update()

    def _changed(self) -> None:
        lit = self.lit()
        if lit is not None and self._per_page:  # a fresh call: its counter's page
            numbers = [s.number for s in self.controller.hall.seats]
            if lit in numbers:
                self.page = numbers.index(lit) // self._per_page
                self._turner.start(PAGE_SECONDS * 1000)  # a whole turn to read it
        self._set_title()
        self.update()

    def _set_title(self) -> None:
        title = wording.word("counters_title")
        if self.pages > 1:
            title += f" · {self.page % self.pages + 1}/{self.pages}"
            if not self._turner.isActive():
                self._turner.start(PAGE_SECONDS * 1000)
        else:
            self._turner.stop()
        if title != self.title:
            self.title = title

    def _page_seats(self) -> tuple[Seat, ...]:
        seats = self.controller.hall.seats
        if not self._per_page or self._per_page >= len(seats):
            return seats
        start = (self.page % self.pages) * self._per_page
        return seats[start:start + self._per_page]

    def lit(self) -> int | None:
        """The counter shown in amber (that of a fresh call), if any."""
        newest = self.controller.hall.newest
        return newest.counter if newest is not None and self.controller.highlighted else None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        content = self.paint_frame(painter)
        everyone = self.controller.hall.seats
        if not everyone:
            painter.end()
            return
        gap = self.s(14)
        per_page = self._fitting(len(everyone), content, gap)
        if per_page != self._per_page:
            self._per_page = per_page
            self._set_title()
            self.update()  # the frame above was drawn with the old title
        seats = self._page_seats()
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
        self.number_px = number_font.pixelSize()  # what the last paint drew the numbers at
        state_font = painting.fitted([wording.word("paused")], value_rect.width(),
                                     number_font.pixelSize() * 0.55, bold=True)
        lit = self.lit()
        for seat, box in zip(seats, boxes, strict=True):
            self._paint_tile(painter, seat, box, stacked=stacked, pad=pad, lit=seat.number == lit,
                             fonts=(name_font, number_font, state_font))
        painter.end()

    def _fitting(self, count: int, content: QRectF, gap: float) -> int:
        """How many tiles fit with numbers of at least ``LEGIBLE_NUMBER``: all of them
        when they can, else fewer, on pages of equal size."""
        key = (count, round(content.width()), round(content.height()), self.scale)
        if key == self._fit_key and self._per_page is not None:
            return self._per_page
        self._fit_key = key
        legible = self.s(LEGIBLE_NUMBER)
        for shown in range(count, 0, -1):
            columns, rows = best_grid(shown, content.width(), content.height(), TILE_ASPECT)
            box = cells(content, shown, columns, rows, gap)[0]
            stacked = box.width() / box.height() < STACKED_BELOW
            pad = min(self.s(28), box.height() * 0.18)
            _, value = _places(box, stacked=stacked, pad=pad)
            size = painting.fitted(NUMBER_SAMPLES, value.width(),
                                   value.height() * (1.0 if stacked else 0.9), bold=True)
            if size.pixelSize() >= legible:
                pages = -(-count // shown)
                return -(-count // pages)  # the same number on every page
        return min(count, 4)  # a tiny window: a few at a time, not one by one

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
