"""The central view as a province's leader sees it, to docs/screenshots/ (not a test):

    .venv/bin/python -m tests.central_screenshots

A private PostgreSQL, the central server, five sites with two busy days each and
their heartbeats (one lost, one stopped), and chromium at a desktop's and a phone's
width; then the province's workbook of those days, its sheet comparing the sites as
LibreOffice prints it (needs ``libreoffice-calc`` and ``poppler-utils``), to
docs/screenshots/report/7-so-sanh-cac-diem.png.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import psycopg
from playwright.sync_api import sync_playwright

from shared.central import reports
from shared.central.ledger import add_site, publish, set_user
from shared.central.schema import migrate
from shared.core.config import parse_office
from shared.core.secret_hash import hash_secret
from shared.core.site_log import SiteAlert
from shared.server.central_link import read_after
from tests.browser import chromium_path
from tests.central.busy_days import FIRST_DAY, busy_days
from tests.central.test_central_reports import office_file
from tests.central.threaded import ThreadedCentral
from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parents[1]
def main(out: Path) -> int:
    postgres = PostgresServer()
    try:
        database = postgres.new_database()
        migrate(database)
        set_user(database, "anh-hung", hash_secret("screenshots"))
        with tempfile.TemporaryDirectory() as folder:
            central = ThreadedCentral(database, Path(folder))
            try:
                names = {"phuong-ben-nghe": "UBND Phường Bến Nghé",
                         "phuong-sai-gon": "UBND Phường Sài Gòn",
                         "phuong-tan-dinh": "UBND Phường Tân Định",
                         "xa-binh-an": "UBND Xã Bình An",
                         "trung-tam-tinh": "Trung tâm Phục vụ hành chính công tỉnh"}
                keys = {site: add_site(database, site, name) for site, name in names.items()}
                for n, site in enumerate(names):  # two busy days of each, as sent
                    for version in range(1 + 2 * (site in ("phuong-ben-nghe", "phuong-sai-gon"))):
                        publish(database, site, office_file(site, names[site]) + f"# {version}\n")
                    office = parse_office(office_file(site, names[site]), site)
                    days = busy_days(office, Path(folder) / site, n,
                                     citizens=400 if site == "trung-tam-tinh" else 60 + 25 * n)
                    central.send(keys[site], read_after(days, 0, 1_000_000))
                central.beat(keys["phuong-ben-nghe"], waiting=5, issued=64, served=55,
                             config_running=3)
                central.beat(keys["phuong-sai-gon"], waiting=12, issued=91, served=74,
                             alerts=[SiteAlert("long_wait", "Đất đai", 9, 48)],
                             config_running=2, config_pending=3)
                central.beat(keys["trung-tam-tinh"], waiting=23, issued=310, served=280,
                             alerts=[SiteAlert("no_counter", "Xây dựng", 4, 17)])
                central.beat(keys["phuong-tan-dinh"], waiting=2, issued=37, served=33)
                with psycopg.connect(database) as conn:  # one lost, one stopped
                    conn.execute("UPDATE sites SET heartbeat_at = now() - interval '2 hours' "
                                 "WHERE id = 'phuong-tan-dinh'")
                    conn.execute("UPDATE sites SET last_seq = 18240, broken_at = 18241, "
                                 "broken_reason = 'sự kiện 18241 không nối với sự kiện 18240' "
                                 "WHERE id = 'xa-binh-an'")
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=chromium_path(), args=["--no-sandbox", "--lang=vi-VN"],
                        env={**os.environ, "LANGUAGE": "vi", "LANG": "vi_VN.UTF-8"})
                    for name, viewport, scale in (("central-view.png", (1366, 640), 1),
                                                  ("central-view-phone.png", (360, 740), 2)):
                        context = browser.new_context(
                            viewport={"width": viewport[0], "height": viewport[1]},
                            device_scale_factor=scale, ignore_https_errors=True,
                            locale="vi-VN")
                        page = context.new_page()
                        page.goto(central.url + "/")
                        page.fill("input[name=name]", "anh-hung")
                        page.fill("input[name=password]", "screenshots")
                        page.click("button[type=submit]")
                        page.wait_for_selector("#site-phuong-ben-nghe")
                        page.screenshot(path=str(out / name), full_page=True)
                        print(out / name)
                        context.close()
                    browser.close()
                _comparison(database, Path(folder), out / "report")
            finally:
                central.stop()
    finally:
        postgres.stop()
    return 0


def _comparison(database: str, folder: Path, out: Path) -> None:
    book = folder / "tinh.xlsx"
    reports.export(database, [], FIRST_DAY, FIRST_DAY + timedelta(days=1), book,
                   FIRST_DAY + timedelta(days=2), "UBND tỉnh Mẫu")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    str(book)], check=True, capture_output=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(folder / "tinh.pdf"),
                    str(folder / "page")], check=True)
    out.mkdir(parents=True, exist_ok=True)
    last = sorted(folder.glob("page-*.png"))[-1]  # the comparison is the last sheet
    shutil.copy(last, out / "7-so-sanh-cac-diem.png")
    print(out / "7-so-sanh-cac-diem.png")


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
