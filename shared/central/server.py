"""The central server as a program: its database brought up to date, its certificate,
its HTTPS port (``motcua central serve``).

Imports aiohttp, psycopg_pool and the desk's certificate maker.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from pathlib import Path
from typing import Any, Final

import psycopg
from aiohttp import web
from psycopg_pool import AsyncConnectionPool

from shared.central.app import central_app
from shared.central.ledger import Ledger
from shared.central.schema import migrate
from shared.core.errors import MotcuaError
from shared.server.desk_tls import own_certificate

log = logging.getLogger(__name__)

DEFAULT_PORT: Final = 8770
AUTHORITY_FILE: Final = "desk-ca.crt"  # what each site trusts: [central] authority
SHUTDOWN_TIMEOUT: Final = 5.0  # seconds a request in progress is given at shutdown


class CentralServer:
    """``start()``, then ``stop()``; ``port`` is the real one once started."""

    def __init__(self, database: str, data_dir: Path, host: str = "0.0.0.0",
                 port: int = DEFAULT_PORT, names: list[str] | None = None) -> None:
        """``names``: the names and addresses the sites reach it by
        (``trung-tam.tinh.gov.vn``, ``10.0.0.5``), for its certificate."""
        self.database, self.data_dir, self.host, self.port = database, data_dir, host, port
        self.names = list(names or [])
        self._pool: AsyncConnectionPool[Any] | None = None
        self.ledger: Ledger | None = None
        self._runner: web.AppRunner | None = None

    @property
    def authority(self) -> Path:
        return self.data_dir / AUTHORITY_FILE

    async def start(self) -> None:
        try:
            steps = await asyncio.to_thread(migrate, self.database)
        except psycopg.OperationalError as error:
            raise MotcuaError(
                f"Không kết nối được cơ sở dữ liệu PostgreSQL {shown(self.database)}: {error}. "
                "Xem docs/central.md. / Cannot connect to the PostgreSQL database.") from None
        self.data_dir.mkdir(parents=True, exist_ok=True)
        names = [*self.names, *([] if self.host in ("", "0.0.0.0", "::") else [self.host])]
        certificate = own_certificate(self.data_dir, "motcua central", names)
        try:
            sock = socket.create_server((self.host or "0.0.0.0", self.port))
        except OSError as error:
            raise MotcuaError(f"Không mở được cổng {self.port}: {error.strerror}. / Cannot "
                              f"listen on port {self.port}: choose another with --port.") from None
        try:
            self._pool = AsyncConnectionPool(self.database, min_size=1, max_size=8, open=False)
            await self._pool.open(wait=True, timeout=30)
            self.ledger = Ledger(self._pool)
            self._runner = web.AppRunner(central_app(self.ledger, self.database), access_log=None,
                                         shutdown_timeout=SHUTDOWN_TIMEOUT)
            await self._runner.setup()
            site = web.SockSite(self._runner, sock, ssl_context=certificate.context())
            await site.start()
        except BaseException:
            sock.close()
            await self.stop()
            raise
        self.port = int(sock.getsockname()[1])
        log.info("motcua central on https://%s:%d (schema step %d); sites trust %s "
                 "(SHA-256 %s)", self.host, self.port, steps, self.authority,
                 certificate.fingerprint())

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


def shown(database: str) -> str:
    """A database's address without its password, for a log or a screen."""
    try:
        parts = psycopg.conninfo.conninfo_to_dict(database)
    except psycopg.ProgrammingError:
        return "?"
    return f"{parts.get('dbname', '?')} @ {parts.get('host') or 'local socket'}"


def run(database: str, data_dir: Path, host: str, port: int,
        names: list[str] | None = None) -> int:
    async def main() -> None:
        server = CentralServer(database, data_dir, host, port, names)
        await server.start()
        try:
            print(f"motcua central: https://{host}:{server.port}, dữ liệu / data: "
                  f"{shown(database)}; các điểm cần tin cậy chứng chỉ / sites trust: "
                  f"{server.authority}", flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await stop.wait()
        finally:
            await server.stop()

    asyncio.run(main())
    return 0
