"""The durable store on a real SQLite file: schema, atomicity, append-only log, crashes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared.core import queue_rules as rules
from shared.core import wire
from shared.core.errors import StoreError
from shared.core.events import Event, EventKind
from shared.core.office import Counter, Office, Service
from shared.server.store import SqliteStore

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=ZONE)
OFFICE = Office(
    id="t",
    name="T",
    services=(Service("A", "A", "A", prefix="A"), Service("B", "B", "B", prefix="B")),
    counters=(Counter(1, "Quầy 1", ("A", "B")),),
)


@pytest.fixture
def store(tmp_path: Path):
    store = SqliteStore(tmp_path / "motcua.sqlite")
    yield store
    store.close()


def issue(store: SqliteStore, state: rules.QueueState, service: str = "A") -> rules.QueueState:
    return store.commit(state, rules.issue(state, OFFICE, service, None, NOW))


def test_durability_settings(store: SqliteStore) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_migrations_are_recorded_and_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "motcua.sqlite"
    SqliteStore(path).close()
    reopened = SqliteStore(path)
    names = [r[0] for r in reopened.db.execute("SELECT name FROM _sqlite_migrations")]
    assert names == ["m001_tickets_counters_events", "m002_event_hash_chain",
                     "m003_ticket_rating", "m004_officials", "m005_bookings"]
    reopened.close()


def test_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "motcua.sqlite"
    store = SqliteStore(path)
    state = store.load(NOW.date())
    for service in "ABA":
        state = issue(store, state, service)
    state = store.commit(state, rules.call_next(state, OFFICE, 1, NOW))
    store.close()
    again = SqliteStore(path)
    assert again.load(NOW.date()) == state
    assert rules.replay(state.day, again.events(state.day)) == state
    again.close()


def test_a_number_cannot_be_stored_twice_for_one_service_and_day(store: SqliteStore) -> None:
    state = issue(store, store.load(NOW.date()))
    duplicate = Event(
        EventKind.ISSUED, NOW, NOW.date(), ticket=state.next_id,
        data={"number": "A001", "sequence": 1, "service": "A", "priority": None},
    )
    with pytest.raises(StoreError, match="UNIQUE"):
        store.commit(state, [duplicate])
    assert store.ticket_count() == 1
    assert len(store.events()) == 1


def test_failure_mid_transaction_writes_nothing(store: SqliteStore, monkeypatch) -> None:
    state = issue(store, store.load(NOW.date()))

    def broken_log(events: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "_write_events", broken_log)
    with pytest.raises(StoreError, match="disk I/O error"):
        store.commit(state, rules.call_next(state, OFFICE, 1, NOW))
    monkeypatch.undo()
    # The ticket written before the failure was rolled back with it.
    assert store.load(NOW.date()) == state
    assert [e.kind for e in store.events()] == [EventKind.ISSUED]


def test_the_event_log_refuses_edits(store: SqliteStore) -> None:
    issue(store, store.load(NOW.date()))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("UPDATE events SET kind = 'done'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("DELETE FROM events")


def test_reply_is_stored_with_the_change(store: SqliteStore) -> None:
    state = store.load(NOW.date())
    events = rules.issue(state, OFFICE, "A", None, NOW)
    store.commit(state, events, ("kiosk-1", "42"), wire.Empty(re="42"))
    assert store.reply_to("kiosk-1", "42") == wire.Empty(re="42")
    assert store.reply_to("kiosk-2", "42") is None


def test_a_stored_reply_that_cannot_be_read_is_an_internal_error_never_a_second_run(
    store: SqliteStore,
) -> None:
    store.db.execute(
        "INSERT INTO requests (client, request_id, reply, at) VALUES (?, ?, ?, ?)",
        ["kiosk-1", "7", '{"type": "ticket", "re": "7", "ticket": {"numero": 1}}', "2026-11-23"],
    )
    answer = store.reply_to("kiosk-1", "7")
    assert isinstance(answer, wire.ErrorReply)
    assert (answer.re, answer.code) == ("7", "internal")


def test_next_day_starts_empty_and_ids_keep_counting(store: SqliteStore) -> None:
    state = issue(store, store.load(NOW.date()))
    tomorrow = store.load(NOW.date() + timedelta(days=1))
    assert tomorrow.tickets == {}
    assert tomorrow.next_id == state.next_id


def test_loading_today_uses_the_day_index(store: SqliteStore) -> None:
    plan = " ".join(
        str(row[3])
        for row in store.db.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM tickets WHERE business_day = ?", ["2026-11-23"]
        )
    )
    assert "USING INDEX tickets_day_status" in plan


def test_a_path_that_cannot_hold_a_database_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="Không mở được cơ sở dữ liệu"):
        SqliteStore(blocker / "motcua.sqlite")


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from pathlib import Path
    from zoneinfo import ZoneInfo
    from shared.core import queue_rules as rules
    from shared.server.store import SqliteStore
    from tests.shared.test_store import OFFICE

    store = SqliteStore(Path(sys.argv[1]))
    now = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    state = store.load(now.date())
    for i in range(100_000):
        service = "AB"[i % 2]
        if state.last_sequence.get(service, 0) >= 999:
            break
        state = store.commit(state, rules.issue(state, OFFICE, service, None, now))
        ticket = state.tickets[state.next_id - 1]
        print(ticket.number, flush=True)  # acknowledged only after the commit returned
    """
)


def test_every_acknowledged_write_survives_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "motcua.sqlite"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2],
    )
    assert writer.stdout is not None
    acknowledged = []
    for line in writer.stdout:
        acknowledged.append(line.strip())
        if len(acknowledged) == 300:
            writer.kill()  # SIGKILL: no clean-up, mid-stream
            break
    writer.wait(timeout=10)
    acknowledged += [line.strip() for line in writer.stdout if line.strip()]
    assert len(acknowledged) >= 300

    store = SqliteStore(path)
    state = store.load(date(2026, 11, 23))
    stored = {t.number for t in state.tickets.values()}
    assert set(acknowledged) <= stored
    logged = {e.data["number"] for e in store.events() if e.kind is EventKind.ISSUED}
    assert set(acknowledged) <= logged
    assert rules.replay(state.day, store.events(state.day)) == state
    store.close()
