"""The server's hot path alone, in-process: ``python -m bench.hot_path``.

Decode an ``issue`` frame, decide it (``OfficeService.handle``), build the reply and
its events and encode them: what one kiosk press costs the server's event loop, minus
the sockets and the fsync (the requests share one open transaction). Reported as the
minimum of several repeats, which a busy neighbour on the machine disturbs far less
than a throughput figure. Not part of ``python -m bench``'s table.
"""

from __future__ import annotations

import tempfile
import timeit
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from shared.core import wire
from shared.core.config import load_office
from shared.server.office_service import OfficeService, Session
from shared.server.store import SqliteStore

REPEATS = 7
NUMBER = 200


def main() -> int:
    office = load_office()
    moment = [datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo(office.timezone))]

    def clock() -> datetime:
        moment[0] += timedelta(milliseconds=1)
        return moment[0]

    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "hot.sqlite")
        service = OfficeService(office, store, clock)
        kiosk = Session("kiosk-hot", "kiosk")
        codes = [s.code for s in office.services]
        sent = [0]

        def one() -> list[bytes]:
            sent[0] += 1
            frame = (f'{{"type":"issue","id":"r{sent[0]}",'
                     f'"service":"{codes[sent[0] % len(codes)]}","priority":null}}')
            outcome = service.handle(kiosk, wire.decode_request(frame))
            return [wire.encode(outcome.reply), *(wire.encode(e) for e in outcome.events)]

        counter = Session("counter-hot", "counter", office.counters[0].number)

        def call() -> list[bytes]:
            sent[0] += 1
            frame = f'{{"type":"call_next","id":"c{sent[0]}"}}'
            outcome = service.handle(counter, wire.decode_request(frame))
            return [wire.encode(outcome.reply), *(wire.encode(e) for e in outcome.events)]

        store.begin_batch()
        for _ in range(300):
            one()  # warm up
        issuing = timeit.repeat(one, number=NUMBER, repeat=REPEATS)
        for _ in range(REPEATS * NUMBER):
            one()  # enough waiting for every call below
        calling = timeit.repeat(call, number=NUMBER, repeat=REPEATS)
        store.end_batch()
        store.close()
    for what, times in (("one issue", issuing), ("one call_next (the citizen before: done)",
                                                  calling)):
        print(f"{what}, decode to encode: {min(times) / NUMBER * 1e6:.1f} µs "
              f"(minimum of {REPEATS} × {NUMBER})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
