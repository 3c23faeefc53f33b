"""Office configuration: one TOML file read into the frozen dataclasses of ``shared.office``.

``load_office(path)`` reads a file, or with no path the default office embedded in
the package (``shared/default_office.toml``); ``parse_office(text, source)`` does the
work for both. Everything is checked before an ``Office`` is built, and the first
problem found is raised as a ``ConfigError`` naming the file, the line where it can be
found (when it can be found for sure), the key (``services[2].daily_cap``; indexes
count the ``[[...]]`` tables from 1, as a person reading the file does) and what is
wrong, in plain words.

Pure: imports only the standard library and ``shared.office``, ``shared.errors``,
``shared.reading``; no Qt, no network, no database.
"""

from __future__ import annotations

import difflib
import logging
import re
import string
import tomllib
import unicodedata
from collections.abc import Iterable
from datetime import time
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.errors import ConfigError
from shared.office import (
    Announcement,
    Counter,
    CounterOrder,
    Display,
    Field,
    Kiosk,
    NumberFormat,
    Office,
    Printer,
    PrintMode,
    PriorityCategory,
    PriorityMode,
    PriorityPolicy,
    Reading,
    Server,
    Service,
    TimeWindow,
    Voice,
)
from shared.printing.spec import PrinterSpecError, parse_spec
from shared.reading import check_template

log = logging.getLogger(__name__)

DEFAULT_SOURCE = "default_office.toml (embedded)"

_KeyPath = tuple[str | int, ...]  # ("services", 2, "daily_cap"); ints count from 1
_E = TypeVar("_E", bound=StrEnum)

_OFFICE_ID = re.compile(r"[a-z0-9-]+")
_CODE = re.compile(r"[A-Z0-9]{1,8}")
_CATEGORY_CODE = re.compile(r"[a-z0-9_-]{1,32}")
_WINDOW = re.compile(r"\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*")
_QR_PLACEHOLDERS = ("number", "service", "office")
_WIDTHS = (384, 512, 576)


def load_office(path: Path | None = None) -> Office:
    """The office configured in ``path``, or the embedded default office when None."""
    if path is None:
        text = resources.files("shared").joinpath("default_office.toml").read_text("utf-8")
        return parse_office(text, DEFAULT_SOURCE)
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(source, "", f"cannot read the file ({exc.strerror or exc})") from exc
    try:
        text = data.decode("utf-8-sig")  # Windows Notepad may put a BOM in front
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(source, "", "the file is not UTF-8 text; save it as UTF-8", line) from exc
    return parse_office(text, source)


def parse_office(text: str, source: str) -> Office:
    """The office configured by TOML ``text``; ``source`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(exc, text, source) from exc
    office = _build_office(_Table(_Document(source, text, data), data, ()))
    log.info(
        "office %s loaded from %s: %d services, %d counters",
        office.id, source, len(office.services), len(office.counters),
    )
    return office


def parse_window(text: str) -> TimeWindow:
    """``"07:00-11:15"`` as a TimeWindow; ValueError, in plain words, for anything else."""
    match = _WINDOW.fullmatch(text)
    if match is None:
        raise ValueError(f"cannot read {text!r}; write a time window like \"07:00-11:15\"")
    sh, sm, eh, em = (int(part) for part in match.groups())
    if sh > 23 or eh > 23 or sm > 59 or em > 59:
        raise ValueError(f"{text!r} is not a time of day; hours go 00-23, minutes 00-59")
    window = TimeWindow(time(sh, sm), time(eh, em))
    if window.start >= window.end:
        raise ValueError(f"{text!r} must start before it ends")
    return window


def format_window(window: TimeWindow) -> str:
    """A TimeWindow written as the config file writes it: ``"07:00-11:15"``."""
    return f"{window.start:%H:%M}-{window.end:%H:%M}"


def _syntax_error(exc: tomllib.TOMLDecodeError, text: str, source: str) -> ConfigError:
    message = str(exc)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found:
        problem = message[: found.start()]
        return ConfigError(
            source, "", f"not valid TOML at column {found[2]}: {problem}", int(found[1])
        )
    if message.endswith("(at end of document)"):
        problem = message.removesuffix("(at end of document)").rstrip()
        return ConfigError(
            source, "", f"not valid TOML at the end of the file: {problem}",
            max(1, len(text.splitlines())),
        )
    return ConfigError(source, "", f"not valid TOML: {message}")


# --- reading tables, with errors that name the key and its line ---------------------------


def _key_text(path: _KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else part
    return out


def _describe(value: object) -> str:
    kinds = ((bool, "true/false"), (int, "a whole number"), (float, "a number"),
             (str, "text"), (list, "a list"), (dict, "a table"))
    kind = next((name for cls, name in kinds if isinstance(value, cls)), "a date or time")
    shown = repr(value) if isinstance(value, str) else str(value).lower()
    return kind if isinstance(value, list | dict) else f"{kind} ({shown})"


class _Document:
    """The text and parsed data of one file, and where its keys are defined."""

    def __init__(self, source: str, text: str, data: dict[str, object]) -> None:
        self.source = source
        self.text = text
        self.data = data
        self._lines: _LineIndex | None = None

    def error(self, path: _KeyPath, problem: str, line_of: _KeyPath | None = None) -> ConfigError:
        """A ConfigError at ``path``, on the line of ``line_of`` (a missing key's table)."""
        if self._lines is None:
            self._lines = _LineIndex(self.text, self.data)
        line = self._lines.find(path if line_of is None else line_of)
        return ConfigError(self.source, _key_text(path), problem, line)


class _LineIndex:
    """Best-effort map from key paths to the line defining them: headers and ``key =``.

    A simple scan of the text, trusted only if it counts the same ``[[...]]`` tables as
    the TOML parser; anything it does not find for sure gives None.
    """

    _HEADER = re.compile(r"\s*(\[\[?)([^\[\]]+)\]\]?\s*(#.*)?")
    _PART = r"""(?:[A-Za-z0-9_-]+|"[^"\\]*"|'[^']*')"""
    _KEY = re.compile(rf"\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")

    def __init__(self, text: str, data: dict[str, object]) -> None:
        self.lines: dict[_KeyPath, int] = {}
        arrays: dict[_KeyPath, int] = {}
        table: _KeyPath = ()
        in_string: str | None = None  # the quotes of a multi-line string we are inside
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string is None:
                header = self._HEADER.fullmatch(line)
                key = self._KEY.match(line)
                if header:
                    table = self._resolve(self._parts(header[2]), arrays, header[1] == "[[")
                    self.lines.setdefault(table, number)
                elif key:
                    self.lines.setdefault(table + self._parts(key[1]), number)
            for quotes in ('"""', "'''"):
                if (in_string in (None, quotes)) and line.count(quotes) % 2:
                    in_string = None if in_string else quotes
        self.reliable = all(_length(data, path) == n for path, n in arrays.items())

    def _parts(self, dotted: str) -> tuple[str, ...]:
        return tuple(p.strip("\"'") for p in re.findall(self._PART, dotted))

    @staticmethod
    def _resolve(parts: tuple[str, ...], arrays: dict[_KeyPath, int], new: bool) -> _KeyPath:
        path: _KeyPath = ()
        for i, part in enumerate(parts):
            path += (part,)
            if new and i == len(parts) - 1:
                arrays[path] = arrays.get(path, 0) + 1
            if path in arrays:
                path += (arrays[path],)
        return path

    def find(self, path: _KeyPath) -> int | None:
        if not self.reliable:
            return None
        while path and path not in self.lines and isinstance(path[-1], int):
            path = path[:-1]  # services[1].hours[2] is on the line of services[1].hours
        return self.lines.get(path)


def _length(data: object, path: _KeyPath) -> int:
    for part in path:
        if isinstance(part, int) and isinstance(data, list) and 0 < part <= len(data):
            data = data[part - 1]
        elif isinstance(part, str) and isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return -1
    return len(data) if isinstance(data, list) else -1


class _Table:
    """One TOML table being read; every getter checks the type and names the key."""

    def __init__(self, doc: _Document, data: dict[str, object], path: _KeyPath) -> None:
        self.doc = doc
        self.data = data
        self.path = path

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def error(self, key: str | int | None, problem: str) -> ConfigError:
        path = self.path if key is None else (*self.path, key)
        return self.doc.error(path, problem, None if key in self.data else self.path)

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = sorted(allowed)
        for key in self.data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = (f"did you mean {close[0]!r}?" if close
                        else "the keys allowed here are: " + ", ".join(allowed))
                raise self.error(key, f"unknown key, {hint}")

    def _get(self, key: str, default: object) -> object:
        value = self.data.get(key, default)
        if value is None:
            raise self.error(key, "missing; this key is required")
        return value

    def _wrong(self, key: str, value: object, expected: str) -> ConfigError:
        return self.error(key, f"must be {expected}, not {_describe(value)}")

    def text(self, key: str, default: str | None = None, *, empty: bool = True) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self._wrong(key, value, "text in quotes")
        if not empty and not value.strip():
            raise self.error(key, "must not be empty")
        return unicodedata.normalize("NFC", value)  # a Mac may write decomposed accents

    def code(self, key: str, pattern: re.Pattern[str], like: str) -> str:
        value = self.text(key)
        if not pattern.fullmatch(value):
            raise self.error(key, f"{value!r} is not a valid code; use {like}")
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key, empty=False) if key in self.data else None

    def integer(self, key: str, default: int | None, low: int, high: int) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(key, value, "a whole number")
        if not low <= value <= high:
            raise self.error(key, f"must be between {low} and {high}, not {value}")
        return value

    def optional_integer(self, key: str, low: int, high: int) -> int | None:
        return self.integer(key, None, low, high) if key in self.data else None

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(key, value, "a number")
        if not low <= value <= high:
            raise self.error(key, f"must be between {low} and {high}, not {value}")
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self._wrong(key, value, "true or false (without quotes)")
        return value

    def choice(self, key: str, kind: type[_E], default: _E) -> _E:
        value = self.text(key, default.value)
        allowed = [member.value for member in kind]
        if value not in allowed:
            listed = ", ".join(repr(a) for a in allowed)
            raise self.error(key, f"must be one of {listed}, not {value!r}")
        return kind(value)

    def texts(self, key: str) -> list[str]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self._wrong(key, value, "a list of texts, like [\"A\", \"B\"]")
        for i, item in enumerate(value, start=1):
            if not isinstance(item, str):
                raise self.doc.error((*self.path, key, i), f"must be text, not {_describe(item)}")
        return [unicodedata.normalize("NFC", item) for item in value]

    def table(self, key: str) -> _Table:
        value = self.data.get(key, {})
        if isinstance(value, list):
            raise self.doc.error((*self.path, key), f"must be one table, written [{key}], "
                                 f"not [[{key}]]", (*self.path, key, 1))
        if not isinstance(value, dict):
            raise self._wrong(key, value, f"a table, written [{key}]")
        return _Table(self.doc, value, (*self.path, key))

    def tables(self, key: str) -> list[_Table]:
        value = self.data.get(key, [])
        name = _key_text((*self.path, key))
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(key, f"must be a list of tables, each written [[{name}]]")
        return [_Table(self.doc, v, (*self.path, key, i)) for i, v in enumerate(value, start=1)]


# --- the office, section by section -------------------------------------------------------


def _build_office(root: _Table) -> Office:
    root.check_keys(("office", "fields", "services", "counters", "priority",
                     "announcement", "printer", "voice", "server", "kiosk", "display"))
    if "office" not in root:
        raise root.error("office", "missing; the file needs an [office] table with id and name")
    top = root.table("office")
    top.check_keys(("id", "name", "timezone", "absent_grace_minutes", "notice"))
    office_id = top.code("id", _OFFICE_ID, "lower-case letters a-z, digits and hyphens, "
                         "like 'phuong-ben-nghe'")
    name = top.text("name", empty=False)
    timezone = top.text("timezone", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a directory
        raise top.error("timezone", f"{timezone!r} is not a known time zone; "
                        "Vietnam is 'Asia/Ho_Chi_Minh'") from None
    absent_grace_minutes = top.integer("absent_grace_minutes", 15, 0, 1440)
    notice = top.text("notice", "")
    fields = _fields(root)
    services = _services(root, fields)
    counters = _counters(root, services)
    return Office(
        id=office_id, name=name, timezone=timezone,
        services=services, counters=counters, fields=fields,
        priority=_priority(root.table("priority")),
        announcement=_announcement(root.table("announcement")),
        printer=_printer(root.table("printer")),
        voice=_voice(root.table("voice")),
        server=_server(root.table("server")),
        kiosk=_kiosk(root.table("kiosk")),
        display=_display(root.table("display")),
        absent_grace_minutes=absent_grace_minutes, notice=notice,
    )


def _fields(root: _Table) -> tuple[Field, ...]:
    fields: dict[str, Field] = {}
    for t in root.tables("fields"):
        t.check_keys(("code", "name", "name_en"))
        code = t.code("code", _CODE, "1 to 8 capital letters A-Z or digits, like 'HT'")
        if code in fields:
            raise t.error("code", f"field {code!r} is defined twice")
        fields[code] = Field(code, t.text("name", empty=False), t.text("name_en", empty=False))
    return tuple(fields.values())


def _services(root: _Table, fields: tuple[Field, ...]) -> tuple[Service, ...]:
    services: dict[str, Service] = {}
    prefixes: dict[str, str] = {}
    tables = root.tables("services")
    if not tables:
        raise root.error("services", "no service is defined; add at least one [[services]]")
    for t in tables:
        service = _service(t, fields)
        if service.code in services:
            raise t.error("code", f"service {service.code!r} is defined twice")
        if service.prefix in prefixes:
            raise t.error("prefix", f"prefix {service.prefix!r} is already used by service "
                          f"{prefixes[service.prefix]!r}; two services would issue the "
                          "same ticket numbers")
        services[service.code] = service
        prefixes[service.prefix] = service.code
    for field in fields:
        if not any(s.field == field.code for s in services.values()):
            log.warning("field %s holds no service: its kiosk page would be empty", field.code)
    return tuple(services.values())


def _service(t: _Table, fields: tuple[Field, ...]) -> Service:
    t.check_keys(("code", "name", "name_en", "number_format", "prefix", "daily_cap",
                  "hours", "field"))
    code = t.code("code", _CODE, "1 to 8 capital letters A-Z or digits, like 'A'")
    name = t.text("name", empty=False)
    name_en = t.text("name_en", empty=False)
    number_format = t.choice("number_format", NumberFormat, NumberFormat.LETTER)
    if number_format is NumberFormat.LETTER:
        if "prefix" not in t and not re.fullmatch("[A-Z]", code):
            raise t.error("prefix", f"missing; the code {code!r} is not a single letter, "
                          "so give the letter its tickets start with, like prefix = \"A\"")
        prefix = t.text("prefix", code)
        if not re.fullmatch("[A-Z]", prefix):
            raise t.error("prefix", f"must be one capital letter A-Z, not {prefix!r}")
    else:
        raw = t.data.get("prefix")
        if raw is None:
            raise t.error("prefix", "missing; a block-format service needs the digit its "
                          "numbers start with, like prefix = \"1\" for 1001, 1002, …")
        is_int = isinstance(raw, int) and not isinstance(raw, bool)
        prefix = str(raw) if is_int else t.text("prefix")  # prefix = 1 is meant as "1"
        if not re.fullmatch("[1-9]", prefix):
            raise t.error("prefix", f"must be one digit 1-9, not {prefix!r}")
    field = t.optional_text("field")
    if field is not None and field not in {f.code for f in fields}:
        known = ", ".join(f.code for f in fields) or "none is defined"
        raise t.error("field", f"{field!r} is not a [[fields]] code (known: {known})")
    return Service(
        code=code, name=name, name_en=name_en, number_format=number_format, prefix=prefix,
        daily_cap=t.optional_integer("daily_cap", 1, 999), hours=_hours(t), field=field,
    )


def _hours(t: _Table) -> tuple[TimeWindow, ...]:
    windows: list[TimeWindow] = []
    for i, text in enumerate(t.texts("hours"), start=1):
        try:
            window = parse_window(text)
        except ValueError as exc:
            raise t.doc.error((*t.path, "hours", i), str(exc)) from None
        for other in windows:
            if window.start < other.end and other.start < window.end:
                raise t.doc.error((*t.path, "hours", i),
                                  f"{text!r} overlaps {format_window(other)!r}")
        windows.append(window)
    return tuple(windows)


def _counters(root: _Table, services: tuple[Service, ...]) -> tuple[Counter, ...]:
    counters: dict[int, Counter] = {}
    codes = [s.code for s in services]
    tables = root.tables("counters")
    if not tables:
        raise root.error("counters", "no counter is defined; add at least one [[counters]]")
    for t in tables:
        t.check_keys(("number", "name", "services", "order"))
        number = t.integer("number", None, 1, 999)
        if number in counters:
            raise t.error("number", f"counter {number} is defined twice")
        served = t.texts("services")
        if "services" not in t or not served:
            raise t.error("services", "must list at least one service code, like [\"A\", \"B\"]")
        for code in served:
            if code not in codes:
                raise t.error("services", f"{code!r} is not a service code "
                              f"(known: {', '.join(codes)})")
            if served.count(code) > 1:
                raise t.error("services", f"{code!r} is listed twice")
        order = t.choice("order", CounterOrder, CounterOrder.FIFO)
        name = t.text("name", f"Quầy {number}", empty=False)
        counters[number] = Counter(number, name, tuple(served), order)
    for i, service in enumerate(services, start=1):
        if not any(service.code in c.services for c in counters.values()):
            raise root.doc.error(("services", i), f"service {service.code!r} is served by no "
                                 "counter, so its tickets could never be called; add it to "
                                 "a counter's services")
    return tuple(counters.values())


def _priority(t: _Table) -> PriorityPolicy:
    t.check_keys(("mode", "every", "head_start_minutes", "categories"))
    categories: dict[str, PriorityCategory] = {}
    for c in t.tables("categories"):
        c.check_keys(("code", "name", "name_en"))
        code = c.code("code", _CATEGORY_CODE, "lower-case letters, digits, '-' or '_', "
                      "like 'elderly'")
        if code in categories:
            raise c.error("code", f"category {code!r} is defined twice")
        categories[code] = PriorityCategory(
            code, c.text("name", empty=False), c.text("name_en", empty=False)
        )
    return PriorityPolicy(
        mode=t.choice("mode", PriorityMode, PriorityMode.STRICT),
        every=t.integer("every", 3, 1, 100),
        head_start_minutes=t.integer("head_start_minutes", 30, 1, 1440),
        categories=tuple(categories.values()),
    )


def _announcement(t: _Table) -> Announcement:
    t.check_keys(("template", "reading", "southern", "repeat", "pause_seconds"))
    template = t.text("template", Announcement.template, empty=False)
    try:
        check_template(template)
    except ValueError as exc:
        raise t.error("template", str(exc)) from None
    return Announcement(
        template=template,
        reading=t.choice("reading", Reading, Reading.DIGITS),
        southern=t.boolean("southern", False),
        repeat=t.integer("repeat", 2, 1, 5),
        pause_seconds=t.number("pause_seconds", 1.0, 0.0, 10.0),
    )


def _printer(t: _Table) -> Printer:
    t.check_keys(("spec", "width_dots", "qr_url", "footer", "profile", "mode"))
    spec = t.text("spec", "none", empty=False)
    try:
        parse_spec(spec)
    except PrinterSpecError as problem:
        raise t.error("spec", str(problem)) from None
    mode = t.choice("mode", PrintMode, PrintMode.IMAGE)
    profile = t.optional_text("profile")
    if mode is PrintMode.TEXT and profile is None:
        raise t.error("mode", "text mode needs the printer's `profile` (one with the TCVN-3 "
                      "code pages, like \"TM-T88V\"); leave mode out to print images")
    width = t.optional_integer("width_dots", 1, 10_000)
    if width is not None and width not in _WIDTHS:
        raise t.error("width_dots", f"must be 384 (58 mm paper), 512 or 576 (80 mm paper), "
                      f"or left out, not {width}")
    qr_url = t.optional_text("qr_url")
    if qr_url is not None:
        try:
            names = [p[1] for p in string.Formatter().parse(qr_url) if p[1] is not None]
        except ValueError:
            raise t.error("qr_url", "has an unmatched brace; placeholders are written "
                          "{number}, {service} or {office}") from None
        for name in names:
            if name not in _QR_PLACEHOLDERS:
                raise t.error("qr_url", f"unknown placeholder {{{name}}}; use "
                              "{number}, {service} or {office}")
    return Printer(
        spec=spec, width_dots=width, qr_url=qr_url, footer=t.text("footer", Printer.footer),
        profile=profile, mode=mode,
    )


def _voice(t: _Table) -> Voice:
    t.check_keys(("enabled", "voice", "rate", "volume"))
    return Voice(
        enabled=t.boolean("enabled", True),
        voice=t.text("voice", "vi", empty=False),
        rate=t.integer("rate", 150, 80, 400),
        volume=t.number("volume", 1.0, 0.0, 1.0),
    )


def _server(t: _Table) -> Server:
    t.check_keys(("host", "port", "kiosk_rate_per_minute", "embedded"))
    return Server(
        host=t.optional_text("host"),
        port=t.integer("port", 8765, 1, 65535),
        kiosk_rate_per_minute=t.integer("kiosk_rate_per_minute", 60, 1, 6000),
        # An office with a file of its own usually has a dedicated server: a kiosk
        # that booted first must not start a second authority unless told to.
        embedded=t.boolean("embedded", False),
    )


def _kiosk(t: _Table) -> Kiosk:
    t.check_keys(("double_press_seconds", "confirmation_seconds", "server_wait_seconds"))
    return Kiosk(
        double_press_seconds=t.number("double_press_seconds", 3.0, 0.0, 60.0),
        confirmation_seconds=t.number("confirmation_seconds", 10.0, 2.0, 120.0),
        server_wait_seconds=t.number("server_wait_seconds", 4.0, 0.5, 60.0),
    )


def _display(t: _Table) -> Display:
    t.check_keys(("recent_calls", "highlight_seconds"))
    return Display(
        recent_calls=t.integer("recent_calls", 6, 0, 20),
        highlight_seconds=t.number("highlight_seconds", 8.0, 0.0, 120.0),
    )
