"""The messages of protocol v1: requests (client → server), replies and the handshake
(server → client), and the events pushed to every client. Pure: msgspec and the core.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from shared.core.protocol import proof
from shared.core.wire.values import (
    CheckInRefusal,
    Closed,
    Code,
    CounterDay,
    CounterPause,
    RequestId,
    Role,
    Sentence,
    Service,
    Snapshot,
    Ticket,
)

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


ClientId = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
# HMAC-SHA256 in hex: nothing else can be one (and compare_digest wants ASCII).
Proof = Annotated[str, msgspec.Meta(pattern="^[0-9a-fA-F]{64}$")]
PublicKey = Annotated[str, msgspec.Meta(pattern="^[0-9a-fA-F]{64}$")]


class Hello(_Request, tag="hello", kw_only=True, frozen=True):
    role: Role
    client: ClientId
    counter: int | None = None
    proof: Proof
    speaks: bool = False  # a display that may say the calls: the server picks one
    hall: Annotated[str, msgspec.Meta(max_length=32)] | None = None  # a display's hall
    # A display that follows a hall the leader's desk assigns it (older ones do not).
    takes_hall: bool = False


class Enrol(_Request, tag="enrol", kw_only=True, frozen=True):
    """A device's first opening: the pairing code, used once (``shared.core.enrolment``)."""

    role: Role
    client: ClientId
    counter: int | None = None
    name: Annotated[str, msgspec.Meta(max_length=64)] = ""  # "Máy tính quầy 2", say
    public_key: PublicKey
    proof: Proof


class Issue(_Request, tag="issue", frozen=True):
    service: Code
    priority: Annotated[str, msgspec.Meta(max_length=32)] | None = None
    reason: Sentence = ""  # why the official gave it (a priority's, say): kept in the log


class CheckIn(_Request, tag="check_in", frozen=True):
    """A citizen checks in with their booking's code, typed or scanned (issue 15)."""

    code: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class SnapshotRequest(_Request, tag="snapshot", frozen=True):
    pass


class PrinterFaultReport(_Request, tag="printer_fault", frozen=True):
    fault: bool
    message: Sentence = ""


class HelpRequest(_Request, tag="help", frozen=True):
    """A citizen at a kiosk pressed "Tôi cần hỗ trợ"; ``location`` says where it stands."""

    location: Annotated[str, msgspec.Meta(max_length=64)] = ""


class HelpAnswer(_Request, tag="help_answered", frozen=True):
    """An official is on the way to the kiosk that asked for help."""

    kiosk: ClientId


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


class SignIn(CounterAction, tag="sign_in", kw_only=True, frozen=True):
    """An official signs in at the counter with their PIN, sealed with the device's key
    (``shared.core.pin.seal``): never in clear on the network."""

    official: Annotated[str, msgspec.Meta(max_length=32)]
    pin: Annotated[str, msgspec.Meta(pattern="^[0-9a-fA-F]{64,200}$")]


class SignOut(CounterAction, tag="sign_out", frozen=True):
    pass


class IssueHere(CounterAction, tag="issue_here", kw_only=True, frozen=True):
    """The official gives a number to a citizen standing at the counter (issue 15)."""

    service: Code
    priority: Annotated[str, msgspec.Meta(max_length=32)] | None = None
    reason: Sentence = ""  # why the official gave it (a priority's, say): kept in the log


Request = (
    Issue | SnapshotRequest | PrinterFaultReport | HelpRequest | HelpAnswer | CallNext | Recall
    | Absent | Park | Done
    | Pause | Resume | Transfer | CallNumber | Return | SignIn | SignOut | CheckIn | IssueHere
)

# --- replies and the handshake (server → client) -----------------------------------


class _Reply(msgspec.Struct, frozen=True, tag_field="type"):
    re: RequestId | None


class Challenge(msgspec.Struct, frozen=True, kw_only=True, tag_field="type", tag="challenge"):
    protocol: int
    office: str
    nonce: str
    name: str = ""  # the office's name, for a client of another office to say which


class Welcome(_Reply, tag="welcome", frozen=True, omit_defaults=True):
    snapshot: Snapshot
    # A display's hall as assigned on the leader's desk, when it named none itself.
    hall: str | None = None


class TicketReply(_Reply, tag="ticket", omit_defaults=True, frozen=True):
    ticket: Ticket
    page: Annotated[str, msgspec.Meta(max_length=512)] | None = None  # the ticket's page
    # A check-in: the booked slot's start ("09:40"), and whether the citizen came too
    # late for it and got an ordinary number instead.
    slot: str | None = None
    late: bool = False


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
    check_in: CheckInRefusal | None = None  # with ``check_in``: why, as a code


class Enrolled(_Reply, tag="enrolled", kw_only=True, frozen=True):
    public_key: PublicKey
    proof: Proof


Reply = Welcome | TicketReply | Called | Empty | Ok | SnapshotReply | ErrorReply | Enrolled

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


class SpeakerChanged(_Event, frozen=True, kw_only=True):
    """Which display says the calls now (its client id), or None: one voice per hall."""

    event: Literal["speaker_changed"] = "speaker_changed"
    speaker: str | None
    hall: str | None = None  # whose speaker changed; None: an office of one hall


class CounterChanged(_Event, frozen=True, kw_only=True):
    event: Literal["counter_changed"] = "counter_changed"
    counter: int
    change: Literal["paused", "resumed", "connected", "disconnected", "signed_in",
                    "signed_out"]
    paused: bool
    official: str | None = None  # who is signed in there after the change (issue 12)


class HelpRequested(_Event, frozen=True, kw_only=True):
    event: Literal["help_requested"] = "help_requested"
    kiosk: str
    location: str = ""


class HelpAnswered(_Event, frozen=True, kw_only=True):
    event: Literal["help_answered"] = "help_answered"
    kiosk: str
    counter: int | None = None  # the counter whose official went, if a counter answered


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
    | CounterDayChanged | DayChanged | ServicesChanged | SpeakerChanged | HelpRequested
    | HelpAnswered
)

def hello(
    secret: str, challenge: Challenge, role: Role, client: str, counter: int | None = None,
    *, id: RequestId, speaks: bool = False, hall: str | None = None,
    takes_hall: bool = False,
) -> Hello:
    """The answer to ``challenge`` that proves this client holds ``secret``, its key."""
    return Hello(
        id=id, role=role, client=client, counter=counter,
        proof=proof(secret, challenge.nonce, role, client, counter), speaks=speaks, hall=hall,
        takes_hall=takes_hall,
    )
