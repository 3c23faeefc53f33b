"""What each kiosk screen says: the menus, the confirmation and the notices, as plain data.

Pure functions from the office as the server describes it (``Catalog``: services with
their waiting counts and whether they issue now, fields, priority categories), where
the citizen is in the menus (``Position``) and the chosen language, to the titles,
buttons and lines the widgets show. The controller decides; this module words it.

Pure: imports no Qt, no network (the booking entry's picture is read once, at import).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources

import msgspec

from kiosk.check_in import looks_like_code
from kiosk.texts import EN, Language, ahead_text, closed_text, own_name, tr
from shared.core import serving, wire
from shared.core.link import WrongOffice

log = logging.getLogger(__name__)

BOOKING_PICTOGRAM = resources.files("shared.core").joinpath(
    "pictograms", "lich-hen.svg").read_text("utf-8")
FLAT_LIMIT = 8  # on the priority path, up to this many services are shown without fields

Named = wire.Service | wire.Field | wire.PriorityCategory


class Page(StrEnum):
    STARTING = "starting"  # not connected yet since the kiosk started
    UNAVAILABLE = "unavailable"  # the server cannot be reached
    MENU = "menu"
    ISSUING = "issuing"  # a press is waiting for its ticket
    TICKET = "ticket"  # the confirmation with the number
    NOTICE = "notice"  # no ticket, and why (outside hours, cap reached …)
    WRONG_OFFICE = "wrong_office"  # the server found is another office's
    NOT_PAIRED = "not_paired"  # refused, and nobody gave the pairing code
    CHECK_IN = "check_in"  # typing (or scanning) a booking's code


class PrintState(StrEnum):
    NONE = "none"  # no printer configured: the number is shown only
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


@dataclass(frozen=True)
class MenuItem:
    key: str  # "field:TP", "service:A", "category:elderly" or "priority"
    title: str
    detail: str
    enabled: bool = True
    note: str = ""  # for a field: the services it holds
    pictogram: str = ""  # for a field: its picture (SVG), for citizens who read little


@dataclass(frozen=True)
class Menu:
    title: str
    items: tuple[MenuItem, ...]
    priority: MenuItem | None  # the "Ưu tiên" entry, on the start screen only
    can_go_back: bool
    banner: str  # "Ưu tiên: Người cao tuổi" on the priority path


def choices(menu: Menu) -> list[MenuItem]:
    """A screen's choices in the order of their numbers (the spoken guidance says them,
    the number keys choose them): its buttons, then the priority entry."""
    return [*menu.items, *([menu.priority] if menu.priority is not None else [])]


@dataclass(frozen=True)
class TicketView:
    heading: str
    number: str
    service_name: str
    priority: str
    ahead: str
    print_state: PrintState
    print_message: str
    hint: str
    booking: str = ""  # "Lịch hẹn 09:40: bạn được gọi từ 09:40", or why it is ordinary


@dataclass(frozen=True)
class CheckInView:
    """The check-in page: what was typed so far, and what to do."""

    title: str
    code: str
    hint: str
    problem: str  # why the last code gave no number (a wrong code), or ""
    can_submit: bool


@dataclass(frozen=True)
class Notice:
    title: str
    body: str
    hint: str = ""


@dataclass(frozen=True)
class Position:
    """Where the citizen is in the menus."""

    field: str | None = None  # inside this field
    category: str | None = None  # on the priority path, for this category
    choosing_category: bool = False  # on the priority path, choosing the category

    @property
    def at_start(self) -> bool:
        return self == Position()


@dataclass
class Catalog:
    """The office as the latest snapshot (and ``queue_changed`` events) describe it."""

    office_name: str
    services: list[wire.Service] = field(default_factory=list)
    fields: list[wire.Field] = field(default_factory=list)
    categories: list[wire.PriorityCategory] = field(default_factory=list)
    counters: list[wire.Counter] = field(default_factory=list)
    # The office's [kiosk] no_open_counter: no number for a service nobody serves now.
    refuse_unserved: bool = False
    halls: list[wire.HallInfo] = field(default_factory=list)  # a large centre's (issue 17)

    @classmethod
    def from_snapshot(cls, snapshot: wire.Snapshot) -> Catalog:
        return cls(
            office_name=snapshot.office.name,
            services=list(snapshot.services),
            fields=list(snapshot.fields),
            categories=list(snapshot.priority_categories),
            counters=list(snapshot.counters),
            refuse_unserved=snapshot.office.kiosk.no_open_counter == "refuse",
            halls=list(snapshot.halls),
        )

    def halls_of(self, service: str) -> list[wire.HallInfo]:
        """The halls whose counters serve ``service``: where its citizens go."""
        serving = {c.number for c in self.counters if service in c.services}
        return [h for h in self.halls if serving & set(h.counters)]

    def counter_changed(self, event: wire.CounterChanged) -> None:
        self.counters = [serving.changed(c, event) for c in self.counters]

    def served(self, code: str) -> bool:
        """Whether a counter serves this service right now (``shared.core.serving``)."""
        return serving.served(code, self.counters)

    def update_waiting(self, waiting: dict[str, int]) -> None:
        self.services = [
            msgspec.structs.replace(s, waiting=waiting[s.code]) if s.code in waiting else s
            for s in self.services
        ]

    def service(self, code: str | None) -> wire.Service | None:
        return next((s for s in self.services if s.code == code), None)

    def category(self, code: str | None) -> wire.PriorityCategory | None:
        return next((c for c in self.categories if code and c.code == code), None)

    def services_of(self, field_code: str | None) -> list[wire.Service]:
        return [s for s in self.services if s.field == field_code]

    @property
    def takes_bookings(self) -> bool:
        return any(s.bookable is True for s in self.services)


SHORT_NAME_WORDS = 4


def listing(names: Iterable[str]) -> str:
    """Names in one line of text, "A · B · C", that wraps between names rather than
    inside a short one ("Hộ / tịch", issue 16): a name of up to four words is kept in
    one piece (no-break spaces); a longer one may still wrap between its words."""
    return " · ".join(n.replace(" ", "\u00a0") if len(n.split()) <= SHORT_NAME_WORDS else n
                      for n in names)


def name(item: Named, language: Language) -> str:
    """An office's own name for a service, field or category, in ``language``."""
    if language == EN and item.name_en:
        return item.name_en
    return own_name(item.name, language) if item.name else item.code


def menu(catalog: Catalog, position: Position, language: Language) -> Menu:
    """The buttons for ``position``: categories, fields (and ungrouped services), or services."""
    lang = language
    if position.choosing_category:
        groups = tuple(MenuItem(f"category:{c.code}", name(c, lang), "")
                       for c in catalog.categories)
        return Menu(tr("choose_category", lang), groups, None, True, "")
    banner = ""
    category = catalog.category(position.category)
    if category is not None:
        banner = tr("priority_for", lang, name=name(category, lang))
    # The priority path is short when it can be: a category, then every service.
    grouped = bool(catalog.fields) and (
        position.category is None or len(catalog.services) > FLAT_LIMIT)
    priority = None
    if position.at_start and catalog.categories:
        # Every category, never cut short: a citizen must see whether they are one.
        detail = listing(name(c, lang) for c in catalog.categories)
        priority = MenuItem("priority", tr("priority", lang), detail)
    can_go_back = not position.at_start
    # A citizen with a booking checks in from the start screen, after the services.
    booking = ([MenuItem("booking", tr("booking", lang), tr("booking_detail", lang),
                         pictogram=BOOKING_PICTOGRAM)]
               if position.at_start and catalog.takes_bookings else [])
    if grouped and position.field is None:
        known = {f.code for f in catalog.fields}
        items = [_field_item(catalog, f, lang) for f in catalog.fields
                 if catalog.services_of(f.code)]
        items += [_service_item(catalog, s, lang) for s in catalog.services
                  if s.field not in known]
        return Menu(tr("choose_field", lang), tuple(items + booking), priority, can_go_back,
                    banner)
    services = catalog.services_of(position.field) if grouped else catalog.services
    items = [_service_item(catalog, s, lang) for s in services]
    return Menu(tr("choose_service", lang), tuple(items + booking), priority, can_go_back,
                banner)


def ticket_view(catalog: Catalog, ticket: wire.Ticket, print_state: PrintState,
                language: Language, *, slot: str | None = None,
                late: bool = False) -> TicketView:
    """The confirmation for the server's ``ticket``; a check-in's ``slot`` (its booked
    start), or ``late`` when the citizen came too late for it."""
    lang = language
    service = catalog.service(ticket.service)
    service_name = name(service, lang) if service else ticket.service_name
    priority = ""
    if ticket.priority:
        category = catalog.category(ticket.priority)
        shown = name(category, lang) if category else ticket.priority
        priority = tr("priority_for", lang, name=shown)
    message = {
        PrintState.NONE: "no_printer", PrintState.PRINTING: "printing",
        PrintState.PRINTED: "printed", PrintState.FAILED: "printer_fault",
    }[print_state]
    # A number nobody serves yet waits for nothing: say so rather than "you are next".
    ahead = ahead_text(ticket.ahead, lang) if catalog.served(ticket.service) \
        else tr("unserved_ticket", lang)
    halls = catalog.halls_of(ticket.service)
    if halls:  # a centre of several halls: where to go (a sentence of its own, read aloud)
        ahead = ahead.rstrip(".") + ".\n" + tr("go_to", lang, hall=tr("or", lang).join(
            h.name if lang == "vi" else h.name_en for h in halls))
    return TicketView(
        heading=tr("your_number", lang),
        number=ticket.number,
        service_name=service_name,
        priority=priority,
        ahead=ahead,
        print_state=print_state,
        print_message=tr(message, lang),
        hint=tr("touch_to_return", lang),
        booking=booking_line(ticket, lang, slot=slot, late=late),
    )


def booking_line(ticket: wire.Ticket, language: Language, *, slot: str | None,
                 late: bool) -> str:
    """What a checked-in citizen is told of their booking's place."""
    if late:
        return tr("appointment_late", language)
    if ticket.appointment is not True:
        return ""
    return tr("appointment_at", language, slot=slot) if slot else tr("appointment_online",
                                                                       language)


def check_in_view(code: str, problem: str, language: Language) -> CheckInView:
    return CheckInView(tr("check_in_title", language), code, tr("check_in_hint", language),
                       problem, looks_like_code(code))


def refusal_text(refusal: wire.CheckInRefusal | None, language: Language) -> str:
    """Why a booking gives no number, in the citizen's language."""
    if refusal is None:
        return tr("failed_body", language)
    if refusal.kind == "other_day" and refusal.day is not None:
        return tr("check_in_other_day", language, day=f"{refusal.day:%d/%m/%Y}")
    if refusal.kind == "too_early":
        return tr("check_in_too_early", language, at=refusal.at)
    if refusal.kind == "used":
        return tr("check_in_used", language, at=refusal.at, number=refusal.number)
    return tr("check_in_unknown", language, code="")


def notice(page: Page, code: str, closed: wire.Closed | None, language: Language,
           wrong_office: WrongOffice | None = None,
           refusal: wire.CheckInRefusal | None = None) -> Notice:
    """What the starting, unavailable, issuing or notice page says; for a notice, why
    no number was given (``code`` and ``closed`` of the server's error)."""
    lang = language
    if page is Page.WRONG_OFFICE and wrong_office is not None:
        body = wrong_office.english() if lang == EN else wrong_office.vietnamese()
        return Notice(tr("wrong_office", lang), body)
    if page is Page.NOT_PAIRED:
        return Notice(tr("not_paired", lang), tr("not_paired_body", lang))
    if page is Page.STARTING:
        return Notice(tr("starting", lang), tr("starting_body", lang))
    if page is Page.UNAVAILABLE:
        return Notice(tr("unavailable", lang), tr("unavailable_body", lang))
    if page is Page.ISSUING:
        return Notice(tr("issuing", lang), tr("issuing_body", lang))
    hint = tr("touch_to_return", lang)
    if code in ("closed", "cap_reached"):
        title = tr("closed_title" if code == "closed" else "cap_title", lang)
        return Notice(title, closed_text(closed, lang), hint)
    if code == "check_in":
        return Notice(tr("check_in_refused", lang), refusal_text(refusal, lang), hint)
    if code == "rate_limited":
        return Notice(tr("busy_title", lang), tr("busy_body", lang), hint)
    if code == "help_sent":
        return Notice(tr("help_title", lang), tr("help_body", lang), hint)
    if code == "no_counter":
        return Notice(tr("no_counter_title", lang), tr("no_counter_body", lang), hint)
    if code == "unknown_service":
        return Notice(tr("unknown_service_title", lang), tr("unknown_service_body", lang), hint)
    return Notice(tr("failed_title", lang), tr("failed_body", lang), hint)


def _waiting(count: int, language: Language) -> str:
    return tr("waiting", language, count=count)


def _service_item(catalog: Catalog, service: wire.Service, language: Language) -> MenuItem:
    key = f"service:{service.code}"
    if service.open and not catalog.served(service.code):
        if catalog.refuse_unserved:
            return MenuItem(key, name(service, language), tr("unserved_closed", language),
                            enabled=False)
        return MenuItem(key, name(service, language),
                        tr("unserved", language, count=service.waiting))
    if service.open:
        return MenuItem(key, name(service, language), _waiting(service.waiting, language))
    reason = closed_text(service.closed, language)
    return MenuItem(key, name(service, language), reason, enabled=False)


def _field_item(catalog: Catalog, group: wire.Field, language: Language) -> MenuItem:
    services = catalog.services_of(group.code)
    key = f"field:{group.code}"
    picture = group.pictogram if isinstance(group.pictogram, str) else ""
    note = listing(name(s, language) for s in services)
    open_services = [s for s in services if s.open]
    if open_services:
        waiting = sum(s.waiting for s in open_services)
        return MenuItem(key, name(group, language), _waiting(waiting, language), note=note,
                        pictogram=picture)
    reason = closed_text(services[0].closed, language)
    return MenuItem(key, name(group, language), reason, enabled=False, note=note,
                    pictogram=picture)
