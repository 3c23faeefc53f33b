"""The choosing screens: fields, services or priority categories as large buttons.

One page serves every level of the menu: it shows ``controller.menu`` — a title, a
grid of buttons (columns chosen by the screen's shape), "Ưu tiên" or "Quay lại" below,
and a red line while the printer is at fault. Buttons are kept and updated in place
while the same items are shown, so a count changing never swallows a tap.

Imports QtWidgets; renders the controller's state, holds no rules.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.big_button import BigButton
from kiosk.controller import KioskController
from kiosk.fitting import fit_on_one_line
from kiosk.screens import MenuItem
from kiosk.style import SMALLEST_TEXT_PX, grid_columns, px, text_px
from kiosk.texts import tr

log = logging.getLogger(__name__)

BUTTON_HEIGHT = 380  # at scale 1: tall enough for two lines of a long name and the count
PRIORITY_HEIGHT = 170


class MenuPage(QWidget):
    def __init__(self, controller: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.buttons: dict[str, BigButton] = {}
        self._columns = 0
        self._scale = 1.0

        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.banner = QLabel(self)
        self.banner.setObjectName("banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(False)
        self.grid_box = QWidget(self)
        self.grid_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.grid = QGridLayout(self.grid_box)
        self.grid.setContentsMargins(0, 0, 0, 0)

        self.back = QPushButton(self)
        self.back.setObjectName("back")
        self.back.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.back.clicked.connect(controller.back)
        self.priority = BigButton("priority", "priority", self)
        self.priority.clicked.connect(lambda: controller.choose("priority"))
        self.priority.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.printer_banner = QLabel(self)
        self.printer_banner.setObjectName("printerBanner")
        self.printer_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.printer_banner.setWordWrap(True)

        banner_row = QHBoxLayout()
        banner_row.addStretch(1)
        banner_row.addWidget(self.banner)
        banner_row.addStretch(1)
        self.back.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.help = QPushButton(self)
        self.help.setObjectName("help")
        self.help.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.help.clicked.connect(controller.ask_for_help)
        self.help.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.bottom = QHBoxLayout()
        self.bottom.addWidget(self.back, 0)
        self.bottom.addWidget(self.priority, 1)
        self.bottom.addStretch(0)  # "Quay lại" alone stays a button, not a bar
        self.bottom.addWidget(self.help, 0)
        self.body = QVBoxLayout()
        self.body.addWidget(self.title)
        self.body.addLayout(banner_row)
        self.body.addStretch(1)
        self.body.addWidget(self.grid_box, 8)  # the buttons grow first, up to their cap
        self.body.addStretch(1)
        self.body.addLayout(self.bottom)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addLayout(self.body, 1)
        outer.addWidget(self.printer_banner)

    def apply_scale(self, scale: float) -> None:
        self._scale = scale
        margin = px(56, scale)
        self.body.setContentsMargins(margin, px(36, scale), margin, margin)
        self.body.setSpacing(px(28, scale))
        self.grid.setSpacing(px(36, scale))
        self.bottom.setSpacing(px(36, scale))
        self.back.setFixedHeight(px(PRIORITY_HEIGHT, scale))
        self.back.setMinimumWidth(px(440, scale))
        self.help.setFixedHeight(px(PRIORITY_HEIGHT, scale))
        # At least this tall, taller when its list of categories wraps.
        self.priority.setMinimumHeight(px(PRIORITY_HEIGHT, scale))
        self.priority.set_margins(px(24, scale))
        for button in self.buttons.values():
            self._size(button)
        self._place(force=True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_title()

    def _fit_title(self) -> None:
        """The page's question on one line, a little smaller if it must be."""
        width = self.width() - 2 * px(56, self._scale)
        fit_on_one_line(self.title, width, text_px(54, self._scale),
                        max(SMALLEST_TEXT_PX, text_px(40, self._scale)))

    def show_state(self) -> None:
        menu = self.controller.menu
        self.title.setText(menu.title)
        self._fit_title()
        self.banner.setText(menu.banner)
        self.banner.setVisible(bool(menu.banner))
        keys = [item.key for item in menu.items]
        if keys != list(self.buttons):
            self._rebuild(menu.items)
        for item in menu.items:
            self.buttons[item.key].set_content(item.title, item.detail, item.enabled, item.note)
        self.back.setText(tr("back", self.controller.language))
        self.help.setText(tr("help", self.controller.language))
        self.back.setVisible(menu.can_go_back)
        if menu.priority is not None:
            self.priority.set_content(menu.priority.title, menu.priority.detail)
        self.priority.setVisible(menu.priority is not None)
        banner = self.controller.printer_banner
        self.printer_banner.setText(banner)
        self.printer_banner.setVisible(bool(banner))

    def _rebuild(self, items: tuple[MenuItem, ...]) -> None:
        for button in self.buttons.values():
            self.grid.removeWidget(button)
            button.hide()  # now, not when Qt gets round to deleting it
            button.deleteLater()
        self.buttons = {}
        for item in items:
            button = BigButton(item.key, "item", self.grid_box)
            button.clicked.connect(lambda _=False, key=item.key: self.controller.choose(key))
            self._size(button)
            self.buttons[item.key] = button
        self._place(force=True)

    def _size(self, button: BigButton) -> None:
        button.setMinimumHeight(px(BUTTON_HEIGHT * 0.45, self._scale))
        button.setMaximumHeight(px(BUTTON_HEIGHT, self._scale))
        button.set_margins(px(28, self._scale))
        # A name on one line when a slightly smaller size lets it (the stylesheet's
        # title size, 48 at scale 1, down to 40), two lines otherwise.
        button.set_title_sizes(text_px(48, self._scale), text_px(40, self._scale))

    def _place(self, *, force: bool = False) -> None:
        """Lay the buttons out in as many columns as the screen's shape asks for."""
        window = self.window()
        columns = grid_columns(len(self.buttons), window.width(), window.height())
        if columns == self._columns and not force:
            return
        self._columns = columns
        for button in self.buttons.values():
            self.grid.removeWidget(button)
        for index, button in enumerate(self.buttons.values()):
            self.grid.addWidget(button, index // columns, index % columns)
            button.show()  # at once: a layout shows new children only later
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def relayout(self) -> None:
        """The window changed shape (rotated screen, a resize)."""
        self._place()
