"""``motcua officials``: who may sign in at the counters, and their PINs.

Run on the server's machine, as the user the server runs as. The officials themselves
are listed in the office file (``[[officials]]``); their PINs are kept, as salted
hashes only, with the office's other credentials in ``devices.sqlite`` (also while
the server runs: a new PIN holds from the next sign-in).
"""

from __future__ import annotations

import getpass
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path

from shared.cli.devices_command import _open, _table
from shared.cli.words import say
from shared.core import pin
from shared.core.errors import MotcuaError
from shared.core.office import Office, Official
from shared.server.store import read_only


def list_officials(office: Office, data_dir: Path, database: Path) -> int:
    if not office.officials:
        print(say("no_officials"))
        return 0
    registry = _open(data_dir)
    try:
        pins = registry.pins_set()
    finally:
        registry.close()
    seats = _signed_in(database, office.local_time(datetime.now().astimezone()).date())
    rows = [tuple(say(k) for k in ("col_id", "col_full_name", "col_title", "col_pin",
                                   "col_signed_in"))]
    for official in office.officials:
        state = say("pin_set_at", at=pins[official.id]) if official.id in pins else \
            say("no_pin_state")
        seat = seats.get(official.id)
        rows.append((official.id, official.name, official.title or "—", state,
                     say("at_counter", number=seat) if seat is not None else "—"))
    _table(rows)
    return 0


def set_pin(office: Office, data_dir: Path, official_id: str, *,
            pin_stdin: bool = False) -> int:
    official = _official(office, official_id)
    typed = _new_pin(pin_stdin)
    registry = _open(data_dir)
    try:
        registry.set_pin(official.id, pin.hash_pin(typed), datetime.now())
    finally:
        registry.close()
    print(say("pin_set", name=official.name))
    return 0


def remove_pin(office: Office, data_dir: Path, official_id: str) -> int:
    official = _official(office, official_id)
    registry = _open(data_dir)
    try:
        removed = registry.remove_pin(official.id)
    finally:
        registry.close()
    if not removed:
        print(say("no_pin", name=official.name))
        return 0
    print(say("pin_removed", name=official.name))
    return 0


def _official(office: Office, official_id: str) -> Official:
    official = office.official(official_id)
    if official is None:
        known = ", ".join(o.id for o in office.officials) or "—"
        raise MotcuaError(say("no_official", id=official_id, known=known))
    return official


def _new_pin(from_stdin: bool) -> str:
    if from_stdin:
        typed = sys.stdin.readline().strip()
    else:
        typed = getpass.getpass(say("prompt_new_pin"))
        if getpass.getpass(say("prompt_again")) != typed:
            raise MotcuaError(say("pins_differ"))
    if pin.shape_problem(typed) is not None:
        raise MotcuaError(say("pin_shape"))
    return typed


def _signed_in(database: Path, today: date) -> dict[str, int]:
    """Where each official is signed in today."""
    if not database.is_file():
        return {}
    with read_only(database) as db:
        try:
            rows = db.execute(
                "SELECT official, number FROM counters WHERE official IS NOT NULL AND "
                "business_day = ?", (today.isoformat(),)).fetchall()
        except sqlite3.Error:  # a database from before officials: nobody
            return {}
    return {official: number for official, number in rows}
