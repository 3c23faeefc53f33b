"""An official's PIN: stored only as a salted hash, never sent in clear, guessed slowly.

An official signs in at a counter by typing their PIN (issue 12, part 1). The server
keeps a salted scrypt hash of it (``hash_pin``, ``matches``), set on its own machine
with ``motcua officials pin``. The counter program seals the PIN with the key its
device was enrolled with (``seal``): the office Wi-Fi carries only ciphertext that
nobody without that key can open, and a sealed PIN opens for no other device or
official (both are bound into it). A PIN has few digits, so guesses are slowed down
(``PinGuard``): five wrong ones in a row at one counter (twenty at all of them), and
each further try waits, longer each time. Whoever can read a counter PC's key file
and has recorded its traffic could open the PINs typed there; whoever can read that
file can as well record the keyboard, so sealing asks no more of that PC.

Pure: the standard library, and the ``cryptography`` package's AEAD and HKDF.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Callable
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PIN_SHAPE: Final = re.compile(r"[0-9]{4,8}")
# scrypt's cost: about 50 ms and 16 MiB per check on a small PC, as for admins.
SCRYPT_N: Final = 2**14
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
SALT_BYTES: Final = 16
NONCE_BYTES: Final = 12
FREE_TRIES: Final = 5  # wrong PINs in a row, at one counter, before the next try waits
# … and at all counters together: a colleague cannot lock someone out everywhere with
# a few wrong tries, and guessing from many devices is slowed down all the same.
FREE_TRIES_ANYWHERE: Final = 20
FIRST_WAIT: Final = 30.0  # seconds; doubled after each further wrong PIN …
LONGEST_WAIT: Final = 15 * 60.0  # … up to a quarter of an hour


def shape_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be a PIN, in Vietnamese and English; None when it can."""
    if PIN_SHAPE.fullmatch(pin):
        return None
    return ("Mã PIN gồm 4 đến 8 chữ số. / A PIN has 4 to 8 digits.")


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """``pin`` as stored: ``scrypt$N$r$p$salt$hash``, the salt random per PIN."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def matches(pin: str, stored: str) -> bool:
    """Whether ``pin`` is the PIN ``stored`` was made from (any stored cost)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        given = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                               p=int(p), dklen=len(digest) // 2)
    except ValueError:  # a damaged row: no PIN opens it
        return False
    return hmac.compare_digest(given.hex(), digest)


def _sealing_key(device_key: str, client: str, official: str) -> ChaCha20Poly1305:
    info = f"motcua pin|{client}|{official}".encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=info).derive(device_key.encode())
    return ChaCha20Poly1305(derived)


def seal(device_key: str, client: str, official: str, pin: str,
         *, nonce: bytes | None = None) -> str:
    """``pin`` sealed for the server, in hex: only the holder of ``device_key`` (the
    server, and the device ``client``) can open it, and only for ``official``."""
    nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
    sealed = _sealing_key(device_key, client, official).encrypt(nonce, pin.encode(), None)
    return (nonce + sealed).hex()


def unseal(device_key: str, client: str, official: str, sealed: str) -> str | None:
    """The PIN in ``sealed``; None when it was not sealed with this key, for this
    device and this official (or was damaged on the way)."""
    try:
        raw = bytes.fromhex(sealed)
        opened = _sealing_key(device_key, client, official).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], None)
        return opened.decode()
    except (ValueError, InvalidTag, UnicodeDecodeError):
        return None


class PinGuard:
    """Wrong PINs in a row, by key (an official, or an official at one device): after
    ``free_tries``, each further try waits ``FIRST_WAIT`` seconds from the last wrong
    one, doubled each time up to ``LONGEST_WAIT``. A right PIN starts again from
    nothing. ``clock``: seconds that really pass (``time.monotonic``), injected by the
    tests. Kept in memory: a restart of the server forgives (an attacker cannot
    restart it)."""

    def __init__(self, clock: Callable[[], float], free_tries: int = FREE_TRIES) -> None:
        self._clock = clock
        self._free = free_tries
        self._wrong: dict[str, tuple[int, float]] = {}  # key: (in a row, last at)

    def wait(self, key: str) -> float:
        """Seconds before a PIN may be tried again for ``key`` (0: now)."""
        wrong, last = self._wrong.get(key, (0, 0.0))
        if wrong < self._free:
            return 0.0
        pause = min(LONGEST_WAIT, FIRST_WAIT * float(2 ** (wrong - self._free)))
        return max(0.0, last + pause - self._clock())

    def tries_left(self, key: str) -> int:
        """Wrong PINs that may still be typed for ``key`` before having to wait."""
        return max(0, self._free - self._wrong.get(key, (0, 0.0))[0])

    def wrong(self, key: str) -> None:
        count = self._wrong.get(key, (0, 0.0))[0]
        self._wrong[key] = (count + 1, self._clock())

    def right(self, key: str) -> None:
        self._wrong.pop(key, None)
