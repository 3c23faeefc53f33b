"""The facts of the append-only audit log: what happened to which ticket, when, where.

Every change of queue state is one of these events; replaying a day's events
from an empty day rebuilds that day exactly (``shared.core.queue_rules.replay``).
Imports no Qt, no network, no database.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)

# A value inside an event's data: kept JSON-friendly so the log stores it as is.
Scalar = str | int | bool | None


class EventKind(StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    CALLED_OUT_OF_ORDER = "called_out_of_order"
    ABSENT = "absent"
    RETURNED = "returned"
    TRANSFERRED = "transferred"
    PARKED = "parked"
    DONE = "done"
    PAUSED = "paused"
    RESUMED = "resumed"
    RATED = "rated"  # the citizen rated the service, on their ticket's page
    SIGNED_IN = "signed_in"  # an official signed in at a counter, with their PIN
    SIGNED_OUT = "signed_out"  # … signed out, or was replaced, or moved to another counter


@dataclass(frozen=True)
class Event:
    kind: EventKind
    at: datetime
    day: date
    ticket: int | None = None  # ticket id
    counter: int | None = None  # the counter that acted
    data: Mapping[str, Scalar] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        """The event as a flat record for the log."""
        return {
            "kind": self.kind.value,
            "at": self.at.isoformat(),
            "business_day": self.day.isoformat(),
            "ticket_id": self.ticket,
            "counter": self.counter,
            "data": dict(self.data),
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Event:
        return cls(
            kind=EventKind(record["kind"]),
            at=datetime.fromisoformat(record["at"]),
            day=date.fromisoformat(record["business_day"]),
            ticket=record["ticket_id"],
            counter=record["counter"],
            data=dict(record["data"]),
        )
