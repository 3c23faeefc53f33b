"""Protocol v1 as typed values: every request, reply, event, ticket and snapshot.

One frozen ``msgspec.Struct`` per message, with one JSON encoding, validated on the
way in. The server builds these values and encodes them; clients decode frames
into them; nothing inside a program handles raw dicts. ``docs/protocol.md`` is the
contract, and ``tests/shared/test_wire.py`` checks every JSON example in it against
these types (decode, encode, same JSON).

msgspec rather than dataclasses and json: it validates while it decodes, refuses a
wrong type with the path of the field (``at `$.service```), and encodes several
times faster than ``json.dumps`` of dicts on the server's hot path (see
docs/performance.md).

Pure: imports msgspec and the core; no Qt, no network, no database.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Final, Literal

import msgspec

from shared.core.office import Reading
from shared.core.protocol import MAX_FRAME_BYTES, ProtocolError, proof
from shared.core.ticket import TicketStatus

# A request id: a non-empty string or a number; stored with its reply, so bounded.
RequestId = Annotated[str, msgspec.Meta(min_length=1, max_length=128)] | int
# What a request names is echoed in error replies, which are stored: bounded too.
Code = Annotated[str, msgspec.Meta(max_length=16)]  # a service code, a ticket number
Sentence = Annotated[str, msgspec.Meta(max_length=500)]  # a reason, a printer's message
Role = Literal["kiosk", "counter", "display", "admin"]


class _Value(msgspec.Struct, frozen=True, kw_only=True):
    """A part of a message (not a message by itself)."""


# --- the values messages carry ---------------------------------------------------


class Ticket(_Value, kw_only=True, frozen=True):
    """A ticket as every client sees it (docs/protocol.md §6)."""

    number: str
    service: str
    service_name: str
    status: TicketStatus
    priority: str | None = None
    issued_at: datetime
    counter: int | None = None
    target_counter: int | None = None
    ahead: int = 0
    called_at: datetime | None = None
    finished_at: datetime | None = None
    recalls: int = 0
    transferred_from: str | None = None


class AnnouncementSettings(_Value, frozen=True):
    """How the hall says a call: the office's template and reading rules."""

    template: str
    reading: Reading = Reading.DIGITS
    southern: bool = False
    repeat: int = 2
    pause_seconds: float = 1.0


class VoiceSettings(_Value, frozen=True):
    """The office's voice (whether a display speaks is the display's own choice)."""

    voice: str = "vi"
    rate: int = 150
    volume: float = 1.0


class DisplaySettings(_Value, frozen=True):
    recent_calls: int = 6
    highlight_seconds: float = 8.0


class OfficeInfo(_Value, frozen=True):
    """The office as its server describes it: the one authority for everything
    office-wide. A program's own file keeps only what belongs to its device."""

    id: str
    name: str
    timezone: str = "Asia/Ho_Chi_Minh"
    notice: str = ""  # the hall display's scrolling line
    ticket_footer: str = ""  # the last line of a printed ticket
    announcement: AnnouncementSettings = msgspec.field(
        default_factory=lambda: AnnouncementSettings(template="")
    )
    voice: VoiceSettings = msgspec.field(default_factory=VoiceSettings)
    display: DisplaySettings = msgspec.field(default_factory=DisplaySettings)


class Closed(_Value, frozen=True):
    """Why a service issues no number now, as a code and its parameters: each program
    words it in its own languages (no program parses another's sentences)."""

    kind: Literal["not_today", "outside_hours", "cap_reached"]
    days: tuple[int, ...] = ()  # not_today: the weekdays it issues on, 0 = Monday
    hours: tuple[tuple[str, str], ...] = ()  # outside_hours: its windows, ("07:00", "11:00")
    opens: str | None = None  # outside_hours: when it opens again today ("13:00"), or None
    cap: int | None = None  # cap_reached: how many numbers a day


class Service(_Value, frozen=True):
    code: str
    name: str
    name_en: str
    field: str | None = None
    waiting: int = 0
    open: bool = True
    closed: Closed | None = None
    closed_reason: str | None = None  # the same in Vietnamese, for clients before ``closed``


class Field(_Value, frozen=True):
    code: str
    name: str
    name_en: str


class PriorityCategory(_Value, frozen=True):
    code: str
    name: str
    name_en: str


class CounterDay(_Value, frozen=True):
    """Today at one counter: citizens done, tickets still absent, mean call-to-done."""

    served: int = 0
    absent: int = 0
    average_service_seconds: int | None = None


class Counter(_Value, frozen=True):
    number: int
    name: str
    services: tuple[str, ...]
    paused: bool = False
    current: Ticket | None = None
    today: CounterDay = msgspec.field(default_factory=CounterDay)
    connected: bool = False


class RecentCall(_Value, frozen=True):
    ticket: Ticket
    counter: int | None
    at: datetime | None


class Snapshot(_Value, frozen=True):
    """The whole state a client needs: sent in the welcome and on request."""

    office: OfficeInfo
    business_day: date
    services: tuple[Service, ...] = ()
    fields: tuple[Field, ...] = ()
    priority_categories: tuple[PriorityCategory, ...] = ()
    counters: tuple[Counter, ...] = ()
    set_aside: tuple[Ticket, ...] = ()
    recent_calls: tuple[RecentCall, ...] = ()


class CounterPause(_Value, frozen=True):
    number: int | None
    paused: bool


class Health(_Value, frozen=True, kw_only=True):
    """``GET /health``: the server answers, and which protocol and version it speaks."""

    status: Literal["ok"] = "ok"
    protocol: int
    version: str


# --- requests (client → server) ----------------------------------------------------


class _Request(msgspec.Struct, frozen=True, tag_field="type", omit_defaults=True):
    id: RequestId

    @property
    def key(self) -> str:
        """The request id as the idempotency key: 7 and "7" are the same request."""
        return str(self.id)

    @property
    def type(self) -> str:
        """The request's type, as in its JSON (``"call_next"``)."""
        return str(self.__struct_config__.tag)


class Hello(_Request, tag="hello", kw_only=True, frozen=True):
    role: Role
    client: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    counter: int | None = None
    proof: str


class Issue(_Request, tag="issue", frozen=True):
    service: Code
    priority: Annotated[str, msgspec.Meta(max_length=32)] | None = None


class SnapshotRequest(_Request, tag="snapshot", frozen=True):
    pass


class PrinterFaultReport(_Request, tag="printer_fault", frozen=True):
    fault: bool
    message: Sentence = ""


class CounterAction(_Request, frozen=True):
    """A request that acts for one counter: a counter's own, or an admin's for one."""

    for_counter: int | None = None


class CallNext(CounterAction, tag="call_next", frozen=True):
    pass


class Recall(CounterAction, tag="recall", frozen=True):
    pass


class Absent(CounterAction, tag="absent", frozen=True):
    pass


class Park(CounterAction, tag="park", frozen=True):
    pass


class Done(CounterAction, tag="done", frozen=True):
    pass


class Pause(CounterAction, tag="pause", frozen=True):
    pass


class Resume(CounterAction, tag="resume", frozen=True):
    pass


class Transfer(CounterAction, tag="transfer", frozen=True):
    service: Code | None = None
    counter: int | None = None


class CallNumber(CounterAction, tag="call", kw_only=True, frozen=True):
    number: Code
    reason: Sentence


class Return(CounterAction, tag="return", kw_only=True, frozen=True):
    number: Code


Request = (
    Issue | SnapshotRequest | PrinterFaultReport | CallNext | Recall | Absent | Park | Done
    | Pause | Resume | Transfer | CallNumber | Return
)

# --- replies and the handshake (server → client) -----------------------------------


class _Reply(msgspec.Struct, frozen=True, tag_field="type"):
    re: RequestId | None


class Challenge(msgspec.Struct, frozen=True, kw_only=True, tag_field="type", tag="challenge"):
    protocol: int
    office: str
    nonce: str
    name: str = ""  # the office's name, for a client of another office to say which


class Welcome(_Reply, tag="welcome", frozen=True):
    snapshot: Snapshot


class TicketReply(_Reply, tag="ticket", frozen=True):
    ticket: Ticket


class Called(_Reply, tag="called", frozen=True):
    ticket: Ticket
    recall: bool = False


class Empty(_Reply, tag="empty", frozen=True):
    pass


class Ok(_Reply, tag="ok", omit_defaults=True, frozen=True):
    ticket: Ticket | None = None
    counter: CounterPause | None = None


class SnapshotReply(_Reply, tag="snapshot", frozen=True):
    snapshot: Snapshot


class ErrorReply(_Reply, tag="error", frozen=True, omit_defaults=True):
    code: str
    message: str
    closed: Closed | None = None  # with ``closed`` and ``cap_reached``: why, as a code


Reply = Welcome | TicketReply | Called | Empty | Ok | SnapshotReply | ErrorReply

# --- events (server → every client) -------------------------------------------------


class _Event(msgspec.Struct, frozen=True, kw_only=True):
    # Not a msgspec tag: "type" comes first and "event" second, as clients that read
    # the bytes (bench/call_fanout.py) and protocol v1's examples have them.
    type: Literal["event"] = "event"


class TicketIssued(_Event, frozen=True, kw_only=True):
    event: Literal["ticket_issued"] = "ticket_issued"
    ticket: Ticket


class TicketCalled(_Event, frozen=True, kw_only=True):
    event: Literal["ticket_called"] = "ticket_called"
    ticket: Ticket
    counter: int | None
    recall: bool = False
    out_of_order: bool = False


class TicketUpdated(_Event, frozen=True, kw_only=True):
    event: Literal["ticket_updated"] = "ticket_updated"
    ticket: Ticket
    counter: int | None
    action: str


class QueueChanged(_Event, frozen=True, kw_only=True):
    event: Literal["queue_changed"] = "queue_changed"
    waiting: dict[str, int]


class CounterChanged(_Event, frozen=True, kw_only=True):
    event: Literal["counter_changed"] = "counter_changed"
    counter: int
    change: Literal["paused", "resumed", "connected", "disconnected"]
    paused: bool


class PrinterFault(_Event, frozen=True, kw_only=True):
    event: Literal["printer_fault"] = "printer_fault"
    kiosk: str
    fault: bool
    message: str = ""


class CounterDayChanged(_Event, frozen=True, kw_only=True):
    """A counter's figures for today changed (a citizen served, marked absent, brought
    back): the server's own count, which the counter shows as it is."""

    event: Literal["counter_day"] = "counter_day"
    counter: int
    today: CounterDay


class DayChanged(_Event, frozen=True, kw_only=True):
    """A new business day began (the server's midnight): everything starts afresh."""

    event: Literal["day_changed"] = "day_changed"
    snapshot: Snapshot


class ServicesChanged(_Event, frozen=True, kw_only=True):
    """Services opened or closed (their hours, their days, a daily cap): all of them."""

    event: Literal["services_changed"] = "services_changed"
    services: tuple[Service, ...]


Event = (
    TicketIssued | TicketCalled | TicketUpdated | QueueChanged | CounterChanged | PrinterFault
    | CounterDayChanged | DayChanged | ServicesChanged
)
Message = Challenge | Reply | Event | Request | Hello

def hello(
    secret: str, challenge: Challenge, role: Role, client: str, counter: int | None = None,
    *, id: RequestId,
) -> Hello:
    """The answer to ``challenge`` that proves this client knows the pairing code."""
    return Hello(
        id=id, role=role, client=client, counter=counter,
        proof=proof(secret, challenge.nonce, role, client, counter),
    )


# --- encoding and decoding ----------------------------------------------------------


class _Kind(msgspec.Struct):
    """Just enough of any message to pick its decoder (and to answer a broken one)."""

    type: Any = None
    event: Any = None
    id: Any = None


_encoder: Final = msgspec.json.Encoder()
_kind: Final = msgspec.json.Decoder(_Kind)
_requests: Final = msgspec.json.Decoder(Request)
_hello: Final = msgspec.json.Decoder(Hello)
_server_messages: Final = msgspec.json.Decoder(Challenge | Reply)



def _event_name(kind: type[msgspec.Struct]) -> str:
    """The ``event`` an event class always carries (its field's default)."""
    return str(next(f.default for f in msgspec.structs.fields(kind) if f.name == "event"))


_events: Final[dict[str, msgspec.json.Decoder[Any]]] = {
    _event_name(kind): msgspec.json.Decoder(kind) for kind in Event.__args__
}
REQUEST_TYPES: Final = frozenset(
    str(t.__struct_config__.tag) for t in Request.__args__
)


def encode(message: msgspec.Struct) -> bytes:
    """A message as the UTF-8 JSON of one WebSocket text frame."""
    return _encoder.encode(message)


def to_json(value: msgspec.Struct) -> Any:
    """A value as plain JSON data (dicts, lists, strings), as on the wire."""
    return msgspec.json.decode(_encoder.encode(value))


def _frame(frame: str | bytes) -> bytes:
    data = frame.encode("utf-8", "surrogatepass") if isinstance(frame, str) else frame
    if len(data) > MAX_FRAME_BYTES:
        raise ProtocolError(
            "too_large", f"Frame of {len(data)} bytes; the limit is {MAX_FRAME_BYTES}."
        )
    return data


def _peek(data: bytes) -> _Kind:
    """The type, event and id of a frame, or ProtocolError(bad_request)."""
    try:
        return _kind.decode(data)
    except msgspec.ValidationError as problem:
        raise ProtocolError("bad_request", "A message must be a JSON object.") from problem
    except (msgspec.DecodeError, RecursionError) as problem:
        raise ProtocolError("bad_request", f"Not valid JSON: {_plain(problem)}.") from problem


def _re(kind: _Kind) -> RequestId | None:
    re = kind.id
    if isinstance(re, bool) or not isinstance(re, str | int) or re == "":
        return None
    return re


def decode_request(frame: str | bytes) -> Request:
    """One frame from a welcomed client as a typed request, or ProtocolError."""
    data = _frame(frame)
    kind = _peek(data)
    re = _re(kind)
    if not isinstance(kind.type, str) or kind.type not in REQUEST_TYPES:
        known = ", ".join(sorted(REQUEST_TYPES))
        raise ProtocolError(
            "bad_request", f"Unknown request type {kind.type!r}; known: {known}.", re
        )
    if re is None:
        raise ProtocolError("bad_request", 'Every request needs an "id" (a string or a number).')
    try:
        return _requests.decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError) as problem:
        raise ProtocolError("bad_request", f"“{kind.type}”: {_plain(problem)}.", re) from problem


def decode_hello(frame: str | bytes) -> Hello:
    """The first frame of a connection as a hello, or ProtocolError(unauthorized)."""
    data = _frame(frame)
    try:
        kind = _peek(data)
    except ProtocolError as problem:
        raise ProtocolError("unauthorized", f"Send “hello” first. {problem.message}") from None
    re = _re(kind)
    if kind.type != "hello":
        raise ProtocolError("unauthorized", "Send “hello” first.", re)
    try:
        hello = _hello.decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError) as problem:
        raise ProtocolError("unauthorized", f"“hello”: {_plain(problem)}.", re) from problem
    if hello.role == "counter" and hello.counter is None:
        raise ProtocolError("unauthorized", "A counter must say its number in “counter”.", re)
    if hello.role != "counter" and hello.counter is not None:
        hello = msgspec.structs.replace(hello, counter=None)  # only counters have one
    return hello


def decode_server_message(frame: str | bytes) -> Challenge | Reply | Event:
    """One frame from the server, typed; ProtocolError if it breaks the contract."""
    data = _frame(frame)
    kind = _peek(data)
    try:
        if kind.type == "event":
            decoder = _events.get(kind.event) if isinstance(kind.event, str) else None
            if decoder is None:
                raise ProtocolError("bad_request", f"Unknown event {kind.event!r}.")
            event: Event = decoder.decode(data)
            return event
        return _server_messages.decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError) as problem:
        raise ProtocolError("bad_request", f"From the server: {_plain(problem)}.") from problem


def decode_reply(text: str | bytes) -> Reply:
    """A reply as stored by the server (``encode`` of a Reply)."""
    message = _server_messages.decode(text)
    if isinstance(message, Challenge):
        raise ProtocolError("internal", "A stored reply is a challenge.")
    return message


def _plain(problem: Exception) -> str:
    if isinstance(problem, RecursionError):
        return "nested too deeply"
    text = str(problem) or type(problem).__name__
    return text.rstrip(".")
