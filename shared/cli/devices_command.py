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
        print("Chưa có thiết bị nào được ghép nối. / No device is enrolled yet.")
    rows = [("Mã / ID", "Làm / Acts as", "Tên / Name", "Ghép nối / Enrolled",
             "Lần cuối / Last seen", "Trạng thái / State")]
    for device in devices:
        state = ("ĐÃ THU HỒI / REVOKED " + (device.revoked_at or "")
                 if device.revoked_at else "hoạt động / active")
        last = f"{device.last_seen} ({device.last_address})" if device.last_seen else "—"
        rows.append((device.id, device.acts_as, device.name,
                     f"{device.enrolled_at} ({device.enrolled_from})", last, state))
    if devices:
        _table(rows)
    print()
    if admins:
        _table([("Quản trị / Admin", "Thêm lúc / Added", "Lần cuối / Last seen")]
               + [(a.name, a.added_at, f"{a.last_seen} ({a.last_address})" if a.last_seen
                   else "—") for a in admins])
    else:
        print("Chưa có quản trị viên: `motcua admins add TÊN`. / No admin yet: "
              "`motcua admins add NAME`.")
    return 0


def revoke(data_dir: Path, device_id: str) -> int:
    registry = _open(data_dir)
    try:
        device = registry.revoke(device_id, datetime.now())
    finally:
        registry.close()
    print(f"Đã thu hồi {device.id} ({device.acts_as}, {device.name}): thiết bị bị ngắt ngay "
          f"và không kết nối lại được. / Revoked {device.id}: disconnected now, refused from "
          "now on.")
    return 0


def allow(data_dir: Path, device_id: str) -> int:
    registry = _open(data_dir)
    try:
        device = registry.allow(device_id)
    finally:
        registry.close()
    print(f"{device.id} có thể ghép nối lại bằng mã ghép nối. / {device.id} may enrol again "
          "with the pairing code.")
    return 0


def add_admin(office: Office, data_dir: Path, name: str, *, password_stdin: bool = False) -> int:
    name = name.strip()
    if not name or len(name) > 128:
        raise MotcuaError("Tên quản trị viên: 1 đến 128 ký tự. / An admin's name has 1 to 128 "
                          "characters.")
    password = _password(password_stdin)
    registry = _open(data_dir)
    try:
        registry.add_admin(name, admin_key(office.id, name, password), datetime.now())
    finally:
        registry.close()
    print(f"Quản trị viên “{name}” đăng nhập được bằng mật khẩu này (văn phòng {office.id}). / "
          f"Admin “{name}” can sign in with this password (office {office.id}).")
    return 0


def remove_admin(data_dir: Path, name: str) -> int:
    registry = _open(data_dir)
    try:
        registry.remove_admin(name)
    finally:
        registry.close()
    print(f"Đã xoá quản trị viên “{name}”. / Removed admin “{name}”.")
    return 0


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Mật khẩu / Password: ")
        if getpass.getpass("Nhập lại / Again: ") != password:
            raise MotcuaError("Hai lần nhập không giống nhau; không thay đổi gì. / The two "
                              "passwords differ; nothing changed.")
    if len(password) < MIN_PASSWORD:
        raise MotcuaError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự; không thay đổi gì. / "
                          f"A password needs at least {MIN_PASSWORD} characters; nothing "
                          "changed.")
    return password


def _open(data_dir: Path) -> DeviceRegistry:
    if not data_dir.is_dir():
        raise MotcuaError(
            f"Không có thư mục dữ liệu {data_dir}. / No data directory {data_dir}: start "
            f"`motcua serve --data-dir {data_dir}` once first, or give the server's --data-dir."
        )
    return DeviceRegistry(data_dir)


def _table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
              .rstrip())
