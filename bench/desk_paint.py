"""The leader's desk over a long history: ``python -m bench.desk_paint [TICKETS [PER_DAY]]``.

Seeds the database as ``bench.report_build`` does (default 1 M tickets at 1,100 a
working day: three years, issue 12's case), starts a real server with its desk over
HTTPS on 127.0.0.1, issues TODAY tickets and calls a third of them, signs a leader in,
then times what the first paint of the live view waits for: the page itself (``GET
/desk`` with the live view rendered in), and the first message of its stream, five
times each, each cold (the desk's figures of today and the day before read again from
the database); prints the times. Issue 12's target: the first paint within 1 s.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp

from bench.harness import BASE_DAY, temp_dir, write_office
from bench.history import seed
from shared.core import wire
from shared.core.config import load_office
from shared.core.secret_hash import hash_secret
from shared.server.office_service import Session
from shared.server.server import OfficeServer
from shared.server.store import SqliteStore

RUNS = 5
TODAY = 400  # tickets issued this morning before the leader looks


async def measure(tickets: int, per_day: int) -> None:
    with temp_dir("desk") as folder:
        office = load_office(write_office(folder))
        data = folder / "data"
        data.mkdir()
        SqliteStore(data / "motcua.sqlite").close()
        began = time.perf_counter()
        added, first = seed(data / "motcua.sqlite", tickets, date.fromisoformat(BASE_DAY),
                            per_day)
        print(f"seeded {added:,} tickets from {first} in {time.perf_counter() - began:.1f} s")
        morning = datetime.fromisoformat(f"{BASE_DAY}T10:00:00").replace(
            tzinfo=ZoneInfo(office.timezone))
        clock = [morning]
        server = OfficeServer(office, data, "127.0.0.1", 0, advertise=False,
                              clock=lambda: clock[0], desk_port=0)
        await server.start()
        try:
            service = server.service
            kiosk = Session("kiosk", "kiosk")
            codes = [s.code for s in office.services]
            for n in range(TODAY):
                clock[0] = morning + timedelta(seconds=n)
                service.handle(kiosk, wire.Issue(id=f"i{n}", service=codes[n % len(codes)]))
            for n, counter in enumerate(office.counters * (TODAY // 3 // len(office.counters))):
                service.handle(Session(f"c{counter.number}", "counter", counter.number),
                               wire.CallNext(id=f"c{n}"))
            server.devices.set_user("bench", "leader", hash_secret("a bench password"),
                                    datetime.now())
            base = f"https://127.0.0.1:{server.desk_port}"
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(cookie_jar=jar) as http:
                async with http.post(f"{base}/desk/login", ssl=False, data={
                        "name": "bench", "password": "a bench password"}) as response:
                    assert response.status == 200, response.status
                pages, streams = [], []
                for _ in range(RUNS):
                    server.desk.forget()  # cold: today's and yesterday's figures read again
                    began = time.perf_counter()
                    async with http.get(f"{base}/desk", ssl=False) as response:
                        body = await response.text()
                    pages.append(time.perf_counter() - began)
                    assert 'id="live"' in body
                    assert "Quầy" in body
                    server.desk.forget()
                    began = time.perf_counter()
                    async with http.get(f"{base}/desk/events", ssl=False) as response:
                        await response.content.readuntil(b"\n\n")
                    streams.append(time.perf_counter() - began)
            for name, times in (("GET /desk (page with the live view)", pages),
                                ("first message of /desk/events", streams)):
                print(f"{name}: best {min(times) * 1000:.0f} ms, worst "
                      f"{max(times) * 1000:.0f} ms, all "
                      f"{', '.join(f'{t * 1000:.0f}' for t in times)} ms")
        finally:
            await server.stop()


def main(tickets: int, per_day: int) -> int:
    asyncio.run(measure(tickets, per_day))
    return 0


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    sys.exit(main(*(arguments + [1_000_000, 1_100][len(arguments):])))
