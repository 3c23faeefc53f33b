"""The office server in a child process, on a fixed port and data directory, for the
Qt tests that kill it like a power cut and start it again (a Qt test's thread runs
Qt's event loop, so the server cannot share it)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from shared.cli.demo import free_port
from shared.core.pairing import load_or_create_secret
from shared.lan.health import answers
from shared.server.devices import DeviceRegistry
from tests.office_client import JsonObject, OfficeClient, add_test_admins, credential

ROOT = Path(__file__).resolve().parents[1]
START = 20_000  # ms for a server process to answer /health (advertising adds ~3 s)

SERVER_SCRIPT = """
import dataclasses, logging, sys
from pathlib import Path
from shared.core.config import load_office
from shared.server.server import run
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
office = dataclasses.replace(load_office(), id=sys.argv[1], name=sys.argv[2])
sys.exit(run(office, Path(sys.argv[3]), "127.0.0.1", int(sys.argv[4]), sys.argv[5] == "1"))
"""


class ServerProcess:
    """``shared.server.server.run`` in a child process, on a fixed port and data directory."""

    def __init__(self, office: str, data_dir: Path, *, advertise: bool = False) -> None:
        self.office = office
        self.name = f"UBND thử {office[-6:]}"
        self.data_dir = data_dir
        self.port = free_port()
        self.advertise = advertise
        self.log = data_dir.parent / f"{data_dir.name}-server.log"
        self.secret = load_or_create_secret(data_dir)  # the server reads the same file
        registry = DeviceRegistry(data_dir)
        add_test_admins(registry, office)
        registry.close()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, qtbot: QtBot) -> None:
        args = [self.office, self.name, str(self.data_dir), str(self.port),
                "1" if self.advertise else "0"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", SERVER_SCRIPT, *args],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        qtbot.waitUntil(self._healthy, timeout=START)

    def kill(self) -> None:
        """Like a power cut: no goodbye to clients or to zeroconf."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def request(self, role: str, type_: str, /, *, counter: int | None = None,
                **fields: Any) -> JsonObject:
        """Connect as ``role``, send one request, return its reply, disconnect."""
        name = "admin" if role == "admin" else f"{role}-{counter or ''}-{uuid.uuid4().hex[:6]}"

        async def once() -> JsonObject:
            async with OfficeClient.connect(self.url, credential(role, self.secret), role, name,
                                            counter) as c:
                return await c.request(type_, **fields)

        reply = asyncio.run(once())
        assert reply["type"] != "error", reply
        return reply

    def _healthy(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{self.log.read_text('utf-8')}")
        assert answers(self.port), "not up yet"
