"""The counter program's composition root: config, connection, controller, windows.

``run(args)`` is what ``motcua counter`` runs: it reads the office configuration,
finds the pairing code (asking a person once when none is known), connects to the
server (by address or zeroconf), and shows the window the official chose last time.
``CounterProgram`` wires the parts together so that tests build the same program.

Imports Qt and ``shared``; never another program.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QApplication

from counter import key_chords, keypad, style, wording
from counter.controller import CounterController
from counter.remote_keys import RemoteKeys
from counter.shell import CounterShell
from shared.cli.log_file import log_to_file
from shared.core import wire
from shared.core.config import load_office
from shared.core.errors import MotcuaError
from shared.core.office import Office
from shared.printing.printed_ticket import printed_ticket
from shared.printing.printer import TicketPrinter, open_printer
from shared.qt.background import ThreadPoolRunner
from shared.qt.client_setup import (
    client_id,
    forget_pairing_code,
    pairing_code,
    remember_pairing_code,
    server_address,
    settings,
)
from shared.qt.connection import ServerConnection
from shared.qt.error_guard import install as install_error_guard
from shared.qt.joining import OfficeJoin
from shared.qt.pairing_prompt import AskCode, ask_pairing_code
from shared.qt.remote_control import install as install_remote_control
from shared.qt.window_placement import requested_geometry

log = logging.getLogger(__name__)

PROGRAM = "counter"

class CounterProgram(QObject):
    """One counter's program: its connection, controller and windows, wired together."""

    def __init__(
        self,
        connection: ServerConnection,
        counter: int,
        store: QSettings,
        *,
        office: Office | None = None,
        compact: bool | None = None,
        ask_code: AskCode = ask_pairing_code,
        remember_code: Callable[[str], str] = lambda code: remember_pairing_code(PROGRAM, code),
        printer: TicketPrinter | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``printer``: the counter's own, for the numbers it gives to citizens standing
        there (``motcua counter --printer SPEC``); None: shown on screen only."""
        super().__init__(parent)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            style.apply(app)
            # Closing a dialog over the strip (a tool window) would count as closing the
            # last window and end the program; it ends when a form is closed, no sooner.
            app.setQuitOnLastWindowClosed(False)
        self.connection = connection
        self.controller = CounterController(connection, counter, office, parent=self)
        self._printer = printer
        self._office = office
        self._runner = ThreadPoolRunner(self)
        self.shell = CounterShell(self.controller, store, compact=compact,
                                  print_here=None if printer is None else self._print,
                                  parent=self)
        self.join = OfficeJoin(
            connection, ask_code=ask_code, remember_code=remember_code,
            forget_code=lambda: forget_pairing_code(PROGRAM),
            window=lambda: self.shell.active,
            on_unpaired=lambda: self.controller.mark_unpaired(wording.word("unpaired")),
            parent=self,
        )
        self.shell.pairing_requested.connect(lambda: self.join.ask_for_code(""))
        # Global shortcuts and a USB keypad, when `motcua counter` asks for them.
        self.remote_keys = RemoteKeys(self.shell.actions, self.controller, self)

    def _print(self, ticket: wire.Ticket, page: str | None,
               done: Callable[[bool, str], None]) -> None:
        """A ticket issued here, on the counter's own printer, off the GUI thread."""
        printer, office = self._printer, self._office or load_office()
        assert printer is not None
        category = self.controller.printed_priority(ticket.priority)
        paper = printed_ticket(ticket, office, office_name=self.controller.office_name or None,
                               category_name=category, page=page)
        self._runner.run(lambda: printer.print_ticket(paper), lambda _none: done(True, ""),
                         lambda problem: done(False, str(problem)))

    def start(self, address: tuple[str, int] | None, *, have_code: bool = True) -> None:
        """Show the window and connect (by address, or find the server by zeroconf)."""
        self.shell.show()
        self.join.start(address, have_code=have_code)

    def close(self) -> None:
        self.remote_keys.stop()
        self.shell.close()
        self.connection.close()



def use_language(code: str) -> None:
    """Speak ``code`` from now on, if the counter has a catalogue for it; else say so in
    one plain line, before anything else is done."""
    languages = ", ".join(wording.CATALOGUE.languages())
    if code not in wording.CATALOGUE.languages():
        raise MotcuaError(wording.command_line("cli_language", code=code, languages=languages))
    wording.use(code)


def run(args: argparse.Namespace) -> int:
    use_language(args.language)
    office = load_office(args.config)
    counter = int(args.counter)
    if args.config is not None and office.counter(counter) is None:
        known = ", ".join(str(c.number) for c in office.counters)
        raise MotcuaError(wording.command_line("cli_no_counter", counter=counter, known=known))
    address = server_address(args, office)
    # A wrong key spec stops here, in one plain line, before any window opens.
    off = args.global_keys.strip().lower() == "off"
    chords = {} if off else key_chords.bindings(args.global_keys)
    if args.keypad is not None and not sys.platform.startswith("linux"):
        raise MotcuaError(wording.command_line("cli_keypad_linux"))
    pad = None if args.keypad is None else (keypad.usb_id(args.keypad),
                                            keypad.key_map(args.keypad_keys))
    log_to_file(f"counter-{counter}")

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("motcua-counter")
    code = pairing_code(PROGRAM, args)
    connection = ServerConnection(
        "counter", client_id(PROGRAM, counter), code or "", counter=counter,
        # Without a config of its own the counter takes any office's server it finds.
        office_id=office.id if args.config is not None else None, office_name=office.name,
    )
    printer = None
    if args.printer is not None:
        printer = open_printer(args.printer, width_dots=office.printer.width_dots,
                               profile=office.printer.profile)
    program = CounterProgram(
        connection, counter, settings(PROGRAM),
        # The sample office's names would mislead before the real server answers.
        office=office if args.config is not None else None,
        compact=True if args.compact else None,
        printer=printer,
    )
    program.shell.quit_requested.connect(app.quit)
    if chords:
        program.remote_keys.use_global_keys(chords)
    if pad is not None:
        program.remote_keys.use_keypad(*pad)
    placed = requested_geometry()  # `motcua demo` lays out several programs
    if placed is not None:
        program.shell.window.setGeometry(placed)
    install_remote_control(f"{PROGRAM}-{counter}", app)
    install_error_guard(
        lambda _calm: program.controller.report_problem(wording.word("unexpected_error")), app)
    program.start(address, have_code=connection.can_prove)
    try:
        return int(app.exec())
    finally:
        program.close()
