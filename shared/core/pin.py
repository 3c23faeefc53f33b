"""An official's PIN: stored only as a salted hash, never sent in clear, guessed slowly.

An official signs in at a counter by typing their PIN (issue 12, part 1). The server
keeps a salted scrypt hash of it (``shared.core.secret_hash``), set on its own machine
with ``motcua officials pin``. The counter program seals the PIN with the key its
device was enrolled with (``seal``): the office Wi-Fi carries only ciphertext that
nobody without that key can open, and a sealed PIN opens for no other device or
official (both are bound into it). A PIN has few digits, so guesses are slowed down
(``shared.core.wrong_tries``): five wrong ones in a row at one counter (twenty at all of them), and
each further try waits, longer each time. Whoever can read a counter PC's key file
and has recorded its traffic could open the PINs typed there; whoever can read that
file can as well record the keyboard, so sealing asks no more of that PC.

Pure: the standard library, and the ``cryptography`` package's AEAD and HKDF.
"""

from __future__ import annotations

import os
import re
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shared.core.secret_hash import hash_secret as hash_pin
from shared.core.secret_hash import matches

__all__ = ["hash_pin", "matches", "seal", "shape_problem", "unseal"]

PIN_SHAPE: Final = re.compile(r"[0-9]{4,8}")
NONCE_BYTES: Final = 12
FREE_TRIES: Final = 5  # wrong PINs in a row, at one counter, before the next try waits
# … and at all counters together: a colleague cannot lock someone out everywhere with
# a few wrong tries, and guessing from many devices is slowed down all the same.
FREE_TRIES_ANYWHERE: Final = 20


def shape_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be a PIN, in Vietnamese and English; None when it can."""
    if PIN_SHAPE.fullmatch(pin):
        return None
    return ("Mã PIN gồm 4 đến 8 chữ số. / A PIN has 4 to 8 digits.")


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
