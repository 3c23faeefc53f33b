"""The central view as a province's leader sees it, to docs/screenshots/ (not a test):

    .venv/bin/python -m tests.central_screenshots

A private PostgreSQL, the central server, five sites with their heartbeats (one lost,
one stopped), and chromium at a desktop's and a phone's width.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import psycopg
from playwright.sync_api import sync_playwright

from shared.central.ledger import add_site, publish, set_user
from shared.central.schema import migrate
from shared.core.secret_hash import hash_secret
from shared.core.site_log import SiteAlert
from tests.browser import chromium_path
from tests.central.threaded import ThreadedCentral
from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parents[1]
OWN = """[office]
id = "{site}"
name = "UBND {site}, bản {n}"

[[services]]
code = "A"
name = "Hộ tịch"
name_en = "Civil status"

[[counters]]
number = 1
services = ["A"]
"""


def main(out: Path) -> int:
    postgres = PostgresServer()
    try:
        database = postgres.new_database()
        migrate(database)
        set_user(database, "anh-hung", hash_secret("screenshots"))
        with tempfile.TemporaryDirectory() as folder:
            central = ThreadedCentral(database, Path(folder))
            try:
                keys = {site: add_site(database, site, name) for site, name in (
                    ("phuong-ben-nghe", "UBND Phường Bến Nghé"),
                    ("phuong-sai-gon", "UBND Phường Sài Gòn"),
                    ("phuong-tan-dinh", "UBND Phường Tân Định"),
                    ("xa-binh-an", "UBND Xã Bình An"),
                    ("trung-tam-tinh", "Trung tâm Phục vụ hành chính công tỉnh"))}
                for site in ("phuong-ben-nghe", "phuong-sai-gon"):
                    for n in range(3):  # three versions of each site's own file
                        publish(database, site, OWN.format(site=site, n=n))
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
                    conn.execute("UPDATE sites SET last_seq = 2 * 431 * 30 WHERE last_seq = 0")
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=chromium_path(), args=["--no-sandbox"])
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
            finally:
                central.stop()
    finally:
        postgres.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
