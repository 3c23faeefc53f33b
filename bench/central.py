"""Many sites, one province (issue 19): what the central server takes, and what a site
pays for sending to it.

``python -m bench.central ingest [--sites 100 --days 30]``: a realistic site day —
tickets arriving through the morning and afternoon at six services, four counters
calling, some absent, some recalled, all through the real ``OfficeService`` — is
played once; every site's 30 days are that day's events renumbered, re-dated and
sealed into one chain per site, then sent to a real central server (``motcua
central``'s ``CentralServer``, HTTPS) on a real PostgreSQL with its durable defaults
(fsync on), eight sites at a time, in batches of 500 as ``[central]`` sends them.
Reports events a second, the time per batch, the database's size, the time of a
province-wide month of per-site, per-day figures, and the time and peak memory of a
month's workbook (``motcua central report``) for one site and for the province.

``python -m bench.central site``: one site server's issue and call latency (8 kiosks,
closed loop; calls to 4 displays) with no ``[central]``, with a central server that
takes its events, one that refuses connections, and one that accepts them and never
answers; three rounds, the median of each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import msgspec
import psycopg

from bench.harness import machine, start_server, summary_ms, write_office
from shared.central.ledger import add_site
from shared.central.server import CentralServer
from shared.core.audit_chain import GENESIS, StoredEvent, seal
from shared.core.site_log import Batch, SentEvent

FIRST_DAY = date(2026, 3, 2)
BATCH = 500
SENDERS = 8


# --- a site's day ----------------------------------------------------------------------


def site_day(seed: int = 1, tickets: int = 150) -> list[StoredEvent]:
    """One ward's day through the real rules, as its log stores it."""
    from shared.core.config import load_office
    from shared.server.office_service import OfficeService, Session
    from shared.server.store import SqliteStore
    from tests.conftest import handle_json

    rng = random.Random(seed)
    office = load_office()
    start = datetime.fromisoformat(f"{FIRST_DAY}T07:30:00+07:00")
    arrivals = sorted(start + timedelta(minutes=rng.uniform(0, 510)) for _ in range(tickets))
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "motcua.sqlite")
        now = [start]
        service = OfficeService(office, store, lambda: now[0])
        ids = iter(range(1, 10**9))
        kiosk = Session("kiosk-1", "kiosk")
        busy_until = {c.number: start for c in office.counters}

        def ask(session: Session, **message: Any) -> dict[str, Any]:
            return handle_json(service, session, {"id": f"r{next(ids)}", **message}).reply

        codes = [s.code for s in office.services]
        for arrival in arrivals:
            now[0] = arrival
            ask(kiosk, type="issue", service=rng.choice(codes))
            for number, free_at in busy_until.items():
                if free_at > arrival:
                    continue
                counter = Session(f"quay-{number}", "counter", number)
                reply = ask(counter, type="call_next")
                if reply.get("type") != "called":
                    continue
                roll = rng.random()
                if roll < 0.05:
                    ask(counter, type="absent")
                else:
                    if roll < 0.12:
                        ask(counter, type="recall")
                    ask(counter, type="done")
                busy_until[number] = arrival + timedelta(minutes=rng.uniform(3, 12))
        store.close()
        from shared.server.store import read_only

        with read_only(Path(folder) / "motcua.sqlite") as db:
            return [StoredEvent(*row) for row in db.execute(
                "SELECT id, business_day, at, kind, ticket_id, counter, data FROM events "
                "ORDER BY id")]


def site_log(template: list[StoredEvent], days: int) -> Iterator[SentEvent]:
    """A site's ``days`` days: the template day renumbered, re-dated, sealed."""
    seq, previous = 0, GENESIS
    for n in range(days):
        day = FIRST_DAY + timedelta(days=n)
        for event in template:
            seq += 1
            stored = StoredEvent(seq, day.isoformat(), event.at.replace(
                FIRST_DAY.isoformat(), day.isoformat()), event.kind, event.ticket_id,
                event.counter, event.data)
            previous = seal(previous, stored)
            yield SentEvent.of(replace(stored, hash=previous))


# --- ingestion -------------------------------------------------------------------------


async def _push(central: CentralServer, key: str, events: Iterator[SentEvent],
                times: list[float]) -> int:
    context = ssl.create_default_context(cafile=str(central.authority))
    encode = msgspec.json.Encoder().encode
    sent = 0
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {key}"}) as http:
        while True:
            batch = [e for _, e in zip(range(BATCH), events, strict=False)]
            if not batch:
                return sent
            began = time.perf_counter()
            async with http.post(f"https://127.0.0.1:{central.port}/api/v1/events",
                                 data=encode(Batch(batch)), ssl=context) as reply:
                answer = await reply.json()
            times.append(time.perf_counter() - began)
            if reply.status != 200 or answer["stored_up_to"] != batch[-1].seq:
                raise RuntimeError(f"refused: {reply.status} {answer}")
            sent += len(batch)


def ingest(sites: int, days: int) -> dict[str, Any]:
    from tests.postgres import PostgresServer

    template = site_day()
    print(f"  a site day: {len(template)} events", flush=True)
    postgres = PostgresServer(durable=True)
    try:
        database = postgres.new_database()
        with tempfile.TemporaryDirectory() as folder:
            central = CentralServer(database, Path(folder), "127.0.0.1", 0)

            async def main() -> dict[str, Any]:
                await central.start()
                keys = {f"phuong-{n:03d}": add_site(database, f"phuong-{n:03d}", f"Site {n}")
                        for n in range(sites)}
                times: list[float] = []
                waiting = asyncio.Queue[str]()
                for site in keys:
                    waiting.put_nowait(site)

                async def sender() -> int:
                    total = 0
                    while not waiting.empty():
                        site = waiting.get_nowait()
                        total += await _push(central, keys[site], site_log(template, days),
                                             times)
                    return total

                began = time.perf_counter()
                sent = sum(await asyncio.gather(*(sender() for _ in range(SENDERS))))
                seconds = time.perf_counter() - began
                await central.stop()
                return {"events": sent, "seconds": round(seconds, 1),
                        "events_per_s": round(sent / seconds),
                        "batch": summary_ms(times)}

            result = asyncio.run(main())
        with psycopg.connect(database) as conn:
            stored = conn.execute("SELECT count(*) FROM events").fetchone()
            result["stored"] = int(stored[0]) if stored else 0
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
            result["database_mb"] = round(int(size[0]) / 2**20) if size else 0
            month = []
            for _ in range(3):  # the first from disk, then warm
                began = time.perf_counter()
                rows = conn.execute(
                    "SELECT site, business_day, count(*) FILTER (WHERE kind = 'issued'), "
                    "count(*) FILTER (WHERE kind = 'done'), "
                    "count(*) FILTER (WHERE kind = 'absent') FROM events "
                    "WHERE business_day BETWEEN %s AND %s GROUP BY site, business_day",
                    (FIRST_DAY, FIRST_DAY + timedelta(days=days - 1))).fetchall()
                month.append(round(time.perf_counter() - began, 2))
            result["month_query_s"] = month
            result["month_rows"] = len(rows)
        last = FIRST_DAY + timedelta(days=days - 1)
        result["report"] = {who: _timed_report(database, sites_, last)
                            for who, sites_ in (("one_site", ["phuong-000"]),
                                                ("province", []))}
    finally:
        postgres.stop()
    result.update(sites=sites, days=days, events_per_site_day=len(template))
    print(f"  {sites} sites × {days} days: {result['events']:,} events in {result['seconds']} s "
          f"({result['events_per_s']:,}/s), batch p50 {result['batch']['p50_ms']} ms p99 "
          f"{result['batch']['p99_ms']} ms; stored {result['stored']:,}; "
          f"{result['database_mb']} MB; month of figures {result['month_query_s']} s; "
          f"workbooks: {result['report']}", flush=True)
    return result


def _timed_report(database: str, sites: list[str], last: date) -> dict[str, float]:
    """A month's workbook (``motcua central report``), made in a process of its own so
    that its peak memory is its own."""
    code = ("import json, resource, sys, time, tempfile, pathlib, datetime as d\n"
            "from shared.central import reports\n"
            "began = time.perf_counter()\n"
            "with tempfile.TemporaryDirectory() as folder:\n"
            "    made = reports.export(sys.argv[1], sys.argv[4:], d.date.fromisoformat("
            "sys.argv[2]), d.date.fromisoformat(sys.argv[3]), pathlib.Path(folder) / "
            "'r.xlsx', d.date.today())\n"
            "print(json.dumps({'seconds': round(time.perf_counter() - began, 1), 'peak_mb': "
            "round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), 'tickets': "
            "made.totals['issued']}))\n")
    done = subprocess.run([sys.executable, "-c", code, database, FIRST_DAY.isoformat(),
                           last.isoformat(), *sites], capture_output=True, text=True,
                          check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- the site's own latency ------------------------------------------------------------


def _silent_listener() -> tuple[socket.socket, int]:
    """Accepts connections and never says a word: a central server that hangs."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    return listener, int(listener.getsockname()[1])


def _site_round(mode: str, folder: Path, central: CentralServer | None,
                database: str | None) -> dict[str, Any]:
    from bench import call_fanout, issue_load

    (folder / mode).mkdir(parents=True, exist_ok=True)
    office = write_office(folder / mode)
    silent = None
    if mode != "none":
        key = folder / mode / "site.key"
        if mode == "reachable":
            assert central is not None
            assert database is not None
            key.write_text(add_site(database, f"bench-{mode}-{time.time_ns()}", "bench"))
            url, authority = f"https://127.0.0.1:{central.port}", central.authority
        elif mode == "refused":
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                closed = probe.getsockname()[1]
            key.write_text("x")
            url, authority = f"https://127.0.0.1:{closed}", None
        else:
            silent, port = _silent_listener()
            key.write_text("x")
            url, authority = f"https://127.0.0.1:{port}", None
        with office.open("a", encoding="utf-8") as toml:
            toml.write(f'\n[central]\nurl = "{url}"\nsite = "bench-office"\n'
                       f'key_file = "{key}"\n'
                       + (f'authority = "{authority}"\n' if authority else ""))
    server = start_server(folder / mode / "data", office, real_clock=True)
    try:
        # The calls first: they expect A001, A002 … and the load issues at every service.
        calls = asyncio.run(call_fanout._measure(server, 100, 4))
        issued = asyncio.run(issue_load._load(server, 8, 3.0))
    finally:
        server.stop()
        if silent is not None:
            silent.close()
    issued.pop("_numbers", None)
    return {"issue": issued["latency"], "issue_per_s": issued["tickets_per_s"],
            "call": calls["all_displays"]}


def site(rounds: int = 3) -> dict[str, Any]:
    from tests.postgres import PostgresServer

    modes = ("none", "reachable", "refused", "silent")
    results: dict[str, list[dict[str, Any]]] = {m: [] for m in modes}
    postgres = PostgresServer(durable=True)
    try:
        database = postgres.new_database()
        with tempfile.TemporaryDirectory() as folder:
            central = CentralServer(database, Path(folder) / "central", "127.0.0.1", 0)
            loop = asyncio.new_event_loop()
            loop.run_until_complete(central.start())
            serving = __import__("threading").Thread(target=loop.run_forever, daemon=True)
            serving.start()
            try:
                for n in range(rounds):
                    for mode in modes:
                        result = _site_round(mode, Path(folder) / f"r{n}", central, database)
                        results[mode].append(result)
                        print(f"  round {n + 1}, {mode:9}: issue p50 "
                              f"{result['issue']['p50_ms']} p99 {result['issue']['p99_ms']} ms,"
                              f" call p50 {result['call']['p50_ms']} p99 "
                              f"{result['call']['p99_ms']} ms", flush=True)
            finally:
                asyncio.run_coroutine_threadsafe(central.stop(), loop).result(30)
                loop.call_soon_threadsafe(loop.stop)
    finally:
        postgres.stop()

    def median(mode: str, what: str, figure: str) -> float:
        return round(statistics.median(r[what][figure] for r in results[mode]), 2)

    summary = {mode: {f"{what}_{figure}": median(mode, what, figure)
                      for what in ("issue", "call") for figure in ("p50_ms", "p99_ms")}
               for mode in modes}
    return {"rounds": results, "median": summary}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.central")
    parser.add_argument("what", choices=("ingest", "site"))
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    result = ingest(args.sites, args.days) if args.what == "ingest" else site(args.rounds)
    print(json.dumps({"machine": machine(), args.what: result}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
