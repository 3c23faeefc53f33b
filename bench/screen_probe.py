"""A screen program with a stopwatch: ``python -m bench.screen_probe kiosk|counter|display …``.

Runs ``motcua PROGRAM …`` in this process, exactly as the command line would, with one
addition made from outside the program: just before Qt's event loop starts, an
application-wide event filter is installed that notes the first paint of a window
(the first frame). Three seconds later (connected, the server's snapshot shown) it
notes the resident memory and quits the program the way its quit key does
(``QApplication.quit``). Prints one JSON line, times from ``time.monotonic()``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
SETTLE_MS = 3000


def _memory() -> dict[str, float]:
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return {"rss_mb": values.get("VmRSS", 0.0), "peak_rss_mb": values.get("VmHWM", 0.0)}


def main() -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    report: dict[str, object] = {"program": sys.argv[1]}

    class FirstFrame(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (event.type() == QEvent.Type.Paint and "first_paint_t" not in report
                    and isinstance(watched, QWidget) and watched.window().isVisible()):
                report["first_paint_t"] = time.monotonic()
                report["first_paint_widget"] = type(watched).__name__
                report["at_first_frame"] = _memory()
                QTimer.singleShot(SETTLE_MS, settle)
            return False

    def settle() -> None:
        report["settled"] = _memory()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    watcher = FirstFrame()
    original = QApplication.exec

    def exec_with_watch(self: QApplication) -> int:
        report["event_loop_t"] = time.monotonic()
        self.installEventFilter(watcher)
        QTimer.singleShot(30_000, self.quit)  # never hang the benchmark
        return int(original())  # a static method in PySide6

    QApplication.exec = exec_with_watch  # type: ignore[method-assign]
    from shared.cli.main import main as motcua

    try:
        code = motcua(sys.argv[1:])
    finally:
        print("PROBE " + json.dumps(report), flush=True)
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
