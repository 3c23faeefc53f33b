"""Joining the office, the same way on every screen that has someone to ask.

``OfficeJoin`` connects a program's ``ServerConnection`` (to a fixed address, or by
discovery) with the key or the pairing code it has; when it has neither, or the
server refuses it, it asks the person at the screen — once, outside the socket's signal, since the
question runs an event loop of its own —, remembers the answer and connects again;
when nobody gives a code, the program says so (``on_unpaired``) instead of
"connecting" for ever. Once the device is enrolled the remembered code is
forgotten (``forget_code``): from then on its own key opens the door. A server of
another office is not a pairing problem: the connection reports it as
``wrong_office`` and nobody is asked anything.

Imports QtCore and the pairing prompt; the widgets are the caller's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from shared.qt.client_setup import start_connection
from shared.qt.connection import ServerConnection
from shared.qt.pairing_prompt import AskCode, ask_and_remember

log = logging.getLogger(__name__)


class OfficeJoin(QObject):
    def __init__(
        self,
        connection: ServerConnection,
        *,
        ask_code: AskCode,
        remember_code: Callable[[str], str],
        window: Callable[[], QWidget | None],
        on_unpaired: Callable[[], None],
        forget_code: Callable[[], None] = lambda: None,
        reconnect: Callable[[], None] | None = None,
        refusal: Callable[[str], str] = lambda reason: f"Máy chủ từ chối kết nối: {reason}",
        parent: QObject | None = None,
    ) -> None:
        """``reconnect`` connects again after a new code (default: the address given to
        ``start``, or discovery); ``refusal`` words the server's refusal for the prompt."""
        super().__init__(parent)
        self.connection = connection
        self._ask_code = ask_code
        self._remember_code = remember_code
        self._window = window
        self._on_unpaired = on_unpaired
        self._reconnect = reconnect
        self._refusal = refusal
        self._address: tuple[str, int] | None = None
        connection.refused.connect(self._refused)
        connection.needs_code.connect(lambda: QTimer.singleShot(0, lambda: self.ask_for_code("")))
        connection.enrolled.connect(forget_code)

    def start(self, address: tuple[str, int] | None, *, have_code: bool = True) -> None:
        """Connect (by address, or find the server), or first ask for the code."""
        self._address = address
        if have_code:
            self._connect()
        else:
            QTimer.singleShot(0, lambda: self.ask_for_code(""))

    def ask_for_code(self, problem: str) -> None:
        """Ask for the pairing code; connect with it, or say that none was given."""
        code = ask_and_remember(self._ask_code, self._remember_code, self._window(), problem)
        if not code:
            log.warning("no pairing code given; not connecting")
            self._on_unpaired()
            return
        self.connection.set_secret(code)
        self._connect()

    def _connect(self) -> None:
        if self._reconnect is not None:
            self._reconnect()
        else:
            start_connection(self.connection, self._address)

    def _refused(self, reason: str) -> None:
        QTimer.singleShot(0, lambda: self.ask_for_code(self._refusal(reason)))
