"""The check-in page: a booking's code typed on large keys (or scanned), then "Lấy số".

Digits first, as most codes are; "ABC" turns the keys into letters and "123" back.
The code shows in large type as it grows; a wrong code stays there, with why, to be
corrected rather than typed again.

Imports QtWidgets; renders the controller's state, holds no rules.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.controller import KioskController
from kiosk.style import px
from kiosk.texts import tr

log = logging.getLogger(__name__)

DIGIT_ROWS = ("123", "456", "789")
LETTER_COLUMNS = 7
KEY_HEIGHT = 120  # at scale 1.0: a fingertip's target, and more
ERASE = "⌫"


class CheckInPage(QWidget):
    def __init__(self, controller: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._letters = False
        self._scale = 1.0
        self.title = self._label("pageTitle")
        self.hint = self._label("hint")
        self.code = self._label("codeField")
        self.code.setAccessibleName("mã đặt lịch")
        self.problem = self._label("codeProblem")
        # Digits first, as most codes are; "ABC" turns them into letters, "123" back.
        self.keys_box = QStackedWidget(self)
        self._buttons: list[QPushButton] = []
        self._grids: list[QGridLayout] = []
        letters = string.ascii_uppercase
        self.digit_keys = self._keypad(
            list(DIGIT_ROWS),
            [("ABC", self._to_letters), ("0", None), (ERASE, controller.erase_code)],
            after_last_row=False)
        self.letter_keys = self._keypad(  # 26 = 3 rows of 7, then 5 and these two
            [letters[i:i + LETTER_COLUMNS] for i in range(0, 26, LETTER_COLUMNS)],
            [("123", self._to_digits), (ERASE, controller.erase_code)],
            after_last_row=True)
        self.keys_box.addWidget(self.digit_keys)
        self.keys_box.addWidget(self.letter_keys)
        self.back = QPushButton(self)
        self.back.setObjectName("back")
        self.back.clicked.connect(controller.back)
        self.submit = QPushButton(self)
        self.submit.setObjectName("submit")
        self.submit.clicked.connect(controller.submit_code)
        for button in (self.back, self.submit):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.submit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back, 0)
        bottom.addWidget(self.submit, 1)
        self.bottom = bottom
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.title)
        self.body.addWidget(self.hint)
        self.body.addWidget(self.code)
        self.body.addWidget(self.problem)
        self.body.addWidget(self.keys_box, 1)
        self.body.addStretch(0)  # what tall keys leave (a portrait screen) goes here
        self.body.addLayout(bottom)
        self._label_keys()

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(name != "codeField")
        return label

    def apply_scale(self, scale: float) -> None:
        self._scale = scale
        margin = px(56, scale)
        self.body.setContentsMargins(margin, px(30, scale), margin, margin)
        self.body.setSpacing(px(20, scale))
        for grid in self._grids:
            grid.setSpacing(px(18, scale))
        self.bottom.setSpacing(px(36, scale))
        for button in (self.back, self.submit):
            button.setFixedHeight(px(130, scale))
        self.back.setMinimumWidth(px(380, scale))
        for button in self._buttons:
            button.setMinimumHeight(px(KEY_HEIGHT * 0.6, scale))
            button.setMaximumHeight(px(KEY_HEIGHT * 1.4, scale))
        # Four rows either way; a tall screen leaves the room below them, not between.
        self.keys_box.setMaximumHeight(4 * px(KEY_HEIGHT * 1.4, scale) + 3 * px(18, scale))

    def _keypad(self, rows: list[str], last: list[tuple[str, Callable[[], None] | None]],
                *, after_last_row: bool) -> QWidget:
        """One set of keys; ``last`` go after the last row's keys (``after_last_row``:
        in the same row) or in a row of their own."""
        pad = QWidget(self.keys_box)
        grid = QGridLayout(pad)
        grid.setContentsMargins(0, 0, 0, 0)
        self._grids.append(grid)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                grid.addWidget(self._key(pad, text), r, c)
        r, c = (len(rows) - 1, len(rows[-1])) if after_last_row else (len(rows), 0)
        for text, action in last:
            grid.addWidget(self._key(pad, text, action), r, c)
            c += 1
        for column in range(max(len(row) for row in rows)):
            grid.setColumnStretch(column, 1)
        return pad

    def _key(self, pad: QWidget, text: str,
             action: Callable[[], None] | None = None) -> QPushButton:
        button = QPushButton(text, pad)
        button.setObjectName("key")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard types, not tabs
        # Every column alike, whatever its label ("⌫ Xoá" is wider than "A").
        button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        if action is not None:
            button.setProperty("role", "control")
            button.setProperty("erase", text == ERASE)
            button.clicked.connect(lambda _=False, act=action: act())
        else:
            button.clicked.connect(lambda _=False, typed=text: self.controller.type_code(typed))
        self._buttons.append(button)
        return button

    def _to_letters(self) -> None:
        self._letters = True
        self.controller.still_here()
        self.keys_box.setCurrentWidget(self.letter_keys)
        self._label_keys()

    def _to_digits(self) -> None:
        self._letters = False
        self.controller.still_here()
        self.keys_box.setCurrentWidget(self.digit_keys)
        self._label_keys()

    def _label_keys(self) -> None:
        """The erase key says its name where there is room (three keys to a row)."""
        language = self.controller.language
        for button in self._buttons:
            if button.property("erase"):
                button.setText(ERASE if self._letters else tr("erase", language))
                button.setAccessibleName(tr("erase", language).strip("⌫ "))

    def show_state(self) -> None:
        view = self.controller.check_in
        language = self.controller.language
        if not view.code and self._letters:  # a new citizen starts on the digits
            self._to_digits()
        self.title.setText(view.title)
        self.hint.setText(view.hint)
        self.code.setText(_spaced(view.code) if view.code else "_ _ _ _")
        self.code.setProperty("empty", not view.code)
        self.code.style().unpolish(self.code)
        self.code.style().polish(self.code)
        self.problem.setText(view.problem)
        self.problem.setVisible(bool(view.problem))
        self.back.setText(tr("back", language))
        self.submit.setText(tr("check_in_submit", language))
        self.submit.setEnabled(view.can_submit)
        self._label_keys()
        self.setAccessibleName(f"{view.title}. {view.hint} {view.problem}")


def _spaced(code: str) -> str:
    """A code in groups of four, as people read it aloud and check it."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))
