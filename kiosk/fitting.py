"""Type that fits: as large as its place allows, on one line when it can be.

A heading wrapped onto two lines splits a Vietnamese phrase where a reader does not
expect it ("giải / quyết", issue 16), and a name wrapped in a button too small for
two lines is cut. So below its full size a text may shrink a little to stay on one
line, and, when it must wrap, shrink until its lines fit the room it has — never
below ``SMALLEST_TEXT_PX``. Imports QtGui and QtWidgets.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel

from kiosk.style import SMALLEST_TEXT_PX

_TALL = 100_000
NBSP = "\u00a0"
PHRASE_WORDS = 3  # a part this short stays on one line


def keep_phrases(text: str) -> str:
    """``text`` with each short part between " – " kept whole (no-break spaces), so
    that "Tư pháp – Hộ tịch" wraps at its dash, never as "Tư pháp – Hộ / tịch"
    (issue 16). A longer part may still wrap between its words."""
    return " – ".join(part.replace(" ", NBSP) if len(part.split()) <= PHRASE_WORDS else part
                      for part in text.split(" – "))


_WRAP = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)


def wrapped_height(label: QLabel, width: int) -> int:
    """The height ``label``'s text takes wrapped at ``width``: its lines' box, a few
    pixels more than the label's own layout says on two lines, and unlike the label's
    ``heightForWidth`` never raised by a minimum height set before."""
    return QFontMetrics(label.font()).boundingRect(QRect(0, 0, width, _TALL), _WRAP,
                                                   label.text()).height()


def unbroken_words(label: QLabel, text: str, width: int) -> str:
    """``text`` with the no-break spaces of any phrase wider than ``width`` made plain
    spaces: a phrase kept whole when it fits, split between its words when it does not,
    never inside a word."""
    metrics = QFontMetrics(label.font())
    return " ".join(chunk if metrics.horizontalAdvance(chunk) <= width
                    else chunk.replace(NBSP, " ") for chunk in text.split(" "))


def fit_on_one_line(label: QLabel, width: int, largest: int,
                    smallest: int = SMALLEST_TEXT_PX) -> int:
    """Give ``label`` the largest type size from ``largest`` down to ``smallest`` at
    which its text fits ``width`` on one line (``smallest`` when none does; the label
    then wraps). The size chosen."""
    return fit(label, width, _TALL, largest, one_line_down_to=smallest, smallest=smallest)


def fit(label: QLabel, width: int, height: int, largest: int, *, one_line_down_to: int,
        smallest: int = SMALLEST_TEXT_PX) -> int:
    """Give ``label`` the largest type size that keeps its text on one line within
    ``width``, down to ``one_line_down_to``; failing that, the largest at which its
    wrapped lines fit ``width`` × ``height``, down to ``smallest``. The size chosen."""
    text = label.text()
    font = QFont(label.font())

    def metrics(size: int) -> QFontMetrics:
        font.setPixelSize(size)
        return QFontMetrics(font)

    size = next((s for s in range(largest, max(one_line_down_to, smallest) - 1, -1)
                 if metrics(s).horizontalAdvance(text) <= width
                 and metrics(s).height() <= height), 0)
    if not size:  # wrapped: its lines within the room, no word (or phrase) split
        size = next((s for s in range(largest, smallest - 1, -1)
                     if metrics(s).boundingRect(QRect(0, 0, width, _TALL), _WRAP, text)
                     .height() <= height
                     and max(map(metrics(s).horizontalAdvance, re.split(r"[ \n]+", text)))
                     <= width),
                    smallest)
    wanted = f"font-size: {size}px;"  # the widget's own sheet wins over the window's
    if label.styleSheet() != wanted:  # re-styling relays out: only on a change
        label.setStyleSheet(wanted)
    if label.wordWrap():
        # Room for its lines, whatever the layout around it would otherwise give it
        # (measured here: a label's own heightForWidth never goes below its minimum).
        needed = metrics(size).boundingRect(QRect(0, 0, width, _TALL), _WRAP, text).height()
        label.setMinimumHeight(max(0, min(needed, height)))
    return size
