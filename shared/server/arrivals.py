"""Connections that have not been welcomed yet: a time limit each, and a cap per address.

Without them, anyone on the office Wi-Fi could open a thousand connections, send
half an HTTP request on each and hold them for ever, until the server has no file
descriptor left and no kiosk can connect (issue 18, defect 6). So every connection
— a WebSocket still in its handshake, a half-sent request, an idle keep-alive after
``/health`` — must be welcomed within ``WELCOME_SECONDS`` or is closed; and one
address holds at most ``PER_ADDRESS`` such connections at a time (the newest are
closed first). A welcomed client is never touched here: its liveness is the
WebSocket heartbeat's job.

The server calls ``sweep`` on its clock tick with what is open now. Pure: no
network library; any hashable stands for a connection.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Final, Generic, TypeVar

log = logging.getLogger(__name__)

WELCOME_SECONDS: Final = 15.0  # above the handshake's own 10 s, which refuses politely
PER_ADDRESS: Final = 128  # a whole office behind one NAT still fits many times over
WANTED_DESCRIPTORS: Final = 65536


C = TypeVar("C", bound=Hashable)


class Arrivals(Generic[C]):
    def __init__(self, *, seconds: float = WELCOME_SECONDS,
                 per_address: int = PER_ADDRESS) -> None:
        self.seconds = seconds
        self.per_address = per_address
        self._since: dict[C, float] = {}  # not welcomed yet -> first seen

    def sweep(self, now: float, waiting: Iterable[tuple[C, str]]) -> list[C]:
        """The connections to close now, among those ``waiting`` (not welcomed, as
        ``(connection, address)`` in order of arrival)."""
        waiting = list(waiting)
        since = {c: self._since.get(c, now) for c, _ in waiting}
        self._since = since  # forgets the welcomed and the gone
        late = [c for c, _ in waiting if now - since[c] >= self.seconds]
        closing = set(late)  # closed anyway: they leave room for the others
        count: Counter[str] = Counter(a for c, a in waiting if c not in closing)
        crowded = []
        for connection, address in reversed(waiting):  # newest first
            if count[address] > self.per_address and connection not in closing:
                crowded.append(connection)
                count[address] -= 1
        if late or crowded:
            log.warning("closing %d connections not welcomed in %.0f s and %d over %d from "
                        "one address", len(late), self.seconds, len(crowded), self.per_address)
        for connection in late + crowded:
            self._since.pop(connection, None)
        return late + crowded


def raise_descriptor_limit() -> None:
    """Let the server hold many connections: the soft limit of open files (1024 on
    many systems) up to the hard one, at most ``WANTED_DESCRIPTORS``."""
    try:
        import resource  # POSIX only; Windows has no such limit to raise
    except ImportError:
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = WANTED_DESCRIPTORS if hard == resource.RLIM_INFINITY else min(
            hard, WANTED_DESCRIPTORS)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            log.info("open files limit raised from %d to %d", soft, wanted)
    except (ValueError, OSError) as problem:
        log.info("cannot raise the open files limit: %s", problem)
