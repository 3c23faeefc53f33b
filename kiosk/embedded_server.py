"""The kiosk's own office server, for an office with one PC.

When no server of the office answers on the LAN within ``[kiosk] server_wait_seconds``
and ``[server] embedded`` allows it, the kiosk runs ``motcua serve`` as a child
process on this machine, waits for its ``/health``, and stops it when the kiosk
stops. A kiosk never makes a second authority: it starts nothing when a server is
advertised, and the server itself refuses to start beside another server of the same
office (``DuplicateServerError``), which ends the child and leaves the kiosk to find
the other one.

Blocking calls (discovery, starting, waiting): run them off the GUI thread.
Imports no Qt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import subprocess
import sys
import threading
from pathlib import Path

from shared.core.errors import MotcuaError
from shared.core.pairing import load_or_create_secret
from shared.core.system_words import said
from shared.lan.discovery import ServerInfo, find_server
from shared.lan.health import HealthError, wait_until_answering

log = logging.getLogger(__name__)

HEALTH_TIMEOUT_SECONDS = 30.0  # a slow mini PC, a first start creating the database
LOG_FILE = "embedded-server.log"


class EmbeddedServerError(MotcuaError):
    """The kiosk's own server did not start; the message says why."""


def find_advertised(office_id: str | None, timeout: float) -> ServerInfo | None:
    """The office's server advertised on the LAN, if one answers within ``timeout``."""
    return asyncio.run(find_server(office_id, timeout))


class EmbeddedServer:
    """``motcua serve`` as a child process on 127.0.0.1:``port``, data in ``data_dir``.

    Thread-safe: ``start`` and ``wait_until_healthy`` may run in a worker while the
    GUI thread calls ``stop`` (at shutdown); a stopped server is not started again
    until ``start`` is called once more after ``stop`` returned.
    """

    def __init__(self, data_dir: Path, port: int, config: Path | None = None,
                 log_path: Path | None = None) -> None:
        self.data_dir = data_dir
        self.port = port
        self.config = config
        self.log_path = log_path or data_dir / LOG_FILE
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._secret: str | None = None

    @property
    def secret(self) -> str:
        """The office's pairing code in ``data_dir`` (created if the server never ran)."""
        if self._secret is None:
            self._secret = load_or_create_secret(self.data_dir)
        return self._secret

    @property
    def running(self) -> bool:
        with self._lock:
            return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        with self._lock:
            return self._process.pid if self._process is not None else None

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "shared.cli", "serve", "--data-dir", str(self.data_dir)]
        if self.config is not None:
            command += ["--config", str(self.config)]
        return [*command, "--port", str(self.port)]

    def start(self) -> None:
        """Start the child (no-op if it runs). Raises EmbeddedServerError if it cannot."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                return
            self.data_dir.mkdir(parents=True, exist_ok=True)
            _ = self.secret  # created here, before the child, so both read the same file
            flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # Windows: no console window
            log.info("starting the office server: %s", " ".join(self.command()))
            try:
                with self.log_path.open("ab") as output:
                    self._process = subprocess.Popen(
                        self.command(), stdout=output, stderr=subprocess.STDOUT,
                        stdin=subprocess.DEVNULL, creationflags=flags,
                    )
            except OSError as problem:
                raise EmbeddedServerError(said("server_not_started", problem=problem)) \
                    from problem

    def wait_until_healthy(self, timeout: float = HEALTH_TIMEOUT_SECONDS,
                           cancelled: threading.Event | None = None) -> None:
        """Block until ``GET /health`` answers; EmbeddedServerError if the child exits
        (the reason is the end of its log) or ``timeout`` passes."""
        with self._lock:
            process = self._process
        if process is None:
            raise EmbeddedServerError("the office server is not started")
        try:
            wait_until_answering(process, self.port, timeout, cancelled=cancelled,
                                 last_words=lambda: self._last_words() or "no reason given")
        except HealthError as problem:
            raise EmbeddedServerError(problem.said) from problem

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the child gracefully (it says goodbye to clients and to zeroconf)."""
        with self._lock:
            process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        log.info("stopping the office server (pid %d)", process.pid)
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("the office server did not stop in %.0f s; killing it", timeout)
            process.kill()
            process.wait()

    def _last_words(self) -> str:
        with contextlib.suppress(OSError):
            lines = self.log_path.read_text("utf-8", errors="replace").strip().splitlines()
            return lines[-1] if lines else ""
        return ""


def find_or_start(office_id: str | None, wait_seconds: float, embedded: EmbeddedServer | None,
                  cancelled: threading.Event | None = None,
                  health_timeout: float = HEALTH_TIMEOUT_SECONDS,
                  ) -> ServerInfo | EmbeddedServer | None:
    """The office's server: the advertised one, else ``embedded`` started and healthy.

    None when nothing answered and ``embedded`` is None (the config forbids it) or the
    search was cancelled. Raises EmbeddedServerError when the embedded server would
    not start — for instance because another server of the office appeared meanwhile.
    """
    found = find_advertised(office_id, wait_seconds)
    if found is not None:
        log.info("found the office server “%s” at %s", found.name, found.url)
        return found
    if embedded is None or (cancelled is not None and cancelled.is_set()):
        log.info("no office server answered within %.1f s", wait_seconds)
        return None
    log.info("no office server answered within %.1f s; starting one here", wait_seconds)
    embedded.start()
    embedded.wait_until_healthy(health_timeout, cancelled)
    return embedded
