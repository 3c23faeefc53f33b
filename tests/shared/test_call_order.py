"""Each counter's order of the queue (``shared.core.call_order``) against the rules
themselves, on random mornings of the test office: ``ahead_all`` gives every ticket
the figure of ``queue_rules.ahead_of``, and the estimate's fast play of the next calls
calls exactly whom ``queue_rules.choose_next`` would, in the same order."""

from __future__ import annotations

import heapq
import math
import random
from datetime import datetime
from pathlib import Path

import pytest

from shared.core import forecast
from shared.core.call_order import ahead_all, orders
from shared.core.office import PriorityMode
from shared.core.queue_rules import (
    QueueState,
    ahead_of,
    apply,
    call_next,
    issue,
    transfer,
)
from shared.server.office_service import OfficeService, Session
from shared.server.store import SqliteStore
from tests.conftest import handle_json
from tests.shared.test_queue_rules import MINUTE, NOW, fresh, make_office

SEEDS = range(60)


def morning(seed: int, mode: PriorityMode) -> tuple[QueueState, object]:
    """Random issues (some priority), calls, and transfers to a service or a counter."""
    rng = random.Random(seed)
    office = make_office(mode)
    state = fresh()
    at = NOW
    for _ in range(rng.randint(5, 40)):
        at += MINUTE * rng.random()
        roll = rng.random()
        if roll < 0.7:
            service = rng.choice("AABBCL")
            priority = "elderly" if rng.random() < 0.15 else None
            state = apply(state, issue(state, office, service, priority, at))
        elif roll < 0.9:
            state = apply(state, call_next(state, office, rng.choice((1, 2, 3, 4, 5)), at))
        else:
            busy = [c for c in (1, 2, 3, 4, 5) if state.current_ticket(c) is not None]
            if busy:
                counter = rng.choice(busy)
                if rng.random() < 0.5:
                    events = transfer(state, office, counter, at, service=rng.choice("ABC"))
                else:
                    events = transfer(state, office, counter, at, to_counter=rng.choice(
                        [c for c in (1, 2, 3, 4) if c != counter]))
                state = apply(state, events)
    return state, office


@pytest.mark.parametrize("mode", [PriorityMode.STRICT, PriorityMode.AGE,
                                  PriorityMode.INTERLEAVE])
def test_ahead_all_is_ahead_of_for_every_waiting_ticket(mode: PriorityMode) -> None:
    for seed in SEEDS:
        state, office = morning(seed, mode)
        found = orders(state, office)  # type: ignore[arg-type]
        # Every counter, or the few that are open and working (as the server sees it).
        calling = random.Random(seed).sample((1, 2, 3, 4, 5), seed % 4 + 1)
        for working in (None, set(calling)):
            figures = ahead_all(found, working)
            for ticket in state.waiting():
                assert figures.get(ticket.id, 0) == ahead_of(  # type: ignore[arg-type]
                    state, office, ticket, working), (seed, ticket.number, working)


@pytest.mark.parametrize("mode", [PriorityMode.STRICT, PriorityMode.AGE])
def test_the_fast_play_calls_whom_the_rules_would(mode: PriorityMode) -> None:
    seconds = {"A": 600.0, "B": 240.0, "C": 900.0, "L": 300.0}
    everyone = (1, 2, 3, 4, 5)
    for seed in SEEDS:
        state, office = morning(seed, mode)
        fast = forecast.forecast(state, office, everyone, NOW, seconds)  # type: ignore[arg-type]
        free = [(forecast._left(state.current_ticket(n), NOW, seconds), n) for n in everyone]
        heapq.heapify(free)
        waiting = {t.id: t for t in state.waiting()}
        slow = forecast._played(state, office, free, waiting, seconds)  # type: ignore[arg-type]
        assert fast.keys() == slow.keys(), seed
        assert all(math.isclose(fast[i], slow[i]) for i in fast), seed


def test_under_interleave_the_play_keeps_each_counters_run_of_ordinary_calls() -> None:
    # Review of issue 13: the play never counted a counter's ordinary calls, so under
    # INTERLEAVE a priority ticket was always forecast first (or always last).
    seconds = {"A": 600.0, "B": 240.0, "C": 900.0, "L": 300.0}
    everyone = (1, 2, 3, 4, 5)
    for seed in SEEDS:
        rng = random.Random(seed)
        office = make_office(PriorityMode.INTERLEAVE, every=2)
        state = fresh()
        for i in range(rng.randint(5, 30)):
            priority = "elderly" if rng.random() < 0.3 else None
            state = apply(state, issue(state, office, rng.choice("AABBC"), priority,
                                       NOW + i * MINUTE))
        start = NOW + 40 * MINUTE
        expected = forecast.forecast(state, office, everyone, start, seconds)
        # The real thing: each counter presses "call next" the moment it is free.
        free = [(0.0, n) for n in everyone]
        real: dict[int, float] = {}
        while free:
            at, number = heapq.heappop(free)
            state = apply(state, call_next(state, office, number, start))
            called = state.current_ticket(number)
            if called is None:
                continue
            real[called.id] = at
            heapq.heappush(free, (at + seconds[called.service], number))
        assert expected == real, seed


@pytest.mark.parametrize("mode", [PriorityMode.STRICT, PriorityMode.AGE,
                                  PriorityMode.INTERLEAVE])
def test_the_issued_tickets_people_ahead_counted_from_the_sets_are_ahead_of(
    mode: PriorityMode, tmp_path: Path,
) -> None:
    # The reply to issue counts people ahead from the waiting sets' sizes alone
    # (``_Waiting.ahead_of_newest``); it must say what ``ahead_of`` says.
    office = make_office(mode)
    rng = random.Random(7)
    at = [NOW]

    def clock() -> datetime:
        at[0] += MINUTE * rng.random()
        return at[0]

    store = SqliteStore(tmp_path / "q.sqlite")
    service = OfficeService(office, store, clock)
    kiosk = Session("kiosk-1", "kiosk")
    try:
        for i in range(150):
            roll = rng.random()
            if roll < 0.6:
                message = {"type": "issue", "id": f"i{i}", "service": rng.choice("AABBCL"),
                           "priority": "elderly" if rng.random() < 0.2 else None}
                reply = handle_json(service, kiosk, message).reply
                number = reply["ticket"]["number"]
                issued = service.state.by_number(number)
                assert issued is not None
                assert reply["ticket"]["ahead"] == ahead_of(service.state, office, issued), i
            else:
                n = rng.choice((1, 2, 3, 4, 5))
                kind = "call_next" if roll < 0.85 else "transfer"
                message = {"type": kind, "id": f"c{i}"}
                if kind == "transfer":
                    message["counter"] = rng.choice([c for c in (1, 2, 3, 4) if c != n])
                handle_json(service, Session(f"counter-{n}", "counter", n), message)
    finally:
        store.close()
