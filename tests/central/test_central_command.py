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
    assert "chưa gửi / never" in listed


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
