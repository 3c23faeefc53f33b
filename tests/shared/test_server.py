"""The queue server over real WebSockets on 127.0.0.1: handshake, every request,
every error code, events, idempotency, slow clients, stopping; and the pairing code."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import stat
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import msgspec
import pytest

from shared.core import enrolment, wire
from shared.core.pairing import (
    PairingError,
    load_or_create_secret,
    normalize_code,
    read_secret,
    secret_path,
)
from shared.core.protocol import MAX_FRAME_BYTES
from shared.server.server import OfficeServer, ServerError
from tests.conftest import Connect, MakeServer, ThreadedServer, office_from_toml
from tests.office_client import ClientError, OfficeClient, UnauthorizedError, encode

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

SMALL_OFFICE = """
[office]
id = "phuong-thu"
name = "UBND Phường Thử"

[[services]]
code = "A"
name = "Hộ tịch"
name_en = "Civil status"
hours = ["07:00-11:00", "13:00-16:30"]

[[services]]
code = "B"
name = "Chứng thực"
name_en = "Certification"
daily_cap = 2

[[counters]]
number = 1
services = ["A", "B"]

[server]
kiosk_rate_per_minute = 1
"""


@asynccontextmanager
async def raw_socket(url: str) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        yield ws


async def receive_json(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    frame = await ws.receive(timeout=5)
    assert frame.type is aiohttp.WSMsgType.TEXT, frame
    message: dict[str, Any] = json.loads(frame.data)
    return message


async def closed_code(ws: aiohttp.ClientWebSocketResponse) -> int | None:
    """Read until the server closes; the close code."""
    async with asyncio.timeout(5):
        while True:
            frame = await ws.receive()
            if frame.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                              aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.ERROR):
                return ws.close_code
            assert frame.type is not aiohttp.WSMsgType.TEXT, frame.data


def hello(challenge: dict[str, Any], key: str, role: str = "display",
          client: str = "raw", counter: int | None = None, **extra: Any) -> str:
    """A hello proved with ``key``: a device's own key (``OfficeClient.key``)."""
    made = wire.hello(key, msgspec.convert(challenge, wire.Challenge), role,  # type: ignore[arg-type]
                      client, counter, id="h1")
    return encode({**wire.to_json(made), **extra})


def enrol(challenge: dict[str, Any], code: str, role: str = "display", client: str = "raw",
          counter: int | None = None) -> tuple[str, enrolment.PendingEnrolment]:
    """An enrol frame proved with the pairing code, and what finishes it."""
    pending = enrolment.start(code, msgspec.convert(challenge, wire.Challenge), role, client,
                              counter, "thử", id="h1")
    return wire.encode(pending.message).decode(), pending


async def welcomed(ws: aiohttp.ClientWebSocketResponse, code: str, role: str, client: str,
                   counter: int | None = None) -> dict[str, Any]:
    """Enrol on a raw socket with the pairing code, say hello; the server's answer."""
    challenge = await receive_json(ws)
    frame, pending = enrol(challenge, code, role, client, counter)
    await ws.send_str(frame)
    await ws.send_str(hello(challenge, await enrolled_key(ws, pending), role, client, counter))
    return await receive_json(ws)


async def enrolled_key(ws: aiohttp.ClientWebSocketResponse, pending: enrolment.PendingEnrolment,
                       ) -> str:
    """The device's key from the server's ``enrolled``."""
    answer = wire.decode_server_message(json.dumps(await receive_json(ws)))
    assert isinstance(answer, wire.Enrolled), answer
    return pending.finish(answer)


async def snapshot_of(client: OfficeClient) -> dict[str, Any]:
    reply = await client.request("snapshot")
    assert reply["type"] == "snapshot", reply
    snapshot: dict[str, Any] = reply["snapshot"]
    return snapshot


# --- HTTP ---------------------------------------------------------------------------


async def test_health(server: OfficeServer) -> None:
    async with aiohttp.ClientSession() as http:
        response = await http.get(f"http://127.0.0.1:{server.port}/health")
        assert response.status == 200
        body = await response.json()
    assert body == {"status": "ok", "protocol": 1, "version": body["version"]}
    assert isinstance(body["version"], str)
    assert body["version"]


async def test_port_zero_gives_the_real_port_and_a_taken_port_is_a_plain_error(
    server: OfficeServer, office: Any, tmp_path: Path
) -> None:
    assert server.port > 0
    other = OfficeServer(office, tmp_path / "other", "127.0.0.1", server.port, advertise=False)
    with pytest.raises(ServerError, match=f"Không mở được cổng 127.0.0.1:{server.port}"):
        await other.start()
    await other.stop()  # nothing left open; harmless


# --- handshake ----------------------------------------------------------------------


async def test_challenge_then_welcome_with_a_snapshot(server: OfficeServer) -> None:
    async with raw_socket(server.url) as ws, raw_socket(server.url) as ws2:
        challenge = await receive_json(ws)
        other = await receive_json(ws2)
        assert challenge["type"] == "challenge"
        assert challenge["protocol"] == 1
        assert challenge["office"] == "phuong-mau"
        assert challenge["name"] == "UBND Phường Mẫu"
        assert len(challenge["nonce"]) == 32
        int(challenge["nonce"], 16)
        assert other["nonce"] != challenge["nonce"]
        frame, pending = enrol(challenge, server.secret, "counter", "quay-1", 1)
        await ws.send_str(frame)
        key = await enrolled_key(ws, pending)
        await ws.send_str(hello(challenge, key, "counter", "quay-1", 1))
        welcome = await receive_json(ws)
    assert welcome["type"] == "welcome"
    assert welcome["re"] == "h1"
    snapshot = welcome["snapshot"]
    assert (snapshot["office"]["id"], snapshot["office"]["name"]) == (
        "phuong-mau", "UBND Phường Mẫu")
    assert snapshot["office"]["timezone"] == "Asia/Ho_Chi_Minh"
    assert snapshot["office"]["announcement"]["reading"] == "digits"
    assert [c["number"] for c in snapshot["counters"]] == [1, 2, 3, 4]
    assert [c["connected"] for c in snapshot["counters"]] == [True, False, False, False]
    assert snapshot["services"][0]["waiting"] == 0


# Each makes an opening frame from the challenge, the key of the display "raw" (enrolled
# beforehand) and the pairing code.
def _wrong_key(challenge: dict[str, Any], key: str, code: str) -> str:
    return hello(challenge, "0" * 64)


def _office_code_as_key(challenge: dict[str, Any], key: str, code: str) -> str:
    return hello(challenge, code, "display", "old-pc")  # as motcua did before enrolment


def _wrong_code(challenge: dict[str, Any], key: str, code: str) -> str:
    return enrol(challenge, "AAAA-BBBB-CCCC-DDDD", "kiosk", "k-new")[0]


def _missing_proof(challenge: dict[str, Any], key: str, code: str) -> str:
    message = json.loads(hello(challenge, key))
    del message["proof"]
    return encode(message)


def _proof_for_another_role(challenge: dict[str, Any], key: str, code: str) -> str:
    message = json.loads(hello(challenge, key, "display"))
    return encode({**message, "role": "kiosk"})


def _display_key_as_admin(challenge: dict[str, Any], key: str, code: str) -> str:
    return hello(challenge, key, "admin")


def _code_for_an_admin(challenge: dict[str, Any], key: str, code: str) -> str:
    return enrol(challenge, code, "admin", "boss")[0]


def _request_before_hello(challenge: dict[str, Any], key: str, code: str) -> str:
    return encode({"type": "issue", "id": "h1", "service": "A"})


def _counter_without_number(challenge: dict[str, Any], key: str, code: str) -> str:
    message = json.loads(hello(challenge, key, "kiosk"))
    return encode({**message, "role": "counter"})


def _unknown_counter(challenge: dict[str, Any], key: str, code: str) -> str:
    return enrol(challenge, code, "counter", "quay-9", 9)[0]


def _unknown_role(challenge: dict[str, Any], key: str, code: str) -> str:
    return hello(challenge, key, "mayor")


def _stranger(challenge: dict[str, Any], key: str, code: str) -> str:
    return hello(challenge, key, "display", "not-enrolled")


UNKNOWN_DEVICE = {_wrong_key, _office_code_as_key, _stranger}


@pytest.mark.parametrize(
    ("make_frame", "message_part"),
    [
        (_wrong_key, "key is wrong"),
        (_office_code_as_key, "older motcua"),
        (_wrong_code, "Wrong pairing code"),
        (_missing_proof, "proof"),
        (_proof_for_another_role, "enrolled as display"),
        (_display_key_as_admin, "Wrong admin name or password"),
        (_code_for_an_admin, "never with the pairing code"),
        (_request_before_hello, "hello"),
        (_counter_without_number, "counter"),
        (_unknown_counter, "no counter 9"),
        (_unknown_role, "role"),
        (_stranger, "not enrolled"),
        (lambda challenge, key, code: "{not json", "JSON"),
        (lambda challenge, key, code: b"\x01\x02", "hello"),
    ],
    ids=["wrong-key", "office-code-as-key", "wrong-code", "missing-proof",
         "proof-for-another-role", "display-key-as-admin", "code-for-an-admin",
         "request-before-hello", "counter-without-number", "unknown-counter", "unknown-role",
         "stranger", "malformed-json", "binary"],
)
async def test_unauthorized_then_the_socket_closes(
    server: OfficeServer, connect: Connect, make_frame: Any, message_part: str
) -> None:
    key = (await connect("display", "raw")).key
    async with raw_socket(server.url) as ws:
        challenge = await receive_json(ws)
        frame = make_frame(challenge, key, server.secret)
        if isinstance(frame, bytes):
            await ws.send_bytes(frame)
        else:
            await ws.send_str(frame)
        answer = await receive_json(ws)
        assert answer["type"] == "error"
        # A key the office does not know may be replaced by enrolling again.
        assert answer["code"] == ("unknown_device" if make_frame in UNKNOWN_DEVICE
                                  else "unauthorized")
        assert message_part in answer["message"]
        if isinstance(frame, str) and frame.startswith("{\""):
            assert answer["re"] == "h1"
        assert await closed_code(ws) == 1008
    # The server keeps serving everyone else.
    kiosk = await connect("kiosk")
    assert (await kiosk.request("issue", service="A"))["type"] == "ticket"


async def test_client_reports_the_servers_refusal(server: OfficeServer) -> None:
    with pytest.raises(UnauthorizedError, match="Wrong pairing code"):
        async with OfficeClient.connect(server.url, "AAAA-BBBB-CCCC-DDDD", "kiosk", "k"):
            pass


async def test_connecting_to_no_server_is_a_plain_error(unused_tcp_port: int) -> None:
    with pytest.raises(ClientError, match="Cannot connect"):
        async with OfficeClient.connect(f"ws://127.0.0.1:{unused_tcp_port}/ws", "x", "kiosk",
                                        "k"):
            pass


# --- every request, answered ----------------------------------------------------------


async def test_issue_answers_with_the_ticket(connect: Connect) -> None:
    kiosk = await connect("kiosk")
    first = await kiosk.request("issue", service="A", priority=None)
    second = await kiosk.request("issue", service="A")
    elderly = await kiosk.request("issue", service="B", priority="elderly")
    assert first["type"] == "ticket"
    ticket = first["ticket"]
    assert ticket["number"] == "A001"
    assert ticket["service"] == "A"
    assert ticket["service_name"] == "Tư pháp – Hộ tịch"
    assert ticket["status"] == "waiting"
    assert ticket["priority"] is None
    assert ticket["counter"] is None
    assert ticket["ahead"] == 0
    assert datetime.fromisoformat(ticket["issued_at"]).utcoffset() is not None
    assert second["ticket"]["number"] == "A002"
    assert second["ticket"]["ahead"] == 1
    assert elderly["ticket"]["number"] == "B001"
    assert elderly["ticket"]["priority"] == "elderly"


async def test_a_counters_working_day(connect: Connect) -> None:
    kiosk = await connect("kiosk")
    counter = await connect("counter", counter=1)
    empty = await counter.request("call_next")
    assert empty["type"] == "empty"
    assert set(empty) == {"type", "re"}
    for _ in range(2):
        await kiosk.request("issue", service="A")

    called = await counter.request("call_next")
    assert called["type"] == "called"
    assert called["recall"] is False
    assert called["ticket"]["number"] == "A001"
    assert called["ticket"]["status"] == "called"
    assert called["ticket"]["counter"] == 1
    assert called["ticket"]["called_at"] is not None

    recalled = await counter.request("recall")
    assert recalled["type"] == "called"
    assert recalled["recall"] is True
    assert recalled["ticket"]["recalls"] == 1

    absent = await counter.request("absent")
    assert absent["type"] == "ok"
    assert absent["ticket"]["status"] == "absent"

    returned = await counter.request("return", number="A001")
    assert returned["type"] == "ok"
    assert returned["ticket"]["status"] == "waiting"

    out_of_order = await counter.request("call", number="A002", reason="giấy hẹn trả kết quả")
    assert out_of_order["type"] == "called"
    assert out_of_order["ticket"]["number"] == "A002"

    parked = await counter.request("park")
    assert parked["type"] == "ok"
    assert parked["ticket"]["status"] == "parked"

    back = await counter.request("return", number="A002")
    assert back["ticket"]["target_counter"] == 1

    assert (await counter.request("call_next"))["ticket"]["number"] == "A001"
    done = await counter.request("done")
    assert done["type"] == "ok"
    assert done["ticket"]["status"] == "done"

    paused = await counter.request("pause")
    assert paused["type"] == "ok"
    assert paused["counter"] == {"number": 1, "paused": True}
    resumed = await counter.request("resume")
    assert resumed["counter"] == {"number": 1, "paused": False}


async def test_transfer_to_a_service_and_to_a_counter(connect: Connect) -> None:
    kiosk = await connect("kiosk")
    one = await connect("counter", counter=1)
    two = await connect("counter", counter=2)
    three = await connect("counter", counter=3)
    await kiosk.request("issue", service="A")
    await kiosk.request("issue", service="A")

    await one.request("call_next")
    moved = await one.request("transfer", service="C")
    assert moved["type"] == "ok"
    assert moved["ticket"]["number"] == "A001"
    assert moved["ticket"]["service"] == "C"
    assert moved["ticket"]["status"] == "waiting"
    assert moved["ticket"]["transferred_from"] == "A"
    assert (await three.request("call_next"))["ticket"]["number"] == "A001"

    await one.request("call_next")  # A002
    sent = await one.request("transfer", counter=2)
    assert sent["ticket"]["target_counter"] == 2
    assert (await two.request("call_next"))["ticket"]["number"] == "A002"


async def test_snapshot_request(connect: Connect) -> None:
    kiosk = await connect("kiosk")
    display = await connect("display")
    await kiosk.request("issue", service="D")
    snapshot = await snapshot_of(display)
    assert snapshot["office"]["id"] == "phuong-mau"
    assert snapshot["business_day"] == datetime.now(ZONE).date().isoformat()
    waiting = {s["code"]: s["waiting"] for s in snapshot["services"]}
    assert waiting == {"A": 0, "B": 0, "C": 0, "D": 1, "E": 0, "F": 0}
    assert [f["code"] for f in snapshot["fields"]] == ["TP", "DD", "XH"]
    assert "elderly" in [p["code"] for p in snapshot["priority_categories"]]
    assert all(s["open"] and s["closed_reason"] is None for s in snapshot["services"])
    assert snapshot["recent_calls"] == []
    assert set(snapshot) >= {"office", "business_day", "services", "counters", "recent_calls"}


async def test_printer_fault_reaches_the_counters(connect: Connect) -> None:
    kiosk = await connect("kiosk", "kiosk-cua-chinh")
    counter = await connect("counter", counter=2)
    reply = await kiosk.request("printer_fault", fault=True, message="Hết giấy")
    assert reply["type"] == "ok"
    fault = await counter.next_event("printer_fault")
    assert fault == {"type": "event", "event": "printer_fault", "kiosk": "kiosk-cua-chinh",
                     "fault": True, "message": "Hết giấy"}


async def test_admin_acts_for_a_counter(connect: Connect) -> None:
    admin = await connect("admin")
    display = await connect("display")
    await admin.request("issue", service="B")
    called = await admin.request("call_next", for_counter=2)
    assert called["type"] == "called"
    assert called["ticket"]["counter"] == 2
    snapshot = await snapshot_of(display)
    assert snapshot["counters"][1]["current"]["number"] == "B001"


# --- every error code, and nothing changes ---------------------------------------------

# (role, counter, frame, code). The state before: A001 called at counter 1, A002 and
# B001 waiting.
ERROR_CASES: list[tuple[str, str, int | None, str | bytes, str]] = [
    ("malformed-json", "counter", 1, '{"type": "call_next", "id": ', "bad_request"),
    ("array", "kiosk", None, "[1, 2]", "bad_request"),
    ("number", "kiosk", None, "42", "bad_request"),
    ("string", "kiosk", None, '"issue"', "bad_request"),
    ("unknown-type", "kiosk", None, '{"type": "fly", "id": "e1"}', "bad_request"),
    ("no-type", "kiosk", None, '{"id": "e1"}', "bad_request"),
    ("no-id", "kiosk", None, '{"type": "issue", "service": "A"}', "bad_request"),
    ("missing-field", "kiosk", None, '{"type": "issue", "id": "e1"}', "bad_request"),
    ("wrong-type-service", "kiosk", None, '{"type": "issue", "id": "e1", "service": 5}',
     "bad_request"),
    ("wrong-type-counter", "counter", 1, '{"type": "transfer", "id": "e1", "counter": "2"}',
     "bad_request"),
    ("bool-for-counter", "admin", None, '{"type": "call_next", "id": "e1", "for_counter": true}',
     "bad_request"),
    ("admin-without-for-counter", "admin", None, '{"type": "call_next", "id": "e1"}',
     "bad_request"),
    ("unknown-priority", "kiosk", None,
     '{"type": "issue", "id": "e1", "service": "A", "priority": "vip"}', "bad_request"),
    ("call-without-reason", "counter", 2,
     '{"type": "call", "id": "e1", "number": "A002", "reason": " "}', "bad_request"),
    ("transfer-nowhere", "counter", 1, '{"type": "transfer", "id": "e1"}', "bad_request"),
    ("hello-again", "kiosk", None, '{"type": "hello", "id": "e1", "role": "admin"}',
     "bad_request"),
    ("binary-frame", "counter", 1, b'{"type": "call_next", "id": "e1"}', "bad_request"),
    ("display-calls", "display", None, '{"type": "call_next", "id": "e1"}', "forbidden"),
    ("display-issues", "display", None, '{"type": "issue", "id": "e1", "service": "A"}',
     "forbidden"),
    ("kiosk-calls", "kiosk", None, '{"type": "call", "id": "e1", "number": "A002", '
     '"reason": "x"}', "forbidden"),
    ("counter-issues", "counter", 2, '{"type": "issue", "id": "e1", "service": "A"}',
     "forbidden"),
    ("counter-for-another", "counter", 2, '{"type": "call_next", "id": "e1", "for_counter": 3}',
     "forbidden"),
    ("issue-unknown-service", "kiosk", None, '{"type": "issue", "id": "e1", "service": "Z"}',
     "unknown_service"),
    ("transfer-unknown-service", "counter", 1,
     '{"type": "transfer", "id": "e1", "service": "Z"}', "unknown_service"),
    ("transfer-unknown-counter", "counter", 1,
     '{"type": "transfer", "id": "e1", "counter": 99}', "unknown_counter"),
    ("admin-for-unknown-counter", "admin", None,
     '{"type": "call_next", "id": "e1", "for_counter": 99}', "unknown_counter"),
    ("call-unknown-number", "counter", 2,
     '{"type": "call", "id": "e1", "number": "A999", "reason": "x"}', "not_found"),
    ("return-unknown-number", "counter", 2, '{"type": "return", "id": "e1", "number": "B005"}',
     "not_found"),
    ("recall-nothing", "counter", 2, '{"type": "recall", "id": "e1"}', "no_current_ticket"),
    ("absent-nothing", "counter", 2, '{"type": "absent", "id": "e1"}', "no_current_ticket"),
    ("park-nothing", "counter", 2, '{"type": "park", "id": "e1"}', "no_current_ticket"),
    ("done-nothing", "counter", 2, '{"type": "done", "id": "e1"}', "no_current_ticket"),
    ("transfer-nothing", "counter", 2, '{"type": "transfer", "id": "e1", "service": "B"}',
     "no_current_ticket"),
    ("return-a-waiting-ticket", "counter", 2, '{"type": "return", "id": "e1", "number": "A002"}',
     "conflict"),
    ("call-a-ticket-at-another-counter", "counter", 2,
     '{"type": "call", "id": "e1", "number": "A001", "reason": "x"}', "conflict"),
]


@pytest.mark.parametrize(
    ("role", "counter", "frame", "code"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
async def test_an_error_changes_nothing_and_the_connection_stays(
    connect: Connect, role: str, counter: int | None, frame: str | bytes, code: str
) -> None:
    kiosk = await connect("kiosk", "kiosk-setup")
    quay_1 = await connect("counter", "quay-1-setup", counter=1)
    await kiosk.request("issue", service="A")
    await kiosk.request("issue", service="A")
    await kiosk.request("issue", service="B")
    await quay_1.request("call_next")
    watcher = await connect("display", "watcher")
    client = await connect(role, counter=counter)
    before = await snapshot_of(watcher)
    for listener in (watcher, client):  # "counter 2 connected" and such
        while not listener.events.empty():
            listener.events.get_nowait()

    await client.send_raw(frame)
    answer = await client.next_event()

    assert answer["type"] == "error", answer
    assert answer["code"] == code, answer
    assert answer["message"]
    expected_re = "e1" if isinstance(frame, str) and '"id": "e1"' in frame else None
    assert answer["re"] == expected_re
    assert await snapshot_of(client) == before  # the same connection still answers
    assert await snapshot_of(watcher) == before
    assert watcher.events.empty()  # no event was published
    assert not client.closed


async def test_closed_outside_issuing_hours(make_server: MakeServer, connect: Connect) -> None:
    evening = datetime(2026, 11, 23, 17, 30, tzinfo=ZONE)
    office = office_from_toml(SMALL_OFFICE)
    server = await make_server(office, clock=lambda: evening)
    kiosk = await connect("kiosk", to=server)
    assert kiosk.snapshot["services"][0]["open"] is False
    assert "Ngoài giờ cấp số" in kiosk.snapshot["services"][0]["closed_reason"]
    refused = await kiosk.request("issue", service="A")
    assert refused["type"] == "error"
    assert refused["code"] == "closed"
    assert "07:00–11:00" in refused["message"]
    assert await snapshot_of(kiosk) == kiosk.snapshot
    assert (await kiosk.request("issue", service="B"))["type"] == "ticket"  # B has no hours


async def test_cap_reached(make_server: MakeServer, connect: Connect) -> None:
    office = office_from_toml(SMALL_OFFICE)
    server = await make_server(office, clock=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=ZONE))
    admin = await connect("admin", to=server)  # admins are not rate-limited
    assert (await admin.request("issue", service="B"))["ticket"]["number"] == "B001"
    assert (await admin.request("issue", service="B"))["ticket"]["number"] == "B002"
    before = await snapshot_of(admin)
    refused = await admin.request("issue", service="B")
    assert refused["code"] == "cap_reached"
    assert await snapshot_of(admin) == before
    assert (await admin.request("issue", service="A"))["ticket"]["number"] == "A001"


async def test_rate_limited_kiosk(make_server: MakeServer, connect: Connect) -> None:
    office = office_from_toml(SMALL_OFFICE)  # 1 ticket a minute, a burst of 3
    server = await make_server(office, clock=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=ZONE))
    kiosk = await connect("kiosk", "kiosk-1", to=server)
    for n in range(3):
        reply = await kiosk.request("issue", request_id=f"press-{n}", service="A")
        assert reply["type"] == "ticket"
    before = await snapshot_of(kiosk)
    refused = await kiosk.request("issue", service="A")
    assert refused["code"] == "rate_limited"
    assert await snapshot_of(kiosk) == before
    # A retry of a request already answered is answered again, not refused.
    retried = await kiosk.request("issue", request_id="press-2", service="A")
    assert retried["ticket"]["number"] == "A003"
    # Per kiosk, and reconnecting does not refill it.
    other = await connect("kiosk", "kiosk-2", to=server)
    assert (await other.request("issue", service="A"))["type"] == "ticket"
    again = await connect("kiosk", "kiosk-1", to=server)
    assert (await again.request("issue", service="A"))["code"] == "rate_limited"


async def test_too_large_frame_is_refused_and_closes(
    server: OfficeServer, connect: Connect
) -> None:
    client = await connect("display")
    padding = MAX_FRAME_BYTES - len(encode({"type": "snapshot", "id": "big", "pad": ""}))
    at_limit = encode({"type": "snapshot", "id": "big", "pad": "x" * padding})
    assert len(at_limit.encode()) == MAX_FRAME_BYTES
    await client.send_raw(at_limit)
    assert (await client.next_event())["type"] == "snapshot"  # 64 KiB exactly is fine

    over = encode({"type": "snapshot", "id": "big", "pad": "x" * (padding + 1)})
    await client.send_raw(over)
    answer = await client.next_event()
    assert answer["type"] == "error"
    assert answer["code"] == "too_large"
    assert await client.wait_closed() == 1009

    huge = await connect("display", "huge")
    await huge.send_raw("x" * (2 * 1024 * 1024))  # cut off at the frame header
    assert await huge.wait_closed() == 1009
    other = await connect("kiosk")
    assert (await other.request("issue", service="A"))["type"] == "ticket"


async def test_too_large_hello_is_refused(server: OfficeServer) -> None:
    async with raw_socket(server.url) as ws:
        await receive_json(ws)
        await ws.send_str(" " * (MAX_FRAME_BYTES + 1))
        answer = await receive_json(ws)
        assert answer["code"] == "too_large"
        assert await closed_code(ws) == 1009


async def test_internal_error_is_answered_and_logged(
    server: OfficeServer, connect: Connect, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kiosk = await connect("kiosk")
    display = await connect("display")
    before = await snapshot_of(display)
    handle = server.service.handle

    def broken(*args: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(server.service, "handle", broken)
    with caplog.at_level(logging.ERROR, logger="shared.server.server"):
        answer = await kiosk.request("issue", service="A")
    assert answer["type"] == "error"
    assert answer["code"] == "internal"
    assert answer["re"] is not None
    assert "disk on fire" not in answer["message"]  # no internals for the citizen
    [record] = [r for r in caplog.records if r.name == "shared.server.server"]
    assert record.exc_info is not None
    monkeypatch.setattr(server.service, "handle", handle)
    assert await snapshot_of(display) == before
    assert (await kiosk.request("issue", service="A"))["ticket"]["number"] == "A001"


# --- events ----------------------------------------------------------------------


async def test_a_display_sees_issues_and_calls(connect: Connect) -> None:
    display = await connect("display")
    kiosk = await connect("kiosk")
    counter = await connect("counter", counter=1)
    assert (await display.next_event())["event"] == "counter_changed"  # counter 1 connected

    issued = await kiosk.request("issue", service="A")
    event = await display.next_event()
    assert event == {"type": "event", "event": "ticket_issued", "ticket": issued["ticket"]}
    queue = await display.next_event()
    assert queue["event"] == "queue_changed"
    assert queue["waiting"] == {"A": 1, "B": 0, "C": 0, "D": 0, "E": 0, "F": 0}

    called = await counter.request("call_next")
    event = await display.next_event()
    assert event["event"] == "ticket_called"
    assert event["ticket"] == called["ticket"]
    assert event["counter"] == 1
    assert event["recall"] is False
    assert (await display.next_event())["waiting"]["A"] == 0

    await counter.request("recall")
    event = await display.next_event()
    assert event["event"] == "ticket_called"
    assert event["recall"] is True
    assert event["ticket"]["recalls"] == 1

    await counter.request("done")
    event = await display.next_event()
    assert event["event"] == "ticket_updated"
    assert event["action"] == "done"
    event = await display.next_event()  # the counter's figures, as the server counts
    assert (event["event"], event["counter"], event["today"]["served"]) == ("counter_day", 1, 1)

    await counter.request("pause")
    assert (await display.next_event()) == {
        "type": "event", "event": "counter_changed", "counter": 1, "change": "paused",
        "paused": True, "official": None,
    }
    # The kiosk and the acting counter get the events too.
    assert (await kiosk.next_event("ticket_issued"))["ticket"]["number"] == "A001"
    assert (await counter.next_event("ticket_issued"))["ticket"]["number"] == "A001"


async def test_counters_coming_and_going(connect: Connect, server: OfficeServer) -> None:
    display = await connect("display")
    async with OfficeClient.connect(server.url, server.secret, "counter", "q3", 3) as three:
        assert three.snapshot["counters"][2]["connected"] is True
        assert (await display.next_event()) == {
            "type": "event", "event": "counter_changed", "counter": 3, "change": "connected",
            "paused": False, "official": None,
        }
        assert (await snapshot_of(display))["counters"][2]["connected"] is True
        async with OfficeClient.connect(server.url, server.secret, "counter", "q3b", 3):
            pass  # a second program for counter 3 comes and goes: no news
        await three.request("pause")
        assert (await display.next_event())["change"] == "paused"
    event = await display.next_event()
    assert event == {"type": "event", "event": "counter_changed", "counter": 3,
                     "change": "disconnected", "paused": True, "official": None}
    assert (await snapshot_of(display))["counters"][2]["connected"] is False


async def test_no_events_before_welcome(server: OfficeServer, connect: Connect) -> None:
    kiosk = await connect("kiosk")
    key = (await connect("display", "raw")).key
    async with raw_socket(server.url) as ws:
        challenge = await receive_json(ws)
        await kiosk.request("issue", service="A")  # while this socket has not said hello
        await ws.send_str(hello(challenge, key))
        welcome = await receive_json(ws)
        assert welcome["type"] == "welcome"
        assert welcome["snapshot"]["services"][0]["waiting"] == 1
        await kiosk.request("issue", service="A")
        assert (await receive_json(ws))["event"] == "ticket_issued"


# --- idempotency -------------------------------------------------------------------


async def test_a_resent_request_gets_the_first_reply(
    server: OfficeServer, connect: Connect
) -> None:
    kiosk = await connect("kiosk", "kiosk-1")
    first = await kiosk.request("issue", service="A", request_id="r-1")
    again = await kiosk.request("issue", service="A", request_id="r-1")
    assert again == first
    async with OfficeClient.connect(server.url, server.secret, "kiosk", "kiosk-1") as back:
        after_reconnect = await back.request("issue", service="A", request_id="r-1")
        assert after_reconnect == first
        assert back.snapshot["services"][0]["waiting"] == 1
    other = await connect("kiosk", "kiosk-2")
    assert (await other.request("issue", service="A", request_id="r-1"))["ticket"]["number"] \
        == "A002"

    counter = await connect("counter", counter=1)
    called = await counter.request("call_next", request_id="c-1")
    assert await counter.request("call_next", request_id="c-1") == called
    snapshot = await snapshot_of(counter)
    assert snapshot["counters"][0]["current"]["number"] == "A001"
    assert snapshot["services"][0]["waiting"] == 1


# --- slow clients, stopping ---------------------------------------------------------------


class StuckClient:
    """A hand-made WebSocket client with a tiny receive buffer that stops reading."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(5)
        self.sock.connect(("127.0.0.1", port))
        self.buffer = b""

    def handshake(self, device_key: str, counter: int) -> None:
        key = "dGhlIHNhbXBsZSBub25jZQ=="
        self.sock.sendall(
            f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            f"Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101")
        challenge = json.loads(self.read_frame())
        self.send_frame(hello(challenge, device_key, "counter", f"stuck-{counter}", counter))
        assert json.loads(self.read_frame())["type"] == "welcome"

    def read_frame(self) -> str:
        while True:
            if len(self.buffer) >= 2:
                length = self.buffer[1] & 0x7F
                start = 2
                if length == 126:
                    length, start = struct.unpack("!H", self.buffer[2:4])[0], 4
                elif length == 127:
                    length, start = struct.unpack("!Q", self.buffer[2:10])[0], 10
                if len(self.buffer) >= start + length:
                    payload = self.buffer[start : start + length]
                    self.buffer = self.buffer[start + length :]
                    return payload.decode()
            self.buffer += self.sock.recv(65536)

    def send_frame(self, text: str) -> None:
        data, mask = text.encode(), os.urandom(4)
        header = bytes([0x81])
        if len(data) < 126:
            header += bytes([0x80 | len(data)])
        else:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(data))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(header + mask + masked)


async def test_a_client_that_stops_reading_is_dropped_alone(
    make_server: MakeServer, office: Any, connect: Connect, caplog: pytest.LogCaptureFixture
) -> None:
    server = await make_server(office, outbox_size=8)
    async with OfficeClient.connect(server.url, server.secret, "counter", "stuck-4", 4) as once:
        key = once.key  # enrolled once; the stuck client then says hello with its key
    display = await connect("display", to=server)
    admin = await connect("admin", to=server)
    stuck = StuckClient(server.port)
    await asyncio.to_thread(stuck.handshake, key, 4)
    assert (await display.next_event())["change"] == "connected"
    # On loopback the kernel would buffer megabytes for the stuck socket before the
    # server noticed; a slow Wi-Fi client fills a small buffer just the same.
    [connection] = [c for c in server._clients if c.session and c.session.counter == 4]
    assert connection.transport is not None
    connection.transport.get_extra_info("socket").setsockopt(
        socket.SOL_SOCKET, socket.SO_SNDBUF, 4096
    )
    numbers: list[str] = []
    seen: list[dict[str, Any]] = []
    with caplog.at_level(logging.WARNING, logger="shared.server.server"):
        for _ in range(900):  # far more than the buffers between us and it hold
            reply = await admin.request("issue", service="A")
            numbers.append(reply["ticket"]["number"])
            while not display.events.empty():
                seen.append(display.events.get_nowait())
            if any(m["event"] == "counter_changed" for m in seen):
                break
        else:
            pytest.fail("the stuck client was never disconnected")
    [dropped] = [m for m in seen if m["event"] == "counter_changed"]
    assert (dropped["counter"], dropped["change"]) == (4, "disconnected")
    issued = [m["ticket"]["number"] for m in seen if m["event"] == "ticket_issued"]
    assert issued == numbers  # the display, reading, missed nothing
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "not reading" in warnings[0].getMessage()
    stuck.sock.close()


async def test_stop_says_going_away_and_keeps_the_data(
    make_server: MakeServer, office: Any, data_dir: Path
) -> None:
    server = await make_server(office)
    async with OfficeClient.connect(server.url, server.secret, "kiosk", "k") as kiosk:
        assert (await kiosk.request("issue", service="A"))["ticket"]["number"] == "A001"
        await server.stop()
        assert await kiosk.wait_closed() == 1001
    with pytest.raises(ClientError):
        async with OfficeClient.connect(server.url, server.secret, "kiosk", "k"):
            pass
    again = await make_server(office, data_dir=data_dir)
    async with OfficeClient.connect(again.url, again.secret, "kiosk", "k") as kiosk:
        assert kiosk.snapshot["services"][0]["waiting"] == 1
        assert (await kiosk.request("issue", service="A"))["ticket"]["number"] == "A002"


def test_server_in_a_thread_for_qt_tests(server_thread: ThreadedServer) -> None:
    reply = server_thread.request("kiosk", "issue", service="A")
    assert reply["ticket"]["number"] == "A001"
    snapshot = server_thread.request("display", "snapshot")["snapshot"]
    assert snapshot["services"][0]["waiting"] == 1
    assert server_thread.url == f"ws://127.0.0.1:{server_thread.port}/ws"
    assert server_thread.secret == read_secret(server_thread.server.data_dir)


# --- the pairing code ---------------------------------------------------------------


def test_pairing_code_is_created_once_and_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"
    with pytest.raises(PairingError, match=r"no pairing code in .*fresh: start `motcua serve "
                       r"--data-dir .*fresh` once first"):
        read_secret(data_dir)
    code = load_or_create_secret(data_dir)
    assert len(code) == 19
    assert code == normalize_code(code)
    assert [len(group) for group in code.split("-")] == [4, 4, 4, 4]
    assert load_or_create_secret(data_dir) == code
    assert read_secret(data_dir) == code
    if os.name == "posix":
        assert stat.S_IMODE(secret_path(data_dir).stat().st_mode) == 0o600
    assert [p.name for p in data_dir.iterdir()] == ["pairing-code"]  # no temporary left
    assert load_or_create_secret(tmp_path / "other") != code


def test_pairing_code_typed_by_a_person() -> None:
    assert normalize_code(" k7qh 3mxp-9rta-wc2d ") == "K7QH-3MXP-9RTA-WC2D"
    assert normalize_code("O1IL-0000-1111-2222") == "0111-0000-1111-2222"
    with pytest.raises(PairingError, match="16 characters"):
        normalize_code("K7QH-3MXP")
    with pytest.raises(PairingError, match="U is not one"):
        normalize_code("K7QH-3MXP-9RTA-WC2U")


def test_empty_pairing_code_file_is_a_plain_error(tmp_path: Path) -> None:
    secret_path(tmp_path).write_text("\n")
    with pytest.raises(PairingError, match="is empty"):
        load_or_create_secret(tmp_path)


# --- one voice per hall (issue 14, part 5) -----------------------------------------------


async def test_one_display_says_the_calls_and_the_next_takes_over(server: OfficeServer) -> None:
    async with OfficeClient.connect(server.url, server.secret, "display", "tv-sanh",
                                    speaks=True) as first:
        assert first.snapshot["speaker"] == "tv-sanh"
        async with OfficeClient.connect(server.url, server.secret, "display", "tv-tang-2",
                                        speaks=True) as second, \
                OfficeClient.connect(server.url, server.secret, "display", "tv-mute") as mute:
            assert second.snapshot["speaker"] == "tv-sanh"  # still the first
            assert mute.snapshot["speaker"] == "tv-sanh"
            await first.close()
            taken = await second.next_event("speaker_changed")
            assert taken["speaker"] == "tv-tang-2"
            assert (await mute.next_event("speaker_changed"))["speaker"] == "tv-tang-2"
        # The last one that may speak left: nobody says the calls.
    async with OfficeClient.connect(server.url, server.secret, "display", "tv-mute-2") as late:
        assert late.snapshot["speaker"] is None


async def test_a_kiosk_s_call_for_help_reaches_the_counters_until_one_answers(
    connect: Connect,
) -> None:
    kiosk = await connect("kiosk", "kiosk-sanh")
    one, two = await connect("counter", counter=1), await connect("counter", counter=2)
    assert (await kiosk.request("help", location="Sảnh tầng 1"))["type"] == "ok"
    for counter in (one, two):
        asked = await counter.next_event("help_requested")
        assert (asked["kiosk"], asked["location"]) == ("kiosk-sanh", "Sảnh tầng 1")
    assert (await two.request("help_answered", kiosk="kiosk-sanh"))["type"] == "ok"
    answered = await one.next_event("help_answered")
    assert (answered["kiosk"], answered["counter"]) == ("kiosk-sanh", 2)
    refused = await kiosk.request("help_answered", kiosk="kiosk-sanh")
    assert refused["code"] == "forbidden"  # only the staff answer
