"""``motcua user``: the accounts of the leader's desk (``https://SERVER:8766/desk``).

Run on the server's machine, as the user the server runs as; they write
``devices.sqlite`` in the data directory, also while the server runs (a removed
account's sessions end at its next request). Passwords are kept only as salted hashes.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Final

from shared.cli.devices_command import _open, _password, _table
from shared.cli.words import say
from shared.core.errors import MotcuaError
from shared.core.secret_hash import hash_secret

ROLES: Final = ("leader", "admin")


def add_user(data_dir: Path, name: str, role: str, *, password_stdin: bool = False) -> int:
    name = unicodedata.normalize("NFC", name.strip())
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise MotcuaError(say("user_name_shape"))
    if role not in ROLES:
        raise MotcuaError(say("no_role", role=role))
    password = unicodedata.normalize("NFC", _password(password_stdin))
    registry = _open(data_dir)
    try:
        registry.set_user(name, role, hash_secret(password), datetime.now())
    finally:
        registry.close()
    print(say("desk_user_added", name=name, role=say(f"role_{role}")))
    return 0


def remove_user(data_dir: Path, name: str) -> int:
    registry = _open(data_dir)
    try:
        registry.remove_user(name)
    finally:
        registry.close()
    print(f"Đã xoá tài khoản “{name}”; phiên đăng nhập của tài khoản này kết thúc ngay. / "
          f"Removed account “{name}”; its sessions end now.")
    return 0


def list_users(data_dir: Path) -> int:
    registry = _open(data_dir)
    try:
        users = registry.users()
    finally:
        registry.close()
    if not users:
        print(say("no_desk_users"))
        return 0
    _table([(say("col_name"), say("col_role"), say("col_added"), say("col_last_seen"))]
           + [(u.name, say(f"role_{u.role}") if u.role in ROLES else u.role, u.added_at,
               f"{u.last_seen} ({u.last_address})" if u.last_seen else "—") for u in users])
    return 0
