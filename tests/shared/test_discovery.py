"""Discovery: real zeroconf instances on the loopback interface find each other.

Every test uses its own office id (and office name) so that other test runs on the
same machine, advertising on the same loopback interface, never interfere.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from shared.lan.discovery import (
    DuplicateServerError,
    ServerInfo,
    ZeroconfAdvertiser,
    ZeroconfBrowser,
    default_interfaces,
    find_server,
)

LOOPBACK = ["127.0.0.1"]
WAIT = 10.0  # seconds; a generous bound, never a sleep

Advertise = Callable[[str, str, int], Awaitable[ZeroconfAdvertiser]]


# No zeroconf thread outlives a test (as python-zeroconf's own conftest checks).
pytestmark = pytest.mark.usefixtures("no_thread_left")


@pytest.fixture
def office() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def advertise() -> AsyncIterator[Advertise]:
    """Start advertisers on loopback; every one started is stopped after the test."""
    started: list[ZeroconfAdvertiser] = []

    async def start(office_id: str, name: str, port: int) -> ZeroconfAdvertiser:
        advertiser = ZeroconfAdvertiser(office_id, name, port, interfaces=LOOPBACK)
        await advertiser.start()
        started.append(advertiser)
        return advertiser

    yield start
    for advertiser in started:
        await advertiser.stop()


class Recorder:
    """ZeroconfBrowser callbacks (on zeroconf's thread) handed to the test's loop."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.found: asyncio.Queue[ServerInfo] = asyncio.Queue()
        self.lost: asyncio.Queue[str] = asyncio.Queue()
        self.threads: set[threading.Thread] = set()

    def on_found(self, server: ServerInfo) -> None:
        self.threads.add(threading.current_thread())
        self.loop.call_soon_threadsafe(self.found.put_nowait, server)

    def on_lost(self, name: str) -> None:
        self.loop.call_soon_threadsafe(self.lost.put_nowait, name)

    async def next_found(self) -> ServerInfo:
        return await asyncio.wait_for(self.found.get(), WAIT)

    async def next_lost(self) -> str:
        return await asyncio.wait_for(self.lost.get(), WAIT)


def unique_name(office: str) -> str:
    return f"Phường Bến Nghé {office[-6:]}"


async def test_find_server_returns_the_advertised_office_port_and_path(
    advertise: Advertise, office: str
) -> None:
    await advertise(office, unique_name(office), 18080)

    server = await find_server(office, WAIT, interfaces=LOOPBACK)

    assert server == ServerInfo(
        name=unique_name(office), office=office, host="127.0.0.1", port=18080, protocol=1,
        path="/ws",
    )
    assert server.url == "ws://127.0.0.1:18080/ws"


async def test_find_server_gives_none_when_the_office_has_no_server(office: str) -> None:
    assert await find_server(office, 0.5, interfaces=LOOPBACK) is None


async def test_browser_reports_a_server_found_then_lost_when_it_stops(
    advertise: Advertise, office: str
) -> None:
    recorder = Recorder()
    browser = ZeroconfBrowser(
        recorder.on_found, recorder.on_lost, office_id=office, interfaces=LOOPBACK
    )
    browser.start()
    try:
        advertiser = await advertise(office, unique_name(office), 18081)
        server = await recorder.next_found()
        assert (server.office, server.port, server.host) == (office, 18081, "127.0.0.1")
        assert recorder.threads
        assert threading.main_thread() not in recorder.threads

        await advertiser.stop()

        assert await recorder.next_lost() == server.name
    finally:
        browser.stop()


async def test_a_second_server_for_the_same_office_is_refused_and_says_where_the_first_runs(
    advertise: Advertise, office: str
) -> None:
    first = await advertise(office, unique_name(office), 18082)

    second = ZeroconfAdvertiser(office, "Another name", 18083, interfaces=LOOPBACK)
    with pytest.raises(DuplicateServerError) as refused:
        await second.start()

    message = str(refused.value)
    assert "127.0.0.1:18082" in message
    assert unique_name(office) in message
    assert "Mỗi văn phòng chỉ có một máy chủ" in message
    assert refused.value.existing.port == 18082

    # Once the first withdraws, the office may start its server elsewhere.
    await first.stop()
    await advertise(office, unique_name(office), 18083)
    server = await find_server(office, WAIT, interfaces=LOOPBACK)
    assert server is not None
    assert server.port == 18083


async def test_other_offices_do_not_conflict_even_with_the_same_name(
    advertise: Advertise, office: str
) -> None:
    other = f"{office}-other"
    name = f"UBND phường 1 {office[-6:]}"
    await advertise(office, name, 18084)
    second = await advertise(other, name, 18085)

    mine = await find_server(office, WAIT, interfaces=LOOPBACK)
    theirs = await find_server(other, WAIT, interfaces=LOOPBACK)

    assert mine is not None
    assert theirs is not None
    assert (mine.port, theirs.port) == (18084, 18085)
    assert mine.name == name
    assert theirs.name != name  # made unique, with the machine's name
    assert theirs.name == second.name
    assert theirs.name.startswith(name)


async def test_browser_with_an_office_id_reports_only_that_office(
    advertise: Advertise, office: str
) -> None:
    other = f"{office}-other"
    filtered, everything = Recorder(), Recorder()
    browsers = [
        ZeroconfBrowser(filtered.on_found, filtered.on_lost, office_id=office,
                        interfaces=LOOPBACK),
        ZeroconfBrowser(everything.on_found, everything.on_lost, interfaces=LOOPBACK),
    ]
    for browser in browsers:
        browser.start()
    try:
        await asyncio.gather(
            advertise(other, unique_name(other), 18086),
            advertise(office, unique_name(office), 18087),
        )
        assert (await filtered.next_found()).office == office
        seen: set[str] = set()
        while {office, other} - seen:
            seen.add((await everything.next_found()).office)
    finally:
        for browser in browsers:
            browser.stop()  # joins the browser threads: no callback is still on its way

    assert filtered.found.empty(), "a server of another office was reported"


async def test_a_long_office_name_with_dots_becomes_a_valid_instance_name(
    advertise: Advertise, office: str
) -> None:
    long_name = "Trung tâm Phục vụ hành chính công TP. Hồ Chí Minh " + office[-6:] * 4

    advertiser = await advertise(office, long_name, 18088)
    server = await find_server(office, WAIT, interfaces=LOOPBACK)

    assert server is not None
    assert server.name == advertiser.name
    assert "." not in server.name
    assert len(server.name.encode()) <= 63
    assert server.name.startswith("Trung tâm Phục vụ hành chính công TP Hồ")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("127.0.0.1", ["127.0.0.1"]),
        (" 192.168.1.10 , 10.0.0.2,", ["192.168.1.10", "10.0.0.2"]),
    ],
)
def test_default_interfaces_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: list[str] | None
) -> None:
    if value is None:
        monkeypatch.delenv("MOTCUA_ZEROCONF_INTERFACES", raising=False)
    else:
        monkeypatch.setenv("MOTCUA_ZEROCONF_INTERFACES", value)
    assert default_interfaces() == expected
