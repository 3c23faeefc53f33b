"""The office secret — the pairing code — kept in the server's data directory.

The server creates it at its first start (``load_or_create_secret``); a person reads
it with ``motcua pair --show`` (``read_secret``) and types it into each kiosk,
counter and display, which prove they know it when they connect (see
``shared.core.protocol.proof``). It is meant to be read aloud and typed: 16 characters
of Crockford's base32 alphabet (no I, L, O or U) in four groups, like
``K7QH-3MXP-9RTA-WC2D``, which is 80 random bits. ``normalize_code`` turns what a
person typed (lower case, spaces, O for 0, I or L for 1) into the code itself.

Imports only the standard library and ``shared.core.errors``; no Qt, no network.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat
from pathlib import Path
from typing import Final

from shared.core.errors import MotcuaError
from shared.core.private_files import keep_private, private_dir, write_private

log = logging.getLogger(__name__)

SECRET_FILE: Final = "pairing-code"
ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
GROUPS: Final = 4
GROUP_SIZE: Final = 4
# What people type for the letters the alphabet leaves out.
_LOOKALIKES: Final = str.maketrans({"O": "0", "I": "1", "L": "1"})


class PairingError(MotcuaError):
    """No usable pairing code where one was expected."""


def new_code() -> str:
    """A fresh random pairing code, ``XXXX-XXXX-XXXX-XXXX``."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return _grouped(chars)


def normalize_code(typed: str) -> str:
    """The pairing code a person meant: ``" k7qh 3mxp-9rta-wc2d"`` → ``"K7QH-3MXP-9RTA-WC2D"``.

    Raises PairingError, in plain words, when it cannot be a pairing code.
    """
    chars = "".join(typed.split()).replace("-", "").upper().translate(_LOOKALIKES)
    wrong = sorted({c for c in chars if c not in ALPHABET})
    if wrong:
        raise PairingError(
            f"A pairing code has only digits and letters; {', '.join(wrong)} is not one."
        )
    if len(chars) != GROUPS * GROUP_SIZE:
        raise PairingError(
            f"A pairing code has {GROUPS * GROUP_SIZE} characters, like "
            f"K7QH-3MXP-9RTA-WC2D; this one has {len(chars)}."
        )
    return _grouped(chars)


def secret_path(data_dir: Path) -> Path:
    return data_dir / SECRET_FILE


def read_secret(data_dir: Path) -> str:
    """The office's pairing code; PairingError if the server never created one here."""
    path = secret_path(data_dir)
    try:
        code = path.read_text("utf-8").strip()
    except FileNotFoundError:
        raise PairingError(
            f"no pairing code in {data_dir}: start `motcua serve --data-dir {data_dir}` "
            "once first"
        ) from None
    except OSError as error:
        raise PairingError(f"cannot read the pairing code {path}: {error}") from error
    if not code:
        raise PairingError(
            f"the pairing code file {path} is empty; delete it and start the server "
            "again to make a new code (every kiosk, counter and display must then be "
            "paired again)"
        )
    _warn_if_readable_by_others(path)
    return code


def load_or_create_secret(data_dir: Path) -> str:
    """The office's pairing code, created (mode 0600) on the first start."""
    path = secret_path(data_dir)
    if not path.exists():
        try:
            _create(path, new_code())
        except FileExistsError:
            pass  # another process created it just now: use theirs
        except OSError as error:
            raise PairingError(f"cannot write the pairing code {path}: {error}") from error
        else:
            log.info("created a new pairing code in %s", path)
    else:
        with contextlib.suppress(OSError):
            keep_private(path)
    return read_secret(data_dir)


def replace_secret(data_dir: Path) -> str:
    """A new pairing code for the office, replacing the old one at once.

    Devices already enrolled keep their own keys and are not affected; the old code
    enrols nothing from now on.
    """
    code = new_code()
    path = secret_path(data_dir)
    try:
        write_private(path, code + "\n")
    except OSError as error:
        raise PairingError(f"cannot write the pairing code {path}: {error}") from error
    log.info("replaced the pairing code in %s", path)
    return code


def _create(path: Path, code: str) -> None:
    """Write ``code`` to ``path`` whole or not at all, never over an existing file.

    A crash can leave no file or the full file, never an empty one: the code goes
    into a temporary file first, which is then hard-linked into place (which fails
    if the file appeared meanwhile; where hard links are not supported, renamed).
    """
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(code + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links (FAT): last writer wins
            temporary.replace(path)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _grouped(chars: str) -> str:
    return "-".join(chars[i : i + GROUP_SIZE] for i in range(0, len(chars), GROUP_SIZE))


def _warn_if_readable_by_others(path: Path) -> None:
    if os.name != "posix":
        return  # Windows: the data directory's ACL protects it
    with contextlib.suppress(OSError):
        if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            log.warning("the pairing code %s can be read by other users; chmod 600 it", path)
