"""``motcua central``: the province's server (issue 19).

    motcua central serve --database postgresql:///motcua
    motcua central site add phuong-ben-nghe "UBND Phường Bến Nghé" --database …
    motcua central site list --database …
    motcua central report --from 2026-11-01 --to 2026-11-30 --output tinh.xlsx --database …

The database is a PostgreSQL one (docs/central.md); its tables are made and brought
up to date by ``serve`` and ``site`` themselves.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from shared.cli.words import say
from shared.core.errors import MotcuaError

_SITE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _database(url: str | None) -> str:
    if not url:
        raise MotcuaError(say("database_needed"))
    return url


def serve(database: str | None, data_dir: Path, host: str, port: int,
          names: list[str]) -> int:
    from shared.central.server import run

    return run(_database(database), data_dir, host, port, names)


def add_site(database: str | None, site: str, name: str | None, key_file: Path | None) -> int:
    import psycopg

    from shared.central import ledger
    from shared.central.schema import migrate
    from shared.central.server import shown

    if not _SITE_ID.fullmatch(site):
        raise MotcuaError(say("bad_site_id", site=site))
    url = _database(database)
    try:
        migrate(url)
        key = ledger.add_site(url, site, name or site)
    except psycopg.OperationalError as error:
        raise MotcuaError(say("cannot_connect", database=shown(url),
                              problem=_one_line(error))) from None
    if key_file is not None:
        from shared.core.private_files import write_private

        write_private(key_file, key + "\n")
        print(say("site_added_file", site=site, path=key_file))
    else:
        print(say("site_added", site=site, key=key))
    return 0


def list_sites(database: str | None) -> int:
    import psycopg

    from shared.central import ledger
    from shared.central.schema import migrate
    from shared.central.server import shown

    url = _database(database)
    try:
        migrate(url)
        found = ledger.sites(url)
    except psycopg.OperationalError as error:
        raise MotcuaError(say("cannot_connect", database=shown(url),
                              problem=_one_line(error))) from None
    if not found:
        print(say("no_sites"))
    for site in found:
        seen = f"{site.last_seen:%Y-%m-%d %H:%M}" if site.last_seen else say("site_never")
        state = (say("site_stopped", reason=site.broken_reason) if site.broken_reason
                 else say("site_ok"))
        print(say("site_line", id=site.id, name=site.name, seq=site.last_seq, seen=seen,
                  state=state))
        beat = site.heartbeat
        if beat is not None and site.heartbeat_at is not None:
            longest = ("—" if beat.longest_wait_seconds is None
                       else say("minutes", minutes=int(beat.longest_wait_seconds // 60)))
            print(" " * 25 + say("site_beat", at=f"{site.heartbeat_at:%H:%M:%S}",
                                 waiting=beat.waiting, longest=longest,
                                 open=beat.counters_open, counters=beat.counters,
                                 issued=beat.issued, served=beat.served, absent=beat.absent)
                  + (say("site_alerts", count=len(beat.alerts)) if beat.alerts else ""))
        if site.published or (beat is not None and beat.config_running):
            running = beat.config_running if beat is not None else None
            pending = beat.config_pending if beat is not None else None
            refused = beat.config_problem if beat is not None else ""
            print(" " * 25 + say("site_config", running=running or "—",
                                 published=site.published or "—")
                  + (say("site_config_waiting", version=pending) if pending else "")
                  + (say("site_config_refused", why=refused) if refused else ""))
    return 0


def _one_line(error: Exception) -> str:
    """PostgreSQL's message, which spans lines, as one."""
    return " ".join(str(error).split())


def add_user(database: str | None, name: str, password_stdin: bool) -> int:
    import unicodedata

    from shared.central import ledger
    from shared.central.schema import migrate
    from shared.cli.devices_command import _password
    from shared.core.secret_hash import hash_secret

    name = unicodedata.normalize("NFC", name.strip())
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise MotcuaError(say("user_name_shape"))
    url = _database(database)
    password = unicodedata.normalize("NFC", _password(password_stdin))
    migrate(url)
    ledger.set_user(url, name, hash_secret(password))
    print(say("central_user_added", name=name))
    return 0


def remove_user(database: str | None, name: str) -> int:
    from shared.central import ledger

    if not ledger.remove_user(_database(database), name):
        raise MotcuaError(say("no_account", name=name))
    print(say("account_removed", name=name))
    return 0


def list_users(database: str | None) -> int:
    from shared.central import ledger
    from shared.central.schema import migrate

    url = _database(database)
    migrate(url)
    found = ledger.users(url)
    if not found:
        print(say("no_central_users"))
    for name, seen in found:
        print(f"{name:32} {f'{seen:%Y-%m-%d %H:%M}' if seen else say('never_signed_in')}")
    return 0


def resume_site(database: str | None, site: str) -> int:
    from shared.central import ledger

    after = ledger.resume_site(_database(database), site)
    print(say("site_resumed", site=site, after=after))
    return 0


def publish(database: str | None, site: str | None, path: Path) -> int:
    """A new version of a site's office file (``site``), or of the province's defaults
    (None), checked with every site it changes as each will check it."""
    from shared.central import ledger
    from shared.central.schema import migrate

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise MotcuaError(say("cannot_read", path=path, reason=error.strerror)) from None
    url = _database(database)
    migrate(url)
    made = ledger.publish(url, site or ledger.DEFAULTS, text)  # ConfigError: every problem
    print(say("published_site", site=site) if site else say("published_defaults"))
    for name, version in made.items():
        print(say("published_version", site=name, version=version))
    if not made:
        print(say("published_nothing"))
    return 0


def report(database: str | None, sites: list[str], start_text: str | None,
           end_text: str | None, output: Path | None, title: str | None) -> int:
    """The reports of the leader's desk for one site, a group, or every site."""
    import psycopg

    from shared.central import reports
    from shared.central.server import shown
    from shared.cli.report_command import check_format, period

    start, end = period(start_text, end_text)
    if output is None:
        raise MotcuaError(say("output_needed"))
    check_format(output)
    url = _database(database)
    try:
        made = reports.export(url, sites, start, end, output, date.today(),
                              title or reports.PROVINCE)
    except psycopg.OperationalError as error:
        raise MotcuaError(say("cannot_connect", database=shown(url),
                              problem=_one_line(error))) from None
    count = len(made.sites) or 1
    print(say("central_report_made", output=output, sites=count, issued=made.totals["issued"]))
    return 0
