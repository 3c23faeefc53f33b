"""A counter's rating tablet in a real browser (issue 13, part 3): enrolled with the
pairing code over HTTPS, woken by its counter's "done" with the number and the
official, one rating, and never another counter's citizen."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from shared.core import pin
from shared.core.config import load_office
from shared.core.events import EventKind
from shared.core.office import Office
from tests.browser import browser  # noqa: F401  (a fixture)
from tests.conftest import ThreadedServer
from tests.office_client import OfficeClient, credential
from tests.shared.test_desk import AN, Clock, clock, desk  # noqa: F401  (fixtures)

WAIT_MS = 5_000  # a bound, not a pause


@pytest.fixture
def office(tmp_path: Path) -> Office:
    """The sample office with Nguyễn Văn An, and a photo of him beside the office file."""
    photo = tmp_path / "anh" / "an.png"
    photo.parent.mkdir()
    Image.new("RGB", (96, 96), (40, 110, 180)).save(photo)
    return replace(load_office(), officials=(replace(AN, photo=str(photo)),))
TABLET = {"width": 1024, "height": 700}


@pytest.fixture
def tablets(browser: Browser) -> Iterator[tuple[Page, Page]]:  # noqa: F811
    contexts = [browser.new_context(viewport=TABLET, ignore_https_errors=True, locale="vi-VN")
                for _ in range(2)]
    yield contexts[0].new_page(), contexts[1].new_page()
    for context in contexts:
        context.close()


def address(desk: ThreadedServer, path: str = "/rate") -> str:  # noqa: F811
    return f"https://127.0.0.1:{desk.server.desk_port}{path}"


def pair(tablet: Page, desk: ThreadedServer, counter: int, code: str) -> None:  # noqa: F811
    tablet.goto(address(desk))
    tablet.select_option("select[name=counter]", str(counter))
    tablet.fill("input[name=code]", code)
    tablet.click("button[type=submit]")


def test_each_tablet_rates_only_its_own_counter_s_citizen_once(
        desk: ThreadedServer, tablets: tuple[Page, Page], clock: Clock) -> None:  # noqa: F811
    one, two = tablets
    pair(one, desk, 1, "AAAA-BBBB-CCCC-DDDD")
    expect(one.get_by_role("alert")).to_contain_text("Sai mã ghép nối")
    pair(one, desk, 1, desk.secret.lower().replace("-", " "))  # typed loosely: still right
    expect(one.locator("#screen")).to_contain_text("Quầy 1")
    expect(one.locator("#screen")).to_contain_text("Xin cảm ơn quý công dân")
    [cookie] = one.context.cookies()
    assert (cookie["secure"], cookie["httpOnly"], cookie["sameSite"]) == (True, True, "Strict")
    pair(two, desk, 2, desk.secret)
    expect(two.locator("#screen")).to_contain_text("Quầy 2")
    tablets_listed = [d for d in desk.server.devices.devices() if d.role == "rating"]
    assert sorted(d.acts_as for d in tablets_listed) == ["máy đánh giá quầy 1",
                                                        "máy đánh giá quầy 2"]

    desk.server.devices.set_pin(AN.id, pin.hash_pin("2468"), datetime.now())

    async def serve_one() -> None:
        async with OfficeClient.connect(desk.url, credential("counter", desk.secret),
                                        "counter", "quay-1", 1) as counter:
            sealed = pin.seal(counter.key, counter.client_id, AN.id, "2468")
            assert (await counter.request("sign_in", official=AN.id, pin=sealed))["type"] == "ok"
            await counter.request("call_next")
            await counter.request("done")

    desk.request("kiosk", "issue", service="A", client_id="kiosk-1")
    desk.call(serve_one)
    expect(one.locator("#screen")).to_contain_text("A001", timeout=WAIT_MS)
    expect(one.locator("#screen")).to_contain_text("Cán bộ phục vụ: Nguyễn Văn An")
    photo = one.locator("#screen img.photo")
    expect(photo).to_be_visible()
    assert photo.evaluate("image => image.naturalWidth") == 96  # the office's own picture
    assert two.request.get(address(desk, f"/rate/photo/{AN.id}")).status == 200
    assert one.context.browser.new_context(ignore_https_errors=True).request.get(
        address(desk, f"/rate/photo/{AN.id}")).status == 401  # not for strangers
    expect(two.locator("#screen")).not_to_contain_text("A001")

    # Counter 2's tablet cannot rate counter 1's citizen, even by posting the form.
    stolen = two.request.post(address(desk, "/rate/submit"),
                              form={"number": "A001", "level": "1"})
    assert stolen.status == 403
    assert desk.server.service.state.by_number("A001").rating is None  # type: ignore[union-attr]

    one.get_by_role("button", name="Không hài lòng").click()  # a low rating asks why
    expect(one.locator("body")).to_contain_text("Ông/Bà chưa hài lòng về điều gì?")
    one.get_by_label("Phải chờ lâu").check()
    one.get_by_role("button", name="Gửi / Send").click()
    expect(one.locator("body")).to_contain_text("Cảm ơn Ông/Bà đã đánh giá!")
    rated = desk.server.service.state.by_number("A001")
    assert rated is not None
    assert rated.rating == 1
    [event] = [e for e in desk.server.service.store.events() if e.kind is EventKind.RATED]
    assert (event.data["official"], event.data["reasons"]) == (AN.id, "cho_lau")
    again = one.request.post(address(desk, "/rate/submit"), form={"number": "A001",
                                                                 "level": "1"})
    assert again.status == 409  # once
    expect(one.locator("#screen")).to_contain_text("Xin cảm ơn quý công dân",
                                                   timeout=WAIT_MS + 6_000)

    [first] = [d for d in tablets_listed if d.counter == 1]
    desk.server.devices.revoke(first.id, datetime.now())
    one.goto(address(desk))
    expect(one.locator("select[name=counter]")).to_be_visible()  # asks to pair again
