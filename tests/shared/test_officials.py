"""Officials signing in at the counters with a PIN (issue 12, part 1): through the
office service with an injected clock, and through a real server and real sockets."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from shared.cli.main import main
from shared.core import pin, report
from shared.core.config import load_office
from shared.core.events import EventKind
from shared.core.office import Office, Official
from shared.reports import flat, workbook
from shared.server.audit import audit_day, vietnamese
from shared.server.devices import DeviceRegistry
from shared.server.office_service import OfficeService, Session
from shared.server.server import OfficeServer
from shared.server.store import SqliteStore
from tests.conftest import MakeServer, handle_json
from tests.office_client import OfficeClient
from tests.shared.test_office_service import KIOSK, Clock

AN = Official("nguyen-van-an", "Nguyễn Văn An", "Chuyên viên")
BINH = Official("tran-thi-binh", "Trần Thị Bình")
KEY_1, KEY_2 = "11" * 32, "22" * 32
ONE = Session("quay-1", "counter", 1, key=KEY_1)
TWO = Session("quay-2", "counter", 2, key=KEY_2)


@pytest.fixture
def office() -> Office:
    return replace(load_office(), officials=(AN, BINH))


@pytest.fixture
def pins(tmp_path: Path) -> Iterator[DeviceRegistry]:
    registry = DeviceRegistry(tmp_path)
    registry.set_pin(AN.id, pin.hash_pin("2468"), datetime(2026, 11, 23, 7, 0))
    yield registry
    registry.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(office: Office, tmp_path: Path, clock: Clock,
            pins: DeviceRegistry) -> Iterator[OfficeService]:
    store = SqliteStore(tmp_path / "motcua.sqlite")
    yield OfficeService(office, store, clock, pin_of=pins.pin_hash)
    store.close()


_ids = iter(range(1, 1_000_000))


def send(office_service: OfficeService, session: Session, **message: Any) -> tuple[dict[str, Any],
                                                                            list[dict[str, Any]]]:
    message.setdefault("id", f"r{next(_ids)}")
    outcome = handle_json(office_service, session, message)
    return outcome.reply, outcome.events


def sign_in(service: OfficeService, session: Session, official: str, typed: str,
            *, sealed_by: Session | None = None) -> dict[str, Any]:
    by = sealed_by or session
    assert by.key is not None
    return send(service, session, type="sign_in", official=official,
                pin=pin.seal(by.key, by.client, official, typed))[0]


def test_the_right_pin_signs_in_and_the_counter_s_work_then_says_who(
        service: OfficeService) -> None:
    send(service, KIOSK, type="issue", service="A")
    reply, events = send(service, ONE, type="sign_in", official=AN.id,
                         pin=pin.seal(KEY_1, "quay-1", AN.id, "2468"))
    assert reply["type"] == "ok"
    assert events == [{"type": "event", "event": "counter_changed", "counter": 1,
                       "change": "signed_in", "paused": False, "official": AN.id}]
    assert send(service, ONE, type="snapshot")[0]["snapshot"]["counters"][0]["official"] == AN.id
    send(service, ONE, type="call_next")
    send(service, ONE, type="done")
    log = service.store.events()
    assert [(e.kind, e.data.get("official")) for e in log if e.counter == 1] == [
        (EventKind.SIGNED_IN, AN.id), (EventKind.CALLED, AN.id), (EventKind.DONE, AN.id)]


def test_a_wrong_pin_changes_nothing_and_says_how_many_tries_are_left(
        service: OfficeService) -> None:
    reply = sign_in(service, ONE, AN.id, "1357")
    assert (reply["type"], reply["code"]) == ("error", "wrong_pin")
    assert "Sai mã PIN của Nguyễn Văn An" in reply["message"]
    assert "còn 4 lần thử" in reply["message"]
    assert service.state.counter_state(1).official is None
    assert service.store.events() == []


def test_five_wrong_pins_in_a_row_make_the_next_try_wait(
        service: OfficeService, clock: Clock) -> None:
    for _ in range(pin.FREE_TRIES - 1):
        assert sign_in(service, ONE, AN.id, "0000")["code"] == "wrong_pin"
    assert "lần sau phải chờ 30 giây" in sign_in(service, ONE, AN.id, "0000")["message"]
    locked = sign_in(service, ONE, AN.id, "2468")  # even the right one waits
    assert locked["code"] == "pin_locked"
    assert "thử lại sau 30 giây" in locked["message"]
    clock.now += timedelta(seconds=31)
    assert "phải chờ 60 giây" in sign_in(service, ONE, AN.id, "9999")["message"]  # doubled
    assert "thử lại sau 60 giây" in sign_in(service, ONE, AN.id, "2468")["message"]
    clock.now += timedelta(seconds=61)
    assert sign_in(service, ONE, AN.id, "2468")["type"] == "ok"
    # A right PIN starts again from nothing.
    send(service, ONE, type="sign_out")
    assert "còn 4 lần thử" in sign_in(service, ONE, AN.id, "1111")["message"]


def test_wrong_pins_at_one_counter_do_not_lock_the_official_out_everywhere(
        service: OfficeService) -> None:
    for _ in range(pin.FREE_TRIES):
        sign_in(service, ONE, AN.id, "0000")  # a colleague's mischief at counter 1
    assert sign_in(service, ONE, AN.id, "2468")["code"] == "pin_locked"
    assert sign_in(service, TWO, AN.id, "2468")["type"] == "ok"  # An, at counter 2


def test_wrong_pins_at_every_counter_together_are_slowed_down_too(
        service: OfficeService) -> None:
    for n in range(pin.FREE_TRIES_ANYWHERE):
        device = Session(f"quay-{n}", "counter", 1, key=KEY_1)
        sign_in(service, device, AN.id, f"{n:04d}9")
    fresh = Session("quay-new", "counter", 2, key=KEY_2)
    assert sign_in(service, fresh, AN.id, "2468")["code"] == "pin_locked"


def test_a_pin_sealed_by_another_device_or_for_another_official_opens_nothing(
        service: OfficeService) -> None:
    # Counter 2 replays what counter 1 sent: it was sealed with counter 1's key.
    stolen = sign_in(service, TWO, AN.id, "2468", sealed_by=ONE)
    assert (stolen["code"], service.state.counter_state(2).official) == ("bad_request", None)
    for_binh = pin.seal(KEY_1, "quay-1", BINH.id, "2468")
    reply = send(service, ONE, type="sign_in", official=AN.id, pin=for_binh)[0]
    assert reply["code"] == "bad_request"


def test_unknown_officials_and_officials_without_a_pin_are_told_what_to_do(
        service: OfficeService) -> None:
    assert sign_in(service, ONE, "le-van-c", "2468")["code"] == "unknown_official"
    no_pin = sign_in(service, ONE, BINH.id, "2468")
    assert no_pin["code"] == "no_pin"
    assert f"motcua officials pin {BINH.id}" in no_pin["message"]
    kiosk = send(service, KIOSK, type="sign_in", official=AN.id,
                 pin=pin.seal(KEY_1, "kiosk-1", AN.id, "2468"))[0]
    assert kiosk["code"] == "forbidden"


def test_signing_in_elsewhere_moves_the_official_and_both_counters_are_told(
        service: OfficeService) -> None:
    assert sign_in(service, ONE, AN.id, "2468")["type"] == "ok"
    reply, events = send(service, TWO, type="sign_in", official=AN.id,
                         pin=pin.seal(KEY_2, "quay-2", AN.id, "2468"))
    assert reply["type"] == "ok"
    assert [(e["counter"], e["change"], e["official"]) for e in events] == [
        (1, "signed_out", None), (2, "signed_in", AN.id)]
    reply, events = send(service, TWO, type="sign_out")
    assert [(e["counter"], e["change"], e["official"]) for e in events] == [
        (2, "signed_out", None)]


def test_a_pause_keeps_who_is_signed_in_for_every_client(service: OfficeService) -> None:
    sign_in(service, ONE, AN.id, "2468")
    _, events = send(service, ONE, type="pause")
    assert events[0]["official"] == AN.id  # a client applying it keeps the official


def test_pins_are_salted_and_checked_by_their_hash() -> None:
    first, second = pin.hash_pin("2468"), pin.hash_pin("2468")
    assert first != second
    assert "2468" not in first
    assert pin.matches("2468", first)
    assert not pin.matches("2469", first)
    assert not pin.matches("2468", "garbage")
    assert not pin.matches("2468", "scrypt$1$2$3$zz$00")
    assert pin.shape_problem("12a4")
    assert pin.shape_problem("123")
    assert not pin.shape_problem("1234")


# --- through a real server ----------------------------------------------------------


async def test_a_counter_signs_an_official_in_over_a_real_socket(
        make_server: MakeServer, office: Office) -> None:
    server: OfficeServer = await make_server(office)
    server.devices.set_pin(AN.id, pin.hash_pin("2468"), datetime.now())
    async with OfficeClient.connect(server.url, server.secret, "display", "tv") as display:
        assert [o["id"] for o in display.snapshot["officials"]] == [AN.id, BINH.id]
        async with OfficeClient.connect(server.url, server.secret, "counter", "q1", 1) as one:
            await display.next_event("counter_changed")  # counter 1 connected
            sealed = pin.seal(one.key, "q1", AN.id, "2468")
            assert "2468" not in sealed
            assert (await one.request("sign_in", official=AN.id, pin=sealed))["type"] == "ok"
            event = await display.next_event("counter_changed")
            assert (event["change"], event["official"]) == ("signed_in", AN.id)
            wrong = await one.request("sign_in", official=AN.id,
                                      pin=pin.seal(one.key, "q1", AN.id, "1111"))
            assert wrong["code"] == "wrong_pin"
        # The program left; the official stays signed in at the counter.
        event = await display.next_event("counter_changed")
        assert (event["change"], event["official"]) == ("disconnected", AN.id)


# --- motcua officials -------------------------------------------------------------------


class _Lines:
    def __init__(self, text: str) -> None:
        self._lines = iter(text.splitlines(keepends=True))

    def readline(self) -> str:
        return next(self._lines, "")


def test_motcua_officials_sets_lists_and_removes_pins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    config = str(Path(__file__).parents[2] / "docs" / "office.example.toml")
    base = ["--config", config, "--data-dir", str(data)]

    def officials(*words: str, stdin: str = "") -> tuple[int, str]:
        monkeypatch.setattr("sys.stdin", _Lines(stdin))
        code = main(["officials", *words, *base])
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    code, out = officials("pin", "nguyen-van-an", "--pin-stdin", stdin="12a4\n")
    assert code == 2
    assert "4 đến 8 chữ số" in out
    assert "không thay đổi gì" in out
    code, out = officials("pin", "le-van-c", "--pin-stdin", stdin="2468\n")
    assert code == 2
    assert "nguyen-van-an, tran-thi-binh" in out
    code, out = officials("pin", "nguyen-van-an", "--pin-stdin", stdin="2468\n")
    assert code == 0
    assert "Nguyễn Văn An có thể đăng nhập tại quầy" in out
    code, out = officials("list")
    assert code == 0
    an, binh = [line for line in out.splitlines() if "-van-an" in line or "-thi-binh" in line]
    assert "đặt lúc " in an
    assert "CHƯA CÓ" in binh
    registry = DeviceRegistry(data)
    stored = registry.pin_hash("nguyen-van-an")
    registry.close()
    assert stored is not None
    assert "2468" not in stored
    assert pin.matches("2468", stored)
    code, out = officials("remove-pin", "nguyen-van-an")
    assert code == 0
    assert "Đã xoá mã PIN" in out
    assert "CHƯA CÓ" in officials("list")[1].splitlines()[1]


def test_the_audit_names_the_official_who_called_out_of_order(
        service: OfficeService, office: Office, tmp_path: Path) -> None:
    for code in "AA":
        send(service, KIOSK, type="issue", service=code)
    sign_in(service, ONE, AN.id, "2468")
    send(service, ONE, type="call", number="A002", reason="giấy hẹn trả kết quả")
    send(service, ONE, type="call_next")
    report = audit_day(office, tmp_path / "motcua.sqlite", service.state.day)
    assert report.clean
    assert (report.calls, report.by_the_rules) == (1, 1)
    said = vietnamese(report)
    assert "quầy 1 (Nguyễn Văn An) gọi A002, lý do: “giấy hẹn trả kết quả”" in said


# --- the report by official -------------------------------------------------------------


def test_the_report_counts_each_official_s_work_and_ratings(
        service: OfficeService, office: Office, clock: Clock, tmp_path: Path) -> None:
    """A scripted morning with two officials and a spell with nobody signed in, checked
    cell by cell in the workbook (read back by openpyxl) and in the JSON and CSV."""
    pins = DeviceRegistry(tmp_path)
    pins.set_pin(BINH.id, pin.hash_pin("1357"), datetime(2026, 11, 23, 7, 0))
    pins.close()

    def at(minute: int) -> None:
        clock.now = clock.now.replace(hour=8, minute=minute)

    for minute, code in ((1, "A"), (2, "A"), (3, "B"), (4, "A")):
        at(minute)
        send(service, KIOSK, type="issue", service=code)
    script: list[tuple[int, Session, dict[str, Any]]] = [
        (7, ONE, {"type": "call_next"}),  # A001, An
        (8, TWO, {"type": "call_next"}),  # A002, Bình
        (9, ONE, {"type": "done"}),  # An: 2 minutes
        (10, TWO, {"type": "call", "number": "A003", "reason": "giấy hẹn"}),  # A002 done
        (11, ONE, {"type": "pause"}),
        (12, TWO, {"type": "done"}),  # A003: 2 minutes
        (13, ONE, {"type": "resume"}),  # An paused 2 minutes
        (14, TWO, {"type": "sign_out"}),
        (15, TWO, {"type": "call_next"}),  # B001, nobody signed in
        (16, TWO, {"type": "done"}),  # 1 minute
    ]
    at(5)
    assert sign_in(service, ONE, AN.id, "2468")["type"] == "ok"
    at(6)
    assert sign_in(service, TWO, BINH.id, "1357")["type"] == "ok"
    for minute, session, message in script:
        at(minute)
        assert send(service, session, **message)[0]["type"] != "error", message
    for number, level in (("A001", 3), ("A002", 1), ("B001", 2)):  # 3: Không hài lòng
        ticket = service.state.by_number(number)
        assert ticket is not None
        assert service.rate(ticket.id, 4 - level, []) is None

    day = clock.now.date()
    days = service.store.report_days(day, day)
    figures = report.build(office, day, day, days)
    workbook.write(figures, tmp_path / "r.xlsx", day)
    flat.write_json(figures, tmp_path / "r.json")
    flat.write_csv(figures, tmp_path / "r.csv")

    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames[:3] == ["Theo dịch vụ", "Theo quầy", "Theo cán bộ"]
    sheet = book["Theo cán bộ"]
    table = [row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert [row[1:7] for row in table] == [
        ("Nguyễn Văn An", "Chuyên viên", 1, 2.0, 2.0, 0),
        ("Trần Thị Bình", None, 2, 2.0, 0.0, 1),
        ("Không có cán bộ đăng nhập", None, 1, 1.0, 0.0, 0),
    ]
    ratings = book["Đánh giá"]
    by_name = {row[1]: row[2:9] for row in ratings.iter_rows(values_only=True)
               if isinstance(row[0], int) and isinstance(row[1], str)}
    assert by_name["Nguyễn Văn An"] == (1, 0, 0.0, 0, 0.0, 1, 1.0)  # Không hài lòng
    assert by_name["Trần Thị Bình"] == (1, 1, 1.0, 0, 0.0, 0, 0.0)  # Rất hài lòng
    assert by_name["Quầy 2 (không có cán bộ đăng nhập)"] == (1, 0, 0.0, 1, 1.0, 0, 0.0)

    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [(o["official"], o["served"], o["paused_minutes"], o["out_of_order"])
            for o in data["officials"]] == [(AN.id, 1, 2.0, 0), (BINH.id, 2, 0.0, 1),
                                            (None, 1, 0.0, 0)]
    assert [(r["official"], r["ratings"]) for r in data["satisfaction"]] == [
        (AN.id, 1), (BINH.id, 1), (None, 1)]
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as file:
        lines = list(csv.reader(file))
    start = lines.index(["Theo cán bộ"])
    header = lines[start + 1]
    assert lines[start + 2][header.index("name")] == "Nguyễn Văn An"
    assert lines[start + 3][header.index("served")] == "2"


def test_a_server_off_over_midnight_closes_the_old_day_when_it_starts(
        office: Office, tmp_path: Path, clock: Clock, pins: DeviceRegistry) -> None:
    store = SqliteStore(tmp_path / "motcua.sqlite")
    first = OfficeService(office, store, clock, pin_of=pins.pin_hash)
    send(first, KIOSK, type="issue", service="A")
    sign_in(first, ONE, AN.id, "2468")
    send(first, ONE, type="call_next")
    day = first.state.day
    clock.now += timedelta(days=1)  # switched off in the evening, on the next morning
    second = OfficeService(office, store, clock, pin_of=pins.pin_hash)
    assert second.state.day == day + timedelta(days=1)
    assert second.state.counter_state(1).official is None
    old = [(e.kind, e.data.get("why") or e.data.get("implicit")) for e in store.events(day)]
    assert old[-2:] == [(EventKind.DONE, "day_end"), (EventKind.SIGNED_OUT, "day_end")]
    store.close()


def test_a_pause_is_split_between_officials_and_service_follows_the_ticket_s_rule(
        office: Office) -> None:
    """Bình pauses counter 2 at 09:00, An takes the counter over at 09:10 and resumes at
    09:15; nobody is signed in at the "done" of a ticket An called."""
    day = datetime(2026, 12, 1, 8, 0).astimezone()

    def at(minutes: int) -> datetime:
        return day + timedelta(minutes=minutes)

    def event(kind: EventKind, minutes: int, ticket: int | None = None,
              **data: Any) -> report.EventRecord:
        return report.EventRecord(ticket, 2, kind.value, at(minutes), json.dumps(data))

    ticket = report.TicketRecord(1, "A", "A", None, "done", at(0))
    events = [
        event(EventKind.SIGNED_IN, 50, official=BINH.id),
        event(EventKind.PAUSED, 60, official=BINH.id),
        event(EventKind.SIGNED_OUT, 70, official=BINH.id, why="replaced"),
        event(EventKind.SIGNED_IN, 70, official=AN.id),
        event(EventKind.RESUMED, 75, official=AN.id),
        event(EventKind.CALLED, 76, 1, official=AN.id),
        event(EventKind.SIGNED_OUT, 78, official=AN.id, why="signed_out"),
        event(EventKind.DONE, 80, 1),
        event(EventKind.DONE, 16 * 60, 1, implicit="day_end"),  # never counts as work
    ]
    figures = report.build(office, day.date(), day.date(),
                           [report.Day(day.date(), [ticket], events)])
    rows = {o.official: o for o in figures.officials}
    assert (rows[BINH.id].paused, rows[AN.id].paused) == (600.0, 300.0)
    assert (rows[AN.id].served, rows[AN.id].average_service) == (1, 240.0)  # An called it
    assert None not in rows  # nothing was done by nobody
    assert figures.counters[1].paused == 900.0


def test_a_day_left_by_a_wrong_clock_closes_at_its_last_known_moment(
        office: Office, tmp_path: Path, clock: Clock, pins: DeviceRegistry) -> None:
    """Issue 18: an official signed in when a clock a day ahead ends the day: the
    sign-out is stamped at the day's last event, so that once the clock is set right and
    the server restarted, the queue's clock is not held a day ahead."""
    from shared.server.office_service import CLOCK_JUMP_GRACE

    elapsed = [0.0]
    store = SqliteStore(tmp_path / "day.sqlite")
    first = OfficeService(office, store, clock, elapsed=lambda: elapsed[0],
                          pin_of=pins.pin_hash)
    assert sign_in(first, ONE, AN.id, "2468")["type"] == "ok"
    signed_at = clock.now
    real = clock.now
    clock.now = real + timedelta(days=1)
    first.tick()
    elapsed[0] += CLOCK_JUMP_GRACE.total_seconds()
    first.tick()  # nobody waits: the wall clock is believed
    out = [e for e in store.events() if e.kind is EventKind.SIGNED_OUT]
    assert [(e.data["why"], e.at) for e in out] == [("day_end", signed_at)]
    clock.now = real + timedelta(minutes=15)  # set right; the server restarted
    again = OfficeService(office, store, clock, pin_of=pins.pin_hash)
    assert again.state.day == real.date()
    issued = send(again, KIOSK, type="issue", service="A")[0]["ticket"]
    assert datetime.fromisoformat(issued["issued_at"]) == clock.now  # not a day ahead
    store.close()
