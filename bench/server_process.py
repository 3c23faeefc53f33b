"""The server under test, in its own process: ``python -m bench.server_process``.

The real ``OfficeServer`` (as ``motcua serve`` runs it) on 127.0.0.1, with one
difference: its clock is the bench office's day (``--day``, 09:00 in the office's
time zone) plus the real time elapsed since start, so that every run issues on a
day of its own choosing whatever the hour. Prints ``READY {json}`` once listening;
stops on SIGTERM. ``--profile FILE`` writes a cProfile of the whole run at stop.
``MOTCUA_BENCH_SYNCHRONOUS=OFF`` and ``MOTCUA_BENCH_EXPERIMENT=file.py`` are for
diagnosis only (see docs/performance.md); no published number uses them.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import os
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from shared.core.config import load_office
from shared.server.server import OfficeServer, serve_until_signalled


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--day", default="2026-03-02")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--advertise", action="store_true")
    parser.add_argument("--real-clock", action="store_true")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    # For finding what bounds a number (docs/performance.md): a Python file run in the
    # server process before it starts, e.g. to time or to stub out one function.
    experiment = os.environ.get("MOTCUA_BENCH_EXPERIMENT")
    if experiment:
        exec(Path(experiment).read_text(), {})
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    office = load_office(args.config)
    zone = ZoneInfo(office.timezone)
    start = datetime.combine(date.fromisoformat(args.day), clock_time(9), zone)
    origin = time.monotonic()

    def clock() -> datetime:
        return start + timedelta(seconds=time.monotonic() - origin)

    server = OfficeServer(
        office, args.data_dir, "127.0.0.1", args.port, advertise=args.advertise,
        clock=None if args.real_clock else clock,
    )

    async def announce_when_listening() -> None:
        while server._runner is None or not server._runner.addresses:
            await asyncio.sleep(0.001)
        while server._service is None:
            await asyncio.sleep(0.001)
        port = int(server._runner.addresses[0][1])
        # Diagnosis only (the cost of durability): the numbers in docs are FULL, as shipped.
        diagnostic = os.environ.get("MOTCUA_BENCH_SYNCHRONOUS")
        if diagnostic and server._store is not None:
            server._store.db.execute(f"PRAGMA synchronous={diagnostic}")
        print("READY " + json.dumps({"port": port, "secret": server.secret}), flush=True)

    async def run() -> None:
        watcher = asyncio.create_task(announce_when_listening())
        try:
            await serve_until_signalled(server)
        finally:
            watcher.cancel()

    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()
    try:
        asyncio.run(run())
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
