"""Render the hall display's screenshots for the README (run by hand, not by pytest).

    .venv/bin/python -m tests.display.make_screenshots [OUTPUT_DIR]

Starts a real server on a temporary data directory, issues a morning's tickets as
a kiosk, lets the counters call, pauses one, then starts the display and makes
one more call live, so that it is fresh (highlighted) in every grab: 1920×1080,
1366×768 and portrait 1080×1920; then a display started with ``--language en``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="motcua-shots-")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from display import wording
from display.app import DisplayProgram
from display.voice import make_announcer
from shared.core.config import load_office
from shared.qt.connection import ServerConnection
from tests.conftest import ThreadedServer

ROOT = Path(__file__).resolve().parents[2]
SIZES = {"display-1920x1080.png": (1920, 1080), "display-1366x768.png": (1366, 768),
         "display-portrait.png": (1080, 1920)}


def wait_until(condition: object, timeout_ms: int = 10_000) -> None:
    waited = 0
    while not condition():  # type: ignore[operator]
        QTest.qWait(20)
        waited += 20
        if waited > timeout_ms:
            raise TimeoutError("the display did not get there")


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    office = load_office()
    data = Path(tempfile.mkdtemp(prefix="motcua-shots-data-"))
    server = ThreadedServer(office, data)
    try:
        for number, service in enumerate("AABABCAABBEEACDFBBAEB"):
            server.request("kiosk", "issue", service=service, priority=None,
                           client_id=f"kiosk-{number}")

        def counter(n: int, request: str) -> None:
            server.request("counter", request, counter=n, client_id=f"quay-{n}")

        for n in (1, 2, 3, 1, 2, 4, 1, 3, 2):
            counter(n, "call_next")
        counter(4, "done")
        counter(4, "pause")

        moment = datetime(2026, 11, 23, 9, 41, tzinfo=ZoneInfo(office.timezone))
        connection = ServerConnection("display", "display-shots", server.secret)
        program = DisplayProgram(connection, office, make_announcer(office, voice=False),
                                 clock=lambda: moment)
        program.start(("127.0.0.1", server.port), windowed=True)
        wait_until(lambda: program.controller.hall.newest is not None)
        counter(1, "call_next")  # the fresh call
        wait_until(lambda: program.controller.highlighted)
        for name, (width, height) in SIZES.items():
            program.window.resize(width, height)
            QTest.qWait(80)
            path = out / name
            program.window.grab().save(str(path))
            print(path, path.stat().st_size // 1024, "KB")
        program.close()

        wording.use("en")  # a display started with --language en
        program = DisplayProgram(ServerConnection("display", "display-shots-en", server.secret),
                                 office, make_announcer(office, voice=False),
                                 clock=lambda: moment)
        program.start(("127.0.0.1", server.port), windowed=True)
        wait_until(lambda: program.controller.hall.newest is not None)
        program.window.resize(1920, 1080)
        QTest.qWait(80)
        path = out / "display-en-1920x1080.png"
        program.window.grab().save(str(path))
        print(path, path.stat().st_size // 1024, "KB")
        program.close()
        wording.use("vi")
    finally:
        server.stop()
    app.processEvents()


if __name__ == "__main__":
    main()
