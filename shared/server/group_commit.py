"""Group commit: the requests decided in one turn of the event loop share one transaction.

The office server decides requests one at a time, but commits them together: the
first request of a turn opens a transaction and schedules its end at the next turn
of the event loop, and every request decided before then joins it (one fsync for
all of them, see docs/performance.md). Their replies and events wait here until it
is on disk; if the commit fails, nothing of it happened and the service's state
goes back to before it.

Imports the store and the office service; must not import Qt, nor ``shared.server.server``
(the server sends what this hands back).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from shared.core import wire
from shared.core.queue_rules import QueueState
from shared.server.client_link import ClientLink
from shared.server.office_service import OfficeService
from shared.server.store import SqliteStore

log = logging.getLogger(__name__)

# One decided request: the client that asked, its reply, the events for everyone.
Decided = tuple[ClientLink, wire.Reply, list[wire.Event]]


class GroupCommit:
    """The open transaction, if any, and the requests decided in it."""

    def __init__(self) -> None:
        self._decided: list[Decided] | None = None
        self._store: SqliteStore | None = None
        self._service: OfficeService | None = None
        self._before: QueueState | None = None

    @property
    def is_open(self) -> bool:
        return self._decided is not None

    def open(self, store: SqliteStore, service: OfficeService, end: Callable[[], None]) -> None:
        """Start a group commit unless one is open; ``end`` is called at the next turn
        of the event loop, after every request that arrived with this one is decided."""
        if self._decided is not None:
            return
        store.begin_batch()
        self._decided = []
        self._store, self._service, self._before = store, service, service.state
        asyncio.get_running_loop().call_soon(end)

    def add(self, link: ClientLink, reply: wire.Reply, events: list[wire.Event]) -> None:
        """Hold a reply (and the events) until the open transaction is on disk."""
        assert self._decided is not None
        self._decided.append((link, reply, events))

    def close(self) -> tuple[list[Decided], bool] | None:
        """End the open group commit: its requests in the order they were decided, and
        whether the transaction is on disk; None when none is open. When it is not on
        disk, nothing of it happened: the service's state is back to before it."""
        decided, self._decided = self._decided, None
        if decided is None:
            return None
        store, service, before = self._store, self._service, self._before
        self._store = self._service = self._before = None
        assert store is not None
        try:
            store.end_batch()
        except Exception:
            log.exception("committing %d requests failed; none of them was carried out",
                          len(decided))
            if service is not None and before is not None:
                service.state = before
            return decided, False
        return decided, True
