"""The leader's report (issue 12, part 2): a scripted morning, written as a workbook by
XlsxWriter and read back cell by cell with openpyxl, a second library; the CSV and
JSON hold the same figures."""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from shared.cli.main import main
from shared.core.config import load_office
from shared.core.office import Office
from shared.server.office_service import OfficeService
from shared.server.store import SqliteStore
from tests.conftest import handle_json
from tests.shared.test_audit import DAY, KIOSK, counter, scripted_day


@pytest.fixture
def office() -> Office:
    return load_office()


@pytest.fixture
def data_dir(office: Office, tmp_path: Path) -> Path:
    """The scripted morning of test_audit (A001…A004 and B001, three calls, an absence,
    a return, a transfer to C, a call out of order), and a second, quiet day."""
    folder = tmp_path / "data"
    scripted_day(office, folder)
    store = SqliteStore(folder / "motcua.sqlite")
    # Two citizens rate the service on their ticket's page (issue 13).
    same_day = OfficeService(office, store, lambda: DAY + timedelta(hours=3))
    for number, level, reasons in (("A004", 3, []), ("A001", 1, ["cho_lau", "thai_do"])):
        rated = same_day.state.by_number(number)
        assert rated is not None
        assert same_day.rate(rated.id, level, reasons) is None
    later = DAY + timedelta(days=1, hours=2)  # 10:00 the next day
    service = OfficeService(office, store, lambda: later)
    handle_json(service, KIOSK, {"id": "d2-1", "type": "issue", "service": "B"})
    handle_json(service, counter(1), {"id": "d2-2", "type": "call_next"})
    store.close()
    return folder


def rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def row_of(sheet: Any, column: int, value: str) -> tuple[Any, ...]:
    return next(row for row in rows(sheet) if row[column] == value)


def test_the_workbook_s_figures_cell_by_cell(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "bao-cao.xlsx"
    assert main(["report", "--from", "2026-12-01", "--to", "2026-12-02", "--output",
                 str(output), "--data-dir", str(data_dir)]) == 0
    book = openpyxl.load_workbook(output)
    assert book.sheetnames == ["Theo dịch vụ", "Theo quầy", "Theo giờ", "Thời gian chờ",
                               "Theo ngày", "Đánh giá"]
    services = book["Theo dịch vụ"]
    # The letterhead of a Vietnamese administrative report.
    assert services["A1"].value == "UBND PHƯỜNG MẪU"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in [c.value for c in services[1]]
    assert "Độc lập - Tự do - Hạnh phúc" in [c.value for c in services[2]]
    assert any(str(c.value).startswith("Phường Mẫu, ngày ") for c in services[4] if c.value)
    assert services["A8"].value == "Kỳ báo cáo: từ ngày 01/12/2026 đến ngày 02/12/2026"
    assert services["A9"].font.name == "Times New Roman"
    assert services["A9"].value == "STT"
    # Tư pháp – Hộ tịch (A): 4 issued; A004 and A001 served; A003 moved to C; waits of
    # 1, 6 and 6 minutes; service times of 3 and 2 minutes; one priority ticket.
    a = row_of(services, 2, "Tư pháp – Hộ tịch")
    assert a[3:10] == (4, 2, 0, 0, 0, 1, 1)
    assert a[10:14] == (4.3, 6.0, 2.5, 3.0)
    assert a[14:16] == (30, 0)
    b = row_of(services, 2, "Chứng thực")
    assert b[3:5] == (2, 0)  # one each day; the second day's is called, not yet served
    c = row_of(services, 2, "Đất đai – Địa chính")
    assert (c[3], c[7]) == (0, 1)  # issued none, received A003
    total = row_of(services, 0, "Tổng cộng")
    assert str(total[3]).startswith("=SUM(D10:D")  # a live formula, not a copied number
    assert any(row[-3:] == (None, None, None) or "NGƯỜI LẬP" in row for row in rows(services))

    counters = book["Theo quầy"]
    assert row_of(counters, 1, "Quầy 1")[2:] == (1, 3.0, 0.0, 1)
    assert row_of(counters, 1, "Quầy 2")[2:] == (1, 2.0, 0.0, 0)
    hours = book["Theo giờ"]
    assert row_of(hours, 0, "08:00–09:00")[1:3] == (5, 2)
    assert row_of(hours, 0, "10:00–11:00")[1:3] == (1, 0)
    waits = book["Thời gian chờ"]
    assert row_of(waits, 0, "0–5 phút")[1] == 2  # A004 (1 min), and the next day's B002
    assert row_of(waits, 0, "5–10 phút")[1] == 2
    days = book["Theo ngày"]
    assert row_of(days, 0, "01/12/2026")[1:4] == (5, 2, 0)
    assert row_of(days, 0, "02/12/2026")[1:3] == (1, 0)
    # Native charts (openpyxl does not load them: look in the file itself).
    names = zipfile.ZipFile(output).namelist()
    assert sum(1 for n in names if n.startswith("xl/charts/chart")) == 3


def test_the_satisfaction_sheet_in_the_offices_layout(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "bao-cao.xlsx"
    assert main(["report", "--from", "2026-12-01", "--to", "2026-12-02", "--output",
                 str(output), "--data-dir", str(data_dir)]) == 0
    sheet = openpyxl.load_workbook(output)["Đánh giá"]
    texts = [value for row in rows(sheet) for value in row if isinstance(value, str)]
    assert "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ SỰ HÀI LÒNG" in texts
    assert "(Từ ngày 01/12/2026 đến ngày 02/12/2026)" in texts
    assert sheet["D9"].value == "Rất hài lòng: số lượt"
    assert sheet["E9"].value == "Rất hài lòng: tỷ lệ"
    served = {row_of(sheet, 1, f"Quầy {n}")[2:] for n in (1, 2)}
    # One "Rất hài lòng" and one "Không hài lòng", each at the counter that served them.
    assert served == {(1, 1, 1.0, 0, 0.0, 0, 0.0), (1, 0, 0.0, 0, 0.0, 1, 1.0)}
    assert row_of(sheet, 0, "Tổng cộng")[2:9] == (2, 1, 0.5, 0, 0.0, 1, 0.5)
    assert row_of(sheet, 1, "Phải chờ lâu")[2] == 1
    assert row_of(sheet, 1, "Thái độ phục vụ chưa tốt")[2] == 1
    assert row_of(sheet, 1, "Hướng dẫn không rõ")[2] == 0
    assert row_of(sheet, 1, "30/11/2026")[2:6] == (2, 1, 0, 1)  # the week from Monday


def test_csv_and_json_hold_the_workbook_s_figures(data_dir: Path, tmp_path: Path) -> None:
    for kind in ("xlsx", "csv", "json"):
        assert main(["report", "--from", "2026-12-01", "--to", "2026-12-01", "--output",
                     str(tmp_path / f"r.{kind}"), "--data-dir", str(data_dir)]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Theo dịch vụ"]
    a_book = row_of(sheet, 2, "Tư pháp – Hộ tịch")
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    a_json = next(s for s in data["services"] if s["code"] == "A")
    assert (a_json["issued"], a_json["served"], a_json["priority"]) == (a_book[3], a_book[4],
                                                                       a_book[9])
    assert a_json["average_wait_minutes"] == a_book[10]
    assert data["totals"]["issued"] == 5
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as file:
        lines = list(csv.reader(file))
    assert lines[0] == ["Theo dịch vụ"]
    header, a_csv = lines[1], next(line for line in lines if line[:1] == ["A"])
    assert a_csv[header.index("issued")] == str(a_book[3])
    assert a_csv[header.index("average_wait_minutes")] == str(a_book[10])


@pytest.mark.parametrize(
    ("arguments", "said"),
    [(["--from", "2026-12-05", "--to", "2026-12-01"], "sớm hơn ngày --from"),
     (["--from", "1/12/2026", "--to", "2026-12-01"], "viết ngày như 2026-12-01"),
     (["--from", "2026-12-01", "--to", "2026-12-01", "--output", "r.pdf"],
      "Không biết định dạng")],
)
def test_a_wrong_request_is_one_plain_line_and_writes_nothing(
    data_dir: Path, tmp_path: Path, arguments: list[str], said: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if "--output" not in arguments:
        arguments = [*arguments, "--output", str(tmp_path / "r.xlsx")]
    assert main(["report", *arguments, "--data-dir", str(data_dir)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert said in line
    assert not (tmp_path / "r.xlsx").exists()


def test_a_transfer_to_a_counter_of_the_same_service_is_not_a_move(office: Office) -> None:
    # Review of issue 12: it counted as moved out of and into the same service.
    from shared.core.report import Day, EventRecord, TicketRecord, build

    at = DAY
    ticket = TicketRecord(1, "A", "A", None, "waiting", at)
    moves = [EventRecord(1, 1, "called", at + timedelta(minutes=2), "{}"),
             EventRecord(1, 1, "transferred", at + timedelta(minutes=3),
                         '{"from_service": "A", "to_service": "A", "to_counter": 2}')]
    figures = build(office, DAY.date(), DAY.date(), [Day(DAY.date(), [ticket], moves)])
    a = next(s for s in figures.services if s.code == "A")
    assert (a.transferred_in, a.transferred_out) == (0, 0)
    assert a.average_wait == 120


def test_a_rating_given_in_the_evening_does_not_lengthen_a_pause(office: Office) -> None:
    # Review of issue 13: a pause not resumed counted until the day's last event, and a
    # rating from home at 22:00 made 16:30's pause five and a half hours long.
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from shared.core.report import Day, EventRecord, build

    zone = ZoneInfo(office.timezone)
    day = date(2026, 12, 1)

    def at(hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 12, 1, hour, minute, tzinfo=zone)

    events = [EventRecord(None, 1, "paused", at(16, 30), "{}"),
              EventRecord(None, 2, "paused", at(16, 40), "{}"),
              EventRecord(7, 2, "rated", at(22), '{"level": 3, "scale": 3, "reasons": ""}')]
    figures = build(office, day, day, [Day(day, [], events)])
    paused = {c.number: c.paused for c in figures.counters}
    assert (paused[1], paused[2]) == (600.0, 0.0)  # until 16:40, the last pause
