"""The central server in a thread of its own, for tests that drive a browser (whose
sync API keeps an event loop of its own in the test's thread)."""

from __future__ import annotations

import asyncio
import json
import ssl
import threading
import urllib.request
from pathlib import Path

import msgspec

from shared.central.server import CentralServer
from shared.core.site_log import Batch, Heartbeat, SentEvent, SiteAlert


class ThreadedCentral:
    def __init__(self, database: str, folder: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.server = CentralServer(database, folder, "127.0.0.1", 0)
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(60)
        self.url = f"https://127.0.0.1:{self.server.port}"

    def beat(self, key: str, *, waiting: int, issued: int, served: int = 0,
             alerts: list[SiteAlert] | None = None, config_running: int | None = None,
             config_pending: int | None = None, satisfied: int = 1) -> None:
        """The site's heartbeat, over HTTPS with its key, as a site sends it."""
        figures = Heartbeat(at="2026-12-02T09:00:00+07:00", day="2026-12-02",
                            waiting=waiting, longest_wait_seconds=13 * 60.0, counters_open=3,
                            counters=4, issued=issued, served=served, absent=1,
                            average_wait_seconds=420.0, rated=2, alerts=alerts or [],
                            config_running=config_running, config_pending=config_pending,
                            satisfied=satisfied)
        assert self._send(key, "PUT", "heartbeat", msgspec.json.encode(figures)) == 204

    def send(self, key: str, events: list[SentEvent]) -> None:
        """A site's events, in batches, as its link sends them."""
        for first in range(0, len(events), 500):
            assert self._send(key, "POST", "events",
                              msgspec.json.encode(Batch(events[first:first + 500]))) == 200

    def _send(self, key: str, method: str, path: str, body: bytes) -> int:
        request = urllib.request.Request(
            f"{self.url}/api/v1/{path}", data=body, method=method,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        context = ssl.create_default_context(cafile=str(self.server.authority))
        with urllib.request.urlopen(request, context=context, timeout=10) as reply:
            assert reply.status < 300, json.loads(reply.read() or b"{}")
            return int(reply.status)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()
