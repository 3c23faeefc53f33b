"""Every word the printed ticket says, in Vietnamese here; English and any language an
office adds in its catalogue (``shared/languages/en/ticket.po``, ``hmn/ticket.po``). A
ticket is printed in the language the citizen chose on the kiosk: they take it home.

The office's own footer and QR caption (``[printer]``) are translated when they are
still the words given here (``footer``, ``qr_caption``), or when the office's own
catalogue has its words under the same keys.

Pure: the catalogue only.
"""

from __future__ import annotations

from typing import Final

from shared.languages.catalogue import Catalogue

TEXTS: Final[dict[str, str]] = {  # key: Vietnamese
    "number": "SỐ THỨ TỰ",
    "time": "Thời gian: {when}",
    "unserved": "Chưa có quầy phục vụ dịch vụ này — hỏi cán bộ",
    "next": "Bạn là người tiếp theo",
    "ahead": "Số người chờ trước bạn: {count}",
    "go_to": "Mời đến: {where}",
    "or": "hoặc",
    "priority": "Ưu tiên: {name}",
    "appointment_at": "Lịch hẹn {slot}",
    "booked": "Số đặt trực tuyến",
    "footer": "Vui lòng chờ đến lượt",
    "qr_caption": "Quét mã để theo dõi lượt gọi",
}
CATALOGUE: Final = Catalogue("ticket", TEXTS)


def tr(key: str, language: str, **values: object) -> str:
    return CATALOGUE.text(key, language, **values)


def office_words(key: str, vietnamese: str, language: str) -> str:
    """The office's own footer or QR caption in ``language``, when a catalogue has it."""
    return CATALOGUE.word(key, vietnamese, language)
