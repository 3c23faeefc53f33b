"""One JSON encoding of every message, and decoding that validates as it reads: a
frame that breaks the contract becomes a ``ProtocolError`` with a plain message.
Pure: msgspec and the core.
"""

from __future__ import annotations

from typing import Any, Final

import msgspec

from shared.core.protocol import MAX_FRAME_BYTES, ProtocolError
from shared.core.wire.messages import (
    Challenge,
    Enrol,
    Event,
    Hello,
    Reply,
    Request,
)
from shared.core.wire.values import (
    RequestId,
)

# --- encoding and decoding ----------------------------------------------------------


class _Kind(msgspec.Struct):
    """Just enough of any message to pick its decoder (and to answer a broken one)."""

    type: Any = None
    event: Any = None
    id: Any = None


_encoder: Final = msgspec.json.Encoder()
_kind: Final = msgspec.json.Decoder(_Kind)
_requests: Final = msgspec.json.Decoder(Request)
_opening: Final = msgspec.json.Decoder(Hello | Enrol)
_server_messages: Final = msgspec.json.Decoder(Challenge | Reply)



def _event_name(kind: type[msgspec.Struct]) -> str:
    """The ``event`` an event class always carries (its field's default)."""
    return str(next(f.default for f in msgspec.structs.fields(kind) if f.name == "event"))


_events: Final[dict[str, msgspec.json.Decoder[Any]]] = {
    _event_name(kind): msgspec.json.Decoder(kind) for kind in Event.__args__
}
REQUEST_TYPES: Final = frozenset(
    str(t.__struct_config__.tag) for t in Request.__args__
)


def encode(message: msgspec.Struct) -> bytes:
    """A message as the UTF-8 JSON of one WebSocket text frame."""
    return _encoder.encode(message)


def to_json(value: msgspec.Struct) -> Any:
    """A value as plain JSON data (dicts, lists, strings), as on the wire."""
    return msgspec.json.decode(_encoder.encode(value))


def _frame(frame: str | bytes) -> bytes:
    data = frame.encode("utf-8", "surrogatepass") if isinstance(frame, str) else frame
    if len(data) > MAX_FRAME_BYTES:
        raise ProtocolError(
            "too_large", f"Frame of {len(data)} bytes; the limit is {MAX_FRAME_BYTES}."
        )
    return data


def _peek(data: bytes) -> _Kind:
    """The type, event and id of a frame, or ProtocolError(bad_request)."""
    try:
        return _kind.decode(data)
    except msgspec.ValidationError as problem:
        raise ProtocolError("bad_request", "A message must be a JSON object.") from problem
    except (msgspec.DecodeError, RecursionError) as problem:
        raise ProtocolError("bad_request", f"Not valid JSON: {_plain(problem)}.") from problem


def _re(kind: _Kind) -> RequestId | None:
    re = kind.id
    if isinstance(re, bool) or not isinstance(re, str | int) or re == "":
        return None
    return re


def decode_request(frame: str | bytes) -> Request:
    """One frame from a welcomed client as a typed request, or ProtocolError."""
    data = _frame(frame)
    kind = _peek(data)
    re = _re(kind)
    if not isinstance(kind.type, str) or kind.type not in REQUEST_TYPES:
        known = ", ".join(sorted(REQUEST_TYPES))
        raise ProtocolError(
            "bad_request", f"Unknown request type {kind.type!r}; known: {known}.", re
        )
    if re is None:
        raise ProtocolError("bad_request", 'Every request needs an "id" (a string or a number).')
    try:
        return _requests.decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError) as problem:
        raise ProtocolError("bad_request", f"“{kind.type}”: {_plain(problem)}.", re) from problem


def decode_opening(frame: str | bytes) -> Hello | Enrol:
    """The first frame of a connection — ``hello``, or a new device's ``enrol`` —
    or ProtocolError(unauthorized)."""
    data = _frame(frame)
    try:
        kind = _peek(data)
    except ProtocolError as problem:
        raise ProtocolError("unauthorized", f"Send “hello” first. {problem.message}") from None
    re = _re(kind)
    if kind.type not in ("hello", "enrol"):
        raise ProtocolError("unauthorized", "Send “hello” (or “enrol”) first.", re)
    try:
        opening = _opening.decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError) as problem:
        raise ProtocolError("unauthorized", f"“{kind.type}”: {_plain(problem)}.", re) from problem
    if opening.role == "counter" and opening.counter is None:
        raise ProtocolError("unauthorized", "A counter must say its number in “counter”.", re)
    if opening.role != "counter" and opening.counter is not None:
        opening = msgspec.structs.replace(opening, counter=None)  # only counters have one
    return opening


def decode_server_message(frame: str | bytes) -> Challenge | Reply | Event:
    """One frame from the server, typed; ProtocolError if it breaks the contract."""
    data = _frame(frame)
    kind = _peek(data)
    try:
        if kind.type == "event":
            decoder = _events.get(kind.event) if isinstance(kind.event, str) else None
            if decoder is None:
                raise ProtocolError("bad_request", f"Unknown event {kind.event!r}.")
            event: Event = decoder.decode(data)
            return event
        return _server_messages.decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError) as problem:
        raise ProtocolError("bad_request", f"From the server: {_plain(problem)}.") from problem


def decode_reply(text: str | bytes) -> Reply:
    """A reply as stored by the server (``encode`` of a Reply)."""
    message = _server_messages.decode(text)
    if isinstance(message, Challenge):
        raise ProtocolError("internal", "A stored reply is a challenge.")
    return message


def _plain(problem: Exception) -> str:
    if isinstance(problem, RecursionError):
        return "nested too deeply"
    text = str(problem) or type(problem).__name__
    return text.rstrip(".")
