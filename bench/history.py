"""3. History: ``call_next`` with 0, 100 k, 1 M and 3 M past tickets in the database.

Past business days are seeded straight into the real schema (the server's own
migrations create it): 4,000 tickets a working day spread over the bench office's 26
services and 20 counters, each with its three audit events (issued, called, done),
as a busy provincial centre would leave them — 3 M tickets is three years of such
days. Seeding uses big ``executemany`` transactions with ``synchronous=OFF``; the
server then runs on the file as shipped (WAL, ``synchronous=FULL``).

At each size a fresh server process starts on the database (its start time is
measured: process spawn to listening, and to the first welcome), a kiosk issues
today's tickets, and counters call them one after another.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.harness import (
    BASE_DAY,
    LETTERS,
    Row,
    ServerProcess,
    ms,
    raw_connect,
    start_server,
    summary_ms,
    temp_dir,
    write_office,
)
from shared.server.store import SqliteStore

SIZES = (0, 100_000, 1_000_000, 3_000_000)
PER_DAY = 4000
CALLS = 400
COUNTERS = 20


def _days_back(first_missing: date, count: int) -> list[date]:
    """``count`` working days (Monday to Saturday morning … kept simple: Mon–Sat)
    ending the day before ``first_missing``, newest first."""
    days: list[date] = []
    day = first_missing
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 6:
            days.append(day)
    return days


def seed(path: Path, tickets: int, before: date, per_day: int = PER_DAY) -> tuple[int, date]:
    """Add ``tickets`` past tickets (with 3 events each) on working days before
    ``before``, ``per_day`` a day; returns (tickets added, the earliest day seeded)."""
    if tickets <= 0:
        return 0, before
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-400000")
    next_id = (db.execute("SELECT max(id) FROM tickets").fetchone()[0] or 0) + 1
    days = _days_back(before, -(-tickets // per_day))
    added = 0
    for day in days:
        count = min(per_day, tickets - added)
        day_text = day.isoformat()
        base = datetime(day.year, day.month, day.day, 7, 30)
        ticket_rows = []
        event_rows = []
        sequences = dict.fromkeys(LETTERS, 0)
        for i in range(count):
            service = LETTERS[i % len(LETTERS)]
            sequences[service] += 1
            sequence = sequences[service]
            issued = base + timedelta(seconds=i * 7 * PER_DAY // per_day)
            called = issued + timedelta(minutes=20)
            finished = called + timedelta(minutes=9)
            counter = i % COUNTERS + 1
            ticket_id = next_id + i
            issued_text = issued.isoformat() + "+07:00"
            called_text = called.isoformat() + "+07:00"
            finished_text = finished.isoformat() + "+07:00"
            number = f"{service}{sequence:03d}"
            ticket_rows.append((
                ticket_id, day_text, number, sequence, service, service, None, issued_text,
                issued_text, "done", counter, None, called_text, None, finished_text, 0,
                None, None,
            ))
            issued_data = json.dumps({"number": number, "sequence": sequence,
                                      "service": service, "priority": None})
            event_rows.append((day_text, issued_text, "issued", ticket_id, None, issued_data))
            event_rows.append((day_text, called_text, "called", ticket_id, counter, "{}"))
            event_rows.append((day_text, finished_text, "done", ticket_id, counter, "{}"))
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO tickets (id, business_day, number, sequence, origin_service, service,"
            " priority, issued_at, queued_at, status, counter, target_counter, called_at,"
            " set_aside_at, finished_at, recalls, transferred_from, call_reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ticket_rows,
        )
        db.executemany(
            "INSERT INTO events (business_day, at, kind, ticket_id, counter, data)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            event_rows,
        )
        db.execute("COMMIT")
        next_id += count
        added += count
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return added, days[-1]


async def _calls(server: ServerProcess, calls: int, run: str) -> dict[str, Any]:
    # Today's queue: enough tickets for every call, issued by a kiosk.
    kiosk, _ = await raw_connect(server.port, server.secret, "kiosk", "kiosk-history")
    for i in range(calls + 20):
        request_id = f"{run}-i{i}"  # request ids are remembered: never reuse one
        service = LETTERS[i % len(LETTERS)]
        body = {"type": "issue", "id": request_id, "service": service, "priority": None}
        reply = await kiosk.request(f'"re":"{request_id}"'.encode(), json.dumps(body).encode())
        assert b'"type":"ticket"' in reply, reply
    counters = [
        (await raw_connect(server.port, server.secret, "counter", f"quay-{n}", n))[0]
        for n in range(1, 5)
    ]
    latencies = []
    for i in range(calls):
        counter = counters[i % len(counters)]
        request_id = f"{run}-c{i}"
        began = time.perf_counter()
        reply = await counter.request(f'"re":"{request_id}"'.encode(),
                                      json.dumps({"type": "call_next", "id": request_id}).encode())
        latencies.append(time.perf_counter() - began)
        assert b'"type":"called"' in reply, reply
        await asyncio.sleep(0.002)
    for client in [kiosk, *counters]:
        client.close()
    return summary_ms(latencies)


async def _first_welcome(server: ServerProcess) -> float:
    began = time.perf_counter()
    client, _ = await raw_connect(server.port, server.secret, "display", "tv-history")
    client.close()
    return time.perf_counter() - began


def run(sizes: tuple[int, ...] = SIZES, calls: int = CALLS) -> dict[str, Any]:
    results = []
    with temp_dir("history") as folder:
        office = write_office(folder)
        data_dir = folder / "data"
        data_dir.mkdir()
        database = data_dir / "motcua.sqlite"
        SqliteStore(database).close()  # the real schema, by the server's own migrations
        seeded, earliest = 0, date.fromisoformat(BASE_DAY)
        # Each size runs on its own day, so that today's queue starts empty every time.
        for index, size in enumerate(sizes):
            began = time.perf_counter()
            added, earliest = seed(database, size - seeded, earliest)
            seeded += added
            seed_s = time.perf_counter() - began
            day = (date.fromisoformat(BASE_DAY) + timedelta(days=index)).isoformat()
            server = start_server(data_dir, office, day=day)
            try:
                welcome_s = asyncio.run(_first_welcome(server))
                latency = asyncio.run(_calls(server, calls, f"r{index}"))
            finally:
                server.stop()
            size_mb = sum(p.stat().st_size for p in data_dir.glob("motcua.sqlite*")) / 2**20
            result = {
                "past_tickets": seeded,
                "seed_s": round(seed_s, 1),
                "database_mb": round(size_mb),
                "server_start_s": round(server.started_in, 3),
                "first_welcome_ms": round(welcome_s * 1000, 1),
                "call_next": latency,
            }
            results.append(result)
            print(f"  history {seeded:>9,} tickets ({result['database_mb']} MB, seeded in "
                  f"{seed_s:.1f} s): call_next p50 {latency['p50_ms']} ms, p99 "
                  f"{latency['p99_ms']} ms; server start {server.started_in:.2f} s", flush=True)
    return {"sizes": results}


def rows(result: dict[str, Any]) -> list[Row]:
    sizes = result["sizes"]
    empty = sizes[0]["call_next"]
    out = []
    for size in sizes:
        lat = size["call_next"]
        label = f"{size['past_tickets']:,}" if size["past_tickets"] else "0"
        out.append(Row(f"call_next with {label} past tickets: p50 / p99",
                       f"{lat['p50_ms']:.2f} / {lat['p99_ms']:.2f} ms"))
    largest = sizes[-1]
    ratio = largest["call_next"]["p99_ms"] / empty["p99_ms"]
    out.append(Row(f"call_next p99 at {largest['past_tickets']:,} / at 0", f"{ratio:.2f}×",
                   "≤ 1.5×", ratio <= 1.5))
    out.append(Row(f"server start with {largest['past_tickets']:,} past tickets "
                   f"({largest['database_mb']:,} MB)",
                   f"{largest['server_start_s']:.2f} s to listening, first welcome "
                   f"{ms(largest['first_welcome_ms'])}"))
    return out


if __name__ == "__main__":
    import sys

    chosen = tuple(int(a) for a in sys.argv[1:]) or SIZES
    print(json.dumps(run(chosen), indent=1))
