"""Reading a text aloud, the latest one only: the kiosk's spoken guidance.

Unlike the hall's announcer, which must say every call in order, a reader of screens
says only what is on the screen now: ``say`` replaces whatever was being read or
prepared (a citizen who has moved on does not want the last screen finished).
Synthesis runs in the background through the speech port, playback through the
audio port; ``started(text)`` when a text's sound begins, ``status_changed`` when
speech or sound fails (the screen still works, silently).

Imports QtCore; the speech engine and the player only through their ports.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, Signal

from shared.qt.background import BackgroundRunner, ThreadPoolRunner
from shared.voice.announcement_audio import level_file
from shared.voice.audio_player import AudioPlayer, NullAudioPlayer
from shared.voice.speech import SpeechEngine

log = logging.getLogger(__name__)

NO_VOICE_STATUS: Final = "Không đọc được hướng dẫn bằng giọng nói / Spoken guidance failed"


class Reader(QObject):
    """Reads one text at a time; a new one replaces it. ``engine_for(language)`` gives
    the speech engine of a language ("vi", "en")."""

    started = Signal(str)
    status_changed = Signal(str)

    def __init__(self, engine_for: Callable[[str], SpeechEngine], *,
                 player: AudioPlayer | None = None, runner: BackgroundRunner | None = None,
                 loudness_dbfs: float | None = None, volume: float = 1.0,
                 parent: QObject | None = None) -> None:
        """``loudness_dbfs``: each text levelled to it, as the hall's calls are
        (``shared.voice.announcement_audio.levelled``), then at ``volume``."""
        super().__init__(parent)
        self._engine_for = engine_for
        self._loudness = loudness_dbfs
        self._volume = volume
        self._player: AudioPlayer = player or NullAudioPlayer()
        self._runner: BackgroundRunner = runner or ThreadPoolRunner(self)
        self._current = 0  # the number of the text wanted now; older ones are dropped
        self._playing = False
        # A sentence still being made when the reader closes writes its WAV into the
        # folder as it goes: the cleanup must not fail on it (issue 16's CI, one run in many).
        self._folder = tempfile.TemporaryDirectory(prefix="motcua-reader-",
                                                   ignore_cleanup_errors=True)
        self.status = ""

    def say(self, text: str, language: str = "vi") -> None:
        self._current += 1
        wanted, wav = self._current, Path(self._folder.name) / f"{self._current}.wav"
        self.stop_sound()
        engine = self._engine_for(language)
        self._runner.run(partial(self._synthesize, engine, text, wav),
                         lambda _: self._play(wanted, text, wav),
                         lambda problem: self._failed(wanted, wav, problem))

    def _synthesize(self, engine: SpeechEngine, text: str, wav: Path) -> None:
        """In the worker: the text to a WAV, at the office's loudness."""
        engine.synthesize(text, wav)
        if self._loudness is not None:
            level_file(wav, self._loudness, self._volume)

    def stop(self) -> None:
        """Say nothing more: what is read stops, what is prepared is dropped."""
        self._current += 1
        self.stop_sound()

    def stop_sound(self) -> None:
        if self._playing:
            self._player.stop()

    def close(self) -> None:
        self.stop()
        if isinstance(self._runner, ThreadPoolRunner):
            self._runner.wait(10_000)  # the sentence being made, before its folder goes
        self._folder.cleanup()

    def _play(self, wanted: int, text: str, wav: Path) -> None:
        if wanted != self._current:
            _remove(wav)  # the citizen has moved on
            return
        self._playing = True
        self._set_status("")
        self.started.emit(text)
        self._player.play(wav, partial(self._played, wav))

    def _played(self, wav: Path, problem: str | None) -> None:
        self._playing = False
        _remove(wav)
        if problem is not None and problem != "stopped":
            log.warning("spoken guidance could not be played: %s", problem)
            self._set_status(NO_VOICE_STATUS)

    def _failed(self, wanted: int, wav: Path, problem: Exception) -> None:
        _remove(wav)
        log.warning("spoken guidance could not be synthesised: %s", problem)
        if wanted == self._current:
            self._set_status(NO_VOICE_STATUS)

    def _set_status(self, status: str) -> None:
        if status != self.status:
            self.status = status
            self.status_changed.emit(status)


def _remove(wav: Path) -> None:
    with contextlib.suppress(OSError):
        wav.unlink()
