"""A large touch button: a name, a second line ("Đang chờ: 5", or why it is closed) and
an optional note (the services a field holds).

Its text is two real labels, so long Vietnamese names wrap instead of being cut, and
its content is updated in place (``set_content``): a button under a citizen's finger
is never replaced by another while the queue counts change.

Imports QtWidgets only; holds no rules.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.fitting import fit, keep_phrases, unbroken_words, wrapped_height

log = logging.getLogger(__name__)


class BigButton(QPushButton):
    """``kind`` is "item" (a field, service or category) or "priority"."""

    def __init__(self, key: str, kind: str = "item", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setProperty("kind", kind)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # keyboard focus, no frame after a tap
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.title = self._label("title")
        self.detail = self._label("detail")
        self.note = self._label("note")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self._detail_text = ""
        self._closed: bool | None = None
        self._title_px = (0, 0)  # its title's full type size and the smallest it may take
        # A field's pictogram (SVG, drawn white) above its name, in the room the centred
        # words leave there: it never takes a word's room, and never moves the layout.
        self._svg = ""
        self._picture_px = 0
        self._renderer: QSvgRenderer | None = None

    @property
    def title_sizes(self) -> tuple[int, int]:
        """Its title's full type size and the smallest it may take on one line."""
        return self._title_px

    def set_title_sizes(self, full: int, smallest: int) -> None:
        """The title shrinks from ``full`` towards ``smallest`` to stay on one line."""
        self._title_px = (full, smallest)
        self._fit_title()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_title()

    def _fit_title(self) -> None:
        """Its detail and note in full, never split inside a word; the title on one
        line if it can be, else on as many as the button holds beside them
        (``kiosk.fitting``)."""
        layout = self.layout()
        if layout is None or self.width() <= 0:
            return
        margins = layout.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        room = self.height() - margins.top() - margins.bottom()
        self.detail.setText(unbroken_words(self.detail, self._detail_text, width))
        for part in (self.detail, self.note):
            if not part.isHidden():
                needed = wrapped_height(part, width)
                part.setMinimumHeight(needed)  # every line of it, before the title's
                room -= needed + layout.spacing()
        full, smallest = self._title_px
        if full > 0 and width > 2 and room > 0:  # 2 px: the layout's rounding
            fit(self.title, width - 2, room, full, one_line_down_to=min(full, smallest))

    # A QPushButton sizes itself by its own text, which this one has none of: ask the
    # layout of its labels instead, so that a wrapped detail is never cut (issue 16).
    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.totalHeightForWidth(width) if layout is not None else -1

    def minimumSizeHint(self) -> QSize:
        return self._with_labels_height(super().minimumSizeHint())

    def sizeHint(self) -> QSize:
        return self._with_labels_height(super().sizeHint())

    def _with_labels_height(self, hint: QSize) -> QSize:
        layout = self.layout()
        if layout is None or self.width() <= 0:
            return hint
        return QSize(hint.width(), max(hint.height(), layout.totalHeightForWidth(self.width())))

    def _label(self, part: str) -> QLabel:
        label = QLabel(self)
        label.setProperty("part", part)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Taps go to the button, wherever on it they land.
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        return label

    def set_content(self, title: str, detail: str, enabled: bool = True,
                    note: str = "") -> None:
        self.title.setText(keep_phrases(title))
        self._detail_text = detail
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self._fit_title()
        self.setAccessibleName(f"{title}. {detail}" if detail else title)
        self.setEnabled(enabled)
        if self._closed == (not enabled):
            return  # restyling costs a repolish; only when the state really changes
        self._closed = not enabled
        self._renderer = None  # drawn again in the closed text's grey, or in white
        for label in (self.title, self.detail, self.note):
            label.setProperty("closed", "true" if self._closed else "false")
            label.style().unpolish(label)
            label.style().polish(label)

    @property
    def pictogram(self) -> str:
        return self._svg

    def set_pictogram(self, svg: str, size: int) -> None:
        """A picture of what the button is for (SVG drawn in white), at most ``size``
        pixels square; "" for none."""
        if (svg, size) != (self._svg, self._picture_px):
            self._svg, self._picture_px, self._renderer = svg, size, None
            layout = self.layout()
            if isinstance(layout, QVBoxLayout):
                # The free room mostly above the words, where the picture goes (the
                # stretches have no size of their own: the layout's needs are unchanged).
                layout.setStretch(0, 3 if svg else 1)
                layout.setStretch(layout.count() - 1, 1)
            self.update()

    def picture_rect(self) -> QRectF | None:
        """Where the pictogram is drawn: centred above the name when the button is tall
        enough, else at the left of the words when it is wide enough (at most its
        size, at least half of it); None where it would touch a word."""
        if not self._svg or self.title.isHidden():
            return None
        gap = max(4, self._picture_px // 8)
        top = self.title.geometry().top()
        size = min(self._picture_px, top - 2 * gap)
        if size >= self._picture_px // 2:
            return QRectF((self.width() - size) / 2, top - gap - size, size, size)
        words = [part for part in (self.title, self.detail, self.note) if not part.isHidden()]
        widest = max(QFontMetrics(part.font()).horizontalAdvance(line)
                     for part in words for line in part.text().split("\n"))
        side = (self.width() - widest) // 2 - 2 * gap
        bottom = max(part.geometry().bottom() for part in words)
        size = min(self._picture_px, side, bottom - top)
        if size < self._picture_px // 2:
            return None
        return QRectF(gap * 2, (top + bottom - size) / 2, size, size)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        where = self.picture_rect()
        if where is None:
            return
        if self._renderer is None:
            colour = "#39414d" if self._closed else "#ffffff"
            markup = self._svg.replace("#ffffff", colour).replace("#FFFFFF", colour)
            self._renderer = QSvgRenderer(QByteArray(markup.encode("utf-8")))
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer.render(painter, where)
        painter.end()

    def set_margins(self, margin: int) -> None:
        layout = self.layout()
        assert layout is not None
        layout.setContentsMargins(margin, margin // 2, margin, margin // 2)
        layout.setSpacing(max(4, margin // 3))
