"""The counter's picture of the queue: its own lines of the server's typed values.

Tickets, services and counters as the server last described them, the actions an
official can take, and the state of the link to the server. Views render these;
the controller builds them from snapshots, replies and events.

Pure: imports the core's wire model; no Qt, no network, nothing of another program.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from enum import StrEnum

from shared.core import wire

log = logging.getLogger(__name__)



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
    SIGN_IN = "sign_in"  # an official signs in (or out) at this counter
    ISSUE = "issue_here"  # a number for a citizen standing at the counter


# Actions on the citizen being served: pointless (and refused) with nobody there.
NEEDS_TICKET = frozenset({Action.RECALL, Action.DONE, Action.ABSENT, Action.PARK,
                          Action.TRANSFER})


@dataclass(frozen=True)
class ServiceLine:
    code: str
    name: str
    waiting: int = 0
    name_en: str = ""  # for a counter in English (``wording.service_name``)

    @classmethod
    def of(cls, service: wire.Service) -> ServiceLine:
        return cls(service.code, service.name, service.waiting, service.name_en)


@dataclass(frozen=True)
class CounterLine:
    number: int
    name: str
    services: tuple[str, ...] = ()
    paused: bool = False
    connected: bool = False
    official: str | None = None  # the id of the official signed in here

    @classmethod
    def of(cls, counter: wire.Counter) -> CounterLine:
        return cls(counter.number, counter.name, counter.services, counter.paused,
                   counter.connected, counter.official)

    def changed(self, event: wire.CounterChanged) -> CounterLine:
        """This counter after a ``counter_changed`` event about it."""
        presence = {"connected": True, "disconnected": False}.get(event.change)
        return replace(
            self,
            paused=event.paused,
            connected=self.connected if presence is None else presence,
            official=event.official,
        )


@dataclass(frozen=True)
class Today:
    """Today at this counter, as the view shows it."""

    served: int = 0
    absent: int = 0
    average_seconds: float | None = None
