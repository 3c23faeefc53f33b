"""Every word the hall display shows, in Vietnamese, and how dates and times read.

Pure: the standard library and ``display.hall`` only; no Qt.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Final

from display.hall import Call, Line, Seat

log = logging.getLogger(__name__)

WEEKDAYS: Final = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")

CONNECTING: Final = "Đang kết nối máy chủ…"
OFFLINE: Final = "Mất kết nối — đang kết nối lại…"
REFUSED: Final = "Máy chủ từ chối màn hình này — cần nhập đúng mã ghép nối"
UNPAIRED: Final = "Chưa có mã ghép nối — khởi động lại với --pairing-code"
# A banner read from across the hall: short; the details are in the log.
UNEXPECTED_ERROR: Final = "Có lỗi ngoài dự kiến — màn hình vẫn chạy, chi tiết trong nhật ký"

CALL_CAPTION: Final = "MỜI SỐ"
RECALL_CAPTION: Final = "MỜI LẠI SỐ"
BOOKED_CAPTION: Final = "MỜI SỐ ĐẶT LỊCH HẸN"  # why it comes before earlier numbers
TO_COUNTER: Final = "đến"
NO_CALL_YET: Final = "Vui lòng chờ gọi số"
COUNTERS_TITLE: Final = "QUẦY ĐANG PHỤC VỤ"
RECENT_TITLE: Final = "SỐ VỪA GỌI"
WAITING_TITLE: Final = "ĐANG CHỜ"
PAUSED: Final = "Tạm dừng"
IDLE_SEAT: Final = "—"
UNKNOWN_COUNT: Final = "–"
NO_RECENT: Final = "Chưa có"


def date_text(moment: datetime) -> str:
    """``Thứ Hai, 23/11/2026``."""
    return f"{WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y}"


def time_text(moment: datetime) -> str:
    """``09:41``."""
    return f"{moment:%H:%M}"


def call_sentence(call: Call) -> str:
    """``Mời số A023 — đến Quầy 3``: the newest call in one line."""
    verb = "Mời lại số" if call.recall else "Mời số"
    return f"{verb} {call.number} — {TO_COUNTER} {call.counter_name}"


def seat_text(seat: Seat) -> str:
    """What a counter's tile shows: the number served, else its state."""
    if seat.serving:
        return seat.serving
    if seat.paused:
        return PAUSED
    return IDLE_SEAT


def waiting_text(line: Line) -> str:
    return UNKNOWN_COUNT if line.waiting is None else str(line.waiting)

# The voice status line when the server chose another display to say the calls.
ANOTHER_SPEAKS = "Màn hình khác trong sảnh đang đọc số"
