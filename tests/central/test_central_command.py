"""``motcua central``, as the province's IT person runs it: a site added (its key to a
private file), listed, and the server started on a real PostgreSQL, answering over
HTTPS with the certificate the sites trust, and stopped cleanly."""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
import urllib.request
from pathlib import Path

import psycopg
import pytest

from shared.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def test_a_site_is_added_with_its_key_in_a_private_file_and_listed(
        central_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key_file = tmp_path / "phuong-mot.key"
    assert main(["central", "site", "add", "phuong-mot", "UBND Phường Một", "--database",
                 central_db, "--key-file", str(key_file)]) == 0
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(key_file.read_text().strip()) >= 40
    assert "Đã thêm điểm phuong-mot" in capsys.readouterr().out

    assert main(["central", "site", "add", "phuong-mot", "--database", central_db]) == 2
    assert "Đã có điểm 'phuong-mot'" in capsys.readouterr().err

    assert main(["central", "site", "list", "--database", central_db]) == 0
    listed = capsys.readouterr().out
    assert "phuong-mot" in listed
    assert "UBND Phường Một" in listed
    assert "chưa gửi" in listed


def test_the_central_server_starts_on_its_database_and_stops_on_sigterm(
        central_db: str, tmp_path: Path) -> None:
    data = tmp_path / "central"
    errors = tmp_path / "stderr"
    with errors.open("w") as stderr, subprocess.Popen(
            [sys.executable, "-m", "shared.cli", "central", "serve", "--database", central_db,
             "--host", "127.0.0.1", "--port", "0", "--data-dir", str(data)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)}) as process:
        try:
            assert process.stdout is not None
            started = process.stdout.readline()  # printed once it listens
            assert started.startswith("motcua central: https://127.0.0.1:"), errors.read_text()
            port = int(started.split("https://127.0.0.1:")[1].split(",")[0])
            context = ssl.create_default_context(cafile=str(data / "desk-ca.crt"))
            with urllib.request.urlopen(f"https://127.0.0.1:{port}/health", context=context,
                                        timeout=10) as reply:
                assert reply.read() == b"ok"
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(30) == 0


DEFAULTS = """\
[[services]]
code = "A"
name = "Hộ tịch"
name_en = "Civil status"

[[services]]
code = "B"
name = "Chứng thực"
name_en = "Certification"

[kiosk]
confirmation_seconds = 15.0
"""


def own_file(site: str, name: str) -> str:
    return (f'[office]\nid = "{site}"\nname = "{name}"\n\n[[counters]]\nnumber = 1\n'
            'services = ["A", "B"]\n\n[kiosk]\ndouble_press_seconds = 2.0\n')


def test_the_provinces_defaults_and_each_sites_own_file_make_each_sites_version(
        central_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from shared.central.ledger import add_site
    from shared.core.config import parse_office

    for site in ("phuong-mot", "phuong-hai"):
        add_site(central_db, site, site)
    defaults, mot, hai = (tmp_path / n for n in ("tinh.toml", "mot.toml", "hai.toml"))
    defaults.write_text(DEFAULTS, encoding="utf-8")
    mot.write_text(own_file("phuong-mot", "UBND Phường Một"), encoding="utf-8")
    hai.write_text(own_file("phuong-hai", "UBND Phường Hai"), encoding="utf-8")

    def publish(*what: str) -> int:
        return main(["central", "config", "publish", *what, "--database", central_db])

    assert publish("--defaults", str(defaults)) == 0  # no site has a file yet: none made
    assert "Không điểm nào thay đổi" in capsys.readouterr().out
    assert publish("phuong-mot", str(mot)) == 0
    assert publish("phuong-hai", str(hai)) == 0
    assert "phuong-hai: cấu hình số 1" in capsys.readouterr().out

    def running(site: str) -> str:
        with psycopg.connect(central_db) as conn:
            row = conn.execute("SELECT toml FROM bundles WHERE site = %s ORDER BY version DESC",
                               (site,)).fetchone()
        assert row is not None
        return str(row[0])

    office = parse_office(running("phuong-mot"), "v1")
    assert office.name == "UBND Phường Một"
    assert [s.code for s in office.services] == ["A", "B"]  # the province's
    assert office.kiosk.confirmation_seconds == 15.0  # the province's …
    assert office.kiosk.double_press_seconds == 2.0  # … and the site's, in one table

    # New defaults: every site gets a version of its own, at once.
    defaults.write_text(DEFAULTS.replace("15.0", "20.0"), encoding="utf-8")
    assert publish("--defaults", str(defaults)) == 0
    said = capsys.readouterr().out
    assert "phuong-hai: cấu hình số 2" in said
    assert "phuong-mot: cấu hình số 2" in said
    assert parse_office(running("phuong-hai"), "v2").kiosk.confirmation_seconds == 20.0

    # Defaults the sites cannot run are refused whole, naming the site and the problem.
    defaults.write_text(DEFAULTS + '\n[[services]]\ncode = "C"\nname = "Đất đai"\n'
                        'name_en = "Land"\n', encoding="utf-8")
    assert publish("--defaults", str(defaults)) == 2
    said = capsys.readouterr().err
    assert "phuong-hai" in said
    assert "dịch vụ 'C' không có quầy nào phục vụ" in said
    with psycopg.connect(central_db) as conn:
        assert conn.execute("SELECT max(version) FROM bundles").fetchone() == (2,)
