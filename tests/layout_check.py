"""Looking at a window as a person would: is any text cut, or lying over another?

``problems(window)`` lists, in plain words, every visible label or button whose text
does not fit its box (wider than it on one line, or more lines than its height
holds), whose wrapping had to break a word in the middle, that reaches outside the
window or is clipped by a smaller container, or whose text overlaps another's. The
tests of the three programs render each screen at many sizes and languages and expect
none (issue 16).

Imports Qt's widgets; used by tests only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

_TAGS = re.compile(r"<[^>]+>")
SLACK = 1  # pixels of rounding


def problems(window: QWidget) -> list[str]:
    boxes = list(_text_boxes(window))
    found = [problem for _, _, problem in boxes if problem]
    shown = [(widget, rect) for widget, rect, _ in boxes if rect.isValid()]
    bounds = QRect(QPoint(0, 0), window.size())
    for widget, rect in shown:
        if not bounds.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(rect):
            found.append(f"{_name(widget)} reaches outside the window ({_where(rect)})")
        elif not (seen := _unclipped(widget, window)).adjusted(
                -SLACK, -SLACK, SLACK, SLACK).contains(rect):
            found.append(f"{_name(widget)} is clipped by its container: {_where(rect)} "
                         f"shown in {_where(seen)}")
    for i, (one, first) in enumerate(shown):
        for other, second in shown[i + 1:]:
            if one.isAncestorOf(other) or other.isAncestorOf(one):
                continue
            overlap = first.intersected(second)
            if overlap.width() > SLACK and overlap.height() > SLACK:
                found.append(f"{_name(one)} overlaps {_name(other)}")
    return found


def _unclipped(widget: QWidget, window: QWidget) -> QRect:
    """The part of the window where ``widget`` can paint: the intersection of its
    ancestors' rectangles (a child outside its parent is not drawn there)."""
    area = QRect(QPoint(0, 0), window.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        area = area.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return area


def _text_boxes(window: QWidget) -> Iterator[tuple[QWidget, QRect, str]]:
    """Each visible text: its widget, where the text itself lies in the window, and
    what is wrong with it ("" when it fits)."""
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel) and widget.text().strip() and widget.pixmap().isNull():
            text = _plain(widget)
            box = widget.contentsRect().adjusted(
                widget.margin(), widget.margin(), -widget.margin(), -widget.margin())
            yield _fit(widget, text, box, widget.wordWrap(), widget.alignment())
        elif isinstance(widget, QAbstractButton) and widget.text().strip():
            box = widget.contentsRect().adjusted(8, 2, -8, -2)  # the style's padding
            yield _fit(widget, widget.text(), box, False, Qt.AlignmentFlag.AlignCenter)


def _fit(widget: QWidget, text: str, box: QRect, wrap: bool,
         alignment: Qt.AlignmentFlag) -> tuple[QWidget, QRect, str]:
    metrics = QFontMetrics(widget.font())
    flags = int(alignment) | (int(Qt.TextFlag.TextWordWrap) if wrap else 0)
    needed = metrics.boundingRect(QRect(box.x(), box.y(), box.width(), 100_000), flags, text)
    if not wrap:
        # One line: its ink must fit (a big ticket number has no descenders to cut,
        # while a line of Vietnamese does: its dots below are ink too).
        ink = metrics.tightBoundingRect(text)
        needed = QRect(box.x(), box.y(), ink.width(), ink.height())
    problem = ""
    # Words as a line break may separate them: at spaces and newlines (a no-break space
    # keeps a short name whole, and so does the check).
    words = [w for w in re.split(r"[ \n]+", text) if w]
    widest_word = max((metrics.horizontalAdvance(w) for w in words), default=0)
    if wrap and widest_word > box.width() + SLACK:
        problem = f"{_name(widget)} breaks a word: {box.width()} px for {widest_word} px"
    elif needed.width() > box.width() + SLACK or needed.height() > box.height() + SLACK:
        problem = (f"{_name(widget)} is cut: {needed.width()}×{needed.height()} px of text "
                   f"in {box.width()}×{box.height()}")
    shown = _placed(needed.size(), box, alignment).intersected(box) if box.isValid() \
        else QRect()
    top_left = widget.mapTo(widget.window(), shown.topLeft())
    return widget, QRect(top_left, shown.size()), problem


def _placed(size: QSize, box: QRect, alignment: Qt.AlignmentFlag) -> QRect:
    """Where text of ``size`` lies in ``box`` as ``alignment`` puts it."""
    x, y = box.x(), box.y()
    if alignment & Qt.AlignmentFlag.AlignHCenter:
        x += (box.width() - size.width()) // 2
    elif alignment & Qt.AlignmentFlag.AlignRight:
        x += box.width() - size.width()
    if alignment & Qt.AlignmentFlag.AlignVCenter:
        y += (box.height() - size.height()) // 2
    elif alignment & Qt.AlignmentFlag.AlignBottom:
        y += box.height() - size.height()
    return QRect(QPoint(x, y), size)


def _plain(label: QLabel) -> str:
    text = label.text()
    if label.textFormat() is Qt.TextFormat.RichText or (
            label.textFormat() is Qt.TextFormat.AutoText and _TAGS.search(text)):
        text = _TAGS.sub("", text.replace("<br>", "\n"))
    return text


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    text = " ".join(_TAGS.sub("", text).split())
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}” ({type(widget).__name__})"


def _where(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}×{rect.height()}"


class PaintedText:
    """What the hall display paints (it has no labels): every text drawn through
    ``display.painting``, in window coordinates, and every text it had to elide.

        with PaintedText() as painted:
            window.grab()
        assert painted.problems(smallest_px=16) == []
    """

    def __init__(self) -> None:
        self.drawn: list[tuple[QWidget, QRect, str, int, str]] = []
        self.elided: list[tuple[str, str]] = []

    def __enter__(self) -> PaintedText:
        from display import painting

        painting.drawn_hooks.append(self._drawn)
        painting.elided_hooks.append(self._elided)
        return self

    def __exit__(self, *exc: object) -> None:
        from display import painting

        painting.drawn_hooks.remove(self._drawn)
        painting.elided_hooks.remove(self._elided)

    def _drawn(self, painter: object, rect: object, text: str, font: object,
               flags: int) -> None:
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QFont, QPainter

        assert isinstance(painter, QPainter)
        assert isinstance(rect, QRectF)
        assert isinstance(font, QFont)
        device = painter.device()
        if not isinstance(device, QWidget) or not text.strip():
            return
        box = rect.toAlignedRect()
        metrics = QFontMetrics(font)
        if flags & int(Qt.TextFlag.TextWordWrap):
            lines = metrics.boundingRect(QRect(0, 0, box.width(), 100_000), flags, text)
            needed = lines.size()
        else:
            ink = metrics.tightBoundingRect(text)
            needed = ink.size()
        problem = ""
        if needed.width() > box.width() + SLACK or needed.height() > box.height() + SLACK:
            problem = (f"“{text[:40]}” is cut: {needed.width()}×{needed.height()} px of text "
                       f"in {box.width()}×{box.height()}")
        # Where the text itself lies, as its alignment puts it (clipped to its box).
        where = metrics.boundingRect(box, flags, text).intersected(box)
        top_left = device.mapTo(device.window(), where.topLeft())
        self.drawn.append((device, QRect(top_left, where.size()), text, font.pixelSize(),
                           problem))

    def _elided(self, text: str, shown: str) -> None:
        self.elided.append((text, shown))

    def problems(self, smallest_px: int) -> list[str]:
        found = [f"“{text}” is elided to “{shown}”" for text, shown in self.elided]
        found += [problem for *_, problem in self.drawn if problem]
        found += [f"“{text[:40]}” is {size} px, under {smallest_px}"
                  for _, _, text, size, _ in self.drawn if 0 < size < smallest_px]
        for i, (_, first, one, _, _) in enumerate(self.drawn):
            for _, second, other, _, _ in self.drawn[i + 1:]:
                overlap = first.intersected(second)
                if overlap.width() > SLACK and overlap.height() > SLACK and first != second:
                    found.append(f"“{one[:30]}” overlaps “{other[:30]}”")
        return sorted(set(found))
