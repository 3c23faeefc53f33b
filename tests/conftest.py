"""Test-wide setup and the real office server every package's tests can use.

The environment is set before anything creates a QApplication: Qt must run
offscreen, or it aborts the whole pytest process on a machine without a display.

Server fixtures: async tests (pytest-asyncio, ``asyncio_mode = "auto"``) use
``server``, ``server_url``, ``secret`` and ``connect``; a test wanting another office
or clock overrides the ``office`` or ``clock`` fixture, parametrizes it indirectly,
or calls ``make_server``. Qt tests, whose thread runs the Qt event loop rather than
asyncio, use ``server_thread``: the same server running in a thread of its own.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Discovery in tests stays on the loopback interface, never the office LAN.
os.environ.setdefault("MOTCUA_ZEROCONF_INTERFACES", "127.0.0.1")
# Remembered settings (pairing codes, client ids) go to a throw-away folder, never
# to the tester's own ~/.config.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="motcua-test-config-")

import asyncio
import json
import shutil
import subprocess
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import Future
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest

from shared.core import wire
from shared.core.config import load_office, parse_office
from shared.core.office import Office
from shared.core.protocol import ProtocolError
from shared.server.office_service import OfficeService, Session
from shared.server.server import OfficeServer
from tests.office_client import JsonObject, OfficeClient, add_test_admins, credential

T = TypeVar("T")
Clock = Callable[[], datetime]


@dataclass
class JsonOutcome:
    """An office service's answer as the JSON a client receives."""

    reply: JsonObject
    events: list[JsonObject] = field(default_factory=list)


def handle_json(service: OfficeService, session: Session, message: JsonObject) -> JsonOutcome:
    """Hand ``service`` one request given as JSON, as the server does with a frame."""
    try:
        request = wire.decode_request(json.dumps(message))
    except ProtocolError as problem:
        error = wire.ErrorReply(re=problem.re, code=problem.code, message=problem.message)
        return JsonOutcome(wire.to_json(error))
    outcome = service.handle(session, request)
    return JsonOutcome(wire.to_json(outcome.reply), [wire.to_json(e) for e in outcome.events])


def office_from_toml(text: str) -> Office:
    """A test office from TOML text (see docs/office.example.toml for the keys)."""
    return parse_office(text, "test office")


@pytest.fixture
def office(request: pytest.FixtureRequest) -> Office:
    """The embedded default office, or the Office given by indirect parametrization."""
    return getattr(request, "param", None) or load_office()


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> Clock | None:
    """The server's clock: None (the real time), or one given by indirect parametrization."""
    return getattr(request, "param", None)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


class MakeServer(Protocol):
    async def __call__(
        self, office: Office, *, data_dir: Path | None = None, clock: Clock | None = None,
        **options: Any,
    ) -> OfficeServer: ...


@pytest.fixture
async def make_server(data_dir: Path) -> AsyncIterator[MakeServer]:
    """Start more servers (127.0.0.1, a free port, no zeroconf); all stopped afterwards."""
    started: list[OfficeServer] = []

    async def make(
        office: Office, *, data_dir: Path | None = None, clock: Clock | None = None,
        **options: Any,
    ) -> OfficeServer:
        where = data_dir if data_dir is not None else default_dir
        if data_dir is None and any(s.data_dir == where and s.running for s in started):
            # A server already runs there (the ``server`` fixture, say): a directory of
            # its own, as two servers may never share one (shared.server.data_lock).
            where = default_dir.with_name(f"{default_dir.name}-{len(started) + 1}")
        options.setdefault("advertise", False)
        server = OfficeServer(office, where, "127.0.0.1", 0, clock=clock, **options)
        await server.start()
        add_test_admins(server.devices, office.id)
        started.append(server)
        return server

    default_dir = data_dir
    yield make
    for server in reversed(started):
        await server.stop()


@pytest.fixture
async def server(make_server: MakeServer, office: Office, clock: Clock | None) -> OfficeServer:
    """A started server for ``office`` on 127.0.0.1, ephemeral port, no zeroconf."""
    return await make_server(office, clock=clock)


@pytest.fixture
def server_url(server: OfficeServer) -> str:
    return server.url


@pytest.fixture
def secret(server: OfficeServer) -> str:
    return server.secret


class Connect(Protocol):
    async def __call__(
        self, role: str, client_id: str | None = None, counter: int | None = None, *,
        to: OfficeServer | None = None, secret: str | None = None,
    ) -> OfficeClient: ...


@pytest.fixture
async def connect(server: OfficeServer) -> AsyncIterator[Connect]:
    """``await connect("counter", counter=2)``: a welcomed client, closed after the test.

    ``client_id`` defaults to the role (and counter number); ``to`` picks another
    server than ``server``; ``secret`` overrides the pairing code sent.
    """
    async with AsyncExitStack() as stack:

        async def open_client(
            role: str, client_id: str | None = None, counter: int | None = None, *,
            to: OfficeServer | None = None, secret: str | None = None,
        ) -> OfficeClient:
            target = to or server
            name = client_id or (f"{role}-{counter}" if counter is not None else role)
            return await stack.enter_async_context(
                OfficeClient.connect(
                    target.url, credential(role, target.secret) if secret is None else secret,
                    role, name, counter,
                )
            )

        yield open_client


class ThreadedServer:
    """An OfficeServer running on an asyncio loop in a thread of its own."""

    def __init__(self, office: Office, data_dir: Path, clock: Clock | None = None,
                 **options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="motcua-test-server")
        self._thread.start()
        self.server = OfficeServer(office, data_dir, "127.0.0.1", 0, advertise=False,
                                   clock=clock, **options)
        self.call(self.server.start)
        add_test_admins(self.server.devices, office.id)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def secret(self) -> str:
        return self.server.secret

    def call(self, function: Callable[[], Awaitable[T]], timeout: float = 10.0) -> T:
        """Run ``await function()`` on the server's loop and return its result."""

        async def wrapped() -> T:
            return await function()

        future: Future[T] = asyncio.run_coroutine_threadsafe(wrapped(), self._loop)
        return future.result(timeout)

    def request(
        self, role: str, type_: str, /, *, counter: int | None = None,
        client_id: str | None = None, **fields: Any,
    ) -> JsonObject:
        """Connect as ``role``, send one request, return its reply, disconnect."""
        name = client_id or f"test-{role}"

        async def once() -> JsonObject:
            async with OfficeClient.connect(self.url, credential(role, self.secret), role, name,
                                            counter) as c:
                return await c.request(type_, **fields)

        return self.call(once)

    def stop(self) -> None:
        try:
            self.call(self.server.stop)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()


@pytest.fixture
def server_thread(office: Office, data_dir: Path, clock: Clock | None) -> Iterator[ThreadedServer]:
    """For Qt tests: a started server in its own thread (``.url``, ``.secret``,
    ``.request(role, type, **fields)``, ``.call(async_function)``)."""
    threaded = ThreadedServer(office, data_dir, clock)
    yield threaded
    threaded.stop()


@pytest.fixture
def no_thread_left() -> Iterator[None]:
    """Fails a test that leaves a thread running (zeroconf's, a server's …)."""
    before = frozenset(threading.enumerate())
    yield
    leftover = frozenset(threading.enumerate()) - before
    assert not leftover, f"threads left running: {leftover}"


@pytest.fixture
def bare_x_server() -> Iterator[str]:
    """A real X server (Xvfb) with no window manager: its DISPLAY, e.g. ":5"."""
    xvfb = shutil.which("Xvfb")
    assert xvfb is not None, "Xvfb is installed by bootstrap.sh (package xvfb)"
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1280x720x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as number:
        display = f":{number.readline().strip()}"  # written once the server is ready
    yield display
    server.terminate()
    server.wait(10)
