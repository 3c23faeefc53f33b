"""The hall chime: a soft, rising three-tone chime, synthesised from sine waves.

``sounds/make_chime.py`` writes ``sounds/chime.wav`` with ``write_chime``; the
announcer plays that file before every call. ``chime_path`` finds it next to the
source tree and, when the program runs from an installed wheel that has no
``sounds/`` folder, synthesises the same chime into a private temporary file, so
an office always hears a chime.

Pure standard library (math, struct, wave, tempfile): no Qt, no speech engine.
"""

from __future__ import annotations

import functools
import logging
import math
import struct
import tempfile
import wave
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

SAMPLE_RATE: Final = 22050  # espeak-ng's own rate: the speech then needs no resampling
SAMPLE_WIDTH: Final = 2  # bytes: 16-bit signed PCM
CHANNELS: Final = 1

# C5, E5, G5: a major triad, rising. Each tone starts while the previous one rings.
TONES_HZ: Final = (523.25, 659.26, 783.99)
TONE_SPACING_SECONDS: Final = 0.28
DURATION_SECONDS: Final = 1.2
_DECAY_SECONDS = 0.28  # time constant of each tone's exponential decay
_ATTACK_SECONDS = 0.008  # a short ramp-in, or each onset clicks
_FADE_SECONDS = 0.06  # the end is forced to silence
# Partials (multiple of the fundamental, relative amplitude): a soft, bell-like tone.
_PARTIALS = ((1.0, 1.0), (2.0, 0.25), (3.0, 0.06))
_PEAK = 0.55  # of full scale: leaves headroom, and a chime should not startle

SOUNDS_DIR: Final = Path(__file__).resolve().parents[2] / "sounds"
CHIME_FILE: Final = SOUNDS_DIR / "chime.wav"


def chime_samples(rate: int = SAMPLE_RATE) -> list[float]:
    """The chime as samples in -1.0 … 1.0, ``DURATION_SECONDS`` long at ``rate`` Hz."""
    if rate <= 0:
        raise ValueError(f"sample rate must be positive, got {rate}")
    count = round(DURATION_SECONDS * rate)
    samples = [0.0] * count
    for index, frequency in enumerate(TONES_HZ):
        onset = round(index * TONE_SPACING_SECONDS * rate)
        for i in range(onset, count):
            t = (i - onset) / rate
            envelope = min(1.0, t / _ATTACK_SECONDS) * math.exp(-t / _DECAY_SECONDS)
            tone = sum(
                amplitude * math.sin(2 * math.pi * frequency * multiple * t)
                for multiple, amplitude in _PARTIALS
            )
            samples[i] += envelope * tone
    fade = round(_FADE_SECONDS * rate)
    for i in range(max(0, count - fade), count):
        samples[i] *= (count - 1 - i) / fade
    peak = max(abs(s) for s in samples) or 1.0
    return [s * _PEAK / peak for s in samples]


def chime_frames(rate: int = SAMPLE_RATE) -> bytes:
    """The chime as 16-bit little-endian mono PCM frames, ready for ``wave``."""
    ints = [round(s * 32767) for s in chime_samples(rate)]
    return struct.pack(f"<{len(ints)}h", *ints)


def write_chime(path: Path, rate: int = SAMPLE_RATE) -> Path:
    """Write the chime to ``path`` as a 16-bit mono WAV; returns ``path``."""
    with Path(path).open("wb") as file, wave.open(file, "wb") as out:
        out.setnchannels(CHANNELS)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(rate)
        out.writeframes(chime_frames(rate))
    return path


@functools.cache
def _synthesised_chime() -> Path:
    # One private directory per process; the file is small and the OS cleans temp.
    folder = Path(tempfile.mkdtemp(prefix="motcua-chime-"))
    return write_chime(folder / "chime.wav")


def chime_path() -> Path:
    """The chime to play: ``sounds/chime.wav``, or the same chime synthesised."""
    if CHIME_FILE.is_file():
        return CHIME_FILE
    synthesised = _synthesised_chime()
    if not synthesised.is_file():  # a temp cleaner may remove it from a long-running display
        _synthesised_chime.cache_clear()
        synthesised = _synthesised_chime()
    log.debug("%s not found; using a synthesised chime: %s", CHIME_FILE, synthesised)
    return synthesised
