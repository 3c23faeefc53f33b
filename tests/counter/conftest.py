"""Counter programs against the real office server (``server_thread``), for pytest-qt.

``open_counter(N)`` builds the whole counter program for counter N — connection,
controller, full window, compact strip — exactly as ``motcua counter`` does, with its
settings in a file of the test's own, and waits until it is online with the
server's state. ``issue("A")`` takes a number as a kiosk would.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from counter.app import CounterProgram
from counter.controller import CounterController
from counter.queue_state import Action
from counter.shell import CounterShell
from counter.window import CounterWindow
from shared.core.link import Link
from shared.qt.connection import ServerConnection
from tests.conftest import ThreadedServer

WAIT = 10_000  # ms: a bound, not a pause


@dataclass
class Counter:
    """One counter program in a test, with what a test needs to drive and read it."""

    program: CounterProgram
    qtbot: QtBot

    @property
    def controller(self) -> CounterController:
        return self.program.controller

    @property
    def shell(self) -> CounterShell:
        return self.program.shell

    @property
    def window(self) -> CounterWindow:
        return self.program.shell.window

    def shown_number(self) -> str:
        """The big number the official sees in the full window."""
        return self.window.ticket.number.text()

    def status(self) -> str:
        return self.window.status.text()

    def click(self, action: Action) -> None:
        """Click the action's button in the full window, and wait for the answer."""
        button = self.window.buttons[action]
        assert button.isEnabled(), f"{action} is disabled"
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        self.settle()

    def key(self, key: Qt.Key, widget: QWidget | None = None) -> None:
        """Press a key in the form on screen (made the active window first)."""
        target = widget or self.shell.active
        target.activateWindow()
        self.qtbot.waitUntil(lambda: QApplication.activeWindow() is target, timeout=WAIT)
        QTest.keyClick(target, key)

    def settle(self) -> None:
        """Until the server answered what was sent."""
        self.qtbot.waitUntil(lambda: not self.controller.busy, timeout=WAIT)

    def call_next(self, expected: str) -> None:
        self.click(Action.CALL_NEXT)
        self.qtbot.waitUntil(lambda: self.shown_number() == expected, timeout=WAIT)


OpenCounter = Callable[..., Counter]


@pytest.fixture
def open_counter(
    qtbot: QtBot, server_thread: ThreadedServer, tmp_path: Path
) -> Iterator[OpenCounter]:
    opened: list[Counter] = []
    names = itertools.count(1)

    def open_one(number: int, *, settings: QSettings | None = None, secret: str | None = None,
                 online: bool = True, office_id: str | None = None,
                 **options: Any) -> Counter:
        connection = ServerConnection(
            "counter", f"test-counter-{number}-{next(names)}",
            server_thread.secret if secret is None else secret, counter=number,
            office_id=office_id, office_name=f"UBND {office_id}" if office_id else "",
        )
        store = settings or QSettings(str(tmp_path / f"counter-{number}.ini"),
                                      QSettings.Format.IniFormat)
        program = CounterProgram(connection, number, store, **options)
        counter = Counter(program, qtbot)
        opened.append(counter)
        if online:
            program.start(("127.0.0.1", server_thread.port))
            qtbot.waitUntil(
                lambda: program.controller.link is Link.ONLINE
                and program.controller.business_day is not None,
                timeout=WAIT,
            )
        return counter

    yield open_one
    for counter in opened:
        counter.program.close()


@pytest.fixture
def issue(server_thread: ThreadedServer) -> Callable[..., str]:
    """Take a number for ``service`` at a kiosk; returns the number printed."""
    kiosks = itertools.count(1)

    def take(service: str, priority: str | None = None) -> str:
        # One kiosk name per ticket: a real kiosk may issue only a few at once.
        reply = server_thread.request("kiosk", "issue", service=service, priority=priority,
                                      client_id=f"kiosk-{next(kiosks)}")
        assert reply["type"] == "ticket", reply
        return str(reply["ticket"]["number"])

    return take
