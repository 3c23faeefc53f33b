"""The kiosk's own server: started (``motcua serve`` as a child process) when no server
of the office answers on the LAN, and never when one is advertised. Real processes,
real zeroconf on the loopback interface, a unique office id per test."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from kiosk.embedded_server import EmbeddedServer, EmbeddedServerError, find_or_start
from shared.core.config import load_office
from shared.core.pairing import read_secret
from shared.lan.discovery import ServerInfo
from shared.lan.health import answers
from tests.conftest import MakeServer
from tests.kiosk.office_file import office_file
from tests.office_client import OfficeClient


async def office_seen_by_a_kiosk(port: int, secret: str) -> str:
    url = f"ws://127.0.0.1:{port}/ws"
    async with OfficeClient.connect(url, secret, "kiosk", "kiosk-thu") as client:
        return str(client.snapshot["office"]["id"])


def test_starts_motcua_serve_when_no_server_answers(tmp_path: Path) -> None:
    config, office_id, port = office_file(tmp_path)
    embedded = EmbeddedServer(tmp_path / "data", port, config)
    try:
        result = find_or_start(office_id, 0.5, embedded)

        assert result is embedded
        assert embedded.running
        assert "serve" in embedded.command()
        assert str(port) in embedded.command()
        assert answers(port)
        assert embedded.secret == read_secret(tmp_path / "data")
        assert asyncio.run(office_seen_by_a_kiosk(port, embedded.secret)) == office_id
    finally:
        embedded.stop()
    assert not embedded.running
    assert not answers(port)


async def test_starts_nothing_when_the_office_already_has_a_server(
    tmp_path: Path, make_server: MakeServer,
) -> None:
    config, office_id, port = office_file(tmp_path / "kiosk")
    existing = await make_server(load_office(config), data_dir=tmp_path / "server",
                                 advertise=True)
    embedded = EmbeddedServer(tmp_path / "kiosk-data", port, config)

    result = await asyncio.to_thread(find_or_start, office_id, 10.0, embedded)

    assert isinstance(result, ServerInfo)
    assert (result.office, result.port) == (office_id, existing.port)
    assert embedded.pid is None
    assert not answers(port)
    assert not (tmp_path / "kiosk-data").exists()  # not even a pairing code was made


def test_a_server_that_cannot_start_says_why(tmp_path: Path) -> None:
    _config, office_id, _ = office_file(tmp_path)
    (tmp_path / "broken.toml").write_text("[office]\nid = 'x'\n", "utf-8")
    embedded = EmbeddedServer(tmp_path / "data", 1, tmp_path / "broken.toml")
    try:
        with pytest.raises(EmbeddedServerError, match="dừng ngay khi khởi động"):
            find_or_start(office_id, 0.3, embedded)
    finally:
        embedded.stop()


def test_no_server_is_started_where_the_config_forbids_it(tmp_path: Path) -> None:
    _, office_id, _ = office_file(tmp_path)
    assert find_or_start(office_id, 0.3, None) is None
