"""Secrets as the server keeps them, never the secret itself: what people type (an
official's PIN, a leader's password) as a salted scrypt hash; keys that machines hold
(a booking system's, a site's) as a plain SHA-256, found by it.

Pure: the standard library.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Final

# scrypt's cost: about 50 ms and 16 MiB per check on a small PC.
SCRYPT_N: Final = 2**14
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
SALT_BYTES: Final = 16


def hash_secret(secret: str, *, salt: bytes | None = None) -> str:
    """``secret`` as stored: ``scrypt$N$r$p$salt$hash``, the salt random each time."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def matches(secret: str, stored: str) -> bool:
    """Whether ``secret`` is the one ``stored`` was made from (at any stored cost)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        given = hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                               p=int(p), dklen=len(digest) // 2, maxmem=2**26)
    except ValueError:  # a damaged row: nothing opens it
        return False
    return hmac.compare_digest(given.hex(), digest)


def token_hash(token: str) -> str:
    """A machine-made key (32 random bytes): too long to guess, so an unsalted SHA-256
    keeps it safe and lets the key be looked up by its hash."""
    return hashlib.sha256(token.encode()).hexdigest()
