"""A small asyncio client of the queue server, for tests, benchmarks and command-line tools.

    async with OfficeClient.connect(url, code, "counter", "quay-2", counter=2) as c:
        reply = await c.request("call_next")

It performs the handshake — enrolling with the pairing code, unless given the
device's ``key`` (``c.key`` after a first connection); an admin gives their password
instead of the code — (``UnauthorizedError`` with the server's message when
refused), gives each request a fresh id (unique across runs, since the server
remembers replies by client and id), matches replies by ``re``, and puts every other
message — the events, and errors that answer no pending request — into ``c.events``.
The Qt programs do not use it: they talk through QWebSocket on their GUI thread.

Imports no Qt.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import aiohttp

from shared.core import enrolment, wire
from shared.core.errors import MotcuaError

log = logging.getLogger(__name__)

JsonObject = dict[str, Any]

# The admins every test server has (``add_test_admins``), all with this password.
TEST_ADMINS = ("admin", "boss", "test-admin")
ADMIN_PASSWORD = "mật khẩu thử nghiệm"


def add_test_admins(devices: Any, office_id: str) -> None:
    """Give a server's device registry the test admins (``TEST_ADMINS``)."""
    for name in TEST_ADMINS:
        devices.add_admin(name, enrolment.admin_key(office_id, name, ADMIN_PASSWORD),
                          datetime.now())


def credential(role: str, code: str) -> str:
    """What a test client of ``role`` proves itself with: the code, or the admin password."""
    return ADMIN_PASSWORD if role == "admin" else code


def encode(message: JsonObject) -> str:
    """A message as a client sends it: compact JSON, UTF-8 as is."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def decode(text: str | bytes) -> JsonObject:
    """A frame from the server as plain JSON data."""
    message: JsonObject = json.loads(text)
    return message


class ClientError(MotcuaError):
    """The connection to the server failed or was lost."""


class UnauthorizedError(ClientError):
    """The server refused the hello; the message says why, in the server's words."""


class OfficeClient:
    """One welcomed connection; build it with ``OfficeClient.connect``."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        ws: aiohttp.ClientWebSocketResponse,
        client_id: str,
        snapshot: JsonObject,
        challenge: JsonObject,
        key: str,
    ) -> None:
        self.client_id = client_id
        self.key = key  # the device's own key (an admin's: derived from the password)
        self.snapshot = snapshot  # as received in the welcome
        self.welcome: JsonObject = {}  # the whole welcome
        self.challenge = challenge
        self.events: asyncio.Queue[JsonObject] = asyncio.Queue()
        self._session = session
        self._ws = ws
        self._prefix = uuid.uuid4().hex[:12]
        self._numbers = itertools.count(1)
        self._pending: dict[str, asyncio.Future[JsonObject]] = {}
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(
        cls,
        url: str,
        secret: str,
        role: str,
        client_id: str,
        counter: int | None = None,
        *,
        key: str | None = None,
        speaks: bool = False,
        hall: str | None = None,
        timeout: float = 10.0,
    ) -> AsyncIterator[OfficeClient]:
        """Connect, enrol (with ``secret``, the pairing code) unless ``key`` is given,
        and say hello; the connection closes when the block ends. For an admin,
        ``secret`` is the admin's password."""
        session = aiohttp.ClientSession()
        try:
            client = await cls._handshake(session, url, secret, role, client_id, counter,
                                          key, timeout, speaks, hall)
        except BaseException:
            await session.close()
            raise
        try:
            yield client
        finally:
            await client.close()

    @classmethod
    async def _handshake(
        cls,
        session: aiohttp.ClientSession,
        url: str,
        secret: str,
        role: str,
        client_id: str,
        counter: int | None,
        key: str | None,
        timeout: float,
        speaks: bool = False,
        hall: str | None = None,
    ) -> OfficeClient:
        try:
            ws = await session.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=2))
        except (aiohttp.ClientError, OSError) as problem:
            raise ClientError(f"Cannot connect to {url}: {problem}") from problem
        async with asyncio.timeout(timeout):
            challenge = wire.decode_server_message(await ws.receive_str())
            if not isinstance(challenge, wire.Challenge):
                raise ClientError(f"The server did not challenge: {challenge}")
            if role == "admin":
                key = enrolment.admin_key(challenge.office, client_id, secret)
            elif key is None:
                pending = enrolment.start(secret, challenge, role, client_id, counter,
                                          f"test {role}", id=f"enrol-{uuid.uuid4().hex[:12]}")
                await ws.send_str(wire.encode(pending.message).decode())
                answer = await cls._answer(ws)
                if answer.get("type") != "enrolled":
                    raise UnauthorizedError(str(answer.get("message", answer)))
                enrolled = wire.decode_server_message(encode(answer))
                assert isinstance(enrolled, wire.Enrolled)
                key = pending.finish(enrolled)
            hello = wire.hello(key, challenge, role, client_id, counter,  # type: ignore[arg-type]
                               id=f"hello-{uuid.uuid4().hex[:12]}", speaks=speaks,
                               hall=hall, takes_hall=role == "display")
            await ws.send_str(wire.encode(hello).decode())
            answer = await cls._answer(ws)
        if answer.get("type") != "welcome":
            await ws.close()
            raise UnauthorizedError(str(answer.get("message", answer)))
        client = cls(session, ws, client_id, dict(answer["snapshot"]), challenge, key)
        client.welcome = answer
        return client

    @staticmethod
    async def _answer(ws: aiohttp.ClientWebSocketResponse) -> JsonObject:
        frame = await ws.receive()
        if frame.type is not aiohttp.WSMsgType.TEXT:
            raise ClientError(f"The server closed the connection (code {ws.close_code}).")
        return decode(frame.data)

    @property
    def closed(self) -> bool:
        return self._ws.closed

    @property
    def close_code(self) -> int | None:
        return self._ws.close_code

    def new_id(self) -> str:
        return f"{self._prefix}-{next(self._numbers)}"

    async def request(
        self, type_: str, /, *, request_id: str | None = None, timeout: float = 10.0,
        **fields: Any,
    ) -> JsonObject:
        """Send a request and return its reply (an ``error`` reply too, as it is)."""
        key = request_id if request_id is not None else self.new_id()
        future: asyncio.Future[JsonObject] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            await self.send_raw(encode({"type": type_, "id": key, **fields}))
            async with asyncio.timeout(timeout):
                return await future
        finally:
            self._pending.pop(key, None)

    async def send_raw(self, data: str | bytes) -> None:
        """Send one frame as is: a text frame for str, a binary frame for bytes."""
        if self._ws.closed:
            raise ClientError("The connection is closed.")
        try:
            if isinstance(data, bytes):
                await self._ws.send_bytes(data)
            else:
                await self._ws.send_str(data)
        except ConnectionError as problem:
            raise ClientError(f"The connection is closed: {problem}") from problem

    async def next_event(self, name: str | None = None, timeout: float = 5.0) -> JsonObject:
        """The next message from ``events`` (of that event name, skipping others)."""
        async with asyncio.timeout(timeout):
            while True:
                message = await self.events.get()
                if name is None or message.get("event") == name:
                    return message

    async def wait_closed(self, timeout: float = 5.0) -> int | None:
        """Wait until the server closes the connection; its close code."""
        async with asyncio.timeout(timeout):
            await asyncio.shield(self._reader)
        return self._ws.close_code

    async def close(self) -> None:
        await self._ws.close()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        await self._session.close()

    async def _read(self) -> None:
        try:
            async for frame in self._ws:
                if frame.type is not aiohttp.WSMsgType.TEXT:
                    continue
                message = decode(frame.data)
                re = message.get("re")
                future = None if re is None else self._pending.get(str(re))
                if message.get("type") != "event" and future is not None and not future.done():
                    future.set_result(message)
                else:
                    self.events.put_nowait(message)
        except Exception:
            log.exception("reading from the server failed")
        finally:
            lost = ClientError(f"The connection closed (code {self._ws.close_code}).")
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(lost)
