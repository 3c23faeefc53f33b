"""The leader's report over a long history: ``python -m bench.report_build [TICKETS]``.

Seeds the database the way ``bench.history`` does (4,000 tickets a working day over
the bench office's 26 services and 20 counters, three audit events each: 1 M tickets
by default, about ten months; 3 M is three years), then builds the report of the last
month (its 26 working days, about 104,000 tickets) as a workbook, CSV and JSON with
``motcua report``'s own code, three times each; prints the times. Issue 12's target:
the workbook in at most 2 s.
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


def main(tickets: int) -> int:
    with temp_dir("report") as folder:
        office = load_office(write_office(folder))
        data = folder / "data"
        data.mkdir()
        SqliteStore(data / "motcua.sqlite").close()  # the server's own schema
        started = time.perf_counter()
        added, first = seed(data / "motcua.sqlite", tickets, date.fromisoformat(BASE_DAY))
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
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
