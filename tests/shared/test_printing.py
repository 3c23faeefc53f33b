"""Printing: spec strings, the ticket image, exact ESC/POS bytes, and real connections —
a TCP listener on 127.0.0.1 stands in for a network printer, a file for /dev/usb/lp0."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, ImageFont

from shared.cli.demo import free_port
from shared.cli.main import main
from shared.core.office import Office
from shared.core.printer_spec import (
    CupsSpec,
    FileSpec,
    NetworkSpec,
    NoPrinterSpec,
    PrinterSpecError,
    SerialSpec,
    UsbSpec,
    Win32Spec,
    parse_spec,
)
from shared.core.ticket import Ticket
from shared.printing.escpos_job import PrinterProfileError, text_job, ticket_job
from shared.printing.print_test import print_test, sample_ticket
from shared.printing.printer import (
    EscposTicketPrinter,
    NullTicketPrinter,
    PrinterError,
    PrinterState,
    open_printer,
    read_status,
)
from shared.printing.ticket_image import (
    FontError,
    TicketPrint,
    find_fonts,
    render_ticket,
    ticket_print,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
ESC_INIT, RASTER, CUT = b"\x1b@", b"\x1dv0", b"\x1dV"
LONG_NAME = ("Chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, "
             "giao dịch liên quan đến quyền sử dụng đất và nhà ở")


def make_ticket(**changes: object) -> TicketPrint:
    ticket = TicketPrint(
        office_name="UBND Phường Mẫu", service_name="Tư pháp – Hộ tịch", number="A023",
        issued_at=datetime(2025, 3, 15, 8, 42, tzinfo=HANOI), ahead=5,
        footer="Vui lòng chờ đến lượt",
    )
    return replace(ticket, **changes)  # type: ignore[arg-type]


class Listener:
    """A one-connection TCP server in a thread: records what it receives, and answers
    DLE EOT status questions from ``answers`` (n -> byte) like a receipt printer."""

    def __init__(self, answers: dict[int, int] | None = None) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(10)
        self.port = int(self.server.getsockname()[1])
        self.answers = answers
        self.received = bytearray()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _ = self.server.accept()
        with connection:
            connection.settimeout(10)
            while chunk := connection.recv(65536):
                self.received += chunk
                if self.answers is not None:
                    if self.received[-3:-1] != b"\x10\x04":
                        continue
                    answer = self.answers.get(self.received[-1])
                    if answer is None:
                        return  # a printer that does not answer: hang up
                    connection.sendall(bytes([answer]))

    def join(self) -> bytes:
        self.thread.join(10)
        assert not self.thread.is_alive()
        self.server.close()
        return bytes(self.received)


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.server.close()


# -- spec strings ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "spec"), [
    ("usb:0x0416:0x5011", UsbSpec(0x0416, 0x5011)),
    ("usb:0416:5011", UsbSpec(0x0416, 0x5011)),
    ("USB:04b8:0E15", UsbSpec(0x04B8, 0x0E15)),
    ("serial:/dev/ttyUSB0", SerialSpec("/dev/ttyUSB0", 9600)),
    ("serial:/dev/ttyS0:19200", SerialSpec("/dev/ttyS0", 19200)),
    ("serial:COM3", SerialSpec("COM3", 9600)),
    ("serial:COM3:115200", SerialSpec("COM3", 115200)),
    ("network:192.168.1.50", NetworkSpec("192.168.1.50", 9100)),
    ("network:192.168.1.50:9101", NetworkSpec("192.168.1.50", 9101)),
    ("network:printer.local", NetworkSpec("printer.local", 9100)),
    ("network:[fe80::1]:9100", NetworkSpec("fe80::1", 9100)),
    ("network:[::1]", NetworkSpec("::1", 9100)),
    ("file:/dev/usb/lp0", FileSpec("/dev/usb/lp0")),
    ("file:C:\\tickets\\out.bin", FileSpec("C:\\tickets\\out.bin")),
    ("cups:TM-T20", CupsSpec("TM-T20")),
    ("win32:EPSON TM-T88V Receipt", Win32Spec("EPSON TM-T88V Receipt")),
    ("none", NoPrinterSpec()),
    ("  None ", NoPrinterSpec()),
])
def test_parse_spec_accepts_every_form(text: str, spec: object) -> None:
    assert parse_spec(text) == spec


@pytest.mark.parametrize("text", [
    "", "lp0", "bluetooth:AA:BB", "none:x",
    "usb:0416", "usb:0416:5011:1", "usb:xyz:5011", "usb:12345:1", "usb:0:1",
    "serial:", "serial::9600", "serial:/dev/ttyS0:1234",
    "network:", "network:192.168.1.50:0", "network:192.168.1.50:70000",
    "network:host name", "network:[fe80::1", "network:192.168.1.50:abc",
    "file:", "cups:", "win32:  ",
])
def test_parse_spec_refuses_bad_specs_naming_the_forms(text: str) -> None:
    with pytest.raises(PrinterSpecError) as caught:
        parse_spec(text)
    assert "network:HOST[:PORT]" in str(caught.value)
    assert "usb:VID:PID" in str(caught.value)


def test_spec_round_trips_through_its_string() -> None:
    for text in ("usb:0x0416:0x5011", "serial:COM3:9600", "network:[::1]:9100",
                 "network:10.0.0.9:9100", "file:/dev/usb/lp0", "cups:X", "none"):
        assert str(parse_spec(text)) == text


# -- the ticket image --------------------------------------------------------------------

def black_columns(image: Image.Image) -> tuple[bool, bool]:
    """Whether any pixel prints in the leftmost and the rightmost column."""
    pixels = image.load()
    assert pixels is not None
    left = any(pixels[0, y] == 0 for y in range(image.height))
    right = any(pixels[image.width - 1, y] == 0 for y in range(image.height))
    return left, right


@pytest.mark.parametrize("width", [384, 512, 576])
def test_image_is_one_bit_and_exactly_the_paper_width(width: int) -> None:
    image = render_ticket(make_ticket(qr="https://tra-cuu.example.vn/?so=A023",
                                      priority_label="Ưu tiên: Người cao tuổi"), width)
    assert image.mode == "1"
    assert image.width == width
    assert black_columns(image) == (False, False)


@pytest.mark.parametrize("width", [384, 576])
def test_long_vietnamese_names_wrap_and_are_never_clipped(width: int) -> None:
    short = render_ticket(make_ticket(), width)
    long = render_ticket(make_ticket(service_name=LONG_NAME,
                                     office_name="Trung tâm Phục vụ hành chính công tỉnh "
                                                 "Thừa Thiên Huế"), width)
    unbreakable = render_ticket(make_ticket(service_name="Đ" * 80), width)
    assert long.height > short.height + 100  # several more lines, not one squeezed line
    assert unbreakable.height > short.height
    for image in (long, unbreakable):
        assert image.width == width
        assert black_columns(image) == (False, False)
        assert image.getpixel((width // 2, image.height - 1)) == 255  # bottom row is blank


def test_number_is_as_large_as_the_width_allows() -> None:
    image = render_ticket(make_ticket(), 384).convert("L")
    # The widest row of ink belongs to the number: it spans most of the paper.
    widest = 0
    for y in range(image.height):
        row = [x for x in range(image.width) if image.getpixel((x, y)) == 0]
        if row:
            widest = max(widest, row[-1] - row[0])
    assert widest > 384 * 0.85


def test_render_is_deterministic() -> None:
    assert render_ticket(make_ticket(), 384).tobytes() == render_ticket(make_ticket(),
                                                                        384).tobytes()


def test_font_without_vietnamese_letters_is_refused(tmp_path: Path) -> None:
    latin_only = tmp_path / "aileron.ttf"  # Pillow's built-in font: no Vietnamese letters
    latin_only.write_bytes(ImageFont.load_default(12).path.getvalue())  # type: ignore[union-attr]
    with pytest.raises(FontError, match="không có chữ tiếng Việt"):
        render_ticket(make_ticket(), 384, latin_only)
    with pytest.raises(FontError):
        find_fonts(tmp_path / "missing.ttf")
    regular, bold = find_fonts()
    assert Path(regular).is_file()
    assert Path(bold).is_file()


def test_ticket_print_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make_ticket(issued_at=datetime(2025, 3, 15, 8, 42))


def test_ticket_print_from_office_and_ticket(office: Office) -> None:
    office = replace(office, printer=replace(office.printer, qr_url="https://x.vn/?so={number}"
                                                                    "&dv={service}&o={office}"))
    category = office.priority.categories[0] if office.priority.categories else None
    issued = datetime(2025, 3, 15, 1, 42, tzinfo=UTC)
    ticket = Ticket(id=1, day=date(2025, 3, 15), number="B007", sequence=7,
                    origin_service="B", service="B",
                    priority=category.code if category else None,
                    issued_at=issued, queued_at=issued)
    printed = ticket_print(office, ticket, ahead=2)
    assert printed.service_name == office.service("B").name  # type: ignore[union-attr]
    assert printed.issued_at.strftime("%d/%m/%Y %H:%M") == "15/03/2025 08:42"
    assert printed.qr == f"https://x.vn/?so=B007&dv=B&o={office.id}"
    assert printed.footer == office.printer.footer
    if category:
        assert printed.priority_label == f"Ưu tiên: {category.name}"


# -- job bytes -----------------------------------------------------------------------------

def test_job_bytes_exactly_for_a_tiny_image() -> None:
    image = Image.new("1", (16, 2), 1)
    for x in range(16):
        image.putpixel((x, 0), 0)  # first row all black
    for x in range(8):
        image.putpixel((x, 1), 0)  # second row: left half black
    assert ticket_job(image) == (
        ESC_INIT
        + RASTER + b"\x00" + b"\x02\x00" + b"\x02\x00" + b"\xff\xff" + b"\xff\x00"
        + b"\x1bd\x06"  # feed six lines, past the blade
        + b"\x1dV\x00"  # full cut
    )
    assert ticket_job(image, cut=False).endswith(b"\xff\x00\x1bd\x06")


@pytest.mark.parametrize("width", [384, 512, 576])
def test_job_is_init_raster_at_the_paper_width_then_cut(width: int) -> None:
    image = render_ticket(make_ticket(service_name=LONG_NAME * 3), width)
    job = ticket_job(image)
    assert job.startswith(ESC_INIT + RASTER)
    assert job.endswith(b"\x1bd\x06" + CUT + b"\x00")
    width_bytes = (width // 8).to_bytes(2, "little")
    headers = job.split(RASTER)[1:]
    assert len(headers) >= 1
    rows = 0
    for part in headers:
        assert part[0] == 0  # normal density
        assert part[1:3] == width_bytes
        rows += int.from_bytes(part[3:5], "little")
    assert rows == image.height  # tall tickets come in several bands, none lost


def test_text_mode_uses_tcvn3_code_pages() -> None:
    job = text_job(make_ticket(service_name="Đất đai – Địa chính"), profile="TM-T88V",
                   qr="https://x.vn/?so=A023")
    assert job.startswith(ESC_INIT)
    assert b"\x1bt\x1e" in job  # TCVN-3-1, lower case
    assert b"\x1bt\x1f" in job  # TCVN-3-2, capitals (Đ, Ơ, Ư, …)
    assert b"?" not in job.replace(b"?so=", b"")  # every Vietnamese letter was encodable
    assert b"\x1d(k" in job  # the QR code, drawn by the printer
    assert job.endswith(CUT + b"\x00")
    with pytest.raises(PrinterProfileError):
        text_job(make_ticket(), profile="NT-5890K")  # CP1258 only


# -- printers --------------------------------------------------------------------------------

def test_network_printer_receives_exactly_one_complete_job(listener: Listener) -> None:
    printer = EscposTicketPrinter(f"network:127.0.0.1:{listener.port}", 576)
    ticket = make_ticket()
    printer.print_ticket(ticket)
    received = listener.join()
    assert received == printer.render(ticket)
    assert received == ticket_job(render_ticket(ticket, 576))


def test_network_printer_on_ipv6() -> None:
    try:
        server = socket.create_server(("::1", 0), family=socket.AF_INET6)
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with server:
        server.settimeout(10)
        printer = EscposTicketPrinter(f"network:[::1]:{server.getsockname()[1]}")
        job = b"\x1b@hello\x1dV\x00"
        done = threading.Thread(target=printer.send, args=(job,))
        done.start()
        connection, _ = server.accept()
        with connection:
            received = b""
            while chunk := connection.recv(1024):
                received += chunk
        done.join(10)
    assert received == job


def test_file_printer_writes_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "lp0"
    printer = EscposTicketPrinter(f"file:{path}")
    ticket = make_ticket()
    printer.print_ticket(ticket)
    assert path.read_bytes() == ticket_job(render_ticket(ticket, 384))
    assert printer.status().state is PrinterState.UNKNOWN  # there, but cannot tell paper


def test_refused_connection_is_a_plain_printer_error() -> None:
    port = free_port()
    printer = EscposTicketPrinter(f"network:127.0.0.1:{port}")
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(make_ticket())
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message
    assert "kiểm tra" in message
    assert "check" in message
    assert "Traceback" not in message
    assert "refused" in caught.value.detail.lower()
    status = printer.status()
    assert status.state is PrinterState.OFFLINE
    assert status.fault


def test_missing_device_file_is_offline(tmp_path: Path) -> None:
    printer = EscposTicketPrinter(f"file:{tmp_path}/no/such/dir/lp0")
    assert printer.status().state is PrinterState.OFFLINE
    with pytest.raises(PrinterError, match="no/such/dir/lp0"):
        printer.print_ticket(make_ticket())


@pytest.mark.parametrize(("answers", "state"), [
    ({1: 0x12, 4: 0x12}, PrinterState.OK),
    ({1: 0x12, 4: 0x1E}, PrinterState.OK),  # paper low, still printing
    ({1: 0x12, 4: 0x72}, PrinterState.PAPER_OUT),
    ({1: 0x1A, 2: 0x16}, PrinterState.COVER_OPEN),
    ({1: 0x1A, 2: 0x32}, PrinterState.PAPER_OUT),
    ({1: 0x1A, 2: 0x12}, PrinterState.OFFLINE),
    ({}, PrinterState.UNKNOWN),  # connected, but it answers nothing
])
def test_status_asks_the_printer(answers: dict[int, int], state: PrinterState) -> None:
    fake = Listener(answers)
    status = EscposTicketPrinter(f"network:127.0.0.1:{fake.port}").status()
    fake.join()
    assert status.state is state
    assert status.fault == (state in (PrinterState.OFFLINE, PrinterState.PAPER_OUT,
                                      PrinterState.COVER_OPEN))
    assert " / " in status.message  # Vietnamese, then English
    if answers.get(4) == 0x1E:
        assert "sắp hết" in status.message


def test_read_status_table() -> None:
    assert read_status(0x12, None, 0x12) is PrinterState.OK
    assert read_status(0x1A, 0x36) is PrinterState.COVER_OPEN  # cover wins over paper
    assert read_status(0x1A, None) is PrinterState.OFFLINE


def test_printer_width_from_config_then_profile_then_default() -> None:
    assert EscposTicketPrinter("network:10.0.0.9", 576, "TM-T88V").width_dots == 576
    assert EscposTicketPrinter("network:10.0.0.9", None, "TM-T88V").width_dots == 512
    assert EscposTicketPrinter("network:10.0.0.9").width_dots == 384
    with pytest.raises(PrinterProfileError, match="không có mẫu máy in"):
        EscposTicketPrinter("network:10.0.0.9", None, "No-Such-Printer")
    with pytest.raises(PrinterProfileError, match="TCVN-3"):
        EscposTicketPrinter("network:10.0.0.9", profile="NT-5890K", text_mode=True)


def test_missing_usb_backend_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import escpos.printer

    # As on a machine where pyusb was left out: python-escpos reports it unusable.
    monkeypatch.setattr(escpos.printer.Usb, "is_usable", staticmethod(lambda: False))
    printer = EscposTicketPrinter("usb:0416:5011")
    with pytest.raises(PrinterError, match="pyusb"):
        printer.print_ticket(make_ticket())
    assert "pyusb" in printer.status().message


def test_a_usb_printer_that_is_not_plugged_in_is_a_plain_error() -> None:
    printer = EscposTicketPrinter("usb:0416:5011")  # no such device on this machine
    with pytest.raises(PrinterError) as caught:
        printer.print_ticket(make_ticket())
    assert "Traceback" not in str(caught.value)
    assert printer.status().fault


def test_null_printer_records_what_it_was_asked_to_print() -> None:
    printer = open_printer("none")
    assert isinstance(printer, NullTicketPrinter)
    ticket = make_ticket()
    printer.print_ticket(ticket)
    assert printer.printed == [ticket]
    assert printer.status().state is PrinterState.OK


# -- motcua print-test -------------------------------------------------------------------------

def test_print_test_to_a_file_printer(office: Office, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lp0"
    assert print_test(office, f"file:{path}") == 0
    job = path.read_bytes()
    assert job.startswith(ESC_INIT + RASTER)
    assert job.endswith(CUT + b"\x00")
    out = capsys.readouterr()
    assert "E001" in out.out or "001" in out.out
    assert out.err == ""


def test_print_test_to_an_unreachable_printer(office: Office,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    assert print_test(office, f"network:127.0.0.1:{port}") == 1
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in err
    assert "check" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("spec", ["none", "lp0", "usb:zz:1"])
def test_print_test_without_a_usable_spec(office: Office, spec: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert print_test(office, spec) == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("width", [384, 512, 576])
def test_print_test_prints_at_the_width_asked(office: Office, tmp_path: Path, width: int,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # Issue 16: print-test had no width option; an 80 mm printer got a 58 mm ticket.
    path = tmp_path / "lp0"
    assert print_test(office, f"file:{path}", width) == 0
    job = path.read_bytes()
    raster = job.index(RASTER)
    assert job[raster + 4:raster + 6] == (width // 8).to_bytes(2, "little")
    assert f"{width} dots" in capsys.readouterr().out


def test_print_test_width_on_the_command_line(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lp0"
    assert main(["print-test", "--printer", f"file:{path}", "--width-dots", "576"]) == 0
    assert "576 dots (80 mm)" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        main(["print-test", "--printer", f"file:{path}", "--width-dots", "500"])
    assert refused.value.code == 2
    [line] = capsys.readouterr().err.splitlines()  # one plain line, no usage dump
    assert line.startswith("motcua: lệnh chưa đúng: argument --width-dots")
    assert "`motcua print-test --help`" in line


def test_the_line_under_the_time_says_how_many_are_before_or_that_nobody_serves() -> None:
    assert make_ticket(ahead=0).ahead_line == "Bạn là người tiếp theo"
    assert make_ticket(ahead=5).ahead_line == "Số người chờ trước bạn: 5"
    unserved = make_ticket(ahead=0, unserved=True)
    assert unserved.ahead_line == "Chưa có quầy phục vụ dịch vụ này — hỏi cán bộ"
    # The text mode prints the same line as the image (it printed "…: 0" for "you are
    # next"): ASCII survives TCVN-3, so the old line's ": 0" would show.
    assert b"n: 0" not in text_job(make_ticket(ahead=0), profile="TM-T88V")
    assert b": 5" in text_job(make_ticket(ahead=5), profile="TM-T88V")


def test_the_qr_caption_is_the_office_s(office: Office) -> None:
    plain = render_ticket(make_ticket(qr="https://x.example/1"), 384)
    captioned = render_ticket(make_ticket(qr="https://x.example/1",
                                          qr_caption="Quét mã để xem số đang gọi"), 384)
    bare = render_ticket(make_ticket(qr="https://x.example/1", qr_caption=""), 384)
    assert plain.tobytes() != captioned.tobytes()
    assert bare.height < plain.height  # no caption: one line shorter
    custom = replace(office, printer=replace(office.printer, qr_url="https://x/{number}",
                                             qr_caption="Theo dõi lượt gọi"))
    assert sample_ticket(custom).qr_caption == "Theo dõi lượt gọi"
