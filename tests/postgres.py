"""A real PostgreSQL server for the tests: a private cluster in a temporary folder,
started once per test session on a free port of 127.0.0.1, each test in a database of
its own.

Uses the server binaries of Debian's ``postgresql`` package (bootstrap.sh installs
it in test mode). PostgreSQL refuses to run as root: as root (CI), the cluster
belongs to the ``postgres`` user the package made and is started through runuser.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

STARTUP_SECONDS = 60


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder (/usr/lib/postgresql/15/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """``durable``: PostgreSQL's own defaults (fsync on), for measurements; else fsync
    off, as a test's database lives for one test."""

    def __init__(self, *, durable: bool = False) -> None:
        binaries = server_binaries()
        assert binaries is not None, (
            "PostgreSQL is installed by `bash bootstrap.sh test` (Debian's postgresql package)")
        self.folder = Path(tempfile.mkdtemp(prefix="motcua-postgres-"))
        self.port = _free_port()
        as_root = os.geteuid() == 0
        self._run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
        data = self.folder / "data"
        if as_root:
            shutil.chown(self.folder, "postgres")
        self.folder.chmod(0o700)
        subprocess.run([*self._run_as, str(binaries / "initdb"), "-D", str(data), "-A", "trust",
                        "-U", "motcua", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                       check=True, capture_output=True)
        fast = [] if durable else ["-c", "fsync=off", "-c", "synchronous_commit=off",
                                   "-c", "full_page_writes=off"]
        self._log = (self.folder / "log").open("wb")
        self.process = subprocess.Popen(
            [*self._run_as, str(binaries / "postgres"), "-D", str(data), "-p", str(self.port),
             "-h", "127.0.0.1", "-k", str(self.folder), *fast],
            stdout=subprocess.DEVNULL, stderr=self._log)
        self._names = itertools.count(1)
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:  # until it takes connections (a bound, not a pause)
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("PostgreSQL did not start: "
                                       + (self.folder / "log").read_text()[-2000:]) from None
                time.sleep(0.05)

    def url(self, database: str) -> str:
        return f"postgresql://motcua@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its connection address."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"'.encode())
        return self.url(name)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        self._log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
