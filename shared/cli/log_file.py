"""Each program's rotating log file, for the ward IT person.

Under the platform's log folder (``~/.local/state/motcua/log`` on Linux,
``%LOCALAPPDATA%\\motcua\\Logs`` on Windows), beside the console output that
``shared.cli`` sets up. Imports only the standard library and platformdirs.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Final

import platformdirs

log = logging.getLogger(__name__)

FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_to_file(name: str) -> Path | None:
    """Also log to ``<log folder>/<name>.log``; where that is, or None if it cannot be."""
    folder = platformdirs.user_log_path("motcua", appauthor=False)
    path = folder / f"{name}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5,
                                      encoding="utf-8")
    except OSError as problem:
        log.warning("no log file in %s: %s", folder, problem)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    logging.getLogger().addHandler(handler)
    return path
