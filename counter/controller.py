"""The counter's controller: the queue as this counter sees it, and the official's actions.

Holds the state derived from the server's snapshots, replies and events — the
citizen being served, the waiting counts, the absent and parked tickets, today's
tally, printer faults, the link — and sends the official's actions as requests.
Views read its properties and redraw on ``changed``; the status line follows
``message``. The server decides everything: the controller shows what the server
reports, never what it hopes.

Imports QtCore and ``shared`` only; no widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QObject, Signal

from counter import wording
from counter.queue_state import NEEDS_TICKET, Action, CounterLine, ServiceLine, Today
from shared.core import serving, wire
from shared.core.link import Link, WrongOffice
from shared.core.office import Office
from shared.languages.catalogue import EN
from shared.qt.connection import ServerConnection

log = logging.getLogger(__name__)

SET_ASIDE_STATUSES = frozenset({"absent", "parked"})
# After these errors what the window shows may be out of date: ask for the truth.
RESYNC_CODES = frozenset({"no_current_ticket", "conflict", "not_found", "internal"})


@dataclass(frozen=True)
class _Sent:
    action: Action
    fields: dict[str, Any]
    serving: str | None  # the number at the counter when the official acted


class CounterController(QObject):
    """One counter's view of the queue and its actions (see the module docstring).

    Signals: ``changed()`` after any change of state; ``message(text, is_error)``
    for the status line.
    """

    changed = Signal()
    message = Signal(str, bool)
    # The server's answer to a sign-in or sign-out: (accepted, what to tell the official).
    sign_in_answered = Signal(bool, str)
    # A number this counter issued for a citizen standing there: (wire.Ticket, its page).
    issued = Signal(object, object)

    def __init__(
        self,
        connection: ServerConnection,
        counter: int,
        office: Office | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.number = counter
        self._connection = connection
        self._now = now or (lambda: datetime.now(UTC))
        self._offset = timedelta(0)  # server clock minus ours, from fresh events
        self._zone: tzinfo | None = None  # the office's UTC offset, from its times
        self.link = Link.ONLINE if connection.is_online else Link.CONNECTING
        self.link_reason = ""
        self.office_name = ""
        self.business_day: str | None = None
        self.services: list[ServiceLine] = []
        self.counters: list[CounterLine] = []
        self.priority_names: dict[str, str] = {}  # code -> its Vietnamese name
        self._priorities_en: dict[str, str] = {}  # code -> its English name
        self.officials: list[wire.Official] = []  # who may sign in at the counters
        self.current: wire.Ticket | None = None
        self.faults: dict[str, str] = {}  # kiosk -> what is wrong with its printer
        self.help_wanted: dict[str, str] = {}  # kiosk -> where it stands: a citizen needs help
        self.last_message = ("", False)
        self._set_aside: dict[str, wire.Ticket] = {}  # number -> ticket, oldest first
        self._today = Today()  # the server's figures (counter_day), shown as they are
        self._sent: dict[str, _Sent] = {}  # request id -> what it was, until answered
        if office is not None:
            self._from_office(office)

        connection.online.connect(self._on_online)
        connection.offline.connect(self._on_offline)
        connection.refused.connect(self._on_refused)
        connection.wrong_office.connect(self._on_wrong_office)
        connection.snapshot.connect(self._on_snapshot)
        connection.reply.connect(self._on_reply)
        connection.event_received.connect(self._on_event)

    # -- what the views read ---------------------------------------------------------

    @property
    def online(self) -> bool:
        return self.link is Link.ONLINE

    @property
    def busy(self) -> bool:
        """An action was sent and not answered yet: no second press meanwhile, so that
        a key pressed twice never skips a citizen."""
        return bool(self._sent)

    @property
    def me(self) -> CounterLine:
        line = next((c for c in self.counters if c.number == self.number), None)
        return line or CounterLine(self.number, wording.counter_name(self.number))

    @property
    def paused(self) -> bool:
        return self.me.paused

    @property
    def official_here(self) -> wire.Official | None:
        """The official signed in at this counter, if anyone."""
        return self.official(self.me.official)

    def official(self, official_id: str | None) -> wire.Official | None:
        found = next((o for o in self.officials if o.id == official_id), None)
        if found is None and official_id is not None:  # not in our list (yet): its id
            return wire.Official(id=official_id, name=official_id)
        return found

    @property
    def today(self) -> Today:
        return self._today

    def my_services(self) -> list[ServiceLine]:
        """The services this counter serves, in its order, with their waiting counts."""
        by_code = {s.code: s for s in self.services}
        return [by_code.get(code, ServiceLine(code, code)) for code in self.me.services]

    def waiting_here(self) -> int:
        return sum(s.waiting for s in self.my_services())

    def answer_help(self) -> None:
        """This counter's official goes to the kiosks that asked for help: the other
        counters stop showing it."""
        for kiosk in list(self.help_wanted):
            self._connection.request("help_answered", kiosk=kiosk)

    def unserved_waiting(self) -> list[ServiceLine]:
        """Services citizens wait for that no counter serves right now (none connected
        and working), in the office's order; nothing while this counter is offline."""
        if self.link is not Link.ONLINE:
            return []
        codes = set(serving.unserved((s.code for s in self.services), self.counters))
        return [s for s in self.services if s.code in codes and s.waiting > 0]

    def set_aside(self, *, everywhere: bool = False) -> list[wire.Ticket]:
        """Absent and parked tickets, oldest first: those of this counter (set aside
        here or of its services), or every counter's."""
        mine = set(self.me.services)
        return [
            t for t in self._set_aside.values()
            if everywhere or t.counter == self.number or t.service in mine
        ]

    def service_name(self, code: str, fallback: str = "") -> str:
        """A service's name as the official reads it, in the counter's language;
        ``fallback``: its Vietnamese name (a ticket's) while this counter does not know
        the service."""
        line = next((s for s in self.services if s.code == code), None)
        return wording.service_name(line or ServiceLine(code, fallback or code))

    def ticket_service(self, ticket: wire.Ticket) -> str:
        """The name of ``ticket``'s service, as the official reads it."""
        return self.service_name(ticket.service, ticket.service_name)

    def priority_name(self, code: str | None) -> str | None:
        """A priority category's name as the official reads it."""
        if not code:
            return None
        return wording.office_name(self.priority_names.get(code, code),
                                   self._priorities_en.get(code, ""))

    def printed_priority(self, code: str | None) -> str | None:
        """A priority category's name on a printed ticket: Vietnamese, whatever the
        counter's language (the ticket is the citizen's)."""
        return self.priority_names.get(code, code) if code else None

    def server_now(self) -> datetime:
        """The server's clock (in the office's time zone once a server time was seen)."""
        now = self._now() + self._offset
        return now.astimezone(self._zone) if self._zone is not None else now.astimezone()

    def seconds_since_called(self) -> int | None:
        if self.current is None or self.current.called_at is None:
            return None
        return max(0, int((self.server_now() - self.current.called_at).total_seconds()))

    def can(self, action: Action) -> bool:
        """Whether ``action`` makes sense now (its button is enabled)."""
        if action is Action.SET_ASIDE:
            return True  # looking at the list needs no server
        if not self.online or self.busy:
            return False
        if action is Action.SIGN_IN:
            return bool(self.officials)
        return action not in NEEDS_TICKET or self.current is not None

    # -- the official's actions ------------------------------------------------------

    def call_next(self) -> str | None:
        return self._send(Action.CALL_NEXT)

    def recall(self) -> str | None:
        return self._send(Action.RECALL)

    def done(self) -> str | None:
        return self._send(Action.DONE)

    def absent(self) -> str | None:
        return self._send(Action.ABSENT)

    def park(self) -> str | None:
        return self._send(Action.PARK)

    def transfer(self, *, service: str | None = None, counter: int | None = None) -> str | None:
        """Send the citizen being served to another service or to one counter."""
        if (service is None) == (counter is None):
            raise ValueError("transfer to a service or to a counter, exactly one")
        if service is not None:
            return self._send(Action.TRANSFER, service=service)
        return self._send(Action.TRANSFER, counter=counter)

    def call_number(self, number: str, reason: str) -> str | None:
        """Call one ticket out of order; the reason goes into the server's audit log."""
        number, reason = number.strip().upper(), reason.strip()
        if not number or not reason:
            self._say(wording.word("call_needs_both"), error=True)
            return None
        return self._send(Action.CALL, number=number, reason=reason)

    def issue_here(self, service: str, priority: str | None = None,
                   reason: str = "") -> str | None:
        """A number of ``service`` for a citizen standing at the counter (the elderly,
        or no kiosk nearby); the answer comes as ``issued``."""
        fields: dict[str, Any] = {"service": service, "priority": priority}
        if reason.strip():
            fields["reason"] = reason.strip()[:500]
        return self._send(Action.ISSUE, **fields)

    def return_ticket(self, number: str) -> str | None:
        return self._send(Action.RETURN, number=number)

    def toggle_pause(self) -> str | None:
        return self._send(Action.PAUSE, request="resume" if self.paused else "pause")

    def sign_in(self, official: str, pin_typed: str) -> str | None:
        """Sign ``official`` in at this counter; the PIN leaves sealed with this
        device's key. The answer comes as ``sign_in_answered``."""
        sealed = self._connection.seal_pin(official, pin_typed)
        if sealed is None:
            self._say(wording.word("offline_no_sign_in"), error=True)
            return None
        return self._send(Action.SIGN_IN, official=official, pin=sealed)

    def sign_out(self) -> str | None:
        return self._send(Action.SIGN_IN, "sign_out")

    def cancel_sign_in(self) -> bool:
        """Forget a sign-in (or sign-out) not answered yet: it is not sent again after a
        reconnect, so an official who gave up and walked away is not signed in minutes
        later. (One that already reached the server may still be carried out; the
        badge then says so.) True if there was one."""
        waiting = [rid for rid, sent in self._sent.items() if sent.action is Action.SIGN_IN]
        for request_id in waiting:
            self._connection.cancel(request_id)
            del self._sent[request_id]
        if waiting:
            self.changed.emit()
        return bool(waiting)

    def refresh(self) -> None:
        """Ask the server for the whole state again (the answer comes as a snapshot)."""
        if self.online:
            self._connection.request("snapshot")

    def mark_unpaired(self, reason: str) -> None:
        """No pairing code to connect with (the official gave none): say so."""
        self.link, self.link_reason = Link.REFUSED, reason
        self._say(reason, error=True)
        self.changed.emit()

    def _send(self, action: Action, request: str | None = None, **fields: Any) -> str | None:
        if not self.online:
            self._say(wording.word("offline_not_sent"), error=True)
            return None
        if self.busy:
            log.info("Ignoring %s: the previous action is not answered yet", action.value)
            return None
        if action in NEEDS_TICKET and self.current is None:
            self._say(wording.word("no_ticket"), error=True)
            return None
        request_id = self._connection.request(request or action.value, **fields)
        serving = self.current.number if self.current is not None else None
        self._sent[request_id] = _Sent(action, fields, serving)
        self.changed.emit()
        return request_id

    # -- the connection --------------------------------------------------------------

    def _on_online(self) -> None:
        was = self.link
        self.link, self.link_reason = Link.ONLINE, ""
        if was in (Link.OFFLINE, Link.REFUSED, Link.WRONG_OFFICE):
            self._say(wording.word("reconnected"))
        self.changed.emit()

    def _on_offline(self, reason: str) -> None:
        if self.cancel_sign_in():
            self.sign_in_answered.emit(False, wording.word("offline_sign_in_lost"))
        self.link, self.link_reason = Link.OFFLINE, reason
        self._say(wording.word("offline"), error=True)
        self.changed.emit()

    def _on_wrong_office(self, wrong: WrongOffice) -> None:
        # The sentence is the link's own, in the two languages it has (as the kiosk's).
        said = wrong.english() if wording.language() == EN else wrong.vietnamese()
        self.link, self.link_reason = Link.WRONG_OFFICE, said
        self._say(said, error=True)
        self.changed.emit()

    def _on_refused(self, reason: str) -> None:
        self.link, self.link_reason = Link.REFUSED, reason
        self._say(wording.word("refused", reason=reason), error=True)
        self.changed.emit()

    def _on_snapshot(self, snapshot: wire.Snapshot) -> None:
        day = snapshot.business_day.isoformat()
        if day != self.business_day:
            self._new_day(day)
        self.office_name = snapshot.office.name
        self.services = [ServiceLine.of(s) for s in snapshot.services]
        self.counters = [CounterLine.of(c) for c in snapshot.counters]
        self.priority_names = {p.code: p.name for p in snapshot.priority_categories}
        self._priorities_en = {p.code: p.name_en for p in snapshot.priority_categories}
        self.officials = list(snapshot.officials)
        mine = next((c for c in snapshot.counters if c.number == self.number), None)
        self.current = mine.current if mine is not None else None
        if mine is not None:
            self._today = _today(mine.today)
        self._set_aside = {ticket.number: ticket for ticket in snapshot.set_aside}
        for ticket in [*self._set_aside.values(), *([self.current] if self.current else [])]:
            self._zone = ticket.issued_at.tzinfo
        self.changed.emit()

    def _on_reply(self, reply: wire.Reply) -> None:
        sent = self._sent.pop(str(reply.re), None)
        if sent is None:
            return  # a snapshot we asked for (it comes as a snapshot), or not ours
        if sent.action is Action.SIGN_IN:
            self._signed(sent, reply)
        elif isinstance(reply, wire.ErrorReply):
            self._refused_action(sent, reply)
        elif isinstance(reply, wire.TicketReply) and sent.action is Action.ISSUE:
            self._say(wording.issued_here(reply.ticket, self.ticket_service(reply.ticket)))
            self.issued.emit(reply.ticket, reply.page)
        elif isinstance(reply, wire.Called):
            ticket = reply.ticket
            self._see(ticket)
            self.current = ticket
            text = wording.called(ticket, self.ticket_service(ticket), recall=reply.recall,
                                  out_of_order=sent.action is Action.CALL)
            if sent.action is Action.CALL_NEXT and sent.serving not in (None, ticket.number):
                text = wording.finished_then(str(sent.serving), text)
            self._say(text)
        elif isinstance(reply, wire.Empty):
            self.current = None
            self._say(wording.nobody_waiting(sent.serving))
        elif isinstance(reply, wire.Ok) and reply.counter is not None:
            self._set_me(paused=reply.counter.paused)
            self._say(wording.paused(reply.counter.paused))
        elif isinstance(reply, wire.Ok) and reply.ticket is not None:
            self._see(reply.ticket)
            self._say(wording.done(reply.ticket, sent.action, self.ticket_service(reply.ticket),
                                   to_counter=sent.fields.get("counter")))
        self.changed.emit()

    def _signed(self, sent: _Sent, reply: wire.Reply) -> None:
        if isinstance(reply, wire.ErrorReply):
            text = reply.message or wording.word("sign_in_refused")
            log.info("The server refused the sign-in: %s (%s)", text, reply.code)
            self._say(text, error=True)
            self.sign_in_answered.emit(False, text)
            return
        who = sent.fields.get("official")
        official = self.official(None if who is None else str(who))
        self._set_me(official=None if official is None else official.id)
        text = wording.signed(official, self.number)
        self._say(text)
        self.sign_in_answered.emit(True, text)

    def _refused_action(self, sent: _Sent, reply: wire.ErrorReply) -> None:
        code = reply.code
        text = reply.message or wording.word("action_refused")
        log.info("The server refused %s: %s (%s)", sent.action.value, text, code)
        self._say(text, error=True)
        if sent.action is Action.RETURN and code in ("conflict", "not_found"):
            self._set_aside.pop(str(sent.fields.get("number")), None)
        if code in RESYNC_CODES:
            self.refresh()

    def _on_event(self, message: wire.Event) -> None:
        if isinstance(message, wire.TicketIssued | wire.TicketCalled | wire.TicketUpdated):
            self._ticket_event(message)
        elif isinstance(message, wire.QueueChanged):
            counts = message.waiting
            self.services = [
                replace(s, waiting=counts.get(s.code, s.waiting)) for s in self.services
            ]
        elif isinstance(message, wire.CounterDayChanged):
            if message.counter != self.number:
                return
            self._today = _today(message.today)
        elif isinstance(message, wire.CounterChanged):
            self.counters = [
                line.changed(message) if line.number == message.counter else line
                for line in self.counters
            ]
        elif isinstance(message, wire.HelpRequested):
            self.help_wanted[message.kiosk] = message.location
        elif isinstance(message, wire.HelpAnswered):
            self.help_wanted.pop(message.kiosk, None)
        elif isinstance(message, wire.PrinterFault):
            kiosk = message.kiosk or "?"
            if message.fault:
                self.faults[kiosk] = message.message
            else:
                self.faults.pop(kiosk, None)
        else:
            return
        self.changed.emit()

    def _ticket_event(
        self, message: wire.TicketIssued | wire.TicketCalled | wire.TicketUpdated
    ) -> None:
        ticket = message.ticket
        # Events are sent as things happen: their times tell us the server's clock.
        if isinstance(message, wire.TicketIssued):
            self._offset = ticket.issued_at - self._now()
        elif isinstance(message, wire.TicketCalled) and not message.recall and ticket.called_at:
            self._offset = ticket.called_at - self._now()
        self._see(ticket)
        if isinstance(message, wire.TicketCalled) and message.counter == self.number:
            self.current = ticket

    # -- bookkeeping -----------------------------------------------------------------

    def _see(self, ticket: wire.Ticket) -> None:
        """A ticket as it is now: the counter's ticket, the set-aside list, the tally."""
        if ticket.issued_at is not None:
            self._zone = ticket.issued_at.tzinfo
        self._set_aside.pop(ticket.number, None)
        if ticket.status in SET_ASIDE_STATUSES:
            self._set_aside[ticket.number] = ticket  # at the end: the newest last
        if (
            self.current is not None
            and ticket.number == self.current.number
            and ticket.status != "called"
        ):
            self.current = None

    def _new_day(self, day: str) -> None:
        if self.business_day is not None:
            log.info("A new business day: %s", day)
            self._today = Today()
            self._set_aside.clear()
            self.current = None
        self.business_day = day

    def _set_me(self, **changes: Any) -> None:
        if not any(c.number == self.number for c in self.counters):
            self.counters.append(self.me)
        self.counters = [
            replace(c, **changes) if c.number == self.number else c for c in self.counters
        ]

    def _from_office(self, office: Office) -> None:
        """Names to show before the first snapshot (the server's state replaces them)."""
        self.office_name = office.name
        self.services = [ServiceLine(s.code, s.name, name_en=s.name_en) for s in office.services]
        self.counters = [CounterLine(c.number, c.name, c.services) for c in office.counters]
        self.priority_names = {p.code: p.name for p in office.priority.categories}
        self._priorities_en = {p.code: p.name_en for p in office.priority.categories}
        self.officials = [wire.Official(id=o.id, name=o.name, title=o.title)
                          for o in office.officials]

    def report_problem(self, text: str) -> None:
        """Something went wrong in this program itself (not the server): say it."""
        self._say(text, error=True)

    def inform(self, text: str) -> None:
        """News of this program itself (a keypad found): on the status line."""
        self._say(text)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.last_message = (text, error)
        self.message.emit(text, error)


def _today(figure: wire.CounterDay) -> Today:
    return Today(figure.served, figure.absent,
                 None if figure.average_service_seconds is None
                 else float(figure.average_service_seconds))
