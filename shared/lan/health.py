"""Is a server answering? ``GET /health`` on this machine, and waiting for a server
child process to answer it (``motcua demo``, the kiosk's own server, the tests).

Imports the standard library only; blocking, so call it off the GUI thread.
"""

from __future__ import annotations

import json
import logging
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable

from shared.core.errors import MotcuaError
from shared.core.system_words import said

log = logging.getLogger(__name__)


class HealthError(MotcuaError):
    """The server child stopped, or did not answer in time; the message says which."""


def answers(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    """Whether a motcua server answers ``GET /health`` with ``"status": "ok"``."""
    shown = f"[{host}]" if ":" in host else host
    try:
        with urllib.request.urlopen(f"http://{shown}:{port}/health", timeout=timeout) as answer:
            return bool(answer.status == 200 and json.load(answer).get("status") == "ok")
    except (OSError, ValueError):
        return False


def wait_until_answering(
    process: subprocess.Popen[bytes] | subprocess.Popen[str],
    port: int,
    timeout: float,
    *,
    host: str = "127.0.0.1",
    cancelled: threading.Event | None = None,
    last_words: Callable[[], str] = lambda: "",
) -> None:
    """Block until the server child ``process`` answers on ``port``.

    Raises HealthError when the child exits (with ``last_words()``, say the end of
    its log), when ``timeout`` passes, or when ``cancelled`` is set.
    """
    cancelled = cancelled or threading.Event()
    deadline = time.monotonic() + timeout
    while not cancelled.is_set():
        if process.poll() is not None:
            why = last_words() or said("exit_code", code=process.returncode)
            raise HealthError(said("server_stopped_at_start", why=why))
        if answers(port, host):
            log.info("the office server answers on %s:%d", host, port)
            return
        if time.monotonic() > deadline:
            raise HealthError(said("server_silent", host=host, port=port, seconds=timeout))
        cancelled.wait(0.1)
    raise HealthError(said("cancelled"))
