"""The chime and the assembly of one announcement WAV: format, order, durations."""

from __future__ import annotations

import math
import runpy
import struct
import wave
from array import array
from pathlib import Path

import pytest

import shared.voice.chime
from shared.voice.announcement_audio import (
    AudioError,
    build_announcement,
    levelled,
    peak_dbfs,
    read_mono16,
    resample,
    rms_dbfs,
    wav_duration,
)
from shared.voice.chime import (
    CHIME_FILE,
    DURATION_SECONDS,
    SAMPLE_RATE,
    TONE_SPACING_SECONDS,
    TONES_HZ,
    chime_frames,
    chime_path,
    write_chime,
)

MS = 0.001


def write_tone(
    path: Path,
    seconds: float,
    *,
    rate: int = 22050,
    channels: int = 1,
    width: int = 2,
    hz: float = 440.0,
) -> Path:
    """A sine tone at half scale in any PCM format ``wave`` writes."""
    frames = bytearray()
    for i in range(round(seconds * rate)):
        value = 0.5 * math.sin(2 * math.pi * hz * i / rate)
        if width == 1:
            sample = bytes([round(128 + value * 127)])
        else:
            full_scale = 2 ** (8 * width - 1) - 1
            sample = round(value * full_scale).to_bytes(width, "little", signed=True)
        frames += sample * channels
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(bytes(frames))
    return path


def wav_format(path: Path) -> tuple[int, int, int]:
    with wave.open(str(path), "rb") as wav:
        return wav.getnchannels(), wav.getsampwidth(), wav.getframerate()


def power_at(samples: array[int], rate: int, hz: float) -> float:
    """Energy of ``samples`` at ``hz`` (one DFT bin)."""
    re = sum(s * math.cos(2 * math.pi * hz * i / rate) for i, s in enumerate(samples))
    im = sum(s * math.sin(2 * math.pi * hz * i / rate) for i, s in enumerate(samples))
    return re * re + im * im


# -- the chime -----------------------------------------------------------------------------


def test_the_committed_chime_is_what_the_script_makes() -> None:
    assert CHIME_FILE.is_file(), "run: python sounds/make_chime.py"
    assert wav_format(CHIME_FILE) == (1, 2, SAMPLE_RATE)
    with wave.open(str(CHIME_FILE), "rb") as wav:
        assert wav.readframes(wav.getnframes()) == chime_frames()
    assert wav_duration(CHIME_FILE) == pytest.approx(DURATION_SECONDS, abs=MS)


def test_the_chime_rises_through_three_tones() -> None:
    rate, samples = read_mono16(CHIME_FILE)
    window = round(0.15 * rate)
    strongest = []
    for k in range(3):
        start = round((k * TONE_SPACING_SECONDS + 0.02) * rate)
        part = samples[start : start + window]
        powers = [power_at(part, rate, hz) for hz in TONES_HZ]
        strongest.append(powers.index(max(powers)))
    assert strongest == [0, 1, 2]
    assert list(TONES_HZ) == sorted(TONES_HZ)


def test_the_chime_starts_and_ends_softly_and_never_clips() -> None:
    _, samples = read_mono16(CHIME_FILE)
    assert abs(samples[0]) < 100  # no click
    assert abs(samples[-1]) < 100
    assert 0.4 * 32767 < max(abs(s) for s in samples) < 0.7 * 32767


def test_without_the_sounds_folder_the_same_chime_is_synthesised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared.voice.chime, "CHIME_FILE", tmp_path / "missing.wav")
    shared.voice.chime._synthesised_chime.cache_clear()
    made = chime_path()
    assert made != CHIME_FILE
    assert made.read_bytes() == CHIME_FILE.read_bytes()
    made.unlink()  # a temp cleaner ran: it is made again
    assert chime_path().read_bytes() == CHIME_FILE.read_bytes()


def test_the_chime_found_in_a_source_tree_is_sounds_chime_wav() -> None:
    assert chime_path() == CHIME_FILE
    assert CHIME_FILE.parent.name == "sounds"


# -- assembling an announcement ----------------------------------------------------------


def test_durations_add_up(tmp_path: Path) -> None:
    speech = write_tone(tmp_path / "speech.wav", 1.5)
    out = tmp_path / "out.wav"
    seconds = build_announcement(CHIME_FILE, speech, 3, 0.5, out)
    expected = DURATION_SECONDS + 3 * 1.5 + 2 * 0.5
    assert seconds == pytest.approx(expected, abs=MS)
    assert wav_duration(out) == pytest.approx(expected, abs=MS)
    assert wav_format(out) == (1, 2, 22050)


def test_the_chime_comes_first_then_speech_and_silence_in_turn(tmp_path: Path) -> None:
    speech = write_tone(tmp_path / "speech.wav", 0.5)
    out = tmp_path / "out.wav"
    build_announcement(CHIME_FILE, speech, 2, 0.25, out)
    _, chime = read_mono16(CHIME_FILE)
    _, said = read_mono16(speech)
    _, whole = read_mono16(out)
    c, s, p = len(chime), len(said), round(0.25 * 22050)
    assert whole[:c] == chime
    assert whole[c : c + s] == said
    assert not any(whole[c + s : c + s + p])
    assert whole[c + s + p :] == said


def test_without_speech_the_announcement_is_the_chime(tmp_path: Path) -> None:
    out = tmp_path / "out.wav"
    assert build_announcement(CHIME_FILE, None, 2, 1.0, out) == pytest.approx(DURATION_SECONDS)
    assert out.read_bytes() == CHIME_FILE.read_bytes()


@pytest.mark.parametrize(
    ("rate", "channels", "width"),
    [(16000, 1, 2), (44100, 2, 2), (22050, 2, 1), (48000, 1, 3), (11025, 2, 4)],
)
def test_speech_in_another_format_is_converted(
    tmp_path: Path, rate: int, channels: int, width: int
) -> None:
    speech = write_tone(tmp_path / "speech.wav", 0.8, rate=rate, channels=channels, width=width)
    out = tmp_path / "out.wav"
    seconds = build_announcement(CHIME_FILE, speech, 2, 0.3, out)
    expected = DURATION_SECONDS + 2 * 0.8 + 0.3
    assert seconds == pytest.approx(expected, abs=MS)
    assert wav_format(out) == (1, 2, rate)  # the speech's rate; mono, 16-bit
    # The tone survives the conversion at its level (half scale) and its pitch.
    out_rate, samples = read_mono16(out)
    tone = samples[round((DURATION_SECONDS + 0.1) * out_rate) :][: round(0.5 * out_rate)]
    assert 0.45 * 32767 < max(tone) < 0.55 * 32767
    assert power_at(tone, out_rate, 440) > 50 * power_at(tone, out_rate, 660)


def test_a_chime_at_another_rate_is_resampled_to_the_speech(tmp_path: Path) -> None:
    chime = write_chime(tmp_path / "chime44.wav", rate=44100)
    speech = write_tone(tmp_path / "speech.wav", 1.0)
    out = tmp_path / "out.wav"
    seconds = build_announcement(chime, speech, 1, 0.0, out)
    assert seconds == pytest.approx(DURATION_SECONDS + 1.0, abs=MS)
    _, resampled = read_mono16(out)
    first_tone = resampled[round(0.02 * 22050) : round(0.17 * 22050)]
    assert power_at(first_tone, 22050, TONES_HZ[0]) > 10 * power_at(first_tone, 22050, 440)


def test_chime_volume_scales_the_chime_only(tmp_path: Path) -> None:
    speech = write_tone(tmp_path / "speech.wav", 0.5)
    loud, soft = tmp_path / "loud.wav", tmp_path / "soft.wav"
    build_announcement(CHIME_FILE, speech, 1, 0.0, loud)
    build_announcement(CHIME_FILE, speech, 1, 0.0, soft, chime_volume=0.5)
    c = round(DURATION_SECONDS * 22050)
    _, a = read_mono16(loud)
    _, b = read_mono16(soft)
    assert max(b[:c]) == pytest.approx(max(a[:c]) / 2, abs=1)
    assert a[c:] == b[c:]


def test_resample_keeps_length_proportional_and_ends() -> None:
    samples = array("h", [0, 1000, 2000, 3000])
    assert resample(samples, 8000, 16000) == array(
        "h", [0, 500, 1000, 1500, 2000, 2500, 3000, 3000]
    )
    assert resample(samples, 16000, 8000) == array("h", [0, 2000])
    assert resample(array("h"), 8000, 16000) == array("h")


def test_bad_input_is_refused_plainly(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"not a wav at all")
    with pytest.raises(AudioError, match=r"không đọc được .*garbage\.wav"):
        wav_duration(garbage)
    with pytest.raises(AudioError, match="không đọc được"):
        build_announcement(garbage, None, 1, 0.0, tmp_path / "out.wav")
    with pytest.raises(AudioError, match="không ghi được"):
        build_announcement(CHIME_FILE, None, 1, 0.0, tmp_path / "no" / "such" / "dir.wav")
    with pytest.raises(ValueError, match="repeat"):
        build_announcement(CHIME_FILE, None, 0, 0.0, tmp_path / "out.wav")


def test_make_chime_script_writes_the_chime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "chime.wav"
    monkeypatch.setattr(shared.voice.chime, "CHIME_FILE", target)
    script = CHIME_FILE.parent / "make_chime.py"
    with pytest.raises(SystemExit) as exit_:
        runpy.run_path(str(script), run_name="__main__")
    assert exit_.value.code == 0
    assert target.read_bytes() == CHIME_FILE.read_bytes()
    assert struct.unpack("<4s", target.read_bytes()[:4]) == (b"RIFF",)


# -- one loudness, nothing clipped ---------------------------------------------------------


def test_speech_and_chime_are_levelled_and_never_clip(tmp_path: Path) -> None:
    """Whatever the voice gives — a whisper or a shout at full scale — the announcement
    comes out at the office's level, the chime 3 dB under the words, peaks ≤ -1 dBFS."""
    _, chime = read_mono16(CHIME_FILE)
    for amplitude in (0.02, 1.0):  # -37 dBFS and 0 dBFS: a quiet voice and a clipping one
        speech = tmp_path / f"speech-{amplitude}.wav"
        write_tone(speech, 1.0)
        rate, samples = read_mono16(speech)
        loud = array("h", (max(-32767, min(32767, round(s * 2 * amplitude))) for s in samples))
        with wave.open(str(speech), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(rate)
            wav.writeframes(loud.tobytes())

        out = tmp_path / "out.wav"
        build_announcement(CHIME_FILE, speech, 1, 0.0, out, loudness_dbfs=-20.0)
        _, whole = read_mono16(out)
        said, rung = whole[len(chime):], whole[:len(chime)]
        assert rms_dbfs(said) == pytest.approx(-20.0, abs=0.5)
        assert rms_dbfs(rung) == pytest.approx(-23.0, abs=0.5)
        assert peak_dbfs(whole) <= -1.0

    quieter = tmp_path / "quieter.wav"
    build_announcement(CHIME_FILE, speech, 1, 0.0, quieter, loudness_dbfs=-30.0)
    assert rms_dbfs(read_mono16(quieter)[1][len(chime):]) == pytest.approx(-30.0, abs=0.5)


def test_a_level_the_peaks_cannot_reach_stops_at_the_ceiling(tmp_path: Path) -> None:
    """Speech with a spike far above its average: the level gives way to the peak."""
    samples = array("h", [300] * 22050)
    samples[100] = 30000
    assert peak_dbfs(levelled(samples, -6.0)) == pytest.approx(-1.0, abs=0.1)
    assert rms_dbfs(levelled(samples, -6.0)) < -6.0
