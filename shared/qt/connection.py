"""The connection every screen keeps to the office's queue server, on Qt's event loop.

``ServerConnection`` finds the server (a fixed ``host:port``, or zeroconf), proves
who it is with the key its office gave it — enrolling first, with the pairing code,
when it has none (``shared.core.enrolment``) —, and then carries requests, replies
and events as Qt signals. It never blocks the GUI thread: the socket is Qt's own ``QWebSocket``,
and the zeroconf browser, which calls back on its own thread, reaches this object
only through a queued signal.

Nothing a screen asks for is lost or done twice: a request stays pending until its
reply arrives, and after a reconnect every pending request is sent again with the
same id, which the server answers with its first answer.

Imports Qt (QtCore, QtNetwork, QtWebSockets) and the project's discovery adapter;
no widgets, so that every program, with or without a screen, can use it.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import uuid
from collections.abc import Callable
from typing import Any, Final

import msgspec
from PySide6.QtCore import QByteArray, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtNetwork import QAbstractSocket
from PySide6.QtWebSockets import QWebSocket

from shared.core import enrolment, pin, wire
from shared.core.device_keys import DeviceKeys
from shared.core.link import WrongOffice
from shared.core.pairing import PairingError, normalize_code
from shared.core.protocol import PROTOCOL_VERSION, WS_PATH, ProtocolError
from shared.lan.discovery import ServerInfo, ZeroconfBrowser

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS: Final = 0.25
LAST_RETRY_SECONDS: Final = 5.0
HANDSHAKE_SECONDS: Final = 10.0  # from open() to welcome, or the attempt is given up
PING_SECONDS: Final = 5.0  # while online; two unanswered pings and the link is dead
MISSED_PINGS: Final = 2


class ServerConnection(QObject):
    """A client's connection to the queue server; reconnects by itself until closed.

    Signals (all on the thread that owns this object, normally the GUI thread):
    ``online()`` after every welcome; ``offline(reason)`` when the link is lost
    (once per outage); ``refused(message)`` when the server rejects the pairing,
    and ``needs_code()`` when this device has neither a key nor a pairing code,
    after which nothing is retried until ``connect_to``/``discover`` is called
    again; ``enrolled()`` once the office has given this device its key (the
    pairing code need not be kept any more); ``snapshot(wire.Snapshot)`` with the
    queue state after every welcome and for every ``snapshot`` reply;
    ``reply(wire.Reply)`` for every answer to a request, errors included
    (``wire.ErrorReply``); ``event_received(wire.Event)`` for every pushed event.
    Every message arrives typed (``shared.core.wire``), already checked against the
    contract: a frame that breaks it is logged and dropped here.
    """

    online = Signal()
    offline = Signal(str)
    refused = Signal(str)
    needs_code = Signal()
    enrolled = Signal()
    # The server is another office's: no pairing code can help (link.WrongOffice).
    wrong_office = Signal(object)
    snapshot = Signal(object)  # wire.Snapshot
    reply = Signal(object)  # wire.Reply
    # Not "event": that would hide QObject.event(QEvent), Qt's own dispatch hook.
    event_received = Signal(object)  # wire.Event
    # From zeroconf's thread to ours: always connected with QueuedConnection.
    _server_found = Signal(object)
    _server_lost = Signal(str)

    def __init__(
        self,
        role: str,
        client_id: str,
        secret: str,
        *,
        counter: int | None = None,
        office_id: str | None = None,
        office_name: str = "",
        keys: DeviceKeys | None = None,
        device_name: str = "",
        speaks: bool = False,
        hall: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``secret`` is the pairing code, used only to enrol (``""`` when there is
        none); ``keys`` is where the device's key is kept (default: the user's
        config folder); ``device_name`` is how the office's device list names it;
        ``speaks``: a display that may say the calls (the server picks one)."""
        super().__init__(parent)
        self.role = role
        self.client_id = client_id
        self.counter = counter
        self.office_id = office_id
        self.office_name = office_name or (office_id or "")
        self._secret = _normalized(secret)
        self.speaks = speaks
        self.hall = hall  # a display's hall of a large centre (issue 17)
        self.assigned_hall: str | None = None  # the hall the server welcomed it into
        self._keys = keys or DeviceKeys.default()
        self.device_name = device_name or _default_name(role, counter)
        self._enrolment: enrolment.PendingEnrolment | None = None
        self._hello_key: str | None = None  # the stored key the current hello used
        self._key: str | None = None  # the key of the last hello (seals officials' PINs)
        self._skip_key_once = False  # enrol at the next challenge, the key unused
        self._challenge = wire.Challenge(protocol=PROTOCOL_VERSION, office="", nonce="")
        self._url: str | None = None
        self._socket: QWebSocket | None = None
        self._browser: ZeroconfBrowser | None = None
        self._pending: dict[str, wire.Request] = {}  # request id -> request, oldest first
        self._texts: dict[str, str] = {}  # request id -> its frame, encoded once
        self._hello_id: str | None = None
        self._welcomed = False
        self._closed = False
        self._refused = False
        self._offline_reported = False
        self._last_error = ""
        self._missed_pings = 0
        self._retry_seconds = FIRST_RETRY_SECONDS

        self._retry = self._timer(self._reconnect, single_shot=True)
        self._handshake = self._timer(self._handshake_expired, single_shot=True)
        self._pinger = self._timer(self._ping, single_shot=False)
        self._server_found.connect(self._on_server_found, Qt.ConnectionType.QueuedConnection)
        self._server_lost.connect(self._on_server_lost, Qt.ConnectionType.QueuedConnection)

    # -- what the programs use -------------------------------------------------------

    @property
    def is_online(self) -> bool:
        """True between a welcome and the loss of that connection."""
        return self._welcomed

    @property
    def url(self) -> str | None:
        """Where this connection goes (or last went); None until a server is known."""
        return self._url

    @property
    def pending(self) -> list[wire.Request]:
        """Requests not answered yet, oldest first."""
        return list(self._pending.values())

    @property
    def can_prove(self) -> bool:
        """Whether this device has something to prove itself with: a key of its own
        from an earlier enrolment (of any office), or a pairing code."""
        return bool(self._secret) or self._keys.has(self.client_id)

    def set_secret(self, secret: str) -> None:
        """A new pairing code (after ``refused``); takes effect at the next connect."""
        self._secret = _normalized(secret)

    def connect_to(self, host: str, port: int, path: str = WS_PATH) -> None:
        """Connect to a fixed address (networks without multicast); retries until closed."""
        self._stop_browser()
        self._restart()
        shown = f"[{host}]" if ":" in host else host
        self._url = f"ws://{shown}:{port}{path}"
        self._open()

    def discover(self, *, interfaces: list[str] | None = None) -> None:
        """Find the server by zeroconf and connect to the first one found (of
        ``office_id`` if given); keeps browsing to follow the server if it moves."""
        self._restart()
        if self._browser is None:
            self._browser = ZeroconfBrowser(
                self._server_found.emit,  # on zeroconf's thread: a queued signal only
                self._server_lost.emit,
                office_id=self.office_id,
                interfaces=interfaces,
            )
            # Deleted without close() (with its parent, say): no thread may outlive us.
            self.destroyed.connect(self._browser.stop)
            self._browser.start()
        elif self._url is not None and not self._welcomed:
            # Asked again (a new pairing code, say) for a server already found: the
            # browser reports a server only when it changes, so go to it now.
            self._open()

    def request(self, type: str, **fields: Any) -> str:
        """Send a request now, or as soon as the server is back; returns its id.

        The request stays pending until its reply arrives, across reconnects, and is
        always sent with this same id so that the server never does it twice.
        """
        request_id = uuid.uuid4().hex
        # msgspec.ValidationError here, to the caller, for a request that breaks the
        # contract: never sent, never retried.
        message: wire.Request = msgspec.convert(
            {**fields, "type": type, "id": request_id}, wire.Request
        )
        text = wire.encode(message).decode()
        self._pending[request_id] = message
        self._texts[request_id] = text
        if self._welcomed:
            self._send_text(text)
        return request_id

    def cancel(self, request_id: str) -> bool:
        """Forget a pending request: it will not be sent again after a reconnect.

        For a request whose asker has gone (a citizen who left the kiosk): if it
        already reached the server it may still be carried out, and its reply still
        arrives. True if it was pending.
        """
        self._texts.pop(request_id, None)
        return self._pending.pop(request_id, None) is not None

    def close(self) -> None:
        """Stop everything: timers, zeroconf browser, socket. Emits nothing more."""
        self._closed = True
        self._retry.stop()
        self._stop_browser()
        self._drop_socket(close=True)

    # -- connecting ------------------------------------------------------------------

    def _timer(self, slot: Callable[[], None], *, single_shot: bool) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single_shot)
        timer.timeout.connect(slot)
        return timer

    def _restart(self) -> None:
        self._closed = False
        self._refused = False
        self._retry_seconds = FIRST_RETRY_SECONDS
        self._retry.stop()

    def _open(self) -> None:
        if self._closed or self._refused or self._url is None:
            return
        self._drop_socket()
        self._retry.stop()
        socket = QWebSocket(parent=self)
        socket.connected.connect(self._on_connected)
        socket.disconnected.connect(self._on_disconnected)
        socket.textMessageReceived.connect(self._on_text)
        socket.errorOccurred.connect(self._on_error)
        socket.pong.connect(self._on_pong)
        self._socket = socket
        self._last_error = ""
        self._handshake.start(int(HANDSHAKE_SECONDS * 1000))
        log.debug("Connecting to %s", self._url)
        socket.open(QUrl(self._url))

    def _reconnect(self) -> None:
        self._open()

    def _drop_socket(self, *, close: bool = False) -> None:
        """Forget the current socket: none of its signals reaches us any more."""
        socket, self._socket = self._socket, None
        self._welcomed = False
        self._hello_id = None
        self._enrolment = None
        self._hello_key = None
        self._handshake.stop()
        self._pinger.stop()
        if socket is None:
            return
        socket.blockSignals(True)
        if close and socket.state() == QAbstractSocket.SocketState.ConnectedState:
            socket.close()
        else:
            socket.abort()
        socket.deleteLater()

    def _lost(self, reason: str) -> None:
        """The current attempt or connection ended: say so once, and try again later."""
        was_online = self._welcomed
        self._drop_socket()
        if self._closed or self._refused:
            return
        if was_online or not self._offline_reported:
            self._offline_reported = True
            log.warning("Offline from %s: %s", self._url, reason)
            self.offline.emit(reason)
        else:
            log.debug("Still offline from %s: %s", self._url, reason)
        if self._closed or self._refused:  # a slot of offline may have closed us
            return
        self._retry.start(int(self._retry_seconds * 1000))
        self._retry_seconds = min(self._retry_seconds * 2, LAST_RETRY_SECONDS)

    def _refuse(
        self, message: str, wrong: WrongOffice | None = None, *, needs_code: bool = False
    ) -> None:
        self._refused = True
        self._retry.stop()
        self._drop_socket(close=True)
        if needs_code:
            log.warning("No pairing code to enrol with %s", self._url)
            self.needs_code.emit()
            return
        log.warning("Refused by %s: %s", self._url, message)
        if wrong is not None:
            self.wrong_office.emit(wrong)
        else:
            self.refused.emit(message)

    def _handshake_expired(self) -> None:
        self._lost("The server did not answer in time.")

    # -- the socket's signals --------------------------------------------------------

    def _on_connected(self) -> None:
        log.debug("Connected to %s; waiting for the challenge", self._url)

    def _on_error(self, error: QAbstractSocket.SocketError) -> None:
        socket = self._socket
        if socket is None:
            return
        self._last_error = socket.errorString()
        # Some errors (a refused or timed-out connect) end without "disconnected".
        if socket.state() == QAbstractSocket.SocketState.UnconnectedState:
            self._lost(self._last_error)

    def _on_disconnected(self) -> None:
        socket = self._socket
        if socket is None:
            return
        reason = socket.closeReason() or self._last_error or "The server closed the connection."
        self._lost(reason)

    def _on_pong(self, elapsed: int, payload: QByteArray) -> None:
        self._missed_pings = 0

    def _ping(self) -> None:
        if self._socket is None:
            return
        if self._missed_pings >= MISSED_PINGS:
            self._lost("The server stopped answering.")
            return
        self._missed_pings += 1
        self._socket.ping()

    def _on_text(self, text: str) -> None:
        self._missed_pings = 0
        try:
            message = wire.decode_server_message(text)
        except ProtocolError as error:
            log.warning("Ignoring a frame from the server: %s", error.message)
            return
        if not self._welcomed:
            self._handshake_message(message)
        elif isinstance(message, wire.Event):
            if isinstance(message, wire.DayChanged):
                self.snapshot.emit(message.snapshot)  # a new day: start from it afresh
            self.event_received.emit(message)
        elif not isinstance(message, wire.Challenge):
            self._answer(message)

    # -- the handshake and the messages ----------------------------------------------

    def _handshake_message(self, message: wire.Challenge | wire.Reply | wire.Event) -> None:
        if isinstance(message, wire.Challenge):
            self._hello(message)
        elif isinstance(message, wire.Enrolled) and self._enrolment is not None \
                and message.re == self._enrolment.message.id:
            self._enrolled(message)
        elif isinstance(message, wire.Welcome) and message.re == self._hello_id:
            self._welcome(message)
        elif isinstance(message, wire.ErrorReply) and message.code == "unknown_device":
            self._unknown_device(message.message or "The server does not know this device.")
        elif isinstance(message, wire.ErrorReply) and message.code == "unauthorized":
            self._refuse(message.message or "The server refused this client.")
        else:
            log.warning("Unexpected %s before the welcome; starting over",
                        type(message).__name__)
            self._lost("The server answered out of turn.")

    def _hello(self, challenge: wire.Challenge) -> None:
        protocol, office = challenge.protocol, challenge.office
        if protocol != PROTOCOL_VERSION:
            self._refuse(
                f"The server speaks protocol {protocol}; this program speaks "
                f"{PROTOCOL_VERSION}. Install the same motcua version everywhere."
            )
            return
        if self.office_id is not None and office != self.office_id:
            address = (self._url or "?").removeprefix("ws://").split("/", 1)[0]
            wrong = WrongOffice(self.office_id, self.office_name, office,
                                challenge.name or office, address)
            self._refuse(wrong.english(), wrong)
            return
        self._challenge = challenge
        key = self._keys.load(self.client_id, office)
        if self._skip_key_once:  # the office did not know it a moment ago: enrol
            self._skip_key_once, key = False, None
        if key is not None:
            self._hello_key = key
            self._say_hello(key)
        elif self._secret:
            self._enrolment = enrolment.start(
                self._secret, challenge, self.role, self.client_id, self.counter,
                self.device_name, id=uuid.uuid4().hex,
            )
            self._send_text(wire.encode(self._enrolment.message).decode())
        else:
            self._refuse("", needs_code=True)

    def _enrolled(self, enrolled: wire.Enrolled) -> None:
        assert self._enrolment is not None
        try:
            key = self._enrolment.finish(enrolled)
        except ProtocolError as error:
            self._refuse(error.message)
            return
        office = self._challenge.office
        try:
            self._keys.save(self.client_id, office, key)
        except OSError as error:  # still online now; the code is needed again next time
            log.warning("Cannot keep this device's key in %s: %s", self._keys.folder, error)
        else:
            log.info("Enrolled with %s as %s; key kept in %s", office, self.role,
                     self._keys.folder)
            self.enrolled.emit()
        self._enrolment = None
        self._say_hello(key)

    def seal_pin(self, official: str, pin_typed: str) -> str | None:
        """An official's PIN sealed with this device's key, for ``sign_in``: only the
        server can open it (``shared.core.pin``). None before the device has a key."""
        if self._key is None:
            return None
        return pin.seal(self._key, self.client_id, official, pin_typed)

    def _say_hello(self, key: str) -> None:
        self._key = key
        self._hello_id = uuid.uuid4().hex
        hello = wire.hello(
            key, self._challenge, self.role, self.client_id,  # type: ignore[arg-type]
            self.counter, id=self._hello_id, speaks=self.speaks, hall=self.hall,
            takes_hall=self.role == "display",
        )
        self._send_text(wire.encode(hello).decode())

    def _unknown_device(self, message: str) -> None:
        """The office does not know this device's key (its device list was replaced,
        say): with the pairing code at hand, enrol again at once; else ask a person.
        The key is kept until a new one replaces it — a refusal proves nothing (any
        machine on the LAN can send one), so it must never cost the device its key."""
        if self._hello_key is None or not self._secret:
            self._refuse(message)
            return
        log.warning("The server does not know this device's key (%s); enrolling again",
                    message)
        self._skip_key_once = True
        self._open()

    def _welcome(self, welcome: wire.Welcome) -> None:
        self._handshake.stop()
        self.assigned_hall = welcome.hall
        self._welcomed = True
        self._offline_reported = False
        self._retry_seconds = FIRST_RETRY_SECONDS
        self._missed_pings = 0
        self._pinger.start(int(PING_SECONDS * 1000))
        log.info("Online with %s as %s", self._url, self.role)
        # Pending requests first: whatever a slot of online() asks is newer.
        for text in list(self._texts.values()):
            self._send_text(text)
        self.online.emit()
        if self._welcomed:  # a slot of online() may have closed us
            self.snapshot.emit(welcome.snapshot)

    def _answer(self, message: wire.Reply) -> None:
        re = message.re
        if re is not None and self._pending.pop(str(re), None) is None:
            log.debug("Ignoring an answer to no pending request: %r", re)
            return
        self._texts.pop(str(re), None)
        self.reply.emit(message)
        if isinstance(message, wire.SnapshotReply):
            self.snapshot.emit(message.snapshot)

    def _send_text(self, text: str) -> None:
        if self._socket is not None:
            self._socket.sendTextMessage(text)

    # -- discovery (slots run on our thread through the queued signals) -------------

    def _on_server_found(self, server: ServerInfo) -> None:
        if self._closed:
            return
        if server.protocol != PROTOCOL_VERSION:
            log.warning("Skipping %s at %s: protocol %d", server.name, server.url, server.protocol)
            return
        if self._welcomed and self._url != server.url:
            return  # keep a working connection
        log.info("Found the server “%s” at %s", server.name, server.url)
        if self._url != server.url or self._socket is None:
            self._url = server.url
            self._retry_seconds = FIRST_RETRY_SECONDS
            self._open()

    def _on_server_lost(self, name: str) -> None:
        log.info("The server “%s” withdrew its advertisement", name)

    def _stop_browser(self) -> None:
        browser, self._browser = self._browser, None
        if browser is not None:
            browser.stop()


def _default_name(role: str, counter: int | None) -> str:
    """How the office's device list names this device: role and machine."""
    what = {"kiosk": "Máy cấp số", "display": "Màn hình"}.get(role, f"Quầy {counter}")
    return f"{what} — {socket.gethostname()}"[:64]


def _normalized(secret: str) -> str:
    """The pairing code as the server stores it, if what was typed can be one."""
    with contextlib.suppress(PairingError):
        return normalize_code(secret)
    return secret
