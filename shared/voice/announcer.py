"""The hall announcer: a queue of calls, each said as chime + sentence × repeat.

``Announcer`` takes calls in call order (``announce``), keeps them in a FIFO queue
and plays one at a time: a call never overlaps another, is never dropped, never
said twice by mistake, and a recall is simply a new call. For each call a
background worker synthesises the sentence to a WAV with the speech engine and
assembles chime + speech × repeat into one WAV (``shared.voice.announcement_audio``); the
result comes back to the GUI thread through a queued signal and goes to an audio
player. The next call is prepared while the current one plays, one at a time, in
order, so there is no gap of synthesis between two calls.

When speech fails the call is the chime alone and ``status_changed`` says so; when
there is no sound device at all the calls still run through the queue (and their
signals) silently, with a status. Nothing here waits on the GUI thread.

The shape follows Anki's ``aqt/sound.py`` (a play queue over players) and
``aqt/operations`` (background work whose result arrives on the GUI thread).

Imports QtCore and QtMultimedia, no widgets; the speech engine only through its port.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import logging
import tempfile
from collections import deque
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Final, TypeVar

from PySide6.QtCore import QObject, Signal

from shared.core.office import Announcement, Counter, Voice
from shared.core.reading import announcement_text
from shared.qt.background import BackgroundRunner, ThreadPoolRunner
from shared.voice.announcement_audio import build_announcement
from shared.voice.audio_player import (
    AudioPlayer,
    NullAudioPlayer,
    default_player,
)
from shared.voice.chime import chime_path
from shared.voice.speech import SpeechEngine, SpeechError

log = logging.getLogger(__name__)

T = TypeVar("T")

NO_SPEECH_STATUS: Final = "Không có giọng đọc — chỉ phát chuông"
AUDIO_ERROR_STATUS: Final = "Lỗi âm thanh — lời gọi không phát được"


# -- the announcer -------------------------------------------------------------------------


class _State(enum.Enum):
    WAITING = "waiting"  # queued, audio not prepared yet
    PREPARING = "preparing"  # the worker is synthesising and assembling it
    READY = "ready"  # its WAV exists (or it is known to have none)


@dataclass(eq=False)
class _Job:
    id: str
    text: str
    state: _State = _State.WAITING
    wav: Path | None = None


@dataclass(frozen=True)
class _Prepared:
    wav: Path
    speech_problem: str | None  # None when the sentence was spoken


class Announcer(QObject):
    """Announces calls one after another, in call order, each exactly once.

    Signals (on the GUI thread): ``queued(job_id, text)`` when a call joins the
    queue; ``started(job_id, text)`` when its sound starts; ``finished(job_id)`` when
    it has been played (or failed to play); ``status_changed(message)`` when the
    state of the sound changes (empty when all is well; read ``status`` for the
    current one); ``idle()`` when the last queued call has finished.

    With voice disabled (``voice.enabled`` false: only one display per hall speaks)
    ``announce`` does nothing and no signal is ever emitted.

    Call ``close`` when the program quits: it waits for a sentence being
    synthesised (at most the speech engine's time limit) and removes the WAVs.
    """

    queued = Signal(str, str)
    started = Signal(str, str)
    finished = Signal(str)
    status_changed = Signal(str)
    idle = Signal()

    def __init__(
        self,
        office_announcement: Announcement,
        voice: Voice,
        speech_engine: SpeechEngine,
        *,
        player: AudioPlayer | None = None,
        runner: BackgroundRunner | None = None,
        chime: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.announcement = office_announcement
        self.voice = voice
        self._engine = speech_engine
        self._chime = chime
        self._device_problem = ""
        if player is None and voice.enabled:
            player, self._device_problem = default_player(self)
        self._player: AudioPlayer = player or NullAudioPlayer()
        self._runner: BackgroundRunner = runner or ThreadPoolRunner(self)
        self._speech_problem = ""
        self._jobs: deque[_Job] = deque()  # waiting or prepared, in call order
        self._playing: _Job | None = None
        self._preparing: _Job | None = None
        self._sequence = 0
        self._pumping = False
        self._pump_again = False
        self._closed = False
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    @property
    def enabled(self) -> bool:
        return self.voice.enabled

    def adopt(self, announcement: Announcement, voice: Voice) -> None:
        """The office's announcement and voice as its server says them, for the calls
        from now on; whether this screen speaks (``voice.enabled``) stays its own."""
        self.announcement = announcement
        self.voice = dataclasses.replace(voice, enabled=self.voice.enabled)
        if hasattr(self._engine, "voice"):  # the engines that read a Voice when they speak
            self._engine.voice = self.voice

    @property
    def status(self) -> str:
        """The sound's current problem in plain Vietnamese; empty when all is well."""
        return " · ".join(p for p in (self._device_problem, self._speech_problem) if p)

    @property
    def busy(self) -> bool:
        """Whether a call is playing or waiting to."""
        return self._playing is not None or bool(self._jobs)

    def announce(self, number: str, counter: Counter, *, recall: bool = False) -> str | None:
        """Queue the call of ticket ``number`` to ``counter``; returns the job id.

        Call it in call order; a recall is queued like any call and said again.
        Returns None (and does nothing) when voice is disabled or after ``close``.
        Raises ValueError for a ticket number the reading rules refuse.
        """
        if not self.voice.enabled or self._closed:
            return None
        text = announcement_text(self.announcement, number, counter)
        self._sequence += 1
        kind = "recall" if recall else "call"
        job = _Job(id=f"{self._sequence}-{kind}-{number}-{counter.number}", text=text)
        self._jobs.append(job)
        log.info("queued %s: %s", job.id, text)
        self.queued.emit(job.id, text)
        self._pump()
        return job.id

    def close(self) -> None:
        """Forget waiting calls, stop taking new ones, remove the temporary files."""
        self._closed = True
        self._jobs.clear()
        if isinstance(self._runner, ThreadPoolRunner):
            self._runner.wait()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    # -- the queue ---------------------------------------------------------------

    def _pump(self) -> None:
        # Re-entrant calls (a synchronous runner, a slot that announces again) only
        # ask the running loop for another pass, so each step happens exactly once.
        if self._pumping:
            self._pump_again = True
            return
        self._pumping = True
        try:
            self._pump_again = True
            while self._pump_again and not self._closed:
                self._pump_again = False
                self._prepare_next()
                self._play_next()
        finally:
            self._pumping = False

    def _prepare_next(self) -> None:
        if self._preparing is not None:
            return
        job = next((j for j in self._jobs if j.state is _State.WAITING), None)
        if job is None:
            return
        job.state = _State.PREPARING
        self._preparing = job
        work = partial(
            _prepare_audio,
            self._engine,
            self._chime,
            job.text,
            self.announcement,
            self.voice.volume,
            self._work_folder() / job.id,
        )
        self._runner.run(work, partial(self._on_prepared, job), partial(self._on_failed, job))

    def _play_next(self) -> None:
        if self._playing is not None or not self._jobs or self._jobs[0].state is not _State.READY:
            return
        job = self._jobs.popleft()
        self._playing = job
        log.info("announcing %s", job.id)
        self.started.emit(job.id, job.text)
        if job.wav is None:
            NullAudioPlayer().play(Path(), partial(self._on_played, job))
        else:
            self._player.play(job.wav, partial(self._on_played, job))

    def _on_prepared(self, job: _Job, prepared: _Prepared) -> None:
        self._preparing = None
        job.state = _State.READY
        job.wav = prepared.wav
        if prepared.speech_problem is None:
            self._set_speech_problem("")
        else:
            if not self._speech_problem:
                log.warning("speech failed, chime only: %s", prepared.speech_problem)
            self._set_speech_problem(NO_SPEECH_STATUS)
        self._pump()

    def _on_failed(self, job: _Job, problem: Exception) -> None:
        # Not even the chime could be assembled: the call still takes its turn,
        # silently, so that the queue behind it moves on.
        log.error("cannot prepare the sound of %s: %s", job.id, problem)
        self._preparing = None
        job.state = _State.READY
        job.wav = None
        self._set_speech_problem(AUDIO_ERROR_STATUS)
        self._pump()

    def _on_played(self, job: _Job, problem: str | None) -> None:
        if problem is not None:
            log.warning("could not play %s: %s", job.id, problem)
        if job.wav is not None:
            with contextlib.suppress(OSError):
                job.wav.unlink(missing_ok=True)
        self._playing = None
        self.finished.emit(job.id)
        self._pump()
        if not self.busy and self._preparing is None:
            self.idle.emit()

    def _set_speech_problem(self, problem: str) -> None:
        before = self.status
        self._speech_problem = problem
        if self.status != before:
            self.status_changed.emit(self.status)

    def _work_folder(self) -> Path:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="motcua-voice-")
        return Path(self._folder.name)


def _prepare_audio(
    engine: SpeechEngine,
    chime: Path | None,
    text: str,
    announcement: Announcement,
    volume: float,
    stem: Path,
) -> _Prepared:
    """Runs in the worker: the sentence to a WAV, then the whole announcement to one."""
    speech_wav = stem.with_name(stem.name + "-speech.wav")
    out = stem.with_name(stem.name + ".wav")
    problem: str | None = None
    try:
        engine.synthesize(text, speech_wav)
    except SpeechError as error:
        problem = str(error)
    except Exception as error:  # a broken engine must not stop the chime
        log.exception("the speech engine failed unexpectedly")
        problem = f"{type(error).__name__}: {error}"
    try:
        build_announcement(
            chime or chime_path(),
            None if problem else speech_wav,
            announcement.repeat,
            announcement.pause_seconds,
            out,
            chime_volume=volume,
        )
    finally:
        speech_wav.unlink(missing_ok=True)
    return _Prepared(out, problem)
