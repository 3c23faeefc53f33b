"""The report as an Excel workbook, laid out as Vietnamese administrative reports are.

Each sheet has the office's name top left and the national motto top right, the
place and date, the title and "Kỳ báo cáo: từ ngày … đến ngày …", a table with
Vietnamese column headers, and "NGƯỜI LẬP" under it; Times New Roman throughout.
Sheets: by field and service; by counter; by official (when the office lists
officials); by hour of the day (with a native chart);
the distribution of waits (with a chart); day by day (with a chart, for a period of
several days); bookings and ratings when there are any; and, for several sites read as
one (the province's central server), the sites side by side. Times are in minutes.

Written with XlsxWriter (native Excel charts, not pictures); the tests read it back
with openpyxl. Imports the core's report only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Final

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from shared.core.report import ON_TIME_MINUTES, Report, Satisfaction

FONT: Final = "Times New Roman"
CHART_SPAN: Final = 12  # columns a sheet with a chart beside its table spans
HEADER_ROW: Final = 8  # the table's header row (0-based): rows above are the letterhead
TITLE: Final = "BÁO CÁO KẾT QUẢ TIẾP NHẬN VÀ PHỤC VỤ CÔNG DÂN TẠI BỘ PHẬN MỘT CỬA"


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def place_name(office_name: str) -> str:
    """"UBND Phường Mẫu" → "Phường Mẫu": the place on the date line."""
    for prefix in ("UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân "):
        if office_name.startswith(prefix):
            return office_name[len(prefix):]
    return office_name


def period_text(start: date, end: date) -> str:
    return f"Kỳ báo cáo: từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def write(report: Report, path: Path, made_on: date) -> None:
    # Names are text, never formulas: a reporting body typed as "=…" stays as typed.
    book = xlsxwriter.Workbook(str(path), {"default_date_format": "dd/mm/yyyy",
                                           "strings_to_formulas": False})
    styles = _Styles(book)
    _services(book, styles, report, made_on)
    _counters(book, styles, report, made_on)
    if report.officials:
        _officials(book, styles, report, made_on)
    _hours(book, styles, report, made_on)
    _waits(book, styles, report, made_on)
    _days(book, styles, report, made_on)
    if report.appointments:
        _appointments(book, styles, report, made_on)
    if report.satisfaction is not None:
        _satisfaction(book, styles, report, report.satisfaction, made_on)
    if report.sites:
        _sites(book, styles, report, made_on)
    book.close()


class _Styles:
    def __init__(self, book: Workbook) -> None:
        def fmt(**options: Any) -> Any:
            return book.add_format({"font_name": FONT, "font_size": 12, **options})

        self.bold = fmt(bold=True, align="center")
        self.motto = fmt(bold=True, underline=True, align="center")
        self.date = fmt(italic=True, align="center")
        self.title = fmt(bold=True, font_size=14, align="center", valign="vcenter",
                         text_wrap=True)
        self.subtitle = fmt(bold=True, align="center")
        self.period = fmt(italic=True, align="center")
        self.head = fmt(bold=True, align="center", valign="vcenter", text_wrap=True,
                        border=1, bg_color="#DDE6F0")
        self.text = fmt(border=1, valign="vcenter", text_wrap=True)
        self.center = fmt(border=1, align="center", valign="vcenter")
        self.count = fmt(border=1, num_format="#,##0", valign="vcenter")
        self.minutes = fmt(border=1, num_format="0.0", valign="vcenter")
        self.share = fmt(border=1, num_format="0.0%", valign="vcenter")
        self.total = fmt(border=1, bold=True, valign="vcenter")
        self.total_count = fmt(border=1, bold=True, num_format="#,##0", valign="vcenter")
        self.sign = fmt(bold=True, align="center")
        self.sign_note = fmt(italic=True, align="center")
        self.note = fmt(italic=True, text_wrap=True)


def _sheet(book: Workbook, styles: _Styles, name: str, subtitle: str, report: Report,
           made_on: date, headers: Sequence[str], widths: Sequence[float],
           span: int = 0, title: str = TITLE, period: bool = True) -> Worksheet:
    """A sheet with the letterhead over ``span`` columns (at least the table's: a
    narrow table with a chart beside it spans both) and the table's header row."""
    sheet = book.add_worksheet(name)
    last = max(len(headers), span) - 1
    left_end = max(1, (last + 1) // 2 - 1)
    _merge(sheet, 0, 0, 0, left_end, report.office_name.upper(), styles.bold)
    _merge(sheet, 1, 0, 1, left_end, "BỘ PHẬN MỘT CỬA", styles.motto)
    _merge(sheet, 0, left_end + 1, 0, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      styles.bold)
    _merge(sheet, 1, left_end + 1, 1, last, "Độc lập - Tự do - Hạnh phúc", styles.motto)
    _merge(sheet, 3, left_end + 1, 3, last,
                      f"{place_name(report.office_name)}, ngày {made_on.day:02d} tháng "
                      f"{made_on.month:02d} năm {made_on.year}", styles.date)
    _merge(sheet, 5, 0, 5, last, title, styles.title)
    sheet.set_row(5, 36)
    _merge(sheet, 6, 0, 6, last, subtitle, styles.subtitle)
    if period:
        _merge(sheet, 7, 0, 7, last, period_text(report.start, report.end), styles.period)
    for column, (header, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.set_column(column, column, width)
        sheet.write(HEADER_ROW, column, header, styles.head)
    sheet.set_row(HEADER_ROW, 66)  # four lines of a long header
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_paper(9)  # A4
    return sheet


def _merge(sheet: Worksheet, first_row: int, first_column: int, last_row: int,
           last_column: int, value: Any, style: Any) -> None:
    """One value over several cells (one cell alone is simply written)."""
    if (first_row, first_column) == (last_row, last_column):
        sheet.write(first_row, first_column, value, style)
    else:
        sheet.merge_range(first_row, first_column, last_row, last_column, value, style)


def _sign(sheet: Worksheet, styles: _Styles, row: int, last: int) -> None:
    left = max(1, last // 2 + 1)
    _merge(sheet, row + 2, left, row + 2, last, "NGƯỜI LẬP", styles.sign)
    _merge(sheet, row + 3, left, row + 3, last, "(Ký, ghi rõ họ tên)", styles.sign_note)


def _services(book: Workbook, styles: _Styles, report: Report, made_on: date) -> None:
    headers = ("STT", "Lĩnh vực", "Dịch vụ", "Số phiếu đã cấp", "Đã phục vụ", "Vắng mặt",
               "Chờ bổ sung hồ sơ", "Chuyển đến", "Chuyển đi", "Ưu tiên",
               "Thời gian chờ trung bình (phút)", "Thời gian chờ lâu nhất (phút)",
               "Thời gian phục vụ trung bình (phút)", "Thời gian phục vụ lâu nhất (phút)",
               "Ngưỡng chờ (phút)", "Tỷ lệ chờ quá ngưỡng")
    widths = (5, 22, 28, 10, 10, 9, 10, 9, 9, 9, 12, 12, 12, 12, 9, 11)
    sheet = _sheet(book, styles, "Theo dịch vụ", "THEO LĨNH VỰC VÀ DỊCH VỤ", report, made_on,
                   headers, widths)
    row = HEADER_ROW
    for index, s in enumerate(report.services, start=1):
        row += 1
        values = (index, s.field_name, s.name, s.issued, s.served, s.absent, s.parked,
                  s.transferred_in, s.transferred_out, s.priority, minutes(s.average_wait),
                  minutes(s.longest_wait), minutes(s.average_service),
                  minutes(s.longest_service), s.threshold_minutes, s.over_threshold_share)
        kinds = (styles.center, styles.text, styles.text, *[styles.count] * 7,
                 *[styles.minutes] * 4, styles.count, styles.share)
        for column, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            sheet.write(row, column, value, kind)
    row += 1
    _merge(sheet, row, 0, row, 2, "Tổng cộng", styles.total)
    first, last_data = HEADER_ROW + 2, row  # Excel's 1-based rows of the data
    for column in range(3, 10):
        letter = xlsxwriter.utility.xl_col_to_name(column)
        total = sum(getattr(s, name) for s, name in
                    ((s, _SERVICE_COUNTS[column - 3]) for s in report.services))
        sheet.write_formula(row, column, f"=SUM({letter}{first}:{letter}{last_data})",
                            styles.total_count, total)
    _sign(sheet, styles, row, len(headers) - 1)


_SERVICE_COUNTS: Final = ("issued", "served", "absent", "parked", "transferred_in",
                          "transferred_out", "priority")


def _counters(book: Workbook, styles: _Styles, report: Report, made_on: date) -> None:
    headers = ("STT", "Quầy", "Đã phục vụ", "Thời gian phục vụ trung bình (phút)",
               "Thời gian tạm dừng (phút)", "Gọi số không theo thứ tự")
    sheet = _sheet(book, styles, "Theo quầy", "THEO QUẦY", report, made_on, headers,
                   (5, 22, 12, 16, 14, 14))
    row = HEADER_ROW
    for index, c in enumerate(report.counters, start=1):
        row += 1
        for column, (value, kind) in enumerate(zip(
                (index, c.name, c.served, minutes(c.average_service), minutes(c.paused),
                 c.out_of_order),
                (styles.center, styles.text, styles.count, styles.minutes, styles.minutes,
                 styles.count), strict=True)):
            sheet.write(row, column, value, kind)
    _sign(sheet, styles, row, len(headers) - 1)


def _officials(book: Workbook, styles: _Styles, report: Report, made_on: date) -> None:
    headers = ("STT", "Cán bộ", "Chức vụ", "Đã phục vụ", "Thời gian phục vụ trung bình (phút)",
               "Thời gian tạm dừng (phút)", "Gọi số không theo thứ tự")
    sheet = _sheet(book, styles, "Theo cán bộ", "THEO CÁN BỘ", report, made_on, headers,
                   (5, 26, 18, 12, 16, 14, 14))
    row = HEADER_ROW
    for index, o in enumerate(report.officials, start=1):
        row += 1
        for column, (value, kind) in enumerate(zip(
                (index, o.name, o.title, o.served, minutes(o.average_service),
                 minutes(o.paused), o.out_of_order),
                (styles.center, styles.text, styles.text, styles.count, styles.minutes,
                 styles.minutes, styles.count), strict=True)):
            sheet.write(row, column, value, kind)
    _sign(sheet, styles, row, len(headers) - 1)


def _appointments(book: Workbook, styles: _Styles, report: Report, made_on: date) -> None:
    """Bookings (issue 15): who came in their slot, late or not at all, and how long
    those who kept their place waited once it came."""
    headers = ("STT", "Dịch vụ", "Lịch hẹn đã nhận", "Đến đúng hẹn (giữ chỗ)",
               "Đến muộn (nhận số thường)", "Không đến", "Đến so với giờ hẹn, trung bình "
               "(phút; âm là đến sớm)", "Chờ sau giờ hẹn, trung bình (phút)",
               "Chờ sau giờ hẹn, lâu nhất (phút)",
               f"Được gọi trong {ON_TIME_MINUTES} phút sau giờ hẹn")
    sheet = _sheet(book, styles, "Lịch hẹn", "LỊCH HẸN VÀ SỐ ĐẶT TRỰC TUYẾN", report, made_on,
                   headers, (5, 30, 12, 12, 12, 10, 16, 14, 14, 14))
    row = HEADER_ROW
    for index, a in enumerate(report.appointments, start=1):
        row += 1
        share = a.called_within / a.called if a.called else None
        for column, (value, kind) in enumerate(zip(
                (index, a.name, a.booked, a.kept, a.late, a.no_show,
                 minutes(a.average_arrival), minutes(a.average_wait),
                 minutes(a.longest_wait), share),
                (styles.center, styles.text, styles.count, styles.count, styles.count,
                 styles.count, styles.minutes, styles.minutes, styles.minutes, styles.share),
                strict=True)):
            sheet.write(row, column, value, kind)
    row += 1
    _merge(sheet, row, 0, row, 1, "Tổng cộng", styles.total)
    for column, total in ((2, sum(a.booked for a in report.appointments)),
                          (3, sum(a.kept for a in report.appointments)),
                          (4, sum(a.late for a in report.appointments)),
                          (5, sum(a.no_show for a in report.appointments))):
        sheet.write(row, column, total, styles.total_count)
    for column in range(6, len(headers)):
        sheet.write_blank(row, column, None, styles.total)
    _sign(sheet, styles, row, len(headers) - 1)


def _hours(book: Workbook, styles: _Styles, report: Report, made_on: date) -> None:
    headers = ("Khung giờ", "Số phiếu đã cấp", "Đã phục vụ")
    sheet = _sheet(book, styles, "Theo giờ", "THEO KHUNG GIỜ TRONG NGÀY", report, made_on,
                   headers, (16, 14, 14), span=CHART_SPAN)
    active = [h for h in range(24) if report.issued_by_hour[h] or report.served_by_hour[h]]
    hours = range(min(active), max(active) + 1) if active else range(7, 17)
    row = HEADER_ROW
    for hour in hours:
        row += 1
        sheet.write(row, 0, f"{hour:02d}:00–{hour + 1:02d}:00", styles.center)
        sheet.write(row, 1, report.issued_by_hour[hour], styles.count)
        sheet.write(row, 2, report.served_by_hour[hour], styles.count)
    chart = book.add_chart({"type": "column"})
    for column, name in ((1, "Số phiếu đã cấp"), (2, "Đã phục vụ")):
        chart.add_series({
            "name": name,
            "categories": ["Theo giờ", HEADER_ROW + 1, 0, row, 0],
            "values": ["Theo giờ", HEADER_ROW + 1, column, row, column],
        })
    _style_chart(chart, "Số công dân theo khung giờ", "Khung giờ", "Số phiếu")
    sheet.insert_chart(HEADER_ROW, 4, chart, {"x_scale": 1.4, "y_scale": 1.3})
    _sign(sheet, styles, max(row, HEADER_ROW + 22), CHART_SPAN - 1)


def _waits(book: Workbook, styles: _Styles, report: Report, made_on: date) -> None:
    headers = ("Thời gian chờ", "Số công dân", "Tỷ lệ")
    sheet = _sheet(book, styles, "Thời gian chờ", "PHÂN BỐ THỜI GIAN CHỜ", report, made_on,
                   headers, (16, 14, 12), span=CHART_SPAN)
    everyone = sum(count for _, count in report.waits)
    row = HEADER_ROW
    for label, count in report.waits:
        row += 1
        sheet.write(row, 0, label, styles.center)
        sheet.write(row, 1, count, styles.count)
        sheet.write(row, 2, count / everyone if everyone else None, styles.share)
    chart = book.add_chart({"type": "column"})
    chart.add_series({
        "name": "Số công dân",
        "categories": ["Thời gian chờ", HEADER_ROW + 1, 0, row, 0],
        "values": ["Thời gian chờ", HEADER_ROW + 1, 1, row, 1],
    })
    _style_chart(chart, "Phân bố thời gian chờ", "Thời gian chờ", "Số công dân")
    sheet.insert_chart(HEADER_ROW, 4, chart, {"x_scale": 1.3, "y_scale": 1.2})
    _sign(sheet, styles, max(row, HEADER_ROW + 20), CHART_SPAN - 1)


def _days(book: Workbook, styles: _Styles, report: Report, made_on: date) -> None:
    headers = ("Ngày", "Số phiếu đã cấp", "Đã phục vụ", "Vắng mặt",
               "Thời gian chờ trung bình (phút)")
    sheet = _sheet(book, styles, "Theo ngày", "THEO TỪNG NGÀY", report, made_on, headers,
                   (14, 12, 12, 12, 16), span=CHART_SPAN + 2)
    row = HEADER_ROW
    for day in report.days:
        row += 1
        sheet.write(row, 0, day.day.strftime("%d/%m/%Y"), styles.center)
        sheet.write(row, 1, day.issued, styles.count)
        sheet.write(row, 2, day.served, styles.count)
        sheet.write(row, 3, day.absent, styles.count)
        sheet.write(row, 4, minutes(day.average_wait), styles.minutes)
    if len(report.days) > 1:
        chart = book.add_chart({"type": "line"})
        for column, name in ((1, "Số phiếu đã cấp"), (2, "Đã phục vụ")):
            chart.add_series({
                "name": name, "marker": {"type": "circle"},
                "categories": ["Theo ngày", HEADER_ROW + 1, 0, row, 0],
                "values": ["Theo ngày", HEADER_ROW + 1, column, row, column],
            })
        _style_chart(chart, "Số công dân theo ngày", "Ngày", "Số phiếu")
        sheet.insert_chart(HEADER_ROW, 6, chart, {"x_scale": 1.4, "y_scale": 1.3})
    _sign(sheet, styles, max(row, HEADER_ROW + (22 if len(report.days) > 1 else 1)),
          CHART_SPAN + 1)


SATISFACTION_TITLE: Final = "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ SỰ HÀI LÒNG"


def _satisfaction(book: Workbook, styles: _Styles, report: Report, figures: Satisfaction,
                  made_on: date) -> None:
    """The satisfaction survey in the offices' own layout: per official (per counter
    until officials sign in), the number of ratings, and each level's count and share;
    then the reasons given for low ratings, and the trend week by week."""
    headers = ["STT", "Cán bộ / Quầy", "Số lượt đánh giá"]
    for label in figures.labels:
        headers += [f"{label}: số lượt", f"{label}: tỷ lệ"]
    # Wide enough for "Quầy 3 (không có cán bộ đăng nhập)" on one line.
    widths = [5, 36 if report.officials else 26, 11, *[10] * (2 * figures.scale)]
    sheet = _sheet(book, styles, "Đánh giá", f"(Từ ngày {report.start:%d/%m/%Y} đến ngày "
                   f"{report.end:%d/%m/%Y})", report, made_on, headers, widths,
                   title=SATISFACTION_TITLE, period=False)
    row = HEADER_ROW

    def line(cells: Sequence[tuple[Any, Any]]) -> None:
        for column, (value, kind) in enumerate(cells):
            sheet.write(row, column, value, kind)

    def counts(levels: Sequence[int], total: int, bold: bool) -> list[tuple[Any, Any]]:
        cells: list[tuple[Any, Any]] = [(total, styles.total_count if bold else styles.count)]
        for count in levels:
            cells += [(count, styles.total_count if bold else styles.count),
                      (count / total if total else None, styles.share)]
        return cells

    for index, r in enumerate(figures.rows, start=1):
        row += 1
        line([(index, styles.center), (r.name, styles.text),
              *counts(r.levels, r.total, False)])
    row += 1
    everyone = figures.levels
    _merge(sheet, row, 0, row, 1, "Tổng cộng", styles.total)
    for column, (value, kind) in enumerate(counts(everyone, sum(everyone), True), start=2):
        sheet.write(row, column, value, kind)

    row += 1
    note = ("Ghi chú: mỗi lượt đánh giá tính cho cán bộ đã phục vụ công dân đó; lượt phục vụ "
            "khi quầy không có cán bộ đăng nhập được tính theo quầy." if report.officials else
            "Ghi chú: theo quầy, vì văn phòng chưa khai báo cán bộ đăng nhập tại quầy.")
    _merge(sheet, row, 0, row, len(headers) - 1, note, styles.note)
    sheet.set_row(row, 34)  # a merged cell does not grow to its text: two lines
    row += 2
    _merge(sheet, row, 0, row, 2, "LÝ DO CHƯA HÀI LÒNG", styles.subtitle)
    row += 1
    line([("STT", styles.head), ("Lý do", styles.head), ("Số lượt", styles.head)])
    sheet.set_row(row, 20)
    for index, (reason, count) in enumerate(figures.reasons, start=1):
        row += 1
        line([(index, styles.center), (reason, styles.text), (count, styles.count)])

    row += 2
    _merge(sheet, row, 0, row, 2 + figures.scale, "THEO TUẦN", styles.subtitle)
    row += 1
    line([("STT", styles.head), ("Tuần bắt đầu", styles.head),
          ("Số lượt đánh giá", styles.head), *[(label, styles.head) for label in figures.labels]])
    sheet.set_row(row, 36)  # two lines of a header
    for index, (monday, levels) in enumerate(figures.weeks, start=1):
        row += 1
        line([(index, styles.center), (monday.strftime("%d/%m/%Y"), styles.center),
              (sum(levels), styles.count), *[(count, styles.count) for count in levels]])
    _sign(sheet, styles, row, len(headers) - 1)


def _sites(book: Workbook, styles: _Styles, report: Report, made_on: date) -> None:
    """Several sites side by side (issue 19), then all of them together: the sites'
    figures as the other sheets count them, and an average wait chart."""
    headers = ("STT", "Điểm", "Số phiếu đã cấp", "Đã phục vụ", "Vắng mặt",
               "Thời gian chờ trung bình (phút)", "Thời gian chờ lâu nhất (phút)",
               "Tỷ lệ chờ quá ngưỡng", "Thời gian phục vụ trung bình (phút)",
               "Số lượt đánh giá", "Tỷ lệ hài lòng (hai mức cao nhất)", "Số quầy",
               "Số ngày có hoạt động")
    sheet = _sheet(book, styles, "So sánh các điểm", "SO SÁNH CÁC ĐIỂM", report, made_on,
                   headers, (5, 30, 10, 10, 9, 12, 12, 11, 12, 10, 12, 8, 10))
    row = HEADER_ROW
    kinds = (styles.center, styles.text, *[styles.count] * 3, *[styles.minutes] * 2,
             styles.share, styles.minutes, styles.count, styles.share, *[styles.count] * 2)
    for index, s in enumerate(report.sites, start=1):
        row += 1
        values = (index, s.name, s.issued, s.served, s.absent, minutes(s.average_wait),
                  minutes(s.longest_wait), s.over_threshold_share, minutes(s.average_service),
                  s.rated, s.satisfied_share, s.counters, s.active_days)
        for column, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            sheet.write(row, column, value, kind)
    last_site = row
    row += 1
    _merge(sheet, row, 0, row, 1, "Tổng cộng", styles.total)
    totals = report.totals
    for column, value, kind in (
            (2, totals["issued"], styles.total_count), (3, totals["served"], styles.total_count),
            (4, totals["absent"], styles.total_count),
            (5, minutes(totals["average_wait"]), styles.minutes),
            (6, minutes(totals["longest_wait"]), styles.minutes),
            (8, minutes(totals["average_service"]), styles.minutes),
            (9, sum(s.rated for s in report.sites), styles.total_count),
            (11, sum(s.counters for s in report.sites), styles.total_count)):
        sheet.write(row, column, value, kind)
    chart = book.add_chart({"type": "bar"})
    chart.add_series({"name": "Thời gian chờ trung bình (phút)",
                      "categories": ["So sánh các điểm", HEADER_ROW + 1, 1, last_site, 1],
                      "values": ["So sánh các điểm", HEADER_ROW + 1, 5, last_site, 5]})
    _style_chart(chart, "Thời gian chờ trung bình theo điểm", "Phút", "Điểm")
    # A bar chart lists its first category at the bottom: turned, it reads as the table.
    chart.set_y_axis({"name": "Điểm", "name_font": {"name": FONT}, "num_font": {"name": FONT},
                      "reverse": True, "crossing": "max"})
    chart.set_legend({"none": True})
    _sign(sheet, styles, row, len(headers) - 1)
    sheet.insert_chart(row + 6, 1, chart, {"x_scale": 1.6,
                                           "y_scale": max(1.0, len(report.sites) / 12)})


def _style_chart(chart: Any, title: str, x_name: str, y_name: str) -> None:
    font = {"name": FONT}
    chart.set_title({"name": title, "name_font": {**font, "size": 13}})
    chart.set_x_axis({"name": x_name, "name_font": font, "num_font": font})
    chart.set_y_axis({"name": y_name, "name_font": font, "num_font": font,
                      "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom", "font": font})
