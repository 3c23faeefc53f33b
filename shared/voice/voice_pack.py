"""The office's own voice: a pack of recorded clips, assembled into announcements.

A voice pack is a folder: ``pack.toml`` names it and maps each phrase to its WAV clip
— the fixed words of the office's template ("xin mời công dân có số thứ tự", "đến
quầy số"), digit and number words ("không", "mười", "lăm"), letter names ("bê"),
counter names. ``VoicePackEngine`` is a ``SpeechEngine``: it says a sentence by
putting the longest phrases it has a clip for end to end, with short natural pauses,
and hands what it has no clip for to the synthesis engine behind it — a missing
phrase is synthesised, never silent. ``needed`` says which phrases an office's
configuration can make the system say; ``check`` which the pack lacks, and which clips
are too quiet, clipped, or have long silences.

Imports the standard library, the core's reading rules and the WAV helpers; no Qt.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import tomllib
import unicodedata
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from shared.core.errors import MotcuaError
from shared.core.office import NumberFormat, Office, Reading, Voice
from shared.core.reading import (
    FOLLOW_TEMPLATE,
    letter_name,
    read_counter,
    read_digits,
    read_name,
    read_whole,
)
from shared.core.system_words import said
from shared.voice.announcement_audio import read_mono16, resample, rms_dbfs, write_mono16
from shared.voice.speech import SpeechEngine, SpeechError

log = logging.getLogger(__name__)

PACK_FILE: Final = "pack.toml"
RATE: Final = 22050  # every clip is brought to this rate
WORD_GAP: Final = 0.06  # seconds between two clips of one phrase run
PUNCTUATION_GAP: Final = 0.30  # at a comma or semicolon: where a speaker breathes

QUIET_DBFS: Final = -40.0  # a clip this quiet (RMS) was recorded too far from the mic
CLIPPED_PEAK: Final = 32700  # a sample this loud was cut off at full scale
SILENCE_DBFS: Final = -50.0  # a 10 ms frame under this RMS is silence
LONG_EDGE: Final = 0.30  # seconds of silence before or after the words
LONG_GAP: Final = 0.70  # seconds of silence inside a clip


class VoicePackError(MotcuaError):
    """A voice pack that cannot be read, in plain words."""


def phrase_key(text: str) -> str:
    """A phrase as compared: NFC, lower case, single spaces, no punctuation."""
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(re.findall(r"[^\W_]+", text))


@dataclass(frozen=True)
class VoicePack:
    folder: Path
    name: str
    clips: dict[str, Path] = field(default_factory=dict)  # phrase_key -> WAV

    @property
    def longest(self) -> int:
        """The most words in one phrase."""
        return max((len(p.split()) for p in self.clips), default=1)


def load_pack(folder: Path) -> VoicePack:
    """The pack in ``folder``; ``VoicePackError`` saying what to fix."""
    manifest = folder / PACK_FILE
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VoicePackError(f"{folder} không phải gói giọng đọc: thiếu {PACK_FILE} (tạo "
                             f"bằng `motcua voice record {folder}`). / Not a voice pack: no "
                             f"{PACK_FILE}.") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as problem:
        raise VoicePackError(f"{manifest}: không đọc được ({problem}). / Cannot read the "
                             "voice pack.") from None
    clips = data.get("clips", {})
    if not isinstance(clips, dict) or not all(isinstance(v, str) for v in clips.values()):
        raise VoicePackError(f"{manifest}: [clips] phải là \"cụm từ\" = \"tệp.wav\". / "
                             "[clips] must map phrases to WAV file names.")
    return VoicePack(folder, str(data.get("name", folder.name)),
                     {phrase_key(p): folder / f for p, f in clips.items() if phrase_key(p)})


def save_pack(folder: Path, name: str, clips: dict[str, str]) -> VoicePack:
    """Write ``pack.toml`` for ``clips`` (phrase -> file name in ``folder``)."""
    lines = [f"name = {_toml(name)}", "", "[clips]"]
    lines += [f"{_toml(phrase)} = {_toml(file)}" for phrase, file in sorted(clips.items())]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PACK_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_pack(folder)


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def clip_name(phrase: str) -> str:
    """A file name for a phrase's clip: its words without diacritics, joined by dashes,
    then a short hash of the phrase itself — "mười" and "mươi", "một" and "mốt" are
    different words with the same letters."""
    plain = unicodedata.normalize("NFD", phrase.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    digest = hashlib.sha1(phrase_key(phrase).encode("utf-8")).hexdigest()[:6]
    return "-".join(re.findall(r"[a-z0-9]+", plain))[:54] + f"-{digest}.wav"


# --- what an office can make the system say ------------------------------------------


@dataclass(frozen=True)
class Phrase:
    text: str
    why: str  # "mẫu câu", "số", "chữ cái", "tên quầy"


def needed(office: Office) -> list[Phrase]:
    """Every phrase the office's configuration can make the announcer say, once each:
    the template's fixed parts (and those of merged calls), the words of every ticket
    and counter number as its reading rules say them, the letters of its services, and
    its counters' names when the template says them."""
    announcement = office.announcement
    found: dict[str, Phrase] = {}

    def add(text: str, why: str) -> None:
        key = phrase_key(text)
        if key and key not in found:
            found[key] = Phrase(key, why)

    template = announcement.template
    # The office's template, and the short one of calls said together (the announcer's).
    for part in re.split(r"\{[^{}]*\}", template) + re.split(r"\{[^{}]*\}", FOLLOW_TEMPLATE):
        for piece in re.split(r"[,;.:!?]", part):
            add(piece, "mẫu câu")
    southern = announcement.southern
    for service in office.services:
        if service.number_format is NumberFormat.LETTER:
            add(letter_name(service.prefix), "chữ cái")
        digits = range(1, service.max_sequence + 1)
        for sequence in digits:
            number = f"{sequence:03d}"
            if service.number_format is NumberFormat.BLOCK:
                number = service.prefix + number
            spoken = (read_digits(number) if announcement.reading is Reading.DIGITS
                      else read_whole(int(number), southern=southern))
            for word in spoken.split():
                add(word, "số")
    for counter in office.counters:
        for word in read_counter(counter.number, southern=southern).split():
            add(word, "số")
        if "{counter_name}" in template or "{tên quầy}" in template:
            # As a sentence is cut: at its punctuation ("Quầy 1: Hộ tịch, chứng thực").
            for piece in re.split(r"[,;.:!?]", read_name(counter.name, southern=southern)):
                add(piece, "tên quầy")
    return list(found.values())


# --- the quality of a clip -------------------------------------------------------------


def clip_problems(path: Path) -> list[str]:
    """What is wrong with a clip, in plain Vietnamese (nothing: [])."""
    try:
        rate, samples = read_mono16(path)
    except MotcuaError as problem:
        return [f"không đọc được: {problem}"]
    if not samples:
        return ["tệp trống"]
    problems = []
    if rms_dbfs(samples) < QUIET_DBFS:
        problems.append(f"quá nhỏ ({rms_dbfs(samples):.0f} dBFS; ghi lại gần micro hơn)")
    if max(abs(s) for s in samples) >= CLIPPED_PEAK:
        problems.append("bị rè (chạm mức tối đa; ghi lại nhỏ hơn)")
    loud = _loud_frames(samples, rate)
    frame = 0.01
    if not any(loud):
        return [*problems, "chỉ có im lặng"]
    first = loud.index(True) * frame
    last = (len(loud) - 1 - loud[::-1].index(True)) * frame
    edges = max(first, len(loud) * frame - last - frame)
    if edges > LONG_EDGE:
        problems.append(f"im lặng ở đầu hoặc cuối quá dài ({edges:.1f} s; cắt bớt)")
    gap = longest_gap(loud) * frame
    if gap > LONG_GAP:
        problems.append(f"có đoạn im lặng dài {gap:.1f} s giữa câu")
    return problems


def _loud_frames(samples: array[int], rate: int) -> list[bool]:
    size = max(1, rate // 100)
    return [rms_dbfs(samples[i:i + size]) >= SILENCE_DBFS for i in range(0, len(samples), size)]


def longest_gap(loud: list[bool]) -> int:
    """The longest run of silent frames between two loud ones."""
    best = run = 0
    started = False
    for frame in loud:
        if frame:
            if started:
                best = max(best, run)
            started, run = True, 0
        else:
            run += 1
    return best


def trimmed(samples: array[int], rate: int, keep: float = 0.05) -> array[int]:
    """``samples`` without the silence before and after the words (``keep`` s kept)."""
    loud = _loud_frames(samples, rate)
    if not any(loud):
        return array("h")
    size = max(1, rate // 100)
    start = max(0, loud.index(True) * size - round(keep * rate))
    end = min(len(samples), (len(loud) - loud[::-1].index(True)) * size + round(keep * rate))
    return samples[start:end]


@dataclass(frozen=True)
class PackCheck:
    needed: list[Phrase]
    missing: list[Phrase]
    faulty: dict[str, list[str]]  # phrase -> what is wrong with its clip

    @property
    def ok(self) -> bool:
        return not self.missing and not self.faulty


def check(pack: VoicePack, office: Office) -> PackCheck:
    wanted = needed(office)
    missing = [p for p in wanted if p.text not in pack.clips or not pack.clips[p.text].is_file()]
    faulty = {}
    for phrase, path in sorted(pack.clips.items()):
        if path.is_file():
            problems = clip_problems(path)
            if problems:
                faulty[phrase] = problems
    return PackCheck(wanted, missing, faulty)


# --- saying a sentence from the pack -------------------------------------------------------


class VoicePackEngine:
    """Says a sentence from the pack's clips; what it lacks, ``fallback`` synthesises."""

    def __init__(self, pack: VoicePack, fallback: SpeechEngine) -> None:
        self.pack = pack
        self.fallback = fallback
        self._clips: dict[str, array[int]] = {}

    @property
    def voice(self) -> Voice | None:
        """The synthesis behind the pack's voice settings (the server may change them)."""
        return getattr(self.fallback, "voice", None)

    @voice.setter
    def voice(self, voice: Voice | None) -> None:
        if voice is not None and hasattr(self.fallback, "voice"):
            self.fallback.voice = voice

    def synthesize(self, text: str, wav_path: Path) -> None:
        total: array[int] = array("h")
        for part, spoken in self.parts(text):
            if total:
                gap = PUNCTUATION_GAP if part == "," else WORD_GAP
                total.extend(array("h", bytes(2 * round(gap * RATE))))
            if part == ",":
                continue
            clip = self._clip(spoken) if part == "clip" else None
            # A clip that cannot be read, or holds only silence, is said by synthesis:
            # one broken file never silences a word, let alone every call.
            total.extend(clip if clip else self._synthesised(spoken))
        if not total:
            raise SpeechError(said("nothing_to_say"))
        write_mono16(total, RATE, wav_path)

    def parts(self, text: str) -> list[tuple[str, str]]:
        """The sentence cut into ("clip", phrase), ("say", words) and (",", "") parts:
        the longest phrases the pack has, the words between them, the breaths."""
        parts: list[tuple[str, str]] = []
        for piece in re.split(r"[,;.:!?]", text):
            words = phrase_key(piece).split()
            if not words:
                continue
            if parts:
                parts.append((",", ""))
            unknown: list[str] = []
            i = 0
            while i < len(words):
                for size in range(min(self.pack.longest, len(words) - i), 0, -1):
                    phrase = " ".join(words[i:i + size])
                    if phrase in self.pack.clips and self.pack.clips[phrase].is_file():
                        if unknown:
                            parts.append(("say", " ".join(unknown)))
                            unknown = []
                        parts.append(("clip", phrase))
                        i += size
                        break
                else:
                    unknown.append(words[i])
                    i += 1
            if unknown:
                parts.append(("say", " ".join(unknown)))
        return parts

    def _clip(self, phrase: str) -> array[int]:
        """The phrase's clip, trimmed, at the pack's rate; empty when it is unusable."""
        cached = self._clips.get(phrase)
        if cached is None:
            try:
                rate, samples = read_mono16(self.pack.clips[phrase])
                cached = resample(trimmed(samples, rate), rate, RATE)
            except MotcuaError as problem:
                log.warning("voice pack %s: clip of %r unusable (%s): synthesised",
                            self.pack.name, phrase, problem)
                cached = array("h")
            self._clips[phrase] = cached
        return cached

    def _synthesised(self, words: str) -> array[int]:
        log.info("voice pack %s has no clip for %r: synthesised", self.pack.name, words)
        with tempfile.TemporaryDirectory(prefix="motcua-pack-") as folder:
            out = Path(folder) / "words.wav"
            self.fallback.synthesize(words, out)
            rate, samples = read_mono16(out)
        return resample(trimmed(samples, rate), rate, RATE)
