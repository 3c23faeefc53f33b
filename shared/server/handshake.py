"""The opening of a connection to the office server: challenge, then ``hello``.

The server sends a fresh challenge; the client must answer, within
``HELLO_TIMEOUT``, with a ``hello`` proving it knows the office's pairing code and
naming a counter the office has. ``handshake`` returns that hello, or refuses the
client in plain words and returns None (see docs/protocol.md). Welcoming the client
is the server's part.

Imports aiohttp and the protocol; must not import Qt, nor ``shared.server.server``.
"""

from __future__ import annotations

import logging
import secrets
from typing import Final

from aiohttp import WSCloseCode, WSMsgType

from shared.core import wire
from shared.core.office import Office
from shared.core.protocol import PROTOCOL_VERSION, ProtocolError, proof_matches
from shared.server.client_link import ClientLink

log = logging.getLogger(__name__)

HELLO_TIMEOUT: Final = 10.0  # seconds a new connection has to say hello


async def handshake(link: ClientLink, office: Office, secret: str) -> wire.Hello | None:
    """Challenge, hello. The client's hello, or None when it was refused (and is closed)."""
    nonce = secrets.token_hex(16)
    link.send(wire.Challenge(protocol=PROTOCOL_VERSION, office=office.id, nonce=nonce,
                             name=office.name))
    try:
        frame = await link.ws.receive(timeout=HELLO_TIMEOUT)
    except TimeoutError:
        _refuse(link, f"No “hello” within {HELLO_TIMEOUT:.0f} seconds.")
        return None
    if frame.type is not WSMsgType.TEXT:
        if frame.type is WSMsgType.BINARY:
            _refuse(link, "Send “hello” first, as a JSON text frame.")
        return None
    try:
        hello = wire.decode_hello(frame.data)
    except ProtocolError as problem:
        if problem.code == "too_large":
            link.send(wire.ErrorReply(re=None, code=problem.code, message=problem.message))
            link.close(WSCloseCode.MESSAGE_TOO_BIG)
        else:
            _refuse(link, problem.message, problem.re)
        return None
    if not proof_matches(secret, nonce, hello.role, hello.client, hello.counter, hello.proof):
        log.warning("refused %s %r from %s: wrong pairing proof", hello.role,
                    hello.client, link.peer)
        _refuse(
            link,
            "Wrong pairing code: this device was not paired with this office's server "
            "(or the code changed). Enter the code shown by `motcua pair --show`.",
            hello.id,
        )
        return None
    if hello.counter is not None and office.counter(hello.counter) is None:
        known = ", ".join(str(c.number) for c in office.counters)
        _refuse(
            link,
            f"This office has no counter {hello.counter} (counters: {known}).",
            hello.id,
        )
        return None
    return hello


def _refuse(link: ClientLink, message: str, re: wire.RequestId | None = None) -> None:
    link.send(wire.ErrorReply(re=re, code="unauthorized", message=message))
    link.close(WSCloseCode.POLICY_VIOLATION)
