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
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Final, TypeVar

from PySide6.QtCore import QObject, Signal

from shared.core.office import Announcement, Counter, Voice
from shared.core.reading import FOLLOW_JOIN, FOLLOW_TEMPLATE, announcement_text
from shared.qt.background import BackgroundRunner, ThreadPoolRunner
from shared.voice.announcement_audio import build_announcement, build_repeat
from shared.voice.audio_player import (
    AudioPlayer,
    NullAudioPlayer,
    default_player,
)
from shared.voice.chime import chime_path
from shared.voice.speech import SpeechEngine, SpeechError

log = logging.getLogger(__name__)

T = TypeVar("T")

# A call said straight after another needs no chime; after this much quiet, it does.
FOLLOW_GAP_SECONDS: Final = 1.5
NO_SPEECH_STATUS: Final = "Không có giọng đọc — chỉ phát chuông"
AUDIO_ERROR_STATUS: Final = "Lỗi âm thanh — lời gọi không phát được"


# -- the announcer -------------------------------------------------------------------------


class _State(enum.Enum):
    WAITING = "waiting"  # queued, audio not prepared yet
    PREPARING = "preparing"  # the worker is synthesising and assembling it
    READY = "ready"  # its WAV exists (or it is known to have none)


@dataclass(frozen=True)
class _Call:
    id: str
    number: str
    counter: Counter


@dataclass(eq=False)
class _Job:
    """One announcement: one call, or several waiting calls said in one sentence."""

    calls: list[_Call]
    text: str
    state: _State = _State.WAITING
    wav: Path | None = None
    again: Path | None = None  # the sentence once more, for a lone call: said if nobody waits
    # Said right after another announcement of the same burst: no chime, and no "Xin
    # mời công dân …" again — the hall is listening already (issue 14: the fourth call
    # of a burst heard within 10 s).
    follows: bool = False

    @property
    def id(self) -> str:
        return "+".join(call.id for call in self.calls)


@dataclass(frozen=True)
class _Prepared:
    wav: Path
    again: Path | None
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
        still_called: Callable[[str, int], bool] | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        """``still_called(number, counter)`` says whether a call is still current when
        its turn comes (not already marked done, absent or transferred): a call that
        is not is never said (default: every call is)."""
        super().__init__(parent)
        self.still_called = still_called or (lambda number, counter: True)
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
        self.chimed = False  # whether the announcement playing now began with the chime
        self._clock = clock
        self._ended_at: float | None = None  # when the last announcement ended

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
        call = _Call(f"{self._sequence}-{kind}-{number}-{counter.number}", number, counter)
        if self.announcement.keep_up:
            # Calls already prepared but still waiting their turn are prepared again,
            # together with this one: a burst is said in one go, each call once.
            for waiting in self._jobs:
                if waiting.state is _State.READY:
                    self._forget_audio(waiting)
                    waiting.state = _State.WAITING
        self._jobs.append(_Job([call], text))
        log.info("queued %s: %s", call.id, text)
        self.queued.emit(call.id, text)
        self._pump()
        return call.id

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
        if self.announcement.keep_up:
            self._merge_waiting(job)
            # Another announcement plays or waits before it: it continues the burst.
            job.follows = self._playing is not None or self._jobs[0] is not job
            job.text = self._sentence(job.calls, follows=job.follows)
        job.state = _State.PREPARING
        self._preparing = job
        work = partial(
            _prepare_audio,
            self._engine,
            self._chime,
            job.text,
            self.announcement,
            self.voice.volume,
            self._work_folder() / job.calls[0].id,
            separate_again=self.announcement.keep_up and len(job.calls) == 1,
            once=len(job.calls) > 1,  # calls said together are each said once
            chime_first=not job.follows,
        )
        self._runner.run(work, partial(self._on_prepared, job), partial(self._on_failed, job))

    def _merge_waiting(self, job: _Job) -> None:
        """Calls that wait behind ``job`` (not yet being prepared) join it in one
        sentence: a burst of calls is said in one go, each once (docs/voice.md)."""
        while True:
            index = self._jobs.index(job) + 1
            if index >= len(self._jobs) or self._jobs[index].state is not _State.WAITING:
                return
            follower = self._jobs[index]
            del self._jobs[index]
            said = {(c.number, c.counter.number) for c in job.calls}
            for call in follower.calls:
                if (call.number, call.counter.number) in said:  # a recall of a call
                    self.finished.emit(call.id)  # that waits too: said once, in it
                else:
                    job.calls.append(call)
            job.text = self._sentence(job.calls)
            log.info("saying %s together", job.id)

    def _sentence(self, calls: list[_Call], *, follows: bool = False) -> str:
        """The calls in one sentence: the office's template for the first (unless it
        ``follows`` another announcement of the burst), then "số … đến quầy …"."""
        first, *others = calls
        follow = dataclasses.replace(self.announcement, template=FOLLOW_TEMPLATE)
        lead = follow if follows else self.announcement
        parts = [announcement_text(lead, first.number, first.counter)]
        parts += [announcement_text(follow, c.number, c.counter) for c in others]
        text = FOLLOW_JOIN.join(parts)
        return text[:1].upper() + text[1:] if follows else text

    def _play_next(self) -> None:
        if self._playing is not None or not self._jobs or self._jobs[0].state is not _State.READY:
            return
        job = self._jobs[0]
        current = [c for c in job.calls if self.still_called(c.number, c.counter.number)]
        if len(current) < len(job.calls):
            stale = [c for c in job.calls if c not in current]
            log.info("not saying %s: no longer called", ", ".join(c.id for c in stale))
            for call in stale:
                self.finished.emit(call.id)
            self._forget_audio(job)
            if not current:
                self._jobs.popleft()
                self._pump_again = True
                if not self.busy and self._preparing is None:
                    self.idle.emit()
                return
            job.calls, job.state = current, _State.WAITING
            job.text = self._sentence(current, follows=job.follows)
            self._pump_again = True  # prepared again, without the stale calls
            return
        if job.follows and self._ended_at is not None and (
                self._clock() - self._ended_at > FOLLOW_GAP_SECONDS):
            # The hall has gone quiet since: the chime and the full sentence, after all.
            log.info("%s no longer follows a call just said: prepared again", job.id)
            self._forget_audio(job)
            job.follows, job.state = False, _State.WAITING
            job.text = self._sentence(job.calls)
            self._pump_again = True
            return
        self._jobs.popleft()
        self._playing = job
        self.chimed = not job.follows or job.wav is None
        log.info("announcing %s", job.id)
        for call in job.calls:
            self.started.emit(call.id, job.text)
        if job.wav is None:
            NullAudioPlayer().play(Path(), partial(self._on_played, job))
        else:
            self._player.play(job.wav, partial(self._on_played, job))

    def _on_prepared(self, job: _Job, prepared: _Prepared) -> None:
        self._preparing = None
        job.state = _State.READY
        job.wav, job.again = prepared.wav, prepared.again
        if self.announcement.keep_up and job in self._jobs and any(
                j.state is _State.WAITING for j in self._jobs if j is not job):
            # Calls came while it was being prepared: it is prepared again, with them.
            self._forget_audio(job)
            job.state = _State.WAITING
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
        again, job.again = job.again, None
        if job.wav is not None:
            with contextlib.suppress(OSError):
                job.wav.unlink(missing_ok=True)
        if again is not None and problem is None and not self._jobs and not self._closed \
                and all(self.still_called(c.number, c.counter.number) for c in job.calls):
            job.wav = again  # a lone call, and nobody waits: once more, as configured
            self._player.play(again, partial(self._on_played, job))
            return
        if again is not None:
            with contextlib.suppress(OSError):
                again.unlink(missing_ok=True)
        self._playing = None
        self._ended_at = self._clock()
        for call in job.calls:
            self.finished.emit(call.id)
        self._pump()
        if not self.busy and self._preparing is None:
            self.idle.emit()

    def _forget_audio(self, job: _Job) -> None:
        for wav in (job.wav, job.again):
            if wav is not None:
                with contextlib.suppress(OSError):
                    wav.unlink(missing_ok=True)
        job.wav = job.again = None

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
    *,
    separate_again: bool = False,
    once: bool = False,
    chime_first: bool = True,
) -> _Prepared:
    """Runs in the worker: the sentence to a WAV, then the announcement to one. With
    ``separate_again``, the repetitions go to a WAV of their own, to be said only when
    no other call waits by then. Without ``chime_first`` (a burst's continuation) the
    sentence alone — but the chime still, should the speech fail: a call is never
    silent."""
    speech_wav = stem.with_name(stem.name + "-speech.wav")
    out = stem.with_name(stem.name + ".wav")
    again: Path | None = None
    problem: str | None = None
    try:
        engine.synthesize(text, speech_wav)
    except SpeechError as error:
        problem = str(error)
    except Exception as error:  # a broken engine must not stop the chime
        log.exception("the speech engine failed unexpectedly")
        problem = f"{type(error).__name__}: {error}"
    split = separate_again and problem is None and announcement.repeat > 1
    try:
        build_announcement(
            chime or chime_path(),
            None if problem else speech_wav,
            1 if split or once else announcement.repeat,
            announcement.pause_seconds,
            out,
            chime_volume=volume,
            loudness_dbfs=announcement.loudness_dbfs,
            with_chime=chime_first or problem is not None,
        )
        if split:
            again = stem.with_name(stem.name + "-again.wav")
            build_repeat(speech_wav, announcement.pause_seconds, again,
                         times=announcement.repeat - 1,
                         loudness_dbfs=announcement.loudness_dbfs, volume=volume)
    finally:
        speech_wav.unlink(missing_ok=True)
    return _Prepared(out, again, problem)
