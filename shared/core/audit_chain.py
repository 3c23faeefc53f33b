"""The hash chain of the audit log: each event sealed to the one before it.

Every stored event carries ``hash = SHA-256(previous event's hash, then this event's
id, day, time, kind, ticket, counter and data, exactly as stored)``; the first event
links to ``GENESIS``. Change one event and its hash no longer matches; delete,
insert or swap events and the next link no longer matches. ``first_broken`` walks a
log and names the first event where that happens.

What it proves, and what not: that the log read now is the log the server wrote,
unchanged and in order, up to its last event. It cannot prove that nobody rewrote
the whole chain from some event on (anyone who can write the file can recompute
every later hash): keep the newest hash somewhere else — a printed daily report, the
province's server (issue 19) — and that too is detected. See docs/audit.md.

Pure: the standard library only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

GENESIS: Final = "motcua audit log"
_SEPARATOR: Final = "\x1f"  # ASCII unit separator: in no value of the log


@dataclass(frozen=True)
class StoredEvent:
    """One row of the ``events`` table, as its columns hold it."""

    id: int
    business_day: str
    at: str
    kind: str
    ticket_id: int | None
    counter: int | None
    data: str  # the JSON text, as stored
    hash: str | None = None


def seal(previous: str, event: StoredEvent) -> str:
    """The hash of ``event``, chained to the hash before it."""
    fields = (event.id, event.business_day, event.at, event.kind,
              "" if event.ticket_id is None else event.ticket_id,
              "" if event.counter is None else event.counter, event.data)
    text = previous + "\n" + _SEPARATOR.join(str(value) for value in fields)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Broken:
    """Where the chain breaks: the first event whose hash is not what it must be."""

    event: StoredEvent
    previous_id: int | None  # the event before it in the log as read, if any


def first_broken(events: Iterable[StoredEvent], previous: str = GENESIS) -> Broken | None:
    """Walk ``events`` (oldest first, all of them from the first); None if every
    link holds."""
    previous_id = None
    for event in events:
        if event.hash != seal(previous, event):
            return Broken(event, previous_id)
        previous, previous_id = event.hash, event.id
    return None
