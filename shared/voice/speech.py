"""The speech port: a sentence in, a WAV file out.

``SpeechEngine`` is the port. ``default_speech_engine`` picks the adapter for the
machine: ``EspeakNgSpeechEngine`` (eSpeak NG's own command line) where eSpeak NG
is installed and the system is not Windows, ``Pyttsx3SpeechEngine`` (pyttsx3,
SAPI5 on Windows) otherwise. ``NullSpeechEngine`` stands in where there is none, so
that the display still chimes.

Why not pyttsx3 on Linux: its eSpeak driver (pyttsx3 2.99) writes the file when
eSpeak NG's end-of-message event arrives, and that event comes on eSpeak NG's
event thread while the audio comes on its synthesis thread. runAndWait returns
before the file exists (pyttsx3 issue #219: a worker must wait for
"finished-utterance"), and under CPU load audio that arrives after the event is
dropped: in the test suite the default sentence now and then came out 1.2 s short
(70 254 frames instead of 96 859). The driver cannot use eSpeak NG's synchronous
mode, which sends no end-of-message event. ``espeak-ng -w`` synthesises
synchronously, gives the same audio byte for byte when nothing is lost, and needs
no more machinery than one command.

Every sentence is synthesised by a fresh process (``espeak-ng``, or for pyttsx3
``python -m shared.voice.speech``, because pyttsx3's shared engine hangs on an empty
``runAndWait``, keeps the previous job's file and initialises eSpeak only once per
process) with a time limit: a hung engine is killed, never waited for, and no
state outlives a job. A process start costs about 0.1 s, which the announcer hides
by synthesising the next call while the current one plays.

The text goes to the process on stdin as UTF-8, never on the command line, where
Windows would mangle Vietnamese letters. The WAV that comes back is trimmed of
trailing silence, so the same sentence always has the same length and the pause
between repetitions is the announcement's own.

Imports the standard library and ``shared.core.office``/``shared.core.errors``; pyttsx3 is
imported only inside the worker process. No Qt.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import threading
import wave
from array import array
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Final, Protocol

from shared.core.errors import MotcuaError
from shared.core.office import Voice
from shared.core.system_words import said

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS: Final = 30.0
_SILENCE: Final = 32  # of 32767: -60 dBFS, below anything heard in a hall
_WORKER_FAILED: Final = 3  # the worker's exit status when it reports a SpeechError
_PACKAGE_ROOT: Final = Path(__file__).resolve().parents[2]
_WINDOWS_ESPEAK: Final = (
    Path(r"C:\Program Files\eSpeak NG\espeak-ng.exe"),
    Path(r"C:\Program Files (x86)\eSpeak NG\espeak-ng.exe"),
)


class SpeechError(MotcuaError):
    """Speech could not be synthesised; the message says why, in plain words."""


class SpeechEngine(Protocol):
    """Says ``text`` into ``wav_path`` (a new or overwritten WAV file, the sentence
    without trailing silence), or raises SpeechError. May block for seconds: call
    it from a worker, never the GUI thread."""

    def synthesize(self, text: str, wav_path: Path) -> None: ...


class NullSpeechEngine:
    """No speech engine: every request fails, so the announcer plays the chime only."""

    def synthesize(self, text: str, wav_path: Path) -> None:
        raise SpeechError(said("no_speech_engine"))


def find_espeak_ng() -> str | None:
    """The eSpeak NG program, from PATH or its Windows installer's folder."""
    found = shutil.which("espeak-ng")
    if found is None and sys.platform == "win32":
        found = next((str(p) for p in _WINDOWS_ESPEAK if p.is_file()), None)
    return found


def default_speech_engine(voice: Voice) -> SpeechEngine:
    """The office's voice pack when it has one (``voice.pack``), with synthesis for
    what it lacks: eSpeak NG's command line where it is installed (not on Windows,
    where SAPI5 voices are the usual ones), else pyttsx3."""
    espeak = find_espeak_ng()
    synthesis: SpeechEngine = (EspeakNgSpeechEngine(voice, program=espeak)
                               if espeak is not None and sys.platform != "win32"
                               else Pyttsx3SpeechEngine(voice))
    if voice.pack:
        # Imported here: the voice pack module builds on this one.
        from shared.voice.voice_pack import VoicePackEngine, VoicePackError, load_pack

        try:
            return VoicePackEngine(load_pack(Path(voice.pack)), synthesis)
        except VoicePackError as problem:  # the hall is still called, by synthesis
            log.warning("the voice pack is not used: %s", problem)
    return synthesis


class EspeakNgSpeechEngine:
    """``espeak-ng -w`` per sentence, killed after ``timeout_seconds``.

    ``voice.voice`` is an eSpeak NG voice ("vi", "vi-vn-x-south"); ``rate`` is in
    words per minute; ``volume`` 0 … 1 maps to eSpeak NG's amplitude 0 … 100.
    """

    def __init__(
        self,
        voice: Voice,
        *,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        program: str | None = None,
    ) -> None:
        self.voice = voice
        self.timeout_seconds = timeout_seconds
        self.program = program or find_espeak_ng() or "espeak-ng"

    def synthesize(self, text: str, wav_path: Path) -> None:
        command = [
            self.program,
            "-v", self.voice.voice,
            "-s", str(self.voice.rate),
            "-a", str(round(self.voice.volume * 100)),
            "-b", "1",  # the text is UTF-8
            "-w", str(wav_path),
            "--stdin",
        ]
        _synthesize_with(command, text, Path(wav_path), self.voice, self.timeout_seconds)


class Pyttsx3SpeechEngine:
    """pyttsx3 in a fresh worker process per sentence, killed after ``timeout_seconds``.

    Meant for SAPI5 on Windows (see the module's note on its eSpeak driver).
    ``python`` is the interpreter that runs the worker (this one by default).
    """

    def __init__(
        self,
        voice: Voice,
        *,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        python: str = sys.executable,
    ) -> None:
        self.voice = voice
        self.timeout_seconds = timeout_seconds
        self.python = python

    def synthesize(self, text: str, wav_path: Path) -> None:
        command = [
            self.python, "-m", "shared.voice.speech",
            "--voice", self.voice.voice,
            "--rate", str(self.voice.rate),
            "--volume", str(self.voice.volume),
            "--out", str(wav_path),
        ]
        _synthesize_with(
            command, text, Path(wav_path), self.voice, self.timeout_seconds,
            env=_worker_environment(),
        )


def _synthesize_with(
    command: list[str],
    text: str,
    wav_path: Path,
    voice: Voice,
    timeout_seconds: float,
    *,
    env: dict[str, str] | None = None,
) -> None:
    """Run one synthesis process that reads ``text`` on stdin and writes ``wav_path``."""
    if not text.strip():
        # pyttsx3 hangs on a runAndWait with nothing to say; eSpeak NG writes silence.
        raise SpeechError(said("nothing_to_say"))
    if not wav_path.parent.is_dir():  # eSpeak NG would write nothing and say nothing of it
        raise SpeechError(said("no_wav_folder", path=wav_path))
    wav_path.unlink(missing_ok=True)  # a file left from before must not pass for output
    try:
        done = subprocess.run(
            command,
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=timeout_seconds,
            env=env,
            check=False,
            # A GUI program on Windows must not flash a console per announcement.
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except subprocess.TimeoutExpired:
        raise SpeechError(said("speech_timeout", seconds=timeout_seconds)) from None
    except OSError as problem:
        raise SpeechError(said("speech_unstartable", command=command[0],
                               problem=problem)) from problem
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = lines[-1] if lines else f"exit status {done.returncode}"
        if done.returncode == _WORKER_FAILED:  # our worker's own plain message
            raise SpeechError(reason)
        log.warning("speech engine failed: %s", "\n".join(lines[-20:]))
        raise SpeechError(said("speech_voice_failed", reason=reason, voice=voice.voice))
    if trim_trailing_silence(wav_path) == 0:
        raise SpeechError(said("speech_silent", voice=voice.voice))


def wav_frames(path: Path) -> int:
    """Frames in the WAV at ``path``; 0 when it is missing, empty or not a WAV."""
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes()
    except (OSError, EOFError, wave.Error):
        return 0


def trim_trailing_silence(path: Path) -> int:
    """Cut the silence at the end of the 16-bit WAV at ``path``; returns the frames kept.

    The pause between two repetitions is the announcement's to choose, not the
    engine's: eSpeak NG ends a sentence with about 0.36 s of silence, SAPI5 with
    its own, and pyttsx3's eSpeak driver now and then loses that ending. Cut, the
    same sentence always has the same length. Other sample widths are left as
    they are.
    """
    try:
        with wave.open(str(path), "rb") as wav:
            params = wav.getparams()
            data = wav.readframes(params.nframes)
    except (OSError, EOFError, wave.Error):
        return 0
    if params.sampwidth != 2 or params.nframes == 0:
        return params.nframes
    samples = array("h", data)
    if sys.byteorder == "big":
        samples.byteswap()
    end = len(samples)
    while end and abs(samples[end - 1]) <= _SILENCE:
        end -= 1
    frames = end // params.nchannels
    if frames < params.nframes:
        with Path(path).open("wb") as file, wave.open(file, "wb") as wav:
            wav.setnchannels(params.nchannels)
            wav.setsampwidth(params.sampwidth)
            wav.setframerate(params.framerate)
            wav.writeframes(data[: frames * params.nchannels * 2])
    return frames


def _worker_environment() -> dict[str, str]:
    # The worker imports this package; make sure it can, installed or not.
    env = dict(os.environ)
    paths = [str(_PACKAGE_ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


# -- the worker process ----------------------------------------------------------------


def choose_voice(voices: Iterable[Any], wanted: str) -> str | None:
    """The id of the voice that best matches ``wanted``, or None.

    ``voices`` are pyttsx3 Voice objects (``id``, ``name``, ``languages``). In order:
    the exact id; an eSpeak id whose last part is ``wanted`` ("vi" -> "aav/vi");
    the exact name; a voice whose language is ``wanted``; a voice whose language
    starts with it ("vi" -> "vi-VN" from SAPI5).
    """
    want = wanted.strip().lower().replace("_", "-")
    candidates = list(voices)

    def languages(voice: Any) -> list[str]:
        return [
            (lang.decode("utf-8", "ignore") if isinstance(lang, bytes) else str(lang))
            .strip().lower().replace("_", "-")
            for lang in (getattr(voice, "languages", None) or [])
        ]

    tests: tuple[Callable[[Any], bool], ...] = (
        lambda v: str(v.id).lower() == want,
        lambda v: str(v.id).lower().rsplit("/", 1)[-1] == want,
        lambda v: str(v.name or "").lower() == want,
        lambda v: want in languages(v),
        lambda v: any(lang.startswith(want + "-") for lang in languages(v)),
    )
    for test in tests:
        for voice in candidates:
            if test(voice):
                return str(voice.id)
    return None


def _say_to_file(text: str, voice_name: str, rate: int, volume: float, out: Path) -> None:
    """Runs in the worker process: one pyttsx3 engine, one sentence, one file."""
    try:
        import pyttsx3  # only the worker process needs it
    except ImportError as problem:
        raise SpeechError(said("no_pyttsx3", problem=problem)) from problem
    try:
        engine = pyttsx3.init()
    except Exception as problem:  # the drivers raise anything: RuntimeError, OSError, …
        raise SpeechError(said("pyttsx3_no_engine", problem=problem)) from problem
    voices = list(engine.getProperty("voices") or [])
    voice_id = choose_voice(voices, voice_name)
    if voice_id is None:
        near = sorted(
            str(v.id) for v in voices if voice_name.lower()[:2] in str(v.id).lower()
        )[:10]
        hint = said("similar_voices", voices=", ".join(near)) if near else ""
        raise SpeechError(said("no_such_voice", voice=voice_name, count=len(voices), hint=hint))
    started, finished = threading.Event(), threading.Event()
    outcome: dict[str, bool] = {}

    def on_finished(name: object = None, completed: bool = True) -> None:
        outcome["completed"] = completed
        finished.set()

    try:
        engine.connect("started-utterance", lambda name=None: started.set())
        engine.connect("finished-utterance", on_finished)
        engine.setProperty("voice", voice_id)
        engine.setProperty("rate", rate)
        engine.setProperty("volume", volume)
        engine.save_to_file(text, str(out))
        engine.runAndWait()
    except Exception as problem:
        raise SpeechError(said("speech_failed", problem=problem)) from problem
    # pyttsx3's eSpeak driver returns from runAndWait as soon as synthesis has
    # *started* (eSpeak NG synthesises on its own thread and its last callback
    # writes the file): a worker that exited now would lose the file of a longer
    # sentence (pyttsx3 issue #219). So an utterance that started is waited for.
    # SAPI5's save_to_file speaks synchronously and reports neither event. The
    # caller's time limit covers an engine that never finishes.
    if started.is_set():
        finished.wait()
        if not outcome.get("completed", False):
            raise SpeechError(said("speech_cut"))


def main(argv: Sequence[str] | None = None) -> int:
    """The worker: ``python -m shared.voice.speech --voice vi --out FILE`` < sentence (UTF-8)."""
    parser = argparse.ArgumentParser(prog="python -m shared.voice.speech")
    parser.add_argument("--voice", default="vi")
    parser.add_argument("--rate", type=int, default=150)
    parser.add_argument("--volume", type=float, default=1.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    text = sys.stdin.buffer.read().decode("utf-8")
    try:
        _say_to_file(text, args.voice, args.rate, args.volume, args.out)
    except SpeechError as problem:
        print(problem, file=sys.stderr)
        return _WORKER_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
