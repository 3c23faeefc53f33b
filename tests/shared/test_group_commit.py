"""Group commit and the service's shortcuts: faster, and telling exactly the same.

The server decides every request that arrives in one turn of its event loop inside
one transaction and answers them only when it is on disk (docs/performance.md);
the office service keeps the waiting counts up to date from the events instead of
counting the day's tickets again for every request.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.core import queue_rules as rules
from shared.core.config import load_office
from shared.core.errors import StoreError
from shared.server.office_service import OfficeService, Session
from shared.server.server import OfficeServer
from shared.server.store import SqliteStore
from tests.conftest import MakeServer, handle_json
from tests.office_client import ADMIN_PASSWORD, OfficeClient

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
KIOSK = Session("kiosk-1", "kiosk")

ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("issue"), st.sampled_from("ABCDEF"),
                  st.sampled_from([None, None, "elderly"])),
        st.tuples(st.sampled_from(["call_next", "absent", "park", "done", "recall"]),
                  st.integers(1, 4), st.none()),
        st.tuples(st.just("transfer"), st.integers(1, 4), st.sampled_from("ABC")),
        st.tuples(st.just("return"), st.integers(1, 4), st.integers(1, 6)),
    ),
    max_size=40,
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_every_queue_change_reports_the_true_waiting_counts(
    tmp_path_factory: Any, actions: list[tuple[str, Any, Any]]
) -> None:
    office = load_office()
    now = [datetime(2026, 11, 23, 8, 0, tzinfo=ZONE)]
    store = SqliteStore(tmp_path_factory.mktemp("db") / "motcua.sqlite")
    service = OfficeService(office, store, lambda: now[0])
    try:
        for index, (kind, who, what) in enumerate(actions):
            now[0] += timedelta(seconds=30)
            if kind == "issue":
                session, body = KIOSK, {"service": who, "priority": what}
            else:
                session = Session(f"counter-{who}", "counter", who)
                body = {}
                if kind == "transfer":
                    body = {"service": what}
                elif kind == "return":
                    body = {"number": f"A{what:03d}"}
            outcome = handle_json(service, session, {"type": kind, "id": str(index), **body})
            truth = rules.waiting_counts(service.state, office)
            for message in outcome.events:
                if message["event"] == "queue_changed":
                    assert message["waiting"] == truth
            ticket = outcome.reply.get("ticket")
            if ticket is not None and ticket["status"] == "waiting":
                real = service.state.by_number(ticket["number"])
                assert real is not None
                assert ticket["ahead"] == rules.ahead_of(service.state, office, real)
    finally:
        store.close()


async def test_a_burst_of_requests_is_answered_in_order_once_on_disk(
    make_server: MakeServer, data_dir: Path
) -> None:
    office = load_office()
    server = await make_server(office)
    async with OfficeClient.connect(server.url, ADMIN_PASSWORD, "admin", "boss") as admin:
        replies = await asyncio.gather(*(admin.request("issue", service="A")
                                         for _ in range(40)))
        numbers = [reply["ticket"]["number"] for reply in replies]
        assert sorted(numbers) == [f"A{n:03d}" for n in range(1, 41)]
        issued = [(await admin.next_event("ticket_issued"))["ticket"]["number"]
                  for _ in range(40)]
        assert issued == sorted(numbers)  # events in the order the numbers were given
    await server.stop()
    store = SqliteStore(data_dir / "motcua.sqlite")
    try:
        assert store.ticket_count() == 40
    finally:
        store.close()


async def test_a_failed_group_commit_answers_internal_and_changes_nothing(
    make_server: MakeServer, data_dir: Path, monkeypatch: Any
) -> None:
    office = load_office()
    server: OfficeServer = await make_server(office)
    async with OfficeClient.connect(server.url, ADMIN_PASSWORD, "admin", "boss") as admin:
        first = await admin.request("issue", service="A")
        assert first["ticket"]["number"] == "A001"
        store = server._store
        assert store is not None
        real_end = store.end_batch

        def broken() -> None:
            store.db.execute("ROLLBACK")
            raise StoreError("disk full")

        monkeypatch.setattr(store, "end_batch", broken)
        failed = await asyncio.gather(*(admin.request("issue", service="A") for _ in range(5)))
        assert {reply["code"] for reply in failed} == {"internal"}
        monkeypatch.setattr(store, "end_batch", real_end)
        # Nothing of the failed batch happened: the retry of one of them is carried
        # out now, and the numbers go on from A002.
        retry = await admin.request("issue", request_id=str(failed[0]["re"]), service="A")
        assert retry["ticket"]["number"] == "A002"
        assert (await admin.request("snapshot"))["snapshot"]["services"][0]["waiting"] == 2
