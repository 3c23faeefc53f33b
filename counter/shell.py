"""The counter's windows together: the full window or the compact strip, and the dialogs.

Switches between the two forms and remembers the choice (and where each was) in
QSettings, opens a dialog when its action is triggered and hands the official's
choice to the controller. Closing either form ends the program. Imports QtWidgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QObject, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget

from counter import wording
from counter.actions import CounterActions
from counter.controller import CounterController
from counter.dialogs import CallNumberDialog, SetAsideDialog, SignInDialog, TransferDialog
from counter.issue_dialogs import IssuedDialog, IssueDialog
from counter.queue_state import Action
from counter.strip import CompactStrip
from counter.window import CounterWindow
from shared.core import wire

log = logging.getLogger(__name__)

# Prints a ticket the counter issued on its own printer: (ticket, its page, then
# ``done(ok, problem)`` on the GUI thread).
PrintHere = Callable[[wire.Ticket, str | None, Callable[[bool, str], None]], None]

COMPACT_KEY = "compact"
GEOMETRY_KEY = "window_geometry"
STRIP_KEY = "strip_position"


class CounterShell(QObject):
    """``quit_requested`` when the official closes the program's window."""

    quit_requested = Signal()
    pairing_requested = Signal()

    def __init__(self, controller: CounterController, settings: QSettings, *,
                 compact: bool | None = None, print_here: PrintHere | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._print_here = print_here
        self.settings = settings
        self.actions = CounterActions(controller, self)
        self.window = CounterWindow(controller, self.actions)
        self.strip = CompactStrip(controller, self.actions)
        self.dialog: QDialog | None = None  # the one open now, if any
        self._closing = False
        if compact is None:
            compact = _as_bool(settings.value(COMPACT_KEY, False))
        self.compact = compact
        self._restore_places()

        actions = self.actions
        actions[Action.TRANSFER].triggered.connect(self.open_transfer)
        actions[Action.CALL].triggered.connect(lambda: self.open_call())
        actions[Action.SET_ASIDE].triggered.connect(self.open_set_aside)
        actions[Action.SIGN_IN].triggered.connect(self.open_sign_in)
        actions[Action.ISSUE].triggered.connect(self.open_issue)
        controller.issued.connect(self._issued)
        actions.resize.triggered.connect(lambda: self.set_compact(not self.compact))
        for form in (self.window, self.strip):
            form.closed.connect(self._closed)
        for badge in (self.window.link, self.strip.link):
            badge.pairing_requested.connect(self.pairing_requested)
        self._label_resize()

    @property
    def active(self) -> QWidget:
        """The form on screen: the parent for dialogs and questions."""
        return self.strip if self.compact else self.window

    def show(self) -> None:
        self.active.show()
        if QGuiApplication.platformName() != "offscreen":  # which cannot raise windows
            self.active.raise_()
        self.active.activateWindow()

    def set_compact(self, compact: bool) -> None:
        """Switch form, and remember the choice for the next start."""
        if compact != self.compact or not self.active.isVisible():
            self._save_places()
            self.active.hide()
            self.compact = compact
            self.show()
        self.settings.setValue(COMPACT_KEY, compact)
        self._label_resize()
        self.settings.sync()

    def open_transfer(self) -> None:
        if not self.controller.can(Action.TRANSFER):
            return
        dialog = TransferDialog(self.controller, self.active)
        dialog.chosen.connect(self._transfer)
        self._open(dialog)

    def open_call(self, number: str = "", reason: str = "") -> None:
        if not self.controller.can(Action.CALL):
            return
        dialog = CallNumberDialog(self.active, number=number, reason=reason)
        dialog.chosen.connect(self.controller.call_number)
        self._open(dialog)

    def open_set_aside(self) -> None:
        dialog = SetAsideDialog(self.controller, self.active)
        dialog.call_requested.connect(self.open_call)
        self._open(dialog)

    def open_sign_in(self) -> None:
        if not self.controller.can(Action.SIGN_IN):
            return
        self._open(SignInDialog(self.controller, self.active))

    def open_issue(self) -> None:
        if not self.controller.can(Action.ISSUE):
            return
        dialog = IssueDialog(self.controller, self.active)
        dialog.chosen.connect(self.controller.issue_here)
        self._open(dialog)

    def _issued(self, ticket: wire.Ticket, page: str | None) -> None:
        """The number given at the counter: large on screen, and printed if it can be."""
        dialog = IssuedDialog(ticket, self.controller.ticket_service(ticket),
                              self.controller.priority_name(ticket.priority),
                              printing=self._print_here is not None, parent=self.active)
        self._open(dialog)
        if self._print_here is not None:
            self._print_here(ticket, page, dialog.printed)

    def close(self) -> None:
        """Save where the windows are and close them (no quit_requested)."""
        if self._closing:
            return
        self._save_places()
        self._closing = True
        for form in (self.window, self.strip):
            form.close()

    def _transfer(self, kind: str, value: object) -> None:
        if kind == "service":
            self.controller.transfer(service=str(value))
        else:
            self.controller.transfer(counter=int(str(value)))

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result, d=dialog: self._dialog_finished(d))
        self.dialog = dialog
        dialog.open()

    def _dialog_finished(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _closed(self) -> None:
        if self._closing:
            return
        self._save_places()
        self.quit_requested.emit()

    def _label_resize(self) -> None:
        label = wording.word("expand" if self.compact else "shrink")
        self.actions.resize.setText(label)
        self.actions.resize.setToolTip(wording.with_key(label, wording.COMPACT_KEY))

    def _save_places(self) -> None:
        if self.window.isVisible():
            self.settings.setValue(GEOMETRY_KEY, self.window.saveGeometry())
        if self.strip.isVisible():
            self.settings.setValue(STRIP_KEY, self.strip.pos())

    def _restore_places(self) -> None:
        geometry = self.settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray):
            self.window.restoreGeometry(geometry)
        position = self.settings.value(STRIP_KEY)
        if isinstance(position, QPoint):
            self.strip.move(position)
        else:
            screen = self.strip.screen().availableGeometry()
            self.strip.adjustSize()
            self.strip.move(screen.right() - self.strip.width() - 24, screen.top() + 24)


def _as_bool(value: object) -> bool:
    """QSettings gives back "true"/"false" strings from INI files."""
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)
