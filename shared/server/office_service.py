"""The office service: protocol v1 requests in, a reply and the events to publish out.

The one place where the pure rules meet the store. Each request is checked
(shape, role, counter), answered from the store if it was already answered
(same client, same request id, also after a restart), otherwise decided by the
rules and written with its events and its reply in one transaction.
No network here: the server (``shared.server.server``) owns the sockets.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from shared.core import pin, wire
from shared.core import queue_rules as rules
from shared.core.booking import Booking, Refusal, normal_code
from shared.core.errors import QueueError
from shared.core.events import Event, EventKind
from shared.core.office import CounterOrder, Office
from shared.core.protocol import ALLOWED, ProtocolError
from shared.core.snapshot import counter_day, services, snapshot, wire_ticket
from shared.core.ticket import Ticket, TicketStatus
from shared.core.wrong_tries import WrongTries
from shared.server.store import QueueStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
CounterRule = Callable[[rules.QueueState, Office, int, datetime], list[Event]]
CLOCK_JUMP = timedelta(minutes=1)  # a clock set back more than this is worth a warning
# A wall clock past midnight before the day has really ended is believed only after it
# has said so this long; a midnight a little early (a clock fast by a minute) is fine.
CLOCK_JUMP_GRACE = timedelta(minutes=10)
MIDNIGHT_SLACK = timedelta(minutes=2)
# A day kept past a wrong clock's midnight for its citizens is kept only while it is at
# work: after this long with nothing decided, what is left of it (a PC that booted with
# a wrong clock, say, and yesterday's leftovers) no longer holds the office back.
HOLD_QUIET = timedelta(minutes=30)
# Refusals (error replies) remembered per client and day; a few hundred bytes each.
REMEMBERED_REFUSALS = 1000


@dataclass(frozen=True)
class Session:
    """Who is asking: a client that proved it holds a key enrolled for this role."""

    client: str
    role: str
    counter: int | None = None
    # The key it proved itself with: it seals an official's PIN (``shared.core.pin``).
    key: str | None = field(default=None, repr=False)


@dataclass
class Outcome:
    reply: wire.Reply
    events: list[wire.Event] = field(default_factory=list)


class OfficeService:
    def __init__(
        self, office: Office, store: QueueStore, clock: Clock | None = None,
        *, elapsed: Callable[[], float] | None = None,
        page_address: Callable[[date, int], str] | None = None,
        present: Callable[[], Container[int]] | None = None,
        pin_of: Callable[[str], str | None] | None = None,
        booking_of: Callable[[str], Booking | None] | None = None,
    ) -> None:
        """``clock`` is the wall clock (default: now, in the office's zone); ``elapsed``
        counts seconds that really pass, whatever the wall clock says (default:
        ``time.monotonic``; with an injected ``clock``, that clock's own seconds, so
        that a test that moves its clock moves time)."""
        self.office = office
        self.store = store
        # The address of a ticket's page (``shared.server.ticket_pages``), for the
        # reply to ``issue``: the kiosk prints it as the ticket's QR code.
        self._page_address = page_address
        # The counters whose program is connected: people ahead are counted at those
        # that call now (``queue_rules.working_counters``); None: at every counter.
        self._present = present
        zone = ZoneInfo(office.timezone)
        self._zone = zone
        self._clock: Clock = clock or (lambda: datetime.now(zone))
        if elapsed is None:
            elapsed = time.monotonic if clock is None else (lambda: self._clock().timestamp())
        self._elapsed = elapsed
        # An official's stored PIN hash (``DeviceRegistry.pin_hash``); None: nobody has
        # a PIN, and nobody can sign in.
        self._pin_of = pin_of
        # A booking by its code (``BookingBook.find``); None: this site takes none.
        self._booking_of = booking_of
        # Wrong PINs in a row: by official at one device, and by official anywhere.
        self._pin_guards = (WrongTries(elapsed, pin.FREE_TRIES),
                            WrongTries(elapsed, pin.FREE_TRIES_ANYWHERE))
        # Never before the last stored event, also across a restart with a clock that
        # was set back: first come, first served depends on it.
        now, last = self._clock(), store.last_event_at()
        if last is not None and last > now:
            log.warning("the clock (%s) is behind the last stored event (%s); counting "
                        "from that event until the clock catches up", now, last)
        self._last_now = now if last is None else max(now, last)
        # The day the clock says, or a later one the log has already started.
        day = rules.business_day(office, now)
        last_day = store.last_event_day()
        if last_day is not None and last_day < day and last is not None:
            # The server was off over midnight: that day ends now, as it would have at
            # its midnight (citizens at a counter done, officials signed out).
            old = store.load(last_day)
            closing = rules.close_day(old, last)
            if closing:
                store.commit(old, closing)
                log.info("business day %s closed at start: %d events", last_day, len(closing))
        self.state = store.load(max(day, last_day or day))
        # The waiting tickets of the last state decided: the next request's "before".
        self._waiting: _Waiting | None = None
        self._ticked = self._time_shown(self.state, self._last_now)
        self._new_day_read: date | None = None  # a later day read once, by the last reading
        self._new_day_since = 0.0  # ``elapsed`` when that later day was first read
        self._day_ends = self._end_of_day(now)  # ``elapsed`` when this day really ends
        self._behind = False  # the clock reads earlier than the queue's: warned once
        self._held = False  # a day kept past a wrong clock's midnight for its citizens
        self._active_at: float | None = None  # ``elapsed`` when something was last decided
        self._by_the_clock = False  # the day changes by the wall clock alone: not trusted
        # Refusals remembered today, by client: a client sending junk cannot grow the
        # database without bound (issue 18, defect 7).
        self._refusals: Counter[str] = Counter()

    def now(self) -> datetime:
        """The clock, never running backwards: the queue order depends on it."""
        clock = self._clock()
        behind = self._last_now - clock > CLOCK_JUMP
        if behind and not self._behind:
            log.warning("the clock went back from %s to %s", self._last_now, clock)
        self._behind = behind
        self._last_now = max(clock, self._last_now)
        return self._last_now

    def snapshot(self) -> wire.Snapshot:
        now = self.now()
        return snapshot(self._roll_over(now), self.office, now)

    def tick(self) -> list[wire.Event]:
        """What time alone changed since the last tick: a new business day (the whole
        snapshot), or services that opened or closed. The server calls this a few
        times a second and publishes the result, so that no client keeps a timer."""
        now = self.now()
        state = self._roll_over(now)
        before, self._ticked = self._ticked, self._time_shown(state, now)
        if before[0] != state.day:
            return [wire.DayChanged(snapshot=snapshot(state, self.office, now))]
        if before[1] != self._ticked[1]:
            return [wire.ServicesChanged(services=services(state, self.office, now))]
        return []

    def _time_shown(
        self, state: rules.QueueState, now: datetime
    ) -> tuple[date, tuple[wire.Closed | None, ...]]:
        """What the clock decides in a snapshot: the day, and which services are closed."""
        return state.day, tuple(rules.closure(state, self.office, s, now)
                                for s in self.office.services)

    def _day_read(self) -> date:
        """The business day by the clock as it reads now — not ``now()``, which never
        runs backwards and so would keep one odd reading.

        A later day counts when two readings in a row say it (the ticks come four
        times a second) and time has really passed to the end of this day (the
        server's own midnight, counted in ``elapsed`` seconds); a wall clock that
        jumps past midnight before then must keep saying so for ``CLOCK_JUMP_GRACE``
        first. A PC that sets its clock a day ahead for a moment, or for minutes,
        ends nothing and drops nobody (issue 18).
        """
        read = rules.business_day(self.office, self._clock())
        if read <= self.state.day:
            self._new_day_read = None
            self._held = False  # the clock reads right again: a later jump is said again
            return self.state.day
        now = self._elapsed()
        if self._new_day_read != read:
            self._new_day_read, self._new_day_since = read, now
            return self.state.day
        if now >= self._day_ends - MIDNIGHT_SLACK.total_seconds():
            self._by_the_clock = False
            if self._held:
                log.info("the day %s has really ended: %s begins", self.state.day, read)
            return read  # the day's end has really come
        if now - self._new_day_since >= CLOCK_JUMP_GRACE.total_seconds():
            if self._someone_here() and self._active_at is not None \
                    and now - self._active_at < HOLD_QUIET.total_seconds():
                # A day is never left while its citizens wait (issue 18): they would be
                # dropped from the queue. It ends when they are served, or at its real end.
                if not self._held:
                    log.warning("the clock has said %s for %s although this day should not "
                                "have ended yet; citizens are still waiting, so the day goes "
                                "on until they are served or it really ends. Check the PC's "
                                "clock.", read, CLOCK_JUMP_GRACE)
                    self._held = True
                return self.state.day
            log.warning("the clock has said %s for %s although this day should not have "
                        "ended yet, and nobody waits (or nothing was decided for %s): "
                        "starting it", read, CLOCK_JUMP_GRACE, HOLD_QUIET)
            self._by_the_clock = True
            return read
        return self.state.day

    def _someone_here(self) -> bool:
        """Whether a citizen of the current day waits, is at a counter, or is completing
        documents to come back."""
        here = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.PARKED)
        return any(t.status in here for t in self.state.tickets.values())

    def _end_of_day(self, wall: datetime) -> float:
        """``elapsed`` at which the current business day ends, judged from ``wall``."""
        following = datetime.combine(self.state.day + timedelta(days=1), datetime.min.time(),
                                     tzinfo=self._zone)
        return self._elapsed() + (following - wall.astimezone(self._zone)).total_seconds()

    def _roll_over(self, now: datetime) -> rules.QueueState:
        """On a new business day: close the old one, start the new one empty."""
        new_day = rules.start_day(self.state, self._day_read())
        if new_day is not self.state:
            # A day left because the wall clock said so is closed at its last known moment,
            # not at a time the clock may have wrong (it would hold the queue's clock there).
            last = self.store.last_event_at() if self._by_the_clock else None
            self._by_the_clock = False
            closing = rules.close_day(self.state, min(now, last) if last is not None else now)
            if closing:
                self.store.commit(self.state, closing)
            self.store.forget_replies(new_day.day - timedelta(days=1))
            self._refusals.clear()
            log.info("business day %s begins", new_day.day)
            self.state = new_day
            self._held = False
            self._day_ends = self._end_of_day(self._clock())
        return self.state

    def handle(self, session: Session, request: wire.Request) -> Outcome:
        """Answer one request; errors become error replies and change nothing.

        Every answer but a snapshot is remembered with the request's (client, id),
        errors and "nobody waiting" included, so a retry gets exactly the first answer.
        """
        key = (session.client, request.key)

        if not isinstance(request, wire.SnapshotRequest):
            earlier = self.store.reply_to(*key)
            if earlier is not None:
                return Outcome(earlier)
        try:
            counter = self._acting_counter(session, request)
            if isinstance(request, wire.SignIn):
                self._check_pin(session, request, counter)
            return self._execute(request, counter, key)
        except (ProtocolError, QueueError) as problem:
            closed = problem.closed if isinstance(problem, QueueError) else None
            refusal = problem.refusal if isinstance(problem, QueueError) else None
            reply = wire.ErrorReply(
                re=request.id, code=problem.code, message=problem.message,
                closed=closed if isinstance(closed, wire.Closed) else None,
                check_in=_refusal(refusal) if isinstance(refusal, Refusal) else None,
            )
            self._remember_refusal(key, reply)
            return Outcome(reply)

    def _check_pin(self, session: Session, request: wire.SignIn, counter: int | None) -> None:
        """Raise QueueError unless ``request`` carries the official's own PIN, sealed
        by this session's key; wrong PINs in a row slow the next tries."""
        official = self.office.official(request.official)
        if official is None:
            raise QueueError("unknown_official", f"Không có cán bộ “{request.official}” trong "
                             "danh sách của văn phòng. / No such official in the office's list.")
        keys = (f"{official.id}|{session.client}", official.id)
        guards = tuple(zip(self._pin_guards, keys, strict=True))
        wait = max(guard.wait(key) for guard, key in guards)
        if wait > 0:
            raise QueueError(
                "pin_locked", f"Đã nhập sai mã PIN nhiều lần liên tiếp: hãy thử lại sau "
                f"{math.ceil(wait)} giây. / Too many wrong PINs in a row: try again in "
                f"{math.ceil(wait)} seconds.")
        stored = None if self._pin_of is None else self._pin_of(official.id)
        if stored is None:
            raise QueueError(
                "no_pin", f"{official.name} chưa có mã PIN: trên máy chủ, chạy `motcua "
                f"officials pin {official.id}`. / {official.name} has no PIN yet: run `motcua "
                f"officials pin {official.id}` on the server.")
        typed = None if session.key is None else pin.unseal(
            session.key, session.client, official.id, request.pin)
        if typed is None:
            raise QueueError(
                "bad_request", "Không mở được mã PIN: nó không được niêm phong bằng khoá của "
                "thiết bị này. / The PIN was not sealed with this device's key.")
        if not pin.matches(typed, stored):
            for guard, key in guards:
                guard.wrong(key)
            left = min(guard.tries_left(key) for guard, key in guards)
            log.warning("wrong PIN for official %r at counter %s from %r (%d tries left)",
                        official.id, counter, session.client, left)
            wait_s = str(math.ceil(max(guard.wait(key) for guard, key in guards)))
            then = ((f"còn {left} lần thử", f"{left} tries left") if left else
                    (f"lần sau phải chờ {wait_s} giây", f"the next try must wait {wait_s} s"))
            raise QueueError("wrong_pin", f"Sai mã PIN của {official.name}; {then[0]}. / Wrong "
                             f"PIN for {official.name}; {then[1]}.")
        for guard, key in guards:
            guard.right(key)

    def _remember_refusal(self, key: tuple[str, str], reply: wire.ErrorReply) -> None:
        """Store a refusal, so that a retry gets it again — up to
        ``REMEMBERED_REFUSALS`` a day per client; past that, a retry is decided
        afresh (a refusal changed nothing, so nothing is done twice)."""
        client = key[0]
        self._refusals[client] += 1
        count = self._refusals[client]
        if count <= REMEMBERED_REFUSALS:
            self.state = self.store.commit(self.state, [], key, reply)
        elif count == REMEMBERED_REFUSALS + 1:
            log.warning("client %r was refused %d times today; its further refusals are "
                        "answered but not remembered", client, REMEMBERED_REFUSALS)

    def _acting_counter(self, session: Session, request: wire.Request) -> int | None:
        if request.type not in ALLOWED[session.role]:
            raise ProtocolError(
                "forbidden", f"A {session.role} may not send “{request.type}”.", request.id
            )
        if isinstance(request, wire.HelpAnswer):
            return session.counter  # the counter whose official goes (None: an admin)
        if not isinstance(request, wire.CounterAction):
            return None
        named = request.for_counter
        if session.role == "counter":
            if named is not None and named != session.counter:
                raise ProtocolError(
                    "forbidden",
                    f"Counter {session.counter} cannot act for counter {named}.",
                    request.id,
                )
            return session.counter
        if named is None:
            problem = "An admin says which counter it acts for in “for_counter”."
            raise ProtocolError("bad_request", problem, request.id)
        return int(named)

    def _execute(
        self, request: wire.Request, counter: int | None, key: tuple[str, str]
    ) -> Outcome:
        now = self.now()
        before = self._roll_over(now)
        if isinstance(request, wire.SnapshotRequest):
            return Outcome(wire.SnapshotReply(re=request.id, snapshot=self.snapshot()))
        if isinstance(request, wire.PrinterFaultReport):
            return self._printer_fault(request, key)
        if isinstance(request, wire.HelpRequest | wire.HelpAnswer):
            return self._help(request, counter, key)
        new_events = self._decide(request, counter, before, now)
        after = rules.apply(before, new_events)
        waiting_before = self._waiting_in(before)
        waiting_after = waiting_before.after(after, new_events)
        tickets = _Tickets(self.office, after, waiting_after, self._present)
        reply = self._answer(request, after, counter, new_events, tickets)
        self.state = self.store.commit(before, new_events, key, reply, after=after)
        self._waiting = waiting_after
        if new_events:
            self._active_at = self._elapsed()
        published = self._publish(new_events, tickets, waiting_before, waiting_after)
        published += self._counter_days(before, after, new_events)
        return Outcome(reply, published)

    def _waiting_in(self, state: rules.QueueState) -> _Waiting:
        """The waiting tickets of ``state``: kept from the last request (one pass over
        the day's tickets only at start, on a new day, or after a failed commit)."""
        if self._waiting is not None and self._waiting.state is state:
            return self._waiting
        return _Waiting.of(state)

    def _decide(
        self, request: wire.Request, counter: int | None, state: rules.QueueState,
        now: datetime,
    ) -> list[Event]:
        office = self.office
        if isinstance(request, wire.Issue):
            return rules.issue(state, office, request.service, request.priority, now)
        if isinstance(request, wire.CheckIn):
            code = normal_code(request.code)
            found = None if self._booking_of is None else self._booking_of(code)
            return rules.check_in(state, office, found, code, now)
        assert counter is not None  # every other request acts for a counter
        if isinstance(request, wire.IssueHere):
            return rules.issue(state, office, request.service, request.priority, now,
                               by_counter=counter, reason=request.reason)
        if isinstance(request, wire.Transfer):
            return rules.transfer(
                state, office, counter, now, service=request.service, to_counter=request.counter
            )
        if isinstance(request, wire.CallNumber):
            return rules.call_number(state, office, counter, request.number, request.reason, now)
        if isinstance(request, wire.Return):
            return rules.return_ticket(state, office, counter, request.number, now)
        if isinstance(request, wire.SignIn):  # its PIN was checked by ``handle``
            return rules.sign_in(state, office, counter, request.official, now)
        return _COUNTER_RULES[type(request)](state, office, counter, now)

    def _answer(
        self, request: wire.Request, state: rules.QueueState, counter: int | None,
        events: list[Event], tickets: _Tickets,
    ) -> wire.Reply:
        """The reply the contract promises for ``request``, given the events it caused."""
        subject = next((e for e in reversed(events) if e.ticket is not None), None)
        ticket = None if subject is None or subject.ticket is None else tickets[subject.ticket]
        if isinstance(request, wire.Issue | wire.CheckIn | wire.IssueHere):
            # Issuing makes a ticket, or raises.
            assert ticket is not None
            assert subject is not None
            assert subject.ticket is not None
            page = None if self._page_address is None else self._page_address(
                state.day, subject.ticket)
            slot = subject.data.get("slot")
            return wire.TicketReply(
                re=request.id, ticket=ticket, page=page,
                slot=None if slot is None else str(slot),
                late=isinstance(request, wire.CheckIn) and not ticket.appointment)
        if isinstance(request, wire.CallNext | wire.CallNumber | wire.Recall):
            calls = (EventKind.CALLED, EventKind.CALLED_OUT_OF_ORDER, EventKind.RECALLED)
            if subject is None or ticket is None or subject.kind not in calls:
                return wire.Empty(re=request.id)
            return wire.Called(
                re=request.id, ticket=ticket, recall=isinstance(request, wire.Recall)
            )
        if isinstance(request, wire.Pause | wire.Resume):
            paused = state.counter_state(counter).paused if counter is not None else False
            return wire.Ok(re=request.id, counter=wire.CounterPause(number=counter, paused=paused))
        return wire.Ok(re=request.id, ticket=ticket)

    def rate(self, ticket_id: int, level: int, reasons: Sequence[str]) -> QueueError | None:
        """Store a citizen's rating of today's ticket ``ticket_id`` (from its page);
        None, or why it was refused (``rules.rate``). Nothing is published: the
        counters and the hall do not show ratings."""
        now = self.now()
        before = self._roll_over(now)
        try:
            events = rules.rate(before, self.office, ticket_id, level, reasons, now)
        except QueueError as problem:
            return problem
        after = rules.apply(before, events)
        self.state = self.store.commit(before, events, after=after)
        self._waiting = self._waiting_in(before).after(after, events)
        return None

    def _printer_fault(self, request: wire.PrinterFaultReport, key: tuple[str, str]) -> Outcome:
        fault = wire.PrinterFault(kiosk=key[0], fault=request.fault, message=request.message)
        reply = wire.Ok(re=request.id)
        self.state = self.store.commit(self.state, [], key, reply)
        return Outcome(reply, [fault])

    def _help(self, request: wire.HelpRequest | wire.HelpAnswer, counter: int | None,
              key: tuple[str, str]) -> Outcome:
        """A kiosk's call for help, or an official's answer: passed on to every client
        (the counters show it until someone answers); the queue does not change."""
        fact: wire.Event
        if isinstance(request, wire.HelpRequest):
            fact = wire.HelpRequested(kiosk=key[0], location=request.location)
        else:
            fact = wire.HelpAnswered(kiosk=request.kiosk, counter=counter)
        reply = wire.Ok(re=request.id)
        self.state = self.store.commit(self.state, [], key, reply)
        return Outcome(reply, [fact])

    def _publish(
        self, events: list[Event], tickets: _Tickets, waiting_before: _Waiting,
        waiting_after: _Waiting,
    ) -> list[wire.Event]:
        """The protocol events for the facts just stored, in the order they happened."""
        published: list[wire.Event] = []
        for fact in events:
            if fact.kind in _SEAT_CHANGES:
                assert fact.counter is not None
                seat = tickets.state.counter_state(fact.counter)
                published.append(wire.CounterChanged(
                    counter=fact.counter, change=_SEAT_CHANGES[fact.kind],
                    paused=seat.paused, official=seat.official,
                ))
                continue
            assert fact.ticket is not None
            ticket = tickets[fact.ticket]
            if fact.kind is EventKind.ISSUED:
                published.append(wire.TicketIssued(ticket=ticket))
            elif fact.kind in (EventKind.CALLED, EventKind.CALLED_OUT_OF_ORDER,
                               EventKind.RECALLED):
                published.append(wire.TicketCalled(
                    ticket=ticket, counter=fact.counter,
                    recall=fact.kind is EventKind.RECALLED,
                    out_of_order=fact.kind is EventKind.CALLED_OUT_OF_ORDER,
                ))
            else:
                published.append(wire.TicketUpdated(
                    ticket=ticket, counter=fact.counter, action=fact.kind.value
                ))
        waiting = waiting_after.counts(self.office)
        if waiting != waiting_before.counts(self.office):
            published.append(wire.QueueChanged(waiting=waiting))
        return published


    def _counter_days(
        self, before: rules.QueueState, after: rules.QueueState, events: list[Event]
    ) -> list[wire.Event]:
        """``counter_day`` for each counter whose figures these events changed: the
        acting counter, and the counters the touched tickets were or are at."""
        touched = {fact.ticket for fact in events if fact.ticket is not None}
        counters: set[int | None] = {fact.counter for fact in events}
        for state in (before, after):
            counters |= {state.tickets[t].counter for t in touched if t in state.tickets}
        changed: list[wire.Event] = []
        for number in sorted(c for c in counters if c is not None):
            today = counter_day(after, number)
            if today != counter_day(before, number):
                changed.append(wire.CounterDayChanged(counter=number, today=today))
        return changed


_SEAT_CHANGES: dict[EventKind, Literal["paused", "resumed", "signed_in", "signed_out"]] = {
    EventKind.PAUSED: "paused", EventKind.RESUMED: "resumed",
    EventKind.SIGNED_IN: "signed_in", EventKind.SIGNED_OUT: "signed_out",
}

_COUNTER_RULES: dict[type[wire.Request], CounterRule] = {
    wire.CallNext: rules.call_next,
    wire.Recall: rules.recall,
    wire.Absent: rules.absent,
    wire.Park: rules.park,
    wire.Done: rules.done,
    wire.Pause: rules.pause,
    wire.Resume: rules.resume,
    wire.SignOut: rules.sign_out,
}


_Place = tuple[str, int | None]  # where a waiting ticket waits: (service, counter sent to)


def _refusal(refusal: Refusal) -> wire.CheckInRefusal:
    return wire.CheckInRefusal(
        kind=refusal.kind,
        day=refusal.day, at=None if refusal.at is None else f"{refusal.at:%H:%M}",
        number=refusal.number)


@dataclass(frozen=True)
class _Waiting:
    """The waiting tickets of one state, by where they wait: (service, the counter a
    transfer sent them to, if any), as ticket ids.

    Kept up to date from each request's events, so that a request costs a pass over
    the waiting tickets its counters may call, not over every ticket of the day: the
    waiting counts are the sizes of these sets (``rules.waiting_counts``), and a
    ticket's ``ahead`` looks only at the tickets the counters that may call it may call.
    """

    state: rules.QueueState
    by_place: dict[_Place, frozenset[int]]

    @staticmethod
    def place(ticket: Ticket) -> _Place:
        return ticket.service, ticket.target_counter

    @classmethod
    def of(cls, state: rules.QueueState) -> _Waiting:
        found: dict[_Place, set[int]] = {}
        for ticket in state.waiting():
            found.setdefault(cls.place(ticket), set()).add(ticket.id)
        return cls(state, {place: frozenset(ids) for place, ids in found.items()})

    def after(self, state: rules.QueueState, events: list[Event]) -> _Waiting:
        """The waiting tickets of ``state``, which ``events`` made from this one: only
        the tickets they touched can have changed."""
        changed: dict[_Place, set[int]] = {}

        def ids(place: _Place) -> set[int]:
            return changed.setdefault(place, set(self.by_place.get(place, ())))

        for ticket_id in {fact.ticket for fact in events if fact.ticket is not None}:
            old, new = self.state.tickets.get(ticket_id), state.tickets.get(ticket_id)
            if old is not None and old.status is TicketStatus.WAITING:
                ids(self.place(old)).discard(ticket_id)
            if new is not None and new.status is TicketStatus.WAITING:
                ids(self.place(new)).add(ticket_id)
        by_place = dict(self.by_place)
        for place, now_waiting in changed.items():
            if now_waiting:
                by_place[place] = frozenset(now_waiting)
            else:
                by_place.pop(place, None)
        return _Waiting(state, by_place)

    def counts(self, office: Office) -> dict[str, int]:
        """``rules.waiting_counts`` of the state."""
        counts = {service.code: 0 for service in office.services}
        for (service, _), ids in self.by_place.items():
            counts[service] = counts.get(service, 0) + len(ids)
        return counts

    def ahead_of_newest(self, office: Office, ticket: Ticket,
                        calling: Container[int] | None) -> int | None:
        """``rules.ahead_of`` of an ordinary ticket just issued, from the sizes of the
        sets alone; None for any other ticket. Issued last, it comes after every other
        ticket its counters may call (priority ones too, under every policy), except,
        at a counter that prefers services, those of services it prefers less. So each
        count is a sum of set sizes: issuing stays cheap however long the queue."""
        if (ticket.priority is not None or ticket.target_counter is not None
                or ticket.queued_at != ticket.issued_at or ticket.id != self.state.next_id - 1):
            return None
        sizes: dict[str, int] = {}
        sent: dict[int, int] = {}
        for (service, target), ids in self.by_place.items():
            if target is None:
                sizes[service] = len(ids)
            else:
                sent[target] = sent.get(target, 0) + len(ids)
        counts = []
        for counter in rules.working(rules.callers(office, ticket), calling):
            services = counter.services
            if counter.order is CounterOrder.SERVICE_FIRST:
                services = services[:services.index(ticket.service) + 1]
            counts.append(sum(sizes.get(code, 0) for code in services)
                          + sent.get(counter.number, 0) - 1)  # less the ticket itself
        return min(counts, default=0)

    def callable_with(self, office: Office, ticket: Ticket) -> rules.QueueState:
        """The state with only the waiting tickets that a counter that may call
        ``ticket`` may call: all that its ``ahead`` looks at."""
        callers = rules.callers(office, ticket)
        services = {code for counter in callers for code in counter.services}
        numbers = {counter.number for counter in callers}
        tickets = self.state.tickets
        waiting = {i: tickets[i] for (service, target), ids in self.by_place.items()
                   if (target in numbers if target is not None else service in services)
                   for i in ids}
        return replace(self.state, tickets=waiting)


class _Tickets:
    """Ticket values of one state, each built once per request: the reply and the
    events share it, and a waiting ticket's ``ahead`` looks only at the waiting tickets
    its counters may call."""

    def __init__(self, office: Office, state: rules.QueueState, waiting: _Waiting,
                 present: Callable[[], Container[int]] | None = None) -> None:
        self._office = office
        self._present = present
        self._calling: Container[int] | None = None  # worked out for the first waiting one
        self.state = state
        self._waiting = waiting
        self._built: dict[int, wire.Ticket] = {}

    def __getitem__(self, ticket_id: int) -> wire.Ticket:
        built = self._built.get(ticket_id)
        if built is None:
            ticket = self.state.tickets[ticket_id]
            seen_in = self.state
            ahead = None
            if ticket.status is TicketStatus.WAITING:
                if self._calling is None and self._present is not None:
                    self._calling = rules.working_counters(self.state, self._office,
                                                           self._present())
                ahead = self._waiting.ahead_of_newest(self._office, ticket, self._calling)
                if ahead is None:
                    seen_in = self._waiting.callable_with(self._office, ticket)
            built = self._built[ticket_id] = wire_ticket(ticket, self._office, seen_in,
                                                         self._calling, ahead)
        return built
