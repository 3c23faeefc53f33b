"""The announcer's queue, watched through its own signals.

Most tests run the work synchronously and play through a player the test controls,
so that the order of events is exact; one runs the real background runner with the
real eSpeak NG engine. There is no sound card here: QtAudioPlayer is still run
(FFmpeg plays to no device in real time), and the announcer's own choice falls
back to the null player with a status.
"""

from __future__ import annotations

import dataclasses
import threading
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtMultimedia import QMediaDevices
from pytestqt.qtbot import QtBot

from shared.core.config import load_office
from shared.core.office import Counter, Office, Voice
from shared.qt.background import SynchronousRunner, ThreadPoolRunner
from shared.voice.announcement_audio import wav_duration
from shared.voice.announcer import AUDIO_ERROR_STATUS, NO_SPEECH_STATUS, Announcer
from shared.voice.audio_player import (
    NO_DEVICE_STATUS,
    NullAudioPlayer,
    QtAudioPlayer,
    default_player,
)
from shared.voice.chime import CHIME_FILE, DURATION_SECONDS, chime_path
from shared.voice.speech import NullSpeechEngine, SpeechError, default_speech_engine

TONE_SECONDS = 0.4


@pytest.fixture(scope="module")
def office() -> Office:
    return load_office(None)


def counter(office: Office, number: int) -> Counter:
    found = office.counter(number)
    assert found is not None
    return found


class ToneSpeech:
    """A speech engine that writes a short silent WAV and remembers what it said."""

    def __init__(self, fail_first: int = 0) -> None:
        self.said: list[str] = []
        self.fail_first = fail_first

    def synthesize(self, text: str, wav_path: Path) -> None:
        if self.fail_first:
            self.fail_first -= 1
            raise SpeechError("engine broken for now")
        self.said.append(text)
        with wave.open(str(wav_path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(22050)
            wav.writeframes(bytes(2 * round(TONE_SECONDS * 22050)))


class HeldPlayer:
    """Plays nothing until the test says so; fails the test if asked to play twice at once."""

    def __init__(self) -> None:
        self.played: list[tuple[Path, float]] = []  # each WAV and its length when played
        self._done: Callable[[str | None], None] | None = None

    @property
    def playing(self) -> bool:
        return self._done is not None

    def play(self, wav: Path, done: Callable[[str | None], None]) -> None:
        assert self._done is None, "asked to play while another announcement plays"
        self.played.append((wav, wav_duration(wav)))
        self._done = done

    def end(self, problem: str | None = None) -> None:
        done, self._done = self._done, None
        assert done is not None, "nothing is playing"
        done(problem)


class Recorder:
    """Every signal of an announcer, in the order they came."""

    def __init__(self, announcer: Announcer) -> None:
        self.events: list[tuple[str, ...]] = []
        announcer.queued.connect(lambda job, text: self.events.append(("queued", job, text)))
        announcer.started.connect(lambda job, text: self.events.append(("started", job, text)))
        announcer.finished.connect(lambda job: self.events.append(("finished", job)))
        announcer.status_changed.connect(lambda message: self.events.append(("status", message)))
        announcer.idle.connect(lambda: self.events.append(("idle",)))

    def of(self, kind: str) -> list[tuple[str, ...]]:
        return [event for event in self.events if event[0] == kind]


_made: list[Announcer] = []


@pytest.fixture(autouse=True)
def _close_announcers() -> Iterator[None]:
    # As a display does when it quits: no synthesis left running, no WAV left behind.
    yield
    while _made:
        _made.pop().close()


def make(
    office: Office,
    engine: object,
    player: object | None,
    *,
    voice: Voice | None = None,
    runner: object | None = None,
    chime: Path | None = None,
    keep_up: bool = False,
    still_called: Callable[[str, int], bool] | None = None,
    clock: Callable[[], float] | None = None,
) -> Announcer:
    """An announcer of ``office``; by default the plain queue (``keep_up`` off), each
    call said alone and as often as configured."""
    announcer = Announcer(
        dataclasses.replace(office.announcement, keep_up=keep_up),
        voice or office.voice,
        engine,  # type: ignore[arg-type]
        player=player,  # type: ignore[arg-type]
        runner=runner or SynchronousRunner(),  # type: ignore[arg-type]
        chime=chime,
        still_called=still_called,
        **({"clock": clock} if clock is not None else {}),
    )
    _made.append(announcer)
    return announcer


def assert_one_at_a_time(events: list[tuple[str, ...]]) -> None:
    playing: str | None = None
    for event in events:
        if event[0] == "started":
            assert playing is None, f"{event[1]} started while {playing} played"
            playing = event[1]
        elif event[0] == "finished":
            assert playing == event[1]
            playing = None


def test_three_quick_calls_are_announced_in_order_once_each(office: Office, qtbot: QtBot) -> None:
    speech = ToneSpeech()
    announcer = make(office, speech, NullAudioPlayer())
    record = Recorder(announcer)
    with qtbot.waitSignal(announcer.idle, timeout=5000):
        ids = [
            announcer.announce("A023", counter(office, 3)),
            announcer.announce("B001", counter(office, 1)),
            announcer.announce("A024", counter(office, 2)),
        ]
    assert len(set(ids)) == 3
    assert [e[1] for e in record.of("queued")] == ids
    assert [e[1] for e in record.of("started")] == ids
    assert [e[1] for e in record.of("finished")] == ids
    assert record.events[-1] == ("idle",)
    assert len(record.of("idle")) == 1
    assert_one_at_a_time(record.events)
    texts = [e[2] for e in record.of("started")]
    assert texts[0] == "Xin mời công dân có số thứ tự a không hai ba đến quầy số ba"
    assert "bê không không một" in texts[1]
    assert speech.said == texts
    assert announcer.status == ""
    assert record.of("status") == []


def test_the_next_call_starts_only_when_the_previous_one_ended(
    office: Office, qtbot: QtBot
) -> None:
    player = HeldPlayer()
    speech = ToneSpeech()
    announcer = make(office, speech, player)
    record = Recorder(announcer)
    first = announcer.announce("A023", counter(office, 3))
    second = announcer.announce("A024", counter(office, 1))
    assert [e[1] for e in record.of("started")] == [first]
    assert len(player.played) == 1
    assert len(speech.said) == 2  # the next call is prepared while this one plays

    player.end()
    assert [e[1] for e in record.of("finished")] == [first]
    assert [e[1] for e in record.of("started")] == [first, second]
    third = announcer.announce("A025", counter(office, 2))  # called while one plays
    player.end()
    player.end()
    assert [e[1] for e in record.of("finished")] == [first, second, third]
    assert not player.playing
    assert_one_at_a_time(record.events)
    # Each announcement is the chime, then the sentence twice with a pause.
    expected = DURATION_SECONDS + 2 * TONE_SECONDS + office.announcement.pause_seconds
    assert [round(seconds, 3) for _, seconds in player.played] == [round(expected, 3)] * 3
    assert record.of("idle") == [("idle",)]


def test_a_recall_is_announced_again(office: Office, qtbot: QtBot) -> None:
    speech = ToneSpeech()
    announcer = make(office, speech, NullAudioPlayer())
    record = Recorder(announcer)
    with qtbot.waitSignal(announcer.idle, timeout=5000):
        call = announcer.announce("A023", counter(office, 3))
        recall = announcer.announce("A023", counter(office, 3), recall=True)
    assert call != recall
    assert [e[1] for e in record.of("finished")] == [call, recall]
    assert len(speech.said) == 2
    assert speech.said[0] == speech.said[1]


def test_a_playback_error_does_not_stop_the_queue(office: Office, qtbot: QtBot) -> None:
    player = HeldPlayer()
    announcer = make(office, ToneSpeech(), player)
    record = Recorder(announcer)
    first = announcer.announce("A023", counter(office, 3))
    second = announcer.announce("A024", counter(office, 3))
    player.end("the sound device went away")
    player.end()
    assert [e[1] for e in record.of("finished")] == [first, second]


def test_without_speech_the_chime_plays_and_the_status_says_so(
    office: Office, qtbot: QtBot
) -> None:
    player = HeldPlayer()
    announcer = make(office, NullSpeechEngine(), player)
    record = Recorder(announcer)
    ids = [announcer.announce(n, counter(office, 2)) for n in ("A001", "A002", "A003")]
    for _ in ids:
        player.end()
    assert [e[1] for e in record.of("finished")] == ids
    assert [seconds for _, seconds in player.played] == pytest.approx([DURATION_SECONDS] * 3)
    assert record.of("status") == [("status", NO_SPEECH_STATUS)]  # said once, not per call
    assert announcer.status == NO_SPEECH_STATUS


def test_when_speech_comes_back_the_status_clears(office: Office, qtbot: QtBot) -> None:
    announcer = make(office, ToneSpeech(fail_first=1), NullAudioPlayer())
    record = Recorder(announcer)
    with qtbot.waitSignal(announcer.idle, timeout=5000):
        announcer.announce("A001", counter(office, 1))
        announcer.announce("A002", counter(office, 1))
    assert record.of("status") == [("status", NO_SPEECH_STATUS), ("status", "")]
    assert announcer.status == ""


def test_a_call_whose_sound_cannot_be_made_still_takes_its_turn(
    office: Office, qtbot: QtBot, tmp_path: Path
) -> None:
    announcer = make(office, ToneSpeech(), NullAudioPlayer(), chime=tmp_path / "no-chime.wav")
    record = Recorder(announcer)
    with qtbot.waitSignal(announcer.idle, timeout=5000):
        first = announcer.announce("A001", counter(office, 1))
        second = announcer.announce("A002", counter(office, 1))
    assert [e[1] for e in record.of("finished")] == [first, second]
    assert announcer.status == AUDIO_ERROR_STATUS


def test_with_voice_disabled_nothing_is_announced(office: Office, qtbot: QtBot) -> None:
    speech = ToneSpeech()
    player = HeldPlayer()
    announcer = make(office, speech, player, voice=Voice(enabled=False))
    record = Recorder(announcer)
    assert announcer.announce("A023", counter(office, 3)) is None
    assert announcer.announce("A023", counter(office, 3), recall=True) is None
    QCoreApplication.processEvents()
    assert record.events == []
    assert speech.said == []
    assert player.played == []
    assert not announcer.busy


def test_a_closed_announcer_takes_no_more_calls(office: Office, qtbot: QtBot) -> None:
    player = HeldPlayer()
    announcer = make(office, ToneSpeech(), player)
    announcer.announce("A001", counter(office, 1))
    announcer.close()
    assert announcer.announce("A002", counter(office, 1)) is None
    assert len(player.played) == 1


def test_the_background_runner_delivers_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = ThreadPoolRunner()
    gui = threading.get_ident()
    seen: dict[str, int] = {}
    outcomes: list[object] = []

    def work() -> int:
        seen["work"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen["done"] = threading.get_ident()
        outcomes.append(value)

    def broken() -> int:
        raise SpeechError("no")

    runner.run(work, done, outcomes.append)
    runner.run(broken, done, outcomes.append)
    qtbot.waitUntil(lambda: len(outcomes) == 2, timeout=5000)
    assert seen["work"] != gui
    assert seen["done"] == gui
    assert outcomes[0] == 42
    assert isinstance(outcomes[1], SpeechError)
    assert runner.wait(5000)


def test_real_speech_in_the_background(office: Office, qtbot: QtBot) -> None:
    played: list[float] = []

    class MeasuringPlayer(NullAudioPlayer):
        def play(self, wav: Path, done: Callable[[str | None], None]) -> None:
            played.append(wav_duration(wav))
            super().play(wav, done)

    announcer = make(
        office, default_speech_engine(office.voice), MeasuringPlayer(), runner=ThreadPoolRunner()
    )
    record = Recorder(announcer)
    with qtbot.waitSignal(announcer.idle, timeout=60000):
        ids = [announcer.announce(n, counter(office, 3)) for n in ("A023", "A024", "A025")]
        assert record.of("started") == []  # the GUI thread did not wait for speech
    assert [e[1] for e in record.of("finished")] == ids
    assert_one_at_a_time(record.events)
    assert announcer.status == ""
    repeat, pause = office.announcement.repeat, office.announcement.pause_seconds
    shortest = DURATION_SECONDS + repeat * 2.0 + (repeat - 1) * pause  # a sentence: 2–8 s
    longest = DURATION_SECONDS + repeat * 8.0 + (repeat - 1) * pause
    assert len(played) == 3
    assert all(shortest < seconds < longest for seconds in played), played


# -- players ------------------------------------------------------------------------------


def test_the_default_player_matches_the_machine(qtbot: QtBot) -> None:
    player, status = default_player()
    if QMediaDevices.audioOutputs():
        assert isinstance(player, QtAudioPlayer)
        assert status == ""
    else:
        assert isinstance(player, NullAudioPlayer)
        assert status == NO_DEVICE_STATUS


def test_without_a_sound_device_the_announcer_says_so(office: Office, qtbot: QtBot) -> None:
    if QMediaDevices.audioOutputs():
        pytest.skip("this machine has a sound device")
    announcer = make(office, NullSpeechEngine(), None)
    assert announcer.status == NO_DEVICE_STATUS
    with qtbot.waitSignal(announcer.idle, timeout=5000):
        announcer.announce("A023", counter(office, 3))
    assert announcer.status == f"{NO_DEVICE_STATUS} · {NO_SPEECH_STATUS}"


def test_qt_player_plays_a_wav_to_the_end(qtbot: QtBot) -> None:
    player = QtAudioPlayer()
    outcome: list[str | None] = []
    player.play(CHIME_FILE, outcome.append)
    qtbot.waitUntil(lambda: bool(outcome), timeout=15000)
    assert outcome == [None]
    player.play(CHIME_FILE, outcome.append)  # ready for the next one
    qtbot.waitUntil(lambda: len(outcome) == 2, timeout=15000)
    assert outcome == [None, None]


def test_qt_player_reports_a_file_it_cannot_play(qtbot: QtBot, tmp_path: Path) -> None:
    player = QtAudioPlayer()
    outcome: list[str | None] = []
    player.play(tmp_path / "missing.wav", outcome.append)
    qtbot.waitUntil(lambda: bool(outcome), timeout=15000)
    assert outcome[0] is not None
    assert "missing.wav" in outcome[0]


# --- a voice that keeps up (issue 14) ----------------------------------------------------


class HeldRunner:
    """Prepares nothing until the test says so: a speech engine still busy."""

    def __init__(self) -> None:
        self.waiting: list[tuple[Callable[[], Any], Callable[[Any], None]]] = []

    def run(self, work: Callable[[], Any], done: Callable[[Any], None],
            failed: Callable[[Exception], None]) -> None:
        self.waiting.append((work, done))

    def release(self) -> None:
        work, done = self.waiting.pop(0)
        done(work())


def test_a_lone_call_is_said_as_configured_twice(office: Office, qtbot: QtBot) -> None:
    player = HeldPlayer()
    announcer = make(office, ToneSpeech(), player, keep_up=True)
    record = Recorder(announcer)
    job = announcer.announce("A023", counter(office, 3))
    player.end()  # chime and the sentence; nobody waits …
    assert player.playing  # … so the sentence once more
    player.end()
    assert [e[:2] for e in record.events if e[0] != "queued"] == [
        ("started", job), ("finished", job), ("idle",)]
    (_, first), (_, again) = player.played
    assert first == pytest.approx(wav_duration(chime_path()) + TONE_SECONDS, abs=0.01)
    assert again == pytest.approx(office.announcement.pause_seconds + TONE_SECONDS, abs=0.01)


def test_a_burst_of_calls_is_said_once_each_in_one_sentence(office: Office, qtbot: QtBot) -> None:
    player, runner = HeldPlayer(), HeldRunner()
    announcer = make(office, ToneSpeech(), player, runner=runner, keep_up=True)
    record = Recorder(announcer)
    # Four officials press "call next" within a second or two, at opening time.
    first = announcer.announce("A023", counter(office, 3))
    runner.release()  # the first is ready and plays at once
    assert player.playing
    others = [announcer.announce("A024", counter(office, 1)),
              announcer.announce("A025", counter(office, 2)),
              announcer.announce("B001", counter(office, 4))]
    runner.release()  # the second was being prepared alone: it is prepared again …
    runner.release()  # … with the two that came meanwhile, in one sentence
    player.end()  # the first is not said again: three citizens wait for their number
    assert player.playing
    [(_, _, text)] = [e for e in record.of("started") if e[1] == others[0]]
    # It follows the first at once: the hall is listening, so neither the chime nor
    # "Xin mời công dân có số thứ tự" again — the fourth citizen hears their number sooner.
    assert text == ("Số a không hai bốn đến quầy một, "
                    "số a không hai năm đến quầy hai, số bê không không một đến quầy bốn")
    assert not announcer.chimed
    player.end()
    started = [e[1] for e in record.of("started")]
    assert started == [first, *others]
    assert [e[1] for e in record.of("finished")] == [first, *others]
    # Two announcements for four calls, one chime; never two at once (HeldPlayer).
    (_, opening), (_, following) = player.played
    assert opening == pytest.approx(wav_duration(chime_path()) + TONE_SECONDS, abs=0.01)
    assert following == pytest.approx(TONE_SECONDS, abs=0.01)


def test_a_call_no_longer_current_is_never_said(office: Office, qtbot: QtBot) -> None:
    # A024 was marked absent (or done, or transferred) before its turn came.
    gone = {("A024", 1)}
    player = HeldPlayer()
    announcer = make(office, ToneSpeech(), player, keep_up=True,
                     still_called=lambda number, at: (number, at) not in gone)
    record = Recorder(announcer)
    first = announcer.announce("A023", counter(office, 3))
    stale = announcer.announce("A024", counter(office, 1))
    last = announcer.announce("A025", counter(office, 2))
    player.end()
    player.end()
    assert [e[1] for e in record.of("started")] == [first, last]
    assert stale in [e[1] for e in record.of("finished")]
    assert all(stale not in e[2] for e in record.of("started") if len(e) > 2)


def test_a_recall_waiting_with_its_own_call_is_said_once(office: Office, qtbot: QtBot) -> None:
    player, runner = HeldPlayer(), HeldRunner()
    announcer = make(office, ToneSpeech(), player, runner=runner, keep_up=True)
    record = Recorder(announcer)
    announcer.announce("A023", counter(office, 3))
    runner.release()
    call = announcer.announce("A024", counter(office, 1))
    recall = announcer.announce("A024", counter(office, 1), recall=True)
    runner.release()
    runner.release()
    player.end()
    player.end()
    [(_, _, text)] = [e for e in record.of("started") if e[1] == call]
    assert text.count("a không hai bốn") == 1
    assert recall in [e[1] for e in record.of("finished")]
    assert recall not in [e[1] for e in record.of("started")]


def test_a_call_ready_only_after_the_hall_went_quiet_gets_its_chime(
        office: Office, qtbot: QtBot) -> None:
    player, runner = HeldPlayer(), HeldRunner()
    now = [100.0]
    announcer = make(office, ToneSpeech(), player, runner=runner, keep_up=True,
                     clock=lambda: now[0])
    record = Recorder(announcer)
    announcer.announce("A023", counter(office, 3))
    runner.release()  # the first plays …
    second = announcer.announce("A024", counter(office, 1))  # … prepared as its follower
    player.end()  # the first ends before the second is ready
    now[0] += 5  # the speech engine was slow: the hall is quiet by then
    runner.release()  # ready as a follower: prepared again, whole
    runner.release()
    assert player.playing
    [(_, _, text)] = [e for e in record.of("started") if e[1] == second]
    assert text.startswith("Xin mời công dân có số thứ tự a không hai bốn")
    assert announcer.chimed
