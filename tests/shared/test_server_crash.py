"""The real ``motcua serve`` process, killed with SIGKILL in the middle of a storm of
tickets: every ticket a kiosk was told about survives, and no number is reused."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import aiohttp
import pytest

from shared.core.pairing import read_secret
from shared.server.server import DATABASE_FILE
from shared.server.store import SqliteStore
from tests.office_client import ClientError, OfficeClient

KIOSKS = 3
KILL_AFTER = 150  # tickets answered before the power cut
LISTENING = re.compile(r"listening on ws://127\.0\.0\.1:(\d+)/ws")

def serve_command(config: Path, data_dir: Path) -> list[str]:
    """The real `motcua serve`, as an IT person would start it."""
    return [sys.executable, "-m", "shared.cli", "serve", "--config", str(config),
            "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", "0", "--no-zeroconf"]


@dataclass
class ServerProcess:
    process: asyncio.subprocess.Process
    port: int
    log: list[str]
    drain: asyncio.Task[None]

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"


@contextlib.asynccontextmanager
async def serve(config: Path, data_dir: Path) -> AsyncIterator[ServerProcess]:
    """Start the server process; wait for it to say where it listens, then for /health."""
    process = await asyncio.create_subprocess_exec(
        *serve_command(config, data_dir), stderr=asyncio.subprocess.PIPE,
        cwd=Path(__file__).parents[2],
    )
    assert process.stderr is not None
    log: list[str] = []
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def read_log() -> None:
        assert process.stderr is not None
        async for raw in process.stderr:  # always drained, or the server would block
            line = raw.decode(errors="replace").rstrip()
            log.append(line)
            found = LISTENING.search(line)
            if found and not listening.done():
                listening.set_result(int(found[1]))
        if not listening.done():
            listening.set_exception(AssertionError("the server exited:\n" + "\n".join(log)))

    drain = asyncio.get_running_loop().create_task(read_log())
    try:
        port = await asyncio.wait_for(listening, 20)
        async with aiohttp.ClientSession() as http:
            response = await http.get(f"http://127.0.0.1:{port}/health")
            assert (await response.json())["status"] == "ok"
        yield ServerProcess(process, port, log, drain)
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()
        await drain


@dataclass
class Storm:
    client_id: str
    numbers: list[str] = field(default_factory=list)
    in_flight: str | None = None  # the request sent when the server died


async def storm(url: str, secret: str, storm: Storm, told: list[str],
                enough: asyncio.Event) -> None:
    """Issue tickets as fast as the server answers, until the connection dies."""
    with contextlib.suppress(ClientError):
        async with OfficeClient.connect(url, secret, "kiosk", storm.client_id) as kiosk:
            for n in range(1, 10_000):
                storm.in_flight = f"{storm.client_id}-press-{n}"
                reply = await kiosk.request("issue", service="A", request_id=storm.in_flight)
                assert reply["type"] == "ticket", reply
                storm.in_flight = None
                storm.numbers.append(reply["ticket"]["number"])
                told.append(reply["ticket"]["number"])
                if len(told) >= KILL_AFTER:
                    enough.set()


def stored_numbers(data_dir: Path) -> list[str]:
    store = SqliteStore(data_dir / DATABASE_FILE)
    try:
        return [row[0] for row in store.db.execute("SELECT number FROM tickets ORDER BY id")]
    finally:
        store.close()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """The default office, with kiosks allowed to press as fast as a storm does."""
    text = resources.files("shared.core").joinpath("default_office.toml").read_text("utf-8")
    path = tmp_path / "office.toml"
    path.write_text(text.replace("[server]\n", "[server]\nkiosk_rate_per_minute = 6000\n"),
                    encoding="utf-8")
    return path


async def test_sigkill_mid_storm_loses_no_ticket_and_reuses_no_number(
    config: Path, data_dir: Path
) -> None:
    storms = [Storm(f"kiosk-{i}") for i in range(1, KIOSKS + 1)]
    told: list[str] = []
    async with serve(config, data_dir) as server:
        secret = read_secret(data_dir)
        enough = asyncio.Event()
        running = asyncio.gather(*(storm(server.url, secret, s, told, enough) for s in storms))
        await asyncio.wait_for(enough.wait(), 20)
        server.process.send_signal(signal.SIGKILL if os.name == "posix" else signal.SIGTERM)
        await asyncio.wait_for(running, 10)
        assert await server.process.wait() != 0

    stored = stored_numbers(data_dir)
    assert len(told) >= KILL_AFTER
    assert set(told) <= set(stored)  # every ticket a kiosk was told about is on disk
    assert len(stored) == len(set(stored))
    in_flight = [s for s in storms if s.in_flight is not None]
    assert len(stored) - len(told) <= len(in_flight)  # at most the unanswered presses

    async with serve(config, data_dir) as server:
        # Each kiosk retries what it had pressed when the server died.
        retried = []
        for s in in_flight:
            async with OfficeClient.connect(server.url, secret, "kiosk", s.client_id) as kiosk:
                reply = await kiosk.request("issue", service="A", request_id=s.in_flight)
                retried.append(reply["ticket"]["number"])
        assert not set(retried) & set(told)
        assert len(set(retried)) == len(retried)
        after = stored_numbers(data_dir)
        assert len(after) == len(set(after))
        assert set(after) == set(stored) | set(retried)

        async with OfficeClient.connect(server.url, secret, "kiosk", "kiosk-1") as kiosk:
            assert kiosk.snapshot["services"][0]["waiting"] == len(after)
            fresh = (await kiosk.request("issue", service="A"))["ticket"]["number"]
        assert fresh == f"A{len(after) + 1:03d}"
        assert fresh not in after


@pytest.mark.skipif(os.name != "posix", reason="SIGTERM is a POSIX signal")
async def test_sigterm_stops_gracefully(config: Path, data_dir: Path) -> None:
    async with serve(config, data_dir) as server:
        secret = read_secret(data_dir)
        async with OfficeClient.connect(server.url, secret, "counter", "quay-1", 1) as counter:
            server.process.send_signal(signal.SIGTERM)
            assert await counter.wait_closed(10) == 1001
        assert await asyncio.wait_for(server.process.wait(), 10) == 0
        await server.drain
        assert any("motcua server stopped" in line for line in server.log)
