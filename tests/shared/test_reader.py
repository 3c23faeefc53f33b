"""The screen reader's one rule: only what is on the screen now is read. A new text
stops the one playing, a text prepared for a screen already left is never played,
and a speech engine that fails leaves a status in plain words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from shared.voice.reader import NO_VOICE_STATUS, Reader
from shared.voice.speech import SpeechError


class HeldPlayer:
    """Plays until stopped, as a long sentence would."""

    def __init__(self) -> None:
        self.done: Callable[[str | None], None] | None = None
        self.stops = 0

    def play(self, wav: Path, done: Callable[[str | None], None]) -> None:
        self.done = done

    def stop(self) -> None:
        self.stops += 1
        done, self.done = self.done, None
        if done is not None:
            done("stopped")


class LaterRunner:
    """Background work that runs when the test says so."""

    def __init__(self) -> None:
        self.work: list[tuple[Callable[[], Any], Callable[[Any], None],
                              Callable[[Exception], None]]] = []

    def run(self, work: Callable[[], Any], done: Callable[[Any], None],
            failed: Callable[[Exception], None]) -> None:
        self.work.append((work, done, failed))

    def finish_all(self) -> None:
        for work, done, failed in self.work:
            try:
                result = work()
            except Exception as problem:
                failed(problem)
            else:
                done(result)
        self.work.clear()


class WavEngine:
    def synthesize(self, text: str, wav_path: Path) -> None:
        wav_path.write_bytes(b"RIFF")


def reader(qtbot: QtBot, player: HeldPlayer, runner: LaterRunner,
           engine: Any = None) -> tuple[Reader, list[str]]:
    made = Reader(lambda language: engine or WavEngine(), player=player, runner=runner)
    started: list[str] = []
    made.started.connect(started.append)
    return made, started


def test_a_new_screen_stops_the_old_one_and_a_left_screen_is_never_read(
    qtbot: QtBot,
) -> None:
    player, runner = HeldPlayer(), LaterRunner()
    voice, started = reader(qtbot, player, runner)

    voice.say("Mời chọn lĩnh vực")
    runner.finish_all()
    assert started == ["Mời chọn lĩnh vực"]

    voice.say("Mời chọn dịch vụ")  # the citizen moved on while it was read
    assert player.stops == 1
    voice.say("Số thứ tự của bạn là a không không một")
    runner.finish_all()
    assert started == ["Mời chọn lĩnh vực", "Số thứ tự của bạn là a không không một"]

    voice.stop()
    assert player.stops == 2
    voice.close()


def test_a_failing_voice_is_said_in_plain_words_and_the_next_success_clears_it(
    qtbot: QtBot,
) -> None:
    class Flaky:
        broken = True

        def synthesize(self, text: str, wav_path: Path) -> None:
            if self.broken:
                raise SpeechError("espeak-ng is not installed")
            wav_path.write_bytes(b"RIFF")

    engine, player, runner = Flaky(), HeldPlayer(), LaterRunner()
    voice, started = reader(qtbot, player, runner, engine)
    voice.say("Mời chọn lĩnh vực")
    runner.finish_all()
    assert voice.status == NO_VOICE_STATUS
    assert started == []

    engine.broken = False  # the voice is back
    voice.say("Mời chọn dịch vụ")
    runner.finish_all()
    assert voice.status == ""
    assert started == ["Mời chọn dịch vụ"]
    voice.close()
