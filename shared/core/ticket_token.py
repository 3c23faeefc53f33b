"""The unguessable token of a ticket's page: the QR on the ticket opens ``/t/TOKEN``.

A token is a MAC of (business day, ticket id) under the office's page key, a
secret kept in the server's data directory. So nothing new is stored per ticket,
the token survives a restart, and a token is worth nothing on another day: the
server only knows today's tokens. 16 letters of Crockford's base32 carry 80 bits;
at the pages' rate limit, finding any one of a busy day's 1,000 tickets takes
about 10^13 years of guessing. Crockford's alphabet has no I, L, O or U, so a
citizen typing the printed address cannot confuse 1 with l or 0 with O, and
``normalised`` forgives them if they do.

Pure: imports only the standard library.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import date
from typing import Final

log = logging.getLogger(__name__)

ALPHABET: Final = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base32, lower case
LENGTH: Final = 16  # letters: 80 bits
KEY_BYTES: Final = 32
_TYPED: Final = str.maketrans({"i": "1", "l": "1", "o": "0", "u": "v", "-": None, " ": None})


def ticket_token(key: bytes, day: date, ticket_id: int) -> str:
    """The page token of ticket ``ticket_id`` issued on ``day``."""
    digest = hmac.new(key, f"{day.isoformat()}/{ticket_id}".encode(), hashlib.sha256).digest()
    value = int.from_bytes(digest[:10])  # 80 bits
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(LENGTH)))


def normalised(typed: str) -> str:
    """``typed`` as a token would be spelled: lower case, dashes and spaces dropped,
    the letters Crockford's alphabet leaves out read as the digits they look like."""
    return typed.strip().lower().translate(_TYPED)


def grouped(token: str) -> str:
    """``token`` in groups of four for a printed address: ``k7m2-q9xa-4bnd-3w5p``."""
    return "-".join(token[i:i + 4] for i in range(0, len(token), 4))


def typed_address(page: str) -> str:
    """The ticket page's address as printed under its QR, for people who type it:
    no scheme, the token in groups of four (``192.168.1.10:8765/t/k7m2-q9xa-4bnd-3w5p``)."""
    address = page.split("://", 1)[-1]
    head, _, token = address.rpartition("/")
    return f"{head}/{grouped(token)}" if head and len(token) == LENGTH else address
