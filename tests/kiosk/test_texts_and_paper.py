"""The kiosk's own words in both languages, and what it sends to the paper for a ticket
the server issued (names, local time, QR code, priority), rendered at the paper's width."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import msgspec
import pytest

from kiosk.texts import EN, VI, ahead_text, clock_parts, closed_text, keys, tr
from shared.core import wire
from shared.core.config import load_office
from shared.printing.printed_ticket import printed_ticket
from shared.printing.ticket_image import render_ticket

TICKET = msgspec.convert(
    {"number": "C002", "service": "C", "service_name": "Đất đai – Địa chính",
     "status": "waiting", "priority": "elderly",
     "issued_at": "2026-11-23T01:15:03.870000+00:00", "counter": None, "ahead": 3},
    wire.Ticket,
)


def test_every_text_exists_in_both_languages_and_differs() -> None:
    for key in keys():
        vietnamese, english = tr(key, VI), tr(key, EN)
        assert vietnamese.strip()
        assert english.strip()
        assert vietnamese != english, key


@pytest.mark.parametrize(("count", "vietnamese", "english"), [
    (0, "Bạn là người tiếp theo", "You are next"),
    (1, "Có 1 người đang chờ trước bạn", "1 person is waiting before you"),
    (12, "Có 12 người đang chờ trước bạn", "12 people are waiting before you"),
])
def test_people_ahead(count: int, vietnamese: str, english: str) -> None:
    assert ahead_text(count, VI) == vietnamese
    assert ahead_text(count, EN) == english


HOURS = (("07:00", "11:00"), ("13:00", "16:30"))


@pytest.mark.parametrize(("closed", "vietnamese", "english"), [
    (wire.Closed(kind="outside_hours", hours=HOURS, opens="13:00"),
     "Ngoài giờ cấp số. Giờ cấp số: 07:00–11:00, 13:00–16:30. Cấp số lại lúc 13:00.",
     "Outside issuing hours. Numbers are given 07:00–11:00, 13:00–16:30. "
     "Numbers again from 13:00."),
    (wire.Closed(kind="outside_hours", hours=(("07:30", "11:15"),)),
     "Ngoài giờ cấp số. Giờ cấp số: 07:30–11:15.",
     "Outside issuing hours. Numbers are given 07:30–11:15."),
    (wire.Closed(kind="cap_reached", cap=200),
     "Đã hết số hôm nay (tối đa 200 số). Mời quay lại ngày mai.",
     "No more numbers today (at most 200). Please come back tomorrow."),
    (wire.Closed(kind="not_today", days=(0, 1, 2, 3, 4)),
     "Hôm nay không cấp số. Ngày cấp số: Thứ Hai, Thứ Ba, Thứ Tư, Thứ Năm, Thứ Sáu.",
     "No numbers are issued today. Numbers are given on Monday, Tuesday, Wednesday, "
     "Thursday, Friday."),
    (None, "Tạm ngừng cấp số.", "Not issuing numbers now."),
])
def test_why_a_service_is_closed_is_worded_from_the_servers_code(
    closed: wire.Closed | None, vietnamese: str, english: str
) -> None:
    assert closed_text(closed, VI) == vietnamese
    assert closed_text(closed, EN) == english


def test_the_clock_names_the_day_in_the_chosen_language() -> None:
    monday = datetime(2026, 11, 23, 8, 5)
    assert clock_parts(monday, VI) == ("08:05", "Thứ Hai, 23/11/2026")
    assert clock_parts(monday, EN) == ("08:05", "Monday, 23/11/2026")


def test_the_paper_ticket_from_the_servers_ticket() -> None:
    office = load_office()
    office = replace(office, printer=replace(
        office.printer, qr_url="https://tra-cuu.example.vn/{office}/{service}?so={number}",
        footer="Vui lòng chờ đến lượt"))

    paper = printed_ticket(TICKET, office, office_name="UBND Phường Mẫu",
                           category_name="Người cao tuổi")

    assert paper.number == "C002"
    assert paper.service_name == "Đất đai – Địa chính"
    assert paper.office_name == "UBND Phường Mẫu"
    assert paper.ahead == 3
    assert paper.issued_at.utcoffset() == timedelta(hours=7)  # the office's own time
    assert paper.issued_at.strftime("%d/%m/%Y %H:%M") == "23/11/2026 08:15"
    assert paper.qr == "https://tra-cuu.example.vn/phuong-mau/C?so=C002"
    assert paper.priority_label == "Ưu tiên: Người cao tuổi"
    assert paper.footer == "Vui lòng chờ đến lượt"
    assert render_ticket(paper, 384).width == 384


def test_an_ordinary_ticket_has_no_priority_line_and_no_qr_unless_configured() -> None:
    paper = printed_ticket(msgspec.structs.replace(TICKET, priority=None), load_office())
    assert paper.priority_label is None
    assert paper.qr is None
    assert paper.office_name == "UBND Phường Mẫu"


def test_the_paper_ticket_in_the_citizen_s_language() -> None:
    office = load_office()  # the default footer and QR caption
    office = replace(office, printer=replace(office.printer, qr_url="https://x.vn/?so={number}"))
    english = printed_ticket(TICKET, office, category_name="Elderly", language=EN,
                             service_name="Land – Cadastre")
    assert (english.service_name, english.priority_label) == ("Land – Cadastre",
                                                              "Priority: Elderly")
    assert english.said("number") == "YOUR NUMBER"
    assert english.ahead_line == "People before you: 3"
    assert english.footer_text == "Please wait for your turn"
    assert english.qr_caption_text == "Scan to follow your turn"
    paged = printed_ticket(TICKET, load_office(), language=EN, page="http://10.0.0.5:8765/t/x")
    assert paged.qr == "http://10.0.0.5:8765/t/x?lang=en"  # the page opens in English
    vietnamese = printed_ticket(TICKET, office, category_name="Người cao tuổi")
    assert vietnamese.said("number") == "SỐ THỨ TỰ"
    assert vietnamese.ahead_line == "Số người chờ trước bạn: 3"
    assert render_ticket(english, 384).tobytes() != render_ticket(vietnamese, 384).tobytes()

    # An office's own footer is printed as the office wrote it, in every language.
    own = replace(office, printer=replace(office.printer, footer="Giữ vé đến khi xong việc"))
    assert printed_ticket(TICKET, own, language=EN).footer_text == "Giữ vé đến khi xong việc"
