"""The kiosk's one window: the header on top, then the page the controller is on.

In kiosk mode it is full-screen without decorations and refuses to close, so nothing a
citizen can touch ends it; the operator's key combination (Ctrl+Alt+Q) does, as does
the command line (a signal to the process). Type and spacing follow the window's size
and the button grid its shape (landscape or portrait).

Imports QtWidgets; renders the controller's state, holds no rules.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QAbstractButton, QLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.check_in import HOLD_SECONDS, Decided, ScanBurst
from kiosk.check_in_page import CheckInPage
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
        self.check_in_page = CheckInPage(controller, self)
        self.pages = QStackedWidget(self)
        for page in (self.menu_page, self.ticket_page, self.notice_page, self.check_in_page):
            self.pages.addWidget(page)
        # A barcode scanner types like a keyboard, faster than any hand: each key waits
        # a moment to be told from a scan (``kiosk.check_in``).
        self._burst = ScanBurst()
        self._burst_timer = QTimer(self)
        self._burst_timer.setSingleShot(True)
        self._burst_timer.setInterval(int(HOLD_SECONDS * 1000) + 10)
        self._burst_timer.timeout.connect(lambda: self._act(self._burst.quiet()))
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
        elif page is Page.CHECK_IN:
            self.check_in_page.show_state()
            self.pages.setCurrentWidget(self.check_in_page)
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
        text = event.text()
        plain = not event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier
                                          | Qt.KeyboardModifier.KeypadModifier)
        if event.isAutoRepeat():
            return  # a key held down is one press, never a burst taken for a scanner
        if plain and len(text) == 1 and text.isprintable() and not text.isspace():
            self._act(self._burst.key(text, time.monotonic()))
            self._burst_timer.start()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._burst.holding:
            self._burst_timer.stop()
            self._act(self._burst.enter(time.monotonic()), event)
            return
        self._key(event)

    def _act(self, decided: Decided, enter: QKeyEvent | None = None) -> None:
        """What the keys held for a moment turned out to be: a scan, or a person's."""
        if decided.scanned is not None:
            self.controller.scanned(decided.scanned)
            return
        for text in decided.keys:
            self._typed(text)
        if decided.enter and enter is not None:
            self._key(enter)

    def _typed(self, text: str) -> None:
        """One key a person pressed: a digit chooses on a menu (as the guidance numbers
        the choices); on the check-in page letters and digits are the code; a letter on
        the start screen begins a check-in with it."""
        page = self.controller.page
        if page is Page.CHECK_IN:
            self.controller.type_code(text)
        elif page is Page.MENU and text in "0123456789":
            self.controller.choose_number(int(text))  # as the guidance numbers them
        elif page is Page.MENU and text.isalpha() and text.isascii() and (
                self.controller.menu_takes_bookings):
            self.controller.start_check_in(text)

    def _key(self, event: QKeyEvent) -> None:
        key = event.key()
        page = self.controller.page
        if QKeySequence(event.keyCombination()) == QKeySequence(OPERATOR_QUIT):
            self.operator_quit()
        elif page is Page.CHECK_IN and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.controller.submit_code()
        elif page is Page.CHECK_IN and key == Qt.Key.Key_Backspace:
            self.controller.erase_code()
        elif page is Page.CHECK_IN and key == Qt.Key.Key_Escape:
            self.controller.back()
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
        self.check_in_page.apply_scale(scale)
