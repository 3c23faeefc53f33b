"""Bookings in (issue 15, part 1): a realistic CSV and an XLSX through ``motcua bookings
import``, a wrong row named by row and column with nothing half-imported, and the
bookings API over the desk's real HTTPS port: a right key, a wrong key, the same
booking sent twice; then the citizen checks in at a kiosk of the real server."""

from __future__ import annotations

import json
import re
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import xlsxwriter

from shared.cli.main import main
from shared.core.booking import BookingRules
from shared.core.booking_rows import (
    FIELDS,
    REQUIRED,
    BookingsRefusedError,
    from_items,
    identity_hash,
    plain,
)
from shared.core.config import load_office
from shared.core.office import Office
from shared.server.booking_book import BookingBook
from shared.server.bookings_api import openapi
from shared.server.desk_tls import CA_FILE
from tests.conftest import ThreadedServer

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DOCS = Path(__file__).parents[2] / "docs"
EXAMPLE = DOCS / "office.example.toml"  # service C takes bookings, 60 a day, 2 a person


@pytest.fixture
def example() -> Office:
    return load_office(EXAMPLE)


def run(*args: str) -> int:
    return main(list(args))


CSV = """\ufeffMã đặt lịch;Dịch vụ;Ngày hẹn;Giờ;Họ và tên;Số điện thoại;Số CCCD
HEN-0001;C;03/12/2026;08:00-08:20;Lê Văn Cường;0912 345 678;001089012345
hen-0002;Đất đai – Địa chính;2026-12-03;8:20;Phạm Thị Dung;;
HEN0003;c;2026-12-04;09:40–10:00;Võ Minh;+84987654321;

"""


def test_a_realistic_csv_is_imported_and_listed(example: Office, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "lich-hen.csv"
    source.write_text(CSV, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    assert run("bookings", "import", str(source), "--config", str(EXAMPLE),
               "--data-dir", str(data)) == 0
    assert "Đã nhận 3 lịch hẹn từ lich-hen.csv: 3 mới" in capsys.readouterr().out
    book = BookingBook(data)
    first = book.find("HEN0001")
    assert first is not None
    assert (first.service, first.day, first.slot_start, first.slot_end) == (
        "C", date(2026, 12, 3), time(8, 0), time(8, 20))
    assert first.phone == "0912345678"
    assert first.id_hash == identity_hash("001089012345")  # the number itself is not kept
    assert "001089012345" not in (data / "bookings.sqlite").read_bytes().decode("latin-1")
    assert book.find("HEN0002").slot_end == time(8, 35)  # type: ignore[union-attr]
    book.close()
    # Imported again: nothing changes, and it says so.
    assert run("bookings", "import", str(source), "--config", str(EXAMPLE),
               "--data-dir", str(data)) == 0
    assert "0 mới, 0 thay đổi, 3 không đổi" in capsys.readouterr().out
    assert run("bookings", "list", "2026-12-03", "--config", str(EXAMPLE),
               "--data-dir", str(data)) == 0
    listed = capsys.readouterr().out
    assert re.search(r"08:00–08:20 +HEN0001 +Đất đai – Địa chính +Lê Văn Cường", listed)
    assert "2 lịch hẹn" in listed


def write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Lịch hẹn")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    times = book.add_format({"num_format": "hh:mm"})
    sheet.write_row(0, 0, ["Mã hồ sơ", "Mã dịch vụ", "Ngày", "Giờ hẹn", "Họ tên"])
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, dates)
            elif isinstance(value, time):
                sheet.write_datetime(r, c, datetime.combine(date(1899, 12, 31), value), times)
            else:
                sheet.write(r, c, value)
    book.close()


def test_an_xlsx_with_a_wrong_row_names_it_and_takes_nothing(
        example: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    source = tmp_path / "lich-hen.xlsx"
    write_xlsx(source, [
        ["HEN1001", "C", datetime(2026, 12, 3), time(7, 30), "Nguyễn Thị Hoa"],
        ["HEN1002", "C", datetime(2026, 12, 3), time(7, 45), "Trần Văn Bảy"],
        ["HEN1003", "C", "31/02/2026", time(8, 0), "Đỗ Văn Tám"],  # no such day
        ["HEN1004", "A", datetime(2026, 12, 3), time(8, 0), ""],  # A takes no bookings
    ])
    assert run("bookings", "import", str(source), "--config", str(EXAMPLE),
               "--data-dir", str(data), "--column", "code=Mã hồ sơ") != 0
    said = capsys.readouterr().err.splitlines()
    assert said == [
        "motcua: 2 lỗi, không nhận lịch hẹn nào / 2 problems, no booking was taken:",
        "  - dòng 4, cột “Ngày”: “31/02/2026” không phải ngày; viết như 2026-12-03 hoặc "
        "03/12/2026",
        "  - dòng 5, cột “Mã dịch vụ”: dịch vụ A (Tư pháp – Hộ tịch) không nhận đặt lịch; thêm "
        "[services.bookings] vào tệp cấu hình",
    ]
    book = BookingBook(data)
    assert book.day(date(2026, 12, 3)) == []  # nothing half-imported
    book.close()
    write_xlsx(source, [
        ["HEN1001", "C", datetime(2026, 12, 3), time(7, 30), "Nguyễn Thị Hoa"],
        ["HEN1002", "C", datetime(2026, 12, 3), time(7, 45), "Trần Văn Bảy"],
    ])
    assert run("bookings", "import", str(source), "--config", str(EXAMPLE),
               "--data-dir", str(data), "--column", "code=Mã hồ sơ") == 0
    book = BookingBook(data)
    assert [(b.code, b.slot_start, b.name) for b in book.day(date(2026, 12, 3))] == [
        ("HEN1001", time(7, 30), "Nguyễn Thị Hoa"), ("HEN1002", time(7, 45), "Trần Văn Bảy")]
    book.close()


def test_limits_refuse_the_whole_batch(example: Office, tmp_path: Path) -> None:
    office = replace(example, services=tuple(
        replace(s, bookings=BookingRules(online_capacity=2)) if s.code == "C" else s
        for s in example.services))
    book = BookingBook(tmp_path)
    person = "0" * 64
    items = [{"code": f"HEN{i}00", "service": "C", "date": "2026-12-03", "time": "08:00",
              "id_hash": person} for i in range(3)]
    with pytest.raises(BookingsRefusedError) as refused:
        book.take(from_items(items, office, "api:test"), office, datetime.now(ZONE))
    assert [str(p) for p in refused.value.problems] == [
        "mã HEN200: dịch vụ C đã đủ 2 lịch hẹn ngày 03/12/2026"]
    assert book.day(date(2026, 12, 3)) == []
    per_person = replace(office, bookings_per_person=1)
    with pytest.raises(BookingsRefusedError) as twice:
        book.take(from_items(items[:2], per_person, "api:test"), per_person,
                  datetime.now(ZONE))
    assert "người này đã có 1 lịch hẹn ngày 03/12/2026 (tối đa 1)" in str(twice.value)
    book.close()


def test_headers_are_found_without_diacritics_or_case() -> None:
    assert plain("  Mã Đặt Lịch ") == "ma_dat_lich"
    assert plain("SỐ ĐIỆN THOẠI") == "so_dien_thoai"


# --- the bookings API over HTTPS ---------------------------------------------------


@pytest.fixture
def clock() -> Any:
    moment = datetime(2026, 12, 3, 7, 40, tzinfo=ZONE)
    return lambda: moment


@pytest.fixture
def site(example: Office, data_dir: Path, clock: Any) -> Iterator[ThreadedServer]:
    threaded = ThreadedServer(example, data_dir, clock, desk_port=0)
    yield threaded
    threaded.stop()


def call(site: ThreadedServer, data_dir: Path, method: str, path: str, body: object,
         key: str | None) -> tuple[int, dict[str, Any]]:
    """One request to the bookings API over HTTPS, trusting the office's own authority."""
    trusting = ssl.create_default_context(cafile=str(data_dir / CA_FILE))
    request = urllib.request.Request(
        f"https://127.0.0.1:{site.server.desk_port}/api/v1/{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"})
    if key is not None:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, context=trusting, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def put(site: ThreadedServer, data_dir: Path, body: object, key: str | None,
        method: str = "PUT") -> tuple[int, dict[str, Any]]:
    return call(site, data_dir, method, "bookings", body, key)


def delete(site: ThreadedServer, data_dir: Path, code: str,
           key: str | None) -> tuple[int, dict[str, Any]]:
    return call(site, data_dir, "DELETE", f"bookings/{code}", None, key)


BOOKING = {"code": "HEN-0800-AB", "service": "C", "date": "2026-12-03", "time": "08:00-08:20",
           "name": "Lê Văn Cường", "booked_at": "2026-12-01T20:15:00+07:00"}


def test_the_api_takes_bookings_with_its_key_once_and_the_citizen_checks_in(
        site: ThreadedServer, data_dir: Path) -> None:
    key = site.server.devices.add_api_key("cong-dich-vu-cong", datetime.now())
    assert put(site, data_dir, {"bookings": [BOOKING]}, None)[0] == 401
    status, answer = put(site, data_dir, {"bookings": [BOOKING]}, "motcua_guessed")
    assert (status, answer["error"]) == (401, "unauthorized")
    assert put(site, data_dir, {"bookings": [BOOKING]}, key) == (
        200, {"added": 1, "changed": 0, "unchanged": 0})
    # The same booking again (a retry): nothing changes.
    assert put(site, data_dir, {"bookings": [BOOKING]}, key, "POST") == (
        200, {"added": 0, "changed": 0, "unchanged": 1})
    moved = {**BOOKING, "time": "08:20"}
    assert put(site, data_dir, {"bookings": [moved]}, key)[1]["changed"] == 1
    status, answer = put(site, data_dir, {"bookings": [
        {**BOOKING, "code": "HEN-0900"}, {**BOOKING, "code": "x", "date": "hôm nay"}]}, key)
    assert status == 422
    assert [p["where"] for p in answer["problems"]] == ["bookings[1].code"]
    assert BookingBook(data_dir).find("HEN0900") is None  # nothing half-taken
    assert put(site, data_dir, ["not", "an", "object"], key)[0] == 400

    # At 07:40, the slot of 08:20 opens its check-in at 07:50.
    early = site.request("kiosk", "check_in", code="hen 0800 ab")
    assert (early["code"], early["check_in"]) == ("check_in", {"kind": "too_early",
                                                               "at": "07:50"})
    assert "Mời quay lại lúc 07:50" in early["message"]
    assert put(site, data_dir, {"bookings": [BOOKING]}, key)[1]["changed"] == 1  # 08:00 again
    reply = site.request("kiosk", "check_in", code="hen 0800 ab")
    assert reply["type"] == "ticket", reply
    assert (reply["ticket"]["number"], reply["ticket"]["appointment"], reply["slot"]) == (
        "C001", True, "08:00")
    again = site.request("kiosk", "check_in", code="HEN0800AB")
    assert (again["code"], again["check_in"]) == (
        "check_in", {"kind": "used", "at": "07:40", "number": "C001"})

    # Once it gave a number, it cannot be changed (moved to another day, to be used
    # again) nor cancelled; sent again unchanged, it is just unchanged.
    status, answer = put(site, data_dir, {"bookings": [{**BOOKING, "date": "2026-12-04"}]},
                         key)
    assert status == 422
    assert answer["problems"] == [{"where": "mã HEN0800AB",
                                   "problem": "đã dùng để lấy số C001 hôm nay; không sửa được"}]
    assert put(site, data_dir, {"bookings": [BOOKING]}, key)[1]["unchanged"] == 1
    future = {**BOOKING, "code": "HEN2000", "booked_at": "2026-12-05T08:00:00+07:00"}
    status, answer = put(site, data_dir, {"bookings": [future]}, key)
    assert (status, answer["problems"][0]["problem"]) == (422, "đặt lúc 05/12/2026 08:00, "
                                                                "chưa tới")
    # Cancelling: not once it gave a number; a booking still to come, yes.
    assert delete(site, data_dir, "HEN-0800-AB", key)[0] == 409
    assert put(site, data_dir, {"bookings": [{**BOOKING, "code": "HEN1000"}]}, key)[0] == 200
    assert delete(site, data_dir, "hen-1000", None)[0] == 401
    assert delete(site, data_dir, "hen-1000", key) == (200, {"removed": "HEN1000"})
    assert BookingBook(data_dir).find("HEN1000") is None
    assert delete(site, data_dir, "HEN1000", key)[0] == 404
    # Another system's key changes and cancels only its own bookings.
    other = site.server.devices.add_api_key("ung-dung-hen", datetime.now())
    assert put(site, data_dir, {"bookings": [{**BOOKING, "code": "HEN3000"}]}, key)[0] == 200
    status, answer = put(site, data_dir, {"bookings": [
        {**BOOKING, "code": "HEN3000", "time": "08:40"}]}, other)
    assert (status, answer["problems"][0]["problem"]) == (
        422, "thuộc hệ thống khác (cong-dich-vu-cong)")
    assert delete(site, data_dir, "HEN3000", other)[0] == 403


def test_wrong_keys_in_a_row_make_the_next_try_wait(site: ThreadedServer,
                                                    data_dir: Path) -> None:
    key = site.server.devices.add_api_key("cong-dich-vu-cong", datetime.now())
    for _ in range(5):
        assert put(site, data_dir, {"bookings": []}, "motcua_wrong")[0] == 401
    status, answer = put(site, data_dir, {"bookings": [BOOKING]}, key)
    assert status == 429  # even the right key waits: guessing costs time
    assert "thử lại sau" in answer["message"]


def test_the_openapi_description_matches_what_the_api_reads() -> None:
    document = openapi()
    fields = document["components"]["schemas"]["Booking"]["properties"]
    assert set(fields) == set(FIELDS)
    assert document["components"]["schemas"]["Booking"]["required"] == list(REQUIRED)
    assert set(document["paths"]["/api/v1/bookings"]) == {"put", "post"}
    assert set(document["paths"]["/api/v1/bookings/{code}"]) == {"delete"}
