"""The kiosk's one window: the header on top, then the page the controller is on.

In kiosk mode it is full-screen without decorations and refuses to close, so nothing a
citizen can touch ends it; the operator's key combination (Ctrl+Alt+Q) does, as does
the command line (a signal to the process). Type and spacing follow the window's size
and the button grid its shape (landscape or portrait).

Imports QtWidgets; renders the controller's state, holds no rules.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QAbstractButton, QLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.controller import KioskController, Page
from kiosk.header import Header
from kiosk.menu_page import MenuPage
from kiosk.notice_page import NoticePage
from kiosk.style import LARGE_PRINT, px, scale_for, stylesheet
from kiosk.ticket_page import TicketPage
from shared.qt.full_screen import show_full_screen

log = logging.getLogger(__name__)

OPERATOR_QUIT = "Ctrl+Alt+Q"


class KioskWindow(QWidget):
    """``quit_requested`` when the operator asks the kiosk to stop."""

    quit_requested = Signal()

    def __init__(self, controller: KioskController, *, kiosk_mode: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.controller = controller
        self.kiosk_mode = kiosk_mode
        self._closing = False
        self._scale = 0.0
        self._large_print = False
        self.setWindowTitle("motcua — Lấy số thứ tự")
        if kiosk_mode:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
            self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no long-press menus

        self.header = Header(controller, self)
        self.menu_page = MenuPage(controller, self)
        self.ticket_page = TicketPage(controller, self)
        self.notice_page = NoticePage(controller, self)
        self.pages = QStackedWidget(self)
        for page in (self.menu_page, self.ticket_page, self.notice_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        # The screen decides the size; content that does not fit is laid out smaller.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.pages, 1)

        controller.changed.connect(self.show_state)
        self._apply_scale()
        self.show_state()

    def show_kiosk(self) -> None:
        """Full-screen in kiosk mode, a normal window otherwise."""
        if self.kiosk_mode:
            show_full_screen(self)
        else:
            self.show()

    def operator_quit(self) -> None:
        log.info("the operator stopped the kiosk (%s)", OPERATOR_QUIT)
        self._closing = True
        self.quit_requested.emit()
        self.close()

    def show_state(self) -> None:
        if self.controller.large_print != self._large_print:
            self._large_print = self.controller.large_print
            self._apply_scale()
            self.menu_page.relayout()
        self.header.show_state()
        page = self.controller.page
        if page is Page.MENU:
            self.menu_page.show_state()
            self.pages.setCurrentWidget(self.menu_page)
        elif page is Page.TICKET:
            self.ticket_page.show_state()
            self.pages.setCurrentWidget(self.ticket_page)
        else:
            self.notice_page.show_state()
            self.pages.setCurrentWidget(self.notice_page)

    # -- Qt events -----------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_scale()
        self.menu_page.relayout()
        self.ticket_page.fit_number()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        page = self.controller.page
        if QKeySequence(event.keyCombination()) == QKeySequence(OPERATOR_QUIT):
            self.operator_quit()
        elif page in (Page.TICKET, Page.NOTICE) and key in (
                Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.controller.dismiss()
        elif page is Page.MENU and key in (Qt.Key.Key_Escape, Qt.Key.Key_Backspace):
            self.controller.back()
        elif page is Page.MENU and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                isinstance(focused := self.focusWidget(), QAbstractButton)):
            focused.click()
        elif page is Page.MENU and key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self.menu_page.turn_page(1 if key == Qt.Key.Key_PageDown else -1)
        elif key == Qt.Key.Key_F2:
            self.controller.toggle_language()
        elif key == Qt.Key.Key_F3:
            self.controller.toggle_large_print()
        elif key == Qt.Key.Key_F4:
            self.controller.toggle_guidance()
        elif page is Page.MENU and Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            self.controller.choose_number(key - Qt.Key.Key_0)  # as the guidance numbers them
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.kiosk_mode and not self._closing:
            log.info("a request to close the kiosk window was refused (kiosk mode)")
            event.ignore()
            return
        self.quit_requested.emit()
        super().closeEvent(event)

    def allow_close(self) -> None:
        """For a shutdown the program itself decides (a signal, the end of a test)."""
        self._closing = True

    def _apply_scale(self) -> None:
        usual = round(scale_for(self.width(), self.height()), 2)
        scale = round(usual * (LARGE_PRINT if self._large_print else 1.0), 2)
        if scale == self._scale:
            return  # a new stylesheet re-styles every widget: only when it changes
        self._scale = scale
        self.setStyleSheet(stylesheet(scale, header_scale=usual,
                                      high_contrast=self._large_print))
        self.header.apply_scale(px(40, usual), usual)
        self.menu_page.apply_scale(scale)
        self.ticket_page.apply_scale(scale)
        self.notice_page.apply_scale(scale)
