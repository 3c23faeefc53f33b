"""Render the counter's screenshots for the README (run by hand, not by pytest).

    .venv/bin/python -m tests.counter.make_screenshots [OUTPUT_DIR] [--language en]

Starts a real server on a temporary data directory, issues a morning's tickets as
a kiosk, and drives counter 1 like an official would; then grabs the full window,
the compact strip, the transfer dialog, the absent/parked list and an official's
sign-in (after a wrong PIN) offscreen. With ``--language en``, the counter as
``motcua counter --language en`` shows it: its full window at 1920×1080 and 1024×600
(``counter-en-*.png``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="motcua-shots-")

from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from counter import wording
from counter.app import CounterProgram
from counter.dialogs import SetAsideDialog, SignInDialog, TransferDialog
from counter.issue_dialogs import IssuedDialog, IssueDialog
from shared.core import pin
from shared.core.config import load_office
from shared.core.office import Official
from shared.qt.connection import ServerConnection
from shared.server.devices import DeviceRegistry
from tests.conftest import ThreadedServer

ROOT = Path(__file__).resolve().parents[2]
ENGLISH_SIZES = {"counter-en-1920x1080.png": (1920, 1080), "counter-en-1024x600.png": (1024, 600)}


def wait_until(condition: object, timeout_ms: int = 10_000) -> None:
    waited = 0
    while not condition():  # type: ignore[operator]
        QTest.qWait(20)
        waited += 20
        if waited > timeout_ms:
            raise TimeoutError("the program did not get there")


def save(widget: QWidget, path: Path) -> None:
    QTest.qWait(50)
    widget.grab().save(str(path))
    print(path, path.stat().st_size // 1024, "KB")


def main() -> None:
    given = [a for a in sys.argv[1:] if a not in ("--language", "en")]
    english = "--language" in sys.argv[1:]
    out = Path(given[0]) if given else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    if english:
        wording.use("en")  # before the windows are built, as `motcua counter` does
    app = QApplication.instance() or QApplication([])
    data = Path(tempfile.mkdtemp(prefix="motcua-shots-data-"))
    office = replace(load_office(), officials=(
        Official("nguyen-van-an", "Nguyễn Văn An", "Chuyên viên"),
        Official("tran-thi-binh", "Trần Thị Bình", "Chuyên viên"),
        Official("le-hoang-nam", "Lê Hoàng Nam", "Công chức Tư pháp – Hộ tịch")))
    # A morning at the office, whatever the time of the run: the server's clock
    # starts at 08:02 and moves on as the script says.
    start = datetime.now(ZoneInfo(office.timezone)).replace(hour=8, minute=2, second=0)
    shift = [timedelta(0)]

    def clock() -> datetime:
        return start + shift[0]

    def later(minutes: float) -> None:
        shift[0] += timedelta(minutes=minutes)

    server = ThreadedServer(office, data, clock)
    try:
        def issue(service: str, priority: str | None = None) -> None:
            issue.count += 1  # type: ignore[attr-defined]
            server.request("kiosk", "issue", service=service, priority=priority,
                           client_id=f"kiosk-{issue.count}")  # type: ignore[attr-defined]

        issue.count = 0  # type: ignore[attr-defined]
        for service in "ABAABBAABCC":  # C is counter 3's, which is not open
            issue(service)
            later(1.3)
        connection = ServerConnection("counter", "counter-shots", server.secret, counter=1)
        store = QSettings(str(data / "counter.ini"), QSettings.Format.IniFormat)
        program = CounterProgram(connection, 1, store, compact=False)
        program.start(("127.0.0.1", server.port))
        controller = program.controller
        wait_until(lambda: controller.online and controller.services)
        pins = DeviceRegistry(data)
        pins.set_pin("nguyen-van-an", pin.hash_pin("2468"), datetime.now())
        pins.close()
        program.shell.open_sign_in()
        dialog = program.shell.dialog
        assert isinstance(dialog, SignInDialog)
        dialog.names.setCurrentRow(0)  # nobody is chosen for the official
        QTest.keyClicks(dialog.pin, "1357")
        dialog.accept()
        wait_until(lambda: "Sai mã PIN" in dialog.problem.text())  # the server's words
        if not english:
            save(dialog, out / "counter-sign-in.png")
        QTest.keyClicks(dialog.pin, "2468")
        dialog.accept()
        wait_until(lambda: program.shell.dialog is None)
        for minutes in (6.5, 8, 5.2):
            controller.call_next()
            wait_until(lambda: not controller.busy)
            later(minutes)
        controller.absent()
        wait_until(lambda: not controller.busy)
        for minutes in (7, 4.5):
            controller.call_next()
            wait_until(lambda: not controller.busy)
            later(minutes)
        issue("A", "elderly")
        controller.call_next()
        wait_until(lambda: not controller.busy)
        later(1.5)
        controller.recall()
        wait_until(lambda: not controller.busy)
        later(1.9)
        issue("B")  # the counter learns the server's clock from the event
        server.request("kiosk", "printer_fault", fault=True, message="Máy in hết giấy",
                       client_id="kiosk-sanh-chinh")
        wait_until(lambda: len(controller.faults) == 1)
        wait_until(lambda: controller.waiting_here() == 5)
        controller.refresh()  # today's figures as the server counts them
        wait_until(lambda: controller.today.served == 4 and controller.today.average_seconds
                   and controller.today.average_seconds > 300)
        QTest.qWait(1100)  # one tick of the clock
        if english:
            for name, size in ENGLISH_SIZES.items():
                program.shell.window.resize(*size)
                save(program.shell.window, out / name)
            program.close()
            return
        save(program.shell.window, out / "counter-window.png")

        program.shell.open_transfer()
        dialog = program.shell.dialog
        assert isinstance(dialog, TransferDialog)
        dialog.services.setCurrentRow(1)
        save(dialog, out / "counter-transfer.png")
        dialog.reject()

        program.shell.open_set_aside()
        dialog = program.shell.dialog
        assert isinstance(dialog, SetAsideDialog)
        save(dialog, out / "counter-set-aside.png")
        dialog.reject()

        program.shell.open_issue()
        dialog = program.shell.dialog
        assert isinstance(dialog, IssueDialog)
        dialog.priority.setCurrentIndex(dialog.priority.findData("elderly"))
        dialog.reason.setText("Cụ đi xe lăn, không tới được máy lấy số")
        save(dialog, out / "counter-issue.png")
        dialog.accept()
        wait_until(lambda: isinstance(program.shell.dialog, IssuedDialog))
        save(program.shell.dialog, out / "counter-issued.png")  # type: ignore[arg-type]
        program.shell.dialog.accept()  # type: ignore[union-attr]

        program.shell.set_compact(True)
        save(program.shell.strip, out / "counter-compact.png")
        program.close()
        app.processEvents()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
