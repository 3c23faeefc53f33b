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
from shared.core.errors import MotcuaError
from shared.core.secret_hash import hash_secret

ROLES: Final = ("leader", "admin")
ROLE_WORDS: Final = {"leader": "lãnh đạo", "admin": "quản trị"}


def add_user(data_dir: Path, name: str, role: str, *, password_stdin: bool = False) -> int:
    name = unicodedata.normalize("NFC", name.strip())
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise MotcuaError("Tên đăng nhập: 1 đến 64 ký tự, không có dấu cách. / A user name has "
                          "1 to 64 characters and no spaces.")
    if role not in ROLES:
        raise MotcuaError(f"Vai trò “{role}” không có: leader hoặc admin. / No role “{role}”: "
                          "leader or admin.")
    password = unicodedata.normalize("NFC", _password(password_stdin))
    registry = _open(data_dir)
    try:
        registry.set_user(name, role, hash_secret(password), datetime.now())
    finally:
        registry.close()
    print(f"Tài khoản “{name}” ({ROLE_WORDS[role]}) đăng nhập được vào bàn làm việc của lãnh "
          f"đạo. / Account “{name}” ({role}) can sign in to the leader's desk.")
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
        print("Chưa có tài khoản nào: `motcua user add TÊN --role leader`. / No account yet: "
              "`motcua user add NAME --role leader`.")
        return 0
    _table([("Tên / Name", "Vai trò / Role", "Thêm lúc / Added", "Lần cuối / Last seen")]
           + [(u.name, f"{ROLE_WORDS.get(u.role, u.role)} / {u.role}", u.added_at,
               f"{u.last_seen} ({u.last_address})" if u.last_seen else "—") for u in users])
    return 0
