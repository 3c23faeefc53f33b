"""The server goes away and comes back: the display keeps its numbers, says it is
offline, resyncs, and says no call twice.

The server runs in a child process (``shared.server.run``) on a fixed port and data
directory, so the test can kill it like a power cut and start it again, as
tests/shared/test_connection.py does.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import socket
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from display import wording
from display.app import DisplayProgram
from shared.announcer import Announcer
from shared.audio_player import NullAudioPlayer
from shared.background import SynchronousRunner
from shared.client import OfficeClient
from shared.config import load_office
from shared.connection import ServerConnection
from shared.pairing import load_or_create_secret
from shared.protocol import JsonObject
from shared.speech import NullSpeechEngine
from tests.display.conftest import MORNING, WAIT, Heard

ROOT = Path(__file__).resolve().parents[2]
START = 20_000  # ms for a server process to answer /health
BACK = 20_000  # ms for the display to find the restarted server (its retries back off to 5 s)

SERVER_SCRIPT = """
import dataclasses, logging, sys
from pathlib import Path
from shared.config import load_office
from shared.server import run
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
office = dataclasses.replace(load_office(), id=sys.argv[1])
sys.exit(run(office, Path(sys.argv[2]), "127.0.0.1", int(sys.argv[3]), False))
"""


class ServerProcess:
    """The office server in a child process, on a fixed port and data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.office = f"test-{uuid.uuid4().hex[:12]}"
        self.data_dir = data_dir
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"ws://127.0.0.1:{self.port}/ws"
        self.log = data_dir.parent / "server.log"
        self.secret = load_or_create_secret(data_dir)  # the server reads the same file
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, qtbot: QtBot) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", SERVER_SCRIPT, self.office, str(self.data_dir),
                 str(self.port)],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        qtbot.waitUntil(self._healthy, timeout=START)

    def kill(self) -> None:
        """Like a power cut: no goodbye to anyone."""
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

    def request(self, role: str, type_: str, /, *, counter: int | None = None,
                **fields: Any) -> JsonObject:
        """Connect as ``role``, send one request, return its reply, disconnect."""
        name = f"{role}-{counter or ''}-{uuid.uuid4().hex[:6]}"

        async def once() -> JsonObject:
            async with OfficeClient.connect(self.url, self.secret, role, name, counter) as c:
                return await c.request(type_, **fields)

        reply = asyncio.run(once())
        assert reply["type"] != "error", reply
        return reply

    def _healthy(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{self.log.read_text('utf-8')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health",
                                        timeout=0.5) as answer:
                assert answer.status == 200
        except OSError as error:
            raise AssertionError(f"not up yet: {error}") from error


@pytest.fixture
def server(tmp_path: Path, qtbot: QtBot) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path / "data")
    process.start(qtbot)
    yield process
    process.stop()


def test_a_server_restart_shows_offline_keeps_the_numbers_then_resyncs_without_repeating(
    qtbot: QtBot, server: ServerProcess
) -> None:
    office = dataclasses.replace(load_office(), id=server.office)
    announcer = Announcer(office.announcement, office.voice, NullSpeechEngine(),
                          player=NullAudioPlayer(), runner=SynchronousRunner())
    heard = Heard()
    heard.attach(announcer)
    connection = ServerConnection("display", "tv-restart", server.secret)
    program = DisplayProgram(connection, office, announcer, clock=lambda: MORNING)
    try:
        program.start(("127.0.0.1", server.port), windowed=True)
        window = program.window
        qtbot.waitUntil(lambda: connection.is_online, timeout=WAIT)
        assert not window.banner.isVisible()

        for service in "ABA":
            server.request("kiosk", "issue", service=service, priority=None)
        server.request("counter", "call_next", counter=1)
        server.request("counter", "call_next", counter=2)
        qtbot.waitUntil(lambda: heard.of("finished") == ["1-call-A001-1", "2-call-B001-2"],
                        timeout=WAIT)

        def screen() -> tuple[object, ...]:
            return (window.call_panel.shown(), window.board.shown(), window.recent.shown(),
                    window.waiting.shown())

        before = screen()
        assert before[0] == ("MỜI SỐ", "B001", "đến", "Quầy 2")

        server.kill()
        qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=WAIT)
        assert window.banner.text() == wording.OFFLINE == "Mất kết nối — đang kết nối lại…"
        assert screen() == before  # nothing blanked while the server is away

        server.start(qtbot)
        qtbot.waitUntil(lambda: connection.is_online, timeout=BACK)
        assert not window.banner.isVisible()
        assert screen() == before
        assert heard.of("queued") == ["1-call-A001-1", "2-call-B001-2"]  # nothing said again

        # The display is live again: the next call, and only it, is announced.
        server.request("counter", "call_next", counter=1)
        qtbot.waitUntil(lambda: len(heard.of("queued")) == 3, timeout=WAIT)
        assert heard.of("queued")[2] == "3-call-A002-1"
        assert window.call_panel.shown()[1] == "A002"
    finally:
        program.close()
