"""Every word the kiosk itself says, in Vietnamese and English.

Names of offices, fields, services and priority categories come from the server's
snapshot (``name`` / ``name_en``); everything else a citizen reads is here, so that
the VI/EN switch changes every label. Vietnamese is the default and the reference:
the English is for foreign residents and visitors.

Pure: imports no Qt, no network.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum

from shared.core.wire import Closed

log = logging.getLogger(__name__)


class Language(StrEnum):
    VI = "vi"
    EN = "en"


_TEXTS: dict[str, tuple[str, str]] = {  # key: (Vietnamese, English)
    "take_number": ("Lấy số thứ tự", "Take a number"),
    "choose_field": ("Mời chọn lĩnh vực cần giải quyết", "Please choose an area"),
    "choose_service": ("Mời chọn dịch vụ", "Please choose a service"),
    "choose_category": ("Bạn thuộc đối tượng ưu tiên nào?", "Which priority group are you in?"),
    "priority": ("Ưu tiên", "Priority"),
    "priority_for": ("Ưu tiên: {name}", "Priority: {name}"),
    "back": ("‹  Quay lại", "‹  Back"),
    # The one page turn: on to the next page, from the last back to the first.
    "next_page": ("Trang {page}/{pages}  ›", "Page {page}/{pages}  ›"),
    "first_page": ("‹  Về trang 1", "‹  Back to page 1"),
    # A no-break space: a count never wraps away from its label.
    "waiting": ("Đang chờ:\u00a0{count}", "Waiting:\u00a0{count}"),
    "switch_language": ("English", "Tiếng Việt"),
    "large_print": ("Chữ lớn", "Large print"),
    "read_aloud": ("Nghe đọc", "Read aloud"),
    "stop_reading": ("Tắt đọc", "Stop reading"),
    # Spoken guidance: what the kiosk's voice says of each screen (kiosk.guidance).
    "guide_choices": ("Chạm vào lựa chọn trên màn hình, hoặc bấm phím số của nó.",
                      "Touch a choice on the screen, or press its number key."),
    "guide_item": ("Số {index}: {title}.", "{index}: {title}."),
    "guide_back": ("Số không: quay lại.", "Zero: go back."),
    "guide_help": ("Cần người giúp, hãy chạm nút Tôi cần hỗ trợ ở cuối màn hình.",
                   "For help from a person, touch I need help, at the bottom of the screen."),
    "guide_number": ("Số thứ tự của bạn là {number}.", "Your number is {number}."),
    "normal_print": ("Chữ thường", "Normal print"),
    "your_number": ("Số thứ tự của bạn", "Your number"),
    "ahead_none": ("Bạn là người tiếp theo", "You are next"),
    "ahead_one": ("Có 1 người đang chờ trước bạn", "1 person is waiting before you"),
    "ahead_many": ("Có {count} người đang chờ trước bạn", "{count} people are waiting before you"),
    "printing": ("Đang in vé…", "Printing your ticket…"),
    "printed": ("Mời bạn nhận vé ở khe bên dưới", "Please take your ticket below"),
    "no_printer": ("Vui lòng ghi nhớ số của bạn", "Please remember your number"),
    "printer_fault": (
        "Máy in đang gặp sự cố —\nvui lòng ghi nhớ số của bạn hoặc hỏi cán bộ",
        "The printer is not working —\nplease remember your number or ask a staff member",
    ),
    "printer_fault_banner": (
        "Máy in đang gặp sự cố: số thứ tự của bạn sẽ hiện trên màn hình",
        "The printer is not working: your number will be shown on the screen",
    ),
    "touch_to_return": ("Chạm vào màn hình để quay lại", "Touch the screen to go back"),
    "issuing": ("Đang cấp số…", "Getting your number…"),
    "issuing_body": ("Vui lòng chờ trong giây lát.", "Please wait a moment."),
    "starting": ("Đang khởi động hệ thống…", "Starting up…"),
    "wrong_office": ("Máy cấp số chưa dùng được", "This kiosk cannot be used yet"),
    "not_paired": ("Máy cấp số chưa được ghép nối", "This kiosk is not paired yet"),
    "not_paired_body": (
        "Cán bộ phụ trách cần nhập mã ghép nối (lệnh motcua pair --show trên máy chủ).",
        "A staff member must enter the pairing code (motcua pair --show on the server).",
    ),
    "starting_body": ("Vui lòng chờ trong giây lát.", "Please wait a moment."),
    "unavailable": ("Hệ thống tạm thời gián đoạn", "The system is temporarily unavailable"),
    "unavailable_body": (
        "Vui lòng chờ trong giây lát. Máy sẽ tự hoạt động lại.",
        "Please wait a moment. The kiosk will work again by itself.",
    ),
    "closed_title": ("Ngoài giờ cấp số", "Outside issuing hours"),
    "cap_title": ("Đã hết số hôm nay", "No more numbers today"),
    "busy_title": ("Máy cấp số đang bận", "The kiosk is busy"),
    "busy_body": ("Vui lòng thử lại sau ít giây.", "Please try again in a few seconds."),
    "unknown_service_title": ("Dịch vụ này hiện không còn", "This service is no longer offered"),
    "unknown_service_body": ("Vui lòng chọn dịch vụ khác.", "Please choose another service."),
    "failed_title": ("Chưa cấp được số", "We could not give you a number"),
    "failed_body": (
        "Vui lòng thử lại, hoặc hỏi cán bộ một cửa.",
        "Please try again, or ask a staff member.",
    ),
    "closed_hours": ("Ngoài giờ cấp số. Giờ cấp số: {hours}.",
                     "Outside issuing hours. Numbers are given {hours}."),
    "opens_at": ("Cấp số lại lúc {time}.", "Numbers again from {time}."),
    "closed_today": ("Hôm nay không cấp số. Ngày cấp số: {days}.",
                     "No numbers are issued today. Numbers are given on {days}."),
    "cap_reached": ("Đã hết số hôm nay (tối đa {cap} số). Mời quay lại ngày mai.",
                    "No more numbers today (at most {cap}). Please come back tomorrow."),
    "not_open": ("Tạm ngừng cấp số.", "Not issuing numbers now."),
    "unserved": ("Chưa có quầy phục vụ · chờ:\u00a0{count}",
                 "No counter yet · waiting:\u00a0{count}"),
    "unserved_closed": ("Chưa có quầy nào phục vụ", "No counter is serving it now"),
    "go_to": ("Mời đến: {hall}", "Please go to: {hall}"),
    "or": (" hoặc ", " or "),
    "unserved_ticket": (
        "Hiện chưa có quầy nào phục vụ dịch vụ này.\nVui lòng chờ hoặc hỏi cán bộ hướng dẫn.",
        "No counter is serving this service right now.\nPlease wait, or ask a staff member.",
    ),
    # Checking in with a booking (issue 15).
    "booking": ("Tôi đã đặt lịch / có số trực tuyến", "I have a booking / an online number"),
    "booking_detail": ("Nhập hoặc quét mã để lấy số", "Type or scan your code for a number"),
    "check_in_title": ("Nhập mã đặt lịch", "Enter your booking code"),
    "check_in_hint": ("Gõ mã bằng các phím bên dưới, hoặc đưa mã QR vào máy quét.",
                      "Type the code on the keys below, or hold its QR code to the scanner."),
    "check_in_submit": ("Lấy số", "Get my number"),
    "erase": ("⌫  Xoá", "⌫  Delete"),
    "check_in_short": ("Mã có ít nhất 4 chữ hoặc số.", "A code has at least 4 letters or digits."),
    "check_in_unknown": ("Không tìm thấy mã {code}. Kiểm tra lại mã, hoặc hỏi cán bộ.",
                         "No booking has the code {code}. Check it, or ask a staff member."),
    "check_in_refused": ("Chưa lấy được số", "No number yet"),
    "check_in_other_day": ("Lịch hẹn của bạn là ngày {day}, không phải hôm nay.",
                           "Your booking is for {day}, not today."),
    "check_in_too_early": ("Bạn đến sớm. Mời quay lại lúc {at} để lấy số.",
                           "You are early. Please come back at {at} for your number."),
    "check_in_used": ("Mã này đã được dùng lúc {at}. Số của bạn là {number}.",
                      "This code was used at {at}. Your number is {number}."),
    "appointment_at": ("Lịch hẹn {slot}: bạn được gọi từ {slot}", "Booked for {slot}: "
                       "you are called from {slot}"),
    "appointment_online": ("Số đặt trực tuyến", "Online number"),
    "appointment_late": ("Bạn đến muộn so với lịch hẹn nên nhận số thường.",
                         "You came after your booked time, so this is an ordinary number."),
    "help": ("Tôi cần hỗ trợ", "I need help"),
    "help_title": ("Đã báo cán bộ", "A staff member is coming"),
    "help_body": ("Vui lòng chờ tại đây, cán bộ sẽ đến hỗ trợ bạn ngay.",
                  "Please wait here: a staff member will come to help you."),
    "no_counter_title": ("Chưa có quầy phục vụ", "No counter is open for this"),
    "no_counter_body": (
        "Hiện chưa có quầy nào phục vụ dịch vụ này nên chưa cấp số. "
        "Vui lòng hỏi cán bộ hướng dẫn.",
        "No counter is serving this service right now, so no number is given. "
        "Please ask a staff member.",
    ),
}

_WEEKDAYS = {
    Language.VI: ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    Language.EN: ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                  "Sunday"),
}


def keys() -> list[str]:
    """Every text the kiosk has, by key."""
    return list(_TEXTS)


def tr(key: str, language: Language, **values: object) -> str:
    """The text ``key`` in ``language``, with ``values`` filled in."""
    vietnamese, english = _TEXTS[key]
    text = english if language is Language.EN else vietnamese
    return text.format(**values) if values else text


def ahead_text(count: int, language: Language) -> str:
    """"Có 3 người đang chờ trước bạn" — how many are before a new ticket."""
    if count <= 0:
        return tr("ahead_none", language)
    if count == 1:
        return tr("ahead_one", language)
    return tr("ahead_many", language, count=count)


def clock_parts(moment: datetime, language: Language) -> tuple[str, str]:
    """("08:15", "Thứ Hai, 23/11/2026"): the header's clock and date."""
    weekday = _WEEKDAYS[language][moment.weekday()]
    return f"{moment:%H:%M}", f"{weekday}, {moment:%d/%m/%Y}"


def closed_text(closed: Closed | None, language: Language) -> str:
    """Why a service issues no numbers now, for the citizen, from the server's code
    (``closed`` of a service in the snapshot, or of a ``closed``/``cap_reached`` error)."""
    if closed is None:
        return tr("not_open", language)
    if closed.kind == "not_today":
        days = ", ".join(_WEEKDAYS[language][d] for d in closed.days if 0 <= d < 7)
        return tr("closed_today", language, days=days)
    if closed.kind == "cap_reached":
        return tr("cap_reached", language, cap=closed.cap)
    hours = ", ".join(f"{start}–{end}" for start, end in closed.hours)
    text = tr("closed_hours", language, hours=hours)
    if closed.opens:
        text += " " + tr("opens_at", language, time=closed.opens)
    return text
