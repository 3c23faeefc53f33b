"""Full screen without a window manager (issue 16): on a bare kiosk box — an X server
and nothing else — the kiosk opened as a 346×268 window in a corner. Tested on a real
X server (Xvfb, installed by the set-up) with no window manager, in a child process:
the suite itself runs offscreen, where full screen always works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

KIOSK = """
from PySide6.QtWidgets import QApplication
from PySide6.QtTest import QTest
from kiosk.controller import KioskController
from kiosk.printer_watch import PrinterWatch
from kiosk.window import KioskWindow
from shared.core.config import load_office
from shared.printing.printer import open_printer
from shared.qt.background import ThreadPoolRunner
from shared.qt.connection import ServerConnection

app = QApplication([])
office = load_office()
watch = PrinterWatch(open_printer("none"), ThreadPoolRunner(app))
controller = KioskController(office, ServerConnection("kiosk", "kiosk-x", ""), watch)
window = KioskWindow(controller, kiosk_mode=True)
window.resize(346, 268)
window.show_kiosk()
QTest.qWait(500)
screen = window.screen().geometry()
print(window.width(), window.height(), screen.width(), screen.height())
"""


def test_the_kiosk_covers_the_screen_without_a_window_manager(bare_x_server: str) -> None:
    env = {**os.environ, "DISPLAY": bare_x_server, "QT_QPA_PLATFORM": "xcb",
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", KIOSK], env=env, capture_output=True,
                            text=True, timeout=60, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    width, height, screen_width, screen_height = map(int, result.stdout.split()[-4:])
    assert (width, height) == (screen_width, screen_height) == (1280, 720)
