"""Each counter's order of the waiting tickets: whom it will call first, second, …

Under the queue rules (``queue_rules.choose_next``) a counter always calls the first
ticket of a fixed order of those it may call — by place in the queue, priority as
the policy says, and at a SERVICE_FIRST counter what was sent to it, then its
preferred services first — except under the INTERLEAVE policy, whose choice also
depends on the counter's recent calls. Counters that serve the same services the
same way share one order, so a hall of fifty alike counters sorts its queue once per
change, not fifty times. The ticket pages read these orders for everyone's people
ahead (``ahead_all``, the same figures as ``queue_rules.ahead_of``) and for the
estimated waits (``shared.core.forecast``).

Pure: a function of the office and the queue state.
"""

from __future__ import annotations

import logging
from collections.abc import Container
from typing import Any

from shared.core import queue_rules as rules
from shared.core.office import CounterOrder, Office
from shared.core.ticket import Ticket

log = logging.getLogger(__name__)

Orders = dict[int, list[Ticket]]  # counter number -> its waiting tickets, first called first


def orders(state: rules.QueueState, office: Office) -> Orders:
    """Every counter's order of the waiting tickets it may call (alike counters share
    one list: do not change them)."""
    free: list[Ticket] = []
    sent: dict[int, list[Ticket]] = {}
    for ticket in state.waiting():
        if ticket.target_counter is None:
            free.append(ticket)
        else:
            sent.setdefault(ticket.target_counter, []).append(ticket)
    # One sort of the whole queue: a counter serving in plain order calls the tickets of
    # its services in this order, and one that prefers a service calls that service's
    # part of it first. So a counter's order is a filtering, never a sort of its own.
    ranked = sorted(free, key=rules.service_order_key(office))
    by_service: dict[str, list[Ticket]] = {}
    for ticket in ranked:
        by_service.setdefault(ticket.service, []).append(ticket)
    alike: dict[tuple[Any, ...], list[Ticket]] = {}
    found: Orders = {}
    for counter in office.counters:
        signature = rules.signature(counter)
        shared = alike.get(signature)
        if shared is None:
            if counter.order is CounterOrder.SERVICE_FIRST:
                shared = [t for code in counter.services for t in by_service.get(code, ())]
            else:
                serves = set(counter.services)
                shared = [t for t in ranked if t.service in serves]
            alike[signature] = shared
        mine = sent.get(counter.number)
        found[counter.number] = (sorted(shared + mine, key=rules.placer(counter, office))
                                 if mine else shared)
    return found


def ahead_all(found: Orders, calling: Container[int] | None = None) -> dict[int, int]:
    """``queue_rules.ahead_of`` of every waiting ticket: its place in the order of the
    counter that reaches it first, of those in ``calling`` when one of them may."""
    ahead = _first_places([o for n, o in found.items() if calling is None or n in calling])
    if calling is not None:  # tickets no working counter may call: where they stand anyway
        for ticket_id, place in _first_places(list(found.values())).items():
            ahead.setdefault(ticket_id, place)
    return ahead


def _first_places(found: list[list[Ticket]]) -> dict[int, int]:
    ahead: dict[int, int] = {}
    seen: set[int] = set()
    for order in found:
        if id(order) in seen:
            continue  # alike counters: the same list, the same places
        seen.add(id(order))
        for place, ticket in enumerate(order):
            if place < ahead.get(ticket.id, place + 1):
                ahead[ticket.id] = place
    return ahead
