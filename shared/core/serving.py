"""Who serves a service right now: a counter that serves it, whose program is
connected, and that is not paused.

A number for a service nobody serves waits for nothing. So the kiosk says so before
and after the press — or, when the office's ``[kiosk] no_open_counter`` is
``"refuse"``, gives no number and the server refuses one (``no_counter``) — and
every counter shows the services that citizens wait for with nobody serving them.
Every program decides it alike, from the counters as the server describes them
(``wire.Counter``, kept up to date with ``counter_changed``).

Pure: the core's wire model only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import msgspec

from shared.core import wire


class Seat(Protocol):
    """A counter as any program keeps it: ``wire.Counter`` or a program's own line."""

    @property
    def services(self) -> tuple[str, ...]: ...

    @property
    def paused(self) -> bool: ...

    @property
    def connected(self) -> bool: ...


def serves_now(seat: Seat, service: str) -> bool:
    return service in seat.services and seat.connected and not seat.paused


def served(service: str, seats: Iterable[Seat]) -> bool:
    """Whether some counter serves ``service`` right now."""
    return any(serves_now(seat, service) for seat in seats)


def unserved(services: Iterable[str], seats: Iterable[Seat]) -> list[str]:
    """The codes among ``services`` that no counter serves right now, in order."""
    seats = list(seats)
    return [code for code in services if not served(code, seats)]


def changed(counter: wire.Counter, event: wire.CounterChanged) -> wire.Counter:
    """``counter`` after a ``counter_changed`` event (about it, or not)."""
    if event.counter != counter.number:
        return counter
    presence = {"connected": True, "disconnected": False}.get(event.change)
    connected = counter.connected if presence is None else presence
    return msgspec.structs.replace(counter, paused=event.paused, connected=connected,
                                   official=event.official)
