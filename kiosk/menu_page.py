"""The choosing screens: fields, services or priority categories as large buttons.

One page serves every level of the menu: it shows ``controller.menu`` — a title, a
grid of buttons (columns chosen by the screen's shape), "Ưu tiên" or "Quay lại" below,
and a red line while the printer is at fault. Buttons are kept and updated in place
while the same items are shown, so a count changing never swallows a tap. When the
buttons do not all fit with every word readable (many services, or the large print),
the grid shows them a page at a time: one button beside "Quay lại" turns the pages,
"Trang sau (1/2) ›", and from the last one back to the first.

Imports QtWidgets; renders the controller's state, holds no rules.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.big_button import BigButton
from kiosk.controller import KioskController
from kiosk.fitting import fit_on_one_line, wrapped_height
from kiosk.screens import MenuItem
from kiosk.style import SMALLEST_TEXT_PX, grid_columns, px, text_px
from kiosk.texts import tr

log = logging.getLogger(__name__)

PICTOGRAM_PX = 84  # a field's picture on its button, at scale 1.0

BUTTON_HEIGHT = 380  # at scale 1: tall enough for two lines of a long name and the count
PRIORITY_HEIGHT = 170
PRIORITY_WIDTH = 560  # at scale 1: "Ưu tiên" and its categories on a few lines
_TALL = 100_000
PLACING_PASSES = 3


class _GridBox(QWidget):
    """The buttons' area: as tall as the page leaves it, whatever it holds, so that how
    many buttons fit is measured against the room, never against the buttons."""

    def sizeHint(self) -> QSize:
        return QSize(0, 0)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)


class MenuPage(QWidget):
    def __init__(self, controller: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.buttons: dict[str, BigButton] = {}
        self._columns = 0
        self._per_page = 0  # how many buttons the grid shows at once
        self._first = 0  # the first one shown
        self._placing = self._place_again = False
        self._citizen = 0  # the controller's count of citizens, as last shown
        self._scale = 1.0

        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.banner = QLabel(self)
        self.banner.setObjectName("banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(False)
        self.grid_box = _GridBox(self)
        self.grid_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.grid_box.installEventFilter(self)
        self.grid = QGridLayout(self.grid_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        # Its room is what the page leaves it, never what its buttons ask for.
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)

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
        self.page_turn = QPushButton(self)
        self.page_turn.setObjectName("pageTurn")
        self.page_turn.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.page_turn.clicked.connect(lambda: self.turn_page(1))
        self.page_turn.hide()
        # "Quay lại" or "Ưu tiên", then the page turn and "Tôi cần hỗ trợ": in one row,
        # or, on a narrow page, the second pair in a row of its own.
        lead = QHBoxLayout()
        lead.addWidget(self.back, 0)
        lead.addWidget(self.priority, 1)
        self.tail = QHBoxLayout()
        self.tail.addWidget(self.page_turn, 0)
        self.tail.addWidget(self.help, 0)
        self.bottom = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.bottom.addLayout(lead, 1)
        self.bottom.addLayout(self.tail, 0)
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
        self.tail.setSpacing(px(36, scale))
        self.back.setFixedHeight(px(PRIORITY_HEIGHT, scale))
        self.back.setMinimumWidth(px(440, scale))
        self.help.setFixedHeight(px(PRIORITY_HEIGHT, scale))
        self.page_turn.setFixedHeight(px(PRIORITY_HEIGHT, scale))
        # At least this tall, taller when its list of categories wraps.
        self.priority.setMinimumHeight(px(PRIORITY_HEIGHT, scale))
        self.priority.set_margins(px(24, scale))
        for button in self.buttons.values():
            self._size(button)
        self._arrange_bottom()
        self._place(force=True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_title()
        self._arrange_bottom()

    def _arrange_bottom(self) -> None:
        """One row when "Quay lại" / "Ưu tiên", the page turn and "Tôi cần hỗ trợ" fit
        side by side at their smallest, else the last two in a row of their own."""
        shown = [w for w in (self.back, self.priority, self.page_turn, self.help)
                 if not w.isHidden()]
        smallest = [max(w.minimumWidth(), w.minimumSizeHint().width()) for w in shown]
        if not self.priority.isHidden():  # its categories need a line's room, at least
            smallest[shown.index(self.priority)] = px(PRIORITY_WIDTH, self._scale)
        margins = self.body.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        stacked = sum(smallest) + self.bottom.spacing() * (len(shown) - 1) > room
        direction = (QBoxLayout.Direction.TopToBottom if stacked
                     else QBoxLayout.Direction.LeftToRight)
        if direction == self.bottom.direction():
            return
        self.bottom.setDirection(direction)
        # Stacked, "Tôi cần hỗ trợ" (and the page turn beside it) take the page's width;
        # in one row "Quay lại" stays a button, not a bar.
        self.tail.setStretch(0, 1 if stacked else 0)
        self.tail.setStretch(1, 1 if stacked else 0)
        across = QSizePolicy.Policy.Expanding if stacked else QSizePolicy.Policy.Maximum
        for button in (self.page_turn, self.help):
            button.setSizePolicy(across, QSizePolicy.Policy.Fixed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.grid_box and event.type() is QEvent.Type.Resize:
            self._place()  # the room for buttons is known once the page is laid out
        return super().eventFilter(watched, event)

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
        elif self.controller.citizen != self._citizen and self._first:
            self._first = 0  # the next citizen starts on the first page
            self._place(force=True)
        self._citizen = self.controller.citizen
        for item in menu.items:
            button = self.buttons[item.key]
            button.set_content(item.title, item.detail, item.enabled, item.note)
            button.set_pictogram(item.pictogram, px(PICTOGRAM_PX, self._scale))
        self.back.setText(tr("back", self.controller.language))
        self.help.setText(tr("help", self.controller.language))
        self._label_page_turns()
        self.back.setVisible(menu.can_go_back)
        if menu.priority is not None:
            self.priority.set_content(menu.priority.title, menu.priority.detail)
        self.priority.setVisible(menu.priority is not None)
        self._arrange_bottom()
        banner = self.controller.printer_banner
        self.printer_banner.setText(banner)
        self.printer_banner.setVisible(bool(banner))

    def _rebuild(self, items: tuple[MenuItem, ...]) -> None:
        for button in self.buttons.values():
            self.grid.removeWidget(button)
            button.hide()  # now, not when Qt gets round to deleting it
            button.deleteLater()
        self.buttons = {}
        self._first = 0  # a new list starts on its first page
        for item in items:
            button = BigButton(item.key, "item", self.grid_box)
            button.clicked.connect(lambda _=False, key=item.key: self.controller.choose(key))
            self._size(button)
            self.buttons[item.key] = button
        self._place(force=True)

    def _size(self, button: BigButton) -> None:
        button.setMinimumHeight(px(BUTTON_HEIGHT * 0.45, self._scale))
        button.set_pictogram(button.pictogram, px(PICTOGRAM_PX, self._scale))
        button.setMaximumHeight(px(BUTTON_HEIGHT, self._scale))
        button.set_margins(px(28, self._scale))
        # A name on one line when a slightly smaller size lets it (the stylesheet's
        # title size, 48 at scale 1, down to 40), two lines otherwise.
        button.set_title_sizes(text_px(48, self._scale), text_px(40, self._scale))

    def _place(self, *, force: bool = False) -> None:
        """Lay the buttons out in as many columns as the screen's shape asks for, and
        as many rows as fit with every word readable; the rest on further pages."""
        if self._placing:  # the grid resized while placing: once more, after
            self._place_again = True
            return
        self._placing = True
        try:
            for _ in range(PLACING_PASSES):  # a placement may move the grid: settle, never loop
                self._place_again = False
                window = self.window()
                columns = grid_columns(len(self.buttons), window.width(), window.height())
                per_page = self._capacity(columns)
                if force or (columns, per_page) != (self._columns, self._per_page):
                    self._columns, self._per_page = columns, per_page
                    self._put(columns, per_page)
                force = False
                if not self._place_again:
                    break
        finally:
            self._placing = False

    def _put(self, columns: int, per_page: int) -> None:
        self._first -= self._first % max(1, per_page)  # the page holding the first shown
        if self._first >= len(self.buttons):
            self._first = 0
        for button in self.buttons.values():
            self.grid.removeWidget(button)
        shown = list(self.buttons.values())[self._first:self._first + per_page]
        for index, button in enumerate(shown):
            self.grid.addWidget(button, index // columns, index % columns)
            button.show()  # at once: a layout shows new children only later
        for button in self.buttons.values():
            if button not in shown:
                button.hide()
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        # Rows of the last page keep the size of a full page's: buttons do not jump.
        rows = -(-per_page // columns) if per_page else 0
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 1 if row < rows else 0)
        self._label_page_turns()

    def _capacity(self, columns: int) -> int:
        """How many buttons the grid holds with every line of each one showing."""
        count, room = len(self.buttons), self.grid_box.height()
        if count == 0 or room <= 0:
            return count  # not laid out yet: the resize that follows decides
        spacing = self.grid.spacing()
        width = (self.grid_box.width() - (columns - 1) * spacing) // columns
        needed = max(max(self._needed(button, width) for button in self.buttons.values()),
                     px(BUTTON_HEIGHT * 0.45, self._scale))
        rows = max(1, (room + spacing) // (needed + spacing))
        return min(count, rows * columns)

    @staticmethod
    def _needed(button: BigButton, width: int) -> int:
        """The height ``button`` needs at ``width``: its detail and note as they are,
        its title at the smallest size it takes on one line, wrapped if it must."""
        layout = button.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        inner = width - margins.left() - margins.right()
        shown = [part for part in (button.detail, button.note) if not part.isHidden()
                 and part.text()]
        font = QFont(button.title.font())
        font.setPixelSize(max(SMALLEST_TEXT_PX, button.title_sizes[1]))
        flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
        title = QFontMetrics(font).boundingRect(QRect(0, 0, inner, _TALL), flags,
                                                button.title.text()).height()
        return (margins.top() + margins.bottom() + title
                + sum(wrapped_height(part, inner) + layout.spacing() for part in shown))

    def turn_page(self, step: int) -> None:
        """Show the next (``step`` 1) or the previous (-1) page of buttons; after the
        last, the first again."""
        count, per_page = len(self.buttons), self._per_page
        if not per_page or per_page >= count:
            return
        pages = -(-count // per_page)
        self._first = (self._first // per_page + step) % pages * per_page
        self.controller.still_here()
        self._place(force=True)

    def _label_page_turns(self) -> None:
        per_page, count = self._per_page, len(self.buttons)
        pages = -(-count // per_page) if per_page else 1
        page = self._first // per_page + 1 if per_page else 1
        key = "next_page" if page < pages else "first_page"
        self.page_turn.setText(tr(key, self.controller.language).format(page=page,
                                                                          pages=pages))
        self.page_turn.setVisible(pages > 1)
        self._arrange_bottom()

    def relayout(self) -> None:
        """The window changed shape (rotated screen, a resize)."""
        self._place()
