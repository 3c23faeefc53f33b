"""One announcement as one WAV: the chime, then the sentence said ``repeat`` times.

Pure WAV assembly with the standard library's ``wave`` and ``array``: read the chime
and the speech, bring them to one format (16-bit, mono, one sample rate), join them
with silence between the repetitions, write the result. ``audioop`` is gone from
Python 3.13, so the few conversions needed are done here: sample width, channel
mixing, and a linear-interpolation resampler (good enough for a chime and a voice).

The output takes the speech's sample rate (the chime is short and resamples
cheaply); without speech, the chime's. Imports no Qt and no speech engine.
"""

from __future__ import annotations

import logging
import math
import sys
import wave
from array import array
from pathlib import Path
from typing import Final

from shared.core.errors import MotcuaError
from shared.core.system_words import said

log = logging.getLogger(__name__)

_OUT_WIDTH: Final = 2  # 16-bit
_OUT_CHANNELS: Final = 1


class AudioError(MotcuaError):
    """A WAV file that cannot be read or written, and why."""


def wav_duration(path: Path) -> float:
    """Length of the WAV at ``path`` in seconds."""
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() / wav.getframerate()
    except (OSError, EOFError, wave.Error) as problem:
        raise AudioError(said("audio_unreadable", path=path, problem=problem)) from problem


def read_mono16(path: Path) -> tuple[int, array[int]]:
    """The WAV at ``path`` as (sample rate, 16-bit mono samples)."""
    try:
        with wave.open(str(path), "rb") as wav:
            channels = wav.getnchannels()
            width = wav.getsampwidth()
            rate = wav.getframerate()
            data = wav.readframes(wav.getnframes())
    except (OSError, EOFError, wave.Error) as problem:
        raise AudioError(said("audio_unreadable", path=path, problem=problem)) from problem
    return rate, _to_mono(_to_int16(data, width, path), channels)


def _to_int16(data: bytes, width: int, path: Path) -> array[int]:
    """Little-endian PCM of ``width`` bytes per sample (as ``wave`` gives) -> int16."""
    if width == 2:
        samples = array("h", data)
        if sys.byteorder == "big":
            samples.byteswap()
        return samples
    if width == 1:  # unsigned 8-bit
        return array("h", ((b - 128) << 8 for b in data))
    if width in (3, 4):  # keep the two most significant bytes of each sample
        return array(
            "h",
            (
                int.from_bytes(data[i + width - 2 : i + width], "little", signed=True)
                for i in range(0, len(data) - width + 1, width)
            ),
        )
    raise AudioError(said("audio_width", path=path, width=width))


def _to_mono(samples: array[int], channels: int) -> array[int]:
    if channels == 1:
        return samples
    frames = len(samples) // channels
    return array(
        "h",
        (
            sum(samples[f * channels : (f + 1) * channels]) // channels
            for f in range(frames)
        ),
    )


def resample(samples: array[int], source_rate: int, target_rate: int) -> array[int]:
    """``samples`` at ``source_rate`` Hz, linearly interpolated to ``target_rate`` Hz."""
    if source_rate == target_rate or not samples:
        return array("h", samples)
    count = max(1, round(len(samples) * target_rate / source_rate))
    last = len(samples) - 1
    step = source_rate / target_rate
    out = array("h", bytes(2 * count))
    for i in range(count):
        position = i * step
        left = min(int(position), last)
        right = min(left + 1, last)
        fraction = position - left
        out[i] = round(samples[left] + (samples[right] - samples[left]) * fraction)
    return out


def _scaled(samples: array[int], gain: float) -> array[int]:
    if gain == 1.0:
        return samples
    return array("h", (max(-32768, min(32767, round(s * gain))) for s in samples))


PEAK_CEILING: Final = 10 ** (-1 / 20)  # -1 dBFS: no sample ever reaches full scale
CHIME_UNDER_VOICE_DB: Final = 3.0  # the chime a little softer than the words it heralds


def rms_dbfs(samples: array[int]) -> float:
    """The loudness of ``samples`` as their RMS level in dBFS (-inf for silence)."""
    if not samples:
        return -math.inf
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768
    return 20 * math.log10(rms) if rms > 0 else -math.inf


def peak_dbfs(samples: array[int]) -> float:
    peak = max((abs(s) for s in samples), default=0) / 32768
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def levelled(samples: array[int], loudness_dbfs: float, volume: float = 1.0) -> array[int]:
    """``samples`` at an RMS level of ``loudness_dbfs`` (then ``volume``, 0 … 1), but
    never with a peak above ``PEAK_CEILING``: one loudness for every voice and chime,
    and nothing clipped."""
    level = rms_dbfs(samples)
    if level == -math.inf:
        return samples
    gain = 10 ** ((loudness_dbfs - level) / 20) * volume
    peak = max(abs(s) for s in samples) / 32768
    return _scaled(samples, min(gain, PEAK_CEILING / peak))


def level_file(wav: Path, loudness_dbfs: float, volume: float = 1.0) -> None:
    """Rewrite ``wav`` (16-bit mono after) at ``loudness_dbfs`` (see ``levelled``)."""
    rate, samples = read_mono16(wav)
    write_mono16(levelled(samples, loudness_dbfs, volume), rate, wav)


def build_repeat(speech: Path, pause_seconds: float, out: Path, *, times: int = 1,
                 loudness_dbfs: float | None = None, volume: float = 1.0) -> float:
    """Write ``times`` × (``pause_seconds`` of silence, then ``speech``) to ``out``:
    what a lone call adds when it is said again; returns its duration in seconds.
    With ``loudness_dbfs`` the speech is levelled as ``build_announcement`` levels it."""
    rate, samples = read_mono16(speech)
    if loudness_dbfs is not None:
        samples = levelled(samples, loudness_dbfs, volume)
    total: array[int] = array("h")
    for _ in range(times):
        total.extend(array("h", bytes(2 * round(pause_seconds * rate))))
        total.extend(samples)
    return write_mono16(total, rate, out)


def build_announcement(
    chime: Path,
    speech: Path | None,
    repeat: int,
    pause_seconds: float,
    out: Path,
    *,
    chime_volume: float = 1.0,
    loudness_dbfs: float | None = None,
    with_chime: bool = True,
) -> float:
    """Write the chime, then ``speech`` ``repeat`` times with ``pause_seconds`` of
    silence between repetitions, to ``out``; returns its duration in seconds.

    Without ``speech`` (no speech engine) the announcement is the chime alone.
    ``chime_volume`` (0 … 1) scales the chime to match the speech's configured
    volume, which the speech engine has already applied to its own output. With
    ``loudness_dbfs`` both are levelled instead: the speech to that RMS level, the
    chime a little under it, both then at ``chime_volume``, no peak above -1 dBFS.
    ``with_chime`` False: the speech alone (with speech; a burst's continuation).
    """
    if repeat < 1:
        raise ValueError(f"repeat must be 1 or more, got {repeat}")
    if pause_seconds < 0:
        raise ValueError(f"pause_seconds must not be negative, got {pause_seconds}")
    chime_rate, chime_samples = read_mono16(chime)
    rate = chime_rate
    parts: list[array[int]] = []
    if speech is not None:
        rate, speech_samples = read_mono16(speech)
        if loudness_dbfs is not None:
            speech_samples = levelled(speech_samples, loudness_dbfs, chime_volume)
        silence = array("h", bytes(2 * round(pause_seconds * rate)))
        for time in range(repeat):
            if time:
                parts.append(silence)
            parts.append(speech_samples)
    chime_samples = resample(chime_samples, chime_rate, rate)
    chime_samples = (_scaled(chime_samples, chime_volume) if loudness_dbfs is None else
                     levelled(chime_samples, loudness_dbfs - CHIME_UNDER_VOICE_DB, chime_volume))
    total = array("h", chime_samples) if with_chime or not parts else array("h")
    for part in parts:
        total.extend(part)
    return write_mono16(total, rate, out)


def write_mono16(total: array[int], rate: int, out: Path) -> float:
    """16-bit mono samples to a WAV file; its duration in seconds."""
    if sys.byteorder == "big":
        total.byteswap()
    try:
        # The file is opened first: a wave.Wave_write that failed to open its own
        # file complains again when it is collected.
        with Path(out).open("wb") as file, wave.open(file, "wb") as wav:
            wav.setnchannels(_OUT_CHANNELS)
            wav.setsampwidth(_OUT_WIDTH)
            wav.setframerate(rate)
            wav.writeframes(total.tobytes())
    except (OSError, wave.Error) as problem:
        raise AudioError(said("audio_unwritable", path=out, problem=problem)) from problem
    return len(total) / rate
