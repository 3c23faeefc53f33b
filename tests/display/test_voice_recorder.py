"""The guided recorder (issue 14, part 3): a staff member records each phrase the office
needs, from a prepared input standing in for the microphone (eSpeak NG's WAVs, said
too softly and with silence around them, one take only noise); the pack it leaves
passes `motcua voice check`, and an announcement from it has the expected length, no
clipping and the office's loudness."""

from __future__ import annotations

from array import array
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from display.voice_recorder import Recorder, RecorderWindow, WavMicrophone
from shared.core.config import load_office
from shared.core.office import Voice
from shared.voice.announcement_audio import read_mono16, write_mono16
from shared.voice.speech import EspeakNgSpeechEngine
from shared.voice.voice_pack import check, load_pack, needed, save_pack
from tests.shared.test_voice_pack import CONFIG, assert_announcement, needs_espeak


class Played:
    """The headset: which takes were played back."""

    def __init__(self) -> None:
        self.played: list[Path] = []

    def play(self, wav: Path, done: object) -> None:
        self.played.append(wav)

    def stop(self) -> None:
        pass


def said_softly(text: str, path: Path, engine: EspeakNgSpeechEngine) -> Path:
    """A take as a headset gives it: half a second of room before and after, softly."""
    engine.synthesize(text, path)
    rate, samples = read_mono16(path)
    room = array("h", (((i * 7919) % 61) - 30 for i in range(rate // 2)))  # faint hiss
    write_mono16(room + array("h", (s // 5 for s in samples)) + room, rate, path)
    return path


@needs_espeak
def test_a_pack_recorded_with_the_guide_passes_the_check_and_makes_the_call(
        qtbot: QtBot, tmp_path: Path) -> None:
    config = tmp_path / "office.toml"
    config.write_text(CONFIG, encoding="utf-8")
    office = load_office(config)
    phrases = [p.text for p in needed(office)]
    engine = EspeakNgSpeechEngine(Voice())
    takes = tmp_path / "takes"
    takes.mkdir()
    noise = takes / "noise.wav"
    write_mono16(array("h", bytes(2 * 22050)), 22050, noise)  # the microphone was muted
    recordings = [noise] + [said_softly(p, takes / f"{i}.wav", engine)
                            for i, p in enumerate(phrases)]
    headset = Played()
    folder = tmp_path / "giong-doc"
    recorder = Recorder(folder, office, WavMicrophone(recordings), headset,
                        name="Giọng chị Lan")
    window = RecorderWindow(recorder)
    qtbot.addWidget(window)
    window.show()
    assert window.phrase.text() == "xin mời công dân có số thứ tự"
    assert window.progress.text().startswith(f"Cụm từ 1/{len(phrases)}")

    QTest.keyClick(window, Qt.Key.Key_Space)  # record …
    assert window.record.text() == "● Đang ghi — dừng (Space)"
    QTest.keyClick(window, Qt.Key.Key_Space)  # … stop: nothing was heard
    assert "không nghe thấy gì" in window.status.text()
    QTest.keyClick(window, Qt.Key.Key_Return)  # not kept
    assert window.phrase.text() == "xin mời công dân có số thứ tự"
    for _ in phrases:
        QTest.keyClick(window, Qt.Key.Key_Space)
        QTest.keyClick(window, Qt.Key.Key_Space)
        assert recorder.problems == [], recorder.message
        QTest.keyClick(window, Qt.Key.Key_Return)
    assert recorder.finished
    assert window.phrase.text() == "Đã ghi xong"
    assert len(headset.played) == len(phrases) + 1  # each take heard back at once

    pack = load_pack(folder)
    assert pack.name == "Giọng chị Lan"
    result = check(pack, office)
    assert (result.missing, result.faulty) == ([], {})
    assert_announcement(folder, config, tmp_path)

    # Opened again, the recorder asks only for what is missing: nothing.
    again = Recorder(folder, office, WavMicrophone([]), headset)
    assert again.finished


def test_without_a_microphone_or_a_take_it_says_so_plainly(qtbot: QtBot,
                                                           tmp_path: Path) -> None:
    office = load_office()
    recorder = Recorder(tmp_path / "pack", office, WavMicrophone([]), Played())
    window = RecorderWindow(recorder)
    qtbot.addWidget(window)
    QTest.keyClick(window, Qt.Key.Key_Space)
    assert not recorder.recording
    assert window.status.text() == ("Hết các bản ghi đã chuẩn bị. / No more prepared "
                                    "recordings.")
    QTest.keyClick(window, Qt.Key.Key_Right)  # skipped: it will be synthesised
    assert recorder.index == 1
    assert recorder.kept == {}


def test_a_take_cut_off_at_full_scale_is_refused_before_levelling(qtbot: QtBot,
                                                                   tmp_path: Path) -> None:
    loud = tmp_path / "loud.wav"
    write_mono16(array("h", (32767 if (i // 20) % 2 else -32768 for i in range(11025))),
                 22050, loud)
    recorder = Recorder(tmp_path / "pack", load_office(), WavMicrophone([loud]), Played())
    window = RecorderWindow(recorder)
    qtbot.addWidget(window)
    QTest.keyClick(window, Qt.Key.Key_Space)
    QTest.keyClick(window, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier)
    assert recorder.problems == ["bị rè (chạm mức tối đa; ghi lại nhỏ hơn)"]
    QTest.keyClick(window, Qt.Key.Key_Return)
    assert recorder.kept == {}  # not kept


def test_recording_into_a_pack_made_by_hand_keeps_its_clips(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    (folder / "clips").mkdir(parents=True)
    write_mono16(array("h", (8000 if (i // 20) % 2 else -8000 for i in range(11025))), 22050,
                 folder / "clips" / "k.wav")
    save_pack(folder, "Tay", {"không": "clips/k.wav"})
    recorder = Recorder(folder, load_office(), WavMicrophone([folder / "clips" / "k.wav"]),
                        Played())
    assert recorder.kept == {"không": "clips/k.wav"}
    recorder.toggle()
    recorder.toggle()
    recorder.keep()
    assert load_pack(folder).clips["không"] == folder / "clips" / "k.wav"
