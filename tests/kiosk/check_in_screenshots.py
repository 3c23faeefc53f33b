"""Render the kiosk's check-in screens to docs/screenshots/kiosk-check-in-*.png.

    .venv/bin/python -m tests.kiosk.check_in_screenshots [OUTPUT_DIR]

The office of docs/office.example.toml (service C takes bookings), a real server in a
thread at 09:00, two bookings in its book. Not a test: nothing here is collected.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication

from kiosk.controller import Page
from shared.core.booking import Booking
from shared.core.config import load_office
from shared.printing.ticket_image import render_ticket
from shared.server.booking_book import BookingBook
from tests.conftest import ThreadedServer  # first: sets the offscreen platform
from tests.kiosk.rig import assemble
from tests.kiosk.screenshots import LANDSCAPE, PORTRAIT, ROOT, grab, wait

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    office = load_office(ROOT / "docs" / "office.example.toml")
    now = datetime(2026, 12, 3, 9, 0, tzinfo=ZONE)  # a Thursday morning
    with tempfile.TemporaryDirectory() as folder:
        book = BookingBook(Path(folder))
        book.take([Booking("HEN0910AB", "C", date(2026, 12, 3), time(9, 10), time(9, 30),
                           name="Lê Văn Cường"),
                   Booking("HEN1130CD", "C", date(2026, 12, 3), time(11, 30), time(11, 50))],
                  office, now)
        book.close()
        server = ThreadedServer(office, Path(folder), lambda: now)
        rig = assemble(office, server.port, server.secret)
        printed: list[object] = []
        rig.controller.ticket_shown.connect(printed.append)
        try:
            wait(lambda: rig.controller.page is Page.MENU)
            grab(rig, out / "kiosk-check-in-home.png")
            rig.controller.start_check_in("HEN0910")
            grab(rig, out / "kiosk-check-in-keys.png")
            rig.window.check_in_page._to_letters()
            rig.controller.type_code("A")
            grab(rig, out / "kiosk-check-in-letters.png")
            rig.controller.type_code("B")
            rig.controller.submit_code()
            wait(lambda: rig.controller.page is Page.TICKET)
            grab(rig, out / "kiosk-check-in-ticket.png")
            rig.controller.go_home(next_citizen=True)
            rig.controller.scanned("HEN1130CD")
            wait(lambda: rig.controller.page is Page.NOTICE)
            grab(rig, out / "kiosk-check-in-too-early.png")
            rig.controller.go_home(next_citizen=True)
            rig.window.resize(*PORTRAIT)
            rig.controller.start_check_in("HEN9")
            grab(rig, out / "kiosk-check-in-portrait.png")
            rig.window.resize(1366, 768)
            grab(rig, out / "kiosk-check-in-1366x768.png")
            rig.window.resize(*LANDSCAPE)
            from shared.printing.printed_ticket import printed_ticket

            shown = printed[0]
            paper = printed_ticket(shown, rig.office, page="http://192.168.1.10:8765/t/x",  # type: ignore[arg-type]
                                   slot="09:10")
            render_ticket(paper, 576).save(str(out / "kiosk-check-in-paper.png"))
        finally:
            rig.close()
            server.stop()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
