"""Spoken guidance at the kiosk (issue 16): on request, each screen is read aloud —
the question, every choice with its number key, going back, the help button — then
the ticket, its number read as the hall reads it; a number key chooses; the next
citizen starts silent. The sentences are checked where they enter the voice port,
and eSpeak NG turns them into real WAVs of speech."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.controller import Page
from kiosk.guidance import menu_words
from kiosk.screens import Menu, MenuItem
from kiosk.texts import VI
from shared.core.office import Voice
from shared.voice.announcement_audio import read_mono16, wav_duration
from shared.voice.reader import Reader
from shared.voice.speech import EspeakNgSpeechEngine
from tests.conftest import ThreadedServer
from tests.kiosk.conftest import WAIT, MakeKiosk, tap
from tests.kiosk.test_kiosk import ticket_on_screen

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="needs eSpeak NG (apt install espeak-ng)")


class HeardPlayer:
    """The kiosk's speaker, where there is none: what was played, and how long."""

    def __init__(self) -> None:
        self.played: list[tuple[float, int]] = []  # seconds, loudest sample
        self.stops = 0

    def play(self, wav: Path, done: Callable[[str | None], None]) -> None:
        _, samples = read_mono16(wav)
        self.played.append((wav_duration(wav), max(map(abs, samples), default=0)))
        done(None)

    def stop(self) -> None:
        self.stops += 1


class SaidEngine:
    """The speech port with eSpeak NG behind it, noting each sentence it is given."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self._espeak = EspeakNgSpeechEngine(Voice())

    def synthesize(self, text: str, wav_path: Path) -> None:
        self.said.append(text)
        self._espeak.synthesize(text, wav_path)


@needs_espeak
def test_each_screen_is_read_aloud_and_a_number_key_chooses(
    qtbot: QtBot, make_kiosk: MakeKiosk, server_thread: ThreadedServer, open_hall: object,
) -> None:
    engine, player = SaidEngine(), HeardPlayer()
    rig = make_kiosk(speech=lambda language: engine, player=player)
    switch = rig.window.header.read_aloud
    assert switch.text() == "Nghe đọc"

    tap(qtbot, switch)
    qtbot.waitUntil(lambda: len(player.played) == 1, timeout=WAIT)
    start = engine.said[0]
    assert start.startswith("Mời chọn lĩnh vực cần giải quyết.")
    assert "Số 1: Tư pháp – Chứng thực." in start
    assert "Số 4: Ưu tiên." in start  # the priority entry comes after the fields
    assert "Tôi cần hỗ trợ" in start
    assert "Số không: quay lại" not in start  # nowhere to go back to yet
    seconds, loudest = player.played[0]
    assert seconds > 5  # the whole screen said …
    assert loudest > 3000  # … as speech, not silence
    assert switch.text() == "Tắt đọc"

    QTest.keyClick(rig.window, Qt.Key.Key_1)  # the first field, as it was read
    qtbot.waitUntil(lambda: len(engine.said) == 2, timeout=WAIT)
    services = engine.said[1]
    assert services.startswith("Mời chọn dịch vụ.")
    assert "Số 2: Chứng thực." in services
    assert "Số không: quay lại." in services

    asked = spy_on(rig.reader)  # from here, every request to the voice, as it is made
    counts = rig.window.menu_page.buttons["service:B"].detail
    before = counts.text()
    server_thread.request("kiosk", "issue", service="B", client_id="kiosk-other")
    qtbot.waitUntil(lambda: counts.text() != before, timeout=WAIT)
    assert asked == []  # a queue that moves does not start the reading over

    QTest.keyClick(rig.window, Qt.Key.Key_2)
    number = ticket_on_screen(qtbot, rig)
    qtbot.waitUntil(lambda: engine.said[-1].startswith("Số thứ tự"), timeout=WAIT)
    assert len(asked) == 2  # "Đang cấp số…", then the ticket, once
    assert number.startswith("B")
    ticket = engine.said[-1]
    assert ticket.startswith("Số thứ tự của bạn là bê không không")  # B00…, as the hall says it
    assert "Chứng thực." in ticket

    rig.clock.advance(60)
    rig.controller.dismiss()  # the next citizen: silent, until they ask
    qtbot.waitUntil(lambda: rig.controller.page is Page.MENU, timeout=WAIT)
    rig.controller.choose("field:TP")
    assert len(asked) == 2
    assert switch.text() == "Nghe đọc"


def spy_on(reader: Reader) -> list[str]:
    """Each text ``reader`` is asked to say, noted when it is asked (the speech itself
    comes later, from a worker thread)."""
    asked: list[str] = []
    say = reader.say

    def noted(text: str, language: str = "vi") -> None:
        asked.append(text)
        say(text, language)

    reader.say = noted  # type: ignore[method-assign]
    return asked


def test_english_screens_are_read_in_english_and_switching_off_stops_the_voice(
    qtbot: QtBot, make_kiosk: MakeKiosk, open_hall: object,
) -> None:
    said: list[tuple[str, str]] = []

    class Noted:
        def __init__(self, language: str) -> None:
            self.language = language

        def synthesize(self, text: str, wav_path: Path) -> None:
            said.append((self.language, text))
            wav_path.write_bytes(b"")  # no sound: the player below plays nothing

    rig = make_kiosk(speech=Noted)
    asked = spy_on(rig.reader)
    rig.controller.toggle_language()
    QTest.keyClick(rig.window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: len(said) == 1, timeout=WAIT)
    language, text = said[0]
    assert language == "en"
    assert text.startswith("Please choose an area.")
    assert "1: Justice – Certification." in text

    QTest.keyClick(rig.window, Qt.Key.Key_F4)  # off: nothing more is read
    rig.controller.choose("field:TP")
    rig.controller.back()
    assert len(asked) == 1


def test_past_nine_choices_are_named_without_a_key_that_would_choose_another() -> None:
    items = tuple(MenuItem(f"service:{letter}", f"Dịch vụ {letter}", "Đang chờ: 0")
                  for letter in "ABCDEFGHIJK")
    words = menu_words(Menu("Mời chọn dịch vụ", items, None, True, ""), VI)
    assert "Số 9: Dịch vụ I. Đang chờ: 0." in words
    assert "Số 10" not in words
    assert "Dịch vụ J. Đang chờ: 0." in words  # still read, to be touched


def test_the_kiosk_guidance_never_speaks_from_the_halls_voice_pack(tmp_path: Path) -> None:
    from kiosk.voice_guide import speech_engines
    from shared.voice.voice_pack import VoicePackEngine, save_pack

    save_pack(tmp_path / "pack", "Giọng", {})  # a pack the display would use
    engines = speech_engines(Voice(pack=str(tmp_path / "pack")))
    assert not isinstance(engines("vi"), VoicePackEngine)  # its clips say calls' words only
    assert not isinstance(engines("en"), VoicePackEngine)
