"""An audit no one can fake (issue 12, part 5): every event sealed to the one before it,
and ``motcua audit`` replaying a day through the queue rules. A scripted day is
checked clean; an edited, a deleted and a swapped event in a copy of the database are
each found, by the first broken link; a "call next" that did not follow the rules is
named."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils

from shared.cli.main import main
from shared.core.audit_chain import StoredEvent, first_broken
from shared.core.config import load_office
from shared.core.events import Event, EventKind
from shared.core.office import Office
from shared.server.audit import audit_day
from shared.server.office_service import OfficeService, Session
from shared.server.store import SqliteStore, m001_tickets_counters_events, m002_event_hash_chain
from tests.conftest import handle_json

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime(2026, 12, 1, 8, 0, tzinfo=ZONE)
KIOSK = Session("kiosk-1", "kiosk")


def counter(number: int) -> Session:
    return Session(f"quay-{number}", "counter", number)


@pytest.fixture
def office() -> Office:
    return load_office()


def scripted_day(office: Office, data_dir: Path) -> Path:
    """A morning at the office, as the server would record it; the database's path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "motcua.sqlite"
    now = [DAY]
    store = SqliteStore(path)
    service = OfficeService(office, store, lambda: now[0])
    ids = iter(range(1, 1000))

    def ask(session: Session, **message: Any) -> dict[str, Any]:
        now[0] += timedelta(minutes=1)
        return handle_json(service, session, {"id": f"r{next(ids)}", **message}).reply

    for service_code in "AAAB":
        ask(KIOSK, type="issue", service=service_code)
    ask(KIOSK, type="issue", service="A", priority="elderly")
    assert ask(counter(1), type="call_next")["ticket"]["number"] == "A004"  # priority first
    assert ask(counter(2), type="call_next")["ticket"]["number"] == "A001"
    ask(counter(2), type="absent")
    ask(counter(1), type="call", number="A003", reason="giấy hẹn trả kết quả")
    ask(counter(1), type="transfer", service="C")
    ask(counter(2), type="return", number="A001")
    ask(counter(2), type="call_next")
    ask(counter(2), type="recall")
    ask(counter(2), type="done")
    store.close()
    return path


def test_a_scripted_day_is_clean_and_its_out_of_order_call_is_named(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scripted_day(office, tmp_path / "data")
    report = audit_day(office, path, DAY.date())
    assert report.clean
    assert report.broken is None
    assert report.sealed == len(SqliteStore(path).events())
    assert (report.calls, report.by_the_rules) == (3, 3)
    [special] = report.out_of_order
    assert (special.counter, special.number, special.reason) == (
        1, "A003", "giấy hẹn trả kết quả")
    assert (report.transfers, report.returns, report.recalls) == (1, 1, 1)

    assert main(["audit", "--day", "2026-12-01", "--data-dir", str(tmp_path / "data")]) == 0
    said = capsys.readouterr().out
    assert "Chuỗi niêm phong: nguyên vẹn" in said
    assert "quầy 1 gọi A003, lý do: “giấy hẹn trả kết quả”" in said
    assert "KẾT LUẬN: đạt" in said


def _tampered(path: Path, change: Callable[[sqlite3.Connection], None]) -> Path:
    """A copy of the database, changed behind the server's back (its guards dropped)."""
    copy = path.with_name("tampered.sqlite")
    shutil.copy(path, copy)
    db = sqlite3.connect(copy)
    db.execute("DROP TRIGGER events_no_update")
    db.execute("DROP TRIGGER events_no_delete")
    change(db)
    db.commit()
    db.close()
    return copy


def _edit(db: sqlite3.Connection) -> None:
    db.execute("UPDATE events SET data = replace(data, 'giấy hẹn', 'quen biết') "
               "WHERE kind = 'called_out_of_order'")


def _delete(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM events WHERE id = 7")  # counter 2 marking A001 absent


def _swap(db: sqlite3.Connection) -> None:
    one, two = (db.execute("SELECT business_day, at, kind, ticket_id, counter, data, hash "
                           "FROM events WHERE id = ?", [i]).fetchone() for i in (5, 6))
    for target, row in ((5, two), (6, one)):
        db.execute("UPDATE events SET business_day = ?, at = ?, kind = ?, ticket_id = ?, "
                   "counter = ?, data = ?, hash = ? WHERE id = ?", [*row, target])


def _nonsense(db: sqlite3.Connection) -> None:
    db.execute("UPDATE events SET kind = 'nonsense', data = '{' WHERE id = 3")


@pytest.mark.parametrize(
    ("change", "first_bad"),
    [(_edit, "called_out_of_order"), (_delete, 8), (_swap, 5), (_nonsense, 3)],
    ids=["edited", "deleted", "swapped", "not-an-event"],
)
def test_an_altered_log_is_found_at_its_first_broken_link(
    office: Office, tmp_path: Path, change: Callable[[sqlite3.Connection], None],
    first_bad: int | str, capsys: pytest.CaptureFixture[str],
) -> None:
    path = scripted_day(office, tmp_path / "data")
    copy = _tampered(path, change)
    report = audit_day(office, copy, DAY.date())
    assert not report.clean
    assert report.broken is not None
    if isinstance(first_bad, int):
        assert report.broken.event.id == first_bad
    else:
        assert report.broken.event.kind == first_bad
    data = tmp_path / "copy"
    data.mkdir()
    shutil.copy(copy, data / "motcua.sqlite")
    assert main(["audit", "--day", "2026-12-01", "--data-dir", str(data)]) == 1
    said = capsys.readouterr().out
    assert f"CHUỖI NIÊM PHONG BỊ ĐỨT tại sự kiện số {report.broken.event.id}" in said
    assert "KẾT LUẬN: KHÔNG ĐẠT" in said


def test_a_call_next_the_rules_did_not_choose_is_named(office: Office, tmp_path: Path) -> None:
    # Sealed like any other event, so the chain holds; the replay finds it.
    store = SqliteStore(tmp_path / "motcua.sqlite")
    service = OfficeService(office, store, lambda: DAY)
    for number in range(2):
        handle_json(service, KIOSK, {"id": f"k{number}", "type": "issue", "service": "A"})
    state = store.load(DAY.date())
    second = max(state.tickets.values(), key=lambda t: t.id)  # A002, not the oldest
    wrong = Event(EventKind.CALLED, DAY + timedelta(minutes=5), DAY.date(), second.id, 1)
    store.commit(state, [wrong])
    store.close()
    report = audit_day(office, tmp_path / "motcua.sqlite", DAY.date())
    assert report.broken is None
    [deviation] = report.deviations
    assert (deviation.counter, deviation.called, deviation.expected) == (1, "A002", "A001")
    assert not report.clean


def test_the_chain_continues_across_restarts_and_days(office: Office, tmp_path: Path) -> None:
    path = scripted_day(office, tmp_path / "data")
    store = SqliteStore(path)  # the server again, the next day
    later = DAY + timedelta(days=1)
    service = OfficeService(office, store, lambda: later)
    handle_json(service, KIOSK, {"id": "next-day", "type": "issue", "service": "B"})
    rows = store.db.execute("SELECT * FROM events ORDER BY id").fetchall()
    store.close()
    assert audit_day(office, path, later.date()).clean
    assert len(rows) > 10


def test_a_log_from_before_the_seals_is_sealed_once_in_its_order(tmp_path: Path) -> None:
    db = sqlite_utils.Database(tmp_path / "old.sqlite")
    m001_tickets_counters_events(db)
    for n in range(3):
        db.execute("INSERT INTO events (business_day, at, kind, ticket_id, counter, data) "
                   "VALUES ('2026-11-30', ?, 'paused', NULL, 1, '{}')", [f"08:0{n}"])
    m002_event_hash_chain(db)
    rows = db.execute("SELECT id, business_day, at, kind, ticket_id, counter, data, hash "
                      "FROM events ORDER BY id").fetchall()
    assert first_broken(StoredEvent(*row) for row in rows) is None
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE events SET kind = 'resumed'")

