"""ServerConnection against the real queue server, run in a subprocess.

Qt's event loop drives these tests and asyncio drives the server, so the server
lives in its own process (``shared.server.server.run``), which also lets a test kill it
like a power cut and start it again on the same data directory and port. Every
test has its own office id, so servers of other test runs never answer.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject
from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket
from pytestqt.qtbot import QtBot

from shared.core import wire
from shared.core.device_keys import DeviceKeys
from shared.qt.client_setup import (
    CODE_KEY,
    forget_pairing_code,
    pairing_code,
    remember_pairing_code,
    settings,
)
from shared.qt.connection import ServerConnection
from shared.qt.joining import OfficeJoin
from shared.server.devices import DeviceRegistry
from tests.server_process import START, ServerProcess

ROOT = Path(__file__).resolve().parents[2]
WAIT = 10_000  # ms for anything else; a bound, not a pause

class FlakyLink(QObject):
    """A TCP relay between a client and the server that can lose what the server says,
    then cut the line: a Wi-Fi drop right after a request was carried out."""

    def __init__(self, target_port: int) -> None:
        super().__init__()
        self.target_port = target_port
        self.losing = False
        self.sockets: list[QTcpSocket] = []
        self._listener = QTcpServer(self)
        self._listener.newConnection.connect(self._accept)
        assert self._listener.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), 0)
        self.port = self._listener.serverPort()

    def cut(self) -> None:
        for sock in self.sockets:
            sock.blockSignals(True)
            sock.abort()
            sock.deleteLater()
        self.sockets.clear()

    def close(self) -> None:
        self._listener.close()
        self.cut()
        self.deleteLater()

    def _accept(self) -> None:
        while self._listener.hasPendingConnections():
            client = self._listener.nextPendingConnection()
            upstream = QTcpSocket(self)
            upstream.connectToHost(QHostAddress(QHostAddress.SpecialAddress.LocalHost),
                                   self.target_port)
            client.readyRead.connect(lambda c=client, u=upstream: u.write(c.readAll()))
            upstream.readyRead.connect(lambda c=client, u=upstream: self._down(u, c))
            client.disconnected.connect(upstream.disconnectFromHost)
            upstream.disconnected.connect(client.disconnectFromHost)
            self.sockets += [client, upstream]

    def _down(self, upstream: QTcpSocket, client: QTcpSocket) -> None:
        data = upstream.readAll()
        if not self.losing:
            client.write(data)


# No zeroconf thread outlives a test (as python-zeroconf's own conftest checks).
pytestmark = pytest.mark.usefixtures("no_thread_left")


@pytest.fixture
def office() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def server(office: str, tmp_path: Path, qtbot: QtBot) -> Iterator[ServerProcess]:
    process = ServerProcess(office, tmp_path / "data")
    process.start(qtbot)
    yield process
    process.stop()


@pytest.fixture
def flaky_link() -> Iterator[Callable[[int], FlakyLink]]:
    links: list[FlakyLink] = []

    def make(target_port: int) -> FlakyLink:
        links.append(FlakyLink(target_port))
        return links[-1]

    yield make
    for link in links:
        link.close()


Connect = Callable[..., ServerConnection]


@pytest.fixture
def connection() -> Iterator[Connect]:
    """Make ServerConnections; every one is closed after the test."""
    made: list[ServerConnection] = []

    def make(role: str, secret: str, **options: Any) -> ServerConnection:
        conn = ServerConnection(role, f"{role}-{uuid.uuid4().hex[:8]}", secret, **options)
        made.append(conn)
        return conn

    yield make
    for conn in made:
        conn.close()
        conn.deleteLater()


def go_online(qtbot: QtBot, conn: ServerConnection, port: int) -> dict[str, Any]:
    """Connect by address; the welcome's snapshot."""
    with qtbot.waitSignal(conn.online, timeout=WAIT), qtbot.waitSignal(
        conn.snapshot, timeout=WAIT
    ) as blocker:
        conn.connect_to("127.0.0.1", port)
    snapshot: dict[str, Any] = wire.to_json(blocker.args[0])
    return snapshot


def ask(qtbot: QtBot, conn: ServerConnection, kind: str, **fields: Any) -> dict[str, Any]:
    """Send a request and wait for its own reply."""
    request_id = ""
    with qtbot.waitSignal(
        conn.reply, timeout=WAIT, check_params_cb=lambda m: m.re == request_id
    ) as blocker:
        request_id = conn.request(kind, **fields)
    reply: dict[str, Any] = wire.to_json(blocker.args[0])
    return reply


def waiting(snapshot: dict[str, Any], service: str) -> int:
    return next(int(s["waiting"]) for s in snapshot["services"] if s["code"] == service)


def test_connects_by_address_and_receives_a_snapshot(
    qtbot: QtBot, server: ServerProcess, connection: Connect
) -> None:
    display = connection("display", server.secret, office_id=server.office)

    snapshot = go_online(qtbot, display, server.port)

    assert display.is_online
    assert (snapshot["office"]["id"], snapshot["office"]["name"]) == (server.office, server.name)
    assert {s["code"] for s in snapshot["services"]} >= {"A", "B"}


def test_wrong_pairing_code_is_refused_and_not_retried(
    qtbot: QtBot, server: ServerProcess, connection: Connect
) -> None:
    display = connection("display", "K7QH-3MXP-9RTA-WC2D")

    with qtbot.waitSignal(display.refused, timeout=WAIT) as blocker:
        display.connect_to("127.0.0.1", server.port)

    assert "pairing code" in blocker.args[0]
    assert not display.is_online
    # A retry loop would be refused again within the first back-off (0.25 s).
    with qtbot.assertNotEmitted(display.refused, wait=1500), qtbot.assertNotEmitted(
        display.online
    ):
        pass


def test_a_server_of_another_office_is_refused(
    qtbot: QtBot, server: ServerProcess, connection: Connect
) -> None:
    display = connection("display", server.secret, office_id="some-other-office",
                         office_name="UBND Xã Khác")
    refused: list[str] = []
    display.refused.connect(refused.append)

    with qtbot.waitSignal(display.wrong_office, timeout=WAIT) as blocker:
        display.connect_to("127.0.0.1", server.port)

    wrong = blocker.args[0]
    assert (wrong.ours_id, wrong.ours_name) == ("some-other-office", "UBND Xã Khác")
    assert (wrong.theirs_id, wrong.theirs_name) == (server.office, server.name)
    assert wrong.address == f"127.0.0.1:{server.port}"
    assert "UBND Xã Khác" in wrong.vietnamese()
    assert f"127.0.0.1:{server.port}" in wrong.vietnamese()
    assert refused == []  # no pairing code can help: nobody is asked for one


def test_a_request_gets_its_reply_and_errors_come_as_replies(
    qtbot: QtBot, server: ServerProcess, connection: Connect
) -> None:
    kiosk = connection("kiosk", server.secret)
    go_online(qtbot, kiosk, server.port)

    issued = ask(qtbot, kiosk, "issue", service="A", priority=None)
    refused = ask(qtbot, kiosk, "issue", service="ZZ", priority=None)

    assert issued["type"] == "ticket"
    assert issued["ticket"]["service"] == "A"
    assert issued["ticket"]["status"] == "waiting"
    assert refused["type"] == "error"
    assert refused["code"] == "unknown_service"
    assert kiosk.pending == []


def test_events_reach_every_other_connection(
    qtbot: QtBot, server: ServerProcess, connection: Connect
) -> None:
    display = connection("display", server.secret)
    kiosk = connection("kiosk", server.secret)
    go_online(qtbot, display, server.port)
    go_online(qtbot, kiosk, server.port)

    with qtbot.waitSignal(
        display.event_received, timeout=WAIT,
        check_params_cb=lambda m: isinstance(m, wire.TicketIssued),
    ) as blocker:
        reply = ask(qtbot, kiosk, "issue", service="B", priority=None)

    assert blocker.args[0].ticket.number == reply["ticket"]["number"]


def test_goes_offline_when_the_server_dies_and_back_online_when_it_returns(
    qtbot: QtBot, server: ServerProcess, connection: Connect
) -> None:
    kiosk = connection("kiosk", server.secret)
    go_online(qtbot, kiosk, server.port)
    ask(qtbot, kiosk, "issue", service="A", priority=None)
    before = ask(qtbot, kiosk, "snapshot")["snapshot"]

    with qtbot.waitSignal(kiosk.offline, timeout=WAIT):
        server.kill()
    assert not kiosk.is_online

    with qtbot.waitSignal(kiosk.online, timeout=START), qtbot.waitSignal(
        kiosk.snapshot, timeout=START
    ) as blocker:
        server.start(qtbot)
    after = wire.to_json(blocker.args[0])

    assert kiosk.is_online
    assert after["services"] == before["services"]
    assert after["recent_calls"] == before["recent_calls"]
    assert waiting(after, "A") == 1


def test_a_request_made_while_offline_is_carried_out_once_after_reconnecting(
    qtbot: QtBot, server: ServerProcess, connection: Connect
) -> None:
    kiosk = connection("kiosk", server.secret)
    go_online(qtbot, kiosk, server.port)
    with qtbot.waitSignal(kiosk.offline, timeout=WAIT):
        server.kill()

    request_id = kiosk.request("issue", service="C", priority=None)
    with qtbot.waitSignal(
        kiosk.reply, timeout=START, check_params_cb=lambda m: m.re == request_id
    ) as blocker:
        server.start(qtbot)

    assert isinstance(blocker.args[0], wire.TicketReply)
    assert waiting(ask(qtbot, kiosk, "snapshot")["snapshot"], "C") == 1


def test_a_reply_lost_on_the_way_is_answered_again_not_done_twice(
    qtbot: QtBot, server: ServerProcess, connection: Connect,
    flaky_link: Callable[[int], FlakyLink],
) -> None:
    display = connection("display", server.secret)
    kiosk = connection("kiosk", server.secret)
    go_online(qtbot, display, server.port)
    link = flaky_link(server.port)
    go_online(qtbot, kiosk, link.port)

    link.losing = True  # the server carries the request out; its reply never arrives
    with qtbot.waitSignal(
        display.event_received, timeout=WAIT,
        check_params_cb=lambda m: isinstance(m, wire.TicketIssued),
    ) as issued:
        request_id = kiosk.request("issue", service="D", priority=None)
    assert [m.id for m in kiosk.pending] == [request_id]

    with qtbot.waitSignal(
        kiosk.reply, timeout=WAIT, check_params_cb=lambda m: m.re == request_id
    ) as answered:
        link.losing = False
        link.cut()

    assert answered.args[0].ticket.number == issued.args[0].ticket.number
    assert waiting(ask(qtbot, kiosk, "snapshot")["snapshot"], "D") == 1
    assert kiosk.pending == []


def test_discover_finds_the_advertised_server_and_connects(
    qtbot: QtBot, office: str, tmp_path: Path, connection: Connect
) -> None:
    assert os.environ["MOTCUA_ZEROCONF_INTERFACES"] == "127.0.0.1"  # tests/conftest.py
    advertised = ServerProcess(office, tmp_path / "data", advertise=True)
    advertised.start(qtbot)
    try:
        display = connection("display", advertised.secret, office_id=office)
        with qtbot.waitSignal(display.online, timeout=WAIT), qtbot.waitSignal(
            display.snapshot, timeout=WAIT
        ) as blocker:
            display.discover()

        assert display.url == f"ws://127.0.0.1:{advertised.port}/ws"
        assert blocker.args[0].office.id == office
        display.close()  # stops the zeroconf browser and its threads
        with contextlib.suppress(RuntimeError):
            display.deleteLater()
    finally:
        advertised.stop()


def test_a_cancelled_request_is_not_sent_after_reconnecting(
    qtbot: QtBot, server: ServerProcess, connection: Connect
) -> None:
    kiosk = connection("kiosk", server.secret)
    go_online(qtbot, kiosk, server.port)
    with qtbot.waitSignal(kiosk.offline, timeout=WAIT):
        server.kill()

    request_id = kiosk.request("issue", service="C", priority=None)
    assert kiosk.cancel(request_id) is True
    assert kiosk.pending == []
    with qtbot.waitSignal(kiosk.online, timeout=START):
        server.start(qtbot)
    assert waiting(ask(qtbot, kiosk, "snapshot")["snapshot"], "C") == 0


def test_a_corrected_pairing_code_reconnects_to_the_server_already_found(
    qtbot: QtBot, office: str, tmp_path: Path, connection: Connect
) -> None:
    advertised = ServerProcess(office, tmp_path / "data", advertise=True)
    advertised.start(qtbot)
    try:
        display = connection("display", "WRONG-CODE-0000-0000", office_id=office)
        with qtbot.waitSignal(display.refused, timeout=WAIT):
            display.discover()
        display.set_secret(advertised.secret)  # the person typed the right code
        with qtbot.waitSignal(display.online, timeout=WAIT):
            display.discover()
        display.close()
        with contextlib.suppress(RuntimeError):
            display.deleteLater()
    finally:
        advertised.stop()


# --- enrolment: the code once, then the device's own key --------------------------------


def test_enrols_once_keeps_its_key_private_then_needs_no_code(
    qtbot: QtBot, server: ServerProcess, tmp_path: Path
) -> None:
    keys = DeviceKeys(tmp_path / "keys")
    first = ServerConnection("display", "tv-hall", server.secret, office_id=server.office,
                             keys=keys)
    with qtbot.waitSignal(first.enrolled, timeout=WAIT):
        go_online(qtbot, first, server.port)
    first.close()
    [kept] = (tmp_path / "keys").iterdir()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    assert server.secret not in kept.read_text()

    again = ServerConnection("display", "tv-hall", "", office_id=server.office, keys=keys)
    assert again.can_prove
    go_online(qtbot, again, server.port)
    again.close()


def test_with_neither_key_nor_code_it_asks_for_the_code(
    qtbot: QtBot, server: ServerProcess, tmp_path: Path
) -> None:
    fresh = ServerConnection("kiosk", "kiosk-new", "", keys=DeviceKeys(tmp_path / "keys"))
    assert not fresh.can_prove
    with qtbot.waitSignal(fresh.needs_code, timeout=WAIT):
        fresh.connect_to("127.0.0.1", server.port)
    fresh.close()


def test_an_unknown_key_is_replaced_by_enrolling_again_with_the_code(
    qtbot: QtBot, server: ServerProcess, tmp_path: Path
) -> None:
    # A key from before the server's data was replaced.
    keys = DeviceKeys(tmp_path / "keys")
    keys.save("quay-1-pc", server.office, "0" * 64)
    counter = ServerConnection("counter", "quay-1-pc", server.secret, counter=1, keys=keys)
    with qtbot.waitSignal(counter.enrolled, timeout=WAIT):
        go_online(qtbot, counter, server.port)
    assert keys.load("quay-1-pc", server.office) not in (None, "0" * 64)
    counter.close()


def test_a_revoked_device_is_cut_off_and_told_how_to_come_back(
    qtbot: QtBot, server: ServerProcess, tmp_path: Path
) -> None:
    keys = DeviceKeys(tmp_path / "keys")
    counter = ServerConnection("counter", "quay-2-pc", server.secret, counter=2, keys=keys)
    go_online(qtbot, counter, server.port)
    registry = DeviceRegistry(server.data_dir)
    with qtbot.waitSignal(counter.refused, timeout=WAIT) as refused:
        registry.revoke("quay-2-pc", datetime.now())
    registry.close()
    assert "motcua devices allow quay-2-pc" in refused.args[0]
    assert not counter.is_online
    # A refusal proves nothing (any machine on the LAN can send one): the key is kept.
    assert keys.load("quay-2-pc", server.office) is not None
    counter.close()


def test_an_upgraded_device_enrols_with_its_remembered_code_then_forgets_it(
    qtbot: QtBot, server: ServerProcess, tmp_path: Path
) -> None:
    # What motcua before enrolment left behind: the office code, in plain text.
    program = f"test-upgrade-{uuid.uuid4().hex[:6]}"
    remember_pairing_code(program, server.secret)
    code = pairing_code(program, argparse.Namespace(pairing_code=None, data_dir=None))
    assert code == server.secret
    connection = ServerConnection("display", f"{program}-tv", code,
                                  keys=DeviceKeys(tmp_path / "keys"))
    join = OfficeJoin(connection, ask_code=lambda parent, problem: None,
                      remember_code=lambda typed: typed, window=lambda: None,
                      on_unpaired=lambda: None,
                      forget_code=lambda: forget_pairing_code(program))
    with qtbot.waitSignal(connection.online, timeout=WAIT):
        join.start(("127.0.0.1", server.port))
    assert not settings(program).contains(CODE_KEY)
    assert settings(program).value(CODE_KEY) is None
    connection.close()
