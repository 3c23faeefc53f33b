"""The office service: protocol v1 requests in, a reply and the events to publish out.

The one place where the pure rules meet the store. Each request is checked
(shape, role, counter), answered from the store if it was already answered
(same client, same request id, also after a restart), otherwise decided by the
rules and written with its events and its reply in one transaction.
No network here: the server (``shared.server.server``) owns the sockets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.core import queue_rules as rules
from shared.core.errors import QueueError
from shared.core.events import Event, EventKind
from shared.core.office import Office
from shared.core.protocol import (
    ALLOWED,
    COUNTER_ACTIONS,
    JsonObject,
    ProtocolError,
    Request,
    error,
    event,
    parse_request,
)
from shared.core.snapshot import snapshot_json, ticket_json
from shared.core.ticket import TicketStatus
from shared.server.store import QueueStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
CLOCK_JUMP = timedelta(minutes=1)  # a clock set back more than this is worth a warning


@dataclass(frozen=True)
class Session:
    """Who is asking: the client proved it knows the office secret for this role."""

    client: str
    role: str
    counter: int | None = None


@dataclass
class Outcome:
    reply: JsonObject
    events: list[JsonObject] = field(default_factory=list)


class OfficeService:
    def __init__(self, office: Office, store: QueueStore, clock: Clock | None = None) -> None:
        self.office = office
        self.store = store
        zone = ZoneInfo(office.timezone)
        self._clock: Clock = clock or (lambda: datetime.now(zone))
        # Never before the last stored event, also across a restart with a clock that
        # was set back: first come, first served depends on it.
        now, last = self._clock(), store.last_event_at()
        if last is not None and last > now:
            log.warning("the clock (%s) is behind the last stored event (%s); counting "
                        "from that event until the clock catches up", now, last)
        self._last_now = now if last is None else max(now, last)
        self.state = store.load(rules.business_day(office, self._last_now))
        # The waiting tickets of the last state decided: the next request's "before".
        self._waiting: _Waiting | None = None

    def now(self) -> datetime:
        """The clock, never running backwards: the queue order depends on it."""
        clock = self._clock()
        if self._last_now - clock > CLOCK_JUMP:
            log.warning("the clock went back from %s to %s", self._last_now, clock)
        self._last_now = max(clock, self._last_now)
        return self._last_now

    def snapshot(self) -> JsonObject:
        now = self.now()
        return snapshot_json(self._roll_over(now), self.office, now)

    def _roll_over(self, now: datetime) -> rules.QueueState:
        """On a new business day: close the old one, start the new one empty."""
        new_day = rules.roll_over(self.state, self.office, now)
        if new_day is not self.state:
            closing = rules.close_day(self.state, now)
            if closing:
                self.store.commit(self.state, closing)
            self.store.forget_replies(new_day.day - timedelta(days=1))
            log.info("business day %s begins", new_day.day)
            self.state = new_day
        return self.state

    def handle(self, session: Session, message: JsonObject) -> Outcome:
        """Answer one request; errors become error replies and change nothing.

        Every answer but a snapshot is remembered with the request's (client, id),
        errors and "nobody waiting" included, so a retry gets exactly the first answer.
        """
        try:
            request = parse_request(message)
        except ProtocolError as problem:
            return Outcome(error(problem.code, problem.message, problem.re))
        key = (session.client, request.key)
        if request.type != "snapshot":
            earlier = self.store.reply_to(*key)
            if earlier is not None:
                return Outcome(earlier)
        try:
            counter = self._acting_counter(session, request)
            return self._execute(request, counter, key)
        except (ProtocolError, QueueError) as problem:
            reply = error(problem.code, problem.message, request.id)
            self.state = self.store.commit(self.state, [], key, reply)
            return Outcome(reply)

    def _acting_counter(self, session: Session, request: Request) -> int | None:
        if request.type not in ALLOWED[session.role]:
            raise ProtocolError(
                "forbidden", f"A {session.role} may not send “{request.type}”.", request.id
            )
        if request.type not in COUNTER_ACTIONS:
            return None
        named = request.body.get("for_counter")
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

    def _execute(self, request: Request, counter: int | None, key: tuple[str, str]) -> Outcome:
        now = self.now()
        before = self._roll_over(now)
        if request.type == "snapshot":
            return Outcome(self._reply(request, "snapshot", snapshot=self.snapshot()))
        if request.type == "printer_fault":
            return self._printer_fault(request, key)
        new_events = self._decide(request, counter, before, now)
        after = rules.apply(before, new_events)
        waiting_before = self._waiting_in(before)
        waiting_after = waiting_before.after(after, new_events)
        tickets = _TicketJson(self.office, after, waiting_after)
        reply = self._answer(request, after, counter, new_events, tickets)
        self.state = self.store.commit(before, new_events, key, reply, after=after)
        self._waiting = waiting_after
        published = self._publish(new_events, tickets, waiting_before, waiting_after)
        return Outcome(reply, published)

    def _waiting_in(self, state: rules.QueueState) -> _Waiting:
        """The waiting tickets of ``state``: kept from the last request (one pass over
        the day's tickets only at start, on a new day, or after a failed commit)."""
        if self._waiting is not None and self._waiting.state is state:
            return self._waiting
        return _Waiting.of(state)

    def _decide(
        self, request: Request, counter: int | None, state: rules.QueueState, now: datetime
    ) -> list[Event]:
        body, office = request.body, self.office
        if request.type == "issue":
            return rules.issue(state, office, body["service"], body.get("priority"), now)
        assert counter is not None  # every other request acts for a counter
        if request.type == "transfer":
            return rules.transfer(
                state, office, counter, now,
                service=body.get("service"), to_counter=body.get("counter"),
            )
        if request.type == "call":
            return rules.call_number(state, office, counter, body["number"], body["reason"], now)
        if request.type == "return":
            return rules.return_ticket(state, office, counter, body["number"], now)
        decide = {
            "call_next": rules.call_next,
            "recall": rules.recall,
            "absent": rules.absent,
            "park": rules.park,
            "done": rules.done,
            "pause": rules.pause,
            "resume": rules.resume,
        }[request.type]
        return decide(state, office, counter, now)

    def _answer(
        self, request: Request, state: rules.QueueState, counter: int | None, events: list[Event],
        tickets: _TicketJson,
    ) -> JsonObject:
        """The reply the contract promises for ``request``, given the events it caused."""
        subject = next((e for e in reversed(events) if e.ticket is not None), None)
        ticket = None if subject is None or subject.ticket is None else tickets[subject.ticket]
        if request.type == "issue":
            return self._reply(request, "ticket", ticket=ticket)
        if request.type in ("call_next", "call", "recall"):
            calls = (EventKind.CALLED, EventKind.CALLED_OUT_OF_ORDER, EventKind.RECALLED)
            if subject is None or subject.kind not in calls:
                return self._reply(request, "empty")
            return self._reply(request, "called", ticket=ticket, recall=request.type == "recall")
        if request.type in ("pause", "resume"):
            paused = state.counter_state(counter).paused if counter is not None else False
            return self._reply(request, "ok", counter={"number": counter, "paused": paused})
        return self._reply(request, "ok", ticket=ticket)

    def _reply(self, request: Request, kind: str, **fields: Any) -> JsonObject:
        return {"type": kind, "re": request.id, **fields}

    def _printer_fault(self, request: Request, key: tuple[str, str]) -> Outcome:
        fault = event(
            "printer_fault",
            kiosk=key[0],
            fault=request.body["fault"],
            message=request.body.get("message", ""),
        )
        reply = self._reply(request, "ok")
        self.state = self.store.commit(self.state, [], key, reply)
        return Outcome(reply, [fault])

    def _publish(
        self, events: list[Event], tickets: _TicketJson, waiting_before: _Waiting,
        waiting_after: _Waiting,
    ) -> list[JsonObject]:
        """The protocol events for the facts just stored, in the order they happened."""
        published = []
        for fact in events:
            if fact.kind in (EventKind.PAUSED, EventKind.RESUMED):
                published.append(
                    event("counter_changed", counter=fact.counter, change=fact.kind.value,
                          paused=fact.kind is EventKind.PAUSED)
                )
                continue
            assert fact.ticket is not None
            ticket = tickets[fact.ticket]
            if fact.kind is EventKind.ISSUED:
                published.append(event("ticket_issued", ticket=ticket))
            elif fact.kind in (EventKind.CALLED, EventKind.CALLED_OUT_OF_ORDER,
                               EventKind.RECALLED):
                published.append(
                    event("ticket_called", ticket=ticket, counter=fact.counter,
                          recall=fact.kind is EventKind.RECALLED,
                          out_of_order=fact.kind is EventKind.CALLED_OUT_OF_ORDER)
                )
            else:
                published.append(
                    event("ticket_updated", ticket=ticket, counter=fact.counter,
                          action=fact.kind.value)
                )
        waiting = waiting_after.counts(self.office)
        if waiting != waiting_before.counts(self.office):
            published.append(event("queue_changed", waiting=waiting))
        return published


@dataclass(frozen=True)
class _Waiting:
    """The waiting tickets of one state, by service (ticket ids).

    Kept up to date from each request's events, so that a request costs a pass over
    the waiting tickets of one service, not over every ticket of the day: the
    waiting counts are the sizes of these sets (``rules.waiting_counts``), and a
    ticket's ``ahead`` needs only the waiting tickets of its own service.
    """

    state: rules.QueueState
    by_service: dict[str, frozenset[int]]

    @classmethod
    def of(cls, state: rules.QueueState) -> _Waiting:
        found: dict[str, set[int]] = {}
        for ticket in state.waiting():
            found.setdefault(ticket.service, set()).add(ticket.id)
        return cls(state, {service: frozenset(ids) for service, ids in found.items()})

    def after(self, state: rules.QueueState, events: list[Event]) -> _Waiting:
        """The waiting tickets of ``state``, which ``events`` made from this one: only
        the tickets they touched can have changed."""
        changed: dict[str, set[int]] = {}

        def ids(service: str) -> set[int]:
            return changed.setdefault(service, set(self.by_service.get(service, ())))

        for ticket_id in {fact.ticket for fact in events if fact.ticket is not None}:
            old, new = self.state.tickets.get(ticket_id), state.tickets.get(ticket_id)
            if old is not None and old.status is TicketStatus.WAITING:
                ids(old.service).discard(ticket_id)
            if new is not None and new.status is TicketStatus.WAITING:
                ids(new.service).add(ticket_id)
        by_service = dict(self.by_service)
        for service, now_waiting in changed.items():
            if now_waiting:
                by_service[service] = frozenset(now_waiting)
            else:
                by_service.pop(service, None)
        return _Waiting(state, by_service)

    def counts(self, office: Office) -> dict[str, int]:
        """``rules.waiting_counts`` of the state."""
        counts = {service.code: 0 for service in office.services}
        for service, ids in self.by_service.items():
            counts[service] = len(ids)
        return counts

    def of_service(self, service: str) -> rules.QueueState:
        """The state with only ``service``'s waiting tickets: all that ``ahead`` looks at."""
        tickets = self.state.tickets
        mine = {ticket_id: tickets[ticket_id] for ticket_id in self.by_service.get(service, ())}
        return replace(self.state, tickets=mine)


class _TicketJson:
    """Ticket objects of one state, each built once per request: the reply and the
    events share it, and a waiting ticket's ``ahead`` looks only at its service."""

    def __init__(self, office: Office, state: rules.QueueState, waiting: _Waiting) -> None:
        self._office = office
        self._state = state
        self._waiting = waiting
        self._built: dict[int, JsonObject] = {}

    def __getitem__(self, ticket_id: int) -> JsonObject:
        built = self._built.get(ticket_id)
        if built is None:
            ticket = self._state.tickets[ticket_id]
            seen_in = self._state
            if ticket.status is TicketStatus.WAITING:
                seen_in = self._waiting.of_service(ticket.service)
            built = self._built[ticket_id] = ticket_json(ticket, self._office, seen_in)
        return dict(built)
