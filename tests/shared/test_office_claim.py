"""One server per office: the claim's rule as a table, and real servers racing for
one office over zeroconf on the loopback interface."""

from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest

from shared.core.office import Office
from shared.lan import office_claim
from shared.lan.discovery import DuplicateServerError, find_server
from shared.lan.office_claim import Claim, rival_of, yields_to
from shared.server.data_lock import DataDirectoryError, DataDirectoryInUseError
from shared.server.server import OfficeServer

pytestmark = pytest.mark.usefixtures("no_thread_left")

MINE = Claim("phuong-1", "8000000000000000", serving=False)


@pytest.mark.parametrize(
    ("seen", "rival"),
    [
        ([], None),
        ([MINE], None),  # my own claim, seen on the network
        ([Claim("phuong-1", "9000000000000000", serving=False)], None),
        ([Claim("phuong-1", "7000000000000000", serving=False)], "7000000000000000"),
        # a server already serving wins whatever its key
        ([Claim("phuong-1", "9000000000000000", serving=True)], "9000000000000000"),
        ([Claim("phuong-1", "", serving=True)], ""),  # an advertised server
        # the lowest key among those claiming
        (
            [Claim("phuong-1", "7000000000000000", serving=False),
             Claim("phuong-1", "1000000000000000", serving=False)],
            "1000000000000000",
        ),
        # other offices never count
        ([Claim("phuong-2", "0000000000000000", serving=True)], None),
    ],
)
def test_a_claim_loses_to_a_serving_server_or_a_lower_key(
    seen: list[Claim], rival: str | None
) -> None:
    found = rival_of(MINE, seen)
    assert (found.key if found is not None else None) == rival


@pytest.fixture
def own_office(office: Office) -> Office:
    """An office id no other test run on this machine uses."""
    return replace(office, id=f"phuong-claim-{uuid.uuid4().hex[:10]}")


async def refuses_connections(port: int) -> bool:
    async with aiohttp.ClientSession() as http:
        try:
            await http.get(f"http://127.0.0.1:{port}/health")
        except aiohttp.ClientConnectionError:
            return True
    return False


async def start_together(office: Office, tmp_path: Path, count: int) -> list[object]:
    servers = [
        OfficeServer(office, tmp_path / f"server-{n}", "127.0.0.1", 0, advertise=True)
        for n in range(count)
    ]
    outcomes = await asyncio.gather(*(s.start() for s in servers), return_exceptions=True)
    return list(zip(servers, outcomes, strict=True))


@pytest.mark.parametrize("count", [2, 3])
async def test_servers_of_one_office_started_at_the_same_moment_exactly_one_serves(
    own_office: Office, tmp_path: Path, count: int
) -> None:
    results = await start_together(own_office, tmp_path, count)
    winners = [server for server, outcome in results if outcome is None]
    try:
        assert len(winners) == 1, results
        winner = winners[0]
        for server, outcome in results:
            if server is winner:
                continue
            assert isinstance(outcome, DuplicateServerError)
            assert "Đã có máy chủ motcua" in str(outcome)
            assert isinstance(server, OfficeServer)
            assert await refuses_connections(server.port)
            # a loser never touched its data directory
            assert not server.data_dir.exists()
        found = await find_server(own_office.id, timeout=5)
        assert found is not None
        assert found.port == winner.port
    finally:
        for server in winners:
            await server.stop()


async def test_a_server_started_after_the_first_is_refused_and_names_it(
    own_office: Office, tmp_path: Path
) -> None:
    first = OfficeServer(own_office, tmp_path / "one", "127.0.0.1", 0, advertise=True)
    await first.start()
    try:
        second = OfficeServer(own_office, tmp_path / "two", "127.0.0.1", 0, advertise=True)
        with pytest.raises(DuplicateServerError, match="Đã có máy chủ motcua") as refused:
            await second.start()
        assert f"127.0.0.1:{first.port}" in str(refused.value)
        assert await refuses_connections(second.port)
    finally:
        await first.stop()
    # Once the first has stopped, the office may start its server again.
    again = OfficeServer(own_office, tmp_path / "two", "127.0.0.1", 0, advertise=True)
    await again.start()
    await again.stop()


async def test_a_second_server_on_the_same_data_directory_refuses_and_names_the_first(
    own_office: Office, tmp_path: Path
) -> None:
    # Zeroconf off, as on a network that blocks it: only the data directory can tell.
    first = OfficeServer(own_office, tmp_path / "data", "127.0.0.1", 0, advertise=False)
    await first.start()
    try:
        other_office = replace(own_office, id=f"{own_office.id}-khac")
        second = OfficeServer(other_office, tmp_path / "data", "127.0.0.1", 0,
                              advertise=False)
        with pytest.raises(DataDirectoryInUseError) as refused:
            await second.start()
        assert f"tiến trình {os.getpid()}" in str(refused.value)
        assert str(tmp_path / "data") in str(refused.value)
        assert await refuses_connections(second.port)
    finally:
        await first.stop()
    # The first one gone, the directory is free again (also after a kill: the OS
    # drops the lock with the process).
    again = OfficeServer(own_office, tmp_path / "data", "127.0.0.1", 0, advertise=False)
    await again.start()
    await again.stop()


async def test_a_data_directory_the_server_cannot_use_is_a_plain_error(
    own_office: Office, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the data directory should be\n")
    server = OfficeServer(own_office, not_a_folder, "127.0.0.1", 0, advertise=False)
    with pytest.raises(DataDirectoryError, match=r"Không dùng được thư mục dữ liệu .*data"):
        await server.start()
    assert await refuses_connections(server.port)


@pytest.mark.parametrize(
    ("other", "yields"),
    [
        # both serving: the one that has served longer stays, whatever the keys
        (Claim("phuong-1", "9000000000000000", serving=True, since=100.0), True),
        (Claim("phuong-1", "1000000000000000", serving=True, since=300.0), False),
        # the same moment: the lower key stays
        (Claim("phuong-1", "7000000000000000", serving=True, since=200.0), True),
        (Claim("phuong-1", "9000000000000000", serving=True, since=200.0), False),
        # a claim still deciding, another office, or this very claim: never
        (Claim("phuong-1", "1000000000000000", serving=False), False),
        (Claim("phuong-2", "1000000000000000", serving=True, since=1.0), False),
        (replace(MINE, serving=True, since=200.0), False),
    ],
)
def test_of_two_servers_serving_the_later_one_steps_down(other: Claim, yields: bool) -> None:
    mine = replace(MINE, serving=True, since=200.0)
    assert yields_to(mine, other) is yields
    if other.office == mine.office and other.serving and other.key != mine.key:
        assert yields_to(other, mine) is not yields  # exactly one of the two


async def test_when_a_split_network_heals_the_later_server_steps_down(
    own_office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Issue 18: once two servers serve (a network that drops one direction let both
    # win their claims), nothing looked again. Here the second is deaf during its claim.
    first = OfficeServer(own_office, tmp_path / "one", "127.0.0.1", 0, advertise=True)
    await first.start()
    second = OfficeServer(own_office, tmp_path / "two", "127.0.0.1", 0, advertise=True)
    try:
        with monkeypatch.context() as deaf:
            deaf.setattr(office_claim, "rival_of", lambda mine, seen: None)
            await second.start()  # it won: it heard nobody
        async with asyncio.timeout(20):
            await second.ended.wait()
        assert second.stepped_down is not None
        assert "mạng đã bị chia cắt" in second.stepped_down
        assert f"127.0.0.1:{first.port}" in second.stepped_down
        await second.stop()
        assert await refuses_connections(second.port)
        assert not first.ended.is_set()  # the first goes on serving
        async with aiohttp.ClientSession() as http, http.get(
                f"http://127.0.0.1:{first.port}/health") as health:
            assert health.status == 200
    finally:
        await second.stop()
        await first.stop()


async def test_motcua_serve_exits_with_the_reason_when_it_steps_down(
    own_office: Office, tmp_path: Path,
) -> None:
    from shared.server.server import ServerError, serve_until_signalled

    server = OfficeServer(own_office, tmp_path / "one", "127.0.0.1", 0, advertise=False)
    running = asyncio.ensure_future(serve_until_signalled(server))
    async with asyncio.timeout(10):
        while not server.running:
            await asyncio.sleep(0)  # until started: a yield, not a pause
    server._step_down(Claim(own_office.id, "0" * 16, serving=True, name="Máy chủ A",
                            host="192.168.1.10", port=8765, since=1.0))
    with pytest.raises(ServerError, match=r"192\.168\.1\.10:8765"):
        await running
    assert await refuses_connections(server.port)
