"""Every call seen and heard, in order, exactly once: the display against the real server."""

from __future__ import annotations

import dataclasses

import pytest
from pytestqt.qtbot import QtBot

from display import wording
from display.voice import make_announcer
from shared.core.office import Display, Office, Voice
from shared.qt.background import ThreadPoolRunner
from shared.voice.announcement_audio import wav_duration
from shared.voice.announcer import NO_SPEECH_STATUS
from shared.voice.chime import chime_path
from shared.voice.speech import EspeakNgSpeechEngine, find_espeak_ng
from tests.conftest import ThreadedServer
from tests.display.conftest import WAIT, HeldSpeaker, MakeDisplay, act, issue


def test_three_quick_calls_are_shown_and_said_in_order_once_each_never_overlapping(
    qtbot: QtBot, server_thread: ThreadedServer, make_display: MakeDisplay, office: Office
) -> None:
    if find_espeak_ng() is None:
        pytest.skip("eSpeak NG is not installed")
    speaker = HeldSpeaker()
    rig = make_display(engine=EspeakNgSpeechEngine(office.voice), player=speaker,
                       runner=ThreadPoolRunner())
    issue(server_thread, "A", "A", "C")
    # Three officials press "call next" within the same moment.
    for counter in (1, 2, 3):
        act(server_thread, counter)

    expected = ["1-call-A001-1", "2-call-A002-2", "3-call-C001-3"]
    qtbot.waitUntil(lambda: len(rig.heard.of("queued")) == 3, timeout=WAIT)
    assert rig.heard.of("queued") == expected
    assert rig.window.call_panel.shown() == ("MỜI SỐ", "C001", "đến", "Quầy 3")
    assert rig.window.recent.shown() == [("A002", "Quầy 2"), ("A001", "Quầy 1")]
    assert rig.window.board.shown()[:3] == [("Quầy 1", "A001"), ("Quầy 2", "A002"),
                                            ("Quầy 3", "C001")]

    # Said in order, each once, one announcement at a time (HeldSpeaker refuses two):
    # the calls that waited behind the first may be said together, in one sentence.
    while len(rig.heard.of("finished")) < 3:
        qtbot.waitUntil(lambda: speaker.playing, timeout=WAIT)
        speaker.finish()
    started = [job for kind, job in rig.heard.log if kind == "started"]
    finished = [job for kind, job in rig.heard.log if kind == "finished"]
    assert started == finished == expected
    # A burst is said once each: no repetition while others wait, so at most three
    # announcements, each the chime and at least one sentence.
    assert len(speaker.durations) <= 3
    assert all(d > wav_duration(chime_path()) + 1.5 for d in speaker.durations)
    assert not rig.announcer.busy


def test_a_recall_is_announced_again_and_highlighted_again(
    qtbot: QtBot, server_thread: ThreadedServer, make_display: MakeDisplay, office: Office
) -> None:
    quick = dataclasses.replace(office, display=Display(highlight_seconds=0.3))
    rig = make_display(office=quick)
    lit: list[tuple[int | None, str]] = []  # at each live call: the amber counter, the caption
    rig.controller.call_received.connect(
        lambda call: lit.append((rig.window.board.lit(), rig.window.call_panel.shown()[0])))
    issue(server_thread, "B")
    act(server_thread, 2)
    qtbot.waitUntil(lambda: rig.heard.of("finished") == ["1-call-B001-2"], timeout=WAIT)
    assert lit == [(2, "MỜI SỐ")]
    qtbot.waitUntil(lambda: not rig.controller.highlighted, timeout=WAIT)
    assert rig.window.board.lit() is None

    act(server_thread, 2, "recall")
    qtbot.waitUntil(lambda: len(rig.heard.of("finished")) == 2, timeout=WAIT)
    assert rig.heard.of("queued") == ["1-call-B001-2", "2-recall-B001-2"]
    assert lit == [(2, "MỜI SỐ"), (2, "MỜI LẠI SỐ")]
    assert rig.window.call_panel.shown() == ("MỜI LẠI SỐ", "B001", "đến", "Quầy 2")
    newest = rig.controller.hall.newest
    assert newest is not None
    assert wording.call_sentence(newest) == "Mời lại số B001 — đến Quầy 2"


def test_a_display_started_after_the_calls_shows_the_hall_as_it_is_and_says_nothing(
    qtbot: QtBot, server_thread: ThreadedServer, make_display: MakeDisplay
) -> None:
    issue(server_thread, "A", "B", "C", "A", "E")
    for counter in (1, 2, 3, 1):
        act(server_thread, counter)
    act(server_thread, 4, "pause")

    rig = make_display()

    assert rig.window.board.shown() == [("Quầy 1", "A002"), ("Quầy 2", "B001"),
                                        ("Quầy 3", "C001"), ("Quầy 4", "Tạm dừng")]
    assert rig.window.call_panel.shown() == ("MỜI SỐ", "A002", "đến", "Quầy 1")
    assert rig.window.recent.shown() == [("C001", "Quầy 3"), ("B001", "Quầy 2"),
                                         ("A001", "Quầy 1")]
    assert dict(rig.window.waiting.shown())["Lao động – Thương binh – Xã hội"] == "1"
    # A snapshot shows the state; it is not a call: nothing is highlighted or said.
    assert not rig.controller.highlighted
    assert rig.heard.log == []


def test_the_panels_follow_the_counters_as_they_work(
    qtbot: QtBot, server_thread: ThreadedServer, make_display: MakeDisplay
) -> None:
    rig = make_display()

    def waiting() -> dict[str, str]:
        return dict(rig.window.waiting.shown())

    assert waiting()["Tư pháp – Hộ tịch"] == "0"
    issue(server_thread, "A", "A")
    qtbot.waitUntil(lambda: waiting()["Tư pháp – Hộ tịch"] == "2", timeout=WAIT)
    act(server_thread, 1)
    qtbot.waitUntil(lambda: ("Quầy 1", "A001") in rig.window.board.shown(), timeout=WAIT)
    assert waiting()["Tư pháp – Hộ tịch"] == "1"
    act(server_thread, 1, "done")
    qtbot.waitUntil(lambda: ("Quầy 1", "—") in rig.window.board.shown(), timeout=WAIT)
    act(server_thread, 1, "pause")
    qtbot.waitUntil(lambda: ("Quầy 1", "Tạm dừng") in rig.window.board.shown(), timeout=WAIT)
    # The last call stays on the big panel after the citizen was served.
    assert rig.window.call_panel.shown()[1] == "A001"


def test_without_a_speech_engine_the_call_is_the_chime_alone_and_the_screen_says_so(
    qtbot: QtBot, server_thread: ThreadedServer, make_display: MakeDisplay
) -> None:
    speaker = HeldSpeaker()
    rig = make_display(player=speaker)  # NullSpeechEngine: no voice on this machine
    assert not rig.window.sound_status.isVisible()
    issue(server_thread, "D")
    act(server_thread, 3)
    qtbot.waitUntil(lambda: speaker.playing, timeout=WAIT)
    assert speaker.durations == [pytest.approx(wav_duration(chime_path()), abs=0.01)]
    assert rig.window.sound_status.isVisible()
    assert NO_SPEECH_STATUS in rig.window.sound_status.text()
    assert rig.window.call_panel.shown()[1] == "D001"
    speaker.finish()
    assert rig.heard.of("finished") == ["1-call-D001-3"]


@pytest.mark.parametrize("how", ["config", "--no-voice"])
def test_a_display_with_voice_off_shows_every_call_and_says_none(
    qtbot: QtBot, server_thread: ThreadedServer, make_display: MakeDisplay, office: Office,
    how: str,
) -> None:
    if how == "config":
        office = dataclasses.replace(office, voice=Voice(enabled=False))
        announcer = make_announcer(office)
    else:
        announcer = make_announcer(office, voice=False)
    rig = make_display(office=office, announcer=announcer)
    issue(server_thread, "A", "B")
    act(server_thread, 1)
    act(server_thread, 2)
    qtbot.waitUntil(lambda: rig.window.call_panel.shown()[1:2] == ("B001",), timeout=WAIT)
    assert rig.window.board.shown()[:2] == [("Quầy 1", "A001"), ("Quầy 2", "B001")]
    assert rig.heard.log == []
    assert not rig.announcer.enabled
    assert not rig.window.sound_status.isVisible()


def test_one_display_per_hall_speaks_and_another_takes_over(
    qtbot: QtBot, server_thread: ThreadedServer, make_display: MakeDisplay
) -> None:
    # Issue 14: a hall with two TVs had to start all but one with --no-voice by hand.
    first, second = make_display(), make_display()
    qtbot.waitUntil(lambda: second.program.controller.speaker is not None, timeout=WAIT)
    assert first.program.controller.speaks_here
    assert not second.program.controller.speaks_here
    assert second.program.controller.voice_status == "Màn hình khác trong sảnh đang đọc số"
    issue(server_thread, "A", "A")
    act(server_thread, 1)
    qtbot.waitUntil(lambda: first.heard.of("finished") == ["1-call-A001-1"], timeout=WAIT)
    qtbot.waitUntil(lambda: second.window.call_panel.shown()[1] == "A001", timeout=WAIT)
    assert second.heard.of("queued") == []  # shown on both, said by one

    first.program.connection.close()  # the speaking TV goes away: the other takes over
    qtbot.waitUntil(lambda: second.program.controller.speaks_here, timeout=WAIT)
    assert second.program.controller.voice_status == ""
    act(server_thread, 2)
    qtbot.waitUntil(lambda: second.heard.of("finished") == ["1-call-A002-2"], timeout=WAIT)
