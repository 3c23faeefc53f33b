"""The central server's tests run against a real PostgreSQL (``tests.postgres``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from shared.central.schema import migrate
from shared.central.server import CentralServer
from tests.postgres import PostgresServer


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture
def central_db(postgres: PostgresServer) -> str:
    """A new database with the central schema; its address."""
    url = postgres.new_database()
    migrate(url)
    return url


@pytest.fixture
async def central(central_db: str, tmp_path: Path) -> AsyncIterator[CentralServer]:
    """A central server on its own database, on a free port of 127.0.0.1."""
    server = CentralServer(central_db, tmp_path / "central", "127.0.0.1", 0)
    await server.start()
    yield server
    await server.stop()
