"""The office's enrolled devices and its admins, in ``devices.sqlite`` in the data directory.

Every kiosk, counter and display enrols once with the pairing code and from then
on proves itself with a key of its own, bound to its role (and counter): the
registry checks each ``hello`` against it, remembers when and from where each
device last came, and lets a person revoke one device at once without touching
the others (``motcua devices revoke``, which writes here while the server runs;
the server sees the change within its next clock tick, see ``changed``). Admins
sign in with their own name and password (``motcua admins add``), never with the
code. Officials' PINs are kept here too, as salted hashes (``motcua officials pin``).

A file of its own, not a table of the queue's database: these are the office's
credentials, not its history; both are 0600 in a 0700 folder.

Imports sqlite and the core; no aiohttp, no Qt.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final, NamedTuple

import sqlite_utils
from sqlite_utils.migrations import Migrations

from shared.core import wire
from shared.core.errors import MotcuaError
from shared.core.private_files import private_file
from shared.core.protocol import proof_matches
from shared.core.secret_hash import token_hash
from shared.core.system_words import said

log = logging.getLogger(__name__)

DEVICES_FILE: Final = "devices.sqlite"

migrations = Migrations("motcua-devices")


@migrations()
def m001_devices_admins(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE devices (
            id TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            counter INTEGER,
            name TEXT NOT NULL,
            key TEXT,
            enrolled_at TEXT NOT NULL,
            enrolled_from TEXT NOT NULL,
            last_seen TEXT,
            last_address TEXT,
            revoked_at TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE admins (
            name TEXT PRIMARY KEY,
            key TEXT NOT NULL,
            added_at TEXT NOT NULL,
            last_seen TEXT,
            last_address TEXT
        )"""
    )


@migrations()
def m002_official_pins(db: sqlite_utils.Database) -> None:
    """Officials' PINs, as salted hashes (``shared.core.pin``): credentials, like keys."""
    db.execute("CREATE TABLE official_pins (official TEXT PRIMARY KEY, hash TEXT NOT NULL, "
               "set_at TEXT NOT NULL)")


@migrations()
def m003_desk_users(db: sqlite_utils.Database) -> None:
    """The accounts of the leader's desk (``motcua user``): a name, a role, and the
    password as a salted hash (``shared.core.secret_hash``)."""
    db.execute("CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT "
               "NULL, added_at TEXT NOT NULL, last_seen TEXT, last_address TEXT)")


@migrations()
def m004_display_halls(db: sqlite_utils.Database) -> None:
    """The hall a display is assigned to from the leader's desk (issue 17)."""
    db.execute("ALTER TABLE devices ADD COLUMN hall TEXT")


@migrations()
def m005_api_keys(db: sqlite_utils.Database) -> None:
    """Keys of the systems that push bookings to the server (issue 15), as hashes."""
    db.execute("CREATE TABLE api_keys (name TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, "
               "added_at TEXT NOT NULL, last_used TEXT)")


class Refusal(NamedTuple):
    """Why a hello is refused: its error code and the words the device shows."""

    code: str
    message: str


class DeviceError(MotcuaError):
    """A device or admin that is not there, or a registry that cannot be opened."""


@dataclass(frozen=True)
class Device:
    id: str
    role: str
    counter: int | None
    name: str
    enrolled_at: str
    enrolled_from: str
    last_seen: str | None
    last_address: str | None
    revoked_at: str | None
    hall: str | None = None  # a display's hall, assigned from the leader's desk

    @property
    def acts_as(self) -> str:
        """What the device may do, as people say it: "quầy 2", "máy cấp số"."""
        if self.role == "counter":
            return f"quầy {self.counter}"
        if self.role == "rating":
            return f"máy đánh giá quầy {self.counter}"
        return {"kiosk": "máy cấp số", "display": "màn hình"}.get(self.role, self.role)


@dataclass(frozen=True)
class Admin:
    name: str
    added_at: str
    last_seen: str | None
    last_address: str | None


def _stamp(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


class DeviceRegistry:
    """The devices and admins of one office, in one SQLite file."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / DEVICES_FILE
        try:
            private_file(self.path)
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db = sqlite_utils.Database(conn)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            migrations.apply(self._db)
        except (sqlite3.Error, OSError) as error:
            raise DeviceError(said("devices_unopened", path=self.path, problem=error)) from error
        self._data_version = self._version()

    def close(self) -> None:
        self._db.close()

    # --- the server's side ------------------------------------------------------------

    def enrol(self, enrol: wire.Enrol, key: str, address: str, now: datetime) -> str | None:
        """Record the device and its new key; a refusal, in plain words, or None.

        A device enrolled again (its key lost, or another role) gets the new key; a
        revoked one stays out until a person allows it again.
        """
        old = self.device(enrol.client)
        if old is not None and old.revoked_at is not None:
            return (
                f"Thiết bị “{old.id}” đã bị thu hồi lúc {old.revoked_at}; trên máy chủ, "
                f"lệnh `motcua devices allow {old.id}` cho phép ghép nối lại. / This device "
                f"was revoked at {old.revoked_at}; `motcua devices allow {old.id}` on the "
                "server lets it enrol again."
            )
        row = {
            "id": enrol.client, "role": enrol.role, "counter": enrol.counter,
            "name": enrol.name or enrol.client, "key": key, "enrolled_at": _stamp(now),
            "enrolled_from": address, "last_seen": None, "last_address": None,
            "revoked_at": None,
        }
        # One statement: a revocation written meanwhile by `motcua devices revoke` is
        # never overwritten (the update is skipped, and the enrolment refused).
        written = self._write(
            "INSERT INTO devices (id, role, counter, name, key, enrolled_at, enrolled_from, "
            "last_seen, last_address, revoked_at) VALUES (:id, :role, :counter, :name, :key, "
            ":enrolled_at, :enrolled_from, :last_seen, :last_address, :revoked_at) "
            "ON CONFLICT (id) DO "
            "UPDATE SET role = excluded.role, counter = excluded.counter, name = excluded.name, "
            "key = excluded.key, enrolled_at = excluded.enrolled_at, enrolled_from = "
            "excluded.enrolled_from WHERE devices.revoked_at IS NULL", row)
        if written == 0:
            return "Thiết bị này vừa bị thu hồi. / This device was just revoked."
        log.info("enrolled %s %r (%s) from %s", enrol.role, enrol.client, enrol.name, address)
        return None

    def check(self, hello: wire.Hello, nonce: str,
              office_code: Callable[[], str]) -> Refusal | None:
        """Why this ``hello`` is refused, or None when its proof is made with the key of
        a device (or admin) enrolled for exactly this role. ``unknown_device`` when the
        office does not know this device's key (it may enrol again with the code);
        ``unauthorized`` for everything else. ``office_code`` is read only to recognise
        an older motcua that still proves the office's code."""
        if hello.role == "admin":
            key = self._one("SELECT key FROM admins WHERE name = ?", hello.client)
            if key is None or not _proves(key["key"], nonce, hello):
                return Refusal("unauthorized", "Sai tên hoặc mật khẩu quản trị. / Wrong admin "
                               "name or password (an admin is added on the server with "
                               "`motcua admins add NAME`).")
            return None
        row = self._one("SELECT * FROM devices WHERE id = ?", hello.client)
        if row is not None and row["revoked_at"] is not None:
            return Refusal("unauthorized", f"Thiết bị này đã bị thu hồi lúc "
                           f"{row['revoked_at']}; trên máy chủ, lệnh `motcua devices allow "
                           f"{hello.client}` cho phép ghép nối lại. / This device was revoked "
                           f"at {row['revoked_at']}; `motcua devices allow {hello.client}` on "
                           "the server lets it enrol again.")
        if row is None or row["key"] is None:
            if proof_matches(office_code(), nonce, hello.role, hello.client, hello.counter,
                             hello.proof):
                return Refusal("unknown_device",
                               "Thiết bị này chạy motcua cũ, ghép nối bằng mã chung của văn phòng: "
                        "hãy cập nhật motcua trên máy này, nó sẽ tự ghi danh bằng mã đã nhớ. / "
                        "This device runs an older motcua that pairs with the office's code: "
                        "update motcua on it and it enrols itself with the code it remembers.")
            return Refusal("unknown_device",
                           "Thiết bị này chưa được ghép nối với văn phòng: nhập mã ghép nối "
                           "(`motcua pair --show` trên máy chủ). / This device is not enrolled "
                           "with this office: enter the pairing code (`motcua pair --show` on "
                           "the server).")
        device = _device(row)
        if (device.role, device.counter) != (hello.role, hello.counter):
            wanted = "quầy " + str(hello.counter) if hello.role == "counter" else hello.role
            return Refusal("unauthorized",
                           f"Thiết bị này được ghép nối làm {device.acts_as}, không làm "
                           f"{wanted} được. / This device is enrolled as {device.role}"
                           f"{'' if device.counter is None else ' ' + str(device.counter)}; "
                           "its key cannot act as anything else.")
        if not _proves(row["key"], nonce, hello):
            return Refusal("unknown_device", "Khoá của thiết bị không đúng: nhập lại mã ghép "
                           "nối. / This device's key is wrong: enter the pairing code again.")
        return None

    def seen(self, hello: wire.Hello, address: str, now: datetime) -> None:
        table, column = ("admins", "name") if hello.role == "admin" else ("devices", "id")
        self._write(f"UPDATE {table} SET last_seen = ?, last_address = ? WHERE {column} = ?",
                    (_stamp(now), address, hello.client))

    def changed(self) -> bool:
        """True when another process (``motcua devices``, ``motcua admins``) wrote here
        since the last call: then the server checks its connected clients again."""
        version = self._version()
        changed, self._data_version = version != self._data_version, version
        return changed

    def key_of(self, role: str, client: str) -> str | None:
        """The key a device (or admin) proves itself with now."""
        table, column = ("admins", "name") if role == "admin" else ("devices", "id")
        row = self._one(f"SELECT key FROM {table} WHERE {column} = ?", client)
        return None if row is None else row["key"]

    def admits(self, role: str, client: str, counter: int | None, key: str | None) -> bool:
        """Whether a client welcomed as this, with ``key``, may stay connected: not
        revoked, not removed, and its key (an admin's password) not changed since."""
        if role == "admin":
            return key is not None and self.key_of(role, client) == key
        row = self._one("SELECT * FROM devices WHERE id = ?", client)
        return (row is not None and row["revoked_at"] is None and row["key"] == key
                and key is not None and (row["role"], row["counter"]) == (role, counter))

    # --- a person's side (the command line, later the leader's desk) -------------------

    def devices(self) -> list[Device]:
        return [_device(row) for row in self._rows(
            "SELECT * FROM devices ORDER BY role, counter, enrolled_at")]

    def device(self, device_id: str) -> Device | None:
        row = self._one("SELECT * FROM devices WHERE id = ?", device_id)
        return None if row is None else _device(row)

    def revoke(self, device_id: str, now: datetime) -> Device:
        """Revoke a device: a connected one is disconnected within a second, and its
        key opens nothing from now on."""
        self._known(device_id)
        self._write("UPDATE devices SET revoked_at = ?, key = NULL WHERE id = ? AND "
                    "revoked_at IS NULL", (_stamp(now), device_id))
        return self._known(device_id)

    def allow(self, device_id: str) -> Device:
        """Let a revoked device enrol again (with the pairing code)."""
        self._known(device_id)
        self._write("UPDATE devices SET revoked_at = NULL WHERE id = ?", (device_id,))
        return self._known(device_id)

    def admins(self) -> list[Admin]:
        return [Admin(r["name"], r["added_at"], r["last_seen"], r["last_address"])
                for r in self._rows("SELECT * FROM admins ORDER BY name")]

    def add_admin(self, name: str, key: str, now: datetime) -> None:
        """Add an admin, or give one a new password."""
        self._write("INSERT INTO admins (name, key, added_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET key = excluded.key",
                    (name, key, _stamp(now)))

    def remove_admin(self, name: str) -> None:
        if self._one("SELECT 1 FROM admins WHERE name = ?", name) is None:
            raise DeviceError(f"Không có quản trị viên “{name}”. / No admin “{name}”.")
        self._write("DELETE FROM admins WHERE name = ?", (name,))

    def set_pin(self, official: str, pin_hash: str, now: datetime) -> None:
        """Give ``official`` a PIN (its hash), or a new one."""
        self._write("INSERT INTO official_pins VALUES (?, ?, ?) ON CONFLICT (official) DO "
                    "UPDATE SET hash = excluded.hash, set_at = excluded.set_at",
                    (official, pin_hash, _stamp(now)))

    def pin_hash(self, official: str) -> str | None:
        row = self._one("SELECT hash FROM official_pins WHERE official = ?", official)
        return None if row is None else str(row["hash"])

    def pins_set(self) -> dict[str, str]:
        """When each official with a PIN had it set."""
        return {r["official"]: r["set_at"] for r in self._rows("SELECT * FROM official_pins")}

    def remove_pin(self, official: str) -> bool:
        """``official`` can no longer sign in (until given a PIN again); False when they
        had none."""
        return self._write("DELETE FROM official_pins WHERE official = ?", (official,)) > 0

    def set_hall(self, device_id: str, hall: str | None) -> Device:
        """Assign a display to a hall (None: the whole office)."""
        self._known(device_id)
        self._write("UPDATE devices SET hall = ? WHERE id = ?", (hall, device_id))
        return self._known(device_id)

    def enrol_tablet(self, counter: int, token: str, address: str, now: datetime) -> Device:
        """A counter's rating tablet (a browser), enrolled with the pairing code: its
        id, and the hash of the token its cookie holds (the token itself is never
        kept, so the file opens no tablet)."""
        device_id = f"rating-{counter}-{secrets.token_hex(4)}"
        self._write(
            "INSERT INTO devices (id, role, counter, name, key, enrolled_at, enrolled_from) "
            "VALUES (?, 'rating', ?, ?, ?, ?, ?)",
            (device_id, counter, f"Máy đánh giá quầy {counter}", token_hash(token),
             _stamp(now), address))
        log.info("enrolled the rating tablet %r of counter %d from %s", device_id, counter,
                 address)
        return self._known(device_id)

    def tablet(self, device_id: str, token: str) -> Device | None:
        """The rating tablet ``device_id`` if ``token`` is its own and it is not revoked."""
        row = self._one("SELECT * FROM devices WHERE id = ? AND role = 'rating'", device_id)
        if row is None or row["revoked_at"] is not None or row["key"] is None:
            return None
        if not hmac.compare_digest(row["key"], token_hash(token)):
            return None
        return _device(row)

    def set_user(self, name: str, role: str, password_hash: str, now: datetime) -> None:
        """Add an account of the leader's desk, or give one a new password and role."""
        self._write("INSERT INTO users (name, role, hash, added_at) VALUES (?, ?, ?, ?) ON "
                    "CONFLICT (name) DO UPDATE SET role = excluded.role, hash = excluded.hash",
                    (name, role, password_hash, _stamp(now)))

    def user(self, name: str) -> DeskUser | None:
        row = self._one("SELECT * FROM users WHERE name = ?", name)
        return None if row is None else _user(row)

    def users(self) -> list[DeskUser]:
        return [_user(r) for r in self._rows("SELECT * FROM users ORDER BY name")]

    def user_seen(self, name: str, address: str, now: datetime) -> None:
        self._write("UPDATE users SET last_seen = ?, last_address = ? WHERE name = ?",
                    (_stamp(now), address, name))

    def remove_user(self, name: str) -> None:
        if self._write("DELETE FROM users WHERE name = ?", (name,)) == 0:
            raise DeviceError(f"Không có tài khoản “{name}”. / No account “{name}”.")

    def add_api_key(self, name: str, now: datetime) -> str:
        """A new key for the system ``name`` (replacing its old one): shown once, kept
        only as a hash (256 random bits need no salt or slow hash)."""
        key = f"motcua_{secrets.token_urlsafe(32)}"
        self._write("INSERT INTO api_keys (name, hash, added_at) VALUES (?, ?, ?) ON CONFLICT "
                    "(name) DO UPDATE SET hash = excluded.hash, added_at = excluded.added_at, "
                    "last_used = NULL", (name, token_hash(key), _stamp(now)))
        return key

    def api_key_holder(self, key: str, now: datetime) -> str | None:
        """The system whose key ``key`` is, or None."""
        row = self._one("SELECT name FROM api_keys WHERE hash = ?", token_hash(key))
        if row is None:
            return None
        self._write("UPDATE api_keys SET last_used = ? WHERE name = ?", (_stamp(now), row["name"]))
        return str(row["name"])

    def api_keys(self) -> list[dict[str, Any]]:
        return list(self._rows("SELECT name, added_at, last_used FROM api_keys ORDER BY name"))

    def remove_api_key(self, name: str) -> None:
        if self._write("DELETE FROM api_keys WHERE name = ?", (name,)) == 0:
            raise DeviceError(f"Không có khoá API “{name}”. / No API key “{name}”.")

    # --- SQLite ---------------------------------------------------------------------------

    def _known(self, device_id: str) -> Device:
        device = self.device(device_id)
        if device is None:
            known = ", ".join(d.id for d in self.devices()) or "—"
            raise DeviceError(f"Không có thiết bị “{device_id}” (đã ghép nối: {known}). / "
                              f"No device “{device_id}” (enrolled: {known}).")
        return device

    def _version(self) -> int:
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def _write(self, sql: str, params: Any) -> int:
        """Run one writing statement; the number of rows it changed."""
        try:
            return int(self._db.execute(sql, params).rowcount)
        except sqlite3.Error as error:
            raise DeviceError(said("devices_unwritten", path=self.path, problem=error)) from error

    def _rows(self, sql: str, *params: Any) -> Iterator[dict[str, Any]]:
        cursor = self._db.execute(sql, params)
        names = [column[0] for column in cursor.description]
        for values in cursor.fetchall():
            yield dict(zip(names, values, strict=True))

    def _one(self, sql: str, *params: Any) -> dict[str, Any] | None:
        return next(self._rows(sql, *params), None)


def _proves(key: str, nonce: str, hello: wire.Hello) -> bool:
    return proof_matches(key, nonce, hello.role, hello.client, hello.counter, hello.proof)


@dataclass(frozen=True)
class DeskUser:
    """An account of the leader's desk."""

    name: str
    role: str  # "leader" or "admin"
    hash: str = field(repr=False)
    added_at: str = ""
    last_seen: str | None = None
    last_address: str | None = None


def _user(row: dict[str, Any]) -> DeskUser:
    return DeskUser(row["name"], row["role"], row["hash"], row["added_at"], row["last_seen"],
                    row["last_address"])


def _device(row: dict[str, Any]) -> Device:
    return Device(row["id"], row["role"], row["counter"], row["name"], row["enrolled_at"],
                  row["enrolled_from"], row["last_seen"], row["last_address"],
                  row["revoked_at"], row.get("hall"))

