"""The site's side of the central server (issue 19): its event log sent in order, in
batches, over HTTPS, whenever the central server can be reached.

It only ever reads the site's database (a read-only connection of its own, in a
worker thread) and never holds anything the hall needs: a central server that is
slow, gone for a day, or refusing, changes nothing for the citizens in the hall. It
asks the central server where to resume (``GET /api/v1/position``), so an outage of
minutes or days, a restart of either side, or a batch whose answer was lost, ends
with every event stored once. Imports aiohttp and sqlite3.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, NoReturn

import aiohttp
import msgspec

from shared.core.audit_chain import StoredEvent
from shared.core.errors import MotcuaError
from shared.core.office import Central
from shared.core.site_log import SITE_HEADER, Batch, Bundle, Heartbeat, Position, SentEvent
from shared.server.central_config import ConfigBundles
from shared.server.store import read_only

log = logging.getLogger(__name__)

IDLE_SECONDS: Final = 2.0  # how often a site with nothing new looks again
HEARTBEAT_SECONDS: Final = 15.0  # how often the province hears how the hall is now
LONGEST_WAIT: Final = 60.0  # between tries while the central server cannot be reached
REQUEST_SECONDS: Final = 30.0
_encode = msgspec.json.Encoder().encode
_position = msgspec.json.Decoder(Position)
_bundle = msgspec.json.Decoder(Bundle)


@dataclass
class LinkState:
    """What the link knows, for the log and the leader's desk."""

    sent_up_to: int | None = None  # the central server's last stored event of ours
    problem: str = ""  # why nothing is sent now, in plain words


def read_after(database: Path, after: int, limit: int) -> list[SentEvent]:
    """The site's events after number ``after``, oldest first, as stored."""
    with read_only(database) as db:
        rows = db.execute("SELECT id, business_day, at, kind, ticket_id, counter, data, hash "
                          "FROM events WHERE id > ? ORDER BY id LIMIT ?", (after, limit))
        return [SentEvent.of(StoredEvent(*row)) for row in rows.fetchall()]


class CentralLink:
    def __init__(self, central: Central, database: Path,
                 hall: Callable[[], Heartbeat | None] = lambda: None,
                 bundles: ConfigBundles | None = None) -> None:
        """``hall``: the site's hall now, for the heartbeat; ``bundles``: where the
        office configurations the province publishes are kept."""
        self.central, self.database, self.hall = central, database, hall
        self.bundles = bundles
        # Read here, not bound as defaults: a test may make the link quicker.
        self.idle_seconds, self.longest_wait = IDLE_SECONDS, LONGEST_WAIT
        self.heartbeat_seconds = HEARTBEAT_SECONDS
        self._beaten = float("-inf")  # when the last heartbeat went (monotonic)
        self.state = LinkState()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="central-link")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _ssl(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.central.authority)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    async def _run(self) -> None:
        try:
            key = Path(self.central.key_file).read_text(encoding="utf-8").strip()
            context = self._ssl()
        except (OSError, ssl.SSLError) as error:
            self._say(f"Không đọc được khoá hoặc chứng chỉ của máy chủ tỉnh ({error}): sự kiện "
                      "chưa được gửi. / Cannot read the central key or certificate "
                      f"([central] key_file, authority): {error}")
            return
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json",
                   SITE_HEADER: self.central.site}
        timeout = aiohttp.ClientTimeout(total=REQUEST_SECONDS)
        first_wait = wait = min(1.0, self.longest_wait)
        async with aiohttp.ClientSession(headers=headers, timeout=timeout,
                                         connector=aiohttp.TCPConnector(ssl=context)) as http:
            while True:
                try:
                    more = await self._send_some(http)
                    wait = first_wait
                    if not more:
                        await self._beat(http)
                        await self._pause(self.idle_seconds)
                except _RefusedError:  # said; the province must look at it: ask again later
                    await self._pause(self.longest_wait)
                except MotcuaError as error:  # our own database could not be read
                    self.state.sent_up_to = None
                    self._say(f"Chưa gửi được sự kiện lên máy chủ tỉnh: {error}")
                    await self._pause(self.longest_wait)
                except (aiohttp.ClientError, TimeoutError, OSError, msgspec.DecodeError) as error:
                    self.state.sent_up_to = None  # ask again where to resume
                    # str(), never repr(): an aiohttp error's repr shows the request's
                    # headers, and with them the site's key.
                    self._say(f"Chưa gửi được sự kiện lên máy chủ tỉnh ({type(error).__name__}: "
                              f"{error}); thử lại sau {wait:.0f} giây. / Central server "
                              f"unreachable; trying again in {wait:.0f} s.")
                    await self._pause(wait)
                    wait = min(wait * 2, self.longest_wait)

    async def _send_some(self, http: aiohttp.ClientSession) -> bool:
        """One batch; whether there may be more to send at once."""
        if self.state.sent_up_to is None:
            async with http.get(f"{self.central.url}/api/v1/position") as reply:
                position = await self._answer(reply)
            if position.problem is not None:
                return self._refused(position)
            self.state.sent_up_to = position.stored_up_to
        # Read and encoded off the event loop: the hall's requests go first.
        count, body = await asyncio.to_thread(self._next_batch, self.state.sent_up_to)
        if not count:
            return False
        async with http.post(f"{self.central.url}/api/v1/events", data=body) as reply:
            position = await self._answer(reply)
        sent_from, self.state.sent_up_to = self.state.sent_up_to, position.stored_up_to
        if position.problem == "gap" and position.stored_up_to != sent_from:
            return True  # resume where the central server says
        # A gap where we stand is a hole in our own log: sending again would not fill it.
        if position.problem is not None:
            return self._refused(position)
        if self.state.problem:
            log.info("the central server takes our events again")
        self.state.problem = ""
        log.debug("central server holds our events up to %d", position.stored_up_to)
        return count == self.central.batch

    def _next_batch(self, after: int) -> tuple[int, bytes]:
        events = read_after(self.database, after, self.central.batch)
        return len(events), _encode(Batch(events)) if events else b""

    async def _beat(self, http: aiohttp.ClientSession) -> None:
        """The hall now, every ``heartbeat_seconds``."""
        if time.monotonic() - self._beaten < self.heartbeat_seconds:
            return
        figures = self.hall()
        if figures is None:
            return
        if self.bundles is not None:
            try:  # a province server without configurations, or a full disk: said, no more
                await self._look_for_config(http)
            except (aiohttp.ClientError, TimeoutError, OSError, msgspec.DecodeError) as error:
                log.warning("could not look for the province's configuration: %s", error)
            bundles = self.bundles
            figures = msgspec.structs.replace(
                figures, config_running=bundles.served, config_pending=bundles.pending,
                config_problem=bundles.refused[1] if bundles.refused else "")
        async with http.put(f"{self.central.url}/api/v1/heartbeat",
                            data=_encode(figures)) as reply:
            if reply.status != 204:
                await self._answer(reply)  # says why, as for any refusal
        self._beaten = time.monotonic()

    async def _look_for_config(self, http: aiohttp.ClientSession) -> None:
        """A newer configuration from the province: checked and kept for the next day."""
        assert self.bundles is not None
        async with http.get(f"{self.central.url}/api/v1/config") as reply:
            if reply.status == 204:
                return
            if reply.status != 200:
                await self._answer(reply)
            bundle = _bundle.decode(await reply.read())
        if self.bundles.is_new(bundle.version):
            await asyncio.to_thread(self.bundles.take, bundle.version, bundle.toml)

    async def _answer(self, reply: aiohttp.ClientResponse) -> Position:
        body = await reply.read()
        if reply.status in (200, 400, 409):
            try:
                return _position.decode(body)
            except msgspec.DecodeError:
                pass  # a refusal of the request itself: {"problem", "detail"}
        try:
            detail = str(msgspec.json.decode(body).get("detail", ""))
        except (msgspec.DecodeError, AttributeError):
            detail = body.decode(errors="replace")[:200]
        raise _ReplyError(f"HTTP {reply.status}: {detail}")

    def _refused(self, position: Position) -> NoReturn:
        self._say(f"Máy chủ tỉnh từ chối nhật ký của điểm này: {position.detail}. Hãy báo "
                  f"quản trị viên tỉnh (motcua central site list). / The central server "
                  f"refuses this site's log: {position.detail}")
        self.state.sent_up_to = None
        raise _RefusedError

    def _say(self, problem: str) -> None:
        if problem != self.state.problem:  # said once, not at every try
            log.warning("%s", problem)
        self.state.problem = problem

    @staticmethod
    async def _pause(seconds: float) -> None:
        await asyncio.sleep(seconds)  # the link's own pace; nothing in the hall waits on it


class _RefusedError(Exception):
    """The central server refuses our log (said): ask again after the longest wait."""


class _ReplyError(aiohttp.ClientError):
    """An answer that is not a position: its status and the central server's words,
    and nothing of our request (its headers hold the key)."""
