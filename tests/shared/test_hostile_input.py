"""Input of any shape from a client gets a plain error and disturbs nobody else (issue
18, defects 4 and 5): a lone UTF-16 surrogate in a request id, a service code or a
hello's client id; JSON nested a thousand deep, before and after the hello. (Deep
nesting inside a field: tests/shared/test_wire.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from shared.server.server import OfficeServer
from tests.office_client import OfficeClient
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
