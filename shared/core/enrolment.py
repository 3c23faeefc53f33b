"""Enrolment: a device uses the office's pairing code once, and gets a key of its own.

A kiosk, counter or display that has no key answers the server's challenge with
``enrol`` instead of ``hello``. Both sides then agree on the device's key by an
X25519 exchange, each proving with an HMAC of the pairing code that it knows the
code; the key itself never crosses the network, so someone who listens to the
office Wi-Fi — even someone who knows the code — cannot learn it, and a device
that was not paired cannot pretend to be the server. From then on the device
proves itself with its key (``shared.core.protocol.proof``); the key is bound to
the role and counter it was enrolled for, and can be revoked alone.

An admin has no device key and never uses the code: the key of an admin is
derived from their name and password (``admin_key``) with scrypt, salted with the
office and the name, so the password never leaves the admin's machine either.

Pure: the ``cryptography`` package's X25519 and HKDF, and the standard library.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shared.core import wire
from shared.core.protocol import ProtocolError

ENROLLING_ROLES: Final = ("kiosk", "counter", "display")
KEY_BYTES: Final = 32
# scrypt's cost: about 50 ms and 16 MiB, once per admin sign-in, on a small PC.
SCRYPT_N: Final = 2**14
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1


def _mac(code: str, *parts: object) -> str:
    message = "|".join("" if part is None else str(part) for part in parts)
    return hmac.new(code.encode(), message.encode(), hashlib.sha256).hexdigest()


def _public_hex(private: X25519PrivateKey) -> str:
    return private.public_key().public_bytes_raw().hex()


def _device_key(
    private: X25519PrivateKey, their_public: str, nonce: str, enrol: wire.Enrol
) -> str:
    try:
        peer = X25519PublicKey.from_public_bytes(bytes.fromhex(their_public))
        shared = private.exchange(peer)
    except ValueError as problem:  # not a point, or a weak one (all zeroes)
        raise ProtocolError("unauthorized", "Not a usable public key.") from problem
    info = f"motcua device key|{enrol.role}|{enrol.client}|{enrol.counter or ''}"
    derived = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=nonce.encode(),
                   info=info.encode()).derive(shared)
    return derived.hex()


def _enrol_proof(code: str, nonce: str, enrol: wire.Enrol) -> str:
    return _mac(code, "enrol", nonce, enrol.role, enrol.client, enrol.counter, enrol.name,
                enrol.public_key)


def _enrolled_proof(code: str, nonce: str, enrol: wire.Enrol, server_public: str) -> str:
    return _mac(code, "enrolled", nonce, enrol.client, enrol.public_key, server_public)


@dataclass(frozen=True)
class PendingEnrolment:
    """The device's half of an enrolment, until the server's ``enrolled`` arrives."""

    message: wire.Enrol
    code: str
    nonce: str
    _private: X25519PrivateKey

    def finish(self, enrolled: wire.Enrolled) -> str:
        """The device's key; ProtocolError if the answer does not prove the server
        knows the pairing code (a server that is not the office's)."""
        expected = _enrolled_proof(self.code, self.nonce, self.message, enrolled.public_key)
        if not hmac.compare_digest(expected, enrolled.proof.lower()):
            raise ProtocolError(
                "unauthorized",
                "The server could not prove it knows the pairing code: it is not this "
                "office's server, or the code was mistyped.",
            )
        return _device_key(self._private, enrolled.public_key, self.nonce, self.message)


def start(
    code: str, challenge: wire.Challenge, role: str, client: str, counter: int | None,
    name: str, *, id: wire.RequestId, private: X25519PrivateKey | None = None,
) -> PendingEnrolment:
    """The ``enrol`` that answers ``challenge`` with the pairing code, and what
    finishes it. (``private``: a fixed key pair, for the worked example only.)"""
    private = private or X25519PrivateKey.generate()
    unsigned = wire.Enrol(id=id, role=role, client=client,  # type: ignore[arg-type]
                          counter=counter, name=name, public_key=_public_hex(private), proof="")
    proof = _enrol_proof(code, challenge.nonce, unsigned)
    message = wire.Enrol(id=id, role=unsigned.role, client=client, counter=counter,
                         name=name, public_key=unsigned.public_key, proof=proof)
    return PendingEnrolment(message, code, challenge.nonce, private)


def answer(
    code: str, nonce: str, enrol: wire.Enrol, *, private: X25519PrivateKey | None = None,
) -> tuple[wire.Enrolled, str] | None:
    """The server's side: ``enrolled`` and the device's key, or None when the
    proof shows the device does not know the pairing code."""
    if not hmac.compare_digest(_enrol_proof(code, nonce, enrol), enrol.proof.lower()):
        return None
    private = private or X25519PrivateKey.generate()
    key = _device_key(private, enrol.public_key, nonce, enrol)
    public = _public_hex(private)
    enrolled = wire.Enrolled(re=enrol.id, public_key=public,
                             proof=_enrolled_proof(code, nonce, enrol, public))
    return enrolled, key


def admin_key(office_id: str, name: str, password: str) -> str:
    """An admin's key, from their password: the same on the server (stored when the
    admin is added) and on the admin's machine (computed at each sign-in)."""
    salt = f"motcua admin|{office_id}|{name}".encode()
    derived = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                             p=SCRYPT_P, dklen=KEY_BYTES)
    return derived.hex()
