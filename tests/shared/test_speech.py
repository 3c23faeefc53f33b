"""The speech port with the real engine: eSpeak NG's Vietnamese voice, checked as WAVs.

Real Vietnamese WAVs are checked for format and length. The failures an office can
meet — no engine, an unknown voice, an engine that hangs or writes nothing — are
made real: a missing program, a program that never ends, and for pyttsx3 a stand-in
``pyttsx3`` module first on the worker's import path.
"""

from __future__ import annotations

import shutil
import stat
import sys
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from shared.core.config import load_office
from shared.core.office import Voice
from shared.core.reading import announcement_text
from shared.voice.speech import (
    EspeakNgSpeechEngine,
    NullSpeechEngine,
    Pyttsx3SpeechEngine,
    SpeechError,
    choose_voice,
    default_speech_engine,
    trim_trailing_silence,
    wav_frames,
)

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="needs eSpeak NG (apt install espeak-ng)"
)


@pytest.fixture(scope="module")
def sentence() -> str:
    office = load_office(None)
    counter = office.counter(3)
    assert counter is not None
    return announcement_text(office.announcement, "A023", counter)


def seconds_of_sound(path: Path) -> float:
    """The WAV's length; fails if it is mono 16-bit at eSpeak NG's rate but silent."""
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / wav.getframerate()
    peak = max(
        abs(int.from_bytes(frames[i : i + 2], "little", signed=True))
        for i in range(0, len(frames), 2)
    )
    assert peak > 3000, "the WAV is (nearly) silent"
    return seconds


# -- eSpeak NG, the engine on Linux ---------------------------------------------------------


@needs_espeak
def test_the_machine_engine_is_espeak_ng_on_linux() -> None:
    if sys.platform == "win32":
        assert isinstance(default_speech_engine(Voice()), Pyttsx3SpeechEngine)
    else:
        assert isinstance(default_speech_engine(Voice()), EspeakNgSpeechEngine)


@needs_espeak
def test_a_vietnamese_sentence_becomes_a_mono_16_bit_wav(sentence: str, tmp_path: Path) -> None:
    out = tmp_path / "speech.wav"
    EspeakNgSpeechEngine(Voice()).synthesize(sentence, out)
    assert 2.0 < seconds_of_sound(out) < 8.0


@needs_espeak
def test_a_folder_that_does_not_exist_is_named_not_taken_for_silence(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "speech.wav"
    with pytest.raises(SpeechError, match=r"không ghi được .*thư mục không tồn tại"):
        EspeakNgSpeechEngine(Voice()).synthesize("Xin mời", out)


@needs_espeak
def test_the_rate_setting_changes_the_speed(sentence: str, tmp_path: Path) -> None:
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    EspeakNgSpeechEngine(Voice(rate=100)).synthesize(sentence, slow)
    EspeakNgSpeechEngine(Voice(rate=250)).synthesize(sentence, fast)
    assert seconds_of_sound(slow) > 1.8 * seconds_of_sound(fast)


@needs_espeak
def test_the_volume_setting_changes_the_level(tmp_path: Path) -> None:
    def peak(volume: float) -> int:
        out = tmp_path / f"{volume}.wav"
        EspeakNgSpeechEngine(Voice(volume=volume)).synthesize("Mời số một", out)
        with wave.open(str(out), "rb") as wav:
            data = wav.readframes(wav.getnframes())
        return max(abs(int.from_bytes(data[i : i + 2], "little", signed=True))
                   for i in range(0, len(data), 2))

    assert peak(0.5) < 0.7 * peak(1.0)


@needs_espeak
def test_the_same_sentence_always_has_the_same_length(sentence: str, tmp_path: Path) -> None:
    engine = EspeakNgSpeechEngine(Voice())
    lengths = set()
    for attempt in range(5):
        out = tmp_path / f"{attempt}.wav"
        engine.synthesize(sentence, out)
        lengths.add(wav_frames(out))
    assert len(lengths) == 1


@needs_espeak
def test_each_sentence_overwrites_the_file(tmp_path: Path) -> None:
    engine = EspeakNgSpeechEngine(Voice())
    short, out = tmp_path / "short.wav", tmp_path / "out.wav"
    engine.synthesize("Mời số một", short)
    engine.synthesize("Xin mời công dân có số thứ tự một trăm linh năm đến quầy số hai", out)
    assert wav_frames(out) > wav_frames(short) > 0
    engine.synthesize("Mời số một", out)
    assert out.read_bytes() == short.read_bytes()


@needs_espeak
def test_the_southern_voice_speaks_differently(sentence: str, tmp_path: Path) -> None:
    north, south = tmp_path / "north.wav", tmp_path / "south.wav"
    EspeakNgSpeechEngine(Voice(voice="vi")).synthesize(sentence, north)
    EspeakNgSpeechEngine(Voice(voice="vi-vn-x-south")).synthesize(sentence, south)
    assert seconds_of_sound(south) > 2.0
    assert north.read_bytes() != south.read_bytes()


@needs_espeak
def test_an_unknown_voice_is_a_speech_error(tmp_path: Path) -> None:
    with pytest.raises(SpeechError, match=r"voice does not exist.*'xx-nowhere'"):
        EspeakNgSpeechEngine(Voice(voice="xx-nowhere")).synthesize("xin chào", tmp_path / "x.wav")
    assert not (tmp_path / "x.wav").exists()


def test_an_empty_sentence_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpeechError, match="câu trống"):
        EspeakNgSpeechEngine(Voice(), program="/nonexistent").synthesize(" ", tmp_path / "x")


def test_a_missing_program_is_a_speech_error(tmp_path: Path) -> None:
    engine = EspeakNgSpeechEngine(Voice(), program=str(tmp_path / "espeak-ng"))
    with pytest.raises(SpeechError, match="không chạy được bộ tổng hợp giọng nói"):
        engine.synthesize("xin chào", tmp_path / "x.wav")


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script")
def test_a_hung_program_is_killed_after_the_time_limit(tmp_path: Path) -> None:
    program = tmp_path / "espeak-ng"
    program.write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    engine = EspeakNgSpeechEngine(Voice(), program=str(program), timeout_seconds=1)
    with pytest.raises(SpeechError, match="không đọc xong trong 1 giây"):
        engine.synthesize("xin chào", tmp_path / "x.wav")


def test_the_null_engine_always_fails(tmp_path: Path) -> None:
    with pytest.raises(SpeechError, match="không có bộ tổng hợp giọng nói"):
        NullSpeechEngine().synthesize("xin chào", tmp_path / "x.wav")


def test_trailing_silence_is_trimmed_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    samples = [0, 0, 500, -700, 0, 20, 900, 31, -12, 0, 0, 0]
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(22050)
        wav.writeframes(b"".join(s.to_bytes(2, "little", signed=True) for s in samples))
    assert trim_trailing_silence(path) == 7
    with wave.open(str(path), "rb") as wav:
        kept = wav.readframes(wav.getnframes())
    assert [int.from_bytes(kept[i : i + 2], "little", signed=True) for i in range(0, 14, 2)] == (
        samples[:7]
    )
    assert trim_trailing_silence(tmp_path / "missing.wav") == 0


# -- pyttsx3 (SAPI5 on Windows): the worker process and its failures -------------------------


def test_pyttsx3_knows_an_unknown_voice(tmp_path: Path) -> None:
    # Real pyttsx3: only its voice list is used before the voice is refused.
    with pytest.raises(SpeechError, match="không có giọng 'xx-nowhere'"):
        Pyttsx3SpeechEngine(Voice(voice="xx-nowhere")).synthesize("xin chào", tmp_path / "x.wav")


@pytest.fixture
def fake_pyttsx3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    folder = tmp_path / "fake"
    folder.mkdir()
    monkeypatch.setenv("PYTHONPATH", str(folder))

    def install(source: str) -> None:
        (folder / "pyttsx3.py").write_text(source, encoding="utf-8")

    return install


# An engine shaped like pyttsx3's; ``run`` is the body of its runAndWait.
FAKE_ENGINE = """
import threading, time, wave
class _V:
    id, name, languages = "vi", "Vietnamese", ["vi"]
class _E:
    def __init__(self): self.callbacks = {{}}
    def connect(self, topic, callback): self.callbacks[topic] = callback
    def getProperty(self, name): return [_V()]
    def setProperty(self, name, value): pass
    def save_to_file(self, text, path): self.path = path
    def runAndWait(self):
{run}
def write(path):
    with wave.open(path, "wb") as out:
        out.setnchannels(1); out.setsampwidth(2); out.setframerate(22050)
        out.writeframes(b"\\x00\\x10" * 22050)
def init(): return _E()
"""


def test_without_pyttsx3_the_error_says_so(
    fake_pyttsx3: Callable[[str], None], tmp_path: Path
) -> None:
    fake_pyttsx3("raise ImportError('No module named pyttsx3')\n")
    with pytest.raises(SpeechError, match="chưa cài pyttsx3"):
        Pyttsx3SpeechEngine(Voice()).synthesize("xin chào", tmp_path / "x.wav")


def test_without_espeak_the_error_says_how_to_install_it(
    fake_pyttsx3: Callable[[str], None], tmp_path: Path
) -> None:
    # What pyttsx3's eSpeak driver raises when libespeak-ng is not installed.
    fake_pyttsx3(
        "def init():\n"
        "    raise RuntimeError('This means you probably do not have eSpeak or eSpeak-ng "
        "installed!')\n"
    )
    with pytest.raises(SpeechError, match="apt install espeak-ng"):
        Pyttsx3SpeechEngine(Voice()).synthesize("xin chào", tmp_path / "x.wav")


def test_the_worker_waits_for_a_sentence_still_being_written(
    fake_pyttsx3: Callable[[str], None], tmp_path: Path
) -> None:
    # Like pyttsx3's eSpeak driver: runAndWait returns at once, the file comes later.
    fake_pyttsx3(FAKE_ENGINE.format(run=(
        "        self.callbacks['started-utterance'](name=None)\n"
        "        def later():\n"
        "            time.sleep(0.5)\n"
        "            write(self.path)\n"
        "            self.callbacks['finished-utterance'](name=None, completed=True)\n"
        "        threading.Thread(target=later, daemon=True).start()  # not waited for at exit\n"
    )))
    out = tmp_path / "x.wav"
    Pyttsx3SpeechEngine(Voice()).synthesize("xin chào", out)
    assert wav_frames(out) == 22050


def test_a_synchronous_engine_is_not_waited_for(
    fake_pyttsx3: Callable[[str], None], tmp_path: Path
) -> None:
    # Like SAPI5's save_to_file: written during runAndWait, no utterance events.
    fake_pyttsx3(FAKE_ENGINE.format(run="        write(self.path)\n"))
    out = tmp_path / "x.wav"
    Pyttsx3SpeechEngine(Voice(), timeout_seconds=10).synthesize("xin chào", out)
    assert wav_frames(out) == 22050


def test_a_hung_engine_is_killed_after_the_time_limit(
    fake_pyttsx3: Callable[[str], None], tmp_path: Path
) -> None:
    fake_pyttsx3(FAKE_ENGINE.format(run="        threading.Event().wait()  # as pyttsx3 can\n"))
    with pytest.raises(SpeechError, match="không đọc xong trong 2 giây"):
        Pyttsx3SpeechEngine(Voice(), timeout_seconds=2).synthesize("xin chào", tmp_path / "x.wav")


def test_an_engine_that_writes_nothing_is_a_speech_error(
    fake_pyttsx3: Callable[[str], None], tmp_path: Path
) -> None:
    fake_pyttsx3(FAKE_ENGINE.format(run="        pass\n"))
    stale = tmp_path / "x.wav"
    stale.write_bytes(b"RIFF left over from before")
    with pytest.raises(SpeechError, match="không tạo ra tiếng nào"):
        Pyttsx3SpeechEngine(Voice()).synthesize("xin chào", stale)


def test_a_missing_interpreter_is_a_speech_error(tmp_path: Path) -> None:
    engine = Pyttsx3SpeechEngine(Voice(), python=str(tmp_path / "no-python"))
    with pytest.raises(SpeechError, match="không chạy được bộ tổng hợp giọng nói"):
        engine.synthesize("xin chào", tmp_path / "x.wav")


# -- choosing a pyttsx3 voice ---------------------------------------------------------------


@dataclass
class FakeVoice:
    id: str
    name: str
    languages: list[str] = field(default_factory=list)


ESPEAK = [
    FakeVoice("gmw/en", "English (Great Britain)", ["en-gb"]),
    FakeVoice("aav/vi-vn-x-central", "Vietnamese (Central)", ["vi-vn-x-central"]),
    FakeVoice("aav/vi", "Vietnamese (Northern)", ["vi"]),
    FakeVoice("aav/vi-vn-x-south", "Vietnamese (Southern)", ["vi-vn-x-south"]),
]
SAPI5 = [
    FakeVoice(r"HKEY_LOCAL_MACHINE\...\TTS_MS_EN-US_DAVID_11.0", "Microsoft David", ["en_US"]),
    FakeVoice(r"HKEY_LOCAL_MACHINE\...\TTS_MS_VI-VN_AN_11.0", "Microsoft An", ["vi_VN"]),
]


@pytest.mark.parametrize(
    ("voices", "wanted", "chosen"),
    [
        (ESPEAK, "vi", "aav/vi"),  # not the central voice listed first
        (ESPEAK, "VI", "aav/vi"),
        (ESPEAK, "aav/vi-vn-x-south", "aav/vi-vn-x-south"),
        (ESPEAK, "vi-vn-x-south", "aav/vi-vn-x-south"),
        (ESPEAK, "Vietnamese (Central)", "aav/vi-vn-x-central"),
        (SAPI5, "vi", r"HKEY_LOCAL_MACHINE\...\TTS_MS_VI-VN_AN_11.0"),
        (SAPI5, "vi-VN", r"HKEY_LOCAL_MACHINE\...\TTS_MS_VI-VN_AN_11.0"),
        (SAPI5, "microsoft an", r"HKEY_LOCAL_MACHINE\...\TTS_MS_VI-VN_AN_11.0"),
        (SAPI5, "de", None),
        (ESPEAK, "klingon", None),
    ],
)
def test_choose_voice(voices: list[FakeVoice], wanted: str, chosen: str | None) -> None:
    assert choose_voice(voices, wanted) == chosen
