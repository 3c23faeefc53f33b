"""What the kiosk shows and does: the menus, the ticket, the notices, the rules of a press.

``KioskController`` keeps the state derived from the server's snapshots and events
(services, their waiting counts and whether they issue now, fields, priority
categories), walks the citizen through the menus (fields → services, or "Ưu tiên" →
category → services), sends ``issue`` and guards it (never two requests at once, and
a second press of the same button within ``double_press_seconds``, while that
citizen's ticket is still on screen, shows it again instead of making another — once
the ticket screen is closed, by a touch or by itself, the next press is the next
citizen's), has the ticket printed, reports printer
faults to the server, and returns to the start by itself. It emits ``changed`` and
the widgets render ``page``, ``menu``, ``ticket`` and ``notice`` in the chosen language.

Imports QtCore, the connection and the kiosk's own pure modules; no widgets.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.check_in import CODE_MAX_LENGTH, code_from_scan, looks_like_code
from kiosk.printer_watch import PrinterWatch
from kiosk.screens import (
    Catalog,
    CheckInView,
    Menu,
    Notice,
    Page,
    Position,
    PrintState,
    TicketView,
    check_in_view,
    choices,
    menu,
    name,
    notice,
    ticket_view,
)
from kiosk.texts import VI, Language, languages, tr
from shared.core import wire
from shared.core.booking import normal_code
from shared.core.link import WrongOffice
from shared.core.office import Office
from shared.core.office_from_server import office_from_server
from shared.printing.printed_ticket import printed_ticket
from shared.qt.connection import ServerConnection

log = logging.getLogger(__name__)

IDLE_SECONDS = 45.0  # a menu left half-way goes back to the start after this long
DISMISS_GUARD_SECONDS = 1.0  # the tap that made the ticket must not also close it
ISSUE_GRACE_SECONDS = 30.0  # an answer later than this finds nobody at the kiosk
FAULT_CONFIRMATION_FACTOR = 2  # a number to remember stays on screen longer

__all__ = ["CheckInView", "KioskController", "Menu", "Notice", "Page", "PrintState",
           "TicketView"]


@dataclass
class _Issued:
    key: tuple[str, str | None]  # (service, priority category), or ("booking", code)
    at: float
    ticket: wire.Ticket
    print_state: PrintState
    slot: str | None = None  # a check-in's booked start
    late: bool = False  # a check-in too late for its slot: an ordinary number


class KioskController(QObject):
    """The kiosk's state and rules; ``changed`` whenever anything shown may differ."""

    changed = Signal()
    ticket_shown = Signal(object)  # the server's wire.Ticket, as its number appears

    def __init__(
        self,
        office: Office,
        connection: ServerConnection,
        printer: PrinterWatch,
        *,
        clock: Callable[[], float] = time.monotonic,
        idle_seconds: float = IDLE_SECONDS,
        dismiss_guard_seconds: float = DISMISS_GUARD_SECONDS,
        issue_grace_seconds: float = ISSUE_GRACE_SECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.local_office = office
        self.office = office  # everything office-wide as the server last said it
        self.connection = connection
        self.printer = printer
        self._clock = clock
        self._dismiss_guard = dismiss_guard_seconds
        self._language: Language = VI
        self._large_print = False
        self._guidance = False
        self._citizen = 0
        self._ever_online = False
        self._catalog = Catalog(office.name)
        self._page = Page.MENU
        self._position = Position()
        self._issue_id: str | None = None
        self._issue_key: tuple[str, str | None] = ("", None)
        self._abandoned: set[str] = set()
        self._last: _Issued | None = None  # the ticket on screen, or the last one shown
        self._shown_at = 0.0
        self._notice_code = ""
        self._notice_closed: wire.Closed | None = None
        self._notice_refusal: wire.CheckInRefusal | None = None
        self._code = ""  # the booking code typed so far (Page.CHECK_IN)
        self._code_problem = ""  # why the last code gave no number
        self._wrong_office: WrongOffice | None = None
        self._not_paired = False

        self._confirmation = self._timer(self._timed_out, office.kiosk.confirmation_seconds)
        self._idle = self._timer(self._went_idle, idle_seconds)
        self._grace = self._timer(self._issue_expired, issue_grace_seconds)

        connection.online.connect(self._on_online)
        connection.offline.connect(self._on_offline)
        connection.refused.connect(self._on_offline)
        connection.snapshot.connect(self._on_snapshot)
        connection.reply.connect(self._on_reply)
        connection.event_received.connect(self._on_event)
        connection.wrong_office.connect(self.show_wrong_office)
        printer.printed.connect(self._on_printed)
        printer.print_failed.connect(self._on_print_failed)
        printer.fault_changed.connect(self._on_fault_changed)

    def _timer(self, slot: Callable[[], None], seconds: float, *,
               single_shot: bool = True) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single_shot)
        timer.setInterval(max(1, int(seconds * 1000)))
        timer.timeout.connect(slot)
        return timer

    # -- what the screen shows ---------------------------------------------------------

    @property
    def language(self) -> Language:
        return self._language

    @property
    def large_print(self) -> bool:
        """Larger type in light on black, for poor sight: one touch away."""
        return self._large_print

    @property
    def citizen(self) -> int:
        """Counts the citizens: one more each time the kiosk starts afresh for the next."""
        return self._citizen

    @property
    def guidance(self) -> bool:
        """Each screen read aloud, for a citizen who cannot read it (``kiosk.guidance``)."""
        return self._guidance

    @property
    def office_name(self) -> str:
        return self._catalog.office_name

    @property
    def page(self) -> Page:
        if self._page in (Page.TICKET, Page.NOTICE):
            return self._page  # a number shown stays shown, even if the link drops
        if not self.connection.is_online:
            if self._wrong_office is not None:
                return Page.WRONG_OFFICE
            if self._not_paired:
                return Page.NOT_PAIRED
            return Page.UNAVAILABLE if self._ever_online else Page.STARTING
        return self._page

    @property
    def printer_banner(self) -> str:
        """A line for the start screen while the printer is at fault, else empty."""
        return tr("printer_fault_banner", self._language) if self.printer.fault else ""

    @property
    def menu(self) -> Menu:
        return menu(self._catalog, self._position, self._language)

    @property
    def ticket(self) -> TicketView | None:
        """The confirmation on screen (or the last one shown)."""
        if self._last is None:
            return None
        return ticket_view(self._catalog, self._last.ticket, self._last.print_state,
                           self._language, slot=self._last.slot, late=self._last.late)

    @property
    def menu_takes_bookings(self) -> bool:
        """The start screen offers to check a booking in."""
        return self._position.at_start and self._catalog.takes_bookings

    @property
    def check_in(self) -> CheckInView:
        """The check-in page: the code typed so far."""
        problem = self._code_problem
        return check_in_view(self._code, problem, self._language)

    @property
    def notice(self) -> Notice:
        """What the notice, issuing, starting or unavailable page says."""
        return notice(self.page, self._notice_code, self._notice_closed, self._language,
                      self._wrong_office, self._notice_refusal)

    def screen_in(self, language: Language) -> Menu | TicketView | Notice | None:
        """What the page shows, in ``language``: the voice reads a screen in a language
        it speaks, whichever the screen is in (None: no ticket yet)."""
        if self.page is Page.MENU:
            return menu(self._catalog, self._position, language)
        if self.page is Page.TICKET:
            return None if self._last is None else ticket_view(
                self._catalog, self._last.ticket, self._last.print_state, language,
                slot=self._last.slot, late=self._last.late)
        if self.page is Page.CHECK_IN:  # the question and what to do; why a code was refused
            view = check_in_view(self._code, self._code_problem, language)
            return Notice(view.title, " ".join(filter(None, (view.problem, view.hint))))
        return notice(self.page, self._notice_code, self._notice_closed, language,
                      self._wrong_office, self._notice_refusal)

    def show_wrong_office(self, wrong: WrongOffice) -> None:
        """The server found is another office's: say so plainly, ask for nothing."""
        log.warning("%s", wrong.english())
        self._wrong_office = wrong
        self.changed.emit()

    def show_not_paired(self) -> None:
        """Refused, and nobody gave the pairing code: not "starting" for ever."""
        self._not_paired = True
        self.changed.emit()

    # -- what a citizen does -----------------------------------------------------------

    def choose(self, key: str) -> None:
        """A menu item was pressed (``MenuItem.key``)."""
        self._idle.start()
        kind, _, code = key.partition(":")
        if kind == "service":
            self.press_service(code)
            return
        if kind == "booking":
            self.start_check_in()
            return
        if kind == "field":
            self._position = replace(self._position, field=code)
        elif kind == "category":
            self._position = Position(category=code)
        elif kind == "priority":
            self._position = Position(choosing_category=True)
        else:
            log.warning("unknown menu item %r", key)
            return
        self.changed.emit()

    # -- checking in with a booking ---------------------------------------------------

    def start_check_in(self, typed: str = "") -> None:
        """The check-in page, with ``typed`` already in the code."""
        self._idle.start()
        self._page = Page.CHECK_IN
        self._code, self._code_problem = normal_code(typed)[:CODE_MAX_LENGTH], ""
        self.changed.emit()

    def type_code(self, text: str) -> None:
        """Keys pressed on the keypad or a keyboard: letters and digits go in the code."""
        self._idle.start()
        added = normal_code(text)
        if not added or self._page is not Page.CHECK_IN:
            return
        self._code = (self._code + added)[:CODE_MAX_LENGTH]
        self._code_problem = ""
        self.changed.emit()

    def erase_code(self) -> None:
        self._idle.start()
        self._code, self._code_problem = self._code[:-1], ""
        self.changed.emit()

    def submit_code(self) -> None:
        """"Lấy số": check in with the code typed."""
        self._idle.start()
        if not looks_like_code(self._code):
            self._code_problem = tr("check_in_short", self._language)
            self.changed.emit()
            return
        self._send_check_in(self._code)

    def scanned(self, text: str) -> None:
        """A scanner read a booking's QR or barcode: check in with it at once, from the
        start, the check-in page, or a confirmation still on screen."""
        code = code_from_scan(text)
        log.info("a code was scanned (%d characters)", len(code))
        if not self._catalog.takes_bookings:
            return  # an office without bookings: nothing to check in
        if self.page not in (Page.MENU, Page.CHECK_IN, Page.TICKET, Page.NOTICE):
            return
        if self._page in (Page.TICKET, Page.NOTICE):
            self.go_home(next_citizen=True)
        self._position = Position()
        self.start_check_in(code)
        if looks_like_code(code):
            self._send_check_in(code)
        else:
            self._code_problem = tr("check_in_unknown", self._language, code=code or "…")
            self.changed.emit()

    def _send_check_in(self, code: str) -> None:
        if self._issue_id is not None or not self.connection.is_online:
            log.info("check-in ignored: %s", "a ticket is being issued"
                     if self._issue_id is not None else "the server cannot be reached")
            return
        self._issue_key = ("booking", code)
        self._issue_id = self.connection.request("check_in", code=code)
        log.info("checking in with a booking code")
        self._grace.start()
        self._page = Page.ISSUING
        self.changed.emit()

    def back(self) -> None:
        """One level up: services → fields → (priority) categories → start."""
        self._idle.start()
        if self._page is Page.CHECK_IN:
            self._page = Page.MENU
            self._position = Position()
            self.changed.emit()
            return
        where = self._position
        if where.field is not None:
            self._position = replace(where, field=None)
        elif where.category is not None:
            self._position = Position(choosing_category=True)
        else:
            self._position = Position()
        self.changed.emit()

    @property
    def next_language(self) -> Language:
        """The language the language button goes to: the next of the kiosk's languages
        (Vietnamese, English, then any the office added), round to the first."""
        offered = languages()
        at = offered.index(self._language) if self._language in offered else -1
        return offered[(at + 1) % len(offered)]

    def toggle_language(self) -> None:
        self._idle.start()
        self._language = self.next_language
        self.changed.emit()

    def still_here(self) -> None:
        """A touch that changes nothing here (a page of buttons turned): the screen
        stays another idle period."""
        self._idle.start()

    def toggle_large_print(self) -> None:
        self._idle.start()
        self._large_print = not self._large_print
        log.info("large print %s", "on" if self._large_print else "off")
        self.changed.emit()

    def toggle_guidance(self) -> None:
        self._idle.start()
        self._guidance = not self._guidance
        log.info("spoken guidance %s", "on" if self._guidance else "off")
        self.changed.emit()

    def choose_number(self, number: int) -> None:
        """A number key on the start or a choosing screen: choice ``number`` as the
        guidance says it (1 the first, the priority entry last), 0 going back."""
        if self.page is not Page.MENU:
            return
        if number == 0:
            self.back()
            return
        items = choices(self.menu)
        if 0 < number <= len(items) and items[number - 1].enabled:
            self.choose(items[number - 1].key)

    def dismiss(self) -> None:
        """A touch on the confirmation or notice: back to the start."""
        if self._page is Page.TICKET and self._clock() - self._shown_at < self._dismiss_guard:
            return  # the second tap of a double tap, not a request to leave
        if self._page in (Page.TICKET, Page.NOTICE):
            self.go_home(next_citizen=True)

    def go_home(self, *, next_citizen: bool = False) -> None:
        self._confirmation.stop()
        self._idle.stop()
        self._page = Page.ISSUING if self._issue_id is not None else Page.MENU
        self._position = Position()
        self._code, self._code_problem = "", ""
        if next_citizen:  # the next citizen starts in Vietnamese, as a citizen who reads
            self._citizen += 1
            self._language = VI
            self._large_print = self._guidance = False
        self.changed.emit()

    def press_service(self, code: str) -> None:
        """Ask for a ticket of service ``code`` (on the priority path: a priority one)."""
        if self._issue_id is not None:
            log.info("press on %s ignored: a ticket is being issued", code)
            return
        key = (code, self._position.category)
        last = self._last
        window = self.office.kiosk.double_press_seconds
        # One citizen's double tap, never the next citizen: only while the ticket the
        # first tap made is still on screen.
        if (self._page is Page.TICKET and last is not None and last.key == key
                and self._clock() - last.at < window):
            log.info("second press on %s within %.1f s: showing %s again", code, window,
                     last.ticket.number)
            self._show(Page.TICKET)
            return
        if not self.connection.is_online:
            log.info("press on %s ignored: the server cannot be reached", code)
            return
        self._issue_key = key
        category = self._position.category
        self._issue_id = self.connection.request("issue", service=code, priority=category)
        log.info("asked for a ticket of %s (priority %s)", code, category)
        self._grace.start()
        self._page = Page.ISSUING
        self.changed.emit()

    def ask_for_help(self) -> None:
        """"Tôi cần hỗ trợ": every counter is told, with where this kiosk stands."""
        self._idle.start()
        if not self.connection.is_online:
            log.info("help asked for, but the server cannot be reached")
            return
        self.connection.request("help", location=self.local_office.kiosk.location[:64])
        log.info("a citizen asked for help")
        self._notice_code, self._notice_closed = "help_sent", None
        self._show(Page.NOTICE)

    def refresh(self) -> None:
        """Ask the server for a fresh snapshot (services open and close with time)."""
        if self.connection.is_online:
            self.connection.request("snapshot")

    # -- the server --------------------------------------------------------------------

    def _on_online(self) -> None:
        self._ever_online = True
        self._wrong_office, self._not_paired = None, False
        if self._page is Page.MENU:
            self._position = Position()  # the outage broke off whatever was chosen
        if self.printer.fault:  # a restarted server forgot it; counters must know
            self._report_fault(True, self.printer.message)
        self.changed.emit()

    def _on_offline(self, reason: str = "") -> None:
        self.changed.emit()

    def _on_snapshot(self, snapshot: wire.Snapshot) -> None:
        # The ticket's time zone and footer are the office's, whatever this file says.
        self.office = office_from_server(self.local_office, snapshot)
        self._catalog = Catalog.from_snapshot(snapshot)
        field = self._position.field
        if field is not None and not self._catalog.services_of(field):
            self._position = replace(self._position, field=None)  # the field is gone
        self.changed.emit()

    def _on_event(self, message: wire.Event) -> None:
        if isinstance(message, wire.QueueChanged):
            self._catalog.update_waiting(message.waiting)
        elif isinstance(message, wire.ServicesChanged):
            self._catalog.services = list(message.services)  # opened or closed just now
        elif isinstance(message, wire.CounterChanged):
            self._catalog.counter_changed(message)  # whether its services are served now
        else:
            return
        self.changed.emit()

    def _on_reply(self, message: wire.Reply) -> None:
        re = message.re
        if re in self._abandoned:
            self._abandoned.discard(str(re))
            if isinstance(message, wire.TicketReply):
                log.warning("ticket %s was issued after the citizen had gone; not shown",
                            message.ticket.number)
            return
        if re is None or re != self._issue_id:
            return
        self._issue_id = None
        self._grace.stop()
        if isinstance(message, wire.TicketReply):
            self._new_ticket(message.ticket, message.page, slot=message.slot,
                             late=message.late)
            return
        error = message if isinstance(message, wire.ErrorReply) else None
        code = error.code if error is not None else "unexpected"
        log.info("no ticket for %s: %s (%s)", self._issue_key[0], code,
                 error.message if error is not None else type(message).__name__)
        refusal = error.check_in if error is not None else None
        if code == "check_in" and (refusal is None or refusal.kind == "unknown"):
            # A code mistyped: back to the keys, the code still there to be corrected.
            self._page = Page.CHECK_IN
            self._code_problem = tr("check_in_unknown", self._language, code=self._code)
            self._idle.start()
            self.changed.emit()
            return
        self._notice_code, self._notice_closed = code, error.closed if error else None
        self._notice_refusal = refusal
        self._show(Page.NOTICE)
        self.refresh()  # the snapshot was behind: show the service as it is now

    def _issue_expired(self) -> None:
        if self._issue_id is None:
            return
        log.warning("no answer to the ticket request in time; giving up on it")
        # Not resent after a reconnect: nobody would be at the kiosk to take it.
        self.connection.cancel(self._issue_id)
        self._abandoned.add(self._issue_id)
        self._issue_id = None
        self._notice_code, self._notice_closed = "timeout", None
        if self.connection.is_online:
            self._show(Page.NOTICE)
        else:
            # The unavailable page shows; no ticket is promised, and the one who asked
            # may have gone: the next citizen starts afresh.
            self.go_home(next_citizen=True)

    # -- the ticket and the printer ----------------------------------------------------

    def _new_ticket(self, ticket: wire.Ticket, page: str | None = None, *,
                    slot: str | None = None, late: bool = False) -> None:
        state = PrintState.PRINTING if self.printer.has_paper else PrintState.NONE
        self._last = _Issued(self._issue_key, self._clock(), ticket, state, slot, late)
        self._code = ""
        log.info("ticket %s issued (%s ahead)", ticket.number, ticket.ahead)
        self._show(Page.TICKET)
        self.ticket_shown.emit(ticket)
        self.refresh()  # a daily cap may just have been reached: show it on the buttons
        if state is PrintState.PRINTING:
            category = self._catalog.category(ticket.priority)
            service = self._catalog.service(ticket.service)
            language = self.language  # the citizen's: they take the ticket home
            try:
                paper = printed_ticket(ticket, self.office,
                                       office_name=self._catalog.office_name,
                                       category_name=name(category, language) if category
                                       else None,
                                       unserved=not self._catalog.served(ticket.service),
                                       page=page, slot=slot, language=language,
                                       service_name=name(service, language) if service
                                       else None)
            except (KeyError, TypeError, ValueError) as problem:
                log.exception("cannot print ticket %s", ticket.number)
                self._on_print_failed(ticket.number, str(problem))
                return
            self.printer.print_ticket(paper)

    def _show(self, page: Page) -> None:
        self._page = page
        self._shown_at = self._clock()
        self._idle.stop()
        self._confirmation.start(self._confirmation_ms())
        self.changed.emit()

    def _confirmation_ms(self) -> int:
        seconds = self.office.kiosk.confirmation_seconds
        if self._page is Page.TICKET and self._last is not None and (
                self._last.print_state is PrintState.FAILED):
            seconds *= FAULT_CONFIRMATION_FACTOR
        return int(seconds * 1000)

    def _on_printed(self, number: str) -> None:
        if self._last is not None and self._last.ticket.number == number:
            self._last.print_state = PrintState.PRINTED
            self.changed.emit()

    def _on_print_failed(self, number: str, message: str) -> None:
        if self._last is not None and self._last.ticket.number == number:
            self._last.print_state = PrintState.FAILED
            if self._page is Page.TICKET:
                self._confirmation.start(self._confirmation_ms())
            self.changed.emit()

    def _on_fault_changed(self, fault: bool, message: str) -> None:
        self._report_fault(fault, message)
        self.changed.emit()

    def _report_fault(self, fault: bool, message: str) -> None:
        self.connection.request("printer_fault", fault=fault, message=message)

    # -- timers ------------------------------------------------------------------------

    def _timed_out(self) -> None:
        if self._page in (Page.TICKET, Page.NOTICE):
            self.go_home(next_citizen=True)

    def _went_idle(self) -> None:
        if self._page in (Page.MENU, Page.CHECK_IN):
            self.go_home(next_citizen=True)
