"""How often does the ticket page's estimate hold? Simulated days, judged after the fact.

``python -m bench.estimate_accuracy [--days 20] [--load 0.9]``. Each day plays the
sample office (six services, four counters) from 07:30 to 11:30: citizens arrive at
random (Poisson, at ``--load`` of what the counters can serve; ``--early`` of them
already at the door at opening time), each service takes a
random time (log-normal around the service's ``service_minutes``, spread 0.5), and a
counter calls the next citizen under the real queue rules the moment it is free. At
each ticket's issue the estimate is made exactly as the server makes it
(``shared.core.forecast``: today's mean service times once three are served, else the
configured ones); when the ticket is called, its real wait is compared with the range
the page showed. Prints one JSON object: the share of citizens whose wait fell inside
the range, below it and above it, and the median error of the expected wait.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import random
import statistics
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from shared.core import forecast
from shared.core import queue_rules as rules
from shared.core.config import load_office
from shared.core.office import Office

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SPREAD = 0.5  # sigma of the log-normal service times


def play_day(office: Office, seed: int, load: float,
             early: int) -> list[tuple[float, int, int]]:
    """(real wait, low, high) in minutes for each citizen called on one simulated day."""
    rng = random.Random(seed)
    start = datetime(2026, 12, 7, 7, 30, tzinfo=ZONE) + timedelta(days=7 * seed)
    end = start + timedelta(hours=4)
    minutes = {s.code: float(s.service_minutes or 10) for s in office.services}
    served_by = {s.code: sum(1 for c in office.counters if s.code in c.services)
                 for s in office.services}
    # Arrivals split across services by how many counters serve each, at ``load``.
    capacity = len(office.counters) / statistics.mean(minutes.values())  # citizens a minute
    rate = load * capacity
    weights = [served_by[s.code] for s in office.services]
    codes = [s.code for s in office.services]
    present = tuple(c.number for c in office.counters)

    state = rules.QueueState(day=start.date())
    events: list[tuple[datetime, int, str, int]] = []  # (when, order, kind, counter)
    order = 0
    for _ in range(early):  # waiting at the door when the office opens
        order += 1
        heapq.heappush(events, (start - timedelta(minutes=rng.uniform(0, 20)), order, "arrive", 0))
    at = start
    while True:
        at += timedelta(minutes=rng.expovariate(rate))
        if at >= end:
            break
        order += 1
        heapq.heappush(events, (at, order, "arrive", 0))
    for counter in office.counters:
        order += 1
        heapq.heappush(events, (start, len(events) + 10**6, "free", counter.number))

    promised: dict[int, tuple[int, int]] = {}
    results: list[tuple[float, int, int]] = []
    idle: set[int] = set()
    while events:
        now, _, kind, number = heapq.heappop(events)
        if kind == "arrive":
            code = rng.choices(codes, weights)[0]
            state = rules.apply(state, rules.issue(state, office, code, None, now))
            ticket_id = state.next_id - 1
            seconds = forecast.service_seconds(state, office, {})
            # Before opening no counter is there: the page shows no estimate yet.
            waits = forecast.forecast(state, office, present if now >= start else (), now,
                                      seconds)
            if ticket_id in waits:
                promised[ticket_id] = forecast.wait_range(waits[ticket_id])
            for free in sorted(idle):  # idle counters call at once
                order += 1
                heapq.heappush(events, (now, order, "free", free))
            idle.clear()
            continue
        if state.current_ticket(number) is not None:
            state = rules.apply(state, rules.done(state, office, number, now))
        called = rules.apply(state, rules.call_next(state, office, number, now))
        ticket = called.current_ticket(number)
        if ticket is None:
            idle.add(number)
            continue
        state = called
        wait = (now - ticket.issued_at).total_seconds() / 60
        if ticket.id in promised:
            low, high = promised[ticket.id]
            results.append((wait, low, high))
        service = rng.lognormvariate(math.log(minutes[ticket.service]) - SPREAD**2 / 2, SPREAD)
        order += 1
        heapq.heappush(events, (now + timedelta(minutes=service), order, "free", number))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--load", type=float, default=1.0,
                        help="arrivals as a share of what the counters can serve")
    parser.add_argument("--early", type=int, default=25,
                        help="citizens already waiting when the office opens")
    options = parser.parse_args()
    office = load_office(None)
    every: list[tuple[float, int, int]] = []
    per_day = []
    for seed in range(options.days):
        day = play_day(office, seed, options.load, options.early)
        every += day
        inside = sum(1 for wait, low, high in day if low <= wait <= high)
        per_day.append(inside / len(day))
    inside = sum(1 for wait, low, high in every if low <= wait <= high)
    below = sum(1 for wait, low, _ in every if wait < low)
    above = sum(1 for wait, _, high in every if wait > high)
    errors = [abs(wait - (low + high) / 2) for wait, low, high in every]
    print(json.dumps({
        "days": options.days, "load": options.load, "early": options.early,
        "citizens": len(every),
        "inside": round(inside / len(every), 3), "below": round(below / len(every), 3),
        "above": round(above / len(every), 3),
        "worst_day_inside": round(min(per_day), 3), "best_day_inside": round(max(per_day), 3),
        "median_error_minutes": round(statistics.median(errors), 1),
        "median_wait_minutes": round(statistics.median(w for w, _, _ in every), 1),
    }))


if __name__ == "__main__":
    main()
