"""A site's event log on its way to the central server (issue 19): the events as they
are sent, and what the central server decides about a batch of them.

The site sends its events in order, as stored, each with its seal
(``shared.core.audit_chain``). The central server keeps, per site, the last event it
stored and that event's seal; a batch is taken only as far as every event links to
the one before. So nothing can be lost (a gap is refused), added, altered or
reordered (the seal no longer matches) on the way, and an event sent twice is taken
once (by its number) — but only if it is the very same event: a site that sends a
different event under a number already stored has rewritten its history, and is
stopped and reported.

Pure: msgspec and the core.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import msgspec

from shared.core.audit_chain import StoredEvent, seal
from shared.core.live_view import LiveView

MAX_BATCH: Final = 1000  # events in one request
Problem = Literal["gap", "broken", "rewritten", "malformed"]


class SentEvent(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One row of a site's ``events`` table, exactly as stored."""

    seq: int
    day: str  # the business day, "2026-12-02"
    at: str
    kind: str
    ticket: int | None
    counter: int | None
    data: str  # the JSON text, as stored: its bytes are sealed
    hash: str

    def stored(self) -> StoredEvent:
        return StoredEvent(self.seq, self.day, self.at, self.kind, self.ticket, self.counter,
                           self.data, self.hash)

    @classmethod
    def of(cls, event: StoredEvent) -> SentEvent:
        return cls(event.id, event.business_day, event.at, event.kind, event.ticket_id,
                   event.counter, event.data, event.hash or "")


class Batch(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    events: list[SentEvent]


class Position(msgspec.Struct, frozen=True):
    """What the central server holds of a site: its last event, and its seal."""

    stored_up_to: int
    hash: str
    problem: Problem | None = None
    detail: str = ""


class SiteAlert(msgspec.Struct, frozen=True):
    kind: str  # "long_wait" or "no_counter", as the leader's desk has them
    service: str
    waiting: int
    minutes: int


class Heartbeat(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The site's hall now, as its leader's desk shows it, sent every few seconds: the
    province sees each site alive, and where citizens wait. Figures, never sentences."""

    at: str  # the site's clock, ISO 8601 with its offset
    day: str
    waiting: int
    longest_wait_seconds: float | None
    counters_open: int
    counters: int
    issued: int
    served: int
    absent: int
    average_wait_seconds: float | None
    rated: int
    alerts: list[SiteAlert]


def heartbeat(view: LiveView) -> Heartbeat:
    waits = [s.longest_wait for s in view.services if s.longest_wait is not None]
    return Heartbeat(
        at=view.now.isoformat(), day=view.day.isoformat(), waiting=view.waiting,
        longest_wait_seconds=max(waits) if waits else None,
        counters_open=sum(c.state in ("serving", "free") for c in view.counters),
        counters=len(view.counters), issued=view.today.issued, served=view.today.served,
        absent=view.today.absent, average_wait_seconds=view.today.average_wait,
        rated=view.rated,
        alerts=[SiteAlert(a.kind, a.service, a.waiting, a.minutes) for a in view.alerts])


@dataclass(frozen=True)
class Verdict:
    take: tuple[SentEvent, ...]  # to store, in order
    last_seq: int
    last_hash: str
    problem: Problem | None = None
    detail: str = ""


def judge(last_seq: int, last_hash: str, events: Sequence[SentEvent],
          stored: Mapping[int, str]) -> Verdict:
    """What to store of ``events``, after the site's ``last_seq`` sealed ``last_hash``;
    ``stored`` holds the seals already stored for the batch's numbers up to last_seq."""
    take: list[SentEvent] = []
    seq, previous = last_seq, last_hash

    def stop(problem: Problem, detail: str) -> Verdict:
        return Verdict(tuple(take), seq, previous, problem, detail)

    for event in sorted(events, key=lambda e: e.seq):
        if event.seq <= last_seq:
            if stored.get(event.seq) not in (None, event.hash):
                return stop("rewritten", f"event {event.seq} is not the one stored under "
                                         "that number: the site's log was rewritten")
            continue  # sent again: already stored
        if event.seq != seq + 1:
            return stop("gap", f"event {seq + 1} is missing (the batch goes on at "
                               f"{event.seq})")
        try:
            json.loads(event.data)
        except ValueError:
            return stop("malformed", f"event {event.seq}: its data is not JSON")
        if event.hash != seal(previous, event.stored()):
            return stop("broken", f"event {event.seq} does not link to event {seq}: it was "
                                  "altered, or events were lost or reordered")
        take.append(event)
        seq, previous = event.seq, event.hash
    return Verdict(tuple(take), seq, previous)
