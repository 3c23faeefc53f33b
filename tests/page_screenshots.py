"""The citizen's pages as a phone shows them: ``python -m tests.page_screenshots [DIR]``.

A real server (the sample office) on 127.0.0.1, a kiosk and two counters as protocol
clients, and headless Chromium at 360 × 740 CSS pixels (a small Android phone, drawn at
twice the density): waiting, called (in Vietnamese and English), the rating, the
reasons after a low one, the thanks; and the paper ticket with its QR, as the printer
gets it. Writes PNGs to DIR (default docs/screenshots/pages).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import msgspec
from playwright.async_api import Page, async_playwright

from shared.core import wire
from shared.core.config import load_office
from shared.printing.printed_ticket import printed_ticket
from shared.printing.ticket_image import render_ticket
from shared.server.server import OfficeServer
from tests.browser import PHONE, chromium_path
from tests.office_client import OfficeClient, add_test_admins, credential


async def shoot(page: Page, path: Path) -> None:
    await page.screenshot(path=str(path), full_page=True)
    print(f"{path} ({path.stat().st_size // 1024} KiB)")


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    office = load_office()
    with tempfile.TemporaryDirectory() as folder:
        server = OfficeServer(office, Path(folder), "127.0.0.1", 0, advertise=False)
        await server.start()
        add_test_admins(server.devices, office.id)

        def client(role: str, counter: int | None = None) -> OfficeClient:
            name = f"{role}-{counter}" if counter else role
            return OfficeClient.connect(server.url, credential(role, server.secret), role,
                                        name, counter)

        try:
            async with client("kiosk") as kiosk, client("counter", 1) as one, \
                    client("counter", 2) as two, async_playwright() as playwright:
                for _ in range(3):
                    await kiosk.request("issue", service="B")
                reply = await kiosk.request("issue", service="A")
                await two.request("call_next")
                address = str(reply["page"])
                ticket = msgspec.convert(reply["ticket"], wire.Ticket)
                paper = render_ticket(printed_ticket(ticket, office, page=address), 512)
                paper.save(out / "paper-ticket-qr.png")
                browser = await playwright.chromium.launch(
                    executable_path=chromium_path(), args=["--no-sandbox"])
                phone = await (await browser.new_context(
                    viewport=PHONE, device_scale_factor=2, is_mobile=True)).new_page()
                await phone.goto(address)
                await shoot(phone, out / "ticket-waiting.png")
                for _ in range(2):
                    await one.request("call_next")
                    await one.request("done")
                await one.request("call_next")
                await phone.wait_for_selector(".urgent")
                await shoot(phone, out / "ticket-called.png")
                await phone.goto(address + "?lang=en")
                await shoot(phone, out / "ticket-called-en.png")
                await phone.goto(address)
                await one.request("done")
                await phone.wait_for_selector(".levels")
                await shoot(phone, out / "ticket-rate.png")
                await phone.click("text=Không hài lòng")
                await phone.check("input[value=cho_lau]")
                await shoot(phone, out / "ticket-rate-why.png")
                await phone.click(".send")
                await phone.wait_for_selector("#rating [role=status]")
                await shoot(phone, out / "ticket-thanks.png")
                await browser.close()
        finally:
            await server.stop()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots/pages")))
