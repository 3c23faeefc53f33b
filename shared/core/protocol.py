"""Protocol v1: message shapes, validation, roles and the pairing proof.

Pure functions between JSON text and plain data; the contract is documented in
``docs/protocol.md``. Imports no Qt, no network library, no database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from shared.core.errors import MotcuaError

log = logging.getLogger(__name__)

PROTOCOL_VERSION: Final = 1
SERVICE_TYPE: Final = "_motcua._tcp.local."
WS_PATH: Final = "/ws"
MAX_FRAME_BYTES: Final = 64 * 1024

JsonObject = dict[str, Any]

ROLES: Final = ("kiosk", "counter", "display", "admin")

# Request type -> {field: (accepted JSON types, required)}. "id" and "type" are
# checked for every request. bool is excluded from int fields on purpose below.
_OPTIONAL_STR = (str, type(None))
REQUESTS: Final[Mapping[str, Mapping[str, tuple[tuple[type, ...], bool]]]] = {
    "issue": {"service": ((str,), True), "priority": (_OPTIONAL_STR, False)},
    "call_next": {},
    "recall": {},
    "absent": {},
    "park": {},
    "done": {},
    "transfer": {"service": ((str,), False), "counter": ((int,), False)},
    "call": {"number": ((str,), True), "reason": ((str,), True)},
    "return": {"number": ((str,), True)},
    "pause": {},
    "resume": {},
    "snapshot": {},
    "printer_fault": {"fault": ((bool,), True), "message": ((str,), False)},
}

# The requests that act for one counter: a counter client may send them only for
# itself; an admin names the counter in a "for_counter" field.
COUNTER_ACTIONS: Final = frozenset(
    {"call_next", "recall", "absent", "park", "done", "transfer", "call", "return",
     "pause", "resume"}
)

ALLOWED: Final[Mapping[str, frozenset[str]]] = {
    "kiosk": frozenset({"issue", "snapshot", "printer_fault"}),
    "counter": COUNTER_ACTIONS | {"snapshot"},
    "display": frozenset({"snapshot"}),
    "admin": frozenset(REQUESTS),
}


class ProtocolError(MotcuaError):
    """A message that breaks the contract; answered with an error, nothing changes."""

    def __init__(self, code: str, message: str, re: Any = None) -> None:
        self.code = code
        self.message = message
        self.re = re
        super().__init__(message)


@dataclass(frozen=True)
class Request:
    type: str
    id: str | int
    body: JsonObject

    @property
    def key(self) -> str:
        """The request id as the idempotency key: 7 and "7" are the same request."""
        return str(self.id)


@dataclass(frozen=True)
class Hello:
    id: str | int
    role: str
    client: str
    counter: int | None
    proof: str


def decode(text: str | bytes) -> JsonObject:
    """One frame to a JSON object, or ProtocolError(bad_request / too_large)."""
    size = len(text.encode() if isinstance(text, str) else text)
    if size > MAX_FRAME_BYTES:
        raise ProtocolError("too_large", f"Frame of {size} bytes; the limit is {MAX_FRAME_BYTES}.")
    try:
        message = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise ProtocolError("bad_request", f"Not valid JSON: {error}.") from error
    if not isinstance(message, dict):
        raise ProtocolError("bad_request", "A message must be a JSON object.")
    return message


def encode(message: Mapping[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def _request_id(message: Mapping[str, Any]) -> str | int:
    request_id = message.get("id")
    if isinstance(request_id, bool) or not isinstance(request_id, str | int) or request_id == "":
        raise ProtocolError("bad_request", "Every request needs an \"id\" (a string or a number).")
    return request_id


def parse_request(message: Mapping[str, Any]) -> Request:
    """Check a request against the contract: known type, an id, fields of the right type."""
    re = message.get("id")
    kind = message.get("type")
    if not isinstance(kind, str) or kind not in REQUESTS:
        known = ", ".join(sorted(REQUESTS))
        raise ProtocolError("bad_request", f"Unknown request type {kind!r}; known: {known}.", re)
    request_id = _request_id(message)
    fields = dict(REQUESTS[kind])
    if kind in COUNTER_ACTIONS:
        fields["for_counter"] = ((int,), False)  # the counter an admin acts for
    for name, (types, required) in fields.items():
        if name not in message:
            if required:
                raise ProtocolError("bad_request", f"“{kind}” needs the field “{name}”.", re)
            continue
        value = message[name]
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            wanted = " or ".join("null" if t is type(None) else t.__name__ for t in types)
            raise ProtocolError(
                "bad_request", f"Field “{name}” of “{kind}” must be {wanted}.", re
            )
    body = {name: message[name] for name in fields if name in message}
    return Request(kind, request_id, body)


def parse_hello(message: Mapping[str, Any]) -> Hello:
    re = message.get("id")
    if message.get("type") != "hello":
        raise ProtocolError("unauthorized", "Send “hello” first.", re)
    request_id = _request_id(message)
    role, client, proof = message.get("role"), message.get("client"), message.get("proof")
    counter = message.get("counter")
    if role not in ROLES:
        raise ProtocolError("unauthorized", f"Unknown role {role!r}; one of {ROLES}.", re)
    if not isinstance(client, str) or not client or not isinstance(proof, str):
        raise ProtocolError("unauthorized", "“hello” needs “client” and “proof” strings.", re)
    if role == "counter" and (isinstance(counter, bool) or not isinstance(counter, int)):
        raise ProtocolError("unauthorized", "A counter must say its number in “counter”.", re)
    return Hello(request_id, str(role), client, counter if role == "counter" else None, proof)


def proof(secret: str, nonce: str, role: str, client: str, counter: int | None) -> str:
    """The pairing proof: HMAC-SHA256(secret, nonce|role|client|counter), lowercase hex."""
    message = f"{nonce}|{role}|{client}|{'' if counter is None else counter}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def proof_matches(secret: str, nonce: str, hello: Hello) -> bool:
    expected = proof(secret, nonce, hello.role, hello.client, hello.counter)
    return hmac.compare_digest(expected, hello.proof.lower())


def error(code: str, message: str, re: Any = None) -> JsonObject:
    return {"type": "error", "re": re, "code": code, "message": message}


def event(name: str, **fields: Any) -> JsonObject:
    return {"type": "event", "event": name, **fields}
