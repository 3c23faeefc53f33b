"""4. Discovery and recovery, through zeroconf on the loopback interface.

Discovery: a display's ``ServerConnection.discover()`` (Qt, offscreen, its own
process) until its welcome, five times with a fresh zeroconf browser each time,
while the server is up and advertised; and the same with the asyncio
``find_server``. Recovery: ten such connections are online; the server process is
killed (SIGKILL: a crash or a power cut) and started again at once on the same data
directory and port; the clock runs from the kill until every connection has been
welcomed again (a welcome carries the fresh snapshot: resynced). Then the same with
a graceful stop (SIGTERM, as for an update). Zeroconf runs on 127.0.0.1 only
(``MOTCUA_ZEROCONF_INTERFACES``).
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from bench.harness import (
    PYTHON,
    ROOT,
    Row,
    ServerProcess,
    free_port,
    start_server,
    summary_ms,
    temp_dir,
    write_office,
)

ENV = {"MOTCUA_ZEROCONF_INTERFACES": "127.0.0.1", "QT_QPA_PLATFORM": "offscreen"}
OFFICE_ID = "bench-office"
CLIENTS = 10


class QtClients:
    """The ``bench.qt_clients`` process and the lines it prints."""

    def __init__(self, secret: str, *args: str) -> None:
        self.spawned = time.monotonic()
        self.process = subprocess.Popen(
            [PYTHON, "-m", "bench.qt_clients", "--secret", secret, "--office", OFFICE_ID, *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, **ENV},
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("{"):
                self.lines.put(json.loads(line))

    def wait_for(self, what: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if line["what"] == what:
                return line

    def online_after(self, moment: float, count: int, timeout: float) -> dict[int, float]:
        """The first welcome of each client after ``moment`` (monotonic)."""
        seen: dict[int, float] = {}
        deadline = time.monotonic() + timeout
        while len(seen) < count and time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if line["what"] == "snapshot" and line["t"] > moment:
                seen.setdefault(line["client"], line["t"] - moment)
        return seen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def _wait_advertised(timeout: float = 10.0) -> float:
    from shared.lan.discovery import find_server

    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if asyncio.run(find_server(OFFICE_ID, 1.0)) is not None:
            return time.monotonic() - began
    raise RuntimeError("the server was never found by zeroconf")


def _find_server_trials(trials: int) -> list[float]:
    from shared.lan.discovery import find_server

    times = []
    for _ in range(trials):
        began = time.monotonic()
        found = asyncio.run(find_server(OFFICE_ID, 5.0))
        assert found is not None
        times.append(time.monotonic() - began)
    return times


def _restart(server: ServerProcess, data_dir: Path, office: Path, port: int,
             clients: QtClients, *, crash: bool) -> tuple[dict[int, float], float, ServerProcess]:
    moment = time.monotonic()
    if crash:
        server.kill()
    else:
        server.stop()
    stopped = time.monotonic() - moment
    new = start_server(data_dir, office, port=port, advertise=True, env=ENV)
    seen = clients.online_after(moment, CLIENTS, 30.0)
    return seen, stopped, new


def run(trials: int = 5) -> dict[str, Any]:
    os.environ.update(ENV)
    result: dict[str, Any] = {}
    with temp_dir("discovery") as folder:
        office = write_office(folder, office_id=OFFICE_ID)
        data_dir = folder / "data"
        port = free_port()
        server = start_server(data_dir, office, port=port, advertise=True, env=ENV)
        clients: QtClients | None = None
        try:
            result["server_start_to_listening_s"] = round(server.started_in, 3)
            result["listening_to_found_s"] = round(_wait_advertised(), 3)
            # Discovery by the Qt connection, each with a fresh browser.
            prober = QtClients(server.secret, "--trials", str(trials))
            imported = prober.wait_for("imported", 60)
            first = prober.wait_for("online", 30)
            done = prober.wait_for("trials", 60)
            prober.stop()
            result["qt_discover_to_welcome"] = summary_ms(done["seconds"])
            result["qt_process_start_to_first_welcome_s"] = round(first["t"] - prober.spawned, 3)
            result["qt_process_imports_s"] = round(imported["since_start"], 3)
            result["find_server"] = summary_ms(_find_server_trials(trials))
            # Recovery: ten connections, then a crash and a graceful restart.
            clients = QtClients(server.secret, "--count", str(CLIENTS), "--seconds", "90")
            first_online = clients.online_after(clients.spawned, CLIENTS, 30.0)
            assert len(first_online) == CLIENTS, first_online
            time.sleep(1.0)
            for crash in (True, False):
                seen, stopped, server = _restart(server, data_dir, office, port, clients,
                                                 crash=crash)
                key = "crash" if crash else "graceful"
                result[f"restart_{key}"] = {
                    "clients": CLIENTS,
                    "resynced": len(seen),
                    "all_resynced_s": round(max(seen.values()), 3) if seen else None,
                    "per_client_s": sorted(round(v, 3) for v in seen.values()),
                    "stop_s": round(stopped, 3),
                    "server_start_to_listening_s": round(server.started_in, 3),
                }
                # Before the next stop: the new server has finished advertising (its
                # duplicate check and zeroconf's probing take ~3 s after it listens).
                result[f"restart_{key}"]["listening_to_advertised_s"] = round(
                    _wait_advertised(), 3)
                print(f"  restart ({key}): {len(seen)}/{CLIENTS} resynced, the last after "
                      f"{result[f'restart_{key}']['all_resynced_s']} s", flush=True)
                time.sleep(0.5)
        finally:
            if clients is not None:
                clients.stop()
            server.stop()
    q = result["qt_discover_to_welcome"]
    print(f"  discovery: Qt discover() → welcome p50 {q['p50_ms']} ms, max {q['max_ms']} ms; "
          f"find_server p50 {result['find_server']['p50_ms']} ms", flush=True)
    return result


def rows(result: dict[str, Any]) -> list[Row]:
    q, f = result["qt_discover_to_welcome"], result["find_server"]
    out = [
        Row(f"discovery: Qt discover() → welcome, worst of {q['n']}",
            f"{q['max_ms'] / 1000:.2f} s (p50 {q['p50_ms'] / 1000:.2f} s)", "≤ 2 s",
            q["max_ms"] <= 2000),
        Row("discovery: client process start → first welcome (imports included)",
            f"{result['qt_process_start_to_first_welcome_s']:.2f} s", "≤ 2 s",
            result["qt_process_start_to_first_welcome_s"] <= 2),
        Row(f"discovery: find_server (asyncio), worst of {f['n']}",
            f"{f['max_ms'] / 1000:.2f} s (p50 {f['p50_ms'] / 1000:.2f} s)"),
    ]
    out.append(Row("a started server: listening → found by zeroconf (duplicate check and "
                   "probing)", f"{result['listening_to_found_s']:.2f} s"))
    for key, label in (("crash", "kill -9"), ("graceful", "SIGTERM")):
        r = result[f"restart_{key}"]
        value = (f"{r['all_resynced_s']:.2f} s ({r['resynced']}/{r['clients']})"
                 if r["all_resynced_s"] is not None else f"{r['resynced']}/{r['clients']}")
        out.append(Row(f"restart ({label}, restart at once) → all {r['clients']} Qt clients "
                       "resynced", value, "≤ 3 s",
                       r["resynced"] == r["clients"] and (r["all_resynced_s"] or 99) <= 3))
    return out


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
