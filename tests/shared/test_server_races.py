"""Counters racing each other over real connections: every ticket is called exactly
once, by one counter, first come first served; retries racing too create nothing twice."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from shared.core.events import EventKind
from shared.core.office import Office
from shared.server.server import DATABASE_FILE, OfficeServer
from shared.server.store import SqliteStore
from tests.conftest import Connect, MakeServer, office_from_toml
from tests.office_client import JsonObject, OfficeClient

TICKETS = 300
KIOSKS = 2
COUNTERS = 4

ONE_SERVICE_OFFICE = """
[office]
id = "phuong-dua"
name = "UBND Phường Đua"

[[services]]
code = "A"
name = "Hộ tịch"
name_en = "Civil status"

[[counters]]
number = 1
services = ["A"]

[[counters]]
number = 2
services = ["A"]

[[counters]]
number = 3
services = ["A"]

[[counters]]
number = 4
services = ["A"]

[server]
kiosk_rate_per_minute = 6000
"""


def one_service_office() -> Office:
    return office_from_toml(ONE_SERVICE_OFFICE)


async def issue_many(kiosk: OfficeClient, count: int) -> list[str]:
    numbers = []
    for _ in range(count):
        reply = await kiosk.request("issue", service="A")
        assert reply["type"] == "ticket", reply
        numbers.append(reply["ticket"]["number"])
    return numbers


async def call_until_empty(counter: OfficeClient) -> list[JsonObject]:
    called: list[JsonObject] = []
    while True:
        reply = await counter.request("call_next")
        if reply["type"] == "empty":
            return called
        assert reply["type"] == "called", reply
        called.append(reply["ticket"])


def calls_in_the_log(data_dir: Path) -> list[tuple[int, int]]:
    """(ticket id, counter) of every call in the audit log, in the order decided."""
    store = SqliteStore(data_dir / DATABASE_FILE)
    try:
        return [
            (e.ticket, e.counter) for e in store.events()
            if e.kind is EventKind.CALLED and e.ticket is not None and e.counter is not None
        ]
    finally:
        store.close()


async def test_four_counters_race_for_the_same_queue(
    make_server: MakeServer, connect: Connect, data_dir: Path
) -> None:
    server = await make_server(one_service_office())
    kiosks = [await connect("kiosk", f"kiosk-{i}", to=server) for i in range(KIOSKS)]
    display = await connect("display", to=server)
    counters = [await connect("counter", counter=n, to=server) for n in range(1, COUNTERS + 1)]

    issued = await asyncio.gather(*(issue_many(k, TICKETS // KIOSKS) for k in kiosks))
    numbers = sorted(n for batch in issued for n in batch)
    assert numbers == [f"A{i:03d}" for i in range(1, TICKETS + 1)]  # none issued twice
    for batch in issued:
        assert batch == sorted(batch)  # each kiosk's numbers rise

    results = await asyncio.gather(*(call_until_empty(c) for c in counters))

    handed_out = [(t["number"], n) for n, batch in enumerate(results, 1) for t in batch]
    called_numbers = [number for number, _ in handed_out]
    assert len(called_numbers) == len(set(called_numbers))  # nobody got a ticket twice
    assert sorted(called_numbers) == numbers  # and every ticket was called
    assert all(len(batch) > 0 for batch in results)  # all four really raced
    for n, tickets in enumerate(results, 1):
        assert all(ticket["counter"] == n for ticket in tickets)
        # Each counter's own tickets come in number order.
        assert [t["number"] for t in tickets] == sorted(t["number"] for t in tickets)

    # The hall saw the calls in the order the server decided them: A001, A002, …
    calls: list[tuple[str, int]] = []
    while len(calls) < TICKETS:
        event = await display.next_event("ticket_called")
        calls.append((event["ticket"]["number"], event["counter"]))
    assert [number for number, _ in calls] == numbers
    assert sorted(calls) == sorted(handed_out)
    by_time = sorted(
        (datetime.fromisoformat(t["called_at"]), t["number"]) for batch in results for t in batch
    )
    assert [number for _, number in by_time] == numbers

    await server.stop()
    log = calls_in_the_log(server.data_dir)
    assert [ticket for ticket, _ in log] == sorted(ticket for ticket, _ in log)
    assert len(log) == TICKETS


async def test_calls_racing_issues_always_take_the_oldest_waiting(
    make_server: MakeServer, connect: Connect, data_dir: Path
) -> None:
    server = await make_server(one_service_office())
    kiosks = [await connect("kiosk", f"kiosk-{i}", to=server) for i in range(KIOSKS)]
    counters = [await connect("counter", counter=n, to=server) for n in range(1, COUNTERS + 1)]
    issuing = asyncio.gather(*(issue_many(k, 100) for k in kiosks))

    async def keep_calling(counter: OfficeClient) -> list[str]:
        called: list[str] = []
        while not issuing.done() or (await counter.request("snapshot"))["snapshot"][
            "services"
        ][0]["waiting"]:
            reply = await counter.request("call_next")
            if reply["type"] == "called":
                called.append(reply["ticket"]["number"])
        return called

    results = await asyncio.gather(*(keep_calling(c) for c in counters))
    await issuing
    called = [number for batch in results for number in batch]
    assert len(called) == len(set(called)) == 200

    await server.stop()
    # Replay the log: each call took the oldest ticket waiting at that moment.
    store = SqliteStore(server.data_dir / DATABASE_FILE)
    try:
        assert sum(1 for f in store.events() if f.kind is EventKind.CALLED) == 200
        waiting: set[int] = set()
        for fact in store.events():
            assert fact.ticket is not None
            if fact.kind is EventKind.ISSUED:
                waiting.add(fact.ticket)
            elif fact.kind is EventKind.CALLED:
                assert fact.ticket == min(waiting)
                waiting.remove(fact.ticket)
        assert not waiting
    finally:
        store.close()


async def test_a_retry_racing_the_original_creates_one_ticket(
    server: OfficeServer, connect: Connect
) -> None:
    async with OfficeClient.connect(server.url, server.secret, "kiosk", "kiosk-1") as first:
        key = first.key  # enrolled once; its connections then prove themselves with it

    async def issue_as(client_id: str) -> JsonObject:
        async with OfficeClient.connect(server.url, "", "kiosk", client_id, key=key) as k:
            return await k.request("issue", service="A", request_id="press-1")

    # The same kiosk on five connections (old ones not yet gone and their reconnect).
    replies = await asyncio.gather(*(issue_as("kiosk-1") for _ in range(5)))
    assert all(reply == replies[0] for reply in replies)
    display = await connect("display")
    assert display.snapshot["services"][0]["waiting"] == 1
