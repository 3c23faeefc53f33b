"""Random sequences of requests by kiosks and several counters, through the office
service and a real SQLite file, checked against the queue's promises after every step.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from shared.core.office import (
    Counter,
    CounterOrder,
    Office,
    PriorityCategory,
    PriorityMode,
    PriorityPolicy,
    Service,
)
from shared.core.queue_rules import replay
from shared.core.ticket import Ticket, TicketStatus
from shared.server.office_service import OfficeService, Session
from shared.server.store import SqliteStore
from tests.conftest import handle_json

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SERVICES = ("A", "B", "C")
COUNTERS = (
    Counter(1, "Quầy 1", ("A", "B")),
    Counter(2, "Quầy 2", ("B", "C"), order=CounterOrder.SERVICE_FIRST),
    Counter(3, "Quầy 3", ("C",)),
)


def make_office(mode: PriorityMode) -> Office:
    return Office(
        id="test",
        name="Test",
        services=tuple(Service(code, f"Dịch vụ {code}", code, prefix=code) for code in SERVICES),
        counters=COUNTERS,
        priority=PriorityPolicy(
            mode=mode, every=2, head_start_minutes=10,
            categories=(PriorityCategory("elderly", "Người cao tuổi", "Elderly"),),
        ),
        absent_grace_minutes=15,
    )


def expected_next(office: Office, tickets: list[Ticket], counter: Counter,
                  streak: int | None) -> Ticket | None:
    """The policy, written out independently of shared.core.queue_rules.choose_next."""
    pool = [
        t for t in tickets
        if t.status is TicketStatus.WAITING
        and (t.target_counter == counter.number
             or (t.target_counter is None and t.service in counter.services))
    ]
    if counter.order is CounterOrder.SERVICE_FIRST and pool:
        def tier(t: Ticket) -> int:
            return -1 if t.target_counter == counter.number else counter.services.index(t.service)
        best = min(map(tier, pool))
        pool = [t for t in pool if tier(t) == best]
    if not pool:
        return None
    by_arrival = sorted(pool, key=lambda t: (t.queued_at, t.id))
    prio = [t for t in by_arrival if t.priority]
    plain = [t for t in by_arrival if not t.priority]
    policy = office.priority
    if policy.mode is PriorityMode.STRICT:
        return (prio or plain)[0]
    if policy.mode is PriorityMode.INTERLEAVE:
        if prio and (not plain or streak is None or streak >= policy.every):
            return prio[0]
        return plain[0]
    head = timedelta(minutes=policy.head_start_minutes)
    return min(pool, key=lambda t: (t.queued_at - (head if t.priority else timedelta()), t.id))


class OfficeMachine(RuleBasedStateMachine):
    mode = PriorityMode.STRICT

    @initialize()
    def open_office(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.office = make_office(self.mode)
        self.now = datetime(2026, 11, 23, 7, 30, tzinfo=ZONE)
        self.store = SqliteStore(Path(self.dir.name) / "q.sqlite")
        self.service = OfficeService(self.office, self.store, clock=lambda: self.now)
        self.request_id = 0
        self.issued: dict[str, Ticket] = {}  # number -> ticket as first issued
        self.called_by: dict[str, list[int]] = {}  # number -> counters that called it

    def teardown(self) -> None:
        if hasattr(self, "store"):
            # The log replays to the state, and the stored projection is the state.
            state = self.service.state
            assert replay(state.day, self.store.events(state.day)) == replace(
                state, next_id=state.next_id
            )
            assert self.store.load(state.day) == state
            self.store.close()
            self.dir.cleanup()

    def send(self, session: Session, **message: Any) -> dict[str, Any]:
        self.request_id += 1
        reply = handle_json(self.service, session, {"id": self.request_id, **message}).reply
        assert reply["type"] != "error" or reply["code"] not in ("internal", "bad_request"), reply
        return reply

    def counter(self, number: int) -> Session:
        return Session(f"counter-{number}", "counter", number)

    # --- rules -----------------------------------------------------------------

    @rule(service=st.sampled_from(SERVICES), priority=st.sampled_from([None, None, "elderly"]))
    def issue(self, service: str, priority: str | None) -> None:
        reply = self.send(Session("kiosk", "kiosk"), type="issue", service=service,
                          priority=priority)
        number = reply["ticket"]["number"]
        assert number not in self.issued, "a number was issued twice in one day"
        self.issued[number] = self.service.state.by_number(number)  # type: ignore[assignment]

    @rule(counter=st.sampled_from(COUNTERS))
    def call_next(self, counter: Counter) -> None:
        state = self.service.state
        streak = state.counter_state(counter.number).ordinary_streak
        expected = expected_next(self.office, list(state.tickets.values()), counter, streak)
        reply = self.send(self.counter(counter.number), type="call_next")
        if expected is None:
            assert reply["type"] == "empty"
            return
        assert reply["type"] == "called"
        assert reply["ticket"]["number"] == expected.number, "not the ticket the policy says"
        self.called_by.setdefault(expected.number, []).append(counter.number)

    @rule(counter=st.sampled_from(COUNTERS),
          action=st.sampled_from(["recall", "absent", "park", "done", "pause", "resume"]))
    def act(self, counter: Counter, action: str) -> None:
        self.send(self.counter(counter.number), type=action)

    @rule(counter=st.sampled_from(COUNTERS), service=st.sampled_from(SERVICES))
    def transfer_to_service(self, counter: Counter, service: str) -> None:
        current = self.service.state.current_ticket(counter.number)
        reply = self.send(self.counter(counter.number), type="transfer", service=service)
        if current is not None:
            moved = self.service.state.tickets[current.id]
            assert reply["type"] == "ok"
            assert moved.queued_at == current.queued_at, "transfer lost the arrival time"
            assert moved.service == service

    @rule(counter=st.sampled_from(COUNTERS), to=st.sampled_from(COUNTERS))
    def transfer_to_counter(self, counter: Counter, to: Counter) -> None:
        self.send(self.counter(counter.number), type="transfer", counter=to.number)

    @precondition(lambda self: bool(self.issued))
    @rule(counter=st.sampled_from(COUNTERS), data=st.data())
    def return_or_call_specific(self, counter: Counter, data: st.DataObject) -> None:
        number = data.draw(st.sampled_from(sorted(self.issued)))
        kind = data.draw(st.sampled_from(["return", "call"]))
        fields = {"reason": "công dân quay lại"} if kind == "call" else {}
        reply = self.send(self.counter(counter.number), type=kind, number=number, **fields)
        if reply["type"] == "called":
            self.called_by.setdefault(number, []).append(counter.number)

    @rule(minutes=st.integers(min_value=0, max_value=20))
    def time_passes(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes, microseconds=1)

    # --- invariants --------------------------------------------------------------

    @invariant()
    def no_ticket_at_two_counters(self) -> None:
        state = self.service.state
        currents = [c.current for c in state.counters.values() if c.current is not None]
        assert len(currents) == len(set(currents))
        called = {t.id for t in state.tickets.values() if t.status is TicketStatus.CALLED}
        assert called == set(currents)

    @invariant()
    def nothing_lost(self) -> None:
        state = self.service.state
        assert {t.number for t in state.tickets.values()} == set(self.issued)
        for number, first in self.issued.items():
            now = state.by_number(number)
            assert now is not None
            assert now.issued_at == first.issued_at
            assert now.origin_service == first.origin_service

    @invariant()
    def numbers_unique_per_service(self) -> None:
        seen = [(t.origin_service, t.sequence) for t in self.service.state.tickets.values()]
        assert len(seen) == len(set(seen))


class InterleaveMachine(OfficeMachine):
    mode = PriorityMode.INTERLEAVE


class AgeMachine(OfficeMachine):
    mode = PriorityMode.AGE


_settings = settings(
    max_examples=40, stateful_step_count=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.parametrize("machine", [OfficeMachine, InterleaveMachine, AgeMachine],
                         ids=["strict", "interleave", "age"])
def test_queue_promises_hold(machine: type[OfficeMachine]) -> None:
    machine.TestCase.settings = _settings
    machine.TestCase().runTest()
