"""A whole kiosk (connection, printer watch, controller, window) assembled against a
running server, for the tests and the screenshot script.

It is put together like ``kiosk.app.build`` does, with two test-sized knobs: a clock
the test moves by hand (for the double-press window) and a fast printer probe.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kiosk.controller import KioskController
from kiosk.printer_watch import PrinterWatch
from kiosk.voice_guide import VoiceGuide
from kiosk.window import KioskWindow
from shared.core.office import Office
from shared.printing.printer import open_printer
from shared.qt.background import ThreadPoolRunner
from shared.qt.connection import ServerConnection
from shared.voice.audio_player import AudioPlayer, NullAudioPlayer
from shared.voice.reader import Reader
from shared.voice.speech import NullSpeechEngine, SpeechEngine


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class KioskRig:
    office: Office
    connection: ServerConnection
    printer: PrinterWatch
    controller: KioskController
    window: KioskWindow
    runner: ThreadPoolRunner
    clock: FakeClock
    reader: Reader
    guide: VoiceGuide

    def close(self) -> None:
        self.reader.close()
        self.printer.stop()
        self.connection.close()
        self.runner.wait(10_000)
        self.window.allow_close()
        self.window.close()
        self.window.deleteLater()
        self.connection.deleteLater()

    def texts(self) -> list[str]:
        """Every text a citizen can see now, top to bottom."""
        return visible_texts(self.window)


def visible_texts(root: QWidget) -> list[str]:
    texts = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel | QAbstractButton) and widget.text().strip():
            # As a person reads it: a no-break space is a space.
            texts.append(widget.text().strip().replace("\u00a0", " "))
    return texts


def assemble(
    office: Office,
    port: int,
    secret: str,
    *,
    printer_spec: str | None = None,
    width_dots: int | None = 384,
    size: tuple[int, int] = (1920, 1080),
    fault_probe_seconds: float = 0.2,
    connect: bool = True,
    controller_options: dict[str, float] | None = None,
    client: Callable[[], str] = lambda: f"kiosk-test-{uuid.uuid4().hex[:8]}",
    own_file: bool = True,
    speech: Callable[[str], SpeechEngine] | None = None,
    player: AudioPlayer | None = None,
) -> KioskRig:
    """A shown kiosk window for ``office`` (its ``[printer]`` replaced when
    ``printer_spec`` is given), connecting to the server on 127.0.0.1:``port``."""
    if printer_spec is not None:
        office = replace(office, printer=replace(office.printer, spec=printer_spec,
                                                 width_dots=width_dots))
    app = QApplication.instance()
    assert app is not None
    runner = ThreadPoolRunner(app)
    printer = open_printer(office.printer.spec, width_dots=office.printer.width_dots)
    watch = PrinterWatch(printer, runner, fault_probe_seconds=fault_probe_seconds)
    # Without a file of its own (``own_file=False``) a kiosk takes any office's server.
    connection = ServerConnection("kiosk", client(), secret,
                                  office_id=office.id if own_file else None,
                                  office_name=office.name)
    clock = FakeClock()
    controller = KioskController(office, connection, watch, clock=clock,
                                 **(controller_options or {}))
    window = KioskWindow(controller, kiosk_mode=False)
    # The spoken guidance, through ``speech(language)`` (silent by default).
    reader = Reader(speech or (lambda language: NullSpeechEngine()),
                    player=player or NullAudioPlayer(), runner=runner)
    guide = VoiceGuide(controller, reader)
    window.resize(*size)
    window.show()
    watch.start()
    if connect:
        connection.connect_to("127.0.0.1", port)
    return KioskRig(office, connection, watch, controller, window, runner, clock, reader,
                    guide)
