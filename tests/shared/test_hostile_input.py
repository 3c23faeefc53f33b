"""Input of any shape from a client gets a plain error and disturbs nobody else (issue
18, defects 4 and 5): a lone UTF-16 surrogate in a request id, a service code or a
hello's client id; JSON nested a thousand deep, before and after the hello (deep
nesting inside a field: tests/shared/test_wire.py); and (defect 6) connections that
never finish arriving."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from shared.core.office import Office
from shared.server.arrivals import Arrivals
from shared.server.server import OfficeServer
from tests.conftest import MakeServer
from tests.office_client import OfficeClient, encode
from tests.shared.test_server import closed_code, raw_socket, receive_json, welcomed

DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize(
    ("frame", "re"),
    [
        ('{"type": "issue", "id": "\\ud800", "service": "A"}', None),
        ('{"type": "issue", "id": "k-9", "service": "\\ud800"}', None),
        (DEEP, None),
    ],
)
async def test_a_hostile_request_gets_bad_request_and_others_are_served_as_usual(
    server: OfficeServer, frame: str, re: Any
) -> None:
    async with OfficeClient.connect(server.url, server.secret, "display", "tv") as display, \
            raw_socket(server.url) as ws:
        assert (await welcomed(ws, server.secret, "kiosk", "hostile"))["type"] == "welcome"
        await ws.send_str(frame)
        answer = await receive_json(ws)
        assert (answer["type"], answer["code"], answer["re"]) == ("error", "bad_request", re)
        # The same connection, and everyone else, go on as if nothing happened.
        await ws.send_str('{"type": "issue", "id": "k-11", "service": "A"}')
        ticket = await receive_json(ws)
        assert ticket["type"] == "ticket"
        event = await display.next_event("ticket_issued")
        assert event["ticket"]["number"] == ticket["ticket"]["number"]


@pytest.mark.parametrize(
    "frame",
    [
        '{"type": "hello", "id": "h", "role": "kiosk", "client": "\\ud800", "proof": "0"}',
        DEEP,
    ],
)
async def test_a_hostile_hello_is_unauthorized_in_plain_words(
    server: OfficeServer, frame: str
) -> None:
    async with raw_socket(server.url) as ws:
        await receive_json(ws)  # the challenge
        await ws.send_str(frame)
        answer = await receive_json(ws)
        assert (answer["type"], answer["code"]) == ("error", "unauthorized")
        assert "Send “hello” first" in answer["message"] or "hello" in answer["message"]
        assert await closed_code(ws) == 1008


# --- defect 6: connections that never finish arriving --------------------------------

HALF_REQUEST = b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"


async def _half_open(port: int, count: int, source: str = "127.0.0.1",
                     ) -> list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    opened = []
    for _ in range(count):
        reader, writer = await asyncio.open_connection("127.0.0.1", port,
                                                       local_addr=(source, 0))
        writer.write(HALF_REQUEST)
        await writer.drain()
        opened.append((reader, writer))
    return opened


async def _closed_by_server(reader: asyncio.StreamReader) -> bool:
    try:
        return await reader.read(1024) == b""
    except ConnectionError:
        return True


async def test_half_sent_requests_are_closed_in_time_and_others_are_served_meanwhile(
    make_server: MakeServer, office: Office
) -> None:
    server = await make_server(office, arrivals=Arrivals(seconds=1.0))
    loiterers = await _half_open(server.port, 200)
    async with aiohttp.ClientSession() as http:  # meanwhile, all is as usual
        assert (await http.get(f"http://127.0.0.1:{server.port}/health")).status == 200
    async with OfficeClient.connect(server.url, server.secret, "kiosk", "k") as kiosk:
        assert (await kiosk.request("issue", service="A"))["type"] == "ticket"
        async with asyncio.timeout(5):  # 1 s, plus the tick that notices
            closed = await asyncio.gather(*(_closed_by_server(r) for r, _ in loiterers))
        assert all(closed)
        # The welcomed kiosk was never counted among them.
        assert (await kiosk.request("issue", service="A"))["type"] == "ticket"
    for _, writer in loiterers:
        writer.close()


async def test_one_address_cannot_hold_more_than_its_share_of_arriving_connections(
    make_server: MakeServer, office: Office
) -> None:
    server = await make_server(office, arrivals=Arrivals(seconds=60, per_address=20))
    crowd = await _half_open(server.port, 60, source="127.0.0.9")
    async with asyncio.timeout(5):
        newest = await asyncio.gather(*(_closed_by_server(r) for r, _ in crowd[20:]))
    assert all(newest)
    oldest = [asyncio.ensure_future(_closed_by_server(r)) for r, _ in crowd[:20]]
    # Someone else, from another address, is not crowded out.
    async with OfficeClient.connect(server.url, server.secret, "kiosk", "k") as kiosk:
        assert (await kiosk.request("issue", service="A"))["type"] == "ticket"
    assert not any(task.done() for task in oldest)  # the first 20 still wait their 60 s
    for task in oldest:
        task.cancel()
    for _, writer in crowd:
        writer.close()


def test_arrivals_rule() -> None:
    rule: Arrivals[str] = Arrivals(seconds=10, per_address=2)
    assert rule.sweep(0.0, [("a", "x"), ("b", "x")]) == []
    assert rule.sweep(1.0, [("a", "x"), ("b", "x"), ("c", "x")]) == ["c"]  # the newest
    assert rule.sweep(5.0, [("a", "x"), ("d", "y")]) == []  # b was welcomed: forgotten
    assert rule.sweep(10.0, [("a", "x"), ("d", "y")]) == ["a"]  # late
    assert rule.sweep(14.9, [("d", "y")]) == []
    assert rule.sweep(15.0, [("d", "y")]) == ["d"]


async def test_a_proof_that_is_not_hex_is_refused_in_plain_words(server: OfficeServer) -> None:
    # Review of issue 18: a non-ASCII proof made hmac.compare_digest raise.
    async with raw_socket(server.url) as ws:
        challenge = await receive_json(ws)
        await ws.send_str(encode({"type": "hello", "id": "h1", "role": "display",
                                  "client": "tv", "proof": "ộ" * 64}))
        answer = await receive_json(ws)
        assert (answer["code"], answer["re"]) == ("unauthorized", "h1")
        assert "proof" in answer["message"]
        assert await closed_code(ws) == 1008
    assert challenge["type"] == "challenge"
