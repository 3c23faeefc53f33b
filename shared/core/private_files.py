"""Folders and files that only their owner may read: keys, codes, the databases.

On POSIX a private folder is 0700 and a private file 0600, made so from the first
byte (never created readable and narrowed afterwards) and narrowed when an older
motcua left them wider. On Windows the user's profile and ACLs protect them, and
the modes are left alone.

Imports only the standard library.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat
from pathlib import Path

log = logging.getLogger(__name__)

_POSIX = os.name == "posix"


def private_dir(path: Path) -> Path:
    """``path`` as a folder readable by its owner alone (made, with its parents, if
    missing). OSError if it cannot be made."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _narrow(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """``path`` as an existing file readable by its owner alone (made empty if
    missing, in a private folder)."""
    private_dir(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    _narrow(path, 0o600)
    return path


def keep_private(path: Path) -> None:
    """Narrow an existing file to its owner alone (0600), as older versions did not."""
    _narrow(path, 0o600)


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``, whole or not at all, readable by its owner alone."""
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(path)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _narrow(path: Path, mode: int) -> None:
    if not _POSIX:
        return
    current = stat.S_IMODE(path.stat().st_mode)
    if current & ~mode:
        log.info("%s was readable by others (mode %o); now %o", path, current, mode)
        path.chmod(mode)
