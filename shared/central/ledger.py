"""The central server's store: the sites, their sealed event logs, their alerts.

One transaction per batch, with the site's row locked: two requests of the same site
(a retry racing the first) are taken one after the other, and a batch is stored
whole or not at all. Imports psycopg (async, through a pool).
"""

from __future__ import annotations

import asyncio
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
from shared.core.site_log import Bundle, Heartbeat, Position, SentEvent, Verdict, judge

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
    published: int | None = None  # the latest configuration version published for it


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


_SITES: Final = ("SELECT id, name, last_seq, last_seen, broken_at, broken_reason, heartbeat_at, "
                  "heartbeat, (SELECT max(version) FROM bundles WHERE site = sites.id) AS "
                  "published FROM sites ORDER BY id")


def _site(row: dict[str, Any]) -> Site:
    beat = row["heartbeat"]
    return Site(**{**row, "heartbeat": None if beat is None
                   else msgspec.convert(beat, Heartbeat)})


def sites(conninfo: str) -> list[Site]:
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        return [_site(row) for row in conn.execute(_SITES).fetchall()]


def resume_site(conninfo: str, site: str) -> int:
    """Take a stopped site's log again, from the last event that linked: the province
    has looked at what broke (``motcua audit`` on the site) and accepts the site's log
    as it is from there on. The event it resumes after."""
    with psycopg.connect(conninfo) as conn:
        row = conn.execute("SELECT broken_at FROM sites WHERE id = %s FOR UPDATE",
                           (site,)).fetchone()
        if row is None:
            raise MotcuaError(f"Không có điểm {site!r}. / No site {site!r}.")
        if row[0] is None:
            raise MotcuaError(f"Điểm {site!r} không bị dừng. / Site {site!r} is not stopped.")
        # A rewritten log broke at an event already stored: what was stored from there on
        # is kept aside (the evidence), and the site's own log, as it is now, is taken.
        resume_after = int(row[0]) - 1
        conn.execute("INSERT INTO replaced_events SELECT *, now() FROM events "
                     "WHERE site = %s AND seq > %s", (site, resume_after))
        conn.execute("DELETE FROM events WHERE site = %s AND seq > %s", (site, resume_after))
        last = conn.execute("SELECT hash FROM events WHERE site = %s AND seq = %s",
                            (site, resume_after)).fetchone()
        conn.execute("UPDATE sites SET last_seq = %s, last_hash = %s, broken_at = NULL, "
                     "broken_reason = NULL WHERE id = %s",
                     (resume_after, str(last[0]) if last else GENESIS, site))
        conn.execute("INSERT INTO alerts (site, kind, detail) VALUES (%s, 'resumed', %s)",
                     (site, f"taken again after event {resume_after}"))
    return resume_after


DEFAULTS: Final = "*"  # the scope of the province's defaults in office_files


def publish(conninfo: str, scope: str, toml: str) -> dict[str, int]:
    """A new office file: the province's defaults (``scope`` "*") or a site's own. Each
    site it changes gets a new version, its own file over the defaults, checked as the
    site will check it (nothing is stored if one fails); {site: new version}."""
    from shared.central.configs import version_for

    with psycopg.connect(conninfo) as conn:
        conn.execute("LOCK TABLE office_files IN EXCLUSIVE MODE")
        if scope != DEFAULTS and conn.execute("SELECT 1 FROM sites WHERE id = %s",
                                              (scope,)).fetchone() is None:
            raise MotcuaError(f"Không có điểm {scope!r}. / No site {scope!r}.")
        conn.execute("INSERT INTO office_files (scope, version, toml) VALUES (%s, "
                     "(SELECT coalesce(max(version), 0) + 1 FROM office_files WHERE scope = %s),"
                     " %s)", (scope, scope, toml))
        latest: dict[str, str] = dict(conn.execute(
            "SELECT DISTINCT ON (scope) scope, toml FROM office_files "
            "ORDER BY scope, version DESC").fetchall())
        default = latest.pop(DEFAULTS, None)
        made: dict[str, int] = {}
        for site, own in sorted(latest.items()):
            if scope not in (DEFAULTS, site):
                continue
            text = version_for(site, default, own)  # raises: the transaction is undone
            last = conn.execute("SELECT version, toml FROM bundles WHERE site = %s ORDER BY "
                                "version DESC LIMIT 1", (site,)).fetchone()
            if last is not None and last[1] == text:
                continue  # the same office as before: no new version
            version = int(last[0]) + 1 if last is not None else 1
            conn.execute("INSERT INTO bundles (site, version, toml) VALUES (%s, %s, %s)",
                         (site, version, text))
            made[site] = version
    return made


def set_user(conninfo: str, name: str, password_hash: str) -> None:
    """An account for the central view (made again: a new password)."""
    with psycopg.connect(conninfo) as conn:
        conn.execute("INSERT INTO users (name, password_hash) VALUES (%s, %s) ON CONFLICT "
                     "(name) DO UPDATE SET password_hash = excluded.password_hash",
                     (name, password_hash))


def remove_user(conninfo: str, name: str) -> bool:
    with psycopg.connect(conninfo) as conn:
        return conn.execute("DELETE FROM users WHERE name = %s", (name,)).rowcount > 0


def users(conninfo: str) -> list[tuple[str, datetime | None]]:
    with psycopg.connect(conninfo) as conn:
        return [(str(n), seen) for n, seen in conn.execute(
            "SELECT name, last_seen FROM users ORDER BY name").fetchall()]


class Ledger:
    """The sites' logs, for the central server's requests."""

    def __init__(self, pool: AsyncConnectionPool[Any]) -> None:
        self.pool = pool
        self._changed = asyncio.Event()  # set, and replaced, at each change

    @property
    def change(self) -> asyncio.Event:
        """Set when the next batch or heartbeat is stored (a new one after each)."""
        return self._changed

    def tell(self) -> None:
        """Wake whoever waits on ``change`` (each change, and the server's shutdown)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def overview(self) -> list[Site]:
        async with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cursor:
            await cursor.execute(_SITES)
            rows = await cursor.fetchall()
        return [_site(row) for row in rows]

    async def bundle(self, site: str) -> Bundle | None:
        """The latest configuration published for ``site``."""
        async with self.pool.connection() as conn:
            row = await (await conn.execute(
                "SELECT version, toml FROM bundles WHERE site = %s ORDER BY version DESC "
                "LIMIT 1", (site,))).fetchone()
        return None if row is None else Bundle(int(row[0]), str(row[1]))

    async def password_hash(self, name: str) -> str | None:
        async with self.pool.connection() as conn:
            row = await (await conn.execute("SELECT password_hash FROM users WHERE name = %s",
                                            (name,))).fetchone()
        return None if row is None else str(row[0])

    async def seen(self, name: str, now: datetime) -> None:
        async with self.pool.connection() as conn:
            await conn.execute("UPDATE users SET last_seen = %s WHERE name = %s", (now, name))

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
        self.tell()

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
        if verdict.take or verdict.problem is not None:
            self.tell()
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
