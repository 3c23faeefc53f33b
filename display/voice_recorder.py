"""``motcua voice record PACK``: the guided recorder of the office's own voice.

A member of staff with a headset sees each phrase the office needs in large type
(``shared.voice.voice_pack.needed``; those already in the pack are skipped), presses
Space to record and Space to stop, hears it back (L), and keeps it (Enter) or records
it again (Space). Each take is trimmed of its silences and levelled to the announcements'
loudness before it is kept, and what is wrong with it is said at once ("quá nhỏ …").
Kept clips are saved in the pack as they come, so an interrupted session loses nothing.

The microphone is a port: ``QtMicrophone`` reads the machine's default input;
``WavMicrophone`` plays prepared recordings into it (for a test, or a staff member who
recorded elsewhere). Imports QtCore, QtWidgets and QtMultimedia.
"""

from __future__ import annotations

import logging
import tempfile
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shared.core.office import Office
from shared.voice.announcement_audio import levelled, read_mono16, resample, write_mono16
from shared.voice.audio_player import AudioPlayer
from shared.voice.voice_pack import (
    PACK_FILE,
    RATE,
    Phrase,
    VoicePackError,
    clip_name,
    clip_problems,
    load_pack,
    needed,
    save_pack,
    trimmed,
)

log = logging.getLogger(__name__)

LOUDNESS_DBFS = -20.0  # every clip kept at the announcements' own level


class Microphone(Protocol):
    def start(self) -> None: ...

    def stop(self) -> tuple[int, array[int]]:
        """What was heard since ``start``: (sample rate, 16-bit mono samples)."""
        ...


class WavMicrophone:
    """A virtual microphone: each take is the next of ``recordings``."""

    def __init__(self, recordings: Sequence[Path]) -> None:
        self._recordings = list(recordings)
        self._next = 0

    def start(self) -> None:
        if self._next >= len(self._recordings):
            raise VoicePackError("Hết các bản ghi đã chuẩn bị. / No more prepared recordings.")

    def stop(self) -> tuple[int, array[int]]:
        path = self._recordings[self._next]
        self._next += 1
        return read_mono16(path)


class QtMicrophone:
    """The machine's default input (a headset's microphone), 16-bit mono."""

    def __init__(self) -> None:
        from PySide6.QtMultimedia import QAudioFormat, QAudioSource, QMediaDevices

        device = QMediaDevices.defaultAudioInput()
        if device.isNull():
            raise VoicePackError("Máy này không có micro: cắm tai nghe có micro rồi chạy lại. "
                                 "/ This machine has no microphone: plug in a headset.")
        wanted = QAudioFormat()
        wanted.setSampleRate(RATE)
        wanted.setChannelCount(1)
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._format = wanted if device.isFormatSupported(wanted) else device.preferredFormat()
        self._source = QAudioSource(device, self._format)
        self._buffer = QBuffer()

    def start(self) -> None:
        self._buffer.close()
        self._buffer.setData(QByteArray())
        self._buffer.open(QIODevice.OpenModeFlag.ReadWrite)
        self._source.start(self._buffer)

    def stop(self) -> tuple[int, array[int]]:
        from PySide6.QtMultimedia import QAudioFormat

        self._source.stop()
        data = bytes(self._buffer.data().data())
        fmt = self._format
        if fmt.sampleFormat() != QAudioFormat.SampleFormat.Int16:
            raise VoicePackError("Micro không ghi được 16 bit. / The microphone does not "
                                 "record 16-bit samples.")
        samples = array("h", data)
        channels = fmt.channelCount()
        if channels > 1:  # the first channel: a headset's microphone is on it
            samples = samples[::channels]
        return fmt.sampleRate(), samples


class Recorder(QObject):
    """The recording session: which phrase, the take in hand, what is wrong with it."""

    changed = Signal()

    def __init__(self, folder: Path, office: Office, microphone: Microphone,
                 player: AudioPlayer, *, name: str = "", again: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.microphone = microphone
        self.player = player
        folder.mkdir(parents=True, exist_ok=True)
        if (folder / PACK_FILE).is_file():
            pack = load_pack(folder)
            self.name = pack.name
            # As the pack names them, subfolders kept (a pack made by hand may have some).
            self.kept = {p: f.relative_to(folder).as_posix() if f.is_relative_to(folder)
                         else str(f) for p, f in pack.clips.items()}
        else:
            self.name = name or f"Giọng đọc của {office.name}"
            self.kept = {}
        wanted = needed(office)
        # A new session records what is missing; ``again`` goes through every phrase.
        self.phrases: list[Phrase] = [p for p in wanted if again or p.text not in self.kept]
        self.index = 0
        self.recording = False
        self.take: Path | None = None  # the last take, trimmed and levelled
        self.problems: list[str] = []
        self.message = ""
        self._work = Path(tempfile.mkdtemp(prefix="motcua-record-"))

    @property
    def phrase(self) -> Phrase | None:
        return self.phrases[self.index] if self.index < len(self.phrases) else None

    @property
    def finished(self) -> bool:
        return self.phrase is None

    def toggle(self) -> None:
        """Space: start a take, or stop it and look at it."""
        if self.finished:
            return
        if not self.recording:
            self.player.stop()
            try:
                self.microphone.start()
            except VoicePackError as problem:
                self.message = str(problem)
                self.changed.emit()
                return
            self.recording, self.message = True, "Đang ghi âm… bấm Space để dừng."
            self.changed.emit()
            return
        self.recording = False
        rate, samples = self.microphone.stop()
        kept = trimmed(samples, rate)
        take = self._work / f"take-{self.index}.wav"
        # Judged as recorded (too quiet, clipped, long pauses), then levelled: levelling
        # would hide a take that was too soft or cut off at full scale.
        write_mono16(kept, rate, take)
        self.problems = clip_problems(take) if kept else ["không nghe thấy gì: micro đã bật?"]
        if kept:
            write_mono16(levelled(resample(kept, rate, RATE), LOUDNESS_DBFS), RATE, take)
        self.take = take
        self.message = ("Chưa đạt: " + "; ".join(self.problems) + ". Bấm Space để ghi lại."
                        if self.problems else
                        "Tốt. L: nghe lại · Enter: giữ và sang cụm sau · Space: ghi lại.")
        self.changed.emit()
        self.listen()

    def listen(self) -> None:
        if self.take is not None and not self.recording:
            self.player.play(self.take, lambda _problem: None)

    def keep(self) -> None:
        """Enter: the take is this phrase's clip; on to the next phrase."""
        phrase = self.phrase
        if phrase is None or self.take is None or self.recording or self.problems:
            return
        file = clip_name(phrase.text)
        _, samples = read_mono16(self.take)
        write_mono16(samples, RATE, self.folder / file)
        self.kept[phrase.text] = file
        save_pack(self.folder, self.name, self.kept)  # after each phrase: nothing is lost
        log.info("voice pack %s: kept %r", self.folder, phrase.text)
        self._next(f"Đã giữ “{phrase.text}”.")

    def skip(self) -> None:
        """→: leave this phrase for later (it is synthesised meanwhile)."""
        if self.phrase is not None and not self.recording:
            self._next(f"Bỏ qua “{self.phrase.text}”.")

    def _next(self, said: str) -> None:
        self.index += 1
        self.take, self.problems = None, []
        self.message = said if not self.finished else (
            f"{said} Xong: {len(self.kept)} cụm từ trong gói. Kiểm tra bằng `motcua voice "
            f"check {self.folder}`.")
        self.changed.emit()


class RecorderWindow(QWidget):
    """The phrase in large type, the keys, and what the last take was like."""

    def __init__(self, recorder: Recorder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self.setWindowTitle(f"Ghi âm giọng đọc — {recorder.name}")
        self.resize(1100, 620)
        self.progress = QLabel()
        self.why = QLabel()
        self.phrase = QLabel()
        self.phrase.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phrase.setWordWrap(True)
        self.phrase.setStyleSheet("font-size: 44pt; font-weight: bold;")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setStyleSheet("font-size: 17pt;")
        self.record = QPushButton()
        self.record.clicked.connect(recorder.toggle)
        self.play = QPushButton("Nghe lại (L)")
        self.play.clicked.connect(recorder.listen)
        self.keep = QPushButton("Giữ, sang cụm sau (Enter)")
        self.keep.clicked.connect(recorder.keep)
        self.skip = QPushButton("Bỏ qua (→)")
        self.skip.clicked.connect(recorder.skip)
        self.setStyleSheet(
            "QLabel { font-size: 15pt; color: #0b2545; }"
            "QPushButton { font-size: 15pt; padding: 8px 18px; }"
            "QPushButton[recording=\"true\"] { background: #b42318; color: white; }")
        buttons = QHBoxLayout()
        for button in (self.record, self.play, self.keep, self.skip):
            button.setMinimumHeight(56)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys act, not the focus
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 24, 36, 24)
        layout.addWidget(self.progress)
        layout.addWidget(self.why)
        layout.addStretch(1)
        layout.addWidget(self.phrase)
        layout.addStretch(1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        recorder.changed.connect(self.show_state)
        self.show_state()

    def show_state(self) -> None:
        recorder = self.recorder
        total = len(recorder.phrases)
        phrase = recorder.phrase
        self.progress.setText(f"Cụm từ {min(recorder.index + 1, total)}/{total} · gói "
                              f"“{recorder.name}” · {len(recorder.kept)} cụm đã có")
        self.why.setText(f"Loại: {phrase.why}" if phrase else "")
        self.phrase.setText(phrase.text if phrase else "Đã ghi xong")
        self.status.setText(recorder.message or "Đọc rõ, tự nhiên, như khi mời công dân. "
                            "Bấm Space để bắt đầu ghi, Space lần nữa để dừng.")
        self.record.setText("● Đang ghi — dừng (Space)" if recorder.recording
                            else "Ghi âm (Space)")
        if self.record.property("recording") != recorder.recording:
            self.record.setProperty("recording", recorder.recording)
            self.record.style().unpolish(self.record)
            self.record.style().polish(self.record)
        self.record.setEnabled(not recorder.finished)
        self.play.setEnabled(recorder.take is not None and not recorder.recording)
        self.keep.setEnabled(recorder.take is not None and not recorder.problems
                             and not recorder.recording)
        self.skip.setEnabled(not recorder.finished and not recorder.recording)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.isAutoRepeat():
            return  # Space held down is one press: not record, stop, record …
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.recorder.toggle()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.recorder.keep()
        elif key == Qt.Key.Key_L:
            self.recorder.listen()
        elif key == Qt.Key.Key_Right:
            self.recorder.skip()
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)
