"""The kiosk's printer, watched: prints in the background and knows when it is at fault.

Printing and asking a printer for its status can block (a socket connect, a USB
write, /dev/usb/lp0), so both run through a ``BackgroundRunner`` and their outcome
comes back on the GUI thread as signals. A failed print or a status probe that finds
the printer offline, out of paper or with its cover open puts the watch *at fault*;
while at fault it probes every few seconds and clears the fault as soon as the
printer answers again (or a print succeeds). When healthy it still probes now and
then, so staff hear of an empty paper roll before a citizen does.

Imports QtCore and the printing port; no widgets, no network of its own.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from shared.printing.printer import NullTicketPrinter, PrinterError, PrinterStatus, TicketPrinter
from shared.printing.ticket_image import TicketPrint
from shared.qt.background import BackgroundRunner

log = logging.getLogger(__name__)

FAULT_PROBE_SECONDS = 3.0
IDLE_PROBE_SECONDS = 60.0


class PrinterWatch(QObject):
    """Signals: ``printed(number)`` after a ticket went out whole; ``print_failed(number,
    message)`` when it did not; ``fault_changed(fault, message)`` when the printer goes
    bad or comes back. ``message`` is the printing module's plain Vietnamese / English."""

    printed = Signal(str)
    print_failed = Signal(str, str)
    fault_changed = Signal(bool, str)

    def __init__(
        self,
        printer: TicketPrinter,
        runner: BackgroundRunner,
        *,
        fault_probe_seconds: float = FAULT_PROBE_SECONDS,
        idle_probe_seconds: float = IDLE_PROBE_SECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.printer = printer
        self._runner = runner
        self._fault_ms = int(fault_probe_seconds * 1000)
        self._idle_ms = int(idle_probe_seconds * 1000)
        self._fault = False
        self._message = ""
        self._probing = False
        self._stopped = False
        self._probe_timer = QTimer(self)
        self._probe_timer.setSingleShot(True)
        self._probe_timer.timeout.connect(self.probe)

    @property
    def has_paper(self) -> bool:
        """Whether tickets go to paper at all (``none``: the number is shown only)."""
        return not isinstance(self.printer, NullTicketPrinter)

    @property
    def fault(self) -> bool:
        return self._fault

    @property
    def message(self) -> str:
        """What is wrong (empty when nothing is)."""
        return self._message

    def start(self) -> None:
        """Ask the printer how it is now, then keep watching."""
        self._stopped = False
        self.probe()

    def stop(self) -> None:
        self._stopped = True
        self._probe_timer.stop()

    def print_ticket(self, ticket: TicketPrint) -> None:
        """Print in the background; ``printed`` or ``print_failed`` follows."""
        number = ticket.number

        def work() -> None:
            self.printer.print_ticket(ticket)

        def done(_: None) -> None:
            log.info("printed ticket %s", number)
            self._set_fault(False, "")
            self.printed.emit(number)

        def failed(problem: Exception) -> None:
            message = str(problem)
            if not isinstance(problem, PrinterError):
                log.error("printing ticket %s failed unexpectedly", number, exc_info=problem)
            else:
                log.warning("ticket %s was not printed: %s", number, problem.detail or message)
            self._set_fault(True, message)
            self.print_failed.emit(number, message)

        self._runner.run(work, done, failed)

    def probe(self) -> None:
        """Ask the printer for its status (in the background), unless already asking."""
        if self._probing or self._stopped:
            return
        self._probing = True
        self._runner.run(self.printer.status, self._probed, self._probe_failed)

    def _probed(self, status: PrinterStatus) -> None:
        self._probing = False
        if status.fault:
            log.debug("printer status: %s (%s)", status.state, status.detail)
        self._set_fault(status.fault, status.message if status.fault else "")
        self._schedule()

    def _probe_failed(self, problem: Exception) -> None:
        # status() promises not to raise; if it does, treat it as "cannot tell".
        self._probing = False
        log.error("asking the printer for its status failed", exc_info=problem)
        self._schedule()

    def _schedule(self) -> None:
        if self._stopped:
            return
        self._probe_timer.start(self._fault_ms if self._fault else self._idle_ms)

    def _set_fault(self, fault: bool, message: str) -> None:
        changed = fault != self._fault or (fault and message != self._message)
        self._fault, self._message = fault, message
        if fault and not self._probe_timer.isActive() and not self._probing:
            self._schedule()  # a failed print: start probing for its return now
        elif fault and self._probe_timer.remainingTime() > self._fault_ms:
            self._probe_timer.start(self._fault_ms)
        if changed:
            if fault:
                log.warning("printer fault: %s", message)
            else:
                log.info("the printer works again")
            self.fault_changed.emit(fault, message)
