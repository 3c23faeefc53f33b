"""The central server's tests run against a real PostgreSQL (``tests.postgres``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.central.schema import migrate
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
