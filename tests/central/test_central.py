"""Many sites, one province (issue 19): site servers push their sealed event logs to
the central server on a real PostgreSQL, over HTTPS with each site's key; one site
loses its link for a day of work and catches up with nothing lost or duplicated; a
tampered event is refused, the site stopped and the province alerted."""

from __future__ import annotations

import asyncio
import json
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import msgspec
import psycopg
import pytest

from shared.central.ledger import add_site, sites
from shared.central.server import CentralServer
from shared.cli.main import main
from shared.core.config import load_office
from shared.core.office import Central, Office
from shared.core.site_log import Heartbeat, SentEvent
from shared.server import central_link
from shared.server.central_config import ConfigBundles
from shared.server.central_link import read_after
from shared.server.server import OfficeServer
from tests.conftest import Connect, MakeServer

WAIT = 30.0  # seconds: a bound, not a pause


async def until(condition: Callable[[], bool] | Callable[[], Awaitable[bool]],
                timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if isinstance(result, Awaitable):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError("not reached in time")
        await asyncio.sleep(0.05)  # polling a condition another process brings about


@pytest.fixture
def quick_link(monkeypatch: pytest.MonkeyPatch) -> None:
    """The link looks for new events often, and retries soon, as a test has no day."""
    monkeypatch.setattr(central_link, "IDLE_SECONDS", 0.05)
    monkeypatch.setattr(central_link, "LONGEST_WAIT", 0.2)
    monkeypatch.setattr(central_link, "HEARTBEAT_SECONDS", 0.1)


def site_office(site: str, central: CentralServer, key_dir: Path) -> Office:
    key_file = key_dir / f"{site}.key"
    key_file.write_text(add_site(central.database, site, f"UBND {site}") + "\n")
    office = load_office()
    # A morning's rush from one test kiosk: more than a real kiosk may ask a minute.
    server = replace(office.server, kiosk_rate_per_minute=10_000)
    return replace(office, id=site, name=f"UBND {site}", server=server, central=Central(
        url=f"https://127.0.0.1:{central.port}", site=site, key_file=str(key_file),
        authority=str(central.authority)))


def central_log(database: str, site: str) -> list[tuple[int, str]]:
    with psycopg.connect(database) as conn:
        return [(int(s), str(h)) for s, h in conn.execute(
            "SELECT seq, hash FROM events WHERE site = %s ORDER BY seq", (site,)).fetchall()]


def site_log(server: OfficeServer) -> list[tuple[int, str]]:
    return [(e.seq, e.hash) for e in read_after(server.data_dir / "motcua.sqlite", 0, 100_000)]


async def issue(connect: Connect, server: OfficeServer, count: int, kiosk: str) -> None:
    client = await connect("kiosk", kiosk, to=server)
    for _ in range(count):
        reply = await client.request("issue", service="A")
        assert reply["type"] == "ticket", reply


async def test_two_sites_push_their_logs_and_one_catches_up_after_a_day_offline(
    quick_link: None, central: CentralServer, make_server: MakeServer, connect: Connect,
    tmp_path: Path,
) -> None:
    one = await make_server(site_office("phuong-mot", central, tmp_path),
                            data_dir=tmp_path / "mot", desk_port=0)
    two = await make_server(site_office("phuong-hai", central, tmp_path),
                            data_dir=tmp_path / "hai")
    await issue(connect, one, 5, "kiosk-mot")
    await issue(connect, two, 3, "kiosk-hai")
    await until(lambda: central_log(central.database, "phuong-mot") == site_log(one))
    await until(lambda: central_log(central.database, "phuong-hai") == site_log(two))

    def hall_of(site: str) -> Heartbeat | None:
        return next(s.heartbeat for s in sites(central.database) if s.id == site)

    # Site one's hall, as its leader's desk sees it: five waiting, nobody served yet.
    await until(lambda: (beat := hall_of("phuong-mot")) is not None and beat.issued == 5)
    beat = hall_of("phuong-mot")
    assert beat is not None
    assert (beat.waiting, beat.served, beat.counters) == (5, 0, 4)
    assert beat.longest_wait_seconds is not None
    await until(lambda: (beat := hall_of("phuong-hai")) is not None and beat.issued == 3)
    # The site's own leader sees that the province has its log.
    await until(lambda: f"đến sự kiện {len(site_log(one))}." in one.desk.live_html("vi"))

    # The province's server is gone for a day; the hall of site one works on.
    await central.stop()
    await issue(connect, one, 40, "kiosk-mot-2")
    counter = await connect("counter", "quay-1", counter=1, to=one)
    for _ in range(10):
        assert (await counter.request("call_next"))["type"] == "called"
    await until(lambda: bool(one.central_link and one.central_link.state.problem))
    assert "Chưa gửi được sự kiện lên máy chủ tỉnh" in one.central_link.state.problem
    assert "Chưa gửi được sự kiện lên máy chủ tỉnh" in one.desk.live_html("vi")
    assert len(central_log(central.database, "phuong-mot")) < len(site_log(one))

    await central.start()  # back, on the same port and database
    await until(lambda: central_log(central.database, "phuong-mot") == site_log(one))
    assert central_log(central.database, "phuong-hai") == site_log(two)
    await until(lambda: one.central_link.state.problem == "")  # after the answer came
    with psycopg.connect(central.database) as conn:
        kinds = dict(conn.execute("SELECT kind, count(*) FROM events WHERE site = %s "
                                  "GROUP BY kind", ("phuong-mot",)).fetchall())
        assert kinds["issued"] == 45
        assert conn.execute("SELECT count(*) FROM alerts").fetchone() == (0,)


async def post(central: CentralServer, key: str, events: list[SentEvent]) -> tuple[int, dict]:
    context = ssl.create_default_context(cafile=str(central.authority))
    async with aiohttp.ClientSession() as http, http.post(
            f"https://127.0.0.1:{central.port}/api/v1/events", ssl=context,
            headers={"Authorization": f"Bearer {key}"},
            data=json.dumps({"events": [
                {f: getattr(e, f) for f in e.__struct_fields__} for e in events]})) as reply:
        return reply.status, await reply.json()


async def test_a_tampered_event_is_refused_and_the_site_reported(
    central: CentralServer, make_server: MakeServer, connect: Connect, tmp_path: Path,
) -> None:
    office = site_office("phuong-ba", central, tmp_path)
    assert office.central is not None
    key = Path(office.central.key_file).read_text().strip()
    site = await make_server(replace(office, central=None), data_dir=tmp_path / "ba")
    await issue(connect, site, 4, "kiosk-ba")
    events = read_after(site.data_dir / "motcua.sqlite", 0, 100)

    status, answer = await post(central, key, events[:2])
    assert (status, answer["stored_up_to"], answer["problem"]) == (200, 2, None)
    status, answer = await post(central, key, events[:2])  # sent again: taken once
    assert (status, answer["stored_up_to"]) == (200, 2)
    status, answer = await post(central, key, events[3:])  # one lost on the way
    assert (status, answer["problem"], answer["stored_up_to"]) == (409, "gap", 2)

    assert json.loads(events[2].data)["number"] == "A003"
    data = {**json.loads(events[2].data), "number": "A099"}  # changed on the way
    forged = replace_data(events[2], json.dumps(data, ensure_ascii=False))
    status, answer = await post(central, key, [forged, events[3]])
    assert (status, answer["problem"], answer["stored_up_to"]) == (409, "broken", 2)
    assert "event 3 does not link to event 2" in answer["detail"]

    status, answer = await post(central, key, events[2:])  # even the true ones, from now on
    assert (status, answer["problem"]) == (409, "broken")
    assert len(central_log(central.database, "phuong-ba")) == 2
    with psycopg.connect(central.database) as conn:
        alert = conn.execute("SELECT site, kind, detail FROM alerts").fetchall()
        assert alert == [("phuong-ba", "broken",
                          "sự kiện 3 không nối với sự kiện 2: đã bị sửa, mất hoặc đảo thứ tự "
                          "trên đường gửi / event 3 does not link to event 2: it was altered, "
                          "or events were lost or reordered")]
        assert conn.execute("SELECT broken_at FROM sites WHERE id = 'phuong-ba'"
                            ).fetchone() == (3,)

    status, answer = await post(central, "a guessed key", events)
    assert (status, answer["problem"]) == (401, "key")
    status, answer = await post(central, key, events[:1] * 1001)
    assert (status, answer["problem"]) == (413, "too_many")

    # The province looks (motcua audit on the site), then takes the site's log again.
    assert main(["central", "site", "resume", "phuong-ba", "--database", central.database]) == 0
    status, answer = await post(central, key, events[2:])
    assert (status, answer["stored_up_to"], answer["problem"]) == (200, 4, None)
    assert central_log(central.database, "phuong-ba") == site_log(site)
    assert main(["central", "site", "resume", "phuong-ba", "--database", central.database]) == 2


def replace_data(event: SentEvent, data: str) -> SentEvent:
    return msgspec.structs.replace(event, data=data)


async def test_a_wrong_key_is_said_without_ever_showing_the_key(
    quick_link: None, central: CentralServer, make_server: MakeServer, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    office = site_office("phuong-bon", central, tmp_path)
    assert office.central is not None
    secret = "k" * 43  # not the site's key
    Path(office.central.key_file).write_text(secret)
    site = await make_server(office, data_dir=tmp_path / "bon")
    assert site.central_link is not None
    await until(lambda: "HTTP 401" in site.central_link.state.problem)
    assert "Khoá của điểm không đúng" in site.central_link.state.problem
    assert secret not in site.central_link.state.problem
    assert secret not in caplog.text


async def test_a_key_copied_to_another_sites_server_is_refused(
    quick_link: None, central: CentralServer, make_server: MakeServer, connect: Connect,
    tmp_path: Path,
) -> None:
    five = site_office("phuong-nam", central, tmp_path)
    six = site_office("phuong-sau", central, tmp_path)
    assert five.central is not None
    assert six.central is not None
    mixed = replace(six, central=replace(six.central, key_file=five.central.key_file))
    site = await make_server(mixed, data_dir=tmp_path / "sau")
    await issue(connect, site, 2, "kiosk-sau")
    assert site.central_link is not None
    await until(lambda: "HTTP 409" in site.central_link.state.problem)
    assert "Khoá này là của điểm phuong-nam, không phải phuong-sau" in \
        site.central_link.state.problem
    assert central_log(central.database, "phuong-nam") == []


async def test_a_rewritten_log_stops_the_site_at_the_event_rewritten(
    central: CentralServer, make_server: MakeServer, connect: Connect, tmp_path: Path,
) -> None:
    office = site_office("phuong-bay", central, tmp_path)
    assert office.central is not None
    key = Path(office.central.key_file).read_text().strip()
    site = await make_server(replace(office, central=None), data_dir=tmp_path / "bay")
    await issue(connect, site, 3, "kiosk-bay")
    events = read_after(site.data_dir / "motcua.sqlite", 0, 100)
    assert (await post(central, key, events))[0] == 200
    other_day = msgspec.structs.replace(events[1], day="2026-12-31")  # same seal, other day
    status, answer = await post(central, key, [other_day])
    assert (status, answer["problem"]) == (409, "rewritten")
    with psycopg.connect(central.database) as conn:
        assert conn.execute("SELECT broken_at FROM sites WHERE id = 'phuong-bay'"
                            ).fetchone() == (2,)
    # Resumed, the province keeps the site's log as it is now from event 2 on.
    assert main(["central", "site", "resume", "phuong-bay", "--database", central.database]) == 0
    assert central_log(central.database, "phuong-bay") == [(1, events[0].hash)]
    with psycopg.connect(central.database) as conn:  # what was replaced is kept aside
        assert conn.execute("SELECT seq FROM replaced_events WHERE site = 'phuong-bay' "
                            "ORDER BY seq").fetchall() == [(2,), (3,)]
    assert (await post(central, key, [other_day]))[1]["problem"] == "broken"  # still sealed


async def test_the_central_certificate_names_the_address_the_sites_use(
    central_db: str, tmp_path: Path,
) -> None:
    from cryptography import x509

    server = CentralServer(central_db, tmp_path / "c", "0.0.0.0", 0,
                           names=["trung-tam.tinh.gov.vn", "10.0.0.5"])
    await server.start()
    try:
        leaf = x509.load_pem_x509_certificate((tmp_path / "c" / "desk.crt").read_bytes())
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert "trung-tam.tinh.gov.vn" in names.get_values_for_type(x509.DNSName)
        assert "10.0.0.5" in {str(a) for a in names.get_values_for_type(x509.IPAddress)}
    finally:
        await server.stop()


PUBLISHED = """\
[office]
id = "phuong-tam"
name = "UBND Phường Tám (cấu hình của tỉnh)"

[[services]]
code = "A"
name = "Hộ tịch"
name_en = "Civil status"

[[services]]
code = "B"
name = "Chứng thực"
name_en = "Certification"

[[counters]]
number = 1
services = ["A", "B"]
"""


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

    def __call__(self) -> datetime:
        return self.now


async def test_a_configuration_published_centrally_is_run_from_the_sites_next_day(
    quick_link: None, central: CentralServer, make_server: MakeServer, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    office = site_office("phuong-tam", central, tmp_path)
    data = tmp_path / "tam"
    bundles = ConfigBundles(data, office)
    clock = Clock()
    site = await make_server(bundles.effective(), data_dir=data, clock=clock, bundles=bundles)

    def beat() -> Heartbeat | None:
        return next(s.heartbeat for s in sites(central.database) if s.id == "phuong-tam")

    published = tmp_path / "phuong-tam.toml"
    published.write_text(PUBLISHED + "\n[server]\nport = 9999\n", encoding="utf-8")
    assert main(["central", "config", "publish", "phuong-tam", str(published),
                 "--database", central.database]) == 2
    assert "[server] là của máy ở điểm" in capsys.readouterr().err
    published.write_text(PUBLISHED, encoding="utf-8")
    assert main(["central", "config", "publish", "phuong-tam", str(published),
                 "--database", central.database]) == 0

    # Taken and checked at once, run from the next business day: today stays as it was.
    await until(lambda: (b := beat()) is not None and b.config_pending == 1)
    assert site.office.name == "UBND phuong-tam"
    assert not site.ended.is_set()

    clock.now += timedelta(days=1)  # the next morning
    await until(lambda: site.ended.is_set())
    assert site.restart_for_config
    await site.stop()
    again = await make_server(bundles.effective(), data_dir=data, clock=clock, bundles=bundles)
    assert again.office.name == "UBND Phường Tám (cấu hình của tỉnh)"
    assert [s.code for s in again.office.services] == ["A", "B"]
    assert again.office.central == office.central  # the site's own sections stay its own
    await until(lambda: (b := beat()) is not None and b.config_running == 1
                and b.config_pending is None)
    [row] = [s for s in sites(central.database) if s.id == "phuong-tam"]
    assert row.published == 1

    # A version the site cannot run (another site's) is refused by the site and said.
    other = PUBLISHED.replace('id = "phuong-tam"', 'id = "phuong-chin"')
    with psycopg.connect(central.database) as conn:  # past the command's own check
        conn.execute("INSERT INTO bundles (site, version, toml) VALUES ('phuong-tam', 2, %s)",
                     (other,))
    await until(lambda: (b := beat()) is not None and "phuong-chin" in b.config_problem)
    assert again.office.name == "UBND Phường Tám (cấu hình của tỉnh)"
