"""The central view in a real browser (issue 19, part 4): the province's leader signs
in, sees every site with its hall now, and the table follows each site's heartbeat
without reloading."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from shared.central.ledger import add_site, remove_user, set_user
from shared.core.config import load_office
from shared.core.secret_hash import hash_secret
from shared.core.site_log import SiteAlert
from shared.server.central_link import read_after
from tests.browser import browser  # noqa: F401  (a fixture)
from tests.central.busy_days import FIRST_DAY, busy_days
from tests.central.threaded import ThreadedCentral

PASSWORD = "mật khẩu của anh Hùng"
WAIT_MS = 10_000  # a bound, not a pause


@pytest.fixture
def central(central_db: str, tmp_path: Path) -> Iterator[ThreadedCentral]:
    set_user(central_db, "anh-hung", hash_secret(PASSWORD))
    threaded = ThreadedCentral(central_db, tmp_path / "central")
    yield threaded
    threaded.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 800},
                                  ignore_https_errors=True, locale="vi-VN")
    yield context.new_page()
    context.close()


def sign_in(page: Page, central: ThreadedCentral, password: str = PASSWORD) -> None:
    page.goto(central.url + "/")
    page.fill("input[name=name]", "anh-hung")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_the_province_sees_every_site_and_each_heartbeat_without_reloading(
        central: ThreadedCentral, central_db: str, page: Page) -> None:
    one = add_site(central_db, "phuong-ben-nghe", "UBND Phường Bến Nghé")
    add_site(central_db, "xa-binh-an", "UBND Xã Bình An")
    central.beat(one, waiting=5, issued=40, served=30)

    page.goto(central.url + "/")
    expect(page.locator("#sites")).to_have_count(0)
    assert page.request.get(central.url + "/events").status == 401
    sign_in(page, central, "không phải mật khẩu")
    expect(page.get_by_role("alert")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")

    sign_in(page, central)
    [cookie] = page.context.cookies()
    assert (cookie["name"], cookie["secure"], cookie["httpOnly"], cookie["sameSite"]) == (
        "motcua_central", True, True, "Strict")
    ben_nghe, binh_an = page.locator("#site-phuong-ben-nghe"), page.locator("#site-xa-binh-an")
    expect(ben_nghe).to_contain_text("UBND Phường Bến Nghé")
    expect(ben_nghe.locator(".waiting")).to_have_text("5")
    expect(ben_nghe).to_contain_text("13 phút")
    expect(ben_nghe).to_contain_text("40 / 30 / 1")
    expect(ben_nghe).to_contain_text("giây trước")
    expect(ben_nghe.locator(".satisfied")).to_have_text("50% của 2 lượt")
    expect(binh_an).to_contain_text("Chưa liên lạc")
    expect(page.locator("#province-waiting")).to_have_text("5")
    page.evaluate("window.loadedOnce = true")  # gone if the page were reloaded

    central.beat(one, waiting=7, issued=44, served=31,
                 alerts=[SiteAlert("no_counter", "Đất đai", 3, 20)])
    expect(ben_nghe.locator(".waiting")).to_have_text("7", timeout=WAIT_MS)
    expect(ben_nghe.locator(".alert")).to_have_text(
        "⚠ Đất đai: 3 người chờ, không có quầy mở")
    expect(page.locator("#province-waiting")).to_have_text("7")
    assert page.evaluate("window.loadedOnce") is True

    page.click("a[hreflang=en]")
    expect(ben_nghe).to_contain_text("Đất đai: 3 waiting, no counter open")
    expect(page.get_by_role("columnheader", name="Longest wait")).to_be_visible()


def test_an_account_removed_on_the_server_is_signed_out_at_once(
        central: ThreadedCentral, central_db: str, page: Page) -> None:
    sign_in(page, central)
    expect(page.locator("#sites")).to_be_visible()
    assert remove_user(central_db, "anh-hung")
    page.reload()
    expect(page.locator("input[name=password]")).to_be_visible()
    assert page.request.get(central.url + "/events").status == 401


def test_the_province_downloads_the_report_of_the_sites_it_chooses(
        central: ThreadedCentral, central_db: str, page: Page, tmp_path: Path) -> None:
    for seed, (site, name) in enumerate((("phuong-mot", "UBND Phường Một"),
                                         ("phuong-hai", "UBND Phường Hai")), start=1):
        key = add_site(central_db, site, name)
        database = busy_days(load_office(), tmp_path / site, seed, citizens=30)
        central.send(key, read_after(database, 0, 100_000))
    sign_in(page, central)
    reports = page.locator("#reports")
    reports.get_by_label("Từ ngày").fill(FIRST_DAY.isoformat())
    reports.get_by_label("Đến ngày").fill(FIRST_DAY.isoformat())
    reports.get_by_label("UBND Phường Hai").check()
    with page.expect_download() as one:
        reports.get_by_role("button", name="Tải báo cáo").click()
    assert one.value.suggested_filename == f"bao-cao-{FIRST_DAY}-{FIRST_DAY}.xlsx"
    one.value.save_as(tmp_path / "one.xlsx")
    book = openpyxl.load_workbook(tmp_path / "one.xlsx")
    assert book["Theo dịch vụ"]["A1"].value == "UBND PHƯỜNG HAI"
    assert "So sánh các điểm" not in book.sheetnames  # one site: its own report

    # Both sites under the province's name; the choices stay as they were.
    reports.get_by_label("UBND Phường Một").check()
    reports.get_by_label("Đơn vị lập báo cáo nhiều điểm").fill("UBND tỉnh Mẫu")
    with page.expect_download() as both:
        reports.get_by_role("button", name="Tải báo cáo").click()
    both.value.save_as(tmp_path / "both.xlsx")
    book = openpyxl.load_workbook(tmp_path / "both.xlsx")
    assert book["Theo dịch vụ"]["A1"].value == "UBND TỈNH MẪU"
    names = [row[1] for row in book["So sánh các điểm"].iter_rows(values_only=True)]
    assert "UBND Phường Hai" in names
    assert "UBND Phường Một" in names

    # A period that ends before it starts: said on the page, the form as it was.
    reports.get_by_label("Từ ngày").fill("2026-12-01")
    reports.get_by_label("Đến ngày").fill("2026-11-01")
    reports.get_by_role("button", name="Tải báo cáo").click()
    expect(page.locator("#reports [role=alert]")).to_have_text(
        "Ngày kết thúc đứng trước ngày bắt đầu.")
    expect(reports.get_by_label("UBND Phường Một")).to_be_checked()
    expect(reports.get_by_label("Đơn vị lập báo cáo nhiều điểm")).to_have_value("UBND tỉnh Mẫu")
    # A year and a day is too long; signed out, the form leads to the sign-in.
    reports.get_by_label("Từ ngày").fill("2025-11-29")
    reports.get_by_label("Đến ngày").fill("2026-11-30")
    reports.get_by_role("button", name="Tải báo cáo").click()
    expect(page.locator("#reports [role=alert]")).to_have_text(
        "Một báo cáo dài nhất 366 ngày: hãy chọn kỳ ngắn hơn.")
    page.context.clear_cookies()
    reports.get_by_role("button", name="Tải báo cáo").click()
    expect(page.locator("input[name=password]")).to_be_visible()
    assert "2025-11-29" not in page.content()
