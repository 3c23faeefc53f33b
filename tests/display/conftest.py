"""The hall display's test rig: a display program against the real server, and a speaker.

``make_display`` builds exactly the program ``motcua display`` runs (its
connection, controller, announcer and window), connected to ``server_thread``,
with the audio parts a test chooses: a speech engine (none, or real eSpeak NG), a
runner (synchronous, or the real thread pool) and a player. ``HeldSpeaker`` is
the one fake: a speaker that plays one WAV at a time and ends it when the test
says, so that a test can see that announcements never overlap.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from display.app import DisplayProgram
from display.controller import DisplayController
from display.window import DisplayWindow
from shared.core.office import Office
from shared.qt.background import BackgroundRunner, SynchronousRunner
from shared.qt.connection import ServerConnection
from shared.voice.announcement_audio import wav_duration
from shared.voice.announcer import Announcer
from shared.voice.audio_player import AudioPlayer, NullAudioPlayer
from shared.voice.speech import NullSpeechEngine, SpeechEngine
from tests.conftest import ThreadedServer

WAIT = 10_000  # ms: a bound for anything to reach the screen, never a pause
MORNING = datetime(2026, 11, 23, 9, 41, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


class HeldSpeaker:
    """Plays one announcement at a time and ends it only when told (``finish``)."""

    def __init__(self) -> None:
        self.durations: list[float] = []
        self._done: Callable[[str | None], None] | None = None

    @property
    def playing(self) -> bool:
        return self._done is not None

    def play(self, wav: Path, done: Callable[[str | None], None]) -> None:
        assert self._done is None, "a second announcement started over the first"
        self.durations.append(wav_duration(wav))
        self._done = done

    def finish(self) -> None:
        done, self._done = self._done, None
        assert done is not None, "nothing is playing"
        done(None)


@dataclass
class Heard:
    """What the announcer said, from its own signals, in order."""

    log: list[tuple[str, str]] = field(default_factory=list)

    def attach(self, announcer: Announcer) -> None:
        announcer.queued.connect(lambda job, text: self.log.append(("queued", job)))
        announcer.started.connect(lambda job, text: self.log.append(("started", job)))
        announcer.finished.connect(lambda job: self.log.append(("finished", job)))

    def of(self, kind: str) -> list[str]:
        return [job for what, job in self.log if what == kind]


@dataclass
class Rig:
    """A running display program and what its announcer said."""

    program: DisplayProgram
    heard: Heard

    @property
    def controller(self) -> DisplayController:
        return self.program.controller

    @property
    def window(self) -> DisplayWindow:
        return self.program.window

    @property
    def announcer(self) -> Announcer:
        return self.program.announcer


class MakeDisplay(Protocol):
    def __call__(
        self, *, office: Office | None = None, engine: SpeechEngine | None = None,
        player: AudioPlayer | None = None, runner: BackgroundRunner | None = None,
        announcer: Announcer | None = None, connect: bool = True, **options: Any,
    ) -> Rig: ...


@pytest.fixture
def make_display(
    qtbot: QtBot, server_thread: ThreadedServer, office: Office
) -> Iterator[MakeDisplay]:
    made: list[DisplayProgram] = []
    default_office = office

    def make(
        *, office: Office | None = None, engine: SpeechEngine | None = None,
        player: AudioPlayer | None = None, runner: BackgroundRunner | None = None,
        announcer: Announcer | None = None, connect: bool = True, **options: Any,
    ) -> Rig:
        office = office or default_office
        if announcer is None:
            announcer = Announcer(
                office.announcement, office.voice, engine or NullSpeechEngine(),
                player=player or NullAudioPlayer(), runner=runner or SynchronousRunner(),
            )
        office_id = options.pop("office_id", None)  # a display with a file of its own
        connection = ServerConnection("display", f"tv-{uuid.uuid4().hex[:8]}",
                                      server_thread.secret, office_id=office_id,
                                      office_name=office.name, speaks=announcer.enabled)
        options.setdefault("clock", lambda: MORNING)
        program = DisplayProgram(connection, office, announcer, **options)
        made.append(program)
        heard = Heard()
        heard.attach(announcer)
        program.start(("127.0.0.1", server_thread.port), windowed=True)
        program.window.resize(1920, 1080)
        if connect:
            synced(qtbot, program)
        return Rig(program, heard)

    yield make
    for program in made:
        program.close()


def synced(qtbot: QtBot, program: DisplayProgram) -> None:
    """Wait until the display is online and showing the server's snapshot."""
    qtbot.waitUntil(lambda: program.connection.is_online
                    and program.controller.hall.business_day != "", timeout=WAIT)


def issue(server: ThreadedServer, *services: str) -> list[str]:
    """Issue one ticket per service letter, as kiosks; their numbers."""
    numbers = []
    for service in services:
        reply = server.request("kiosk", "issue", service=service, priority=None,
                               client_id=f"kiosk-{uuid.uuid4().hex[:8]}")
        assert reply["type"] == "ticket", reply
        numbers.append(reply["ticket"]["number"])
    return numbers


def act(server: ThreadedServer, counter: int, request: str = "call_next",
        **fields: Any) -> dict[str, Any]:
    """Counter ``counter`` does ``request`` (call_next, recall, done, pause …)."""
    reply = server.request("counter", request, counter=counter, client_id=f"quay-{counter}",
                           **fields)
    assert reply["type"] != "error", reply
    return reply
