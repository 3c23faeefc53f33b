"""Screens' connections without the screens: ``python -m bench.qt_clients``.

Runs N ``shared.qt.connection.ServerConnection`` objects in a QCoreApplication
(offscreen), the way every screen keeps its link to the server, and prints one JSON
line per happening, stamped with ``time.monotonic()`` (the same clock in every
process of the machine): ``{"what": "online", "client": 3, "t": …}``.

``--trials K`` instead measures discovery K times, one fresh connection (and so a
fresh zeroconf browser with an empty cache) after another: from ``discover()`` to
the welcome.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STARTED = time.monotonic()


def say(what: str, **fields: object) -> None:
    print(json.dumps({"what": what, "t": time.monotonic(), **fields}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--secret", required=True)
    parser.add_argument("--office", required=True)
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--trials", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()

    from PySide6.QtCore import QCoreApplication, QTimer

    from shared.qt.connection import ServerConnection

    app = QCoreApplication(sys.argv[:1])
    say("imported", since_start=time.monotonic() - STARTED)
    QTimer.singleShot(int(args.seconds * 1000), app.quit)

    if args.trials:
        results: list[float] = []

        def trial() -> None:
            if len(results) >= args.trials:
                say("trials", seconds=results)
                app.quit()
                return
            connection = ServerConnection("display", f"bench-tv-{len(results)}", args.secret,
                                          office_id=args.office)
            began = time.monotonic()

            def online() -> None:
                results.append(time.monotonic() - began)
                say("online", client=len(results) - 1, after=results[-1])
                connection.close()
                connection.deleteLater()
                QTimer.singleShot(200, trial)

            connection.online.connect(online)
            connection.discover()

        QTimer.singleShot(0, trial)
        app.exec()
        return 0

    connections = []
    for index in range(args.count):
        connection = ServerConnection("display", f"bench-tv-{index}", args.secret,
                                      office_id=args.office)
        connection.online.connect(lambda index=index: say("online", client=index))
        connection.offline.connect(lambda reason, index=index: say("offline", client=index,
                                                                   reason=reason))
        connection.snapshot.connect(lambda snapshot, index=index: say(
            "snapshot", client=index, day=snapshot.business_day.isoformat()))
        connections.append(connection)
    say("discovering")
    for connection in connections:
        connection.discover()
    app.exec()
    for connection in connections:
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
