"""A big button for one of the official's actions, with its key shown on it.

It follows its QAction: the label, whether it is enabled, and the key. The button
never takes keyboard focus, so that Space or Enter typed for something else can never
press it a second time: the function keys are the keyboard's way in.
Imports QtWidgets.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from counter import style
from counter.style import named

log = logging.getLogger(__name__)


class ActionButton(QPushButton):
    """``role``: "primary" (call next), "good" (done) or "plain"."""

    def __init__(
        self,
        action: QAction,
        *,
        role: str = "plain",
        label: str | None = None,
        text_size: float | None = None,
        height: int = 52,
        wrap: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.action = action
        self._fixed_label = label
        self.setProperty("role", role)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.text_label = named(QLabel(), "buttonText")
        self.text_label.setWordWrap(wrap)  # a long label takes two lines, never cut off
        self.key_label = named(QLabel(), "key")
        for label_widget in (self.text_label, self.key_label):
            label_widget.setProperty("role", role)
            label_widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        if text_size is not None:
            self.text_label.setStyleSheet(f"font-size: {text_size}pt;")
        self._row = row = QHBoxLayout(self)
        # Narrow margins: in the demo's 760-pixel window each of four buttons has about
        # 110 pixels for words like "Chờ bổ sung", which must not break (issue 16).
        row.setContentsMargins(*((10, 4, 8, 4) if wrap else (12, 4, 10, 4)))
        row.setSpacing(6)
        row.addWidget(self.text_label, 1)
        row.addWidget(self.key_label, 0, Qt.AlignmentFlag.AlignVCenter)

        self.clicked.connect(action.trigger)
        action.changed.connect(self._follow)
        self._follow()

    def sizeHint(self) -> QSize:
        # QPushButton measures only its own text (none): ask the labels instead.
        hint = self._row.sizeHint()
        return QSize(hint.width(), max(hint.height(), self.minimumHeight()))

    def minimumSizeHint(self) -> QSize:
        hint = self._row.minimumSize()
        return QSize(hint.width(), max(hint.height(), self.minimumHeight()))

    def _follow(self) -> None:
        action = self.action
        self.text_label.setText(self._fixed_label or action.text())
        key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.key_label.setText(key)
        self.key_label.setVisible(bool(key))
        self.setToolTip(action.toolTip())
        self.setAccessibleName(action.text())
        if self.isEnabled() != action.isEnabled():
            self.setEnabled(action.isEnabled())
            style.restyle(self.text_label)
            style.restyle(self.key_label)
