"""The counter's picture of the queue, as plain data read from protocol JSON.

Tickets, services and counters as the server last described them, the actions an
official can take, and the state of the link to the server. Views render these;
the controller builds them from snapshots, replies and events.

Pure: imports no Qt, no network, nothing of another program.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)

JsonObject = dict[str, Any]


class Action(StrEnum):
    """What an official can do at the counter (the request type where there is one)."""

    CALL_NEXT = "call_next"
    RECALL = "recall"
    DONE = "done"
    ABSENT = "absent"
    PARK = "park"
    TRANSFER = "transfer"
    CALL = "call"  # a specific number, out of order, with a reason
    PAUSE = "pause"  # pause or resume, whichever applies
    RETURN = "return"  # an absent or parked ticket back into the queue
    SET_ASIDE = "set_aside"  # look at the absent and parked tickets


# Actions on the citizen being served: pointless (and refused) with nobody there.
NEEDS_TICKET = frozenset({Action.RECALL, Action.DONE, Action.ABSENT, Action.PARK,
                          Action.TRANSFER})


class Link(StrEnum):
    """The connection to the server, as the official sees it."""

    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"
    REFUSED = "refused"  # wrong or missing pairing code, or no such counter


@dataclass(frozen=True)
class TicketView:
    number: str
    service: str
    service_name: str
    status: str
    priority: str | None
    issued_at: datetime | None
    called_at: datetime | None
    counter: int | None
    target_counter: int | None
    recalls: int
    transferred_from: str | None
    ahead: int

    @classmethod
    def from_json(cls, ticket: JsonObject) -> TicketView:
        return cls(
            number=str(ticket.get("number", "")),
            service=str(ticket.get("service", "")),
            service_name=str(ticket.get("service_name") or ticket.get("service", "")),
            status=str(ticket.get("status", "")),
            priority=ticket.get("priority") or None,
            issued_at=parse_time(ticket.get("issued_at")),
            called_at=parse_time(ticket.get("called_at")),
            counter=_int_or_none(ticket.get("counter")),
            target_counter=_int_or_none(ticket.get("target_counter")),
            recalls=int(ticket.get("recalls") or 0),
            transferred_from=ticket.get("transferred_from") or None,
            ahead=int(ticket.get("ahead") or 0),
        )


@dataclass(frozen=True)
class ServiceLine:
    code: str
    name: str
    waiting: int = 0

    @classmethod
    def from_json(cls, service: JsonObject) -> ServiceLine:
        return cls(str(service.get("code")), str(service.get("name")),
                   int(service.get("waiting") or 0))


@dataclass(frozen=True)
class CounterLine:
    number: int
    name: str
    services: tuple[str, ...] = ()
    paused: bool = False
    connected: bool = False

    @classmethod
    def from_json(cls, counter: JsonObject) -> CounterLine:
        number = int(counter.get("number") or 0)
        return cls(
            number=number,
            name=str(counter.get("name") or f"Quầy {number}"),
            services=tuple(str(s) for s in counter.get("services", [])),
            paused=bool(counter.get("paused")),
            connected=bool(counter.get("connected")),
        )

    def changed(self, event: JsonObject) -> CounterLine:
        """This counter after a ``counter_changed`` event about it."""
        presence = {"connected": True, "disconnected": False}.get(str(event.get("change")))
        return replace(
            self,
            paused=bool(event.get("paused", self.paused)),
            connected=self.connected if presence is None else presence,
        )


@dataclass(frozen=True)
class Today:
    """Today at this counter, as the view shows it."""

    served: int = 0
    absent: int = 0
    average_seconds: float | None = None


def parse_time(text: object) -> datetime | None:
    """An ISO 8601 time from the server (with the office's offset), or None."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        log.warning("Ignoring a time the server sent that is not ISO 8601: %r", text)
        return None


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
