"""Drawing text that fits: the one piece of painting every panel of the display shares.

The panels paint themselves (a TV has no use for widgets that take focus), and
each sizes its type from its own rectangle, so the same code reads well on a
1366×768 TV, a 1920×1080 one and a portrait screen. ``fitted`` finds the largest
font for a text in a box; ``draw`` paints it there.

Imports QtGui and QtCore only; no widgets, no state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from display import style

log = logging.getLogger(__name__)

Align = Qt.AlignmentFlag

# Who wants to know what is painted (the layout tests): called with the painter, the
# box, the text, its font and the drawing flags (alignment, wrapping), for every
# ``draw``; and with the text and what was shown of it, for every ``elided`` that had
# to cut. Empty in a program.
drawn_hooks: list[Callable[[QPainter, QRectF, str, QFont, int], None]] = []
elided_hooks: list[Callable[[str, str], None]] = []


def font(pixel_size: float, *, bold: bool = False) -> QFont:
    result = QFont()
    result.setFamilies(list(style.FONT_FAMILIES))
    result.setPixelSize(max(1, round(pixel_size)))
    result.setBold(bold)
    return result


def fitted(
    texts: str | Iterable[str], width: float, height: float, *, bold: bool = False,
    most: float | None = None,
) -> QFont:
    """The largest font (at most ``most`` pixels, and no taller than ``height``) in
    which every one of ``texts`` fits in ``width`` on one line.

    Given several texts (a column of numbers, say), they all get the same size, so
    that a column reads as one.
    """
    samples = [texts] if isinstance(texts, str) else [t for t in texts if t] or [" "]
    top = max(1.0, min(height / 1.2, most if most is not None else height))
    low, high = 1.0, top
    # A bisection over the pixel size: text width grows with it, monotonically
    # enough for a result within half a pixel.
    while high - low > 0.5:
        middle = (low + high) / 2
        metrics = QFontMetricsF(font(middle, bold=bold))
        if max(metrics.horizontalAdvance(t) for t in samples) <= width:
            low = middle
        else:
            high = middle
    return font(low, bold=bold)


def draw(
    painter: QPainter, rect: QRectF, text: str, the_font: QFont, color: str | QColor,
    align: Qt.AlignmentFlag = Align.AlignCenter, *, wrap: bool = False,
) -> None:
    """Paint ``text`` in ``rect`` (give a vertical alignment too: AlignVCenter …),
    on several lines if ``wrap``."""
    painter.setFont(the_font)
    painter.setPen(QColor(color))
    flags = int(align.value) | (int(Qt.TextFlag.TextWordWrap.value) if wrap else 0)
    painter.drawText(rect, flags, text)
    for hook in drawn_hooks:
        hook(painter, rect, text, the_font, flags)


def elided(text: str, the_font: QFont, width: float) -> str:
    shown = QFontMetricsF(the_font).elidedText(text, Qt.TextElideMode.ElideRight, width)
    if shown != text:
        for hook in elided_hooks:
            hook(text, shown)
    return shown


def rounded_panel(painter: QPainter, rect: QRectF, fill: str | QColor, radius: float,
                  edge: str | None = None) -> None:
    painter.setPen(Qt.PenStyle.NoPen if edge is None else QColor(edge))
    painter.setBrush(QColor(fill))
    painter.drawRoundedRect(rect, radius, radius)


def color(value: str | QColor) -> QColor:
    return QColor(value)


def fitted_wrapped(
    texts: Iterable[str], width: float, height: float, *, bold: bool = False,
    most: float | None = None,
) -> QFont:
    """Like ``fitted``, but the texts may wrap onto more lines inside width × height."""
    samples = [t for t in texts if t] or [" "]
    low, high = 1.0, max(1.0, most if most is not None else height)
    flags = int((Align.AlignLeft | Align.AlignTop).value) | int(Qt.TextFlag.TextWordWrap.value)
    box = QRectF(0, 0, width, 10 * height)
    while high - low > 0.5:
        middle = (low + high) / 2
        metrics = QFontMetricsF(font(middle, bold=bold))
        fits = all(
            (bound := metrics.boundingRect(box, flags, t)).height() <= height
            and bound.width() <= width
            for t in samples
        )
        if fits:
            low = middle
        else:
            high = middle
    return font(low, bold=bold)


def text_width(text: str, the_font: QFont) -> float:
    return QFontMetricsF(the_font).horizontalAdvance(text)
