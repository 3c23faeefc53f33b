"""The link to the server as the official sees it: online, offline, a restart, pairing,
and what the server passes on from elsewhere (a kiosk's printer fault)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from counter.queue_state import Action
from shared.core.link import Link
from shared.core.office import Office
from shared.server.server import OfficeServer
from tests.conftest import ThreadedServer
from tests.counter.conftest import WAIT, OpenCounter

Issue = Callable[..., str]
WRONG_CODE = "K7QH-3MXP-9RTA-WC2D"


def test_a_server_restart_shows_offline_then_recovers_with_the_current_ticket(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue, server_thread: ThreadedServer,
    office: Office, data_dir: Path,
) -> None:
    counter = open_counter(1)
    window = counter.window
    issue("A")
    issue("A")
    counter.call_next("A001")
    assert window.link.text() == "●  Đã kết nối"

    server_thread.call(server_thread.server.stop)
    qtbot.waitUntil(lambda: counter.controller.link is Link.OFFLINE, timeout=WAIT)

    assert window.link.text() == "●  Mất kết nối"
    assert window.link.property("state") == "offline"
    assert window.offline.isVisible()
    assert "Các nút tạm khoá" in window.offline.text()
    assert "Mất kết nối với máy chủ" in counter.status()
    assert counter.shown_number() == "A001"  # what the official last knew stays
    assert not any(button.isEnabled() for action, button in window.buttons.items()
                   if action is not Action.SET_ASIDE)
    counter.key(Qt.Key.Key_F1)
    assert not counter.controller.busy  # the key did nothing: nothing was sent

    # The same office, data and port: the PC that runs the server was restarted.
    restarted = OfficeServer(office, data_dir, "127.0.0.1", server_thread.port,
                             advertise=False)
    server_thread.call(restarted.start)
    server_thread.server = restarted  # stopped after the test
    qtbot.waitUntil(lambda: counter.controller.link is Link.ONLINE, timeout=WAIT)

    assert window.link.text() == "●  Đã kết nối"
    assert not window.offline.isVisible()
    assert "Đã kết nối lại với máy chủ" in counter.status()
    assert counter.shown_number() == "A001"
    assert window.buttons[Action.DONE].isEnabled()
    counter.click(Action.RECALL)  # the restarted server knows who is at the counter
    assert window.ticket.note.text() == "Đã gọi lại 1 lần"
    counter.call_next("A002")


def test_the_pairing_code_is_asked_for_when_refused_and_remembered(
    qtbot: QtBot, open_counter: OpenCounter, server_thread: ThreadedServer
) -> None:
    asked: list[str] = []
    remembered: list[str] = []

    def ask(parent: QWidget | None, problem: str) -> str | None:
        asked.append(problem)
        return server_thread.secret.lower()  # as a person might type it

    def remember(code: str) -> str:
        remembered.append(code.upper())
        return code.upper()

    counter = open_counter(1, secret=WRONG_CODE, online=False, ask_code=ask,
                           remember_code=remember)
    counter.program.start(("127.0.0.1", server_thread.port))
    qtbot.waitUntil(lambda: counter.controller.link is Link.ONLINE, timeout=WAIT)

    assert len(asked) == 1
    assert asked[0].startswith("Máy chủ từ chối kết nối: Sai mã ghép nối.")
    assert remembered == [server_thread.secret]
    assert counter.window.buttons[Action.CALL_NEXT].isEnabled()


def test_without_a_pairing_code_the_window_says_so_and_can_ask_again(
    qtbot: QtBot, open_counter: OpenCounter, server_thread: ThreadedServer
) -> None:
    answers: list[str | None] = [None, server_thread.secret]

    counter = open_counter(1, secret="", online=False,
                           ask_code=lambda parent, problem: answers.pop(0),
                           remember_code=lambda code: code)
    counter.program.start(("127.0.0.1", server_thread.port), have_code=False)
    qtbot.waitUntil(lambda: counter.controller.link is Link.REFUSED, timeout=WAIT)

    assert counter.window.link.text() == "●  Chưa ghép nối — nhập mã"
    assert "Chưa có mã ghép nối" in counter.status()
    assert not counter.window.buttons[Action.CALL_NEXT].isEnabled()
    counter.window.link.click()
    qtbot.waitUntil(lambda: counter.controller.link is Link.ONLINE, timeout=WAIT)
    assert answers == []


def test_a_kiosk_printer_fault_is_shown_until_the_kiosk_says_it_works_again(
    qtbot: QtBot, open_counter: OpenCounter, server_thread: ThreadedServer
) -> None:
    counter = open_counter(1)
    banner = counter.window.banner
    assert not banner.isVisible()

    server_thread.request("kiosk", "printer_fault", fault=True, message="Máy in hết giấy",
                          client_id="kiosk-sanh-chinh")
    qtbot.waitUntil(banner.isVisible, timeout=WAIT)
    assert banner.text() == ("⚠  Máy in của máy cấp số kiosk-sanh-chinh gặp sự cố: Máy in hết "
                             "giấy. Công dân vẫn nhận số trên màn hình.")

    server_thread.request("kiosk", "printer_fault", fault=False, client_id="kiosk-sanh-chinh")
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=WAIT)


def test_today_at_this_counter_counts_served_absent_and_the_mean_time(
    qtbot: QtBot, open_counter: OpenCounter, issue: Issue
) -> None:
    first, second = open_counter(1), open_counter(2)
    for _ in range(4):
        issue("A")
    first.call_next("A001")
    first.call_next("A002")  # finishes A001
    first.click(Action.DONE)
    second.call_next("A003")
    second.click(Action.ABSENT)
    first.call_next("A004")
    first.click(Action.ABSENT)

    today = first.window.today
    assert (today.served.text(), today.absent.text()) == ("2", "1")
    assert today.average.text().endswith("giây")  # seconds, in a test
    assert (second.window.today.served.text(), second.window.today.absent.text()) == ("0", "1")

    later = open_counter(1)  # a restart of the counter program: the server's figures
    assert (later.window.today.served.text(), later.window.today.absent.text()) == ("2", "1")
    assert [t.number for t in later.controller.set_aside()] == ["A003", "A004"]


def test_a_counter_of_another_office_says_so_and_asks_for_no_code(
    qtbot: QtBot, open_counter: OpenCounter, server_thread: ThreadedServer
) -> None:
    asked: list[str] = []
    counter = open_counter(1, online=False, office_id="xa-binh-an",
                           ask_code=lambda parent, problem: asked.append(problem))
    counter.program.start(("127.0.0.1", server_thread.port))

    qtbot.waitUntil(lambda: counter.controller.link is Link.WRONG_OFFICE, timeout=WAIT)
    assert "Sai văn phòng" in counter.window.findChild(QPushButton, "link").text()
    assert "xa-binh-an" in counter.status()
    assert "UBND Phường Mẫu" in counter.status()
    assert f"127.0.0.1:{server_thread.port}" in counter.status()
    assert asked == []


def test_every_counter_sees_citizens_that_no_counter_serves(
    qtbot: QtBot, open_counter: OpenCounter, issue: Callable[..., str],
) -> None:
    # Issue 16: a number for a service nobody serves waits for nothing; the officials
    # must see it. Counter 1 serves A and B; C is counter 3's, which is not open.
    one = open_counter(1)
    issue("C")
    issue("C")
    banner = one.window.banner
    qtbot.waitUntil(banner.isVisible, timeout=WAIT)
    assert banner.text() == "⚠  2 công dân đang chờ Đất đai – Địa chính: chưa có quầy nào phục vụ."
    three = open_counter(3)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=WAIT)
    three.window.buttons[Action.PAUSE].click()  # counter 3 pauses: nobody serves C again
    qtbot.waitUntil(banner.isVisible, timeout=WAIT)
    assert "2 công dân đang chờ" in banner.text()


def test_a_call_for_help_shows_on_every_counter_until_one_official_goes(
    qtbot: QtBot, open_counter: OpenCounter, server_thread: ThreadedServer,
) -> None:
    one, two = open_counter(1), open_counter(2)
    server_thread.request("kiosk", "help", location="Sảnh tầng 1", client_id="kiosk-sanh")
    for counter in (one, two):
        qtbot.waitUntil(lambda c=counter: c.window.banner.isVisible(), timeout=WAIT)
        assert ("Công dân cần hỗ trợ tại Sảnh tầng 1 — bấm vào đây khi bạn đến."
                in counter.window.banner.text())
    qtbot.mouseClick(two.window.banner, Qt.MouseButton.LeftButton)  # counter 2 goes
    for counter in (one, two):
        qtbot.waitUntil(lambda c=counter: not c.window.banner.isVisible(), timeout=WAIT)
