"""The opening of a connection to the office server: challenge, [enrol,] hello.

The server sends a fresh challenge. A device that has no key yet answers with
``enrol``, proving it knows the office's pairing code; it is given a key of its
own (``shared.core.enrolment``), and goes on with ``hello`` on the same
connection. Every ``hello`` must prove the key of a device enrolled for exactly
that role (or an admin's password), and name a counter the office has, all within
``HELLO_TIMEOUT`` of the challenge. ``handshake`` returns that hello, or refuses
the client in plain words and returns None (see docs/protocol.md). Welcoming the
client is the server's part.

Imports aiohttp and the protocol; must not import Qt, nor ``shared.server.server``.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Final

from aiohttp import WSCloseCode, WSMsgType

from shared.core import enrolment, wire
from shared.core.office import Office
from shared.core.protocol import PROTOCOL_VERSION, ProtocolError
from shared.core.rate_limit import RateLimit
from shared.server.client_link import ClientLink
from shared.server.devices import DeviceError, DeviceRegistry

log = logging.getLogger(__name__)

HELLO_TIMEOUT: Final = 10.0  # seconds from the challenge to a hello that is welcome
# Refusals logged per address and minute: a stranger cannot fill the log.
REFUSALS_LOGGED_PER_MINUTE: Final = 20


class Handshake:
    """What the server needs to open connections: the office, its devices, the code."""

    def __init__(
        self, office: Office, devices: DeviceRegistry, code: Callable[[], str],
        clock: Callable[[], datetime],
    ) -> None:
        self.office = office
        self.devices = devices
        self._code = code  # read when needed: `motcua pair --new` applies at once
        self._clock = clock
        self._logged = RateLimit(REFUSALS_LOGGED_PER_MINUTE)

    async def __call__(self, link: ClientLink) -> wire.Hello | None:
        """Challenge, [enrol,] hello. The client's hello, or None when it was refused
        (and is closed)."""
        nonce = secrets.token_hex(16)
        office = self.office
        link.send(wire.Challenge(protocol=PROTOCOL_VERSION, office=office.id, nonce=nonce,
                                 name=office.name))
        try:
            async with asyncio.timeout(HELLO_TIMEOUT):
                opening = await _opening(link)
                if isinstance(opening, wire.Enrol):
                    if not self._enrol(link, opening, nonce):
                        return None
                    opening = await _opening(link)
                    if isinstance(opening, wire.Enrol):
                        _refuse(link, "Enrol once, then say “hello”.", opening.id)
                        return None
        except TimeoutError:
            _refuse(link, f"No “hello” within {HELLO_TIMEOUT:.0f} seconds.")
            return None
        if opening is None:
            return None
        return self._hello(link, opening, nonce)

    def _enrol(self, link: ClientLink, enrol: wire.Enrol, nonce: str) -> bool:
        if enrol.role not in enrolment.ENROLLING_ROLES:
            _refuse(link, "Quản trị viên đăng nhập bằng tên và mật khẩu riêng, không bằng mã "
                    "ghép nối. / An admin signs in with their own name and password, never "
                    "with the pairing code.", enrol.id)
            return False
        if not self._counter_exists(link, enrol.counter, enrol.id):
            return False
        answered = enrolment.answer(self._code(), nonce, enrol)
        if answered is None:
            self._warn(link, "refused to enrol %s %r from %s: wrong pairing code", enrol.role,
                       enrol.client, link.peer)
            _refuse(link, "Sai mã ghép nối. / Wrong pairing code: enter the code shown by "
                    "`motcua pair --show` on the server.", enrol.id)
            return False
        enrolled, key = answered
        refusal = self.devices.enrol(enrol, key, link.peer, self._clock())
        if refusal is not None:
            _refuse(link, refusal, enrol.id)
            return False
        link.send(enrolled)
        return True

    def _hello(self, link: ClientLink, hello: wire.Hello, nonce: str) -> wire.Hello | None:
        refusal = self.devices.check(hello, nonce, self._code)
        if refusal is not None:
            self._warn(link, "refused %s %r from %s: %s", hello.role, hello.client, link.peer,
                       refusal.message.split(" / ")[-1])
            _refuse(link, refusal.message, hello.id, code=refusal.code)
            return None
        if not self._counter_exists(link, hello.counter, hello.id):
            return None
        if hello.hall is not None and self.office.hall(hello.hall) is None:
            known = ", ".join(h.code for h in self.office.halls) or "—"
            _refuse(link, f"Văn phòng không có khu vực “{hello.hall}” (có: {known}). / This "
                    f"office has no hall {hello.hall!r} (halls: {known}).", hello.id)
            return None
        try:
            self.devices.seen(hello, link.peer, self._clock())
        except DeviceError as problem:  # the list only remembers when: serve anyway
            log.warning("cannot note when %r was last seen: %s", hello.client, problem)
        return hello

    def _warn(self, link: ClientLink, message: str, *args: object) -> None:
        if self._logged.allows(link.peer):
            log.warning(message, *args)

    def _counter_exists(self, link: ClientLink, counter: int | None,
                        re: wire.RequestId) -> bool:
        if counter is None or self.office.counter(counter) is not None:
            return True
        known = ", ".join(str(c.number) for c in self.office.counters)
        _refuse(link, f"This office has no counter {counter} (counters: {known}).", re)
        return False


async def _opening(link: ClientLink) -> wire.Hello | wire.Enrol | None:
    """The client's next frame as a hello or an enrol; None when it was refused."""
    frame = await link.ws.receive()
    if frame.type is not WSMsgType.TEXT:
        if frame.type is WSMsgType.BINARY:
            _refuse(link, "Send “hello” first, as a JSON text frame.")
        return None
    try:
        return wire.decode_opening(frame.data)
    except ProtocolError as problem:
        if problem.code == "too_large":
            link.send(wire.ErrorReply(re=None, code=problem.code, message=problem.message))
            link.close(WSCloseCode.MESSAGE_TOO_BIG)
        else:
            _refuse(link, problem.message, problem.re)
        return None


def _refuse(link: ClientLink, message: str, re: wire.RequestId | None = None, *,
            code: str = "unauthorized") -> None:
    link.send(wire.ErrorReply(re=re, code=code, message=message))
    link.close(WSCloseCode.POLICY_VIOLATION)
