"""How the kiosk reaches its office server: a fixed address, the LAN, or a server of its own.

With ``--server HOST:PORT`` (or ``[server] host``) the connection goes there. Otherwise
the kiosk looks for the office's server on the LAN for ``server_wait_seconds``; if
none answers and ``[server] embedded`` allows it, it starts ``motcua serve`` itself
(``kiosk.embedded_server``) and connects to it on 127.0.0.1, and it starts it again
should that child die. If none answers and the kiosk may not start one, it keeps
looking on the LAN (the connection follows the server's advertisement).

The search and the start block, so they run through a ``BackgroundRunner``; the
connection is only touched on the GUI thread. Imports QtCore; no widgets.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from kiosk.embedded_server import EmbeddedServer, find_or_start
from shared.core.office import Office
from shared.lan.discovery import ServerInfo
from shared.qt.background import BackgroundRunner
from shared.qt.connection import ServerConnection

log = logging.getLogger(__name__)

WATCH_SECONDS = 5.0  # how often the kiosk checks that its own server still runs


class ServerLink(QObject):
    def __init__(
        self,
        connection: ServerConnection,
        office: Office,
        runner: BackgroundRunner,
        *,
        address: tuple[str, int] | None = None,
        data_dir: Path,
        config: Path | None = None,
        port: int | None = None,
        watch_seconds: float | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.connection = connection
        self.office = office
        self.address = address
        self.embedded: EmbeddedServer | None = None
        if address is None and office.server.embedded:
            self.embedded = EmbeddedServer(data_dir, port or office.server.port, config)
        self._runner = runner
        self._cancelled = threading.Event()
        self._searching = False
        self._own_server = False  # whether the connection goes to our embedded server
        self._watch = QTimer(self)
        seconds = WATCH_SECONDS if watch_seconds is None else watch_seconds
        self._watch.setInterval(int(seconds * 1000))
        self._watch.timeout.connect(self._check_own_server)

    @property
    def uses_own_server(self) -> bool:
        return self._own_server

    def start(self) -> None:
        """Connect to the fixed address, or search (and maybe start a server) first."""
        if self.address is not None:
            log.info("connecting to the office server at %s:%d", *self.address)
            self.connection.connect_to(*self.address)
            return
        self._search()

    def reconnect(self) -> None:
        """Connect again the same way, e.g. after a new pairing code was entered."""
        if self.address is not None:
            self.connection.connect_to(*self.address)
        elif self._own_server and self.embedded is not None:
            self.connection.connect_to("127.0.0.1", self.embedded.port)
        else:
            self.connection.discover()

    def stop(self) -> None:
        """Stop searching and watching (the embedded server is stopped by ``shutdown``)."""
        self._cancelled.set()
        self._watch.stop()

    def shutdown(self) -> None:
        """After the runner's work ended: stop the kiosk's own server, if it started one."""
        self.stop()
        if self.embedded is not None:
            self.embedded.stop()

    def _search(self) -> None:
        if self._searching or self._cancelled.is_set():
            return
        self._searching = True
        wait = self.office.kiosk.server_wait_seconds
        # The connection's office (None without a file of its own: any office's server).
        office_id, embedded = self.connection.office_id, self.embedded
        cancelled = self._cancelled
        log.info("looking for the server of office %r (up to %.1f s)", office_id, wait)
        self._runner.run(lambda: find_or_start(office_id, wait, embedded, cancelled),
                         self._found, self._not_started)

    def _found(self, result: ServerInfo | EmbeddedServer | None) -> None:
        self._searching = False
        if self._cancelled.is_set():
            return
        if isinstance(result, EmbeddedServer):
            self._own_server = True
            self.connection.set_secret(result.secret)
            self.connection.connect_to("127.0.0.1", result.port)
            self._watch.start()
            return
        self._own_server = False
        self.connection.discover()  # follows the advertised server wherever it goes

    def _not_started(self, problem: Exception) -> None:
        self._searching = False
        if self._cancelled.is_set():
            return
        log.error("the kiosk could not start its own office server: %s", problem)
        self._own_server = False
        self.connection.discover()  # maybe another server of the office appeared

    def _check_own_server(self) -> None:
        embedded = self.embedded
        if embedded is None or self._searching or self._cancelled.is_set():
            return
        if not embedded.running:
            log.warning("the kiosk's own office server stopped; starting it again")
            self._watch.stop()
            self._search()
