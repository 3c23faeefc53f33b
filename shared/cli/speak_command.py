"""``motcua speak A023 --counter 3``: one whole announcement, for an IT person to check.

Builds exactly what the hall display plays — the chime, then the sentence from the
reading rules said ``repeat`` times with pauses — and either plays it on this
machine's speakers (QtMultimedia) or, with ``--wav FILE``, writes it to a file that
can be listened to anywhere. ``voice.enabled`` is not consulted: that switch only
silences extra hall displays, and this command is asked for explicitly.

Exit status: 0 when the announcement was made; 1 when speech failed and only the
chime was written or played; 2 when nothing could be done (unknown counter,
unreadable number, no sound device, a file that cannot be written). Messages go to
stderr in plain words, never a traceback.

Qt is imported only when playing on the speakers.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path

from shared.cli.words import say
from shared.core.office import Office
from shared.core.reading import announcement_text
from shared.voice.announcement_audio import AudioError, build_announcement
from shared.voice.chime import chime_path
from shared.voice.speech import SpeechEngine, SpeechError, default_speech_engine

log = logging.getLogger(__name__)

_app: object | None = None  # the QCoreApplication this module made, if any


def _problem(message: str) -> None:
    print(f"motcua: {message}", file=sys.stderr)


def speak(
    office: Office,
    number: str,
    counter_number: int,
    *,
    wav: Path | None,
    engine: SpeechEngine | None = None,
) -> int:
    """Play (or with ``wav``, write) the announcement of ``number`` to a counter.

    ``engine`` defaults to the machine's speech engine with the office's voice
    settings (``shared.voice.speech.default_speech_engine``).
    """
    counter = office.counter(counter_number)
    if counter is None:
        known = ", ".join(str(c.number) for c in office.counters) or "—"
        _problem(say("no_such_counter", counter=counter_number, known=known))
        return 2
    try:
        text = announcement_text(office.announcement, number, counter)
    except ValueError:
        _problem(say("unreadable_number", number=number))
        return 2
    if wav is None and not _speakers_available():
        _problem(say("no_sound_device"))
        return 2
    engine = engine or default_speech_engine(office.voice)
    repeat = office.announcement.repeat
    with tempfile.TemporaryDirectory(prefix="motcua-speak-") as folder:
        speech_file = Path(folder) / "speech.wav"
        speech: Path | None = speech_file
        try:
            engine.synthesize(text, speech_file)
        except SpeechError as problem:
            _problem(say("no_speech", problem=problem))
            speech = None
        out = wav if wav is not None else Path(folder) / "announcement.wav"
        try:
            duration = build_announcement(
                chime_path(),
                speech,
                repeat,
                office.announcement.pause_seconds,
                out,
                chime_volume=office.voice.volume,
                loudness_dbfs=office.announcement.loudness_dbfs,
            )
        except AudioError as problem:
            _problem(str(problem))
            return 2
        said = say("spoken_both", repeat=repeat) if speech else say("spoken_chime")
        print(text)
        if wav is not None:
            print(say("wav_written", path=wav, seconds=duration, what=said))
        else:
            print(say("playing", seconds=duration, what=said))
            played = _play_on_speakers(out)
            if played != 0:
                return played
    return 0 if speech else 1


def _qt_application() -> None:
    """Make sure a Qt application exists; a QCoreApplication is enough for sound."""
    # FFmpeg's optional libraries (VA-API, PipeWire) are looked up at start and
    # reported missing line by line: noise for a person checking a sentence.
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.symbolsresolver=false")
    from PySide6.QtCore import QCoreApplication

    global _app  # one application per process, kept alive while Qt runs
    if QCoreApplication.instance() is None:
        _app = QCoreApplication([sys.argv[0]])


def _speakers_available() -> bool:
    _qt_application()
    from shared.voice.audio_player import QtAudioPlayer

    return QtAudioPlayer.available()


def _play_on_speakers(wav: Path) -> int:
    from PySide6.QtCore import QEventLoop

    from shared.voice.audio_player import QtAudioPlayer

    _qt_application()
    loop = QEventLoop()
    outcome: list[str | None] = []

    def done(problem: str | None) -> None:
        outcome.append(problem)
        loop.quit()

    player = QtAudioPlayer()
    player.play(wav, done)
    if not outcome:
        loop.exec()
    if outcome[0] is not None:
        _problem(say("cannot_play", problem=outcome[0]))
        return 2
    return 0
