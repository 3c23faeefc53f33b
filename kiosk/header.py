"""The band on top of every kiosk screen: the office's name, a clock, and the switches:
spoken guidance, large print, Vietnamese/English.

Imports QtWidgets; renders the controller's state, holds no rules.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.controller import KioskController
from kiosk.fitting import fit_on_one_line
from kiosk.style import SMALLEST_TEXT_PX, text_px
from kiosk.texts import clock_parts, language_name, tr

log = logging.getLogger(__name__)

NARROW = 720  # pixels: below this width the header shows the time without the date
DATE_SHOWN_FROM = 1000  # designed width (pixels at scale 1): the same, in large print
# A designed width (pixels at scale 1): narrower, the switches go in a row under the
# name and the clock, leaving the office's name its room (a portrait screen).
SWITCHES_BELOW_FROM = 1400


class Header(QFrame):
    def __init__(self, controller: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.controller = controller
        self._scale = 1.0
        self.office_name = self._label("officeName")
        self.office_name.setWordWrap(True)  # long names of provincial centres
        self.office_name.installEventFilter(self)
        self.office_name.setSizePolicy(QSizePolicy.Policy.Expanding,
                                       QSizePolicy.Policy.Preferred)
        self.tagline = self._label("tagline")
        self.tagline.setWordWrap(True)
        self.clock_time = self._label("clockTime", Qt.AlignmentFlag.AlignRight)
        self.clock_date = self._label("clockDate", Qt.AlignmentFlag.AlignRight)
        self.language = QPushButton(self)
        self.language.setObjectName("language")
        self.language.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.language.clicked.connect(controller.toggle_language)
        self.large_print = QPushButton(self)
        self.large_print.setObjectName("largePrint")
        self.large_print.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.large_print.clicked.connect(controller.toggle_large_print)
        self.read_aloud = QPushButton(self)
        self.read_aloud.setObjectName("readAloud")
        self.read_aloud.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.read_aloud.clicked.connect(controller.toggle_guidance)

        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.office_name)
        names.addWidget(self.tagline)
        clock = QVBoxLayout()
        clock.setSpacing(0)
        clock.addWidget(self.clock_time)
        clock.addWidget(self.clock_date)
        top = QHBoxLayout()
        top.addLayout(names, 1)
        top.addLayout(clock)
        self.switches = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.switches.addStretch(1)  # under the name and clock: to the right
        self.switches.addWidget(self.read_aloud)
        self.switches.addWidget(self.large_print)
        self.switches.addWidget(self.language)
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.row.addLayout(top, 1)
        self.row.addLayout(self.switches)

        self._tick = QTimer(self)
        self._tick.timeout.connect(self._update_clock)
        self._tick.start(1000)
        self.show_state()

    def _label(self, name: str,
               align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        return label

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        # A narrow header (the demo's column, a portrait screen in large print) has no
        # room for the date beside the name, the clock and the switches: the time stays.
        self.clock_date.setVisible(self.width() >= max(NARROW, DATE_SHOWN_FROM * self._scale))
        below = self.width() < SWITCHES_BELOW_FROM * self._scale
        self.row.setDirection(QBoxLayout.Direction.TopToBottom if below
                              else QBoxLayout.Direction.LeftToRight)
        # The demo's column has no room for three switches side by side: one above another.
        self.switches.setDirection(QBoxLayout.Direction.TopToBottom
                                   if self.width() < NARROW else QBoxLayout.Direction.LeftToRight)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.office_name and event.type() is QEvent.Type.Resize:
            self._fit_name()  # the name's own width is known only once it is laid out
        return super().eventFilter(watched, event)

    def apply_scale(self, margin: int, scale: float = 1.0) -> None:
        self._scale = scale
        self.row.setContentsMargins(margin, margin // 2, margin, margin // 2)
        self.row.setSpacing(margin // 2)
        self.switches.setSpacing(margin // 2)
        self._arrange()
        self._fit_name()

    def _fit_name(self) -> None:
        """The office's name on one line, a little smaller if it must be; when even
        that is too wide (a provincial centre's long name), on two, with the room."""
        name, width = self.office_name, self.office_name.width()
        if width <= 0:
            return
        fit_on_one_line(name, width, text_px(44, self._scale),
                        max(SMALLEST_TEXT_PX, text_px(32, self._scale)))

    def show_state(self) -> None:
        lang = self.controller.language
        self.office_name.setText(self.controller.office_name)
        self._fit_name()
        self.tagline.setText(tr("take_number", lang))
        # The language the button goes to, named in itself: "English", "Tiếng Việt".
        self.language.setText(language_name(self.controller.next_language))
        self.language.setAccessibleName(self.language.text())
        print_size = tr("normal_print" if self.controller.large_print else "large_print", lang)
        self.large_print.setText(print_size)
        self.large_print.setAccessibleName(print_size)
        reading = tr("stop_reading" if self.controller.guidance else "read_aloud", lang)
        self.read_aloud.setText(reading)
        self.read_aloud.setAccessibleName(reading)
        self._update_clock()

    def _update_clock(self) -> None:
        now = self.controller.office.local_time(datetime.now(UTC))
        time_text, date_text = clock_parts(now, self.controller.language)
        self.clock_time.setText(time_text)
        self.clock_date.setText(date_text)
