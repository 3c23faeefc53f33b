"""Playing a WAV file: the port, QtMultimedia's player, and a null player.

The announcer plays one announcement at a time through an ``AudioPlayer``;
``QtAudioPlayer`` plays through QtMultimedia, with a guard timer so that a stuck
device can never stall the queue; ``NullAudioPlayer`` finishes at once, for
machines without a sound card. Imports QtCore and QtMultimedia; no widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Final, Protocol

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

from shared.voice.announcement_audio import AudioError, wav_duration

log = logging.getLogger(__name__)

NO_DEVICE_STATUS: Final = "Không có thiết bị âm thanh — lời gọi chỉ hiện trên màn hình"
_PLAYBACK_MARGIN_MS: Final = 5000  # past the WAV's length, a silent player is given up


class AudioPlayer(Protocol):
    """Plays a WAV file; calls ``done(None)`` when it has ended or ``done(message)``
    when it could not play. ``done`` is called exactly once, later, on the GUI thread."""

    def play(self, wav: Path, done: Callable[[str | None], None]) -> None: ...

    def stop(self) -> None:
        """End the WAV playing now, if any: its ``done("stopped")`` follows."""


class NullAudioPlayer:
    """For a machine without a sound device: every WAV "plays" at once."""

    def play(self, wav: Path, done: Callable[[str | None], None]) -> None:
        QTimer.singleShot(0, partial(done, None))

    def stop(self) -> None:
        pass  # nothing plays for longer than an instant


class QtAudioPlayer(QObject):
    """QMediaPlayer + QAudioOutput on the default sound device, one WAV at a time.

    A backend that neither ends nor reports an error is given up a few seconds past
    the WAV's length, so the queue behind it never stalls.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._output = QAudioOutput(self)
        self._player = QMediaPlayer(self)
        self._player.setAudioOutput(self._output)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)
        self._guard = QTimer(self)
        self._guard.setSingleShot(True)
        self._guard.timeout.connect(self._on_guard)
        self._done: Callable[[str | None], None] | None = None

    @staticmethod
    def available() -> bool:
        """Whether the machine has any audio output device."""
        return bool(QMediaDevices.audioOutputs())

    def play(self, wav: Path, done: Callable[[str | None], None]) -> None:
        if self._done is not None:
            raise RuntimeError("QtAudioPlayer plays one file at a time")
        self._done = done
        try:
            length_ms = round(wav_duration(wav) * 1000)
        except AudioError as problem:
            QTimer.singleShot(0, partial(self._finish_if, done, str(problem)))
            return
        self._guard.start(length_ms + _PLAYBACK_MARGIN_MS)
        self._player.setSource(QUrl.fromLocalFile(str(wav)))
        self._player.play()

    def stop(self) -> None:
        self._finish("stopped")

    def _finish_if(self, done: Callable[[str | None], None], problem: str) -> None:
        """Finish the play that ``done`` belongs to, not one that began since."""
        if self._done is done:
            self._finish(problem)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._finish(None)
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._finish(self._player.errorString() or "invalid media")

    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        if error != QMediaPlayer.Error.NoError:
            self._finish(message or str(error))

    def _on_guard(self) -> None:
        self._finish("playback did not end")

    def _finish(self, problem: str | None) -> None:
        done, self._done = self._done, None
        if done is None:
            return  # already reported (an error and a status change can both arrive)
        self._guard.stop()
        self._player.stop()
        self._player.setSource(QUrl())  # let go of the file, so that it can be deleted
        done(problem)


def default_player(parent: QObject | None = None) -> tuple[AudioPlayer, str]:
    """The sound device's player, or the null player and a status saying there is none."""
    if QtAudioPlayer.available():
        return QtAudioPlayer(parent), ""
    log.warning("no audio output device: announcements will be silent")
    return NullAudioPlayer(), NO_DEVICE_STATUS
