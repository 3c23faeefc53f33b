"""The office service: protocol v1 requests in, a reply and the events to publish out.

The one place where the pure rules meet the store. Each request is checked
(shape, role, counter), answered from the store if it was already answered
(same client, same request id, also after a restart), otherwise decided by the
rules and written with its events and its reply in one transaction.
No network here: the server (``shared.server``) owns the sockets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared import queue_rules as rules
from shared.errors import QueueError
from shared.events import Event, EventKind
from shared.office import Office
from shared.protocol import (
    ALLOWED,
    COUNTER_ACTIONS,
    JsonObject,
    ProtocolError,
    Request,
    error,
    event,
    parse_request,
)
from shared.snapshot import snapshot_json, ticket_json
from shared.store import QueueStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


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
        self._last_now = self._clock()
        self.state = store.load(rules.business_day(office, self._last_now))

    def now(self) -> datetime:
        """The clock, never running backwards: the queue order depends on it."""
        self._last_now = max(self._clock(), self._last_now)
        return self._last_now

    def snapshot(self) -> JsonObject:
        now = self.now()
        self.state = rules.roll_over(self.state, self.office, now)
        return snapshot_json(self.state, self.office, now)

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
        before = rules.roll_over(self.state, self.office, now)
        self.state = before
        if request.type == "snapshot":
            return Outcome(self._reply(request, "snapshot", snapshot=self.snapshot()))
        if request.type == "printer_fault":
            return self._printer_fault(request, key)
        new_events = self._decide(request, counter, before, now)
        after = rules.apply(before, new_events)
        reply = self._answer(request, after, counter, new_events)
        self.state = self.store.commit(before, new_events, key, reply)
        return Outcome(reply, self._publish(before, self.state, new_events))

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
        self, request: Request, state: rules.QueueState, counter: int | None, events: list[Event]
    ) -> JsonObject:
        """The reply the contract promises for ``request``, given the events it caused."""
        subject = next((e for e in reversed(events) if e.ticket is not None), None)
        ticket = None if subject is None else ticket_json(
            state.tickets[subject.ticket], self.office, state  # type: ignore[index]
        )
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
        self, before: rules.QueueState, after: rules.QueueState, events: list[Event]
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
            ticket = ticket_json(after.tickets[fact.ticket], self.office, after)
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
        waiting = rules.waiting_counts(after, self.office)
        if waiting != rules.waiting_counts(before, self.office):
            published.append(event("queue_changed", waiting=waiting))
        return published
