"""The durable store: one SQLite file, written only by the office server.

Tickets and counters are a projection of the append-only event log; both, and the
reply to the request that caused them, are written in one transaction, so a reply
never leaves the server for a change that is not on disk (WAL, ``synchronous=FULL``).
Past days stay in the same tables; every query the queue needs goes through an
index that starts with the business day, so years of history cost nothing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import msgspec
import sqlite_utils
from sqlite_utils.migrations import Migrations

from shared.core import report, wire
from shared.core.audit_chain import GENESIS, StoredEvent, seal
from shared.core.errors import StoreError
from shared.core.events import Event
from shared.core.private_files import private_file
from shared.core.protocol import ProtocolError
from shared.core.queue_rules import QueueState, apply
from shared.core.system_words import said
from shared.core.ticket import CounterState, Ticket, TicketStatus

log = logging.getLogger(__name__)


migrations = Migrations("motcua")


@migrations()
def m001_tickets_counters_events(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY,
            business_day TEXT NOT NULL,
            number TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            origin_service TEXT NOT NULL,
            service TEXT NOT NULL,
            priority TEXT,
            issued_at TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            status TEXT NOT NULL,
            counter INTEGER,
            target_counter INTEGER,
            called_at TEXT,
            set_aside_at TEXT,
            finished_at TEXT,
            recalls INTEGER NOT NULL DEFAULT 0,
            transferred_from TEXT,
            call_reason TEXT,
            UNIQUE (business_day, origin_service, sequence)
        )"""
    )
    # Loading today's queue: only the day's rows, however long the history.
    db.execute("CREATE INDEX tickets_day_status ON tickets (business_day, status)")
    db.execute(
        """
        CREATE TABLE counters (
            number INTEGER PRIMARY KEY,
            business_day TEXT NOT NULL,
            paused INTEGER NOT NULL DEFAULT 0,
            current INTEGER REFERENCES tickets (id),
            ordinary_streak INTEGER
        )"""
    )
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            business_day TEXT NOT NULL,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            ticket_id INTEGER REFERENCES tickets (id),
            counter INTEGER,
            data TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX events_day ON events (business_day, id)")
    # The audit log is append-only: the database itself refuses edits.
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"""
            CREATE TRIGGER events_no_{action.lower()} BEFORE {action} ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"""
        )
    db.execute(
        """
        CREATE TABLE requests (
            client TEXT NOT NULL,
            request_id TEXT NOT NULL,
            reply TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (client, request_id)
        ) WITHOUT ROWID"""
    )


@migrations()
def m002_event_hash_chain(db: sqlite_utils.Database) -> None:
    """Seal every event to the one before it (``shared.core.audit_chain``); the events
    already there are sealed now, in their order, the only time the log is written to
    after the fact. Read page by page: years of history must not fill a small PC's
    memory."""
    db.execute("ALTER TABLE events ADD COLUMN hash TEXT")
    db.execute("DROP TRIGGER events_no_update")
    previous, after = GENESIS, 0
    while True:
        page = db.execute(
            "SELECT id, business_day, at, kind, ticket_id, counter, data FROM events "
            "WHERE id > ? ORDER BY id LIMIT 10000", [after]).fetchall()
        if not page:
            break
        seals = []
        for row in page:
            event = StoredEvent(*row)
            previous = seal(previous, event)
            seals.append((previous, event.id))
        db.conn.executemany("UPDATE events SET hash = ? WHERE id = ?", seals)
        after = page[-1][0]
    db.execute(
        """
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"""
    )


@migrations()
def m003_ticket_rating(db: sqlite_utils.Database) -> None:
    """The citizen's rating of the service (issue 13): a column of the ticket, so that a
    ticket is rated once; the rating itself, with its reasons, is a ``rated`` event."""
    db.execute("ALTER TABLE tickets ADD COLUMN rating INTEGER")


@migrations()
def m004_officials(db: sqlite_utils.Database) -> None:
    """Who is signed in at each counter, and who served each ticket (issue 12)."""
    db.execute("ALTER TABLE counters ADD COLUMN official TEXT")
    db.execute("ALTER TABLE tickets ADD COLUMN official TEXT")


@migrations()
def m005_bookings(db: sqlite_utils.Database) -> None:
    """The booking a ticket was checked in with, whether it kept the booking's place,
    and the counter that issued it for a citizen standing there (issue 15)."""
    db.execute("ALTER TABLE tickets ADD COLUMN booking TEXT")
    db.execute("ALTER TABLE tickets ADD COLUMN appointment INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE tickets ADD COLUMN issued_by INTEGER")


class QueueStore(Protocol):
    """What the office service needs from durable storage."""

    def load(self, day: date) -> QueueState: ...

    def commit(
        self,
        before: QueueState,
        events: list[Event],
        request: tuple[str, str] | None = None,
        reply: wire.Reply | None = None,
        *,
        after: QueueState | None = None,
    ) -> QueueState: ...

    def reply_to(self, client: str, request_id: str) -> wire.Reply | None: ...

    def forget_replies(self, before: date) -> None: ...

    def last_event_at(self) -> datetime | None: ...

    def last_event_day(self) -> date | None: ...

    def close(self) -> None: ...


class SqliteStore:
    """The queue store in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            private_file(path)  # 0600: SQLite gives its -wal and -shm the same mode
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=5000")
            migrations.apply(self.db)
        except (sqlite3.Error, OSError) as error:
            raise StoreError(said("database_unopened", path=path, problem=error)) from error

    def close(self) -> None:
        if self.db.conn.in_transaction:
            self.end_batch()
        self.db.close()

    # --- group commit -----------------------------------------------------------

    def begin_batch(self) -> None:
        """Open one transaction for the commits that follow (each becomes a savepoint
        in it, so a failing one still changes nothing), until ``end_batch``. Nothing
        written in between is durable, or may be told to anyone, before that."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise StoreError(said("database_unwritten", path=self.path, problem=error)) from error

    def end_batch(self) -> None:
        """Commit the transaction ``begin_batch`` opened: one fsync for all of it.
        Raises StoreError, with all of it rolled back, if that fails."""
        if not self.db.conn.in_transaction:
            return
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as error:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise StoreError(said("database_unwritten", path=self.path, problem=error)) from error

    # --- reading --------------------------------------------------------------

    def load(self, day: date) -> QueueState:
        """The queue of ``day`` as stored: its tickets, counters and sequences.

        Also forgets remembered replies older than yesterday: a retry comes within
        seconds of a reconnect, never days later.
        """
        key = day.isoformat()
        self.forget_replies(day - timedelta(days=1))
        tickets = {
            row["id"]: _ticket(row)
            for row in self._rows("SELECT * FROM tickets WHERE business_day = ?", key)
        }
        counters = {
            row["number"]: CounterState(
                number=row["number"],
                paused=bool(row["paused"]),
                current=row["current"],
                ordinary_streak=row["ordinary_streak"],
                official=row["official"],
            )
            for row in self._rows("SELECT * FROM counters WHERE business_day = ?", key)
        }
        last_sequence: dict[str, int] = {}
        walk_ins: dict[str, int] = {}
        for ticket in tickets.values():
            service = ticket.origin_service
            last_sequence[service] = max(last_sequence.get(service, 0), ticket.sequence)
            if not ticket.appointment:
                walk_ins[service] = walk_ins.get(service, 0) + 1
        max_id = self.db.execute("SELECT max(id) FROM tickets").fetchone()[0] or 0
        return QueueState(
            day=day,
            tickets=tickets,
            counters=counters,
            last_sequence=last_sequence,
            next_id=max_id + 1,
            walk_ins=walk_ins,
        )

    def report_days(self, start: date, end: date) -> list[report.Day]:
        """The business days from ``start`` to ``end``, as a report reads them."""
        return report_days(self.db.conn, start, end)

    def events(self, day: date | None = None) -> list[Event]:
        """The audit log, oldest first; one business day or all of it."""
        sql, params = "SELECT * FROM events ORDER BY id", tuple[str, ...]()
        if day is not None:
            sql, params = (
                "SELECT * FROM events WHERE business_day = ? ORDER BY id",
                (day.isoformat(),),
            )
        return [
            Event.from_record({**row, "data": json.loads(row["data"])})
            for row in self._rows(sql, *params)
        ]

    def reply_to(self, client: str, request_id: str) -> wire.Reply | None:
        row = self.db.execute(
            "SELECT reply FROM requests WHERE client = ? AND request_id = ?",
            [client, request_id],
        ).fetchone()
        if row is None:
            return None
        try:
            return wire.decode_reply(row[0])
        except (msgspec.DecodeError, msgspec.ValidationError, ProtocolError):
            # Never run a request twice: an answer that cannot be read (a reply stored
            # by another version, say) is answered as an internal error.
            log.exception("cannot read the stored reply to %s of %s", request_id, client)
            return wire.ErrorReply(
                re=request_id, code="internal",
                message="Máy chủ gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại.",
            )

    def forget_replies(self, before: date) -> None:
        """Drop remembered replies from before ``before``: retries never come days later."""
        with self.db.atomic():
            self.db.execute("DELETE FROM requests WHERE at < ?", [before.isoformat()])

    def last_event_at(self) -> datetime | None:
        """When the newest stored event happened: the queue's clock must not go back past it."""
        row = self.db.execute("SELECT at FROM events ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else datetime.fromisoformat(row[0])

    def last_event_day(self) -> date | None:
        """The business day of the newest stored event (not of its time: a clock that
        was ahead for a moment must not move the office to another day)."""
        row = self.db.execute(
            "SELECT business_day FROM events ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else date.fromisoformat(row[0])

    def day_before(self, day: date) -> date | None:
        """The last business day before ``day`` that issued anything (the day before a
        Monday is the Friday; after a holiday, the last working day)."""
        row = self.db.execute("SELECT max(business_day) FROM tickets WHERE business_day < ?",
                              [day.isoformat()]).fetchone()
        return None if row is None or row[0] is None else date.fromisoformat(row[0])

    def ticket_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM tickets").fetchone()[0])

    # --- writing --------------------------------------------------------------

    def commit(
        self,
        before: QueueState,
        events: list[Event],
        request: tuple[str, str] | None = None,
        reply: wire.Reply | None = None,
        *,
        after: QueueState | None = None,
    ) -> QueueState:
        """Write ``events``, the state they lead to and the reply, all or nothing.

        Returns the new state (``after``, when the caller already applied the events
        to ``before``); the caller swaps it in only after this returns, so memory never
        runs ahead of the database. Inside a group commit (``begin_batch``) the write
        is durable only at ``end_batch``.
        """
        if after is None:
            after = apply(before, events)
        ticket_ids = {e.ticket for e in events if e.ticket is not None}
        counter_numbers = {e.counter for e in events if e.counter is not None}
        try:
            with self.db.atomic():
                for ticket_id in sorted(ticket_ids):
                    self._write_ticket(after.tickets[ticket_id])
                self._write_events(events)
                for number in sorted(counter_numbers):
                    self._write_counter(after.day, after.counter_state(number))
                if request is not None and reply is not None:
                    self.db.execute(
                        "INSERT INTO requests (client, request_id, reply, at) VALUES (?, ?, ?, ?)",
                        [*request, wire.encode(reply).decode(), _now_text(events)],
                    )
        except sqlite3.Error as error:
            raise StoreError(said("database_unwritten", path=self.path, problem=error)) from error
        return after

    def _write_events(self, events: Iterable[Event]) -> None:
        """Append ``events``, each sealed to the one before (``audit_chain``). The last
        link is read from the file each time: a rolled-back batch leaves nothing to
        forget."""
        last = self.db.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
        last_id, previous = (0, GENESIS) if last is None else (int(last[0]), str(last[1]))
        rows = []
        for offset, event in enumerate(events, start=1):
            record = event.to_record()
            stored = StoredEvent(last_id + offset, record["business_day"], record["at"],
                                 record["kind"], record["ticket_id"], record["counter"],
                                 json.dumps(record["data"], ensure_ascii=False))
            previous = seal(previous, stored)
            rows.append((stored.id, stored.business_day, stored.at, stored.kind,
                         stored.ticket_id, stored.counter, stored.data, previous))
        self.db.conn.executemany(
            "INSERT INTO events (id, business_day, at, kind, ticket_id, counter, data, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows,
        )

    def _write_ticket(self, ticket: Ticket) -> None:
        row = _ticket_row(ticket)
        columns = ", ".join(row)
        updates = ", ".join(f"{c} = excluded.{c}" for c in row if c != "id")
        self.db.execute(
            f"INSERT INTO tickets ({columns}) VALUES ({', '.join('?' * len(row))})"
            f" ON CONFLICT (id) DO UPDATE SET {updates}",
            list(row.values()),
        )

    def _write_counter(self, day: date, counter: CounterState) -> None:
        self.db.execute(
            "INSERT INTO counters (number, business_day, paused, current, ordinary_streak,"
            " official) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (number) DO UPDATE SET"
            " business_day = excluded.business_day, paused = excluded.paused,"
            " current = excluded.current, ordinary_streak = excluded.ordinary_streak,"
            " official = excluded.official",
            [counter.number, day.isoformat(), counter.paused, counter.current,
             counter.ordinary_streak, counter.official],
        )

    def _rows(self, sql: str, *params: Any) -> Iterator[dict[str, Any]]:
        cursor = self.db.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        for values in cursor:
            yield dict(zip(names, values, strict=True))


def _now_text(events: list[Event]) -> str:
    return events[-1].at.isoformat() if events else datetime.now().astimezone().isoformat()


_DATETIME_COLUMNS = ("issued_at", "queued_at", "called_at", "set_aside_at", "finished_at")


def _ticket_row(ticket: Ticket) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": ticket.id,
        "business_day": ticket.day.isoformat(),
        "number": ticket.number,
        "sequence": ticket.sequence,
        "origin_service": ticket.origin_service,
        "service": ticket.service,
        "priority": ticket.priority,
        "status": ticket.status.value,
        "counter": ticket.counter,
        "target_counter": ticket.target_counter,
        "recalls": ticket.recalls,
        "transferred_from": ticket.transferred_from,
        "call_reason": ticket.call_reason,
        "rating": ticket.rating,
        "official": ticket.official,
        "booking": ticket.booking,
        "appointment": int(ticket.appointment),
        "issued_by": ticket.issued_by,
    }
    for column in _DATETIME_COLUMNS:
        moment: datetime | None = getattr(ticket, column)
        row[column] = None if moment is None else moment.isoformat()
    return row


def _ticket(row: Mapping[str, Any]) -> Ticket:
    def moment(column: str) -> datetime | None:
        return None if row[column] is None else datetime.fromisoformat(row[column])

    return Ticket(
        id=row["id"],
        day=date.fromisoformat(row["business_day"]),
        number=row["number"],
        sequence=row["sequence"],
        origin_service=row["origin_service"],
        service=row["service"],
        priority=row["priority"],
        status=TicketStatus(row["status"]),
        counter=row["counter"],
        target_counter=row["target_counter"],
        recalls=row["recalls"],
        transferred_from=row["transferred_from"],
        call_reason=row["call_reason"],
        rating=row["rating"],
        official=row["official"],
        booking=row["booking"],
        appointment=bool(row["appointment"]),
        issued_by=row["issued_by"],
        issued_at=datetime.fromisoformat(row["issued_at"]),
        queued_at=datetime.fromisoformat(row["queued_at"]),
        called_at=moment("called_at"),
        set_aside_at=moment("set_aside_at"),
        finished_at=moment("finished_at"),
    )


def report_days(db: sqlite3.Connection, start: date, end: date) -> list[report.Day]:
    """The business days from ``start`` to ``end`` with what a report reads of them:
    two range queries, only the columns and event kinds needed (issue 12's target: a
    month's workbook in 2 s over years of history). ``db`` may be read-only."""
    span = [start.isoformat(), end.isoformat()]
    tickets: defaultdict[str, list[report.TicketRecord]] = defaultdict(list)
    columns = {row[1] for row in db.execute("PRAGMA table_info(tickets)")}
    # A file no server of issue 15 has opened yet (never migrated: read-only) has no
    # bookings: read it as such.
    booked = ("booking, appointment" if "booking" in columns else "NULL, 0")
    for row in db.execute(
        f"SELECT business_day, id, origin_service, service, priority, status, issued_at, "
        f"{booked}, queued_at FROM tickets WHERE business_day BETWEEN ? AND ? ORDER BY id",
        span,
    ):
        tickets[row[0]].append(report.TicketRecord(
            row[1], row[2], row[3], row[4], row[5], datetime.fromisoformat(row[6]),
            row[7], bool(row[8]), datetime.fromisoformat(row[9])))
    if "booking" in columns:
        _booked_places(db, span, tickets)
    events: defaultdict[str, list[report.EventRecord]] = defaultdict(list)
    kinds = ", ".join(f"'{kind.value}'" for kind in report.REPORTED_KINDS)
    for row in db.execute(
        "SELECT business_day, ticket_id, counter, kind, at, data FROM events "
        f"WHERE business_day BETWEEN ? AND ? AND kind IN ({kinds}) ORDER BY id", span,
    ):
        events[row[0]].append(report.EventRecord(
            row[1], row[2], row[3], datetime.fromisoformat(row[4]), row[5]))
    return [report.Day(date.fromisoformat(day), tickets[day], events[day])
            for day in sorted(set(tickets) | set(events))]


def _booked_places(db: sqlite3.Connection, span: list[str],
                   tickets: defaultdict[str, list[report.TicketRecord]]) -> None:
    """An appointment's place as its ``issued`` event gave it (the slot): the ticket's
    row holds where it waits now, which a return from absence moves later."""
    placed = {}
    for ticket_id, data in db.execute(
        "SELECT ticket_id, data FROM events WHERE business_day BETWEEN ? AND ? AND kind = "
        "'issued' AND ticket_id IN (SELECT id FROM tickets WHERE business_day BETWEEN ? AND "
        "? AND appointment = 1)", span + span,
    ):
        at = json.loads(data).get("queued_at")
        if at is not None:
            placed[ticket_id] = datetime.fromisoformat(at)
    if placed:
        for day, records in tickets.items():
            tickets[day] = [r._replace(queued_at=placed[r.id]) if r.id in placed else r
                            for r in records]


@contextlib.contextmanager
def read_only(database: Path) -> Iterator[sqlite3.Connection]:
    """The server's database opened read-only: for ``motcua report`` and ``motcua
    audit``, which may run beside a running server and must never change (nor
    migrate) its file. StoreError, in plain words, when it cannot be read."""
    if not database.is_file():
        raise StoreError(f"Không có cơ sở dữ liệu {database}. / No database {database}: "
                         "give the server's --data-dir.")
    try:
        db = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise StoreError(f"Không đọc được {database}: {error}. / Cannot read {database}.") \
            from error
    try:
        yield db
    except sqlite3.Error as error:
        raise StoreError(f"Không đọc được {database}: {error}. / Cannot read {database}.") \
            from error
    finally:
        db.close()
