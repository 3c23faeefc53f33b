"""The values protocol v1 messages carry: tickets, services, counters, the office as
its server describes it, and the snapshot. Pure: msgspec and the core only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from shared.core.booking import RefusalKind
from shared.core.office import Reading
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
    # Sent only when set (older clients and the documented examples stay as they were):
    # it holds the place of a booking (issue 15); the counter that issued it for a
    # citizen standing there.
    appointment: bool | msgspec.UnsetType = msgspec.UNSET
    issued_by: int | msgspec.UnsetType = msgspec.UNSET


class AnnouncementSettings(_Value, frozen=True):
    """How the hall says a call: the office's template and reading rules."""

    template: str
    reading: Reading = Reading.DIGITS
    southern: bool = False
    repeat: int = 2
    pause_seconds: float = 1.0
    keep_up: bool = True  # waiting calls said once each, in one sentence
    loudness_dbfs: float = -20.0  # every announcement's RMS level; peaks at most -1 dBFS


class VoiceSettings(_Value, frozen=True):
    """The office's voice (whether a display speaks is the display's own choice)."""

    voice: str = "vi"
    rate: int = 150
    volume: float = 1.0


class DisplaySettings(_Value, frozen=True):
    recent_calls: int = 6
    highlight_seconds: float = 8.0


class KioskSettings(_Value, frozen=True):
    # For a service no counter serves right now: "warn" (issue, and say so) or
    # "refuse" (no number; the server answers "no_counter").
    no_open_counter: Literal["warn", "refuse"] = "warn"


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
    kiosk: KioskSettings = msgspec.field(default_factory=KioskSettings)


class Closed(_Value, frozen=True):
    """Why a service issues no number now, as a code and its parameters: each program
    words it in its own languages (no program parses another's sentences)."""

    kind: Literal["not_today", "outside_hours", "cap_reached"]
    days: tuple[int, ...] = ()  # not_today: the weekdays it issues on, 0 = Monday
    hours: tuple[tuple[str, str], ...] = ()  # outside_hours: its windows, ("07:00", "11:00")
    opens: str | None = None  # outside_hours: when it opens again today ("13:00"), or None
    cap: int | None = None  # cap_reached: how many numbers a day


class CheckInRefusal(_Value, frozen=True, omit_defaults=True):
    """Why a booking gives no ticket, as a code and its facts (``shared.core.booking``):
    each program words it in its own languages."""

    kind: RefusalKind
    day: date | None = None  # other_day: the booking's day
    at: str | None = None  # too_early: come back at ("09:10"); used: when it was used
    number: str | None = None  # used: the ticket it gave


class Service(_Value, frozen=True):
    code: str
    name: str
    name_en: str
    field: str | None = None
    waiting: int = 0
    open: bool = True
    closed: Closed | None = None
    closed_reason: str | None = None  # the same in Vietnamese, for clients before ``closed``
    # Takes bookings: the kiosk offers to check one in (sent only when it does).
    bookable: bool | msgspec.UnsetType = msgspec.UNSET


class Field(_Value, frozen=True):
    code: str
    name: str
    name_en: str
    # Its pictogram for the kiosk's button, as SVG markup (sent only when it has one).
    pictogram: str | msgspec.UnsetType = msgspec.UNSET


class PriorityCategory(_Value, frozen=True):
    code: str
    name: str
    name_en: str


class Official(_Value, frozen=True):
    """An official who may sign in at the counters (never their PIN)."""

    id: str
    name: str
    title: str = ""


class HallInfo(_Value, frozen=True):
    """A hall of a large centre (issue 17): its counters, and how a ticket names it."""

    code: str
    name: str
    name_en: str
    counters: tuple[int, ...]


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
    official: str | None = None  # the official signed in here (an id of ``officials``)


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
    officials: tuple[Official, ...] = ()
    halls: tuple[HallInfo, ...] = ()
    # The display that says the calls in each hall ("": an office of one hall).
    speakers: dict[str, str] = msgspec.field(default_factory=dict)
    speaker: str | None = None  # the display that says the calls (its client id)


class CounterPause(_Value, frozen=True):
    number: int | None
    paused: bool


class Health(_Value, frozen=True, kw_only=True):
    """``GET /health``: the server answers, and which protocol and version it speaks."""

    status: Literal["ok"] = "ok"
    protocol: int
    version: str
