"""Checking in with a booking at the kiosk (issue 15, part 2): the code typed on the
large keys, or a scanner's keystrokes; and each refusal said in plain words. A whole
kiosk against the real server, whose booking book holds the bookings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.controller import Page
from shared.core.booking import Booking
from shared.server.booking_book import BookingBook
from tests.conftest import ThreadedServer, office_from_toml
from tests.kiosk.conftest import WAIT, MakeKiosk, tap
from tests.kiosk.rig import KioskRig
from tests.kiosk.test_spoken_guidance import HeardPlayer, SaidEngine, needs_espeak

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 12, 3)

OFFICE = office_from_toml("""
[office]
id = "phuong-hen"
name = "UBND Phường Hẹn"

[[services]]
code = "A"
name = "Hộ tịch"
name_en = "Civil status"

[services.bookings]
early_minutes = 30
late_minutes = 15

[[services]]
code = "B"
name = "Chứng thực"
name_en = "Certification"

[[counters]]
number = 1
services = ["A", "B"]
""")


def nine() -> datetime:
    return datetime(2026, 12, 3, 9, 0, tzinfo=HANOI)


def booking(code: str, slot: time, day: date = TODAY) -> Booking:
    end = (datetime.combine(day, slot) + timedelta(minutes=20)).time()
    return Booking(code, "A", day, slot, end, name="Lê Văn Cường")


@pytest.fixture
def booked(server_thread: ThreadedServer, data_dir: Path) -> None:
    book = BookingBook(data_dir)
    book.take([booking("HEN0910", time(9, 10)), booking("HEN0800", time(8, 0)),
               booking("HEN1200", time(12, 0)), booking("HEN1000", time(9, 20)),
               booking("HEN0920", time(9, 20), TODAY + timedelta(days=2))],
              server_thread.server.office, nine())
    book.close()


def key(page: object, text: str) -> QPushButton:
    keys = [b for b in page.keys_box.currentWidget().findChildren(QPushButton)  # type: ignore[attr-defined]
            if b.text() == text]
    assert keys, f"no key {text!r} on the keypad"
    return keys[0]


def ticket_shown(qtbot: QtBot, rig: KioskRig) -> str:
    qtbot.waitUntil(lambda: rig.controller.page is Page.TICKET, timeout=WAIT)
    return rig.window.ticket_page.number.text()


pytestmark = pytest.mark.parametrize(("office", "clock"), [(OFFICE, nine)], indirect=True)


def test_a_code_typed_on_the_keys_gives_the_appointment_its_number(
        qtbot: QtBot, make_kiosk: MakeKiosk, booked: None) -> None:
    rig = make_kiosk()
    start = rig.window.menu_page.buttons["booking"]
    assert start.title.text().replace("\u00a0", " ") == "Tôi đã đặt lịch / có số trực tuyến"
    tap(qtbot, start)
    page = rig.window.check_in_page
    assert rig.controller.page is Page.CHECK_IN
    assert page.title.text() == "Nhập mã đặt lịch"
    assert not page.submit.isEnabled()  # nothing typed yet
    tap(qtbot, key(page, "ABC"))
    for letter in "HEN":
        tap(qtbot, key(page, letter))
    tap(qtbot, key(page, "123"))
    for digit in "0919":
        tap(qtbot, key(page, digit))
    tap(qtbot, key(page, "⌫  Xoá"))  # a slip corrected
    assert key(page, "⌫  Xoá").accessibleName() == "Xoá"
    tap(qtbot, key(page, "0"))
    assert page.code.text() == "HEN0 910"
    tap(qtbot, page.submit)

    assert ticket_shown(qtbot, rig) == "A001"
    assert rig.window.ticket_page.booking.text() == "Lịch hẹn 09:10: bạn được gọi từ 09:10"


def test_a_scanners_keystrokes_check_in_from_the_start_screen(
        qtbot: QtBot, make_kiosk: MakeKiosk, booked: None,
        server_thread: ThreadedServer) -> None:
    rig = make_kiosk()
    # A booking's QR holding an address: typed by the scanner in one burst, then Enter.
    QTest.keyClicks(rig.window, "https://dvc.example.vn/lich-hen?ma=HEN0910")
    QTest.keyClick(rig.window, Qt.Key.Key_Return)
    assert ticket_shown(qtbot, rig) == "A001"
    ticket = server_thread.server.service.state.by_number("A001")
    assert ticket is not None
    assert (ticket.booking, ticket.appointment) == ("HEN0910", True)
    assert rig.controller.page is Page.TICKET  # the digits in it chose no service

    # A person's key on the start screen still chooses, as the guidance says.
    rig.controller.go_home(next_citizen=True)
    QTest.keyClick(rig.window, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: rig.controller.page is Page.TICKET, timeout=WAIT)
    assert rig.window.ticket_page.number.text() == "A002"
    assert rig.window.ticket_page.booking.isHidden()  # an ordinary number


def test_each_refusal_says_why_in_plain_words(qtbot: QtBot, make_kiosk: MakeKiosk,
                                            booked: None) -> None:
    rig = make_kiosk()
    page = rig.window.check_in_page

    def scan(code: str) -> None:
        rig.controller.go_home(next_citizen=True)
        QTest.keyClicks(rig.window, code)
        QTest.keyClick(rig.window, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: rig.controller.page in (Page.NOTICE, Page.CHECK_IN,
                                                        Page.TICKET)
                        and rig.controller.page is not Page.ISSUING, timeout=WAIT)

    def said() -> str:
        qtbot.waitUntil(lambda: rig.controller.page is Page.NOTICE, timeout=WAIT)
        return (f"{rig.window.notice_page.title.text()} | "
                f"{rig.window.notice_page.body.text()}")

    scan("HEN9999")  # no such code: back on the keys, the code there to be corrected
    qtbot.waitUntil(lambda: page.problem.isVisible(), timeout=WAIT)
    assert rig.controller.page is Page.CHECK_IN
    assert page.code.text() == "HEN9 999"
    assert page.problem.text() == ("Không tìm thấy mã HEN9999. Kiểm tra lại mã, hoặc hỏi "
                                   "cán bộ.")

    scan("HEN0920")
    assert said() == "Chưa lấy được số | Lịch hẹn của bạn là ngày 05/12/2026, không phải " \
                     "hôm nay."
    scan("HEN1200")
    assert said() == "Chưa lấy được số | Bạn đến sớm. Mời quay lại lúc 11:30 để lấy số."
    scan("HEN0800")  # an hour late: an ordinary number instead, and it says so
    assert ticket_shown(qtbot, rig) == "A001"
    assert rig.window.ticket_page.booking.text() == ("Bạn đến muộn so với lịch hẹn nên "
                                                     "nhận số thường.")
    scan("HEN0800")
    assert said() == ("Chưa lấy được số | Mã này đã được dùng lúc 09:00. Số của bạn là "
                      "A001.")
    rig.controller.toggle_language()
    assert rig.window.notice_page.body.text() == "This code was used at 09:00. Your number " \
                                                 "is A001."


@needs_espeak
def test_the_check_in_page_is_read_aloud_with_why_a_code_was_refused(
        qtbot: QtBot, make_kiosk: MakeKiosk, booked: None) -> None:
    engine, player = SaidEngine(), HeardPlayer()
    rig = make_kiosk(speech=lambda language: engine, player=player)
    rig.controller.toggle_guidance()
    qtbot.waitUntil(lambda: len(engine.said) == 1, timeout=WAIT)
    assert "Số 3: Tôi đã đặt lịch / có số trực tuyến." in engine.said[0]
    QTest.keyClick(rig.window, Qt.Key.Key_3)  # chosen by its number, as it was read
    qtbot.waitUntil(lambda: len(engine.said) == 2, timeout=WAIT)
    assert engine.said[1] == ("Nhập mã đặt lịch. Gõ mã bằng các phím bên dưới, hoặc đưa mã "
                              "QR vào máy quét.")
    rig.controller.scanned("HEN9999")
    qtbot.waitUntil(lambda: len(engine.said) >= 3 and "Không tìm thấy" in engine.said[-1],
                    timeout=WAIT)
    assert engine.said[-1].startswith("Nhập mã đặt lịch. Không tìm thấy mã HEN9999.")


def test_a_key_held_down_is_one_press_not_a_scan(
        qtbot: QtBot, make_kiosk: MakeKiosk, booked: None,
        server_thread: ThreadedServer) -> None:
    rig = make_kiosk()
    press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier, "1")
    QApplication.sendEvent(rig.window, press)
    for _ in range(6):  # the keyboard repeats a held key every 30-40 ms
        held = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier,
                         "1", True)
        QApplication.sendEvent(rig.window, held)
    qtbot.waitUntil(lambda: rig.controller.page is Page.TICKET, timeout=WAIT)
    assert rig.window.ticket_page.number.text() == "A001"  # the first service, once
    assert server_thread.server.service.state.last_sequence == {"A": 1}
