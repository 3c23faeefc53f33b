"""``motcua devices`` and ``motcua admins``: who may connect to the office server.

Run on the server's machine, as the user the server runs as; they read and write
``devices.sqlite`` in the data directory, also while the server runs (a revoked
device is disconnected within a second). Imports the server's device registry.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Final

from shared.cli.words import say
from shared.core.enrolment import admin_key
from shared.core.errors import MotcuaError
from shared.core.office import Office
from shared.server.devices import DeviceRegistry

MIN_PASSWORD: Final = 10


def list_devices(data_dir: Path) -> int:
    registry = _open(data_dir)
    try:
        devices = registry.devices()
        admins = registry.admins()
    finally:
        registry.close()
    if not devices:
        print(say("no_devices"))
    rows = [tuple(say(k) for k in ("col_id", "col_acts_as", "col_device_name", "col_enrolled",
                                   "col_last_seen", "col_state"))]
    for device in devices:
        state = (say("revoked_state", at=device.revoked_at) if device.revoked_at
                 else say("active_state"))
        last = f"{device.last_seen} ({device.last_address})" if device.last_seen else "—"
        rows.append((device.id, device.acts_as, device.name,
                     f"{device.enrolled_at} ({device.enrolled_from})", last, state))
    if devices:
        _table(rows)
    print()
    if admins:
        _table([(say("col_admin"), say("col_added"), say("col_last_seen"))]
               + [(a.name, a.added_at, f"{a.last_seen} ({a.last_address})" if a.last_seen
                   else "—") for a in admins])
    else:
        print(say("no_admins"))
    return 0


def revoke(data_dir: Path, device_id: str) -> int:
    registry = _open(data_dir)
    try:
        device = registry.revoke(device_id, datetime.now())
    finally:
        registry.close()
    print(say("revoked", id=device.id, acts_as=device.acts_as, name=device.name))
    return 0


def allow(data_dir: Path, device_id: str) -> int:
    registry = _open(data_dir)
    try:
        device = registry.allow(device_id)
    finally:
        registry.close()
    print(say("allowed", id=device.id))
    return 0


def add_admin(office: Office, data_dir: Path, name: str, *, password_stdin: bool = False) -> int:
    name = name.strip()
    if not name or len(name) > 128:
        raise MotcuaError(say("admin_name_shape"))
    password = _password(password_stdin)
    registry = _open(data_dir)
    try:
        registry.add_admin(name, admin_key(office.id, name, password), datetime.now())
    finally:
        registry.close()
    print(say("admin_added", name=name, office=office.id))
    return 0


def remove_admin(data_dir: Path, name: str) -> int:
    registry = _open(data_dir)
    try:
        registry.remove_admin(name)
    finally:
        registry.close()
    print(say("admin_removed", name=name))
    return 0


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(say("prompt_password"))
        if getpass.getpass(say("prompt_again")) != password:
            raise MotcuaError(say("passwords_differ"))
    if len(password) < MIN_PASSWORD:
        raise MotcuaError(say("password_short", count=MIN_PASSWORD))
    return password


def _open(data_dir: Path) -> DeviceRegistry:
    if not data_dir.is_dir():
        raise MotcuaError(say("no_data_dir", path=data_dir))
    return DeviceRegistry(data_dir)


def _table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
              .rstrip())
