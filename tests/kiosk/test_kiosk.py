"""The kiosk window against the real office server: a press gives one ticket that the
server confirms and that reaches a network printer on 127.0.0.1 as one complete ESC/POS
job; the menus, the priority path, the double-press guard, a broken printer, issuing
hours and the daily cap, and the VI/EN switch — all as a citizen would see them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.controller import Page, PrintState
from shared.cli.demo import free_port
from shared.core.office import NoOpenCounter, Office
from shared.printing.ticket_image import TicketPrint
from shared.qt.connection import ServerConnection
from tests.conftest import ThreadedServer, office_from_toml
from tests.kiosk.conftest import WAIT, EventWatcher, MakeKiosk, tap, waiting
from tests.kiosk.fake_printer import CUT, ESC_INIT, RASTER, FakePrinter
from tests.kiosk.rig import KioskRig

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def ticket_on_screen(qtbot: QtBot, rig: KioskRig, state: PrintState | None = None) -> str:
    """Wait for the confirmation (and the print outcome); the number shown."""

    def shown() -> None:
        assert rig.controller.page is Page.TICKET
        assert rig.window.ticket_page.isVisible()
        ticket = rig.controller.ticket
        assert ticket is not None
        assert state is None or ticket.print_state is state

    qtbot.waitUntil(shown, timeout=WAIT)
    return rig.window.ticket_page.number.text()


def menu_titles(rig: KioskRig) -> list[str]:
    return [b.title.text().replace("\u00a0", " ")  # no-break spaces keep phrases whole
            for b in rig.window.menu_page.buttons.values() if b.isVisible()]


def test_a_press_gives_a_ticket_the_server_confirms_printed_as_one_escpos_job(
    qtbot: QtBot, make_kiosk: MakeKiosk, server_thread: ThreadedServer,
    fake_printer: FakePrinter, counter_watcher: EventWatcher,
) -> None:
    # Counter 1 (services A and B) is open: the citizen is told they are next.
    rig = make_kiosk(printer_spec=f"network:127.0.0.1:{fake_printer.port}", width_dots=384)

    tap(qtbot, rig.window.menu_page.buttons["field:TP"])
    tap(qtbot, rig.window.menu_page.buttons["service:A"])
    number = ticket_on_screen(qtbot, rig, PrintState.PRINTED)

    assert number == "A001"
    assert "Bạn là người tiếp theo" in rig.texts()
    assert "Mời bạn nhận vé ở khe bên dưới" in rig.texts()
    assert waiting(server_thread, "A") == 1
    called = server_thread.request("counter", "call_next", counter=1)
    assert called["ticket"]["number"] == number  # the server issued exactly what we show

    qtbot.waitUntil(lambda: len(fake_printer.jobs) == 1, timeout=WAIT)
    job = fake_printer.jobs[0]
    assert job.startswith(ESC_INIT)
    assert job.count(ESC_INIT) == 1
    raster = job.index(RASTER)
    assert job[raster + 4:raster + 6] == (384 // 8).to_bytes(2, "little")  # 48 bytes a row
    assert job[-3:-1] == CUT  # GS V: the paper is cut after the whole ticket
    assert job.count(CUT) == 1


def test_a_double_press_gives_one_ticket(
    qtbot: QtBot, make_kiosk: MakeKiosk, server_thread: ThreadedServer,
) -> None:
    rig = make_kiosk()
    tap(qtbot, rig.window.menu_page.buttons["field:TP"])
    button = rig.window.menu_page.buttons["service:B"]

    button.click()
    button.click()  # the second tap lands before the answer
    first = ticket_on_screen(qtbot, rig, PrintState.NONE)
    QTest.mouseClick(rig.window.ticket_page, Qt.MouseButton.LeftButton)
    assert rig.controller.page is Page.TICKET  # the double tap does not close it either

    rig.controller.press_service("B")  # a press that reaches the kiosk late, say
    assert rig.window.ticket_page.number.text() == first == "B001"
    assert waiting(server_thread, "B") == 1


def test_the_next_citizen_gets_their_own_ticket_however_soon_they_press(
    qtbot: QtBot, make_kiosk: MakeKiosk, server_thread: ThreadedServer,
) -> None:
    # Issue 16: a second press on the same service within 3 s — the next person in
    # line, after the first took their ticket and closed the screen — was shown the
    # previous citizen's ticket, and nothing was issued.
    rig = make_kiosk()
    tap(qtbot, rig.window.menu_page.buttons["field:TP"])
    tap(qtbot, rig.window.menu_page.buttons["service:B"])
    assert ticket_on_screen(qtbot, rig) == "B001"

    rig.clock.advance(1.5)  # past the tap guard, well within the 3 s window
    QTest.mouseClick(rig.window.ticket_page, Qt.MouseButton.LeftButton)
    assert rig.controller.page is Page.MENU
    tap(qtbot, rig.window.menu_page.buttons["field:TP"])
    tap(qtbot, rig.window.menu_page.buttons["service:B"])
    qtbot.waitUntil(lambda: rig.window.ticket_page.number.text() == "B002", timeout=WAIT)
    assert waiting(server_thread, "B") == 2


def test_the_confirmation_returns_to_the_start_by_itself(
    qtbot: QtBot, make_kiosk: MakeKiosk, office: Office,
) -> None:
    quick = replace(office, kiosk=replace(office.kiosk, confirmation_seconds=0.3))
    rig = make_kiosk(office=quick)
    rig.controller.choose("field:XH")
    tap(qtbot, rig.window.menu_page.buttons["service:E"])
    ticket_on_screen(qtbot, rig)

    qtbot.waitUntil(lambda: rig.window.menu_page.isVisible(), timeout=WAIT)
    assert rig.window.menu_page.title.text() == "Mời chọn lĩnh vực cần giải quyết"


def test_a_printer_that_refuses_connections_still_gives_the_number_and_tells_the_counters(
    qtbot: QtBot, make_kiosk: MakeKiosk, counter_watcher: EventWatcher,
) -> None:
    port = free_port()  # nothing listens here: the printer is off
    rig = make_kiosk(printer_spec=f"network:127.0.0.1:{port}")
    qtbot.waitUntil(lambda: bool(counter_watcher.named("printer_fault")), timeout=WAIT)
    fault = counter_watcher.named("printer_fault")[0]
    assert fault["fault"] is True
    assert f"127.0.0.1:{port}" in fault["message"]
    assert rig.window.menu_page.printer_banner.isVisible()

    rig.controller.choose("field:DD")
    tap(qtbot, rig.window.menu_page.buttons["service:C"])
    number = ticket_on_screen(qtbot, rig, PrintState.FAILED)

    assert number == "C001"
    status = rig.window.ticket_page.print_status
    assert status.isVisible()
    assert status.text() == ("Máy in đang gặp sự cố —\n"
                             "vui lòng ghi nhớ số của bạn hoặc hỏi cán bộ")

    printer = FakePrinter(port)  # the printer is switched on again
    try:
        qtbot.waitUntil(lambda: any(e["fault"] is False
                                    for e in counter_watcher.named("printer_fault")),
                        timeout=WAIT)
        rig.controller.go_home()
        assert not rig.window.menu_page.printer_banner.isVisible()
        assert not rig.printer.fault
    finally:
        printer.close()


CLOSED_OFFICE = office_from_toml("""
[office]
id = "xa-gio-chieu"
name = "UBND Xã Giờ Chiều"

[[services]]
code = "A"
name = "Hộ tịch"
name_en = "Civil status"
hours = ["07:00-11:00", "13:00-16:30"]

[[services]]
code = "B"
name = "Chứng thực"
name_en = "Certification"
daily_cap = 1

[[counters]]
number = 1
services = ["A", "B"]
""")


def evening() -> datetime:
    return datetime(2026, 11, 23, 19, 30, tzinfo=HANOI)


@pytest.mark.parametrize(("office", "clock"), [(CLOSED_OFFICE, evening)], indirect=True)
def test_outside_issuing_hours_no_ticket_is_issued_and_the_screen_says_why(
    qtbot: QtBot, make_kiosk: MakeKiosk, server_thread: ThreadedServer,
) -> None:
    rig = make_kiosk()
    button = rig.window.menu_page.buttons["service:A"]  # no fields: services at once
    assert not button.isEnabled()
    assert button.detail.text() == "Ngoài giờ cấp số. Giờ cấp số: 07:00–11:00, 13:00–16:30."

    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert rig.controller.page is Page.MENU

    rig.controller.press_service("A")  # as if the screen were a minute behind the server
    qtbot.waitUntil(lambda: rig.controller.page is Page.NOTICE, timeout=WAIT)
    texts = rig.texts()
    assert "Ngoài giờ cấp số" in texts
    assert any("07:00–11:00" in text for text in texts)
    assert waiting(server_thread, "A") == 0

    rig.controller.toggle_language()
    assert "Outside issuing hours. Numbers are given 07:00–11:00, 13:00–16:30." in rig.texts()


@pytest.mark.parametrize(("office", "clock"), [(CLOSED_OFFICE, evening)], indirect=True)
def test_past_the_daily_cap_the_service_is_shown_closed(
    qtbot: QtBot, make_kiosk: MakeKiosk, server_thread: ThreadedServer,
) -> None:
    rig = make_kiosk()
    tap(qtbot, rig.window.menu_page.buttons["service:B"])
    assert ticket_on_screen(qtbot, rig) == "B001"
    rig.clock.advance(10)
    rig.controller.go_home()

    rig.controller.press_service("B")  # pressed before the screen caught up
    qtbot.waitUntil(lambda: rig.controller.page is Page.NOTICE, timeout=WAIT)
    assert "Đã hết số hôm nay" in rig.texts()
    rig.controller.go_home()
    button = rig.window.menu_page.buttons["service:B"]
    qtbot.waitUntil(lambda: not button.isEnabled(), timeout=WAIT)  # the refreshed snapshot
    assert "Đã hết số hôm nay" in button.detail.text()
    assert waiting(server_thread, "B") == 1


def test_the_two_level_menu_fields_then_services_and_back(
    qtbot: QtBot, make_kiosk: MakeKiosk,
    open_hall: list[ServerConnection],
) -> None:
    rig = make_kiosk()
    page = rig.window.menu_page
    assert page.title.text() == "Mời chọn lĩnh vực cần giải quyết"
    assert menu_titles(rig) == ["Tư pháp – Chứng thực", "Đất đai – Xây dựng",
                                "Xã hội – Cư trú"]
    assert page.priority.isVisible()
    assert not page.back.isVisible()

    tap(qtbot, page.buttons["field:DD"])
    assert page.title.text() == "Mời chọn dịch vụ"
    assert menu_titles(rig) == ["Đất đai – Địa chính", "Xây dựng"]
    assert [b.detail.text() for b in page.buttons.values()] == ["Đang chờ:\u00a00"] * 2
    assert page.back.isVisible()
    assert not page.priority.isVisible()

    tap(qtbot, page.back)
    assert len(menu_titles(rig)) == 3
    tap(qtbot, page.buttons["field:XH"])
    QTest.keyClick(rig.window, Qt.Key.Key_Escape)  # the keyboard goes back too
    assert page.title.text() == "Mời chọn lĩnh vực cần giải quyết"
    page.buttons["field:TP"].setFocus()
    QTest.keyClick(rig.window, Qt.Key.Key_Return)  # and chooses
    assert menu_titles(rig) == ["Tư pháp – Hộ tịch", "Chứng thực"]


def test_waiting_counts_follow_the_queue(
    qtbot: QtBot, make_kiosk: MakeKiosk, server_thread: ThreadedServer,
    open_hall: list[ServerConnection],
) -> None:
    rig = make_kiosk()
    rig.controller.choose("field:TP")
    detail = rig.window.menu_page.buttons["service:B"].detail
    assert detail.text() == "Đang chờ:\u00a00"

    for _ in range(3):
        server_thread.request("kiosk", "issue", service="B", client_id="kiosk-cua-phu")
    qtbot.waitUntil(lambda: detail.text() == "Đang chờ:\u00a03", timeout=WAIT)


def test_the_priority_path_issues_a_ticket_with_the_category(
    qtbot: QtBot, make_kiosk: MakeKiosk, server_thread: ThreadedServer,
    open_hall: list[ServerConnection],
) -> None:
    server_thread.request("kiosk", "issue", service="C", client_id="kiosk-cua-phu")
    rig = make_kiosk()
    page = rig.window.menu_page

    tap(qtbot, page.priority)
    assert page.title.text() == "Bạn thuộc đối tượng ưu tiên nào?"
    assert menu_titles(rig) == ["Người cao tuổi", "Người khuyết tật", "Phụ nữ mang thai",
                                "Người có công với cách mạng"]
    tap(qtbot, page.buttons["category:elderly"])
    assert page.banner.isVisible()
    assert page.banner.text() == "Ưu tiên: Người cao tuổi"
    assert len(menu_titles(rig)) == 6  # a short list: every service at once
    tap(qtbot, page.buttons["service:C"])
    number = ticket_on_screen(qtbot, rig)

    assert number == "C002"
    assert "Ưu tiên: Người cao tuổi" in rig.texts()
    assert "Bạn là người tiếp theo" in rig.texts()  # ahead of the ordinary C001
    called = server_thread.request("counter", "call_next", counter=3)
    assert called["ticket"]["number"] == number
    assert called["ticket"]["priority"] == "elderly"


def visible_words(rig: KioskRig) -> set[str]:
    """What a citizen reads, less what no language changes: names and numbers."""
    constant = {rig.controller.office_name, rig.window.header.clock_time.text(),
                rig.window.ticket_page.number.text()}
    return {text for text in rig.texts() if text not in constant}


def test_a_citizen_who_chose_english_takes_home_an_english_ticket(
    qtbot: QtBot, make_kiosk: MakeKiosk, fake_printer: FakePrinter,
    counter_watcher: EventWatcher,
) -> None:
    rig = make_kiosk(printer_spec=f"network:127.0.0.1:{fake_printer.port}", width_dots=384)
    sent: list[TicketPrint] = []
    print_ticket = rig.controller.printer.print_ticket

    def spied(paper: TicketPrint) -> None:
        sent.append(paper)
        print_ticket(paper)

    rig.controller.printer.print_ticket = spied  # type: ignore[method-assign]
    tap(qtbot, rig.window.header.language)
    tap(qtbot, rig.window.menu_page.buttons["field:TP"])
    tap(qtbot, rig.window.menu_page.buttons["service:A"])
    ticket_on_screen(qtbot, rig, PrintState.PRINTED)
    qtbot.waitUntil(lambda: len(fake_printer.jobs) == 1, timeout=WAIT)
    [paper] = sent
    assert (paper.language, paper.service_name) == ("en", "Justice – Civil status")
    assert paper.said("number") == "YOUR NUMBER"
    assert paper.ahead_line == "You are next"


def test_the_language_switch_changes_every_label(
    qtbot: QtBot, make_kiosk: MakeKiosk,
) -> None:
    rig = make_kiosk()
    switch = rig.window.header.language
    screens = [
        lambda: None,
        lambda: rig.controller.choose("field:TP"),
        lambda: rig.controller.choose("priority"),
        lambda: (rig.controller.choose("priority"), rig.controller.choose("category:merit")),
        lambda: rig.controller.press_service("A"),
    ]
    for index, go_there in enumerate(screens):
        rig.clock.advance(10)
        rig.controller.go_home(next_citizen=True)
        go_there()
        if index == len(screens) - 1:
            ticket_on_screen(qtbot, rig)
        vietnamese = visible_words(rig)
        assert switch.text() == "English"

        tap(qtbot, switch)
        english = visible_words(rig)
        assert switch.text() == "Tiếng Việt"
        assert len(english) == len(vietnamese), (vietnamese, english)
        assert not vietnamese & english, f"not translated: {vietnamese & english}"

        tap(qtbot, switch)
        assert visible_words(rig) == vietnamese
    assert "Your number" not in vietnamese


# --- a service that no counter serves right now (issue 16) ----------------------------


def test_a_service_nobody_serves_is_said_so_before_and_after_the_press(
    qtbot: QtBot, make_kiosk: MakeKiosk, server_thread: ThreadedServer,
) -> None:
    rig = make_kiosk()  # no counter program is connected
    tap(qtbot, rig.window.menu_page.buttons["field:TP"])
    button = rig.window.menu_page.buttons["service:A"]
    assert button.detail.text() == "Chưa có quầy phục vụ · chờ:\u00a00"
    assert button.isEnabled()  # the office's default: issue, and say so
    tap(qtbot, button)
    assert ticket_on_screen(qtbot, rig) == "A001"
    assert "Bạn là người tiếp theo" not in rig.texts()
    assert any("chưa có quầy nào phục vụ dịch vụ này" in text for text in rig.texts())

    # A counter that serves A opens: the kiosk knows at once.
    counter = ServerConnection("counter", "quay-1-mo", server_thread.secret, counter=1)
    with qtbot.waitSignal(counter.online, timeout=WAIT):
        counter.connect_to("127.0.0.1", server_thread.port)
    rig.controller.go_home()
    rig.controller.choose("field:TP")
    qtbot.waitUntil(lambda: rig.window.menu_page.buttons["service:A"].detail.text()
                    == "Đang chờ:\u00a01", timeout=WAIT)
    counter.close()
    counter.deleteLater()


def test_an_office_that_refuses_gives_no_number_for_a_service_nobody_serves(
    qtbot: QtBot, make_kiosk: MakeKiosk, office: Office, tmp_path: Path,
) -> None:
    strict = replace(office, kiosk=replace(office.kiosk, no_open_counter=NoOpenCounter.REFUSE))
    server = ThreadedServer(strict, tmp_path / "strict")
    try:
        rig = make_kiosk(office=strict, server=server)
        tap(qtbot, rig.window.menu_page.buttons["field:TP"])
        button = rig.window.menu_page.buttons["service:A"]
        assert not button.isEnabled()
        assert button.detail.text() == "Chưa có quầy nào phục vụ"
        # The server, the authority, refuses a kiosk that asks anyway.
        refused = server.request("kiosk", "issue", service="A")
        assert refused["code"] == "no_counter"
        assert "chưa có quầy nào phục vụ" in refused["message"]
        assert waiting(server, "A") == 0

        counter = ServerConnection("counter", "quay-2-mo", server.secret, counter=2)
        with qtbot.waitSignal(counter.online, timeout=WAIT):
            counter.connect_to("127.0.0.1", server.port)
        qtbot.waitUntil(lambda: rig.window.menu_page.buttons["service:A"].isEnabled(),
                        timeout=WAIT)
        tap(qtbot, rig.window.menu_page.buttons["service:A"])
        assert ticket_on_screen(qtbot, rig) == "A001"
        counter.close()
        counter.deleteLater()
    finally:
        server.stop()


def test_a_citizen_who_needs_help_reaches_the_counters_in_one_touch(
    qtbot: QtBot, make_kiosk: MakeKiosk, office: Office, counter_watcher: EventWatcher,
) -> None:
    # Issue 16: "Tôi cần hỗ trợ" alerts the counters, with where the kiosk stands.
    here = replace(office, kiosk=replace(office.kiosk, location="Sảnh tầng 1"))
    rig = make_kiosk(office=here)
    help_button = rig.window.menu_page.help
    assert help_button.text() == "Tôi cần hỗ trợ"
    tap(qtbot, help_button)
    assert rig.controller.page is Page.NOTICE
    assert "Đã báo cán bộ" in rig.texts()
    qtbot.waitUntil(lambda: bool(counter_watcher.named("help_requested")), timeout=WAIT)
    [asked] = counter_watcher.named("help_requested")
    assert asked["location"] == "Sảnh tầng 1"


def test_each_field_shows_its_pictogram_above_its_name(
    qtbot: QtBot, make_kiosk: MakeKiosk,
) -> None:
    rig = make_kiosk()  # 1920x1080; the sample office gives each field a pictogram
    for key in ("field:TP", "field:DD", "field:XH"):
        button = rig.window.menu_page.buttons[key]
        qtbot.waitUntil(lambda b=button: b.picture_rect() is not None, timeout=WAIT)
        where = button.picture_rect()
        assert where is not None
        assert where.width() >= 64  # large enough to recognise across the hall
        assert where.bottom() <= button.title.geometry().top()  # above the name, not on it
        image = button.grab().toImage()
        white = sum(1 for x in range(int(where.left()), int(where.right()), 2)
                    for y in range(int(where.top()), int(where.bottom()), 2)
                    if image.pixelColor(x, y).lightness() > 230)
        assert white > 20, f"{key}: no picture drawn"  # white strokes on the blue button
