"""Protocol v1: its constants, the roles and what each may send, and the pairing proof.

The messages themselves are typed values in ``shared.core.wire``. The contract is
documented in ``docs/protocol.md``. Imports no Qt, no network library, no database.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Mapping
from typing import Any, Final

from shared.core.errors import MotcuaError

log = logging.getLogger(__name__)

PROTOCOL_VERSION: Final = 1
SERVICE_TYPE: Final = "_motcua._tcp.local."
WS_PATH: Final = "/ws"
MAX_FRAME_BYTES: Final = 64 * 1024

ROLES: Final = ("kiosk", "counter", "display", "admin")

# The requests that act for one counter: a counter client may send them only for
# itself; an admin names the counter in a "for_counter" field.
COUNTER_ACTIONS: Final = frozenset(
    {"call_next", "recall", "absent", "park", "done", "transfer", "call", "return",
     "pause", "resume", "sign_in", "sign_out", "issue_here"}
)

ALLOWED: Final[Mapping[str, frozenset[str]]] = {
    "kiosk": frozenset({"issue", "check_in", "snapshot", "printer_fault", "help"}),
    "counter": COUNTER_ACTIONS | {"snapshot", "help_answered"},
    "display": frozenset({"snapshot"}),
    "admin": COUNTER_ACTIONS | {"issue", "check_in", "snapshot", "printer_fault", "help",
                                "help_answered"},
}


class ProtocolError(MotcuaError):
    """A message that breaks the contract; answered with an error, nothing changes."""

    def __init__(self, code: str, message: str, re: Any = None) -> None:
        self.code = code
        self.message = message
        self.re = re
        super().__init__(message)


def proof(secret: str, nonce: str, role: str, client: str, counter: int | None) -> str:
    """The pairing proof: HMAC-SHA256(secret, nonce|role|client|counter), lowercase hex."""
    message = f"{nonce}|{role}|{client}|{'' if counter is None else counter}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def proof_matches(
    secret: str, nonce: str, role: str, client: str, counter: int | None, given: str
) -> bool:
    expected = proof(secret, nonce, role, client, counter)
    return hmac.compare_digest(expected, given.lower())
