"""One server per data directory: a lock the server holds while it runs.

Two servers on one data directory (the kiosk's own server beside a service on one
PC, or two started by hand with zeroconf off) would both write the same SQLite file
and give the same numbers twice. The server takes an exclusive lock on
``<data dir>/server.lock`` before it opens the database, and keeps it until it
stops; the operating system drops it when the process dies, even by ``kill -9``, so
a crash never leaves a stale lock. The file holds the PID, for the message.

Imports the standard library only (fcntl on POSIX, msvcrt on Windows).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import IO, Final

from shared.core.errors import MotcuaError
from shared.core.private_files import private_dir
from shared.core.system_words import said

log = logging.getLogger(__name__)

LOCK_FILE: Final = "server.lock"


class DataDirectoryError(MotcuaError):
    """The data directory cannot be used (permissions); the message says what to do."""


class DataDirectoryInUseError(DataDirectoryError):
    """Another server holds the data directory; the message names its process."""


class DataDirectoryLock:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Hold the lock, or raise DataDirectoryInUseError naming the holder."""
        try:
            private_dir(self.path.parent)  # 0700: the codes and keys live here
            handle = self.path.open("a+", encoding="utf-8")
        except OSError as problem:
            raise DataDirectoryError(said(
                "data_dir_unusable", path=self.path.parent,
                reason=(problem.strerror or str(problem)).lower())) from problem
        try:
            _lock(handle)
        except OSError:
            holder = "?"
            with contextlib.suppress(OSError):  # Windows: the locked byte cannot be read
                handle.seek(0)
                holder = handle.read().strip() or "?"
            handle.close()
            raise DataDirectoryInUseError(said("data_dir_in_use", holder=holder,
                                               path=self.path.parent)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        handle, self._file = self._file, None
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.seek(0)
                handle.truncate()
                _unlock(handle)
            handle.close()


if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
