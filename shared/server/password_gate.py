"""Signing in with a name and a password, for the leader's desk and the province's
central view alike: the name and password as typed (composed Unicode), wrong tries
slowed for a name from one address and for an address (so nobody locks a leader out
from elsewhere), and the check itself — scrypt, 16 MiB — two at a time, off the event
loop, as long for a name that does not exist as for one that does.

Imports aiohttp (for the posted form) and the core.
"""

from __future__ import annotations

import asyncio
import secrets
import time
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from aiohttp import web

from shared.core.secret_hash import hash_secret, matches
from shared.core.wrong_tries import WrongTries

FREE_TRIES_PER_NAME: Final = 5
FREE_TRIES_PER_ADDRESS: Final = 20
_NOBODY_HASH: Final = hash_secret(secrets.token_hex(16))  # a wrong name costs a check too


@dataclass(frozen=True)
class Attempt:
    """What a sign-in form asked, and how it went."""

    name: str
    address: str
    wait: float = 0.0  # > 0: too many wrong tries; nothing was checked
    right: bool = False


class PasswordGate:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._by_name = WrongTries(clock, FREE_TRIES_PER_NAME)
        self._by_address = WrongTries(clock, FREE_TRIES_PER_ADDRESS)
        self._checking = asyncio.Semaphore(2)  # password checks at once (16 MiB each)

    async def attempt(self, request: web.Request,
                      stored_hash: Callable[[str], Awaitable[str | None]]) -> Attempt:
        """Read the form's name and password and check them against ``stored_hash``
        of the name (None: no such account)."""
        form = await request.post()
        # Composed, as the accounts are kept: a keyboard that types "ê" as two code
        # points signs in as well.
        name = unicodedata.normalize("NFC", str(form.get("name", "")).strip())[:64]
        password = unicodedata.normalize("NFC", str(form.get("password", "")))[:1024]
        address = request.remote or "?"
        keys = ((self._by_name, f"{name}|{address}"), (self._by_address, address))
        wait = max(tries.wait(key) for tries, key in keys)
        if wait > 0:
            return Attempt(name, address, wait=wait)
        # Counted as wrong before the check, which takes a while: a hundred tries sent at
        # once are all counted, and all but the first few wait.
        for tries, key in keys:
            tries.wrong(key)
        stored = await stored_hash(name) if name else None
        async with self._checking:
            right = await asyncio.get_running_loop().run_in_executor(
                None, matches, password, stored or _NOBODY_HASH)
        if stored is None or not right:
            return Attempt(name, address)
        for tries, key in keys:
            tries.right(key)
        return Attempt(name, address, right=True)
