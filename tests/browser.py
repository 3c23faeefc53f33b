"""A real browser for the citizen's pages: Debian's chromium, driven by Playwright.

The README's set-up installs chromium; without it the tests fail and say so, rather
than skip: a page nobody has opened in a browser is not tested.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

PHONE = {"width": 360, "height": 740}  # a small Android phone, in CSS pixels


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    pytest.fail("chromium is not installed: run the README's set-up (bash bootstrap.sh test)")


@pytest.fixture
def browser() -> Iterator[Browser]:
    # Not shared across tests: Playwright's sync API keeps an event loop running in this
    # thread while it is open, and every asyncio test after it would then fail.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A new tab the size of a phone, in a private context of its own."""
    context: BrowserContext = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
        locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()
