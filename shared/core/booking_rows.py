"""Bookings as they arrive: rows of a spreadsheet, or objects of the bookings API.

Both speak the same fields (``FIELDS``); a spreadsheet's columns are found by their
header, in Vietnamese or English, with or without diacritics, or named by the person
importing (``--column code="Mã hồ sơ"``). Every problem names its row and column (or
its item and field), so the person fixing the file knows where to look; nothing is
taken from a file with a problem (the caller's rule, ``shared.server.booking_book``).

Pure: plain data in, ``Booking`` values or problems out.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.core.booking import CODE_PATTERN, Booking, normal_code
from shared.core.errors import MotcuaError
from shared.core.office import Office

log = logging.getLogger(__name__)

# Each field, and the headers that mean it (compared without diacritics, case, spaces).
FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("ma_dat_lich", "ma_lich_hen", "ma", "code", "booking_code"),
    "service": ("dich_vu", "ma_dich_vu", "service"),
    "date": ("ngay", "ngay_hen", "date"),
    "time": ("gio", "gio_hen", "khung_gio", "time", "slot"),
    "booked_at": ("dat_luc", "thoi_diem_dat", "booked_at"),
    "name": ("ho_ten", "ho_va_ten", "name"),
    "phone": ("dien_thoai", "so_dien_thoai", "phone"),
    "id_hash": ("ma_dinh_danh_bam", "id_hash"),
    "id_number": ("so_dinh_danh", "so_cccd", "cccd", "id_number"),
}
REQUIRED = ("code", "service", "date", "time")
SLOT_MINUTES = 15  # a slot given by its start only lasts this long


@dataclass(frozen=True)
class FieldProblem:
    """One problem: where (a row and column of a file, or an item and field of a
    request) and what, in plain Vietnamese."""

    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


class BookingsRefusedError(MotcuaError):
    """Bookings that cannot be taken, with every problem found; none was taken."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n  … và {more} lỗi nữa / and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} lỗi, không nhận lịch hẹn nào / "
                         f"{len(self.problems)} problems, no booking was taken:\n{shown}{tail}")


def plain(header: str) -> str:
    """A header as compared: no diacritics, no case, words joined by underscores."""
    text = unicodedata.normalize("NFD", header.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def columns(header: Sequence[object], named: Mapping[str, str] | None = None) -> dict[str, int]:
    """Which column holds each field: by the names given in ``named`` (field -> header,
    as typed), else by the known headers. Raises ``BookingsRefusedError`` when a required
    field has no column, or a named header is not in the file."""
    found: dict[str, int] = {}
    plain_header = [plain(str(h or "")) for h in header]
    problems = []
    for field, wanted in (named or {}).items():
        if field not in FIELDS:
            problems.append(FieldProblem(f"--column {field}", "không có trường này; có: "
                                         + ", ".join(FIELDS)))
        elif plain(wanted) in plain_header:
            found[field] = plain_header.index(plain(wanted))
        else:
            problems.append(FieldProblem(f"--column {field}", f"tệp không có cột “{wanted}”"))
    for field, names in FIELDS.items():
        if field in found:
            continue
        index = next((plain_header.index(n) for n in names if n in plain_header), None)
        if index is not None:
            found[field] = index
    for field in REQUIRED:
        if field not in found:
            problems.append(FieldProblem("dòng tiêu đề", f"thiếu cột “{field}” (một trong: "
                                         f"{', '.join(FIELDS[field])})"))
    if problems:
        raise BookingsRefusedError(problems)
    return found


def from_rows(header: Sequence[object], rows: Iterable[tuple[int, Sequence[object]]],
              office: Office, source: str,
              named: Mapping[str, str] | None = None) -> list[Booking]:
    """The bookings of a spreadsheet's rows (numbered as the spreadsheet shows them),
    or ``BookingsRefusedError`` with every row's problems. Empty rows are skipped."""
    where = columns(header, named)
    names = {index: str(header[index] or field) for field, index in where.items()}
    bookings: list[Booking] = []
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        values = {f: cells[i] if i < len(cells) else None for f, i in where.items()}
        try:
            booking = from_fields(values, office, source)
        except _FieldError as bad:
            column = names.get(where.get(bad.field, -1), bad.field)
            problems.append(FieldProblem(f"dòng {number}, cột “{column}”", bad.problem))
            continue
        if booking.code in seen:
            problems.append(FieldProblem(f"dòng {number}, cột “{names[where['code']]}”",
                                         f"mã {booking.code} đã có ở dòng {seen[booking.code]}"))
            continue
        seen[booking.code] = number
        bookings.append(booking)
    if problems:
        raise BookingsRefusedError(problems)
    return bookings


def from_items(items: Sequence[Mapping[str, object]], office: Office,
               source: str) -> list[Booking]:
    """The bookings of an API request's items, or ``BookingsRefusedError`` naming each
    item (from 0) and field."""
    bookings: list[Booking] = []
    problems: list[FieldProblem] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        unknown = sorted(set(item) - set(FIELDS))
        if unknown:
            problems.append(FieldProblem(f"bookings[{index}]", "trường không biết: "
                                         + ", ".join(unknown)))
            continue
        try:
            booking = from_fields(item, office, source)
        except _FieldError as bad:
            problems.append(FieldProblem(f"bookings[{index}].{bad.field}", bad.problem))
            continue
        if booking.code in seen:
            problems.append(FieldProblem(f"bookings[{index}].code",
                                         f"mã {booking.code} có hai lần trong yêu cầu"))
            continue
        seen.add(booking.code)
        bookings.append(booking)
    if problems:
        raise BookingsRefusedError(problems)
    return bookings


class _FieldError(Exception):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem


def from_fields(values: Mapping[str, object], office: Office, source: str) -> Booking:
    """One booking from its fields' values (text, or the dates and numbers a
    spreadsheet holds); raises ``_FieldError`` naming the field."""
    zone = ZoneInfo(office.timezone)
    for field in REQUIRED:
        if _text(values.get(field)) == "":
            raise _FieldError(field, "trống; cần có giá trị")
    code = normal_code(_text(values["code"]))
    if not CODE_PATTERN.fullmatch(code):
        raise _FieldError("code", f"“{_text(values['code'])}” không phải mã hợp lệ: 4–32 chữ cái "
                   "không dấu hoặc chữ số")
    service = _service(_text(values["service"]), office)
    day = _date(values["date"])
    start, end = _slot(values["time"])
    booked_at = None
    if _text(values.get("booked_at")):
        booked_at = _moment(values.get("booked_at"), zone)
    id_hash = _text(values.get("id_hash")).lower() or None
    if id_hash is not None and not re.fullmatch(r"[0-9a-f]{64}", id_hash):
        raise _FieldError("id_hash", "phải là SHA-256 (64 chữ số hex) của số định danh")
    id_number = re.sub(r"\s", "", _text(values.get("id_number")))
    if id_number:
        if not re.fullmatch(r"\d{9}|\d{12}", id_number):
            raise _FieldError("id_number", "số định danh phải có 12 chữ số (CCCD) hoặc 9 (CMND)")
        id_hash = identity_hash(id_number)  # the number itself is never kept
    phone = re.sub(r"[\s.\-]", "", _text(values.get("phone"))) or None
    if phone is not None and not re.fullmatch(r"\+?\d{8,15}", phone):
        raise _FieldError("phone", f"“{_text(values.get('phone'))}” không phải số điện thoại")
    return Booking(code=code, service=service, day=day, slot_start=start, slot_end=end,
                   booked_at=booked_at, name=_text(values.get("name")) or None, phone=phone,
                   id_hash=id_hash, source=source)


def identity_hash(id_number: str) -> str:
    """How an identity number is kept: its SHA-256, in hex (what the API's ``id_hash``
    carries, so that every channel counts one person alike)."""
    return hashlib.sha256(id_number.encode()).hexdigest()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet's 12345 arrives as 12345.0
    return str(value).strip()


def _service(text: str, office: Office) -> str:
    if office.service(text.upper()) is not None:
        code = text.upper()
    else:  # its name, as a person would type it in a spreadsheet
        named = [s.code for s in office.services if plain(s.name) == plain(text)]
        if not named:
            known = ", ".join(s.code for s in office.services if s.bookings is not None)
            raise _FieldError("service", f"không có dịch vụ “{text}” nhận đặt lịch (có: "
                       f"{known or 'chưa dịch vụ nào — thêm [services.bookings]'})")
        code = named[0]
    service = office.service(code)
    assert service is not None
    if service.bookings is None:
        raise _FieldError("service", f"dịch vụ {code} ({service.name}) không nhận đặt lịch; thêm "
                   "[services.bookings] vào tệp cấu hình")
    return code


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for form in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            pass
    raise _FieldError("date", f"“{text}” không phải ngày; viết như 2026-12-03 hoặc 03/12/2026")


def _slot(value: object) -> tuple[time, time]:
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, time):
        start = value.replace(second=0, microsecond=0)
        return start, _after(start, SLOT_MINUTES)
    text = _text(value)
    found = re.fullmatch(r"(\d{1,2})[:hg](\d{2})(?:\s*[-–]\s*(\d{1,2})[:hg](\d{2}))?", text)
    wrong = _FieldError("time", f"“{text}” không phải giờ; viết như 09:40 hoặc 09:40-10:00")
    if found is None:
        raise wrong
    try:
        start = time(int(found[1]), int(found[2]))
        end = _after(start, SLOT_MINUTES) if found[3] is None else time(int(found[3]),
                                                                        int(found[4]))
    except ValueError:
        raise wrong from None
    if end <= start:
        raise _FieldError("time", f"“{text}”: giờ kết thúc phải sau giờ bắt đầu")
    return start, end


def _after(start: time, minutes: int) -> time:
    moment = datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)
    return time(23, 59) if moment.date() != date(2000, 1, 1) else moment.time()


def _moment(value: object, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        text = _text(value)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            try:
                moment = datetime.strptime(text, "%d/%m/%Y %H:%M")
            except ValueError:
                raise _FieldError("booked_at", f"“{text}” không phải thời điểm; viết như "
                           "2026-12-01T07:12 hoặc 01/12/2026 07:12") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
