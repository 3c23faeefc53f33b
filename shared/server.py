"""The office's queue server: protocol v1 over WebSocket, ``GET /health``, zeroconf.

The single authority of an office (see docs/protocol.md and docs/deployment.md).
Each connection gets a challenge, must answer with a ``hello`` proving it knows
the pairing code, and is then welcomed with a snapshot. Its requests go to the
``OfficeService``, called directly on the event loop thread: one request is decided
at a time, which is what keeps two counters from ever calling the same ticket. The
requests decided in one turn of the event loop share one transaction (group
commit: one fsync for all of them), and their replies and events leave only once
it is on disk. The reply goes to the sender and the events to every welcomed
client, each through the connection's own outbox, written out in one piece per turn;
a client whose socket is backed up is served by its own writer task, so that one
slow client never slows the others, and one whose outbox overflows is disconnected
(it reconnects and resyncs with a snapshot).

Imports no Qt. The zeroconf advertiser (``shared.discovery``) is imported only when
the server advertises.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
import struct
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Final, Protocol

from aiohttp import WSCloseCode, WSMsgType, web

from shared.errors import MotcuaError
from shared.office import Office
from shared.office_service import OfficeService, Session
from shared.pairing import load_or_create_secret
from shared.protocol import (
    PROTOCOL_VERSION,
    WS_PATH,
    JsonObject,
    ProtocolError,
    decode,
    encode,
    error,
    event,
    parse_hello,
    proof_matches,
)
from shared.queue_rules import QueueState
from shared.store import SqliteStore

log = logging.getLogger(__name__)

DATABASE_FILE: Final = "motcua.sqlite"
# Frames up to this size are read and answered with ``too_large`` when over
# MAX_FRAME_BYTES; anything bigger is cut off at its header (close code 1009) so
# that nobody can make the server buffer megabytes.
HARD_FRAME_LIMIT: Final = 1024 * 1024
OUTBOX_SIZE: Final = 512  # messages waiting for one client before it counts as stuck
HELLO_TIMEOUT: Final = 10.0  # seconds a new connection has to say hello
HEARTBEAT: Final = 20.0  # ping interval: a pulled cable is noticed within ~30 s
CLOSE_TIMEOUT: Final = 3.0  # seconds to wait for a client to acknowledge a close
SHUTDOWN_TIMEOUT: Final = 5.0

_WILDCARDS: Final = ("", "0.0.0.0", "::")


class ServerError(MotcuaError):
    """The server cannot start (port taken, data directory unusable …)."""


class Advertiser(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def version() -> str:
    try:
        return metadata.version("motcua")
    except metadata.PackageNotFoundError:
        return "unknown"


class _TokenBucket:
    """A kiosk's allowance of tickets: ``rate`` a minute, up to ``burst`` at once."""

    def __init__(self, rate_per_minute: int) -> None:
        self.rate = rate_per_minute / 60.0
        # A few at once (a queue of citizens pressing in turn), more for busy halls.
        self.capacity = float(max(3, rate_per_minute // 12))
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


class _Outgoing:
    """One message as text and as a ready WebSocket frame, built once however many
    clients it goes to (a server's frames are not masked, so they are all the same)."""

    __slots__ = ("frame", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        data = text.encode()
        size = len(data)
        if size < 126:
            header = bytes((0x81, size))
        elif size < 65536:
            header = struct.pack("!BBH", 0x81, 126, size)
        else:
            header = struct.pack("!BBQ", 0x81, 127, size)
        self.frame = header + data


class _Connection:
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
        on_pending: Callable[[_Connection], None],
    ) -> None:
        self.ws = ws
        self.transport: asyncio.Transport | None = request.transport
        self._protocol = request.protocol
        self.peer = request.remote or "?"
        self.limit = limit
        self.session: Session | None = None
        self.outbox: deque[_Outgoing] = deque()
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

    def send(self, message: JsonObject | _Outgoing) -> bool:
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
        outbox.append(message if isinstance(message, _Outgoing) else _Outgoing(encode(message)))
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
                        await self.ws.send_str(self.outbox.popleft().text)
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


class OfficeServer:
    """The queue server of one office, on one port: ``start()``, then ``stop()``."""

    def __init__(
        self,
        office: Office,
        data_dir: Path,
        host: str = "0.0.0.0",
        port: int = 8765,
        *,
        advertise: bool = True,
        clock: Callable[[], datetime] | None = None,
        outbox_size: int = OUTBOX_SIZE,
    ) -> None:
        self.office = office
        self.data_dir = data_dir
        self.host = host
        self.port = port
        self.advertise = advertise
        self._clock = clock
        self._outbox_size = outbox_size
        self._service: OfficeService | None = None
        self._store: SqliteStore | None = None
        self._secret = ""
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._advertiser: Advertiser | None = None
        self._stopping = False
        self._sockets: set[_Connection] = set()  # every open WebSocket
        self._clients: list[_Connection] = []  # the welcomed ones, in order of arrival
        self._present: dict[int, int] = {}  # counter number -> its open connections
        self._buckets: dict[str, _TokenBucket] = {}  # per kiosk client id
        self._overflowed: set[str] = set()  # clients already logged as too slow
        self._unflushed: list[_Connection] = []  # connections with queued messages
        self._flush_scheduled = False
        # Group commit: the requests decided in one turn of the event loop share one
        # transaction; their replies and events wait here until it is on disk.
        self._batch: list[tuple[_Connection, JsonObject, list[JsonObject]]] | None = None
        self._batch_state: QueueState | None = None

    # --- life cycle -----------------------------------------------------------

    @property
    def service(self) -> OfficeService:
        if self._service is None:
            raise ServerError("The server is not started.")
        return self._service

    @property
    def secret(self) -> str:
        """The office's pairing code (read from the data directory at start)."""
        return self._secret

    @property
    def url(self) -> str:
        """Where a client on this machine connects: ``ws://HOST:PORT/ws``."""
        host = "127.0.0.1" if self.host in _WILDCARDS else self.host
        host = f"[{host}]" if ":" in host else host
        return f"ws://{host}:{self.port}{WS_PATH}"

    async def start(self) -> None:
        """Open the database, listen, advertise. Raises a MotcuaError if it cannot."""
        self._secret = load_or_create_secret(self.data_dir)
        self._store = SqliteStore(self.data_dir / DATABASE_FILE)
        try:
            self._service = OfficeService(self.office, self._store, self._clock)
            await self._listen()
            if self.advertise:
                await self._start_advertising()
        except BaseException:
            await self._shutdown()
            raise
        log.info(
            "motcua server for %s (%s) listening on %s; protocol %d, version %s, data in %s",
            self.office.name, self.office.id, self._where(), PROTOCOL_VERSION, version(),
            self.data_dir,
        )

    async def stop(self) -> None:
        """Stop accepting, withdraw the advertisement, say goodbye to every client
        (close code 1001, after what was queued for it), then close the database."""
        if self._runner is None and self._store is None:
            return
        log.info("stopping the motcua server on port %d", self.port)
        await self._shutdown()
        log.info("motcua server stopped")

    async def _listen(self) -> None:
        app = web.Application()
        app.router.add_get("/health", self._health)
        app.router.add_get(WS_PATH, self._websocket)
        self._runner = web.AppRunner(
            app, shutdown_timeout=SHUTDOWN_TIMEOUT, access_log=None, handle_signals=False
        )
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await self._site.start()
        except OSError as problem:
            reason = os.strerror(problem.errno) if problem.errno else str(problem)
            raise ServerError(
                f"Cannot listen on {self.host}:{self.port}: {reason.lower()}. Is another "
                "motcua server running here? Choose another port with --port."
            ) from problem
        self.port = int(self._runner.addresses[0][1])  # the real one, also when 0 was asked

    async def _start_advertising(self) -> None:
        from shared.discovery import ZeroconfAdvertiser

        addresses = None if self.host in _WILDCARDS else [self.host]
        advertiser = ZeroconfAdvertiser(
            self.office.id, self.office.name, self.port, addresses=addresses
        )
        await advertiser.start()  # DuplicateServerError: this office already has a server
        self._advertiser = advertiser

    async def _shutdown(self) -> None:
        self._stopping = True
        self._commit_batch()
        if self._site is not None:
            await self._site.stop()  # no new connections from here on
            self._site = None
        if self._advertiser is not None:
            try:
                await self._advertiser.stop()
            except Exception:
                log.exception("withdrawing the zeroconf advertisement failed")
            self._advertiser = None
        await self._close_all()
        if self._runner is not None:
            await self._runner.cleanup()  # lets in-flight HTTP requests finish
            self._runner = None
        self._commit_batch()  # anything decided while the clients were leaving
        if self._store is not None:
            self._store.close()
            self._store = None
        self._service = None

    async def _close_all(self) -> None:
        """Goodbye to every client after what is queued for it; cut off the stuck ones."""
        for connection in list(self._sockets):
            connection.close(WSCloseCode.GOING_AWAY)
        if not self._sockets:
            return
        writers = [connection.writer for connection in self._sockets]
        _, stuck = await asyncio.wait(writers, timeout=CLOSE_TIMEOUT + 1)
        if stuck:
            for connection in list(self._sockets):
                if connection.writer in stuck:
                    connection.abort(WSCloseCode.GOING_AWAY)
            await asyncio.wait(stuck)

    def _where(self) -> str:
        if self.host in _WILDCARDS:
            return f"port {self.port} on all interfaces (ws://<this machine>:{self.port}{WS_PATH})"
        return self.url

    # --- HTTP -----------------------------------------------------------------

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"status": "ok", "protocol": PROTOCOL_VERSION, "version": version()}
        )

    # --- WebSocket ------------------------------------------------------------

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        if self._stopping:
            raise web.HTTPServiceUnavailable(text="The motcua server is stopping.")
        ws = web.WebSocketResponse(
            max_msg_size=HARD_FRAME_LIMIT,
            heartbeat=HEARTBEAT,
            timeout=CLOSE_TIMEOUT,
            compress=False,
        )
        await ws.prepare(request)
        connection = _Connection(ws, request, self._outbox_size, self._pending)
        self._sockets.add(connection)
        try:
            if await self._handshake(connection):
                await self._serve(connection)
        except Exception:
            log.exception("the %s failed", connection)
        finally:
            self._leave(connection)
            connection.close(WSCloseCode.GOING_AWAY)
            await connection.finished()
            self._sockets.discard(connection)
        return ws

    async def _handshake(self, connection: _Connection) -> bool:
        """Challenge, hello, welcome. False when the client was refused (and is closed)."""
        nonce = secrets.token_hex(16)
        connection.send(
            {"type": "challenge", "protocol": PROTOCOL_VERSION, "office": self.office.id,
             "nonce": nonce}
        )
        try:
            frame = await connection.ws.receive(timeout=HELLO_TIMEOUT)
        except TimeoutError:
            self._refuse(connection, f"No “hello” within {HELLO_TIMEOUT:.0f} seconds.")
            return False
        if frame.type is not WSMsgType.TEXT:
            if frame.type is WSMsgType.BINARY:
                self._refuse(connection, "Send “hello” first, as a JSON text frame.")
            return False
        try:
            hello = parse_hello(decode(frame.data))
        except ProtocolError as problem:
            if problem.code == "too_large":
                connection.send(error(problem.code, problem.message))
                connection.close(WSCloseCode.MESSAGE_TOO_BIG)
            else:
                self._refuse(connection, problem.message, problem.re)
            return False
        if not proof_matches(self._secret, nonce, hello):
            log.warning("refused %s %r from %s: wrong pairing proof", hello.role,
                        hello.client, connection.peer)
            self._refuse(
                connection,
                "Wrong pairing code: this device was not paired with this office's server "
                "(or the code changed). Enter the code shown by `motcua pair --show`.",
                hello.id,
            )
            return False
        if hello.counter is not None and self.office.counter(hello.counter) is None:
            known = ", ".join(str(c.number) for c in self.office.counters)
            self._refuse(
                connection,
                f"This office has no counter {hello.counter} (counters: {known}).",
                hello.id,
            )
            return False
        connection.session = Session(hello.client, hello.role, hello.counter)
        self._join(connection, hello.id)
        return True

    def _refuse(self, connection: _Connection, message: str, re: Any = None) -> None:
        connection.send(error("unauthorized", message, re))
        connection.close(WSCloseCode.POLICY_VIOLATION)

    async def _serve(self, connection: _Connection) -> None:
        ws = connection.ws
        while connection.close_code is None:
            frame = await ws.receive()
            if frame.type is WSMsgType.TEXT:
                self._on_text(connection, frame.data)
            elif frame.type is WSMsgType.BINARY:
                self._reply(connection, error("bad_request", "Send JSON text frames, not binary."))
            else:
                if frame.type is WSMsgType.ERROR:
                    log.info("the %s broke off: %s", connection, ws.exception())
                return  # closed by the client, by a frame over the hard limit, or by us

    def _on_text(self, connection: _Connection, text: str) -> None:
        """Decide one request; runs to the end without yielding to the event loop.

        Its change joins the open group commit: the reply and the events go out only
        once the transaction holding it is on disk (``_commit_batch``).
        """
        session = connection.session
        assert session is not None
        try:
            message = decode(text)
        except ProtocolError as problem:
            self._reply(connection, error(problem.code, problem.message))
            if problem.code == "too_large":
                self._commit_batch()  # what came before goes out before the close
                connection.close(WSCloseCode.MESSAGE_TOO_BIG)
            return
        re = message.get("id") if isinstance(message.get("id"), str | int) else None
        if (
            session.role == "kiosk"
            and message.get("type") == "issue"
            # A retry after a reconnect is answered from memory, never refused.
            and (re is None or self.service.store.reply_to(session.client, str(re)) is None)
            and not self._bucket(session.client).take()
        ):
            self._reply(connection, error(
                "rate_limited",
                "Máy cấp số đang nhận quá nhiều yêu cầu; vui lòng thử lại sau ít giây.",
                re,
            ))
            return
        try:
            self._open_batch()
            outcome = self.service.handle(session, message)
        except Exception:
            log.exception("request %r from the %s failed", message.get("type"), connection)
            self._reply(connection, error(
                "internal", "Máy chủ gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại.", re
            ))
            return
        reply = outcome.reply
        if reply.get("type") == "snapshot" and isinstance(reply.get("snapshot"), dict):
            reply = {**reply, "snapshot": self._with_presence(reply["snapshot"])}
        assert self._batch is not None
        self._batch.append((connection, reply, outcome.events))

    # --- group commit -------------------------------------------------------------

    def _open_batch(self) -> None:
        """Start a group commit unless one is open; it commits at the next turn of the
        event loop, after every request that arrived with this one is decided."""
        if self._batch is not None:
            return
        assert self._store is not None
        self._store.begin_batch()
        self._batch = []
        self._batch_state = self.service.state
        asyncio.get_running_loop().call_soon(self._commit_batch)

    def _commit_batch(self) -> None:
        """Make the open group commit durable, then send its replies and events in the
        order the requests were decided. If the commit fails nothing of it happened:
        the state goes back to before it and every request in it gets ``internal``."""
        batch, self._batch = self._batch, None
        if batch is None:
            return
        before, self._batch_state = self._batch_state, None
        assert self._store is not None
        try:
            self._store.end_batch()
        except Exception:
            log.exception("committing %d requests failed; none of them was carried out",
                          len(batch))
            if self._service is not None and before is not None:
                self._service.state = before
            for connection, reply, _ in batch:
                self._send(connection, error(
                    "internal", "Máy chủ gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại.",
                    reply.get("re"),
                ))
            self._flush()
            return
        for connection, reply, events in batch:
            self._send(connection, reply)
            for fact in events:
                self._broadcast_now(fact)
        self._flush()

    # --- sending ------------------------------------------------------------------

    def _reply(self, connection: _Connection, message: JsonObject) -> None:
        """Answer now, or after the open group commit, keeping each client's order."""
        if self._batch is not None:
            self._batch.append((connection, message, []))
        else:
            self._send(connection, message)

    def _send(self, connection: _Connection, message: JsonObject) -> None:
        if not connection.send(message):
            self._too_slow(connection)

    def _broadcast(self, message: JsonObject) -> None:
        """Send to every welcomed client, after anything decided before it."""
        self._commit_batch()
        self._broadcast_now(message)

    def _broadcast_now(self, message: JsonObject) -> None:
        outgoing = _Outgoing(encode(message))
        for connection in list(self._clients):
            if not connection.send(outgoing):
                self._too_slow(connection)

    def _pending(self, connection: _Connection) -> None:
        """``connection`` has messages queued: flush it at the end of this turn."""
        self._unflushed.append(connection)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        """Hand every queued message to its socket, one write per client."""
        self._flush_scheduled = False
        unflushed, self._unflushed = self._unflushed, []
        for connection in unflushed:
            connection.flush()

    def _too_slow(self, connection: _Connection) -> None:
        if connection.close_code is not None:
            return  # already closing: the message is not needed
        client = connection.session.client if connection.session else connection.peer
        level = logging.DEBUG if client in self._overflowed else logging.WARNING
        self._overflowed.add(client)
        log.log(level, "disconnecting the %s: it is not reading (%d messages waiting)",
                connection, len(connection.outbox))
        connection.abort(WSCloseCode.TRY_AGAIN_LATER)

    def _bucket(self, client: str) -> _TokenBucket:
        bucket = self._buckets.get(client)
        if bucket is None:
            bucket = _TokenBucket(self.office.server.kiosk_rate_per_minute)
            self._buckets[client] = bucket
        return bucket

    # --- who is here --------------------------------------------------------------

    def _join(self, connection: _Connection, hello_id: str | int) -> None:
        """Welcome the client and from now on send it every event.

        The snapshot and the joining happen in one go, so the client misses no
        event between them; it sees itself connected in the snapshot, and learns
        of it as an event after the welcome, as everyone else does.
        """
        self._commit_batch()  # the snapshot shows only what is on disk and announced
        counter = connection.session.counter if connection.session else None
        if counter is not None:
            self._present[counter] = self._present.get(counter, 0) + 1
        self._clients.append(connection)
        connection.send({"type": "welcome", "re": hello_id, "snapshot": self._snapshot()})
        log.info("welcomed the %s", connection)
        if counter is not None and self._present[counter] == 1:
            self._broadcast(self._presence_event(counter, "connected"))

    def _leave(self, connection: _Connection) -> None:
        if connection not in self._clients:
            return
        self._commit_batch()  # its answers go out (or are dropped) in order
        self._clients.remove(connection)
        log.info("the %s left", connection)
        counter = connection.session.counter if connection.session else None
        if counter is not None:
            self._present[counter] -= 1
            if self._present[counter] == 0:
                del self._present[counter]
                if self._service is not None:
                    self._broadcast(self._presence_event(counter, "disconnected"))

    def _presence_event(self, counter: int, change: str) -> JsonObject:
        paused = self.service.state.counter_state(counter).paused
        return event("counter_changed", counter=counter, change=change, paused=paused)

    def _snapshot(self) -> JsonObject:
        return self._with_presence(self.service.snapshot())

    def _with_presence(self, snapshot: JsonObject) -> JsonObject:
        """The service's snapshot plus which counters have a program connected."""
        counters = [
            {**counter, "connected": counter.get("number") in self._present}
            for counter in snapshot.get("counters", [])
        ]
        return {**snapshot, "counters": counters}


async def serve_until_signalled(server: OfficeServer) -> None:
    """Start ``server``, run until SIGTERM or SIGINT (Ctrl+C), then stop it gracefully.

    Installs signal handlers, so it runs on the main thread; a program that embeds
    the server elsewhere calls ``OfficeServer.start`` and ``stop`` itself.
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    installed: list[signal.Signals] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, stop.set)
            installed.append(signum)
        except NotImplementedError:  # Windows: Ctrl+C (and NSSM's stop) arrive as SIGINT
            signal.signal(signum, lambda *_: loop.call_soon_threadsafe(stop.set))
    try:
        await server.start()
        await stop.wait()
        log.info("signal received")
    finally:
        await server.stop()
        for signum in installed:
            loop.remove_signal_handler(signum)


def run(office: Office, data_dir: Path, host: str, port: int, advertise: bool) -> int:
    """``motcua serve``: serve the office until SIGTERM or Ctrl+C; 0 after a clean stop.

    Raises a MotcuaError (port taken, another server of this office advertised,
    database unusable) for the command line to print.
    """
    server = OfficeServer(office, data_dir, host, port, advertise=advertise)
    asyncio.run(serve_until_signalled(server))
    return 0
