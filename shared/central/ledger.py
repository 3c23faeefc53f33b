"""The central server's store: the sites, their sealed event logs, their alerts.

One transaction per batch, with the site's row locked: two requests of the same site
(a retry racing the first) are taken one after the other, and a batch is stored
whole or not at all. Imports psycopg (async, through a pool).
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import msgspec
import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from shared.core.audit_chain import GENESIS
from shared.core.errors import MotcuaError
from shared.core.secret_hash import token_hash
from shared.core.site_log import Heartbeat, Position, SentEvent, Verdict, judge

log = logging.getLogger(__name__)

KEY_BYTES: Final = 32


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    last_seq: int
    last_seen: datetime | None
    broken_at: int | None
    broken_reason: str | None
    heartbeat_at: datetime | None = None
    heartbeat: Heartbeat | None = None


def add_site(conninfo: str, site: str, name: str) -> str:
    """Register a site; its key, to be given to the site once (only its hash is kept)."""
    key = secrets.token_urlsafe(KEY_BYTES)
    with psycopg.connect(conninfo) as conn:
        try:
            conn.execute("INSERT INTO sites (id, name, key_hash, last_hash) "
                         "VALUES (%s, %s, %s, %s)", (site, name, token_hash(key), GENESIS))
        except psycopg.errors.UniqueViolation:
            raise MotcuaError(f"Đã có điểm {site!r}. / Site {site!r} already exists.") from None
    return key


def sites(conninfo: str) -> list[Site]:
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        rows = conn.execute("SELECT id, name, last_seq, last_seen, broken_at, broken_reason, "
                            "heartbeat_at, heartbeat FROM sites ORDER BY id").fetchall()
    return [Site(**{**row, "heartbeat": None if row["heartbeat"] is None
                    else msgspec.convert(row["heartbeat"], Heartbeat)}) for row in rows]


class Ledger:
    """The sites' logs, for the central server's requests."""

    def __init__(self, pool: AsyncConnectionPool[Any]) -> None:
        self.pool = pool

    async def site_of(self, key: str) -> str | None:
        """The site whose key this is."""
        async with self.pool.connection() as conn:
            row = await (await conn.execute("SELECT id FROM sites WHERE key_hash = %s",
                                            (token_hash(key),))).fetchone()
        return None if row is None else str(row[0])

    async def position(self, site: str) -> Position:
        async with self.pool.connection() as conn:
            row = await (await conn.execute(
                "SELECT last_seq, last_hash, broken_reason FROM sites WHERE id = %s",
                (site,))).fetchone()
        if row is None:
            raise MotcuaError(f"no site {site!r}")
        seq, hash_, broken = row
        return Position(seq, hash_, "broken" if broken else None, broken or "")

    async def beat(self, site: str, figures: Heartbeat, now: datetime | None = None) -> None:
        """The site's hall now."""
        async with self.pool.connection() as conn:
            await conn.execute("UPDATE sites SET heartbeat_at = %s, heartbeat = %s WHERE id = %s",
                               (now or datetime.now(UTC), Jsonb(msgspec.to_builtins(figures)),
                                site))

    async def receive(self, site: str, events: list[SentEvent],
                      now: datetime | None = None) -> Position:
        """Store what links of ``events``; the site's position after it, with the
        problem that stopped the batch, if any."""
        now = now or datetime.now(UTC)
        async with self.pool.connection() as conn, conn.transaction():
            row = await (await conn.execute(
                "SELECT last_seq, last_hash, broken_reason FROM sites WHERE id = %s "
                "FOR UPDATE", (site,))).fetchone()
            assert row is not None, "the site of a key that was just found"
            last_seq, last_hash, broken = row
            if broken:  # nothing more is taken until the province has looked at it
                return Position(last_seq, last_hash, "broken", broken)
            again = [e.seq for e in events if e.seq <= last_seq]
            stored: dict[int, SentEvent] = {}
            if again:  # compared whole: the same number must be the very same event
                cursor = await conn.execute(
                    "SELECT seq, business_day, at, kind, ticket_id, counter, data, hash "
                    "FROM events WHERE site = %s AND seq = ANY(%s)", (site, again))
                stored = {int(row[0]): SentEvent(int(row[0]), row[1].isoformat(), *row[2:])
                          for row in await cursor.fetchall()}
            verdict = judge(last_seq, last_hash, events, stored)
            await self._store(conn, site, verdict, now)
        if verdict.problem is not None:
            log.warning("site %s: %s", site, verdict.detail)
        return Position(verdict.last_seq, verdict.last_hash, verdict.problem, verdict.detail)

    @staticmethod
    async def _store(conn: psycopg.AsyncConnection[Any], site: str, verdict: Verdict,
                     now: datetime) -> None:
        if verdict.take:
            async with conn.cursor() as cursor:
                await cursor.executemany(
                    "INSERT INTO events (site, seq, business_day, at, kind, ticket_id, counter,"
                    " data, body, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [(site, e.seq, e.day, e.at, e.kind, e.ticket, e.counter, e.data,
                      Jsonb(json.loads(e.data)), e.hash)
                     for e in verdict.take])
        breaks = verdict.problem in ("broken", "rewritten")
        await conn.execute(
            "UPDATE sites SET last_seq = %s, last_hash = %s, last_seen = %s, "
            "broken_at = CASE WHEN %s THEN %s ELSE broken_at END, "
            "broken_reason = CASE WHEN %s THEN %s ELSE broken_reason END WHERE id = %s",
            (verdict.last_seq, verdict.last_hash, now, breaks, verdict.at, breaks,
             verdict.detail, site))
        if breaks or verdict.problem == "malformed":  # the province must look at it
            await conn.execute("INSERT INTO alerts (site, at, kind, detail) "
                               "VALUES (%s, %s, %s, %s)",
                               (site, now, verdict.problem, verdict.detail))
