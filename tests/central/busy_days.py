"""Busy days of a site, through the real office service and store: citizens arriving
through the day at every service (some with priority), counters calling, recalling,
marking absent and taking back, sending to documents, transferring, calling out of
order, pausing, citizens rating the service. Random, with a seed: the same days each
time."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from shared.core.office import Office
from shared.server.office_service import OfficeService, Session
from shared.server.store import SqliteStore
from tests.conftest import handle_json

FIRST_DAY = datetime(2026, 11, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).date()  # a Monday


def busy_days(office: Office, folder: Path, seed: int, days: int = 2,
              citizens: int = 80) -> Path:
    """``days`` days from ``FIRST_DAY`` in ``folder``'s database; its path."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    store = SqliteStore(folder / "motcua.sqlite")
    zone = ZoneInfo(office.timezone)
    codes = [s.code for s in office.services]
    priorities = [p.code for p in office.priority.categories]
    ids = iter(range(1, 10**9))
    for n in range(days):
        opens = datetime.combine(FIRST_DAY + timedelta(days=n), time(7, 30), zone)
        now = [opens]
        service = OfficeService(office, store, lambda: now[0])  # noqa: B023 (the same)
        kiosk = Session("kiosk-1", "kiosk")

        def ask(session: Session, **message: Any) -> dict[str, Any]:
            return handle_json(service, session,  # noqa: B023 (used within the day only)
                               {"id": f"r{next(ids)}", **message}).reply

        free_at = {c.number: opens for c in office.counters}
        paused: set[int] = set()
        set_aside: list[str] = []
        for arrival in sorted(opens + timedelta(minutes=rng.uniform(0, 480))
                              for _ in range(citizens)):
            now[0] = arrival  # the clock only goes forward: each step happens at an arrival
            priority = rng.choice(priorities) if priorities and rng.random() < 0.1 else None
            ask(kiosk, type="issue", service=rng.choice(codes), priority=priority)
            for number, free in free_at.items():
                if free > arrival:
                    continue
                at = Session(f"quay-{number}", "counter", number)
                current = service.state.current_ticket(number)
                roll = rng.random()
                if current is not None:  # the citizen at the counter, seen to
                    if roll < 0.06:
                        ask(at, type="absent")
                        set_aside.append(current.number)
                    elif roll < 0.1:
                        ask(at, type="park")
                    elif roll < 0.15:
                        ask(at, type="transfer", service=rng.choice(codes))
                    else:
                        ask(at, type="done")
                        if rng.random() < 0.3:
                            service.rate(current.id, rng.randint(1, office.rating.scale),
                                         ["cho_lau"] if rng.random() < 0.3 else [])
                if number in paused:
                    ask(at, type="resume")
                    paused.discard(number)
                elif roll > 0.96:
                    ask(at, type="pause")
                    paused.add(number)
                    continue
                if set_aside and roll > 0.9:
                    ask(at, type="return", number=set_aside.pop(0))
                waiting = service.state.waiting()
                if 0.2 < roll < 0.24 and waiting:
                    ask(at, type="call", number=waiting[-1].number, reason="Người cao tuổi")
                elif ask(at, type="call_next").get("type") == "called" and roll < 0.2:
                    ask(at, type="recall")
                free_at[number] = arrival + timedelta(minutes=rng.uniform(3, 12))
    store.close()
    return folder / "motcua.sqlite"
