"""Every word the hall display paints: the Vietnamese here, English and any language an
office adds in its catalogue (``shared/languages/en/display.po``, or ``hmn/display.po``),
and how dates and times read.

A hall reads one language: the display's, chosen once at its start (``motcua display
--language en``), so the words are looked up through ``use``'s choice rather than
carried by every panel. The voice stays Vietnamese whatever the screen shows.

Pure: the standard library, ``display.hall`` and the catalogue; no Qt.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Final

from display.hall import Call, Line, Seat
from shared.languages.catalogue import EN, VI, Catalogue

log = logging.getLogger(__name__)

TEXTS: Final[dict[str, str]] = {  # key: Vietnamese
    "connecting": "Đang kết nối máy chủ…",
    "offline": "Mất kết nối — đang kết nối lại…",
    "refused": "Máy chủ từ chối màn hình này — cần nhập đúng mã ghép nối",
    "unpaired": "Chưa có mã ghép nối — khởi động lại với --pairing-code",
    # A banner read from across the hall: short; the details are in the log.
    "unexpected_error": "Có lỗi ngoài dự kiến — màn hình vẫn chạy, chi tiết trong nhật ký",
    "call_caption": "MỜI SỐ",
    "recall_caption": "MỜI LẠI SỐ",
    "booked_caption": "MỜI SỐ ĐẶT LỊCH HẸN",  # why it comes before earlier numbers
    "to_counter": "đến",
    "call_sentence": "Mời số {number} — đến {counter}",
    "recall_sentence": "Mời lại số {number} — đến {counter}",
    "no_call_yet": "Vui lòng chờ gọi số",
    "counters_title": "QUẦY ĐANG PHỤC VỤ",
    "recent_title": "SỐ VỪA GỌI",
    "waiting_title": "ĐANG CHỜ",
    "paused": "Tạm dừng",
    "no_recent": "Chưa có",
    # The voice status line when the server chose another display to say the calls.
    "another_speaks": "Màn hình khác trong sảnh đang đọc số",
    "weekday_0": "Thứ Hai",
    "weekday_1": "Thứ Ba",
    "weekday_2": "Thứ Tư",
    "weekday_3": "Thứ Năm",
    "weekday_4": "Thứ Sáu",
    "weekday_5": "Thứ Bảy",
    "weekday_6": "Chủ Nhật",
}
CATALOGUE: Final = Catalogue("display", TEXTS)
IDLE_SEAT: Final = "—"
UNKNOWN_COUNT: Final = "–"

_language = VI


def use(language: str) -> None:
    """Paint in ``language`` from now on (a language with a display catalogue)."""
    global _language  # one hall, one language: chosen once at the start
    _language = language


def language() -> str:
    return _language


def word(key: str, **values: object) -> str:
    """The text ``key`` in the display's language."""
    return CATALOGUE.text(key, _language, **values)


def date_text(moment: datetime) -> str:
    """``Thứ Hai, 23/11/2026``."""
    return f"{word(f'weekday_{moment.weekday()}')}, {moment:%d/%m/%Y}"


def time_text(moment: datetime) -> str:
    """``09:41``."""
    return f"{moment:%H:%M}"


def call_sentence(call: Call) -> str:
    """``Mời số A023 — đến Quầy 3``: the newest call in one line."""
    return word("recall_sentence" if call.recall else "call_sentence", number=call.number,
                counter=call.counter_name)


def seat_text(seat: Seat) -> str:
    """What a counter's tile shows: the number served, else its state."""
    if seat.serving:
        return seat.serving
    if seat.paused:
        return word("paused")
    return IDLE_SEAT


def service_name(line: Line) -> str:
    """A service's name in the display's language: English from the office's
    ``name_en``; another language from its catalogue's ``msgctxt "name"``."""
    if _language == EN and line.name_en:
        return line.name_en
    return CATALOGUE.word("name", line.name, _language)


def waiting_text(line: Line) -> str:
    return UNKNOWN_COUNT if line.waiting is None else str(line.waiting)
