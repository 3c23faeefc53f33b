"""The leader's desk as a browser shows it: ``python -m tests.desk_screenshots [DIR]``.

A real server (the sample office, with three officials and a 20-minute threshold for
civil status) on 127.0.0.1 with its desk over HTTPS: yesterday's work, then this
morning's — two counters with officials signed in (their PINs sealed as the counter
program does), one paused, a service nobody serves — and headless Chromium at phone
width (360 CSS pixels) and at 1920 × 1080; also the sign-in page, and counter 1's
rating tablet (pairing, resting, asking). Writes PNGs to DIR (default
docs/screenshots/desk).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.async_api import Page, async_playwright

from shared.core import pin
from shared.core.config import load_office
from shared.core.office import Official
from shared.core.secret_hash import hash_secret
from shared.server.server import OfficeServer
from tests.browser import PHONE, chromium_path
from tests.office_client import OfficeClient, add_test_admins, credential

OFFICIALS = (Official("nguyen-van-an", "Nguyễn Văn An", "Chuyên viên"),
             Official("tran-thi-binh", "Trần Thị Bình", "Chuyên viên"),
             Official("le-hoang-nam", "Lê Hoàng Nam", "Công chức Tư pháp"))


async def shoot(page: Page, path: Path) -> None:
    await page.screenshot(path=str(path), full_page=True)
    print(f"{path} ({path.stat().st_size // 1024} KiB)")


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    base = load_office()
    office = replace(base, officials=OFFICIALS, services=tuple(
        replace(s, wait_threshold_minutes=20) if s.code == "A" else s for s in base.services))
    zone = ZoneInfo(office.timezone)
    today = datetime.now(zone).replace(hour=8, minute=0, second=0, microsecond=0)
    clock = [today - timedelta(days=1)]
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)

        async def started() -> OfficeServer:
            server = OfficeServer(office, data, "127.0.0.1", 0, advertise=False,
                                  clock=lambda: clock[0], desk_port=0)
            await server.start()
            add_test_admins(server.devices, office.id)
            return server

        def later(minutes: float) -> None:
            clock[0] += timedelta(minutes=minutes)

        server = await started()
        for official in OFFICIALS[:2]:
            server.devices.set_pin(official.id, pin.hash_pin("2468"), datetime.now())
        server.devices.set_user("chi-lan", "leader", hash_secret("mật khẩu của chị Lan"),
                                datetime.now())

        def client(role: str, counter: int | None = None) -> OfficeClient:
            name = f"{role}-{counter}" if counter else role
            return OfficeClient.connect(server.url, credential(role, server.secret), role,
                                        name, counter)

        async with client("admin") as kiosk, client("counter", 1) as one:  # yesterday
            for service in "ABABAAB" * 3:  # an admin issues as fast as a script asks
                await kiosk.request("issue", service=service)
                later(2)
            for _ in range(14):
                await one.request("call_next")
                later(6)
            await one.request("done")
        await server.stop()

        clock[0] = today
        server = await started()
        try:
            async with client("admin") as kiosk, client("counter", 1) as one, \
                    client("counter", 2) as two, client("counter", 4) as four, \
                    async_playwright() as playwright:
                for counter, official in ((one, OFFICIALS[0]), (two, OFFICIALS[1])):
                    sealed = pin.seal(counter.key, counter.client_id, official.id, "2468")
                    await counter.request("sign_in", official=official.id, pin=sealed)
                for service in "AABACBAAEBAACAB":
                    await kiosk.request("issue", service=service)
                    later(1.5)
                for minutes in (5, 7, 4, 6):
                    await one.request("call_next")
                    await two.request("call_next")
                    later(minutes)
                await four.request("pause")
                later(12)
                browser = await playwright.chromium.launch(
                    executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
                address = f"https://127.0.0.1:{server.desk_port}/desk"
                for name, viewport, scale in (("desk-desktop", {"width": 1920, "height": 1080},
                                               1), ("desk-phone", PHONE, 2)):
                    context = await browser.new_context(
                        viewport=viewport, device_scale_factor=scale, locale="vi-VN",
                        ignore_https_errors=True, is_mobile=scale > 1)
                    page = await context.new_page()
                    await page.goto(address)
                    if name == "desk-desktop":
                        await page.fill("input[name=name]", "chi-lan")
                        await page.fill("input[name=password]", "sai mật khẩu")
                        await page.click("button[type=submit]")
                        await shoot(page, out / "desk-sign-in.png")
                    await page.fill("input[name=name]", "chi-lan")
                    await page.fill("input[name=password]", "mật khẩu của chị Lan")
                    await page.click("button[type=submit]")
                    await page.wait_for_selector("#live .alert")
                    await shoot(page, out / f"{name}.png")
                    await context.close()
                # The rating tablet of counter 1, paired, then woken by its "done".
                context = await browser.new_context(
                    viewport={"width": 1024, "height": 640}, locale="vi-VN",
                    ignore_https_errors=True)
                page = await context.new_page()
                await page.goto(f"https://127.0.0.1:{server.desk_port}/rate")
                await shoot(page, out / "rate-pair.png")
                await page.select_option("select[name=counter]", "1")
                await page.fill("input[name=code]", server.secret)
                await page.click("button[type=submit]")
                await page.wait_for_selector("#screen")
                await shoot(page, out / "rate-idle.png")
                await one.request("done")
                await page.wait_for_selector("#screen .level")
                await shoot(page, out / "rate-asking.png")
                await context.close()
                await browser.close()
        finally:
            await server.stop()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1
                     else Path(__file__).resolve().parents[1] / "docs" / "screenshots" / "desk"))
