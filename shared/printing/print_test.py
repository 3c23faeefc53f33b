"""``motcua print-test [--printer SPEC]``: print a sample ticket and say what happened.

For the ward IT person setting up a kiosk printer: it names the printer and its width,
asks the printer how it is, prints a ticket with real Vietnamese text, and when anything
fails says in plain words what to check — never a traceback.
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime

from shared.core.errors import MotcuaError
from shared.core.office import Office, PrintMode
from shared.core.printer_spec import NoPrinterSpec, PrinterSpecError, parse_spec
from shared.printing.printer import EscposTicketPrinter, PrinterError
from shared.printing.ticket_image import TicketPrint

log = logging.getLogger(__name__)

SAMPLE_SERVICE = "Chứng thực bản sao, chữ ký – Hộ tịch"  # when the office has no service


def sample_ticket(office: Office, now: datetime | None = None) -> TicketPrint:
    """A ticket as the office would print it, for its longest service name (to show wrapping)."""
    moment = office.local_time(now or datetime.now().astimezone())
    service = max(office.services, key=lambda s: len(s.name), default=None)
    number = f"{service.prefix}001" if service else "A001"
    qr = None
    if office.printer.qr_url:
        qr = office.printer.qr_url.format(number=number, service=service.code if service
                                          else "A", office=office.id)
    return TicketPrint(
        office_name=office.name,
        service_name=service.name if service else SAMPLE_SERVICE,
        number=number,
        issued_at=moment,
        ahead=3,
        qr=qr,
        footer=office.printer.footer,
        qr_caption=office.printer.qr_caption,
    )


def print_test(office: Office, spec: str | None, width_dots: int | None = None) -> int:
    """Print a sample ticket to ``spec`` (default: the office's printer), ``width_dots``
    wide (default: the office's, else the printer profile's, else 384); 0 when it printed.

    Returns 2 for a spec or setting that names no usable printer, 1 when the printer
    could not print; the reason goes to stderr.
    """
    text = spec if spec is not None else office.printer.spec
    try:
        parsed = parse_spec(text)
        if isinstance(parsed, NoPrinterSpec):
            _problem("Chưa chọn máy in (none): không có gì được in. Dùng --printer SPEC hoặc "
                     "đặt spec trong mục [printer] của tệp cấu hình. / No printer is set "
                     "(none), so nothing was printed: give --printer SPEC or set spec in "
                     "the [printer] section of the office file.")
            return 2
        printer = EscposTicketPrinter(
            parsed, width_dots or office.printer.width_dots, office.printer.profile,
            text_mode=office.printer.mode is PrintMode.TEXT,
        )
    except (PrinterSpecError, MotcuaError) as problem:
        _problem(str(problem))
        return 2
    print(f"Máy in / printer: {parsed}, {printer.width_dots} dots "
          f"({'58' if printer.width_dots <= 432 else '80'} mm)")
    status = printer.status()
    if status.fault:
        _problem(status.message, status.detail)
        return 1
    print(f"Trạng thái / status: {status.message}")
    ticket = sample_ticket(office)
    try:
        job = printer.render(ticket)
        printer.send(job)
    except PrinterError as problem:
        _problem(str(problem), problem.detail)
        return 1
    except MotcuaError as problem:  # no font with Vietnamese letters, for one
        _problem(str(problem))
        return 2
    print(f"Đã gửi vé mẫu {ticket.number} ({len(job)} bytes). Kiểm tra vé: chữ tiếng Việt "
          f"có dấu, số to, giấy được cắt. / Sent sample ticket {ticket.number} ({len(job)} "
          "bytes). Check it: Vietnamese letters with their marks, a big number, a cut.")
    return 0


def _problem(message: str, detail: str = "") -> None:
    print(f"motcua print-test: {message}", file=sys.stderr)
    if detail:
        print(f"  (chi tiết / detail: {detail})", file=sys.stderr)
