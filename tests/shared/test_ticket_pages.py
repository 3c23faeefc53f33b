"""The ticket's page (issue 13, part 1), over real HTTP from a real server: the
address in the reply to ``issue``, the page, its pushed changes, and the plain page
that a wrong, guessed, another day's or expired token gets."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from shared.core.office import Office
from shared.core.ticket_token import ALPHABET, LENGTH, grouped, ticket_token
from shared.server.server import OfficeServer
from shared.server.ticket_pages import load_or_create_page_key
from tests.conftest import Connect, MakeServer

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOT_FOUND = "Không tìm thấy số thứ tự"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 9, 0, tzinfo=ZONE)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def issue(connect: Connect, service: str = "A") -> dict[str, object]:
    kiosk = await connect("kiosk")
    reply = await kiosk.request("issue", service=service)
    assert reply["type"] == "ticket", reply
    return reply


async def get(http: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with http.get(url) as response:
        return response.status, await response.text()


class Pushes:
    """The server-sent events of one ticket page, as a phone's browser receives them."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def next(self, timeout: float = 5.0) -> tuple[str, str]:
        """The next event's (name, data); comments (keep-alives) are skipped."""
        name, data = "message", []
        async with asyncio.timeout(timeout):
            while True:
                line = (await self._response.content.readline()).decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif line == "" and (data or name != "message"):
                    return name, "\n".join(data)

    async def until(self, text: str) -> str:
        while True:
            _, data = await self.next()
            if text in data:
                return data


async def served(connect: Connect) -> str:
    """A ticket issued, called at counter 1 and served: the address of its page."""
    counter = await connect("counter", counter=1)
    page = str((await issue(connect))["page"])
    await counter.request("call_next")
    await counter.request("done")
    return page


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def test_the_reply_to_issue_carries_the_address_of_the_tickets_page(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    await connect("counter", counter=1)  # a counter that serves A is open
    reply = await issue(connect)
    page = str(reply["page"])
    assert page.startswith(f"http://127.0.0.1:{server.port}/t/")
    token = page.rsplit("/", 1)[1]
    assert len(token) == LENGTH
    assert set(token) <= set(ALPHABET)

    status, html = await get(http, page)
    assert status == 200
    words = text_of(html)
    assert "A001" in words
    assert "Tư pháp" in words  # the service's name
    assert "Bạn là người tiếp theo" in words
    assert 'lang="vi"' in html

    status, html = await get(http, page + "?lang=en")
    assert "You are next" in text_of(html)
    assert 'lang="en"' in html


async def test_people_ahead_count_the_other_services_of_the_same_counters(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    await connect("counter", counter=1)
    kiosk = await connect("kiosk")
    await kiosk.request("issue", service="B")  # counters 1 and 2 call A and B alike
    reply = await kiosk.request("issue", service="A")
    assert reply["ticket"]["ahead"] == 1  # the kiosk and the ticket say the same
    _, html = await get(http, str(reply["page"]))
    assert "Trước bạn còn 1 người" in text_of(html)


async def test_a_typed_address_forgives_case_dashes_and_look_alike_letters(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    page = str((await issue(connect))["page"])
    base, token = page.rsplit("/", 1)
    typed = grouped(token).upper().replace("1", "l").replace("0", "O")
    status, html = await get(http, f"{base}/{typed}")
    assert status == 200
    assert "A001" in html


async def test_the_page_turns_into_your_turn_when_a_counter_calls_it(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    page = str((await issue(connect))["page"])
    counter = await connect("counter", counter=1)
    async with http.get(page + "/events") as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        pushes = Pushes(response)
        first = await pushes.until("A001")
        assert "Bạn là người tiếp theo" in text_of(first)

        await counter.request("call_next")
        called = text_of(await pushes.until("Đến lượt bạn"))
        assert "Đến lượt bạn — mời đến Quầy 1" in called

        await counter.request("recall")
        recalled = await pushes.until("đã gọi lại số của bạn 1 lần")
        assert 'data-urgent="yes"' in recalled  # the phone rings again

        await counter.request("absent")
        absent = text_of(await pushes.until("vắng mặt"))
        assert "hãy đến Quầy 1 trước" in absent

        assert (await counter.request("return", number="A001"))["type"] == "ok"
        assert (await counter.request("call_next"))["type"] == "called"
        await pushes.until("Đến lượt bạn")
        await counter.request("done")
        assert "Đã phục vụ xong" in text_of(await pushes.until("phục vụ xong"))


async def test_a_page_is_sent_only_its_news_and_a_keep_alive_when_quiet(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    """A citizen taking a ticket behind this one changes nothing on its page: the phone
    is sent nothing (a thousand phones, after every kiosk press), only the comment that
    keeps a quiet stream open; a call changes its people ahead, and is sent at once."""
    server.pages._keep_alive_s = 0.3
    await issue(connect)  # A001
    mine = str((await issue(connect))["page"])
    counter = await connect("counter", counter=1)
    async with http.get(mine + "/events") as response:
        pushes = Pushes(response)
        assert "Bạn là người tiếp theo" not in text_of(await pushes.until("A002"))
        await issue(connect)  # A003, behind it
        line = b""
        while not line.strip():
            line = await asyncio.wait_for(response.content.readline(), 5)
        assert line == b": still here\n"  # and not a push: nothing changed for A002

        await counter.request("call_next")  # A001
        assert "Bạn là người tiếp theo" in text_of(await pushes.until("A002"))


async def test_the_page_shows_the_hall_but_no_other_citizens_ticket(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    kiosk = await connect("kiosk")
    other = await kiosk.request("issue", service="A", priority="elderly")
    mine = await kiosk.request("issue", service="C")
    counter = await connect("counter", counter=1)
    await counter.request("call_next")
    _, html = await get(http, str(mine["page"]))
    words = text_of(html)
    # Public hall information: what counter 1 calls, as the hall display shows it.
    assert other["ticket"]["number"] in words
    # Nothing else about that citizen: not their service, priority or time.
    assert "Người cao tuổi" not in words
    assert "ưu tiên" not in words.lower()
    assert "Tư pháp" not in words
    assert f"{other['ticket']['issued_at']}"[11:16] not in words


async def test_a_wrong_or_guessed_token_gets_a_plain_page_that_reveals_nothing(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    page = str((await issue(connect))["page"])
    base, token = page.rsplit("/", 1)
    near = token[:-1] + ("0" if token[-1] != "0" else "1")
    for wrong in (near, "0" * LENGTH, "x", token + "0", "A001", "1"):
        status, html = await get(http, f"{base}/{wrong}")
        assert status == 404, wrong
        assert NOT_FOUND in html
        assert "A001" not in html
    status, _ = await get(http, f"{base}/{near}/events")
    assert status == 404


async def test_guessing_is_cut_off_by_the_allowance_of_each_address(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    page = str((await issue(connect))["page"])
    base = page.rsplit("/", 1)[0]
    statuses = [(await get(http, f"{base}/{i:016d}"))[0] for i in range(40)]
    assert statuses[0] == 404
    assert statuses.count(429) >= 25  # about 10 tries at once, then 2 a second
    _, html = await get(http, f"{base}/{'1' * 16}")
    assert "Xin thử lại sau" in html
    status, html = await get(http, page)
    assert status == 200  # someone who mistyped a few times still sees their ticket
    assert "A001" in html


async def test_another_days_token_is_worth_nothing(
    make_server: MakeServer, office: Office, data_dir: Path, http: aiohttp.ClientSession,
) -> None:
    clock = Clock()
    server = await make_server(office, clock=clock)
    key = load_or_create_page_key(data_dir)
    yesterday = date(2026, 12, 1)
    stale = ticket_token(key, yesterday, 1)
    status, html = await get(http, f"{server.page_base_url}/t/{stale}")
    assert status == 404
    assert NOT_FOUND in html


async def test_the_page_stops_working_when_the_business_day_ends(
    make_server: MakeServer, office: Office, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    clock = Clock()
    server = await make_server(office, clock=clock)
    kiosk = await connect("kiosk", to=server)
    page = str((await kiosk.request("issue", service="A"))["page"])
    async with http.get(page + "/events") as response:
        pushes = Pushes(response)
        await pushes.until("A001")
        clock.now += timedelta(days=1)  # the next morning
        name, _ = await pushes.next(timeout=10)
        assert name == "gone"  # the page reloads itself…
    status, html = await get(http, page)
    assert status == 404  # …into the plain page
    assert NOT_FOUND in html


async def test_the_address_follows_the_offices_page_url(
    make_server: MakeServer, office: Office, connect: Connect,
) -> None:
    from dataclasses import replace

    named = replace(office, server=replace(office.server, page_url="http://192.168.1.10:8765"))
    server = await make_server(named)
    kiosk = await connect("kiosk", to=server)
    reply = await kiosk.request("issue", service="A")
    assert str(reply["page"]).startswith("http://192.168.1.10:8765/t/")


async def test_the_page_key_is_the_owners_alone_and_survives_a_restart(data_dir: Path) -> None:
    key = load_or_create_page_key(data_dir)
    assert (data_dir / "pages.key").stat().st_mode & 0o077 == 0
    assert load_or_create_page_key(data_dir) == key


async def test_the_page_estimates_the_wait_once_service_times_are_known(
    make_server: MakeServer, office: Office, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    from dataclasses import replace

    timed = replace(office, services=tuple(
        replace(s, service_minutes=10.0) if s.code == "A" else s for s in office.services))
    server = await make_server(timed)
    await connect("counter", counter=1, to=server)
    kiosk = await connect("kiosk", to=server)
    pages = [str((await kiosk.request("issue", service="A"))["page"]) for _ in range(3)]
    _, html = await get(http, pages[2])  # two citizens of ten minutes each before it
    assert "Thời gian chờ dự kiến: khoảng 15–25 phút." in text_of(html)

    _, html = await get(http, pages[0])  # next, at a free counter
    assert "Thời gian chờ dự kiến: dưới 5 phút." in text_of(html)


async def post(http: aiohttp.ClientSession, url: str, **form: str | list[str]) -> tuple[int, str]:
    data = aiohttp.FormData()
    for name, value in form.items():
        for one in value if isinstance(value, list) else [value]:
            data.add_field(name, one)
    async with http.post(url, data=data) as response:
        return response.status, await response.text()


async def test_after_done_the_page_asks_for_one_rating_and_thanks(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    counter = await connect("counter", counter=1)
    page = str((await issue(connect))["page"])
    status, html = await post(http, page + "/rate", level="3")
    assert status == 409  # not served yet
    assert "Chỉ đánh giá được sau khi đã được phục vụ xong." in html
    _, html = await post(http, page + "/rate?lang=en", level="3")
    assert "You can rate the service once you have been served." in html  # and in English

    await counter.request("call_next")
    await counter.request("done")
    _, html = await get(http, page)
    assert "Bạn đánh giá thế nào về sự phục vụ hôm nay?" in html
    assert [b for b in ("Rất hài lòng", "Hài lòng", "Không hài lòng") if b in html] == [
        "Rất hài lòng", "Hài lòng", "Không hài lòng"]

    status, html = await post(http, page + "/rate", level="3")
    assert status == 200  # after the redirect: the page again
    assert "Cảm ơn bạn đã đánh giá!" in html
    assert "Bạn đánh giá thế nào" not in html

    # A second tap (or a second rating): thanked again, nothing more stored.
    status, html = await post(http, page + "/rate", level="1", step="reasons")
    assert status == 200
    assert "Cảm ơn bạn đã đánh giá!" in html
    rated = [e for e in server.service.store.events() if e.kind.value == "rated"]
    assert [(e.data["level"], e.counter) for e in rated] == [(3, 1)]


async def test_a_low_rating_asks_why_and_keeps_the_reasons(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    page = await served(connect)

    status, html = await post(http, page + "/rate", level="1")
    assert status == 200
    assert "Vì sao bạn chưa hài lòng?" in html  # asked first, nothing stored yet
    assert "Phải chờ lâu" in html
    assert not [e for e in server.service.store.events() if e.kind.value == "rated"]

    status, html = await post(http, page + "/rate", level="1", step="reasons",
                              reason=["cho_lau", "huong_dan"])
    assert "Cảm ơn bạn đã đánh giá!" in html
    rated = [e for e in server.service.store.events() if e.kind.value == "rated"]
    assert [dict(e.data) for e in rated] == [
        {"level": 1, "scale": 3, "reasons": "cho_lau,huong_dan"}]


@pytest.mark.parametrize(("form", "said"), [
    ({"level": "9"}, "Mức đánh giá phải từ 1 đến 3."),
    ({"level": "abc"}, "Đánh giá không hợp lệ."),
    ({"level": "1", "step": "reasons", "reason": "bribe"},
     "Lý do không có trong danh sách."),
    ({"level": "²"}, "Đánh giá không hợp lệ."),  # a digit to str.isdigit, not to int
    ({"level": "9" * 5000}, "Đánh giá không hợp lệ."),
    ({"level": "3", "step": "reasons", "reason": "thai_do"},
     "Chỉ ghi lý do khi bạn chưa hài lòng."),
])
async def test_a_malformed_rating_is_refused_plainly_and_stores_nothing(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
    form: dict[str, str], said: str,
) -> None:
    page = await served(connect)
    status, html = await post(http, page + "/rate", **form)
    assert status in (400, 409)
    assert said in html
    assert not [e for e in server.service.store.events() if e.kind.value == "rated"]
    status, html = await get(http, page + "?level=²")
    assert status == 200
    assert "Bạn đánh giá thế nào" in html  # still free to rate


async def test_a_page_following_its_ticket_outlives_the_sweep_of_idle_connections(
    make_server: MakeServer, office: Office, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    # Review of issue 13: the sweep of connections "not welcomed" cut every phone's
    # stream after 15 s. Here the sweep waits half a second; a half-sent request is the
    # canary that shows it has run.
    from shared.server.arrivals import Arrivals

    server = await make_server(office, arrivals=Arrivals(seconds=0.5))
    counter = await connect("counter", counter=1, to=server)
    kiosk = await connect("kiosk", to=server)
    page = str((await kiosk.request("issue", service="A"))["page"])
    async with http.get(page + "/events") as response:
        pushes = Pushes(response)
        await pushes.until("A001")
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET /health HTTP/1.1\r\n")  # and never the rest
        async with asyncio.timeout(10):
            assert await reader.read() == b""  # swept
        writer.close()
        await counter.request("call_next")
        assert "Đến lượt bạn" in await pushes.until("Đến lượt bạn")


async def test_a_served_and_rated_page_stops_following(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    page = await served(connect)
    await post(http, page + "/rate", level="2")
    async with http.get(page + "/events") as response:
        pushes = Pushes(response)
        await pushes.until("A001")
        name, _ = await pushes.next()
        assert name == "done"
        async with asyncio.timeout(5):
            assert await response.content.read() == b""  # the server ended the stream
    assert server.pages.followers == 0


async def test_a_phone_that_opens_its_page_again_leaves_one_stream(
    server: OfficeServer, connect: Connect, http: aiohttp.ClientSession,
) -> None:
    # Review of issue 13: a reload kept the old stream until TCP gave up (minutes).
    page = str((await issue(connect))["page"])
    async with http.get(page + "/events") as first:
        await Pushes(first).until("A001")
        async with http.get(page + "/events") as second:
            await Pushes(second).until("A001")
            async with asyncio.timeout(5):
                assert await first.content.read() == b""  # the old one was ended
            assert server.pages.followers == 1


def test_a_page_shows_a_decision_only_once_the_server_has_published_it() -> None:
    """Between a decision and its commit the pages keep the queue as last published:
    they never show what might not reach the disk, and working out the hall for it
    does not keep that commit waiting."""
    from shared.core.queue_rules import apply, call_next
    from shared.server.ticket_pages import TicketPages
    from tests.shared.test_queue_rules import MINUTE, NOW, OFFICE, give_many, ticket

    queue = [give_many(OFFICE, "A A")]
    at = NOW + 10 * MINUTE
    pages = TicketPages(OFFICE, bytes(32), lambda: "http://x", lambda: queue[0],
                        lambda: at, lambda: {1, 2, 3, 4, 5})
    second = ticket(queue[0], "A002").id

    def ahead() -> int:
        view = pages.view(second)
        assert view is not None
        return view.ahead

    assert ahead() == 1
    pages.changed()
    queue[0] = apply(queue[0], call_next(queue[0], OFFICE, 1, at))  # decided, not yet sent
    assert ahead() == 1
    pages.changed()  # committed and sent to the clients
    assert ahead() == 0
