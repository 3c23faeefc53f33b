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
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

import msgspec

from shared.core import queue_rules as rules
from shared.core.audit_chain import StoredEvent, seal
from shared.core.live_view import live_view
from shared.core.office import Office
from shared.core.ticket import TicketStatus

MAX_BATCH: Final = 1000  # events in one request
# The site a request says it is from ([central] site): a key copied to another site's
# server is refused, rather than mixing two logs.
SITE_HEADER: Final = "X-Motcua-Site"
MAX_ALERTS: Final = 50  # in one heartbeat
_BIGINT: Final = 2**63
_INTEGER: Final = 2**31
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
    # The office configuration the province published for the site (issue 19, part 3):
    # the version it runs, the one it holds for its next business day, why it refused one.
    config_running: int | None = None
    config_pending: int | None = None
    config_problem: str = ""
    # Of ``rated``: the two best levels of the office's scale (None: a site from before).
    satisfied: int | None = None


class Bundle(msgspec.Struct, frozen=True):
    """A version of a site's office configuration, as the province published it."""

    version: int
    toml: str


def heartbeat(state: rules.QueueState, office: Office, now: datetime,
              present: Container[int]) -> Heartbeat:
    """The hall now, from the queue's state alone (no database: built on the event
    loop every few seconds, it must cost next to nothing)."""
    view = live_view(state, office, now, present, None, None)
    waits = [s.longest_wait for s in view.services if s.longest_wait is not None]
    tickets = state.tickets.values()
    waited = [(t.called_at - t.queued_at).total_seconds() for t in tickets
              if t.called_at is not None and t.called_at >= t.queued_at]
    return Heartbeat(
        at=now.isoformat(), day=state.day.isoformat(), waiting=view.waiting,
        longest_wait_seconds=max(waits) if waits else None,
        counters_open=sum(c.state in ("serving", "free") for c in view.counters),
        counters=len(view.counters), issued=len(state.tickets),
        served=sum(t.status is TicketStatus.DONE for t in tickets),
        absent=sum(t.status is TicketStatus.ABSENT for t in tickets),
        average_wait_seconds=sum(waited) / len(waited) if waited else None,
        rated=sum(t.rating is not None for t in tickets),
        satisfied=sum(t.rating is not None and t.rating >= office.rating.scale - 1
                      for t in tickets),
        alerts=[SiteAlert(a.kind, a.service, a.waiting, a.minutes)
                for a in view.alerts[:MAX_ALERTS]])


@dataclass(frozen=True)
class Verdict:
    take: tuple[SentEvent, ...]  # to store, in order
    last_seq: int
    last_hash: str
    problem: Problem | None = None
    detail: str = ""
    at: int | None = None  # the event the problem is at


def judge(last_seq: int, last_hash: str, events: Sequence[SentEvent],
          stored: Mapping[int, SentEvent]) -> Verdict:
    """What to store of ``events``, after the site's ``last_seq`` sealed ``last_hash``;
    ``stored`` holds the events already stored under the batch's numbers up to
    last_seq, as they were stored."""
    take: list[SentEvent] = []
    seq, previous = last_seq, last_hash

    def stop(problem: Problem, at: int, vietnamese: str, english: str) -> Verdict:
        return Verdict(tuple(take), seq, previous, problem, f"{vietnamese} / {english}", at)

    for event in sorted(events, key=lambda e: e.seq):
        if event.seq <= seq:  # already stored, or twice in this batch
            known = stored.get(event.seq) if event.seq <= last_seq else next(
                e for e in take if e.seq == event.seq)
            if known is not None and known != event:
                return stop("rewritten", event.seq,
                            f"sự kiện {event.seq} khác sự kiện đã lưu với số đó: nhật ký của "
                            "điểm đã bị viết lại",
                            f"event {event.seq} is not the one stored under that number: the "
                            "site's log was rewritten")
            continue  # sent again: taken once
        if event.seq != seq + 1:
            return stop("gap", seq + 1, f"thiếu sự kiện {seq + 1} (lô gửi tiếp từ {event.seq})",
                        f"event {seq + 1} is missing (the batch goes on at {event.seq})")
        wrong = _malformed(event)
        if wrong:
            return stop("malformed", event.seq, f"sự kiện {event.seq}: {wrong[0]}",
                        f"event {event.seq}: {wrong[1]}")
        if event.hash != seal(previous, event.stored()):
            return stop("broken", event.seq,
                        f"sự kiện {event.seq} không nối với sự kiện {seq}: đã bị sửa, mất hoặc "
                        "đảo thứ tự trên đường gửi",
                        f"event {event.seq} does not link to event {seq}: it was altered, or "
                        "events were lost or reordered")
        take.append(event)
        seq, previous = event.seq, event.hash
    return Verdict(tuple(take), seq, previous)


def _refuse_constant(name: str) -> None:
    raise ValueError(name)


def _malformed(event: SentEvent) -> tuple[str, str] | None:
    """What the central database could not store of an event, in both languages."""
    try:
        date.fromisoformat(event.day)
        datetime.fromisoformat(event.at)
    except ValueError:
        return "ngày hoặc giờ không đúng dạng", "its day or time is not ISO 8601"
    if not all(v is None or 0 <= v < limit for v, limit in ((event.ticket, _BIGINT),
                                                             (event.counter, _INTEGER))):
        return "số vé hoặc số quầy ngoài khoảng", "its ticket or counter is out of range"
    try:  # JSON as PostgreSQL takes it: no NaN or Infinity, no NUL character
        json.loads(event.data, parse_constant=_refuse_constant)
    except ValueError:
        return "dữ liệu không phải JSON", "its data is not JSON"
    if "\\u0000" in event.data or "\x00" in event.data:
        return "dữ liệu có ký tự NUL", "its data holds a NUL character"
    return None
