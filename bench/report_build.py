"""The leader's report over a long history: ``python -m bench.report_build [TICKETS [PER_DAY]]``.

Seeds the database the way ``bench.history`` does (the bench office's 26 services and
20 counters, three audit events a ticket) with TICKETS tickets, PER_DAY a working day
(default 1 M at 1,100 a day: three years, issue 12's case), then builds the report of
the last month (its 26 working days) as a workbook, CSV and JSON with ``motcua
report``'s own code, three times each; prints the times. Issue 12's target: the
workbook in at most 2 s. ``1000000 4000`` is a busy provincial centre's month (104,000
tickets).
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta

from bench.harness import BASE_DAY, temp_dir, write_office
from bench.history import seed
from shared.cli.report_command import make_report
from shared.core.config import load_office
from shared.server.store import SqliteStore

RUNS = 3


def main(tickets: int, per_day: int) -> int:
    with temp_dir("report") as folder:
        office = load_office(write_office(folder))
        data = folder / "data"
        data.mkdir()
        SqliteStore(data / "motcua.sqlite").close()  # the server's own schema
        started = time.perf_counter()
        added, first = seed(data / "motcua.sqlite", tickets, date.fromisoformat(BASE_DAY),
                            per_day)
        print(f"seeded {added:,} tickets from {first} in {time.perf_counter() - started:.1f} s")
        end = date.fromisoformat(BASE_DAY) - timedelta(days=1)
        start = end - timedelta(days=30)
        for kind in ("xlsx", "csv", "json"):
            times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                make_report(office, data, start.isoformat(), end.isoformat(),
                            folder / f"report.{kind}")
                times.append(time.perf_counter() - began)
            print(f"month report as .{kind}: best {min(times):.2f} s, "
                  f"all {', '.join(f'{t:.2f}' for t in times)} s")
    return 0


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    sys.exit(main(*(arguments + [1_000_000, 1_100][len(arguments):])))
