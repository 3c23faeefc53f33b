"""The ticket printer port, its python-escpos adapter and its null object.

``EscposTicketPrinter`` renders a ticket to bytes (pure, see ``escpos_job``) and sends
them in one write through the python-escpos connector its spec names; every library
or OS failure becomes a :class:`PrinterError` whose message says, in Vietnamese and
English, what to check. ``status()`` asks the printer itself (ESC/POS real-time status,
DLE EOT) where the connection can answer, and never raises, so a kiosk can keep
probing and clear its fault when the printer is back.

Connector classes are imported only when a printer of their kind is used, so a missing
pyusb, pyserial, pycups or pywin32 matters only to offices that need it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from shared.core.errors import MotcuaError
from shared.core.printer_spec import (
    CupsSpec,
    FileSpec,
    NetworkSpec,
    NoPrinterSpec,
    PrinterSpec,
    PrinterSpecError,
    SerialSpec,
    UsbSpec,
    Win32Spec,
    parse_spec,
)
from shared.core.system_words import said
from shared.printing.escpos_job import (
    PrinterProfileError,
    profile_width,
    supports_tcvn3,
    text_job,
    ticket_job,
)
from shared.printing.ticket_image import TicketPrint, render_ticket

log = logging.getLogger(__name__)

DEFAULT_WIDTH = 384  # 58 mm paper, the most common kiosk printer
_PACKAGES = {  # kind: (python-escpos class, what to install)
    "usb": ("Usb", "pyusb (pip install pyusb, plus libusb)"),
    "serial": ("Serial", "pyserial (pip install pyserial)"),
    "cups": ("CupsPrinter", "pycups (apt install python3-cups, or pip install pycups)"),
    "win32": ("Win32Raw", "pywin32 (pip install pywin32)"),
}

# DLE EOT n, ESC/POS real-time status: answered at once, even while the printer is offline.
_ASK_PRINTER, _ASK_OFFLINE_CAUSE, _ASK_PAPER = b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04"
_OFFLINE, _COVER_OPEN, _PAPER_STOP = 0x08, 0x04, 0x20  # bits of the first two answers
_PAPER_LOW, _PAPER_END = 0x0C, 0x60  # bits of the paper sensor answer


class PrinterState(StrEnum):
    OK = "ok"
    OFFLINE = "offline"  # absent, unreachable, switched off, or reporting itself offline
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    UNKNOWN = "unknown"  # reachable, but the connection cannot tell paper or cover


_MESSAGES = {
    PrinterState.OK: "Máy in sẵn sàng. / The printer is ready.",
    PrinterState.OFFLINE: "Máy in báo đang ngừng (offline): kiểm tra máy in và đèn báo lỗi. "
                          "/ The printer reports it is offline: check it and its error light.",
    PrinterState.PAPER_OUT: "Máy in hết giấy: thay cuộn giấy mới. / The printer is out of "
                            "paper: put in a new roll.",
    PrinterState.COVER_OPEN: "Nắp máy in đang mở: đóng nắp lại. / The printer cover is open: "
                             "close it.",
    PrinterState.UNKNOWN: "Đã kết nối máy in, nhưng máy in không báo trạng thái giấy và nắp. / "
                          "The printer is connected but does not report paper or cover.",
}
_PAPER_LOW_MESSAGE = ("Máy in sẵn sàng, giấy sắp hết. / The printer is ready; the paper "
                      "roll is nearly used up.")


@dataclass(frozen=True)
class PrinterStatus:
    state: PrinterState
    message: str  # Vietnamese, then English: what a kiosk shows and reports
    detail: str = ""  # the library's own words, for the log and the IT person

    @property
    def fault(self) -> bool:
        """Whether a ticket cannot be printed now (unknown is not a fault: try it)."""
        return self.state in (PrinterState.OFFLINE, PrinterState.PAPER_OUT,
                              PrinterState.COVER_OPEN)


def read_status(printer: int, offline_cause: int | None = None,
                paper: int | None = None) -> PrinterState:
    """The state told by the answers to DLE EOT 1, 2 and 4 (pure)."""
    if printer & _OFFLINE:
        cause = offline_cause or 0
        if cause & _COVER_OPEN:
            return PrinterState.COVER_OPEN
        return PrinterState.PAPER_OUT if cause & _PAPER_STOP else PrinterState.OFFLINE
    if paper is not None and paper & _PAPER_END == _PAPER_END:
        return PrinterState.PAPER_OUT
    return PrinterState.OK


class PrinterError(MotcuaError):
    """A ticket that could not be printed: ``str()`` says what to check, ``detail`` why."""

    def __init__(self, message: str, state: PrinterState = PrinterState.OFFLINE,
                 detail: str = "") -> None:
        self.state = state
        self.detail = detail
        super().__init__(message)


class TicketPrinter(Protocol):
    def print_ticket(self, ticket: TicketPrint) -> None:
        """Print one ticket, or raise PrinterError."""

    def status(self) -> PrinterStatus:
        """The printer's condition now; never raises."""


@dataclass
class NullTicketPrinter:
    """No printer (spec ``none``): prints nothing, is always fine, remembers the tickets."""

    printed: list[TicketPrint] = field(default_factory=list)

    def print_ticket(self, ticket: TicketPrint) -> None:
        self.printed.append(ticket)

    def status(self) -> PrinterStatus:
        return PrinterStatus(PrinterState.OK, "Không dùng máy in (none). / No printer is used.")


def open_printer(spec: str | PrinterSpec, *, width_dots: int | None = None,
                 profile: str | None = None, text_mode: bool = False) -> TicketPrinter:
    """The printer ``spec`` names: NullTicketPrinter for ``none``, else EscposTicketPrinter."""
    parsed = parse_spec(spec) if isinstance(spec, str) else spec
    if isinstance(parsed, NoPrinterSpec):
        return NullTicketPrinter()
    return EscposTicketPrinter(parsed, width_dots, profile, text_mode=text_mode)


class EscposTicketPrinter:
    """A receipt printer reached through python-escpos (usb, serial, network, file, …).

    Width: ``width_dots``, else the media width of the python-escpos ``profile``, else
    384 (58 mm paper). ``text_mode`` prints in the printer's own font with TCVN-3 and
    needs a named profile that has those code pages.
    """

    def __init__(self, spec: str | PrinterSpec, width_dots: int | None = None,
                 profile: str | None = None, *, text_mode: bool = False,
                 timeout: float = 5.0, font_path: Path | None = None) -> None:
        parsed = parse_spec(spec) if isinstance(spec, str) else spec
        if isinstance(parsed, NoPrinterSpec):
            raise PrinterSpecError("none", "names no printer; open_printer() gives a "
                                   "NullTicketPrinter for it")
        if text_mode and (profile in (None, "default") or not supports_tcvn3(profile)):
            raise PrinterProfileError(said("text_mode_profile", profile=profile))
        self.spec = parsed
        self.profile = profile
        self.width_dots = width_dots or profile_width(profile) or DEFAULT_WIDTH
        self.text_mode = text_mode
        self.timeout = timeout
        self.font_path = font_path
        self._lock = threading.Lock()  # one job or probe at a time per device
        self._failing = False

    def render(self, ticket: TicketPrint) -> bytes:
        """The complete job for ``ticket`` (pure)."""
        if self.text_mode:
            assert self.profile is not None
            return text_job(ticket, profile=self.profile, qr=ticket.qr)
        image = render_ticket(ticket, self.width_dots, self.font_path)
        return ticket_job(image, profile=self.profile)

    def print_ticket(self, ticket: TicketPrint) -> None:
        try:
            job = self.render(ticket)
        except MotcuaError as problem:
            raise PrinterError(f"Không tạo được vé để in. / The ticket could not be "
                               f"prepared: {problem}", PrinterState.UNKNOWN) from problem
        self.send(job)

    def send(self, job: bytes) -> None:
        """Write ``job`` to the printer in one piece; raise PrinterError if it fails."""
        with self._lock:
            connector = self._connector(self.timeout)
            try:
                self._open(connector, self.timeout)
                if isinstance(self.spec, SerialSpec):  # python-escpos sets no write timeout
                    connector.device.write_timeout = self.timeout
                connector._raw(job)  # the prebuilt job, as python-escpos advises
                connector.close()  # CUPS and Windows print the job only when it closes
            except Exception as exc:
                raise self._failed(exc) from exc
            finally:
                _close_quietly(connector)
        if self._failing:
            log.info("printer %s works again", self.spec)
        self._failing = False

    def status(self) -> PrinterStatus:
        with self._lock:
            try:
                if isinstance(self.spec, FileSpec):
                    return self._file_status(Path(self.spec.path))
                timeout = min(self.timeout, 2.0)  # a probe must not hold the kiosk up
                connector = self._connector(timeout)
                if isinstance(self.spec, Win32Spec):  # opening would start a print job
                    listed = self.spec.name in connector.printers
                    return self._status(PrinterState.UNKNOWN if listed else None)
            except PrinterError as problem:
                return PrinterStatus(problem.state, str(problem), problem.detail)
            try:
                return self._probe(connector, timeout)
            finally:
                _close_quietly(connector)

    def _probe(self, connector: Any, timeout: float) -> PrinterStatus:
        try:
            self._open(connector, timeout)
            if isinstance(self.spec, CupsSpec):  # python-escpos answers b"8" for a stopped queue
                stopped = bytes(connector._read()) == b"8"
                return self._status(None if stopped else PrinterState.UNKNOWN)
            printer = _ask(connector, _ASK_PRINTER)
            if printer is None:
                return self._status(PrinterState.UNKNOWN)
            offline = bool(printer & _OFFLINE)
            cause = _ask(connector, _ASK_OFFLINE_CAUSE) if offline else None
            paper = None if offline else _ask(connector, _ASK_PAPER)
        except Exception as exc:
            log.debug("printer %s does not answer: %s", self.spec, exc)
            return self._status(None, _detail(exc))
        state = read_status(printer, cause, paper)
        if state is PrinterState.OK and paper is not None and paper & _PAPER_LOW == _PAPER_LOW:
            return PrinterStatus(state, _PAPER_LOW_MESSAGE)
        return self._status(state)

    def _file_status(self, path: Path) -> PrinterStatus:
        """A device file cannot answer; it can only be there and writable, or not."""
        if path.exists():
            usable = os.access(path, os.W_OK)
        else:  # a device node must exist; a plain file is created by the first ticket
            parent = path.parent
            usable = not str(path).startswith("/dev/") and parent.is_dir() and os.access(
                parent, os.W_OK)
        return self._status(PrinterState.UNKNOWN if usable else None)

    def _status(self, state: PrinterState | None, detail: str = "") -> PrinterStatus:
        """``state``'s status; None: the printer cannot be reached, say what to check."""
        if state is None:
            return PrinterStatus(PrinterState.OFFLINE, self._advice(), detail)
        return PrinterStatus(state, _MESSAGES[state])

    def _connector(self, timeout: float) -> Any:
        """A python-escpos printer object for the spec, not yet opened."""
        import escpos.printer as connectors

        spec = self.spec
        if spec.kind in _PACKAGES:
            name, package = _PACKAGES[spec.kind]
            if not getattr(connectors, name).is_usable():
                raise PrinterError(
                    f"Máy in kiểu {spec.kind} cần cài thêm gói {package}. / "
                    f"{spec.kind} printers need the package {package}.", PrinterState.OFFLINE)
        match spec:
            case NetworkSpec(host, port):
                return connectors.Network(host, port, timeout=timeout)
            case UsbSpec(vendor, product):
                return connectors.Usb(vendor, product, timeout=int(timeout * 1000))
            case SerialSpec(device, baud):
                return connectors.Serial(devfile=device, baudrate=baud, timeout=timeout)
            case FileSpec(path):
                return connectors.File(devfile=path)
            case CupsSpec(name):
                return connectors.CupsPrinter(printer_name=name)
            case Win32Spec(name):
                return connectors.Win32Raw(printer_name=name)
        raise AssertionError(spec)  # pragma: no cover

    def _open(self, connector: Any, timeout: float) -> None:
        if isinstance(self.spec, NetworkSpec):
            # python-escpos's own open() is IPv4-only and leaks its socket when the
            # connection fails; a connected socket handed over works the same.
            address = (self.spec.host, self.spec.port)
            connector.device = socket.create_connection(address, timeout=timeout)
        else:
            connector.open()

    def _advice(self) -> str:
        """What to check when this printer cannot be reached, in Vietnamese and English."""
        match self.spec:
            case NetworkSpec(host, port):
                return (f"Không kết nối được máy in mạng {host}:{port}: kiểm tra máy in đã bật, "
                        f"còn giấy, cáp mạng và địa chỉ IP trong cấu hình. / Cannot reach the "
                        f"network printer at {host}:{port}: check that it is on and has "
                        f"paper, its network cable, and the address in the config.")
            case UsbSpec():
                return (f"Không tìm thấy máy in USB {self.spec}: kiểm tra cáp USB, nguồn điện "
                        f"và giấy. / USB printer {self.spec} not found: check the USB cable, "
                        f"the power and the paper (on Linux also the device permission).")
            case SerialSpec(device, baud):
                return (f"Không in được qua cổng {device}: kiểm tra cáp, nguồn điện, tên cổng "
                        f"và tốc độ {baud} baud. / Cannot print through {device}: check the "
                        f"cable, the power, the port name and the baud rate ({baud}).")
            case FileSpec(path):
                return (f"Không ghi được vào {path}: kiểm tra máy in đã cắm, đã bật, còn giấy, "
                        f"và quyền ghi. / Cannot write to {path}: check that the printer is "
                        f"plugged in, on and has paper, and that this user may write to it.")
            case CupsSpec(name) | Win32Spec(name):
                where = "lpstat -p" if isinstance(self.spec, CupsSpec) else "Settings › Printers"
                return (f"Máy in {name!r} không sẵn sàng: kiểm tra tên máy in ({where}), nguồn "
                        f"điện và giấy. / Printer {name!r} is not available: check its name "
                        f"({where}), the power and the paper.")
        raise AssertionError(self.spec)  # pragma: no cover

    def _failed(self, exc: Exception) -> PrinterError:
        detail = _detail(exc)
        # A kiosk retries every few seconds: say it once, then quietly.
        (log.debug if self._failing else log.warning)("printing to %s failed: %s",
                                                       self.spec, detail)
        self._failing = True
        return PrinterError(self._advice(), PrinterState.OFFLINE, detail)


def _ask(connector: Any, question: bytes) -> int | None:
    """The first byte the printer answers to ``question``; None if it says nothing."""
    connector._raw(question)  # a failure here means the printer is gone: let it raise
    try:
        answer = bytes(connector._read())
    except Exception:  # a timeout, or a connection that cannot read: no status to tell
        return None
    return answer[0] if answer else None


def _detail(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _close_quietly(connector: Any) -> None:
    try:
        connector.close()
    except Exception:  # closing a connection that never opened may fail; nothing to do
        log.debug("closing the printer connection failed", exc_info=True)
