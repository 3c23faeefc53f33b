"""The office as configured: services, counters, priority, announcements, devices.

Plain frozen dataclasses, built by ``shared.core.config`` from a TOML file or the
embedded default. Pure data with a few derived look-ups; imports no Qt, no network,
no database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from functools import cached_property
from zoneinfo import ZoneInfo

from shared.core.booking import BookingRules

log = logging.getLogger(__name__)


class NumberFormat(StrEnum):
    """How a service's ticket numbers look."""

    LETTER = "letter"  # a letter and three digits: A023
    BLOCK = "block"  # a four-digit block per service: 1023 for service 1


class CounterOrder(StrEnum):
    """How a counter picks among the services it serves."""

    FIFO = "fifo"  # first come, first served across all of them
    SERVICE_FIRST = "service_first"  # the first listed service with anyone waiting


class PriorityMode(StrEnum):
    """How priority tickets go ahead of ordinary ones."""

    STRICT = "strict"  # every waiting priority ticket before any ordinary one
    INTERLEAVE = "interleave"  # one priority ticket, then up to N ordinary ones
    AGE = "age"  # a priority ticket counts as having arrived some minutes earlier


class PrintMode(StrEnum):
    """How a ticket reaches the paper."""

    IMAGE = "image"  # rendered as a picture: every Vietnamese letter prints right
    TEXT = "text"  # the printer's own font with TCVN-3, for printers known to have it


class Reading(StrEnum):
    """How the number of a ticket is read aloud."""

    DIGITS = "digits"  # "một không hai ba"
    WHOLE = "whole"  # "một nghìn không trăm hai mươi ba"


@dataclass(frozen=True)
class TimeWindow:
    """Issuing hours: from ``start`` (inclusive) to ``end`` (exclusive), local time."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class Field:
    """A field (lĩnh vực) grouping services in a two-level kiosk menu."""

    code: str
    name: str
    name_en: str
    # Its pictogram on the kiosk, for citizens who read little: a built-in name
    # ("dat-dai") or an SVG file, as configured; and the SVG itself, once loaded.
    icon: str | None = None
    pictogram: str = ""


@dataclass(frozen=True)
class Service:
    code: str
    name: str  # Vietnamese, as printed on the ticket
    name_en: str
    number_format: NumberFormat = NumberFormat.LETTER
    prefix: str = ""  # the letter (LETTER) or the block digit (BLOCK)
    daily_cap: int | None = None
    hours: tuple[TimeWindow, ...] = ()  # empty: issued at any time
    field: str | None = None
    days: tuple[int, ...] = ()  # weekdays it issues on, 0 = Monday; empty: every day
    # A wait longer than this counts as too long in the reports (and the leader's alerts).
    wait_threshold_minutes: int = 30
    # The expected time at the counter for one citizen, until there is history: the
    # ticket's page estimates waits from it (``shared.core.forecast``); None: no guess.
    service_minutes: float | None = None
    # Takes bookings (appointments, online numbers) by these rules; None: walk-ins only.
    bookings: BookingRules | None = None

    @property
    def max_sequence(self) -> int:
        """Three digits follow the prefix, so a day holds at most 999 numbers."""
        return 999 if self.daily_cap is None else min(999, self.daily_cap)

    def format_number(self, sequence: int) -> str:
        return f"{self.prefix}{sequence:03d}"

    def is_issuing_at(self, moment: time) -> bool:
        return not self.hours or any(window.contains(moment) for window in self.hours)

    def is_issuing_on(self, weekday: int) -> bool:
        return not self.days or weekday in self.days

    def is_open_at(self, local: datetime) -> bool:
        """Issuing numbers at this local date and time (caps aside)."""
        return self.is_issuing_on(local.weekday()) and self.is_issuing_at(local.time())


@dataclass(frozen=True)
class Counter:
    number: int
    name: str
    services: tuple[str, ...]  # in the order of preference
    order: CounterOrder = CounterOrder.FIFO


@dataclass(frozen=True)
class Area:
    """A hall (khu vực) of a large centre: a floor or a room with its own counters,
    TVs and speakers (issue 17). Its displays show and say only its counters' calls."""

    code: str  # "tang-2"
    name: str  # "Tầng 2 — Khu B", as a ticket says where to go
    name_en: str
    counters: tuple[int, ...]


@dataclass(frozen=True)
class PriorityCategory:
    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class PriorityPolicy:
    mode: PriorityMode = PriorityMode.STRICT
    every: int = 3  # INTERLEAVE: ordinary tickets between two priority ones
    head_start_minutes: int = 30  # AGE: how much earlier a priority ticket counts
    categories: tuple[PriorityCategory, ...] = ()


@dataclass(frozen=True)
class RatingReason:
    code: str
    name: str
    name_en: str


DEFAULT_REASONS: tuple[RatingReason, ...] = (
    RatingReason("thai_do", "Thái độ phục vụ chưa tốt", "The official's manner"),
    RatingReason("cho_lau", "Phải chờ lâu", "Waited too long"),
    RatingReason("huong_dan", "Hướng dẫn không rõ", "Unclear guidance"),
    RatingReason("di_lai", "Phải đi lại nhiều lần", "Had to come back several times"),
    RatingReason("khac", "Lý do khác", "Another reason"),
)


@dataclass(frozen=True)
class Rating:
    """How citizens rate the service on their ticket's page (issue 13, part 3)."""

    scale: int = 3  # 3: Rất hài lòng / Hài lòng / Không hài lòng; 5: one to five stars
    reasons: tuple[RatingReason, ...] = DEFAULT_REASONS  # asked after a low rating

    @property
    def low(self) -> int:
        """The highest level that counts as dissatisfied (and asks for reasons)."""
        return 1 if self.scale == 3 else 2


@dataclass(frozen=True)
class Announcement:
    template: str = "Xin mời công dân có số thứ tự {number} đến quầy số {counter}"
    reading: Reading = Reading.DIGITS
    southern: bool = False  # "lẻ" instead of "linh" for 105, 1005 …
    repeat: int = 2
    pause_seconds: float = 1.0
    # Calls that wait are said once each, in one sentence; a lone call ``repeat`` times.
    keep_up: bool = True
    # Every announcement at this RMS level (speech; the chime 3 dB under), peaks ≤ -1 dBFS.
    loudness_dbfs: float = -20.0


@dataclass(frozen=True)
class Printer:
    spec: str = "none"  # usb:VID:PID, serial:DEV[:BAUD], network:HOST[:PORT], file:PATH, …
    width_dots: int | None = None  # None: from the printer profile (384 for 58 mm)
    qr_url: str | None = None  # e.g. "https://tra-cuu.example.vn/?so={number}"
    footer: str = "Vui lòng chờ đến lượt"
    qr_caption: str = "Quét mã để theo dõi lượt gọi"  # under the QR code ("" for none)
    profile: str | None = None  # a python-escpos printer profile, e.g. "TM-T88V"
    mode: PrintMode = PrintMode.IMAGE


@dataclass(frozen=True)
class Voice:
    enabled: bool = True  # only one display per hall should speak
    voice: str = "vi"
    rate: int = 150  # words per minute
    volume: float = 1.0  # 0.0 … 1.0
    # The office's own recorded voice (``shared.voice.voice_pack``): a folder on this
    # machine; what it lacks is synthesised by ``voice``. None: synthesis only.
    pack: str | None = None


@dataclass(frozen=True)
class Server:
    host: str | None = None  # set both to skip discovery where multicast is blocked
    port: int = 8765
    kiosk_rate_per_minute: int = 60
    embedded: bool = False  # a kiosk may start the server itself on a one-PC office
    # Where phones reach the ticket pages ("http://192.168.1.10:8765"); default: the
    # server's own LAN address and port.
    page_url: str | None = None


class NoOpenCounter(StrEnum):
    """What the kiosk does for a service that no counter serves right now."""

    WARN = "warn"  # issue the number, and say plainly that nobody serves it yet
    REFUSE = "refuse"  # issue no number (the button is off; the server refuses)


@dataclass(frozen=True)
class Kiosk:
    # A second press this soon, while its ticket is still on screen, makes no second one.
    double_press_seconds: float = 3.0
    confirmation_seconds: float = 10.0  # the number stays on screen this long
    server_wait_seconds: float = 4.0  # looking for a server before starting one
    no_open_counter: NoOpenCounter = NoOpenCounter.WARN
    location: str = ""  # where this kiosk stands ("Sảnh tầng 1"): said with a call for help


@dataclass(frozen=True)
class Display:
    recent_calls: int = 6  # how many past calls the hall display lists
    highlight_seconds: float = 8.0  # how long a fresh call stays highlighted
    hall: str | None = None  # a display's own: the hall it shows (`motcua display --hall`)


@dataclass(frozen=True)
class Desk:
    """The leader's desk: the live view and the reports, in the browser, over HTTPS on a
    port of its own (issue 12, parts 3 and 4)."""

    enabled: bool = True
    port: int = 8766
    # The office's own certificate and key (PEM files); none: one is made at first start.
    certificate: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Central:
    """Where this site sends its event log: the province's central server (issue 19).
    Nothing in the hall waits for it."""

    url: str  # "https://trung-tam.tinh.gov.vn:8770"
    site: str  # this site's id there, as `motcua central site add` made it
    key_file: str  # the site's key (a file of its own, 0600: never in the office file)
    # The central server's certificate authority (its central-ca.crt), for a central
    # server with a certificate of its own making; none: the system's trusted ones.
    authority: str | None = None
    batch: int = 500  # events per request


@dataclass(frozen=True)
class Official:
    """A person who serves at the counters (cán bộ): they sign in at a counter with a
    PIN of their own (``motcua officials pin``), and what the counter does from then
    on carries their id (issue 12)."""

    id: str  # short and stable, as written in the log: "nguyen-van-an"
    name: str  # full name, as the leader reads it: "Nguyễn Văn An"
    title: str = ""  # "Chuyên viên"
    photo: str | None = None  # a picture file beside the office file, for the desk


@dataclass(frozen=True)
class Office:
    id: str
    name: str
    timezone: str = "Asia/Ho_Chi_Minh"
    services: tuple[Service, ...] = ()
    counters: tuple[Counter, ...] = ()
    fields: tuple[Field, ...] = ()
    priority: PriorityPolicy = field(default_factory=PriorityPolicy)
    announcement: Announcement = field(default_factory=Announcement)
    printer: Printer = field(default_factory=Printer)
    voice: Voice = field(default_factory=Voice)
    server: Server = field(default_factory=Server)
    kiosk: Kiosk = field(default_factory=Kiosk)
    display: Display = field(default_factory=Display)
    rating: Rating = field(default_factory=Rating)
    desk: Desk = field(default_factory=Desk)
    central: Central | None = None
    halls: tuple[Area, ...] = ()  # none: one hall, as a ward's office has
    officials: tuple[Official, ...] = ()
    absent_grace_minutes: int = 15
    # Bookings one person (by identity-number hash) may hold for one day, every channel
    # together; None: no limit (issue 15: Hanoi allows two).
    bookings_per_person: int | None = None
    notice: str = ""  # a scrolling line on the hall display

    def service(self, code: str) -> Service | None:
        return self._services_by_code.get(code)

    def counter(self, number: int) -> Counter | None:
        return self._counters_by_number.get(number)

    # Looked up on every request and by every ticket page: by key, not by a scan. (The
    # office never changes once made; cached_property keeps them out of the fields.)
    @cached_property
    def _services_by_code(self) -> dict[str, Service]:
        return {s.code: s for s in reversed(self.services)}  # the first of a code wins

    @cached_property
    def _counters_by_number(self) -> dict[int, Counter]:
        return {c.number: c for c in reversed(self.counters)}

    def hall(self, code: str) -> Area | None:
        return next((h for h in self.halls if h.code == code), None)

    def halls_serving(self, service: str) -> tuple[Area, ...]:
        """The halls with a counter that serves ``service``: where its citizens go."""
        serving = {c.number for c in self.counters if service in c.services}
        return tuple(h for h in self.halls if serving & set(h.counters))

    def official(self, official_id: str) -> Official | None:
        return next((o for o in self.officials if o.id == official_id), None)

    def priority_category(self, code: str) -> PriorityCategory | None:
        return next((p for p in self.priority.categories if p.code == code), None)

    def local_time(self, moment: datetime) -> datetime:
        """``moment`` (timezone-aware) in the office's own time zone."""
        return moment.astimezone(ZoneInfo(self.timezone))
