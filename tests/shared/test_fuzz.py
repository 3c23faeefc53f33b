"""Fuzzing the way in (issue 18): whatever a client sends, the server answers it with a
plain error or a proper reply, keeps serving everybody else, and its database changes
only through valid requests.

Two layers:

- the decoder alone, under hypothesis: typed requests with random field values,
  arbitrary JSON (surrogates, huge numbers, deep nesting), and arbitrary bytes;
- a real server on 127.0.0.1, hit by a seeded barrage of such frames from a paired
  kiosk and a paired counter (plus binary frames, oversized frames, and frames
  before the hello), while a well-behaved display keeps asking for snapshots.

In CI both run in seconds. For a long run by hand:
``MOTCUA_FUZZ_EXAMPLES=20000 MOTCUA_FUZZ_FRAMES=20000 .venv/bin/python -m pytest
tests/shared/test_fuzz.py``.
"""

from __future__ import annotations

import json
import os
import random
import string
from typing import Any

import aiohttp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.core import wire
from shared.core.protocol import MAX_FRAME_BYTES, ProtocolError
from shared.server.server import OfficeServer
from tests.conftest import Connect
from tests.shared.test_server import raw_socket, receive_json, welcomed

EXAMPLES = int(os.environ.get("MOTCUA_FUZZ_EXAMPLES", "300"))
FRAMES = int(os.environ.get("MOTCUA_FUZZ_FRAMES", "400"))

# Text with what breaks naive code: lone surrogates, controls, Vietnamese, emoji.
TEXT = st.text(alphabet=st.characters(codec=None, categories=None), max_size=40) | st.sampled_from(
    ["", "A", "Z", "\ud800", "\udfff", "\x00", "Hộ tịch", "🙂", "A" * 300])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)
REQUEST_TYPES = sorted(wire.REQUEST_TYPES)
# Requests shaped like the real ones, with any value in any field.
REQUEST_LIKE = st.fixed_dictionaries(
    {"type": st.sampled_from([*REQUEST_TYPES, "hello", "fly"]), "id": JSON},
    optional={name: JSON for name in ("service", "priority", "number", "reason", "counter",
                                      "for_counter", "fault", "message")},
)


def decoded_or_refused(frame: str | bytes) -> None:
    """Decode ``frame``: a request that encodes again, or a plain refusal; nothing else."""
    try:
        request: wire.Request | None = wire.decode_request(frame)
        refusal = None
    except ProtocolError as refused:
        request, refusal = None, refused
    if request is not None:
        assert request.type in wire.REQUEST_TYPES
        wire.encode(request)  # what was accepted can be encoded again
    else:
        assert refusal is not None
        assert refusal.code in ("bad_request", "too_large")
        assert refusal.message


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REQUEST_LIKE)
def test_request_shaped_json_is_decoded_or_refused_in_plain_words(message: dict[str, Any]) -> None:
    decoded_or_refused(json.dumps(message))


@settings(max_examples=EXAMPLES, deadline=None)
@given(JSON)
def test_any_json_is_decoded_or_refused_in_plain_words(value: Any) -> None:
    decoded_or_refused(json.dumps(value))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_decoded_or_refused_in_plain_words(data: bytes) -> None:
    decoded_or_refused(data)


def barrage(seed: int) -> list[str | bytes]:
    """Frames a hostile or broken client could send, reproducibly."""
    rng = random.Random(seed)

    def text() -> str:
        return rng.choice(["", "A", "B", "Z9", "\\ud800", "Hộ tịch", "A" * 200,
                           "".join(rng.choices(string.printable, k=rng.randint(0, 30)))])

    def value(depth: int = 0) -> str:
        choice = rng.randint(0, 7 if depth < 3 else 4)
        if choice == 0:
            return "null"
        if choice == 1:
            return rng.choice(["true", "false"])
        if choice == 2:
            return str(rng.randint(-(2**70), 2**70))
        if choice == 3:
            return repr(rng.random() * 1e6)
        if choice == 4:
            return '"' + text() + '"'
        if choice == 5:
            return "[" + ",".join(value(depth + 1) for _ in range(rng.randint(0, 3))) + "]"
        if choice == 6:
            return "[" * 1500 + "]" * 1500
        fields = [f'"{rng.choice(["id", "type", "service", "number", "x"])}":{value(depth + 1)}'
                  for _ in range(rng.randint(0, 3))]
        return "{" + ",".join(fields) + "}"

    frames: list[str | bytes] = []
    for index in range(FRAMES):
        kind = rng.randint(0, 9)
        if kind == 0:  # a valid request now and then, as a real client sends
            request = rng.choice(['"issue","service":"A"', '"issue","service":"B"',
                                  '"call_next"', '"recall"', '"done"', '"absent"',
                                  '"snapshot"', '"pause"', '"resume"'])
            frames.append(f'{{"type":{request},"id":"v-{index}"}}')
        elif kind <= 4:  # request-shaped, with odd values
            fields = {"type": f'"{rng.choice([*REQUEST_TYPES, "fly"])}"', "id": f'"f-{index}"'}
            for name in rng.sample(["service", "priority", "number", "reason", "counter",
                                    "for_counter", "fault", "message"], rng.randint(0, 3)):
                fields[name] = value()
            frames.append("{" + ",".join(f'"{k}":{v}' for k, v in fields.items()) + "}")
        elif kind <= 6:
            frames.append(value())
        elif kind == 7:
            frames.append(bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 64))))
        elif kind == 8:
            padding = "x" * (MAX_FRAME_BYTES + 10)
            frames.append(f'{{"type":"issue","id":"big-{index}","service":"A","x":"{padding}"}}')
        else:
            frames.append("".join(rng.choices(string.printable, k=rng.randint(1, 50))))
    return frames


async def send_all(url: str, secret: str, role: str, counter: int | None,
                   frames: list[str | bytes]) -> tuple[int, int, int]:
    """Send each frame, reconnecting when the server closes; (tickets issued, errors
    answered, connections closed by the server)."""
    issued = errors = closes = 0
    position = 0
    while position < len(frames):
        async with raw_socket(url) as ws:
            welcome = await welcomed(ws, secret, role, f"fuzz-{role}", counter)
            assert welcome["type"] == "welcome"
            while position < len(frames):
                frame = frames[position]
                position += 1
                if isinstance(frame, bytes):
                    await ws.send_bytes(frame)
                else:
                    await ws.send_str(frame)
                answer = await ws.receive(timeout=10)
                while answer.type is aiohttp.WSMsgType.TEXT and \
                        json.loads(answer.data).get("type") == "event":
                    answer = await ws.receive(timeout=10)  # events of other requests
                if answer.type is not aiohttp.WSMsgType.TEXT:
                    closes += 1  # closed (a frame over the limit): connect again
                    break
                reply = json.loads(answer.data)
                assert reply["type"] in ("error", "ticket", "called", "empty", "ok", "snapshot")
                if reply["type"] == "error":
                    assert reply["code"] != "internal", reply  # never a crash inside
                    assert reply["message"]
                    errors += 1
                if reply["type"] == "ticket":
                    issued += 1
    return issued, errors, closes


async def test_the_server_survives_a_barrage_and_serves_everyone_else(
    server: OfficeServer, connect: Connect
) -> None:
    display = await connect("display", "tv-bystander")
    before = await display.request("snapshot")

    # Strangers first: nothing but garbage, before any hello.
    for frame in barrage(7)[:50]:
        async with raw_socket(server.url) as ws:
            await receive_json(ws)  # the challenge
            if isinstance(frame, bytes):
                await ws.send_bytes(frame)
            else:
                await ws.send_str(frame)
            answer = await ws.receive(timeout=10)
            if answer.type is aiohttp.WSMsgType.TEXT:
                assert json.loads(answer.data)["code"] in ("unauthorized", "too_large")

    issued, errors, closes = await send_all(server.url, server.secret, "kiosk", None,
                                            barrage(1))
    assert issued > 0  # the barrage held some valid requests …
    assert errors > FRAMES // 2  # … among many refused ones …
    assert closes > 0  # … and frames over the limit, which close the connection
    await send_all(server.url, server.secret, "counter", 1, barrage(2))

    after = await display.request("snapshot")
    assert after["type"] == "snapshot"
    assert before["type"] == "snapshot"
    # Only valid requests changed anything: every ticket in the database was replied.
    assert server.service.store.ticket_count() == issued  # type: ignore[attr-defined]
    ticket = await (await connect("kiosk", "kiosk-after")).request("issue", service="A")
    assert ticket["type"] == "ticket"  # and the office goes on
