"""The server goes away and comes back: the display keeps its numbers, says it is
offline, resyncs, and says no call twice.

The server runs in a child process (``shared.server.server.run``) on a fixed port and data
directory, so the test can kill it like a power cut and start it again, as
tests/shared/test_connection.py does.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from display.app import DisplayProgram
from shared.core.config import load_office
from shared.qt.background import SynchronousRunner
from shared.qt.connection import ServerConnection
from shared.voice.announcer import Announcer
from shared.voice.audio_player import NullAudioPlayer
from shared.voice.speech import NullSpeechEngine
from tests.display.conftest import MORNING, WAIT, Heard
from tests.server_process import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
BACK = 20_000  # ms for the display to find the restarted server (its retries back off to 5 s)

@pytest.fixture
def server(tmp_path: Path, qtbot: QtBot) -> Iterator[ServerProcess]:
    process = ServerProcess(f"test-{uuid.uuid4().hex[:12]}", tmp_path / "data")
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
    connection = ServerConnection("display", "tv-restart", server.secret, speaks=True)
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
        assert window.banner.text() == "Mất kết nối — đang kết nối lại…"
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
