"""The kiosk's composition root: config, printer, connection, controller, window.

``build(args)`` wires everything (and is what the tests drive); ``run(args)`` shows
the window, runs Qt's event loop and shuts down in order: stop watching, close the
connection, let printing and searching finish, stop the kiosk's own server.

Only this module configures logging handlers (a rotating file beside the other
motcua logs) and application-wide things (font, hidden cursor, signals).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.controller import KioskController
from kiosk.printer_watch import PrinterWatch
from kiosk.server_link import ServerLink
from kiosk.style import FONT_FAMILIES
from kiosk.voice_guide import VoiceGuide, speech_engines
from kiosk.window import KioskWindow
from shared.cli.log_file import log_to_file
from shared.core.config import load_office
from shared.core.office import Office, PrintMode
from shared.core.pairing import PairingError, read_secret
from shared.printing.printer import open_printer
from shared.qt.background import ThreadPoolRunner
from shared.qt.client_setup import (
    client_id,
    forget_pairing_code,
    pairing_code,
    remember_pairing_code,
    server_address,
)
from shared.qt.connection import ServerConnection
from shared.qt.error_guard import install as install_error_guard
from shared.qt.joining import OfficeJoin
from shared.qt.pairing_prompt import AskCode, ask_pairing_code
from shared.qt.remote_control import install as install_remote_control
from shared.qt.window_placement import requested_geometry
from shared.voice.audio_player import default_player
from shared.voice.reader import Reader

log = logging.getLogger(__name__)

PROGRAM = "kiosk"
SHUTDOWN_WAIT_MS = 15_000
DEMO_SIZE = (1280, 720)  # --windowed without --size: a landscape screen in small


@dataclass
class Kiosk:
    """Everything one running kiosk is made of."""

    app: QApplication
    office: Office
    connection: ServerConnection
    printer: PrinterWatch
    controller: KioskController
    window: KioskWindow
    link: ServerLink
    runners: tuple[ThreadPoolRunner, ...]
    touch: bool
    guide: VoiceGuide
    join: OfficeJoin | None = None

    def start(self) -> None:
        if self.touch:
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)  # nothing to follow
        self.window.show_kiosk()
        self.printer.start()
        self.link.start()

    def shutdown(self) -> None:
        log.info("the kiosk is stopping")
        self.printer.stop()
        self.link.stop()
        self.connection.close()
        for runner in self.runners:
            if not runner.wait(SHUTDOWN_WAIT_MS):
                log.warning("background work did not end in time")
        self.link.shutdown()
        self.guide.reader.close()
        self.window.allow_close()
        self.window.close()
        if self.touch:
            with suppress(RuntimeError):
                QApplication.restoreOverrideCursor()


def build(args: argparse.Namespace) -> Kiosk:
    """The kiosk as the command line asks, not yet shown or connected."""
    office = load_office(args.config)
    if args.printer:
        office = replace(office, printer=replace(office.printer, spec=args.printer))
    address = server_address(args, office)
    app = _application()
    touch = args.touch if args.touch is not None else not args.windowed

    printer = open_printer(office.printer.spec, width_dots=office.printer.width_dots,
                           profile=office.printer.profile,
                           text_mode=office.printer.mode is PrintMode.TEXT)
    print_runner = ThreadPoolRunner(app)
    search_runner = ThreadPoolRunner(app)
    watch = PrinterWatch(printer, print_runner)
    data_dir = args.data_dir or _default_data_dir()
    # The data directory is looked at quietly here: on a one-PC office it holds no code
    # until the kiosk's own server has made one, which is no reason for a warning.
    given = argparse.Namespace(**{**vars(args), "data_dir": None})
    code = pairing_code(PROGRAM, given) or _local_code(data_dir)
    # Without a file of its own the kiosk takes any office's server it finds, and
    # follows what that server says.
    connection = ServerConnection(
        PROGRAM, client_id(PROGRAM), code or "",
        office_id=office.id if args.config is not None else None, office_name=office.name,
    )
    controller = KioskController(office, connection, watch)
    window = KioskWindow(controller, kiosk_mode=not args.windowed)
    # Spoken guidance on request, through the kiosk's speaker or headphone jack.
    speech_runner = ThreadPoolRunner(app)
    reader = Reader(speech_engines(office.voice), player=default_player(app)[0],
                    runner=speech_runner, loudness_dbfs=office.announcement.loudness_dbfs,
                    volume=office.voice.volume, parent=app)
    guide = VoiceGuide(controller, reader)
    if args.windowed:
        window.resize(*(args.size or DEMO_SIZE))
        placed = requested_geometry()  # `motcua demo` lays out several programs
        if placed is not None:
            window.setGeometry(placed)
    install_remote_control(PROGRAM, app)
    link = ServerLink(connection, office, search_runner, address=address,
                      data_dir=data_dir, config=args.config)
    kiosk = Kiosk(app, office, connection, watch, controller, window, link,
                  (print_runner, search_runner, speech_runner), touch, guide)
    window.quit_requested.connect(app.quit)
    # The kiosk's own search (or its own server) connects; a refusal asks the operator.
    kiosk.join = OfficeJoin(
        connection, ask_code=_touch_safe(ask_pairing_code, touch),
        remember_code=lambda code: remember_pairing_code(PROGRAM, code),
        forget_code=lambda: forget_pairing_code(PROGRAM),
        window=lambda: window, on_unpaired=controller.show_not_paired,
        reconnect=link.reconnect,
        refusal=lambda reason: ("Máy chủ không nhận mã ghép nối của máy cấp số này. / The "
                                "server refused this kiosk's pairing code."),
    )
    log.info("kiosk for %s (%s), printer %s", office.name, office.id, office.printer.spec)
    return kiosk


def run(args: argparse.Namespace) -> int:
    """``motcua kiosk``: run until the operator's key, SIGTERM or Ctrl+C."""
    log_to_file("kiosk")
    kiosk = build(args)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: kiosk.app.quit())
    # Python runs signal handlers only between bytecodes: wake it now and then.
    heartbeat = QTimer(kiosk.app)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(500)
    # Logged only: a citizen at the kiosk has nothing to do with a program's error.
    install_error_guard(lambda text: None, kiosk.app)
    kiosk.start()
    try:
        code = kiosk.app.exec()
    finally:
        kiosk.shutdown()
    return int(code)


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("motcua-kiosk")
    families = set(QFontDatabase.families())
    family = next((f for f in FONT_FAMILIES if f in families), None)
    font = QFont(family) if family else QFont()
    if family is None:
        font.setStyleHint(QFont.StyleHint.SansSerif)
        log.warning("none of %s is installed; Vietnamese letters may look uneven",
                    ", ".join(FONT_FAMILIES))
    app.setFont(font)
    return app


def _default_data_dir() -> Path:
    from shared.cli.main import default_data_dir

    return default_data_dir()


def _local_code(data_dir: Path) -> str | None:
    """The pairing code of a server that ran on this machine before, if any."""
    try:
        return read_secret(data_dir)
    except PairingError:
        return None


def _touch_safe(ask: AskCode, touch: bool) -> AskCode:
    """The pairing question, with the pointer shown while it is asked on a touch kiosk."""

    def asking(parent: QWidget | None, problem: str) -> str | None:
        if touch:
            QApplication.restoreOverrideCursor()  # the operator needs to see the pointer
        try:
            return ask(parent, problem)
        finally:
            if touch:
                QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)

    return asking
