"""Issue 13, end to end: a citizen takes a ticket at the kiosk, the printer (a TCP
listener) receives it, the QR on the paper is read back from the ESC/POS bytes, and a
phone-sized Chromium opens it: the number and the people ahead, then "Đến lượt bạn —
mời đến Quầy 1" the moment the counter calls, with no reload; after "Hoàn thành" the
citizen rates the service, and the leader's report counts it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import zxingcpp
from playwright.sync_api import Page, expect
from pytestqt.qtbot import QtBot

from kiosk.controller import PrintState
from shared.cli.main import main
from shared.core.ticket_token import typed_address
from tests.browser import browser, phone  # noqa: F401  (fixtures)
from tests.conftest import ThreadedServer
from tests.escpos_image import printed_image
from tests.kiosk.conftest import WAIT, EventWatcher, MakeKiosk, tap
from tests.kiosk.fake_printer import FakePrinter
from tests.kiosk.test_kiosk import ticket_on_screen

BROWSER_WAIT = 10_000  # ms: a bound, never a pause


def test_the_qr_on_the_paper_opens_the_ticket_page_which_follows_the_call(
    qtbot: QtBot, make_kiosk: MakeKiosk, server_thread: ThreadedServer,
    fake_printer: FakePrinter, counter_watcher: EventWatcher, phone: Page,  # noqa: F811
    tmp_path: Path,
) -> None:
    server_thread.request("kiosk", "issue", service="B")  # someone came before, for B
    rig = make_kiosk(printer_spec=f"network:127.0.0.1:{fake_printer.port}", width_dots=512)
    tap(qtbot, rig.window.menu_page.buttons["field:TP"])
    tap(qtbot, rig.window.menu_page.buttons["service:A"])
    assert ticket_on_screen(qtbot, rig, PrintState.PRINTED) == "A001"
    qtbot.waitUntil(lambda: len(fake_printer.jobs) == 1, timeout=WAIT)

    paper = printed_image(fake_printer.jobs[0])
    codes = zxingcpp.read_barcodes(paper)
    assert len(codes) == 1
    address = codes[0].text
    assert address.startswith(f"http://127.0.0.1:{server_thread.port}/t/")

    # The same figure on the screen, the paper's QR page and (below) the phone.
    assert "Có 1 người đang chờ trước bạn" in rig.texts()

    phone.goto(address)
    expect(phone.locator(".number")).to_have_text("A001")
    expect(phone.locator(".headline")).to_have_text("Trước bạn còn 1 người")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    loaded = phone.evaluate("performance.timeOrigin")

    server_thread.request("counter", "call_next", counter=1)  # B001
    expect(phone.locator(".headline")).to_have_text("Bạn là người tiếp theo",
                                                    timeout=BROWSER_WAIT)
    server_thread.request("counter", "done", counter=1)
    server_thread.request("counter", "call_next", counter=1)  # A001
    expect(phone.locator(".headline")).to_have_text("Đến lượt bạn — mời đến Quầy 1",
                                                    timeout=BROWSER_WAIT)
    expect(phone.locator("[role=alert]")).to_be_visible()  # said at once by a screen reader
    assert phone.evaluate("performance.timeOrigin") == loaded  # pushed, not reloaded

    # The address printed under the QR, typed by hand, opens the same page.
    phone.goto("http://" + typed_address(address).upper())
    expect(phone.locator(".number")).to_have_text("A001")

    # "Hoàn thành": the page asks how it went; one tap, and the leader's report has it.
    server_thread.request("counter", "done", counter=1)
    phone.get_by_role("button", name="Rất hài lòng").click(timeout=BROWSER_WAIT)
    expect(phone.locator("#rating [role=status]")).to_contain_text("Cảm ơn bạn đã đánh giá!")
    report = tmp_path / "bao-cao.xlsx"
    today = datetime.now(ZoneInfo(server_thread.server.office.timezone)).date().isoformat()
    assert main(["report", "--from", today, "--to", today, "--output", str(report),
                 "--data-dir", str(server_thread.server.data_dir)]) == 0
    sheet = openpyxl.load_workbook(report)["Đánh giá"]
    counter_1 = next(row for row in sheet.iter_rows(values_only=True)
                     if row[1] == "Quầy 1")
    assert counter_1[2:5] == (1, 1, 1.0)  # one rating, "Rất hài lòng", 100 %
