"""The real kiosk program, pressed by a script: ``python -m bench.kiosk_press``.

Builds the kiosk exactly as ``motcua kiosk`` does (``kiosk.app.build``: its window,
offscreen, its controller, its printer watch with a worker thread, its connection),
then presses service buttons one after another through the controller, as the
touchscreen would, and prints a JSON line per happening stamped with
``time.monotonic()``: ``press``, ``shown`` (the number is on screen), ``printed`` (the
printer's worker has handed the whole job to the socket and closed it).
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def say(what: str, **fields: object) -> None:
    print(json.dumps({"what": what, "t": time.monotonic(), **fields}), flush=True)


def main() -> int:
    presses = int(os.environ.get("BENCH_PRESSES", "30"))
    from PySide6.QtCore import QTimer

    from kiosk.app import build
    from shared.cli.main import build_parser

    args = build_parser().parse_args(["kiosk", *sys.argv[1:]])
    kiosk = build(args)
    controller = kiosk.controller
    services = [s.code for s in kiosk.office.services]
    count = 0

    def press() -> None:
        nonlocal count
        if count >= presses:
            kiosk.app.quit()
            return
        code = services[count % len(services)]
        count += 1
        controller.go_home()
        say("press", n=count, service=code)
        controller.press_service(code)

    controller.ticket_shown.connect(lambda ticket: say("shown", number=ticket.number))
    kiosk.printer.printed.connect(lambda number: (say("printed", number=number),
                                                  QTimer.singleShot(150, press)))
    kiosk.printer.print_failed.connect(lambda number, message: (
        say("failed", number=number, message=message), QTimer.singleShot(150, press)))
    started = {"done": False}

    def online() -> None:
        if not started["done"]:
            started["done"] = True
            QTimer.singleShot(500, press)

    kiosk.connection.online.connect(online)
    QTimer.singleShot(60_000, kiosk.app.quit)
    kiosk.start()
    try:
        kiosk.app.exec()
    finally:
        kiosk.shutdown()
    say("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
