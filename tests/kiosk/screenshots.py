"""Render the kiosk's screens to docs/screenshots/kiosk-*.png (offscreen), for people to look at.

    .venv/bin/python -m tests.kiosk.screenshots [OUTPUT_DIR]

Runs a real server (the embedded sample office) in a thread, issues a few tickets so
the counts are not all zero, and grabs each screen in landscape (1920×1080) and
portrait (1080×1920). Not a test: nothing here is collected by pytest.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from kiosk.controller import Page, PrintState
from shared.cli.demo import free_port
from shared.core import wire
from shared.core.config import load_office
from shared.printing.printed_ticket import printed_ticket
from shared.printing.ticket_image import render_ticket
from shared.qt.connection import ServerConnection
from tests.conftest import ThreadedServer  # first: sets the offscreen platform
from tests.kiosk.fake_printer import FakePrinter
from tests.kiosk.rig import KioskRig, assemble

ROOT = Path(__file__).resolve().parents[2]
LANDSCAPE, PORTRAIT = (1920, 1080), (1080, 1920)


def wait(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the kiosk did not get there in time")
        QApplication.processEvents()
        time.sleep(0.01)


def settle(rig: KioskRig) -> None:
    for _ in range(5):
        QApplication.processEvents()
    rig.window.repaint()


def grab(rig: KioskRig, path: Path) -> None:
    settle(rig)
    rig.window.grab().save(str(path))
    print(f"{path} ({path.stat().st_size // 1024} KiB)")


def ticket(rig: KioskRig, key: str, state: PrintState) -> None:
    rig.clock.advance(60)  # outside the double-press window
    rig.controller.choose(key)
    wait(lambda: rig.controller.page is Page.TICKET and rig.controller.ticket is not None
         and rig.controller.ticket.print_state is state)


def paper(rig: KioskRig, shown: wire.Ticket, path: Path) -> None:
    """The ticket as the printer gets it (384 dots, 58 mm paper), for comparison."""
    category = rig.office.priority_category(shown.priority) if shown.priority else None
    ticket = printed_ticket(shown, rig.office, category_name=category.name if category else None)
    render_ticket(ticket, 384).save(str(path))
    print(f"{path} ({path.stat().st_size // 1024} KiB)")


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    office = load_office()
    with tempfile.TemporaryDirectory() as folder:
        server = ThreadedServer(office, Path(folder))
        printer = FakePrinter()
        rigs: list[KioskRig] = []
        counters: list[ServerConnection] = []
        running = True
        try:
            for service, count in (("A", 4), ("B", 7), ("C", 2), ("E", 1)):
                for _ in range(count):
                    server.request("admin", "issue", service=service)
            # Counters 1, 2 and 4 are open; counter 3 (C and D, land) is not yet.
            for number in (1, 2, 4):
                counter = ServerConnection("counter", f"shots-quay-{number}", server.secret,
                                           counter=number)
                counter.connect_to("127.0.0.1", server.port)
                counters.append(counter)
            wait(lambda: all(c.is_online for c in counters))
            rig = assemble(office, server.port, server.secret,
                           printer_spec=f"network:127.0.0.1:{printer.port}")
            rigs.append(rig)
            issued: list[dict[str, Any]] = []
            rig.controller.ticket_shown.connect(issued.append)
            wait(lambda: rig.controller.page is Page.MENU)
            grab(rig, out / "kiosk-home.png")
            rig.controller.choose("field:TP")
            grab(rig, out / "kiosk-services.png")
            rig.controller.go_home()
            rig.controller.choose("field:DD")
            grab(rig, out / "kiosk-services-unserved.png")
            ticket(rig, "service:D", PrintState.PRINTED)
            grab(rig, out / "kiosk-ticket-unserved.png")
            rig.controller.go_home()
            rig.controller.choose("priority")
            grab(rig, out / "kiosk-priority.png")
            rig.controller.choose("category:elderly")
            grab(rig, out / "kiosk-priority-services.png")
            ticket(rig, "service:B", PrintState.PRINTED)
            grab(rig, out / "kiosk-ticket.png")
            paper(rig, issued[-1], out / "kiosk-paper-ticket.png")
            rig.controller.go_home(next_citizen=True)
            rig.controller.toggle_language()
            grab(rig, out / "kiosk-home-en.png")
            rig.controller.go_home(next_citizen=True)
            rig.controller.toggle_large_print()
            grab(rig, out / "kiosk-large-print.png")
            rig.controller.choose("priority")
            rig.controller.choose("category:elderly")
            grab(rig, out / "kiosk-large-print-pages.png")
            ticket(rig, "service:B", PrintState.PRINTED)
            grab(rig, out / "kiosk-large-print-ticket.png")
            rig.controller.go_home(next_citizen=True)

            rig.window.resize(*PORTRAIT)
            grab(rig, out / "kiosk-portrait.png")
            rig.controller.choose("priority")
            grab(rig, out / "kiosk-portrait-priority.png")
            rig.controller.go_home()
            rig.controller.choose("field:TP")
            ticket(rig, "service:A", PrintState.PRINTED)
            grab(rig, out / "kiosk-portrait-ticket.png")
            rig.controller.go_home()

            broken = assemble(office, server.port, server.secret,
                              printer_spec=f"network:127.0.0.1:{free_port()}",
                              fault_probe_seconds=30)
            rigs.append(broken)
            wait(lambda: broken.controller.page is Page.MENU and broken.printer.fault)
            grab(broken, out / "kiosk-home-printer-fault.png")
            broken.controller.choose("field:DD")
            ticket(broken, "service:C", PrintState.FAILED)
            grab(broken, out / "kiosk-printer-fault.png")
            broken.window.resize(*PORTRAIT)
            grab(broken, out / "kiosk-portrait-printer-fault.png")
            broken.controller.go_home()
            broken.window.resize(*LANDSCAPE)

            server.stop()
            running = False
            wait(lambda: rig.controller.page is Page.UNAVAILABLE)
            rig.window.resize(*LANDSCAPE)
            grab(rig, out / "kiosk-unavailable.png")
        finally:
            for each in rigs:
                each.close()
            for counter in counters:
                counter.close()
            printer.close()
            if running:
                server.stop()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
