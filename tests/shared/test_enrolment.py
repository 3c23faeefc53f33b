"""Devices enrolled one by one (issue 18, defect 8): the pairing code is used once per
device, each device then proves itself with a key of its own, bound to its role, and
one device can be revoked at once without touching the others."""

from __future__ import annotations

import asyncio
import stat
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import msgspec
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from shared.cli.main import main
from shared.core import enrolment, wire
from shared.core.office import Office
from shared.core.pairing import secret_path
from shared.core.protocol import ProtocolError
from shared.server.devices import DeviceRegistry
from shared.server.server import OfficeServer
from tests.conftest import Connect, MakeServer
from tests.office_client import ADMIN_PASSWORD, OfficeClient, UnauthorizedError
from tests.shared.test_server import enrol, enrolled_key, hello, raw_socket, receive_json


async def test_a_device_enrols_once_then_connects_with_its_key_alone(
    server: OfficeServer,
) -> None:
    async with OfficeClient.connect(server.url, server.secret, "counter", "quay-2-pc",
                                    counter=2) as first:
        key = first.key
    async with OfficeClient.connect(server.url, "", "counter", "quay-2-pc", counter=2,
                                    key=key) as again:
        assert (await again.request("call_next"))["type"] == "empty"
    [device] = server.devices.devices()
    assert (device.id, device.role, device.counter) == ("quay-2-pc", "counter", 2)
    assert device.acts_as == "quầy 2"
    assert device.last_seen is not None
    assert device.last_address == "127.0.0.1"


async def test_neither_the_code_nor_the_key_crosses_the_network(server: OfficeServer) -> None:
    seen: list[str] = []
    async with raw_socket(server.url) as ws:
        challenge = await receive_json(ws)
        frame, pending = enrol(challenge, server.secret, "kiosk", "k-1")
        seen.append(frame)
        await ws.send_str(frame)
        key = await enrolled_key(ws, pending)
        welcome_frame = hello(challenge, key, "kiosk", "k-1")
        seen.append(welcome_frame)
        await ws.send_str(welcome_frame)
        assert (await receive_json(ws))["type"] == "welcome"
    code = server.secret
    for text in seen:
        assert key not in text
        assert code not in text
        assert code.replace("-", "") not in text


@pytest.mark.parametrize(
    ("role", "counter", "client"),
    [("counter", 1, "kiosk-pc"), ("admin", None, "kiosk-pc"), ("display", None, "kiosk-pc"),
     ("counter", 1, "quay-2-pc")],
    ids=["kiosk-as-counter", "kiosk-as-admin", "kiosk-as-display", "counter-2-as-counter-1"],
)
async def test_a_key_acts_only_as_what_it_was_enrolled_for(
    server: OfficeServer, role: str, counter: int | None, client: str
) -> None:
    async with OfficeClient.connect(server.url, server.secret, "kiosk", "kiosk-pc") as kiosk, \
            OfficeClient.connect(server.url, server.secret, "counter", "quay-2-pc", 2) as two:
        keys = {"kiosk-pc": kiosk.key, "quay-2-pc": two.key}
    with pytest.raises(UnauthorizedError):
        async with OfficeClient.connect(server.url, "", role, client, counter,
                                        key=keys[client]):
            pass


async def _closed_within(ws: aiohttp.ClientWebSocketResponse, seconds: float) -> dict[str, Any]:
    """The error the server sent before closing, which it must do within ``seconds``."""
    said: dict[str, Any] = {}
    async with asyncio.timeout(seconds):
        while True:
            frame = await ws.receive()
            if frame.type is aiohttp.WSMsgType.TEXT:
                said = frame.json()
            else:
                assert ws.close_code == 1008
                return said


async def test_a_revoked_counter_is_disconnected_at_once_and_cannot_come_back(
    server: OfficeServer, connect: Connect, data_dir: Path
) -> None:
    display = await connect("display")
    async with raw_socket(server.url) as ws:
        challenge = await receive_json(ws)
        frame, pending = enrol(challenge, server.secret, "counter", "quay-3-pc", 3)
        await ws.send_str(frame)
        key = await enrolled_key(ws, pending)
        await ws.send_str(hello(challenge, key, "counter", "quay-3-pc", 3))
        assert (await receive_json(ws))["type"] == "welcome"
        assert (await display.next_event("counter_changed"))["change"] == "connected"

        # As `motcua devices revoke` does it: another process, another connection.
        started = time.monotonic()
        assert main(["devices", "revoke", "quay-3-pc", "--data-dir", str(data_dir)]) == 0
        said = await _closed_within(ws, 1.0)
        took = time.monotonic() - started
    assert said["code"] == "unauthorized"
    assert "thu hồi" in said["message"]
    assert (await display.next_event("counter_changed"))["change"] == "disconnected"
    print(f"revoked counter disconnected after {took * 1000:.0f} ms")

    with pytest.raises(UnauthorizedError, match="revoked"):
        async with OfficeClient.connect(server.url, "", "counter", "quay-3-pc", 3, key=key):
            pass
    with pytest.raises(UnauthorizedError, match="motcua devices allow quay-3-pc"):
        async with OfficeClient.connect(server.url, server.secret, "counter", "quay-3-pc", 3):
            pass
    # The other devices never noticed.
    assert (await display.request("snapshot"))["type"] == "snapshot"
    assert main(["devices", "allow", "quay-3-pc", "--data-dir", str(data_dir)]) == 0
    async with OfficeClient.connect(server.url, server.secret, "counter", "quay-3-pc", 3) as c:
        assert (await c.request("call_next"))["type"] == "empty"


async def test_devices_list_shows_every_device_and_its_last_connection(
    server: OfficeServer, connect: Connect, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await connect("kiosk", "kiosk-sanh")
    await connect("counter", "quay-1-pc", 1)
    assert main(["devices", "revoke", "kiosk-sanh", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    assert main(["devices", "list", "--data-dir", str(data_dir)]) == 0
    listed = capsys.readouterr().out
    lines = {line.split()[0]: line for line in listed.splitlines() if line.strip()}
    assert "máy cấp số" in lines["kiosk-sanh"]
    assert "ĐÃ THU HỒI" in lines["kiosk-sanh"]
    assert "quầy 1" in lines["quay-1-pc"]
    assert "127.0.0.1" in lines["quay-1-pc"]
    assert "hoạt động" in lines["quay-1-pc"]
    assert "boss" in listed  # the test admins


async def test_an_admin_signs_in_with_their_own_password_only(
    server: OfficeServer, connect: Connect, data_dir: Path
) -> None:
    async with OfficeClient.connect(server.url, ADMIN_PASSWORD, "admin", "boss") as boss:
        assert (await boss.request("issue", service="A"))["type"] == "ticket"
    for password in (server.secret, "mật khẩu sai rồi"):
        with pytest.raises(UnauthorizedError, match="Wrong admin name or password"):
            async with OfficeClient.connect(server.url, password, "admin", "boss"):
                pass
    # Removing an admin ends their session at once.
    async with OfficeClient.connect(server.url, ADMIN_PASSWORD, "admin", "admin") as admin:
        assert main(["admins", "remove", "admin", "--data-dir", str(data_dir)]) == 0
        async with asyncio.timeout(1.0):
            while not admin.closed:
                await admin.events.get()
    with pytest.raises(UnauthorizedError):
        async with OfficeClient.connect(server.url, ADMIN_PASSWORD, "admin", "admin"):
            pass


def test_admins_add_checks_the_password_and_changes_nothing_when_it_is_bad(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr("sys.stdin", _Lines("ngắn\n"))
    assert main(["admins", "add", "chi-lan", "--password-stdin", "--data-dir",
                 str(data_dir)]) == 2
    assert "ít nhất 10 ký tự" in capsys.readouterr().err
    registry = DeviceRegistry(data_dir)
    assert registry.admins() == []
    registry.close()
    monkeypatch.setattr("sys.stdin", _Lines("một mật khẩu đủ dài\n"))
    assert main(["admins", "add", "chi-lan", "--password-stdin", "--data-dir",
                 str(data_dir)]) == 0
    registry = DeviceRegistry(data_dir)
    assert [a.name for a in registry.admins()] == ["chi-lan"]
    registry.close()


class _Lines:
    def __init__(self, text: str) -> None:
        self._lines = iter(text.splitlines(keepends=True))

    def readline(self) -> str:
        return next(self._lines, "")


async def test_a_new_pairing_code_enrols_from_now_on_and_enrolled_devices_keep_working(
    server: OfficeServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = server.secret
    async with OfficeClient.connect(server.url, old, "display", "tv-1") as tv:
        key = tv.key
    capsys.readouterr()
    assert main(["pair", "--new", "--data-dir", str(data_dir)]) == 0
    new = capsys.readouterr().out.strip()
    assert new != old
    assert server.secret == new
    with pytest.raises(UnauthorizedError, match="Wrong pairing code"):
        async with OfficeClient.connect(server.url, old, "display", "tv-2"):
            pass
    async with OfficeClient.connect(server.url, new, "display", "tv-2"):
        pass
    async with OfficeClient.connect(server.url, "", "display", "tv-1", key=key):
        pass


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_codes_keys_and_databases_are_readable_by_their_owner_only(
    make_server: MakeServer, office: Office, tmp_path: Path
) -> None:
    # An office set up by an older motcua: a 0755 folder, a 0644 database and code.
    data_dir = tmp_path / "office"
    first = await make_server(office, data_dir=data_dir)
    await first.stop()
    data_dir.chmod(0o755)
    for name in ("motcua.sqlite", "devices.sqlite", "pairing-code"):
        (data_dir / name).chmod(0o644)

    server = await make_server(office, data_dir=data_dir)
    assert _mode(data_dir) == 0o700
    for path in (data_dir / "motcua.sqlite", data_dir / "devices.sqlite", secret_path(data_dir)):
        assert _mode(path) == 0o600, path
    for wal in data_dir.glob("*.sqlite-*"):
        assert _mode(wal) & 0o077 == 0, wal
    fresh = tmp_path / "fresh"
    await server.stop()
    await make_server(office, data_dir=fresh)
    assert _mode(fresh) == 0o700
    assert _mode(fresh / "motcua.sqlite") == 0o600


def test_the_registry_stamps_enrolment_and_refuses_unknown_ids(data_dir: Path) -> None:
    registry = DeviceRegistry(data_dir)
    try:
        with pytest.raises(Exception, match="Không có thiết bị “ghost”"):
            registry.revoke("ghost", datetime.now())
        assert registry.changed() is False  # nothing written by anyone else
    finally:
        registry.close()


def test_the_worked_example_of_the_protocol_document() -> None:
    # RFC 7748 §6.1's key pairs: the client is Alice, the server Bob.
    alice = X25519PrivateKey.from_private_bytes(bytes.fromhex(
        "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
    bob = X25519PrivateKey.from_private_bytes(bytes.fromhex(
        "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
    document = (Path(__file__).parents[2] / "docs" / "protocol.md").read_text("utf-8")
    challenge = wire.Challenge(protocol=1, office="phuong-mau",
                               nonce="04fb84ac944938ce06f46955434cfddd")
    pending = enrolment.start("K7QH-3MXP-9RTA-WC2D", challenge, "counter", "pc-quay-1", 1,
                              "Quầy 1 — PC-QUAY-1", id="pc-quay-1-enrol", private=alice)
    answered = enrolment.answer("K7QH-3MXP-9RTA-WC2D", challenge.nonce, pending.message,
                                private=bob)
    assert answered is not None
    enrolled, server_key = answered
    for value in (pending.message.public_key, pending.message.proof, enrolled.public_key,
                  enrolled.proof, server_key):
        assert value in document
    assert pending.finish(enrolled) == server_key
    assert "4a5d9d5b…1e161742" in document
    # A server that does not know the code cannot answer for the office.
    forged = enrolment.answer("AAAA-BBBB-CCCC-DDDD", challenge.nonce, pending.message)
    assert forged is None
    with pytest.raises(ProtocolError, match="could not prove"):
        pending.finish(msgspec.structs.replace(enrolled, proof="0" * 64))


async def test_a_new_admin_password_ends_the_sessions_opened_with_the_old_one(
    server: OfficeServer, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # From the review of issue 18: removing an admin ended their sessions, changing
    # their password did not.
    async with OfficeClient.connect(server.url, ADMIN_PASSWORD, "admin", "boss") as boss:
        monkeypatch.setattr("sys.stdin", _Lines("một mật khẩu mới đủ dài\n"))
        assert main(["admins", "add", "boss", "--password-stdin", "--data-dir",
                     str(data_dir)]) == 0
        async with asyncio.timeout(1.0):
            while not boss.closed:
                await boss.events.get()
    async with OfficeClient.connect(server.url, "một mật khẩu mới đủ dài", "admin", "boss"):
        pass
