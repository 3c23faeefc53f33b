"""When each waiting ticket will be called: the office's next calls, played forward.

The counters that are open now call, each as soon as it is free, the ticket the
queue rules would choose (the first of its order not yet taken,
``shared.core.call_order``), and each citizen takes the service's expected time. One
run gives every waiting ticket its expected wait, so the ticket pages of a busy hall
share one run per change.

A service's expected time (``service_seconds``) comes from today's citizens once a
few have been served, else from the same weekday in recent weeks (the server reads
those from its history once a day), else from the office's ``service_minutes``;
a service with none of these has no estimate, and neither has any ticket whose turn
depends on it: the page hides the estimate rather than guess.

The range shown (``wait_range``) runs from 80 % to 125 % of the expected wait, in
steps of five minutes: the promise is "about", never "at". Pure.
"""

from __future__ import annotations

import heapq
import logging
import math
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Final

from shared.core import call_order, report
from shared.core import queue_rules as rules
from shared.core.office import Office, PriorityMode
from shared.core.ticket import Ticket, TicketStatus

log = logging.getLogger(__name__)

TODAY_SAMPLES: Final = 3  # citizens served before a day's mean is trusted
PRIOR_WEIGHT: Final = 5  # what was known before today counts as this many citizens
# A citizen past the expected time is not nearly done: still this share of it left.
OVERRUN: Final = 0.3
HISTORY_WEEKS: Final = 4
LOW: Final = 0.8
HIGH: Final = 1.25
STEP_MINUTES: Final = 5


def history_seconds(office: Office, day: date,
                    days_of: Callable[[date], Sequence[report.Day]]) -> dict[str, float]:
    """The mean service time of each service on the same weekday as ``day`` in the
    last ``HISTORY_WEEKS`` weeks (``days_of(d)``: the stored day ``d``, if any)."""
    earlier = [day - timedelta(weeks=k) for k in range(HISTORY_WEEKS, 0, -1)]
    days = [found for d in earlier for found in days_of(d)]
    if not days:
        return {}
    figures = report.build(office, earlier[0], earlier[-1], days)
    return {s.code: s.average_service for s in figures.services
            if s.average_service is not None and s.served >= TODAY_SAMPLES}


def service_seconds(state: rules.QueueState, office: Office,
                    history: Mapping[str, float]) -> dict[str, float]:
    """The expected service time of each service that has one, in seconds."""
    served: dict[str, list[float]] = {}
    for ticket in state.tickets.values():
        if (ticket.status is TicketStatus.DONE and ticket.called_at is not None
                and ticket.finished_at is not None):
            served.setdefault(ticket.service, []).append(
                (ticket.finished_at - ticket.called_at).total_seconds())
    expected: dict[str, float] = {}
    for service in office.services:
        today = served.get(service.code, [])
        prior = history.get(service.code)
        if prior is None and service.service_minutes is not None:
            prior = service.service_minutes * 60
        if prior is not None:
            # The first citizens done are the quick ones: today's mean starts low, so
            # it is weighed against what was known, as if that were PRIOR_WEIGHT of them.
            expected[service.code] = (sum(today) + prior * PRIOR_WEIGHT) / (
                len(today) + PRIOR_WEIGHT)
        elif len(today) >= TODAY_SAMPLES:
            expected[service.code] = sum(today) / len(today)
    return expected


def forecast(state: rules.QueueState, office: Office, present: Container[int],
             now: datetime, seconds: Mapping[str, float],
             found: call_order.Orders | None = None) -> dict[int, float]:
    """Seconds from ``now`` until each waiting ticket is called, by ticket id.

    Only the counters in ``present`` (connected) and not paused call. A ticket is
    left out when no such counter would reach it, or when its turn waits on a
    service whose time is unknown. ``found``: the counters' orders, when the caller
    has them already (``call_order.orders``).
    """
    waiting = {t.id: t for t in state.waiting()}
    if not waiting:
        return {}
    free: list[tuple[float, int]] = []  # (seconds until free, counter): math.inf = unknown
    for counter in office.counters:
        if counter.number not in present or state.counter_state(counter.number).paused:
            continue
        current = state.current_ticket(counter.number)
        free.append((_left(current, now, seconds), counter.number))
    heapq.heapify(free)
    if office.priority.mode is PriorityMode.INTERLEAVE:
        return _played(state, office, free, waiting, seconds)
    found = call_order.orders(state, office) if found is None else found
    # Each counter calls the first of its order that nobody has taken yet.
    taken: set[int] = set()
    reached = dict.fromkeys(found, 0)
    called: dict[int, float] = {}
    while free and len(taken) < len(waiting):
        at, number = heapq.heappop(free)
        order, i = found[number], reached[number]
        while i < len(order) and order[i].id in taken:
            i += 1
        if i == len(order):
            continue  # nothing left that this counter serves: it drops out
        chosen = order[i]
        reached[number] = i + 1
        taken.add(chosen.id)
        if at < math.inf:
            called[chosen.id] = at
        heapq.heappush(free, (at + seconds.get(chosen.service, math.inf), number))
    return called


def _played(state: rules.QueueState, office: Office, free: list[tuple[float, int]],
            waiting: dict[int, Ticket], seconds: Mapping[str, float]) -> dict[int, float]:
    """``forecast`` under INTERLEAVE, whose choice depends on each counter's recent
    calls: ``queue_rules.choose_next`` itself, call after call (slower: each call
    looks at every waiting ticket)."""
    pool = replace(state, tickets=waiting)  # shrinks as the play goes on
    called: dict[int, float] = {}
    while free and waiting:
        at, number = heapq.heappop(free)
        caller = office.counter(number)
        assert caller is not None
        chosen = rules.choose_next(pool, office, caller)
        if chosen is None:
            continue
        del waiting[chosen.id]
        # The counter's run of ordinary calls, as ``queue_rules.evolve`` keeps it: the
        # next priority ticket's turn depends on it.
        seat = pool.counter_state(number)
        streak = 0 if chosen.priority is not None else (
            None if seat.ordinary_streak is None else seat.ordinary_streak + 1)
        pool = replace(pool, counters={**pool.counters,
                                       number: replace(seat, ordinary_streak=streak)})
        if at < math.inf:
            called[chosen.id] = at
        heapq.heappush(free, (at + seconds.get(chosen.service, math.inf), number))
    return called


def _left(current: Ticket | None, now: datetime, seconds: Mapping[str, float]) -> float:
    """How long the citizen at a counter still needs, by the expected time (at least
    a minute while they are there: they are not done until the official says so)."""
    if current is None:
        return 0.0
    expected = seconds.get(current.service, math.inf)
    if current.called_at is None or expected == math.inf:
        return expected
    return max(60.0, expected * OVERRUN, expected - (now - current.called_at).total_seconds())


def wait_range(seconds: float) -> tuple[int, int]:
    """An expected wait as a range of minutes (low, high), in steps of five; low is 0
    when the turn may come within five minutes."""
    minutes = seconds / 60
    low = STEP_MINUTES * math.floor(minutes * LOW / STEP_MINUTES)
    high = STEP_MINUTES * math.ceil(minutes * HIGH / STEP_MINUTES)
    return low, max(high, low + STEP_MINUTES)
