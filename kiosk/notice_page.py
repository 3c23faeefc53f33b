"""A calm full-screen message: starting, temporarily unavailable, a number being issued,
or why no number was given (outside issuing hours, the day's numbers used up …).

A touch goes back to the start where that makes sense (the controller decides).
Imports QtWidgets; renders the controller's state, holds no rules.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.controller import KioskController, Page
from kiosk.style import px

log = logging.getLogger(__name__)

_MARKS = {Page.NOTICE: "!", Page.ISSUING: "…"}  # every other page: "i"


class NoticePage(QWidget):
    def __init__(self, controller: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.card = QFrame(self)
        self.card.setObjectName("card")
        self.mark = self._label("noticeMark")
        self.title = self._label("noticeTitle")
        self.body = self._label("noticeBody")
        self.hint = self._label("hint")
        mark_row = QHBoxLayout()
        mark_row.addStretch(1)
        mark_row.addWidget(self.mark)
        mark_row.addStretch(1)
        self.inside = QVBoxLayout(self.card)
        self.inside.addLayout(mark_row)
        self.inside.addWidget(self.title)
        self.inside.addWidget(self.body)
        self.outer = QVBoxLayout(self)
        self.outer.addStretch(1)
        self.outer.addWidget(self.card)
        self.outer.addStretch(1)
        self.outer.addWidget(self.hint)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(name != "noticeMark")
        return label

    def apply_scale(self, scale: float) -> None:
        margin = px(80, scale)
        self.outer.setContentsMargins(margin, px(40, scale), margin, px(30, scale))
        self.inside.setContentsMargins(margin, px(56, scale), margin, px(64, scale))
        self.inside.setSpacing(px(30, scale))

    def show_state(self) -> None:
        notice = self.controller.notice
        self.mark.setText(_MARKS.get(self.controller.page, "i"))
        self.title.setText(notice.title)
        self.body.setText(notice.body)
        self.hint.setText(notice.hint)
        self.hint.setVisible(bool(notice.hint))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.controller.dismiss()
        event.accept()
