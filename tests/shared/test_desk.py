"""The leader's desk in a real browser (issue 12, parts 3 and 4): Debian's chromium,
driven by Playwright, against a real server over HTTPS on 127.0.0.1."""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, time, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from shared.core.booking import Booking, BookingRules
from shared.core.config import load_office
from shared.core.office import Office, Official
from shared.core.secret_hash import hash_secret
from shared.server.booking_book import BookingBook
from shared.server.desk_tls import CA_FILE
from tests.browser import browser  # noqa: F401  (a fixture)
from tests.conftest import ThreadedServer

PASSWORD = "mật khẩu của chị Lan"
AN = Official("nguyen-van-an", "Nguyễn Văn An", "Chuyên viên")
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
WAIT_MS = 5_000  # a bound, not a pause
ALERT_MS = 15_000  # the clock's own changes are looked at every few seconds


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(ZONE).replace(hour=9, minute=0, second=0, microsecond=0)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def office() -> Office:
    base = load_office()
    return replace(base, officials=(AN,), services=tuple(
        replace(s, wait_threshold_minutes=5) if s.code == "A" else s for s in base.services))


@pytest.fixture
def desk(office: Office, data_dir: Path, clock: Clock) -> Iterator[ThreadedServer]:
    threaded = ThreadedServer(office, data_dir, clock, desk_port=0)
    threaded.server.devices.set_user("chi-lan", "leader", hash_secret(PASSWORD), datetime.now())
    yield threaded
    threaded.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 900},
                                  ignore_https_errors=True, locale="vi-VN")
    yield context.new_page()
    context.close()


def url(desk: ThreadedServer, path: str = "/desk") -> str:
    return f"https://127.0.0.1:{desk.server.desk_port}{path}"


def sign_in(page: Page, desk: ThreadedServer, password: str = PASSWORD) -> None:
    page.goto(url(desk))
    page.fill("input[name=name]", "chi-lan")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_only_a_signed_in_leader_sees_the_desk_and_the_cookie_stays_secret(
        desk: ThreadedServer, page: Page) -> None:
    page.goto(url(desk))
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.locator("#live")).to_have_count(0)
    # Without a session, neither the stream nor a report.
    for path in ("/desk/events", "/desk/report?from=2026-12-01&to=2026-12-01"):
        assert page.request.get(url(desk, path)).status == 401

    sign_in(page, desk, "not the password")
    expect(page.get_by_role("alert")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    assert not page.context.cookies()

    sign_in(page, desk)
    expect(page.locator("#live")).to_contain_text("Quầy 1")
    [cookie] = page.context.cookies()
    assert (cookie["name"], cookie["secure"], cookie["httpOnly"], cookie["sameSite"]) == (
        "motcua_desk", True, True, "Strict")
    assert len(cookie["value"]) >= 40

    page.get_by_role("button", name="Đăng xuất (chi-lan)").click()
    expect(page.locator("input[name=password]")).to_be_visible()
    assert page.request.get(url(desk, "/desk/events")).status == 401


def test_a_new_call_and_a_threshold_alert_appear_without_reloading(
        desk: ThreadedServer, page: Page, clock: Clock) -> None:
    desk.request("kiosk", "issue", service="A", client_id="kiosk-1")
    sign_in(page, desk)
    live = page.locator("#live")
    expect(live.locator("#waiting")).to_have_text("1")
    expect(page.locator(".alert.no_counter")).to_contain_text(
        "1 người đang chờ nhưng không có quầy nào mở")  # no counter program is connected
    page.evaluate("window.loadedOnce = true")  # gone if the page were reloaded

    desk.request("counter", "call_next", counter=1)
    expect(live.locator("#counter-1")).to_contain_text("Đang phục vụ A001", timeout=WAIT_MS)
    expect(live.locator("#waiting")).to_have_text("0")

    desk.request("counter", "done", counter=1)
    served = desk.server.service.state.by_number("A001")
    assert served is not None

    async def rate() -> object:
        return desk.server._rate(served.id, 3, [])  # as the ticket's page does

    assert desk.call(rate) is None
    expect(live.locator("#ratings")).to_contain_text("Rất hài lòng1100 %", timeout=WAIT_MS)

    desk.request("kiosk", "issue", service="A", client_id="kiosk-2")
    clock.now += timedelta(minutes=7)  # A002 has waited past A's 5 minutes
    expect(page.locator(".alert").first).to_contain_text(
        "lâu nhất đã chờ 7 phút (ngưỡng 5 phút)", timeout=ALERT_MS)
    assert page.evaluate("window.loadedOnce") is True


def test_the_report_downloads_as_the_same_workbook(desk: ThreadedServer, page: Page,
                                                   tmp_path: Path, clock: Clock) -> None:
    desk.request("kiosk", "issue", service="B", client_id="kiosk-1")
    sign_in(page, desk)
    day = clock.now.date().isoformat()
    page.fill("input[name=from]", day)
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Tải về").click()
    saved = tmp_path / downloading.value.suggested_filename
    downloading.value.save_as(saved)
    assert saved.name == f"bao-cao-{day}-{day}.xlsx"
    book = openpyxl.load_workbook(saved)
    assert book["Theo dịch vụ"]["A1"].value == "UBND PHƯỜNG MẪU"
    bad = page.request.get(url(desk, f"/desk/report?from={day}&to=2000-01-01"))
    assert bad.status == 400
    assert "Ngày không đúng" in bad.text()


def test_the_desk_is_https_only_and_its_authority_is_offered_to_trust(
        desk: ThreadedServer, data_dir: Path) -> None:
    plain = f"http://127.0.0.1:{desk.port}"
    with urllib.request.urlopen(f"{plain}/desk-ca.crt") as response:
        assert response.read() == (data_dir / CA_FILE).read_bytes()
    # The certificate the desk serves is signed by that authority, for 127.0.0.1.
    trusting = ssl.create_default_context(cafile=str(data_dir / CA_FILE))
    with urllib.request.urlopen(url(desk), context=trusting) as response:
        assert "Đăng nhập" in response.read().decode()
    with pytest.raises((urllib.error.URLError, ConnectionError)):  # not plain HTTP
        urllib.request.urlopen(f"http://127.0.0.1:{desk.server.desk_port}/desk", timeout=5)
    # http://SERVER:8765/desk, as a leader may type it, leads to the desk.
    opener = urllib.request.build_opener(_NoRedirect())
    with pytest.raises(urllib.error.HTTPError) as moved:
        opener.open(f"{plain}/desk")
    assert moved.value.headers["Location"] == url(desk)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _Lines:
    def __init__(self, text: str) -> None:
        self._lines = iter(text.splitlines(keepends=True))

    def readline(self) -> str:
        return next(self._lines, "")


def test_motcua_user_adds_lists_and_removes_accounts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from shared.cli.main import main
    from shared.core.secret_hash import matches
    from shared.server.devices import DeviceRegistry

    data = tmp_path / "data"
    data.mkdir()

    def user(*words: str, stdin: str = "") -> tuple[int, str]:
        monkeypatch.setattr("sys.stdin", _Lines(stdin))
        code = main(["user", *words, "--data-dir", str(data)])
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    code, said = user("add", "chi-lan", "--password-stdin", stdin="ngắn\n")
    assert code == 2
    assert "ít nhất 10 ký tự" in said
    code, said = user("add", "chi lan", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 2
    assert "không có dấu cách" in said
    code, said = user("add", "chi-lan", "--role", "leader", "--password-stdin",
                      stdin=PASSWORD + "\n")
    assert code == 0
    assert "đăng nhập được vào bàn làm việc của lãnh đạo" in said
    registry = DeviceRegistry(data)
    account = registry.user("chi-lan")
    registry.close()
    assert account is not None
    assert account.role == "leader"
    assert PASSWORD not in account.hash
    assert matches(PASSWORD, account.hash)
    code, said = user("list")
    assert "chi-lan" in said
    assert "lãnh đạo (leader)" in said
    assert user("remove", "chi-lan")[0] == 0
    code, said = user("remove", "chi-lan")
    assert code == 2
    assert "Không có tài khoản" in said


def test_the_audit_of_a_day_in_the_browser(desk: ThreadedServer, page: Page,
                                           clock: Clock) -> None:
    day = clock.now.date().isoformat()
    assert page.request.get(url(desk, f"/desk/audit?day={day}")).status == 401
    desk.request("kiosk", "issue", service="A", client_id="kiosk-1")
    desk.request("counter", "call", counter=1, number="A001", reason="giấy hẹn trả kết quả")
    sign_in(page, desk)
    page.fill("input[name=day]", day)
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_role("status")).to_have_text(
        "Đạt: nhật ký nguyên vẹn, mọi lượt gọi đúng quy tắc.")
    expect(page.locator("pre")).to_contain_text("Chuỗi niêm phong: nguyên vẹn")
    expect(page.locator("pre")).to_contain_text("quầy 1 gọi A001, lý do: “giấy hẹn trả kết quả”")


def test_an_admin_gives_a_new_pin_and_signs_an_official_out_from_the_desk(
        desk: ThreadedServer, page: Page) -> None:
    from shared.core import pin
    from shared.core.secret_hash import matches
    from tests.office_client import OfficeClient, credential

    devices = desk.server.devices
    devices.set_user("anh-quan-tri", "admin", hash_secret(PASSWORD), datetime.now())
    sign_in(page, desk)  # chi-lan is a leader: no officials' page for her
    assert page.get_by_role("link", name="Cán bộ tại quầy").count() == 0
    assert page.request.get(url(desk, "/desk/officials")).status == 403
    page.get_by_role("button", name="Đăng xuất (chi-lan)").click()

    page.fill("input[name=name]", "anh-quan-tri")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("link", name="Cán bộ tại quầy").click()
    row = page.locator(f"#official-{AN.id}")
    expect(row).to_contain_text("chưa có")
    row.get_by_label(f"Mã PIN mới {AN.name}").fill("1357")
    row.get_by_label("Nhập lại").fill("1358")
    row.get_by_role("button", name="Đặt mã PIN").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Hai lần nhập mã PIN không giống nhau; không thay đổi gì.")
    assert devices.pin_hash(AN.id) is None
    row = page.locator(f"#official-{AN.id}")
    row.get_by_label(f"Mã PIN mới {AN.name}").fill("1357")
    row.get_by_label("Nhập lại").fill("1357")
    row.get_by_role("button", name="Đặt mã PIN").click()
    expect(page.get_by_role("status")).to_have_text("Đã đặt mã PIN mới.")
    stored = devices.pin_hash(AN.id)
    assert stored is not None
    assert matches("1357", stored)

    async def sign_an_in() -> None:
        async with OfficeClient.connect(desk.url, credential("counter", desk.secret),
                                        "counter", "quay-2", 2) as counter:
            sealed = pin.seal(counter.key, counter.client_id, AN.id, "1357")
            assert (await counter.request("sign_in", official=AN.id, pin=sealed))["type"] == "ok"

    desk.call(sign_an_in)
    page.reload()
    page.locator(f"#official-{AN.id}").get_by_role(
        "button", name="Đăng xuất khỏi quầy 2").click()
    expect(page.get_by_role("status")).to_have_text("Đã đăng xuất cán bộ khỏi quầy.")
    assert desk.server.service.state.counter_state(2).official is None


def test_guessing_is_slowed_even_when_sent_all_at_once_and_locks_out_nobody_else(
        desk: ThreadedServer, page: Page) -> None:
    import asyncio

    import aiohttp

    async def burst(local: str, password: str, count: int) -> list[int]:
        connector = aiohttp.TCPConnector(ssl=False, local_addr=(local, 0))
        async with aiohttp.ClientSession(connector=connector) as http:
            async def one() -> int:
                async with http.post(url(desk, "/desk/login"), allow_redirects=False,
                                     data={"name": "chi-lan", "password": password}) as reply:
                    return reply.status
            return list(await asyncio.gather(*(one() for _ in range(count))))

    async def guesses() -> list[int]:
        return await burst("127.0.0.2", "guess", 30)

    statuses = desk.call(guesses, timeout=60)
    assert statuses.count(401) <= 5  # the rest were told to wait
    assert statuses.count(429) >= 25
    # The leader, from her own PC, is not locked out by someone else's guessing.
    sign_in(page, desk)
    expect(page.locator("#live")).to_contain_text("Quầy 1")

    # A new password for the account ends the sessions opened with the old one.
    desk.server.devices.set_user("chi-lan", "leader", hash_secret("một mật khẩu mới hẳn"),
                                 datetime.now())
    page.reload()
    expect(page.locator("input[name=password]")).to_be_visible()


def test_a_long_vietnamese_office_name_still_gets_its_certificate(tmp_path: Path) -> None:
    from shared.server.desk_tls import own_certificate

    made = own_certificate(tmp_path, "Trung tâm Phục vụ hành chính công tỉnh Quảng Ngãi",
                           ["192.168.1.10", "server.lan"])
    made.context()  # loads
    first, trusted = made.certificate.read_bytes(), made.fingerprint()
    assert len(trusted.split(":")) == 32
    own_certificate(tmp_path, "x", ["192.168.1.10", "server.lan"])
    assert made.certificate.read_bytes() == first  # kept: it names them already
    moved = own_certificate(tmp_path, "x", ["192.168.1.77"])  # a new address: re-signed
    assert moved.certificate.read_bytes() != first
    assert moved.fingerprint() == trusted  # by the same authority: nobody trusts again


def test_a_call_for_help_and_a_printer_fault_reach_the_live_view(
        desk: ThreadedServer, page: Page) -> None:
    sign_in(page, desk)
    alerts = page.locator(".alerts")
    desk.request("kiosk", "help", location="Sảnh tầng 1", client_id="kiosk-sanh")
    expect(alerts).to_contain_text("Công dân cần hỗ trợ tại Sảnh tầng 1.", timeout=WAIT_MS)
    desk.request("kiosk", "printer_fault", fault=True, message="Máy in hết giấy",
                 client_id="kiosk-sanh")
    expect(alerts).to_contain_text("Máy in ở máy cấp số kiosk-sanh gặp sự cố: Máy in hết giấy.",
                                   timeout=WAIT_MS)
    desk.request("counter", "help_answered", counter=2, kiosk="kiosk-sanh")
    expect(alerts).not_to_contain_text("cần hỗ trợ", timeout=WAIT_MS)
    desk.request("kiosk", "printer_fault", fault=False, client_id="kiosk-sanh")
    expect(alerts).not_to_contain_text("Máy in", timeout=WAIT_MS)


def test_an_admin_revokes_a_device_and_assigns_a_display_to_a_hall(
        data_dir: Path, clock: Clock, page: Page) -> None:
    from shared.core.office import Area
    from tests.office_client import OfficeClient, UnauthorizedError, credential

    halls = (Area("tang-1", "Tầng 1 — Khu A", "Floor 1", (1, 2)),
             Area("tang-2", "Tầng 2 — Khu B", "Floor 2", (3, 4)))
    threaded = ThreadedServer(replace(load_office(), halls=halls), data_dir, clock, desk_port=0)
    try:
        devices = threaded.server.devices
        devices.set_user("anh-quan-tri", "admin", hash_secret(PASSWORD), datetime.now())

        async def enrol_a_tv_and_a_kiosk() -> object:
            async with OfficeClient.connect(threaded.url, threaded.secret, "display", "tv-a",
                                            speaks=True) as tv, \
                    OfficeClient.connect(threaded.url, credential("kiosk", threaded.secret),
                                         "kiosk", "kiosk-a"):
                return tv.welcome.get("hall")  # a TV that names no hall

        assert threaded.call(enrol_a_tv_and_a_kiosk) is None
        page.goto(url(threaded))
        page.fill("input[name=name]", "anh-quan-tri")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.get_by_role("link", name="Thiết bị").click()
        tv_row = page.locator("#device-tv-a")
        expect(tv_row).to_contain_text("màn hình")
        tv_row.locator("select[name=hall]").select_option("tang-2")
        tv_row.get_by_role("button", name="Gán").click()
        expect(page.get_by_role("status")).to_contain_text("Đã gán khu vực")
        assert devices.device("tv-a").hall == "tang-2"  # type: ignore[union-attr]

        async def tv_again() -> tuple[object, object]:
            key = devices.key_of("display", "tv-a")
            assert key is not None
            async with OfficeClient.connect(threaded.url, threaded.secret, "display", "tv-a",
                                            key=key, speaks=True) as tv:
                return tv.welcome.get("hall"), tv.snapshot["speakers"]

        assert threaded.call(tv_again) == ("tang-2", {"tang-2": "tv-a"})

        page.locator("#device-kiosk-a").get_by_role("button", name="Thu hồi").click()
        expect(page.get_by_role("status")).to_contain_text("Đã thu hồi: thiết bị bị ngắt kết nối")
        expect(page.locator("#device-kiosk-a")).to_contain_text("đã thu hồi lúc")

        async def kiosk_again() -> None:
            async with OfficeClient.connect(threaded.url, credential("kiosk", threaded.secret),
                                            "kiosk", "kiosk-a"):
                pass

        with pytest.raises(UnauthorizedError):
            threaded.call(kiosk_again)
    finally:
        threaded.stop()


def test_the_days_bookings_are_on_the_live_view(
        office: Office, data_dir: Path, clock: Clock, page: Page) -> None:
    booked = replace(office, services=tuple(
        replace(s, bookings=BookingRules(early_minutes=240, late_minutes=240))
        if s.code == "A" else s for s in office.services))
    day = clock.now.date()
    book = BookingBook(data_dir)
    book.take([Booking("HEN1", "A", day, time(9, 30), time(9, 50)),
               Booking("HEN2", "A", day, time(10, 0), time(10, 20))], booked, clock.now)
    book.close()
    threaded = ThreadedServer(booked, data_dir, clock, desk_port=0)
    try:
        threaded.server.devices.set_user("chi-lan", "leader", hash_secret(PASSWORD),
                                         datetime.now())
        assert threaded.request("kiosk", "check_in", code="HEN1")["type"] == "ticket"
        sign_in(page, threaded)
        expect(page.locator("#bookings")).to_contain_text("Lịch hẹn: đã đến / đã đặt")
        expect(page.locator("#bookings")).to_contain_text("1 / 2")
    finally:
        threaded.stop()


def test_an_admin_runs_the_province_s_waiting_configuration_now(
        office: Office, data_dir: Path, clock: Clock, page: Page) -> None:
    from shared.server.central_config import ConfigBundles

    bundles = ConfigBundles(data_dir, office)
    text = resources.files("shared.core").joinpath("default_office.toml").read_text("utf-8")
    published = text[:text.index("[server]")].replace(
        'name = "UBND Phường Mẫu"', 'name = "UBND Phường Mẫu (bản của tỉnh)"')
    assert bundles.take(4, published) == ""
    threaded = ThreadedServer(office, data_dir, clock, desk_port=0, bundles=bundles)
    try:
        threaded.server.devices.set_user("anh-quan-tri", "admin", hash_secret(PASSWORD),
                                         datetime.now())
        page.goto(url(threaded))
        page.fill("input[name=name]", "anh-quan-tri")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.get_by_role("link", name="Cấu hình của tỉnh").click()
        expect(page.locator("#running")).to_have_text(
            "Điểm đang chạy tệp cấu hình của chính điểm.")
        waiting = page.locator("#waiting")
        expect(waiting).to_contain_text("Bản 4 chờ áp dụng từ đầu ngày làm việc sau")
        waiting.get_by_text("Toàn bộ tệp cấu hình của bản 4").click()
        expect(waiting.locator("pre")).to_contain_text('name = "UBND Phường Mẫu (bản của tỉnh)"')

        # A newer version arrives while the page is open: the button shown runs nothing.
        assert bundles.take(5, published.replace("(bản của tỉnh)", "(bản 5)")) == ""
        page.get_by_role("button", name="Áp dụng bản 4 ngay").click()
        expect(page.get_by_role("alert")).to_contain_text("Chưa áp dụng gì.")
        assert not threaded.server.ended.is_set()

        page.get_by_role("button", name="Áp dụng bản 5 ngay").click()
        expect(page.get_by_role("status")).to_have_text(
            "Đang khởi động lại với bản 5: tải lại trang sau vài giây.")
        assert threaded.server.ended.is_set()
        assert threaded.server.restart_for_config  # `motcua serve` starts again with it
        assert bundles.effective().name == "UBND Phường Mẫu (bản 5)"

        # Once a province version runs, the next one is shown as what it changes.
        assert bundles.take(6, published.replace("(bản của tỉnh)", "(bản 6)")) == ""
        page.goto(url(threaded, "/desk/config"))
        expect(page.locator("#running")).to_have_text("Điểm đang chạy bản 5 do tỉnh phát hành.")
        expect(page.locator("#waiting .remove")).to_have_text(
            ['-name = "UBND Phường Mẫu (bản 5)"'])
        expect(page.locator("#waiting .add")).to_have_text(['+name = "UBND Phường Mẫu (bản 6)"'])
    finally:
        threaded.stop()


def test_the_province_s_configuration_page_is_an_admin_s(desk: ThreadedServer,
                                                        page: Page) -> None:
    sign_in(page, desk)  # chị Lan is a leader
    expect(page.get_by_role("link", name="Cấu hình của tỉnh")).to_have_count(0)
    assert page.request.get(url(desk, "/desk/config")).status == 404  # no [central] here


def test_a_version_that_strands_a_waiting_citizen_waits_for_the_next_day(
        office: Office, data_dir: Path, clock: Clock, page: Page) -> None:
    from shared.server.central_config import ConfigBundles

    bundles = ConfigBundles(data_dir, office)
    text = resources.files("shared.core").joinpath("default_office.toml").read_text("utf-8")
    start = text.index('[[services]]\ncode = "F"')
    without_f = (text[:start] + text[text.index("[[counters]]", start):text.index("[server]")]
                 ).replace('services = ["E", "F", "B"]', 'services = ["E", "B"]')
    assert bundles.take(7, without_f) == ""
    threaded = ThreadedServer(office, data_dir, clock, desk_port=0, bundles=bundles)
    try:
        devices = threaded.server.devices
        devices.set_user("anh-quan-tri", "admin", hash_secret(PASSWORD), datetime.now())
        devices.set_user("chi-lan", "leader", hash_secret(PASSWORD), datetime.now())
        ticket = threaded.request("kiosk", "issue", service="F", client_id="kiosk-1")
        number = ticket["ticket"]["number"]

        # A leader is not an admin: neither the page nor its button.
        sign_in(page, threaded)
        expect(page.get_by_role("link", name="Cấu hình của tỉnh")).to_have_count(0)
        assert page.request.get(url(threaded, "/desk/config")).status == 403
        assert page.request.post(url(threaded, "/desk/config/run"),
                                 form={"version": "7"}).status == 403
        page.context.clear_cookies()

        page.goto(url(threaded))
        page.fill("input[name=name]", "anh-quan-tri")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        assert page.request.post(url(threaded, "/desk/config/run"), form={"version": "7"},
                                 headers={"Origin": "https://elsewhere.example"}).status == 403
        page.goto(url(threaded, "/desk/config"))
        page.get_by_role("button", name="Áp dụng bản 7 ngay").click()
        expect(page.get_by_role("alert")).to_contain_text(
            f"Bản 7 không còn quầy phục vụ các số đang chờ: {number}.")
        assert not threaded.server.ended.is_set()
        assert bundles.pending == 7  # still waiting for the next day
    finally:
        threaded.stop()
