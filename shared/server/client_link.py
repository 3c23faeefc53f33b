"""The server's side of one connected client: its session, its outbox and its writes.

A ``ClientLink`` wraps one WebSocket the office server accepted. Messages wait in
its outbox until the server flushes it, once per turn of the event loop, and then
leave in one write; a client whose socket is backed up is served by the link's own
writer task instead, so that one slow client never slows the others. ``Outgoing``
is one message encoded once, however many clients it goes to.

The one place that writes WebSocket frames of its own rather than through
aiohttp's ``send_str``: aiohttp writes one frame per call, and a burst of events
would cost one system call per message and client (docs/performance.md, "What was
changed"). ``tests/shared/test_frames.py`` compares these frames byte for byte with
aiohttp's own writer, so that a change in aiohttp shows there first.

Used by the office server and its parts (``shared.server.handshake``,
``shared.server.group_commit``).
Imports aiohttp and the protocol; must not import Qt, nor ``shared.server.server`` (the
server drives its links, never the other way round).
"""

from __future__ import annotations

import asyncio
import logging
import struct
from collections import deque
from collections.abc import Callable
from typing import Final

import msgspec
from aiohttp import WSCloseCode, web

from shared.core import wire
from shared.server.office_service import Session

log = logging.getLogger(__name__)

CLOSE_TIMEOUT: Final = 3.0  # seconds to wait for a client to acknowledge a close


class Outgoing:
    """One message as encoded JSON and as a ready WebSocket frame, built once however
    many clients it goes to (a server's frames are not masked, so they are all the same)."""

    __slots__ = ("data", "frame")

    def __init__(self, message: msgspec.Struct) -> None:
        self.data = data = wire.encode(message)
        size = len(data)
        if size < 126:
            header = bytes((0x81, size))
        elif size < 65536:
            header = struct.pack("!BBH", 0x81, 126, size)
        else:
            header = struct.pack("!BBQ", 0x81, 127, size)
        self.frame = header + data


class ClientLink:
    """One WebSocket: its session once welcomed, its outbox and the task writing it.

    Messages wait in the outbox until the server flushes it, once per turn of the
    event loop: everything queued for a client then goes out in one write, so a
    burst of events costs one system call per client, not one per message. A client
    whose socket is backed up (the transport paused writing) is served by its writer
    task instead, one message at a time as the socket drains; if it falls ``limit``
    messages behind it counts as stuck.
    """

    def __init__(
        self, ws: web.WebSocketResponse, request: web.Request, limit: int,
        on_pending: Callable[[ClientLink], None],
    ) -> None:
        self.ws = ws
        self.transport: asyncio.Transport | None = request.transport
        self._protocol = request.protocol
        self.peer = request.remote or "?"
        self.limit = limit
        self.session: Session | None = None
        self.speaks = False  # a display that may say the calls (its hello said so)
        self.hall = ""  # the hall a display shows ("": the whole office)
        self.key: str | None = None  # the key its hello proved: a new one ends it
        self.outbox: deque[Outgoing] = deque()
        self.close_code: int | None = None
        self.aborted = False
        self._on_pending = on_pending
        self._wake = asyncio.Event()
        self.writer = asyncio.get_running_loop().create_task(self._write())

    def __str__(self) -> str:
        if self.session is None:
            return f"connection from {self.peer}"
        who = self.session.role
        if self.session.counter is not None:
            who += f" {self.session.counter}"
        return f"{who} “{self.session.client}” at {self.peer}"

    def send(self, message: msgspec.Struct | Outgoing) -> bool:
        """Queue a message; False when the connection is closing, or when the client
        is ``limit`` messages behind and its socket is backed up."""
        if self.close_code is not None:
            return False
        outbox = self.outbox
        if len(outbox) >= self.limit:
            self.flush()  # a burst, not a stuck client, unless the socket is backed up
            if len(outbox) >= self.limit:
                return False
        if not outbox:
            self._on_pending(self)  # the first since the last flush: flush it this turn
        outbox.append(message if isinstance(message, Outgoing) else Outgoing(message))
        return True

    def flush(self) -> None:
        """Write everything queued in one go, unless the socket is backed up (then
        the writer task sends it as the socket drains)."""
        if not self.outbox or self.aborted:
            return
        transport = self.transport
        if transport is None or self._protocol.writing_paused:
            self._wake.set()
            return
        if transport.is_closing():
            self.outbox.clear()  # the client went away; the reading side notices too
            return
        frames = [item.frame for item in self.outbox]
        self.outbox.clear()
        transport.write(b"".join(frames) if len(frames) > 1 else frames[0])

    def close(self, code: int) -> None:
        """Send what is queued, then close with ``code``."""
        if self.close_code is None:
            self.close_code = code
            self._wake.set()

    def abort(self, code: int) -> None:
        """Cut the connection now, dropping what is queued: the client is not reading,
        so it would not read a close frame either."""
        if self.close_code is None:
            self.close_code = code
        self.aborted = True
        self.outbox.clear()
        self.writer.cancel()
        if self.transport is not None:
            self.transport.abort()

    async def finished(self) -> None:
        """Wait until the writer has closed the socket."""
        await asyncio.wait([self.writer])

    async def _write(self) -> None:
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                while self.outbox:
                    if self.transport is None or self._protocol.writing_paused:
                        # aiohttp writes the frame, then waits for the socket to drain.
                        await self.ws.send_str(self.outbox.popleft().data.decode())
                    else:
                        self.flush()
                if self.close_code is not None:
                    return
        except ConnectionError:
            return  # the client went away; the reading side notices too
        finally:
            if not self.aborted:
                await self._close_socket()

    async def _close_socket(self) -> None:
        if self.ws.closed:
            return
        code = self.close_code if self.close_code is not None else WSCloseCode.GOING_AWAY
        try:
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await self.ws.close(code=code)
        except (TimeoutError, ConnectionError):
            # No close handshake in time: asyncio would keep the socket open until the
            # client reads what is buffered, which a stuck client never does.
            if self.transport is not None:
                self.transport.abort()


class ClientLinks:
    """Every open link of one server: each flushed once per turn of the event loop,
    cut off when it stops reading, and all said goodbye to at shutdown."""

    def __init__(self, limit: int) -> None:
        self.limit = limit  # messages waiting for one client before it counts as stuck
        self._links: set[ClientLink] = set()
        self._overflowed: set[str] = set()  # clients already logged as too slow
        self._unflushed: list[ClientLink] = []  # links with queued messages
        self._flush_scheduled = False

    def open(self, ws: web.WebSocketResponse, request: web.Request) -> ClientLink:
        link = ClientLink(ws, request, self.limit, self._pending)
        self._links.add(link)
        return link

    def discard(self, link: ClientLink) -> None:
        self._links.discard(link)

    def send(self, link: ClientLink, message: msgspec.Struct | Outgoing) -> None:
        """Queue ``message`` for ``link``; a client that is not reading is cut off."""
        if not link.send(message):
            self._too_slow(link)

    def flush(self) -> None:
        """Hand every queued message to its socket, one write per client."""
        self._flush_scheduled = False
        unflushed, self._unflushed = self._unflushed, []
        for link in unflushed:
            link.flush()

    async def close_all(self) -> None:
        """Goodbye to every client after what is queued for it; cut off the stuck ones."""
        for link in list(self._links):
            link.close(WSCloseCode.GOING_AWAY)
        if not self._links:
            return
        writers = [link.writer for link in self._links]
        _, stuck = await asyncio.wait(writers, timeout=CLOSE_TIMEOUT + 1)
        if stuck:
            for link in list(self._links):
                if link.writer in stuck:
                    link.abort(WSCloseCode.GOING_AWAY)
            await asyncio.wait(stuck)

    def _pending(self, link: ClientLink) -> None:
        """``link`` has messages queued: flush it at the end of this turn."""
        self._unflushed.append(link)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self.flush)

    def _too_slow(self, link: ClientLink) -> None:
        if link.close_code is not None:
            return  # already closing: the message is not needed
        client = link.session.client if link.session else link.peer
        level = logging.DEBUG if client in self._overflowed else logging.WARNING
        self._overflowed.add(client)
        log.log(level, "disconnecting the %s: it is not reading (%d messages waiting)",
                link, len(link.outbox))
        link.abort(WSCloseCode.TRY_AGAIN_LATER)
