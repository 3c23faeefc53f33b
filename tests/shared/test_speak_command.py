"""``motcua speak NUMBER --counter N [--wav FILE]`` through ``shared.cli.speak_command.speak``,
with the real eSpeak NG engine: the WAV an IT person listens to."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from PySide6.QtMultimedia import QMediaDevices

from shared.cli.speak_command import _play_on_speakers, speak
from shared.core.config import load_office
from shared.core.office import Office
from shared.core.reading import announcement_text
from shared.voice.announcement_audio import peak_dbfs, read_mono16, wav_duration
from shared.voice.chime import CHIME_FILE, DURATION_SECONDS
from shared.voice.speech import NullSpeechEngine, default_speech_engine

MS = 0.001


@pytest.fixture(scope="module")
def office() -> Office:
    return load_office(None)


def test_wav_is_chime_then_the_sentence_repeated(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.wav"
    assert speak(office, "A023", 3, wav=out) == 0

    counter = office.counter(3)
    assert counter is not None
    sentence = announcement_text(office.announcement, "A023", counter)
    alone = tmp_path / "sentence.wav"
    default_speech_engine(office.voice).synthesize(sentence, alone)
    repeat, pause = office.announcement.repeat, office.announcement.pause_seconds
    expected = DURATION_SECONDS + repeat * wav_duration(alone) + (repeat - 1) * pause
    assert repeat == 2
    assert wav_duration(out) == pytest.approx(expected, abs=MS)
    with wave.open(str(out), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)

    printed = capsys.readouterr()
    assert sentence in printed.out
    assert f"{expected:.2f} giây (chuông + 2 × câu gọi)" in printed.out
    assert printed.err == ""


def test_without_speech_the_wav_is_the_chime_and_the_exit_status_says_so(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.wav"
    assert speak(office, "A023", 3, wav=out, engine=NullSpeechEngine()) == 1
    # the chime alone, at the announcement's level: its length, no peak at full scale
    assert wav_duration(out) == pytest.approx(wav_duration(CHIME_FILE), abs=MS)
    assert peak_dbfs(read_mono16(out)[1]) <= -1.0
    printed = capsys.readouterr()
    assert "không có giọng đọc (không có bộ tổng hợp giọng nói)" in printed.err
    assert "chỉ tiếng chuông" in printed.out
    assert "Traceback" not in printed.err


def test_an_unknown_counter_is_refused_plainly(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.wav"
    assert speak(office, "A023", 99, wav=out) == 2
    assert not out.exists()
    assert "Văn phòng không có quầy 99 (có: 1, 2, 3, 4)" in capsys.readouterr().err


def test_a_number_that_cannot_be_read_is_refused_plainly(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert speak(office, "A0x3", 3, wav=tmp_path / "out.wav") == 2
    assert "A0x3" in capsys.readouterr().err


def test_a_wav_that_cannot_be_written_is_refused_plainly(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert speak(office, "A023", 3, wav=tmp_path / "no" / "dir" / "out.wav") == 2
    assert "không ghi được" in capsys.readouterr().err


def test_without_a_sound_device_it_suggests_wav(
    office: Office, qapp: object, capsys: pytest.CaptureFixture[str]
) -> None:
    if QMediaDevices.audioOutputs():
        pytest.skip("this machine has a sound device")
    assert speak(office, "A023", 3, wav=None) == 2
    assert "--wav TỆP" in capsys.readouterr().err


def test_playing_on_the_speakers_waits_for_the_end(qapp: object) -> None:
    # FFmpeg plays to no device in real time, so this runs without a sound card too.
    assert _play_on_speakers(CHIME_FILE) == 0
