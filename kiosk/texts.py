"""Every word the kiosk itself says: the Vietnamese here, every other language in
its catalogue (``shared/languages/en/kiosk.po``, or an office's ``hmn/kiosk.po``).

Names of offices, fields, services and priority categories come from the server's
snapshot (``name`` / ``name_en``, or an office catalogue's ``msgctxt "name"``);
everything else a citizen reads is here, so that the language button changes every
label. Vietnamese is the default and the reference.

Imports no Qt, no network; catalogues are read once, when a language is first used.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Final

from shared.core.wire import Closed
from shared.languages.catalogue import EN as EN
from shared.languages.catalogue import VI as VI
from shared.languages.catalogue import Catalogue

log = logging.getLogger(__name__)


# A language is its code: "vi", "en", or any language an office has a catalogue for.
Language = str

_TEXTS: Final[dict[str, str]] = {  # key: Vietnamese
    "take_number": "Lấy số thứ tự",
    "choose_field": "Mời chọn lĩnh vực cần giải quyết",
    "choose_service": "Mời chọn dịch vụ",
    "choose_category": "Bạn thuộc đối tượng ưu tiên nào?",
    "priority": "Ưu tiên",
    "priority_for": "Ưu tiên: {name}",
    "back": "‹  Quay lại",
    # The one page turn: on to the next page, from the last back to the first.
    "next_page": "Trang {page}/{pages}  ›",
    "first_page": "‹  Về trang 1",
    # A no-break space: a count never wraps away from its label.
    "waiting": "Đang chờ:\u00a0{count}",
    "large_print": "Chữ lớn",
    "read_aloud": "Nghe đọc",
    "stop_reading": "Tắt đọc",
    # Spoken guidance: what the kiosk's voice says of each screen (kiosk.guidance).
    "guide_choices": "Chạm vào lựa chọn trên màn hình, hoặc bấm phím số của nó.",
    "guide_item": "Số {index}: {title}.",
    "guide_back": "Số không: quay lại.",
    "guide_help": "Cần người giúp, hãy chạm nút Tôi cần hỗ trợ ở cuối màn hình.",
    "guide_number": "Số thứ tự của bạn là {number}.",
    "normal_print": "Chữ thường",
    "your_number": "Số thứ tự của bạn",
    "ahead_none": "Bạn là người tiếp theo",
    "ahead_one": "Có 1 người đang chờ trước bạn",
    "ahead_many": "Có {count} người đang chờ trước bạn",
    "printing": "Đang in vé…",
    "printed": "Mời bạn nhận vé ở khe bên dưới",
    "no_printer": "Vui lòng ghi nhớ số của bạn",
    "printer_fault": "Máy in đang gặp sự cố —\nvui lòng ghi nhớ số của bạn hoặc hỏi cán bộ",
    "printer_fault_banner": "Máy in đang gặp sự cố: số thứ tự của bạn sẽ hiện trên màn hình",
    "touch_to_return": "Chạm vào màn hình để quay lại",
    "issuing": "Đang cấp số…",
    "issuing_body": "Vui lòng chờ trong giây lát.",
    "starting": "Đang khởi động hệ thống…",
    "wrong_office": "Máy cấp số chưa dùng được",
    "not_paired": "Máy cấp số chưa được ghép nối",
    "not_paired_body": ("Cán bộ phụ trách cần nhập mã ghép nối (lệnh motcua pair --show "
                        "trên máy chủ)."),
    "starting_body": "Vui lòng chờ trong giây lát.",
    "unavailable": "Hệ thống tạm thời gián đoạn",
    "unavailable_body": "Vui lòng chờ trong giây lát. Máy sẽ tự hoạt động lại.",
    "closed_title": "Ngoài giờ cấp số",
    "cap_title": "Đã hết số hôm nay",
    "busy_title": "Máy cấp số đang bận",
    "busy_body": "Vui lòng thử lại sau ít giây.",
    "unknown_service_title": "Dịch vụ này hiện không còn",
    "unknown_service_body": "Vui lòng chọn dịch vụ khác.",
    "failed_title": "Chưa cấp được số",
    "failed_body": "Vui lòng thử lại, hoặc hỏi cán bộ một cửa.",
    "closed_hours": "Ngoài giờ cấp số. Giờ cấp số: {hours}.",
    "opens_at": "Cấp số lại lúc {time}.",
    "closed_today": "Hôm nay không cấp số. Ngày cấp số: {days}.",
    "cap_reached": "Đã hết số hôm nay (tối đa {cap} số). Mời quay lại ngày mai.",
    "not_open": "Tạm ngừng cấp số.",
    "unserved": "Chưa có quầy phục vụ · chờ:\u00a0{count}",
    "unserved_closed": "Chưa có quầy nào phục vụ",
    "go_to": "Mời đến: {hall}",
    "or": " hoặc ",
    "unserved_ticket": ("Hiện chưa có quầy nào phục vụ dịch vụ này.\n"
                        "Vui lòng chờ hoặc hỏi cán bộ hướng dẫn."),
    # Checking in with a booking (issue 15).
    "booking": "Tôi đã đặt lịch / có số trực tuyến",
    "booking_detail": "Nhập hoặc quét mã để lấy số",
    "check_in_title": "Nhập mã đặt lịch",
    "check_in_hint": "Gõ mã bằng các phím bên dưới, hoặc đưa mã QR vào máy quét.",
    "check_in_submit": "Lấy số",
    "erase": "⌫  Xoá",
    "check_in_short": "Mã có ít nhất 4 chữ hoặc số.",
    "check_in_unknown": "Không tìm thấy mã {code}. Kiểm tra lại mã, hoặc hỏi cán bộ.",
    "check_in_refused": "Chưa lấy được số",
    "check_in_other_day": "Lịch hẹn của bạn là ngày {day}, không phải hôm nay.",
    "check_in_too_early": "Bạn đến sớm. Mời quay lại lúc {at} để lấy số.",
    "check_in_used": "Mã này đã được dùng lúc {at}. Số của bạn là {number}.",
    "appointment_at": "Lịch hẹn {slot}: bạn được gọi từ {slot}",
    "appointment_online": "Số đặt trực tuyến",
    "appointment_late": "Bạn đến muộn so với lịch hẹn nên nhận số thường.",
    "help": "Tôi cần hỗ trợ",
    "help_title": "Đã báo cán bộ",
    "help_body": "Vui lòng chờ tại đây, cán bộ sẽ đến hỗ trợ bạn ngay.",
    "no_counter_title": "Chưa có quầy phục vụ",
    "no_counter_body": "Hiện chưa có quầy nào phục vụ dịch vụ này nên chưa cấp số. "
        "Vui lòng hỏi cán bộ hướng dẫn.",
}

_WEEKDAYS: Final = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
_TEXTS.update({f"weekday_{n}": name for n, name in enumerate(_WEEKDAYS)})

CATALOGUE: Final = Catalogue("kiosk", _TEXTS)


def keys() -> list[str]:
    """Every text the kiosk has, by key."""
    return list(_TEXTS)


def languages() -> list[Language]:
    """The kiosk's languages: Vietnamese, English and any the office added, in the
    order the language button goes through them."""
    return CATALOGUE.languages()


def tr(key: str, language: Language, **values: object) -> str:
    """The text ``key`` in ``language``, with ``values`` filled in."""
    return CATALOGUE.text(key, language, **values)


def language_name(language: Language) -> str:
    """What the language button shows to go to ``language``: its name in itself."""
    return CATALOGUE.language_name(language)


def own_name(vietnamese: str, language: Language) -> str:
    """An office's name of a service or field in a language other than English, from
    the office's catalogue (``msgctxt "name"``); the Vietnamese when it has none."""
    return CATALOGUE.word("name", vietnamese, language)


def ahead_text(count: int, language: Language) -> str:
    """"Có 3 người đang chờ trước bạn" — how many are before a new ticket."""
    if count <= 0:
        return tr("ahead_none", language)
    if count == 1:
        return tr("ahead_one", language)
    return tr("ahead_many", language, count=count)


def clock_parts(moment: datetime, language: Language) -> tuple[str, str]:
    """("08:15", "Thứ Hai, 23/11/2026"): the header's clock and date."""
    weekday = tr(f"weekday_{moment.weekday()}", language)
    return f"{moment:%H:%M}", f"{weekday}, {moment:%d/%m/%Y}"


def closed_text(closed: Closed | None, language: Language) -> str:
    """Why a service issues no numbers now, for the citizen, from the server's code
    (``closed`` of a service in the snapshot, or of a ``closed``/``cap_reached`` error)."""
    if closed is None:
        return tr("not_open", language)
    if closed.kind == "not_today":
        days = ", ".join(tr(f"weekday_{d}", language) for d in closed.days if 0 <= d < 7)
        return tr("closed_today", language, days=days)
    if closed.kind == "cap_reached":
        return tr("cap_reached", language, cap=closed.cap)
    hours = ", ".join(f"{start}–{end}" for start, end in closed.hours)
    text = tr("closed_hours", language, hours=hours)
    if closed.opens:
        text += " " + tr("opens_at", language, time=closed.opens)
    return text
