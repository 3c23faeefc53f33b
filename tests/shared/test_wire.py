"""The typed wire model against its contract: every JSON example in docs/protocol.md
decodes into the model and encodes back to the same JSON; bad frames are refused
with a plain error."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest

from shared.core import wire
from shared.core.protocol import ALLOWED, ProtocolError

PROTOCOL_DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"

PROOF = "0" * 64  # any 64 hex digits: the shape of a proof


def json_examples() -> list[tuple[int, Any]]:
    """Every JSON value in the doc's ```json blocks (a block may hold several), with
    the line it starts on."""
    text = PROTOCOL_DOC.read_text(encoding="utf-8")
    examples = []
    for block in re.finditer(r"```json\n(.*?)```", text, re.S):
        line = text.count("\n", 0, block.start(1)) + 1
        body, position = block.group(1), 0
        decoder = json.JSONDecoder()
        while position < len(body):
            if body[position].isspace():
                position += 1
                continue
            try:
                value, end = decoder.raw_decode(body, position)
            except json.JSONDecodeError as problem:
                raise AssertionError(
                    f"docs/protocol.md line {line + body.count(chr(10), 0, position)}: "
                    f"not JSON: {problem}"
                ) from None
            examples.append((line + body.count("\n", 0, position), value))
            position = end
    # ... and the messages written inline, in the tables (the errors, say).
    for inline in re.finditer(r'`(\{"type": "(?!event", "event": NAME)[^`]*\})`', text):
        examples.append((text.count("\n", 0, inline.start()) + 1, json.loads(inline.group(1))))
    return examples


def typed(value: dict[str, Any]) -> msgspec.Struct:
    data = json.dumps(value, ensure_ascii=False)
    kind = value.get("type")
    if kind in ("hello", "enrol"):
        return wire.decode_opening(data)
    if kind in wire.REQUEST_TYPES and "re" not in value:
        return wire.decode_request(data)
    if kind is None and "business_day" in value:
        return msgspec.json.decode(data, type=wire.Snapshot)
    if kind is None and "status" in value:
        return msgspec.json.decode(data, type=wire.Health)
    return wire.decode_server_message(data)


EXAMPLES = json_examples()


def test_the_doc_has_an_example_of_every_message() -> None:
    shown = {(v.get("type"), v.get("event")) for _, v in EXAMPLES if isinstance(v, dict)}
    for request in wire.REQUEST_TYPES | {"hello"}:
        assert (request, None) in shown, request
    # The welcome and the snapshot reply are shown abbreviated: see the next test.
    for reply in ("challenge", "ticket", "called", "empty", "ok", "error"):
        assert (reply, None) in shown, reply
    for event in ("ticket_issued", "ticket_called", "ticket_updated", "queue_changed",
                  "counter_changed", "printer_fault", "services_changed", "counter_day"):
        assert ("event", event) in shown, event


@pytest.mark.parametrize(("line", "example"), EXAMPLES, ids=[str(n) for n, _ in EXAMPLES])
def test_every_example_in_the_protocol_doc_round_trips_through_the_model(
    line: int, example: Any
) -> None:
    value = typed(example)
    encoded = json.loads(msgspec.json.encode(value))
    assert encoded == example
    # In the same order, too: clients that read bytes (bench/) rely on "type" first
    # and "re" right after it.
    assert json.dumps(encoded, ensure_ascii=False) == json.dumps(example, ensure_ascii=False)


def test_the_doc_s_snapshot_round_trips_in_a_welcome_and_a_snapshot_reply() -> None:
    [snapshot] = [v for _, v in EXAMPLES if isinstance(v, dict) and "business_day" in v]
    for message in (
        {"type": "welcome", "re": "pc-quay-1-hello", "snapshot": snapshot},
        {"type": "snapshot", "re": "ad-2", "snapshot": snapshot},
        {"type": "event", "event": "day_changed", "snapshot": snapshot},
    ):
        decoded = typed(message)
        assert isinstance(decoded, wire.Welcome | wire.SnapshotReply | wire.DayChanged)
        assert json.loads(wire.encode(decoded)) == message
    assert decoded.snapshot.counters[0].current is not None
    assert decoded.snapshot.counters[0].current.number == "A001"


def test_every_request_type_has_a_role_that_may_send_it() -> None:
    assert ALLOWED["admin"] == wire.REQUEST_TYPES


@pytest.mark.parametrize(
    ("frame", "message", "re"),
    [
        ("not json", "Not valid JSON", None),
        ("[1, 2]", "A message must be a JSON object.", None),
        ('{"type": "fly", "id": "k-1"}', "Unknown request type 'fly'", "k-1"),
        ('{"type": "issue", "service": "A"}', 'Every request needs an "id"', None),
        ('{"type": "issue", "id": "", "service": "A"}', 'Every request needs an "id"', None),
        ('{"type": "issue", "id": true, "service": "A"}', 'Every request needs an "id"', None),
        ('{"type": "issue", "id": "k-2", "service": 3}',
         "“issue”: Expected `str`, got `int` - at `$.service`", "k-2"),
        ('{"type": "issue", "id": "k-3"}', "“issue”: Object missing required field `service`",
         "k-3"),
        # What would be echoed into a stored error reply is bounded (issue 18).
        ('{"type": "call", "id": "q-2", "number": "' + "A" * 60_000 + '", "reason": "x"}',
         "Expected `str` of length <= 16 - at `$.number`", "q-2"),
        ('{"type": "call", "id": "q-1", "number": "A001", "reason": "x", "for_counter": false}',
         "Expected `int | null`, got `bool`", "q-1"),
        ('{"type": "issue", "id": "\\ud800", "service": "A"}', "Not valid JSON", None),
        ('{"type": "issue", "id": "k-4", "service": "\\ud800"}', "Not valid JSON", None),
        ("[" * 5000 + "]" * 5000, "A message must be a JSON object.", None),
    ],
)
def test_a_bad_request_is_refused_in_plain_words(frame: str, message: str, re: Any) -> None:
    with pytest.raises(ProtocolError) as refused:
        wire.decode_request(frame)
    assert refused.value.code == "bad_request"
    assert message in refused.value.message
    assert refused.value.re == re


def outcome(frame: str) -> object:
    """The request, or the refusal as (code, message)."""
    try:
        return wire.decode_request(frame)
    except ProtocolError as refused:
        return refused.code, refused.message


def test_json_nested_thousands_deep_is_refused_or_skipped_never_a_crash() -> None:
    # msgspec refuses it on Python 3.11 (nested too deeply) and, on 3.13, skips an
    # unknown field however deep: either way the server answers, and nothing escapes.
    frame = '{"type": "issue", "id": "k-5", "service": "A", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    result = outcome(frame)
    if isinstance(result, tuple):
        assert result[0] == "bad_request"
        assert "nested too deeply" in result[1]
    else:
        assert result == wire.Issue(id="k-5", service="A")


def test_a_frame_over_the_limit_is_too_large() -> None:
    frame = json.dumps({"type": "issue", "id": "k", "service": "A", "pad": "x" * 70_000})
    with pytest.raises(ProtocolError) as refused:
        wire.decode_request(frame)
    assert refused.value.code == "too_large"


def test_unknown_fields_in_a_request_are_ignored() -> None:
    request = wire.decode_request('{"type": "issue", "id": 7, "service": "A", "colour": "red"}')
    assert request == wire.Issue(id=7, service="A")
    assert request.key == "7"
    assert request.type == "issue"


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ('{"type": "issue", "id": "h"}', "Send “hello” (or “enrol”) first."),
        ('{"type": "hello", "id": "h", "role": "boss", "client": "c", "proof": "' + PROOF + '"}',
         "Invalid enum value 'boss'"),
        ('{"type": "hello", "id": "h", "role": "counter", "client": "c", "proof": "' + PROOF + '"}',
         "A counter must say its number"),
        ('{"type": "hello", "id": "h", "role": "kiosk", "client": "", "proof": "' + PROOF + '"}',
         "Expected `str` of length >= 1"),
        ('{"type": "hello", "id": "h", "role": "kiosk", "client": "\\udfff", '
         '"proof": "' + PROOF + '"}',
         "Not valid JSON"),
    ],
)
def test_a_bad_hello_is_unauthorized(frame: str, message: str) -> None:
    with pytest.raises(ProtocolError) as refused:
        wire.decode_opening(frame)
    assert refused.value.code == "unauthorized"
    assert message in refused.value.message


def test_only_a_counter_keeps_its_counter_number() -> None:
    hello = wire.decode_opening(
        '{"type": "hello", "id": "h", "role": "display", "client": "tv", "counter": 3, '
        '"proof": "' + PROOF + '"}'
    )
    assert hello.counter is None
