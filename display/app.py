"""The hall display's composition root: config, connection, announcer, controller, window.

``run(args)`` is what ``motcua display`` runs: it reads the office configuration,
finds the pairing code (asking once when none is known), connects as a read-only
``display`` client (by address or zeroconf), and shows the window full-screen.
``DisplayProgram`` wires the parts, so that tests build exactly the program that runs.

Imports Qt and ``shared``; never another program.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from display import style, wording
from display.controller import DisplayController
from display.hall import hall_from_office
from display.header import Clock
from display.voice import connect_voice, make_announcer
from display.window import DisplayWindow
from shared.cli.log_file import log_to_file
from shared.core import wire
from shared.core.config import load_office
from shared.core.errors import MotcuaError
from shared.core.office import Office
from shared.core.office_from_server import office_from_server
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
from shared.voice.announcer import Announcer

log = logging.getLogger(__name__)

PROGRAM = "display"

class DisplayProgram(QObject):
    """One hall display: its connection, controller, announcer and window, wired."""

    def __init__(
        self,
        connection: ServerConnection,
        office: Office,
        announcer: Announcer,
        *,
        configured: bool = True,
        portrait: bool | None = None,
        clock: Clock | None = None,
        ask_code: AskCode = ask_pairing_code,
        remember_code: Callable[[str], str] = lambda code: remember_pairing_code(PROGRAM, code),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_font(app)
        self.local_office = office
        self.office = office  # the server's word replaces it at every snapshot
        self.connection = connection
        self.announcer = announcer
        the_clock: Clock = clock or (lambda: datetime.now(ZoneInfo(self.office.timezone)))
        self.controller = DisplayController(
            connection, office.display,
            # Without a configuration of its own, the sample office's names would
            # mislead until the server answers: show nothing rather than wrong names.
            hall=hall_from_office(office) if configured else None,
            parent=self,
        )
        connect_voice(self.controller, announcer, lambda: self.office)
        self.window = DisplayWindow(
            self.controller, office.notice, the_clock,
            portrait=portrait,
        )
        self.join = OfficeJoin(
            connection, ask_code=ask_code, remember_code=remember_code,
            forget_code=lambda: forget_pairing_code(PROGRAM),
            window=lambda: self.window, on_unpaired=self.controller.mark_unpaired, parent=self,
        )
        connection.snapshot.connect(self._adopt)

    def start(self, address: tuple[str, int] | None, *, windowed: bool = False,
              have_code: bool = True) -> None:
        """Show the window and connect (by address, or find the server by zeroconf)."""
        self.window.show_on_tv(windowed=windowed)
        self.join.start(address, have_code=have_code)

    def close(self) -> None:
        """Quit cleanly: no new calls, the sentence being made finished, files removed."""
        self.connection.close()
        self.announcer.close()
        self.window.close()
        # Now, not at the interpreter's exit, when Qt may already be gone.
        self.window.deleteLater()


    def _adopt(self, snapshot: wire.Snapshot) -> None:
        """Everything office-wide as the server says it: the voice and its reading
        rules, the notice line, how many calls are listed, the time zone."""
        office = office_from_server(self.local_office, snapshot)
        if office == self.office:
            return
        self.office = office
        self.announcer.adopt(office.announcement, office.voice)
        self.controller.settings = office.display
        self.window.set_notice(office.notice)
        self.controller.changed.emit()  # the list of calls may have another length
        log.info("office settings from the server: %s (%s)", office.name, office.id)



def apply_font(app: QApplication) -> None:
    """A sans family that carries every Vietnamese letter, wherever one is installed."""
    font = QFont(app.font())
    font.setFamilies(list(style.FONT_FAMILIES))
    app.setFont(font)


def run(args: argparse.Namespace) -> int:
    languages = wording.CATALOGUE.languages()
    if args.language not in languages:
        raise MotcuaError(f"--language {args.language}: màn hình chỉ có {', '.join(languages)}"
                          f" (thêm ngôn ngữ: docs/languages.md). / The display speaks "
                          f"{', '.join(languages)}.")
    wording.use(args.language)
    office = load_office(args.config)
    if args.hall is not None:  # this TV's hall: its own choice, not the office's
        office = replace(office, display=replace(office.display, hall=args.hall))
    address = server_address(args, office)
    log_to_file("display")

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("motcua-display")
    app.setApplicationDisplayName("Màn hình phòng chờ")
    code = pairing_code(PROGRAM, args)
    announcer = make_announcer(office, voice=not args.no_voice)
    if not announcer.enabled:
        log.info("voice is off on this display")
    connection = ServerConnection(
        "display", client_id(PROGRAM), code or "",
        # Without a config of its own the display takes any office's server it finds.
        office_id=office.id if args.config is not None else None, office_name=office.name,
        speaks=announcer.enabled,  # the server picks one display per hall to speak
        hall=office.display.hall,
    )
    program = DisplayProgram(
        connection, office, announcer,
        configured=args.config is not None,
        portrait=True if args.portrait else None,
    )
    program.window.quit_requested.connect(app.quit)
    program.start(address, windowed=args.windowed, have_code=connection.can_prove)
    placed = requested_geometry()  # `motcua demo` lays out several programs
    if placed is not None and args.windowed:
        program.window.setGeometry(placed)
    install_remote_control(PROGRAM, app)
    install_error_guard(
        lambda _calm: program.controller.report_problem(wording.word("unexpected_error")), app)
    try:
        return int(app.exec())
    finally:
        program.close()
