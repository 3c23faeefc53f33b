"""Fixtures for the kiosk's tests: whole kiosks against the real server, a fake network
printer on 127.0.0.1, and a counter connection that watches the server's events."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.controller import Page
from shared.core import wire
from shared.core.office import Office
from shared.qt.connection import ServerConnection
from tests.conftest import ThreadedServer
from tests.kiosk.fake_printer import FakePrinter
from tests.kiosk.rig import KioskRig, assemble

WAIT = 10_000  # ms: a bound for anything the kiosk does, never a pause

MakeKiosk = Callable[..., KioskRig]


@pytest.fixture
def make_kiosk(qtbot: QtBot, server_thread: ThreadedServer,
               office: Office) -> Iterator[MakeKiosk]:
    """``make_kiosk(printer_spec=…, office=…)``: a kiosk window online with the server."""
    made: list[KioskRig] = []

    def make(*, office: Office = office, online: bool = True,
             server: ThreadedServer | None = None, **options: Any) -> KioskRig:
        """A kiosk of ``server`` (default: ``server_thread``)."""
        to = server or server_thread
        rig = assemble(office, to.port, to.secret, **options)
        made.append(rig)
        if online:
            qtbot.waitUntil(lambda: rig.controller.page is Page.MENU, timeout=WAIT)
        return rig

    yield make
    for rig in made:
        rig.close()


@pytest.fixture
def fake_printer() -> Iterator[FakePrinter]:
    printer = FakePrinter()
    yield printer
    printer.close()


class EventWatcher:
    """A counter program's connection, collecting the events the server pushes."""

    def __init__(self, connection: ServerConnection) -> None:
        self.connection = connection
        self.events: list[dict[str, Any]] = []
        connection.event_received.connect(lambda event: self.events.append(wire.to_json(event)))

    def named(self, name: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event.get("event") == name]


@pytest.fixture
def counter_watcher(qtbot: QtBot, server_thread: ThreadedServer) -> Iterator[EventWatcher]:
    connection = ServerConnection("counter", f"quay-1-{uuid.uuid4().hex[:6]}",
                                  server_thread.secret, counter=1)
    with qtbot.waitSignal(connection.online, timeout=WAIT):
        connection.connect_to("127.0.0.1", server_thread.port)
    yield EventWatcher(connection)
    connection.close()
    connection.deleteLater()


@pytest.fixture
def open_hall(qtbot: QtBot, server_thread: ThreadedServer) -> Iterator[list[ServerConnection]]:
    """Every counter of the sample office connected and working: each service is served."""
    counters = []
    for number in (1, 2, 3, 4):
        connection = ServerConnection("counter", f"quay-{number}-{uuid.uuid4().hex[:6]}",
                                      server_thread.secret, counter=number)
        with qtbot.waitSignal(connection.online, timeout=WAIT):
            connection.connect_to("127.0.0.1", server_thread.port)
        counters.append(connection)
    yield counters
    for connection in counters:
        connection.close()
        connection.deleteLater()


def tap(qtbot: QtBot, button: QAbstractButton) -> None:
    """A citizen's tap: press and release on the button's middle."""
    assert button.isVisible(), f"{button.text() or button.accessibleName()} is not shown"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def waiting(server: ThreadedServer, service: str) -> int:
    """How many wait for ``service``, as the server itself says."""
    snapshot = server.request("display", "snapshot")["snapshot"]
    return next(int(s["waiting"]) for s in snapshot["services"] if s["code"] == service)
