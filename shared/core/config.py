"""Office configuration: one TOML file read into the frozen dataclasses of ``shared.core.office``.

``load_office(path)`` reads a file, or with no path the default office embedded in
the package (``shared/core/default_office.toml``); ``parse_office(text, source)`` does the
work for both. Everything is checked before an ``Office`` is built, and the first
problem found is raised as a ``ConfigError`` naming the file, the line where it can be
found (when it can be found for sure), the key (``services[2].daily_cap``; indexes
count the ``[[...]]`` tables from 1, as a person reading the file does) and what is
wrong, in plain words. This module is the office's schema, section by section; the
reading of TOML with such errors is ``shared.core.toml_reader``'s.

Pure: imports only the standard library and ``shared.core.office``, ``shared.core.errors``,
``shared.core.reading``, ``shared.core.printer_spec``, ``shared.core.toml_reader``; no Qt, no
network, no database.
"""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Callable
from dataclasses import replace
from datetime import time
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.core.booking import BookingPolicy, BookingRules
from shared.core.config_words import said
from shared.core.errors import ConfigError, ManyConfigError
from shared.core.office import (
    Announcement,
    Area,
    Central,
    Counter,
    CounterOrder,
    Desk,
    Display,
    Field,
    Kiosk,
    NoOpenCounter,
    NumberFormat,
    Office,
    Official,
    Printer,
    PrintMode,
    PriorityCategory,
    PriorityMode,
    PriorityPolicy,
    Rating,
    RatingReason,
    Reading,
    Server,
    Service,
    TimeWindow,
    Voice,
)
from shared.core.phrase import Phrase
from shared.core.printer_spec import PrinterSpecError, parse_spec
from shared.core.reading import check_template
from shared.core.toml_reader import Table, parse_toml

log = logging.getLogger(__name__)

_T = TypeVar("_T")

DEFAULT_SOURCE = "default_office.toml (embedded)"

_OFFICE_ID = re.compile(r"[a-z0-9-]+")
_CODE = re.compile(r"[A-Z0-9]{1,8}")
_CATEGORY_CODE = re.compile(r"[a-z0-9_-]{1,32}")
_WINDOW = re.compile(r"\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*")
_QR_PLACEHOLDERS = ("number", "service", "office")
_WIDTHS = (384, 512, 576)


def load_office(path: Path | None = None) -> Office:
    """The office configured in ``path``, or the embedded default office when None."""
    if path is None:
        text = resources.files("shared.core").joinpath("default_office.toml").read_text("utf-8")
        return parse_office(text, DEFAULT_SOURCE)
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(source, "", said("cannot_read", reason=exc.strerror or exc)) from exc
    try:
        text = data.decode("utf-8-sig")  # Windows Notepad may put a BOM in front
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(source, "", said("not_utf8"), line) from exc
    return with_files(parse_office(text, source), path.parent, source)


def with_files(office: Office, folder: Path, source: str) -> Office:
    """``office`` with the files it names — officials' photos, a voice pack, pictograms
    — found in ``folder``, beside the office file (ConfigError for a missing picture)."""
    office = replace(office, fields=tuple(
        replace(f, pictogram=_pictogram_file(folder / f.icon, source, f))
        if f.icon and f.icon.lower().endswith(".svg") else f for f in office.fields))
    pack = office.voice.pack
    if pack and not Path(pack).is_absolute():
        office = replace(office, voice=replace(office.voice, pack=str(folder / pack)))
    return replace(office, officials=tuple(
        replace(o, photo=str(folder / o.photo)) if o.photo and not Path(o.photo).is_absolute()
        else o for o in office.officials))


def parse_office(text: str, source: str) -> Office:
    """The office configured by TOML ``text``; ``source`` names it in error messages."""
    office = _build_office(parse_toml(text, source))
    log.info(
        "office %s loaded from %s: %d services, %d counters",
        office.id, source, len(office.services), len(office.counters),
    )
    return office


def parse_window(text: str) -> TimeWindow:
    """``"07:00-11:15"`` as a TimeWindow; ValueError, in plain words (its argument a
    ``Phrase``), for anything else."""
    match = _WINDOW.fullmatch(text)
    if match is None:
        raise ValueError(said("window_unreadable", text=text))
    sh, sm, eh, em = (int(part) for part in match.groups())
    if sh > 23 or eh > 23 or sm > 59 or em > 59:
        raise ValueError(said("window_not_time", text=text))
    window = TimeWindow(time(sh, sm), time(eh, em))
    if window.start >= window.end:
        raise ValueError(said("window_backwards", text=text))
    return window


def format_window(window: TimeWindow) -> str:
    """A TimeWindow written as the config file writes it: ``"07:00-11:15"``."""
    return f"{window.start:%H:%M}-{window.end:%H:%M}"


# --- the office, section by section -------------------------------------------------------


class _Problems:
    """Every problem of a file, not just the first (issue 16): each part that can be
    read alone is tried, and what fails is noted and stands in with a default."""

    def __init__(self) -> None:
        self.found: list[ConfigError] = []
        self.unread_services: set[str] = set()  # codes of services that could not be read

    def attempt(self, build: Callable[[], _T], default: _T) -> _T:
        try:
            return build()
        except ConfigError as problem:
            self.found.append(problem)
            return default

    def note(self, table: Table, key: str, problem: Phrase) -> None:
        self.found.append(table.error(key, problem))

    def raise_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise ManyConfigError(self.found)


def _twice(what: str, code: object) -> Phrase:
    """"quầy 3 được khai báo hai lần": ``what`` is the key of the thing's name."""
    return said("defined_twice", what=said(what), code=code)


def _build_office(root: Table) -> Office:
    problems = _Problems()
    problems.attempt(lambda: root.check_keys(
        ("office", "fields", "services", "counters", "priority", "announcement", "printer",
         "voice", "server", "kiosk", "display", "rating", "officials", "desk", "halls",
         "bookings", "central")),
        None)
    if "office" not in root:
        raise root.error("office", said("no_office"))
    top = root.table("office")
    problems.attempt(lambda: top.check_keys(
        ("id", "name", "timezone", "absent_grace_minutes", "notice")), None)
    office_id = problems.attempt(lambda: top.code("id", _OFFICE_ID, said("like_office_id")),
                                 "x")
    name = problems.attempt(lambda: top.text("name", empty=False), "?")
    timezone = problems.attempt(lambda: _timezone(top), "Asia/Ho_Chi_Minh")
    absent_grace_minutes = problems.attempt(
        lambda: top.integer("absent_grace_minutes", 15, 0, 1440), 15)
    notice = problems.attempt(lambda: top.text("notice", ""), "")
    no_fields: tuple[Field, ...] = ()
    fields = problems.attempt(lambda: _fields(root), no_fields)
    services = _services(root, fields, problems)
    counters = _counters(root, services, problems)
    office = Office(
        id=office_id, name=name, timezone=timezone,
        services=services, counters=counters, fields=fields,
        priority=problems.attempt(lambda: _priority(root.table("priority")),
                                  PriorityPolicy()),
        announcement=problems.attempt(lambda: _announcement(root.table("announcement")),
                                      Announcement()),
        printer=problems.attempt(lambda: _printer(root.table("printer")), Printer()),
        voice=problems.attempt(lambda: _voice(root.table("voice")), Voice()),
        server=problems.attempt(lambda: _server(root.table("server")), Server()),
        kiosk=problems.attempt(lambda: _kiosk(root.table("kiosk")), Kiosk()),
        display=problems.attempt(lambda: _display(root.table("display")), Display()),
        rating=problems.attempt(lambda: _rating(root.table("rating")), Rating()),
        officials=problems.attempt(lambda: _officials(root), ()),
        desk=problems.attempt(lambda: _desk(root.table("desk")), Desk()),
        halls=problems.attempt(lambda: _halls(root, counters), ()),
        absent_grace_minutes=absent_grace_minutes, notice=notice,
        bookings_per_person=problems.attempt(lambda: _bookings_per_person(root), None),
        central=problems.attempt(lambda: _central(root), None),
    )
    problems.raise_any()
    return office


def _timezone(top: Table) -> str:
    timezone = top.text("timezone", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a directory
        raise top.error("timezone", said("unknown_timezone", timezone=timezone)) from None
    return timezone


def _fields(root: Table) -> tuple[Field, ...]:
    fields: dict[str, Field] = {}
    for t in root.tables("fields"):
        t.check_keys(("code", "name", "name_en", "icon"))
        code = t.code("code", _CODE, said("like_code", example="HT"))
        if code in fields:
            raise t.error("code", _twice("what_field", repr(code)))
        icon = t.optional_text("icon")
        pictogram = ""
        if icon is not None and not icon.lower().endswith(".svg"):
            pictogram = _builtin_pictogram(t, icon)
        fields[code] = Field(code, t.text("name", empty=False), t.text("name_en", empty=False),
                             icon, pictogram)
    return tuple(fields.values())


PICTOGRAMS_MAX_BYTES = 16_384  # sent to every kiosk in the snapshot


def pictogram_names() -> list[str]:
    """The pictograms that come with motcua, by name."""
    folder = resources.files("shared.core").joinpath("pictograms")
    return sorted(p.name.removesuffix(".svg") for p in folder.iterdir()
                  if p.name.endswith(".svg"))


def _builtin_pictogram(t: Table, name: str) -> str:
    if name not in pictogram_names():
        raise t.error("icon", said("unknown_pictogram", name=name,
                                   known=", ".join(pictogram_names())))
    return resources.files("shared.core").joinpath("pictograms", f"{name}.svg").read_text(
        "utf-8")


def _pictogram_file(path: Path, source: str, field: Field) -> str:
    """An office's own pictogram: an SVG file beside the office file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(source, f"fields.{field.code}.icon",
                          said("pictogram_unreadable", path=path,
                               reason=exc.strerror or exc)) from exc
    if len(data) > PICTOGRAMS_MAX_BYTES or b"<svg" not in data[:2048]:
        raise ConfigError(source, f"fields.{field.code}.icon",
                          said("pictogram_too_big", path=path))
    return data.decode("utf-8", "replace")


def _services(root: Table, fields: tuple[Field, ...],
              problems: _Problems) -> tuple[Service, ...]:
    services: dict[str, Service] = {}
    prefixes: dict[str, str] = {}
    no_tables: list[Table] = []
    tables = problems.attempt(lambda: root.tables("services"), no_tables)
    if not tables:
        problems.note(root, "services", said("no_service"))
    for t in tables:
        service = problems.attempt(partial(_service, t, fields), None)
        if service is None:
            code = t.data.get("code")
            if isinstance(code, str):
                problems.unread_services.add(code)  # counters may name it: no echo
            continue
        if service.code in services:
            problems.note(t, "code", _twice("what_service", repr(service.code)))
            continue
        if service.prefix in prefixes:
            problems.note(t, "prefix", said("prefix_taken", prefix=service.prefix,
                                            other=prefixes[service.prefix]))
            continue
        services[service.code] = service
        prefixes[service.prefix] = service.code
    for field in fields:
        if not any(s.field == field.code for s in services.values()):
            log.warning("field %s holds no service: its kiosk page would be empty", field.code)
    return tuple(services.values())


def _service(t: Table, fields: tuple[Field, ...]) -> Service:
    t.check_keys(("code", "name", "name_en", "number_format", "prefix", "daily_cap",
                  "hours", "days", "field", "wait_threshold_minutes",
                  "service_minutes", "bookings"))
    code = t.code("code", _CODE, said("like_code", example="A"))
    name = t.text("name", empty=False)
    name_en = t.text("name_en", empty=False)
    number_format = t.choice("number_format", NumberFormat, NumberFormat.LETTER)
    if number_format is NumberFormat.LETTER:
        if "prefix" not in t and not re.fullmatch("[A-Z]", code):
            raise t.error("prefix", said("prefix_for_code", code=code))
        prefix = t.text("prefix", code)
        if not re.fullmatch("[A-Z]", prefix):
            raise t.error("prefix", said("prefix_letter", prefix=prefix))
    else:
        raw = t.data.get("prefix")
        if raw is None:
            raise t.error("prefix", said("prefix_for_block"))
        is_int = isinstance(raw, int) and not isinstance(raw, bool)
        prefix = str(raw) if is_int else t.text("prefix")  # prefix = 1 is meant as "1"
        if not re.fullmatch("[1-9]", prefix):
            raise t.error("prefix", said("prefix_digit", prefix=prefix))
    field = t.optional_text("field")
    if field is not None and field not in {f.code for f in fields}:
        known = ", ".join(f.code for f in fields) or said("no_field")
        raise t.error("field", said("unknown_field", field=field, known=known))
    return Service(
        code=code, name=name, name_en=name_en, number_format=number_format, prefix=prefix,
        daily_cap=t.optional_integer("daily_cap", 1, 999), hours=_hours(t), field=field,
        days=_days(t),
        wait_threshold_minutes=t.integer("wait_threshold_minutes", 30, 1, 1440),
        service_minutes=t.optional_number("service_minutes", 0.5, 240),
        bookings=_booking_rules(t.table("bookings")) if "bookings" in t else None,
    )


def _booking_rules(t: Table) -> BookingRules:
    """``[services.bookings]``: the service takes bookings, by these rules (issue 15)."""
    t.check_keys(("policy", "early_minutes", "late_minutes", "online_capacity",
                  "walk_in_capacity"))
    return BookingRules(
        policy=t.choice("policy", BookingPolicy, BookingPolicy.BOOKED_TIME),
        early_minutes=t.integer("early_minutes", 30, 0, 240),
        late_minutes=t.integer("late_minutes", 15, 0, 240),
        online_capacity=t.optional_integer("online_capacity", 0, 999),
        walk_in_capacity=t.optional_integer("walk_in_capacity", 0, 999),
    )


def _bookings_per_person(root: Table) -> int | None:
    """``[bookings] per_person``: bookings one identity may hold for one day."""
    if "bookings" not in root:
        return None
    t = root.table("bookings")
    t.check_keys(("per_person",))
    return t.optional_integer("per_person", 1, 20)


_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _days(t: Table) -> tuple[int, ...]:
    days: list[int] = []
    for i, text in enumerate(t.texts("days"), start=1):
        name = text.strip().casefold()[:3]
        if name not in _DAY_NAMES:
            raise t.doc.error((*t.path, "days", i), said("not_weekday", text=text))
        if _DAY_NAMES.index(name) not in days:
            days.append(_DAY_NAMES.index(name))
    return tuple(sorted(days))


def _hours(t: Table) -> tuple[TimeWindow, ...]:
    windows: list[TimeWindow] = []
    for i, text in enumerate(t.texts("hours"), start=1):
        try:
            window = parse_window(text)
        except ValueError as exc:
            raise t.doc.error((*t.path, "hours", i), exc.args[0]) from None
        for other in windows:
            if window.start < other.end and other.start < window.end:
                raise t.doc.error((*t.path, "hours", i), said(
                    "window_overlaps", text=text, other=format_window(other)))
        windows.append(window)
    return tuple(windows)


def _counters(root: Table, services: tuple[Service, ...],
              problems: _Problems) -> tuple[Counter, ...]:
    counters: dict[int, Counter] = {}
    no_tables: list[Table] = []
    tables = problems.attempt(lambda: root.tables("counters"), no_tables)
    if not tables:
        problems.note(root, "counters", said("no_counter"))
    for t in tables:
        counter = problems.attempt(
            partial(_counter, t, services, counters, problems.unread_services), None)
        if counter is not None:
            counters[counter.number] = counter
    if problems.found:
        return tuple(counters.values())  # what follows would only echo those problems
    for i, service in enumerate(services, start=1):
        if not any(service.code in c.services for c in counters.values()):
            problems.found.append(root.doc.error(
                ("services", i), said("served_by_none", code=service.code)))
    return tuple(counters.values())


def _counter(t: Table, services: tuple[Service, ...], counters: dict[int, Counter],
             unread: set[str]) -> Counter:
    codes = [s.code for s in services]
    t.check_keys(("number", "name", "services", "order"))
    number = t.integer("number", None, 1, 999)
    if number in counters:
        raise t.error("number", _twice("what_counter", number))
    served = t.texts("services")
    if "services" not in t or not served:
        raise t.error("services", said("no_service_listed"))
    for code in served:
        if code not in codes and code not in unread:
            raise t.error("services", said("not_service", code=code, known=", ".join(codes)))
        if served.count(code) > 1:
            raise t.error("services", said("listed_twice", code=code))
    order = t.choice("order", CounterOrder, CounterOrder.FIFO)
    name = t.text("name", f"Quầy {number}", empty=False)
    return Counter(number, name, tuple(served), order)


def _priority(t: Table) -> PriorityPolicy:
    t.check_keys(("mode", "every", "head_start_minutes", "categories"))
    return PriorityPolicy(
        mode=t.choice("mode", PriorityMode, PriorityMode.STRICT),
        every=t.integer("every", 3, 1, 100),
        head_start_minutes=t.integer("head_start_minutes", 30, 1, 1440),
        categories=tuple(PriorityCategory(*named)
                         for named in _named(t, "categories", "what_category", "elderly")),
    )


def _named(t: Table, key: str, kind: str, example: str) -> list[tuple[str, str, str]]:
    """A list of tables with a code, a Vietnamese name and an English one (priority
    categories, rating reasons): (code, name, name_en), each code once."""
    found: dict[str, tuple[str, str, str]] = {}
    for item in t.tables(key):
        item.check_keys(("code", "name", "name_en"))
        code = item.code("code", _CATEGORY_CODE, said("like_category", example=example))
        if code in found:
            raise item.error("code", _twice(kind, repr(code)))
        found[code] = (code, item.text("name", empty=False), item.text("name_en", empty=False))
    return list(found.values())


def _officials(root: Table) -> tuple[Official, ...]:
    """The officials who may sign in at the counters; none: every counter works with
    nobody signed in, as before (issue 12)."""
    found: dict[str, Official] = {}
    for item in root.tables("officials"):
        item.check_keys(("id", "name", "title", "photo"))
        official_id = item.code("id", _CATEGORY_CODE,
                                said("like_category", example="nguyen-van-an"))
        if official_id in found:
            raise item.error("id", _twice("what_official", repr(official_id)))
        found[official_id] = Official(official_id, item.text("name", empty=False),
                                      item.text("title", ""), item.optional_text("photo"))
    return tuple(found.values())


def _rating(t: Table) -> Rating:
    t.check_keys(("scale", "reasons"))
    scale = t.integer("scale", 3, 3, 5)
    if scale not in (3, 5):
        raise t.error("scale", said("rating_scale", scale=scale))
    reasons = tuple(RatingReason(*named)
                    for named in _named(t, "reasons", "what_reason", "cho_lau"))
    return Rating(scale=scale, reasons=reasons or Rating.reasons)


def _announcement(t: Table) -> Announcement:
    t.check_keys(("template", "reading", "southern", "repeat", "pause_seconds", "keep_up",
                  "loudness_dbfs"))
    template = t.text("template", Announcement.template, empty=False)
    try:
        check_template(template)
    except ValueError as exc:
        raise t.error("template", exc.args[0]) from None
    return Announcement(
        template=template,
        reading=t.choice("reading", Reading, Reading.DIGITS),
        southern=t.boolean("southern", False),
        repeat=t.integer("repeat", 2, 1, 5),
        pause_seconds=t.number("pause_seconds", 1.0, 0.0, 10.0),
        keep_up=t.boolean("keep_up", True),
        loudness_dbfs=t.number("loudness_dbfs", -20.0, -40.0, -6.0),
    )


def _printer(t: Table) -> Printer:
    t.check_keys(("spec", "width_dots", "qr_url", "qr_caption", "footer", "profile", "mode"))
    spec = t.text("spec", "none", empty=False)
    try:
        parse_spec(spec)
    except PrinterSpecError as problem:
        raise t.error("spec", problem.said) from None
    mode = t.choice("mode", PrintMode, PrintMode.IMAGE)
    profile = t.optional_text("profile")
    if mode is PrintMode.TEXT and profile is None:
        raise t.error("mode", said("text_needs_profile"))
    width = t.optional_integer("width_dots", 1, 10_000)
    if width is not None and width not in _WIDTHS:
        raise t.error("width_dots", said("width_dots", width=width))
    qr_url = t.optional_text("qr_url")
    if qr_url is not None:
        try:
            names = [p[1] for p in string.Formatter().parse(qr_url) if p[1] is not None]
        except ValueError:
            raise t.error("qr_url", said("qr_brace")) from None
        for name in names:
            if name not in _QR_PLACEHOLDERS:
                raise t.error("qr_url", said("qr_placeholder", name=name))
    return Printer(
        spec=spec, width_dots=width, qr_url=qr_url, footer=t.text("footer", Printer.footer),
        qr_caption=t.text("qr_caption", Printer.qr_caption),
        profile=profile, mode=mode,
    )


def _voice(t: Table) -> Voice:
    t.check_keys(("enabled", "voice", "rate", "volume", "pack"))
    return Voice(
        enabled=t.boolean("enabled", True),
        voice=t.text("voice", "vi", empty=False),
        rate=t.integer("rate", 150, 80, 400),
        volume=t.number("volume", 1.0, 0.0, 1.0),
        pack=t.optional_text("pack"),
    )


def _server(t: Table) -> Server:
    t.check_keys(("host", "port", "kiosk_rate_per_minute", "embedded", "page_url"))
    page_url = t.optional_text("page_url")
    if page_url is not None:
        parts = urlsplit(page_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise t.error("page_url", said("page_url", url=page_url))
    return Server(
        page_url=page_url.rstrip("/") if page_url else None,
        host=t.optional_text("host"),
        port=t.integer("port", 8765, 1, 65535),
        kiosk_rate_per_minute=t.integer("kiosk_rate_per_minute", 60, 1, 6000),
        # An office with a file of its own usually has a dedicated server: a kiosk
        # that booted first must not start a second authority unless told to.
        embedded=t.boolean("embedded", False),
    )


def _kiosk(t: Table) -> Kiosk:
    t.check_keys(("double_press_seconds", "confirmation_seconds", "server_wait_seconds",
                  "no_open_counter", "location"))
    return Kiosk(
        double_press_seconds=t.number("double_press_seconds", 3.0, 0.0, 60.0),
        confirmation_seconds=t.number("confirmation_seconds", 10.0, 2.0, 120.0),
        server_wait_seconds=t.number("server_wait_seconds", 4.0, 0.5, 60.0),
        no_open_counter=t.choice("no_open_counter", NoOpenCounter, NoOpenCounter.WARN),
        location=t.text("location", ""),
    )


def _halls(root: Table, counters: tuple[Counter, ...]) -> tuple[Area, ...]:
    """The halls of a large centre, each with its counters; none: one hall."""
    found: dict[str, Area] = {}
    placed: dict[int, str] = {}
    known = {c.number for c in counters}
    for item in root.tables("halls"):
        item.check_keys(("code", "name", "name_en", "counters"))
        code = item.code("code", _CATEGORY_CODE, said("like_category", example="tang-2"))
        if code in found:
            raise item.error("code", _twice("what_hall", repr(code)))
        numbers = item.integers("counters")
        if not numbers:
            raise item.error("counters", said("no_counter_listed"))
        for number in numbers:
            if number not in known:
                raise item.error("counters", said(
                    "not_a_counter", number=number,
                    known=", ".join(str(n) for n in sorted(known))))
            if number in placed:
                raise item.error("counters", said("in_two_halls", number=number,
                                                  hall=placed[number]))
            placed[number] = code
        found[code] = Area(code, item.text("name", empty=False),
                           item.text("name_en", empty=False), tuple(numbers))
    if found and (left := sorted(known - set(placed))):
        raise root.error("halls", said("in_no_hall", left=", ".join(str(n) for n in left)))
    for counter_set in ({c.number for c in counters if code in c.services}
                        for code in {s for c in counters for s in c.services}):
        spanning = {placed[n] for n in counter_set if n in placed}
        if len(spanning) > 1:
            log.warning("a service is served in several halls (%s): its citizens are told "
                        "both, and each hall's TV shows only its own counters' calls",
                        ", ".join(sorted(spanning)))
    return tuple(found.values())


def _desk(t: Table) -> Desk:
    t.check_keys(("enabled", "port", "certificate", "key"))
    certificate, key = t.optional_text("certificate"), t.optional_text("key")
    if (certificate is None) != (key is None):
        raise t.error("certificate" if certificate is None else "key",
                      said("certificate_pair"))
    return Desk(enabled=t.boolean("enabled", True), port=t.integer("port", 8766, 1, 65535),
                certificate=certificate, key=key)


def _central(root: Table) -> Central | None:
    if "central" not in root:
        return None
    t = root.table("central")
    t.check_keys(("url", "site", "key_file", "authority", "batch"))
    url = t.text("url", empty=False)
    if not url.startswith("https://"):
        raise t.error("url", said("central_https"))
    return Central(url=url.rstrip("/"),
                   site=t.code("site", _OFFICE_ID, said("like_site")),
                   key_file=t.text("key_file", empty=False),
                   authority=t.optional_text("authority"),
                   batch=t.integer("batch", 500, 1, 1000))


def _display(t: Table) -> Display:
    t.check_keys(("recent_calls", "highlight_seconds", "hall"))
    return Display(
        recent_calls=t.integer("recent_calls", 6, 0, 20),
        highlight_seconds=t.number("highlight_seconds", 8.0, 0.0, 120.0),
        hall=t.optional_text("hall"),
    )
