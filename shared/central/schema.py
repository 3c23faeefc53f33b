"""The central database's tables, created and brought up to date by ``motcua central``
itself: numbered steps, each run once, in one transaction with its record in
``schema_steps``, so a half-applied step never exists.

Events are kept as the site wrote them (``at`` and ``data`` as text), so the central
server can check their seals again at any time; ``body`` is the same data as jsonb for
reports. Imports psycopg.
"""

from __future__ import annotations

import logging
from typing import Final

import psycopg

log = logging.getLogger(__name__)

STEPS: Final[tuple[tuple[str, str], ...]] = (
    ("sites and their sealed event logs", """
        CREATE TABLE sites (
            id text PRIMARY KEY,
            name text NOT NULL,
            key_hash text NOT NULL UNIQUE,
            added_at timestamptz NOT NULL DEFAULT now(),
            -- The last event stored, and its seal: the next one must link to it.
            last_seq bigint NOT NULL DEFAULT 0,
            last_hash text NOT NULL,
            last_seen timestamptz,
            -- Set when a site sent events that do not link: nothing after is taken.
            broken_at bigint,
            broken_reason text
        );
        CREATE TABLE events (
            site text NOT NULL REFERENCES sites (id),
            seq bigint NOT NULL,
            business_day date NOT NULL,
            at text NOT NULL,
            kind text NOT NULL,
            ticket_id bigint,
            counter integer,
            data text NOT NULL,
            body jsonb NOT NULL,
            hash text NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (site, seq)
        );
        CREATE INDEX events_by_day ON events (business_day, site);
        CREATE TABLE alerts (
            id bigserial PRIMARY KEY,
            site text NOT NULL REFERENCES sites (id),
            at timestamptz NOT NULL DEFAULT now(),
            kind text NOT NULL,
            detail text NOT NULL
        );
    """),
    ("each site's heartbeat: its hall now", """
        ALTER TABLE sites ADD COLUMN heartbeat_at timestamptz;
        ALTER TABLE sites ADD COLUMN heartbeat jsonb;
    """),
    ("the province's accounts for the central view", """
        CREATE TABLE users (
            name text PRIMARY KEY,
            password_hash text NOT NULL,
            added_at timestamptz NOT NULL DEFAULT now(),
            last_seen timestamptz
        );
    """),
    ("each site's office configuration, in versions", """
        CREATE TABLE bundles (
            site text NOT NULL REFERENCES sites (id),
            version integer NOT NULL,
            toml text NOT NULL,
            published_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (site, version)
        );
    """),
    ("events replaced when a stopped site is taken again, kept as evidence", """
        CREATE TABLE replaced_events (LIKE events INCLUDING DEFAULTS);
        ALTER TABLE replaced_events ADD COLUMN replaced_at timestamptz NOT NULL;
    """),
    ("the office files the province keeps: its defaults ('*') and each site's", """
        CREATE TABLE office_files (
            scope text NOT NULL,
            version integer NOT NULL,
            toml text NOT NULL,
            published_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (scope, version)
        );
    """),
)


def migrate(conninfo: str) -> int:
    """Apply the steps the database lacks; the number of steps it has now."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_steps (number integer PRIMARY KEY, "
                     "what text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
        for number, (what, sql) in enumerate(STEPS, 1):
            with conn.transaction():
                # One central server migrates at a time (two started together wait here).
                conn.execute("LOCK TABLE schema_steps IN EXCLUSIVE MODE")
                done = conn.execute("SELECT 1 FROM schema_steps WHERE number = %s",
                                    (number,)).fetchone()
                if done:
                    continue
                log.info("central database: step %d, %s", number, what)
                conn.execute(sql.encode())
                conn.execute("INSERT INTO schema_steps (number, what) VALUES (%s, %s)",
                             (number, what))
    return len(STEPS)
